#!/bin/sh
# SPDX-License-Identifier: MIT
# The repository rules are judged like every other finding: a waived
# repo.downgrade admits the older version beside the newer one, a repo.rebuilt
# lowered by findings: replaces as allow-replace does, and without either the
# rules reject as before.  repo.replace (two contents of one NEVRA in one run)
# is never lowered.  Whatever the policy, the repository stays consistent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

HELLO="$FX/srpms/rsa.src.rpm"
ED="$FX/srpms/ed25519.src.rpm"
mkdir -p "$T/specs"
mkspec "$T/specs/h20.spec" hello 2.0 1
mkdir -p "$T/rbspec"
mkspec "$T/rbspec/h10.spec" hello 1.0 1 "" MIT "# rebuilt from another spec: another payload"
build_srpms "$T/pkgs" "$T"/specs/*.spec && build_srpms "$T/rb" "$T/rbspec/h10.spec" &&
	sign_pkgs rsa "$T"/pkgs/*.rpm "$T/rb/hello-1.0-1.src.rpm" ||
	{ echo "Bail out! cannot build or sign the test packages"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
H20="$T/pkgs/hello-2.0-1.src.rpm"
HREB="$T/rb/hello-1.0-1.src.rpm"   # hello-1.0-1 rebuilt: another payload
events() { sqlite3 "$1/rpmvet.db" 'SELECT count(*) FROM events'; }
current() { "$RPMVET" list --repo "$1" --format json | jq -r '[.packages[].nevra] | sort | join(" ")'; }

# ---- a downgrade: rejected by default ----
R="$T/plain"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$H20" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$HELLO"
is_rc 1 "without a waiver a downgrade is rejected"
out_has "error   repo.downgrade: hello-1.0-1.src is older than hello-2.0-1.src" "as repo.downgrade"
is "$(current "$R")" "hello-2.0-1.src" "only 2.0 is admitted"

# ---- waived for this package: admitted beside the newer one ----
R="$T/waived"
write_policy "$T/waive.yaml" 'waivers:
  - package: hello
    finding: repo.downgrade
    reason: "security rebuild of the LTS branch, TICKET-42"
'
new_repo "$R" "$T/waive.yaml" && "$RPMVET" admit --repo "$R" "$H20" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$HELLO"
is_rc 0 "a waived downgrade is admitted"
jq_is '.packages[0].verdict' pass "verdict pass"
jq_is '[.packages[0].findings[] | select(.code == "repo.downgrade") | .waived.reason] | join("")' \
	"security rebuild of the LTS branch, TICKET-42" "the finding is kept, waived with its reason"
is "$(current "$R")" "hello-1.0-1.src hello-2.0-1.src" "both versions are admitted"
is "$(sqlite3 "$R/rpmvet.db" "SELECT count(*) FROM events WHERE kind = 'admit' AND findings LIKE '%TICKET-42%'")" 1 \
	"the admit event records the waiver"
run rpmvet repo check --repo "$R"
is_rc 0 "the repository is consistent"
run rpmvet audit verify --repo "$R"
is_rc 0 "and its history intact"

# ---- a waiver for another package does not apply ----
R="$T/other"
write_policy "$T/other.yaml" 'waivers:
  - package: "hello-*"
    finding: repo.downgrade
    reason: "only the subpackages"
'
new_repo "$R" "$T/other.yaml" && "$RPMVET" admit --repo "$R" "$H20" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$HELLO"
is_rc 1 "a waiver whose glob does not match the package does not apply"
is "$(current "$R")" "hello-2.0-1.src" "nothing admitted"

# ---- pinned to one build with nevra: ----
R="$T/pinned"
write_policy "$T/pin.yaml" 'waivers:
  - package: hello
    nevra: "hello-1.0-1.src"
    finding: repo.downgrade
    reason: "this build only"
'
new_repo "$R" "$T/pin.yaml" && "$RPMVET" admit --repo "$R" "$H20" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$HELLO"
is_rc 0 "a waiver pinned to the NEVRA applies to that build"
out_has "(waived: this build only)" "shown with its reason"
write_policy "$T/pin2.yaml" 'waivers:
  - package: hello
    nevra: "hello-1.5-*"
    finding: repo.downgrade
    reason: "another build"
'
R="$T/pinned2"
new_repo "$R" "$T/pin2.yaml" && "$RPMVET" admit --repo "$R" "$H20" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$HELLO"
is_rc 1 "and to no other build"

# ---- repo.rebuilt lowered by findings: the replacement is placed ----
R="$T/replace"
write_policy "$T/replace.yaml" 'findings:
  repo.rebuilt: warning
'
new_repo "$R" "$T/replace.yaml" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$HREB"
is_rc 0 "a lowered repo.rebuilt admits the other content"
jq_is '[.packages[0].findings[] | select(.code == "repo.rebuilt") | .severity] | join("")' warning "repo.rebuilt is a warning"
is "$(ls "$R/Packages" | wc -l | tr -d ' ')" 1 "one file for the NEVRA"
is "$(sha "$R/Packages/$(ls "$R/Packages")")" "$(sha "$HREB")" "holding the replacement"
run rpmvet repo check --repo "$R"
is_rc 0 "consistent after the replacement"
R="$T/replace-plain"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$HREB"
is_rc 1 "without it the rebuild is rejected"
is "$(sha "$R/Packages/$(ls "$R/Packages")")" "$(sha "$HELLO")" "the admitted file stays"

# ---- a re-signature is a warning by default; raised by findings: rejected ----
R="$T/resign"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$ED"
is_rc 0 "the same build signed by another key is admitted"
jq_is '[.packages[0].findings[] | select(.check == "repo") | .severity + ":" + .code] | join(" ")' "warning:repo.resigned" "as repo.resigned, a warning"
write_policy "$T/resign.yaml" 'findings:
  repo.resigned: error
'
R="$T/resign-strict"
new_repo "$R" "$T/resign.yaml" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$ED"
is_rc 1 "raised to error it is rejected"
out_has "error   repo.resigned" "as repo.resigned"

# ---- repo.replace is never lowered nor waived ----
write_policy "$T/lowreplace.yaml" 'findings:
  repo.replace: warning
'
run rpmvet init "$T/low" --policy "$T/lowreplace.yaml"
is_rc 2 "lowering repo.replace is refused"
err_has "$T/lowreplace.yaml:10: 'repo.replace' can never be lowered below error" "FILE:LINE and the code"
write_policy "$T/waivereplace.yaml" 'waivers:
  - package: hello
    finding: repo.replace
    reason: "both"
'
run rpmvet init "$T/low" --policy "$T/waivereplace.yaml"
is_rc 2 "waiving repo.replace is refused"
err_has "'repo.replace' can never be waived" "names the code"

# ---- a dry run is judged the same way and changes nothing ----
R="$T/dry"
new_repo "$R" "$T/waive.yaml" && "$RPMVET" admit --repo "$R" "$H20" >/dev/null || { echo "Bail out! setup"; exit 1; }
n=$(events "$R")
run rpmvet admit --repo "$R" --dry-run "$HELLO"
is_rc 0 "a dry run of the waived downgrade passes"
is "$(current "$R")" "hello-2.0-1.src" "and admits nothing"

done_testing
