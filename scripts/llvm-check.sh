#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The clang user's and build robot's check: the guest kernel's config plus
# Rust (kernel/llvm/rust.config) built with LLVM=1, clang-19 and rustc 1.85
# from the trixie toolchain tree, in its own build directory.  Fails on a
# clang or rustc diagnostic on a line the series adds; the C files the
# series changes are also compiled in the pristine base with the same
# config, so the ledger shows the warning counts before and after.
. "$(dirname "$0")/lib.sh"

src=$FWLSM_TREE
out=${FWLSM_LLVM_KBUILD:-$FWLSM_BUILD/kbuild-llvm}
base=$("$FWLSM_TOP/scripts/fetch-base.sh")
bout=$out-base
t0=$SECONDS
if ! FWLSM_TOOLCHAIN=llvm FWLSM_KBUILD=$out FWLSM_CONFIG_VARIANT=$FWLSM_TOP/kernel/llvm/rust.config \
	"$FWLSM_TOP/scripts/build-kernel.sh"; then
	ledger FAIL "llvm:build" "LLVM=1 build failed (see $out/build.log)"
	exit 0
fi
secs=$((SECONDS - t0))
grep -qx 'CONFIG_RUST_FWCTL_ABSTRACTIONS=y' "$out/.config" && [ -f "$out/rust/kernel.o" ] || {
	ledger FAIL "llvm:build" "built, but without the Rust fwctl abstractions"
	exit 0
}
ledger PASS "llvm:build" "clang-19 + rustc 1.85, with rust/kernel/fwctl.rs, in $secs s"

new=$(series_new_warnings "$src" "$out/build.log")
if [ -z "$new" ]; then
	ledger PASS "llvm:no-new-warnings" "$(grep -cE ': warning:|^warning:' "$out/build.log" || true) warnings in the build, none on a series line"
else
	printf '%s\n' "$new" >&2
	ledger FAIL "llvm:no-new-warnings" "$(grep -cE ': (warning|error):|^ *-->' <<<"$new") on lines the series adds (see $out/build.log)"
fi

mapfile -t objs < <(touched_objects "$src" "$out" M)
kmake=("$FWLSM_TOP/scripts/toolchain.sh" run make ARCH=x86_64 LLVM=1 CC="ccache clang" HOSTCC=clang -j"$FWLSM_JOBS")
mkdir -p "$bout"
cp "$out/.config" "$bout/.config"
"${kmake[@]}" -C "$base" O="$bout" -s olddefconfig > "$bout/config.log" 2>&1 ||
	die "olddefconfig of the base failed (see $bout/config.log)"
rm -f "${objs[@]/#/$bout/}" "${objs[@]/#/$out/}"
"${kmake[@]}" -C "$base" O="$bout" "${objs[@]}" > "$bout/objs.log" 2>&1 ||
	die "building the touched objects in the base failed (see $bout/objs.log)"
"${kmake[@]}" -C "$src" O="$out" "${objs[@]}" > "$out/objs.log" 2>&1 ||
	die "rebuilding the touched objects failed (see $out/objs.log)"
before=$(grep -cE ': warning:' "$bout/objs.log" || true)
after=$(grep -cE ': warning:' "$out/objs.log" || true)
ledger PASS "llvm:touched-objects" "${#objs[@]} objects: $before clang warnings in the base, $after with the series"
log "LLVM check took $((SECONDS - t0)) s"
