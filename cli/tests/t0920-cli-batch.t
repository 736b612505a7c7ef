#!/bin/sh
# SPDX-License-Identifier: MIT
# Batches: verify and admit take directories (every *.rpm inside, hidden names
# excepted, sorted bytewise, not recursive) and '-' (one path a line on stdin);
# the output order is the expanded order. Hostile batches: FIFOs, subdirectories,
# symlinks, newlines in names, empty lines, '-' twice, no packages.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

export XDG_CACHE_HOME="$T/cache"
HELLO="$FX/srpms/rsa.src.rpm"
FXLIB="$FX/rpms/fxlib-1.0-1.noarch.rpm"
FXTOOL="$FX/rpms/fxtool-2.1-3.noarch.rpm"
make_store "$T/ks" rsa || { echo "Bail out! cannot make the trust store"; exit 1; }
paths() { jq -r '[.packages[].path] | join(" ")' "$T/out"; }

# ---- a directory: its *.rpm, sorted bytewise, nothing else
D="$T/batch"
mkdir -p "$D/sub"
for n in b.src.rpm a.src.rpm B.src.rpm _x.rpm sub/inner.rpm; do cp "$HELLO" "$D/$n"; done
cp "$HELLO" "$D/.hidden.rpm"
cp "$HELLO" "$D/notes.rpm.txt"
echo readme >"$D/README"
ln -s "$HELLO" "$D/link.rpm"
run rpmvet verify --keys "$T/ks" --format json "$D"
is_rc 0 "verify DIR: every package passes"
is "$(paths)" "$D/B.src.rpm $D/_x.rpm $D/a.src.rpm $D/b.src.rpm $D/link.rpm" \
	"verify DIR: its *.rpm sorted bytewise, symlinks followed; no hidden, other or nested files"
run rpmvet verify --keys "$T/ks" --format json --jobs 3 "$D/"
is "$(paths)" "$D/B.src.rpm $D/_x.rpm $D/a.src.rpm $D/b.src.rpm $D/link.rpm" "verify DIR/ --jobs 3: the same order, no double slash"
run rpmvet verify --keys "$T/ks" --format json "$FXLIB" "$D/sub" "$HELLO"
is "$(paths)" "$FXLIB $D/sub/inner.rpm $HELLO" "operands keep their order, a directory expands in its place"

# a name holding a newline comes through a directory (never through '-')
NL="$T/nl"
mkdir "$NL"
cp "$HELLO" "$NL/new
line.src.rpm"
run rpmvet verify --keys "$T/ks" "$NL"
is_rc 0 "a package whose name holds a newline"
out_has "PASS    $NL/new\x0aline.src.rpm" "its name is printed escaped"
run rpmvet verify --keys "$T/ks" --format json "$NL"
jq_is '.packages[0].path | test("new\nline")' true "JSON carries the name with its newline"

# ---- hostile directories: refused before any work (exit 2), never a hang
mkdir "$T/withdir" "$T/withdir/d.rpm" && cp "$HELLO" "$T/withdir/a.rpm"
run rpmvet verify --keys "$T/ks" "$T/withdir"
is_rc 2 "a directory named *.rpm in a batch"
err_has "'$T/withdir/d.rpm' in the batch '$T/withdir' is not a regular file" "names it"
out_empty "nothing verified"
mkdir "$T/withfifo" && mkfifo "$T/withfifo/f.rpm" && cp "$HELLO" "$T/withfifo/a.rpm"
run rpmvet verify --keys "$T/ks" "$T/withfifo"
is_rc 2 "a FIFO named *.rpm in a batch: refused, not opened"
err_has "'$T/withfifo/f.rpm' in the batch '$T/withfifo' is not a regular file" "names the FIFO"
mkdir "$T/dangling" && ln -s "$T/nowhere.rpm" "$T/dangling/gone.rpm" && cp "$HELLO" "$T/dangling/a.rpm"
run rpmvet verify --keys "$T/ks" --format json "$T/dangling"
is_rc 3 "a dangling symlink in a batch is a missing package"
is "$(paths)" "$T/dangling/a.rpm $T/dangling/gone.rpm" "both are reported, in order"
jq_is '.packages[1].findings[0].code' io.open "the missing one: io.open"
mkdir "$T/empty" "$T/norpm" && echo x >"$T/norpm/x.txt" && cp "$HELLO" "$T/norpm/.h.rpm"
for d in empty norpm; do
	run rpmvet verify --keys "$T/ks" "$T/$d"
	is_rc 2 "a directory without packages ($d)"
	err_has "no packages in '$T/$d'" "says so ($d)"
done
mkdir "$T/ctl" "$T/ctl/x
y.rpm"
run rpmvet verify --keys "$T/ks" "$T/ctl"
is_rc 2 "a hostile subdirectory name"
err_has "'$T/ctl/x\x0ay.rpm' in the batch" "is escaped in the message"

# ---- '-': one path a line on stdin
printf '%s\n\n%s\n\n' "$FXTOOL" "$HELLO" >"$T/list"
run sh -c "'$RPMVET' verify --keys '$T/ks' --format json - <'$T/list'"
is_rc 0 "verify -: paths from stdin"
is "$(paths)" "$FXTOOL $HELLO" "stdin order, empty lines skipped"
run sh -c "printf '%s\n' '$D/sub' | '$RPMVET' verify --keys '$T/ks' --format json '$FXLIB' - '$HELLO'"
is "$(paths)" "$FXLIB $D/sub/inner.rpm $HELLO" "'-' in its place among operands; a directory on stdin expands"
printf '%s' "$HELLO" | { run rpmvet verify --keys "$T/ks" --format json -; }
is "$(paths)" "$HELLO" "a last line without a newline"
run sh -c "'$RPMVET' verify --keys '$T/ks' - - </dev/null"
is_rc 2 "'-' twice"
err_has "'-' is given more than once (stdin is read once)" "says stdin is read once"
run sh -c "printf '\n\n' | '$RPMVET' verify --keys '$T/ks' -"
is_rc 2 "nothing on stdin but empty lines"
err_has "no packages on stdin" "says so"
run sh -c "printf 'a\0b\n' | '$RPMVET' verify --keys '$T/ks' -"
is_rc 2 "a NUL byte on stdin"
err_has "line 1 of stdin holds a NUL byte" "names the line"
run rpmvet verify --keys "$T/ks" -- ./-
is_rc 3 "a file named '-' is ./-"
out_has "./-" "and is verified as a package"

# ---- admit DIR and admit -
R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the test repository"; exit 1; }
events() { sqlite3 "$R/rpmvet.db" 'SELECT count(*) FROM events'; }
n0=$(events)
run rpmvet admit --repo "$R" "$T/withfifo"
is_rc 2 "admit of a batch holding a FIFO"
is "$(events)" "$n0" "no event recorded"
is "$(ls "$R/Packages")" "" "nothing placed"
mkdir "$T/adm" && cp "$FXTOOL" "$FXLIB" "$T/adm/"
run rpmvet admit --repo "$R" --format json "$T/adm"
is_rc 0 "admit DIR"
is "$(paths)" "$T/adm/fxlib-1.0-1.noarch.rpm $T/adm/fxtool-2.1-3.noarch.rpm" "admitted in sorted order"
run sh -c "echo '$HELLO' | '$RPMVET' admit --repo '$R' --dry-run -"
is_rc 0 "admit --dry-run -"
out_has "$HELLO" "the stdin package was judged"
run sh -c "echo '$HELLO' | '$RPMVET' admit --repo '$R' -"
is_rc 0 "admit -"
is "$("$RPMVET" list --repo "$R" --format json | jq -r '[.packages[].nevra] | sort | join(" ")')" \
	"fxlib-1.0-1.noarch fxtool-2.1-3.noarch hello-1.0-1.src" "the repository holds the three"
run rpmvet admit --repo "$R" - -
is_rc 2 "admit: '-' twice"

run rpmvet verify --help
out_has "PKG|DIR|-" "verify --help: packages, directories, '-'"
run rpmvet admit --help
out_has "PKG|DIR|-" "admit --help: packages, directories, '-'"

done_testing
