#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Everything a guest boot needs, for make demo and make bench: the work
# tree, QEMU, the kernel at the work tree's HEAD, the emulator and the
# initramfs.  make check builds the same with its per-patch checks.
. "$(dirname "$0")/lib.sh"

"$FWLSM_TOP/scripts/tree.sh"
"$FWLSM_TOP/scripts/qemu-setup.sh"
"$FWLSM_TOP/scripts/build-kernel.sh"
"$FWLSM_TOP/scripts/build-emu.sh"
"$FWLSM_TOP/scripts/build-initramfs.sh"
