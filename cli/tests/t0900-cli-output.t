#!/bin/sh
# SPDX-License-Identifier: MIT
# Output that cannot be written: every command that prints exits 3 with
# "cannot write the output: <reason>" on a full disk (> /dev/full); a reader that
# goes away (| head -1) ends the run with exit 3 too, silently, never SIGPIPE (141).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
[ -w /dev/full ] || skip_all "no /dev/full"

export XDG_CACHE_HOME="$T/cache"
R="$T/repo"
HELLO="$FX/srpms/rsa.src.rpm"
make_store "$T/ks" rsa || { echo "Bail out! cannot make the trust store"; exit 1; }
new_repo "$R" && rpmvet admit --repo "$R" "$HELLO" >/dev/null ||
	{ echo "Bail out! cannot make the test repository"; exit 1; }

# full CMD...: run with stdout on /dev/full
full() { "$@" >/dev/full 2>"$T/err"; rc=$?; rm -f "$T/out"; }
for cmd in "verify --keys $T/ks $HELLO" \
	   "verify --keys $T/ks --format json $HELLO" \
	   "verify --keys $T/ks --format junit $HELLO" \
	   "verify --repo $R $HELLO" \
	   "admit --repo $R --dry-run $HELLO" \
	   "admit --repo $R --format json $HELLO" \
	   "license check MIT" \
	   "license check --format json MIT" \
	   "list --repo $R" \
	   "list --repo $R --format json" \
	   "show --repo $R hello-1.0-1.src" \
	   "history --repo $R hello" \
	   "query --repo $R --license MIT" \
	   "audit verify --repo $R" \
	   "repo check --repo $R" \
	   "key list --keys $T/ks" \
	   "key list --keys $T/ks --format json" \
	   "closure --upstream $FX/upstream $FX/buildreq/hello-br-1.0-1.src.rpm" \
	   "closure --upstream $FX/upstream --format json $FX/buildreq/hello-br-1.0-1.src.rpm" \
	   "repo closure --upstream $FX/upstream" \
	   "--help" "--version" "version" "verify --help" "list --help"; do
	# shellcheck disable=SC2086 # the words of $cmd are its arguments
	full rpmvet $cmd
	name=$(printf '%s' "$cmd" | sed "s|$T/||g; s|$FX/||g")
	is_rc 3 "$name > /dev/full"
	err_has "rpmvet: error: cannot write the output: No space left on device" "$name > /dev/full: says why"
	is "$(grep -c 'cannot write' "$T/err")" 1 "$name > /dev/full: says it once"
done

# the repository is unchanged by the failed outputs: the dry run and the
# re-admission of the identical file added events only, as they always do
run rpmvet audit verify --repo "$R"
is_rc 0 "the event log is intact after the failed outputs"
run rpmvet list --repo "$R" --format json
jq_is '[.packages[].nevra] | join(" ")' "hello-1.0-1.src" "the repository still holds its one package"

# head CMD...: stdout to `head -1`, the exit code of CMD in $rc
head1() { { "$@" 2>"$T/err"; echo $? >"$T/rc"; } | head -1 >"$T/out"; rc=$(cat "$T/rc"); }

# an output far beyond a pipe's buffer: the reader leaves after one line
awk 'BEGIN { for (i = 0; i < 20000; i++) print "MIT" }' >"$T/exprs"
head1 rpmvet license check --policy "$T/policy.yaml" - <"$T/exprs"
is_rc 3 "license check | head -1: exit 3, not SIGPIPE"
err_empty "license check | head -1: a reader that went away is not an error message"
is "$(cat "$T/out")" "PASS    MIT" "license check | head -1: the first line came through"

set --
i=0
while [ $i -lt 200 ]; do set -- "$@" "$HELLO"; i=$((i + 1)); done
head1 rpmvet verify --keys "$T/ks" --format json "$@"
is_rc 3 "verify --format json (200 packages) | head -1: exit 3"
err_empty "verify | head -1: silent"
is "$(cat "$T/out")" "{" "verify | head -1: the first line came through"

# an output that fits in the pipe is written whole before head leaves: the
# command's own exit code stands
head1 rpmvet audit verify --repo "$R"
is_rc 0 "audit verify | head -1 (one line)"
head1 rpmvet --help
is_rc 0 "--help | head -1"
is "$(cat "$T/out")" "usage: rpmvet [-q | -v...] COMMAND [ARGS]" "--help | head -1: the usage line"

# stdout closed: the same error, another reason
rpmvet --version >&- 2>"$T/err"; rc=$?
is_rc 3 "--version with stdout closed"
err_has "cannot write the output: Bad file descriptor" "says stdout is closed"

# help documents exit 3 for an output that could not be written
run rpmvet --help
out_has "could not be written" "--help documents exit 3 for output"

done_testing
