#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The fwctl_lsm selftests as kernel CI runs them, with the stock kselftest
# runner from the work tree (make -C tools/testing/selftests TARGETS=...
# run_tests), on this host, which has no fwctl or uverbs device: every
# binary must report SKIP, not "ok" and not "not ok".  One ledger line per
# binary.
. "$(dirname "$0")/lib.sh"

out=$FWLSM_BUILD/ksft-host
names=(fwctl_lsm_test fwcmd_selinux_test devx_selinux_test fw_classifier_test)
if [ -e /dev/fwctl/fwctl0 ] || [ -e /dev/infiniband/uverbs0 ]; then
	for n in "${names[@]}"; do
		ledger SKIP "ksft-runner:$n" "this host has the device; the check needs one without"
	done
	exit 0
fi
rm -rf "$out"
mkdir -p "$out"
if ! make -s -C "$FWLSM_TREE" ARCH=x86_64 O="$out" headers > "$out/headers.log" 2>&1 ||
   ! make -s -C "$FWLSM_TREE/tools/testing/selftests" TARGETS=fwctl_lsm O="$out" \
	run_tests > "$out/run.log" 2>&1; then
	ledger FAIL ksft-runner "the stock runner failed (see $out/*.log)"
	exit 0
fi
for n in "${names[@]}"; do
	if grep -qE "^ok [0-9]+ selftests: fwctl_lsm: $n # SKIP$" "$out/run.log"; then
		ledger PASS "ksft-runner:$n-skips-without-device" \
			"$(grep -m1 -A1 "^# selftests: fwctl_lsm: $n$" "$out/run.log" | tail -1 | sed 's/^# //')"
	else
		ledger FAIL "ksft-runner:$n-skips-without-device" "see $out/run.log"
	fi
done
