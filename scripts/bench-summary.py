#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise make bench's in-kernel and RPC figures (guest/bench-kmod.sh).

    bench-summary.py [--rpc] KIND=TESTS_LOG...

KIND is what the boot was: "selinux" (the module under the three bench
policies, and with the classifier's rule sets if the boot ran them),
"nolsm" (no LSM implementing the hooks: the module, and RPCs on the patched
kernel) or "base" (RPCs on the unpatched kernel).  Prints the medians and
ratios, one "bench:" line each, and exits 1 if a boot reported a failure or
a figure is missing (with --rpc, also the RPC figures of both kernels).
Whether the goals are met is reported, not enforced.

The classifier's lines, one per rule set that the boot announced
("kbench: classifier sets=..." and "kbench: classifier set=..."), in its
order:

    bench: classifier set=NAME rules=N fw_ns=F ioctl_ns=I ratio_to_ioctl=R
        extra_vs_0rules=E runs=K ratio_runs=LO-HI ...

F and I are the medians over the runs of the fw check (with the set
loaded) and of the ioctl check (one AVC lookup) timed beside it; R the
median of the runs' ratios F/I; E is R less that of the empty set "r0":
what the rules add, in AVC lookups.
"""
import re
import statistics
import sys

RESULT = re.compile(r'^kbench: result config=(\S+) (.*)$')
RPC = re.compile(r'^kbench: rpc round=\d+ n=\d+ ns_per_rpc=(\d+)$')
CLS_SETS = re.compile(r'^kbench: classifier sets=(\S*)$')
CLS_SET = re.compile(r'^kbench: classifier set=(\S+) rules=(\d+) bytes=\d+: (.*)$')
GOAL_CHECK = 1.00    # fw check / ioctl xperm check
GOAL_RPC = 1.01      # patched (no LSM) / unpatched FWCTL_RPC


def parse(kind_paths):
    results = {}     # configuration (pass suffix removed) -> [fields, ...]
    rpc = {'nolsm': [], 'base': []}   # kind -> [[ns per round, ...] per boot]
    cls = {'sets': [], 'info': {}}    # sets announced; name -> (rules, what)
    fails = []
    for kind, path in kind_paths:
        try:
            with open(path, errors='replace') as f:
                lines = f.read().splitlines()
        except OSError as e:
            fails.append(f'{kind}: {e}')
            continue
        boot_rpc = []
        for line in lines:
            line = line.strip()
            if line.startswith('kbench: FAIL'):
                fails.append(f'{kind}: {line[len("kbench: "):]}')
            m = RESULT.match(line)
            if m:
                fields = dict(kv.split('=', 1) for kv in m.group(2).split())
                cfg = re.sub(r'-p\d+$', '', m.group(1))
                results.setdefault(cfg, []).append(fields)
            m = RPC.match(line)
            if m and kind in rpc:
                boot_rpc.append(int(m.group(1)))
            m = CLS_SETS.match(line)
            if m:
                cls['sets'] += [x for x in m.group(1).split(',')
                                if x and x not in cls['sets']]
            m = CLS_SET.match(line)
            if m:
                cls['info'][m.group(1)] = (int(m.group(2)), m.group(3))
                if m.group(1) not in cls['sets']:
                    cls['sets'].append(m.group(1))
        if boot_rpc:
            rpc[kind].append(boot_rpc)
        if 'kbench: done' not in (x.strip() for x in lines):
            fails.append(f'{kind}: the guest script did not finish ({path})')
    return results, rpc, cls, fails


def classifier(results, cls, fails):
    """The classifier's lines, and the sets without a result in fails."""
    out, ratio = [], {}
    described = set()
    for name in cls['sets']:
        runs = results.get('cls-' + name)
        if not runs:
            fails.append(f'no result for the classifier set {name}')
            continue
        ratio[name] = statistics.median(float(r['ratio_fw_ioctl']) for r in runs)
    for name in cls['sets']:
        if name not in ratio:
            continue
        runs = results['cls-' + name]
        n, what = cls['info'].get(name, (None, '?'))
        shape = name.split('-r')[0] if re.fullmatch(r'\w+-r\d+', name) else name
        if shape not in described:
            out.append(f'bench: classifier shape={shape}: {what}')
            described.add(shape)
        fw = statistics.median(float(r['fw_ns']) for r in runs)
        io = statistics.median(float(r['ioctl_ns']) for r in runs)
        ratios = [float(r['ratio_fw_ioctl']) for r in runs]
        line = (f'bench: classifier set={name} rules={n if n is not None else "?"} '
                f'fw_ns={fw:.1f} ioctl_ns={io:.1f} ratio_to_ioctl={ratio[name]:.3f}')
        if 'r0' in ratio:
            extra = ratio[name] - ratio['r0']
            line += f' extra_vs_0rules={extra:.3f}'
        else:
            line += ' extra_vs_0rules=?'
        line += (f' runs={len(runs)} ratio_runs={min(ratios):.3f}-{max(ratios):.3f}'
                 f' rounds={runs[0]["rounds"]} iters={runs[0]["iters"]}'
                 f' fw_iters={"/".join(r.get("fw_iters", "?") for r in runs)}')
        out.append(line)
    return out


def summarise(results, rpc, cls, fails, want_rpc, expected):
    out = []
    for cfg in expected:
        if cfg not in results:
            fails.append(f'no result for {cfg}')
    for cfg in expected:
        runs = results.get(cfg)
        if not runs:
            continue
        fw = statistics.median(float(r['fw_ns']) for r in runs)
        io = statistics.median(float(r['ioctl_ns']) for r in runs)
        ratios = [float(r['ratio_fw_ioctl']) for r in runs]
        line = (f'bench: {cfg}: fw check {fw:.1f} ns, ioctl check {io:.1f} ns, '
                f'fw/ioctl {fw / io:.3f} (per run {min(ratios):.3f}-{max(ratios):.3f}, '
                f'{len(runs)} runs of {runs[0]["rounds"]}x{runs[0]["iters"]})')
        if cfg.startswith('selinux'):
            line += f'; goal <= {GOAL_CHECK:.2f}: {"met" if fw / io <= GOAL_CHECK else "NOT met"}'
        out.append(line)
    if want_rpc:
        for kind in ('nolsm', 'base'):
            if not rpc[kind]:
                fails.append(f'no FWCTL_RPC figures from the {kind} kernel')
    if rpc['nolsm'] and rpc['base']:
        p = statistics.median(v for boot in rpc['nolsm'] for v in boot)
        b = statistics.median(v for boot in rpc['base'] for v in boot)
        per_boot = ' / '.join(
            f'{statistics.median(x):.0f} vs {statistics.median(y):.0f}'
            for x, y in zip(rpc['nolsm'], rpc['base']))
        out.append(f'bench: FWCTL_RPC, no LSM: patched {p:.0f} ns, unpatched {b:.0f} ns, '
                   f'patched/unpatched {p / b:.3f} (per boot pair {per_boot}); '
                   f'goal <= {GOAL_RPC:.2f}: {"met" if p / b <= GOAL_RPC else "NOT met"}')
    out += classifier(results, cls, fails)
    for f in fails:
        out.append(f'bench: FAIL {f}')
    return out


def main(argv):
    want_rpc = '--rpc' in argv
    args = [a for a in argv[1:] if a != '--rpc']
    kind_paths = [a.split('=', 1) for a in args]
    if not kind_paths or any(len(kp) != 2 for kp in kind_paths):
        sys.exit(__doc__.strip().splitlines()[2].strip())
    kinds = {k for k, _ in kind_paths}
    expected = []
    if 'selinux' in kinds:
        expected += ['selinux-ranges0', 'selinux-ranges100', 'selinux-ranges1000']
    if 'nolsm' in kinds:
        expected.append('nolsm')
    results, rpc, cls, fails = parse(kind_paths)
    out = summarise(results, rpc, cls, fails, want_rpc, expected)
    print('\n'.join(out))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
