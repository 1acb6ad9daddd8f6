#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The audit2allow round trip, host side: take the AVC records that
# guest/roundtrip.sh printed in the main boot (RUNDIR/tests.log), run
# Debian's audit2allow -x on them as a policy writer would, add the rules it
# writes to the test policy and compile that into SHAREDIR/rt.policy, which
# the second boot loads (guest/roundtrip.sh allow).  One ledger line per
# step; SHAREDIR is left without rt.policy if a step fails, so that the
# second boot's half fails rather than passes on a stale policy.
#   roundtrip.sh RUNDIR SHAREDIR
. "$(dirname "$0")/lib.sh"

run=${1:?usage: roundtrip.sh RUNDIR SHAREDIR}
share=${2:?usage: roundtrip.sh RUNDIR SHAREDIR}
out=$FWLSM_BUILD/roundtrip
policy=$FWLSM_BUILD/initramfs/fwlsm/policy/test.policy
rm -rf "$out" "$share"
mkdir -p "$out" "$share"
command -v audit2allow >/dev/null || die "audit2allow is missing (package policycoreutils-python-utils): run 'make deps'"

# The records, as the guest read them over the audit netlink socket.
awk '{ sub(/\r$/, "") }
     /^# fwlsm-test-begin roundtrip_deny$/ { f = 1; next }
     /^# fwlsm-test-end roundtrip_deny / { f = 0 }
     f && sub(/^# rt-avc: /, "")' "$run/tests.log" > "$out/avc.txt"
n=$(grep -c 'avc:  denied' "$out/avc.txt" || true)
if [ "$n" != 3 ]; then
	ledger FAIL rt:denials-from-guest "expected 3 AVC records from roundtrip_deny, found $n (see $run/tests.log)"
	exit 0
fi
ledger PASS rt:denials-from-guest "$n AVC records"

# audit2allow needs -p where SELinux is not running: the policy the guest
# enforced, as built for its initramfs.
if [ ! -f "$policy" ]; then
	ledger FAIL rt:audit2allow "no $policy"
	exit 0
fi
sed 's/^/type=AVC msg=/' "$out/avc.txt" > "$out/audit.log"
if ! audit2allow -x -p "$policy" -i "$out/audit.log" > "$out/audit2allow.te" 2> "$out/audit2allow.err"; then
	ledger FAIL rt:audit2allow "audit2allow failed: $(head -c 300 "$out/audit2allow.err")"
	exit 0
fi
# One xperm rule per class, with exactly the refused opcodes: the fwctl
# and DEVX denials must not be merged.
if grep -qx 'allowxperm fw_rt_t fw_dev_t:mlx5_fwctl_cmd ioctl { 0x100 0x10a };' "$out/audit2allow.te" &&
   grep -qx 'allowxperm fw_rt_t fw_dev_t:mlx5_devx_cmd ioctl 0x101;' "$out/audit2allow.te" &&
   [ "$(grep -c '^allowxperm ' "$out/audit2allow.te")" = 2 ]; then
	ledger PASS rt:audit2allow-x-writes-allowxperm-per-class
else
	ledger FAIL rt:audit2allow-x-writes-allowxperm-per-class "unexpected rules: $(grep -v '^#' "$out/audit2allow.te" | grep . | tr '\n' ' ')"
	exit 0
fi

# The test policy with audit2allow's rules.
grep -E '^(allow|allowxperm) ' "$out/audit2allow.te" > "$out/audit2allow.rules"
policy_with_rules "$out/audit2allow.rules" "$out/rt.conf"
if checkpolicy -U allow -c 33 -o "$out/rt.policy" "$out/rt.conf" > "$out/checkpolicy.log" 2>&1; then
	cp "$out/rt.policy" "$share/rt.policy"
	ledger PASS rt:policy-with-audit2allow-rules-compiles
else
	ledger FAIL rt:policy-with-audit2allow-rules-compiles "see $out/checkpolicy.log"
fi
