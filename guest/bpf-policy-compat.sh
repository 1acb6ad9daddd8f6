#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A policy written before bpf prog_load_unverified existed, with bpf_sig
# enabled, in TAP.  Compiled with handle_unknown=allow (like the test
# policy), it makes the kernel report the permission as undefined and
# grant it: unsigned programs still load with prog_load alone.  Compiled
# with handle_unknown=deny, it refuses the permission: unsigned programs
# are refused to every domain, with an AVC record naming it, while a
# program signed with a trusted key still loads.  Leaves the test policy
# loaded, in permissive mode, as it found it.
P=/fwlsm/policy
T=/fwlsm/bpf_integrity/bpf_integrity_test
. /fwlsm/tap.sh
undefined_count()
{
	dmesg | grep -c 'SELinux: *Permission prog_load_unverified in class bpf not defined in policy'
}
# Load the program without a signature from domain $1; exit status 0 or errno.
load_unsigned_as()
{
	(echo "system_u:system_r:$1" > /proc/self/attr/exec &&
		exec "$T" --load "$BPF_INTEGRITY_CERT" -)
}
# The same, signed with the key of the kernel's built-in trusted keyring
load_trusted_as()
{
	(echo "system_u:system_r:$1" > /proc/self/attr/exec &&
		exec "$T" --load - "$BPF_INTEGRITY_TRUSTED_SIG")
}

echo "TAP version 13"
echo "1..8"
grep -qw bpf_sig /sys/kernel/security/lsm
result $? "the bpf_sig LSM is enabled"

before=$(undefined_count)
cat $P/nobpfunverified.policy > /sys/fs/selinux/load
result $? "a policy without bpf prog_load_unverified loads"
[ "$(undefined_count)" -gt "$before" ]
result $? "the kernel reports prog_load_unverified as undefined"

echo 1 > /sys/fs/selinux/enforce
load_unsigned_as bpf_signed_t
rc=$?
echo 0 > /sys/fs/selinux/enforce
[ $rc = 0 ]
result $? "handle_unknown=allow: an unsigned program loads with prog_load alone (status $rc)"

cat $P/nobpfunverified-deny.policy > /sys/fs/selinux/load
result $? "the same policy compiled with handle_unknown=deny loads"
# Under this policy even the runner (kernel_t) is refused what the policy
# does not declare (creating a file needs the undeclared filesystem
# class), so everything that runs enforcing runs in one shell under
# avc-watch, writing only to descriptors opened beforehand.
/fwlsm/avc-watch sh -c "
	echo 1 > /sys/fs/selinux/enforce
	(printf %s system_u:system_r:bpf_unverified_t > /proc/self/attr/exec &&
		exec $T --load $BPF_INTEGRITY_CERT -)
	echo unsigned=\$?
	(printf %s system_u:system_r:bpf_signed_t > /proc/self/attr/exec &&
		exec $T --load - $BPF_INTEGRITY_TRUSTED_SIG)
	echo trusted=\$?
	echo 0 > /sys/fs/selinux/enforce" > /tmp/compat.avc 2> /tmp/compat.out
echo 0 > /sys/fs/selinux/enforce
sed 's/^/# /' /tmp/compat.out /tmp/compat.avc
rc=$(sed -n 's/^unsigned=//p' /tmp/compat.out)
rc2=$(sed -n 's/^trusted=//p' /tmp/compat.out)
[ "$rc" = 13 ] && [ "$(grep -c 'denied  *{ prog_load_unverified } .*scontext=system_u:system_r:bpf_unverified_t' /tmp/compat.avc)" = 1 ]
result $? "handle_unknown=deny: an unsigned program is refused to a domain the old policy gave every bpf permission it knows, with one AVC record naming prog_load_unverified (status $rc)"
[ "$rc2" = 0 ]
result $? "handle_unknown=deny: a program signed with a trusted key loads with prog_load alone (status $rc2)"

cat $P/test.policy > /sys/fs/selinux/load
result $? "the fwlsm test policy loads again"
exit $fail
