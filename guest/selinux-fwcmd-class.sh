#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The patched SELinux knows the firmware-command classes, in TAP: a policy
# written before they existed makes the kernel report each of them as
# undefined (and fall back to handle_unknown), a policy that defines them
# maps them silently.  Leaves the test policy loaded, in permissive mode,
# with the device nodes labeled fw_dev_t (as restorecon would from a
# file_contexts entry), for the tests that follow.
P=/fwlsm/policy
CLASSES="fwctl mlx5_fwctl_cmd mlx5_fwctl_tunnel_cmd mlx5_devx_cmd mlx5_devx_tunnel_cmd"
. /fwlsm/tap.sh
undefined_count()
{
	dmesg | grep -cE "SELinux: *Class ($(echo $CLASSES | tr ' ' '|')) not defined in policy"
}

echo "TAP version 13"
echo "1..7"
echo 0 > /sys/fs/selinux/enforce 2>/dev/null

before=$(undefined_count)
cat $P/nofwcmd.policy > /sys/fs/selinux/load
result $? "a policy without the firmware-command classes loads"
after=$(undefined_count)
[ "$after" -eq $((before + 5)) ]
result $? "the kernel reports each of the 5 classes the old policy lacks ($((after - before)) reported)"

cat $P/test.policy > /sys/fs/selinux/load
result $? "the fwlsm test policy loads"
[ "$(undefined_count)" -eq "$after" ]
result $? "a policy that defines the classes maps them without complaint"
ok=0
for p in rpc_config rpc_debug_read rpc_debug_write rpc_debug_write_full; do
	[ -e /sys/fs/selinux/class/fwctl/perms/$p ] || ok=1
done
result $ok "selinuxfs shows the fwctl class with one permission per scope"
ok=0
for c in mlx5_fwctl_cmd mlx5_fwctl_tunnel_cmd mlx5_devx_cmd mlx5_devx_tunnel_cmd; do
	[ -e /sys/fs/selinux/class/$c/perms/ioctl ] || ok=1
done
result $ok "selinuxfs shows each opcode class with its ioctl permission"
/fwlsm/setlabel system_u:object_r:fw_dev_t /dev/fwctl/fwctl0 /dev/infiniband/uverbs0 \
	> /tmp/setlabel.out 2>&1
rc=$?
sed 's/^/# /' /tmp/setlabel.out
result $rc "the fwctl and uverbs device nodes are labeled fw_dev_t"
exit $fail
