#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fwctl_lsm selftests as kernel CI runs them: installed by the stock
# kselftest "install" target and run by its run_kselftest.sh, under
# Debian's policy with fwlsm's kit and the selftests' own fwctl_lsm.cil,
# enforcing (scripts/ksft-guest.sh made both, shared in /fw).  The policy
# is the first this boot loads.
#   ksft-stock.sh device    the emulated device is there: every binary
#                           passes, and none skips a case, except
#                           fwcmd_bpf_test, which must skip for want of
#                           BPF LSM (this boot has the default LSM list),
#                           and fw_classifier_test, whose case of the
#                           permission setfwrules must skip: Debian's base
#                           policy has no such permission, and no module
#                           can add one
#   ksft-stock.sh nodevice  this boot has no device: every binary reports
#                           SKIP, for want of the device node
. /fwlsm/tap.sh
mode=$1
names="fwctl_lsm_test fwcmd_selinux_test devx_selinux_test fw_classifier_test"
echo "TAP version 13"
echo "1..8"
# In one write(), as the kernel requires: busybox cat writes in pieces.
cp /fw/selftests.policy /tmp/selftests.policy
dd if=/tmp/selftests.policy of=/sys/fs/selinux/load bs=16M iflag=fullblock 2>/dev/null
result $? "Debian's policy with the kit and fwctl_lsm.cil loads"
# What restorecon would do on a distribution: the nodes that existed
# before the policy came get the base policy's default label, not their
# own; the test domains use /dev/null.
/fwlsm/setlabel system_u:object_r:null_device_t:s0 /dev/null > /dev/null
echo 1 > /sys/fs/selinux/enforce
ctx=$(cat /proc/self/attr/current)
echo "# runner context: $ctx, enforcing: $(cat /sys/fs/selinux/enforce)"
# The base policy does not let a domain be entered from a file without a
# label (9p), so run them from a tmpfs, as README says.
rm -rf /tmp/ksft
cp -r /fw/ksft /tmp/ksft
if [ "$mode" = nodevice ]; then
	# Nothing here to require, and no emulator whose log to name
	unset FWCTL_LSM_REQUIRE FWCTL_LSM_FW_LOG FWCTL_LSM_FW_STATE
	! [ -e /dev/fwctl/fwctl0 ] && ! [ -e /dev/infiniband/uverbs0 ]
	result $? "no fwctl or uverbs device node in this boot"
fi
# Appending: the runner reopens /dev/stdout for the tests' output, and a
# second open file description without O_APPEND would overwrite it.
: > /tmp/ksft.out
(cd /tmp/ksft && ./run_kselftest.sh) >> /tmp/ksft.out 2>&1
rc=$?
sed 's/^/# /' /tmp/ksft.out
[ "$mode" = nodevice ] || result $rc "run_kselftest.sh exit status $rc"
# The cases each binary passes (kselftest_harness "1..N" less the skips).
cases_fwctl_lsm_test=3
cases_fwcmd_selinux_test=17
cases_devx_selinux_test=21
cases_fw_classifier_test=4
# and the cases each must skip, with the reason it must give
skips_fw_classifier_test=1
why_fw_classifier_test="the policy lacks the permission setfwrules"
for t in $names; do
	# The runner's line for the binary, and the binary's own totals
	# (no "#" in a TAP description: it would start a directive)
	line=$(grep "^ok [0-9]* selftests: fwctl_lsm: $t\b\|^not ok [0-9]* selftests: fwctl_lsm: $t\b" /tmp/ksft.out)
	shown=$(echo "$line" | tr '#' '/')
	if [ "$mode" = nodevice ]; then
		[ "${line#ok }" != "$line" ] && [ "${line%# SKIP}" != "$line" ] &&
			sed -n "/^# selftests: fwctl_lsm: $t\$/,/selftests: fwctl_lsm: $t #/p" /tmp/ksft.out |
			grep -q "/dev/[a-z/]*[0-9]: \(no device node\|No such file or directory\)"
		result $? "$t: the stock runner reports SKIP without the device ($shown)"
	else
		totals=$(sed -n "/^# selftests: fwctl_lsm: $t\$/,/selftests: fwctl_lsm: $t\$/p" /tmp/ksft.out |
			grep -o "Totals: pass:[0-9]* fail:[0-9]* xfail:[0-9]* xpass:[0-9]* skip:[0-9]* error:[0-9]*")
		eval want=\$cases_$t skips=\${skips_$t:-0} why=\${why_$t:-}
		block=$(sed -n "/^# selftests: fwctl_lsm: $t\$/,/selftests: fwctl_lsm: $t\$/p" /tmp/ksft.out)
		[ "$line" = "ok ${line#ok }" ] && [ "${line%SKIP}" = "$line" ] &&
			echo "$totals" | grep -q "pass:$want fail:0 xfail:0 xpass:0 skip:$skips error:0" &&
			{ [ "$skips" = 0 ] || [ "$(echo "$block" | grep -c "SKIP *$why")" -ge "$skips" ]; }
		result $? "$t: the stock runner reports ok with the device ($shown; $totals)"
	fi
done
# The BPF LSM test: each case skipped here, for its own reason (the
# binary then exits 0, so the runner's line has no SKIP directive)
line=$(grep "^ok [0-9]* selftests: fwctl_lsm: fwcmd_bpf_test\b\|^not ok [0-9]* selftests: fwctl_lsm: fwcmd_bpf_test\b" /tmp/ksft.out)
if [ "$mode" = nodevice ]; then
	why="no fwctl device /dev/fwctl/fwctl0"
else
	why="BPF LSM is not enabled"
fi
block=$(sed -n "/^# selftests: fwctl_lsm: fwcmd_bpf_test\$/,/ok [0-9]* selftests: fwctl_lsm: fwcmd_bpf_test/p" /tmp/ksft.out)
[ "${line#ok }" != "$line" ] &&
	echo "$block" | grep -q "Totals: pass:0 fail:0 xfail:0 xpass:0 skip:5 error:0" &&
	[ "$(echo "$block" | grep -c "SKIP *$why")" -ge 5 ]
result $? "fwcmd_bpf_test: the stock runner reports its 5 cases skipped, $why ($(echo "$line" | tr '#' '/'))"
[ "$(cat /sys/fs/selinux/enforce)" = 1 ]
result $? "the tests left the system enforcing"
exit $fail
