#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn one fwlsm run into a verdict.

Inputs: the host ledger (one "PASS|FAIL|SKIP name [detail]" line per host-side
check), the guest console log (kernel log with KUnit KTAP) and the guest test
port log (kselftest TAP framed by fwlsm markers).  Every expected KUnit suite
and guest program must report; any failed or missing test, and any kernel
WARNING/BUG/lockdep/KASAN report not explicitly listed as benign, fails the
run.  The last line printed is "N passed, N failed[, N skipped]".
"""

import argparse
import re
import sys

TIMESTAMP = re.compile(r'^\[\s*\d+\.\d+\]\s?')
RESULT = re.compile(r'^(not ok|ok)\s+(\d+)\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$')
PLAN = re.compile(r'^1\.\.(\d+)(?:\s*#\s*(.*))?$')

# Reports that fail a run wherever they appear in the kernel log.
KERNEL_PROBLEMS = [
    re.compile(p) for p in (
        r'WARNING:',
        r'BUG:',
        r'Oops[:\s]',
        r'Kernel panic',
        r'general protection fault',
        r'possible circular locking dependency',
        r'possible recursive locking',
        r'inconsistent lock state',
        r'INFO: task .* blocked for more than',
        r'UBSAN:',
        r'KASAN:',
        r'kernel BUG at',
        r'Unable to handle kernel',
        r'RCU detected stall|rcu_sched self-detected stall',
        # mlx5 reports failed commands, timeouts and health problems in
        # these words; a healthy probe of the emulated device prints none
        # except the ones listed in guest/benign.list.
        r'(mlx5_core|mlx5_ib|mlx5ctl|mlx5_fwctl).*([Ff]ail|[Ee]rror|timeout|'
        r'compromised|syndrome)',
    )
]


class Verdict:
    def __init__(self):
        self.results = []   # (status, name, detail); status in PASS/FAIL/SKIP

    def add(self, status, name, detail=''):
        self.results.append((status, name, detail))

    def count(self, status):
        return sum(1 for r in self.results if r[0] == status)


def is_skip(directive):
    return bool(directive) and directive.strip().upper().startswith('SKIP')


def strip_console(line):
    return TIMESTAMP.sub('', line.rstrip('\r\n'))


def parse_ledger(text, v):
    for line in text.splitlines():
        parts = line.split(None, 2)
        if not parts or parts[0].startswith('#'):
            continue
        if parts[0] not in ('PASS', 'FAIL', 'SKIP') or len(parts) < 2:
            v.add('FAIL', 'ledger', 'malformed line: %r' % line)
            continue
        v.add(parts[0], parts[1], parts[2] if len(parts) > 2 else '')


def parse_kunit(console, expected, v):
    """Collect KUnit results from the kernel log.

    KTAP nests by four spaces: a suite's "# Subtest:" header and its cases
    are indented once, the suite's own result line is not, and the
    sub-results of parameterised cases are indented twice (not counted:
    their case line carries the verdict).
    """
    suites = {}
    current = None
    cases = []
    for raw in console.splitlines():
        line = strip_console(raw)
        stripped = line.lstrip(' ')
        indent = len(line) - len(stripped)
        m = re.match(r'^# Subtest: (\S+)', stripped)
        if m and indent == 4:
            current, cases = m.group(1), []
            continue
        m = RESULT.match(stripped)
        if not m or current is None:
            continue
        status = 'PASS' if m.group(1) == 'ok' else 'FAIL'
        if is_skip(m.group(4)):
            status = 'SKIP'
        name = m.group(3).strip()
        if indent == 4:
            cases.append((status, name))
        elif indent == 0 and name == current:
            suites[current] = (status, cases)
            current = None
    for suite in expected:
        if suite not in suites:
            v.add('FAIL', 'kunit:' + suite, 'suite did not report (not built in, or the kernel died)')
            continue
        status, cases = suites[suite]
        if not cases:
            v.add(status, 'kunit:' + suite, 'suite result without cases')
        for cstatus, cname in cases:
            v.add(cstatus, 'kunit:%s.%s' % (suite, cname))
        if status == 'FAIL' and all(c[0] != 'FAIL' for c in cases):
            v.add('FAIL', 'kunit:' + suite, 'suite failed')
    for suite in sorted(set(suites) - set(expected)):
        status, cases = suites[suite]
        for cstatus, cname in cases:
            v.add(cstatus, 'kunit:%s.%s' % (suite, cname))


def parse_tap_block(name, lines, rc, v):
    """One kselftest program's TAP output and exit status."""
    plan = None
    plan_skip = None
    seen = 0
    for line in lines:
        if line.startswith((' ', '\t')):
            continue            # nested subtests belong to their parent
        m = PLAN.match(line)
        if m:
            plan = int(m.group(1))
            if is_skip(m.group(2)):
                plan_skip = m.group(2)
            continue
        m = RESULT.match(line)
        if not m:
            continue
        seen += 1
        status = 'PASS' if m.group(1) == 'ok' else 'FAIL'
        if is_skip(m.group(4)):
            status = 'SKIP'
        v.add(status, '%s:%s' % (name, m.group(3).strip() or m.group(2)),
              m.group(4) or '')
    if plan == 0 and plan_skip:
        v.add('SKIP', name, plan_skip)
        return
    if plan == 0:
        # A fixture or filter that matches nothing: nothing was tested.
        v.add('FAIL', name, 'ran no tests (plan 1..0)')
    elif plan is None:
        v.add('FAIL', name, 'no TAP plan in the output')
    elif seen != plan:
        v.add('FAIL', name, 'planned %d tests, %d reported' % (plan, seen))
    if rc not in (0, 4):
        if rc == 124:
            v.add('FAIL', name, 'timed out in the guest')
        else:
            v.add('FAIL', name, 'exit status %d' % rc)


def parse_tests(text, expected, v):
    blocks = {}
    cur, lines = None, []
    finished = False
    for raw in text.splitlines():
        line = raw.rstrip('\r\n')
        m = re.match(r'^# fwlsm-test-begin (\S+)$', line)
        if m:
            cur, lines = m.group(1), []
            continue
        m = re.match(r'^# fwlsm-test-end (\S+) (\d+)$', line)
        if m and m.group(1) == cur:
            blocks[cur] = (lines, int(m.group(2)))
            cur = None
            continue
        if line == '# fwlsm-guest-end':
            finished = True
            continue
        if cur is not None:
            lines.append(line)
    if cur is not None:
        v.add('FAIL', cur, 'output ends inside the test (the guest died)')
    if not finished:
        v.add('FAIL', 'guest', 'the guest did not reach the end of its test list')
    for name in expected:
        if name not in blocks:
            if name != cur:
                v.add('FAIL', name, 'did not run')
            continue
        lines, rc = blocks[name]
        parse_tap_block(name, lines, rc, v)


def kernel_problems(console, benign):
    found = []
    for raw in console.splitlines():
        line = strip_console(raw)
        if any(p.search(line) for p in KERNEL_PROBLEMS) and \
                not any(b.search(line) for b in benign):
            found.append(line)
    return found


def parse_extra_boot(rundir, listfile, label, benign_file, v, more_benign=()):
    """A further boot of the same kernel: its kernel log and guest tests.
    more_benign: files of further expected lines, for this boot only."""
    sub = Verdict()
    try:
        with open(rundir + '/console.log', errors='replace') as f:
            console = f.read()
        with open(rundir + '/tests.log', errors='replace') as f:
            tests = f.read()
    except OSError as e:
        v.add('FAIL', label, 'the boot did not run (%s)' % e)
        return
    benign = []
    for path in ([benign_file] if benign_file else []) + list(more_benign):
        benign += [re.compile(p) for p in read_list(path, fields=0)]
    problems = kernel_problems(console, benign)
    sub.add('FAIL' if problems else 'PASS', 'kernel-log',
            '; '.join(problems[:5]) if problems else '')
    parse_tests(tests, read_list(listfile), sub)
    for status, name, detail in sub.results:
        v.add(status, '%s/%s' % (label, name), detail)


def parse_extra_console(path, label, benign_file, v):
    """The kernel log of a boot whose tests report elsewhere: it must be
    there (a console without the kernel's banner proves nothing) and hold
    no kernel report."""
    try:
        with open(path, errors='replace') as f:
            console = f.read()
    except OSError as e:
        v.add('FAIL', label + '/kernel-log', 'no console log (%s)' % e)
        return
    if 'Linux version ' not in console:
        v.add('FAIL', label + '/kernel-log', 'the console has no kernel log')
        return
    benign = []
    if benign_file:
        benign = [re.compile(p) for p in read_list(benign_file, fields=0)]
    problems = kernel_problems(console, benign)
    v.add('FAIL' if problems else 'PASS', label + '/kernel-log',
          '; '.join(problems[:5]) if problems else '')


def read_list(path, fields=1):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            out.append(line.split()[0] if fields == 1 else line)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--ledger', help='host-side results')
    ap.add_argument('--console', help='guest console log')
    ap.add_argument('--tests', help='guest test port log')
    ap.add_argument('--expect-tests', help='guest/tests.list')
    ap.add_argument('--expect-kunit', help='guest/kunit.list')
    ap.add_argument('--benign', help='file of regexes for expected kernel messages')
    ap.add_argument('--extra-boot', nargs=3, action='append', default=[],
                    metavar=('RUNDIR', 'LIST', 'LABEL'),
                    help='a further boot: its run directory (console.log, '
                    'tests.log) and test list; results are named LABEL/...')
    ap.add_argument('--extra-console', nargs=2, action='append', default=[],
                    metavar=('CONSOLE', 'LABEL'),
                    help='the console log of a further boot whose tests are '
                    'counted elsewhere (vmtest.sh): its kernel reports only')
    ap.add_argument('--benign-for', nargs=2, action='append', default=[],
                    metavar=('LABEL', 'FILE'),
                    help='further expected kernel messages in the extra boot '
                    'LABEL only (the fault-injection boot)')
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args(argv)

    v = Verdict()
    if args.ledger:
        with open(args.ledger) as f:
            parse_ledger(f.read(), v)
    if args.console:
        with open(args.console, errors='replace') as f:
            console = f.read()
        kunit = read_list(args.expect_kunit) if args.expect_kunit else []
        parse_kunit(console, kunit, v)
        benign = []
        if args.benign:
            benign = [re.compile(p) for p in read_list(args.benign, fields=0)]
        problems = kernel_problems(console, benign)
        v.add('FAIL' if problems else 'PASS', 'kernel-log',
              '; '.join(problems[:5]) if problems else '')
    if args.tests:
        with open(args.tests, errors='replace') as f:
            tests = f.read()
        expected = read_list(args.expect_tests) if args.expect_tests else []
        parse_tests(tests, expected, v)
    for rundir, listfile, label in args.extra_boot:
        parse_extra_boot(rundir, listfile, label, args.benign, v,
                         [f for lb, f in args.benign_for if lb == label])
    for path, label in args.extra_console:
        parse_extra_console(path, label, args.benign, v)

    for status, name, detail in v.results:
        if status == 'FAIL' or args.verbose:
            print('%-4s %s%s' % (status, name, (': ' + detail) if detail else ''))
    line = '%d passed, %d failed' % (v.count('PASS'), v.count('FAIL'))
    if v.count('SKIP'):
        line += ', %d skipped' % v.count('SKIP')
    print(line)
    return 1 if v.count('FAIL') or not v.count('PASS') else 0


if __name__ == '__main__':
    sys.exit(main())
