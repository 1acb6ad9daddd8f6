#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the fwctl_lsm selftests in a virtme-ng guest that has an mlx5 device
# on its PCI Express bus, served over vfio-user by a device emulator, so
# that the real mlx5_core, mlx5_ib and mlx5_fwctl drivers run without the
# hardware.  x86_64 only.
#
# Dependencies:
#	* virtme-ng (vng) 1.20 or later, and in the root it shares with the
#	  guest what its virtme-init needs (udev, poweroff, ip)
#	* QEMU with the vfio-user-pci device (10.1 or later)
#	* an emulator of an mlx5 device, named by FWCTL_LSM_EMU
#	* a binary SELinux policy with the firmware-command classes and the
#	  domains of fwctl_lsm.cil, named by FWCTL_LSM_POLICY
#	* the tests, built: make -C tools/testing/selftests TARGETS=fwctl_lsm
#	* a kernel built with ./config and what vng needs (vng --kconfig)
#
# The emulator is not part of the kernel tree.  FWCTL_LSM_EMU names an
# executable that vmtest.sh starts as
#
#	$FWCTL_LSM_EMU --socket SOCKET --log LOG --state STATE
#
# It must serve the device on the vfio-user socket SOCKET, append a line
# to LOG for each command it executes and keep its live objects in STATE,
# in the formats the tests read through FWCTL_LSM_FW_LOG and
# FWCTL_LSM_FW_STATE (see README).  The guest reads LOG and STATE through
# a 9p share of their directory, so that each read is current.  The
# guest's memory is a shared memfd, so that an emulator can map it; the
# root is shared over 9p (--force-9p) because the guest's ld.so faulted
# on a virtiofs root in the QEMU versions tried.
#
# The guest sees the host's root file system read-only, runs as root in
# the initial SID's domain (kernel_t in a reference policy), loads
# FWCTL_LSM_POLICY, labels /dev/null as restorecon would, and runs each
# test binary chrooted in a tmpfs it mounts (the test domains are entered
# from, and search, labelled files only) with FWCTL_LSM_REQUIRE=1: a
# binary that would skip for a missing prerequisite fails instead.  The guest is given VMTEST_TIMEOUT
# seconds (default 1200; QEMU without KVM is slow).

SCRIPT_DIR="$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
KERNEL_CHECKOUT=$(realpath "${SCRIPT_DIR}"/../../../../)
readonly SCRIPT_DIR KERNEL_CHECKOUT
readonly TESTS=(fwctl_lsm_test fwcmd_selinux_test devx_selinux_test)

source "${SCRIPT_DIR}"/../kselftest/ktap_helpers.sh

QEMU=qemu-system-x86_64
KERNEL=""
VERBOSE=0
TEST_DIR="${OUTPUT:-${SCRIPT_DIR}}"

usage() {
	echo "$0 [-k KERNEL] [-o DIR] [-q QEMU] [-v]"
	echo
	echo "  -k: the kernel image to boot (default: arch/x86/boot/bzImage in"
	echo "      KBUILD_OUTPUT or the source tree)"
	echo "  -o: the directory holding the built tests (default: \$OUTPUT, or"
	echo "      this directory)"
	echo "  -q: the qemu-system-x86_64 binary to use"
	echo "  -v: show the guest's console"
	echo
	echo "Environment: FWCTL_LSM_EMU (the emulator), FWCTL_LSM_POLICY (the"
	echo "binary policy), VMTEST_TIMEOUT, VNG_OPTS (more vng options, for"
	echo "example --disable-kvm)."
	exit 1
}

skip() {
	ktap_print_header
	ktap_skip_all "$*"
	exit "${KSFT_SKIP}"
}

# Inside the guest: vng runs "vmtest.sh --guest FWDIR TESTDIR POLICY".
# The host's root, shared over 9p, has no SELinux labels the policy knows
# (unlabeled_t), and the test domains may not search it, so each test runs
# chrooted in a tmpfs that holds the binaries, /dev, /proc, /sys and the
# emulator's share, as on a system whose files are labelled.
guest() {
	local run=/tmp/fwctl_lsm_run t rc i

	exec 2>&1
	mount -t selinuxfs selinuxfs /sys/fs/selinux 2> /dev/null
	# The policy must reach the kernel in one write().
	dd if="$3" of=/sys/fs/selinux/load bs=64M iflag=fullblock status=none ||
		{ echo "# loading the policy failed"; return 1; }
	chcon system_u:object_r:null_device_t:s0 /dev/null ||
		{ echo "# labelling /dev/null failed"; return 1; }
	echo 1 > /sys/fs/selinux/enforce
	mkdir -p "${run}"
	mount -t tmpfs tmpfs "${run}" ||
		{ echo "# mounting a tmpfs failed"; return 1; }
	mkdir "${run}/dev" "${run}/proc" "${run}/sys" "${run}/fw" "${run}/tmp"
	cp "${TESTS[@]/#/$2/}" "$2/devx_cmd" "${run}/"
	mount --rbind /dev "${run}/dev" && mount --rbind /sys "${run}/sys" &&
		mount -t proc proc "${run}/proc" ||
		{ echo "# mounting /dev, /sys and /proc in ${run} failed"; return 1; }
	mount -t 9p -o trans=virtio,ro fwctl_lsm_fw "${run}/fw" ||
		{ echo "# mounting the emulator's share failed"; return 1; }
	# Probing the device takes a while without KVM.
	for ((i = 0; i < 120; i++)); do
		[[ -e /dev/fwctl/fwctl0 && -e /dev/infiniband/uverbs0 ]] && break
		sleep 1
	done
	ktap_print_header
	ktap_set_plan $((${#TESTS[@]} + 1))
	for t in "${TESTS[@]}"; do
		FWCTL_LSM_REQUIRE=1 FWCTL_LSM_FW_LOG=/fw/emu.log \
			FWCTL_LSM_FW_STATE=/fw/emu.state chroot "${run}" "/${t}" |
			sed 's/^/# /'
		rc=${PIPESTATUS[0]}
		if [[ "${rc}" -eq 0 ]]; then
			ktap_test_pass "${t}"
		else
			ktap_test_fail "${t} (exit status ${rc})"
		fi
	done
	if [[ "$(cat /sys/fs/selinux/enforce)" = 1 ]]; then
		ktap_test_pass "the tests left SELinux enforcing"
	else
		ktap_test_fail "the tests left SELinux enforcing"
	fi
	ktap_print_totals
	[[ "${KTAP_CNT_FAIL}" -eq 0 && "${KTAP_CNT_PASS}" -eq $((${#TESTS[@]} + 1)) ]]
}

if [[ "${1:-}" = --guest ]]; then
	guest "$2" "$3" "$4"
	exit $?
fi

while getopts "k:o:q:v" o; do
	case "${o}" in
	k) KERNEL=${OPTARG} ;;
	o) TEST_DIR=${OPTARG} ;;
	q) QEMU=${OPTARG} ;;
	v) VERBOSE=1 ;;
	*) usage ;;
	esac
done

if [[ -z "${KERNEL}" ]]; then
	KERNEL="${KBUILD_OUTPUT:-${KERNEL_CHECKOUT}}/arch/x86/boot/bzImage"
fi

[[ "$(uname -m)" = x86_64 ]] || skip "vmtest.sh runs on x86_64 only"
command -v vng > /dev/null || skip "virtme-ng (vng) not found"
command -v "${QEMU}" > /dev/null || skip "${QEMU} not found"
"${QEMU}" -device help 2> /dev/null | grep -q '"vfio-user-pci"' ||
	skip "${QEMU} has no vfio-user-pci device (QEMU 10.1 or later has it)"
[[ -n "${FWCTL_LSM_EMU:-}" && -x "${FWCTL_LSM_EMU}" ]] ||
	skip "FWCTL_LSM_EMU does not name an executable device emulator"
[[ -n "${FWCTL_LSM_POLICY:-}" && -r "${FWCTL_LSM_POLICY}" ]] ||
	skip "FWCTL_LSM_POLICY does not name a readable binary policy"
[[ -r "${KERNEL}" ]] || skip "no kernel image ${KERNEL}"
for t in "${TESTS[@]}" devx_cmd; do
	[[ -x "${TEST_DIR}/${t}" ]] ||
		skip "${TEST_DIR}/${t} not found: make -C tools/testing/selftests TARGETS=fwctl_lsm"
done
TEST_DIR=$(realpath "${TEST_DIR}")
policy=$(realpath "${FWCTL_LSM_POLICY}")

work=$(mktemp -d "${TMPDIR:-/tmp}/fwctl_lsm_vmtest.XXXXXX") || exit "${KSFT_FAIL}"
sock=${work}/mlx5.sock
emu_pid=""
cleanup() {
	if [[ -n "${emu_pid}" ]]; then
		kill "${emu_pid}" 2> /dev/null
		wait "${emu_pid}" 2> /dev/null
	fi
	rm -rf "${work}"
}
trap cleanup EXIT

mkdir -p "${work}/fw"
"${FWCTL_LSM_EMU}" --socket "${sock}" --log "${work}/fw/emu.log" \
	--state "${work}/fw/emu.state" 2> "${work}/emu.stderr" &
emu_pid=$!
for ((i = 0; i < 100; i++)); do
	[[ -S "${sock}" ]] && break
	kill -0 "${emu_pid}" 2> /dev/null || break
	sleep 0.1
done
if [[ ! -S "${sock}" ]]; then
	cat "${work}/emu.stderr" >&2
	echo "the emulator did not start" >&2
	exit "${KSFT_FAIL}"
fi

# vng hands --qemu-opts and --exec to a shell once more: quote for it.
dev=$(printf '{"driver":"vfio-user-pci","socket":{"type":"unix","path":"%s"},"bus":"fwctl_lsm_rp","addr":"0.0"}' "${sock}")
qopts="-object memory-backend-memfd,id=fwctl_lsm_mem,size=1G,share=on"
qopts+=" -machine memory-backend=fwctl_lsm_mem"
qopts+=" -device pcie-root-port,id=fwctl_lsm_rp,chassis=1,slot=1"
qopts+=" -device $(printf %q "${dev}")"
qopts+=" -fsdev $(printf %q "local,id=fwctl_lsm_fw,path=${work}/fw,security_model=none,readonly=on")"
qopts+=" -device virtio-9p-pci,fsdev=fwctl_lsm_fw,mount_tag=fwctl_lsm_fw"
exec_cmd=$(printf '%q ' "${SCRIPT_DIR}/vmtest.sh" --guest "${work}/fw" "${TEST_DIR}" "${policy}")
console=/dev/null
verbose=()
if [[ "${VERBOSE}" -eq 1 ]]; then
	console=/dev/stderr
	verbose=(--verbose)
fi
# shellcheck disable=SC2086 # VNG_OPTS is a list of options
timeout "${VMTEST_TIMEOUT:-1200}" \
	vng --run "${KERNEL}" "${verbose[@]}" --user root --memory 1G --cpus 2 --force-9p \
	--qemu "${QEMU}" ${VNG_OPTS:-} --qemu-opts="${qopts}" \
	--append "lsm=selinux" --exec "${exec_cmd}" 2> "${console}" |
	tee "${work}/guest.out"
rc=${PIPESTATUS[0]}
# The guest's status only counts with its totals: a vng that lost the
# status, or a guest that never ran the tests, must not pass.
if [[ ${rc} -ne 0 ]] ||
   ! grep -qx "# Totals: pass:$((${#TESTS[@]} + 1)) fail:0 xfail:0 xpass:0 skip:0 error:0" \
	"${work}/guest.out"; then
	echo "# the tests failed in the guest (status ${rc}); the emulator said:"
	sed 's/^/# /' "${work}/emu.stderr"
	exit "${KSFT_FAIL}"
fi
exit "${KSFT_PASS}"
