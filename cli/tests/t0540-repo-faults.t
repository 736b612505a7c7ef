#!/bin/sh
# SPDX-License-Identifier: MIT
# Faults during admission: a crash at each step (RPMVET_CRASH_AT, honoured by
# the test build only: $RPMVET_TEST, build/test/rpmvet), kill -9 at random
# instants, a read-only repository, a database locked by another process.
# After any of them, repo check --repair restores agreement without losing an
# admitted package, and no database record lacks its file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
RPMVET_TEST=${RPMVET_TEST:-$TOP/build/test/rpmvet}
[ -x "$RPMVET_TEST" ] || { echo "Bail out! no test build at $RPMVET_TEST (make $TOP/build/test/rpmvet)"; exit 1; }

HELLO="$FX/srpms/rsa.src.rpm"
FXLIB="$FX/rpms/fxlib-1.0-1.noarch.rpm"
write_policy "$T/policy.yaml"
printf 'repo:\n  allow-replace: true\n' | cat "$T/policy.yaml" - > "$T/replace.yaml"

# every package list shows has its file with the recorded sha256, and Packages/ holds nothing else
files_match() { # REPO DESC
	"$RPMVET" list --repo "$1" --format json > "$T/list.json" 2>"$T/list.err" || {
		ok 1 "$2: list failed"; return; }
	_bad=$(jq -r '.packages[] | "\(.sha256)  \(.filename)"' "$T/list.json" | {
		cd "$1/Packages" && while read -r _s _f; do
			[ "$(sha "$_f" 2>/dev/null)" = "$_s" ] || echo "$_f"
		done; })
	_want=$(jq -r '[.packages[].filename] | sort | join(" ")' "$T/list.json")
	_have=$(ls -A "$1/Packages" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
	[ -z "$_bad" ] && [ "$_want" = "$_have" ]
	_report $? "$2" "sha256 mismatches: $_bad" "listed: $_want" "Packages/: $_have"
}
listed() { "$RPMVET" list --repo "$1" --format json | jq -r '[.packages[].nevra] | join(" ")'; }

# ---- the database locked by another process ----
# admit waits for its busy timeout (10 s): started first, checked at the end,
# so the other faults are tested meanwhile
LR="$T/locked"
new_repo "$LR" || { echo "Bail out! cannot make $LR"; exit 1; }
mkfifo "$T/sqlin"
sqlite3 "$LR/rpmvet.db" < "$T/sqlin" > "$T/sqlout" 2>&1 &
sq=$!
exec 3> "$T/sqlin"
printf 'BEGIN EXCLUSIVE;\nSELECT 1;\n' >&3
i=0
while [ "$(cat "$T/sqlout")" != 1 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
is "$(cat "$T/sqlout")" 1 "another process holds an exclusive lock on rpmvet.db"
lbefore=$(state "$LR/Packages")
start=$(date +%s)
"$RPMVET" admit --repo "$LR" "$HELLO" > "$T/lock.out" 2> "$T/lock.err" &
ad=$!
sleep 1
run rpmvet list --repo "$LR"
is_rc 0 "a reader is not blocked meanwhile"
is "$(cat "$T/out")" "0 package(s)" "and sees the repository"

# ---- a crash at each step of an admission ----
for step in copy rename commit repodata; do
	R="$T/crash-$step"
	new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null ||
		{ echo "Bail out! cannot set up $R"; exit 1; }
	run env RPMVET_CRASH_AT=$step "$RPMVET_TEST" admit --repo "$R" "$FXLIB"
	is_rc 99 "$step: the admission dies at the crash point"
	out_empty "$step: no report"
	run rpmvet repo check --repo "$R"
	case $step in
	copy)
		is_rc 1 "$step: repo check finds a problem"
		out_has ".incoming/.incoming." "$step: the leftover staged copy"
		out_has "is a staged copy left by an interrupted admission" "$step: says what it is" ;;
	rename)
		is_rc 1 "$step: repo check finds a problem"
		is "$(head -n 1 "$T/out")" "Packages/fxlib-1.0-1.noarch.rpm is not recorded in the database" "$step: the placed but uncommitted file" ;;
	commit)
		is_rc 1 "$step: repo check finds a problem"
		out_has "repodata revision" "$step: the repodata is stale"
		out_has "does not match the database" "$step: says so" ;;
	repodata)
		is_rc 0 "$step: repo check finds the repository consistent"
		out_has "repository consistent" "$step: says so" ;;
	esac
	run rpmvet repo check --repo "$R" --repair
	is_rc 0 "$step: repo check --repair"
	is "$(tail -n 1 "$T/out")" "repository consistent: database, Packages/ and repodata agree" "$step: consistent after the repair"
	out_lacks "NOT repaired" "$step: nothing left unrepaired"
	run rpmvet repo check --repo "$R"
	is_rc 0 "$step: repo check after the repair"
	run rpmvet audit verify --repo "$R"
	is_rc 0 "$step: audit verify"
	case $step in
	copy | rename) want="hello-1.0-1.src" ;;
	*) want="fxlib-1.0-1.noarch hello-1.0-1.src" ;;
	esac
	is "$(listed "$R")" "$want" "$step: list shows $want"
	files_match "$R" "$step: every listed package has its file, nothing else is in Packages/"
	run rpmvet admit --repo "$R" "$FXLIB"
	is_rc 0 "$step: fxlib can be admitted afterwards"
	files_match "$R" "$step: and then has its file"
	run rpmvet repo check --repo "$R"
	is_rc 0 "$step: consistent"
done
run sqlite3 "$T/crash-commit/rpmvet.db" "SELECT kind || ' ' || json_extract(findings, '\$[0].code') FROM events WHERE kind = 'repair'"
is "$(cat "$T/out")" "repair repo.problem" "the repair is recorded as an event with its findings"

# ---- the release binary has no crash points ----
R="$T/release"
new_repo "$R" || { echo "Bail out! cannot make $R"; exit 1; }
run env RPMVET_CRASH_AT=commit "$RPMVET" admit --repo "$R" "$FXLIB"
is_rc 0 "release binary: RPMVET_CRASH_AT is ignored, the admission completes"
out_has "fxlib-1.0-1.noarch" "release binary: the report names the package"
err_empty "release binary: nothing on stderr"
is "$(listed "$R")" "fxlib-1.0-1.noarch" "release binary: fxlib is admitted"
run rpmvet repo check --repo "$R"
is_rc 0 "release binary: the repository is consistent"

# ---- a crash while replacing an admitted package ----
for step in copy rename commit; do
	R="$T/replace-$step"
	new_repo "$R" "$T/replace.yaml" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null ||
		{ echo "Bail out! cannot set up $R"; exit 1; }
	run env RPMVET_CRASH_AT=$step "$RPMVET_TEST" admit --repo "$R" "$FX/srpms/ed25519.src.rpm"
	is_rc 99 "replace/$step: the replacement dies at the crash point"
	run rpmvet repo check --repo "$R" --repair
	if [ $step = rename ]; then
		ok "$([ "$rc" -eq 0 ]; echo $?)" "replace/$step: repo check --repair restores agreement (exit 0, got $rc)"
		ok "$(! grep -q '^found and repaired: admitted package file' "$T/out"; echo $?)" \
			"replace/$step: a problem the repair cannot fix is not reported (and recorded) as repaired"
		"$RPMVET" list --repo "$R" --format json > "$T/list.json"
		ok "$([ "$(jq -r '.packages[0].sha256' "$T/list.json")" = "$(sha "$R/Packages/hello-1.0-1.src.rpm")" ]; echo $?)" \
			"replace/$step: the admitted hello still has its file with the recorded sha256"
	else
		is_rc 0 "replace/$step: repo check --repair"
		files_match "$R" "replace/$step: every listed package has its file"
	fi
	run rpmvet audit verify --repo "$R"
	is_rc 0 "replace/$step: audit verify"
done

# ---- an interrupted repodata write ----
# createrepo_c writes repodata/primary.xml.gz (etc.) and renames it to its
# checksum name; a writer killed in between leaves the plain name behind
R="$T/md-leftover"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! cannot make $R"; exit 1; }
gzip -c < /dev/null > "$R/repodata/primary.xml.gz"
run rpmvet admit --repo "$R" "$FXLIB"
ok "$([ "$rc" -eq 0 ]; echo $?)" "admit after an interrupted repodata write (exit 0, got $rc: $(cat "$T/err"))"
is "$(listed "$R")" "fxlib-1.0-1.noarch hello-1.0-1.src" "the package is recorded either way"
files_match "$R" "and has its file"
run rpmvet repo check --repo "$R" --repair
ok "$([ "$rc" -eq 0 ]; echo $?)" "repo check --repair removes the leftover and rewrites the repodata (exit 0, got $rc)"
run rpmvet repo check --repo "$R"
ok "$([ "$rc" -eq 0 ]; echo $?)" "consistent afterwards (exit 0, got $rc)"
run rpmvet remove --repo "$R" --reason test hello-1.0-1.src
ok "$([ "$rc" -eq 0 ]; echo $?)" "remove works too (exit 0, got $rc)"

# ---- kill -9 at random instants ----
PKGS="$HELLO $FX/rpms/fxlib-1.0-1.noarch.rpm $FX/rpms/fxtool-2.1-3.noarch.rpm $FX/rpms/fxdata-0.5-1.noarch.rpm"
round=0
for delay in 0.03 0.035 0.04 0.045 0.05 0.055 0.06 0.07 0.08; do
	round=$((round + 1))
	R="$T/kill$round"
	new_repo "$R" || { echo "Bail out! cannot make $R"; exit 1; }
	# shellcheck disable=SC2086 # $PKGS is a list
	"$RPMVET" admit --repo "$R" $PKGS >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	run rpmvet repo check --repo "$R" --repair
	is_rc 0 "kill -9 after ${delay}s: repo check --repair"
	run rpmvet repo check --repo "$R"
	is_rc 0 "kill -9 after ${delay}s: consistent afterwards"
	run rpmvet audit verify --repo "$R"
	is_rc 0 "kill -9 after ${delay}s: the event log is intact"
	files_match "$R" "kill -9 after ${delay}s: every listed package has its file with the recorded sha256"
	echo "# round $round: $(listed "$R" | wc -w) package(s) admitted before the kill"
done

# ---- a read-only repository ----
R="$T/ro"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null || { echo "Bail out! cannot make $R"; exit 1; }
as=""
if [ "$(id -u)" = 0 ]; then
	# root ignores permissions: run as nobody if we can
	if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
		chmod 755 "$T"
		as="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
	fi
fi
if [ "$(id -u)" != 0 ] || [ -n "$as" ]; then
	mkdir -m 755 "$T/in" && cp "$FXLIB" "$T/in/" && chmod 644 "$T/in/"*
	chmod -R a-w "$R"
	before=$(state "$R")
	# shellcheck disable=SC2086 # $as is a command prefix
	run $as "$RPMVET" admit --repo "$R" "$T/in/fxlib-1.0-1.noarch.rpm"
	is_rc 3 "admit into a read-only repository: the run cannot complete"
	err_has "rpmvet: error: " "an error on stderr"
	err_has "readonly" "says the repository is read-only"
	is "$(state "$R")" "$before" "nothing in the repository changed"
	chmod -R u+w "$R"
	run rpmvet repo check --repo "$R"
	is_rc 0 "writable again: consistent"
	is "$(listed "$R")" "hello-1.0-1.src" "only hello is admitted"
else
	echo "# skipped the read-only repository: running as root without setpriv"
fi

# ---- the locked database: the admission started first ----
wait $ad
rc=$?
took=$(($(date +%s) - start))
is_rc 3 "admit gives up on the locked database"
# only a lower bound: it did wait; sqlite counts its sleeps, which a loaded
# machine stretches without limit, so how long it took says nothing more
[ "$took" -ge 9 ]; ok $? "after waiting for its busy timeout of 10 s (took ${took}s)"
grep -q "locked" "$T/lock.err"; ok $? "the message says the database is locked"
grep -q "the database is locked by another process" "$T/lock.err"; ok $? "by another process"
[ ! -s "$T/lock.out" ]; ok $? "no report on stdout"
is "$(state "$LR/Packages")" "$lbefore" "nothing was placed in Packages/ (no incoming file left)"
printf 'COMMIT;\n' >&3
exec 3>&-
wait $sq
run rpmvet admit --repo "$LR" "$HELLO"
is_rc 0 "once the lock is released the admission works"
run rpmvet repo check --repo "$LR"
is_rc 0 "consistent"

done_testing
