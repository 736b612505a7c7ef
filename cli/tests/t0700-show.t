#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet show: dependencies with their comparison (text and JSON), a bare name
# shows the current version(s), and a query that fails is an error, never an
# empty list.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the repository"; exit 1; }
for v in 1.0 2.0; do mkspec "$T/multi-$v.spec" multi "$v" 1; done
build_srpms "$T/in" "$T/multi-1.0.spec" "$T/multi-2.0.spec" &&
	sign_pkgs rsa "$T/in/multi-1.0-1.src.rpm" "$T/in/multi-2.0-1.src.rpm" ||
	{ echo "Bail out! cannot build the test packages"; exit 1; }
rpmvet admit --repo "$R" "$FX/srpms/rsa.src.rpm" "$FX/rpms/fxlib-1.0-1.noarch.rpm" \
	"$FX/rpms/fxtool-2.1-3.noarch.rpm" "$T/in/multi-1.0-1.src.rpm" "$T/in/multi-2.0-1.src.rpm" >/dev/null ||
	{ echo "Bail out! cannot admit"; exit 1; }

# ---- version operators ----
run rpmvet show --repo "$R" hello-1.0-1.src
is_rc 0 "show hello-1.0-1.src"
err_empty "nothing on stderr"
for d in "buildrequires  gcc >= 4.8" "buildrequires  make" "buildrequires  (python3 or python2)" \
	"provides       hello = 1.0-1"; do
	is "$(grep -cxF "  $d" "$T/out")" 1 "text: '$d'"
done
out_lacks "gcc 4.8" "no operator is dropped"
run rpmvet show --repo "$R" --format json hello-1.0-1.src
is_rc 0 "show --format json"
jq_is '.package.dependencies[] | select(.name == "gcc") | [.kind, .name, .op, .evr, .text] | join("|")' \
	"buildrequires|gcc|>=|4.8|gcc >= 4.8" "JSON: name, op, evr and the form as written"
jq_is '.package.dependencies[] | select(.name == "make") | [.op, .evr, .text] | join("|")' \
	"||make" "JSON: an unversioned dependency has an empty op"
jq_is '.package.dependencies[] | select(.name | startswith("(")) | [.op, .text] | join("|")' \
	"|(python3 or python2)" "JSON: a rich dependency as written"
jq_is '.package.dependencies[] | select(.kind == "provides") | [.op, .text] | join("|")' \
	"=|hello = 1.0-1" "JSON: provides with '='"
run rpmvet show --repo "$R" --format json fxtool-2.1-3.noarch
jq_is '.package.dependencies[] | select(.kind == "requires" and .name == "fxlib") | .text' \
	"fxlib >= 1.0" "a binary package's Requires with its operator"

# ---- a bare name ----
run rpmvet show --repo "$R" hello
is_rc 0 "show NAME: a name admitted"
err_empty "show NAME: nothing on stderr"
out_has "nevra            hello-1.0-1.src" "show NAME: the current version"
out_has "  buildrequires  gcc >= 4.8" "show NAME: with its dependencies"
out_has "current: 1 package(s) named hello" "show NAME: says how many"
run rpmvet show --repo "$R" --format json multi
is_rc 0 "show NAME with two current versions"
jq_is '.name' multi "JSON: the name"
jq_is '[.packages[].nevra] | join(" ")' "multi-1.0-1.src multi-2.0-1.src" "JSON: both current versions"
jq_is '[.packages[] | .dependencies[0].text] | join(" ")' "multi = 1.0-1 multi = 2.0-1" "each with its dependencies"
run rpmvet show --repo "$R" multi
is "$(grep -c '^nevra ' "$T/out")" 2 "text: both versions"
rpmvet remove --repo "$R" --reason "old" multi-1.0-1.src >/dev/null
run rpmvet show --repo "$R" --format json multi
jq_is '[.packages[].nevra] | join(" ")' "multi-2.0-1.src" "a removed version is not current"
run rpmvet show --repo "$R" --format json multi-1.0-1.src
is_rc 0 "the removed version by NEVRA"
jq_is '.package.removed_at | type' string "is shown removed"
rpmvet remove --repo "$R" --reason "gone" multi-2.0-1.src >/dev/null
run rpmvet show --repo "$R" multi
is_rc 1 "show NAME when every version was removed"
err_has "rpmvet: error: no package named 'multi' is current: each was removed (see 'rpmvet history multi')" "says so"
out_empty "nothing on stdout"
run rpmvet show --repo "$R" nosuch
is_rc 1 "show of a name never admitted"
err_has "no package nosuch was ever admitted" "says so"

# ---- a query that fails is an error ----
for t in deps files; do
	C="$T/no-$t"
	cp -r "$R" "$C"
	sqlite3 "$C/rpmvet.db" "ALTER TABLE $t RENAME TO ${t}_gone"
	run rpmvet show --repo "$C" hello-1.0-1.src
	is_rc 3 "$t unreadable: show fails"
	err_has "rpmvet: error: cannot query '$C/rpmvet.db'" "$t unreadable: says so"
	err_has "no such table: $t" "$t unreadable: with sqlite's reason"
	out_empty "$t unreadable: nothing on stdout"
	run rpmvet show --repo "$C" --format json hello
	is_rc 3 "$t unreadable: show NAME --format json fails too"
	out_empty "$t unreadable: no document with an empty list"
done

done_testing
