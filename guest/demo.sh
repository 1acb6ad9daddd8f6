#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demonstration `make demo` shows on the guest console: SELinux domains
# send the same firmware commands to the emulated ConnectX through fwctl;
# the policy lets one of them send only queries of the 0x01xx range through
# a device node labeled fw_dev_t, other opcodes through the same node
# labeled fw_dev_b_t, and another only the read-only debug scope; then a
# classifier rule labels one register's writes, which the policy refuses
# while the reads of the same register go through.
P=/fwlsm/policy
B='\033[1m'
N='\033[0m'
say()
{
	printf "\n${B}%s${N}\n" "$*"
}
run()
{
	echo "  \$ $*"
	sh -c "$*" 2>&1 | sed 's/^/    /'
}
# Run fwctl-send in DOMAIN: the standard setexeccon + exec transition.  The
# AVC records it caused, read over the audit socket, go to /tmp/demo.avc.
send_as()
{
	dom=$1
	shift
	printf '  [%-13s] ' "$dom"
	/fwlsm/avc-watch sh -c "printf %s system_u:system_r:$dom > /proc/self/attr/exec && exec /fwlsm/fwctl-send $*" \
		2>&1 > /tmp/demo.avc.new
	[ -s /tmp/demo.avc.new ] && mv /tmp/demo.avc.new /tmp/demo.avc
	return 0
}
# The last denial, folded for the console
last_avc()
{
	tail -n 1 /tmp/demo.avc | sed 's/^/    /' | fold -w 76 -s | sed '2,$s/^/      /'
}
fw_seen()
{
	grep -c "^cmd opcode=$1 .* uid=[1-9]" /fw/emu.log || true
}

say "fwlsm demo: firmware-command access control on Linux $(uname -r)"
run "cat /sys/kernel/security/lsm; echo"
run "ls /dev/fwctl; grep -h . /sys/bus/pci/drivers/mlx5_core/*/vendor /sys/bus/pci/drivers/mlx5_core/*/device"
echo "  /dev/fwctl/fwctl0 is the real fwctl/mlx5 driver on an emulated ConnectX-5;"
echo "  the emulator logs every command it executes to /fw/emu.log."

say "1. The policy (policy/test.conf), compiled by Debian's checkpolicy"
cat $P/test.policy > /sys/fs/selinux/load
run "grep -hE '^allow(xperm)? fw_(allow|readonly)_t .*:(fwctl|mlx5_fwctl_cmd) ' /fwlsm/test.conf"
/fwlsm/setlabel system_u:object_r:fw_dev_t /dev/fwctl/fwctl0 /dev/infiniband/uverbs0 |
	sed 's/^/  labeled: /'
echo 1 > /sys/fs/selinux/enforce
run "cat /sys/fs/selinux/enforce; echo '  (enforcing)'"

say "2. fw_any_t may send any command the driver accepts"
send_as fw_any_t 0x100 1
send_as fw_any_t 0x754

say "3. fw_allow_t may send only opcodes 0x0100-0x01ff"
hca=$(fw_seen 0x0100)
vport=$(fw_seen 0x0754)
send_as fw_allow_t 0x100 1
send_as fw_allow_t 0x754
echo
echo "  What reached the emulated firmware from fw_allow_t:"
echo "    QUERY_HCA_CAP (0x0100):           $(( $(fw_seen 0x0100) - hca )) command(s)"
echo "    QUERY_NIC_VPORT_CONTEXT (0x0754): $(( $(fw_seen 0x0754) - vport )) command(s)"
echo
echo "  The denial, as the kernel audited it:"
last_avc

say "4. The device node is the object: relabeled fw_dev_b_t, the same domain gets other opcodes"
/fwlsm/setlabel system_u:object_r:fw_dev_b_t /dev/fwctl/fwctl0 | sed 's/^/  relabeled: /'
send_as fw_allow_t 0x100 1
send_as fw_allow_t 0x754
/fwlsm/setlabel system_u:object_r:fw_dev_t /dev/fwctl/fwctl0 | sed 's/^/  relabeled: /'

say "5. Scopes: fw_readonly_t may debug-read, not configure (every fwctl driver)"
send_as fw_readonly_t -s debug_read 0x100 1
send_as fw_readonly_t -s config 0x100 1
echo "  The denial names the scope as the permission of the fwctl class:"
last_avc

say "6. The same policy on RDMA DEVX, driven by rdma-core's mlx5 provider"
echo "  devx-dv opens mlx5_0 with mlx5dv_open_device(DEVX), queries the HCA caps"
echo "  with mlx5dv_devx_general_cmd() and creates a general object with"
echo "  mlx5dv_devx_obj_create(), the way DPDK does."
creates=$(fw_seen 0x0a00)
for dom in fw_any_t fw_allow_t; do
	line=$(/fwlsm/avc-watch sh -c "printf %s system_u:system_r:$dom > /proc/self/attr/exec && exec /fwlsm/devx-dv" \
		2>&1 > /tmp/demo.avc.new | grep -m 1 'obj_create' | sed 's/devx-dv: //')
	[ -s /tmp/demo.avc.new ] && mv /tmp/demo.avc.new /tmp/demo.avc
	case "$line" in
	*' errno=0 '*) verdict=delivered ;;
	*) verdict=refused ;;
	esac
	printf '  [%-13s] %s: %s\n' "$dom" "$verdict" "$line"
done
echo "  CREATE_GENERAL_OBJECT (0x0a00) commands that reached the firmware: $(( $(fw_seen 0x0a00) - creates ))"
echo "  The denial:"
last_avc

say "7. Finer than the opcode: a register's read allowed, its write refused"
echo "  fw_any_t may send ACCESS_REG (0x0805), which reads and writes every register."
echo "  The classifier's rule (policy/classifier/demo.rules, compiled on the host"
echo "  by scripts/fwcmd-rules.py) labels the PAOS writes alone:"
grep -v '^#' /fwlsm/classifier/demo.rules | fold -w 74 -s | sed 's/^/    /'
R=/sys/kernel/security/fw_classifier/rules
cat $R > /tmp/demo-rules.saved
dd if=/fwlsm/classifier/demo.bin of=$R bs=64k 2>/dev/null &&
	echo "  loaded into $R ($(wc -c < $R) bytes read back)"
echo "  and the policy lets no domain send that label:"
run "grep -h -e 'type fw_cmd_paos_w_t' -e ' send;' /fwlsm/test.conf"
paos_r=$(grep -c '^access_reg reg=0x5006 read' /fw/emu.log)
paos_w=$(grep -c '^access_reg reg=0x5006 write' /fw/emu.log)
printf '  PAOS read: '
send_as fw_any_t -r 0x5006 0x805 1
printf '  PAOS write:'
send_as fw_any_t -r 0x5006 0x805 0
echo
echo "  What reached the emulated firmware:"
echo "    PAOS reads:  $(( $(grep -c '^access_reg reg=0x5006 read' /fw/emu.log) - paos_r ))"
echo "    PAOS writes: $(( $(grep -c '^access_reg reg=0x5006 write' /fw/emu.log) - paos_w ))"
echo "  The denial: the label is the object, send the permission:"
last_avc
dd if=/tmp/demo-rules.saved of=$R bs=64k 2>/dev/null

say "8. Last commands in the emulator's log (uid = the user context)"
grep '^cmd ' /fw/emu.log | tail -n 4 | sed 's/^/    /'
echo 0 > /sys/fs/selinux/enforce
echo
