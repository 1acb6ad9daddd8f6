#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make (once) a minbase trixie tree holding the pinned QEMU and virtme-ng.  The tree is
# built in a temporary directory and renamed into place only when complete,
# so an interrupted run is redone, never used.  Every mount happens in a
# private mount namespace and vanishes with it.
. "$(dirname "$0")/lib.sh"

pin=$FWLSM_TOP/guest/qemu.pin
pkg=$(pin_get QEMU_PACKAGE "$pin")
ver=$(pin_get QEMU_VERSION "$pin")
qsuite=$(pin_get QEMU_SUITE "$pin")
tsuite=$(pin_get TREE_SUITE "$pin")
mirror=$(debian_mirror)
root=$FWLSM_CACHE/qemu-$tsuite
read -r -a vng <<<"$(pin_get VNG_PACKAGES "$pin")"
stamp="$pkg=$ver ${vng[*]}"

if [ -f "$root/.fwlsm-complete" ] && [ "$(cat "$root/.fwlsm-complete")" = "$stamp" ]; then
	exit 0
fi

command -v debootstrap >/dev/null || die "debootstrap is missing: run 'make deps'"
log "making the $tsuite tree with $pkg $ver and ${vng[*]} in $root (about 1 minute)"
tmp=$root.tmp
rm -rf "$tmp" "$root"
mkdir -p "$tmp"

unshare --mount --propagation private -- \
	debootstrap --variant=minbase "$tsuite" "$tmp" "$mirror" > "$FWLSM_CACHE/debootstrap.log" 2>&1 ||
	die "debootstrap of $tsuite failed (is $mirror reachable?); see $FWLSM_CACHE/debootstrap.log"

printf 'deb %s %s main\ndeb %s %s main\n' "$mirror" "$tsuite" "$mirror" "$qsuite" \
	> "$tmp/etc/apt/sources.list"
unshare --mount --propagation private -- sh -ec '
	mount -t proc proc "$1/proc"
	chroot "$1" apt-get -q update
	DEBIAN_FRONTEND=noninteractive chroot "$1" apt-get -q install -y -t "$4" \
		--no-install-recommends "$2=$3"
	root=$1
	shift 4
	DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -q install -y \
		--no-install-recommends "$@"
	chroot "$root" apt-get clean
' sh "$tmp" "$pkg" "$ver" "$qsuite" "${vng[@]}" > "$FWLSM_CACHE/qemu-install.log" 2>&1 ||
	die "installing $pkg=$ver or ${vng[*]} failed (wrong pin in guest/qemu.pin, or the version left the archive); see $FWLSM_CACHE/qemu-install.log"

got=$(chroot "$tmp" dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null || true)
[ "$got" = "$ver" ] || die "$pkg in the tree is '$got', pinned '$ver'"
for p in "${vng[@]}"; do
	[ "${p#*=}" != "$p" ] || continue
	got=$(chroot "$tmp" dpkg-query -W -f '${Version}' "${p%%=*}" 2>/dev/null || true)
	[ "$got" = "${p#*=}" ] || die "${p%%=*} in the tree is '$got', pinned '${p#*=}'"
done
echo "$stamp" > "$tmp/.fwlsm-complete"
mv "$tmp" "$root"
log "QEMU ready: $("$FWLSM_TOP/scripts/qemu.sh" --version | head -n 1)"
