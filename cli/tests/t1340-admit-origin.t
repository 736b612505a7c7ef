#!/bin/sh
# SPDX-License-Identifier: MIT
# admit --from records where each package was downloaded from (issue #11,
# recording): its origin is the URL (not the temporary file), with the mirror,
# the sha256 of the repomd.xml that pinned its checksum and that checksum from
# primary (schema 8), bound to the admit event's record; show (text and JSON)
# and history name them; provenance.origins globs may be URLs.  A local file
# records none of them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
. "$(dirname "$0")/data/fetch-lib.sh"
fetch_setup

mkdir -p "$T/srv"
mk_upstream "$T/srv/up" "$FX/srpms/rsa.src.rpm" || { echo "Bail out! cannot make the upstream"; exit 1; }
serve s "$T/srv"
M="http://127.0.0.1:$s_port/up/"
URL="${M}Packages/rsa.src.rpm"
REPOMD=$(sha "$T/srv/up/repodata/repomd.xml")
CK="sha256:$(sha "$FX/srpms/rsa.src.rpm")"

# ---- recorded, shown ----
R="$T/repo"
new_repo "$R" || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$R" --from "$M" hello
is_rc 0 "admitted by name from the loopback mirror"
run rpmvet show --repo "$R" --format json hello-1.0-1.src
is_rc 0 "show --format json"
jq_is '.package.origin' "$URL" "the origin is the URL, not the temporary file"
jq_is '.package.origin_mirror' "$M" "the mirror"
jq_is '.package.origin_repomd_sha256' "$REPOMD" "the sha256 of the repomd.xml that pinned the checksum"
jq_is '.package.origin_checksum' "$CK" "primary's checksum it was checked against"
run rpmvet show --repo "$R" hello-1.0-1.src
is_rc 0 "show"
out_has "origin           $URL" "text show names the URL"
out_has "origin_mirror    $M" "and the mirror"
out_has "origin_repomd_sha256 $REPOMD" "and the metadata checksum"
out_has "origin_checksum  $CK" "and the package's checksum in primary"
out_lacks "rpmvet-admit-" "no temporary path shown"
is "$(sqlite3 "$R/rpmvet.db" "SELECT origin || ' ' || origin_mirror || ' ' || origin_repomd_sha256 || ' ' || origin_checksum FROM packages")" \
	"$URL $M $REPOMD $CK" "recorded in the database"
run rpmvet history --repo "$R" hello
is_rc 0 "history"
is "$(grep -c "  admit   hello-1.0-1.src  pass  by .*  from $URL\$" "$T/out")" 1 "names the URL on the admit line"
run rpmvet history --repo "$R" --format json hello
jq_is '[.events[] | select(.kind == "admit") | .url] | join(" ")' "$URL" "history JSON: the URL of the admission"
run rpmvet audit verify --repo "$R"
is_rc 0 "bound to the admit event: audit verify passes"

# ---- an edited value is caught ----
PID=$(sqlite3 "$R/rpmvet.db" "SELECT id FROM packages")
EV=$(sqlite3 "$R/rpmvet.db" "SELECT admitted_event FROM packages WHERE id = $PID")
sqlite3 "$R/rpmvet.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
attack() { # COLUMN VALUE
	rm -rf "$T/copy"
	cp -r "$R" "$T/copy"
	sqlite3 "$T/copy/rpmvet.db" "UPDATE packages SET $1 = '$2' WHERE id = $PID" || echo "# attack SQL failed: $1"
	run rpmvet audit verify --repo "$T/copy"
	is_rc 1 "$1 edited: audit verify fails"
	is "$(tail -n 1 "$T/out")" \
		"records BROKEN: packages row $PID (hello-1.0-1.src), column $1: differs from what admit event $EV recorded" \
		"$1 edited: the column named"
	err_empty "$1 edited: nothing on stderr"
}
attack origin "https://trusted.example/hello-1.0-1.src.rpm"
attack origin_mirror "https://trusted.example/"
attack origin_repomd_sha256 "$(printf '0%.0s' $(seq 64))"
attack origin_checksum "sha256:$(printf 'f%.0s' $(seq 64))"

# ---- a local file records no URL ----
L="$T/local"
new_repo "$L" || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$L" "$FX/srpms/rsa.src.rpm"
is_rc 0 "a local file admitted"
run rpmvet show --repo "$L" --format json hello-1.0-1.src
jq_is '.package.origin' "$(realpath "$FX/srpms/rsa.src.rpm")" "its origin is its real path"
jq_is '[.package.origin_mirror, .package.origin_repomd_sha256, .package.origin_checksum] | all(. == null)' true \
	"no mirror, metadata checksum or primary checksum"
run rpmvet history --repo "$L" --format json hello
jq_is '[.events[] | select(.kind == "admit") | .url] | all(. == null)' true "history names no URL"
run rpmvet history --repo "$L" hello
out_lacks "  from " "nor does its text"

# ---- provenance.origins: a downloaded package is judged by its URL ----
write_policy "$T/here.yaml" "provenance:
  origins: [\"${M}*\"]
"
write_policy "$T/there.yaml" "provenance:
  origins: [\"https://mirror.example/*\"]
"
new_repo "$T/here" "$T/here.yaml" && new_repo "$T/there" "$T/there.yaml" || { echo "Bail out! setup"; exit 1; }
run rpmvet admit --repo "$T/here" --from "$M" hello
is_rc 0 "a URL inside the allowed origins is admitted"
run rpmvet admit --repo "$T/there" --from "$M" hello
is_rc 1 "a URL outside the allowed origins is rejected"
out_has "error   provenance.origin.not-allowed: origin '$URL' matches none of the allowed origins 'https://mirror.example/*'" \
	"naming the URL and the patterns"
is "$(sqlite3 "$T/there/rpmvet.db" "SELECT count(*) FROM packages")" 0 "nothing recorded"

# ---- a database admitted before schema 8 keeps verifying ----
# made as schema 7 had it: no origin columns, records without them, re-hashed
O="$T/old"
cp -r "$L" "$O"
OD=$O/rpmvet.db
OP=$(sqlite3 "$OD" "SELECT id FROM packages")
OE=$(sqlite3 "$OD" "SELECT admitted_event FROM packages WHERE id = $OP")
N=$(sqlite3 "$OD" "SELECT max(id) FROM events")
sqlite3 "$OD" "DROP TRIGGER events_append_only_u; DROP TRIGGER events_append_only_d;
	ALTER TABLE packages DROP COLUMN origin_mirror; ALTER TABLE packages DROP COLUMN origin_repomd_sha256;
	ALTER TABLE packages DROP COLUMN origin_checksum;
	UPDATE events SET record = json_remove(record, '\$.packages.origin_mirror',
		'\$.packages.origin_repomd_sha256', '\$.packages.origin_checksum')
	WHERE kind = 'admit'" || echo "# cannot fake the schema-7 database"
rechain "$OD" "$N" 7
is "$(sqlite3 "$OD" "SELECT count(*) FROM events WHERE record LIKE '%origin_mirror%'")" 0 "(the records hold no origin columns)"
run rpmvet audit verify --repo "$O"
is_rc 0 "a schema-7 database verifies after the migration"
out_has "records intact: 1 package row(s)" "its row checked as far as its admit event recorded"
is "$(sqlite3 "$OD" "SELECT value FROM meta WHERE key = 'schema'")" 8 "migrated to schema 8"
sqlite3 "$OD" "UPDATE packages SET origin_mirror = 'https://trusted.example/' WHERE id = $OP"
run rpmvet audit verify --repo "$O"
is_rc 1 "a mirror set on a row admitted before schema 8: found"
is "$(tail -n 1 "$T/out")" "records BROKEN: packages row $OP (hello-1.0-1.src), column origin_mirror: admit event $OE recorded no such column" "named"

done_testing
