# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/bench-summary.py's classifier lines: every set the
boot announced has its line, the extra cost is measured against the empty
set's ratio, and a missing figure or a failure fails the summary."""

import importlib.util
import os
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
spec = importlib.util.spec_from_file_location(
    'bench_summary', os.path.join(TOP, 'scripts', 'bench-summary.py'))
bs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bs)


def result(cfg, fw, io, fw_iters=5000):
    return (f'kbench: result config={cfg} iters=5000 fw_iters={fw_iters} rounds=3 '
            f'opcode=0x0101 ioctl=0x9a01 fw_ns={fw:.3f} ioctl_ns={io:.3f} '
            f'ratio_fw_ioctl={fw / io:.3f} fw_min_ns={fw:.3f} ioctl_min_ns={io:.3f} '
            'cycles_per_us=2694 measured_cycles_per_us=2693 denials_checked=2 expect_deny=1')


SELINUX = [result(f'selinux-ranges{n}-p1', 1500, 1500) for n in (0, 100, 1000)]
ANNOUNCE = [
    'kbench: classifier sets=r0,worst-r100',
    'kbench: classifier set=r0 rules=0 bytes=16: no rules (the empty set)',
    'kbench: classifier set=worst-r100 rules=100 bytes=28016: the worst shape',
]


class Classifier(unittest.TestCase):
    def summary(self, lines):
        with tempfile.NamedTemporaryFile('w', suffix='.log') as f:
            f.write('\n'.join(lines + ['kbench: done']) + '\n')
            f.flush()
            results, rpc, cls, fails = bs.parse([('selinux', f.name)])
            out = bs.summarise(results, rpc, cls, fails, False,
                               ['selinux-ranges0', 'selinux-ranges100', 'selinux-ranges1000'])
        return out, fails

    def line(self, out, name):
        found = [ln for ln in out if ln.startswith(f'bench: classifier set={name} ')]
        self.assertEqual(len(found), 1, out)
        return dict(kv.split('=', 1) for kv in found[0].split()[2:])

    def test_figures(self):
        out, fails = self.summary(SELINUX + ANNOUNCE + [
            result('cls-r0-p1', 1400, 1500), result('cls-r0-p2', 1500, 1500),
            result('cls-worst-r100-p1', 150000, 1500, 50),
            result('cls-worst-r100-p2', 153000, 1500, 49)])
        self.assertEqual(fails, [])
        r0 = self.line(out, 'r0')
        self.assertEqual(r0['rules'], '0')
        self.assertEqual(r0['runs'], '2')
        self.assertAlmostEqual(float(r0['ratio_to_ioctl']), (0.933 + 1.0) / 2, places=3)
        self.assertEqual(r0['extra_vs_0rules'], '0.000')
        w = self.line(out, 'worst-r100')
        self.assertEqual(w['rules'], '100')
        self.assertEqual(w['fw_iters'], '50/49')
        extra = (100 + 102) / 2 - (0.933 + 1.0) / 2
        self.assertAlmostEqual(float(w['extra_vs_0rules']), extra, places=2)
        self.assertIn('bench: classifier shape=worst: the worst shape', out)

    def test_missing_set_fails(self):
        out, fails = self.summary(SELINUX + ANNOUNCE + [result('cls-r0-p1', 1400, 1500)])
        self.assertEqual(fails, ['no result for the classifier set worst-r100'])
        self.assertIn('bench: FAIL no result for the classifier set worst-r100', out)

    def test_guest_failure_fails(self):
        out, fails = self.summary(SELINUX + ANNOUNCE[:1] + [
            'kbench: FAIL classifier worst-r100: the set does not load: dd: Invalid argument',
            result('cls-r0-p1', 1400, 1500)])
        self.assertIn('selinux: FAIL classifier worst-r100: the set does not load: '
                      'dd: Invalid argument', fails)
        self.assertIn('no result for the classifier set worst-r100', fails)

    def test_no_classifier_run(self):
        out, fails = self.summary(SELINUX)
        self.assertEqual(fails, [])
        self.assertFalse([ln for ln in out if 'classifier' in ln])


if __name__ == '__main__':
    unittest.main()
