#!/bin/sh
# SPDX-License-Identifier: MIT
# Header text that is not good text (an encoded surrogate, U+FFFE) never
# reaches repodata, the database or a report: in Name it is always rejected;
# in Summary the policy decides (reject by default, or escape), and an escaped
# one leaves metadata dnf and xmllint read.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

DATA="$(dirname "$0")/data"
SURR=$(printf '\355\240\200')   # U+D800 encoded: not UTF-8
FFFE=$(printf '\357\277\276')   # U+FFFE: UTF-8, but not an XML character
spec() { # FILE NAME SUMMARY
	printf 'Name: %s\nVersion: 1\nRelease: 1\nSummary: %s\nLicense: MIT\n%%description\nTest.\n%%files\n' \
		"$2" "$3" > "$1"
}
mkdir -p "$T/specs" "$T/forged"
spec "$T/specs/a.spec" nmQQQn "a name to forge"
spec "$T/specs/b.spec" sumpkg "summary QQQQ here"
build_srpms "$T/built" "$T"/specs/*.spec || { echo "Bail out! rpmbuild failed"; cat "$T/rpmbuild.log"; exit 1; }
forge() { perl "$DATA/rpm-rename.pl" "$T/built/$1" "$T/forged/$2" "$3" "$4" ||
	{ echo "Bail out! cannot forge $2"; exit 1; }; }
forge nmQQQn-1-1.src.rpm name-surr.src.rpm QQQ "$SURR"
forge nmQQQn-1-1.src.rpm name-fffe.src.rpm QQQ "$FFFE"
forge sumpkg-1-1.src.rpm sum-surr.src.rpm QQQQ "$SURR!"
sign_pkgs rsa "$T"/forged/*.rpm || { echo "Bail out! rpmsign failed"; cat "$T/rpmsign.log"; exit 1; }
NS="$T/forged/name-surr.src.rpm"; NF="$T/forged/name-fffe.src.rpm"; SS="$T/forged/sum-surr.src.rpm"
S="$T/store"
make_store "$S" rsa || { echo "Bail out! cannot make the store"; exit 1; }

# ---- verify: the tag is named, the bytes shown escaped ----
run rpmvet verify --keys "$S" "$NS" "$NF" "$SS"
is_rc 1 "verify rejects all three"
out_has "REJECT  $NS  nm\\xed\\xa0\\x80n-1-1.src" "the NEVRA is shown escaped"
out_has "error   header.invalid-text: Name holds ill-formed UTF-8 or a character XML forbids at byte 2: 'nm\\xed\\xa0\\x80n'" \
	"an encoded surrogate in Name: an error naming the tag"
out_has "error   header.invalid-text: Name holds ill-formed UTF-8 or a character XML forbids at byte 2: 'nm\\xef\\xbf\\xben'" \
	"U+FFFE in Name: an error naming the tag"
out_has "error   header.invalid-text.descriptive: Summary holds ill-formed UTF-8 or a character XML forbids at byte 8: 'summary \\xed\\xa0\\x80! here' (a policy with headers.invalid-text: escape admits it escaped)" \
	"a surrogate in Summary: an error by default"
out_has "3 package(s): 0 passed, 3 rejected" "summary line"

run rpmvet verify --keys "$S" --format json "$NS" "$SS"
is_rc 1 "json: exit 1"
jq_is '.packages[0].nevra' 'nm\xed\xa0\x80n-1-1.src' "the JSON NEVRA is escaped text"
jq_is '[.packages[0].findings[] | select(.code == "header.invalid-text") | .message | split(" ")[0]] | join(",")' \
	"Name,Provides" "each tag holding the bad text is named (a source package provides its name)"
jq_is '[.packages[1].findings[] | select(.code == "header.invalid-text.descriptive") | .severity + " " + (.message | split(" ")[0])] | join(",")' \
	"error Summary" "only Summary in the other"

run rpmvet verify --keys "$S" --format junit "$NS" "$NF" "$SS"
is_rc 1 "junit: exit 1"
xmllint --noout "$T/out" 2>"$T/xmlerr"; ok $? "the JUnit report is well-formed"
is "$(xmllint --xpath 'string(//testcase[2]/properties/property/@value)' "$T/out")" 'nm\xef\xbf\xben-1-1.src' \
	"U+FFFE in the NEVRA property is escaped"
is "$(xmllint --xpath 'string(//testcase[3]/failure/@type)' "$T/out")" "header.invalid-text.descriptive" "failure type"

# ---- admit, default policy: all rejected, nothing changes ----
R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the repository"; exit 1; }
run rpmvet admit --repo "$R" "$FX/srpms/rsa.src.rpm"
is_rc 0 "a good package first"
before=$(packages_state "$R")
run rpmvet admit --repo "$R" "$NS" "$NF" "$SS"
is_rc 1 "admit rejects all three"
out_has "Summary holds ill-formed UTF-8" "naming the tag"
is "$(packages_state "$R")" "$before" "Packages/ and repodata unchanged"
is "$(sqlite3 "$R/rpmvet.db" 'select count(*) from packages')" 1 "only the good package is in the database"
run rpmvet repo check --repo "$R"
is_rc 0 "repo check: consistent"

# ---- admit, escape policy: Name still rejected, Summary admitted escaped ----
write_policy "$T/escape.yaml" 'headers:
  invalid-text: escape
'
E="$T/erepo"
new_repo "$E" "$T/escape.yaml" || { echo "Bail out! cannot make the repository"; exit 1; }
before=$(packages_state "$E")
run rpmvet admit --repo "$E" "$NS"
is_rc 1 "an invalid Name is rejected even when the policy escapes"
out_has "error   header.invalid-text: Name holds" "as an error"
is "$(packages_state "$E")" "$before" "nothing placed"
run rpmvet admit --repo "$E" "$SS"
is_rc 0 "an invalid Summary is admitted under headers.invalid-text: escape"
out_has "warning header.invalid-text.descriptive: Summary holds ill-formed UTF-8 or a character XML forbids at byte 8: 'summary \\xed\\xa0\\x80! here'; written escaped, as the policy says" \
	"with a warning"
primary=$(ls "$E"/repodata/*-primary.xml.gz)
zcat "$primary" | xmllint --noout - 2>"$T/xmlerr"; ok $? "primary.xml is well-formed"
for t in filelists other; do
	zcat "$E"/repodata/*-$t.xml.gz | xmllint --noout - 2>>"$T/xmlerr"; ok $? "$t.xml is well-formed"
done
zcat "$primary" | grep -qF '<summary>summary \xed\xa0\x80! here</summary>'; ok $? "primary carries the summary escaped"
is "$(sqlite3 "$E/rpmvet.db" "select summary from packages where name = 'sumpkg'")" 'summary \xed\xa0\x80! here' \
	"the database records it escaped the same way"
run rpmvet show --repo "$E" --format json sumpkg-1-1.src
is_rc 0 "show the admitted package"
run rpmvet repo check --repo "$E"
is_rc 0 "repo check: consistent"
if command -v dnf >/dev/null 2>&1; then
	run dnf -q --disableplugin='*' --setopt=reposdir=/dev/null --setopt=cachedir="$T/dnf/cache" \
		--installroot "$T/dnf/root" --releasever 1 --forcearch x86_64 \
		--repofrompath=cur,"file://$E" --repo cur --setopt=cur.gpgcheck=0 \
		repoquery --arch src --qf '%{name}|%{summary}'
	is_rc 0 "dnf loads the repository"
	is "$(cat "$T/out")" 'sumpkg|summary \xed\xa0\x80! here' "dnf lists the package with its escaped summary"
	err_lacks() { ! grep -qF -- "$1" "$T/err"; _report $? "$2" "stderr has: $1"; }
	err_lacks "Loading repository" "dnf does not skip the repository"
fi

# ---- the policy key ----
write_policy "$T/bad.yaml" 'headers:
  invalid-text: drop
'
run rpmvet verify --keys "$S" --policy "$T/bad.yaml" "$SS"
is_rc 2 "an unknown headers.invalid-text value is a configuration error"
err_has "headers.invalid-text must be reject or escape, not 'drop'" "naming the key and the value"
write_policy "$T/bad2.yaml" 'headers:
  other: 1
'
run rpmvet verify --keys "$S" --policy "$T/bad2.yaml" "$SS"
is_rc 2 "an unknown key under headers"
err_has "unknown key 'other' in headers (expected one of: invalid-text)" "names the allowed keys"

done_testing
