#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet init: the repository layout, the policy copy, refusals that leave
# nothing behind; --repo / RPMVET_REPO and directories that are not repositories.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"

R="$T/repo"

# ---- a new repository with the default policy ----
run rpmvet init "$R"
is_rc 0 "init a new directory"
out_has "created repository $R" "says so"
err_empty "nothing on stderr"
[ -f "$R/rpmvet.db" ] && [ -s "$R/rpmvet.db" ]; ok $? "rpmvet.db created"
[ -d "$R/keys" ] && [ -d "$R/Packages" ] && [ -d "$R/repodata" ]; ok $? "keys/, Packages/ and repodata/ created"
[ -z "$(ls -A "$R/keys")" ] && [ -z "$(ls -A "$R/Packages")" ]; ok $? "keys/ and Packages/ are empty"
grep -q '^  accept: \[allowed\]' "$R/policy.yaml"; ok $? "policy.yaml holds the default policy"
xmllint --noout "$R/repodata/repomd.xml" 2>/dev/null; ok $? "repodata/repomd.xml is well-formed"
is "$(xmllint --xpath 'string(//*[local-name()="data"][@type="primary"]/*[local-name()="location"]/@href)' "$R/repodata/repomd.xml" |
	sed 's/^repodata\/[0-9a-f]\{64\}-//')" "primary.xml.gz" "repomd.xml lists a primary file"
for t in primary filelists other; do
	href=$(xmllint --xpath "string(//*[local-name()='data'][@type='$t']/*[local-name()='location']/@href)" "$R/repodata/repomd.xml")
	[ -n "$href" ] && [ -f "$R/$href" ] && zcat "$R/$href" | grep -q 'packages="0"'
	ok $? "the $t metadata exists and describes 0 packages"
done
is "$(ls "$R/repodata" | wc -l)" 4 "repodata/ holds repomd.xml and three metadata files"
run rpmvet list --repo "$R"
is_rc 0 "list on the new repository"
is "$(cat "$T/out")" "0 package(s)" "is empty"
err_empty "nothing on stderr"
run rpmvet audit verify --repo "$R"
is_rc 0 "audit verify on the new repository"
out_has "event log intact: 1 event(s)" "one event: the init"
run rpmvet repo check --repo "$R"
is_rc 0 "repo check on the new repository"
out_has "repository consistent" "consistent"
run sqlite3 "$R/rpmvet.db" "SELECT kind || ' ' || subject FROM events"
is "$(cat "$T/out")" "init $R" "the init event names the directory"

# ---- --policy FILE is copied ----
write_policy "$T/p.yaml" "repo:
  allow-replace: true
"
run rpmvet init "$T/r2" --policy "$T/p.yaml"
is_rc 0 "init --policy FILE"
cmp -s "$T/p.yaml" "$T/r2/policy.yaml"; ok $? "policy.yaml is a byte copy of FILE"
run sqlite3 "$T/r2/rpmvet.db" "SELECT policy_sha256 || ' ' || detail FROM events WHERE kind = 'init'"
is "$(cat "$T/out")" "$(sha "$T/p.yaml") $T/p.yaml" "the init event records the policy's sha256 and origin"
mkdir "$T/empty"
run rpmvet init --policy "$T/p.yaml" "$T/empty"
is_rc 0 "init into an existing empty directory (options first)"
[ -f "$T/empty/rpmvet.db" ]; ok $? "the repository is made there"

# ---- refusals ----
mkdir "$T/full" && echo data > "$T/full/precious.txt"
before=$(state "$T/full")
run rpmvet init "$T/full"
is_rc 2 "init on a non-empty directory"
err_has "'$T/full' is not empty" "says why"
out_empty "nothing on stdout"
is "$(state "$T/full")" "$before" "the directory is unchanged"
before=$(state "$R")
run rpmvet init "$R"
is_rc 2 "init on an existing repository"
is "$(state "$R")" "$before" "the repository is unchanged"

printf 'version: 1\nlicenses:\n  accept: [allowed]\n  acept-for: []\n' > "$T/bad.yaml"
run rpmvet init "$T/r3" --policy "$T/bad.yaml"
is_rc 2 "init with a malformed policy"
err_has "$T/bad.yaml:4: unknown key 'acept-for'" "names FILE:LINE and the problem"
out_empty "nothing on stdout"
[ ! -e "$T/r3" ]; ok $? "no directory is created"
printf 'version: 1\nlicenses:\n  accept: [allowed\n' > "$T/broken.yaml"
run rpmvet init "$T/r3" --policy "$T/broken.yaml"
is_rc 2 "init with broken YAML"
err_has "$T/broken.yaml:" "names the file"
[ ! -e "$T/r3" ]; ok $? "no directory is created"
run rpmvet init "$T/r3" --policy "$T/missing.yaml"
is_rc 3 "init with a missing policy file"
err_has "cannot open the policy '$T/missing.yaml'" "names it"
[ ! -e "$T/r3" ]; ok $? "no directory is created"
mkdir "$T/empty2"
run rpmvet init "$T/empty2" --policy "$T/bad.yaml"
is_rc 2 "a malformed policy into an existing empty directory"
is "$(ls -A "$T/empty2")" "" "the directory stays empty"
run rpmvet init "$T/no/such/dir"
is_rc 3 "init where the parent does not exist"
err_has "cannot create the repository '$T/no/such/dir'" "says so"
run rpmvet init
is_rc 2 "init without a directory"
err_has "no directory given" "says so"
run rpmvet init "$T/a" "$T/b"
is_rc 2 "init with two directories"
err_has "one directory only" "says so"
[ ! -e "$T/a" ] && [ ! -e "$T/b" ]; ok $? "neither is created"

# a policy whose license data is relative to the policy file: init validates it
# where it is, the repository must still be usable after the copy
mkdir "$T/pol"
printf '{"MIT": {"license": {"expression": "MIT", "status": ["allowed"]}}}' > "$T/pol/lic.json"
printf 'version: 1\nlicenses:\n  data: lic.json\n  accept: [allowed]\n' > "$T/pol/rel.yaml"
run rpmvet init "$T/rrel" --policy "$T/pol/rel.yaml"
is_rc 2 "init refuses a policy naming license data by a relative path (the copy could not find it)"
err_has "$T/pol/rel.yaml:3: a repository's policy must name license data by an absolute path" "names file and line"
[ ! -e "$T/rrel" ]; ok $? "and creates nothing"
printf 'version: 1\nlicenses:\n  data: %s\n  accept: [allowed]\n' "$T/pol/lic.json" > "$T/pol/abs.yaml"
run rpmvet init "$T/rabs" --policy "$T/pol/abs.yaml"
is_rc 0 "an absolute path is fine"
run rpmvet list --repo "$T/rabs"
is_rc 0 "and the repository opens"

# ---- which repository: --repo, RPMVET_REPO ----
for c in "admit $FX/srpms/rsa.src.rpm" "remove --reason r hello-1.0-1.src" "history hello" \
	"show hello-1.0-1.src" "list" "query" "audit verify" "repo check"; do
	# shellcheck disable=SC2086 # word splitting of $c is intended
	run env -u RPMVET_REPO "$RPMVET" $c
	is_rc 2 "$c without --repo or RPMVET_REPO"
	err_has "no repository given: use --repo DIR or set RPMVET_REPO" "$c: says so"
	out_empty "$c: nothing on stdout"
done
run env RPMVET_REPO= "$RPMVET" list
is_rc 2 "an empty RPMVET_REPO is no repository"
run env -u RPMVET_REPO "$RPMVET" key list
is_rc 2 "key list without --keys, --repo or RPMVET_REPO"
err_has "no trust store given" "says so"
run env RPMVET_REPO="$R" "$RPMVET" list
is_rc 0 "RPMVET_REPO instead of --repo"
is "$(cat "$T/out")" "0 package(s)" "lists that repository"
run env RPMVET_REPO="$T/full" "$RPMVET" list --repo "$R"
is_rc 0 "--repo wins over RPMVET_REPO"
run env RPMVET_REPO="$R" "$RPMVET" key list
is_rc 0 "key list uses RPMVET_REPO"

for c in "list" "history hello" "show hello-1.0-1.src" "query" "audit verify" "repo check" \
	"remove --reason r hello-1.0-1.src" "key list"; do
	# shellcheck disable=SC2086
	run rpmvet $c --repo "$T/full"
	is_rc 3 "$c on a directory that is not a repository"
	err_has "'$T/full' is not an rpmvet repository" "$c: says so"
done
run rpmvet admit --repo "$T/full" "$FX/srpms/rsa.src.rpm"
is_rc 3 "admit into a directory that is not a repository"
err_has "is not an rpmvet repository" "says so"
[ "$(ls -A "$T/full")" = precious.txt ]; ok $? "the directory still holds only its own file"
run env RPMVET_REPO="$T/nowhere" "$RPMVET" list
is_rc 3 "RPMVET_REPO naming a missing directory"
err_has "'$T/nowhere' is not an rpmvet repository" "says so"
[ ! -e "$T/nowhere" ]; ok $? "it is not created"

# a repository whose policy.yaml was broken afterwards refuses to work (exit 2, FILE:LINE)
printf 'version: 1\nlicenses: [\n' >> "$T/r2/policy.yaml"
run rpmvet list --repo "$T/r2"
is_rc 2 "a repository with a malformed policy.yaml"
err_has "$T/r2/policy.yaml:" "names the file and line"

done_testing
