#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate patches/ from the work tree's commits on top of the base, as
# the series listed in patches/series-split, one directory each: a
# format-patch file per commit, the series' cover letter (its text is kept
# in DIR/0000-cover-letter.patch and carried through a branch description)
# and DIR/series.  patches/series lists every patch of every series in the
# order they apply (what `make tree` applies).  A series after the first
# applies on top of the ones before it; its patches carry base-commit and
# prerequisite-patch-id lines that say so.  Byte-stable: no dates, hashes
# or tool versions that change between two exports of the same commits.
#
# patches/series-split: one line per series, in order, "DIR<TAB>SUBJECT",
# SUBJECT being that of its first commit; the first series starts at the
# base.  A commit keeps its series through rebases as long as the first
# subject of each series stays the same.
. "$(dirname "$0")/lib.sh"

tree=$FWLSM_TREE
pdir=$FWLSM_TOP/patches
split=$pdir/series-split
[ -d "$tree/.git" ] || die "no work tree at $tree: run 'make tree'"
git -C "$tree" rev-parse -q --verify fwlsm-base >/dev/null || die "$tree has no fwlsm-base tag: run 'make tree'"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "$tree has uncommitted changes: commit them first"
[ -f "$split" ] || die "patches/series-split is missing (restore it: git checkout -- patches/series-split)"

mapfile -t dirs < <(awk -F'\t' '!/^#/ && NF == 2 { print $1 }' "$split")
mapfile -t firsts < <(awk -F'\t' '!/^#/ && NF == 2 { print $2 }' "$split")
[ ${#dirs[@]} -gt 0 ] || die "patches/series-split names no series"
mapfile -t commits < <(git -C "$tree" rev-list --reverse fwlsm-base..HEAD)
n=${#commits[@]}
[ "$n" -gt 0 ] || die "the work tree has no commit on top of the base"

# Where each series starts: the index of the commit with its first subject
starts=()
for i in "${!dirs[@]}"; do
	if [ "$i" = 0 ]; then
		starts+=(0)
		continue
	fi
	at=
	for j in "${!commits[@]}"; do
		if [ "$(git -C "$tree" log -1 --format=%s "${commits[$j]}")" = "${firsts[$i]}" ]; then
			at=$j
			break
		fi
	done
	[ -n "$at" ] || die "series ${dirs[$i]}: no commit has the subject \"${firsts[$i]}\" (patches/series-split)"
	[ "$at" -gt "${starts[$((i - 1))]}" ] ||
		die "series ${dirs[$i]} starts before the series before it: reorder the commits or fix patches/series-split"
	starts+=("$at")
done
[ "$(git -C "$tree" log -1 --format=%s "${commits[0]}")" = "${firsts[0]}" ] ||
	die "the first commit is not \"${firsts[0]}\", the first of series ${dirs[0]} (patches/series-split)"

tmp=$(mktemp -d)
cleanup()
{
	git -C "$tree" branch -q -D fwlsm-export 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

: > "$tmp/series"
for i in "${!dirs[@]}"; do
	d=${dirs[$i]}
	from=fwlsm-base
	[ "$i" = 0 ] || from=${commits[$((starts[i] - 1))]}
	if [ $((i + 1)) -lt ${#dirs[@]} ]; then
		to=${commits[$((starts[i + 1] - 1))]}
	else
		to=${commits[$((n - 1))]}
	fi
	# Cover text: from the existing cover letter, else a placeholder to edit.
	cover=$pdir/$d/0000-cover-letter.patch
	if [ -f "$cover" ]; then
		# The subject may be folded over several header lines.
		subject=$(awk '/^Subject: / { s = $0; f = 1; next }
			       f && /^ / { s = s $0; next }
			       f { exit }
			       END { print s }' "$cover" |
			  sed 's/^Subject: \[PATCH[^]]*\] //')
		body=$(awk 'f && /^[^ ].* \([0-9]+\):$/ { exit } f { print } /^$/ && !f { f = 1 }' "$cover")
	else
		subject=$d
		body="Describe the series here."
	fi
	# format-patch takes the cover text from the description of the
	# branch at the end of the range.
	git -C "$tree" branch -q -f fwlsm-export "$to"
	git -C "$tree" config branch.fwlsm-export.description "$subject

$body"
	mkdir -p "$tmp/$d"
	git_ident -C "$tree" -c core.abbrev=12 format-patch -q -o "$tmp/$d" \
		--cover-letter --cover-from-description=subject \
		--no-signature --zero-commit --base=fwlsm-base \
		--subject-prefix=PATCH "$from..fwlsm-export" ||
		die "git format-patch failed for series $d"
	# The cover letter is dated like the series' last patch, not "now".
	last=$(git -C "$tree" log -1 --format='%aD' "$to")
	sed -i "s/^Date: .*/Date: $last/" "$tmp/$d/0000-cover-letter.patch"
	(cd "$tmp/$d" && ls -1 ./*.patch | sed 's|^\./||') > "$tmp/$d/series"
	sed "s|^|$d/|" "$tmp/$d/series" >> "$tmp/series"
done

for d in "${dirs[@]}"; do
	rm -f "$pdir/$d"/*.patch "$pdir/$d/series"
	mkdir -p "$pdir/$d"
	cp "$tmp/$d"/* "$pdir/$d/"
done
# patches of the single series this directory held before the split
rm -f "$pdir"/*.patch
cp "$tmp/series" "$pdir/series"
git -C "$tree" rev-parse HEAD > "$tree/.git/fwlsm-exported"
log "exported $n patches to patches/ as ${#dirs[@]} series: ${dirs[*]}"
