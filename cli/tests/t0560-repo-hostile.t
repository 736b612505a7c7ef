#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile input file names and package names (NEVRAs with '..', '/', newlines,
# leading dots, macro characters, 200+ characters) cannot write outside
# Packages/, and two different packages never share a file there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v rpmbuild >/dev/null && command -v rpmsign >/dev/null || skip_all "rpmbuild/rpmsign not installed"

DATA="$(dirname "$0")/data"
R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the repository"; exit 1; }
safe_names() { # every name in Packages/ is safe: no '/', no leading '.' or '-', no control characters
	_bad=$(find "$R/Packages" -mindepth 1 \( ! -name '[A-Za-z0-9_+~^]*' -o -name '*[!A-Za-z0-9._+~^-]*' \) -print)
	[ -z "$_bad" ]; _report $? "$1" "unsafe names: $_bad"
}
outside() { # everything under $T but the repository's Packages/, repodata/, staging and locks, and our scratch files
	(cd "$T" && find . -path ./repo/Packages -prune -o -path ./repo/repodata -prune -o \
		-path ./repo/.lock -prune -o -path ./repo/.incoming -prune -o -path ./repo/.stage-lock -prune -o -path ./out -prune -o -path ./err -prune -o -path ./g -prune -o -print | LC_ALL=C sort)
}

# ---- hostile input file names: the stored name comes from the header ----
mkdir -p "$T/a" "$T/in"
cp "$FX/srpms/rsa.src.rpm" "$T/evil.rpm"
NL="$T/in/new
line \$(touch pwned);.rpm"
cp "$FX/rpms/fxlib-1.0-1.noarch.rpm" "$NL"
ln -s "$FX/rpms/fxtool-2.1-3.noarch.rpm" "$T/in/link.rpm"
cp "$FX/rpms/fxdata-0.5-1.noarch.rpm" "$T/in/-rf"
before=$(outside)
run sh -c 'cd "$1" && shift && exec "$@"' sh "$T/in" "$RPMVET" admit --repo "$R" -- "$T/a/../evil.rpm" "$NL" link.rpm -rf
is_rc 0 "admit files named with '..', a newline and shell syntax, a symlink and '-rf'"
is "$(wc -l < "$T/out")" 5 "one line per package: the newline cannot break the report"
out_has 'new\x0aline $(touch pwned);.rpm' "the newline is escaped"
err_empty "nothing on stderr"
is "$(ls -A "$R/Packages" | tr '\n' ' ')" "fxdata-0.5-1.noarch.rpm fxlib-1.0-1.noarch.rpm fxtool-2.1-3.noarch.rpm hello-1.0-1.src.rpm " \
	"stored under their NEVRAs, never the input names"
[ -f "$R/Packages/fxtool-2.1-3.noarch.rpm" ] && [ ! -L "$R/Packages/fxtool-2.1-3.noarch.rpm" ]; ok $? "a symlink is stored as a regular file"
is "$(sha "$R/Packages/fxtool-2.1-3.noarch.rpm")" "$(sha "$FX/rpms/fxtool-2.1-3.noarch.rpm")" "with the content it pointed to"
[ ! -e "$T/pwned" ] && [ ! -e "$T/in/pwned" ]; ok $? "nothing in a name was executed"
is "$(outside)" "$before" "no file created outside Packages/ and repodata/"
run rpmvet show --repo "$R" --format json fxlib-1.0-1.noarch
jq_is '.package.origin' "$NL" "the origin is recorded exactly"
run rpmvet show --repo "$R" fxlib-1.0-1.noarch
out_has 'origin           '"$T"'/in/new\x0aline' "and shown escaped"

# ---- hostile package names ----
# rpmbuild accepts '%', '{', '}' and '+' in names and '~', '^', '.' in releases; it
# refuses '..' and '/', so those packages are made by editing a built header
mkdir -p "$T/specs"
mkspec "$T/specs/pct.spec" 'pc%%t' 1 1
mkspec "$T/specs/brace.spec" 'br{ace}' 1 1
mkspec "$T/specs/plus.spec" 'c++lib' 1.0 '1.2.3~rc^x'
mkspec "$T/specs/base.spec" zzzzzzzz 1 1
build_srpms "$T/built" "$T"/specs/*.spec ||
	{ echo "Bail out! rpmbuild failed"; cat "$T/rpmbuild.log"; exit 1; }
for new in ../../zz /etc/zzz .hidden1 "ev
il/zz" '-zzzzzzz'; do
	k=$(ls "$T/forged" 2>/dev/null | wc -l)
	mkdir -p "$T/forged"
	perl "$DATA/rpm-rename.pl" "$T/built/zzzzzzzz-1-1.src.rpm" "$T/forged/f$k.src.rpm" zzzzzzzz "$new" ||
		{ echo "Bail out! cannot forge a package named '$new'"; exit 1; }
done
rm "$T/built/zzzzzzzz-1-1.src.rpm"
sign_pkgs rsa "$T"/built/*.rpm "$T"/forged/*.rpm ||
	{ echo "Bail out! rpmsign failed"; cat "$T/rpmsign.log"; exit 1; }
run rpm -qp --nosignature --qf '%{NAME}|' "$T"/forged/f0.src.rpm
is "$(cat "$T/out")" "../../zz|" "a package named '../../zz' exists"

before=$(outside)
nbefore=$(ls -A "$R/Packages" | wc -l)
run rpmvet admit --repo "$R" --format json "$T"/built/*.rpm "$T"/forged/*.rpm
is_rc 0 "they pass verification and are admitted"
jq_is '[.packages[].nevra] | join("|")' "br{ace}-1-1.src|c++lib-1.0-1.2.3~rc^x.src|pc%t-1-1.src|../../zz-1-1.src|/etc/zzz-1-1.src|.hidden1-1-1.src|ev
il/zz-1-1.src|-zzzzzzz-1-1.src" "with their NEVRAs as they are"
is "$(ls -A "$R/Packages" | wc -l)" $((nbefore + 8)) "eight new files in Packages/"
safe_names "every stored name uses only [A-Za-z0-9._+~^-] and starts with neither '.' nor '-'"
[ -f "$R/Packages/c++lib-1.0-1.2.3~rc^x.src.rpm" ]; ok $? "safe characters are kept (c++lib-1.0-1.2.3~rc^x.src.rpm)"
is "$(outside)" "$before" "no file created outside Packages/ and repodata/"
[ ! -e "$T/zz-1-1.src.rpm" ] && [ ! -e "$R/zz-1-1.src.rpm" ] && [ ! -e /etc/zzz-1-1.src.rpm ] &&
	[ ! -e "$R/Packages/.hidden1-1-1.src.rpm" ] && [ ! -e "$R/Packages/ev" ]; ok $? "'../../zz', '/etc/zzz', '.hidden1' and 'ev<newline>il/zz' stayed inside, visible"
run rpmvet list --repo "$R" --format json
jq_is '[.packages[] | select(.filename | test("^[A-Za-z0-9_+~^][A-Za-z0-9._+~^-]*$") | not) | .filename] | length' 0 "the recorded file names are the safe ones"
run rpmvet list --repo "$R"
is_rc 0 "list in text"
is "$(wc -l < "$T/out")" 25 "two lines per package and the count: a newline in a name cannot add one"
out_has 'ev\x0ail/zz-1-1.src' "shown as \\x0a"
run rpmvet repo check --repo "$R"
is_rc 0 "the repository is consistent"
run rpmvet audit verify --repo "$R"
is_rc 0 "the event log is intact"
href=$(xmllint --xpath "string(//*[local-name()='data'][@type='primary']/*[local-name()='location']/@href)" "$R/repodata/repomd.xml")
zcat "$R/$href" | xmllint --noout - 2>/dev/null; ok $? "the primary metadata stays well-formed"
zcat "$R/$href" | grep -q '<location href="Packages/_._.._zz-1-1.src-[0-9a-f]\{12\}.rpm"/>'; ok $? "it points at the stored name (changed, so with a sha256 suffix)"
zcat "$R/$href" | grep '<location href=' | grep -v 'href="Packages/[A-Za-z0-9_+~^][A-Za-z0-9._+~^-]*"' > "$T/badloc"
[ ! -s "$T/badloc" ]; ok $? "every location is a safe name under Packages/"
run rpmvet history --repo "$R" ../../zz
is "$(grep -c 'admit   ../../zz-1-1.src' "$T/out")" 1 "history of '../../zz'"

before=$(outside)
run rpmvet remove --repo "$R" --reason hostile ../../zz-1-1.src
is_rc 0 "remove '../../zz-1-1.src'"
[ ! -e "$R/Packages/_._.._zz-1-1.src.rpm" ]; ok $? "its stored file is gone"
is "$(outside)" "$before" "nothing outside Packages/ was touched"
run rpmvet remove --repo "$R" --reason hostile '/etc/zzz-1-1.src'
is_rc 0 "remove '/etc/zzz-1-1.src'"
run rpmvet repo check --repo "$R"
is_rc 0 "consistent"

# ---- distinct packages never share a file in Packages/ ----
collide() { # DESC PKG1 PKG2
	_c="$T/c$(ls -d "$T"/c* 2>/dev/null | wc -l)"
	new_repo "$_c" || { echo "Bail out! cannot make $_c"; exit 1; }
	run rpmvet admit --repo "$_c" "$2" "$3"
	_first=$(sha "$2")
	_rc=$rc
	run rpmvet repo check --repo "$_c"
	ok "$([ "$rc" -eq 0 ]; echo $?)" "$1: repo check is consistent after admitting both (admit exit $_rc, check exit $rc)"
	"$RPMVET" list --repo "$_c" --format json |
		jq -r '.packages[] | "\(.sha256) \(.filename)"' > "$T/recorded"
	_lost=0
	while read -r _s _f; do [ "$(sha "$_c/Packages/$_f")" = "$_s" ] || _lost=$((_lost + 1)); done < "$T/recorded"
	ok "$([ "$_lost" -eq 0 ]; echo $?)" "$1: every admitted package keeps its own file ($_lost lost)"
}
mkspec "$T/specs/ep.spec" hello 1.0 1 1
mkspec "$T/specs/us.spec" 'pc_t' 1 1
L=$(printf 'x%.0s' $(seq 1 200))
mkspec "$T/specs/long1.spec" "$L" 1.0 1
mkspec "$T/specs/long2.spec" "$L" 2.0 1
mkdir "$T/coll"
build_srpms "$T/coll" "$T/specs/ep.spec" "$T/specs/us.spec" "$T/specs/long1.spec" "$T/specs/long2.spec" &&
	sign_pkgs rsa "$T"/coll/*.rpm || { echo "Bail out! cannot build the colliding packages"; exit 1; }
collide "hello-1.0-1.src and hello-1:1.0-1.src (the epoch is not in the file name)" \
	"$FX/srpms/rsa.src.rpm" "$T/coll/hello-1.0-1.src.rpm"
collide "pc%t-1-1.src and pc_t-1-1.src (both sanitised to pc_t)" \
	"$T/built/pc%t-1-1.src.rpm" "$T/coll/pc_t-1-1.src.rpm"
collide "two versions of a package with a 200-character name (truncated to the same name)" \
	"$T/coll/$L-1.0-1.src.rpm" "$T/coll/$L-2.0-1.src.rpm"

done_testing
