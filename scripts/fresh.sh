#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make fresh: prove that the README's promise holds on a new machine.
# Bootstraps a Debian 12 root with only what a new machine of this kind has
# (a compiler, make, git, python3, ca-certificates), clones the checkout's
# HEAD into it and runs `make check` there with an empty cache, so every
# package the pipeline needs must come from `make deps`.  The root lives in
# FWLSM_FRESH_ROOT (default /var/tmp/fwlsm-fresh) and is made anew each run;
# all mounts are in a private mount namespace and vanish with it.
. "$(dirname "$0")/lib.sh"

root=${FWLSM_FRESH_ROOT:-/var/tmp/fwlsm-fresh}
target=${FWLSM_FRESH_TARGET:-check}
[ "$(id -u)" = 0 ] || die "make fresh needs root (debootstrap and chroot)"
command -v debootstrap >/dev/null || die "debootstrap is missing: run 'make deps'"
mirror=$(debian_mirror)
head=$(git -C "$FWLSM_TOP" rev-parse HEAD) || die "$FWLSM_TOP is not a git checkout"
[ -z "$(git -C "$FWLSM_TOP" status --porcelain)" ] ||
	log "note: the checkout has uncommitted changes; the fresh clone tests HEAD ($head) only"

t0=$SECONDS
log "bootstrapping Debian 12 (bookworm) in $root"
rm -rf "$root" || die "cannot remove the last fresh root $root (is a process still using it?)"
mkdir -p "$root"
unshare --mount --propagation private -- \
	debootstrap --variant=minbase --include=gcc,make,git,python3,ca-certificates \
	bookworm "$root" "$mirror" > "$root.debootstrap.log" 2>&1 ||
	die "debootstrap of bookworm failed; see $root.debootstrap.log"
printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
	"$mirror" > "$root/etc/apt/sources.list.d/debian.sources"
rm -f "$root/etc/apt/sources.list"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
log "bootstrapped in $((SECONDS - t0)) s; cloning $head"
git clone -q --no-hardlinks "$FWLSM_TOP" "$root/root/fwlsm" ||
	die "cannot clone $FWLSM_TOP into the fresh root"
git -C "$root/root/fwlsm" checkout -q "$head"

log "running 'make $target' in the fresh root (a cold run: expect 30 minutes or more)"
log "its output: $root.log"
set +e
unshare --mount --propagation private -- sh -c '
	r=$1; t=$2
	# The root must be a mount point, as on a real machine, or the
	# "unshare --propagation private" calls of the pipeline fail in it.
	mount --bind "$r" "$r" &&
	mount -t proc proc "$r/proc" &&
	mount -t sysfs sysfs "$r/sys" &&
	mount --rbind /dev "$r/dev" &&
	mount -t tmpfs tmpfs "$r/tmp" || exit 1
	exec chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd /root/fwlsm && make $t"
' sh "$root" "$target" > "$root.log" 2>&1
rc=$?
set -e
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$root.log" | tail -n 1 || true)
log "make $target in the fresh root: exit status $rc, ${last:-no summary line}, $((SECONDS - t0)) s in all"
if [ "$rc" != 0 ]; then
	tail -n 30 "$root.log" >&2
	die "make $target failed in the fresh root (see $root.log)"
fi
if [ "$target" = check ] && ! [[ $last =~ ^[1-9][0-9]*\ passed,\ 0\ failed$ ]]; then
	die "make check in the fresh root did not end with 'N passed, 0 failed' (see $root.log)"
fi
log "fresh-machine run passed; remove $root when done (it holds a full cold cache)"
