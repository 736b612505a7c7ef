#!/bin/sh
# SPDX-License-Identifier: MIT
# Header rules of the policy's provenance.header (issue #10 part 3): vendor,
# packager and buildhost globs, the dist tag, the build-time window, required
# and forbidden tags.  Each mismatch is its own finding, showing the value.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

mkdir -p "$T/specs" "$T/future"
mkspec "$T/specs/good.spec" good 1.0 1.fc43 "" MIT 'Vendor: Fedora Project
Packager: Fedora Project
URL: https://example.org/good'
mkspec "$T/specs/bad.spec" bad 1.0 1.el9 "" MIT 'Vendor: Evil Corp
Packager: Mallory <m@evil.test>
Distribution: Evil Linux'
mkspec "$T/specs/bare.spec" bare 1.0 1.fc43.2 "" MIT
mkspec "$T/future/late.spec" late 1.0 1.fc43 "" MIT 'Vendor: Fedora Project
Packager: Fedora Project
URL: https://example.org/late'
build_srpms "$T/pkgs" "$T"/specs/*.spec &&
	SOURCE_DATE_EPOCH=4102444800 rpmbuild --quiet -bs --define "_topdir $T/rpmbuild" \
		--define "_srcrpmdir $T/pkgs" --define "use_source_date_epoch_as_buildtime 1" \
		--define "_buildhost evil.example.com" "$T/future/late.spec" </dev/null >>"$T/rpmbuild.log" 2>&1 &&
	sign_pkgs rsa "$T"/pkgs/*.rpm ||
	{ echo "Bail out! cannot build or sign the test packages"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
make_store "$T/keys" rsa || { echo "Bail out! trust store"; exit 1; }
GOOD="$T/pkgs/good-1.0-1.fc43.src.rpm"
BAD="$T/pkgs/bad-1.0-1.el9.src.rpm"
BARE="$T/pkgs/bare-1.0-1.fc43.2.src.rpm"
LATE="$T/pkgs/late-1.0-1.fc43.src.rpm"
write_policy "$T/pol.yaml" 'provenance:
  header:
    vendor: ["Fedora Project"]
    packager: ["Fedora Project", "*@fedoraproject.org*"]
    buildhost: ["*.test"]
    dist: .fc43
    buildtime: {not-before: 2020-01-01, not-after: 2099-12-31, future-skew: 3600}
    require: [url]
    forbid: [distribution]
'
codes() { jq -r '[.packages[0].findings[] | select(.check == "provenance") | .severity + ":" + .code] | join(" ")' "$T/out"; }
verify() { run rpmvet verify --keys "$T/keys" --policy "$T/pol.yaml" "$@"; }

verify "$GOOD"
is_rc 0 "a package that meets every header rule passes"
verify --format json "$GOOD"
is "$(codes)" "" "no provenance finding"

verify "$BAD"
is_rc 1 "a package that breaks the header rules is rejected"
out_has "error   provenance.header.vendor: Vendor 'Evil Corp' matches none of 'Fedora Project'" "vendor, with the value"
out_has "error   provenance.header.packager: Packager 'Mallory <m@evil.test>' matches none of 'Fedora Project', '*@fedoraproject.org*'" "packager, with the value"
out_has "error   provenance.header.dist: release '1.el9' does not carry the dist tag '.fc43'" "dist tag, with the release"
out_has "error   provenance.header.missing-tag: bad-1.0-1.el9.src has no url, which the policy requires" "a required tag"
out_has "error   provenance.header.forbidden-tag: bad-1.0-1.el9.src has distribution 'Evil Linux', which the policy forbids" "a forbidden tag, with its value"
verify --format json "$BAD"
is "$(codes)" "error:provenance.header.vendor error:provenance.header.packager error:provenance.header.dist error:provenance.header.missing-tag error:provenance.header.forbidden-tag" \
	"each mismatch its own finding, all errors"

verify --format json "$BARE"
is_rc 1 "no Vendor, no Packager"
is "$(codes)" "error:provenance.header.vendor error:provenance.header.packager error:provenance.header.missing-tag" \
	"missing vendor and packager; .fc43.2 carries the dist tag"
jq_is '[.packages[0].findings[] | select(.code == "provenance.header.vendor") | .message] | join("")' \
	"bare-1.0-1.fc43.2.src has no Vendor; the policy requires one matching 'Fedora Project'" "says what is missing"

verify --at 2026-05-01 "$LATE"
is_rc 1 "built in 2100, judged in 2026"
out_has "error   provenance.header.buildhost: BuildHost 'evil.example.com' matches none of '*.test'" "buildhost, with the value"
out_has "error   provenance.header.buildtime: built 2100-01-01T00:00:00Z, after the policy's not-after 2099-12-31T23:59:59Z" "after the window"
out_has "error   provenance.header.buildtime-future: built 2100-01-01T00:00:00Z, in the future (judged at 2026-05-01T23:59:59Z, allowed skew 3600 s)" "in the future beyond the skew"

write_policy "$T/early.yaml" 'provenance:
  header:
    buildtime: {not-before: 2100-06-01}
'
run rpmvet verify --keys "$T/keys" --policy "$T/early.yaml" "$LATE"
is_rc 1 "before not-before"
out_has "error   provenance.header.buildtime: built 2100-01-01T00:00:00Z, before the policy's not-before 2100-06-01T00:00:00Z" "before the window"

# ---- judged like every finding ----
write_policy "$T/lower.yaml" 'provenance:
  header:
    vendor: ["Fedora Project"]
findings:
  provenance.header.vendor: warning
'
run rpmvet verify --keys "$T/keys" --policy "$T/lower.yaml" "$BAD"
is_rc 0 "a lowered header finding passes"
out_has "warning provenance.header.vendor: Vendor 'Evil Corp'" "as a warning"
run rpmvet verify --keys "$T/keys" "$BAD"
is_rc 0 "without a policy no header rule applies"

# ---- in admit ----
R="$T/repo"
new_repo "$R" "$T/pol.yaml" || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" "$BAD" "$GOOD"
is_rc 1 "admit rejects the package that breaks the rules"
out_has "REJECT  $BAD" "bad rejected"
out_has "PASS    $GOOD" "good admitted"
run rpmvet show --repo "$R" --format json good-1.0-1.fc43.src
jq_is '.package | "\(.vendor)|\(.packager)|\(.buildhost)"' "Fedora Project|Fedora Project|build.test" "show names vendor, packager, buildhost"

# ---- bad policies are configuration errors ----
for p in 'provenance: {header: {require: [colour]}}' 'provenance: {header: {buildtime: {future-skew: -1}}}' \
	'provenance: {header: {buildtime: {not-before: 2026-02-30}}}' 'provenance: {header: {flavour: x}}' \
	'provenance: {header: {buildtime: {not-before: 2026-01-02, not-after: 2026-01-01}}}'; do
	printf 'version: 1\n%s\n' "$p" > "$T/badpol.yaml"
	run rpmvet verify --keys "$T/keys" --policy "$T/badpol.yaml" "$GOOD"
	is_rc 2 "refused: $p"
	err_has "rpmvet: error: $T/badpol.yaml:" "naming the policy file"
done

done_testing
