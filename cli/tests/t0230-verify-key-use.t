#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet verify: keys not allowed to sign, signatures dated before their key or in the future,
# and a bad signature that names a trusted key's ID (reported by key ID only, as a collision).
. "$(dirname "$0")/lib.sh"
need_fixtures

S="$T/store"
make_store "$S" rsa ed25519 nosign nosignsub || { echo "Bail out! cannot make the store"; exit 1; }
P="$FX/srpms"

# codes FIXTURE [--at N]: the sorted error codes of one JSON verify
codes() { f=$1; shift; "$RPMVET" verify --keys "$S" --format json "$@" "$P/$f.src.rpm" |
	jq -r '[.packages[0].findings[] | select(.severity == "error") | .code] | sort | join(",")'; }

# a certify-only primary key (its sign flag removed after it signed)
run rpmvet verify --keys "$S" "$P/nosign.src.rpm"
is_rc 1 "a signature by a key without the signing capability is rejected"
out_has "key.cannot-sign: key $(fpr_of nosign) is not flagged for signing" "says the key may not sign"
# a signing subkey whose sign flag was removed: librpm and gpg refuse it
run rpmvet verify --keys "$S" --format json "$P/nosignsub.src.rpm"
is_rc 1 "a signature by a subkey without the sign flag is rejected"
jq_is '[.packages[0].findings[] | select(.severity == "error") | .code] | join(",")' key.cannot-sign \
	"key.cannot-sign, not signature.unsupported"
jq_is '.packages[0].findings[] | select(.code == "key.cannot-sign") | .message' \
	"signed by subkey $(fpr_of nosignsub), which is not flagged for signing (its usage flags forbid signatures)" \
	"names the subkey"
run rpmvet key list --keys "$S" --format json
jq_is ".keys[] | select(.fingerprint == \"$(awk '$1 == "nosignsub" { print $2 }' "$FX/keys/fingerprints.txt")\") | [.can_sign, .subkeys[0].can_sign] | @tsv" \
	"false	false" "key list: neither the primary nor its subkey can sign"

# signature times
run rpmvet verify --keys "$S" "$P/before-key.src.rpm"
is_rc 1 "a signature dated before its key was created is rejected"
out_has "signature.before-key: the signature is dated 2020-01-01, before its key $(fpr_of ed25519) was created" \
	"says when each was made"
run rpmvet verify --keys "$S" "$P/future.src.rpm"
is_rc 1 "a signature dated in 2099 is rejected"
out_has "signature.future: the signature is dated 2099-01-01, in the future (more than 300 s after the instant judged" \
	"says it is in the future, with the skew"
sig=$("$RPMVET" verify --keys "$S" --format json "$P/rsa.src.rpm" | jq -r '.packages[0].signer.created')
is "$(codes rsa --at $((sig - 300)))" "" "--at 300 s before the signature: within the skew"
is "$(codes rsa --at $((sig - 301)))" "signature.future" "--at 301 s before: in the future"
is "$(codes rsa --at 1577836800)" "signature.future" "--at 2020: a signature made now is in that instant's future"
is "$(codes rsa)" "" "a signature made now passes"

# key-ID twin: the untrusted key's signature rewritten to name the trusted rsa key's ID
RSA=$(fpr_of rsa)
ID=$(echo "$RSA" | cut -c25-40)
run rpmvet verify --keys "$S" --format json "$P/keyid-twin.src.rpm"
is_rc 1 "a bad signature naming a trusted key's ID is rejected"
jq_is '.packages[0].signer.fingerprint' null "no signer fingerprint is reported"
jq_is '.packages[0].signer.primary' null "nor a primary key"
jq_is '.packages[0].signer.keyid' "$ID" "only the key ID the signature names"
jq_is '.packages[0].findings[] | select(.code == "signature.bad") | .message' \
	"header signature RSA/SHA512 names key ID $ID of a trusted key but does not verify with it: a key-ID collision or a forged signature (the header digests are intact)" \
	"says it is a collision or a forgery"
grep -q "$RSA" "$T/out"; ok $((! $?)) "the trusted key's fingerprint appears nowhere"
run rpmvet verify --keys "$S" -v "$P/keyid-twin.src.rpm"
out_lacks "$RSA" "text -v: no fingerprint either"
# a tampered header is still called that, also without the fingerprint
run rpmvet verify --keys "$S" --format json "$P/header-tampered.src.rpm"
jq_is '.packages[0].signer.fingerprint' null "tampered header: no signer fingerprint"
jq_is '.packages[0].findings[] | select(.code == "signature.bad") | .message' \
	"header signature RSA/SHA512 by key ID $ID is BAD: the header was modified or the signature is corrupt" \
	"tampered header: the header was modified"

done_testing
