#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Create or refresh the work tree: the pinned base plus `git am` of every
# patch listed in patches/series (every series of patches/, in order).  An existing work tree is reset in place
# (unchanged files keep their timestamps, so rebuilds stay incremental), but
# never while it holds work that patches/ does not: uncommitted changes or
# commits made since the last `make tree`/`make export`.
. "$(dirname "$0")/lib.sh"

base=$("$FWLSM_TOP/scripts/fetch-base.sh")
base_rev=$(git -C "$base" rev-parse HEAD)
series=$FWLSM_TOP/patches/series
[ -f "$series" ] || die "patches/series is missing (restore it: git checkout -- patches/series)"

if [ -d "$FWLSM_TREE/.git" ]; then
	if [ -z "${FORCE:-}" ]; then
		[ -z "$(git -C "$FWLSM_TREE" status --porcelain --untracked-files=no)" ] ||
			die "$FWLSM_TREE has uncommitted changes: commit and 'make export' them, or rerun with FORCE=1 to drop them"
		rec=$FWLSM_TREE/.git/fwlsm-exported
		head=$(git -C "$FWLSM_TREE" rev-parse -q --verify HEAD || true)
		if [ -f "$rec" ] && [ "$head" != "$(cat "$rec")" ]; then
			die "$FWLSM_TREE has commits not in patches/: run 'make export' first, or rerun with FORCE=1 to drop them"
		fi
	fi
	git -C "$FWLSM_TREE" am --abort >/dev/null 2>&1 || true
	git -C "$FWLSM_TREE" fetch -q "$base" HEAD
	git -C "$FWLSM_TREE" checkout -q -B fwlsm "$base_rev"
	git -C "$FWLSM_TREE" reset -q --hard "$base_rev"
	git -C "$FWLSM_TREE" clean -q -fdx
else
	log "creating the work tree $FWLSM_TREE"
	mkdir -p "$(dirname "$FWLSM_TREE")"
	rm -rf "$FWLSM_TREE"
	git clone -q --shared --no-checkout -b base "$base" "$FWLSM_TREE"
	git -C "$FWLSM_TREE" checkout -q -b fwlsm "$base_rev"
fi
git -C "$FWLSM_TREE" tag -f fwlsm-base "$base_rev" >/dev/null

n=0
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	case "$p" in 0000-*|*/0000-*) continue ;; esac	# a cover letter
	[ -f "$FWLSM_TOP/patches/$p" ] || die "patches/series lists $p, which does not exist"
	if ! git_ident -C "$FWLSM_TREE" am -q --committer-date-is-author-date \
		"$FWLSM_TOP/patches/$p" > "$FWLSM_BUILD/am.log" 2>&1; then
		git -C "$FWLSM_TREE" am --abort >/dev/null 2>&1 || true
		die "patch $p does not apply to the base (see $FWLSM_BUILD/am.log)"
	fi
	n=$((n + 1))
done < "$series"
git -C "$FWLSM_TREE" rev-parse HEAD > "$FWLSM_TREE/.git/fwlsm-exported"
log "work tree ready: base $(git -C "$FWLSM_TREE" rev-parse --short "$base_rev") + $n patches"
