#!/bin/sh
# SPDX-License-Identifier: MIT
# key add/remove --repo: a repository's keys change only together with their
# event.  Exactly one event per key; an add whose event cannot be recorded
# writes no key, a remove whose event cannot be recorded keeps the key; a key
# planted in keys/ behind rpmvet's back is found by repo check; --keys on a
# repository's keys/ is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

R="$T/repo"
db="$R/rpmvet.db"
write_policy "$T/policy.yaml"
rpmvet init "$R" --policy "$T/policy.yaml" >/dev/null || { echo "Bail out! cannot make the repository"; exit 1; }
RSA=$(fpr_of rsa)
ED=$(fpr_of ed25519)
events() { sqlite3 "$db" "SELECT group_concat(kind || ' ' || subject, ', ') FROM (SELECT kind, subject FROM events WHERE kind LIKE 'key-%' ORDER BY id)"; }
nevents() { sqlite3 "$db" 'SELECT count(*) FROM events'; }

# ---- one event per key ----
run rpmvet key add --repo "$R" "$FX/keys/rsa.asc"
is_rc 0 "key add --repo"
is "$(cat "$T/out")" "added $RSA  Fixture RSA <rsa@fixture.test>" "names the key added"
is "$(events)" "key-add $RSA" "exactly one key-add event, for its fingerprint"
run rpmvet key remove --repo "$R" "$RSA"
is_rc 0 "key remove --repo"
is "$(cat "$T/out")" "removed $RSA" "names the key removed"
is "$(events)" "key-add $RSA, key-remove $RSA" "exactly one key-remove event"
[ ! -e "$R/keys/$RSA.asc" ]; ok $? "the key file is gone"
run rpmvet key remove --repo "$R" "$(printf %s "$ED" | tr A-F a-f)"
is_rc 3 "removing a key that is not there"
err_has "no key $(printf %s "$ED" | tr A-F a-f) in the trust store '$R'" "says so"
is "$(events)" "key-add $RSA, key-remove $RSA" "and records nothing"

# ---- a bad file: no key, no event ----
printf 'not a key\n' > "$T/garbage.asc"
N=$(nevents)
run rpmvet key add --repo "$R" "$FX/keys/ed25519.asc" "$T/garbage.asc"
is_rc 2 "a bad key file among good ones"
is "$(nevents)" "$N" "records no event"
[ -z "$(ls -A "$R/keys")" ]; ok $? "and writes no key, not even the good one"

# ---- the event cannot be recorded: no key is trusted ----
sqlite3 "$db" "CREATE TRIGGER no_key_events BEFORE INSERT ON events WHEN NEW.kind LIKE 'key-%' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
run rpmvet key add --repo "$R" "$FX/keys/ed25519.asc"
is_rc 3 "key add whose event cannot be recorded fails"
err_has "injected failure" "with the database's reason"
out_empty "and says nothing was added"
[ -z "$(ls -A "$R/keys")" ]; ok $? "no key file is written, no hidden one left"
run rpmvet key list --repo "$R"
is "$(cat "$T/out")" "" "the key is not trusted"
sqlite3 "$db" "DROP TRIGGER no_key_events"
run rpmvet key add --repo "$R" "$FX/keys/ed25519.asc"
is_rc 0 "the same add once events can be recorded"
is "$(events)" "key-add $RSA, key-remove $RSA, key-add $ED" "one key-add for it"

# ---- a remove whose event cannot be recorded keeps the key ----
sqlite3 "$db" "CREATE TRIGGER no_key_events BEFORE INSERT ON events WHEN NEW.kind LIKE 'key-%' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
cp "$R/keys/$ED.asc" "$T/before.asc"
run rpmvet key remove --repo "$R" "$ED"
is_rc 3 "key remove whose event cannot be recorded fails"
err_has "injected failure" "with the database's reason"
cmp -s "$R/keys/$ED.asc" "$T/before.asc"; ok $? "the key is back, byte for byte"
is "$(ls -A "$R/keys")" "$ED.asc" "nothing else left in keys/"
sqlite3 "$db" "DROP TRIGGER no_key_events"
is "$(events)" "key-add $RSA, key-remove $RSA, key-add $ED" "no event recorded"

# ---- a key planted behind rpmvet's back ----
run rpmvet repo check --repo "$R"
is_rc 0 "repo check: every trusted key has its event"
run rpmvet key add --keys "$R/keys" "$FX/keys/rsa.asc"
is_rc 2 "key add --keys on a repository's keys/ is refused"
err_has "is the trust store of a repository: change it with --repo" "and says to use --repo"
[ ! -e "$R/keys/$RSA.asc" ]; ok $? "nothing written"
make_store "$T/side" rsa
cp "$T/side/$RSA.asc" "$R/keys/"
run rpmvet repo check --repo "$R"
is_rc 1 "repo check finds a trusted key without its event"
out_has "keys/$RSA.asc is trusted, but no key-add event records it" "and names it"
out_lacks "$ED" "the recorded key is not named"
run rpmvet key remove --repo "$R" "$RSA"
is_rc 0 "removing the planted key"
run rpmvet repo check --repo "$R"
is_rc 0 "repo check is clean again"
run rpmvet audit verify --repo "$R"
is_rc 0 "the event log is intact through all of it"

done_testing
