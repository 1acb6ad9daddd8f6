# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/fwcmd-rules.py on a made-up mlx5 tree."""
import importlib.util
import os
import struct
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "fwcmd_rules", os.path.join(HERE, "..", "scripts", "fwcmd-rules.py"))
fr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fr)

IFC = """
enum {
	MLX5_CMD_OP_QUERY_HCA_CAP                 = 0x100,
	MLX5_CMD_OP_ACCESS_REG                    = 0x805,
	MLX5_CMD_OP_CREATE_GENERAL_OBJECT         = 0xa00,
};
enum {
	MLX5_OBJ_TYPE_VIRTIO_NET_Q = 0x000d,
	MLX5_OBJ_TYPE_MKEY = 0xff01,
};
struct mlx5_ifc_access_register_in_bits {
	u8         opcode[0x10];
	u8         reserved_at_10[0x10];

	u8         reserved_at_20[0x10];
	u8         op_mod[0x10];

	u8         reserved_at_40[0x10];
	u8         register_id[0x10];

	u8         argument[0x20];

	u8         register_data[][0x20];
};
struct mlx5_ifc_general_obj_in_cmd_hdr_bits {
	u8         opcode[0x10];
	u8         uid[0x10];

	u8         vhca_tunnel_id[0x10];
	u8         obj_type[0x10];

	u8         obj_id[0x20];

	union {
		struct mlx5_ifc_general_obj_create_param_bits create;
	} op_param;
	u8         after_union[0x10];
};
struct mlx5_ifc_query_hca_cap_in_bits {
	u8         opcode[0x10];
	u8         reserved_at_10[0x10];

	u8         reserved_at_20[0x10];
	u8         op_mod[0x10];

	u8         other_function[0x1];
	u8         ec_vf_function[0x1];
	u8         reserved_at_42[0xe];
	u8         function_id[0x10];
};
"""
DRIVER = """
enum {
	MLX5_REG_PTYS		 = 0x5004,
	MLX5_REG_PAOS		 = 0x5006,
};
"""


class FwcmdRulesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        for rel, text in ((fr.IFC, IFC), (fr.DRIVER_H, DRIVER)):
            path = os.path.join(cls.tmp.name, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        cls.names = fr.Mlx5Names(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def compile(self, text):
        return fr.encode(fr.parse_text(text, self.names))

    def test_register_write_rule_layout(self):
        data = self.compile("fwctl-mlx5 ACCESS_REG op_mod=write register_id=PAOS "
                            "label selinux=u:r:t:s0\n")
        magic, version, length, count = struct.unpack_from("=IIII", data)
        self.assertEqual((magic, version, length, count), (fr.MAGIC, 1, len(data), 1))
        rlen, fam, opcode, op_mod, flags, nf, nc, res = struct.unpack_from("=IHHHHBBH", data, 16)
        self.assertEqual((fam, opcode, op_mod, flags, nf, nc, res), (1, 0x805, 0, 1, 1, 1, 0))
        self.assertEqual(rlen, len(data) - 16)
        self.assertEqual(rlen % 8, 0)
        off, width, fl, _, mask, value = struct.unpack_from("=IBBHQQ", data, 32)
        self.assertEqual((off, width, fl, mask, value), (10, 2, 0, 0xffff, 0x5006))
        lsm, lflags, clen, dlen = struct.unpack_from("=QQQQ", data, 56)
        self.assertEqual((lsm, lflags, dlen), (101, 0, len("u:r:t:s0") + 1))
        self.assertEqual(clen % 8, 0)
        self.assertEqual(data[88:88 + dlen], b"u:r:t:s0\0")

    def test_round_trip(self):
        text = ("devx-mlx5 CREATE_GENERAL_OBJECT obj_type=VIRTIO_NET_Q label selinux=a:b:c:s0 smack=Fw\n"
                "fwctl-mlx5 0x805 @10:2=0x9001\n"
                "fwctl-mlx5 0x805 @12:4le=0x1/0xff\n")
        rules = fr.parse_text(text, self.names)
        back = fr.decode(fr.encode(rules))
        self.assertEqual(back, rules)
        again = fr.parse_text(fr.to_text(back), self.names)
        self.assertEqual(again, rules)

    def test_names_and_numbers_agree(self):
        a = self.compile("fwctl-mlx5 MLX5_CMD_OP_ACCESS_REG register_id=MLX5_REG_PTYS\n")
        b = self.compile("fwctl-mlx5 0x0805 register_id=0x5004\n")
        c = self.compile("fwctl-mlx5 ACCESS_REG @10:2=0x5004\n")
        self.assertEqual(a, b)
        self.assertEqual(a, c)

    def test_obj_type_is_bytes_6_and_7(self):
        rule = fr.parse_text("devx-mlx5 CREATE_GENERAL_OBJECT obj_type=MKEY\n", self.names)[0]
        self.assertEqual(rule["fields"], [(6, 2, 0, 0xffff, 0xff01)])

    def test_field_of_one_bit(self):
        rule = fr.parse_text("fwctl-mlx5 QUERY_HCA_CAP other_function=1\n", self.names)[0]
        self.assertEqual(rule["fields"], [(8, 1, 0, 0x80, 0x80)])
        rule = fr.parse_text("fwctl-mlx5 QUERY_HCA_CAP ec_vf_function=0\n", self.names)[0]
        self.assertEqual(rule["fields"], [(8, 1, 0, 0x40, 0)])

    def test_field_test_spanning_bytes(self):
        # 4 bits from bit 6: bytes 0 and 1, a 2-byte test.
        self.assertEqual(fr.field_test(6, 4, 0xf), (0, 2, 0x3c0, 0x3c0))

    def test_errors_name_the_line(self):
        cases = {
            "pci-mlx5 ACCESS_REG\n": "unknown family",
            "fwctl-mlx5 NO_SUCH_OP\n": "unknown opcode",
            "fwctl-mlx5 ACCESS_REG register_id=NOPE\n": "unknown value",
            "fwctl-mlx5 ACCESS_REG colour=1\n": "has no field 'colour'",
            "fwctl-mlx5 ACCESS_REG label\n": "needs at least one",
            "fwctl-mlx5 ACCESS_REG label tomato=x\n": "unknown LSM",
            "fwctl-mlx5 ACCESS_REG label selinux=a selinux=b\n": "two contexts",
            "fwctl-mlx5 ACCESS_REG @65535:2=1\n": "past the 65536-byte limit",
            "fwctl-mlx5 ACCESS_REG @10:2=0x100/0xff\n": "outside the mask",
            "fwctl-mlx5 ACCESS_REG @10:2=0/0\n": "bad mask",
            "fwctl-mlx5 ACCESS_REG register_id=0x10000\n": "wider than the field",
            "fwctl-mlx5 0x1234 colour=1\n": "has no name",
            "fwctl-mlx5 CREATE_GENERAL_OBJECT after_union=1\n": "has no field",
        }
        for text, msg in cases.items():
            with self.subTest(text=text):
                with self.assertRaises(fr.RuleError) as cm:
                    fr.parse_text("# a comment\n\n" + text, self.names)
                self.assertIn("line 3:", str(cm.exception))
                self.assertIn(msg, str(cm.exception))

    def test_too_many_rules(self):
        with self.assertRaisesRegex(fr.RuleError, "more than 4096"):
            fr.parse_text("fwctl-mlx5 ACCESS_REG\n" * 4097, self.names)

    def test_decode_refuses_garbage(self):
        for data in (b"", b"x" * 16, struct.pack("=IIII", fr.MAGIC, 2, 16, 0)):
            with self.assertRaises(fr.RuleError):
                fr.decode(data)

    def test_missing_tree(self):
        with self.assertRaisesRegex(fr.RuleError, "cannot read"):
            fr.Mlx5Names(os.path.join(self.tmp.name, "nowhere"))


if __name__ == "__main__":
    unittest.main()
