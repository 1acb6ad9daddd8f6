# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/bench-rules.py: the xperm ranges of make bench's
policies hold the timed values and not the denied ones, and the rules
compile into the test policy."""

import importlib.util
import os
import shutil
import subprocess
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
spec = importlib.util.spec_from_file_location(
    'bench_rules', os.path.join(TOP, 'scripts', 'bench-rules.py'))
br = importlib.util.module_from_spec(spec)
spec.loader.exec_module(br)

FWCTL_RPC = 0x9a01
QUERY_ADAPTER = 0x0101


def inside(rs, v):
    return any(lo <= v <= hi for lo, hi in rs)


class Ranges(unittest.TestCase):
    def test_counts_and_values(self):
        for n in (1, 2, 100, 1000, 10000):
            for v in (0, QUERY_ADAPTER, FWCTL_RPC, 0xffff):
                rs, denied = br.ranges(n, v)
                self.assertEqual(len(rs), n)
                self.assertTrue(inside(rs, v), (n, v))
                self.assertFalse(inside(rs, denied), (n, v))
                self.assertLess(denied, 0x10000)
                for (lo, hi), (nlo, _) in zip(rs, rs[1:]):
                    self.assertLessEqual(lo, hi)
                    self.assertLess(hi + 1, nlo)  # a gap between ranges
                self.assertGreaterEqual(rs[0][0], 0)
                self.assertLess(rs[-1][1], 0x10000)

    def test_none(self):
        self.assertEqual(br.ranges(0, FWCTL_RPC), ([], None))
        text, args = br.rules(0, QUERY_ADAPTER, FWCTL_RPC)
        self.assertNotIn('allowxperm', text)
        self.assertEqual(args, '')

    def test_too_many(self):
        with self.assertRaises(ValueError):
            br.ranges(40000, 1)

    def test_rules(self):
        text, args = br.rules(100, QUERY_ADAPTER, FWCTL_RPC)
        self.assertEqual(text.count('0x'), 2 * 2 * 100)
        self.assertIn('fw_dev_t:chr_file ioctl {', text)
        self.assertIn('fw_dev_t:mlx5_fwctl_cmd ioctl {', text)
        d = dict(kv.split('=') for kv in args.split())
        self.assertFalse(inside(br.ranges(100, QUERY_ADAPTER)[0], int(d['deny_opcode'], 0)))
        self.assertFalse(inside(br.ranges(100, FWCTL_RPC)[0], int(d['deny_ioctl'], 0)))

    @unittest.skipUnless(shutil.which('checkpolicy'), 'no checkpolicy')
    def test_compiles(self):
        with tempfile.TemporaryDirectory() as d:
            for n in (0, 1000):
                text, _ = br.rules(n, QUERY_ADAPTER, FWCTL_RPC)
                rules = os.path.join(d, f'r{n}')
                with open(rules, 'w') as f:
                    f.write(text)
                conf, pol = os.path.join(d, f'{n}.conf'), os.path.join(d, f'{n}.policy')
                r = subprocess.run(['bash', '-c', '. "$TOP/scripts/lib.sh"; policy_with_rules "$1" "$2"'
                                    ' && checkpolicy -U allow -c 33 -o "$3" "$2"', 'sh', rules, conf, pol],
                                   env=dict(os.environ, TOP=TOP), capture_output=True, text=True)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == '__main__':
    unittest.main()
