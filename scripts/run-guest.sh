#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the built kernel and initramfs under QEMU (TCG) and wait for the guest
# to power off.  The console goes to $run/console.log (and to the terminal
# with --show), the test output port to $run/tests.log.  A guest that does not
# finish within the time limit is killed and the run fails with the tail of
# the console.  Nothing is left running on any exit path.
. "$(dirname "$0")/lib.sh"

show=
[ "${1:-}" = --show ] && { show=1; shift; }
run=${1:?usage: run-guest.sh [--show] RUNDIR}
limit=${FWLSM_GUEST_TIMEOUT:-600}
kernel=$FWLSM_KBUILD/arch/x86/boot/bzImage
initrd=$FWLSM_BUILD/initramfs.cpio.gz
[ -f "$kernel" ] || die "no kernel at $kernel: run 'make kernel'"
[ -f "$initrd" ] || die "no initramfs at $initrd: run 'make initramfs'"

rm -rf "$run"
mkdir -p "$run"
: > "$run/console.log"

pids=()
cleanup()
{
	local p
	for p in "${pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mem=1G
args=(
	-accel tcg -cpu max -smp 2 -m $mem
	-object memory-backend-memfd,id=mem,size=$mem,share=on
	-M q35,memory-backend=mem
	-nodefaults -display none -no-reboot -nic none
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 oops=panic loglevel=7 ${FWLSM_APPEND:-}"
	-chardev "file,id=con,path=$run/console.log"
	-serial chardev:con
	-chardev "file,id=tap,path=$run/tests.log"
	-serial chardev:tap
)
if [ -n "$show" ]; then
	tail -n +1 -f "$run/console.log" &
	pids+=($!)
fi

log "booting the guest (TCG, limit ${limit}s); console: $run/console.log"
start=$SECONDS
"$FWLSM_TOP/scripts/qemu.sh" "${args[@]}" > "$run/qemu.log" 2>&1 &
qpid=$!
pids=("$qpid" "${pids[@]}")
rc=0
while kill -0 "$qpid" 2>/dev/null; do
	if [ $((SECONDS - start)) -ge "$limit" ]; then
		rc=124
		break
	fi
	sleep 1
done
if [ $rc = 0 ]; then
	wait "$qpid" || rc=$?
fi
[ -n "$show" ] && sleep 0.3
cleanup
pids=()
echo $((SECONDS - start)) > "$run/seconds"
if [ $rc = 124 ]; then
	echo "fwlsm: the guest did not finish within ${limit}s; last console lines:" >&2
	tail -n 30 "$run/console.log" >&2
	exit 1
fi
if [ $rc != 0 ]; then
	echo "fwlsm: QEMU exited with status $rc:" >&2
	tail -n 20 "$run/qemu.log" "$run/console.log" >&2
	exit 1
fi
log "guest finished in $((SECONDS - start)) s"
