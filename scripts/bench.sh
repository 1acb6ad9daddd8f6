#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot the patched kernel with the emulated device and time
# FWCTL_RPC round trips with and without an allowxperm rule set (see
# guest/bench.sh).  A benchmark, not a test: it prints figures.
. "$(dirname "$0")/lib.sh"

"$FWLSM_TOP/scripts/prepare-guest.sh"
FWLSM_APPEND="fwlsm.bench loglevel=4" \
	"$FWLSM_TOP/scripts/run-guest.sh" "$FWLSM_BUILD/bench"
grep -a '^round \|^fwlsm-bench:\|^bench:' "$FWLSM_BUILD/bench/console.log"
grep -aq '^fwlsm-bench:' "$FWLSM_BUILD/bench/console.log"
