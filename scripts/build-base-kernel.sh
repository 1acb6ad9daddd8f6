#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The pristine 7.3.4 base (no patch of the series) built with the guest
# kernel's configuration, for make bench's RPC comparison: the series'
# configuration ($FWLSM_KBUILD/.config.fwlsm, made by build-kernel.sh) run
# through olddefconfig in the base, which silently drops the options the
# series adds (CONFIG_SECURITY_BPF_SIG, the KUnit suites, ...).  Built in
# $FWLSM_BUILD/kbuild-bench-base, niced; prints that directory.
. "$(dirname "$0")/lib.sh"

base=$("$FWLSM_TOP/scripts/fetch-base.sh")
out=${FWLSM_BASE_KBUILD:-$FWLSM_BUILD/kbuild-bench-base}
cfg=$FWLSM_KBUILD/.config.fwlsm
[ -f "$cfg" ] || die "no guest kernel configuration at $cfg: run 'make kernel'"
command -v ccache >/dev/null || die "ccache is missing: run 'make deps'"
export CCACHE_DIR=${CCACHE_DIR:-$FWLSM_CACHE/ccache}
export CCACHE_BASEDIR=$FWLSM_TOP CCACHE_NOHASHDIR=1 CCACHE_COMPILERCHECK=content
export KBUILD_BUILD_TIMESTAMP="$FWLSM_BASE_DATE" KBUILD_BUILD_USER=fwlsm KBUILD_BUILD_HOST=fwlsm
kmake=(nice -n 19 make -C "$base" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$FWLSM_JOBS")

mkdir -p "$out"
# Reconfigure only when the guest configuration changed.
if ! cmp -s "$cfg" "$out/.config.guest"; then
	log "configuring the base with the guest kernel's configuration"
	cp "$cfg" "$out/.config"
	"${kmake[@]}" -s olddefconfig > "$out/config.log" 2>&1 ||
		die "olddefconfig of the base failed (see $out/config.log)"
	cp "$cfg" "$out/.config.guest"
fi
t0=$SECONDS
log "building the unpatched base in $out (niced, $FWLSM_JOBS jobs; 15-40 min cold)"
"${kmake[@]}" bzImage > "$out/build.log" 2>&1 || {
	grep -E 'error|Error' "$out/build.log" | head -n 20 >&2
	die "building the base failed (see $out/build.log)"
}
log "base kernel built in $((SECONDS - t0)) s"
echo "$out"
