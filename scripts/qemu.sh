#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the pinned QEMU from the trixie tree through the tree's own dynamic
# loader: no chroot, no mounts.  Modules and firmware come from the tree too.
. "$(dirname "$0")/lib.sh"
tsuite=$(pin_get TREE_SUITE "$FWLSM_TOP/guest/qemu.pin")
root=$FWLSM_CACHE/qemu-$tsuite
[ -f "$root/.fwlsm-complete" ] || die "QEMU tree $root is missing or incomplete: run 'make qemu'"
export QEMU_MODULE_DIR=$root/usr/lib/x86_64-linux-gnu/qemu
exec "$root/lib64/ld-linux-x86-64.so.2" \
	--library-path "$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu" \
	"$root/usr/bin/qemu-system-x86_64" -L "$root/usr/share/qemu" -L "$root/usr/share/seabios" "$@"
