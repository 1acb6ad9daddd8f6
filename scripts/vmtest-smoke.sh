#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the series' tools/testing/selftests/fwctl_lsm/vmtest.sh the way its
# header says, once: virtme-ng and QEMU from the QEMU tree (guest/qemu.pin),
# the guest kernel, the selftests as installed for the "ksft" boots
# (scripts/ksft-guest.sh), Debian's policy with the kit and fwctl_lsm.cil,
# and this repository's emulator named by FWCTL_LSM_EMU.  One ledger line
# per KTAP result, and the guest console is checked for kernel reports.
. "$(dirname "$0")/lib.sh"

tsuite=$(pin_get TREE_SUITE "$FWLSM_TOP/guest/qemu.pin")
root=$FWLSM_CACHE/qemu-$tsuite
share=${1:-$FWLSM_BUILD/ksft-share}
out=$FWLSM_BUILD/vmtest
kernel=${FWLSM_VMTEST_KERNEL:-$FWLSM_KBUILD/arch/x86/boot/bzImage}
script=${FWLSM_VMTEST_SCRIPT:-$FWLSM_TREE/tools/testing/selftests/fwctl_lsm/vmtest.sh}
[ -f "$root/.fwlsm-complete" ] || die "QEMU tree $root is missing: run 'make qemu'"
[ -x "$script" ] || die "the work tree has no $script"
[ -f "$share/selftests.policy" ] || die "no $share/selftests.policy: run scripts/ksft-guest.sh"
rm -rf "$out"
mkdir -p "$out"
start=$SECONDS
rc=0
# /dev/kvm exists on the machines this runs on but cannot run guests.
FWCTL_LSM_EMU=$FWLSM_BUILD/emu/mlx5-emu FWCTL_LSM_POLICY=$share/selftests.policy \
VNG_OPTS=${FWLSM_VNG_OPTS:---disable-kvm} \
	timeout 900 bash -c '. "$1"; shift; in_tree "$@"' sh "$FWLSM_TOP/scripts/lib.sh" "$root" \
	"$script" -v -k "$kernel" -o "$share/ksft/fwctl_lsm" -q /usr/bin/qemu-system-x86_64 \
	> "$out/ktap.log" 2> "$out/console.log" || rc=$?
secs=$((SECONDS - start))
n=0
while read -r line; do
	if [[ $line =~ ^(not\ ok|ok)\ [0-9]+\ (.*)$ ]]; then
		name="vmtest:${BASH_REMATCH[2]%% (*}"
		name=${name// /_}
		if [ "${BASH_REMATCH[1]}" = ok ]; then ledger PASS "$name"; else ledger FAIL "$name" "see $out/ktap.log"; fi
		n=$((n + 1))
	fi
done < "$out/ktap.log"
if [ "$rc" = 0 ] && [ "$n" = 4 ]; then
	ledger PASS "vmtest:exit-status" "vmtest.sh passed, $n results, in $secs s"
else
	tail -n 20 "$out/ktap.log" "$out/console.log" >&2
	ledger FAIL "vmtest:exit-status" "vmtest.sh exited $rc with $n of 4 results (see $out)"
fi
