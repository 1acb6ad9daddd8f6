#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: set up, host unit tests, static checks of the series, build
# every patch in order, boot the guest, parse everything.  The last line is
# always "N passed, N failed".
. "$(dirname "$0")/lib.sh"

results=$FWLSM_BUILD/results
run=$FWLSM_BUILD/run
# The second boot: the kernel's default LSM list (bpf_sig off)
run2=$FWLSM_BUILD/run-nobpfsig
# The stock kselftest runner on the installed selftests, Debian's policy,
# with and without the device
run3=$FWLSM_BUILD/run-ksft
run4=$FWLSM_BUILD/run-ksft-nodev
# The main tests again, with Debian's LSM stack
run5=$FWLSM_BUILD/run-debian-lsm
# make stress's runs, small (scripts/stress.sh --short)
run7=$FWLSM_BUILD/run-stress
run9=$FWLSM_BUILD/run-bpflsm
rm -rf "$results"
mkdir -p "$results"
export FWLSM_LEDGER=$results/ledger
: > "$FWLSM_LEDGER"
t0=$SECONDS

summary()
{
	local rc=$? args=(--ledger "$FWLSM_LEDGER")
	trap - EXIT
	if [ -f "$run/console.log" ] && [ -n "${booted:-}" ]; then
		args+=(--console "$run/console.log" --tests "$run/tests.log"
		       --expect-tests "$FWLSM_TOP/guest/tests.list"
		       --expect-kunit "$FWLSM_TOP/guest/kunit.list"
		       --benign "$FWLSM_TOP/guest/benign.list")
	fi
	if [ -n "${booted2:-}" ]; then
		args+=(--extra-boot "$run2" "$FWLSM_TOP/guest/tests-nobpfsig.list" nobpfsig)
	fi
	if [ -n "${booted3:-}" ]; then
		args+=(--extra-boot "$run3" "$FWLSM_TOP/guest/tests-ksft.list" ksft
		       --extra-boot "$run4" "$FWLSM_TOP/guest/tests-ksft-nodev.list" ksft-nodev)
	fi
	if [ -n "${booted6:-}" ]; then
		args+=(--extra-console "$FWLSM_BUILD/vmtest/console.log" vmtest)
	fi
	if [ -n "${booted5:-}" ]; then
		args+=(--extra-boot "$run5" "$FWLSM_TOP/guest/tests.list" debian-lsm)
	fi
	# the module's boots: their kernel logs must hold no report either
	if [ -n "${booted8:-}" ]; then
		args+=(--extra-console "$FWLSM_BUILD/kbench/runs/selinux/console.log" kbench-selinux
		       --extra-console "$FWLSM_BUILD/kbench/runs/nolsm/console.log" kbench-nolsm)
	fi
	if [ -n "${booted7:-}" ]; then
		args+=(--extra-boot "$run7" "$FWLSM_TOP/guest/tests-stress.list" stress
		       --benign-for stress "$FWLSM_TOP/guest/benign-stress.list")
	fi
	if [ -n "${booted9:-}" ]; then
		args+=(--extra-boot "$run9" "$FWLSM_TOP/guest/tests-bpflsm.list" bpflsm)
	fi
	[ $rc = 0 ] || ledger FAIL "make-check" "stopped early (status $rc), see the messages above"
	echo
	log "make check took $((SECONDS - t0)) s; console log: $run/console.log"
	python3 "$FWLSM_TOP/scripts/results.py" "${args[@]}"
	exit $?
}
trap summary EXIT

step()
{
	log "== $*"
}

step "base tree and work tree"
"$FWLSM_TOP/scripts/tree.sh"

step "host unit tests (tools and emulator)"
"$FWLSM_TOP/scripts/host-tests.sh"

step "static checks of the series"
"$FWLSM_TOP/scripts/check-patches.sh"

step "policy writers' kit against Debian's policy"
"$FWLSM_TOP/scripts/policy-kit.sh"

step "QEMU"
"$FWLSM_TOP/scripts/qemu-setup.sh"

step "kernel (every patch in order)"
"$FWLSM_TOP/scripts/build-kernel.sh" --each

step "sparse on the files the series touches"
"$FWLSM_TOP/scripts/sparse-check.sh"

step "emulated ConnectX"
"$FWLSM_TOP/scripts/build-emu.sh"

step "guest programs and initramfs"
"$FWLSM_TOP/scripts/build-initramfs.sh"

step "fwctl_lsm selftests with the stock kselftest runner, no device"
"$FWLSM_TOP/scripts/ksft-runner.sh"

step "boot and run the guest tests"
booted=1
"$FWLSM_TOP/scripts/run-guest.sh" "$run" || ledger FAIL guest-boot "see above"

step "audit2allow round trip: the main boot's denials to rules"
"$FWLSM_TOP/scripts/roundtrip.sh" "$run" "$FWLSM_BUILD/roundtrip-share"

step "boot again with the default LSM list (bpf_sig off)"
booted2=1
"$FWLSM_TOP/scripts/run-guest.sh" --tests nobpfsig --share "$FWLSM_BUILD/roundtrip-share" "$run2" ||
	ledger FAIL guest-boot-nobpfsig "see above"

step "boot again with Debian's LSM stack (security=selinux) plus bpf_sig"
booted5=1
"$FWLSM_TOP/scripts/debian-lsm-boot.sh" "$run5"

step "boot the kernel with BTF and BPF LSM (lsm=selinux,bpf_sig,bpf): a BPF LSM program on the firmware hook, loaded signed and unsigned"
booted9=1
"$FWLSM_TOP/scripts/bpf-lsm-boot.sh" "$run9" || true

step "installed selftests, stock runner, Debian's policy: with the device, then without"
if "$FWLSM_TOP/scripts/ksft-guest.sh" "$FWLSM_BUILD/ksft-share"; then
	booted3=1
	"$FWLSM_TOP/scripts/run-guest.sh" --tests ksft --share "$FWLSM_BUILD/ksft-share" "$run3" ||
		ledger FAIL guest-boot-ksft "see above"
	"$FWLSM_TOP/scripts/run-guest.sh" --no-device --tests ksft-nodev \
		--share "$FWLSM_BUILD/ksft-share" "$run4" || ledger FAIL guest-boot-ksft-nodev "see above"
	step "the selftests' vmtest.sh under virtme-ng, as its header says"
	booted6=1
	"$FWLSM_TOP/scripts/vmtest-smoke.sh" "$FWLSM_BUILD/ksft-share"
else
	ledger FAIL ksft-guest "installing the selftests for the guest failed (see above)"
fi

step "stress, fuzz, TOCTOU and fault injection, small (make stress runs them in full)"
booted7=1
"$FWLSM_TOP/scripts/stress.sh" --short || ledger FAIL guest-boot-stress "see above"

step "the check's cost against SELinux's ioctl xperm check, in the kernel, short (make bench runs it in full)"
booted8=1
if "$FWLSM_TOP/scripts/bench.sh" --short; then
	ledger PASS bench:kmod-short "bench/kmod's decisions checked and its figures printed, with SELinux (also with classifier sets of 0 and 100 rules, loaded, read back and cleared) and with no LSM"
else
	ledger FAIL bench:kmod-short "see above"
fi

step "make try with policy/try/example.conf"
"$FWLSM_TOP/scripts/try.sh" --no-build --check "$FWLSM_TOP/policy/try/example.conf" fwdiag_t
