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
    "mlx5_fwctl_cmd": {"ioctl", "send"},
    "mlx5_fwctl_tunnel_cmd": {"ioctl", "send"},
    "mlx5_devx_cmd": {"ioctl", "send"},
    "mlx5_devx_tunnel_cmd": {"ioctl", "send"},
}
# send is checked against a command's label, never a device node.
LABEL_PERMS = {"send"}
# The device node types of the two interfaces.
FWCTL_DEV = "fwctl_device_t"
UVERBS_DEV = "infiniband_device_t"
# The attribute of every type the classifier's rules use as a label.
LABEL_ATTR = "fwcmd_label"
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
    (domain, type, class).  A target attribute also matches by its own
    name, so that a rule on an attribute without members is seen too."""

    def __init__(self, p):
        self.rules = []
        for r in p.terules():
            if str(r.tclass) not in CLASSES or str(r.ruletype) not in ("allow", "allowxperm"):
                continue
            self.rules.append((str(r.ruletype), {str(t) for t in r.source.expand()},
                               {str(t) for t in r.target.expand()} | {str(r.target)},
                               str(r.tclass),
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


def label_types(p):
    """The members of the label attribute, or None if it is missing."""
    try:
        return {str(t) for t in p.lookup_typeattr(LABEL_ATTR).expand()}
    except setools.exception.InvalidType:
        return None


def check_unconfined(p, rules):
    """For the unconfined domains: every permission of every new class but
    send on both device node types, with no allowxperm rule that would
    narrow their opcodes, and send on the label attribute and on each of
    its members."""
    types = set()
    for attr in UNCONFINED:
        types |= {str(t) for t in p.lookup_typeattr(attr).expand()}
    labels = label_types(p)
    targets = [LABEL_ATTR] + sorted(labels or ())
    bad = [] if labels is not None else [f"no attribute {LABEL_ATTR}"]
    for t in sorted(types):
        for cls, perms in CLASSES.items():
            for dev in (FWCTL_DEV, UVERBS_DEV):
                if allowed(rules, t, dev, cls) != perms - LABEL_PERMS:
                    bad.append(f"{t} {dev}:{cls} {sorted(allowed(rules, t, dev, cls))}")
                if "ioctl" in perms and xperms(rules, t, dev, cls) is not None:
                    bad.append(f"{t} {dev}:{cls} has allowxperm")
            if perms & LABEL_PERMS:
                bad += [f"{t} {lbl}:{cls} no send" for lbl in targets
                        if "send" not in allowed(rules, t, lbl, cls)]
    check("unconfined-domains-keep-everything", bool(types) and not bad,
          f"{len(types)} domains, send on {LABEL_ATTR} ({len(labels)} labels)" if not bad
          else "; ".join(bad[:5]))
    got = set()
    for cls in CLASSES:
        for tgt in [FWCTL_DEV] + targets:
            got |= {f"{tgt}:{cls}:{x}" for x in allowed(rules, "user_t", tgt, cls)}
    check("confined-user_t-gets-nothing", not got, f"{sorted(got)[:5]}")


def setfwrules_rules(p, src):
    """The setfwrules rules on security_t whose source includes src, with
    the booleans they depend on."""
    out = []
    for r in setools.TERuleQuery(p, ruletype=["allow"], tclass=["security"],
                                 perms=["setfwrules"]).results():
        if src in {str(t) for t in r.source.expand()} and \
           "security_t" in {str(t) for t in r.target.expand()}:
            out.append("always" if not r.conditional else
                       f"if ({r.conditional})" if r.conditional_block else
                       f"unless ({r.conditional})")
    return out


def check_setfwrules(p):
    """setfwrules in the security class; the unconfined domains have it
    (unless secure_mode_policyload is on), user_t does not."""
    perms = {str(x) for x in p.lookup_class("security").perms}
    check("class-security-setfwrules", "setfwrules" in perms,
          f"permissions {sorted(perms)}")
    if "setfwrules" not in perms:
        return
    types = {str(t) for t in p.lookup_typeattr("unconfined_domain_type").expand()}
    bad = [t for t in sorted(types) if not setfwrules_rules(p, t)]
    conds = sorted({c for t in types for c in setfwrules_rules(p, t)})
    check("unconfined-domains-setfwrules", bool(types) and not bad,
          f"{len(types)} domains, {', '.join(conds)}" if not bad else " ".join(bad[:5]))
    got = setfwrules_rules(p, "user_t")
    check("confined-user_t-no-setfwrules", not got, " ".join(got))


def check_label(p, rules, name, domain, label):
    """An example's label: a member of the label attribute, on which the
    example's domain may send mlx5_fwctl_cmd commands and nothing else."""
    got = {f"{cls}:{x}" for cls in CLASSES for x in allowed(rules, domain, label, cls)}
    check(name, label in (label_types(p) or ()) and got == {"mlx5_fwctl_cmd:send"},
          f"{label}{'' if label in (label_types(p) or ()) else f' not in {LABEL_ATTR}'}: {sorted(got)}")


def refpolicy_main(a):
    p = setools.SELinuxPolicy(a.refpolicy)
    check_classes(p)
    check_file_contexts(a.fc)
    check_unconfined(p, Rules(p))
    check_setfwrules(p)


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
    # setfwrules cannot come from a module: the kit leaves the security
    # class as it is, and the base policy's handle_unknown decides.
    base_sec = {str(x) for x in base.lookup_class("security").perms}
    kit_sec = {str(x) for x in kit.lookup_class("security").perms}
    if kit_sec != base_sec:
        detail = f"the kit changes it: {sorted(kit_sec ^ base_sec)}"
    elif "setfwrules" in kit_sec:
        detail = "the base policy has setfwrules: fwlsm.cil's comment is out of date"
    else:
        detail = f"no setfwrules, handle_unknown {kit.handle_unknown}"
    check("class-security-as-in-debian-base",
          kit_sec == base_sec and "setfwrules" not in kit_sec, detail)

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
    check_label(kit, rules, "example-cil-label", "fwdiag_t", "mcia_read_fwcmd_t")

    if a.te:
        want = sets["mlx5_fwctl_config_opcodes"] | sets["MLX5_CMD_OP_QUERY_ISSI"]
        got = xperms(rules, "fwdiag_te_t", FWCTL_DEV, "mlx5_fwctl_cmd") or set()
        check("te-module-m4-names", got == want,
              f"{fmt(got)} (extra {fmt(got - want)}, missing {fmt(want - got)})")
        check("te-module-scopes",
              allowed(rules, "fwdiag_te_t", FWCTL_DEV, "fwctl") == {"rpc_config"})
        check_label(kit, rules, "te-module-label", "fwdiag_te_t", "paos_write_fwcmd_t")

    for status, name, detail in results:
        print(status, name, detail)
    return 0 if all(s == "PASS" for s, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
