#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make the smoke-test initramfs: BASE (a busybox initramfs such as
# build/initramfs.cpio.gz) with emu/guest/init as /init and a static
# fwctl-smoke.   emu/guest/mkinitrd.sh BASE OUT [KSRC]
set -euo pipefail
base=${1:?usage: mkinitrd.sh BASE OUT [KSRC]}
out=${2:?usage: mkinitrd.sh BASE OUT [KSRC]}
ksrc=${3:-/var/cache/fwlsm/base/linux-source-7.3-7.3.4-1~bpo13+1}
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "$out")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && zcat "$(realpath "$base")" | cpio -id --quiet)
install -m 0755 "$here/init" "$tmp/init"
gcc -static -O2 -Wall -Wextra -Werror -idirafter "$ksrc/include/uapi" \
	-o "$tmp/fwctl-smoke" "$here/fwctl-smoke.c"
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -9) > "$out"
echo "mkinitrd: wrote $out"
