#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The throw-away signing key whose certificate the test kernel builds into
# its built-in trusted keyring (CONFIG_SYSTEM_TRUSTED_KEYS), so that the
# bpf_integrity tests can sign a program with a key the kernel trusts.
# Made once per cache, not per build: a new certificate would relink every
# kernel.  Prints the directory holding key.pem and cert.pem.
. "$(dirname "$0")/lib.sh"

mkdir -p "$FWLSM_CACHE"
dir=$(cd "$FWLSM_CACHE" && pwd)/trusted-key
case "$dir" in
*[[:space:]\"\\]*) die "FWLSM_CACHE must not contain spaces, quotes or backslashes: the key's path goes into the kernel config" ;;
esac
# Two builds started at once must not make two different keys.
exec 9>"$dir.lock"
flock 9
if [ ! -f "$dir/.complete" ]; then
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	chmod 700 "$dir.tmp"
	make_test_key "$dir.tmp" "fwlsm test kernel trusted key (throw-away)"
	touch "$dir.tmp/.complete"
	mv "$dir.tmp" "$dir"
	log "made the test kernel's trusted key in $dir"
fi
printf '%s\n' "$dir"
