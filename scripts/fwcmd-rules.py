#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write firmware command classifier rules without counting bits.

The kernel's classifier (<securityfs>/fw_classifier/rules) reads a binary
rule set (include/uapi/linux/fw_classifier.h).  This tool compiles a text
form, with the names of include/linux/mlx5/mlx5_ifc.h and
include/linux/mlx5/driver.h, to that format, and decodes a set back to
text.  One rule per line; '#' starts a comment:

  FAMILY OPCODE [op_mod=V] [FIELD=V[/MASK]]... [@OFF:W[le]=V[/MASK]]...
         [label LSM=CONTEXT...]

  FAMILY   fwctl-mlx5 (FWCTL_RPC) or devx-mlx5 (RDMA DEVX)
  OPCODE   ACCESS_REG, MLX5_CMD_OP_ACCESS_REG or 0x805
  op_mod   a number, or for ACCESS_REG: write (0) or read (1)
  FIELD    a field of the command's input layout in mlx5_ifc.h (for
           ACCESS_REG access_register_in, for the general object commands
           general_obj_in_cmd_hdr, else <opcode>_in); V is a number or a
           name: register_id takes MLX5_REG_* (PAOS or MLX5_REG_PAOS),
           obj_type takes MLX5_OBJ_TYPE_* and MLX5_GENERAL_OBJECT_TYPES_*
  @OFF:W   W bytes (1, 2, 4, 8) at byte OFF, big-endian unless 'le'
  label    one context per LSM: selinux=user:role:type:level, smack=...
           A rule without a label leaves the commands it matches
           unlabelled, which makes an exception to a later rule.

The first rule that matches a command decides.  Examples:

  fwctl-mlx5 ACCESS_REG op_mod=write register_id=PAOS \\
      label selinux=system_u:object_r:fw_paos_write_t:s0
  devx-mlx5 CREATE_GENERAL_OBJECT obj_type=VIRTIO_NET_Q \\
      label selinux=system_u:object_r:fw_virtio_q_t:s0

Usage:
  fwcmd-rules.py compile [--tree T] RULES -o OUT   text to binary
  fwcmd-rules.py decode [--tree T] BIN             binary to text
  fwcmd-rules.py fields [--tree T] OPCODE          a command's named fields
"""
import argparse
import os
import re
import shlex
import struct
import sys

MAGIC = 0x46574331
VERSION = 1
RULE_OP_MOD = 1
FIELD_LE = 1
FAMILIES = {"fwctl-mlx5": 1, "devx-mlx5": 2}
# include/uapi/linux/lsm.h
LSM_IDS = {
    "capability": 100, "selinux": 101, "smack": 102, "tomoyo": 103,
    "apparmor": 104, "yama": 105, "loadpin": 106, "safesetid": 107,
    "lockdown": 108, "bpf": 109, "landlock": 110, "ima": 111, "evm": 112,
    "ipe": 113,
}
# The limits of security/fw_classifier.c.
MAX_RULES = 4096
MAX_FIELDS = 8
MAX_CTX = 8
MAX_OFFSET = 65536
MAX_LEN = 1 << 20

IFC = "include/linux/mlx5/mlx5_ifc.h"
DRIVER_H = "include/linux/mlx5/driver.h"

# Commands whose input layout is not named <opcode>_in.
LAYOUT_OF = {
    "ACCESS_REG": "access_register_in",
    "CREATE_GENERAL_OBJECT": "general_obj_in_cmd_hdr",
    "MODIFY_GENERAL_OBJECT": "general_obj_in_cmd_hdr",
    "QUERY_GENERAL_OBJECT": "general_obj_in_cmd_hdr",
    "DESTROY_GENERAL_OBJECT": "general_obj_in_cmd_hdr",
}
OP_MOD_NAMES = {"ACCESS_REG": {"write": 0, "read": 1}}


class RuleError(Exception):
    pass


def _read(tree, rel):
    path = os.path.join(tree, rel)
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise RuleError(f"cannot read {path}: {e.strerror}") from None


class Mlx5Names:
    """Opcodes, input layouts and value names of one kernel tree."""

    def __init__(self, tree):
        self.ifc = _read(tree, IFC)
        driver = _read(tree, DRIVER_H)
        self.opcodes = {m[0]: int(m[1], 0) for m in re.findall(
            r"\bMLX5_CMD_OP_([A-Z0-9_]+)\s*=\s*(0x[0-9a-fA-F]+|\d+)", self.ifc)}
        if "ACCESS_REG" not in self.opcodes:
            raise RuleError(f"no MLX5_CMD_OP_ACCESS_REG in {IFC}: not an mlx5 tree?")
        self.values = {
            "register_id": self._enum(driver, "MLX5_REG_"),
            "obj_type": {**self._enum(self.ifc, "MLX5_OBJ_TYPE_"),
                         **self._enum(self.ifc, "MLX5_GENERAL_OBJECT_TYPES_")},
        }

    @staticmethod
    def _enum(text, prefix):
        out = {}
        for name, val in re.findall(
                r"\b" + prefix + r"([A-Z0-9_]+)\s*=\s*(0x[0-9a-fA-F]+|\d+)\s*,", text):
            out.setdefault(name, int(val, 0))
        return out

    def opcode(self, word):
        w = word.upper()
        if w.startswith("MLX5_CMD_OP_"):
            w = w[len("MLX5_CMD_OP_"):]
        if w in self.opcodes:
            return w, self.opcodes[w]
        try:
            v = int(word, 0)
        except ValueError:
            raise RuleError(f"unknown opcode {word!r}") from None
        if not 0 <= v <= 0xffff:
            raise RuleError(f"opcode {word} is not 16 bits")
        names = [n for n, o in self.opcodes.items() if o == v]
        return (names[0] if len(names) == 1 else None), v

    def layout(self, opname):
        """Fields of the command's input layout: name -> (bit offset, bits)."""
        sname = LAYOUT_OF.get(opname, opname.lower() + "_in")
        m = re.search(r"struct mlx5_ifc_" + sname + r"_bits \{(.*?)\n\};",
                      self.ifc, re.S)
        if not m:
            raise RuleError(f"no struct mlx5_ifc_{sname}_bits in {IFC}")
        fields, bit = {}, 0
        for line in m.group(1).splitlines():
            line = line.strip()
            if line.startswith(("union", "struct")):
                break   # a nested layout: the fields before it are enough
            f = re.match(r"u8\s+(\w+)\[(0x[0-9a-fA-F]+|\d+)\];", line)
            if f:
                n = int(f.group(2), 0)
                if not f.group(1).startswith("reserved_at_"):
                    fields[f.group(1)] = (bit, n)
                bit += n
        return fields

    def value(self, field, word):
        try:
            return int(word, 0)
        except ValueError:
            pass
        names = self.values.get(field, {})
        w = word.upper()
        for prefix in ("MLX5_REG_", "MLX5_OBJ_TYPE_", "MLX5_GENERAL_OBJECT_TYPES_"):
            if w.startswith(prefix):
                w = w[len(prefix):]
        if w in names:
            return names[w]
        raise RuleError(f"unknown value {word!r} for {field}")


def field_test(bit, bits, value, mask=None):
    """A big-endian field at a bit offset as (offset, width, mask, value)."""
    first, last = bit // 8, (bit + bits - 1) // 8
    width = next(w for w in (1, 2, 4, 8) if w >= last - first + 1)
    shift = width * 8 - (bit - first * 8) - bits
    if shift < 0:
        raise RuleError(f"a field of {bits} bits at bit {bit} spans more than 8 bytes")
    full = (1 << bits) - 1
    if mask is None:
        mask = full
    if value & ~full or mask & ~full:
        raise RuleError(f"value 0x{value:x} or mask 0x{mask:x} wider than the field's {bits} bits")
    return first, width, mask << shift, (value & mask) << shift


def parse_line(words, names):
    if len(words) < 2:
        raise RuleError("a rule needs a family and an opcode")
    if words[0] not in FAMILIES:
        raise RuleError(f"unknown family {words[0]!r} (known: {', '.join(FAMILIES)})")
    opname, opcode = names.opcode(words[1])
    rule = {"family": FAMILIES[words[0]], "opcode": opcode, "op_mod": None,
            "fields": [], "ctx": []}
    rest = words[2:]
    if "label" in rest:
        i = rest.index("label")
        rest, labels = rest[:i], rest[i + 1:]
        if not labels:
            raise RuleError("'label' needs at least one LSM=CONTEXT")
        for lab in labels:
            lsm, sep, ctx = lab.partition("=")
            if not sep or not ctx:
                raise RuleError(f"label {lab!r} is not LSM=CONTEXT")
            if lsm not in LSM_IDS:
                raise RuleError(f"unknown LSM {lsm!r}")
            if any(c[0] == LSM_IDS[lsm] for c in rule["ctx"]):
                raise RuleError(f"two contexts for {lsm}")
            rule["ctx"].append((LSM_IDS[lsm], ctx))
    layout = None
    for w in rest:
        key, sep, val = w.partition("=")
        if not sep or not val:
            raise RuleError(f"{w!r} is not NAME=VALUE")
        val, _, mask = val.partition("/")
        if key == "op_mod":
            known = OP_MOD_NAMES.get(opname, {})
            v = known[val] if val in known else names.value("op_mod", val)
            if not 0 <= v <= 0xffff:
                raise RuleError(f"op_mod {val} is not 16 bits")
            rule["op_mod"] = v
            continue
        raw = re.fullmatch(r"@(\d+|0x[0-9a-fA-F]+):([1248])(le)?", key)
        if raw:
            off, width = int(raw.group(1), 0), int(raw.group(2))
            v = int(val, 0)
            m = int(mask, 0) if mask else (1 << (8 * width)) - 1
            rule["fields"].append((off, width, FIELD_LE if raw.group(3) else 0, m, v & m))
            if v & ~m:
                raise RuleError(f"value {val} has bits outside the mask")
            continue
        if opname is None:
            raise RuleError(f"opcode {words[1]} has no name, so no named fields: use @OFF:W")
        if layout is None:
            layout = names.layout(opname)
        if key not in layout:
            raise RuleError(f"{opname} has no field {key!r} (fields: {', '.join(layout)})")
        bit, bits = layout[key]
        m = int(mask, 0) if mask else None
        off, width, fm, fv = field_test(bit, bits, names.value(key, val), m)
        rule["fields"].append((off, width, 0, fm, fv))
    check_rule(rule)
    return rule


def check_rule(rule):
    """The kernel's checks, so that an error shows here with its line."""
    if len(rule["fields"]) > MAX_FIELDS:
        raise RuleError(f"more than {MAX_FIELDS} field tests")
    if len(rule["ctx"]) > MAX_CTX:
        raise RuleError(f"more than {MAX_CTX} contexts")
    for off, width, _, mask, value in rule["fields"]:
        if off + width > MAX_OFFSET:
            raise RuleError(f"field at byte {off} ends past the {MAX_OFFSET}-byte limit")
        if not mask or mask >> (8 * width) or value & ~mask:
            raise RuleError(f"bad mask 0x{mask:x} for a {width}-byte field")


def parse_text(text, names):
    rules = []
    lines = text.replace("\\\n", " ").splitlines()
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            rules.append(parse_line(shlex.split(line), names))
        except (RuleError, ValueError) as e:
            raise RuleError(f"line {n}: {e}") from None
    if len(rules) > MAX_RULES:
        raise RuleError(f"{len(rules)} rules, more than {MAX_RULES}")
    return rules


def _ctx_bytes(lsm_id, ctx):
    data = ctx.encode() + b"\0"
    total = (32 + len(data) + 7) // 8 * 8
    return struct.pack("=QQQQ", lsm_id, 0, total, len(data)) + data.ljust(total - 32, b"\0")


def encode(rules):
    body = b""
    for r in rules:
        fields = b"".join(struct.pack("=IBBHQQ", off, w, fl, 0, m, v)
                          for off, w, fl, m, v in r["fields"])
        ctx = b"".join(_ctx_bytes(i, c) for i, c in r["ctx"])
        flags = RULE_OP_MOD if r["op_mod"] is not None else 0
        length = 16 + len(fields) + len(ctx)
        body += struct.pack("=IHHHHBBH", length, r["family"], r["opcode"],
                            r["op_mod"] or 0, flags, len(r["fields"]),
                            len(r["ctx"]), 0) + fields + ctx
    out = struct.pack("=IIII", MAGIC, VERSION, 16 + len(body), len(rules)) + body
    if len(out) > MAX_LEN:
        raise RuleError(f"the set is {len(out)} bytes, more than {MAX_LEN}")
    return out


def decode(data):
    if len(data) < 16:
        raise RuleError("shorter than a header")
    magic, version, length, count = struct.unpack_from("=IIII", data)
    if magic != MAGIC or version != VERSION or length != len(data):
        raise RuleError("not a version 1 rule set")
    rules, p = [], 16
    for _ in range(count):
        length, fam, opcode, op_mod, flags, nf, nc, _ = struct.unpack_from("=IHHHHBBH", data, p)
        q = p + 16
        fields = []
        for _ in range(nf):
            off, w, fl, _, m, v = struct.unpack_from("=IBBHQQ", data, q)
            fields.append((off, w, fl, m, v))
            q += 24
        ctx = []
        for _ in range(nc):
            lsm, _, clen, dlen = struct.unpack_from("=QQQQ", data, q)
            ctx.append((lsm, data[q + 32:q + 32 + dlen].rstrip(b"\0").decode()))
            q += clen
        rules.append({"family": fam, "opcode": opcode,
                      "op_mod": op_mod if flags & RULE_OP_MOD else None,
                      "fields": fields, "ctx": ctx})
        p += length
    return rules


def to_text(rules):
    fam = {v: k for k, v in FAMILIES.items()}
    lsm = {v: k for k, v in LSM_IDS.items()}
    lines = []
    for r in rules:
        words = [fam.get(r["family"], str(r["family"])), f"0x{r['opcode']:04x}"]
        if r["op_mod"] is not None:
            words.append(f"op_mod=0x{r['op_mod']:x}")
        for off, w, fl, m, v in r["fields"]:
            words.append(f"@{off}:{w}{'le' if fl & FIELD_LE else ''}=0x{v:x}/0x{m:x}")
        if r["ctx"]:
            words.append("label")
            words += [f"{lsm.get(i, i)}={shlex.quote(c)}" for i, c in r["ctx"]]
        lines.append(" ".join(words))
    return "\n".join(lines) + ("\n" if lines else "")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compile")
    c.add_argument("rules")
    c.add_argument("-o", "--output", required=True)
    d = sub.add_parser("decode")
    d.add_argument("set")
    f = sub.add_parser("fields")
    f.add_argument("opcode")
    for p in (c, d, f):
        p.add_argument("--tree", default=os.environ.get("FWLSM_TREE", "build/linux"),
                       help="the kernel tree whose mlx5 names are used")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "compile":
            with open(a.rules, encoding="utf-8") as fh:
                data = encode(parse_text(fh.read(), Mlx5Names(a.tree)))
            with open(a.output, "wb") as fh:
                fh.write(data)
        elif a.cmd == "decode":
            with open(a.set, "rb") as fh:
                sys.stdout.write(to_text(decode(fh.read())))
        else:
            names = Mlx5Names(a.tree)
            opname, opcode = names.opcode(a.opcode)
            if opname is None:
                raise RuleError(f"opcode {a.opcode} has no name")
            for name, (bit, bits) in names.layout(opname).items():
                print(f"{name:24} bit {bit:4} width {bits:3}  (byte {bit // 8})")
    except (RuleError, OSError, struct.error) as e:
        print(f"fwcmd-rules: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
