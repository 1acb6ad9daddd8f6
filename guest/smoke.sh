#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Boot smoke test of the patched kernel, in TAP: the LSM stack and the
# filesystems every other fwlsm test relies on.
n=0
fail=0
check()
{
	n=$((n + 1))
	desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		fail=1
	fi
}

echo "TAP version 13"
echo "1..7"
check "securityfs lists selinux as an active LSM" \
	grep -qw selinux /sys/kernel/security/lsm
check "selinuxfs is mounted" test -f /sys/fs/selinux/enforce
check "the kernel is the fwlsm build of 7.3.4" \
	sh -c 'uname -r | grep -q "^7\.3\.4"'
check "devtmpfs provides /dev/null" test -c /dev/null
check "mlx5_core probed the emulated ConnectX-5 (15b3:1017)" \
	sh -c 'grep -qx 0x1017 /sys/bus/pci/drivers/mlx5_core/*/device'
check "fwctl/mlx5 created /dev/fwctl/fwctl0" test -c /dev/fwctl/fwctl0
check "the emulator's command log is shared at /fw/emu.log" \
	grep -q '^cmd opcode=0x0104 ' /fw/emu.log
exit $fail
