#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The patched SELinux knows the fwcmd class, in TAP: a policy written before
# the class existed makes the kernel report it as undefined (and fall back
# to handle_unknown), a policy that defines it maps it silently.  Leaves the
# test policy loaded, in permissive mode, for the tests that follow.
P=/fwlsm/policy
. /fwlsm/tap.sh
undefined_count()
{
	dmesg | grep -c 'SELinux: *Class fwcmd not defined in policy'
}

echo "TAP version 13"
echo "1..5"
echo 0 > /sys/fs/selinux/enforce 2>/dev/null

before=$(undefined_count)
cat $P/nofwcmd.policy > /sys/fs/selinux/load
result $? "a policy without the fwcmd class loads"
after=$(undefined_count)
[ "$after" -gt "$before" ]
result $? "the kernel reports fwcmd as a class the old policy lacks"

cat $P/test.policy > /sys/fs/selinux/load
result $? "the fwlsm test policy loads"
[ "$(undefined_count)" -eq "$after" ]
result $? "a policy that defines fwcmd maps it without complaint"
[ -e /sys/fs/selinux/class/fwcmd/perms/ioctl ]
result $? "selinuxfs shows fwcmd with its ioctl permission"
exit $fail
