#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make the signing material of the bpf_integrity selftest: a throw-away RSA
# key and its X.509 certificate, generated on every build and never
# committed, and PKCS#7 signatures of the exact instruction bytes the test
# loads.  Usage: build-bpf-keys.sh TEST_BINARY OUTDIR
#   OUTDIR/cert.der    the signer's certificate (the test adds it to a keyring)
#   OUTDIR/sig.p7s     detached signature of the instructions: must verify
#   OUTDIR/badsig.p7s  the same with one byte of the RSA signature flipped
#   OUTDIR/trusted.p7s signature by the key whose certificate the kernel
#                      has in its built-in trusted keyring (trusted-key.sh)
# The private keys stay in $FWLSM_BUILD/bpf-keys and the cache, and are not
# put in OUTDIR.  With a third argument, the instructions of a BPF LSM
# program (selftests/fwctl_lsm's fw_reg_guard.insns), also:
#   OUTDIR/guard-sig.p7s      its signature by the test key (cert.der)
#   OUTDIR/guard-trusted.p7s  its signature by the trusted key
. "$(dirname "$0")/lib.sh"

test_bin=${1:?usage: build-bpf-keys.sh TEST_BINARY OUTDIR [GUARD_INSNS]}
out=${2:?usage: build-bpf-keys.sh TEST_BINARY OUTDIR [GUARD_INSNS]}
guard=${3:-}
keys=$FWLSM_BUILD/bpf-keys

rm -rf "$keys"
mkdir -p "$keys" "$out"
make_test_key "$keys" "fwlsm bpf_integrity test key (throw-away)"

# The test binary is static x86-64: it prints the bytes it will load.
"$test_bin" --dump-insns "$keys/insns.bin" ||
	die "$test_bin --dump-insns failed"
# What the kernel's PKCS#7 parser takes for BPF: detached pkcs7-data,
# DER, SHA-256; no authenticated attributes and no certificates (the
# signer is found in the keyring by issuer and serial number).  Each
# signature is checked on the host before it is trusted in the guest.
sign()
{
	local cert=$1 key=$2 sig=$3 in=${4:-$keys/insns.bin}
	openssl smime -sign -binary -noattr -nocerts -md sha256 -outform DER \
		-in "$in" -signer "$cert" -inkey "$key" \
		-out "$sig" 2>>"$keys/openssl.log" ||
		die "signing the BPF test program failed (see $keys/openssl.log)"
	openssl smime -verify -binary -inform DER -in "$sig" \
		-content "$in" -certfile "$cert" -nointern \
		-noverify -out /dev/null 2>>"$keys/openssl.log" ||
		die "the BPF test signature $sig does not verify on the host (see $keys/openssl.log)"
}
sign "$keys/cert.pem" "$keys/key.pem" "$keys/sig.p7s"
tkey=$("$FWLSM_TOP/scripts/trusted-key.sh")
sign "$tkey/cert.pem" "$tkey/key.pem" "$keys/trusted.p7s"
# The RSA signature is the last element of the DER structure: flipping its
# last byte keeps the message parseable but makes the signature wrong.
python3 - "$keys/sig.p7s" "$keys/badsig.p7s" <<'PY'
import sys
sig = bytearray(open(sys.argv[1], 'rb').read())
sig[-1] ^= 0xff
open(sys.argv[2], 'wb').write(sig)
PY
cp "$keys/cert.der" "$keys/sig.p7s" "$keys/badsig.p7s" "$keys/trusted.p7s" "$out/"
if [ -n "$guard" ]; then
	[ -s "$guard" ] || die "no BPF program instructions at $guard"
	sign "$keys/cert.pem" "$keys/key.pem" "$keys/guard-sig.p7s" "$guard"
	sign "$tkey/cert.pem" "$tkey/key.pem" "$keys/guard-trusted.p7s" "$guard"
	cp "$keys/guard-sig.p7s" "$keys/guard-trusted.p7s" "$out/"
fi
log "BPF test signatures: $out (key in $keys)"
