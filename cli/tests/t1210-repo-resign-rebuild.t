#!/bin/sh
# SPDX-License-Identifier: MIT
# The same NEVRA again with another file (issue #10 part 4): re-signed (same
# header and payload digests, another signature) is repo.resigned, a warning:
# the re-signed file replaces the admitted one, the admit event naming both
# signers.  A rebuild (another header or payload) is repo.rebuilt, an error
# unless repo.allow-replace.  repo.replace is left for two contents of one
# NEVRA in one run, fixed at error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

mkdir -p "$T/a" "$T/b"
mkspec "$T/a/h30.spec" hello 3.0 1
mkspec "$T/b/h30.spec" hello 3.0 1 "" MIT "# rebuilt from another spec: another payload"
build_srpms "$T/pa" "$T/a/h30.spec" && build_srpms "$T/pb" "$T/b/h30.spec" &&
	sign_pkgs rsa "$T"/pa/*.rpm "$T"/pb/*.rpm ||
	{ echo "Bail out! cannot build or sign the test packages"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
HELLO="$FX/srpms/rsa.src.rpm"
ED="$FX/srpms/ed25519.src.rpm"
EDFPR=$(fpr_of ed25519)
A="$T/pa/hello-3.0-1.src.rpm"
B="$T/pb/hello-3.0-1.src.rpm"
codes() { jq -r '[.packages[0].findings[] | select(.check == "repo") | .severity + ":" + .code] | join(" ")' "$T/out"; }
placed() { ls "$1/Packages" | wc -l | tr -d ' '; sha "$1/Packages/$(ls "$1/Packages" | head -1)"; }
hdr() { rpm -qp --qf '%{SHA256HEADER}' "$1" 2>/dev/null; }
primary() { zcat "$1/$(xmllint --xpath "string(//*[local-name()='data'][@type='primary']/*[local-name()='location']/@href)" "$1/repodata/repomd.xml")"; }

# ---- re-signed: the same build with another key ----
RSAFPR=$(fpr_of rsa)
R="$T/resign"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$ED"
is_rc 0 "a re-signed file is admitted by default"
out_has "warning repo.resigned: hello-1.0-1.src is already admitted with the same header and payload (header sha256 $(hdr "$HELLO")): only its signature differs (signed by $RSAFPR, now by $EDFPR); the re-signed file replaces the admitted one (sha256 $(sha "$HELLO"))" \
	"repo.resigned, a warning, naming the header digest and both signers"
out_lacks "repo.rebuilt" "not a rebuild"
out_lacks "repo.replace" "no replacement gate for a re-signature"
is "$(placed "$R")" "1
$(sha "$ED")" "one file, the re-signed one"
run rpmvet show --repo "$R" --format json hello-1.0-1.src
jq_is '.package.signer' "$EDFPR" "show names the new signer"
jq_is '[.admissions[] | .signer] | join(" ")' "$RSAFPR $EDFPR" "and both admissions with their signers"
jq_is '[.admissions[] | .removed_at | type] | join(" ")' "string null" "the first marked replaced"
run rpmvet list --repo "$R" --format json
jq_is '[.packages[] | .nevra + " " + .signer] | join(",")' "hello-1.0-1.src $EDFPR" "list: one hello, by the new signer"
run rpmvet history --repo "$R" --format json hello
jq_is '[.events[] | .kind + ":" + (.detail // "" | if startswith("sha256=") then "" else . end)] | join(" ")' \
	"admit: admit:re-signed: was signed by $RSAFPR, now by $EDFPR" "history: both admissions, the second saying it was re-signed"
run rpmvet history --repo "$R" hello
out_has "(re-signed: was signed by $RSAFPR, now by $EDFPR)" "the text history says so too"
out_has "warning repo.resigned" "with the warning"
run rpmvet audit verify --repo "$R"
is_rc 0 "history intact"
run rpmvet repo check --repo "$R"
is_rc 0 "consistent"
primary "$R" | grep -q "pkgid=\"YES\">$(sha "$ED")</checksum>"
ok $? "the repodata describes the re-signed file"
run rpmvet -v admit --repo "$R" "$ED"
is_rc 0 "the re-signed file again"
out_has "repo.already-admitted" "is already admitted"
run rpmvet admit --repo "$R" "$HELLO"
is_rc 0 "and signed by the first key again: another re-signature"
out_has "(signed by $EDFPR, now by $RSAFPR)" "naming both signers"

# ---- raised by findings: rejected again ----
write_policy "$T/strict.yaml" 'findings:
  repo.resigned: error
'
R="$T/resign-strict"
new_repo "$R" "$T/strict.yaml" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! setup"; exit 1; }
st=$(packages_state "$R")
run rpmvet admit --repo "$R" --format json "$ED"
is_rc 1 "under findings: {repo.resigned: error} a re-signed file is rejected"
is "$(codes)" "error:repo.resigned" "repo.resigned, an error"
is "$(packages_state "$R")" "$st" "nothing changes"
run rpmvet history --repo "$R" --format json hello
jq_is '[.events[] | .kind] | join(" ")' "admit reject" "recorded as a reject"

# ---- allow-replace does not change a re-signature ----
write_policy "$T/allow.yaml" 'repo:
  allow-replace: true
'
R="$T/resign-allowed"
new_repo "$R" "$T/allow.yaml" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$ED"
is_rc 0 "with repo.allow-replace the re-signed file is admitted"
is "$(codes)" "warning:repo.resigned" "repo.resigned alone: the knob is for rebuilds"
is "$(placed "$R")" "1
$(sha "$ED")" "one file, the re-signed one"

# ---- two contents of one NEVRA in one run: repo.replace, never lowered ----
R="$T/one-run"
new_repo "$R" || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$HELLO" "$ED"
is_rc 1 "the same build signed twice in one run"
jq_is '[.packages[] | .verdict] | join(" ")' "pass reject" "the first is admitted, the second rejected"
jq_is '[.packages[1].findings[] | select(.check == "repo") | .severity + ":" + .code] | join(" ")' "error:repo.replace" "as repo.replace"
is "$(placed "$R")" "1
$(sha "$HELLO")" "one file, the first"
write_policy "$T/lowreplace.yaml" 'findings:
  repo.replace: warning
'
run rpmvet init "$T/low" --policy "$T/lowreplace.yaml"
is_rc 2 "a policy lowering repo.replace is refused"
err_has "repo.replace" "naming the code"
[ ! -e "$T/low" ]; ok $? "and no repository is made"

# ---- rebuilt: the same NEVRA from another spec ----
R="$T/rebuild"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$A" >/dev/null || { echo "Bail out! setup"; exit 1; }
st=$(packages_state "$R")
run rpmvet admit --repo "$R" "$B"
is_rc 1 "a rebuild of an admitted NEVRA is rejected"
out_has "error   repo.rebuilt: hello-3.0-1.src is already admitted with different content (sha256 $(sha "$A")): a rebuild, header sha256 $(hdr "$A") -> $(hdr "$B")" \
	"repo.rebuilt, naming both header digests"
out_has "the policy does not allow replacement (repo.allow-replace)" "and the knob"
out_lacks "repo.resigned" "not a re-signature"
out_lacks "repo.replace" "repo.rebuilt alone: no repo.replace, no repo.replaced"
is "$(packages_state "$R")" "$st" "nothing changes"
run rpmvet admit --repo "$R" --format json "$B"
is "$(codes)" "error:repo.rebuilt" "JSON: one repository finding, an error"

R="$T/rebuild-allowed"
new_repo "$R" "$T/allow.yaml" && "$RPMVET" admit --repo "$R" "$A" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$B"
is_rc 0 "with repo.allow-replace the rebuild replaces the admitted one"
is "$(codes)" "warning:repo.rebuilt warning:repo.replaced" "repo.rebuilt lowered to a warning, repo.replaced"
is "$(placed "$R")" "1
$(sha "$B")" "one file, the rebuild"
run rpmvet audit verify --repo "$R"
is_rc 0 "history intact"

write_policy "$T/lower.yaml" 'findings:
  repo.rebuilt: warning
'
R="$T/rebuild-lowered"
new_repo "$R" "$T/lower.yaml" && "$RPMVET" admit --repo "$R" "$A" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$B"
is_rc 0 "repo.rebuilt lowered by findings: replaces, as allow-replace does"
is "$(placed "$R")" "1
$(sha "$B")" "one file, the rebuild"
run rpmvet repo check --repo "$R"
is_rc 0 "consistent"

# ---- a re-signed rebuild is a rebuild; a newer re-signed one is no rollback ----
R="$T/both"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$B" >/dev/null || { echo "Bail out! setup"; exit 1; }
cp "$A" "$T/a-ed.src.rpm" && sign_pkgs ed25519 "$T/a-ed.src.rpm"
run rpmvet admit --repo "$R" --format json "$T/a-ed.src.rpm"
is_rc 1 "another build signed by another key"
is "$(codes)" "error:repo.rebuilt" "is a rebuild"

done_testing
