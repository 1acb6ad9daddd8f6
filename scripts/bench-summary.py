#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise make bench's in-kernel and RPC figures (guest/bench-kmod.sh).

    bench-summary.py [--rpc] KIND=TESTS_LOG...

KIND is what the boot was: "selinux" (the module under the three bench
policies), "nolsm" (no LSM implementing the hooks: the module, and RPCs on
the patched kernel) or "base" (RPCs on the unpatched kernel).  Prints the
medians and ratios, one "bench:" line each, and exits 1 if a boot reported
a failure or a figure is missing (with --rpc, also the RPC figures of both
kernels).  Whether the goals are met is reported, not enforced.
"""
import re
import statistics
import sys

RESULT = re.compile(r'^kbench: result config=(\S+) (.*)$')
RPC = re.compile(r'^kbench: rpc round=\d+ n=\d+ ns_per_rpc=(\d+)$')
GOAL_CHECK = 1.00    # fw check / ioctl xperm check
GOAL_RPC = 1.01      # patched (no LSM) / unpatched FWCTL_RPC


def parse(kind_paths):
    results = {}     # configuration (pass suffix removed) -> [fields, ...]
    rpc = {'nolsm': [], 'base': []}   # kind -> [[ns per round, ...] per boot]
    fails = []
    for kind, path in kind_paths:
        try:
            lines = open(path, errors='replace').read().splitlines()
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
        if boot_rpc:
            rpc[kind].append(boot_rpc)
        if 'kbench: done' not in (x.strip() for x in lines):
            fails.append(f'{kind}: the guest script did not finish ({path})')
    return results, rpc, fails


def summarise(results, rpc, fails, want_rpc, expected):
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
    results, rpc, fails = parse(kind_paths)
    out = summarise(results, rpc, fails, want_rpc, expected)
    print('\n'.join(out))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
