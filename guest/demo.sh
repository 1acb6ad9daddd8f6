#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demonstration `make demo` shows on the guest console.
P=/fwlsm/policy
say()
{
	printf '\n\033[1m%s\033[0m\n' "$*"
}
run()
{
	echo "  \$ $*"
	sh -c "$*" 2>&1 | sed 's/^/    /'
}

say "fwlsm demo: firmware-command access control on Linux $(uname -r)"
run "cat /sys/kernel/security/lsm; echo"
run "cat /sys/fs/selinux/enforce; echo '  (0 = permissive until a policy enforces)'"

say "1. The patched SELinux knows the new fwcmd class."
echo "  A policy written before the class existed loads, and the kernel says"
echo "  it will apply the policy's handle_unknown rule to fwcmd:"
run "cat $P/nofwcmd.policy > /sys/fs/selinux/load; dmesg | grep -i 'fwcmd\\|unknown' | tail -n 2"
echo "  The fwlsm test policy defines it, with the ioctl permission that"
echo "  allowxperm rules filter by firmware opcode:"
run "cat $P/test.policy > /sys/fs/selinux/load; ls /sys/fs/selinux/class/fwcmd/perms"
run "grep -h 'fwcmd' /fwlsm/policy/test.conf | grep -v '^#' | head -n 8"

say "2. Firmware devices seen by this guest"
run "ls /dev/fwctl /dev/infiniband 2>&1"
echo "  No ConnectX is attached yet: the emulated device (vfio-user, next"
echo "  step) makes the real mlx5_core, fwctl/mlx5 and mlx5_ib drivers run"
echo "  here, and this demo then shows the same commands sent from an"
echo "  allowed and a denied domain, the AVC record of the denial and what"
echo "  reached the emulated firmware."
echo
