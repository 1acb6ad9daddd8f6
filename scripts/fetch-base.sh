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

base=$FWLSM_CACHE/base/$pkg-$ver
stamp="$pkg $ver $sha"
if [ -f "$base/.git/fwlsm-complete" ] && [ "$(cat "$base/.git/fwlsm-complete")" = "$stamp" ]; then
	echo "$base"
	exit 0
fi

deb=$(fetch_pinned_deb "$pkg" "$ver" "$suite" "$sha" kernel/pin) || exit 1

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
