#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit tests of the host-side tools (no kernel, no QEMU): one ledger line per
# test case.
. "$(dirname "$0")/lib.sh"

out=$(cd "$FWLSM_TOP" && python3 -m unittest discover -v -s tests -p 'test_*.py' 2>&1) || true
n=0
while read -r line; do
	if [[ $line =~ ^(test[A-Za-z0-9_]+)\ \(([A-Za-z0-9_.]+)\)(\ .*)?\ \.\.\.\ (ok|FAIL|ERROR|skipped.*)$ ]]; then
		cls=${BASH_REMATCH[2]%".${BASH_REMATCH[1]}"}
		name="host:${cls#*.}.${BASH_REMATCH[1]}"
		case "${BASH_REMATCH[4]}" in
		ok) ledger PASS "$name" ;;
		skipped*) ledger SKIP "$name" "${BASH_REMATCH[4]}" ;;
		*) ledger FAIL "$name" "${BASH_REMATCH[4]}" ;;
		esac
		n=$((n + 1))
	fi
done <<<"$out"
if [ "$n" = 0 ] || grep -qE '^(FAILED|ERROR)' <<<"$out"; then
	printf '%s\n' "$out" | tail -n 40 >&2
	[ "$n" = 0 ] && ledger FAIL host-tests "no test case ran"
fi
log "host unit tests: $n cases"

# The emulator's own unit tests (command parsing, mailbox chains, EQ
# ownership, malformed vfio-user messages): TAP, one ledger line each.
m=0
if ! "$FWLSM_TOP/scripts/build-emu.sh" test > "$FWLSM_BUILD/emu-test.log" 2>&1; then
	ledger FAIL emu-tests "see $FWLSM_BUILD/emu-test.log"
fi
while read -r line; do
	if [[ $line =~ ^(not\ ok|ok)\ [0-9]+\ -?\ ?(.*)$ ]]; then
		name="emu:${BASH_REMATCH[2]// /_}"
		if [ "${BASH_REMATCH[1]}" = ok ]; then ledger PASS "$name"; else ledger FAIL "$name"; fi
		m=$((m + 1))
	fi
done < "$FWLSM_BUILD/emu-test.log"
[ "$m" -gt 0 ] || ledger FAIL emu-tests "no test case ran (see $FWLSM_BUILD/emu-test.log)"
log "emulator unit tests: $m cases"

# The same tests once more under AddressSanitizer and UBSan: one ledger
# line, since the cases are the ones counted above.
if "$FWLSM_TOP/scripts/build-emu.sh" test-asan > "$FWLSM_BUILD/emu-test-asan.log" 2>&1 &&
   ! grep -q '^not ok' "$FWLSM_BUILD/emu-test-asan.log" &&
   ! grep -q 'ERROR: AddressSanitizer\|runtime error:' "$FWLSM_BUILD/emu-test-asan.log"; then
	ledger PASS emu-tests-asan-ubsan "$(grep -c '^ok' "$FWLSM_BUILD/emu-test-asan.log") cases"
else
	ledger FAIL emu-tests-asan-ubsan "see $FWLSM_BUILD/emu-test-asan.log"
fi

# The emulator's fuzzers (emu/fuzz/, libFuzzer with ASan and UBSan), a short
# run of each target from its seeds; `make fuzz` runs them longer.  One
# ledger line per target.
FWLSM_FUZZ_RUNS=20000 FWLSM_FUZZ_SEED=1 "$FWLSM_TOP/scripts/fuzz-emu.sh" ||
	ledger FAIL emu-fuzz "scripts/fuzz-emu.sh stopped (exit status $?)"
