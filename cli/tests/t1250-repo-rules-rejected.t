#!/bin/sh
# SPDX-License-Identifier: MIT
# One finding never hides another: a package an earlier stage rejects (no
# signature, a header rule) still gets the repository rules' findings (a
# downgrade), and nothing is admitted or restored for it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

mkdir -p "$T/specs"
mkspec "$T/specs/h20.spec" hello 2.0 1
build_srpms "$T/pkgs" "$T"/specs/*.spec && sign_pkgs rsa "$T"/pkgs/*.rpm ||
	{ echo "Bail out! cannot build or sign the test packages"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
H20="$T/pkgs/hello-2.0-1.src.rpm"
codes() { jq -r '[.packages[0].findings[] | select(.severity == "error") | .code] | sort | join(" ")' "$T/out"; }
current() { "$RPMVET" list --repo "$1" --format json | jq -r '[.packages[].nevra] | join(" ")'; }

# ---- the signature stage rejects: the downgrade is still reported ----
R="$T/repo"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$H20" >/dev/null || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --format json "$FX/srpms/unsigned.src.rpm"
is_rc 1 "an unsigned older hello is rejected"
is "$(codes)" "repo.downgrade signature.missing" "for the missing signature and for the downgrade"
is "$(current "$R")" "hello-2.0-1.src" "nothing else is admitted"
run rpmvet history --repo "$R" --format json hello
jq_is '[.events[] | select(.kind == "reject") | (.detail // "")] | join("|")' "" \
	"one reject event, with no 'already admitted' detail"

# ---- a header rule rejects: the downgrade is still reported ----
R2="$T/rule"
write_policy "$T/rule.yaml" 'provenance:
  header:
    buildhost: [build.test]
'
new_repo "$R2" "$T/rule.yaml" && "$RPMVET" admit --repo "$R2" "$H20" >/dev/null ||
	{ echo "Bail out! setup of $R2"; exit 1; }
run rpmvet admit --repo "$R2" --format json "$FX/srpms/rsa.src.rpm"
is_rc 1 "hello 1.0, built on fixture.test, is rejected"
is "$(codes)" "provenance.header.buildhost repo.downgrade" "for the header rule and for the downgrade"
is "$(current "$R2")" "hello-2.0-1.src" "nothing else is admitted"
run rpmvet audit verify --repo "$R"
is_rc 0 "history intact"

done_testing
