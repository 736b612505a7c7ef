#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet verify output: the JSON shape, JUnit XML, and text (colour only on a tty).
. "$(dirname "$0")/lib.sh"
need_fixtures

S="$T/store"
make_store "$S" rsa ed25519 || { echo "Bail out! cannot make the store"; exit 1; }
RSA=$(fpr_of rsa)
P="$FX/srpms/rsa.src.rpm"; U="$FX/srpms/unsigned.src.rpm"; O="$FX/srpms/otherkey.src.rpm"

run rpmvet verify --keys "$S" --format json "$P" "$U" "$O" "$FX/rpms/fxlib-1.0-1.noarch.rpm"
is_rc 1 "json run with rejects exits 1"
jq_is 'keys_unsorted | join(",")' "format_version,tool,packages,summary" "top-level keys in stable order"
jq_is '.format_version' 1 "format_version 1"
jq_is '.packages | length' 4 "four packages"
jq_is '[.packages[].path] | join(" ")' "$P $U $O $FX/rpms/fxlib-1.0-1.noarch.rpm" "input order kept"
jq_is '.packages[0] | keys_unsorted | join(",")' "path,nevra,sha256,size,source,verdict,signer,findings" "package keys"
jq_is '.packages[0].nevra' "hello-1.0-1.src" "a source package's NEVRA ends in .src"
jq_is '.packages[3].nevra' "fxlib-1.0-1.noarch" "a binary package's NEVRA has its arch"
jq_is '.packages[0].source' true "source flag"
jq_is '.packages[0].size' "$(stat -c %s "$P")" "size"
jq_is '.packages[0].signer | [.fingerprint, .keyid, .algorithm, .hash, .primary, .bits, .verifier] | @tsv' \
	"$RSA	$(echo "$RSA" | cut -c25-40)	RSA	SHA512	$RSA	3072	librpm" "signer of the RSA package"
jq_is '.packages[0].signer.created | type' number "signature creation time"
jq_is '.packages[1].signer' null "signer is null when unsigned"
jq_is '.packages[1].findings[0] | [.check, .code, .severity] | @tsv' "signature	signature.missing	error" "finding shape"
jq_is '.packages[1].findings[0] | keys_unsorted | join(",")' "check,code,severity,message" "finding keys"
jq_is '.packages[2].signer | [.fingerprint, .keyid] | @tsv' "	$(awk '$1=="other"{print substr($3,25)}' "$FX/keys/fingerprints.txt")" \
	"an untrusted signer has its key id but no fingerprint"
jq_is '.summary | [.total, .passed, .rejected, .errors] | @tsv' "4	2	2	0" "summary"
cp "$T/out" "$T/first.json"
run rpmvet verify --keys "$S" --format json --jobs 1 "$P" "$U" "$O" "$FX/rpms/fxlib-1.0-1.noarch.rpm"
cmp -s "$T/out" "$T/first.json"; ok $? "--jobs 1 and parallel runs give identical JSON"

run rpmvet verify --keys "$S" --format junit "$P" "$U" "$O"
is_rc 1 "junit exit code"
xmllint --noout "$T/out" 2>"$T/xmlerr"; ok $? "JUnit output is well-formed XML"
is "$(xmllint --xpath 'string(/testsuites/testsuite/@tests)' "$T/out")" 3 "tests=3"
is "$(xmllint --xpath 'string(/testsuites/testsuite/@failures)' "$T/out")" 2 "failures=2"
is "$(xmllint --xpath 'count(//testcase)' "$T/out")" 3 "one testcase per package"
is "$(xmllint --xpath 'count(//testcase[@file="'"$P"'"]/failure)' "$T/out")" 0 "the passing package has no failure"
is "$(xmllint --xpath 'string(//testcase[@file="'"$U"'"]/failure/@type)' "$T/out")" "signature.missing" "failure type is the finding code"
xmllint --xpath 'string(//testcase[@file="'"$O"'"]/failure)' "$T/out" | grep -q "signature.nokey: signed by key ID"; ok $? "failure text carries the findings"

run rpmvet verify --keys "$S" "$P" "$U"
is_rc 1 "text exit code"
is "$(wc -l < "$T/out")" 4 "one line per package, findings indented, a summary"
out_has "PASS    $P  hello-1.0-1.src" "pass line"
out_has "REJECT  $U  hello-1.0-1.src" "reject line"
out_has "        error   signature.missing: the package is not signed" "finding indented under its package"
out_has "2 package(s): 1 passed, 1 rejected" "summary line"
printf '\033' > "$T/esc"
out_lacks "$(cat "$T/esc")" "no colour when stdout is not a tty"

run rpmvet -v verify --keys "$S" "$P"
out_has "info    signature.ok: header signature OK: V4 RSA/SHA512 by $RSA" "-v shows passing checks"
out_has "signer $RSA" "-v shows the signer"
out_has "sha256 $(sha256sum < "$P" | cut -d' ' -f1)" "-v shows the file's sha256"
run rpmvet verify --keys "$S" "$P"
out_lacks "sha256" "plain text spares the file digest"

if command -v script >/dev/null 2>&1; then
	script -qec "NO_COLOR= $RPMVET verify --keys $S $U" /dev/null > "$T/tty" 2>&1
	grep -q "$(cat "$T/esc")\[31mREJECT" "$T/tty"; ok $? "colour on a tty"
	script -qec "NO_COLOR=1 $RPMVET verify --keys $S $U" /dev/null > "$T/tty" 2>&1
	! grep -q "$(cat "$T/esc")" "$T/tty"; ok $? "no colour on a tty with NO_COLOR set"
fi

done_testing
