#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet export (issue #12): SPDX 2.3 and CycloneDX 1.6 documents of the
# repository at an instant.  A fixture repository: a Fedora-vendored source
# package with a tarball and a patch and its noarch binary (GENERATED_FROM,
# CONTAINS), a package with an epoch and a legacy licence, and one whose name
# is hostile.  Both formats validate against the official schemas (ajv), the
# same database gives the same bytes, and golden documents (the clock and
# actor fixed by the test build's hooks, the machine-dependent digests
# numbered) are compared with diff -u.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

DATA="$(cd "$(dirname "$0")/data" && pwd)"
TOP="$(cd "$(dirname "$0")/../.." && pwd)"
AJV=${RPMVET_AJV:-$TOP/build/node/node_modules/.bin/ajv}
SCHEMAS=$TOP/../shared/data/sbom-schemas
TESTBIN=${RPMVET_TEST:-$TOP/build/test/rpmvet}

# ---- the fixture packages ----
mkdir -p "$T/specs" "$T/rpmbuild/SOURCES"
mkdir -p "$T/greet-1.0" && echo 'echo hello' > "$T/greet-1.0/greet.sh"
tar -C "$T" --mtime=@1700000000 --owner=0 --group=0 -czf "$T/rpmbuild/SOURCES/greet-1.0.tar.gz" greet-1.0
printf -- '--- a/greet.sh\n+++ b/greet.sh\n@@ -1 +1 @@\n-echo hello\n+echo hi\n' > "$T/rpmbuild/SOURCES/greet-fix.patch"
mkspec "$T/specs/greet.spec" greet 1.0 1.fc43 "" MIT "Vendor: Fedora Project
Packager: Fedora Project
BuildArch: noarch
Source0: greet-1.0.tar.gz
Patch0: greet-fix.patch"
mkspec "$T/specs/old.spec" oldlic 2.0 1 3 'GPLv2+' "Vendor: Fixture Vendor"
mkspec "$T/specs/base.spec" zzzzzzzz 1 1
build_srpms "$T/srpms" "$T"/specs/*.spec &&
	rpmbuild --quiet -bb --define "_topdir $T/rpmbuild" --define "_rpmdir $T/rpms" --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
		--define "_sourcedir $T/rpmbuild/SOURCES" --define "_buildhost build.test" "$T/specs/greet.spec" </dev/null >>"$T/rpmbuild.log" 2>&1 ||
	{ echo "Bail out! rpmbuild failed"; cat "$T/rpmbuild.log"; exit 1; }
HOSTILE=$(printf 'e"\\\nl/%%&')
perl "$DATA/rpm-rename.pl" "$T/srpms/zzzzzzzz-1-1.src.rpm" "$T/srpms/hostile.src.rpm" zzzzzzzz "$HOSTILE" &&
	rm "$T/srpms/zzzzzzzz-1-1.src.rpm" && sign_pkgs rsa "$T"/srpms/*.rpm "$T"/rpms/*.rpm ||
	{ echo "Bail out! cannot forge or sign"; cat "$T/rpmsign.log"; exit 1; }
write_policy "$T/policy.yaml" 'findings:
  license.legacy: info
'
sed -i 's/^  categories:/  allow: [GPLv2+]\n  categories:/' "$T/policy.yaml"

# new_repo with the test build (fixed clock and actor)
fixed_repo() {
	RPMVET_TEST_NOW=1767225600 RPMVET_TEST_ACTOR=curator@test "$TESTBIN" init "$1" --policy "$T/policy.yaml" >/dev/null &&
		RPMVET_TEST_NOW=1767225600 RPMVET_TEST_ACTOR=curator@test "$TESTBIN" key add --repo "$1" "$FX/keys/rsa.asc" >/dev/null &&
		RPMVET_TEST_NOW=1767225600 RPMVET_TEST_ACTOR=curator@test "$TESTBIN" admit --repo "$1" "$T"/srpms/*.rpm "$T"/rpms/*.rpm >"$T/admit.out" 2>&1
}
R="$T/repo"
fixed_repo "$R" || { echo "Bail out! cannot make the repository"; cat "$T/admit.out"; exit 1; }

# ---- usage and errors ----
run rpmvet export --repo "$R"
is_rc 2 "no --format is a usage error"
err_has "rpmvet: error: give --format spdx or --format cyclonedx" "it says so"
run rpmvet export --repo "$R" --format xml
is_rc 2 "an unknown format is a usage error"
err_has "unknown format 'xml' (spdx or cyclonedx)" "naming it"
run rpmvet export --repo "$R" --format spdx nosuch-1-1.src
is_rc 1 "a package that is not in the repository"
err_has "rpmvet: error: no package 'nosuch-1-1.src' in the repository at that instant" "is named"
out_empty "and no document is written"
run rpmvet export --repo "$R" --format spdx --at 2000-01-01
is_rc 0 "an instant before the repository existed"
jq_is '.packages | length' 0 "has no package"

# ---- SPDX ----
run rpmvet export --repo "$R" --format spdx
is_rc 0 "export --format spdx"
cp "$T/out" "$T/spdx.json"
jq_is '[.packages[].name] | join(",")' "$HOSTILE,greet,greet,oldlic" "every package, sorted by NEVRA (the hostile name kept as it is)"
jq_is '[.packages[] | select(.name == "greet") | .externalRefs[0].referenceLocator] | join(" ")' \
	"pkg:rpm/fedora/greet@1.0-1.fc43?arch=noarch&distro=fedora-43 pkg:rpm/fedora/greet@1.0-1.fc43?arch=src&distro=fedora-43" \
	"purls: namespace from the vendor, distro from the dist tag, arch=src for the source"
jq_is '.packages[] | select(.name == "oldlic") | .externalRefs[0].referenceLocator' \
	"pkg:rpm/repo/oldlic@2.0-1?arch=src&epoch=3" "the epoch as a qualifier, the repository's name as the namespace"
err_has "rpmvet: warning: no purl namespace for" "which the export warns about"
jq_is '.packages[] | select(.name == "oldlic") | .versionInfo' "3:2.0-1" "versionInfo is the EVR"
jq_is '.packages[] | select(.name == "oldlic") | .licenseDeclared as $l | .licenseDeclared | startswith("LicenseRef-rpm-")' true \
	"a legacy licence becomes a LicenseRef-"
jq_is '.packages[] | select(.name == "oldlic") | .licenseDeclared as $l | [$l, (.hasExtractedLicensingInfos // [] | length)] | .[0] as $id | $id' \
	"$(jq -r '.hasExtractedLicensingInfos[0].licenseId' "$T/spdx.json")" "declared in hasExtractedLicensingInfos"
jq_is '.hasExtractedLicensingInfos[0].extractedText' 'GPLv2+' "with the text exactly as recorded"
jq_is '[.packages[] | select(.name == "greet") | .supplier] | unique | .[0]' "Organization: Fedora Project" "supplier: the vendor"
jq_is '[.packages[] | select(.name == "greet" and .primaryPackagePurpose == "SOURCE") | .annotations[].comment | select(startswith("rpm:signing-key"))] | .[0]' \
	"rpm:signing-key: $(fpr_of rsa)" "the signing key"
jq_is '[.packages[0].annotations[].comment | select(startswith("rpm:payload-digest-algorithm"))] | .[0]' \
	"rpm:payload-digest-algorithm: SHA256" "the payload digest's algorithm"
jq_is '[.relationships[] | select(.relationshipType == "GENERATED_FROM")] | length' 1 "one binary GENERATED_FROM its source"
jq_is '[.relationships[] | select(.relationshipType == "GENERATED_FROM") | .spdxElementId] | .[0] | test("noarch")' true "the noarch one"
jq_is '[.files[] | .fileName] | sort | join(",")' "base.spec,greet-1.0.tar.gz,greet-fix.patch,greet.spec,old.spec" \
	"the embedded sources, patches and specs as files" 
jq_is '[.files[] | select(.fileName == "greet-1.0.tar.gz") | .checksums[0].checksumValue] | .[0]' \
	"$(sha "$T/rpmbuild/SOURCES/greet-1.0.tar.gz")" "the tarball with its digest"
jq_is '[.relationships[] | select(.relationshipType == "CONTAINS")] | length' 5 "each source package CONTAINS its files"
jq_is '.creationInfo.comment | test("^policy sha256 [0-9a-f]{64}; event chain head #[0-9]+ [0-9a-f]{64}$")' true \
	"creation info: the policy hash and the event-chain head"
jq_is '.documentNamespace | test("^https://rpmvet.invalid/spdxdocs/repo-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")' true \
	"the namespace: a UUID derived from the content"

# ---- CycloneDX ----
run rpmvet export --repo "$R" --format cyclonedx -o "$T/cdx.json"
is_rc 0 "export --format cyclonedx -o FILE"
out_empty "nothing on stdout with -o"
cp "$T/cdx.json" "$T/out"
jq_is '.serialNumber | test("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5")' true "the serial number from the content"
jq_is '[.components[] | select(.name == "oldlic") | .licenses[0].license.name] | .[0]' 'GPLv2+' "a legacy licence as license.name"
jq_is '[.components[] | select(.name == "greet" and (.purl | test("noarch"))) | .pedigree.ancestors[0].purl] | .[0]' \
	"pkg:rpm/fedora/greet@1.0-1.fc43?arch=src&distro=fedora-43" "the binary's pedigree names its source package"
jq_is '[.components[] | select(.name == "greet" and (.purl | test("arch=src"))) | .components[].name] | join(",")' \
	"greet-1.0.tar.gz,greet-fix.patch,greet.spec" "the source's embedded files as components"
jq_is '[.components[] | select(.name == "oldlic") | .properties[] | select(.name == "rpm:epoch") | .value] | .[0]' 3 "the epoch as a property"

# ---- determinism ----
run rpmvet export --repo "$R" --format spdx
cmp -s "$T/out" "$T/spdx.json"; ok $? "the same database gives a byte-identical SPDX document"
run rpmvet export --repo "$R" --format cyclonedx -o "$T/cdx2.json"
cmp -s "$T/cdx2.json" "$T/cdx.json"; ok $? "and CycloneDX document"

# ---- schema validation ----
if [ ! -x "$AJV" ]; then
	ok 0 "# SKIP ajv not installed under build/node (make deps)"
	ok 0 "# SKIP ajv not installed under build/node (make deps)"
elif [ ! -d "$SCHEMAS" ]; then
	ok 0 "# SKIP ../shared/data/sbom-schemas absent"
	ok 0 "# SKIP ../shared/data/sbom-schemas absent"
else
	C=$SCHEMAS/CycloneDX_specification/schema
	"$AJV" validate --spec=draft7 --strict=false -c ajv-formats -s "$SCHEMAS/spdx_spdx-spec/v2.3/spdx-schema.json" \
		-d "$T/spdx.json" >"$T/ajv.out" 2>&1
	ok $? "the SPDX document validates against the SPDX 2.3 schema" "$(grep -v 'unknown format' "$T/ajv.out")"
	(cd "$TOP/build/node" && "$AJV" validate --spec=draft7 --strict=false -c ajv-formats -s "$C/bom-1.6.schema.json" \
		-r "$C/spdx.schema.json" -r "$C/jsf-0.82.schema.json" -d "$T/cdx.json") >"$T/ajv.out" 2>&1
	ok $? "the CycloneDX document validates against the CycloneDX 1.6 schema" "$(grep -v 'unknown format' "$T/ajv.out")"
fi

# ---- golden documents: the clock and actor fixed, the machine's digests numbered ----
normalise() { # the hex digests and fingerprints (keys and signatures differ by machine) as <N>
	TDIR=$T perl -pe 'BEGIN { %n = (); $k = 0 } s{\Q$ENV{TDIR}\E}{T}g; s{\b([0-9a-fA-F]{32,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b}{ "<" . ($n{lc $1} //= ++$k) . ">" }ge' "$1"
}
for f in spdx cdx; do
	normalise "$T/$f.json" > "$T/$f.norm"
	[ -n "${RPMVET_REGOLD:-}" ] && cp "$T/$f.norm" "$DATA/t1400-$f.golden"
	diff -u "$DATA/t1400-$f.golden" "$T/$f.norm" > "$T/diff" 2>&1
	_report $? "the $f document matches cli/tests/data/t1400-$f.golden" "$(head -40 "$T/diff")"
done

# ---- the hooks exist only in the test build ----
R2="$T/release"
RPMVET_TEST_NOW=1767225600 RPMVET_TEST_ACTOR=curator@test "$RPMVET" init "$R2" --policy "$T/policy.yaml" >/dev/null
run rpmvet history --repo "$R2" --format json ''
run sqlite3 "$R2/rpmvet.db" "SELECT actor || ' ' || time FROM events"
out_lacks "curator@test" "the release binary ignores RPMVET_TEST_ACTOR"
out_lacks "2026-01-01T00:00:00Z" "and RPMVET_TEST_NOW"
run sqlite3 "$R/rpmvet.db" "SELECT actor || ' ' || time FROM events WHERE id = 1"
is "$(cat "$T/out")" "curator@test 2026-01-01T00:00:00Z" "the test build honours both"

done_testing
