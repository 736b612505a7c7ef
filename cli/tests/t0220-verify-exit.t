#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet verify exit codes (0, 1, 3; never wrapping), hostile file names, empty store.
. "$(dirname "$0")/lib.sh"
need_fixtures

S="$T/store"
make_store "$S" rsa ed25519 || { echo "Bail out! cannot make the store"; exit 1; }
P="$FX/srpms/rsa.src.rpm"; U="$FX/srpms/unsigned.src.rpm"

run rpmvet verify --keys "$S" "$P" "$FX/srpms/ed25519.src.rpm"
is_rc 0 "all pass"
err_empty "nothing on stderr when all pass"

run rpmvet verify --keys "$S" "$P" "$U"
is_rc 1 "one rejected"

run rpmvet verify --keys "$S" "$P" "$T/missing.rpm" "$U"
is_rc 3 "a missing package: the run could not complete"
out_has "ERROR   $T/missing.rpm" "the missing package is reported"
out_has "io.open: cannot open '$T/missing.rpm': No such file or directory" "with the reason"
out_has "REJECT  $U" "the other packages are still checked"
err_has "1 of 3 package(s) could not be checked" "stderr says so"

# a directory is a batch of its *.rpm (t0920): an empty one is a usage error
mkdir "$T/adir"
run rpmvet verify --keys "$S" --format json "$T/adir"
is_rc 2 "a directory without packages"
err_has "no packages in '$T/adir'" "says the directory holds no packages"

chmod 000 "$T/adir"
if [ "$(id -u)" != 0 ]; then
	cp "$P" "$T/unreadable.rpm"; chmod 000 "$T/unreadable.rpm"
	run rpmvet verify --keys "$S" "$T/unreadable.rpm"
	is_rc 3 "an unreadable package"
fi
chmod 755 "$T/adir"

# 300 rejected packages still exit 1: the code never wraps
set --
i=0; while [ $i -lt 300 ]; do set -- "$@" "$U"; i=$((i + 1)); done
run rpmvet verify --keys "$S" --format json "$@"
is_rc 1 "300 rejected packages exit 1"
jq_is '.summary.rejected' 300 "all 300 counted"

# hostile file names: newlines, shell syntax, long names
H="$T/evil
name \$(touch pwned);.src.rpm"
cp "$P" "$H"
run rpmvet verify --keys "$S" "$H"
is_rc 0 "a package with a newline in its name verifies"
is "$(wc -l < "$T/out")" 2 "the name cannot break the one-line-per-package output"
out_has 'evil\x0aname $(touch' "the newline is escaped"
[ ! -e "$T/pwned" ] && [ ! -e pwned ]; ok $? "nothing in the name was executed"
run rpmvet verify --keys "$S" --format json "$H"
jq_is '.packages[0].path' "$H" "JSON carries the exact name"
B="$T/ctl$(printf '\001')and$(printf '\377')bad-utf8.rpm"
cp "$P" "$B"
run rpmvet verify --keys "$S" --format junit "$B" "$T/gone$(printf '\377')"
is_rc 3 "junit with hostile names and a missing package"
xmllint --noout "$T/out" 2>/dev/null; ok $? "JUnit stays well-formed with control characters and invalid UTF-8 in names"
is "$(xmllint --xpath 'count(//testcase)' "$T/out")" 2 "both packages are testcases"
run rpmvet verify --keys "$S" --format json "$B" "$T/gone$(printf '\377')"
jq -e . "$T/out" >/dev/null 2>&1; ok $? "JSON stays valid with invalid UTF-8 in names"
jq_is '.packages[0].path' "$T/ctl$(printf '\001')and\\xffbad-utf8.rpm" "a control character is kept, an invalid byte escaped"
jq_is '.packages[1].path' "$T/gone\\xff" "the missing package keeps its (escaped) name"
long="$T/$(printf 'a%.0s' $(seq 1 250)).rpm"
cp "$P" "$long"
run rpmvet verify --keys "$S" "$long"
is_rc 0 "a 250-character file name"

# an empty trust store rejects every signed package, and says why
mkdir "$T/emptystore"
run rpmvet verify --keys "$T/emptystore" "$P"
is_rc 1 "empty store rejects"
err_has "the trust store '$T/emptystore' holds no keys" "warns about the empty store"
out_has "signature.nokey" "the package is signed by an unknown key"
run rpmvet -q verify --keys "$T/emptystore" "$P"
err_empty "-q silences the warning"

# file names that look like options are never options
mkdir "$T/in" && cp "$U" "$T/in/unsigned.src.rpm" && : > "$T/in/-h.rpm" && cp "$P" "$T/in/--at=1577880000"
run sh -c "cd '$T/in' && '$RPMVET' verify --keys '$S' *"
is_rc 2 "a package named -h.rpm cannot turn a run into help and exit 0"
err_has "--help takes no other arguments" "says why"
run sh -c "cd '$T/in' && '$RPMVET' verify --keys '$S' -- *"
is_rc 1 "after --, '-h.rpm' and '--at=...' are packages"
out_has "REJECT  -h.rpm" "the empty '-h.rpm' is rejected as a package"
out_has "PASS    --at=1577880000" "'--at=...' is verified as a package"
run sh -c "cd '$T/in' && '$RPMVET' verify --keys '$S' unsigned.src.rpm -h.rpm"
is_rc 1 "a name like an option after the first package is a package"
run rpmvet verify --keys "$S" --keys "$T/evil" "$P"
is_rc 2 "an option given twice is refused"
err_has "option --keys is given more than once" "says so"

# --at: judge expiry at a past instant, when the expired key was valid
make_store "$T/exp" expired
run rpmvet verify --keys "$T/exp" "$FX/srpms/expiredkey.src.rpm"
is_rc 1 "expired key rejected now"
out_has "key.expired: signing key $(fpr_of expired) expired on 2020-01-02" "names the key and the date"
run rpmvet verify --keys "$T/exp" --at 1577880000 "$FX/srpms/expiredkey.src.rpm"
is_rc 0 "accepted at 2020-01-01T12:00Z, when the key was valid"

done_testing
