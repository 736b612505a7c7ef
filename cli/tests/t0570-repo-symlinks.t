#!/bin/sh
# SPDX-License-Identifier: MIT
# Symbolic links planted in a repository never make rpmvet write outside it:
# links at the temporary names of repodata/ are not followed, and a repository
# whose own entries (directories, database, policy, locks) are links, or are
# not the caller's, or are writable by others, is refused before anything is
# written (exit 3, the path and the problem named).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

HELLO="$FX/srpms/rsa.src.rpm"
FXLIB="$FX/rpms/fxlib-1.0-1.noarch.rpm"
new_repo "$T/base" && "$RPMVET" admit --repo "$T/base" "$HELLO" >/dev/null ||
	{ echo "Bail out! cannot make the repository"; exit 1; }
O="$T/outside"
mkdir "$O"
# a fresh copy of the base repository for each attack, and a fresh outside
fresh() { # NAME
	R="$T/$1"
	rm -rf "$O" && mkdir "$O" && echo precious > "$O/victim" && echo precious > "$O/victim2" &&
		cp -a "$T/base" "$R" || { echo "Bail out! cannot copy the repository"; exit 1; }
}
outside_is() { # DESC: $O holds exactly the two untouched victims
	is "$(cd "$O" && for f in $(ls -A | LC_ALL=C sort); do printf '%s:%s ' "$f" "$(cat "$f" 2>/dev/null)"; done)" \
		"victim:precious victim2:precious " "$1"
}
# refused CMD...: run it, exit 3, the message names the entry and the problem, nothing changed
refused() { # WHAT PROBLEM DESC CMD...
	_what=$1 _why=$2 _desc=$3
	shift 3
	_before=$(state "$R")
	run "$@"
	is_rc 3 "$_desc: refused"
	err_has "rpmvet: error: repository '$R': '$_what' $_why" "$_desc: says '$_what' $_why"
	out_empty "$_desc: no report"
	is "$(state "$R")" "$_before" "$_desc: the repository is unchanged"
}

# ---- links at repodata/'s working names are not followed ----
fresh md-names
for f in primary filelists other; do ln -s "$O/victim" "$R/repodata/$f.xml.gz"; done
ln -s "$O/victim2" "$R/repodata/repomd.xml.tmp"
ln -s "$O/new" "$R/repodata/repomd.xml.new"
run rpmvet admit --repo "$R" "$FXLIB"
is_rc 0 "admit with links planted at repodata/'s working names"
outside_is "the files they point at are untouched, nothing is created outside"
[ ! -L "$R/repodata/repomd.xml" ] && [ -f "$R/repodata/repomd.xml" ]; ok $? "repomd.xml is a regular file, not the planted link"
run rpmvet repo check --repo "$R"
is_rc 0 "the repository is consistent"
is "$(ls -A "$R/repodata" | grep -c -v -- '-\(primary\|filelists\|other\)\.xml\.gz$')" 1 "repodata/ holds only repomd.xml and the files it names (the planted links are gone)"

# ---- a repository whose own entries are links is refused ----
fresh pkg-link
mv "$R/Packages" "$O/Packages" && ln -s "$O/Packages" "$R/Packages"
refused "$R/Packages" "is a symbolic link" "admit into a repository whose Packages/ is a link" \
	"$RPMVET" admit --repo "$R" "$FXLIB"
is "$(ls "$O/Packages")" "hello-1.0-1.src.rpm" "nothing was placed where it points"

fresh quarantine-link
mkdir "$O/q" && ln -s "$O/q" "$R/quarantine"
cp "$FXLIB" "$R/Packages/stray.rpm"
refused "$R/quarantine" "is a symbolic link" "repo check --repair with quarantine/ a link" \
	"$RPMVET" repo check --repo "$R" --repair
[ -z "$(ls -A "$O/q")" ] && [ -f "$R/Packages/stray.rpm" ]; ok $? "the stray file stays in Packages/, nothing moved outside"

fresh incoming-link
rm -rf "$R/.incoming" && ln -s "$O" "$R/.incoming"
refused "$R/.incoming" "is a symbolic link" "repo check --repair with .incoming/ a link" \
	"$RPMVET" repo check --repo "$R" --repair
outside_is "no file where .incoming/ points was removed"
refused "$R/.incoming" "is a symbolic link" "admit with .incoming/ a link" \
	"$RPMVET" admit --repo "$R" "$FXLIB"
outside_is "no copy was staged where .incoming/ points"

for lock in .lock .stage-lock; do
	fresh "dangling$lock"
	rm -f "$R/$lock" && ln -s "$O/made-by-rpmvet" "$R/$lock"
	refused "$R/$lock" "is a symbolic link" "admit with a dangling $lock link" \
		"$RPMVET" admit --repo "$R" "$FXLIB"
	outside_is "$lock: nothing is created where it points"
done

fresh db-link
mv "$R/rpmvet.db" "$O/rpmvet.db" && ln -s "$O/rpmvet.db" "$R/rpmvet.db"
dbsum=$(sha "$O/rpmvet.db")
refused "$R/rpmvet.db" "is a symbolic link" "admit with rpmvet.db a link" \
	"$RPMVET" admit --repo "$R" "$FXLIB"
is "$(ls -A "$O" | tr '\n' ' ')" "rpmvet.db victim victim2 " "no -wal or -shm is created next to the database it points at"
is "$(sha "$O/rpmvet.db")" "$dbsum" "and that database is unchanged"
refused "$R/rpmvet.db" "is a symbolic link" "list (a reader) with rpmvet.db a link" \
	"$RPMVET" list --repo "$R"

fresh wal-link
ln -s "$O/wal" "$R/rpmvet.db-wal"
refused "$R/rpmvet.db-wal" "is a symbolic link" "admit with a dangling rpmvet.db-wal link" \
	"$RPMVET" admit --repo "$R" "$FXLIB"
outside_is "rpmvet.db-wal: nothing is created where it points"

fresh policy-link
mv "$R/policy.yaml" "$O/policy.yaml" && ln -s "$O/policy.yaml" "$R/policy.yaml"
refused "$R/policy.yaml" "is a symbolic link" "admit with policy.yaml a link" \
	"$RPMVET" admit --repo "$R" "$FXLIB"

fresh root-real
ln -s "$R" "$T/root-link"
R="$T/root-link"
refused "$T/root-link" "is a symbolic link" "a repository given by a link to it" \
	"$RPMVET" admit --repo "$R" "$FXLIB"

fresh quarantine-file
: > "$R/quarantine"
refused "$R/quarantine" "is not a directory" "quarantine a regular file" \
	"$RPMVET" repo check --repo "$R" --repair

fresh open-repodata
chmod o+w "$R/repodata"
refused "$R/repodata" "is writable by others (mode 0757)" "repodata/ writable by others" \
	"$RPMVET" admit --repo "$R" "$FXLIB"

if [ "$(id -u)" = 0 ]; then
	fresh foreign
	chown 65534 "$R/Packages"
	refused "$R/Packages" "is owned by uid 65534, not by the caller (uid 0) or root" "Packages/ owned by another user" \
		"$RPMVET" admit --repo "$R" "$FXLIB"
	chown 65534 "$R/rpmvet.db"
	chown 0 "$R/Packages"
	refused "$R/rpmvet.db" "is owned by uid 65534, not by the caller (uid 0) or root" "rpmvet.db owned by another user" \
		"$RPMVET" repo check --repo "$R" --repair
else
	echo "# skipped the foreign-owner cases: not running as root"
fi

# ---- init refuses an empty directory reached through a link ----
mkdir "$T/empty" && ln -s "$T/empty" "$T/empty-link"
run rpmvet init "$T/empty-link"
is_rc 3 "init through a link to an empty directory: refused"
err_has "rpmvet: error: repository '$T/empty-link': '$T/empty-link' is a symbolic link" "says it is a link"
[ -z "$(ls -A "$T/empty")" ]; ok $? "nothing is created where it points"

done_testing
