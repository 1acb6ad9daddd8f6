#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate named mlx5 opcodes for SELinux policy writers.

Reads the opcode enum of include/linux/mlx5/mlx5_ifc.h and the commands
the drivers accept (mlx5ctl_validate_rpc() in drivers/fwctl/mlx5/main.c,
the devx_is_*_cmd() helpers in drivers/infiniband/hw/mlx5/devx.c) of a
kernel tree, and writes:

  mlx5_opcodes.m4   m4 defines for .te policy: one per opcode
                    (MLX5_CMD_OP_QUERY_HCA_CAP -> 0x0100) and one per set
                    (mlx5_fwctl_debug_read_opcodes -> { 0x0100 ... })
  mlx5_opcodes.cil  CIL permissionx sets, one per set and class

Nothing is typed in by hand: a case label the generator cannot resolve, a
set that comes out empty, or a driver function that is not found stops it
with an error naming the file.  --check DIR compares with the files in DIR
instead of writing them and fails if they differ.
"""
import argparse
import os
import re
import sys

IFC = "include/linux/mlx5/mlx5_ifc.h"
FWCTL = "drivers/fwctl/mlx5/main.c"
DEVX = "drivers/infiniband/hw/mlx5/devx.c"

# The SELinux classes of the series (security/selinux/include/classmap.h).
FWCTL_CLASSES = ("mlx5_fwctl_cmd", "mlx5_fwctl_tunnel_cmd")
DEVX_CLASSES = ("mlx5_devx_cmd", "mlx5_devx_tunnel_cmd")

# mlx5ctl_validate_rpc() returns one of these for a run of case labels:
# the lowest scope at which fwctl/mlx5 accepts the opcode.
SCOPE_OF_RETURN = {
    "true": "config",
    "scope >= FWCTL_RPC_DEBUG_READ_ONLY": "debug_read",
    "scope >= FWCTL_RPC_DEBUG_WRITE": "debug_write",
}
SCOPES = ("config", "debug_read", "debug_write")


class GenError(Exception):
    pass


def read(tree, rel):
    path = os.path.join(tree, rel)
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise GenError(f"{path}: {e.strerror}")


def opcodes(tree):
    """Name -> value of every opcode in the enum that ends in MLX5_CMD_OP_MAX,
    and in the enum of extra opcodes of fwctl/mlx5."""
    text = read(tree, IFC)
    m = re.search(r"enum\s*\{([^}]*?\bMLX5_CMD_OP_MAX\b[^}]*)\}", text)
    if not m:
        raise GenError(f"{IFC}: no enum ending in MLX5_CMD_OP_MAX")
    ops = {}
    for name, val in re.findall(r"\b(MLX5_CMD_OP(?:CODE)?_\w+)\s*=\s*(0x[0-9a-fA-F]+|\d+)",
                                m.group(1)):
        ops[name] = int(val, 0)
    if len(ops) < 100:
        raise GenError(f"{IFC}: only {len(ops)} opcodes in the enum")
    # fwctl/mlx5 names the opcodes it accepts that mlx5_ifc.h lacks.
    for body in re.findall(r"^enum\s*\{\n(.*?)^\};", read(tree, FWCTL), re.S | re.M):
        for name, val in re.findall(r"^\s*(MLX5_CMD_OP_\w+)\s*=\s*(0x[0-9a-fA-F]+),",
                                    body, re.M):
            if ops.get(name, int(val, 16)) != int(val, 16):
                raise GenError(f"{FWCTL}: {name} = {val}, but {IFC} has "
                               f"0x{ops[name]:x}")
            ops[name] = int(val, 16)
    m = re.search(r"MLX5_CMD_OP_GENERAL_START\s*=\s*(0x[0-9a-fA-F]+).*?"
                  r"MLX5_CMD_OP_GENERAL_END\s*=\s*(0x[0-9a-fA-F]+)", text, re.S)
    if not m:
        raise GenError(f"{IFC}: no MLX5_CMD_OP_GENERAL_START/END")
    return ops, (int(m.group(1), 16), int(m.group(2), 16))


def function_body(text, rel, name):
    m = re.search(r"^static [^\n(]*\b" + re.escape(name) + r"\([^)]*\)\n\{\n(.*?)^\}",
                  text, re.S | re.M)
    if not m:
        raise GenError(f"{rel}: no function {name}()")
    return m.group(1)


def resolve(ops, rel, names):
    out = []
    for n in names:
        if n not in ops:
            raise GenError(f"{rel}: case label {n} is not an opcode of {IFC}")
        out.append(n)
    return out


def case_labels(body):
    return re.findall(r"^\s*case (MLX5_CMD_OP\w*):", body, re.M)


def fwctl_scopes(tree, ops):
    """Scope -> the opcodes mlx5ctl_validate_rpc() first accepts at that scope."""
    body = function_body(read(tree, FWCTL), FWCTL, "mlx5ctl_validate_rpc")
    groups = {s: [] for s in SCOPES}
    run = []
    for line in body.splitlines():
        m = re.match(r"\s*case (MLX5_CMD_OP\w*):", line)
        if m:
            run.append(m.group(1))
            continue
        m = re.match(r"\s*return ([^;]+);", line)
        if m and run:
            ret = m.group(1).strip()
            if ret not in SCOPE_OF_RETURN:
                raise GenError(f"{FWCTL}: mlx5ctl_validate_rpc() returns '{ret}', "
                               "which the generator does not know")
            groups[SCOPE_OF_RETURN[ret]] += resolve(ops, FWCTL, run)
            run = []
    if run:
        raise GenError(f"{FWCTL}: case labels {run} without a return")
    return groups


def devx_groups(tree, ops, general_range):
    text = read(tree, DEVX)
    g = {}
    for key, fn in (("general", "devx_is_general_cmd"),
                    ("create", "devx_is_obj_create_cmd"),
                    ("modify", "devx_is_obj_modify_cmd"),
                    ("query", "devx_is_obj_query_cmd")):
        g[key] = resolve(ops, DEVX, case_labels(function_body(text, DEVX, fn)))
    body = function_body(text, DEVX, "devx_is_general_cmd")
    if "MLX5_CMD_OP_GENERAL_START" not in body:
        raise GenError(f"{DEVX}: devx_is_general_cmd() no longer accepts "
                       "the MLX5_CMD_OP_GENERAL_START range")
    if "MLX5_CMD_OP_CREATE_UMEM" not in text:
        raise GenError(f"{DEVX}: UMEM_REG no longer sends MLX5_CMD_OP_CREATE_UMEM")
    g["umem"] = ["MLX5_CMD_OP_CREATE_UMEM"]
    return g


class Set:
    def __init__(self, name, short, doc, names, ranges=()):
        self.name, self.short, self.doc = name, short, doc
        self.names = sorted(set(names), key=lambda n: (OPS[n], n))
        self.ranges = list(ranges)
        if not self.names and not self.ranges:
            raise GenError(f"set {name} is empty")

    def values(self):
        vals = sorted({OPS[n] for n in self.names})
        # Values inside a range are written once, as the range.
        return [v for v in vals
                if not any(lo <= v < hi for lo, hi in self.ranges)]


OPS = {}


def build_sets(tree):
    global OPS
    OPS, general_range = opcodes(tree)
    scopes = fwctl_scopes(tree, OPS)
    devx = devx_groups(tree, OPS, general_range)
    queries = [n for n in OPS if re.match(r"MLX5_CMD_OP(CODE)?_QUERY_", n)]
    fw = []
    acc = []
    for s, what in (("config", "the configuration scope"),
                    ("debug_read", "the read-only debug scope"),
                    ("debug_write", "the debug write scopes")):
        acc = acc + scopes[s]
        fw.append(Set(f"mlx5_fwctl_{s}_opcodes", s,
                      f"what fwctl/mlx5 accepts at {what} and above (some "
                      "only for given op_mod values: see mlx5ctl_validate_rpc())",
                      acc))
    gen = [(general_range[0], general_range[1])]
    dv = [
        Set("mlx5_devx_general_opcodes", "general",
            "DEVX_OTHER: the general commands (and the range "
            f"0x{general_range[0]:04x}-0x{general_range[1] - 1:04x})",
            devx["general"], gen),
        Set("mlx5_devx_create_opcodes", "create", "DEVX_OBJ_CREATE (some for given op_mod values only)",
            devx["create"]),
        Set("mlx5_devx_modify_opcodes", "modify", "DEVX_OBJ_MODIFY", devx["modify"]),
        Set("mlx5_devx_query_opcodes", "query", "DEVX_OBJ_QUERY and DEVX_OBJ_ASYNC_QUERY",
            devx["query"]),
        Set("mlx5_devx_umem_opcodes", "umem", "DEVX_UMEM_REG", devx["umem"]),
    ]
    dv.append(Set("mlx5_devx_opcodes", "all", "every command a DEVX method sends for user space",
                  [n for s in dv for n in s.names], gen))
    common = [Set("mlx5_query_opcodes", "queries", "every opcode named QUERY_", queries)]
    return common, fw, dv


def xperm_te(s):
    items = [f"0x{v:04x}" for v in s.values()]
    items += [f"0x{lo:04x}-0x{hi - 1:04x}" for lo, hi in s.ranges]
    return "{ " + " ".join(items) + " }"


def xperm_cil(s):
    items = [f"0x{v:04x}" for v in s.values()]
    items += [f"(range 0x{lo:04x} 0x{hi - 1:04x})" for lo, hi in s.ranges]
    return " ".join(items)


def header(comment, tree_desc):
    return [f"{comment} Generated by scripts/gen-opcodes.py from {tree_desc}:",
            f"{comment} {IFC}, {FWCTL} and {DEVX}.",
            f"{comment} Do not edit; run 'make opcodes' to regenerate."]


def render(tree_desc, common, fw, dv):
    m4 = header("#", tree_desc)
    m4 += ["#", "# Usage in a .te file: m4 mlx5_opcodes.m4 your.te > out.te, then",
           "#   allowxperm fwdiag_t fwctl_device_t:mlx5_fwctl_cmd ioctl "
           "mlx5_fwctl_debug_read_opcodes;",
           "#   allowxperm fwdiag_t fwctl_device_t:mlx5_fwctl_cmd ioctl "
           "MLX5_CMD_OP_QUERY_HCA_CAP;", ""]
    for n in sorted(OPS, key=lambda n: (OPS[n], n)):
        m4.append(f"define(`{n}', `0x{OPS[n]:04x}')")
    for s in common + fw + dv:
        m4 += ["", f"# {s.doc}", f"define(`{s.name}', `{xperm_te(s)}')"]
    cil = header(";", tree_desc)
    cil += [";", "; For each class CLASS of the series' mlx5 opcode classes:",
            ";   CLASS_SET        one permissionx per set, SET as in mlx5_opcodes.m4",
            ";                    without its mlx5_, mlx5_fwctl_ or mlx5_devx_ prefix",
            ";                    and _opcodes suffix (mlx5_devx_opcodes is CLASS_all)",
            ";   CLASS_op.NAME    one permissionx per opcode, NAME as in mlx5_ifc.h",
            "; For example:",
            ";   (allowx fwdiag_t fwctl_device_t mlx5_fwctl_cmd_debug_read)",
            ";   (allowx fwdiag_t fwctl_device_t mlx5_fwctl_cmd_op.MLX5_CMD_OP_QUERY_HCA_CAP)",
            ""]
    for classes, sets in ((FWCTL_CLASSES, common + fw), (DEVX_CLASSES, common + dv)):
        for s in sets:
            cil.append(f"; {s.doc}")
            for cls in classes:
                cil.append(f"(permissionx {cls}_{s.short} (ioctl {cls} ({xperm_cil(s)})))")
            cil.append("")
    for cls in FWCTL_CLASSES + DEVX_CLASSES:
        cil.append(f"(block {cls}_op")
        for n in sorted(OPS, key=lambda n: (OPS[n], n)):
            cil.append(f"\t(permissionx {n} (ioctl {cls} (0x{OPS[n]:04x})))")
        cil.append(")")
    return "\n".join(m4) + "\n", "\n".join(cil) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", required=True, help="kernel tree")
    ap.add_argument("--describe", default="the kernel tree",
                    help="how the header names the tree")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--out", help="write the files into this directory")
    g.add_argument("--check", help="compare with the files in this directory")
    a = ap.parse_args()
    try:
        m4, cil = render(a.describe, *build_sets(a.tree))
    except GenError as e:
        print(f"gen-opcodes: {e}", file=sys.stderr)
        return 1
    files = {"mlx5_opcodes.m4": m4, "mlx5_opcodes.cil": cil}
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        for n, t in files.items():
            with open(os.path.join(a.out, n), "w", encoding="utf-8") as f:
                f.write(t)
        return 0
    stale = []
    for n, t in files.items():
        p = os.path.join(a.check, n)
        try:
            with open(p, encoding="utf-8") as f:
                if f.read() != t:
                    stale.append(p)
        except OSError:
            stale.append(p)
    if stale:
        print("gen-opcodes: out of date with the tree: " + ", ".join(stale) +
              " (run 'make opcodes')", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
