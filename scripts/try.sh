#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make try POLICY=FILE DOMAIN=TYPE [LABEL=TYPE]: try a policy writer's
# rules against the emulated device before they meet hardware.  FILE holds
# rules in policy.conf syntax, added to the test policy (policy/test.conf)
# before its role statements; the guest loads the result, labels the
# device nodes LABEL (fw_dev_t) and sends a fixed set of fwctl and DEVX
# commands from DOMAIN, printing what happened to each.
#   try.sh [--no-build] [--check] POLICY DOMAIN [LABEL]
# --no-build uses what make check built; --check also compares the output
# with what policy/try/example.conf must give (for make check).
. "$(dirname "$0")/lib.sh"

build=1 check=
while [ $# -gt 0 ]; do
	case "$1" in
	--no-build) build=; shift ;;
	--check) check=1; shift ;;
	*) break ;;
	esac
done
policy=${1:-}
domain=${2:-}
label=${3:-fw_dev_t}
[ -n "$policy" ] && [ -n "$domain" ] ||
	die "usage: make try POLICY=FILE DOMAIN=TYPE [LABEL=TYPE] (example: make try POLICY=policy/try/example.conf DOMAIN=fwdiag_t)"
[ -f "$policy" ] || die "POLICY=$policy: no such file"
for n in "$domain" "$label"; do
	[[ $n =~ ^[a-z][a-z0-9_]*$ ]] || die "'$n' is not an SELinux type name"
done

share=$FWLSM_BUILD/try-share
rm -rf "$share"
mkdir -p "$share"
policy_with_rules "$policy" "$share/try.conf"
if ! msg=$(checkpolicy -U allow -c 33 -o "$share/try.policy" "$share/try.conf" 2>&1); then
	printf '%s\n' "$msg" | grep -v 'No context assigned to SID' >&2
	die "POLICY=$policy does not compile with the test policy (checkpolicy's message above; line numbers are in $share/try.conf)"
fi
for t in "$domain" "$label"; do
	seinfo -t "$t" "$share/try.policy" 2>/dev/null | grep -qw "$t" ||
		die "the policy has no type $t"
done
printf 'DOMAIN=%s\nLABEL=%s\n' "$domain" "$label" > "$share/try.env"

[ -z "$build" ] || "$FWLSM_TOP/scripts/prepare-guest.sh"
run=$FWLSM_BUILD/try
if [ -z "$check" ]; then
	FWLSM_APPEND="fwlsm.try loglevel=4" \
		"$FWLSM_TOP/scripts/run-guest.sh" --show --share "$share" "$run"
	exit
fi
FWLSM_APPEND="fwlsm.try loglevel=4" \
	"$FWLSM_TOP/scripts/run-guest.sh" --share "$share" "$run" > "$run.log" 2>&1 ||
	{ ledger FAIL try:boot "see $run.log"; exit 0; }
# What policy/try/example.conf allows fwdiag_t, and what it does not.
out=$(tr -d '\r' < "$run/console.log")
while IFS='|' read -r name line; do
	if grep -qxF "try: $line" <<<"$out"; then
		ledger PASS "try:$name"
	else
		ledger FAIL "try:$name" "no line 'try: $line' (see $run/console.log)"
	fi
done <<'LINES'
fwctl-debug_read-allowed-opcode|fwctl debug_read opcode 0x0100: served, reached the firmware, 0 AVC record(s)
fwctl-config-scope-refused|fwctl config opcode 0x0100: refused (exit 1), did not reach the firmware, 1 AVC record(s)
fwctl-debug_read-other-opcode-refused|fwctl debug_read opcode 0x010a: refused (exit 1), did not reach the firmware, 1 AVC record(s)
devx-allowed-opcode|DEVX_OTHER opcode 0x0101: served, reached the firmware, 0 AVC record(s)
devx-other-opcode-refused|DEVX_OTHER opcode 0x010a: refused (exit 13), did not reach the firmware, 1 AVC record(s)
done|done
LINES
