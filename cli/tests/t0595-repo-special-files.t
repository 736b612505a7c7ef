#!/bin/sh
# SPDX-License-Identifier: MIT
# Files that are not regular files never block or get read through: a FIFO
# given as a package, and a symbolic link (to /dev/zero, or outside) or a FIFO
# planted under an admitted package's name in Packages/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

HELLO="$FX/srpms/rsa.src.rpm"
FILE=hello-1.0-1.src.rpm
TO="timeout 20"
events() { sqlite3 "$1/rpmvet.db" 'SELECT count(*) FROM events'; }
R="$T/repo"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null ||
	{ echo "Bail out! cannot make the repository"; exit 1; }

# ---- a FIFO given as a package ----
mkfifo "$T/pipe.rpm"
run $TO "$RPMVET" verify --keys "$R/keys" "$T/pipe.rpm"
is_rc 3 "verify of a FIFO does not block: the run could not complete"
out_has "io.open" "an io.open finding"
out_has "not a regular file" "saying it is not a regular file"
n=$(events "$R")
run $TO "$RPMVET" admit --repo "$R" "$T/pipe.rpm"
is_rc 3 "admit of a FIFO does not block"
is "$(events "$R")" "$n" "and records nothing"

# ---- a symbolic link to /dev/zero under an admitted name ----
mv "$R/Packages/$FILE" "$T/saved.rpm"
ln -s /dev/zero "$R/Packages/$FILE"
run $TO "$RPMVET" repo check --repo "$R"
is_rc 1 "repo check does not read /dev/zero through a planted link"
out_has "admitted package file Packages/$FILE is not a regular file but a symbolic link" "and names the link"
run $TO "$RPMVET" repo check --repo "$R" --repair
is_rc 1 "repair moves the link aside; the file itself is still missing"
out_has "repaired: moved Packages/$FILE to quarantine/$FILE" "to quarantine/"
out_has "NOT repaired: admitted package file Packages/$FILE is missing (admit the identical package again to restore it)" "and says how to restore it"
[ -L "$R/quarantine/$FILE" ] && [ ! -e "$R/Packages/$FILE" ]; ok $? "the link itself is moved, nothing is read through it"
run $TO "$RPMVET" admit --repo "$R" "$HELLO"
is_rc 0 "admitting the identical package again"
out_has "repo.restored" "restores the file"
[ -f "$R/Packages/$FILE" ] && [ ! -L "$R/Packages/$FILE" ]; ok $? "as a regular file"
run $TO "$RPMVET" repo check --repo "$R"
is_rc 0 "consistent again"

# ---- a link to a copy of the right file outside the repository ----
mv "$R/Packages/$FILE" "$T/saved.rpm"
ln -s "$T/saved.rpm" "$R/Packages/$FILE"
run $TO "$RPMVET" repo check --repo "$R"
is_rc 1 "a link to the right content outside the repository is not the admitted file"
out_has "is not a regular file but a symbolic link" "it is named a link"
rm "$R/Packages/$FILE"; mv "$T/saved.rpm" "$R/Packages/$FILE"

# ---- a FIFO under an admitted name ----
mv "$R/Packages/$FILE" "$T/saved.rpm"
mkfifo "$R/Packages/$FILE"
run $TO "$RPMVET" repo check --repo "$R"
is_rc 1 "repo check does not block on a planted FIFO"
out_has "is not a regular file but a FIFO" "and names it"
run $TO "$RPMVET" admit --repo "$R" "$HELLO"
is_rc 0 "admitting the identical package does not block either"
out_has "repo.restored" "and restores the file"
[ -p "$R/quarantine/$FILE.1" ] || [ -p "$R/quarantine/$FILE" ]; ok $? "the FIFO is in quarantine/"

done_testing
