# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/gen-opcodes.py on a small synthetic kernel tree."""

import os
import subprocess
import sys
import tempfile
import unittest

GEN = os.path.join(os.path.dirname(__file__), '..', 'scripts', 'gen-opcodes.py')

IFC = """enum {
	MLX5_CMD_OP_QUERY_HCA_CAP                 = 0x100,
	MLX5_CMD_OP_QUERY_ADAPTER                 = 0x101,
	MLX5_CMD_OP_CREATE_MKEY                   = 0x200,
	MLX5_CMD_OP_QUERY_MKEY                    = 0x201,
	MLX5_CMD_OP_ACCESS_REG                    = 0x805,
	MLX5_CMD_OP_CREATE_UMEM                   = 0xa08,
	MLX5_CMD_OPCODE_QUERY_VUID                = 0xb22,
	MLX5_CMD_OP_MAX
};

enum {
	MLX5_CMD_OP_GENERAL_START = 0xb00,
	MLX5_CMD_OP_GENERAL_END = 0xd00,
};
""" + "\n".join(f"/* filler {i} */" for i in range(3))

# The real enum has about 200 entries; the generator refuses fewer than 100.
FILLER = "".join(f"\tMLX5_CMD_OP_FILLER_{i} = 0x{0x1000 + i:x},\n" for i in range(100))

FWCTL = """enum {
	MLX5_CMD_OP_QUERY_DRIVER_VERSION = 0x10c,
};

static bool mlx5ctl_validate_rpc(const void *in, enum fwctl_rpc_scope scope)
{
	switch (opcode) {
	case MLX5_CMD_OP_QUERY_ADAPTER:
		return true; /* scope >= FWCTL_RPC_CONFIGURATION; */

	case MLX5_CMD_OP_QUERY_HCA_CAP:
	case MLX5_CMD_OP_QUERY_DRIVER_VERSION:
		return scope >= FWCTL_RPC_DEBUG_READ_ONLY;

	case MLX5_CMD_OP_CREATE_MKEY:
		return scope >= FWCTL_RPC_DEBUG_WRITE;

	case MLX5_CMD_OP_ACCESS_REG:
		if (op_mod == 0) /* write */
			return true; /* scope >= FWCTL_RPC_CONFIGURATION; */
		return scope >= FWCTL_RPC_DEBUG_READ_ONLY;
	default:
		return false;
	}
}
"""

DEVX = """static bool devx_is_obj_create_cmd(const void *in, u16 *opcode)
{
	switch (*opcode) {
	case MLX5_CMD_OP_CREATE_MKEY:
		return true;
	default:
		return false;
	}
}

static bool devx_is_obj_modify_cmd(const void *in)
{
	switch (opcode) {
	case MLX5_CMD_OP_ACCESS_REG:
		return true;
	default:
		return false;
	}
}

static bool devx_is_obj_query_cmd(const void *in)
{
	switch (opcode) {
	case MLX5_CMD_OP_QUERY_MKEY:
		return true;
	default:
		return false;
	}
}

static bool devx_is_general_cmd(void *in, struct mlx5_ib_dev *dev)
{
	if (opcode >= MLX5_CMD_OP_GENERAL_START &&
	    opcode < MLX5_CMD_OP_GENERAL_END)
		return true;

	switch (opcode) {
	case MLX5_CMD_OP_QUERY_HCA_CAP:
		return true;
	default:
		return false;
	}
}

static int umem(void) { return MLX5_CMD_OP_CREATE_UMEM; }
"""


class GenOpcodes(unittest.TestCase):
    def tree(self, ifc=None, fwctl=FWCTL, devx=DEVX):
        d = tempfile.mkdtemp()
        files = {
            'include/linux/mlx5/mlx5_ifc.h':
                ifc if ifc is not None else IFC.replace('\tMLX5_CMD_OP_MAX', FILLER + '\tMLX5_CMD_OP_MAX'),
            'drivers/fwctl/mlx5/main.c': fwctl,
            'drivers/infiniband/hw/mlx5/devx.c': devx,
        }
        for rel, text in files.items():
            os.makedirs(os.path.join(d, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(d, rel), 'w', encoding='utf-8') as f:
                f.write(text)
        return d

    def run_gen(self, tree, *args):
        out = tempfile.mkdtemp()
        p = subprocess.run([sys.executable, GEN, '--tree', tree, '--out', out, *args],
                           capture_output=True, text=True, check=False)
        files = {}
        if p.returncode == 0:
            for n in ('mlx5_opcodes.m4', 'mlx5_opcodes.cil'):
                with open(os.path.join(out, n), encoding='utf-8') as f:
                    files[n] = f.read()
        return p, files, out

    def define(self, m4, name):
        for line in m4.splitlines():
            if line.startswith(f"define(`{name}',"):
                return line
        self.fail(f'no define of {name}')

    def test_scopes_are_cumulative_and_follow_the_returns(self):
        p, files, _ = self.run_gen(self.tree())
        self.assertEqual(p.returncode, 0, p.stderr)
        m4 = files['mlx5_opcodes.m4']
        self.assertEqual(self.define(m4, 'mlx5_fwctl_config_opcodes'),
                         "define(`mlx5_fwctl_config_opcodes', `{ 0x0101 0x0805 }')")
        self.assertEqual(self.define(m4, 'mlx5_fwctl_debug_read_opcodes'),
                         "define(`mlx5_fwctl_debug_read_opcodes', "
                         "`{ 0x0100 0x0101 0x010c 0x0805 }')")
        self.assertEqual(self.define(m4, 'mlx5_fwctl_debug_write_opcodes'),
                         "define(`mlx5_fwctl_debug_write_opcodes', "
                         "`{ 0x0100 0x0101 0x010c 0x0200 0x0805 }')")
        # The fwctl driver's own enum is read too.
        self.assertEqual(self.define(m4, 'MLX5_CMD_OP_QUERY_DRIVER_VERSION'),
                         "define(`MLX5_CMD_OP_QUERY_DRIVER_VERSION', `0x010c')")

    def test_devx_sets_and_general_range(self):
        p, files, _ = self.run_gen(self.tree())
        self.assertEqual(p.returncode, 0, p.stderr)
        m4, cil = files['mlx5_opcodes.m4'], files['mlx5_opcodes.cil']
        # 0xb22 is inside the general range and is written once, as the range.
        self.assertEqual(self.define(m4, 'mlx5_devx_general_opcodes'),
                         "define(`mlx5_devx_general_opcodes', `{ 0x0100 0x0b00-0x0cff }')")
        self.assertEqual(self.define(m4, 'mlx5_devx_umem_opcodes'),
                         "define(`mlx5_devx_umem_opcodes', `{ 0x0a08 }')")
        self.assertIn('(permissionx mlx5_devx_cmd_general (ioctl mlx5_devx_cmd '
                      '(0x0100 (range 0x0b00 0x0cff))))', cil)
        self.assertIn('(permissionx mlx5_devx_tunnel_cmd_all (ioctl mlx5_devx_tunnel_cmd '
                      '(0x0100 0x0200 0x0201 0x0805 0x0a08 (range 0x0b00 0x0cff))))', cil)
        self.assertIn('\t(permissionx MLX5_CMD_OPCODE_QUERY_VUID '
                      '(ioctl mlx5_fwctl_cmd (0x0b22)))', cil)
        self.assertNotIn('mlx5_fwctl_cmd_create', cil)

    def test_unknown_case_label_is_an_error(self):
        fw = FWCTL.replace('case MLX5_CMD_OP_CREATE_MKEY:', 'case MLX5_CMD_OP_NOT_IN_IFC:')
        p, _, out = self.run_gen(self.tree(fwctl=fw))
        self.assertEqual(p.returncode, 1)
        self.assertIn('MLX5_CMD_OP_NOT_IN_IFC is not an opcode', p.stderr)
        self.assertEqual(os.listdir(out), [])

    def test_unknown_return_is_an_error(self):
        fw = FWCTL.replace('return scope >= FWCTL_RPC_DEBUG_WRITE;',
                           'return scope >= FWCTL_RPC_NEW_SCOPE;')
        p, _, _ = self.run_gen(self.tree(fwctl=fw))
        self.assertEqual(p.returncode, 1)
        self.assertIn("returns 'scope >= FWCTL_RPC_NEW_SCOPE'", p.stderr)

    def test_missing_function_is_an_error(self):
        dv = DEVX.replace('devx_is_obj_query_cmd', 'devx_is_renamed')
        p, _, _ = self.run_gen(self.tree(devx=dv))
        self.assertEqual(p.returncode, 1)
        self.assertIn('no function devx_is_obj_query_cmd()', p.stderr)

    def test_conflicting_values_are_an_error(self):
        fw = FWCTL.replace('MLX5_CMD_OP_QUERY_DRIVER_VERSION = 0x10c',
                           'MLX5_CMD_OP_QUERY_DRIVER_VERSION = 0x10c,\n\tMLX5_CMD_OP_QUERY_ADAPTER = 0x999')
        p, _, _ = self.run_gen(self.tree(fwctl=fw))
        self.assertEqual(p.returncode, 1)
        self.assertIn('MLX5_CMD_OP_QUERY_ADAPTER = 0x999', p.stderr)

    def test_short_enum_is_an_error(self):
        p, _, _ = self.run_gen(self.tree(ifc=IFC))
        self.assertEqual(p.returncode, 1)
        self.assertIn('opcodes in the enum', p.stderr)

    def test_missing_tree_is_an_error(self):
        p, _, _ = self.run_gen('/nonexistent/tree')
        self.assertEqual(p.returncode, 1)
        self.assertIn('mlx5_ifc.h', p.stderr)

    def test_check_mode(self):
        tree = self.tree()
        p, _, out = self.run_gen(tree)
        self.assertEqual(p.returncode, 0, p.stderr)
        ok = subprocess.run([sys.executable, GEN, '--tree', tree, '--check', out],
                            capture_output=True, text=True, check=False)
        self.assertEqual(ok.returncode, 0, ok.stderr)
        with open(os.path.join(out, 'mlx5_opcodes.cil'), 'a', encoding='utf-8') as f:
            f.write('; edited by hand\n')
        stale = subprocess.run([sys.executable, GEN, '--tree', tree, '--check', out],
                               capture_output=True, text=True, check=False)
        self.assertEqual(stale.returncode, 1)
        self.assertIn('out of date', stale.stderr)


if __name__ == '__main__':
    unittest.main()
