#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate patches/ from the work tree's commits on top of the base:
# one format-patch file per commit, the cover letter (its text is kept in
# patches/0000-cover-letter.patch and carried through the branch
# description) and the series file.  Byte-stable: no dates, hashes or tool
# versions that change between two exports of the same commits.
. "$(dirname "$0")/lib.sh"

tree=$FWLSM_TREE
pdir=$FWLSM_TOP/patches
[ -d "$tree/.git" ] || die "no work tree at $tree: run 'make tree'"
git -C "$tree" rev-parse -q --verify fwlsm-base >/dev/null || die "$tree has no fwlsm-base tag: run 'make tree'"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "$tree has uncommitted changes: commit them first"

n=$(git -C "$tree" rev-list --count fwlsm-base..HEAD)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$n" -gt 0 ]; then
	# Cover text: from the existing cover letter, else a placeholder to edit.
	cover=$pdir/0000-cover-letter.patch
	if [ -f "$cover" ]; then
		# The subject may be folded over several header lines.
		subject=$(awk '/^Subject: / { s = $0; f = 1; next }
			       f && /^ / { s = s $0; next }
			       f { exit }
			       END { print s }' "$cover" |
			  sed 's/^Subject: \[PATCH[^]]*\] //')
		body=$(awk 'f && /^[^ ].* \([0-9]+\):$/ { exit } f { print } /^$/ && !f { f = 1 }' "$cover")
	else
		subject="fwlsm"
		body="Describe the series here."
	fi
	git -C "$tree" config branch.fwlsm.description "$subject

$body"
	git_ident -C "$tree" -c core.abbrev=12 format-patch -q -o "$tmp" \
		--cover-letter --cover-from-description=subject \
		--no-signature --zero-commit --base=fwlsm-base \
		--subject-prefix=PATCH fwlsm-base..HEAD ||
		die "git format-patch failed"
	# The cover letter is dated like the last patch, not "now".
	last=$(git -C "$tree" log -1 --format='%aD' HEAD)
	sed -i "s/^Date: .*/Date: $last/" "$tmp/0000-cover-letter.patch"
	(cd "$tmp" && ls -1 ./*.patch | sed 's|^\./||') > "$tmp/series"
else
	: > "$tmp/series"
fi

rm -f "$pdir"/*.patch "$pdir/series"
mkdir -p "$pdir"
cp "$tmp"/* "$pdir"/ 2>/dev/null || true
git -C "$tree" rev-parse HEAD > "$tree/.git/fwlsm-exported"
log "exported $n patches to patches/"
