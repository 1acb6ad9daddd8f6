#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The BPF LSM boot: the guest kernel's configuration plus BTF and the
# function tracer (kernel/bpf-lsm/btf.config), built in its own directory
# ($FWLSM_BUILD/kbuild-btf, so that the per-patch builds keep their cache),
# booted with lsm=selinux,bpf_sig,bpf to run guest/tests-bpflsm.list into
# RUNDIR: the BPF LSM program of selftests/fwctl_lsm on the firmware hook,
# loaded unsigned and signed from the test domains, and the CO-RE case of
# selftests/bpf_integrity.  Checks that the kernel enabled that stack.
. "$(dirname "$0")/lib.sh"

run=${1:?usage: bpf-lsm-boot.sh RUNDIR}
kb=${FWLSM_BTF_KBUILD:-$FWLSM_BUILD/kbuild-btf}
lsm=selinux,bpf_sig,bpf
start=$SECONDS
if ! FWLSM_CONFIG_VARIANT=$FWLSM_TOP/kernel/bpf-lsm/btf.config FWLSM_KBUILD=$kb \
	"$FWLSM_TOP/scripts/build-kernel.sh"; then
	ledger FAIL bpf-lsm:build "see $kb/build.log"
	exit 1
fi
if ! grep -qx 'CONFIG_DEBUG_INFO_BTF=y' "$kb/.config" || [ ! -s "$kb/vmlinux" ] ||
	! grep -q '\.BTF' <(readelf -S -W "$kb/vmlinux"); then
	ledger FAIL bpf-lsm:build "built, but vmlinux has no BTF"
	exit 1
fi
ledger PASS bpf-lsm:build "with BTF, in $((SECONDS - start)) s"
FWLSM_KBUILD=$kb "$FWLSM_TOP/scripts/run-guest.sh" --tests bpflsm --lsm "$lsm" "$run" || {
	ledger FAIL guest-boot-bpflsm "see above"
	exit 0
}
want="capability,$lsm,ima,evm"
got=$(sed -n 's/.*fwlsm-guest: kernel .*, LSMs: \([a-z_,]*\).*/\1/p' "$run/console.log" | head -n 1)
if [ "$got" = "$want" ]; then
	ledger PASS "bpflsm:stack" "lsm=$lsm gives $got"
else
	ledger FAIL "bpflsm:stack" "lsm=$lsm: wanted $want, the kernel reports '${got:-nothing}'"
fi
