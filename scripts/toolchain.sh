#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# toolchain.sh setup: make (once) the trixie tree of kernel/toolchain.pin,
# with sid's sparse unpacked into /opt/sparse.
# toolchain.sh run CMD...: run CMD inside it (in_tree in lib.sh).
. "$(dirname "$0")/lib.sh"

pin=$FWLSM_TOP/kernel/toolchain.pin
tsuite=$(pin_get TREE_SUITE "$pin")
root=$FWLSM_CACHE/tools-$tsuite
read -r -a pinned <<<"$(pin_get PINNED "$pin")"
read -r -a others <<<"$(pin_get OTHERS "$pin")"
sparse=$(pin_get SPARSE_PACKAGE "$pin")=$(pin_get SPARSE_VERSION "$pin")
stamp="${pinned[*]} ${others[*]} $sparse"

setup()
{
	local mirror tmp p got deb
	if [ -f "$root/.fwlsm-complete" ] && [ "$(cat "$root/.fwlsm-complete")" = "$stamp" ]; then
		return 0
	fi
	command -v debootstrap >/dev/null || die "debootstrap is missing: run 'make deps'"
	mirror=$(debian_mirror)
	log "making the $tsuite toolchain tree in $root (about 1 minute, 1.6 GB)"
	tmp=$root.tmp
	rm -rf "$tmp" "$root"
	mkdir -p "$tmp"
	unshare --mount --propagation private -- \
		debootstrap --variant=minbase "$tsuite" "$tmp" "$mirror" > "$FWLSM_CACHE/tools-debootstrap.log" 2>&1 ||
		die "debootstrap of $tsuite failed (is $mirror reachable?); see $FWLSM_CACHE/tools-debootstrap.log"
	printf 'deb %s %s main\n' "$mirror" "$tsuite" > "$tmp/etc/apt/sources.list"
	unshare --mount --propagation private -- sh -ec '
		root=$1; shift
		mount -t proc proc "$root/proc"
		chroot "$root" apt-get -q update
		DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -q install -y \
			--no-install-recommends "$@"
		chroot "$root" apt-get clean
	' sh "$tmp" "${pinned[@]}" "${others[@]}" > "$FWLSM_CACHE/tools-install.log" 2>&1 ||
		die "installing the toolchain failed (a pin in kernel/toolchain.pin that left $tsuite?); see $FWLSM_CACHE/tools-install.log"
	deb=$(fetch_pinned_deb "${sparse%%=*}" "${sparse#*=}" "$(pin_get SPARSE_SUITE "$pin")" \
		"$(pin_get SPARSE_SHA256 "$pin")" kernel/toolchain.pin amd64) || exit 1
	mkdir -p "$tmp/opt/sparse"
	dpkg-deb -x "$deb" "$tmp/opt/sparse"
	chroot "$tmp" /opt/sparse/usr/bin/sparse --version > /dev/null ||
		die "sparse from $deb does not run in the $tsuite tree"
	for p in "${pinned[@]}"; do
		got=$(chroot "$tmp" dpkg-query -W -f '${Version}' "${p%%=*}" 2>/dev/null || true)
		[ "$got" = "${p#*=}" ] || die "${p%%=*} in the toolchain tree is '$got', pinned '${p#*=}'"
	done
	echo "$stamp" > "$tmp/.fwlsm-complete"
	mv "$tmp" "$root"
	log "toolchain ready: $(chroot "$root" gcc-14 --version | head -n 1); $(chroot "$root" clang-19 --version | head -n 1)"
}

case "${1:-}" in
setup)
	setup
	;;
run)
	shift
	[ $# -gt 0 ] || die "usage: toolchain.sh run CMD..."
	setup
	in_tree "$root" "$@"
	;;
*)
	die "usage: toolchain.sh setup | run CMD..."
	;;
esac
