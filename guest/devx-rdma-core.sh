#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# DEVX through rdma-core's mlx5 provider (mlx5dv_open_device with DEVX,
# mlx5dv_devx_general_cmd, mlx5dv_devx_obj_create/query/modify/destroy, a
# umem), the way DPDK drives it, in TAP.  devx-dv is statically linked from
# Debian's libibverbs-dev and ibverbs-providers.
. /fwlsm/tap.sh
run_as()
{
	/fwlsm/avc-watch sh -c "printf %s system_u:system_r:$1 > /proc/self/attr/exec && exec /fwlsm/devx-dv" \
		> /tmp/devx-dv.avc 2> /tmp/devx-dv.out
	rc=$?
	sed 's/^/# /' /tmp/devx-dv.out
	return $rc
}
# CREATE_GENERAL_OBJECT commands the firmware executed, whatever their uid
creates()
{
	grep -c '^cmd opcode=0x0a00 ' /fw/emu.log
}
# Live objects in the emulator's state file; fails if there is no number
obj_live()
{
	sed -n 's/^obj_live=\([0-9][0-9]*\)$/\1/p' /fw/emu.state | grep .
}
# AVC records of the last run_as, read over the audit netlink socket
avcs()
{
	grep -c 'avc:  denied  { ioctl } .* path="/dev/infiniband/uverbs0" .* ioctlcmd=0xa00 fwiface=uverbs fwfamily=mlx5 .*scontext=system_u:system_r:fw_allow_t .*tclass=mlx5_devx_cmd ' /tmp/devx-dv.avc
}
all_avcs()
{
	grep -c . /tmp/devx-dv.avc
}

echo "TAP version 13"
echo "1..7"
echo 1 > /sys/fs/selinux/enforce
live=$(obj_live) || live=unknown

c=$(creates)
run_as fw_any_t
result $? "rdma-core DEVX client completes in a domain without xperm rules"
[ "$(all_avcs)" -eq 0 ]
result $? "and leaves no AVC record"
[ "$(creates)" -eq $((c + 1)) ]
result $? "its CREATE_GENERAL_OBJECT reached the emulated firmware"
now=$(obj_live) && [ "$now" = "$live" ]
result $? "every object it created is gone after it exits (obj_live $live, then ${now:-unknown})"

c=$(creates)
run_as fw_allow_t
[ $? = 13 ]
result $? "the same client gets EACCES for CREATE_GENERAL_OBJECT in fw_allow_t"
[ "$(creates)" -eq "$c" ]
result $? "the denied CREATE_GENERAL_OBJECT never reached the firmware"
[ "$(avcs)" -eq 1 ] && [ "$(all_avcs)" -eq 1 ]
result $? "exactly one AVC record, naming the uverbs file, ioctlcmd=0xa00, uverbs and mlx5"
sed 's/^/# /' /tmp/devx-dv.avc
echo 0 > /sys/fs/selinux/enforce
exit $fail
