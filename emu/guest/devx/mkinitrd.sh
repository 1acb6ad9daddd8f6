#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make the DEVX smoke initramfs: BASE (a busybox initramfs such as
# build/initramfs.cpio.gz) with emu/guest/devx/init as /init, the static
# /devx/devx_cmd (the fwctl_lsm selftest's raw DEVX client, as built by
# make initramfs) and /devx/devx-dv, and the host's (dynamic) ibv_devinfo
# with its libraries and the mlx5 provider when ibverbs-utils is installed.
#   emu/guest/devx/mkinitrd.sh BASE OUT [DEVX_CMD]
# DEVX_CMD: default build/selftests/fwctl_lsm/devx_cmd.
set -euo pipefail
base=${1:?usage: mkinitrd.sh BASE OUT [DEVX_CMD]}
out=${2:?usage: mkinitrd.sh BASE OUT [DEVX_CMD]}
here=$(cd "$(dirname "$0")" && pwd)
devx_cmd=${3:-$here/../../../build/selftests/fwctl_lsm/devx_cmd}
[ -x "$devx_cmd" ] || { echo "mkinitrd: no $devx_cmd: run 'make initramfs' first" >&2; exit 1; }
out=$(realpath -m "$out")
base=$(realpath "$base")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp/" && zcat "$base" | cpio -id --quiet)
install -m 0755 "$here/init" "$tmp/init"
mkdir -p "$tmp/devx"
make -s -C "$here" O="$tmp/devx" all
install -m 0755 "$devx_cmd" "$tmp/devx/devx_cmd"
rm -f "$tmp/devx/devx-dv.link.log"

# ibv_devinfo (dynamic): the binary, its libraries, the loader, the mlx5
# provider and its driver file, at their Debian paths.
if [ -x /usr/bin/ibv_devinfo ]; then
	multi=/usr/lib/x86_64-linux-gnu
	prov=$multi/libibverbs/libmlx5-rdmav34.so
	copy() { mkdir -p "$tmp$(dirname "$1")"; cp -L "$1" "$tmp$1"; }
	copy /usr/bin/ibv_devinfo
	copy "$prov"
	copy /etc/libibverbs.d/mlx5.driver
	for lib in $(ldd /usr/bin/ibv_devinfo "$prov" | awk '/=>/ { print $3 } /^\t\/lib64/ { print $1 }' | sort -u); do
		copy "$lib"
	done
	ln -sf /usr/bin/ibv_devinfo "$tmp/devx/ibv_devinfo"
fi
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -6) > "$out"
echo "mkinitrd: wrote $out"
