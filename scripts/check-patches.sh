#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static checks of the series in the work tree, one ledger line each:
# checkpatch.pl --strict per patch (0 errors, 0 warnings), and kernel-doc on
# every touched C file and header (no warning the base did not already have).
. "$(dirname "$0")/lib.sh"

tree=$FWLSM_TREE
cd "$tree"
# checkpatch runs spdxcheck.py with "env python3": use Debian's, which has ply.
export PATH=/usr/bin:/bin:$PATH
series=$FWLSM_TOP/patches/series
n=0
while read -r p; do
	case "$p" in ''|'#'*|0000-*|*/0000-*) continue ;; esac
	n=$((n + 1))
	out=$(./scripts/checkpatch.pl --strict --terse --no-summary \
		"$FWLSM_TOP/patches/$p" 2>&1 || true)
	errs=$(grep -c ': ERROR:' <<<"$out" || true)
	warns=$(grep -c ': WARNING:' <<<"$out" || true)
	checks=$(grep -c ': CHECK:' <<<"$out" || true)
	if [ "$errs" = 0 ] && [ "$warns" = 0 ]; then
		ledger PASS "checkpatch:$p" "$checks checks"
		[ "$checks" = 0 ] || printf '%s\n' "$out" >&2
	else
		printf '%s\n' "$out" >&2
		ledger FAIL "checkpatch:$p" "$errs errors, $warns warnings"
	fi
done < "$series"

if [ "$n" = 0 ]; then
	log "the series is empty: no patch checks"
	exit 0
fi

kdoc()
{
	# Line numbers move when code is added, so compare messages without them.
	./scripts/kernel-doc -none -Wall "$1" 2>&1 |
		sed -E "s|$FWLSM_BUILD/kdoc-base/||; s/(\.[ch]):[0-9]+/\1/" | sort -u
}
while read -r f; do
	case "$f" in *.c|*.h) ;; *) continue ;; esac
	[ -f "$f" ] || continue
	new=$(kdoc "$f")
	old=
	if git cat-file -e "fwlsm-base:$f" 2>/dev/null; then
		mkdir -p "$(dirname "$FWLSM_BUILD/kdoc-base/$f")"
		git show "fwlsm-base:$f" > "$FWLSM_BUILD/kdoc-base/$f"
		old=$(kdoc "$FWLSM_BUILD/kdoc-base/$f")
	fi
	added=$(comm -13 <(printf '%s\n' "$old") <(printf '%s\n' "$new") | sed '/^$/d')
	if [ -z "$added" ]; then
		ledger PASS "kernel-doc:$f"
	else
		printf '%s\n' "$added" >&2
		ledger FAIL "kernel-doc:$f" "$(wc -l <<<"$added") new warnings"
	fi
done < <(git diff --name-only fwlsm-base..HEAD)
rm -rf "$FWLSM_BUILD/kdoc-base"
