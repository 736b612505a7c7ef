#!/bin/sh
# SPDX-License-Identifier: MIT
# The sources ledger's verdict on each embedded file is recorded at admit (the
# files table's ledger column, the package's sources_ledger), bound to the admit
# event (audit verify catches an edited value), and shown: by show (text and
# JSON, each embedded file with its status, and the ledger used) and by history
# (the admission's summary, "sources: 3 unlisted, 1 ok").  Databases admitted
# before schema 7 keep verifying.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

# the fixtures: provsrc-1.0 embeds Source0 a tarball, Source1 a text file, Patch0;
# its ledgers and dist-git checkout (testdata/mkfixtures.sh, "sources ledger")
FL=$FX/ledger
P=$FL/provsrc-1.0-1.src.rpm
L=$FL/good.sources
digest() { rpm -qp --qf '[%{FILENAMES} %{FILEDIGESTS}\n]' "$P" 2>/dev/null | awk -v f="$1" '$1 == f { print $2 }'; }
[ -n "$(digest provsrc-1.0.tar.gz)" ] || { echo "Bail out! cannot read the fixture's digests"; exit 1; }

R=$T/repo
new_repo "$R" || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --sources "$L" "$P"
is_rc 0 "admitted against a sources file"
db=$R/rpmvet.db
q() { sqlite3 "$db" "$1"; }
is "$(q "SELECT path || '=' || coalesce(ledger, '-') FROM files ORDER BY path" | tr '\n' ' ')" \
	"provsrc-1.0.tar.gz=SHA512 ok provsrc-extra.txt=unlisted provsrc-fix.patch=unlisted provsrc.spec=unlisted " \
	"each embedded file's ledger status is recorded (the patch and spec, unlisted, unchecked by a bare sources file)"
is "$(q "SELECT sources_ledger FROM packages")" "$L" "the ledger used is recorded"
is "$(q "SELECT value FROM meta WHERE key = 'schema'")" 8 "schema 8 (7 added the ledger columns)"

# ---- show ----
run rpmvet show --repo "$R" --format json provsrc-1.0-1.src
is_rc 0 "show json"
jq_is '.package.sources_ledger' "$L" "show names the ledger used"
jq_is '[.package.files[] | .path + "=" + (.ledger // "-")] | join(" ")' \
	"provsrc-1.0.tar.gz=SHA512 ok provsrc-extra.txt=unlisted provsrc-fix.patch=unlisted provsrc.spec=unlisted" \
	"show gives each embedded file its ledger status"
run rpmvet show --repo "$R" provsrc-1.0-1.src
is_rc 0 "show text"
out_has "sources_ledger   $L" "the text names the ledger"
out_has "  source  provsrc-1.0.tar.gz  $(digest provsrc-1.0.tar.gz)  ledger: SHA512 ok" "the tarball: SHA512 ok"
out_has "  source  provsrc-extra.txt  $(digest provsrc-extra.txt)  ledger: unlisted" "the extra Source: unlisted"
out_has "  patch   provsrc-fix.patch  $(digest provsrc-fix.patch)  ledger: unlisted" "the patch: unlisted"

# ---- history ----
run rpmvet history --repo "$R" provsrc
is_rc 0 "history text"
out_has "  sources: 3 unlisted, 1 ok against $L" "the admission's ledger summary"
run rpmvet history --repo "$R" --format json provsrc
jq_is '[.events[] | select(.kind == "admit") | .sources + " / " + .sources_ledger] | join("")' \
	"3 unlisted, 1 ok / $L" "history json: the summary and the ledger"

# a checkout: the spec and patch committed byte for byte, a mismatch shown as such
C=$T/checkout
cp -r "$FL/checkout" "$C"
write_policy "$T/warn.yaml" 'findings:
  provenance.sources.mismatch: warning
'
echo changed >> "$C/provsrc-fix.patch"
R2=$T/repo2
new_repo "$R2" "$T/warn.yaml" || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R2" --sources "$C" "$P"
is_rc 0 "admitted against a checkout (a mismatch made a warning)"
run rpmvet show --repo "$R2" --format json provsrc-1.0-1.src
jq_is '[.package.files[] | .path + "=" + (.ledger // "-")] | join(" ")' \
	"provsrc-1.0.tar.gz=SHA512 ok provsrc-extra.txt=committed provsrc-fix.patch=mismatch provsrc.spec=committed" \
	"a checkout: committed, mismatch"
jq_is '.package.sources_ledger' "$C/sources" "the checkout's sources file"
run rpmvet history --repo "$R2" provsrc
out_has "  sources: 2 committed, 1 mismatch, 1 ok against $C/sources" "history summarises the admission"
run rpmvet audit verify --repo "$R2"
is_rc 0 "the second repository verifies"
run rpmvet audit verify --repo "$R"
is_rc 0 "the untouched repository verifies"

# ---- the extra embedded source, and the hostile embedded name, recorded as such ----
run rpmvet verify --repo "$R2" --format json --sources "$FL/extra.sources" "$P"
is_rc 0 "a ledger listing the patch too: passes"
jq_is '[.packages[0].findings[] | select(.code | startswith("provenance.")) | .code] | join(" ")' \
	"provenance.sources.ok provenance.sources.ok provenance.sources.ok" "tarball, extra Source and patch all checked"
H=$FL/provsrc-hostile-1.0-1.src.rpm
esc='bad\x1b[31mname.txt'
run rpmvet verify --repo "$R2" --sources "$L" "$H"
is_rc 1 "an embedded file named with an escape sequence: rejected"
out_has "error   provenance.sources.hostile-name: the embedded file '$esc' has a name that is not a file name ('/', '..' or a control character): never looked up" \
	"as provenance.sources.hostile-name, the name escaped"
ok "$(! grep -q "$(printf '\033')" "$T/out"; echo $?)" "no raw escape byte reaches stdout"
before=$(packages_state "$R2")
run rpmvet admit --repo "$R2" --sources "$L" "$H"
is_rc 1 "admit: rejected"
out_has "provenance.sources.hostile-name: the embedded file '$esc'" "admit names it"
is "$(packages_state "$R2")" "$before" "nothing placed"
out_has "error   header.invalid-text: Basenames (file names) holds ill-formed UTF-8 or a character XML forbids at byte 3: '$esc'" \
	"the header check names it too (never lowered: such a package is never admitted)"

# ---- an edited status or ledger is caught by audit verify ----
db=$R2/rpmvet.db
q "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
PID=$(q "SELECT id FROM packages WHERE nevra = 'provsrc-1.0-1.src'")
EV=$(q "SELECT admitted_event FROM packages WHERE id = $PID")
attack() { # SQL WANT DESC
	rm -rf "$T/copy"
	cp -r "$R2" "$T/copy"
	sqlite3 "$T/copy/rpmvet.db" "$1" || echo "# attack SQL failed: $1"
	run rpmvet audit verify --repo "$T/copy"
	is_rc 1 "$3: audit verify fails"
	is "$(tail -n 1 "$T/out")" "records BROKEN: $2" "$3: named"
	err_empty "$3: nothing on stderr"
}
attack "UPDATE files SET ledger = 'SHA512 ok' WHERE package_id = $PID AND ledger = 'mismatch'" \
	"files of packages row $PID (provsrc-1.0-1.src), column ledger: differs from what admit event $EV recorded" \
	"a mismatch rewritten as ok"
attack "UPDATE files SET ledger = NULL WHERE package_id = $PID AND ledger = 'mismatch'" \
	"files of packages row $PID (provsrc-1.0-1.src), column ledger: differs from what admit event $EV recorded" \
	"a status erased"
attack "UPDATE packages SET sources_ledger = '/elsewhere/sources' WHERE id = $PID" \
	"packages row $PID (provsrc-1.0-1.src), column sources_ledger: differs from what admit event $EV recorded" \
	"the ledger renamed"

# ---- a database admitted before schema 7 keeps verifying ----
# made as schema 6 had it: no ledger columns, records without them, re-hashed
# (rehash: data/repo-lib.sh)
O=$T/old
new_repo "$O" || { echo "Bail out! setup"; exit 1; }
"$RPMVET" admit --repo "$O" "$FX/srpms/rsa.src.rpm" >/dev/null &&
	"$RPMVET" admit --repo "$O" --sources "$L" "$P" >/dev/null || echo "Bail out! admit"
OD=$O/rpmvet.db
OP=$(sqlite3 "$OD" "SELECT id FROM packages WHERE nevra = 'hello-1.0-1.src'")
OE=$(sqlite3 "$OD" "SELECT admitted_event FROM packages WHERE id = $OP")
sqlite3 "$OD" "DELETE FROM files WHERE package_id <> $OP; DELETE FROM deps WHERE package_id <> $OP;
	DELETE FROM repodata WHERE package_id <> $OP; DELETE FROM packages WHERE id <> $OP;
	DROP TRIGGER events_append_only_u; DROP TRIGGER events_append_only_d;
	DELETE FROM events WHERE id > $OE;
	ALTER TABLE files DROP COLUMN ledger; ALTER TABLE packages DROP COLUMN sources_ledger;
	UPDATE events SET record = json_remove(record, '\$.files.ledger', '\$.packages.sources_ledger')
	WHERE kind = 'admit'" || echo "# cannot fake the schema-6 database"
rm -f "$O/Packages/provsrc"*
rechain "$OD" "$OE" 6
is "$(sqlite3 "$OD" "SELECT count(*) FROM events WHERE record LIKE '%ledger%'")" 0 "(the records hold no ledger column)"
run rpmvet audit verify --repo "$O"
is_rc 0 "a schema-6 database verifies after the migration"
out_has "records intact: 1 package row(s)" "its row checked as far as its admit event recorded"
is "$(sqlite3 "$OD" "SELECT value FROM meta WHERE key = 'schema'")" 8 "migrated to schema 8"
run rpmvet show --repo "$O" --format json hello-1.0-1.src
jq_is '[.package.sources_ledger, (.package.files[] | .ledger)] | all(. == null)' true "no ledger facts for it"
sqlite3 "$OD" "UPDATE files SET ledger = 'SHA512 ok' WHERE package_id = $OP AND kind = 'source'"
run rpmvet audit verify --repo "$O"
is_rc 1 "a status set on a row admitted before schema 7: found"
is "$(tail -n 1 "$T/out")" "records BROKEN: files of packages row $OP (hello-1.0-1.src), column ledger: admit event $OE recorded no such column" "named"
sqlite3 "$OD" "UPDATE files SET ledger = NULL; UPDATE packages SET sources_ledger = '$L'"
run rpmvet audit verify --repo "$O"
is_rc 1 "a ledger set on a row admitted before schema 7: found"
is "$(tail -n 1 "$T/out")" "records BROKEN: packages row $OP (hello-1.0-1.src), column sources_ledger: admit event $OE recorded no such column" "named"
done_testing
