#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-series: the slow build checks of the series.  Builds the kernel
# at every patch in order (bisectability), then the final tree with
# CONFIG_SECURITY=n and with CONFIG_SECURITY_SELINUX=n, each in its own
# build directory, then Debian's config with gcc-14 (build-debian.sh) and
# the guest kernel with LLVM=1 and Rust (llvm-check.sh).  Ends with "N
# passed, N failed".
. "$(dirname "$0")/lib.sh"

export FWLSM_LEDGER=$FWLSM_BUILD/results/series-ledger
rm -f "$FWLSM_LEDGER"
t0=$SECONDS
"$FWLSM_TOP/scripts/tree.sh"
"$FWLSM_TOP/scripts/build-kernel.sh" --each || true
for v in "$FWLSM_TOP"/kernel/variants/*.config; do
	name=$(basename "$v" .config)
	start=$SECONDS
	if FWLSM_CONFIG_VARIANT=$v FWLSM_KBUILD=$FWLSM_BUILD/kbuild-$name \
		"$FWLSM_TOP/scripts/build-kernel.sh"; then
		ledger PASS "build-variant:$name" "$((SECONDS - start)) s"
	else
		ledger FAIL "build-variant:$name" "see $FWLSM_BUILD/kbuild-$name/build.log"
	fi
done
"$FWLSM_TOP/scripts/build-debian.sh" || ledger FAIL "debian:build" "build-debian.sh stopped (see above)"
"$FWLSM_TOP/scripts/llvm-check.sh" || ledger FAIL "llvm:build" "llvm-check.sh stopped (see above)"
log "check-series took $((SECONDS - t0)) s"
python3 "$FWLSM_TOP/scripts/results.py" -v --ledger "$FWLSM_LEDGER"
