#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian 12 packages the pipeline needs (root only; a no-op when
# they are all present).
. "$(dirname "$0")/lib.sh"

pkgs=(
	# kernel build
	gcc make bc bison flex libelf-dev libssl-dev dwarves cpio kmod xz-utils perl python3 git ccache
	# checkpatch.pl (spdxcheck.py)
	python3-ply python3-git
	# guest image, QEMU tree, policies
	busybox-static debootstrap checkpolicy openssl ca-certificates
	# rdma-core's mlx5 provider for the DEVX client (static libraries)
	libibverbs-dev ibverbs-providers libnl-3-dev libnl-route-3-dev
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}) and not root: run 'make deps' as root"
log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -q update > /dev/null || die "apt-get update failed: check the network and /etc/apt"
apt-get -q install -y --no-install-recommends "${missing[@]}" > "${TMPDIR:-/tmp}/fwlsm-deps.log" 2>&1 ||
	die "apt-get install failed (see ${TMPDIR:-/tmp}/fwlsm-deps.log)"
