# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/bench-cls-rules.py: make bench's classifier rule
sets compile with scripts/fwcmd-rules.py, within the kernel's limits, and
a matcher written from include/uapi/linux/fw_classifier.h finds in them
what the benchmark says: no rule of the timed sets matches the timed
command, and each gets as far into its rules as its shape says."""

import importlib.util
import os
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, os.path.join(TOP, path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


bc = load('bench_cls_rules', 'scripts/bench-cls-rules.py')
fr = load('fwcmd_rules', 'scripts/fwcmd-rules.py')

# A made-up tree with what the sets name.
IFC = """
enum {
	MLX5_CMD_OP_QUERY_ADAPTER                 = 0x101,
	MLX5_CMD_OP_ACCESS_REG                    = 0x805,
};
struct mlx5_ifc_access_register_in_bits {
	u8         opcode[0x10];
	u8         reserved_at_10[0x10];

	u8         reserved_at_20[0x10];
	u8         op_mod[0x10];

	u8         reserved_at_40[0x10];
	u8         register_id[0x10];

	u8         argument[0x20];
};
"""
DRIVER = "enum {\n\tMLX5_REG_PAOS = 0x5006,\n};\n"
FWCTL_MLX5 = fr.FAMILIES['fwctl-mlx5']


def mailbox(opcode):
    """The timed command's mailbox (bench/kmod): the opcode, then zeros."""
    return opcode.to_bytes(2, 'big') + bytes(14)


def field_holds(field, mbox):
    off, width, flags, mask, value = field
    if off + width > len(mbox):
        return False
    raw = mbox[off:off + width]
    v = int.from_bytes(raw, 'little' if flags & fr.FIELD_LE else 'big')
    return v & mask == value


def walk(rule, opcode, mbox):
    """(matches, field tests evaluated) for a command of op_mod 0."""
    if rule['family'] != FWCTL_MLX5 or rule['opcode'] != opcode:
        return False, 0
    if rule['op_mod'] not in (None, 0):
        return False, 0
    for i, f in enumerate(rule['fields']):
        if not field_holds(f, mbox):
            return False, i + 1
    return True, len(rule['fields'])


class Sets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        for rel, text in ((fr.IFC, IFC), (fr.DRIVER_H, DRIVER)):
            path = os.path.join(cls.tmp.name, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(text)
        cls.names = fr.Mlx5Names(cls.tmp.name)
        cls.sets = {}
        for name, n, desc, text, args in bc.sets():
            data = fr.encode(fr.parse_text(text, cls.names))
            cls.sets[name] = (n, args, fr.decode(data), data)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_list(self):
        want = ['r0'] + [f'{s}-r{n}' for s in ('opcode', 'field', 'worst')
                         for n in (1, 10, 100, 1000)] + ['match']
        self.assertEqual([s[0] for s in bc.sets()], want)
        for name, (n, _, rules, data) in self.sets.items():
            self.assertEqual(len(rules), n, name)
            self.assertLessEqual(len(data), fr.MAX_LEN, name)

    def test_empty_set_is_what_the_kernel_reads_back(self):
        self.assertEqual(self.sets['r0'][3],
                         (fr.MAGIC).to_bytes(4, 'little') + (1).to_bytes(4, 'little') +
                         (16).to_bytes(4, 'little') + bytes(4))

    def test_no_timed_rule_matches(self):
        mbox = mailbox(bc.OPCODE)
        depth = {'opcode': 0, 'field': 1, 'worst': fr.MAX_FIELDS}
        for name, (n, args, rules, _) in self.sets.items():
            if name in ('r0', 'match'):
                continue
            self.assertEqual(args, '', name)
            shape = name.split('-')[0]
            for r in rules:
                self.assertEqual(walk(r, bc.OPCODE, mbox), (False, depth[shape]), name)
                self.assertEqual(r['ctx'], [(fr.LSM_IDS['selinux'], bc.DENY_LABEL.split('=', 1)[1])])

    def test_rules_differ(self):
        for name, (n, _, rules, _) in self.sets.items():
            keys = {fr.to_text([r]) for r in rules}
            self.assertEqual(len(keys), n, name)

    def test_match(self):
        n, args, rules, _ = self.sets['match']
        self.assertEqual(args, f'deny_opcode=0x{bc.DENY_OPCODE:04x}')
        ok, _ = walk(rules[0], bc.OPCODE, mailbox(bc.OPCODE))
        self.assertTrue(ok)
        self.assertEqual(rules[0]['ctx'][0][1], 'system_u:object_r:fw_bench_cmd_t')
        deny = mailbox(bc.DENY_OPCODE)
        self.assertFalse(walk(rules[0], bc.DENY_OPCODE, deny)[0])
        self.assertTrue(walk(rules[1], bc.DENY_OPCODE, deny)[0])
        self.assertEqual(rules[1]['ctx'][0][1], 'system_u:object_r:fw_bench_cmd_deny_t')

    def test_writes_files(self):
        with tempfile.TemporaryDirectory() as d:
            bc.main(['bench-cls-rules.py', d, self.tmp.name])
            with open(os.path.join(d, 'sets.list')) as f:
                lines = f.read().splitlines()
            self.assertEqual([ln.split()[0] for ln in lines], [s[0] for s in bc.sets()])
            for ln in lines:
                name, n = ln.split()[:2]
                with open(os.path.join(d, name + '.rules')) as f:
                    self.assertEqual(len(fr.parse_text(f.read(), self.names)), int(n))
                self.assertTrue(os.path.exists(os.path.join(d, name + '.args')))
                with open(os.path.join(d, name + '.bin'), 'rb') as f:
                    self.assertEqual(f.read(), self.sets[name][3])


if __name__ == '__main__':
    unittest.main()
