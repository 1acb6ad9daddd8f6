#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The chain from a signature to the program that guards the firmware, in
# TAP, on the BPF LSM boot (lsm=selinux,bpf_sig,bpf): the BPF LSM program of
# selftests/fwctl_lsm (fw_reg_guard: ACCESS_REG may not write the PAOS
# register) is loaded by "fwcmd_bpf_test --hold" from a test domain,
# signed with the kernel's trusted key, with a key of the loader's own
# keyring, or unsigned.  bpf_sig's verdict decides whether SELinux asks for
# prog_load_unverified; the domain decides whether it is granted; and once
# loaded, the program must refuse the PAOS write, which then never reaches
# the emulated device, while the PAOS read does.  Leaves the test policy
# loaded, in permissive mode, with no program attached.
H=/fwlsm/fwctl_lsm/fwcmd_bpf_test
K=/fwlsm/bpf_integrity/keys
. /fwlsm/tap.sh

# fw_sent_mod OPCODE OP_MOD: user-context commands the device ran
fw_sent_mod()
{
	grep -c "^cmd opcode=$1 op_mod=$2 uid=[1-9]" /fw/emu.log
}

# The PAOS write and read from the runner (kernel_t, which the policy
# lets send any opcode): "refused" or "delivered", and whether the device
# ran them.
paos()
{
	w0=$(fw_sent_mod 0x0805 0x0000)
	r0=$(fw_sent_mod 0x0805 0x0001)
	/fwlsm/fwctl-send -s config -r 0x5006 0x805 0 > /tmp/chain.w 2>&1
	wrc=$?
	/fwlsm/fwctl-send -r 0x5006 0x805 1 > /tmp/chain.r 2>&1
	rrc=$?
	sed 's/^/# /' /tmp/chain.w /tmp/chain.r
	wn=$(($(fw_sent_mod 0x0805 0x0000) - w0))
	rn=$(($(fw_sent_mod 0x0805 0x0001) - r0))
}

# hold DOMAIN SIG CERT: start the loader in DOMAIN; 0 once the program is
# attached (it stays attached until release), else the loader's status.
hold()
{
	rm -f /tmp/chain.in /tmp/chain.out
	mkfifo /tmp/chain.in
	/fwlsm/avc-watch sh -c "printf %s system_u:system_r:$1 > /proc/self/attr/exec && exec $H --hold $2 $3" \
		< /tmp/chain.in > /tmp/chain.avc 2> /tmp/chain.err &
	holder=$!
	exec 9> /tmp/chain.in
	i=0
	while [ $i -lt 300 ]; do
		grep -q '^attached' /tmp/chain.err 2>/dev/null && return 0
		kill -0 $holder 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	exec 9>&-
	wait $holder
}

release()
{
	exec 9>&-
	wait $holder
}

# check NAME DOMAIN SIG CERT WANT: one load; WANT "attached" or "refused"
check()
{
	name=$1 dom=$2 sig=$3 cert=$4 want=$5
	echo 1 > /sys/fs/selinux/enforce
	hold "$dom" "$sig" "$cert"
	rc=$?
	if [ $rc = 0 ]; then
		paos
		release
		lrc=$?
	fi
	echo 0 > /sys/fs/selinux/enforce
	sed 's/^/# /' /tmp/chain.err /tmp/chain.avc
	avcs=$(grep -c 'avc: *denied' /tmp/chain.avc)
	if [ "$want" = attached ]; then
		[ $rc = 0 ] && [ "$avcs" = 0 ]
		result $? "$name: $dom loads and attaches the guard, no AVC record (status $rc, $avcs records)"
		[ $rc = 0 ] && [ $wrc = 1 ] && [ $wn = 0 ]
		result $? "$name: the guard refuses the PAOS write, which the device never runs (ran $wn)"
		[ $rc = 0 ] && [ $rrc = 0 ] && [ $rn = 1 ] && [ "$lrc" = 0 ]
		result $? "$name: the PAOS read is delivered (ran $rn)"
	else
		[ $rc = 13 ] && [ "$avcs" = 1 ] &&
			grep -q 'denied  *{ prog_load_unverified } .*scontext=system_u:system_r:'"$dom" /tmp/chain.avc
		result $? "$name: $dom is refused the load (EACCES, one AVC record naming prog_load_unverified; status $rc)"
	fi
}

echo "TAP version 13"
echo "1..13"
grep -qw bpf /sys/kernel/security/lsm && grep -qw bpf_sig /sys/kernel/security/lsm
result $? "BPF LSM and bpf_sig are enabled ($(cat /sys/kernel/security/lsm))"

check "trusted key" bpf_signed_t $K/guard-trusted.p7s - attached
check "unsigned" bpf_signed_t - - refused
check "own keyring" bpf_signed_t $K/guard-sig.p7s $K/cert.der refused
check "unsigned" bpf_unverified_t - - attached
check "own keyring" bpf_unverified_t $K/guard-sig.p7s $K/cert.der attached

# With no program attached the same write reaches the device.
paos
[ $wrc = 0 ] && [ $wn = 1 ]
result $? "detached: the PAOS write is delivered (ran $wn)"
exit $fail
