#!/bin/sh
# SPDX-License-Identifier: MIT
# A run that could not complete (exit 3: a package could not be read) records
# nothing: no event, no package, not even for the other packages of the run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

HELLO="$FX/srpms/rsa.src.rpm"
FXLIB="$FX/rpms/fxlib-1.0-1.noarch.rpm"
events() { sqlite3 "$1/rpmvet.db" 'SELECT count(*) FROM events'; }
R="$T/repo"
new_repo "$R" && "$RPMVET" admit --repo "$R" "$HELLO" >/dev/null ||
	{ echo "Bail out! cannot make the repository"; exit 1; }
n=$(events "$R")
pk=$(packages_state "$R")

run rpmvet admit --repo "$R" "$T/nonexistent.rpm"
is_rc 3 "admit of a file that does not exist: the run could not complete"
out_has "io.open" "says why"
is "$(events "$R")" "$n" "no event is recorded"

run rpmvet admit --repo "$R" --dry-run "$T/nonexistent.rpm"
is_rc 3 "the same as a dry run"
is "$(events "$R")" "$n" "no event is recorded"

run rpmvet admit --repo "$R" "$FXLIB" "$FX/srpms/unsigned.src.rpm" "$T/nonexistent.rpm"
is_rc 3 "a run with a good, a rejected and an unreadable package"
out_has "warning repo.not-admitted: not admitted: the run could not complete (another package could not be checked), so nothing was recorded" \
	"the good package says it was not admitted, and why"
is "$(events "$R")" "$n" "no event is recorded for any of them"
is "$(packages_state "$R")" "$pk" "nothing is placed, the repodata is unchanged"
run rpmvet list --repo "$R" --format json
jq_is '[.packages[].nevra] | join(" ")' "hello-1.0-1.src" "only hello is admitted"
is "$(ls -A "$R/.incoming")" "" "no staged copy is left behind"

n=$(events "$R")
run rpmvet verify --repo "$R" "$HELLO" "$T/nonexistent.rpm"
is_rc 3 "verify --repo with an unreadable package"
is "$(events "$R")" "$n" "records no verify event either"
run rpmvet verify --repo "$R" "$HELLO"
is_rc 0 "verify --repo of a readable package"
is "$(events "$R")" $((n + 1)) "records its verify event"
n=$(events "$R")

run rpmvet admit --repo "$R" "$FXLIB"
is_rc 0 "the good package alone is admitted"
is "$(events "$R")" $((n + 1)) "with its event"

done_testing
