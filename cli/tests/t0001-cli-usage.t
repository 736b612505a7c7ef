#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet's global usage: commands, help, version, and usage errors (exit 2).
. "$(dirname "$0")/lib.sh"

run rpmvet
is_rc 2 "no command is a usage error"
err_has "rpmvet: error: no command given" "says no command"
err_has "usage: rpmvet" "prints usage on stderr"
out_empty "nothing on stdout"

run rpmvet frobnicate
is_rc 2 "unknown command"
err_has "unknown command 'frobnicate'" "names the unknown command"

run rpmvet --bogus verify
is_rc 2 "unknown global option"
err_has "unknown global option '--bogus'" "names the option"

run rpmvet --help
is_rc 0 "--help"
out_has "verify" "help lists verify"
out_has "key" "help lists key"
out_has "Exit status: 0 all passed, 1 a package was rejected" "help documents exit codes"
err_empty "--help writes nothing on stderr"

run rpmvet --version
is_rc 0 "--version"
grep -qE '^rpmvet [0-9]+\.[0-9]+\.[0-9]+$' "$T/out"; ok $? "version line"

run rpmvet verify --help
is_rc 0 "verify --help"
for o in --keys --format --jobs --at --help; do
	out_has "$o" "verify --help documents $o"
done

run rpmvet key --help
is_rc 0 "key --help"
out_has "--keys DIR" "key --help documents --keys"

# verify: missing, bad and extra arguments
run rpmvet verify "$T/x.rpm"
is_rc 2 "verify without --keys"
err_has "no trust store given: use --keys DIR" "explains --keys"
err_has "Try 'rpmvet verify --help'" "points at help"

mkdir "$T/ks"
run rpmvet verify --keys "$T/ks"
is_rc 2 "verify without packages"
err_has "no packages given" "says no packages"

run rpmvet verify --keys
is_rc 2 "--keys without its argument"
err_has "option '--keys' needs an argument" "names the option missing its argument"

run rpmvet verify --keys "$T/ks" --format yaml x.rpm
is_rc 2 "unknown format"
err_has "unknown format 'yaml'" "names the format"

for j in 0 -1 abc 257 1x; do
	run rpmvet verify --keys "$T/ks" --jobs "$j" x.rpm
	is_rc 2 "--jobs $j rejected"
done
err_has "--jobs needs a number from 1 to 256" "explains --jobs"

run rpmvet verify --keys "$T/ks" --at yesterday x.rpm
is_rc 2 "--at needs a TIME"
err_has "--at needs a time like 2026-05-01, 2026-05-01T12:00:00Z or seconds since 1970, not 'yesterday'" "says what a TIME is"

run rpmvet verify --keys "$T/ks" --frobnicate x.rpm
is_rc 2 "unknown verify option"
err_has "unknown option '--frobnicate'" "names it"

run rpmvet verify --keys "$T/nonexistent" x.rpm
is_rc 3 "missing trust store directory"
err_has "cannot open the trust store '$T/nonexistent'" "names the store"

# key: subcommands
run rpmvet key --keys "$T/ks"
is_rc 2 "key without subcommand"
err_has "no subcommand given (add, list or remove)" "lists subcommands"
run rpmvet key frob --keys "$T/ks"
is_rc 2 "unknown key subcommand"
err_has "unknown subcommand 'frob'" "names it"
run rpmvet key list
is_rc 2 "key list without --keys"
run rpmvet key list --keys "$T/ks" extra
is_rc 2 "key list with an extra argument"
run rpmvet key add --keys "$T/ks"
is_rc 2 "key add without files"
err_has "key add needs at least one key file" "says what is missing"
run rpmvet key remove --keys "$T/ks"
is_rc 2 "key remove without fingerprints"
run rpmvet key list --keys "$T/ks" --format junit
is_rc 2 "key list refuses junit"

done_testing
