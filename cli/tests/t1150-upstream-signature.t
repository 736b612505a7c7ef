#!/bin/sh
# SPDX-License-Identifier: MIT
# Upstream tarball signatures (issue 10 part 2): a source package that embeds
# a tarball, its detached signature and a keyring has the signature checked
# with gpg against that keyring only; every case is its own finding, with the
# exit status the judge gives it.
. "$(dirname "$0")/lib.sh"
need_fixtures
U="$FX/upsig"
[ -d "$U" ] || skip_all "upstream signature fixtures not built"
make_store "$T/keys" rsa || { echo "Bail out! cannot make the trust store"; exit 1; }
upa=$(awk '$1 == "upa" { print $2 }' "$U/fingerprints.txt")
upb=$(awk '$1 == "upb" { print $2 }' "$U/fingerprints.txt")
codes() { jq -r '[.packages[0].findings[] | select(.check == "provenance") | "\(.severity) \(.code)"] | join(",")' "$T/out"; }

run rpmvet verify --keys "$T/keys" --format json "$U/up-good-1.0-1.src.rpm"
is_rc 0 "a good upstream signature passes"
is "$(codes)" "info provenance.upstream-signature.good" "as upstream-signature.good (info)"
jq_is '.packages[0].findings[] | select(.code == "provenance.upstream-signature.good") | .message' \
	"upstream signature 'up-good-1.0.tar.gz.asc' over 'up-good-1.0.tar.gz' is good: signed by $upa" \
	"naming the signer's full fingerprint"

run rpmvet verify --keys "$T/keys" --format json "$U/up-binary-1.0-1.src.rpm"
is_rc 0 "a binary .sig against a binary gpgkey-*.gpg keyring passes"
is "$(codes)" "info provenance.upstream-signature.good" "as upstream-signature.good"

run rpmvet verify --keys "$T/keys" "$U/up-bad-1.0-1.src.rpm"
is_rc 1 "a bad upstream signature rejects"
out_has "error   provenance.upstream-signature.bad: bad upstream signature 'up-bad-1.0.tar.gz.sig' over 'up-bad-1.0.tar.gz'" \
	"as upstream-signature.bad, naming both files"

run rpmvet verify --keys "$T/keys" "$U/up-unknown-1.0-1.src.rpm"
is_rc 1 "a signature by a key not in the keyring rejects"
out_has "error   provenance.upstream-signature.unknown-key: upstream signature 'up-unknown-1.0.tar.gz.asc' over 'up-unknown-1.0.tar.gz' is by key $upb, which is not in the embedded keyring" \
	"as upstream-signature.unknown-key, naming the key"

run rpmvet verify --keys "$T/keys" "$U/up-expired-1.0-1.src.rpm"
is_rc 1 "a signature by an expired upstream key rejects"
out_has "error   provenance.upstream-signature.expired-key: upstream signature 'up-expired-1.0.tar.gz.asc'" \
	"as upstream-signature.expired-key"
run rpmvet verify --keys "$T/keys" --at 2020-01-01T18:00:00Z --format json "$U/up-expired-1.0-1.src.rpm"
is "$(codes)" "info provenance.upstream-signature.good" "judged before it expired (--at), the same key is good"

run rpmvet verify --keys "$T/keys" "$U/up-revoked-1.0-1.src.rpm"
is_rc 1 "a signature by a revoked upstream key rejects"
out_has "error   provenance.upstream-signature.revoked-key: upstream signature 'up-revoked-1.0.tar.gz.asc' over 'up-revoked-1.0.tar.gz' is by the revoked key" \
	"as upstream-signature.revoked-key"

run rpmvet verify --keys "$T/keys" "$U/up-nokeyring-1.0-1.src.rpm"
is_rc 0 "a signature without a keyring is a warning"
out_has "warning provenance.upstream-signature.no-keyring: upstream signature 'up-nokeyring-1.0.tar.gz.asc' over 'up-nokeyring-1.0.tar.gz' has no keyring in the package: it is not checked" \
	"as upstream-signature.no-keyring"

run rpmvet verify --keys "$T/keys" "$U/up-nosig-1.0-1.src.rpm"
is_rc 0 "a keyring without a signature is a warning"
out_has "warning provenance.upstream-signature.no-signature: the package embeds the keyring 'KEYS.asc' but no upstream signature" \
	"as upstream-signature.no-signature (an .asc holding keys is a keyring)"

run rpmvet verify --keys "$T/keys" "$U/up-orphan-1.0-1.src.rpm"
is_rc 0 "a signature of a file not embedded is a warning"
out_has "warning provenance.upstream-signature.unchecked: ships the signature 'up-orphan-other.tar.gz.asc', but not the file it signs: nothing checks it" \
	"as upstream-signature.unchecked"

run rpmvet verify --keys "$T/keys" --format json "$U/up-plain-1.0-1.src.rpm"
is_rc 0 "no upstream signature at all passes by default (if-present)"
is "$(codes)" "" "with no provenance finding"

# ---- the policy: required, off, and findings: overrides ----
printf 'version: 1\nlicenses:\n  accept: [allowed]\n  categories:\n    MIT: allowed\nprovenance:\n  upstream-signature: required\n' > "$T/req.yaml"
run rpmvet verify --keys "$T/keys" --policy "$T/req.yaml" "$U/up-plain-1.0-1.src.rpm"
is_rc 1 "under upstream-signature: required, no upstream signature rejects"
out_has "error   provenance.upstream-signature.missing: no upstream signature verified: the policy requires one (provenance.upstream-signature: required)" \
	"as upstream-signature.missing"
run rpmvet verify --keys "$T/keys" --policy "$T/req.yaml" "$U/up-nokeyring-1.0-1.src.rpm"
is_rc 1 "under required, a signature nothing checks rejects too"
out_has "error   provenance.upstream-signature.missing" "as upstream-signature.missing beside no-keyring"
run rpmvet verify --keys "$T/keys" --policy "$T/req.yaml" "$U/up-good-1.0-1.src.rpm"
is_rc 0 "under required, a good upstream signature passes"

printf 'version: 1\nlicenses:\n  accept: [allowed]\n  categories:\n    MIT: allowed\nprovenance:\n  upstream-signature: off\n' > "$T/off.yaml"
run rpmvet verify --keys "$T/keys" --policy "$T/off.yaml" --format json "$U/up-bad-1.0-1.src.rpm"
is_rc 0 "upstream-signature: off checks nothing"
is "$(codes)" "" "and reports nothing"

printf 'version: 1\nlicenses:\n  accept: [allowed]\n  categories:\n    MIT: allowed\nfindings:\n  provenance.upstream-signature.no-keyring: error\n' > "$T/strict.yaml"
run rpmvet verify --keys "$T/keys" --policy "$T/strict.yaml" "$U/up-nokeyring-1.0-1.src.rpm"
is_rc 1 "findings: raises no-keyring to an error"

printf 'version: 1\nprovenance:\n  upstream-signature: maybe\n' > "$T/badpol.yaml"
run rpmvet verify --keys "$T/keys" --policy "$T/badpol.yaml" "$U/up-good-1.0-1.src.rpm"
is_rc 2 "an unknown upstream-signature value is a configuration error"
err_has "provenance.upstream-signature must be required, if-present or off, not 'maybe'" "named on stderr"

# ---- binary packages and the earlier fixtures are not concerned ----
run rpmvet verify --keys "$T/keys" --format json "$FX/srpms/rsa.src.rpm"
is_rc 0 "a source package with no upstream signature passes as before"
is "$(codes)" "" "with no provenance finding"

done_testing
