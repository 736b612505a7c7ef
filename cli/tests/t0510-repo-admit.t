#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet admit, remove and the auditor queries (history, show, list [--at], query):
# what is placed, what a rejection leaves untouched, downgrade and replacement rules.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

R="$T/repo"
HELLO="$FX/srpms/rsa.src.rpm"
FXLIB="$FX/rpms/fxlib-1.0-1.noarch.rpm"
FXTOOL="$FX/rpms/fxtool-2.1-3.noarch.rpm"
RSA=$(fpr_of rsa)
ED=$(fpr_of ed25519)
events() { sqlite3 "$1/rpmvet.db" 'SELECT count(*) FROM events'; }
kinds() { "$RPMVET" history --repo "$1" --format json "$2" | jq -r '[.events[] | .kind + (if .detail and (.detail | startswith("sha256=") | not) then "(" + .detail + ")" else "" end)] | join(" ")'; }
lastkind() { "$RPMVET" history --repo "$1" --format json "$2" | jq -r '.events[-1] | .kind + "(" + (.detail // "" | if startswith("sha256=") then "" else . end) + ")"'; }
primary() { zcat "$1/$(xmllint --xpath "string(//*[local-name()='data'][@type='primary']/*[local-name()='location']/@href)" "$1/repodata/repomd.xml")"; }

# ---- packages of other versions, signed with the RSA fixture key ----
mkdir -p "$T/specs"
mkspec "$T/specs/h20.spec" hello 2.0 1
mkspec "$T/specs/h15.spec" hello 1.5 1
mkspec "$T/specs/hrc.spec" hello '2.0~rc1' 1
mkspec "$T/specs/hpost.spec" hello '2.0^post1' 1
mkspec "$T/specs/hep.spec" hello 0.5 1 1
mkspec "$T/specs/h30.spec" hello 3.0 1
build_srpms "$T/pkgs" "$T"/specs/*.spec && sign_pkgs rsa "$T"/pkgs/*.rpm ||
	{ echo "Bail out! cannot build or sign the test packages"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
H20="$T/pkgs/hello-2.0-1.src.rpm"; H15="$T/pkgs/hello-1.5-1.src.rpm"
HRC="$T/pkgs/hello-2.0~rc1-1.src.rpm"; HPOST="$T/pkgs/hello-2.0^post1-1.src.rpm"
HEP="$T/pkgs/hello-0.5-1.src.rpm"; H30="$T/pkgs/hello-3.0-1.src.rpm"
# hello-1.0-1 rebuilt from another spec (another payload), signed by Ed25519:
# other content for the NEVRA of the fixture (rsa.src.rpm and ed25519.src.rpm
# are one build signed twice: a re-signature, t1210)
mkdir -p "$T/rbspec"
mkspec "$T/rbspec/h10.spec" hello 1.0 1 "" MIT "# rebuilt from another spec: another payload"
build_srpms "$T/rb" "$T/rbspec/h10.spec" && sign_pkgs ed25519 "$T/rb/hello-1.0-1.src.rpm" ||
	{ echo "Bail out! cannot build or sign the rebuild"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
HREB="$T/rb/hello-1.0-1.src.rpm"

# ---- keys through the repository ----
run rpmvet init "$R" --policy "$TOP/policies/fedora.yaml"
is_rc 0 "init with policies/fedora.yaml"
run rpmvet key add --repo "$R" "$FX/keys/rsa.asc" "$FX/keys/ed25519.asc"
is_rc 0 "key add --repo"
out_has "added $RSA" "adds the RSA key"
out_has "added $ED" "adds the Ed25519 key"
[ -f "$R/keys/$RSA.asc" ] && [ -f "$R/keys/$ED.asc" ]; ok $? "the keys are in the repository's keys/"
run sqlite3 "$R/rpmvet.db" "SELECT group_concat(kind || ' ' || subject, ',') FROM (SELECT * FROM events WHERE kind = 'key-add' ORDER BY id)"
is "$(cat "$T/out")" "key-add $RSA,key-add $ED" "key-add events name each fingerprint"
run rpmvet key list --repo "$R"
is_rc 0 "key list --repo"
out_has "$RSA" "lists the RSA key"

before_admit=$(date +%s)
next_second

# ---- admit ----
run rpmvet admit --repo "$R" "$HELLO" "$FXLIB" "$FXTOOL"
is_rc 0 "admit a source and two binary packages"
is "$(cat "$T/out")" "PASS    $HELLO  hello-1.0-1.src
PASS    $FXLIB  fxlib-1.0-1.noarch
PASS    $FXTOOL  fxtool-2.1-3.noarch
3 package(s): 3 passed, 0 rejected" "one line per package and the summary"
err_empty "nothing on stderr"
is "$(ls -A "$R/Packages" | tr '\n' ' ')" "fxlib-1.0-1.noarch.rpm fxtool-2.1-3.noarch.rpm hello-1.0-1.src.rpm " \
	"Packages/ holds exactly the three packages, named by NEVRA"
is "$(sha "$R/Packages/hello-1.0-1.src.rpm")" "$(sha "$HELLO")" "hello: the bytes placed are the input's"
is "$(sha "$R/Packages/fxlib-1.0-1.noarch.rpm")" "$(sha "$FXLIB")" "fxlib: the same sha256"
is "$(sha "$R/Packages/fxtool-2.1-3.noarch.rpm")" "$(sha "$FXTOOL")" "fxtool: the same sha256"
is "$(primary "$R" | grep -o '<name>[^<]*</name>' | tr '\n' ' ')" "<name>fxlib</name> <name>fxtool</name> <name>hello</name> " \
	"the primary metadata lists the three packages"
primary "$R" | grep -q '<location href="Packages/hello-1.0-1.src.rpm"/>'; ok $? "with their location under Packages/"
run rpmvet repo check --repo "$R"
is_rc 0 "repo check after admission"
run rpmvet audit verify --repo "$R"
is_rc 0 "audit verify after admission"
out_has "event log intact: 6 event(s)" "init, two key-adds, three admits"
after_admit=$(date +%s)

# ---- rejections change nothing but the event log ----
pk=$(packages_state "$R"); md=$(cat "$R/repodata/repomd.xml"); n=$(events "$R")
run rpmvet admit --repo "$R" "$FX/srpms/unsigned.src.rpm"
is_rc 1 "an unsigned package is rejected"
out_has "REJECT  $FX/srpms/unsigned.src.rpm  hello-1.0-1.src" "reported as rejected"
out_has "error   signature.missing" "with the reason"
err_empty "nothing on stderr"
is "$(packages_state "$R")" "$pk" "Packages/ and repodata/ are unchanged"
is "$(cat "$R/repodata/repomd.xml")" "$md" "repomd.xml is unchanged"
is "$(events "$R")" $((n + 1)) "one event is recorded"
is "$(kinds "$R" hello)" "admit reject" "history hello: the admission and the rejection"
run rpmvet history --repo "$R" hello
is_rc 0 "history hello"
out_has "reject  hello-1.0-1.src  reject  by " "the text history shows the reject event"
out_has "error   signature.missing: the package is not signed" "with its error finding"
out_lacks "signature.ok" "info findings only with -v"
run rpmvet -v history --repo "$R" hello
out_has "info    signature.ok" "-v shows them"

cp "$TOP/policies/fedora.yaml" "$T/fedora.yaml"
run rpmvet admit --repo "$R" "$FX/srpms/license-notallowed.src.rpm"
is_rc 1 "an SSPL-1.0 package is rejected under policies/fedora.yaml"
out_has "license.not-acceptable: SSPL-1.0 is not-allowed" "names the license and its category"
is "$(packages_state "$R")" "$pk" "nothing changes in Packages/ or repodata/"
is "$(kinds "$R" hello)" "admit reject reject" "another reject event"
run sqlite3 "$R/rpmvet.db" "SELECT policy_sha256 FROM events ORDER BY id DESC LIMIT 1"
is "$(cat "$T/out")" "$(sha "$T/fedora.yaml")" "the event records the sha256 of the policy it was judged by"

run rpmvet admit --repo "$R" "$T/missing.rpm"
is_rc 3 "a missing package: the run could not complete"
out_has "io.open" "says why"
is "$(packages_state "$R")" "$pk" "nothing changes"
run rpmvet admit --repo "$R"
is_rc 2 "admit without packages"
err_has "no packages given" "says so"

# ---- the identical file again: nothing changes ----
run rpmvet -v admit --repo "$R" "$HELLO"
is_rc 0 "admitting the identical file again"
out_has "repo.already-admitted: hello-1.0-1.src is already admitted with the same content: nothing to do" "says there is nothing to do"
is "$(packages_state "$R")" "$pk" "Packages/ and repodata/ are unchanged"
is "$(kinds "$R" hello)" "admit reject reject admit(already admitted)" "recorded as an admit 'already admitted'"
run rpmvet list --repo "$R" --format json
jq_is '[.packages[].nevra] | join(" ")' "fxlib-1.0-1.noarch fxtool-2.1-3.noarch hello-1.0-1.src" "still three packages, hello once"

# ---- same NEVRA, other content ----
run rpmvet admit --repo "$R" "$HREB"
is_rc 1 "the same NEVRA with other content is rejected"
out_has "error   repo.rebuilt: hello-1.0-1.src is already admitted with different content (sha256 $(sha "$HELLO"))" \
	"repo.rebuilt names the admitted content"
is "$(packages_state "$R")" "$pk" "nothing changes"
is "$(sha "$R/Packages/hello-1.0-1.src.rpm")" "$(sha "$HELLO")" "the admitted file stays"

# ---- JSON and JUnit: the verify shapes ----
run rpmvet admit --repo "$R" --format json "$HREB" "$HELLO"
is_rc 1 "admit --format json"
err_empty "nothing on stderr"
jq_is '[keys_unsorted[]] | join(",")' "format_version,tool,packages,summary" "top-level keys as verify's"
jq_is '.tool.name' rpmvet "tool name"
jq_is '[.packages[0] | keys_unsorted[]] | join(",")' "path,nevra,sha256,size,source,verdict,signer,findings" "package keys as verify's"
jq_is '[.packages[] | .verdict] | join(" ")' "reject pass" "verdicts in input order"
jq_is '.packages[0].signer.fingerprint' "$ED" "the signer"
jq_is '[.packages[0].findings[] | select(.severity == "error") | .check + ":" + .code] | join(" ")' "repo:repo.rebuilt" "the repository finding"
jq_is '[.packages[1].findings[] | .code] | last' "repo.already-admitted" "the identical file: already admitted"
jq_is '.packages[1].sha256' "$(sha "$HELLO")" "the sha256 of the file"
jq_is '.summary | "\(.total) \(.passed) \(.rejected) \(.errors)"' "2 1 1 0" "summary"
run rpmvet admit --repo "$R" --format junit "$FX/srpms/unsigned.src.rpm"
is_rc 1 "admit --format junit"
xmllint --noout "$T/out" 2>/dev/null; ok $? "well-formed JUnit"
is "$(xmllint --xpath 'string(//testcase/failure/@type)' "$T/out")" signature.missing "the failure type is the first error code"
run rpmvet admit --repo "$R" --format yaml "$HELLO"
is_rc 2 "an unknown format"

# ---- queries ----
run rpmvet list --repo "$R"
is_rc 0 "list"
is "$(grep -c '^[^ ]' "$T/out")" 4 "three package lines and the count"
out_has "hello-1.0-1.src  $(sha "$HELLO")  admitted " "a line names NEVRA and sha256"
out_has "    license Apache-2.0  signer $RSA" "license and signer under fxtool"
out_has "3 package(s)" "the count"
run rpmvet list --repo "$R" --format json
is_rc 0 "list --format json"
jq_is '[.packages[] | "\(.nevra)=\(.filename)"] | join(" ")' \
	"fxlib-1.0-1.noarch=fxlib-1.0-1.noarch.rpm fxtool-2.1-3.noarch=fxtool-2.1-3.noarch.rpm hello-1.0-1.src=hello-1.0-1.src.rpm" "NEVRAs and file names"
jq_is '[.packages[] | .signer] | unique | join(" ")' "$RSA" "all signed by the RSA key"
jq_is '.packages[] | select(.name == "fxlib") | .sha256' "$(sha "$FXLIB")" "fxlib's sha256"
jq_is '[.packages[] | .removed_at] | unique | map(tostring) | join(" ")' "null" "none removed"

run rpmvet show --repo "$R" hello-1.0-1.src
is_rc 0 "show hello-1.0-1.src"
err_empty "nothing on stderr"
out_has "license          MIT" "the license"
out_has "signer           $RSA" "the signer"
out_has "origin           $HELLO" "the input path"
out_has "buildhost        fixture.test" "the build host"
for d in "buildrequires  gcc >= 4.8" "buildrequires  make" "buildrequires  /usr/bin/perl" \
	"buildrequires  (python3 or python2)" "provides       hello = 1.0-1"; do
	out_has "  $d" "dependency: $d"
done
out_has "  spec    hello.spec  " "the spec file with its digest"
out_has "  source  hello-1.0.tar.gz  " "the source tarball"
out_has "  patch   hello-fix.patch  " "the patch"
out_has "admissions: 1" "one admission"
run rpmvet show --repo "$R" --format json hello-1.0-1.src
jq_is '[.package.files[] | .kind] | sort | join(" ")' "patch source spec" "JSON file kinds"
jq_is '.package.dependencies[] | select(.name == "gcc") | "\(.kind) \(.evr) \(.flags)"' "buildrequires 4.8 12" "gcc >= 4.8 (flags GREATER|EQUAL)"
jq_is '.package.header_sha256 | length' 64 "the header sha256"
run rpmvet show --repo "$R" --format json fxtool-2.1-3.noarch
jq_is '[.package.dependencies[] | select(.kind == "requires" and .name == "fxlib") | .evr] | join(" ")' "1.0" "fxtool requires fxlib >= 1.0"
jq_is '[.package.files[] | select(.path == "/usr/bin/fxtool") | .kind] | join(" ")' "file" "binary package files are kind 'file'"
run rpmvet show --repo "$R" nosuch-1-1.src
is_rc 1 "show of a NEVRA never admitted"
err_has "no package nosuch-1-1.src was ever admitted" "says so"
out_empty "nothing on stdout"

q() { rpmvet query --repo "$R" --format json "$@" | jq -r '[.packages[].nevra] | join(" ")'; }
is "$(q --license MIT)" "fxlib-1.0-1.noarch hello-1.0-1.src" "query --license MIT"
is "$(q --requires fxlib)" "fxtool-2.1-3.noarch" "query --requires fxlib"
is "$(q --requires gcc)" "hello-1.0-1.src" "query --requires covers BuildRequires"
is "$(q --provides libfx)" "fxlib-1.0-1.noarch" "query --provides libfx"
is "$(q --signer "$RSA")" "fxlib-1.0-1.noarch fxtool-2.1-3.noarch hello-1.0-1.src" "query --signer FPR"
is "$(q --signer "$(echo "$RSA" | cut -c25-)")" "fxlib-1.0-1.noarch fxtool-2.1-3.noarch hello-1.0-1.src" "query --signer KEYID"
is "$(q --signer "$ED")" "" "query --signer of a key that signed nothing admitted"
is "$(q --file /usr/bin/fxtool)" "fxtool-2.1-3.noarch" "query --file"
is "$(q --license MIT --requires gcc)" "hello-1.0-1.src" "filters combine"
is "$(q --until "$before_admit")" "" "query --until before the admission"
is "$(q --since "$before_admit")" "fxlib-1.0-1.noarch fxtool-2.1-3.noarch hello-1.0-1.src" "query --since before the admission"
is "$(q --since 2099-01-01)" "" "query --since the future"
run rpmvet query --repo "$R" --license MIT
is_rc 0 "query in text"
is "$(tail -n 1 "$T/out")" "2 package(s)" "counts the matches"
run rpmvet query --repo "$R" --at 0
is_rc 2 "--at does not apply to query"
run rpmvet list --repo "$R" --license MIT
is_rc 2 "--license does not apply to list"
run rpmvet query --repo "$R" --since yesterday
is_rc 2 "a malformed time"
err_has "--since needs a time like 2026-05-01" "says what a time is"

run rpmvet list --repo "$R" --at "$before_admit"
is_rc 0 "list --at before the admission"
is "$(cat "$T/out")" "0 package(s)" "the repository was empty then"
run rpmvet list --repo "$R" --at 2000-01-01
is "$(cat "$T/out")" "0 package(s)" "list --at a date long ago"
run rpmvet list --repo "$R" --at "$after_admit" --format json
jq_is '.packages | length' 3 "list --at after the admission: three packages"
run rpmvet list --repo "$R" --at 0 --format json
ok "$(jq -e '.packages | length == 0' "$T/out" >/dev/null; echo $?)" "list --at 0 (1970) is empty"

# ---- --dry-run: decides, records, changes nothing ----
pk=$(packages_state "$R"); n=$(events "$R")
run rpmvet admit --repo "$R" --dry-run "$H20"
is_rc 0 "--dry-run of an admissible package"
out_has "PASS    $H20  hello-2.0-1.src" "reported as passing"
is "$(packages_state "$R")" "$pk" "nothing placed, repodata unchanged"
is "$(events "$R")" $((n + 1)) "one event recorded"
is "$(lastkind "$R" hello)" "verify(dry run)" "a verify event, detail 'dry run'"
run rpmvet list --repo "$R" --format json
jq_is '.packages | length' 3 "still three packages"
run rpmvet admit --repo "$R" --dry-run "$HREB"
is_rc 1 "--dry-run of a replacement: rejected as a real run would be"
out_has "repo.rebuilt" "with repo.rebuilt"

# ---- downgrades ----
R2="$T/repo2"
new_repo "$R2" "$T/fedora.yaml"
run rpmvet admit --repo "$R2" "$H20"
is_rc 0 "admit hello-2.0-1"
run rpmvet admit --repo "$R2" "$HELLO"
is_rc 1 "then hello-1.0-1 is a downgrade"
out_has "error   repo.downgrade: hello-1.0-1.src is older than hello-2.0-1.src, already admitted" "repo.downgrade names both NEVRAs"
is "$(ls "$R2/Packages")" "hello-2.0-1.src.rpm" "only 2.0 is in Packages/"
run rpmvet admit --repo "$R2" "$HRC" "$H15"
is_rc 1 "2.0~rc1 and 1.5 are older too"
is "$(grep -c 'repo.downgrade' "$T/out")" 2 "both are downgrades (~ sorts before the release)"
run rpmvet admit --repo "$R2" "$HPOST"
is_rc 0 "2.0^post1 is newer than 2.0 (^ sorts after)"
run rpmvet admit --repo "$R2" "$HEP"
is_rc 0 "1:0.5 is newer than 2.0^post1 (the epoch wins)"
run rpmvet admit --repo "$R2" "$H30"
is_rc 1 "3.0 without an epoch is older than 1:0.5"
out_has "hello-3.0-1.src is older than hello-1:0.5-1.src" "names the epoch"
run rpmvet list --repo "$R2" --format json
jq_is '[.packages[].nevra] | join(" ")' "hello-1:0.5-1.src hello-2.0-1.src hello-2.0^post1-1.src" "the admitted versions"
R3="$T/repo3"
new_repo "$R3" "$T/fedora.yaml"
run rpmvet admit --repo "$R3" "$H20" "$HELLO"
is_rc 1 "2.0 then 1.0 in one run"
out_has "PASS    $H20" "2.0 is admitted"
out_has "repo.downgrade: hello-1.0-1.src is older than hello-2.0-1.src" "1.0 is a downgrade of the package admitted in the same run"
run rpmvet audit verify --repo "$R2"
is_rc 0 "audit after downgrades"

# ---- replacement allowed by the policy ----
R4="$T/repo4"
cat "$T/fedora.yaml" > "$T/replace.yaml"
printf 'repo:\n  allow-replace: true\n' >> "$T/replace.yaml"
new_repo "$R4" "$T/replace.yaml"
run rpmvet admit --repo "$R4" "$HELLO"
is_rc 0 "admit hello (RSA)"
run rpmvet admit --repo "$R4" "$HREB"
is_rc 0 "the policy allows the replacement (a rebuild, Ed25519)"
out_has "warning repo.replaced: replaces the admitted hello-1.0-1.src (sha256 $(sha "$HELLO"))" "a repo.replaced warning"
NEW=$(sha "$HREB")
is "$(ls "$R4/Packages")" "hello-1.0-1.src-$(echo "$NEW" | cut -c1-12).rpm" "one file, under a new name (never written over the admitted one)"
is "$(sha "$R4/Packages/hello-1.0-1.src-$(echo "$NEW" | cut -c1-12).rpm")" "$NEW" "holding the replacement"
run rpmvet list --repo "$R4" --format json
jq_is '[.packages[] | .signer] | join(" ")' "$ED" "list: one hello, signed by Ed25519"
is "$(kinds "$R4" hello)" "admit admit" "history hello shows both admissions"
run rpmvet history --repo "$R4" hello
out_has "warning repo.replaced" "with the replacement warning"
run rpmvet show --repo "$R4" --format json hello-1.0-1.src
jq_is '.admissions | length' 2 "show: two admissions"
jq_is '.package.signer' "$ED" "the current one is the replacement"
jq_is '.admissions[0].removed_at | type' string "the first is marked removed"
run rpmvet repo check --repo "$R4"
is_rc 0 "consistent after the replacement"
primary "$R4" | grep -q "<checksum type=\"sha256\" pkgid=\"YES\">$(sha "$HREB")</checksum>"
ok $? "the repodata describes the replacement"

# ---- remove ----
before_remove=$(date +%s)   # after the admission's second: many commands ran since
next_second
run rpmvet remove --repo "$R" --reason "test removal" fxtool-2.1-3.noarch
is_rc 0 "remove fxtool"
is "$(cat "$T/out")" "removed fxtool-2.1-3.noarch" "says so"
err_empty "nothing on stderr"
is "$(ls -A "$R/Packages" | tr '\n' ' ')" "fxlib-1.0-1.noarch.rpm hello-1.0-1.src.rpm " "the file is gone from Packages/"
primary "$R" | grep -q '<name>fxtool</name>'; [ $? -ne 0 ]; ok $? "and from the repodata"
is "$(primary "$R" | grep -c '<package ')" 2 "the repodata describes two packages"
run rpmvet list --repo "$R" --format json
jq_is '[.packages[].nevra] | join(" ")' "fxlib-1.0-1.noarch hello-1.0-1.src" "and from list"
is "$(kinds "$R" fxtool)" "admit remove(test removal)" "history keeps the admission and the removal with its reason"
run rpmvet list --repo "$R" --at "$before_remove" --format json
jq_is '[.packages[].nevra] | join(" ")' "fxlib-1.0-1.noarch fxtool-2.1-3.noarch hello-1.0-1.src" "list --at before the removal still has it"
run rpmvet show --repo "$R" --format json fxtool-2.1-3.noarch
is_rc 0 "show still finds the removed package"
jq_is '.package.removed_at | type' string "with its removal time"
run rpmvet repo check --repo "$R"
is_rc 0 "consistent after the removal"
run rpmvet audit verify --repo "$R"
is_rc 0 "the event log is intact"

pk=$(packages_state "$R"); n=$(events "$R")
run rpmvet remove --repo "$R" --reason again fxtool-2.1-3.noarch
is_rc 3 "removing it again"
err_has "fxtool-2.1-3.noarch is not in the repository '$R'" "says it is not there"
run rpmvet remove --repo "$R" --reason x nosuch-1-1.noarch
is_rc 3 "remove of an unknown NEVRA"
err_has "nosuch-1-1.noarch is not in the repository" "says so"
out_empty "nothing on stdout"
run rpmvet remove --repo "$R" fxlib-1.0-1.noarch
is_rc 2 "remove without --reason"
err_has "a removal needs --reason TEXT" "says so"
run rpmvet remove --repo "$R" --reason "" fxlib-1.0-1.noarch
is_rc 2 "an empty --reason"
run rpmvet remove --repo "$R" --reason x fxlib-1.0-1.noarch hello-1.0-1.src
is_rc 2 "two NEVRAs"
err_has "give exactly one NEVRA" "says so"
is "$(packages_state "$R")" "$pk" "failed removals change no file"
is "$(events "$R")" "$n" "and record no event"

# the removed package can come back
run rpmvet admit --repo "$R" "$FXTOOL"
is_rc 0 "a removed package can be admitted again"
is "$(kinds "$R" fxtool)" "admit remove(test removal) admit" "a new admission in its history"
run rpmvet repo check --repo "$R"
is_rc 0 "consistent"

done_testing
