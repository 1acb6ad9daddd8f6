#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The firmware command classifier's rule sets of make bench (bench/kmod).

    bench-cls-rules.py DIR [TREE]

writes to DIR, for each set NAME, the rules in the text form of
scripts/fwcmd-rules.py (NAME.rules), with TREE (a kernel tree, for the
mlx5 names) the set compiled by that tool's compiler (NAME.bin), the module
parameters that check its decisions (NAME.args, often empty), and the list
of the sets in the order they are timed (sets.list, lines "NAME RULES
DESCRIPTION").

The timed command is the one bench/kmod times: an fwctl mlx5 QUERY_ADAPTER
(opcode 0x0101, op_mod 0) whose 16-byte mailbox is zero but for the
opcode.  None of the rules of the sets "SHAPE-rN" (N = 1, 10, 100, 1000)
match it, so every lookup walks the whole table; the shapes say how far
into each rule the walk gets:

  opcode  rules for another opcode (ACCESS_REG writes of register i): each
          is left at the opcode, the cheapest rule a command walks past
  field   the command's family, opcode and op_mod, and one 2-byte field
          test that fails (the uid, which is 0, against i + 1): the shape
          of a typical rule for the command's own opcode
  worst   the command's family, opcode and op_mod, and eight 8-byte field
          tests of which the first seven hold and the last fails: the most
          a rule can make the lookup do (FW_CLASSIFIER_MAX_FIELDS)

Each of those rules labels what it matches fw_bench_cmd_deny_t, which the
bench domain may not send: a rule that matched by mistake would turn the
module's allowed check into a denial.  "r0" is the empty set, the
classifier with nothing loaded.  "match" labels the command itself with
its first rule (family, opcode, op_mod and the uid, 0), fw_bench_cmd_t,
which the domain may send, and opcode 0x0103 with fw_bench_cmd_deny_t,
which the module checks is denied: the label reaches SELinux, which then
checks "send" on it too.
"""
import importlib.util
import os
import sys

OPCODE = 0x0101     # MLX5_CMD_OP_QUERY_ADAPTER, the timed command
DENY_OPCODE = 0x0103
COUNTS = (1, 10, 100, 1000)
LABEL = "selinux=system_u:object_r:fw_bench_cmd_t"
DENY_LABEL = "selinux=system_u:object_r:fw_bench_cmd_deny_t"
# The mailbox's first and second 8 bytes, big-endian (opcode 0x0101, the
# rest 0).
HEAD = 0x0101 << 48

SHAPES = {
    "opcode": "each for another opcode (ACCESS_REG), left at the opcode",
    "field": "each with the command's family, opcode and op_mod, and one "
             "2-byte field test that fails",
    "worst": "each with the command's family, opcode and op_mod, and 8 "
             "field tests of 8 bytes of which the last fails (the most a "
             "rule can test)",
}


def rule(shape, i):
    """The i-th rule of a set of the shape; none matches the timed command."""
    fam = "fwctl-mlx5"
    if shape == "opcode":
        return f"{fam} ACCESS_REG op_mod=write register_id={i} label {DENY_LABEL}"
    if shape == "field":
        return f"{fam} 0x{OPCODE:04x} op_mod=0 @2:2={i + 1} label {DENY_LABEL}"
    if shape == "worst":
        hold = [f"@0:8=0x{HEAD:016x}", "@8:8=0"] * 4
        return (f"{fam} 0x{OPCODE:04x} op_mod=0 " + " ".join(hold[:7]) +
                f" @8:8={i + 1} label {DENY_LABEL}")
    raise ValueError(f"unknown shape {shape}")


def sets():
    """[(name, rules, description, text, args)] in the order they are timed."""
    out = [("r0", 0, "no rules (the empty set)", "", "")]
    for shape, desc in SHAPES.items():
        for n in COUNTS:
            text = "".join(rule(shape, i) + "\n" for i in range(n))
            out.append((f"{shape}-r{n}", n, desc, text, ""))
    text = (f"fwctl-mlx5 0x{OPCODE:04x} op_mod=0 @2:2=0 label {LABEL}\n"
            f"fwctl-mlx5 0x{DENY_OPCODE:04x} label {DENY_LABEL}\n")
    out.append(("match", 2, "the first rule matches and labels the command "
                f"fw_bench_cmd_t; a second labels 0x{DENY_OPCODE:04x} "
                "fw_bench_cmd_deny_t", text, f"deny_opcode=0x{DENY_OPCODE:04x}"))
    return out


def compiler(tree):
    """fwcmd-rules.py's text-to-binary compiler with the names of tree."""
    spec = importlib.util.spec_from_file_location(
        "fwcmd_rules", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "fwcmd-rules.py"))
    fr = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fr)
    names = fr.Mlx5Names(tree)
    return lambda text: fr.encode(fr.parse_text(text, names))


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__.strip().splitlines()[2].strip())
    d = argv[1]
    compile_set = compiler(argv[2]) if len(argv) == 3 else None
    os.makedirs(d, exist_ok=True)
    lines = []
    for name, n, desc, text, args in sets():
        text = f"# make bench: classifier set {name}, {n} rules: {desc}\n" + text
        with open(os.path.join(d, name + ".rules"), "w") as f:
            f.write(text)
        if compile_set:
            with open(os.path.join(d, name + ".bin"), "wb") as f:
                f.write(compile_set(text))
        with open(os.path.join(d, name + ".args"), "w") as f:
            f.write(args + "\n")
        lines.append(f"{name} {n} {desc}\n")
    with open(os.path.join(d, "sets.list"), "w") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main(sys.argv)
