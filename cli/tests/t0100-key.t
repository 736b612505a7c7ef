#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet key add/list/remove on the fixture keys; malformed keys leave the store as it was.
. "$(dirname "$0")/lib.sh"
need_fixtures

S="$T/store"
RSA=$(fpr_of rsa)
SUBKEY_PRIMARY=$(awk '$1 == "subkey" { print $2 }' "$FX/keys/fingerprints.txt")
SUBKEY_SIGN=$(fpr_of subkey)
snapshot() { (cd "$S" 2>/dev/null && ls -l --time-style=+%s . && cat ./*.asc 2>/dev/null | sha256sum) ; }

run rpmvet key add --keys "$S" "$FX/keys/rsa.asc"
is_rc 0 "add the RSA key to a new store"
out_has "added $RSA  Fixture RSA <rsa@fixture.test>" "names fingerprint and user id"
[ -f "$S/$RSA.asc" ]; ok $? "stored under its full fingerprint"
grep -q "BEGIN PGP PUBLIC KEY BLOCK" "$S/$RSA.asc"; ok $? "stored armored"

run rpmvet key add --keys "$S" "$FX/keys/rsa.asc"
is_rc 0 "adding the same key again"
is "$(ls "$S" | wc -l)" 1 "is idempotent: still one file"

run rpmvet key add --keys "$S" "$FX/keys/subkey.asc" "$FX/keys/expired.asc" "$FX/keys/revoked.asc"
is_rc 0 "add three keys at once"
is "$(grep -c '^added ' "$T/out")" 3 "three keys reported"

run rpmvet key list --keys "$S"
is_rc 0 "key list"
out_has "$RSA  RSA 3072  created" "lists fingerprint, algorithm and size"
out_has "expires never  valid  [sign]" "shows expiry and state"
out_has "    sub $SUBKEY_SIGN  EdDSA 255/ed25519" "lists the signing subkey under its primary"
out_has "expires 2020-01-02T00:00:00Z  expired" "shows the expired key with its date"
grep "$(fpr_of revoked)" "$T/out" | grep -q "revoked"; ok $? "shows the revoked key as revoked"
out_has "Fixture Expired <expired@fixture.test>" "shows user ids"

run rpmvet key list --keys "$S" --format json
is_rc 0 "key list --format json"
jq_is '.format_version' 1 "format_version"
jq_is '.keys | length' 4 "four primary keys"
jq_is "[.keys[].fingerprint] == ([.keys[].fingerprint] | sort)" true "sorted by fingerprint"
jq_is ".keys[] | select(.fingerprint == \"$RSA\") | [.algorithm, .bits, .expired, .revoked, .expires] | @tsv" \
	"RSA	3072	false	false	" "RSA key facts"
jq_is ".keys[] | select(.fingerprint == \"$RSA\") | .keyid" "$(echo "$RSA" | cut -c25-40)" "key id is the last 16 hex digits"
jq_is ".keys[] | select(.fingerprint == \"$(fpr_of expired)\") | [.expired, .expires] | @tsv" \
	"true	2020-01-02T00:00:00Z" "expired key facts"
jq_is ".keys[] | select(.fingerprint == \"$(fpr_of revoked)\") | .revoked" true "revoked key facts"
jq_is ".keys[] | select(.fingerprint == \"$SUBKEY_PRIMARY\") | .subkeys[0] | [.fingerprint, .algorithm, .can_sign] | @tsv" \
	"$SUBKEY_SIGN	EdDSA	true" "subkey facts"

# malformed input: exit 2, the store unchanged
before=$(snapshot)
: > "$T/empty.asc"
printf 'hello\n' > "$T/text.asc"
head -c 600 "$FX/keys/rsa.asc" > "$T/cut.asc"
printf -- '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAAbm90IGEga2V5IGF0IGFsbA==\n=AAAA\n-----END PGP PUBLIC KEY BLOCK-----\n' > "$T/garbage.asc"
printf -- '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n-----END PGP PRIVATE KEY BLOCK-----\n' > "$T/secret.asc"
for f in empty text cut garbage secret; do
	run rpmvet key add --keys "$S" "$T/$f.asc"
	is_rc 2 "malformed key file '$f' refused"
	err_has "$T/$f.asc" "the message names the file ($f)"
done
err_has "holds a secret key" "a secret key is called that"
run rpmvet key add --keys "$S" "$T/empty.asc"
err_has "'$T/empty.asc' is empty" "an empty file is called empty"
run rpmvet key add --keys "$S" "$T/text.asc"
err_has "is not an armored OpenPGP public key" "a text file is not a key"
run rpmvet key add --keys "$S" "$T/cut.asc"
err_has "truncated" "a cut armor is truncated"
run rpmvet key add --keys "$S" "$T/garbage.asc"
err_has "holds no usable OpenPGP public key" "garbage armor has no key"
run rpmvet key add --keys "$S" "$FX/keys/ed25519.asc" "$T/garbage.asc"
is_rc 2 "one bad file among good ones"
is "$(snapshot)" "$before" "leaves the store exactly as it was"
run rpmvet key add --keys "$S" "$T/missing.asc"
is_rc 3 "a missing key file"
err_has "cannot open '$T/missing.asc'" "names the missing file"
is "$(snapshot)" "$before" "still unchanged"

# remove
run rpmvet key remove --keys "$S" 1234ABCD
is_rc 2 "a short key id is not a fingerprint"
err_has "is not a full fingerprint" "says so"
run rpmvet key remove --keys "$S" 0000000000000000000000000000000000000000
is_rc 3 "an unknown fingerprint"
err_has "no key 0000000000000000000000000000000000000000 in the trust store" "says so"
run rpmvet key remove --keys "$S" "$SUBKEY_SIGN"
is_rc 2 "a subkey cannot be removed alone"
err_has "is a subkey of $SUBKEY_PRIMARY" "names its primary"
is "$(snapshot)" "$before" "failed removals change nothing"
lower=$(echo "$RSA" | tr 'A-F' 'a-f')
run rpmvet key remove --keys "$S" "$lower"
is_rc 0 "remove by lower-case fingerprint"
out_has "removed $lower" "reports it"
[ ! -e "$S/$RSA.asc" ]; ok $? "the key file is gone"
run rpmvet key list --keys "$S" --format json
jq_is '.keys | length' 3 "three keys left"

run rpmvet key list --keys "$T/nowhere"
is_rc 3 "listing a missing store"
: > "$T/afile"
run rpmvet key add --keys "$T/afile" "$FX/keys/rsa.asc"
is_rc 3 "a store path that is a file"
err_has "is not a directory" "says so"

# real distribution keys, when shared data is present
if [ -d "$SHARED/distribution-gpg-keys" ]; then
	k=$(find "$SHARED/distribution-gpg-keys" -name 'RPM-GPG-KEY-fedora-40-primary*' | head -1)
	if [ -n "$k" ]; then
		run rpmvet key add --keys "$T/fedora" "$k"
		is_rc 0 "imports Fedora 40's release key"
		out_has "Fedora (40)" "with its user id"
	fi
fi

done_testing
