#!/bin/sh
# SPDX-License-Identifier: MIT
# One TIME syntax for every TIME option (verify --at, license check --at, list --at,
# query --since/--until): 2026-05-01 (the end of that day, UTC; the start of it for
# --since), 2026-05-01T12:00:00Z, or seconds since 1970. A bad TIME is exit 2 naming
# the option.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

# ---- verify --at: the expired fixture key was made 2020-01-01T00:00Z, valid one day,
# and signed expiredkey.src.rpm at 2020-01-01T12:00Z
make_store "$T/exp" expired || { echo "Bail out! cannot make the trust store"; exit 1; }
EXP="$FX/srpms/expiredkey.src.rpm"
for at in 2020-01-01 2020-01-01T12:00:00Z 2020-01-01T23:59:59Z 1577880000; do
	run rpmvet verify --keys "$T/exp" --at "$at" "$EXP"
	is_rc 0 "verify --at $at: the key was valid then"
done
for at in 2020-01-02 2020-01-02T00:00:01Z 1577923201; do
	run rpmvet verify --keys "$T/exp" --at "$at" "$EXP"
	is_rc 1 "verify --at $at: the key had expired"
	out_has "key.expired" "verify --at $at: says key.expired"
done

# ---- license check --at: an exception that applies through 2027-06-30 (UTC)
cat >"$T/lic.yaml" <<'YAML'
version: 1
licenses:
  accept: [allowed]
  categories:
    SSPL-1.0: not-allowed
  exceptions:
    - package: "legacy-*"
      license: SSPL-1.0
      reason: "ticket 1"
      expires: 2027-06-30
YAML
lic() { run rpmvet license check --policy "$T/lic.yaml" --package legacy-x --at "$1" SSPL-1.0; }
for at in 2027-06-30 2027-06-30T23:59:59Z 1814399999; do
	lic "$at"
	is_rc 0 "license check --at $at: the exception applies"
done
for at in 2027-07-01 2027-07-01T00:00:00Z 1814400000; do
	lic "$at"
	is_rc 1 "license check --at $at: the exception has expired"
	out_has "license.exception-expired" "license check --at $at: says so"
done

# ---- list --at, query --since / --until: the day of the admission
R="$T/repo"
new_repo "$R" && rpmvet admit --repo "$R" "$FX/srpms/rsa.src.rpm" >/dev/null ||
	{ echo "Bail out! cannot make the test repository"; exit 1; }
at=$("$RPMVET" list --repo "$R" --format json | jq -r '.packages[0].admitted_at')
day=${at%%T*}
prev=$(date -u -d "$day -1 day" +%F)
next=$(date -u -d "$day +1 day" +%F)
names() { "$RPMVET" "$@" --repo "$R" --format json | jq -r '[.packages[].nevra] | join(" ")'; }
is "$(names list --at "$day")" "hello-1.0-1.src" "list --at the day of the admission: to its end"
is "$(names list --at "$prev")" "" "list --at the day before"
is "$(names list --at "$at")" "hello-1.0-1.src" "list --at the admission's second"
is "$(names query --since "$day")" "hello-1.0-1.src" "query --since the day of the admission: from its start"
is "$(names query --since "$next")" "" "query --since the next day"
is "$(names query --until "$day")" "hello-1.0-1.src" "query --until the day of the admission: to its end"
is "$(names query --until "$prev")" "" "query --until the day before"
is "$(names query --since "$at" --until "$at")" "hello-1.0-1.src" "query --since and --until the admission's second"
is "$(names query --since "$day" --until "$day")" "hello-1.0-1.src" "query --since and --until the same day: the whole day"

# ---- bad TIMEs: exit 2, naming the option, nothing run
mkdir "$T/ks"
for bad in yesterday 2026-02-30 2026-02-29 2026-13-01 2026-5-1 2026-05-01T12:00:00 \
	   2026-05-01T24:00:00Z 2026-05-01T12:00Z 1969-12-31 -1 +5 " 5" 5x 253402300800 ""; do
	for cmd in "verify --keys $T/ks --at" "license check --at" "list --repo $R --at" \
		   "query --repo $R --since" "query --repo $R --until"; do
		opt=${cmd##* }
		# shellcheck disable=SC2086 # the words of $cmd are its arguments
		case $cmd in
		verify*) run rpmvet $cmd "$bad" x.rpm ;;
		license*) run rpmvet $cmd "$bad" MIT ;;
		*) run rpmvet $cmd "$bad" ;;
		esac
		is_rc 2 "${cmd%% *} $opt '$bad' is refused"
		err_has "rpmvet: error: $opt needs a time like 2026-05-01, 2026-05-01T12:00:00Z or seconds since 1970, not '$bad'" \
			"${cmd%% *} $opt '$bad': names the option and the value"
		out_empty "${cmd%% *} $opt '$bad': nothing on stdout"
	done
done
for good in 2028-02-29 2026-05-01T00:00:00Z 0 253402300799; do
	run rpmvet license check --at "$good" SSPL-1.0
	is_rc 1 "license check --at '$good' is a time (SSPL-1.0 is 'not-allowed' by default)"
done

run rpmvet verify --help
out_has "--at TIME" "verify --help: --at takes a TIME"
run rpmvet license --help
out_has "--at TIME" "license --help: --at takes a TIME"

done_testing
