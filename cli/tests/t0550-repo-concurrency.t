#!/bin/sh
# SPDX-License-Identifier: MIT
# Concurrent writers on one repository: parallel admits serialise on REPO/.lock
# and lose nothing; readers never block; other event writers (verify --repo)
# run next to admissions.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

# ---- 100 distinct signed packages ----
mkdir -p "$T/specs"
i=1
while [ $i -le 100 ]; do
	n=$(printf 'cc%03d' $i)
	mkspec "$T/specs/$n.spec" "$n" 1.0 1
	i=$((i + 1))
done
build_srpms "$T/pkgs" "$T"/specs/*.spec && sign_pkgs rsa "$T"/pkgs/*.rpm ||
	{ echo "Bail out! cannot build or sign the packages"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
is "$(ls "$T/pkgs" | wc -l)" 100 "100 packages built and signed"

R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the repository"; exit 1; }

# ---- 4 admitters, 25 packages each, while readers keep reading ----
set --
for k in 0 1 2 3; do
	ls "$T"/pkgs/*.rpm | awk -v k=$k 'NR % 4 == k' > "$T/set$k"
done
for k in 0 1 2 3; do
	# shellcheck disable=SC2046 # one package per word
	"$RPMVET" admit --repo "$R" $(cat "$T/set$k") > "$T/adm$k.out" 2> "$T/adm$k.err" &
	eval "pid$k=$!"
done
reads=0; readfail=0; alive=1
while [ $alive -eq 1 ]; do
	alive=0
	for k in 0 1 2 3; do kill -0 "$(eval echo \$pid$k)" 2>/dev/null && alive=1; done
	"$RPMVET" list --repo "$R" --format json > "$T/read.json" 2> "$T/read.err" &&
		jq -e '.packages | length <= 100' "$T/read.json" >/dev/null || readfail=$((readfail + 1))
	reads=$((reads + 1))
done
for k in 0 1 2 3; do
	wait "$(eval echo \$pid$k)"
	r=$?
	is "$r" 0 "admitter $k exits 0"
	is "$(grep -c '^PASS ' "$T/adm$k.out")" 25 "admitter $k: 25 packages pass"
	is "$(tail -n 1 "$T/adm$k.out")" "25 package(s): 25 passed, 0 rejected" "admitter $k: summary"
	[ ! -s "$T/adm$k.err" ]; ok $? "admitter $k: nothing on stderr"
done
is "$readfail" 0 "readers kept answering while admitters ran ($reads reads)"

run rpmvet list --repo "$R" --format json
is_rc 0 "list"
jq_is '.packages | length' 100 "100 packages admitted"
jq_is '[.packages[].nevra] | unique | length' 100 "each once"
jq_is '[.packages[].name] | sort | join(",")' "$(cd "$T/specs" && ls | sed 's/\.spec$//' | sort | tr '\n' ',' | sed 's/,$//')" "exactly the packages built"
is "$(ls -A "$R/Packages" | wc -l)" 100 "100 files in Packages/"
run rpmvet audit verify --repo "$R"
is_rc 0 "audit verify"
out_has "event log intact: 103 event(s)" "init, two key-adds and 100 admissions"
run rpmvet repo check --repo "$R"
is_rc 0 "repo check: consistent"
href=$(xmllint --xpath "string(//*[local-name()='data'][@type='primary']/*[local-name()='location']/@href)" "$R/repodata/repomd.xml")
is "$(zcat "$R/$href" | grep -c '<package ')" 100 "the repodata describes all 100"
is "$(sqlite3 "$R/rpmvet.db" 'SELECT count(DISTINCT admitted_event) FROM packages')" 100 "each package has its own admit event"

# ---- the same package from 4 processes at once: admitted exactly once ----
R2="$T/repo2"
new_repo "$R2" || { echo "Bail out! cannot make the repository"; exit 1; }
for k in 0 1 2 3; do
	"$RPMVET" -v admit --repo "$R2" "$FX/srpms/rsa.src.rpm" > "$T/same$k.out" 2>&1 &
	eval "pid$k=$!"
done
fails=0
for k in 0 1 2 3; do wait "$(eval echo \$pid$k)" || fails=$((fails + 1)); done
is "$fails" 0 "4 parallel admits of one package all exit 0"
is "$(cat "$T"/same?.out | grep -c 'repo.already-admitted')" 3 "three of them find it already admitted"
run rpmvet list --repo "$R2" --format json
jq_is '[.packages[].nevra] | join(" ")' "hello-1.0-1.src" "it is listed once"
is "$(sqlite3 "$R2/rpmvet.db" 'SELECT count(*) FROM packages')" 1 "one package record"
run rpmvet repo check --repo "$R2"
is_rc 0 "consistent"

# ---- admissions serialise on REPO/.lock; readers do not take it ----
if command -v flock >/dev/null 2>&1; then
	flock "$R2/.lock" sleep 2 &
	holder=$!
	sleep 0.3
	"$RPMVET" admit --repo "$R2" "$FX/rpms/fxlib-1.0-1.noarch.rpm" > "$T/wait.out" 2>&1 &
	waiter=$!
	t0=$(date +%s)
	run rpmvet list --repo "$R2"
	is_rc 0 "list while another process holds REPO/.lock"
	[ $(($(date +%s) - t0)) -le 1 ]; ok $? "answers at once"
	sleep 0.7
	kill -0 "$waiter" 2>/dev/null; ok $? "admit waits for the lock"
	wait "$waiter"; r=$?
	is "$r" 0 "and admits once the lock is released"
	wait "$holder"
	run rpmvet repo check --repo "$R2"
	is_rc 0 "consistent"
fi

# ---- other event writers next to admissions ----
R3="$T/repo3"
new_repo "$R3" || { echo "Bail out! cannot make the repository"; exit 1; }
# shellcheck disable=SC2046
"$RPMVET" admit --repo "$R3" $(cat "$T/set0" "$T/set1") > /dev/null 2>&1 &
adm=$!
for k in 1 2 3 4 5 6; do
	(
		j=0
		while [ $j -lt 5 ]; do
			"$RPMVET" verify --repo "$R3" "$FX/srpms/rsa.src.rpm" >/dev/null 2>>"$T/vfy$k.err" || echo fail
			j=$((j + 1))
		done
	) > "$T/vfy$k.out" &
	eval "v$k=$!"
done
for k in 1 2 3 4 5 6; do wait "$(eval echo \$v$k)"; done
wait $adm; r=$?
is "$r" 0 "the admission next to 30 verify --repo runs exits 0"
nfail=$(cat "$T"/vfy?.out | grep -c fail)
ok "$([ "$nfail" -eq 0 ]; echo $?)" "30 concurrent verify --repo runs all exit 0 ($nfail failed: $(sort -u "$T"/vfy?.err | head -n 1))"
run rpmvet audit verify --repo "$R3"
is_rc 0 "the event log stays intact"
is "$(sqlite3 "$R3/rpmvet.db" "SELECT count(*) FROM events WHERE kind = 'verify'")" $((30 - nfail)) "one verify event per successful run"
run rpmvet repo check --repo "$R3"
is_rc 0 "consistent"
run rpmvet list --repo "$R3" --format json
jq_is '.packages | length' 50 "50 packages admitted"

done_testing
