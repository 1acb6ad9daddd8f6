#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The policy writers' kit (policy/kit/), checked against a real distribution
# policy: Debian 12's selinux-policy-default at the version of
# policy/kit/base.pin.  Its modules are converted to CIL once per cache and
# compiled with secilc, as semodule would, with the kit's modules and two
# users of them (the CIL example and a .te module written with the m4
# defines); kit-check.py then reads the resulting policy with setools.
# One ledger line per check.
. "$(dirname "$0")/lib.sh"

pin=$FWLSM_TOP/policy/kit/base.pin
kit=$FWLSM_TOP/policy/kit
out=$FWLSM_BUILD/policy-kit
pkg=$(pin_get PACKAGE "$pin")
ver=$(pin_get VERSION "$pin")
suite=$(pin_get SUITE "$pin")
sha=$(pin_get SHA256 "$pin")
for t in secilc checkmodule semodule_package m4 bzcat matchpathcon patch zstd; do
	command -v $t >/dev/null || die "$t is missing: run 'make deps'"
done
pp2cil=/usr/libexec/selinux/hll/pp
[ -x $pp2cil ] || die "$pp2cil is missing (package policycoreutils): run 'make deps'"

# The base policy as CIL, once per cache.
base=$FWLSM_CACHE/policy-base/$pkg-${ver/:/_}
stamp="$pkg $ver $sha"
if ! [ -f "$base/complete" ] || [ "$(cat "$base/complete")" != "$stamp" ]; then
	deb=$(fetch_pinned_deb "$pkg" "$ver" "$suite" "$sha" policy/kit/base.pin) || exit 1
	log "converting the modules of $pkg $ver to CIL (about 10 s)"
	rm -rf "$base" "$base.tmp"
	mkdir -p "$base.tmp/deb" "$base.tmp/cil" "$base.tmp/ctl"
	dpkg-deb -x "$deb" "$base.tmp/deb" && dpkg-deb -e "$deb" "$base.tmp/ctl" ||
		die "cannot unpack $deb"
	mods=$base.tmp/deb/usr/share/selinux/default
	[ -f "$mods/.modules" ] || die "$deb has no module list (usr/share/selinux/default/.modules)"
	# What the package's postinst installs: every module of .modules, less
	# the ones it disables (its notdefault list).
	notdefault=$(sed -n 's/^notdefault="\(.*\)"$/\1/p' "$base.tmp/ctl/postinst")
	[ -n "$notdefault" ] || die "cannot read the disabled modules from $pkg's postinst"
	n=0
	for m in $(cat "$mods/.modules"); do
		case " $notdefault " in *" $m "*) continue ;; esac
		bzcat "$mods/$m.pp.bz2" | $pp2cil > "$base.tmp/cil/$m.cil" 2>> "$base.tmp/pp.log" ||
			die "cannot convert module $m of $pkg to CIL (see $base.tmp/pp.log)"
		n=$((n + 1))
	done
	[ -f "$base.tmp/cil/base.cil" ] || die "$pkg has no base module"
	echo "$n" > "$base.tmp/count"
	rm -rf "$base.tmp/deb" "$base.tmp/ctl"
	echo "$stamp" > "$base.tmp/complete"
	mv "$base.tmp" "$base"
fi
nmods=$(cat "$base/count")

rm -rf "$out"
mkdir -p "$out"

# The named opcodes are generated from the tree, never typed in: the
# committed files must be what the generator makes of the pinned tree.
if python3 "$FWLSM_TOP/scripts/gen-opcodes.py" --tree "$FWLSM_TREE" \
	--describe "Linux 7.3.4 with the fwlsm series" --check "$kit" 2> "$out/gen.log"; then
	ledger PASS kit:opcodes-generated-from-tree
else
	ledger FAIL kit:opcodes-generated-from-tree "$(cat "$out/gen.log")"
fi

# The .te user: m4 with the kit's defines, checkmodule, then CIL.
te_ok=
if m4 "$kit/mlx5_opcodes.m4" "$FWLSM_TOP/tests/kit/fwdiag_te.te" > "$out/fwdiag_te.te" 2> "$out/te.log" &&
   checkmodule -M -m -o "$out/fwdiag_te.mod" "$out/fwdiag_te.te" >> "$out/te.log" 2>&1 &&
   semodule_package -o "$out/fwdiag_te.pp" -m "$out/fwdiag_te.mod" >> "$out/te.log" 2>&1 &&
   $pp2cil "$out/fwdiag_te.pp" "$out/fwdiag_te.cil" >> "$out/te.log" 2>&1; then
	te_ok=1
	ledger PASS kit:te-module-with-m4-names-compiles
else
	ledger FAIL kit:te-module-with-m4-names-compiles "see $out/te.log"
fi

# Debian's policy alone, as shipped: the reference for "changes nothing".
if secilc -o "$out/base.policy" -f "$out/base.fc" "$base"/cil/*.cil > "$out/secilc-base.log" 2>&1; then
	ledger PASS kit:debian-policy-compiles "$pkg $ver, $nmods modules"
else
	ledger FAIL kit:debian-policy-compiles "see $out/secilc-base.log"
fi

# Without the kit, a module that uses the classes does not link: the reason
# the kit exists.
if [ -n "$te_ok" ]; then
	if secilc -o "$out/nokit.policy" -f /dev/null "$base"/cil/*.cil "$out/fwdiag_te.cil" \
		> "$out/secilc-nokit.log" 2>&1; then
		ledger FAIL kit:without-kit-module-is-refused "secilc accepted the classes without fwlsm.cil"
	elif grep -q 'fwdiag_te.cil' "$out/secilc-nokit.log"; then
		ledger PASS kit:without-kit-module-is-refused
	else
		ledger FAIL kit:without-kit-module-is-refused "secilc failed for another reason: see $out/secilc-nokit.log"
	fi
fi

# Debian's policy with the kit and both of its users.
extra=("$kit/fwlsm.cil" "$kit/mlx5_opcodes.cil" "$kit/fwdiag-example.cil")
[ -z "$te_ok" ] || extra+=("$out/fwdiag_te.cil")
if secilc -o "$out/kit.policy" -f "$out/kit.fc" "$base"/cil/*.cil "${extra[@]}" \
	> "$out/secilc-kit.log" 2>&1; then
	ledger PASS kit:debian-policy-with-kit-compiles
	/usr/bin/python3 "$FWLSM_TOP/scripts/kit-check.py" --base "$out/base.policy" \
		--kit "$out/kit.policy" --fc "$out/kit.fc" --opcodes "$kit/mlx5_opcodes.m4" \
		${te_ok:+--te} > "$out/check.log" 2>&1 || true
	while read -r status name detail; do
		case $status in PASS|FAIL) ledger "$status" "kit:$name" "$detail" ;; esac
	done < "$out/check.log"
	grep -q '^PASS ' "$out/check.log" ||
		ledger FAIL kit:policy-checks "no check ran (see $out/check.log)"
else
	ledger FAIL kit:debian-policy-with-kit-compiles "see $out/secilc-kit.log"
fi

# The selftests' own module (tools/testing/selftests/fwctl_lsm/fwctl_lsm.cil
# in the work tree) on Debian's policy with the kit: the policy that the
# "ksft" boots load (scripts/ksft-guest.sh) before they run the installed
# selftests with the stock runner.  FWLSM_KSFT_CIL checks another copy of
# it (one being edited) instead.
ksft_cil=${FWLSM_KSFT_CIL:-$FWLSM_TREE/tools/testing/selftests/fwctl_lsm/fwctl_lsm.cil}
sp=$out/selftests.policy
if secilc -o "$sp" -f /dev/null "$base"/cil/*.cil "$kit/fwlsm.cil" "$kit/mlx5_opcodes.cil" \
	"$ksft_cil" > "$out/secilc-selftests.log" 2>&1; then
	ledger PASS kit:selftests-module-compiles "fwctl_lsm.cil on $pkg $ver with fwlsm.cil"
	# Each line: a sesearch query and the rule it must print, or "-" for
	# none at all.
	while IFS='|' read -r query want; do
		got=$(sesearch $query "$sp" 2>&1)
		if [ "$want" = - ]; then
			[ -z "$got" ] && ok=1 || ok=
		else
			grep -qxF -- "$want" <<< "$got" && ok=1 || ok=
		fi
		name=$(echo "$query" | tr -s ' -' '_' | sed 's/^_//')
		if [ -n "$ok" ]; then
			ledger PASS "kit:selftests-module:$name" "${want/#-/no rule}"
		else
			ledger FAIL "kit:selftests-module:$name" \
				"want ${want/#-/no rule}, got: $(echo ${got:-nothing})"
		fi
	done <<- 'EOF'
	--allowxperm -s fw_allow_t -t fw_dev_t -c mlx5_fwctl_cmd|allowxperm fw_allow_t fw_dev_t:mlx5_fwctl_cmd ioctl 0x0100-0x01ff;
	--allowxperm -s fw_allow_t -t fw_dev_b_t -c mlx5_devx_cmd|allowxperm fw_allow_t fw_dev_b_t:mlx5_devx_cmd ioctl 0x0754;
	--allowxperm -s fw_devx_t -c mlx5_devx_cmd|allowxperm fw_devx_t fw_dev_t:mlx5_devx_cmd ioctl 0x0a00;
	--dontauditxperm -s fw_quiet_t|dontauditxperm fw_quiet_t fw_dev_t:mlx5_fwctl_cmd ioctl 0x0754;
	-A -s fw_none_t -c fwctl|-
	-A -s fw_none_t -c mlx5_fwctl_cmd|-
	-A -s fw_none_t -c mlx5_devx_cmd|-
	-A -s fw_scope_t -c mlx5_fwctl_cmd|-
	-A -s kernel_t -t fw_allow_t -c process -p transition|allow fwctl_lsm_runner fwctl_lsm_domain:process { noatsecure rlimitinh siginh transition };
	-A -s fw_allow_t -t shadow_t -c file|-
	EOF
	# No test domain may get the firmware classes through an attribute
	# that grants them wholesale: its rules would then be the kit's.
	wide=
	for a in fwlsm_unconfined fwctl_lsm_runner unconfined_domain_type devices_unconfined_type; do
		m=$(seinfo -xa "$a" "$sp" 2>&1 | { grep -o '\bfw_[a-z_]*_t\b' || true; } | tr '\n' ' ')
		[ -z "$m" ] || wide="$wide $a: $m"
	done
	# (seinfo's whole output first: grep -q in a pipe would make it die of
	# SIGPIPE, and pipefail fail the check at random)
	members=$(seinfo -xa fwctl_lsm_domain "$sp" 2>&1 || true)
	if [ -z "$wide" ] && grep -q '\bfw_none_t\b' <<< "$members"; then
		ledger PASS kit:selftests-module:test-domains-not-unconfined
	else
		ledger FAIL kit:selftests-module:test-domains-not-unconfined "${wide:-fwctl_lsm_domain unreadable}"
	fi
else
	ledger FAIL kit:selftests-module-compiles "see $out/secilc-selftests.log"
fi

# The same classes as a change to the reference policy sources Debian
# ships (selinux-policy-src, same version), applied and built: the form in
# which they would go upstream.  Built monolithic, which needs no policy
# store; about a minute.
spkg=$(pin_get SRC_PACKAGE "$pin")
ssha=$(pin_get SRC_SHA256 "$pin")
sdeb=$(fetch_pinned_deb "$spkg" "$ver" "$suite" "$ssha" policy/kit/base.pin) || exit 1
rp=$out/refpolicy
mkdir -p "$rp.deb"
dpkg-deb -x "$sdeb" "$rp.deb" || die "cannot unpack $sdeb"
tar --zstd -xf "$rp.deb/usr/src/selinux-policy-src.tar.zst" -C "$out" --no-same-owner ||
	die "cannot unpack the reference policy sources of $sdeb"
mv "$out/selinux-policy-src" "$rp"
rm -rf "$rp.deb"
if ! patch -s -p1 -d "$rp" < "$kit/refpolicy-fwlsm.patch" > "$out/refpolicy-patch.log" 2>&1; then
	ledger FAIL kit:refpolicy-patch-applies "see $out/refpolicy-patch.log"
elif sed -i 's/^MONOLITHIC = n$/MONOLITHIC = y/' "$rp/build.conf" &&
     make -C "$rp" conf > "$out/refpolicy-build.log" 2>&1 &&
     make -C "$rp" policy file_contexts >> "$out/refpolicy-build.log" 2>&1; then
	ledger PASS kit:refpolicy-patch-applies
	ledger PASS kit:refpolicy-with-patch-builds "$spkg $ver, monolithic"
	/usr/bin/python3 "$FWLSM_TOP/scripts/kit-check.py" --refpolicy "$(ls "$rp"/policy.[0-9]* | head -n 1)" \
		--fc "$rp/file_contexts" > "$out/check-refpolicy.log" 2>&1 || true
	while read -r status name detail; do
		case $status in PASS|FAIL) ledger "$status" "kit:refpolicy-$name" "$detail" ;; esac
	done < "$out/check-refpolicy.log"
	grep -q '^PASS ' "$out/check-refpolicy.log" ||
		ledger FAIL kit:refpolicy-checks "no check ran (see $out/check-refpolicy.log)"
else
	ledger PASS kit:refpolicy-patch-applies
	ledger FAIL kit:refpolicy-with-patch-builds "see $out/refpolicy-build.log"
fi
log "policy kit: checked against $pkg $ver ($nmods modules) and $spkg"
