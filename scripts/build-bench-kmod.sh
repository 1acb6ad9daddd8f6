#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What make bench's in-kernel benchmark needs in the guest, made in
# $FWLSM_BUILD/kbench (or $FWLSM_KBENCH):
#   kmod/fwlsm_bench.ko   bench/kmod built out of tree against the guest
#                         kernel ($FWLSM_KBUILD), signed with its module key
#   rangesN.conf          the test policy plus the bench domain's rules with
#                         N = 0, 100, 1000 xperm ranges (bench-rules.py)
#   cls/NAME.{rules,bin}  the firmware command classifier's rule sets
#                         (bench-cls-rules.py), compiled with fwcmd-rules.py
#   initramfs-kbench.cpio.gz  the guest's initramfs with a second archive
#                         appended: /fwlsm/kbench/ (the module, the compiled
#                         policies, rangesN.args naming values they deny,
#                         cls/ with the compiled rule sets, their .args and
#                         sets.list), /fwlsm/bench-kmod.sh and the test list
#                         /fwlsm/tests.kbench
# The kernel unpacks concatenated archives in order, so the image that
# build-initramfs.sh makes is used as it is.
. "$(dirname "$0")/lib.sh"

out=${FWLSM_KBENCH:-$FWLSM_BUILD/kbench}
kb=$FWLSM_KBUILD
[ -f "$kb/vmlinux.symvers" ] && [ -f "$kb/arch/x86/boot/bzImage" ] ||
	die "no built guest kernel in $kb: run 'make kernel'"
grep -qx 'CONFIG_MODULES=y' "$kb/.config" ||
	die "the guest kernel in $kb was built without CONFIG_MODULES (kernel/fwlsm.config)"
[ -f "$FWLSM_BUILD/initramfs.cpio.gz" ] || die "no initramfs: run 'make initramfs'"
command -v checkpolicy >/dev/null || die "checkpolicy is missing: run 'make deps'"
rm -rf "$out/stage"
mkdir -p "$out/kmod" "$out/stage/fwlsm/kbench"

# The module.  The kernel is built with "make bzImage", which makes
# neither the modules' linker script (made here, with modules_prepare, in
# the kernel's build directory) nor Module.symvers: modpost reads the
# exports from vmlinux.symvers instead (and warns that Module.symvers is
# missing).
export CCACHE_DIR=${CCACHE_DIR:-$FWLSM_CACHE/ccache}
export CCACHE_BASEDIR=$FWLSM_TOP CCACHE_NOHASHDIR=1 CCACHE_COMPILERCHECK=content
kmake=(make -C "$FWLSM_TREE" O="$kb" ARCH=x86_64 CC="ccache gcc")
if [ ! -f "$kb/scripts/module.lds" ]; then
	"${kmake[@]}" -s modules_prepare > "$out/kmod/prepare.log" 2>&1 ||
		die "make modules_prepare in $kb failed (see $out/kmod/prepare.log)"
fi
log "building bench/kmod against $kb"
if ! "${kmake[@]}" M="$FWLSM_TOP/bench/kmod" MO="$out/kmod" \
	KBUILD_EXTRA_SYMBOLS="$kb/vmlinux.symvers" modules > "$out/kmod/build.log" 2>&1; then
	grep -E 'error|ERROR' "$out/kmod/build.log" | head -n 20 >&2
	die "building bench/kmod failed (see $out/kmod/build.log)"
fi
if grep -E 'warning:' "$out/kmod/build.log" | grep -v 'Module.symvers is missing' >&2; then
	die "bench/kmod builds with warnings (see $out/kmod/build.log)"
fi
ko=$out/kmod/fwlsm_bench.ko
# Signed with the kernel's own module key (CONFIG_MODULE_SIG_ALL), so
# loading it does not taint the kernel.
key=$kb/certs/signing_key.pem
if [ -f "$key" ] && [ -x "$kb/scripts/sign-file" ]; then
	hash=$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$kb/.config")
	"$kb/scripts/sign-file" "$hash" "$key" "$kb/certs/signing_key.x509" "$ko" ||
		die "signing $ko failed"
fi
cp "$ko" "$out/stage/fwlsm/kbench/"

# The policies: the timed values are QUERY_ADAPTER (0x0101, the command
# guest/bench.sh times) and FWCTL_RPC (_IO(0x9A, 1), the ioctl that
# carries every RPC).
for n in 0 100 1000; do
	python3 "$FWLSM_TOP/scripts/bench-rules.py" "$n" 0x0101 0x9a01 \
		"$out/ranges$n.rules" "$out/stage/fwlsm/kbench/ranges$n.args"
	policy_with_rules "$out/ranges$n.rules" "$out/ranges$n.conf"
	if ! msg=$(checkpolicy -U allow -c 33 -o "$out/stage/fwlsm/kbench/ranges$n.policy" \
		"$out/ranges$n.conf" 2>&1); then
		printf '%s\n' "$msg" | grep -v 'No context assigned to SID' >&2
		die "the bench policy with $n ranges does not compile"
	fi
done

# The classifier's rule sets, compiled by fwcmd-rules.py's compiler with
# the mlx5 names of the work tree.
rm -rf "$out/cls"
python3 "$FWLSM_TOP/scripts/bench-cls-rules.py" "$out/cls" "$FWLSM_TREE" ||
	die "the classifier's bench rule sets do not compile (bench-cls-rules.py)"
mkdir -p "$out/stage/fwlsm/kbench/cls"
cp "$out"/cls/*.bin "$out"/cls/*.args "$out/cls/sets.list" "$out/stage/fwlsm/kbench/cls/"

install -m 755 "$FWLSM_TOP/guest/bench-kmod.sh" "$out/stage/fwlsm/"
echo "bench-kmod ./bench-kmod.sh" > "$out/stage/fwlsm/tests.kbench"
(cd "$out/stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet | gzip -n -9) > "$out/extra.cpio.gz"
cat "$FWLSM_BUILD/initramfs.cpio.gz" "$out/extra.cpio.gz" > "$out/initramfs-kbench.cpio.gz.tmp"
mv "$out/initramfs-kbench.cpio.gz.tmp" "$out/initramfs-kbench.cpio.gz"
log "bench image: $out/initramfs-kbench.cpio.gz"
