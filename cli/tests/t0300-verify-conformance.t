#!/bin/sh
# SPDX-License-Identifier: MIT
# Conformance: rpm's own test packages and rpm-rs's reach the verdicts of rpm's strict mode.
. "$(dirname "$0")/lib.sh"
[ -d "$SHARED/rpm-testsuite" ] && [ -d "$SHARED/rpm-rs" ] ||
	skip_all "../shared/data is not present"

K="$SHARED/rpm-testsuite/keys"
R="$SHARED/rpm-rs/current/signing_keys/v4"
store() { # NAME KEYFILE...
	_s="$T/keys-$1"; shift
	mkdir -p "$_s"
	for k in "$@"; do "$RPMVET" key add --keys "$_s" "$k" >/dev/null || return 1; done
}
store none
store rpmorg "$K/rpm.org-rsa-2048-test.pub"
store rpmorg-subkey "$K/rpm.org-rsa-2048-add-subkey.asc"
store alice "$K/alice.asc"
store alice-expired "$K/alice-expired-subkey.asc"
store alice-revoked "$K/alice-revoked-subkey.asc"
store rpmrs "$R/rpm-testkey-v4-keyring.asc" "$R/rpm-testkey-v4-ecdsa-nistp256.asc"
ok $? "trust stores built from rpm's and rpm-rs's test keys"

grep -v '^#' "$(dirname "$0")/data/conformance.tsv" | while IFS='	' read -r set pkg verdict errors; do
	[ -n "$set" ] || continue
	code=1; [ "$verdict" = pass ] && code=0
	run rpmvet verify --keys "$T/keys-$set" --format json "$SHARED/$pkg"
	is_rc "$code" "$set $pkg"
	jq_is '.packages[0].verdict' "$verdict" "$set $pkg: $verdict"
	want=$(printf '%s' "$errors" | tr ',' '\n' | grep -v '^-$' | sort | tr '\n' ' ' | sed 's/ $//')
	jq_is '[.packages[0].findings[] | select(.severity == "error") | .code] | sort | join(" ")' \
		"$want" "$set $pkg: errors are exactly: $errors"
	echo "$_n $_failed" > "$T/count"
done
read -r _n _failed < "$T/count"

# details the table cannot say
run rpmvet verify --keys "$T/keys-alice-expired" "$SHARED/rpm-testsuite/RPMS/hello-2.0-1.x86_64-signed-with-subkey.rpm"
out_has "key.expired: signing key 43253A62850DFADCACD423F11F71177215217EE0 expired on 2022-04-12" "the expired subkey is named with its date"
run rpmvet verify --keys "$T/keys-alice" --format json "$SHARED/rpm-testsuite/RPMS/hello-2.0-1.x86_64-signed-with-subkey.rpm"
jq_is '.packages[0].signer | [.fingerprint, .primary, .verifier] | @tsv' \
	"43253A62850DFADCACD423F11F71177215217EE0	B6542F92F30650C36B6F41BCB3A771BFEB04E625	gpg" \
	"a key librpm 4.18 cannot load is checked by gpg, with full fingerprints"
run rpmvet verify --keys "$T/keys-rpmorg" --format json "$SHARED/rpm-testsuite/RPMS/hello-2.0-1.x86_64-signed-mldsa87.rpm"
jq_is '[.packages[0].findings[] | select(.code == "signature.unsupported") | .severity] | join(",")' warning \
	"an extra v6 signature librpm cannot check is a warning, never a pass of its own"
run rpmvet verify --keys "$T/keys-rpmrs" --format json "$SHARED/rpm-rs/current/RPMS/v4/signed/rpm-basic-with-ecdsa-2.3.4-5.el9.noarch.rpm"
jq_is '.packages[0].findings[0].message' "v4 ECDSA/SHA256 signatures cannot be checked by librpm 4.18" "ECDSA is unsupported, not BAD"
run rpmvet verify --keys "$T/keys-rpmorg" "$SHARED/rpm-testsuite/RPMS/hello-2.0-1.x86_64-corrupted.rpm"
out_has "the file has no payload at all" "a package whose payload is gone says so"

# rpmkeys agrees where rpm 4.18 and strict mode agree
if command -v rpmkeys >/dev/null; then
	mkdir "$T/rpmdb"
	rpmkeys --dbpath "$T/rpmdb" --import "$K/rpm.org-rsa-2048-test.pub" 2>/dev/null
	for f in RPMS/hello-2.0-1.x86_64-signed.rpm RPMS/hello-2.0-1.x86_64.rpm derived-by-recipe/hello-2.0-1.x86_64-signed.payload-corrupt-at7777.rpm; do
		rpmkeys --dbpath "$T/rpmdb" --define '_pkgverify_level all' --checksig "$SHARED/rpm-testsuite/$f" >/dev/null 2>&1
		a=$?
		"$RPMVET" verify --keys "$T/keys-rpmorg" "$SHARED/rpm-testsuite/$f" >/dev/null 2>&1
		is "$?" "$a" "rpmvet and rpmkeys agree on $f"
	done
fi

done_testing
