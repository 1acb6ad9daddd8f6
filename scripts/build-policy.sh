#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Compile the SELinux test policies with Debian's checkpolicy:
#   test.policy     policy/test.conf, which defines the firmware-command
#                   classes (fwctl, mlx5_fwctl_cmd, mlx5_fwctl_tunnel_cmd,
#                   mlx5_devx_cmd, mlx5_devx_tunnel_cmd)
#   nofwcmd.policy  the same without any statement that names them (a
#                   policy written before the classes existed)
#   nobpfunverified.policy  the same without the bpf prog_load_unverified
#                   permission (written before it existed)
#   nobpfunverified-deny.policy  the same compiled with handle_unknown=deny
#   stress-b.policy the same with fw_stress_t's opcodes changed, the policy
#                   make stress loads in turn with test.policy
# Version 33 is what bookworm's checkpolicy writes and 7.3 reads.
. "$(dirname "$0")/lib.sh"

out=${1:-$FWLSM_BUILD/policy}
command -v checkpolicy >/dev/null || die "checkpolicy is missing: run 'make deps'"
mkdir -p "$out"
compile()
{
	local src=$1 dst=$2 unknown=${3:-allow} msg
	if ! msg=$(checkpolicy -U "$unknown" -c 33 -o "$dst" "$src" 2>&1); then
		printf '%s\n' "$msg" | grep -v 'No context assigned to SID' >&2
		die "policy ${src#"$FWLSM_TOP"/} does not compile (see checkpolicy's message above)"
	fi
}
compile "$FWLSM_TOP/policy/test.conf" "$out/test.policy"
grep -vwE 'fwctl|mlx5_fwctl_cmd|mlx5_fwctl_tunnel_cmd|mlx5_devx_cmd|mlx5_devx_tunnel_cmd' \
	"$FWLSM_TOP/policy/test.conf" > "$out/nofwcmd.conf"
compile "$out/nofwcmd.conf" "$out/nofwcmd.policy"
sed 's/ prog_load_unverified//g' "$FWLSM_TOP/policy/test.conf" > "$out/nobpfunverified.conf"
compile "$out/nobpfunverified.conf" "$out/nobpfunverified.policy"
# The same old policy as a distribution that denies unknown permissions
# builds it (handle_unknown=deny)
compile "$out/nobpfunverified.conf" "$out/nobpfunverified-deny.policy" deny
# make stress: policy B of the stress run (see policy/test.conf)
grep -q '# stress-a$' "$FWLSM_TOP/policy/test.conf" || die "policy/test.conf has no stress-a lines"
sed '/# stress-a$/ s/ 0x0101 / 0x010a /' "$FWLSM_TOP/policy/test.conf" > "$out/stress-b.conf"
[ "$(grep -c '# stress-a$' "$out/stress-b.conf")" = "$(grep '# stress-a$' "$out/stress-b.conf" | grep -c ' 0x010a ')" ] &&
	! grep '# stress-a$' "$out/stress-b.conf" | grep -q '0x0101' ||
	die "policy B must replace 0x0101 with 0x010a on every stress-a line of policy/test.conf"
compile "$out/stress-b.conf" "$out/stress-b.policy"
log "policies: $(cd "$out" && ls ./*.policy | tr '\n' ' ')"
