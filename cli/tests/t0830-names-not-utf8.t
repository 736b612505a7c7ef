#!/bin/sh
# SPDX-License-Identifier: MIT
# An input file name that is not UTF-8 (any bytes are a valid Unix name) is
# shown escaped (\xNN) the same way in text, JSON and the SBOM queries, and
# never lost: JSON has no null where the name was.  Valid UTF-8 stays as is.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

mkdir -p "$T/in"
BAD="$T/in/$(printf 'h\377llo.rpm')"
GOOD="$T/in/$(printf 'h\303\251llo.rpm')"
cp "$FX/srpms/rsa.src.rpm" "$BAD"
cp "$FX/rpms/fxlib-1.0-1.noarch.rpm" "$GOOD"
make_store "$T/keys" rsa || { echo "Bail out! cannot make the trust store"; exit 1; }

run rpmvet verify --keys "$T/keys" "$BAD" "$GOOD"
is_rc 0 "both verify"
out_has "PASS    $T/in/h\\xffllo.rpm  hello-1.0-1.src" "text: the byte that is not UTF-8 is escaped"
is "$(grep -c "$(printf '\377')" "$T/out")" 0 "and never printed raw"
out_has "PASS    $T/in/h$(printf '\303\251')llo.rpm  fxlib-1.0-1.noarch" "valid UTF-8 is printed as it is"
run rpmvet verify --keys "$T/keys" --format json "$BAD" "$GOOD"
jq_is '.packages[0].path' "$T/in/h\\xffllo.rpm" "JSON: the same escaped name"
jq_is '.packages[1].path' "$T/in/h$(printf '\303\251')llo.rpm" "JSON: valid UTF-8 unchanged"

R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the repository"; exit 1; }
run rpmvet admit --repo "$R" "$BAD"
is_rc 0 "admitted"
run rpmvet show --repo "$R" --format json hello-1.0-1.src
is_rc 0 "show"
jq_is '.package.origin' "$T/in/h\\xffllo.rpm" "the recorded origin is shown escaped, not null"
run rpmvet show --repo "$R" hello-1.0-1.src
out_has "origin           $T/in/h\\xffllo.rpm" "and in text"
run rpmvet history --repo "$R" --format json hello
jq_is '[.events[] | select(.kind == "admit")] | length' 1 "history is readable"

done_testing
