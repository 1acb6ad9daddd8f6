#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the pinned Debian linux-source package, check its sha256 against
# kernel/pin, and turn it (once) into a git repository with a single base
# commit.  Prints the path of that repository.
. "$(dirname "$0")/lib.sh"

pkg=$(pin_get PACKAGE)
ver=$(pin_get VERSION)
suite=$(pin_get SUITE)
sha=$(pin_get SHA256)
[[ $sha =~ ^[0-9a-f]{64}$ ]] || die "kernel/pin: SHA256 '$sha' is not 64 lowercase hex digits (restore it: git checkout -- kernel/pin)"

base=$FWLSM_CACHE/base/$pkg-$ver
stamp="$pkg $ver $sha"
if [ -f "$base/.git/fwlsm-complete" ] && [ "$(cat "$base/.git/fwlsm-complete")" = "$stamp" ]; then
	echo "$base"
	exit 0
fi

deb=$FWLSM_CACHE/dl/${pkg}_${ver/:/%3a}_all.deb
mkdir -p "$FWLSM_CACHE/dl"
if [ -f "$deb" ] && ! echo "$sha  $deb" | sha256sum -c --status; then
	log "cached $(basename "$deb") does not match the pin; fetching it again"
	rm -f "$deb"
fi
if [ ! -f "$deb" ]; then
	private_apt_setup "$suite"
	log "fetching $pkg=$ver from $suite"
	apt-get -q "${PRIVATE_APT_OPTS[@]}" update > "$FWLSM_CACHE/apt.log" 2>&1 ||
		die "cannot reach the Debian archive for $suite (see $FWLSM_CACHE/apt.log); check the network or set FWLSM_MIRROR"
	apt-cache "${PRIVATE_APT_OPTS[@]}" show "$pkg=$ver" >/dev/null 2>&1 ||
		die "$pkg version $ver is not in $suite: fix VERSION in kernel/pin (apt-cache policy $pkg lists what exists)"
	(cd "$FWLSM_CACHE/apt/dl" && rm -f ./*.deb &&
	 apt-get -q "${PRIVATE_APT_OPTS[@]}" download "$pkg=$ver") >> "$FWLSM_CACHE/apt.log" 2>&1 ||
		die "downloading $pkg=$ver failed (see $FWLSM_CACHE/apt.log)"
	got=$(sha256sum "$FWLSM_CACHE"/apt/dl/*.deb | cut -d' ' -f1)
	[ "$got" = "$sha" ] ||
		die "checksum mismatch for $pkg $ver: archive has $got, kernel/pin says $sha (restore kernel/pin, or update SHA256 only if you mean to move the base)"
	mv "$FWLSM_CACHE"/apt/dl/*.deb "$deb"
fi

log "extracting $pkg $ver into $base (about 1 minute)"
tmp=$base.tmp
rm -rf "$tmp" "$tmp.deb"
mkdir -p "$tmp" "$tmp.deb"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp.deb" ./usr/src/ ||
	die "cannot unpack $deb"
tarball=$(find "$tmp.deb/usr/src" -maxdepth 1 -name 'linux-source-*.tar.xz' | head -n 1)
[ -n "$tarball" ] || die "$deb holds no linux-source tarball"
tar -xJf "$tarball" -C "$tmp" --strip-components=1 || die "cannot unpack $tarball"
rm -rf "$tmp.deb"
[ -f "$tmp/Makefile" ] && [ -d "$tmp/security/selinux" ] || die "$tarball is not a kernel tree"

(
	cd "$tmp"
	export GIT_AUTHOR_DATE=$FWLSM_BASE_DATE GIT_COMMITTER_DATE=$FWLSM_BASE_DATE
	git init -q -b base .
	# Debian's .gitignore hides the top level; the base must hold everything.
	git add -f -A .
	git_ident commit -q -m "Linux $ver (Debian $pkg)" \
		-m "Unmodified contents of Debian's $pkg $ver from $suite, sha256 $sha."
	# in the foreground: a detached gc would still be writing when the caller moves on
	git -c gc.autoDetach=false gc -q --auto
) || die "cannot create the base git repository in $tmp"
echo "$stamp" > "$tmp/.git/fwlsm-complete"
rm -rf "$base"
mv "$tmp" "$base"
log "base ready: $(git -C "$base" rev-parse --short HEAD)"
echo "$base"
