#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet audit verify: every recorded row is bound to the event that recorded it.
# Each attack edits the database behind rpmvet's back (sqlite3, the events'
# triggers left in place: they guard only the events) and must be named: the
# table, the row (NEVRA and id), the column and the event, exit 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

write_policy "$T/policy.yaml" "repo:
  allow-replace: true
"
R="$T/repo"
new_repo "$R" "$T/policy.yaml" || { echo "Bail out! cannot make the repository"; exit 1; }
mkspec "$T/repl.spec" repl 1.0 1
mkspec "$T/repl2.spec" repl 1.0 1 "" MIT "Vendor: a second build"
build_srpms "$T/in1" "$T/repl.spec" && build_srpms "$T/in2" "$T/repl2.spec" &&
	sign_pkgs rsa "$T/in1/repl-1.0-1.src.rpm" "$T/in2/repl-1.0-1.src.rpm" ||
	{ echo "Bail out! cannot build the test packages"; exit 1; }
rpmvet admit --repo "$R" "$FX/srpms/rsa.src.rpm" "$FX/rpms/fxlib-1.0-1.noarch.rpm" \
	"$FX/rpms/fxtool-2.1-3.noarch.rpm" "$T/in1/repl-1.0-1.src.rpm" >/dev/null &&
	rpmvet admit --repo "$R" "$T/in2/repl-1.0-1.src.rpm" >/dev/null &&
	rpmvet remove --repo "$R" --reason "records test" fxtool-2.1-3.noarch >/dev/null ||
	{ echo "Bail out! cannot fill the repository"; exit 1; }
db="$R/rpmvet.db"
q() { sqlite3 "$db" "$1"; }
H=$(q "SELECT id FROM packages WHERE nevra = 'hello-1.0-1.src'")
HE=$(q "SELECT admitted_event FROM packages WHERE id = $H")
FT=$(q "SELECT id FROM packages WHERE nevra = 'fxtool-2.1-3.noarch'")
RE=$(q "SELECT removed_event FROM packages WHERE id = $FT")
OLD=$(q "SELECT id FROM packages WHERE nevra = 'repl-1.0-1.src' AND removed_event IS NOT NULL")
NEW=$(q "SELECT id FROM packages WHERE nevra = 'repl-1.0-1.src' AND removed_event IS NULL")
NEWE=$(q "SELECT admitted_event FROM packages WHERE id = $NEW")
ND=$(q "SELECT count(*) FROM deps WHERE package_id = $H")
[ -n "$H" ] && [ -n "$RE" ] && [ -n "$OLD" ] && [ -n "$NEW" ] && [ "$ND" -gt 2 ] ||
	{ echo "Bail out! unexpected records: H=$H RE=$RE OLD=$OLD NEW=$NEW ND=$ND"; exit 1; }
is "$(q "SELECT removed_event FROM packages WHERE id = $OLD")" "$NEWE" "(the replaced row is removed by the replacing admit event)"

run rpmvet audit verify --repo "$R"
is_rc 0 "the untouched repository verifies"
out_has "records intact: 5 package row(s)" "every row checked"
err_empty "nothing on stderr"

# one copy of the repository, its database restored before each attack: the
# same path every time, so its trust store's key facts come from the cache
q "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
C="$T/copy"
cp -r "$R" "$C"
attack() { # SQL WANT DESC: on a fresh copy of the database, audit verify says "records BROKEN: WANT", exit 1
	rm -f "$C/rpmvet.db" "$C/rpmvet.db-wal" "$C/rpmvet.db-shm"
	cp "$R/rpmvet.db" "$C/rpmvet.db"
	cmp -s "$R/rpmvet.db" "$C/rpmvet.db" && [ ! -s "$R/rpmvet.db-wal" ] ||
		echo "Bail out! the copy of the database is not the original"
	sqlite3 "$C/rpmvet.db" "$1" || echo "# attack SQL failed: $1"
	run rpmvet audit verify --repo "$C"
	is_rc 1 "$3: audit verify fails"
	is "$(tail -n 1 "$T/out")" "records BROKEN: $2" "$3: named"
	err_empty "$3: nothing on stderr"
}
hello="packages row $H (hello-1.0-1.src)"
by="differs from what admit event $HE recorded"

# ---- every column of every table, one edit each ----
# a different value of the same kind: a number + 1, text with 'x' added, NULL -> 'x'
other() { echo "CASE WHEN $1 IS NULL THEN 'x' WHEN typeof($1) = 'integer' THEN $1 + 1 ELSE $1 || 'x' END"; }
for c in $(q "SELECT name FROM pragma_table_info('packages') WHERE name NOT IN ('id', 'admitted_event', 'removed_event')"); do
	label=$hello
	[ "$c" = nevra ] && label="packages row $H (hello-1.0-1.srcx)"
	attack "UPDATE packages SET $c = $(other "$c") WHERE id = $H" "$label, column $c: $by" "packages.$c edited"
done
for t in deps files repodata; do
	for c in $(q "SELECT name FROM pragma_table_info('$t') WHERE name != 'package_id'"); do
		attack "UPDATE $t SET $c = $(other "$c") WHERE rowid = (SELECT min(rowid) FROM $t WHERE package_id = $H)" \
			"$t of $hello, column $c: $by" "$t.$c edited"
	done
done
# the edits of the issue, as an attacker would make them
attack "UPDATE packages SET version = '9.9', nevra = 'hello-9.9-1.src' WHERE id = $H" \
	"packages row $H (hello-9.9-1.src), column nevra: $by" "nevra and version moved to 9.9"
attack "UPDATE packages SET vendor = 'Trusted Vendor', url = 'https://good.example' WHERE id = $H" \
	"$hello, column url: $by" "vendor and url rewritten"
attack "UPDATE deps SET evr = '1.0' WHERE package_id = $H AND name = 'gcc'" \
	"deps of $hello, column evr: $by" "a BuildRequires version lowered"

# ---- rows added or taken away ----
attack "DELETE FROM deps WHERE package_id = $H AND name = 'make'" \
	"deps of $hello: $((ND - 1)) row(s), admit event $HE recorded $ND" "a dependency row deleted"
attack "INSERT INTO deps VALUES ($H, 'provides', 'evil', 0, '')" \
	"deps of $hello: $((ND + 1)) row(s), admit event $HE recorded $ND" "a dependency row inserted"
attack "DELETE FROM files WHERE package_id = $H AND kind = 'patch'" \
	"files of $hello: 2 row(s), admit event $HE recorded 3" "a file row deleted"
attack "DELETE FROM repodata WHERE package_id = $H" \
	"repodata of $hello: 0 row(s), admit event $HE recorded 1" "the repodata row deleted"
attack "DELETE FROM packages WHERE id = $H" \
	"$hello, recorded by admit event $HE, is missing" "the package row deleted"
attack "DELETE FROM deps WHERE package_id = $H; DELETE FROM files WHERE package_id = $H;
	DELETE FROM repodata WHERE package_id = $H; DELETE FROM packages WHERE id = $H" \
	"$hello, recorded by admit event $HE, is missing" "the package and all its rows deleted"
attack "INSERT INTO deps VALUES (999, 'provides', 'x', 0, '')" \
	"deps: 1 row(s) of packages row 999, which does not exist: no event recorded them" "rows of no package"

# ---- rows no event recorded ----
copy="INSERT INTO packages (nevra, name, epoch, version, release, arch, sha256, size, filename, admitted_event)
	SELECT 'evil-1-1.src', 'evil', NULL, '1', '1', 'src', sha256, size, 'evil-1-1.src.rpm'"
NR=$(q "SELECT max(id) + 1 FROM packages")
attack "$copy, $HE FROM packages WHERE id = $H" \
	"packages row $NR (evil-1-1.src): no event recorded it (admit event $HE, which it names, recorded $hello)" \
	"a row inserted under hello's admit event"
attack "$copy, 999 FROM packages WHERE id = $H" \
	"packages row $NR (evil-1-1.src): no event recorded it (the admit event 999 it names does not exist)" \
	"a row inserted naming an event that does not exist"
attack "$copy, 2 FROM packages WHERE id = $H" \
	"packages row $NR (evil-1-1.src): no event recorded it (event 2, which it names as its admission, is a key-add event)" \
	"a row inserted naming a key-add event"

# ---- which rows are current ----
attack "UPDATE packages SET removed_event = $RE WHERE id = $H" \
	"$hello is marked removed by event $RE, which did not remove it" "a current row hidden under a remove event"
attack "UPDATE packages SET removed_event = 1 WHERE id = $H" \
	"$hello is marked removed by event 1, which did not remove it" "a current row hidden under the init event"
attack "UPDATE packages SET removed_event = NULL WHERE id = $FT" \
	"packages row $FT (fxtool-2.1-3.noarch) is current, but remove event $RE removed it" "a removed package brought back"
attack "UPDATE packages SET removed_event = $NEWE WHERE id = $NEW; UPDATE packages SET removed_event = NULL WHERE id = $OLD" \
	"packages row $OLD (repl-1.0-1.src) is current, but admit event $NEWE removed it" "a replaced package swapped back in"

# ---- with the triggers dropped, the record in the event cannot be made to match ----
C="$T/rerecord"
cp -r "$R" "$C"
sqlite3 "$C/rpmvet.db" "DROP TRIGGER events_append_only_u; UPDATE packages SET version = '9.9' WHERE id = $H;
	UPDATE events SET record = replace(record, '\"rows\":1', '\"rows\":1 ') WHERE id = $HE"
run rpmvet audit verify --repo "$C"
is_rc 1 "the admit event's record edited too: audit verify fails"
is "$(cat "$T/out")" "event log BROKEN at event $HE: event $HE was altered: its content does not match its hash" "the event is named"

# ---- a table that cannot be read is an error of the run ----
C="$T/unreadable"
cp -r "$R" "$C"
sqlite3 "$C/rpmvet.db" "ALTER TABLE packages RENAME TO packages_gone"
run rpmvet audit verify --repo "$C"
is_rc 3 "the packages table unreadable: exit 3"
err_has "rpmvet: error: cannot read the package records of '$C/rpmvet.db'" "says which database"
err_has "no such table: packages" "with sqlite's reason"
out_lacks "records intact" "never reported intact"

# the original is untouched
run rpmvet audit verify --repo "$R"
is_rc 0 "the original repository still verifies"

done_testing
