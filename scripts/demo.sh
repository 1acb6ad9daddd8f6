#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: set up, build the patched kernel, boot it and show on the
# console what the series does.
. "$(dirname "$0")/lib.sh"

"$FWLSM_TOP/scripts/prepare-guest.sh"
FWLSM_APPEND="fwlsm.demo loglevel=4" \
	"$FWLSM_TOP/scripts/run-guest.sh" --show "$FWLSM_BUILD/demo"
