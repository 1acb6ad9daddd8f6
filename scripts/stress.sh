#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make stress: boot the guest with kmemleak=on and run guest/fwstress.c's
# stress, fuzz, TOCTOU and fault-injection runs at full size
# (guest/tests-stressfull.list), then check the kernel log and the runs'
# TAP.  Prints "N passed, N failed" and fails if any check did.
#
#   scripts/stress.sh [--short] [--seed N]
#
# --short: the small runs of guest/tests-stress.list, for make check, which
# parses the results itself (nothing is printed or checked here then).
# FWLSM_SEED (or --seed) replays a run with another seed; the runs print
# theirs.
. "$(dirname "$0")/lib.sh"

list=stressfull
seed=${FWLSM_SEED:-1}
while [ $# -gt 0 ]; do
	case "$1" in
	--short) list=stress; shift ;;
	--seed) seed=$2; shift 2 ;;
	*) die "usage: stress.sh [--short] [--seed N]" ;;
	esac
done
case "$seed" in ''|*[!0-9]*) die "--seed wants a number, not '$seed'" ;; esac
run=$FWLSM_BUILD/run-$list

if [ $list = stressfull ]; then
	"$FWLSM_TOP/scripts/prepare-guest.sh"
	limit=${FWLSM_GUEST_TIMEOUT:-5400}
	timeout=3600
else
	limit=${FWLSM_GUEST_TIMEOUT:-900}
	timeout=300
fi
t0=$SECONDS
FWLSM_GUEST_TIMEOUT=$limit \
FWLSM_APPEND="kmemleak=on fwlsm.seed=$seed fwlsm.timeout=$timeout ${FWLSM_APPEND:-}" \
	"$FWLSM_TOP/scripts/run-guest.sh" --tests "$list" "$run" || rc=$?
log "stress boot ($list, seed $seed): $((SECONDS - t0)) s"
# the figures, for the README and the note
grep -a '^# fwlsm-test-time\|^ok \|^not ok \|^# opcode\|^# delivered\|^# fwctl\|^# devx\|^# faults' \
	"$run/tests.log" 2>/dev/null || true
[ $list = stress ] && exit "${rc:-0}"

results=$FWLSM_BUILD/results-stress
rm -rf "$results"
mkdir -p "$results"
: > "$results/ledger"
[ -z "${rc:-}" ] || echo "FAIL stress-boot the guest did not finish (see above)" >> "$results/ledger"
python3 "$FWLSM_TOP/scripts/results.py" --ledger "$results/ledger" \
	--benign "$FWLSM_TOP/guest/benign.list" \
	--benign-for stress "$FWLSM_TOP/guest/benign-stress.list" \
	--extra-boot "$run" "$FWLSM_TOP/guest/tests-stressfull.list" stress
