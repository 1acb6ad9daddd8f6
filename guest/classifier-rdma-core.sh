#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The firmware command classifier through rdma-core: devx-dv creates a
# general object with mlx5dv_devx_obj_create(), as a PMD does, once of a
# type whose label fw_any_t may send and once of a type whose label it may
# not.  The rules (policy/classifier/objtypes.rules) were compiled on the
# host by scripts/fwcmd-rules.py, so this also runs the rule compiler's
# output through the kernel.  In TAP.
. /fwlsm/tap.sh
R=/sys/kernel/security/fw_classifier/rules
created()
{
	grep -c "^obj created type=$1 " /fw/emu.log
}
denials()
{
	grep -c "avc:  denied  { send } .* fwopcode=0xa00 .*scontext=system_u:system_r:fw_any_t tcontext=system_u:object_r:$1 tclass=mlx5_devx_cmd " /tmp/cls-dv.avc
}

echo "TAP version 13"
echo "1..8"
echo 1 > /sys/fs/selinux/enforce
/fwlsm/setlabel system_u:object_r:fw_dev_t /dev/infiniband/uverbs0 > /dev/null
saved=/tmp/cls-saved.bin
cat $R > $saved
result $? "the rule set in force can be read"
dd if=/fwlsm/classifier/objtypes.bin of=$R bs=64k 2>/dev/null
result $? "the compiled rules load"
cmp -s $R /fwlsm/classifier/objtypes.bin
result $? "and read back byte for byte"

md=$(created 0x0018)
run_in fw_any_t /tmp/cls-dv.avc /tmp/cls-dv.out /fwlsm/devx-dv -t 0x18
rc=$?
sed 's/^/# /' /tmp/cls-dv.out
[ $rc = 0 ] && [ "$(created 0x0018)" -eq $((md + 1)) ] && [ "$(grep -c . /tmp/cls-dv.avc)" = 0 ]
result $? "MATCH_DEFINER (label fw_cmd_md_t): rdma-core's object life cycle completes, created once, no AVC"

vq=$(created 0x000d)
run_in fw_any_t /tmp/cls-dv.avc /tmp/cls-dv.out /fwlsm/devx-dv -t 0xd
rc=$?
sed 's/^/# /' /tmp/cls-dv.out
[ $rc = 13 ]
result $? "VIRTIO_NET_Q (label fw_cmd_vq_t): mlx5dv_devx_obj_create fails with EACCES (exit $rc)"
[ "$(created 0x000d)" -eq "$vq" ]
result $? "and the firmware never created it"
[ "$(denials fw_cmd_vq_t)" = 1 ] && [ "$(grep -c . /tmp/cls-dv.avc)" = 1 ]
result $? "exactly one AVC record: send, fw_any_t, fw_cmd_vq_t, mlx5_devx_cmd, fwopcode=0xa00"
sed 's/^/# /' /tmp/cls-dv.avc

dd if=$saved of=$R bs=64k 2>/dev/null && cmp -s $R $saved
result $? "the previous rule set is restored"
echo 0 > /sys/fs/selinux/enforce
exit $fail
