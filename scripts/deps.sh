#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian 12 packages the pipeline needs (root only; a no-op when
# they are all present).
. "$(dirname "$0")/lib.sh"

pkgs=(
	# kernel build
	gcc make bc bison flex libelf-dev libssl-dev dwarves cpio kmod xz-utils perl python3 git ccache
	# headers_install (selftests and guest programs)
	rsync
	# checkpatch.pl (spdxcheck.py)
	python3-ply python3-git
	# guest image, QEMU tree, policies
	busybox-static debootstrap checkpolicy openssl ca-certificates
	# the policy writers' kit, compiled against Debian's policy
	secilc setools python3-setools policycoreutils semodule-utils m4 bzip2
	selinux-utils patch zstd gawk
	# audit2allow, for the round trip from denials to rules
	policycoreutils-python-utils
	# rdma-core's mlx5 provider for the DEVX client (static libraries)
	libibverbs-dev ibverbs-providers libnl-3-dev libnl-route-3-dev
	# the emulator's fuzzers: clang with libFuzzer, ASan and UBSan (the
	# runtimes are in libclang-rt-14-dev, which clang-14 only recommends)
	clang-14 libclang-rt-14-dev
	# the BPF LSM program of the fwctl_lsm selftests (clang -target bpf,
	# libbpf's bpf_helpers.h; llvm-objcopy and llvm-readelf check and cut
	# out its instructions, which the harness signs)
	libbpf-dev llvm-14
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} != 0 ]; then
	[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}) and not root: run 'make deps' as root"
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -q update > /dev/null || die "apt-get update failed: check the network and /etc/apt"
	apt-get -q install -y --no-install-recommends "${missing[@]}" > "${TMPDIR:-/tmp}/fwlsm-deps.log" 2>&1 ||
		die "apt-get install failed (see ${TMPDIR:-/tmp}/fwlsm-deps.log)"
fi

# Every program the pipeline runs, with the package that provides it, found
# by reading every script, Makefile and kernel target the pipeline calls
# (headers_install, the selftest builds, kernel-doc, checkpatch.pl, the
# guest image).  Checked after installing, so that a package which stops
# providing a program, or one missing from the list above, fails here in
# seconds rather than half an hour into a build.
tools=(
	gcc:gcc cc:gcc ld:binutils readelf:binutils objcopy:binutils make:make
	bc:bc bison:bison flex:flex pahole:dwarves cpio:cpio depmod:kmod xz:xz-utils
	perl:perl python3:python3 git:git ccache:ccache rsync:rsync
	openssl:openssl debootstrap:debootstrap checkpolicy:checkpolicy
	tar:tar gzip:gzip sha256sum:coreutils timeout:coreutils dpkg-deb:dpkg
	unshare:util-linux mount:mount chroot:coreutils find:findutils
	sed:sed awk:mawk grep:grep diff:diffutils
	secilc:secilc checkmodule:checkpolicy semodule_package:semodule-utils
	sesearch:setools m4:m4 bzcat:bzip2 audit2allow:policycoreutils-python-utils
	matchpathcon:selinux-utils patch:patch zstd:zstd seinfo:setools gawk:gawk
	clang-14:clang-14 llvm-objcopy-14:llvm-14 llvm-readelf-14:llvm-14
)
absent=()
for t in "${tools[@]}"; do
	command -v "${t%%:*}" >/dev/null || absent+=("${t%%:*} (package ${t#*:})")
done
[ ${#absent[@]} = 0 ] || die "programs the pipeline runs are missing: ${absent[*]}; install them with apt-get"
for m in ply git setools; do
	# Debian's python3 (the one check-patches.sh puts first on PATH)
	/usr/bin/python3 -c "import $m" 2>/dev/null || die "python3 module $m is missing (package python3-$m)"
done
[ -x /usr/libexec/selinux/hll/pp ] || die "/usr/libexec/selinux/hll/pp is missing (package policycoreutils)"
# -fsanitize=fuzzer links this archive (emu/fuzz/)
rt=$(clang-14 -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a
[ -f "$rt" ] || die "$rt is missing (package libclang-rt-14-dev)"

[ -f /usr/include/bpf/bpf_helpers.h ] || die "/usr/include/bpf/bpf_helpers.h is missing (package libbpf-dev)"
[ -f /bin/busybox ] || die "/bin/busybox is missing (package busybox-static)"
