#!/bin/sh
# SPDX-License-Identifier: MIT
# A damaged database takes no writes: admit (any kind of run) and remove refuse
# it (exit 3) when PRAGMA quick_check reports errors, as repo check does.  A
# repair that cannot move a stray file to quarantine/ is an error (exit 3, on
# stderr) and records no repair event.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

HELLO="$FX/srpms/rsa.src.rpm"
events() { sqlite3 "$1/rpmvet.db" 'SELECT count(*) FROM events'; }

# ---- a damaged index: the file opens, quick_check fails ----
R="$T/damaged"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null ||
	{ echo "Bail out! cannot make the repository"; exit 1; }
sqlite3 "$R/rpmvet.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
page=$(sqlite3 "$R/rpmvet.db" "SELECT rootpage FROM sqlite_master WHERE name = 'deps_name'")
psize=$(sqlite3 "$R/rpmvet.db" 'PRAGMA page_size')
# an invalid b-tree page type in the header of the index's root page
printf '\377\377\377\377\377\377\377\377' |
	dd of="$R/rpmvet.db" bs=1 seek=$(((page - 1) * psize)) conv=notrunc status=none
run sqlite3 "$R/rpmvet.db" 'PRAGMA quick_check'
out_has "Page $page: btreeInitPage() returns error code 11" "quick_check reports the damaged page"
is "$(events "$R")" 4 "the database still opens (init, two key-adds, admit)"

before=$(state "$R")
for what in "remove --reason test hello-1.0-1.src" "admit $FX/srpms/unsigned.src.rpm" \
	"admit $HELLO" "admit --dry-run $HELLO"; do
	# shellcheck disable=SC2086 # $what is a command line
	run rpmvet ${what%% *} --repo "$R" ${what#* }
	is_rc 3 "$what: refused on a damaged database"
	err_has "rpmvet: error: the database '$R/rpmvet.db' is damaged (PRAGMA quick_check failed)" "$what: says the database is damaged"
	is "$(events "$R")" 4 "$what: no event is recorded"
	is "$(state "$R")" "$before" "$what: the repository is unchanged"
done
[ -f "$R/Packages/hello-1.0-1.src.rpm" ]; ok $? "the admitted file is still there"

# ---- a stray file that cannot be moved to quarantine/ ----
R="$T/stuck"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null ||
	{ echo "Bail out! cannot make the repository"; exit 1; }
mkdir "$R/quarantine"
cp "$FX/srpms/ed25519.src.rpm" "$R/Packages/stray.rpm"
if chattr +i "$R/quarantine" 2>/dev/null; then
	n=$(events "$R")
	run rpmvet repo check --repo "$R" --repair
	chattr -i "$R/quarantine"
	is_rc 3 "repo check --repair when the stray file cannot be moved"
	err_has "rpmvet: error: cannot move '$R/Packages/stray.rpm' to '$R/quarantine/stray.rpm': Operation not permitted" \
		"the error names both paths and the reason"
	out_lacks "repaired: " "nothing is said to be repaired"
	is "$(events "$R")" "$n" "no repair event is recorded"
	[ -f "$R/Packages/stray.rpm" ] && [ -z "$(ls -A "$R/quarantine")" ]; ok $? "the stray file is still in Packages/"
	run rpmvet repo check --repo "$R" --repair
	is_rc 0 "once it can be moved, the repair works"
	out_has "repaired: moved Packages/stray.rpm to quarantine/stray.rpm" "and says so"
	is "$(events "$R")" $((n + 1)) "one repair event"
else
	echo "# skipped the immovable stray file: chattr +i is not available here"
fi

done_testing
