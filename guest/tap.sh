# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest's shell tests: "result STATUS DESCRIPTION" prints
# one TAP line; $fail is 1 once any result was not 0.
n=0
fail=0
result()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fail=1
	fi
}

# fw_sent OPCODE (0x%04x): commands with OPCODE that a user context sent
# and the emulated firmware executed (its command log, shared in /fw)
fw_sent()
{
	grep -c "^cmd opcode=$1 op_mod=0x[0-9a-f]* uid=[1-9]" /fw/emu.log
}

# run_in DOMAIN AVC OUT CMD...: run CMD in DOMAIN; the AVC records it
# caused go to the file AVC, its output to OUT; returns its exit status
run_in()
{
	dom=$1 avc=$2 out=$3
	shift 3
	/fwlsm/avc-watch sh -c "printf %s system_u:system_r:$dom > /proc/self/attr/exec && exec $*" \
		> "$avc" 2> "$out"
}
