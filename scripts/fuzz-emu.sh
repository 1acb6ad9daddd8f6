#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The emulated ConnectX under libFuzzer with ASan and UBSan (emu/fuzz/):
# each target for FWLSM_FUZZ_RUNS executions (default 500,000) from the
# generated seeds with seed FWLSM_FUZZ_SEED (default 1), one ledger line per
# target.  A target passes only if it built, ran every execution and the
# fuzzer reported no crash, sanitizer report, leak or timeout.
. "$(dirname "$0")/lib.sh"

runs=${FWLSM_FUZZ_RUNS:-500000}
seed=${FWLSM_FUZZ_SEED:-1}
targets=(vfu cmd)
logs=$FWLSM_BUILD/emu-fuzz
fz=$FWLSM_BUILD/emu/fuzz	# the emu Makefile's $(O)/fuzz
mkdir -p "$logs"
# (seed 0 would be libFuzzer's "pick one at random")
if ! [[ $runs =~ ^[1-9][0-9]*$ && $seed =~ ^[1-9][0-9]*$ ]]; then
	for t in "${targets[@]}"; do
		ledger FAIL "emu-fuzz:$t" "FWLSM_FUZZ_RUNS ('$runs') and FWLSM_FUZZ_SEED ('$seed') must be positive numbers"
	done
	exit 0
fi

rc=0
"$FWLSM_TOP/scripts/build-emu.sh" fuzz-build > "$logs/build.log" 2>&1 || rc=$?
if [ "$rc" != 0 ]; then
	tail -n 20 "$logs/build.log" >&2
	for t in "${targets[@]}"; do
		ledger FAIL "emu-fuzz:$t" "the fuzzers did not build (see $logs/build.log)"
	done
	exit 0
fi

# field NAME FILE: the number after "NAME: " on the fuzzer's final DONE line
# ("#N  DONE   cov: C ft: F corp: U/SIZE lim: L exec/s: E rss: R"), or ""
field()
{
	grep -E '^#[0-9]+[[:space:]]+DONE' "$2" 2>/dev/null | tail -n 1 |
		sed -n "s/.* $1: \([^ ]*\).*/\1/p" || true
}

for t in "${targets[@]}"; do
	out="$logs/$t.log"
	flog="$logs/$t.fuzzer.log"
	rm -f "$fz/$t.log" "$flog"
	start=$(date +%s.%N)
	rc=0
	"$FWLSM_TOP/scripts/build-emu.sh" "fuzz-$t" FUZZ_RUNS="$runs" FUZZ_SEED="$seed" \
		> "$out" 2>&1 || rc=$?
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	# the fuzzer's own log, which the Makefile writes
	if [ -f "$fz/$t.log" ]; then cp "$fz/$t.log" "$flog"; else : > "$flog"; fi
	done_runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$flog" | tail -n 1)
	cov=$(field cov "$flog")
	ft=$(field ft "$flog")
	corp=$(field corp "$flog")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\).*/\1/p' "$flog")
	summary="$runs runs (seed $seed) in ${secs} s, ${eps:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"
	log "fuzz-$t: $summary"
	if [ "$rc" = 0 ] && [ "$done_runs" = "$runs" ] && [[ $cov =~ ^[1-9][0-9]*$ ]] &&
	   ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$flog"; then
		ledger PASS "emu-fuzz:$t" "$summary"
	else
		tail -n 30 "$out" >&2
		ledger FAIL "emu-fuzz:$t" "exit status $rc after ${secs} s, ${done_runs:-no} runs of $runs (see $out, $flog and $fz/crashes/$t/)"
	fi
done
