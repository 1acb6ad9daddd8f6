#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: FWCTL_RPC round trips (QUERY_ADAPTER) from a domain with the
# mlx5_fwctl_cmd base permission only (no xperm rule: the opcode is not
# looked up)
# and from one whose opcodes are filtered by an allowxperm set, measured
# side by side in interleaved rounds, enforcing.  Each RPC is one command
# executed by the emulated device, so the rate is also its throughput as
# the guest sees it.
N=${FWLSM_BENCH_N:-2000}
ROUNDS=${FWLSM_BENCH_ROUNDS:-5}
cat /fwlsm/policy/test.policy > /sys/fs/selinux/load
/fwlsm/setlabel system_u:object_r:fw_dev_t /dev/fwctl/fwctl0 > /dev/null || exit 1
echo 1 > /sys/fs/selinux/enforce

run_as()
{
	sh -c "printf %s system_u:system_r:$1 > /proc/self/attr/exec && exec /fwlsm/fwctl-bench $N 0x101" |
		sed -n 's/.*ns_per_rpc=\([0-9]*\) errors=0$/\1/p'
}
median()
{
	tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

base=
xperm=
r=1
while [ $r -le "$ROUNDS" ]; do
	b=$(run_as fw_any_t)
	x=$(run_as fw_allow_t)
	[ -n "$b" ] && [ -n "$x" ] || { echo "bench: an RPC failed"; exit 1; }
	echo "round $r: base permission only ${b} ns/RPC, allowxperm set ${x} ns/RPC"
	base="$base $b"
	xperm="$xperm $x"
	r=$((r + 1))
done
mb=$(echo "$base" | median)
mx=$(echo "$xperm" | median)
echo 0 > /sys/fs/selinux/enforce
echo "fwlsm-bench: N=$N rounds=$ROUNDS median_base_ns=$mb median_xperm_ns=$mx" \
	"ratio_xperm_over_base=$(awk -v x="$mx" -v b="$mb" 'BEGIN { printf "%.3f", x / b }')" \
	"emulated_commands_per_s=$(awk -v b="$mb" 'BEGIN { printf "%.0f", 1e9 / b }')"
