#!/bin/sh
# SPDX-License-Identifier: MIT
# Versions only move forward (issue #10 part 4): an older version is a
# rollback even after the newer one was removed; re-admitting a current NEVRA
# never is; a source package is judged against source packages and a binary
# against its own arch class, so the source of an older binary is admitted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

mkdir -p "$T/specs" "$T/bspecs"
mkspec "$T/specs/h20.spec" hello 2.0 1
mkspec "$T/specs/h30.spec" hello 3.0 1
mkspec "$T/specs/g10.spec" greet 1.0 1
mkspec "$T/bspecs/g10.spec" greet 1.0 1 "" MIT "BuildArch: noarch"
mkspec "$T/bspecs/g20.spec" greet 2.0 1 "" MIT "BuildArch: noarch"
build_srpms "$T/pkgs" "$T"/specs/*.spec &&
	rpmbuild --quiet -bb --define "_topdir $T/rpmbuild" --define "_rpmdir $T/bin" \
		--define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
		--define "_buildhost build.test" "$T"/bspecs/*.spec </dev/null >>"$T/rpmbuild.log" 2>&1 &&
	sign_pkgs rsa "$T"/pkgs/*.rpm "$T"/bin/*.rpm ||
	{ echo "Bail out! cannot build or sign the test packages"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
HELLO="$FX/srpms/rsa.src.rpm"
H20="$T/pkgs/hello-2.0-1.src.rpm"
H30="$T/pkgs/hello-3.0-1.src.rpm"
current() { "$RPMVET" list --repo "$1" --format json | jq -r '[.packages[].nevra] | sort | join(" ")'; }
codes() { jq -r '[.packages[0].findings[] | select(.check == "repo") | .severity + ":" + .code] | join(" ")' "$T/out"; }

# ---- rollback after removal ----
R="$T/rollback"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$H20" >/dev/null &&
	"$RPMVET" remove --repo "$R" --reason "withdrawn" hello-2.0-1.src >/dev/null || { echo "Bail out! setup"; exit 1; }
st=$(packages_state "$R")
run rpmvet admit --repo "$R" "$HELLO"
is_rc 1 "an older version after the newer one was removed is rejected"
out_has "error   repo.rollback: hello-1.0-1.src is older than hello-2.0-1.src, admitted before and removed since: versions only move forward" \
	"as repo.rollback naming the removed version"
is "$(current "$R")" "" "nothing admitted"
is "$(packages_state "$R")" "$st" "Packages/ and repodata/ unchanged"
run rpmvet admit --repo "$R" --format json "$HELLO"
is "$(codes)" "error:repo.rollback" "JSON: repo.rollback, an error, the only repository finding"
run rpmvet admit --repo "$R" "$H20"
is_rc 0 "the removed version itself may come back: not below the highest"
out_lacks "repo.rollback" "and is no rollback"
run rpmvet admit --repo "$R" "$H30"
is_rc 0 "a newer version is admitted"
run rpmvet remove --repo "$R" --reason "withdrawn again" hello-3.0-1.src
run rpmvet admit --repo "$R" --format json "$HELLO"
is_rc 1 "below a current and a removed version"
is "$(codes)" "error:repo.downgrade error:repo.rollback" "both rules report: downgrade (2.0 current) and rollback (3.0 removed)"

# ---- re-admitting a current NEVRA is never a rollback ----
R="$T/current"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null && "$RPMVET" admit --repo "$R" "$H20" >/dev/null &&
	"$RPMVET" remove --repo "$R" --reason "withdrawn" hello-2.0-1.src >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$HELLO"
is_rc 0 "the current hello-1.0-1.src again, with 2.0 removed"
is "$(codes)" "info:repo.already-admitted" "already admitted, no rollback"

# ---- source and binary packages are judged separately ----
R="$T/classes"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$T/bin/greet-1.0-1.noarch.rpm" >/dev/null &&
	"$RPMVET" admit --repo "$R" "$T/bin/greet-2.0-1.noarch.rpm" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$T/pkgs/greet-1.0-1.src.rpm"
is_rc 0 "the source of the older binary greet-1.0-1.noarch is admitted beside greet-2.0-1.noarch"
out_lacks "repo.downgrade" "no downgrade: source is compared with source"
is "$(current "$R")" "greet-1.0-1.noarch greet-1.0-1.src greet-2.0-1.noarch" "all three admitted"
R="$T/classes2"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$T/bin/greet-2.0-1.noarch.rpm" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$T/bin/greet-1.0-1.noarch.rpm"
is_rc 1 "an older binary of the same class is still a downgrade"
out_has "error   repo.downgrade: greet-1.0-1.noarch is older than greet-2.0-1.noarch" "as repo.downgrade"
"$RPMVET" remove --repo "$R" --reason "withdrawn" greet-2.0-1.noarch >/dev/null
run rpmvet admit --repo "$R" "$T/pkgs/greet-1.0-1.src.rpm"
is_rc 0 "a removed newer binary is no rollback for the source"
run rpmvet admit --repo "$R" "$T/bin/greet-1.0-1.noarch.rpm"
is_rc 1 "but is one for the older binary"
out_has "error   repo.rollback: greet-1.0-1.noarch is older than greet-2.0-1.noarch" "repo.rollback"

# ---- a waived rollback ----
R="$T/waived"
write_policy "$T/waive.yaml" 'waivers:
  - package: hello
    finding: repo.rollback
    reason: "2.0 was withdrawn, back to 1.0, TICKET-7"
'
new_repo "$R" "$T/waive.yaml" && "$RPMVET" admit --repo "$R" "$H20" >/dev/null &&
	"$RPMVET" remove --repo "$R" --reason "withdrawn" hello-2.0-1.src >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$HELLO"
is_rc 0 "a waived rollback is admitted"
jq_is '[.packages[0].findings[] | select(.code == "repo.rollback") | .waived.reason] | join("")' \
	"2.0 was withdrawn, back to 1.0, TICKET-7" "kept, waived with its reason"
is "$(current "$R")" "hello-1.0-1.src" "1.0 is admitted"
run rpmvet audit verify --repo "$R"
is_rc 0 "history intact"

done_testing
