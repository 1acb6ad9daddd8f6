#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fwctl_lsm selftests put back what they change: from a state that is
# not the one they set up (permissive, nodes labeled fw_dev_b_t, auditing
# disabled), run one case of each SELinux test binary and check the
# enforcing mode, the labels and the audit setting afterwards, in TAP.
. /fwlsm/tap.sh
echo "TAP version 13"
echo "1..8"
for t in "fwcmd_selinux_test -r fwcmd.denied_opcode.rpc /dev/fwctl/fwctl0" \
	 "devx_selinux_test -r devx.other_denied.cmd /dev/infiniband/uverbs0"; do
	set -- $t
	echo 0 > /sys/fs/selinux/enforce
	/fwlsm/setlabel system_u:object_r:fw_dev_b_t "$4" > /dev/null
	before=$(/fwlsm/setlabel --get "$4")
	/fwlsm/avc-watch --enabled 0
	(cd /fwlsm/fwctl_lsm && ./$1 $2 $3) > /tmp/restore.out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/restore.out
	[ $rc = 0 ] && grep -q '^ok 1 ' /tmp/restore.out
	result $? "$1 $3 ran and passed"
	[ "$(cat /sys/fs/selinux/enforce)" = 0 ]
	result $? "$1 left the enforcing mode as it found it (permissive)"
	after=$(/fwlsm/setlabel --get "$4")
	[ -n "$before" ] && [ "$after" = "$before" ]
	result $? "$1 left $4 labeled as it found it ($before, now $after)"
	audit=$(/fwlsm/avc-watch --enabled)
	[ "$audit" = 0 ]
	result $? "$1 left auditing disabled, as it found it (enabled=$audit)"
	/fwlsm/setlabel system_u:object_r:fw_dev_t "$4" > /dev/null
done
exit $fail
