#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check a distribution policy compiled with the policy writers' kit.

Reads the binary policies with setools (Debian's python3-setools, the
library under sesearch and seinfo) and prints one line per check:
"PASS name detail" or "FAIL name detail".
"""
import argparse
import re
import subprocess
import sys

import setools

CLASSES = {
    "fwctl": {"rpc_config", "rpc_debug_read", "rpc_debug_write", "rpc_debug_write_full"},
    "mlx5_fwctl_cmd": {"ioctl"},
    "mlx5_fwctl_tunnel_cmd": {"ioctl"},
    "mlx5_devx_cmd": {"ioctl"},
    "mlx5_devx_tunnel_cmd": {"ioctl"},
}
# The device node types of the two interfaces.
FWCTL_DEV = "fwctl_device_t"
UVERBS_DEV = "infiniband_device_t"
UNCONFINED = ("unconfined_domain_type", "devices_unconfined_type")

results = []


def check(name, ok, detail=""):
    results.append(("PASS" if ok else "FAIL", name, detail))


def m4_sets(path):
    """Name -> set of opcodes of every define of the m4 file."""
    sets = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"define\(`(\w+)', `(.*)'\)$", line.strip())
            if not m:
                continue
            vals = set()
            for item in m.group(2).strip("{} ").split():
                lo, _, hi = item.partition("-")
                vals.update(range(int(lo, 16), int(hi or lo, 16) + 1))
            sets[m.group(1)] = vals
    return sets


class Rules:
    """The allow and allowxperm rules of the kit's classes, with their
    attributes expanded: one pass over the policy instead of a query per
    (domain, type, class)."""

    def __init__(self, p):
        self.rules = []
        for r in p.terules():
            if str(r.tclass) not in CLASSES or str(r.ruletype) not in ("allow", "allowxperm"):
                continue
            self.rules.append((str(r.ruletype), {str(t) for t in r.source.expand()},
                               {str(t) for t in r.target.expand()}, str(r.tclass),
                               set(r.perms)))

    def get(self, kind, src, tgt, cls):
        out = None
        for rt, s, t, c, perms in self.rules:
            if rt == kind and c == cls and src in s and tgt in t:
                out = (out or set()) | {str(x) if kind == "allow" else x for x in perms}
        return out


def allowed(rules, src, tgt, cls):
    return rules.get("allow", src, tgt, cls) or set()


def xperms(rules, src, tgt, cls):
    """The opcodes of allowxperm rules, or None if there is none."""
    return rules.get("allowxperm", src, tgt, cls)


def fmt(vals):
    return " ".join(f"0x{v:04x}" for v in sorted(vals)[:8]) + (" ..." if len(vals) > 8 else "")


def check_classes(p):
    for cls, perms in CLASSES.items():
        try:
            got = {str(x) for x in p.lookup_class(cls).perms}
        except setools.exception.InvalidClass:
            got = None
        check(f"class-{cls}", got == perms, f"permissions {sorted(got or [])}")


def check_file_contexts(fc):
    """The device nodes get their types from the file contexts, as
    restorecon would give them (matchpathcon, libselinux's lookup: the
    base policy's /dev/fw.* FireWire entry must not win)."""
    for path, want in (("/dev/fwctl/fwctl0", FWCTL_DEV), ("/dev/infiniband/uverbs0", UVERBS_DEV)):
        p = subprocess.run(["matchpathcon", "-m", "chr_file", "-f", fc, path],
                           capture_output=True, text=True, check=False)
        got = p.stdout.split()[1] if p.returncode == 0 and len(p.stdout.split()) > 1 else p.stderr.strip()
        check(f"file-context-{path.replace('/', '_').strip('_')}",
              got.split(":")[2:3] == [want], got)


def check_unconfined(p, rules):
    """Every permission of every new class on both device node types for
    the unconfined domains, and no allowxperm rule that would narrow
    their opcodes."""
    types = set()
    for attr in UNCONFINED:
        types |= {str(t) for t in p.lookup_typeattr(attr).expand()}
    bad = []
    for t in sorted(types):
        for cls, perms in CLASSES.items():
            for dev in (FWCTL_DEV, UVERBS_DEV):
                if allowed(rules, t, dev, cls) != perms:
                    bad.append(f"{t} {dev}:{cls}")
                if perms == {"ioctl"} and xperms(rules, t, dev, cls) is not None:
                    bad.append(f"{t} {dev}:{cls} has allowxperm")
    check("unconfined-domains-keep-everything", bool(types) and not bad,
          f"{len(types)} domains" if not bad else "; ".join(bad[:5]))
    got = set()
    for cls in CLASSES:
        got |= allowed(rules, "user_t", FWCTL_DEV, cls)
    check("confined-user_t-gets-nothing", not got, f"{sorted(got)}")


def refpolicy_main(a):
    p = setools.SELinuxPolicy(a.refpolicy)
    check_classes(p)
    check_file_contexts(a.fc)
    check_unconfined(p, Rules(p))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base")
    ap.add_argument("--kit")
    ap.add_argument("--refpolicy", help="check a reference policy build instead")
    ap.add_argument("--fc", required=True)
    ap.add_argument("--opcodes")
    ap.add_argument("--te", action="store_true")
    a = ap.parse_args()
    if a.refpolicy:
        refpolicy_main(a)
        for status, name, detail in results:
            print(status, name, detail)
        return 0 if all(s == "PASS" for s, _, _ in results) else 1
    base = setools.SELinuxPolicy(a.base)
    kit = setools.SELinuxPolicy(a.kit)
    sets = m4_sets(a.opcodes)
    rules = Rules(kit)

    check_classes(kit)
    for cls in CLASSES:
        in_base = True
        try:
            base.lookup_class(cls)
        except setools.exception.InvalidClass:
            in_base = False
        check(f"class-{cls}-not-in-debian-base", not in_base)

    with open(a.fc, encoding="utf-8") as f:
        fc = f.read().splitlines()
    want = f"/dev/fwctl/.*\t-c\tsystem_u:object_r:{FWCTL_DEV}:s0"
    check("file-context-dev-fwctl", want in fc, repr(want))
    check_file_contexts(a.fc)

    # Installing the kit changes nothing for the unconfined domains.
    check_unconfined(kit, rules)

    # The kit only adds: every rule of Debian's policy is still there.
    base_rules = {str(r) for r in base.terules()}
    kit_rules = {str(r) for r in kit.terules()}
    missing = base_rules - kit_rules
    check("kit-only-adds-rules", not missing,
          f"{len(base_rules)} rules of Debian's policy kept" if not missing
          else f"{len(missing)} lost, e.g. {sorted(missing)[0]}")

    # The CIL example: read-only debug scope, what fwctl accepts there.
    want = sets["mlx5_fwctl_debug_read_opcodes"]
    got = xperms(rules, "fwdiag_t", FWCTL_DEV, "mlx5_fwctl_cmd")
    check("example-cil-scopes", allowed(rules, "fwdiag_t", FWCTL_DEV, "fwctl") == {"rpc_debug_read"},
          f"{sorted(allowed(rules, 'fwdiag_t', FWCTL_DEV, 'fwctl'))}")
    check("example-cil-named-set-is-the-m4-set", got == want,
          f"{len(got or ())} opcodes, m4 set has {len(want)}")
    check("example-cil-no-tunnel",
          not allowed(rules, "fwdiag_t", FWCTL_DEV, "mlx5_fwctl_tunnel_cmd"))

    if a.te:
        want = sets["mlx5_fwctl_config_opcodes"] | sets["MLX5_CMD_OP_QUERY_ISSI"]
        got = xperms(rules, "fwdiag_te_t", FWCTL_DEV, "mlx5_fwctl_cmd") or set()
        check("te-module-m4-names", got == want,
              f"{fmt(got)} (extra {fmt(got - want)}, missing {fmt(want - got)})")
        check("te-module-scopes",
              allowed(rules, "fwdiag_te_t", FWCTL_DEV, "fwctl") == {"rpc_config"})

    for status, name, detail in results:
        print(status, name, detail)
    return 0 if all(s == "PASS" for s, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
