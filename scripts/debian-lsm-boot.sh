#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The distro builder's boot: the main guest tests (guest/tests.list) with
# the LSM stack of a Debian system booted with security=selinux, plus the
# series' bpf_sig (debian_lsm_order in lib.sh), into RUNDIR.  Checks that
# the kernel really enabled that stack: /sys/kernel/security/lsm, which the
# guest prints, must be capability, then the list in its order ("integrity"
# names no LSM since IMA and EVM became LSMs of their own), then IMA and
# EVM, which order themselves last.
. "$(dirname "$0")/lib.sh"

run=${1:?usage: debian-lsm-boot.sh RUNDIR}
lsm=$(debian_lsm_order)
want="capability,$(tr ',' '\n' <<<"$lsm" | grep -vx integrity | paste -sd,),ima,evm"
"$FWLSM_TOP/scripts/run-guest.sh" --lsm "$lsm" "$run" || {
	ledger FAIL guest-boot-debian-lsm "see above"
	exit 0
}
got=$(sed -n 's/.*fwlsm-guest: kernel .*, LSMs: \([a-z_,]*\).*/\1/p' "$run/console.log" | head -n 1)
if [ "$got" = "$want" ]; then
	ledger PASS "debian-lsm:stack" "lsm=$lsm gives $got"
else
	ledger FAIL "debian-lsm:stack" "lsm=$lsm: wanted $want, the kernel reports '${got:-nothing}'"
fi
