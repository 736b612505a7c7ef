#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet audit verify: the hash-chained event log. Append-only triggers; every
# kind of edit made behind rpmvet's back is found and the event named.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the repository"; exit 1; }
db="$R/rpmvet.db"

run rpmvet audit verify --repo "$R"
is_rc 0 "audit verify on a fresh repository"
is "$(cat "$T/out")" "event log intact: 3 event(s), hash chain verified
records intact: 0 package row(s) with their dependencies, files and repodata match the events that recorded them" "init and two key-adds, no package rows"
err_empty "nothing on stderr"

rpmvet admit --repo "$R" "$FX/srpms/rsa.src.rpm" "$FX/rpms/fxlib-1.0-1.noarch.rpm" >/dev/null
rpmvet admit --repo "$R" "$FX/srpms/unsigned.src.rpm" >/dev/null
rpmvet remove --repo "$R" --reason "audit test" fxlib-1.0-1.noarch >/dev/null
rpmvet verify --repo "$R" "$FX/rpms/fxtool-2.1-3.noarch.rpm" >/dev/null
N=$(sqlite3 "$db" 'SELECT count(*) FROM events')
is "$N" 8 "eight events: init, 2 key-add, 2 admit, reject, remove, verify"
is "$(sqlite3 "$db" 'SELECT group_concat(kind, " ") FROM (SELECT kind FROM events ORDER BY id)')" \
	"init key-add key-add admit admit reject remove verify" "in this order"
run rpmvet audit verify --repo "$R"
is_rc 0 "audit verify after admissions, a rejection, a removal and a verify"
is "$(head -n 1 "$T/out")" "event log intact: $N event(s), hash chain verified" "counts every event"
is "$(tail -n 1 "$T/out")" "records intact: 2 package row(s) with their dependencies, files and repodata match the events that recorded them" "and every package row"
run env RPMVET_REPO="$R" "$RPMVET" audit verify
is_rc 0 "audit verify with RPMVET_REPO"

# ---- the triggers ----
run sqlite3 "$db" "UPDATE events SET actor = 'mallory@evil' WHERE id = 4"
[ "$rc" -ne 0 ]; ok $? "an UPDATE of an event fails"
err_has "events are append-only" "the trigger says why"
run sqlite3 "$db" "DELETE FROM events WHERE id = 5"
[ "$rc" -ne 0 ]; ok $? "a DELETE of an event fails"
err_has "events are append-only" "the trigger says why"
run sqlite3 "$db" "DELETE FROM events"
[ "$rc" -ne 0 ]; ok $? "deleting every event fails"
is "$(sqlite3 "$db" 'SELECT count(*) FROM events')" "$N" "no event was lost"
is "$(sqlite3 "$db" 'SELECT actor FROM events WHERE id = 4')" "$(sqlite3 "$db" 'SELECT actor FROM events WHERE id = 1')" "none was changed"
run rpmvet audit verify --repo "$R"
is_rc 0 "still intact"

# ---- tampering, with the triggers dropped (each on its own copy) ----
k=0
tamper() { # SQL: a copy of the repository with SQL applied, in $C
	k=$((k + 1))
	C="$T/copy$k"
	cp -r "$R" "$C"
	sqlite3 "$C/rpmvet.db" "DROP TRIGGER events_append_only_u; DROP TRIGGER events_append_only_d; $1" ||
		echo "# tamper SQL failed: $1"
}
broken() { # ID WHY DESC
	run rpmvet audit verify --repo "$C"
	is_rc 1 "$3: audit verify fails"
	is "$(cat "$T/out")" "event log BROKEN at event $1: $2" "$3: names event $1"
	err_empty "$3: nothing on stderr"
}
altered() { broken "$1" "event $1 was altered: its content does not match its hash" "$2"; }

tamper "UPDATE events SET actor = 'mallory@evil' WHERE id = 4"
altered 4 "the actor of event 4 changed"
tamper "UPDATE events SET findings = replace(findings, '\"error\"', '\"info\"') WHERE kind = 'reject'"
altered 6 "an error finding of the reject event turned into info"
tamper "UPDATE events SET verdict = 'pass' WHERE id = 6"
altered 6 "the verdict of the reject event changed"
tamper "UPDATE events SET time = '2020-01-01T00:00:00Z' WHERE id = 5"
altered 5 "the time of event 5 changed"
tamper "UPDATE events SET subject = 'other-1.0-1.noarch' WHERE id = 5"
altered 5 "the subject of event 5 changed"
tamper "UPDATE events SET detail = 'routine' WHERE kind = 'remove'"
altered 7 "the reason of the removal changed"
tamper "UPDATE events SET policy_sha256 = '$(printf '0%.0s' $(seq 64))' WHERE id = 2"
altered 2 "the policy hash of event 2 changed"
tamper "UPDATE events SET tool_version = '9.9.9' WHERE id = 8"
altered 8 "the tool version of the last event changed"
tamper "UPDATE events SET detail = NULL WHERE kind = 'init'"
altered 1 "a value replaced by NULL"
tamper "UPDATE events SET hash = '$(printf 'f%.0s' $(seq 64))' WHERE id = 3"
altered 3 "a hash overwritten"

tamper "DELETE FROM events WHERE id = 4"
broken 4 "event 4 is missing (the next is 5)" "a middle event deleted"
tamper "DELETE FROM events WHERE id IN (2, 3)"
broken 2 "event 2 is missing (the next is 4)" "two events deleted"
tamper "DELETE FROM events WHERE id = 1"
broken 1 "event 1 is missing (the next is 2)" "the first event deleted"

last=$(sqlite3 "$db" "SELECT hash FROM events WHERE id = $N")
forge="INSERT INTO events (id, time, epoch, actor, tool_version, policy_sha256, kind, subject, name, verdict, detail, findings, hash_format, prev_hash, hash) VALUES ($((N + 1)), '2030-01-01T00:00:00Z', 1893456000, 'mallory@evil', '0.1.0', NULL, 'admit', 'evil-1-1.src', 'evil', 'pass', NULL, '[]', 3"
tamper "$forge, '$(printf '0%.0s' $(seq 64))', '$(printf 'a%.0s' $(seq 64))')"
broken $((N + 1)) "event $((N + 1)) does not link to the event before it" "a forged event with a wrong prev_hash"
tamper "$forge, '$last', '$(printf 'a%.0s' $(seq 64))')"
altered $((N + 1)) "a forged event that links but has a made-up hash"
tamper "$forge, '$last', '$last')"
altered $((N + 1)) "a forged event that copies the previous hash"

# an edit whose hash is recomputed breaks the link of the next event
# formats 2 and 3: each field as its length in bytes, ':', the bytes, ';' (NULL: '-;');
# format 3 adds the record (the digests of the rows the event created or removed)
lp() { echo "(CASE WHEN $1 IS NULL THEN '-;' ELSE length(CAST(CAST($1 AS TEXT) AS BLOB)) || ':' || CAST($1 AS TEXT) || ';' END)"; }
rehash() { # DB ID [FORMAT]: the event's hash computed as rpmvet does
	_f=${3:-3} _cols="time actor tool_version policy_sha256 kind subject verdict detail findings epoch name"
	[ "$_f" = 3 ] && _cols="$_cols record"
	_sql="SELECT 'rpmvet-event-$_f;' || $(lp prev_hash) || id || ';'"
	for c in $_cols; do
		_sql="$_sql || $(lp $c)"
	done
	sqlite3 -newline '' "$1" "$_sql FROM events WHERE id = $2" | sha256sum | cut -c1-64
}
# format 1 (events recorded before schema 4): fields joined by \037, NULL as \036
rehash1() {
	sqlite3 -separator "$(printf '\037')" -nullvalue "$(printf '\036')" -newline '' "$1" \
		"SELECT prev_hash, id, time, actor, tool_version, policy_sha256, kind, subject, verdict, detail, findings, epoch, name FROM events WHERE id = $2" |
		{ printf 'rpmvet-event-1\037'; cat; } | sha256sum | cut -c1-64
}
is "$(rehash "$db" 5)" "$(sqlite3 "$db" 'SELECT hash FROM events WHERE id = 5')" "the hash recipe is understood (event 5 recomputed)"
tamper "UPDATE events SET actor = 'mallory@evil' WHERE id = 5"
sqlite3 "$C/rpmvet.db" "UPDATE events SET hash = '$(rehash "$C/rpmvet.db" 5)' WHERE id = 5"
broken 6 "event 6 does not link to the event before it" "event 5 edited and re-hashed"
sqlite3 "$C/rpmvet.db" "UPDATE events SET prev_hash = (SELECT hash FROM events WHERE id = 5) WHERE id = 6"
altered 6 "event 6 relinked as well"

# the log never goes back to an older format: the head re-hashed in format 1 (which
# covers no record) is refused
is "$(sqlite3 "$db" 'SELECT group_concat(DISTINCT hash_format) FROM events')" 3 "new events use hash format 3"
tamper "UPDATE events SET hash_format = 1 WHERE id = $N"
sqlite3 "$C/rpmvet.db" "UPDATE events SET hash = '$(rehash1 "$C/rpmvet.db" "$N")' WHERE id = $N"
broken "$N" "event $N has hash format 1, older than the event before it (3)" "the last event downgraded to format 1"
tamper "UPDATE events SET hash_format = 7 WHERE id = 3"
broken 3 "event 3 has an unknown hash format 7" "an unknown hash format"

# a schema-3 database (every event format 1, no hash_format column) is migrated on open
C3="$T/schema3"
cp -r "$R" "$C3"
sqlite3 "$C3/rpmvet.db" "DROP TRIGGER events_append_only_u; DROP TRIGGER events_append_only_d;
	ALTER TABLE events DROP COLUMN record"
# format 1's admit detail: the record digest without length prefixes
sqlite3 "$C3/rpmvet.db" "UPDATE events SET detail = (SELECT 'sha256=' || p.sha256 || ' file=' || p.filename ||
	' license=' || coalesce(p.license, '') || ' signer=' || coalesce(p.signer_fpr, '')
	FROM packages p WHERE p.admitted_event = events.id) WHERE kind = 'admit'"
prev=$(printf '0%.0s' $(seq 64))
for i in $(seq 1 "$N"); do
	sqlite3 "$C3/rpmvet.db" "UPDATE events SET prev_hash = '$prev' WHERE id = $i"
	prev=$(rehash1 "$C3/rpmvet.db" "$i")
	sqlite3 "$C3/rpmvet.db" "UPDATE events SET hash = '$prev', hash_format = 1 WHERE id = $i"
done
sqlite3 "$C3/rpmvet.db" "ALTER TABLE events DROP COLUMN hash_format; UPDATE meta SET value = '3' WHERE key = 'schema'"
run rpmvet audit verify --repo "$C3"
is_rc 0 "a schema-3 event log (format 1) verifies after the migration"
is "$(sqlite3 "$C3/rpmvet.db" "SELECT value FROM meta WHERE key = 'schema'")" 8 "migrated to schema 8"
out_has "records intact: 2 package row(s)" "its rows match what the format-1 admit events recorded"
cp -r "$C3" "$T/schema3-edited"
sqlite3 "$T/schema3-edited/rpmvet.db" "UPDATE events SET actor = 'mallory@evil' WHERE id = 4"
run rpmvet audit verify --repo "$T/schema3-edited"
is_rc 1 "a format-1 event edited: found"
is "$(cat "$T/out")" "event log BROKEN at event 4: event 4 was altered: its content does not match its hash" "names event 4"
"$RPMVET" remove --repo "$C3" --reason "after the upgrade" hello-1.0-1.src >/dev/null
run rpmvet audit verify --repo "$C3"
is_rc 0 "a format-3 event appended to a format-1 chain verifies"
out_has "records intact: 2 package row(s)" "the format-3 removal of a row admitted in format 1 is checked"
is "$(sqlite3 "$C3/rpmvet.db" 'SELECT group_concat(hash_format, "") FROM (SELECT hash_format FROM events ORDER BY id)')" \
	"$(printf '1%.0s' $(seq 1 "$N"))3" "old events keep format 1, the new one has format 3"

# a schema-4 database (events of format 2, admit details with four facts) is migrated
# on open; its rows are checked as far as those events recorded
C4="$T/schema4"
cp -r "$R" "$C4"
sqlite3 "$C4/rpmvet.db" "DROP TRIGGER events_append_only_u; DROP TRIGGER events_append_only_d;
	ALTER TABLE events DROP COLUMN record;
	UPDATE events SET detail = (SELECT 'sha256=' || p.sha256 || ' file=' || length(CAST(p.filename AS BLOB)) || ':' || p.filename ||
	' license=' || CASE WHEN p.license IS NULL THEN '-' ELSE length(CAST(p.license AS BLOB)) || ':' || p.license END ||
	' signer=' || coalesce(p.signer_fpr, '-') FROM packages p WHERE p.admitted_event = events.id) WHERE kind = 'admit'"
prev=$(printf '0%.0s' $(seq 64))
for i in $(seq 1 "$N"); do
	sqlite3 "$C4/rpmvet.db" "UPDATE events SET prev_hash = '$prev' WHERE id = $i"
	prev=$(rehash "$C4/rpmvet.db" "$i" 2)
	sqlite3 "$C4/rpmvet.db" "UPDATE events SET hash = '$prev', hash_format = 2 WHERE id = $i"
done
sqlite3 "$C4/rpmvet.db" "UPDATE meta SET value = '4' WHERE key = 'schema'"
run rpmvet audit verify --repo "$C4"
is_rc 0 "a schema-4 event log (format 2) verifies after the migration"
out_has "records intact: 2 package row(s)" "its rows match what the format-2 admit events recorded"
is "$(sqlite3 "$C4/rpmvet.db" "SELECT value FROM meta WHERE key = 'schema'")" 8 "migrated to schema 8"
"$RPMVET" remove --repo "$C4" --reason "after the upgrade" hello-1.0-1.src >/dev/null
run rpmvet audit verify --repo "$C4"
is_rc 0 "a format-3 removal of a row admitted in format 2 verifies"
hid=$(sqlite3 "$C4/rpmvet.db" "SELECT id FROM packages WHERE nevra = 'hello-1.0-1.src'")
hev=$(sqlite3 "$C4/rpmvet.db" "SELECT admitted_event FROM packages WHERE id = $hid")
sqlite3 "$C4/rpmvet.db" "UPDATE packages SET license = 'SSPL-1.0' WHERE id = $hid"
run rpmvet audit verify --repo "$C4"
is_rc 1 "the license of a row admitted in format 2 edited: found"
is "$(tail -n 1 "$T/out")" "records BROKEN: packages row $hid (hello-1.0-1.src): its sha256, file name, license or signer differ from what admit event $hev recorded" "names the row and its admit event"
sqlite3 "$C4/rpmvet.db" "UPDATE packages SET license = 'MIT', removed_event = NULL WHERE id = $hid"
run rpmvet audit verify --repo "$C4"
is_rc 1 "the row removed in format 3 brought back: found"
out_has "records BROKEN: packages row $hid (hello-1.0-1.src) is current, but remove event $((N + 1)) removed it" "names the remove event"

# format 2 closes format 1's hole: a value holding the separator byte let text move
# between two fields unseen (here a removal reason into the findings)
C2="$T/shift"
cp -r "$R" "$C2"
"$RPMVET" remove --repo "$C2" --reason "$(printf 'routine\037x')" hello-1.0-1.src >/dev/null
M=$(sqlite3 "$C2/rpmvet.db" 'SELECT max(id) FROM events')
is "$(sqlite3 "$C2/rpmvet.db" "SELECT hex(detail) FROM events WHERE id = $M")" "$(printf 'routine\037x' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
	"the reason is recorded byte for byte"
sqlite3 "$C2/rpmvet.db" "DROP TRIGGER events_append_only_u; UPDATE events SET detail = 'routine',
	findings = 'x' || char(31) || findings WHERE id = $M"
run rpmvet audit verify --repo "$C2"
is_rc 1 "the separator moved between detail and findings: found"
out_has "event $M was altered" "names the event"
sqlite3 "$C2/rpmvet.db" "UPDATE events SET detail = 'routine' || char(31) || 'x',
	findings = substr(findings, 3) WHERE id = $M"
h1=$(rehash1 "$C2/rpmvet.db" "$M")
sqlite3 "$C2/rpmvet.db" "UPDATE events SET detail = 'routine', findings = 'x' || char(31) || findings WHERE id = $M"
is "$(rehash1 "$C2/rpmvet.db" "$M")" "$h1" "(under format 1 the same move keeps the hash: why format 2 exists)"

# columns that queries trust are covered by the chain: 'epoch' (list --at, query
# --since) and 'name' (history) are stored next to the hashed fields
tamper "UPDATE events SET epoch = epoch + 86400 * 365 WHERE id = 4"
is "$("$RPMVET" list --repo "$R" --format json | jq -r '[.packages[].nevra] | join(" ")')" "hello-1.0-1.src" "(list shows hello)"
is "$("$RPMVET" list --repo "$C" --format json | jq -r '[.packages[].nevra] | join(" ")')" "" "(moving the admission's epoch hides it)"
run rpmvet audit verify --repo "$C"
ok "$([ "$rc" -eq 1 ] && grep -q 'event 4' "$T/out"; echo $?)" "a changed epoch of event 4 is found (exit 1, names event 4; got exit $rc)"
tamper "UPDATE events SET name = 'other' WHERE name = 'hello'"
is "$("$RPMVET" history --repo "$R" hello --format json | jq '.events | length')" 2 "(history hello has two events)"
is "$("$RPMVET" history --repo "$C" hello --format json | jq '.events | length')" 0 "(renaming hides them)"
run rpmvet audit verify --repo "$C"
ok "$([ "$rc" -eq 1 ]; echo $?)" "a changed name column is found (exit 1; got exit $rc)"

# the original is untouched by all of this
run rpmvet audit verify --repo "$R"
is_rc 0 "the original repository is intact"

# ---- usage ----
run rpmvet audit --repo "$R"
is_rc 2 "audit without verify"
run rpmvet audit check --repo "$R"
is_rc 2 "audit check is not a command"
run rpmvet audit verify extra --repo "$R"
is_rc 2 "audit verify takes no arguments"

done_testing
