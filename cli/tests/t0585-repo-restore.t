#!/bin/sh
# SPDX-License-Identifier: MIT
# Quarantine never overwrites: a second stray file of the same name gets a
# name of its own.  Admitting again the identical file of an admitted package
# whose file is missing (or was changed) restores it, verified, and records a
# restore event; what was there goes to quarantine/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

HELLO="$FX/srpms/rsa.src.rpm"
FILE=hello-1.0-1.src.rpm
events() { sqlite3 "$1/rpmvet.db" 'SELECT count(*) FROM events'; }
R="$T/repo"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null ||
	{ echo "Bail out! cannot make the repository"; exit 1; }
hsum=$(sha "$HELLO")

# ---- two stray files with one name ----
echo first > "$R/Packages/stray.rpm"
run rpmvet repo check --repo "$R" --repair
is_rc 0 "the first stray file is moved aside"
out_has "repaired: moved Packages/stray.rpm to quarantine/stray.rpm" "to quarantine/stray.rpm"
echo second > "$R/Packages/stray.rpm"
run rpmvet repo check --repo "$R" --repair
is_rc 0 "a second stray file with the same name"
out_has "repaired: moved Packages/stray.rpm to quarantine/stray.rpm.1" "goes to quarantine/stray.rpm.1"
is "$(cat "$R/quarantine/stray.rpm") $(cat "$R/quarantine/stray.rpm.1")" "first second" "both are kept, neither overwritten"

# ---- the file of an admitted package is gone ----
rm "$R/Packages/$FILE"
run rpmvet repo check --repo "$R"
is_rc 1 "repo check finds the missing file"
out_has "admitted package file Packages/$FILE is missing (admit the identical package again to restore it)" "and says how to restore it"
run rpmvet admit --repo "$R" --dry-run "$HELLO"
is_rc 0 "a dry run"
out_has "repo.file-missing: hello-1.0-1.src is admitted, but its file Packages/$FILE is missing or has other content: admitting it restores it" \
	"says admitting would restore it"
[ ! -e "$R/Packages/$FILE" ]; ok $? "and restores nothing"
n=$(events "$R")
run rpmvet admit --repo "$R" "$HELLO"
is_rc 0 "admitting the identical file again"
out_has "repo.restored: hello-1.0-1.src is admitted, but its file Packages/$FILE was missing: restored from this verified copy" \
	"says the file was restored"
out_lacks "already admitted" "not 'already admitted'"
is "$(sha "$R/Packages/$FILE")" "$hsum" "the file is back with the recorded content"
is "$(events "$R")" $((n + 1)) "one event"
run rpmvet history --repo "$R" --format json hello
jq_is '[.events[].kind] | join(" ")' "admit verify restore" "history: admit, the dry run, restore"
jq_is '.events[-1].detail' "restored the missing Packages/$FILE" "the restore event says what it did"
run rpmvet repo check --repo "$R"
is_rc 0 "the repository is consistent again"
run rpmvet audit verify --repo "$R"
is_rc 0 "the event log is intact"

# ---- the file of an admitted package was changed ----
echo tampered > "$R/Packages/$FILE"
run rpmvet admit --repo "$R" "$HELLO"
is_rc 0 "admitting the identical file over a changed one"
out_has "repo.restored: hello-1.0-1.src is admitted, but its file Packages/$FILE had other content (moved to quarantine/$FILE): restored from this verified copy" \
	"says it was restored and where the other content went"
is "$(sha "$R/Packages/$FILE")" "$hsum" "the file has the recorded content"
is "$(cat "$R/quarantine/$FILE")" tampered "the changed file is kept in quarantine/"
run rpmvet repo check --repo "$R"
is_rc 0 "consistent"

# ---- a package with other content is not a copy: nothing is restored ----
# hello-1.0-1 rebuilt from another spec (another payload), signed by the same key
mkdir -p "$T/rbspec"
mkspec "$T/rbspec/h10.spec" hello 1.0 1 "" MIT "# rebuilt from another spec: another payload"
build_srpms "$T/rb" "$T/rbspec/h10.spec" && sign_pkgs rsa "$T/rb/hello-1.0-1.src.rpm" ||
	{ echo "Bail out! cannot build or sign the rebuild"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
rm "$R/Packages/$FILE"
run rpmvet admit --repo "$R" "$T/rb/hello-1.0-1.src.rpm"
is_rc 1 "another content for the NEVRA is still rejected"
out_has "error   repo.rebuilt: hello-1.0-1.src is already admitted with different content (sha256 $hsum)" \
	"as a rebuild the policy does not allow"
[ ! -e "$R/Packages/$FILE" ]; ok $? "and restores nothing"

done_testing
