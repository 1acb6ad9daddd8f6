#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, in-kernel part (scripts/bench.sh boots the guest with
# "fwlsm.tests=kbench fwlsm.kbench=MODE[,MODE]"):
#   selinux  for each policy /fwlsm/kbench/rangesN.policy (N = 0, 100, 1000
#            xperm ranges), in turn and "passes" times: load it, label the
#            fwctl node fw_dev_t and a second node of the same device
#            fw_bench_deny_t, enforce, and load bench/kmod from the domain
#            fw_bench_t, so that its checks run with that domain's
#            credentials; the module times security_fw_validate_cmd()
#            against security_file_ioctl() and checks the denials
#   classifier  the firmware command classifier's cost against the number
#            of rules: under ranges0.policy (base permissions: each check
#            one AVC lookup), enforcing, for each rule set NAME of
#            /fwlsm/kbench/cls/sets.list (scripts/bench-cls-rules.py) in
#            turn and "passes" times: write it to securityfs in one write(),
#            read it back and compare, load the module from fw_bench_t to
#            time security_fw_validate_cmd(), which walks the rules, against
#            the ioctl check (each fw batch as long as an ioctl batch), and
#            load the empty set again, read back too.  No rule of the timed
#            sets matches the command; each labels what it matches with a
#            label the domain may not send, so a wrong match is a denial.
#   nolsm    the same module on a kernel booted with no LSM implementing
#            either hook (no SELinux, no BPF LSM): every value must be
#            allowed
#   rpc      FWCTL_RPC round trips (QUERY_ADAPTER) with guest/fwctl-bench,
#            as root, in "rpc_rounds" rounds of "rpc_n"
# fwlsm.kbench.{iters,rounds,passes,rpc_n,rpc_rounds}=V on the command
# line override the defaults, fwlsm.kbench.cls=NAME[,NAME] the rule sets
# (default: all); fwlsm.kbench.cycles_per_us=V is the cycle counter's rate
# (the host's TSC), for the module's ns figures.  Prints "kbench: ..."
# lines; any "kbench: FAIL" line, and exit 1, means a figure is missing or
# a decision was wrong.
K=/fwlsm/kbench
ITERS=50000
ROUNDS=9
PASSES=2
RPC_N=2000
RPC_ROUNDS=5
CYCLES=0
CLS=
MODES=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	fwlsm.kbench=*) MODES=$(echo "${arg#*=}" | tr , ' ') ;;
	fwlsm.kbench.iters=*) ITERS=${arg#*=} ;;
	fwlsm.kbench.rounds=*) ROUNDS=${arg#*=} ;;
	fwlsm.kbench.passes=*) PASSES=${arg#*=} ;;
	fwlsm.kbench.rpc_n=*) RPC_N=${arg#*=} ;;
	fwlsm.kbench.rpc_rounds=*) RPC_ROUNDS=${arg#*=} ;;
	fwlsm.kbench.cycles_per_us=*) CYCLES=${arg#*=} ;;
	fwlsm.kbench.cls=*) CLS=$(echo "${arg#*=}" | tr , ' ') ;;
	esac
done
fail=0
failed()
{
	echo "kbench: FAIL $*"
	fail=1
}
echo "kbench: kernel $(uname -r) $(uname -v), LSMs $(cat /sys/kernel/security/lsm 2>/dev/null)"

# A second node of the fwctl device, which the policies let the bench
# domain open but not command.
deny_node()
{
	[ -e /dev/fwbench-deny ] && return 0
	[ -c /dev/fwctl/fwctl0 ] || { failed "no /dev/fwctl/fwctl0"; return 1; }
	mknod /dev/fwbench-deny c "$((0x$(stat -c %t /dev/fwctl/fwctl0)))" \
		"$((0x$(stat -c %T /dev/fwctl/fwctl0)))"
}

# kmod CONFIG DOMAIN ARGS...: load the module (from DOMAIN, if one is
# given), print its result line, unload it.
kmod()
{
	cfg=$1 dom=$2
	shift 2
	# By path: busybox's sh runs "insmod" as an applet, without the
	# execve() that makes the domain transition.
	set -- /bin/insmod $K/fwlsm_bench.ko config="$cfg" iters="$ITERS" rounds="$ROUNDS" \
		cycles_per_us="$CYCLES" deny_path=/dev/fwbench-deny "$@"
	if [ -n "$dom" ]; then
		out=$(sh -c "printf %s system_u:system_r:$dom > /proc/self/attr/exec && exec $*" 2>&1)
	else
		out=$("$@" 2>&1)
	fi
	rc=$?
	rmmod fwlsm_bench 2>/dev/null
	line=$(dmesg | sed -n "s/.*fwlsm_bench: \(result config=$cfg .*\)/\1/p")
	if [ $rc != 0 ] || [ -z "$line" ]; then
		failed "$cfg: insmod exited $rc${out:+: $out}"
		# busybox's insmod retries a failed finit_module() with
		# init_module(): the module says why twice.
		dmesg | sed -n "s/.*fwlsm_bench: \(config=$cfg .*\)/kbench:   \1/p" | uniq
		return 1
	fi
	echo "kbench: $line"
}

run_selinux()
{
	[ -f /sys/fs/selinux/load ] || { failed "selinux: SELinux is not enabled"; return; }
	deny_node || return
	p=1
	while [ $p -le "$PASSES" ]; do
		for n in 0 100 1000; do
			cat $K/ranges$n.policy > /sys/fs/selinux/load ||
				{ failed "ranges$n: the policy does not load"; continue; }
			/fwlsm/setlabel system_u:object_r:fw_dev_t /dev/fwctl/fwctl0 > /dev/null &&
				/fwlsm/setlabel system_u:object_r:fw_bench_deny_t /dev/fwbench-deny > /dev/null ||
				{ failed "ranges$n: cannot label the nodes"; continue; }
			echo 1 > /sys/fs/selinux/enforce
			# shellcheck disable=SC2046 # the module parameters, one per word
			kmod "selinux-ranges$n-p$p" fw_bench_t $(cat $K/ranges$n.args)
			echo 0 > /sys/fs/selinux/enforce
		done
		p=$((p + 1))
	done
}

R=/sys/kernel/security/fw_classifier/rules
C=$K/cls

# cls_load NAME: write rule set NAME whole, in one write() (busybox cat
# writes in pieces), and read it back.
cls_load()
{
	if ! dd if="$C/$1.bin" of=$R bs=2M iflag=fullblock 2> /tmp/cls.err; then
		failed "classifier $1: the set does not load: $(grep -m 1 'dd:' /tmp/cls.err)"
		return 1
	fi
	cmp -s $R "$C/$1.bin" ||
		{ failed "classifier $1: the set read back differs from the one written"; return 1; }
}

run_classifier()
{
	[ -f /sys/fs/selinux/load ] || { failed "classifier: SELinux is not enabled"; return; }
	[ -f $R ] || { failed "classifier: no $R (CONFIG_SECURITY_FW_CLASSIFIER)"; return; }
	deny_node || return
	sets=$CLS
	[ -n "$sets" ] || sets=$(cut -d ' ' -f 1 $C/sets.list | tr '\n' ' ')
	# shellcheck disable=SC2086 # the names, one per word
	echo "kbench: classifier sets=$(echo $sets | tr ' ' ,)"
	echo "kbench: classifier: the timed command is QUERY_ADAPTER (fwctl, op_mod 0); no rule matches it but the first of \"match\""
	for name in $sets; do
		if ! grep -q "^$name " $C/sets.list || ! [ -f $C/$name.bin ]; then
			failed "classifier: no rule set $name"
			return
		fi
		grep "^$name " $C/sets.list | while read -r _ n desc; do
			echo "kbench: classifier set=$name rules=$n bytes=$(wc -c < $C/$name.bin): $desc"
		done
	done
	cat $K/ranges0.policy > /sys/fs/selinux/load ||
		{ failed "classifier: ranges0.policy does not load"; return; }
	/fwlsm/setlabel system_u:object_r:fw_dev_t /dev/fwctl/fwctl0 > /dev/null &&
		/fwlsm/setlabel system_u:object_r:fw_bench_deny_t /dev/fwbench-deny > /dev/null ||
		{ failed "classifier: cannot label the nodes"; return; }
	# Enforcing from here: the policy must let this domain load rules.
	echo 1 > /sys/fs/selinux/enforce
	p=1
	while [ $p -le "$PASSES" ]; do
		for name in $sets; do
			cls_load "$name" || continue
			# shellcheck disable=SC2046 # the module parameters, one per word
			kmod "cls-$name-p$p" fw_bench_t fw_iters=-1 $(cat $C/$name.args)
			cls_load r0 || break 2
		done
		p=$((p + 1))
	done
	echo 0 > /sys/fs/selinux/enforce
}

run_nolsm()
{
	case ",$(cat /sys/kernel/security/lsm)," in
	*,selinux,*|*,bpf,*)
		failed "nolsm: booted with an LSM that implements the hooks: $(cat /sys/kernel/security/lsm)"
		return ;;
	esac
	deny_node || return
	p=1
	while [ $p -le "$PASSES" ]; do
		# Each call costs tens of ns here: ten times the iterations,
		# so that a batch is long against the timer interrupts in it.
		n=$ITERS
		ITERS=$((n * 10))
		# shellcheck disable=SC2046
		kmod "nolsm-p$p" "" expect_deny=0 $(cat $K/ranges1000.args)
		ITERS=$n
		p=$((p + 1))
	done
}

run_rpc()
{
	all=
	r=1
	while [ $r -le "$RPC_ROUNDS" ]; do
		ns=$(/fwlsm/fwctl-bench "$RPC_N" 0x101 | sed -n 's/.*ns_per_rpc=\([0-9]*\) errors=0$/\1/p')
		[ -n "$ns" ] || { failed "rpc: FWCTL_RPC failed in round $r"; return; }
		echo "kbench: rpc round=$r n=$RPC_N ns_per_rpc=$ns"
		all="$all $ns"
		r=$((r + 1))
	done
	med=$(echo "$all" | tr ' ' '\n' | sed '/^$/d' | sort -n |
		awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	echo "kbench: rpc result n=$RPC_N rounds=$RPC_ROUNDS median_ns_per_rpc=$med"
}

[ -n "$MODES" ] || failed "no fwlsm.kbench=MODE on the command line"
for m in $MODES; do
	case $m in
	selinux) run_selinux ;;
	classifier) run_classifier ;;
	nolsm) run_nolsm ;;
	rpc) run_rpc ;;
	*) failed "unknown mode $m" ;;
	esac
done
# A kernel report during the run makes its figures worthless.
dmesg | grep -E 'WARNING:|BUG:|Oops|INFO: possible|circular locking' |
	sed 's/^/kbench: FAIL kernel log: /' | grep . && fail=1
echo "kbench: done"
exit $fail
