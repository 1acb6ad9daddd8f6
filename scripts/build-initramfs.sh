#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the selftests the guest runs (statically linked) and pack them with
# busybox-static and guest/init into a gzip'd initramfs.
. "$(dirname "$0")/lib.sh"

src=$FWLSM_TREE
out=$FWLSM_KBUILD
stage=$FWLSM_BUILD/initramfs
img=$FWLSM_BUILD/initramfs.cpio.gz
bb=/bin/busybox
[ -x "$bb" ] && ! readelf -l "$bb" | grep -q INTERP ||
	die "$bb is missing or not statically linked: run 'make deps' (it installs busybox-static)"

log "building guest test programs"
make -s -C "$src" O="$out" ARCH=x86_64 headers_install INSTALL_HDR_PATH="$out/usr" >/dev/null
ksft=$FWLSM_BUILD/selftests
# kselftest targets the guest runs (each must exist in the work tree)
FWLSM_SELFTESTS=${FWLSM_SELFTESTS:-lsm fwctl_lsm bpf_integrity}
rm -rf "$ksft"
for t in $FWLSM_SELFTESTS; do
	mkdir -p "$ksft/$t"
	make -s -C "$src/tools/testing/selftests/$t" OUTPUT="$ksft/$t" \
		KHDR_INCLUDES="-isystem $out/usr/include" USERLDFLAGS=-static \
		> "$FWLSM_BUILD/selftests-$t.log" 2>&1 ||
		die "building selftests/$t failed (see $FWLSM_BUILD/selftests-$t.log)"
done

for prog in fwctl-send fwctl-bench setlabel avc-watch; do
	gcc -static -O2 -Wall -Werror -isystem "$out/usr/include" \
		-I "$src/tools/testing/selftests/fwctl_lsm" \
		-o "$FWLSM_BUILD/$prog" "$FWLSM_TOP/guest/$prog.c" ||
		die "building guest/$prog.c failed"
done

# rdma-core's mlx5 provider, statically linked into a DEVX client
make -s -C "$FWLSM_TOP/emu/guest/devx" O="$FWLSM_BUILD/devx" UAPI="$out/usr/include" \
	"$FWLSM_BUILD/devx/devx-dv" > "$FWLSM_BUILD/devx-dv.log" 2>&1 ||
	die "building emu/guest/devx/devx-dv failed (see $FWLSM_BUILD/devx-dv.log)"

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,fwlsm}
cp "$bb" "$stage/bin/busybox"
for a in $("$stage/bin/busybox" --list); do
	[ -e "$stage/bin/$a" ] || ln -s busybox "$stage/bin/$a"
done
mknod -m 600 "$stage/dev/console" c 5 1
install -m 755 "$FWLSM_TOP/guest/init" "$stage/init"
install -m 755 "$FWLSM_TOP"/guest/*.sh "$FWLSM_BUILD/fwctl-send" "$FWLSM_BUILD/fwctl-bench" \
	"$FWLSM_BUILD/setlabel" "$FWLSM_BUILD/avc-watch" \
	"$FWLSM_BUILD/devx/devx-dv" "$stage/fwlsm/"
"$FWLSM_TOP/scripts/build-policy.sh" "$stage/fwlsm/policy"
cp "$FWLSM_TOP/policy/test.conf" "$stage/fwlsm/"
cp "$FWLSM_TOP/guest/tests.list" "$stage/fwlsm/tests"
# guest/tests-NAME.list: the test list of a boot with fwlsm.tests=NAME
for list in "$FWLSM_TOP"/guest/tests-*.list; do
	name=${list##*/tests-}
	cp "$list" "$stage/fwlsm/tests.${name%.list}"
done
for t in $FWLSM_SELFTESTS; do
	mkdir -p "$stage/fwlsm/$t"
	find "$ksft/$t" -maxdepth 1 -type f -perm -u+x -exec cp {} "$stage/fwlsm/$t/" \;
done
# The BPF integrity tests' certificate and signatures (the key stays on
# the host), made for the exact program the test binary loads.
if [ -x "$ksft/bpf_integrity/bpf_integrity_test" ]; then
	"$FWLSM_TOP/scripts/build-bpf-keys.sh" "$ksft/bpf_integrity/bpf_integrity_test" \
		"$stage/fwlsm/bpf_integrity/keys"
fi
# Every program named in a test list must be in the image.
for list in "$FWLSM_TOP"/guest/tests.list "$FWLSM_TOP"/guest/tests-*.list; do
	while read -r name cmd; do
		case "$name" in ''|'#'*) continue ;; esac
		prog=${cmd%% *}
		[ -x "$stage/fwlsm/$prog" ] || die "guest test $name (${list##*/}): $prog was not built"
	done < "$list"
done

(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet | gzip -n -9) > "$img.tmp"
mv "$img.tmp" "$img"
log "initramfs: $img ($(du -k "$img" | cut -f1) KiB)"
