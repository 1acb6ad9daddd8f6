#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sparse (C=2, as the kernel's build robot runs C=1 on what it rebuilds) on
# every C file the series touches, in the guest kernel's build directory:
# fails on a sparse warning or error that points at a line the series adds.
# The same files are checked in the pristine base, with the same config, so
# the ledger shows the counts before and after.  Needs a built kernel
# (scripts/build-kernel.sh).
. "$(dirname "$0")/lib.sh"

src=$FWLSM_TREE
out=$FWLSM_KBUILD
base=$("$FWLSM_TOP/scripts/fetch-base.sh")
bout=$FWLSM_BUILD/kbuild-sparse-base
"$FWLSM_TOP/scripts/toolchain.sh" setup
[ -f "$out/.config" ] && [ -f "$out/vmlinux" ] || die "no built kernel in $out: run 'make kernel'"
export CCACHE_DIR=${CCACHE_DIR:-$FWLSM_CACHE/ccache}
export CCACHE_BASEDIR=$FWLSM_TOP CCACHE_NOHASHDIR=1 CCACHE_COMPILERCHECK=content
t0=$SECONDS

mapfile -t objs < <(touched_objects "$src" "$out" AM)
mapfile -t old < <(touched_objects "$src" "$out" M)
[ ${#objs[@]} -gt 0 ] || die "no object of a file the series touches is built in $out"

if ! make -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$FWLSM_JOBS" C=2 CHECK="$FWLSM_TOP/scripts/sparse.sh" \
	"${objs[@]}" > "$out/sparse.log" 2>&1; then
	tail -n 20 "$out/sparse.log" >&2
	ledger FAIL "sparse:series" "sparse run failed (see $out/sparse.log)"
	exit 0
fi
# kbuild turns C= off, with only a warning, when it finds the checker
# unusable: a run that checked fewer files than asked proves nothing.
checked=0
for o in "${objs[@]}"; do
	grep -qxE " +CHECK +${o%.o}\.c" "$out/sparse.log" && checked=$((checked + 1))
done
if [ "$checked" != ${#objs[@]} ]; then
	grep -m1 'not available' "$out/sparse.log" >&2 || true
	ledger FAIL "sparse:no-new-warnings" "sparse checked $checked of ${#objs[@]} files (see $out/sparse.log)"
	exit 0
fi
after=$(grep -cE ': (warning|error):' "$out/sparse.log" || true)
new=$(series_new_warnings "$src" "$out/sparse.log")
if [ -z "$new" ]; then
	ledger PASS "sparse:no-new-warnings" "${#objs[@]} files, $after diagnostics, none on a series line"
else
	printf '%s\n' "$new" >&2
	ledger FAIL "sparse:no-new-warnings" "$(grep -cE ': (warning|error):' <<<"$new") on lines the series adds (see $out/sparse.log)"
fi

# The base, with the guest kernel's config less the options the series adds.
mkdir -p "$bout"
cp "$out/.config" "$bout/.config"
if make -C "$base" O="$bout" ARCH=x86_64 CC="ccache gcc" -j"$FWLSM_JOBS" -s olddefconfig > "$bout/config.log" 2>&1 &&
	make -C "$base" O="$bout" ARCH=x86_64 CC="ccache gcc" -j"$FWLSM_JOBS" C=2 CHECK="$FWLSM_TOP/scripts/sparse.sh" \
		"${old[@]}" > "$bout/sparse.log" 2>&1; then
	before=$(grep -cE ': (warning|error):' "$bout/sparse.log" || true)
	again=$(make -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$FWLSM_JOBS" C=2 CHECK="$FWLSM_TOP/scripts/sparse.sh" \
		"${old[@]}" 2>&1 | grep -cE ': (warning|error):' || true)
	ledger PASS "sparse:base-vs-series" "${#old[@]} files the base has: $before diagnostics in the base, $again with the series"
else
	ledger FAIL "sparse:base-vs-series" "sparse on the base failed (see $bout/sparse.log)"
fi
log "sparse check took $((SECONDS - t0)) s"
