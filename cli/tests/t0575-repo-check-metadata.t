#!/bin/sh
# SPDX-License-Identifier: MIT
# repo check parses the metadata it generated (primary, filelists, other), not
# only its checksums: a file that is not well-formed XML, or lists another
# number of packages, is a problem even when repomd.xml was updated to match
# it, and --repair regenerates it and says what it repaired.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures
command -v python3 >/dev/null || skip_all "python3 not installed"

new_repo "$T/base" && "$RPMVET" admit --repo "$T/base" "$FX/srpms/rsa.src.rpm" >/dev/null ||
	{ echo "Bail out! cannot make the repository"; exit 1; }

# plant.py REPO TYPE MODE: rewrite repodata/*-TYPE.xml.gz (MODE utf8: bytes that are
# not UTF-8 in a summary; cut: the end cut off; empty: well-formed, no package) and
# make repomd.xml agree: checksum, open-checksum, size, open-size, the file's name
cat > "$T/plant.py" <<'EOF'
import gzip, hashlib, os, re, sys
repo, kind, mode = sys.argv[1:4]
mdpath = f"{repo}/repodata/repomd.xml"
md = open(mdpath).read()
block = re.search(r'<data type="%s">.*?</data>' % kind, md, re.S).group(0)
href = re.search(r'<location href="([^"]+)"', block).group(1)
old = open(f"{repo}/{href}", "rb").read()
xml = gzip.decompress(old)
if mode == "utf8":
    xml = re.sub(rb"(<summary>|<file>|<changelog[^>]*>)", lambda m: m.group(1) + b"\xff\xfe", xml, count=1)
elif mode == "cut":
    xml = xml[: len(xml) - 30]
else:
    xml = re.sub(rb"<package.*</package>", b"", xml, flags=re.S).replace(b'packages="1"', b'packages="0"')
new = gzip.compress(xml)
sums = lambda b: hashlib.sha256(b).hexdigest()
nb = block.replace(sums(old), sums(new)).replace(sums(gzip.decompress(old)), sums(xml))
nb = re.sub(r"<size>\d+</size>", f"<size>{len(new)}</size>", nb)
nb = re.sub(r"<open-size>\d+</open-size>", f"<open-size>{len(xml)}</open-size>", nb)
os.unlink(f"{repo}/{href}")
open(f"{repo}/{href.replace(sums(old), sums(new))}", "wb").write(new)
open(mdpath, "w").write(md.replace(block, nb))
EOF

n=0
for case in "primary utf8" "primary cut" "filelists utf8" "other cut" "primary empty"; do
	n=$((n + 1))
	R="$T/r$n"
	cp -a "$T/base" "$R"
	set -- $case
	python3 "$T/plant.py" "$R" "$1" "$2" || { echo "Bail out! cannot plant $case"; exit 1; }
	href=$(xmllint --xpath "string(//*[local-name()='data'][@type='$1']/*[local-name()='location']/@href)" "$R/repodata/repomd.xml")
	[ "$(sha "$R/$href")" = "$(xmllint --xpath "string(//*[local-name()='data'][@type='$1']/*[local-name()='checksum'])" "$R/repodata/repomd.xml")" ]
	ok $? "$case: the planted $1 file matches its checksum in repomd.xml"
	run rpmvet repo check --repo "$R"
	is_rc 1 "$case: repo check finds the problem"
	if [ "$2" = empty ]; then
		out_has "repodata file '$href' lists 0 package(s), the database 1" "$case: names the file and the count"
	else
		out_has "repodata file '$href' is not well-formed metadata: " "$case: names the file and says it is not well-formed"
	fi
	err_empty "$case: nothing on stderr"
	run rpmvet repo check --repo "$R" --repair
	is_rc 0 "$case: repo check --repair"
	out_has "found: repodata file '$href'" "$case: says what it found"
	out_has "repaired: rewrote the repodata from the database (revision " "$case: and what it repaired"
	is "$(tail -n 1 "$T/out")" "repository consistent: database, Packages/ and repodata agree" "$case: consistent afterwards"
	href=$(xmllint --xpath "string(//*[local-name()='data'][@type='$1']/*[local-name()='location']/@href)" "$R/repodata/repomd.xml")
	zcat "$R/$href" | xmllint --noout - 2>/dev/null; ok $? "$case: the regenerated $1 is well-formed"
	run rpmvet repo check --repo "$R"
	is_rc 0 "$case: repo check after the repair"
done
run sqlite3 "$T/r1/rpmvet.db" "SELECT group_concat(json_extract(value, '\$.code'), ' ') FROM events, json_each(events.findings) WHERE kind = 'repair'"
is "$(cat "$T/out")" "repo.problem repo.repaired" "the repair event records what was found and what was repaired"

# ---- every kind of repair is named ----
R="$T/all"
cp -a "$T/base" "$R"
cp "$FX/srpms/ed25519.src.rpm" "$R/Packages/stray.rpm"
mkdir -p "$R/.incoming" && echo left > "$R/.incoming/.incoming.abc123"
rm "$R/repodata/repomd.xml"
run rpmvet repo check --repo "$R" --repair
is_rc 0 "repo check --repair with a stray file, a staged leftover and no repomd.xml"
out_has "repaired: moved Packages/stray.rpm to quarantine/stray.rpm" "says where the stray file went"
out_has "repaired: removed .incoming/.incoming.abc123" "says the leftover was removed"
out_has "repaired: rewrote the repodata from the database" "says the repodata was rewritten"
is "$(grep -c '^found: ' "$T/out") $(grep -c '^repaired: ' "$T/out")" "3 3" "three problems found, three repaired"

done_testing
