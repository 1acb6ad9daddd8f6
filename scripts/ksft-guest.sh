#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What the "ksft" boots share with the guest (run-guest.sh --share): the
# fwctl_lsm selftests as the stock kselftest "install" target installs
# them from the work tree (run_kselftest.sh, kselftest/runner.sh, the
# binaries, settings, fwctl_lsm.cil), statically linked for the busybox
# guest, and Debian's policy with fwlsm's kit and the selftests' own
# fwctl_lsm.cil, which scripts/policy-kit.sh compiled.
. "$(dirname "$0")/lib.sh"

share=$(realpath -m "${1:?usage: ksft-guest.sh SHAREDIR}")
build=$FWLSM_BUILD/ksft-guest
policy=$FWLSM_BUILD/policy-kit/selftests.policy
[ -f "$policy" ] || die "no $policy: run 'make kit' (scripts/policy-kit.sh)"
rm -rf "$share" "$build"
mkdir -p "$share" "$build"
if ! make -s -C "$FWLSM_TREE" ARCH=x86_64 O="$build" headers > "$build/headers.log" 2>&1 ||
   ! make -s -C "$FWLSM_TREE/tools/testing/selftests" TARGETS=fwctl_lsm O="$build" \
	USERLDFLAGS=-static KSFT_INSTALL_PATH="$share/ksft" install > "$build/install.log" 2>&1; then
	die "installing the fwctl_lsm selftests failed (see $build/*.log)"
fi
for f in run_kselftest.sh kselftest/runner.sh fwctl_lsm/fwctl_lsm_test \
	 fwctl_lsm/fwcmd_selinux_test fwctl_lsm/devx_selinux_test fwctl_lsm/devx_cmd \
	 fwctl_lsm/fw_classifier_test \
	 fwctl_lsm/settings fwctl_lsm/fwctl_lsm.cil; do
	[ -e "$share/ksft/$f" ] || die "the kselftest install lacks $f (see $build/install.log)"
done
if readelf -l "$share/ksft/fwctl_lsm/fwctl_lsm_test" | grep -q INTERP; then
	die "the installed selftests are not statically linked"
fi
cp "$policy" "$share/selftests.policy"
log "fwctl_lsm selftests installed for the guest in $share/ksft"
