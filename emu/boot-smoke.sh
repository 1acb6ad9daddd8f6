#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot KERNEL + INITRD under QEMU (TCG) with mlx5-emu as a vfio-user PCI
# device behind a PCIe root port.  Emulator and QEMU always die with the
# script; QEMU runs under `timeout`.  Prints the tail of the emulator log and
# of the guest console.  Exit 0 if the guest powered off by itself.
#
#   emu/boot-smoke.sh KERNEL INITRD
# Environment: SMOKE_TIMEOUT (s, default 180), SMOKE_DIR (default: fresh
# mktemp dir, kept for inspection), MLX5_EMU (default $O/mlx5-emu),
# SMOKE_APPEND (extra kernel command line), SMOKE_TAIL (lines, default 40).
set -euo pipefail

kernel=${1:?usage: boot-smoke.sh KERNEL INITRD}
initrd=${2:?usage: boot-smoke.sh KERNEL INITRD}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
emu=${MLX5_EMU:-${O:-$top/build/emu}/mlx5-emu}
limit=${SMOKE_TIMEOUT:-180}
tailn=${SMOKE_TAIL:-40}
[ -x "$emu" ] || { echo "boot-smoke: no emulator at $emu (make -C $here)" >&2; exit 2; }
[ -f "$kernel" ] && [ -f "$initrd" ] || { echo "boot-smoke: missing kernel or initrd" >&2; exit 2; }

dir=${SMOKE_DIR:-$(mktemp -d /tmp/mlx5-emu-smoke.XXXXXX)}
mkdir -p "$dir"
sock=$dir/mlx5.sock
elog=$dir/emu.log
state=$dir/emu.state
console=$dir/console.log
rm -f "$sock" "$elog" "$state" "$console"
: > "$console"

epid= qpid=
cleanup()
{
	[ -n "$qpid" ] && kill -TERM "$qpid" 2>/dev/null || true
	[ -n "$epid" ] && kill -TERM "$epid" 2>/dev/null || true
	[ -n "$qpid" ] && wait "$qpid" 2>/dev/null || true
	[ -n "$epid" ] && wait "$epid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$emu" --socket "$sock" --log "$elog" --state "$state" 2> "$dir/emu.stderr" &
epid=$!
for _ in $(seq 100); do
	[ -S "$sock" ] && break
	sleep 0.05
done
[ -S "$sock" ] || { echo "boot-smoke: emulator did not create $sock" >&2; exit 1; }

start=$(date +%s%N)
timeout --signal=TERM --kill-after=5 "$limit" "$top/scripts/qemu.sh" \
	-accel tcg -smp 1 -M q35,memory-backend=mem \
	-object memory-backend-memfd,id=mem,size=1G,share=on -m 1G \
	-nodefaults -display none -no-reboot -nic none \
	-device pcie-root-port,id=rp0,chassis=1,slot=1 \
	-device "{\"driver\":\"vfio-user-pci\",\"socket\":{\"type\":\"unix\",\"path\":\"$sock\"},\"bus\":\"rp0\",\"addr\":\"0.0\"}" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 loglevel=7 ${SMOKE_APPEND:-}" \
	-serial "file:$console" > "$dir/qemu.log" 2>&1 &
qpid=$!
rc=0
wait "$qpid" || rc=$?
qpid=
end=$(date +%s%N)

echo "=== boot-smoke: qemu exit $rc after $(( (end - start) / 1000000 )) ms; files in $dir"
[ -s "$dir/qemu.log" ] && { echo "=== qemu.log"; tail -n "$tailn" "$dir/qemu.log"; }
echo "=== emulator log (last $tailn of $(wc -l < "$elog") lines)"
tail -n "$tailn" "$elog"
[ -f "$state" ] && echo "=== emulator state: $(cat "$state")"
echo "=== console (last $tailn lines)"
tail -n "$tailn" "$console"
[ "$rc" = 124 ] && echo "boot-smoke: TIMEOUT after ${limit}s" >&2
exit "$rc"
