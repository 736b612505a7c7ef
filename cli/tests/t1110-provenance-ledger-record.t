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
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

# provsrc-1.0: Source0 a tarball, Source1 a text file, Patch0
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
TGZ=$(sha512sum < "$S/provsrc-1.0.tar.gz" | cut -d' ' -f1)
L=$T/provsrc.sources
printf 'SHA512 (provsrc-1.0.tar.gz) = %s\n' "$TGZ" > "$L"

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
is "$(q "SELECT value FROM meta WHERE key = 'schema'")" 7 "schema 7"

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
out_has "  source  provsrc-1.0.tar.gz  $(sha "$S/provsrc-1.0.tar.gz")  ledger: SHA512 ok" "the tarball: SHA512 ok"
out_has "  source  provsrc-extra.txt  $(sha "$S/provsrc-extra.txt")  ledger: unlisted" "the extra Source: unlisted"
out_has "  patch   provsrc-fix.patch  $(sha "$S/provsrc-fix.patch")  ledger: unlisted" "the patch: unlisted"

# ---- history ----
run rpmvet history --repo "$R" provsrc
is_rc 0 "history text"
out_has "  sources: 3 unlisted, 1 ok against $L" "the admission's ledger summary"
run rpmvet history --repo "$R" --format json provsrc
jq_is '[.events[] | select(.kind == "admit") | .sources + " / " + .sources_ledger] | join("")' \
	"3 unlisted, 1 ok / $L" "history json: the summary and the ledger"

# a checkout: the spec and patch committed byte for byte, a mismatch shown as such
C=$T/checkout
mkdir -p "$C"
cp "$L" "$C/sources"
cp "$T/specs/provsrc.spec" "$S/provsrc-extra.txt" "$S/provsrc-fix.patch" "$C/"
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
lp() { echo "(CASE WHEN $1 IS NULL THEN '-;' ELSE length(CAST(CAST($1 AS TEXT) AS BLOB)) || ':' || CAST($1 AS TEXT) || ';' END)"; }
rehash() { # DB ID: the event's hash in format 3, computed as rpmvet does
	_sql="SELECT 'rpmvet-event-3;' || $(lp prev_hash) || id || ';'"
	for c in time actor tool_version policy_sha256 kind subject verdict detail findings epoch name record; do
		_sql="$_sql || $(lp $c)"
	done
	sqlite3 -newline '' "$1" "$_sql FROM events WHERE id = $2" | sha256sum | cut -c1-64
}
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
prev=$(printf '0%.0s' $(seq 64))
for i in $(seq 1 "$OE"); do
	sqlite3 "$OD" "UPDATE events SET prev_hash = '$prev' WHERE id = $i"
	prev=$(rehash "$OD" "$i")
	sqlite3 "$OD" "UPDATE events SET hash = '$prev' WHERE id = $i"
done
sqlite3 "$OD" "CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
	BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
	CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
	BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
	UPDATE meta SET value = '6' WHERE key = 'schema'"
is "$(sqlite3 "$OD" "SELECT count(*) FROM events WHERE record LIKE '%ledger%'")" 0 "(the records hold no ledger column)"
run rpmvet audit verify --repo "$O"
is_rc 0 "a schema-6 database verifies after the migration"
out_has "records intact: 1 package row(s)" "its row checked as far as its admit event recorded"
is "$(sqlite3 "$OD" "SELECT value FROM meta WHERE key = 'schema'")" 7 "migrated to schema 7"
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
