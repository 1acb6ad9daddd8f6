#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make try: load the policy the host built from the test policy and the
# policy writer's rules (/fw/try.policy), label the device nodes, and send
# a fixed set of commands from the writer's domain through fwctl at each
# scope and through DEVX, printing for each what happened, whether it
# reached the emulated firmware and the AVC records it left.
. /fwlsm/tap.sh
. /fw/try.env
P=/fwlsm/policy
ops="0x0100 0x0101 0x010a 0x0754"
cat /fw/try.policy > /sys/fs/selinux/load || { echo "try: the policy does not load"; exit 1; }
/fwlsm/setlabel "system_u:object_r:$LABEL" /dev/fwctl/fwctl0 /dev/infiniband/uverbs0 ||
	{ echo "try: cannot label the device nodes $LABEL"; exit 1; }
echo 1 > /sys/fs/selinux/enforce

# show WHAT OPCODE CMD...: run CMD in $DOMAIN and say what happened
show()
{
	what=$1 op=$2
	shift 2
	c=$(fw_sent "$op")
	run_in "$DOMAIN" /tmp/try.avc /tmp/try.out "$@"
	rc=$?
	if [ "$(fw_sent "$op")" -gt "$c" ]; then fw="reached the firmware"; else fw="did not reach the firmware"; fi
	case $rc in
	0) res=served ;;
	*) res="refused (exit $rc)" ;;
	esac
	echo "try: $what opcode $op: $res, $fw, $(grep -c . /tmp/try.avc) AVC record(s)"
	sed 's/^/try:     /' /tmp/try.avc
}

echo "try: domain $DOMAIN, device nodes labeled $LABEL"
for scope in config debug_read debug_write; do
	for op in $ops; do
		# QUERY_HCA_CAP needs op_mod 1 (the current capabilities)
		m=0
		[ "$op" = 0x0100 ] && m=1
		show "fwctl $scope" "$op" /fwlsm/fwctl-send -s "$scope" "$op" "$m"
	done
done
for op in $ops; do
	show "DEVX_OTHER" "$op" /fwlsm/fwctl_lsm/devx_cmd other "$op"
done
echo 0 > /sys/fs/selinux/enforce
cat $P/test.policy > /sys/fs/selinux/load
echo "try: done"
