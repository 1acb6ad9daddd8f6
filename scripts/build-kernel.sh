#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure (tinyconfig + kernel/*.config) and build the work tree out of
# tree in $FWLSM_KBUILD, with ccache.  Fails if any option of a fragment did
# not survive olddefconfig, naming it.
. "$(dirname "$0")/lib.sh"

src=$FWLSM_TREE
out=$FWLSM_KBUILD
[ -f "$src/Makefile" ] || die "no work tree at $src: run 'make tree'"
command -v ccache >/dev/null || die "ccache is missing: run 'make deps'"
export CCACHE_DIR=${CCACHE_DIR:-$FWLSM_CACHE/ccache}
export CCACHE_BASEDIR=$FWLSM_TOP CCACHE_NOHASHDIR=1 CCACHE_COMPILERCHECK=content
export KBUILD_BUILD_TIMESTAMP="$FWLSM_BASE_DATE" KBUILD_BUILD_USER=fwlsm KBUILD_BUILD_HOST=fwlsm
ccache -M "${FWLSM_CCACHE_SIZE:-5G}" >/dev/null

mkdir -p "$out"
# The built-in trusted keyring holds the certificate of a test key, for
# the bpf_integrity tests; its path depends on the cache, so this fragment
# is generated.
tkey=$("$FWLSM_TOP/scripts/trusted-key.sh")
printf 'CONFIG_SYSTEM_TRUSTED_KEYS="%s"\n' "$tkey/cert.pem" > "$out/trusted-keys.config"

frags=("$FWLSM_TOP"/kernel/*.config "$out/trusted-keys.config")
checked=("${frags[@]}")
# A variant fragment (FWLSM_CONFIG_VARIANT) is merged last; then only its
# own options are verified, since it may switch off what the others need.
if [ -n "${FWLSM_CONFIG_VARIANT:-}" ]; then
	frags+=("$FWLSM_CONFIG_VARIANT")
	checked=("$FWLSM_CONFIG_VARIANT")
fi
kmake=(make -C "$src" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$FWLSM_JOBS")
# FWLSM_TOOLCHAIN=llvm: the same kernel with LLVM=1, clang-19 and rustc
# from the trixie toolchain tree (kernel/toolchain.pin), as the build robot
# and clang users build it.
if [ "${FWLSM_TOOLCHAIN:-gcc}" = llvm ]; then
	kmake=("$FWLSM_TOP/scripts/toolchain.sh" run make -C "$src" O="$out" ARCH=x86_64
		LLVM=1 CC="ccache clang" HOSTCC=clang -j"$FWLSM_JOBS")
fi

# Reconfigure only when a fragment changed, so a warm build stays incremental.
sum=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
if [ ! -f "$out/.config.fwlsm" ] || [ "$(cat "$out/.fwlsm-config" 2>/dev/null)" != "$sum" ]; then
	log "configuring: tinyconfig + ${frags[*]##*/}"
	"${kmake[@]}" -s tinyconfig > /dev/null
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}") > "$out/merge.log" 2>&1 ||
		die "merging config fragments failed (see $out/merge.log)"
	"${kmake[@]}" -s olddefconfig > /dev/null
	bad=0
	while read -r line; do
		case "$line" in
		CONFIG_*=*) opt=${line%%=*}; want=$line ;;
		'# CONFIG_'*' is not set') opt=${line#\# }; opt=${opt%% *}; want=$line ;;
		*) continue ;;
		esac
		got=$(grep -E "^($opt=|# $opt is not set)" "$out/.config" || echo "$opt absent")
		if [ "$got" != "$want" ]; then
			[ "$want" = "# $opt is not set" ] && [ "$got" = "$opt absent" ] && continue
			printf 'fwlsm: config: wanted "%s", got "%s"\n' "$want" "$got" >&2
			bad=1
		fi
	done < <(cat "${checked[@]}")
	[ $bad = 0 ] || die "some config options did not survive olddefconfig (missing dependency?); fix kernel/*.config"
	cp "$out/.config" "$out/.config.fwlsm"
	echo "$sum" > "$out/.fwlsm-config"
fi

build()
{
	local what=$1 start=$SECONDS
	# Every build starts from the configuration made for the whole series:
	# a commit that predates an option the series adds (a new LSM, say)
	# drops it from .config, and the next commit would not get it back.
	cp "$out/.config.fwlsm" "$out/.config"
	log "building $what ($FWLSM_JOBS jobs)"
	if ! "${kmake[@]}" bzImage > "$out/build.log" 2>&1; then
		grep -E 'error|Error' "$out/build.log" | head -n 20 >&2
		log "kernel build failed: $what (full log: $out/build.log)"
		return 1
	fi
	log "built $what in $((SECONDS - start)) s"
}

if [ "${1:-}" != --each ]; then
	build "the work tree" || die "kernel build failed"
	exit 0
fi

# --each: build every commit of the series in order, so each patch is
# known to build on its own (bisectable).  Run in the one build directory,
# the steps are incremental and ccache makes a warm rerun cheap.  The last
# step is the work tree's HEAD, which the guest boots.
head=$(git -C "$src" symbolic-ref -q --short HEAD || git -C "$src" rev-parse HEAD)
restore()
{
	git -C "$src" checkout -q "$head"
}
trap restore EXIT
mapfile -t commits < <(git -C "$src" rev-list --reverse fwlsm-base..HEAD)
[ ${#commits[@]} -gt 0 ] || commits=(HEAD)
last=$(git -C "$src" rev-parse HEAD)
# No new W=1 warnings: rebuild the series' C files with W=1 and fail on a
# warning that points at a line the series added (warnings on untouched
# lines are the base's own).
w1_check()
{
	local f o objs=() out_w1 new
	mapfile -t files < <(git -C "$src" diff --name-only fwlsm-base..HEAD -- '*.c' '*.h')
	for f in "${files[@]}"; do
		case "$f" in *.c) ;; *) continue ;; esac
		o=${f%.c}.o
		[ -f "$out/$o" ] && objs+=("$o")
	done
	[ ${#objs[@]} -gt 0 ] || return 0
	out_w1=$("${kmake[@]}" W=1 "${objs[@]}" 2>&1) || {
		printf '%s\n' "$out_w1" | tail -n 20 >&2
		ledger FAIL "build-W=1" "W=1 build of ${objs[*]} failed"
		return 1
	}
	printf '%s\n' "$out_w1" > "$out/w1.log"
	new=$(series_new_warnings "$src" "$out/w1.log")
	[ -z "$new" ] || printf '%s\n' "$new" >&2
	if [ -z "$new" ]; then
		ledger PASS "build-W=1" "${#objs[@]} objects"
	else
		ledger FAIL "build-W=1" "$(grep -cE ': (warning|error):|^ *-->' <<<"$new") new warnings in lines the series adds"
	fi
}

for c in "${commits[@]}"; do
	c=$(git -C "$src" rev-parse "$c")
	subj=$(git -C "$src" log -1 --format=%s "$c" | tr -c 'A-Za-z0-9_.:/+-' '_' | cut -c1-70)
	[ "$c" = "$last" ] || git -C "$src" checkout -q --detach "$c"
	[ "$c" != "$last" ] || restore
	if build "$(git -C "$src" log -1 --format='%h %s' "$c")"; then
		ledger PASS "build:$subj"
	else
		ledger FAIL "build:$subj" "see $out/build.log"
		exit 1
	fi
done
w1_check
