#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The distro builder's check: the work tree built the way Debian builds its
# 7.3 kernel.  Debian's own amd64 config (kernel/toolchain.pin) plus what a
# builder must add for the series (FWCTL=m, FWCTL_MLX5=m, the bpf_sig LSM),
# with Debian's compiler (gcc-14) and rustc from the trixie toolchain tree.
# Two departures from Debian, both for time, neither touching an option the
# series depends on: no debug info (and so no BTF), and localmodconfig
# keeps only the modules the series changes or that use its exports
# (Debian's built-in code is all built).  Builds vmlinux and those modules,
# so modpost resolves the new exports against vmlinux, then checks:
#  - no warning on a line the series adds (gcc-14 and rustc diagnostics);
#  - the modules reference the exports and modpost recorded them;
#  - warning counts of the files the series touches, base against series.
# Results go to the ledger; figures to $out/summary.
. "$(dirname "$0")/lib.sh"

pin=$FWLSM_TOP/kernel/toolchain.pin
src=$FWLSM_TREE
out=${FWLSM_DEBIAN_KBUILD:-$FWLSM_BUILD/kbuild-debian}
base=$("$FWLSM_TOP/scripts/fetch-base.sh")
[ -f "$src/Makefile" ] || die "no work tree at $src: run 'make tree'"
"$FWLSM_TOP/scripts/toolchain.sh" setup

mkdir -p "$out"
cp "$(debian_config)" "$out/debian.config"

export CCACHE_DIR=${CCACHE_DIR:-$FWLSM_CACHE/ccache}
export CCACHE_BASEDIR=$FWLSM_TOP CCACHE_NOHASHDIR=1 CCACHE_COMPILERCHECK=content
export KBUILD_BUILD_TIMESTAMP="$FWLSM_BASE_DATE" KBUILD_BUILD_USER=fwlsm KBUILD_BUILD_HOST=fwlsm
tc=("$FWLSM_TOP/scripts/toolchain.sh" run)
kmake=("${tc[@]}" make -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc-14" HOSTCC=gcc-14 -j"$FWLSM_JOBS")

# What the series needs on top of Debian's config, and the time savers.
builder=(-m FWCTL -m FWCTL_MLX5 -e SECURITY_BPF_SIG
	--set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS ""
	-d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -d DEBUG_INFO_DWARF4 -d DEBUG_INFO_DWARF5
	-e DEBUG_INFO_NONE -d DEBUG_INFO_BTF)
# Modules kept by localmodconfig: the ones built from files the series
# touches and the ones that call its exports.
mods=(mlx5_core mlx5_ib ib_core ib_uverbs fwctl mlx5_fwctl)
# Must hold after configuring, or the build proves nothing.
want=(CONFIG_FWCTL=m CONFIG_FWCTL_MLX5=m CONFIG_MLX5_CORE=m CONFIG_INFINIBAND=m
	CONFIG_INFINIBAND_USER_ACCESS=m CONFIG_MLX5_INFINIBAND=m CONFIG_SECURITY_SELINUX=y
	CONFIG_SECURITY_BPF_SIG=y CONFIG_BPF_LSM=y CONFIG_RUST=y
	"CONFIG_CC_VERSION_TEXT=\"gcc-14 (Debian 14.2.0-19) 14.2.0\"")

sum=$( (cat "$out/debian.config"; printf '%s\n' "${builder[@]}" "${mods[@]}") | sha256sum | cut -d' ' -f1)
t0=$SECONDS
if [ "$(cat "$out/.fwlsm-config" 2>/dev/null)" != "$sum" ]; then
	log "configuring: Debian's config + ${builder[*]:0:5} ..., localmodconfig ${mods[*]}"
	cp "$out/debian.config" "$out/.config"
	"$src/scripts/config" --file "$out/.config" "${builder[@]}"
	"${kmake[@]}" -s olddefconfig > "$out/config.log" 2>&1 || die "olddefconfig failed (see $out/config.log)"
	{ echo "Module Size Used by"; for m in "${mods[@]}"; do echo "$m 1 0"; done; } > "$out/lsmod"
	"${kmake[@]}" LSMOD="$out/lsmod" localmodconfig >> "$out/config.log" 2>&1 ||
		die "localmodconfig failed (see $out/config.log)"
	rm -f "$out/.fwlsm-config"
fi
bad=()
for w in "${want[@]}"; do
	grep -qxF "$w" "$out/.config" || bad+=("$w")
done
[ ${#bad[@]} = 0 ] || die "the Debian config lost ${bad[*]} (see $out/config.log)"
echo "$sum" > "$out/.fwlsm-config"
cp "$out/.config" "$out/config.fwlsm"

log "building Debian's config with gcc-14: vmlinux and ${#mods[@]} modules ($FWLSM_JOBS jobs)"
if ! "${kmake[@]}" vmlinux modules > "$out/build.log" 2>&1; then
	grep -E 'error|ERROR' "$out/build.log" | head -n 20 >&2
	ledger FAIL "debian:build" "gcc-14 build of Debian's config failed (see $out/build.log)"
	exit 1
fi
secs=$((SECONDS - t0))
ledger PASS "debian:build" "vmlinux + $(find "$out" -name '*.ko' | wc -l) modules in $secs s"

new=$(series_new_warnings "$src" "$out/build.log")
if [ -z "$new" ]; then
	ledger PASS "debian:no-new-warnings" "$(grep -cE ': warning:|^warning:' "$out/build.log" || true) warnings in the build, none on a series line"
else
	printf '%s\n' "$new" >&2
	ledger FAIL "debian:no-new-warnings" "$(grep -cE ': (warning|error):|^ *-->' <<<"$new") on lines the series adds"
fi

# modpost: the export is in Module.symvers, from vmlinux and GPL-only, and
# the modules that call it have it as an undefined symbol that modpost
# resolved (an unresolved one fails the build above).
for e in security_fw_validate_cmd:mlx5_ib security_fw_validate_cmd:mlx5_fwctl security_fwctl_rpc:fwctl; do
	sym=${e%%:*} mod=${e#*:}
	ko=$(find "$out" -name "$mod.ko" | head -n 1)
	line=$(awk -v s="$sym" '$2 == s' "$out/Module.symvers")
	undef=$(nm -u "$ko" 2>/dev/null | awk -v s="$sym" '$2 == s' || true)
	if [[ $line =~ ^0x[0-9a-f]+[[:space:]]+$sym[[:space:]]+vmlinux[[:space:]]+EXPORT_SYMBOL_GPL ]] && [ -n "$undef" ]; then
		ledger PASS "debian:modpost-$mod-$sym" "$mod.ko uses it; Module.symvers: $(tr -s '\t' ' ' <<<"$line")"
	else
		ledger FAIL "debian:modpost-$mod-$sym" "Module.symvers has '${line:-nothing}', $mod.ko ${undef:+uses it}${undef:-does not use it}"
	fi
done

# Before and after: the objects of the C files the series touches (that
# exist in the base), compiled in the pristine base with the same config.
mapfile -t objs < <(touched_objects "$src" "$out" M)
bout=$out-base
mkdir -p "$bout"
cp "$out/config.fwlsm" "$bout/.config"
"${tc[@]}" make -C "$base" O="$bout" ARCH=x86_64 CC="ccache gcc-14" HOSTCC=gcc-14 -j"$FWLSM_JOBS" \
	-s olddefconfig > "$bout/config.log" 2>&1 || die "olddefconfig of the base failed (see $bout/config.log)"
rm -f "${objs[@]/#/$bout/}" "${objs[@]/#/$out/}"
"${tc[@]}" make -C "$base" O="$bout" ARCH=x86_64 CC="ccache gcc-14" HOSTCC=gcc-14 -j"$FWLSM_JOBS" \
	"${objs[@]}" > "$bout/objs.log" 2>&1 || die "building the touched objects in the base failed (see $bout/objs.log)"
"${kmake[@]}" "${objs[@]}" > "$out/objs.log" 2>&1 || die "rebuilding the touched objects failed (see $out/objs.log)"
before=$(grep -cE ': warning:' "$bout/objs.log" || true)
after=$(grep -cE ': warning:' "$out/objs.log" || true)
ledger PASS "debian:touched-objects" "${#objs[@]} objects: $before gcc-14 warnings in the base, $after with the series"
printf 'debian build: %s s; touched objects: %s; warnings base %s, series %s\n' \
	"$secs" "${#objs[@]}" "$before" "$after" > "$out/summary"
