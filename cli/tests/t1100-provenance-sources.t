#!/bin/sh
# SPDX-License-Identifier: MIT
# The provenance stage checks an SRPM's embedded files against the dist-git
# sources ledger given with --sources (a sources file, a checkout, or a
# directory of NAME/ and NAME.sources): a match, a mismatch showing both
# digests, a listed file not embedded, an unlisted Source, a legacy MD5 line,
# mixed algorithms, an unparseable line, a hostile name; the policy's
# provenance.sources decides whether a missing ledger is a finding.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

# provsrc-1.0: Source0 a tarball, Source1 a keyring-like text, Patch0; all embedded
S=$T/rpmbuild/SOURCES
mkdir -p "$T/specs" "$S" "$T/w/provsrc-1.0"
echo 'int main(void) { return 0; }' > "$T/w/provsrc-1.0/main.c"
tar -C "$T/w" -czf "$S/provsrc-1.0.tar.gz" provsrc-1.0
echo 'extra data' > "$S/provsrc-extra.txt"
printf -- '--- a/main.c\n+++ b/main.c\n' > "$S/provsrc-fix.patch"
mkspec "$T/specs/provsrc.spec" provsrc 1.0 1 "" MIT 'Source0: provsrc-1.0.tar.gz
Source1: provsrc-extra.txt
Patch0: provsrc-fix.patch'
build_srpms "$T/pkgs" "$T/specs/provsrc.spec" && sign_pkgs rsa "$T"/pkgs/*.rpm ||
	{ echo "Bail out! cannot build or sign the test packages"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
P=$T/pkgs/provsrc-1.0-1.src.rpm
K=$T/keys
make_store "$K" rsa
tag() { printf '%s (%s) = %s\n' "$1" "$2" "$($(echo "$1" | tr A-Z a-z)sum < "$S/$2" | cut -d' ' -f1)"; }
L=$T/ledgers
mkdir -p "$L"
tag SHA512 provsrc-1.0.tar.gz > "$L/good"
printf 'SHA512 (provsrc-1.0.tar.gz) = %0128d\n' 0 > "$L/bad"
{ tag SHA512 provsrc-1.0.tar.gz; printf 'SHA512 (provsrc-2.0.tar.gz) = %0128d\n' 1; } > "$L/missing"
printf '%s  provsrc-1.0.tar.gz\n' "$(md5sum < "$S/provsrc-1.0.tar.gz" | cut -d' ' -f1)" > "$L/md5"
{ tag SHA512 provsrc-1.0.tar.gz; tag SHA256 provsrc-extra.txt; } > "$L/mixed"
{ tag SHA512 provsrc-1.0.tar.gz; echo 'this is not a sources line'; } > "$L/unparseable"
{ tag SHA512 provsrc-1.0.tar.gz; printf 'SHA512 (../../etc/passwd) = %0128d\n' 2; } > "$L/hostile"

verify() { run rpmvet verify --keys "$K" --format json "$@"; }
codes() { jq -r '[.packages[0].findings[] | select(.code | startswith("provenance.")) | .code + ":" + .severity] | sort | join(" ")' "$T/out"; }

# ---- a sources file ----
verify --sources "$L/good" "$P"
is_rc 0 "a matching sources file passes"
is "$(codes)" "provenance.sources.ok:info provenance.sources.unlisted:info" "the tarball matches; the unlisted Source is info"
jq_is '[.packages[0].findings[] | select(.code == "provenance.sources.unlisted") | .message] | join("")' \
	"the Source 'provsrc-extra.txt' is not listed in '$L/good': not checked" "unlisted names the file"

verify --sources "$L/bad" "$P"
is_rc 1 "a mismatching digest rejects"
jq_is '[.packages[0].findings[] | select(.code == "provenance.sources.mismatch") | .severity + " " + .message] | join("")' \
	"error 'provsrc-1.0.tar.gz' does not match '$L/bad' line 1: SHA512 $(printf '%0128d' 0) listed, $(sha512sum < "$S/provsrc-1.0.tar.gz" | cut -d' ' -f1) embedded" \
	"the mismatch shows both digests"

verify --sources "$L/missing" "$P"
is_rc 1 "a listed file that is not embedded rejects"
out_has "'provsrc-2.0.tar.gz' is listed in '$L/missing' line 2 but not embedded" "missing names the file and line"
is "$(codes)" "provenance.sources.missing:error provenance.sources.ok:info provenance.sources.unlisted:info" "as provenance.sources.missing"

verify --sources "$L/md5" "$P"
is_rc 0 "a legacy MD5 ledger: recorded, a warning by default"
is "$(codes)" "provenance.sources.md5:warning provenance.sources.unlisted:info" "as provenance.sources.md5, never ok"
write_policy "$T/md5.yaml" 'findings:
  provenance.sources.md5: error
'
run rpmvet verify --keys "$K" --policy "$T/md5.yaml" --sources "$L/md5" "$P"
is_rc 1 "the policy sets MD5's severity: error rejects"
out_has "error   provenance.sources.md5: 'provsrc-1.0.tar.gz' matches only an MD5 in '$L/md5' line 1: MD5 is recorded, never trusted" "the text names the file"

verify --sources "$L/mixed" "$P"
is_rc 0 "mixed algorithms: a warning"
is "$(codes)" "provenance.sources.mixed-algorithms:warning provenance.sources.ok:info provenance.sources.ok:info" "both files checked, the mix reported"

verify --sources "$L/unparseable" "$P"
is_rc 1 "an unparseable line rejects"
out_has "$L/unparseable:2: not a sources line" "as FILE:LINE"

verify --sources "$L/hostile" "$P"
is_rc 1 "a hostile name in the ledger rejects"
out_has "provenance.sources.hostile-name" "as provenance.sources.hostile-name"
out_has "'../../etc/passwd' ($L/hostile:2) is not a file name" "naming it and its line"

# ---- a dist-git checkout: listed by digest or committed byte for byte ----
C=$T/checkout
mkdir -p "$C"
tag SHA512 provsrc-1.0.tar.gz > "$C/sources"
cp "$T/specs/provsrc.spec" "$S/provsrc-extra.txt" "$S/provsrc-fix.patch" "$C/"
printf 'stuff\n' > "$C/README.md"
mkdir "$C/.git"
verify --sources "$C" "$P"
is_rc 0 "a checkout whose files all match passes"
is "$(codes)" "provenance.sources.ok:info provenance.sources.ok:info provenance.sources.ok:info provenance.sources.ok:info" \
	"tarball by digest; spec, patch and extra byte for byte"
echo changed >> "$C/provsrc-fix.patch"
verify --sources "$C" "$P"
is_rc 1 "a committed file that differs rejects"
out_has "'provsrc-fix.patch' differs from the file committed in '$C': SHA256 $(sha "$C/provsrc-fix.patch") committed, $(sha "$S/provsrc-fix.patch") embedded" "both digests shown"
cp "$S/provsrc-fix.patch" "$C/"
rm "$C/provsrc-extra.txt"
echo new > "$C/provsrc-new.patch"
verify --sources "$C" "$P"
is_rc 1 "with a checkout, an unlisted uncommitted file and a committed file not embedded reject"
is "$(codes)" "provenance.sources.missing:error provenance.sources.ok:info provenance.sources.ok:info provenance.sources.ok:info provenance.sources.unlisted:error" \
	"unlisted is an error with a checkout; the committed extra is missing"
rm "$C/provsrc-new.patch"
ln -s /etc/passwd "$C/provsrc-extra.txt"
verify --sources "$C" "$P"
is_rc 1 "a committed symbolic link is never followed"
out_has "'provsrc-extra.txt' in the checkout '$C' is not a regular file (a symbolic link): not compared" "named as not regular"
rm "$C/provsrc-extra.txt"
cp "$S/provsrc-extra.txt" "$C/"

# ---- a directory of NAME/ checkouts and NAME.sources ----
D=$T/dist
mkdir -p "$D"
cp -r "$C" "$D/provsrc"
verify --sources "$D" "$P" "$FX/srpms/rsa.src.rpm"
is_rc 0 "NAME/ is the package's checkout; hello has none"
jq_is '[.packages[0].findings[] | select(.code == "provenance.sources.ok")] | length' 4 "provsrc checked against $D/provsrc"
jq_is '[.packages[1].findings[] | select(.code | startswith("provenance."))] | length' 0 "hello has no ledger: nothing under if-present"
rm -r "$D/provsrc"
cp "$L/bad" "$D/provsrc.sources"
verify --sources "$D" "$P"
is_rc 1 "NAME.sources is the package's ledger"
out_has "does not match '$D/provsrc.sources' line 1" "named by its path"

# ---- provenance.sources: required | if-present | off ----
write_policy "$T/req.yaml" 'provenance:
  sources: required
'
run rpmvet verify --keys "$K" --policy "$T/req.yaml" "$P"
is_rc 1 "required: no ledger rejects"
out_has "error   provenance.sources.no-ledger: no sources ledger for 'provsrc' (no --sources given): the policy requires one" "as provenance.sources.no-ledger"
run rpmvet verify --keys "$K" --policy "$T/req.yaml" --sources "$D" "$FX/srpms/ed25519.src.rpm"
out_has "no sources ledger for 'hello' under '$D'" "required: none under the directory"
write_policy "$T/off.yaml" 'provenance:
  sources: off
'
run rpmvet verify --keys "$K" --policy "$T/off.yaml" --sources "$L/bad" "$P"
is_rc 0 "off: never checked"
out_lacks "provenance." "no provenance finding"
write_policy "$T/badpol.yaml" 'provenance:
  sources: maybe
'
run rpmvet verify --keys "$K" --policy "$T/badpol.yaml" "$P"
is_rc 2 "a bad value is a policy error"
err_has "provenance.sources must be required, if-present or off, not 'maybe'" "named"
write_policy "$T/badkey.yaml" 'provenance:
  source: required
'
run rpmvet verify --keys "$K" --policy "$T/badkey.yaml" "$P"
is_rc 2 "an unknown provenance key is a policy error"
err_has "unknown key 'source' in provenance" "named"

# ---- a --sources path that cannot be read: exit 2, nothing verified ----
run rpmvet verify --keys "$K" --sources "$T/nonexistent" "$P"
is_rc 2 "a missing --sources path is a usage error"
err_has "rpmvet: error: cannot read the sources ledger '$T/nonexistent'" "named"
out_empty "no report"

# ---- admit: the same findings; a mismatch leaves the repository as it was ----
R=$T/repo
new_repo "$R" || { echo "Bail out! setup"; exit 1; }
before=$(packages_state "$R")
run rpmvet admit --repo "$R" --sources "$L/bad" "$P"
is_rc 1 "admit with a mismatching ledger is rejected"
out_has "error   provenance.sources.mismatch: 'provsrc-1.0.tar.gz' does not match '$L/bad' line 1" "as provenance.sources.mismatch"
is "$(packages_state "$R")" "$before" "nothing placed"
run rpmvet admit --repo "$R" --sources "$T/nonexistent" "$P"
is_rc 2 "admit with a missing --sources path: exit 2"
run rpmvet admit --repo "$R" --sources "$C" "$P"
is_rc 0 "admit with a matching checkout"
is "$("$RPMVET" list --repo "$R" --format json | jq -r '[.packages[].nevra] | join(" ")')" "provsrc-1.0-1.src" "admitted"
run rpmvet audit verify --repo "$R"
is_rc 0 "history intact"
done_testing
