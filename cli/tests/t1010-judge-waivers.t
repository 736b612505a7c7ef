#!/bin/sh
# SPDX-License-Identifier: MIT
# Waivers through admit: a waived finding admits, stays in every report (text,
# JSON, JUnit) and in the recorded event (history, show, the events table)
# with its reason; an expired waiver rejects naming the date; a policy that
# waives or lowers a code that can never be is refused (exit 2, FILE:LINE)
# and changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
# the untrusted key is generated with the fixtures: its key ID differs on every build
OTHERID=$(fpr_of other | cut -c25-40)
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"

OTHER="$FX/srpms/otherkey.src.rpm"
events() { sqlite3 "$1/rpmvet.db" 'SELECT count(*) FROM events'; }

# ---- a waiver of signature.nokey for the otherkey fixture ----
write_policy "$T/waive.yaml" 'waivers:
  - package: "hel*"
    finding: signature.nokey
    reason: "vendor key rotated, ticket 42"
    expires: 2099-12-31
'
R="$T/repo"
new_repo "$R" "$T/waive.yaml" || { echo "Bail out! cannot make the repository"; exit 1; }

run rpmvet verify --repo "$R" --format junit "$OTHER"
is_rc 0 "verify --repo: the waived package passes"
xmllint --noout "$T/out" 2>/dev/null; ok $? "the JUnit report is well-formed"
is "$(xmllint --xpath 'count(//testcase/failure)' "$T/out")" 0 "no failure"
is "$(xmllint --xpath 'string(//testcase/system-out)' "$T/out" | grep -c "waived signature.nokey: signed by key ID $OTHERID (RSA/SHA512), which is not in the trust store (waived: vendor key rotated, ticket 42; until 2099-12-31)")" 1 \
	"JUnit names the waived finding and its reason"

run rpmvet admit --repo "$R" "$OTHER"
is_rc 0 "admit: the waiver admits the otherkey fixture"
out_has "PASS    $OTHER  hello-1.0-1.src" "PASS line"
out_has "        waived  signature.nokey: signed by key ID $OTHERID (RSA/SHA512), which is not in the trust store (waived: vendor key rotated, ticket 42; until 2099-12-31)" \
	"text: waived instead of the severity, the reason after it"
ls "$R/Packages" | grep -q '^hello-1.0-1.src.rpm$'; ok $? "placed in Packages/"

run rpmvet history --repo "$R" hello
is_rc 0 "history"
out_has "admit   hello-1.0-1.src  pass" "an admit event"
out_has "        waived  signature.nokey: signed by key ID $OTHERID" "history shows the waived finding"
out_has "(waived: vendor key rotated, ticket 42; until 2099-12-31)" "with its reason and expiry"
run rpmvet history --repo "$R" --format json hello
jq -e . "$T/out" >/dev/null; ok $? "history JSON is valid"
jq_is '[.events[] | select(.kind == "admit") | .findings[] | select(.code == "signature.nokey") | .waived.reason + " " + .waived.expires + " " + .severity] | join(",")' \
	"vendor key rotated, ticket 42 2099-12-31 error" "the event's findings carry the waiver"
is "$(sqlite3 "$R/rpmvet.db" "SELECT findings FROM events WHERE kind = 'admit'" | jq -r '.[] | select(.code == "signature.nokey") | .waived.reason')" \
	"vendor key rotated, ticket 42" "the events table records the waiver"
run rpmvet audit verify --repo "$R"
is_rc 0 "the event chain, waiver included, verifies"

# JSON of a verify run under the same policy
run rpmvet verify --keys "$R/keys" --policy "$R/policy.yaml" --format json "$OTHER"
is_rc 0 "verify --policy: json exit 0"
jq -e . "$T/out" >/dev/null; ok $? "the JSON report is valid"
jq_is '.packages[0].findings[] | select(.code == "signature.nokey") | [.severity, .waived.reason, .waived.expires] | join("|")' \
	"error|vendor key rotated, ticket 42|2099-12-31" "json: severity kept, waived with reason and expiry"
jq_is '[.packages[0].findings[] | select(.code == "signature.ok") | .code] | length' 0 "no signature.ok"

# a waiver for another package does not apply
write_policy "$T/other.yaml" 'waivers: [{package: world, finding: signature.nokey, reason: r}]
'
run rpmvet verify --keys "$R/keys" --policy "$T/other.yaml" "$OTHER"
is_rc 1 "a waiver for another package does not apply"
out_has "error   signature.nokey:" "the finding is an error"

# ---- an expired waiver rejects, naming the date ----
write_policy "$T/expired.yaml" 'waivers:
  - package: hello
    finding: signature.nokey
    reason: "until the new key"
    expires: 2020-01-31
'
R2="$T/repo2"
new_repo "$R2" "$T/expired.yaml" || { echo "Bail out! cannot make the repository"; exit 1; }
before=$(events "$R2")
run rpmvet admit --repo "$R2" "$OTHER"
is_rc 1 "admit: an expired waiver rejects"
out_has "REJECT  $OTHER" "REJECT line"
out_has "error   policy.waiver-expired: the waiver of signature.nokey for 'hello' (policy line 10: until the new key) expired on 2020-01-31: the finding counts again" \
	"the expired waiver is an error naming the date"
out_has "error   signature.nokey:" "and the finding counts again"
ls "$R2/Packages" | grep -q . && r=1 || r=0; ok $r "nothing placed"
is "$(events "$R2")" $((before + 1)) "one reject event"
run rpmvet verify --keys "$R2/keys" --policy "$T/expired.yaml" --format json "$OTHER"
is_rc 1 "verify --policy: an expired waiver rejects"
jq_is '[.packages[0].findings[] | select(.code == "policy.waiver-expired") | .severity] | join(",")' error "json: policy.waiver-expired error"
jq_is '[.packages[0].findings[] | select(.waived)] | length' 0 "json: nothing waived"

# ---- never waived / lowered: refused, and nothing changes ----
R3="$T/repo3"
new_repo "$R3" "$T/waive.yaml" || { echo "Bail out! cannot make the repository"; exit 1; }
run rpmvet admit --repo "$R3" "$FX/srpms/rsa.src.rpm"
is_rc 0 "a first package admitted"
snap() { packages_state "$1"; sqlite3 "$1/rpmvet.db" 'SELECT * FROM events; SELECT * FROM packages'; sha "$1/policy.yaml"; }
write_policy "$T/bad.yaml" 'waivers:
  - package: hello
    finding: digest.payload.bad
    reason: "we trust the mirror"
'
snap "$R3" > "$T/before"
run rpmvet init "$T/repo4" --policy "$T/bad.yaml"
is_rc 2 "init with a policy waiving digest.payload.bad is refused"
err_has "rpmvet: error: $T/bad.yaml:11: 'digest.payload.bad' can never be waived" "FILE:LINE and the code"
[ ! -e "$T/repo4" ]; ok $? "no repository made"
run rpmvet verify --keys "$R3/keys" --policy "$T/bad.yaml" "$FX/srpms/payload-tampered.src.rpm"
is_rc 2 "verify --policy waiving digest.payload.bad is refused"
err_has "$T/bad.yaml:11: 'digest.payload.bad' can never be waived" "verify: FILE:LINE"
# the repository's own policy edited to lower signature.bad
cp "$R3/policy.yaml" "$T/good-policy.yaml"
printf 'findings:\n  signature.bad: warning\n' >> "$R3/policy.yaml"
line=$(grep -n 'signature.bad: warning' "$R3/policy.yaml" | cut -d: -f1)
snap "$R3" > "$T/before"
run rpmvet admit --repo "$R3" "$FX/srpms/header-tampered.src.rpm" "$FX/srpms/ed25519.src.rpm"
is_rc 2 "admit under a policy lowering signature.bad is refused"
err_has "$R3/policy.yaml:$line: 'signature.bad' can never be lowered below error" "admit: FILE:LINE"
out_empty "nothing reported"
snap "$R3" > "$T/after"
cmp -s "$T/before" "$T/after"; ok $? "the repository and the database are as they were"
sed -i 's/^\(  *finding: \)signature.nokey$/\1digest.header.bad/' "$R3/policy.yaml"
sed -i '/^findings:$/d; /signature.bad: warning/d' "$R3/policy.yaml"
line=$(grep -n 'finding: digest.header.bad' "$R3/policy.yaml" | cut -d: -f1)
snap "$R3" > "$T/before"
run rpmvet admit --repo "$R3" "$FX/srpms/header-tampered.src.rpm"
is_rc 2 "admit under a policy waiving digest.header.bad is refused"
err_has "$R3/policy.yaml:$line: 'digest.header.bad' can never be waived" "admit: FILE:LINE"
snap "$R3" > "$T/after"
cmp -s "$T/before" "$T/after"; ok $? "still as they were"

done_testing
