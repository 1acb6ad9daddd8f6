#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the emulated ConnectX (emu/) against the pinned tree's mlx5_ifc.h.
. "$(dirname "$0")/lib.sh"

base=$("$FWLSM_TOP/scripts/fetch-base.sh")
make -s -C "$FWLSM_TOP/emu" O="$FWLSM_BUILD/emu" KSRC="$base" "$@" ||
	die "building emu/ failed"
