#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the built kernel and initramfs under QEMU (TCG) and wait for the guest
# to power off.  The console goes to $run/console.log (and to the terminal
# with --show), the test output port to $run/tests.log.  A guest that does not
# finish within the time limit is killed and the run fails with the tail of
# the console.  Nothing is left running on any exit path.
#
# The main run (guest/tests.list) boots with lsm=selinux,bpf_sig, which
# enables the BPF integrity LSM that is built in but off by default;
# "--tests NAME" runs guest/tests-NAME.list instead, with the kernel's
# default LSM list.  "--lsm LIST" boots with lsm=LIST instead: the main
# run's or, with --tests, that list's.  "--share DIR" puts DIR's files next to the command
# log, where the guest reads them (/fw).  "--no-device" boots without the
# emulated ConnectX.  FWLSM_INITRD names another initramfs (make bench's).
. "$(dirname "$0")/lib.sh"

show=
tests=
lsm=
share=
nodev=
while [ $# -gt 1 ]; do
	case "$1" in
	--show) show=1; shift ;;
	--tests) tests=$2; shift 2 ;;
	--lsm) lsm=$2; shift 2 ;;
	--share) share=$2; shift 2 ;;
	--no-device) nodev=1; shift ;;
	*) break ;;
	esac
done
emu=$FWLSM_BUILD/emu/mlx5-emu
run=${1:?usage: run-guest.sh [--show] [--tests NAME] RUNDIR}
if [ -z "$tests" ]; then
	boot_args="lsm=${lsm:-selinux,bpf_sig}"
else
	[ -f "$FWLSM_TOP/guest/tests-$tests.list" ] || die "no guest/tests-$tests.list"
	boot_args="fwlsm.tests=$tests${lsm:+ lsm=$lsm}"
fi
limit=${FWLSM_GUEST_TIMEOUT:-600}
kernel=$FWLSM_KBUILD/arch/x86/boot/bzImage
initrd=${FWLSM_INITRD:-$FWLSM_BUILD/initramfs.cpio.gz}
[ -f "$kernel" ] || die "no kernel at $kernel: run 'make kernel'"
[ -f "$initrd" ] || die "no initramfs at $initrd: run 'make initramfs'"
[ -x "$emu" ] || die "no emulator at $emu: run 'make emu'"

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
	[ -z "${sock:-}" ] || rm -f "$sock"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The emulated ConnectX: its socket must exist before QEMU connects.  Its
# command log (the oracle) is in $run/fw, which the guest mounts read-only
# over 9p to check what reached "firmware".
mkdir -p "$run/fw"
# "--share DIR": DIR's files, too, for the guest to read in /fw.
if [ -n "$share" ] && [ -d "$share" ]; then
	cp -r "$share"/. "$run/fw/"
fi
sock=
if [ -z "$nodev" ]; then
	sock=$run/mlx5.sock
	# A unix socket path has at most 107 bytes; fall back to a short one.
	if [ ${#sock} -gt 100 ]; then
		sock=$(mktemp -u /tmp/fwlsm-mlx5.XXXXXX.sock)
	fi
	"$emu" --socket "$sock" --log "$run/fw/emu.log" --state "$run/fw/emu.state" \
		2> "$run/emu.stderr" &
	pids+=($!)
	for _ in $(seq 100); do
		[ -S "$sock" ] && break
		kill -0 "${pids[0]}" 2>/dev/null || break
		sleep 0.05
	done
	[ -S "$sock" ] || { cat "$run/emu.stderr" >&2; die "the emulator did not start"; }
fi

mem=1G
args=(
	-accel tcg -cpu max -smp 2 -m $mem
	-object memory-backend-memfd,id=mem,size=$mem,share=on
	-M q35,memory-backend=mem
	-nodefaults -display none -no-reboot -nic none
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 oops=panic loglevel=7 $boot_args ${FWLSM_APPEND:-}"
	-chardev "file,id=con,path=$run/console.log"
	-serial chardev:con
	-chardev "file,id=tap,path=$run/tests.log"
	-serial chardev:tap
	-device pcie-root-port,id=rp0,chassis=1,slot=1
	-fsdev "local,id=fw,path=$run/fw,security_model=none,readonly=on"
	-device virtio-9p-pci,fsdev=fw,mount_tag=fwlsm-fw
)
if [ -z "$nodev" ]; then
	args+=(-device "{\"driver\":\"vfio-user-pci\",\"socket\":{\"type\":\"unix\",\"path\":\"$sock\"},\"bus\":\"rp0\",\"addr\":\"0.0\"}")
fi
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
if [ -z "$nodev" ] && ! grep -q '^cmd opcode=0x0104 ' "$run/fw/emu.log"; then
	echo "fwlsm: the emulated ConnectX was never enabled by mlx5_core; emulator log:" >&2
	tail -n 20 "$run/fw/emu.log" "$run/emu.stderr" >&2
	exit 1
fi
log "guest finished in $((SECONDS - start)) s"
