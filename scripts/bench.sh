#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: what the firmware-command checks cost, measured side by side.
#  1. FWCTL_RPC round trips with and without an allowxperm rule set, in one
#     SELinux boot (guest/bench.sh).
#  2. The check itself against its peer, in the kernel: bench/kmod times
#     security_fw_validate_cmd() and security_file_ioctl()'s xperm check
#     on the fwctl node, from one boot with SELinux under policies with 0,
#     100 and 1000 xperm ranges, and on a kernel booted with no LSM
#     implementing the hooks (guest/bench-kmod.sh).  In the SELinux boot,
#     the same for the firmware command classifier: the fw check with
#     sets of 0, 1, 10, 100 and 1000 rules loaded that the command walks
#     past (three shapes of rule, bench-cls-rules.py) and one that labels
#     it, against the ioctl check, one AVC lookup, in the same runs.
#  3. FWCTL_RPC on the patched kernel with no LSM against the unpatched
#     7.3.4 base built with the same configuration
#     (scripts/build-base-kernel.sh), in alternating boots A B A B.
# A benchmark, not a test: it prints figures and whether the goals are met
# (fw check <= 1.00x the ioctl check, patched/unpatched RPC <= 1.01x), and
# fails only when a figure is missing or a checked decision was wrong.
#
# --short: part 2 only, with fewer iterations, one boot each (for make
# check), and of the classifier's sets only the empty one and 100 rules of
# the costliest shape: they load, read back and decide as the others do,
# for seconds, where the full series takes a minute; exits non-zero if the
# module's decisions are wrong or nothing was printed.  --short and
# --no-build use the guest kernel, emulator and initramfs as they are
# built (without them, the work tree is refreshed and everything rebuilt
# first, as for make demo).
. "$(dirname "$0")/lib.sh"

short=
prepare=1
for arg in "$@"; do
	case "$arg" in
	--short) short=1 prepare= ;;
	--no-build) prepare= ;;
	*) die "usage: bench.sh [--short] [--no-build]" ;;
	esac
done
t0=$SECONDS
kbench_dir=${FWLSM_KBENCH:-$FWLSM_BUILD/kbench}
runs=$kbench_dir/runs
rc=0

[ -z "$prepare" ] || "$FWLSM_TOP/scripts/prepare-guest.sh"
if [ -z "$short" ]; then
	FWLSM_APPEND="fwlsm.bench loglevel=4" \
		"$FWLSM_TOP/scripts/run-guest.sh" "$FWLSM_BUILD/bench"
	grep -a '^round \|^fwlsm-bench:\|^bench:' "$FWLSM_BUILD/bench/console.log"
	grep -aq '^fwlsm-bench:' "$FWLSM_BUILD/bench/console.log" || rc=1
fi

"$FWLSM_TOP/scripts/build-bench-kmod.sh"
if [ -z "$short" ]; then
	base_kbuild=$("$FWLSM_TOP/scripts/build-base-kernel.sh")
fi

# kbench NAME LSM MODES [KBUILD]: boot the kernel of KBUILD (default: the
# guest kernel) with lsm=LSM and run guest/bench-kmod.sh's MODES.
kbench()
{
	local name=$1 lsm=$2 modes=$3 kb=${4:-$FWLSM_KBUILD} params=
	[ -n "$short" ] && params="fwlsm.kbench.iters=5000 fwlsm.kbench.rounds=3 fwlsm.kbench.passes=1 fwlsm.kbench.cls=r0,worst-r100"
	[ -n "$tsc_mhz" ] && params="$params fwlsm.kbench.cycles_per_us=$tsc_mhz"
	FWLSM_KBUILD=$kb FWLSM_INITRD=$kbench_dir/initramfs-kbench.cpio.gz \
		FWLSM_APPEND="fwlsm.tests=kbench fwlsm.kbench=$modes $params" \
		"$FWLSM_TOP/scripts/run-guest.sh" --lsm "$lsm" "$runs/$name" || return 1
	grep -a '^kbench: ' "$runs/$name/tests.log" | grep -av '^kbench: round' || true
}

# The guest counts cycles at the host's TSC rate (QEMU's TCG reads the
# host's TSC); its own clock, jiffies, loses ticks under load.
tsc_mhz=$(dmesg 2>/dev/null | sed -nE 's/.*tsc: (Refined TSC clocksource calibration: |Detected )([0-9]+)\.[0-9]* MHz.*/\2/p' |
	tail -n 1)
[ -n "$tsc_mhz" ] || log "the host's TSC rate is not in its kernel log: the guest measures it (less precisely)"

mkdir -p "$runs"
# "capability" alone: no SELinux, no BPF LSM (the LSMs that implement the
# hooks); only IMA and EVM, which order themselves last, come along.
nolsm=capability
logs=(selinux="$runs/selinux/tests.log")
kbench selinux selinux selinux,classifier || rc=1
if [ -n "$short" ]; then
	kbench nolsm "$nolsm" nolsm || rc=1
	logs+=(nolsm="$runs/nolsm/tests.log")
	python3 "$FWLSM_TOP/scripts/bench-summary.py" "${logs[@]}" || rc=1
else
	for i in 1 2; do
		kbench "nolsm-$i" "$nolsm" nolsm,rpc || rc=1
		kbench "base-$i" "$nolsm" rpc "$base_kbuild" || rc=1
		logs+=(nolsm="$runs/nolsm-$i/tests.log" base="$runs/base-$i/tests.log")
	done
	python3 "$FWLSM_TOP/scripts/bench-summary.py" --rpc "${logs[@]}" || rc=1
fi
log "make bench${short:+ --short} took $((SECONDS - t0)) s"
exit $rc
