#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile header sizes: a signature header over 4 MiB or a main header over
# 32 MiB is rejected (package.header-too-large) from the sizes its intro
# claims, before anything is read, whether or not the bytes are there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

DATA="$(dirname "$0")/data"
S="$T/store"
make_store "$S" rsa || { echo "Bail out! cannot make the store"; exit 1; }
P="$FX/srpms/rsa.src.rpm"
MiB=1048576
bloat() { perl "$DATA/rpm-bloat.pl" "$P" "$T/$1" "$2" "$3" ${4:-}; }
bloat sig5.src.rpm sig $((5 * MiB))             # the bytes are there (a sparse hole)
bloat sig60.src.rpm sig $((60 * MiB)) claim      # what the 64 MiB-per-header attack claims
bloat sig3.src.rpm sig $((3 * MiB))              # under the cap: librpm's to judge
bloat main40.src.rpm main $((40 * MiB))
bloat main200.src.rpm main $((200 * MiB)) claim
bloat main30.src.rpm main $((30 * MiB))

run rpmvet verify --keys "$S" "$T/sig5.src.rpm"
is_rc 1 "a 5 MiB signature header is rejected"
out_has "error   package.header-too-large: the signature header claims" \
	"the finding names the signature header"
out_has "more than the 4 MiB rpmvet reads" "and the bound"
err_empty "nothing on stderr"

run rpmvet verify --keys "$S" --format json "$T/sig60.src.rpm"
is_rc 1 "a signature header claiming 60 MiB is rejected"
jq_is '.packages[0].findings | map(select(.severity == "error")) | map(.code) | join(",")' \
	"package.header-too-large" "package.header-too-large is its only error"
jq_is '.packages[0].nevra' null "no header was read"

run rpmvet verify --keys "$S" "$T/sig3.src.rpm"
is_rc 1 "a 3 MiB signature header of junk is still rejected"
out_lacks "header-too-large" "but not for its size"

run rpmvet verify --keys "$S" "$T/main40.src.rpm"
is_rc 1 "a 40 MiB main header is rejected"
out_has "error   package.header-too-large: the main header claims" "the finding names the main header"
out_has "more than the 32 MiB rpmvet reads" "and the bound"

run rpmvet verify --keys "$S" --format json "$T/main200.src.rpm"
is_rc 1 "a main header claiming 200 MiB (in a small file) is rejected"
jq_is '.packages[0].findings | map(select(.severity == "error")) | map(.code) | join(",")' \
	"package.header-too-large" "for its size, not as truncated"

run rpmvet verify --keys "$S" "$T/main30.src.rpm"
is_rc 1 "a 30 MiB main header of junk is still rejected"
out_lacks "header-too-large" "but not for its size"

run rpmvet verify --keys "$S" --jobs 2 "$P" "$T/sig60.src.rpm" "$T/main200.src.rpm"
is_rc 1 "a good package beside two hostile ones: exit 1"
out_has "PASS    $P  hello-1.0-1.src" "the good one still passes"
out_has "3 package(s): 1 passed, 2 rejected" "the two hostile ones are rejected"

# admission: rejected, the repository as it was
R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the repository"; exit 1; }
before=$(packages_state "$R")
run rpmvet admit --repo "$R" "$T/sig60.src.rpm" "$T/main200.src.rpm"
is_rc 1 "admit rejects both"
out_has "package.header-too-large" "naming the finding"
is "$(packages_state "$R")" "$before" "Packages/ and repodata unchanged"
is "$(sqlite3 "$R/rpmvet.db" 'select count(*) from packages')" 0 "nothing recorded as admitted"

done_testing
