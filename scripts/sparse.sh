#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the pinned sparse (kernel/toolchain.pin) from the toolchain tree
# through the tree's own dynamic loader: no chroot, so kbuild can use it
# as CHECK= on a tree built with the host's compiler.
. "$(dirname "$0")/lib.sh"
root=$FWLSM_CACHE/tools-$(pin_get TREE_SUITE "$FWLSM_TOP/kernel/toolchain.pin")
[ -f "$root/.fwlsm-complete" ] && [ -x "$root/opt/sparse/usr/bin/sparse" ] ||
	die "toolchain tree $root is missing or incomplete: run scripts/toolchain.sh setup"
exec "$root/lib64/ld-linux-x86-64.so.2" \
	--library-path "$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu" \
	"$root/opt/sparse/usr/bin/sparse" "$@"
