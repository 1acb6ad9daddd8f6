# SPDX-License-Identifier: GPL-2.0
# Common settings for the fwlsm scripts.  Sourced, never run.

set -euo pipefail

FWLSM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything expensive lives outside the checkout so a fresh clone reuses it.
FWLSM_CACHE=${FWLSM_CACHE:-/var/cache/fwlsm}
FWLSM_BUILD=${FWLSM_BUILD:-$FWLSM_TOP/build}
FWLSM_TREE=${FWLSM_TREE:-$FWLSM_BUILD/linux}
FWLSM_KBUILD=${FWLSM_KBUILD:-$FWLSM_BUILD/kbuild}
FWLSM_JOBS=${FWLSM_JOBS:-$(nproc)}

# The identity every generated commit and patch carries.
FWLSM_IDENT_NAME="fwlsm developers"
FWLSM_IDENT_EMAIL="dev@fwlsm.invalid"
# A fixed date keeps the base commit and the exported patches byte-stable.
FWLSM_BASE_DATE="2026-11-15T22:30:00+0000"

log()
{
	printf '[fwlsm] %s\n' "$*" >&2
}

die()
{
	printf 'fwlsm: error: %s\n' "$*" >&2
	exit 1
}

# Read KEY=VALUE from kernel/pin without executing it.
pin_get()
{
	local key=$1 file=${2:-$FWLSM_TOP/kernel/pin} val
	[ -f "$file" ] || die "missing pin file $file (restore it from git: git checkout -- ${file#"$FWLSM_TOP"/})"
	val=$(sed -n "s/^$key=//p" "$file" | tail -n 1)
	[ -n "$val" ] || die "pin file $file has no $key= line (restore it from git)"
	printf '%s\n' "$val"
}

git_ident()
{
	git -c user.name="$FWLSM_IDENT_NAME" -c user.email="$FWLSM_IDENT_EMAIL" \
	    -c commit.gpgsign=false "$@"
}

# The Debian archive this machine's apt already uses: the first deb URI of
# /etc/apt/sources.list.d/*.sources or *.list or /etc/apt/sources.list that
# serves a Debian release (not its security archive).  FWLSM_MIRROR
# overrides it.  No mirror is written into the project.
debian_mirror()
{
	local m
	if [ -n "${FWLSM_MIRROR:-}" ]; then
		printf '%s\n' "${FWLSM_MIRROR%/}"
		return
	fi
	m=$(python3 "$FWLSM_TOP/scripts/apt-mirror.py" 2>/dev/null) ||
		die "cannot find a Debian archive in /etc/apt (sources.list, sources.list.d): set FWLSM_MIRROR to your mirror's URL"
	printf '%s\n' "$m"
}

# apt with private sources, state and cache: the system's /etc/apt is never
# touched.  Used for the pinned kernel source and nothing else.
private_apt_setup()
{
	local dir=$FWLSM_CACHE/apt suite=$1
	mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial" "$dir/dl"
	printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
		"$(debian_mirror)" "$suite" > "$dir/sources.list"
	PRIVATE_APT_OPTS=(
		-o "Dir::Etc::SourceList=$dir/sources.list"
		-o "Dir::Etc::SourceParts=/nonexistent"
		-o "Dir::State=$dir/state"
		-o "Dir::State::status=/var/lib/dpkg/status"
		-o "Dir::Cache=$dir/cache"
		-o "APT::Sandbox::User=root"
		-o "Debug::NoLocking=1"
	)
}

# fetch_pinned_deb PACKAGE VERSION SUITE SHA256 PINFILE [ARCH]: the path of
# the package's .deb in $FWLSM_CACHE/dl, downloaded from SUITE with private
# apt state if it is not cached yet, and checked against SHA256 (a cached
# copy that does not match is fetched again).  PINFILE names the pin in
# messages; ARCH is the package's architecture (default: all).
fetch_pinned_deb()
{
	local pkg=$1 ver=$2 suite=$3 sha=$4 pin=$5 arch=${6:-all} deb got
	[[ $sha =~ ^[0-9a-f]{64}$ ]] ||
		die "$pin: sha256 '$sha' of $pkg is not 64 lowercase hex digits (restore it: git checkout -- $pin)"
	deb=$FWLSM_CACHE/dl/${pkg}_${ver/:/%3a}_$arch.deb
	mkdir -p "$FWLSM_CACHE/dl"
	if [ -f "$deb" ] && ! echo "$sha  $deb" | sha256sum -c --status; then
		log "cached $(basename "$deb") does not match $pin; fetching it again"
		rm -f "$deb"
	fi
	if [ ! -f "$deb" ]; then
		private_apt_setup "$suite"
		log "fetching $pkg=$ver from $suite"
		apt-get -q "${PRIVATE_APT_OPTS[@]}" update > "$FWLSM_CACHE/apt.log" 2>&1 ||
			die "cannot reach the Debian archive for $suite (see $FWLSM_CACHE/apt.log); check the network or set FWLSM_MIRROR"
		apt-cache "${PRIVATE_APT_OPTS[@]}" show "$pkg=$ver" >/dev/null 2>&1 ||
			die "$pkg version $ver is not in $suite: fix the version in $pin (apt-cache policy $pkg lists what exists)"
		(cd "$FWLSM_CACHE/apt/dl" && rm -f ./*.deb &&
		 apt-get -q "${PRIVATE_APT_OPTS[@]}" download "$pkg=$ver") >> "$FWLSM_CACHE/apt.log" 2>&1 ||
			die "downloading $pkg=$ver failed (see $FWLSM_CACHE/apt.log)"
		got=$(sha256sum "$FWLSM_CACHE"/apt/dl/*.deb | cut -d' ' -f1)
		[ "$got" = "$sha" ] ||
			die "checksum mismatch for $pkg $ver: archive has $got, $pin says $sha (restore $pin, or update the sha256 only if you mean to move the pin)"
		mv "$FWLSM_CACHE"/apt/dl/*.deb "$deb"
	fi
	printf '%s\n' "$deb"
}

# in_tree ROOT CMD...: run CMD chrooted into the Debian tree ROOT, in a
# private mount namespace that vanishes with it, with /proc, /sys, /dev, a
# private /tmp, and the checkout, the work tree, the pristine base, the
# ccache directory and the test kernel's trusted key bind-mounted at the
# paths they have here.
in_tree()
{
	local root=$1
	shift
	mkdir -p "$FWLSM_CACHE/ccache" "$FWLSM_CACHE/base" "$FWLSM_CACHE/trusted-key"
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private -- sh -ec '
		root=$1; shift
		mount -t proc proc "$root/proc"
		mount --rbind /sys "$root/sys"
		mount --rbind /dev "$root/dev"
		mount -t tmpfs tmpfs "$root/tmp"
		while [ "$1" != -- ]; do
			mkdir -p "$root$1"
			mount --bind "$1" "$root$1"
			shift
		done
		shift
		exec chroot "$root" env PATH=/usr/lib/llvm-19/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
	' sh "$root" "$FWLSM_TOP" "$FWLSM_TREE" "$FWLSM_CACHE/ccache" "$FWLSM_CACHE/base" \
		"$FWLSM_CACHE/trusted-key" -- "$@"
}

# series_added_lines TREE FILE: the lines the series (fwlsm-base..HEAD of
# the work tree TREE) adds to FILE, as "first last" pairs.
series_added_lines()
{
	git -C "$1" diff -U0 fwlsm-base..HEAD -- "$2" |
		sed -nE 's/^@@ -[0-9,]+ \+([0-9]+)(,([0-9]+))? @@.*/\1 \3/p' |
		while read -r first count; do
			[ "${count:-1}" = 0 ] || echo "$first $((first + ${count:-1} - 1))"
		done
}

# series_new_warnings TREE LOG: print every diagnostic of the build output
# LOG (gcc, clang and sparse "file:line:col: warning|error:" lines, and the
# "--> file:line:col" locations of rustc) that points at a line the series
# adds; diagnostics on untouched lines are the base's own.  Paths may be
# relative to the build directory (../linux/...) or absolute under TREE.
series_new_warnings()
{
	local tree=$1 log=$2 file line first last ranges
	declare -A seen=()
	while IFS=: read -r file line; do
		file=${file#"$tree"/}
		while [[ $file == ../* ]]; do file=${file#../}; done
		file=${file#linux/}
		[ -f "$tree/$file" ] || continue
		if [ -z "${seen[$file]+x}" ]; then
			seen[$file]=$(series_added_lines "$tree" "$file")
		fi
		ranges=${seen[$file]}
		while read -r first last; do
			[ -n "$first" ] || continue
			if [ "$line" -ge "$first" ] && [ "$line" -le "$last" ]; then
				grep -E "^[^ ]*$file:$line:[0-9]+: (warning|error):" "$log" || true
				grep -E -B2 "^ *--> [^ ]*$file:$line:" "$log" || true
				break
			fi
		done <<<"$ranges"
	done < <(sed -nE -e 's/^([^ :]+):([0-9]+):[0-9]+: (warning|error):.*/\1:\2/p' \
		-e 's/^ *--> ([^ :]+):([0-9]+):[0-9]+$/\1:\2/p' "$log" | sort -u)
}

# debian_config: the path of Debian's amd64 config of its 7.3 kernel, from
# the linux-config package pinned in kernel/toolchain.pin, unpacked (once)
# into $FWLSM_CACHE/debian-config.
debian_config()
{
	local pin=$FWLSM_TOP/kernel/toolchain.pin deb file out
	file=$(pin_get CONFIG_FILE "$pin")
	out=$FWLSM_CACHE/debian-config/$(pin_get CONFIG_VERSION "$pin")/$(basename "$file" .xz)
	if [ ! -s "$out" ]; then
		deb=$(fetch_pinned_deb "$(pin_get CONFIG_PACKAGE "$pin")" "$(pin_get CONFIG_VERSION "$pin")" \
			"$(pin_get CONFIG_SUITE "$pin")" "$(pin_get CONFIG_SHA256 "$pin")" \
			kernel/toolchain.pin amd64) || exit 1
		mkdir -p "$(dirname "$out")"
		dpkg-deb --fsys-tarfile "$deb" | tar -xO "./$file" | xz -dc > "$out.tmp" ||
			die "$deb has no $file (fix CONFIG_FILE in kernel/toolchain.pin)"
		mv "$out.tmp" "$out"
	fi
	printf '%s\n' "$out"
}

# debian_lsm_order: the lsm= list equivalent to a Debian system booted with
# security=selinux.  That is Debian's CONFIG_LSM less the legacy major LSMs
# other than SELinux (AppArmor, Smack, TOMOYO), which security= disables
# (security/lsm_init.c, lsm_order_parse()); the series' bpf_sig is added
# at the end.
debian_lsm_order()
{
	local cfg lsm
	cfg=$(debian_config) || exit 1
	lsm=$(sed -n 's/^CONFIG_LSM="\(.*\)"$/\1/p' "$cfg")
	[ -n "$lsm" ] || die "$cfg has no CONFIG_LSM"
	lsm=$(tr ',' '\n' <<<"$lsm" | grep -vxE 'apparmor|smack|tomoyo' | paste -sd,)
	printf '%s,bpf_sig\n' "$lsm"
}

# touched_objects TREE OUT FILTER: the objects, built in the build
# directory OUT, of the C files the series changes in TREE, selected with
# git's --diff-filter=FILTER (M: files the base has too; AM: also new ones).
touched_objects()
{
	git -C "$1" diff --name-only --diff-filter="$3" fwlsm-base..HEAD -- '*.c' |
		while read -r f; do
			[ ! -f "$2/${f%.c}.o" ] || echo "${f%.c}.o"
		done
}

# policy_with_rules RULES OUT: the test policy (policy/test.conf) with the
# policy.conf statements of the file RULES added before its role
# statements, which must come after every TE rule, into OUT.
policy_with_rules()
{
	awk -v rules="$1" '
		/^role system_r;$/ && !done {
			print "# from " rules
			while ((getline line < rules) > 0)
				print line
			done = 1
		}
		{ print }' "$FWLSM_TOP/policy/test.conf" > "$2"
	grep -qxF "# from $1" "$2" || die "policy/test.conf has no 'role system_r;' line to add $1 before"
}

# Record one host-side result for the closing summary (scripts/results.py).
FWLSM_LEDGER=${FWLSM_LEDGER:-$FWLSM_BUILD/results/ledger}
ledger()
{
	local status=$1 name=$2
	shift 2
	mkdir -p "$(dirname "$FWLSM_LEDGER")"
	printf '%s %s %s\n' "$status" "$name" "$*" >> "$FWLSM_LEDGER"
	[ "$status" = FAIL ] && printf 'FAIL %s %s\n' "$name" "$*" >&2
	return 0
}

# make_test_key DIR CN: a throw-away RSA signing key DIR/key.pem and its
# self-signed certificate DIR/cert.pem (PEM) and DIR/cert.der, with the
# extensions of the kernel's own module signing key.
make_test_key()
{
	local dir=$1 cn=$2
	command -v openssl >/dev/null || die "openssl is missing: run 'make deps'"
	cat > "$dir/x509.cnf" <<CNF
[req]
distinguished_name = dn
prompt = no
x509_extensions = ext
[dn]
CN = $cn
[ext]
basicConstraints = critical,CA:FALSE
keyUsage = digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
	openssl req -new -x509 -nodes -utf8 -sha256 -days 36500 -batch \
		-config "$dir/x509.cnf" -newkey rsa:2048 \
		-keyout "$dir/key.pem" -out "$dir/cert.pem" 2>"$dir/openssl.log" &&
		openssl x509 -in "$dir/cert.pem" -outform DER -out "$dir/cert.der" \
			2>>"$dir/openssl.log" ||
		die "generating the test key \"$cn\" failed (see $dir/openssl.log)"
}
