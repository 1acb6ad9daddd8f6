#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The audit2allow round trip, guest side, in TAP.
#
#   roundtrip.sh deny   (main boot) fw_rt_t sends two fwctl commands and one
#                       DEVX command its policy does not allow: each is
#                       refused, never reaches the firmware, and leaves one
#                       AVC record, printed as "# rt-avc: RECORD" for the host
#   roundtrip.sh allow  (second boot) loads /fw/rt.policy, the test policy
#                       plus the rules the host's audit2allow -x wrote from
#                       those records (scripts/roundtrip.sh), and sends the
#                       same commands: each is served, reaches the firmware
#                       and leaves no record; then reloads the test policy
. /fwlsm/tap.sh
dom=fw_rt_t
P=/fwlsm/policy

# run CMD... in $dom; its AVC records go to /tmp/rt.avc
run()
{
	run_in "$dom" /tmp/rt.avc /tmp/rt.out "$@"
	rc=$?
	sed 's/^/# /' /tmp/rt.out
	return $rc
}
# records of the last run for OPCODE (0x%x) and CLASS
avcs()
{
	grep -c "avc:  denied  { ioctl } .* ioctlcmd=$1 .*scontext=system_u:system_r:$dom .*tclass=$2 " /tmp/rt.avc
}

# the three commands: fwctl QUERY_HCA_CAP and QUERY_ISSI, DEVX QUERY_ADAPTER
step()
{
	want=$1 op=$2 what=$3 class=$4
	shift 4
	c=$(fw_sent "$op")
	run "$@"
	rc=$?
	case $want in
	deny)
		[ "$rc" = "$deny_rc" ]
		result $? "$what refused in $dom (exit $rc)"
		[ "$(fw_sent "$op")" -eq "$c" ]
		result $? "$what never reached the firmware"
		[ "$(avcs "$(printf 0x%x "$op")" "$class")" -eq 1 ] &&
			[ "$(grep -c . /tmp/rt.avc)" -eq 1 ]
		result $? "$what left exactly one AVC record, $class"
		sed 's/^/# rt-avc: /' /tmp/rt.avc
		;;
	allow)
		[ "$rc" = 0 ]
		result $? "$what served in $dom (exit $rc)"
		[ "$(fw_sent "$op")" -eq $((c + 1)) ]
		result $? "$what reached the firmware"
		[ "$(grep -c . /tmp/rt.avc)" -eq 0 ]
		result $? "$what left no AVC record"
		sed 's/^/# /' /tmp/rt.avc
		;;
	esac
}

steps()
{
	# fwctl-send exits 1 for a refusal, devx_cmd with the errno (EACCES)
	deny_rc=1
	step "$1" 0x0100 "fwctl QUERY_HCA_CAP" mlx5_fwctl_cmd /fwlsm/fwctl-send 0x100 1
	step "$1" 0x010a "fwctl QUERY_ISSI" mlx5_fwctl_cmd /fwlsm/fwctl-send 0x10a
	deny_rc=13
	step "$1" 0x0101 "DEVX QUERY_ADAPTER" mlx5_devx_cmd /fwlsm/fwctl_lsm/devx_cmd other 0x101
}

echo "TAP version 13"
case "$1" in
deny)
	echo "1..9"
	echo 1 > /sys/fs/selinux/enforce
	steps deny
	;;
allow)
	echo "1..10"
	if [ -f /fw/rt.policy ] && cat /fw/rt.policy > /sys/fs/selinux/load; then
		result 0 "loaded the policy with audit2allow's rules (/fw/rt.policy)"
	else
		result 1 "loaded the policy with audit2allow's rules (/fw/rt.policy missing or refused)"
	fi
	echo 1 > /sys/fs/selinux/enforce
	steps allow
	cat $P/test.policy > /sys/fs/selinux/load
	;;
*)
	echo "usage: roundtrip.sh deny|allow" >&2
	exit 2
	;;
esac
echo 0 > /sys/fs/selinux/enforce
exit $fail
