#!/bin/sh
# SPDX-License-Identifier: MIT
# Every JSON document rpmvet writes is made in one place (cli/json.c): for
# each JSON-producing command on the fixtures, its format_version and its
# top-level keys in order, compared with a golden file.  A document that
# cannot be written is exit 3, said once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the repository"; exit 1; }
make_store "$T/ks" rsa ed25519
UP="$FX/upstream"
H="$FX/buildreq/hello-br-1.0-1.src.rpm"

# doc NAME CMD...: one line "NAME: format_version=N keys=K1,K2,..."
doc() {
	_name=$1; shift
	"$@" >"$T/doc.json" 2>"$T/doc.err"
	printf '%s: rc=%s %s\n' "$_name" "$?" \
		"$(jq -r '"format_version=\(.format_version) keys=\(keys_unsorted | join(","))"' "$T/doc.json" 2>&1)"
}
{
	doc verify rpmvet verify --keys "$T/ks" --format json "$FX/srpms/rsa.src.rpm" "$FX/srpms/unsigned.src.rpm"
	doc admit rpmvet admit --repo "$R" --format json "$FX/srpms/rsa.src.rpm" "$FX/rpms/fxlib-1.0-1.noarch.rpm"
	doc admit-dry-run rpmvet admit --repo "$R" --dry-run --format json "$FX/srpms/unsigned.src.rpm"
	doc key-list rpmvet key list --keys "$T/ks" --format json
	doc key-list-repo rpmvet key list --repo "$R" --format json
	doc license-check rpmvet license check --format json MIT "GPL-2.0-or-later AND ("
	doc closure rpmvet closure --upstream "$UP" --format json "$H"
	doc closure-recursive rpmvet closure --upstream "$UP" --recursive --format json "$H"
	doc repo-closure rpmvet repo closure --upstream "$UP" --format json
	doc history rpmvet history --repo "$R" --format json fxlib
	doc show-nevra rpmvet show --repo "$R" --format json fxlib-1.0-1.noarch
	doc show-name rpmvet show --repo "$R" --format json fxlib
	doc list rpmvet list --repo "$R" --format json
	doc list-at rpmvet list --repo "$R" --format json --at 2000-01-01
	doc query rpmvet query --repo "$R" --format json --license MIT
	doc query-none rpmvet query --repo "$R" --format json --license nothing-matches
} > "$T/got.txt"
diff -u "$TOP/cli/tests/data/json-documents.txt" "$T/got.txt" > "$T/diff"
ok $? "every JSON document: format_version and top-level keys as in data/json-documents.txt"
[ -s "$T/diff" ] && sed 's/^/#   /' "$T/diff"

# every document is valid JSON as a whole, however it is written (streamed or not)
run rpmvet list --repo "$R" --format json
jq -e '.packages | length == 2' "$T/out" >/dev/null; ok $? "list streams a valid document"
run rpmvet list --repo "$R" --format json --at 2000-01-01
is "$(cat "$T/out")" '{
  "format_version": 1,
  "at": "2000-01-01T23:59:59Z",
  "packages": []
}' "an empty streamed list, byte for byte"

# output errors are checked, once, for every kind of document
for c in "key list --keys $T/ks" "list --repo $R" "history --repo $R fxlib" "license check MIT" "verify --keys $T/ks $FX/srpms/rsa.src.rpm"; do
	# shellcheck disable=SC2086
	"$RPMVET" $c --format json >/dev/full 2>"$T/err"; rc=$?
	is_rc 3 "$c --format json to a full disk"
	is "$(grep -c 'cannot write the output' "$T/err")" 1 "said once"
done

done_testing
