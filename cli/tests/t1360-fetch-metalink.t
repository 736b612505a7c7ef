#!/bin/sh
# SPDX-License-Identifier: MIT
# fetch --metalink and admit --metalink: the mirrors come from the metalink (by
# preference), and each one's repomd.xml must match the metalink's size and
# strongest hash before anything reads it; a mismatch skips that mirror, a bad
# metalink (truncated, a DTD, no strong hash, stale, missing) ends the run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
. "$(dirname "$0")/data/fetch-lib.sh"
fetch_setup rpmbuild

mkdir -p "$T/specs"
mkspec "$T/specs/h1.spec" hello 1.0 1
mkspec "$T/specs/h2.spec" hello 2.0 1
build_srpms "$T/pkgs" "$T"/specs/*.spec && sign_pkgs rsa "$T"/pkgs/*.rpm ||
	{ echo "Bail out! cannot build or sign"; cat "$T/rpmbuild.log" "$T/rpmsign.log"; exit 1; }
S="$T/srv"; mkdir -p "$S"
mkdir -p "$S/m1/Packages" && cp "$T"/pkgs/*.src.rpm "$S/m1/Packages/" &&
	createrepo_c -q --revision 1800000000 --set-timestamp-to-revision "$S/m1" >/dev/null
cp -r "$S/m1" "$S/m2"; cp -r "$S/m1" "$S/m3"
# longer: a size mismatch; same size, one byte changed: a hash mismatch
cp -r "$S/m1" "$S/long"; echo '<!-- edited -->' >> "$S/long/repodata/repomd.xml"
cp -r "$S/m1" "$S/flip"; sed -i 's/1800000000/1800000001/' "$S/flip/repodata/repomd.xml"
serve s "$S"
B="http://127.0.0.1:$s_port"
MD="$S/m1/repodata/repomd.xml"
SIZE=$(stat -c %s "$MD")
H256=$(sha256sum < "$MD" | cut -c1-64)
H512=$(sha512sum < "$MD" | cut -c1-128)
HMD5=$(md5sum < "$MD" | cut -c1-32)
HSHA1=$(sha1sum < "$MD" | cut -c1-40)

# metalink FILE TIMESTAMP HASHES MIRROR:PREFERENCE...: MirrorManager's format
# (HASHES: "sha512 sha256", "sha256" or "weak" for md5 and sha1 only)
metalink() {
	_f=$1 _ts=$2 _h=$3; shift 3
	{
		echo '<?xml version="1.0" encoding="utf-8"?>'
		echo '<metalink version="3.0" xmlns="http://www.metalinker.org/" type="dynamic" generator="mirrormanager" xmlns:mm0="http://fedorahosted.org/mirrormanager">'
		echo ' <files>'
		echo '  <file name="repomd.xml">'
		echo "   <mm0:timestamp>$_ts</mm0:timestamp>"
		echo "   <size>$SIZE</size>"
		echo '   <verification>'
		echo "    <hash type=\"md5\">$HMD5</hash>"
		echo "    <hash type=\"sha1\">$HSHA1</hash>"
		case $_h in *sha256*) echo "    <hash type=\"sha256\">$H256</hash>" ;; esac
		case $_h in *sha512*) echo "    <hash type=\"sha512\">$H512</hash>" ;; esac
		echo '   </verification>'
		echo '   <resources maxconnections="1">'
		for _m in "$@"; do
			echo "    <url protocol=\"http\" type=\"http\" location=\"US\" preference=\"${_m#*:}\">$B/${_m%:*}/repodata/repomd.xml</url>"
		done
		echo '   </resources>'
		echo '  </file>'
		echo ' </files>'
		echo '</metalink>'
	} > "$S/$_f"
}
O="$T/o"; mkdir -p "$O"
empty() { [ -z "$(ls -A "$1")" ]; }

# three good mirrors: the one of highest preference serves
metalink good.xml 1800000000 "sha512 sha256" m3:50 m1:100 m2:90
run rpmvet fetch --metalink "$B/good.xml" -o "$O" hello
is_rc 0 "fetch by name through a metalink"
out_has "hello-2.0-1.src  $O/hello-2.0-1.src.rpm  from $B/m1/Packages/hello-2.0-1.src.rpm" "from the mirror of highest preference"
cmp -s "$O/hello-2.0-1.src.rpm" "$T/pkgs/hello-2.0-1.src.rpm"; ok $? "the bytes are the upstream's"
err_has "warning: metalink '$B/good.xml' is not fetched over https" "a metalink over plain http is named in a warning"
grep -q 'GET /m3/' "$T/s.log"; ok $((! $?)) "the mirror of lowest preference was never asked"

# a sha256-only metalink is enough
metalink sha256.xml 1800000000 sha256 m2:100
run rpmvet fetch --metalink "$B/sha256.xml" -o "$O" hello-1.0
is_rc 0 "a metalink with sha256 only"
out_has "hello-1.0-1.src  $O/hello-1.0-1.src.rpm  from $B/m2/Packages/hello-1.0-1.src.rpm" "fetched from its mirror"

# repomd.xml that does not match: the mirror is skipped, the next one used
rm -f "$O"/*
metalink skip.xml 1800000000 "sha512 sha256" long:100 flip:90 m2:80
run rpmvet fetch --metalink "$B/skip.xml" -o "$O" hello
is_rc 0 "the batch completes from the mirror that matches the metalink"
err_has "mirror '$B/long/' skipped: '$B/long/repodata/repomd.xml' is $((SIZE + 16)) bytes, the metalink '$B/skip.xml' says $SIZE" "a size mismatch names the mirror"
err_has "mirror '$B/flip/' skipped: '$B/flip/repodata/repomd.xml' does not match its sha512 hash in the metalink '$B/skip.xml'" "a hash mismatch (sha512, the strongest) names the mirror"
out_has "hello-2.0-1.src  $O/hello-2.0-1.src.rpm  from $B/m2/Packages/hello-2.0-1.src.rpm" "from the good mirror"
grep -q 'GET /flip/repodata/.*primary' "$T/s.log"; ok $((! $?)) "nothing of the mismatched mirror was read past repomd.xml"

# with sha256 only, sha256 is checked
metalink skip256.xml 1800000000 sha256 flip:100 m1:50
run rpmvet fetch --metalink "$B/skip256.xml" -o "$O" hello
is_rc 0 "a sha256 mismatch skips the mirror too"
err_has "mirror '$B/flip/' skipped: '$B/flip/repodata/repomd.xml' does not match its sha256 hash in the metalink" "sha256 named"

# no mirror left: exit 3, nothing fetched, nothing partial
rm -f "$O"/*
metalink none.xml 1800000000 "sha512 sha256" long:100 flip:90
run rpmvet fetch --metalink "$B/none.xml" -o "$O" hello
is_rc 3 "no mirror matches the metalink: the run could not complete"
err_has "error: no mirror serves usable metadata: '$B/long/repodata/repomd.xml' is" "said so, with the mirrors' problems"
empty "$O"; ok $? "nothing in the output directory"
nothing_partial "$XDG_CACHE_HOME"; ok $? "nothing partial in the cache"

# md5 and sha1 are never trusted alone
metalink weak.xml 1800000000 weak m1:100
asked=$(grep -c 'GET /m1/repodata/repomd.xml' "$T/s.log")
run rpmvet fetch --metalink "$B/weak.xml" -o "$O" hello
is_rc 3 "a metalink with only md5 and sha1"
err_has "error: '$B/weak.xml' gives no sha256 or sha512 hash of repomd.xml (md5 and sha1 are never trusted alone)" "the metalink named"
empty "$O"; ok $? "nothing fetched"
is "$(grep -c 'GET /m1/repodata/repomd.xml' "$T/s.log")" "$asked" "no mirror was asked for a repomd.xml it could not pin"

# a truncated metalink, one declaring a document type, one that is not there
head -c 700 "$S/good.xml" > "$S/cut.xml"
{ echo '<?xml version="1.0"?>'; echo '<!DOCTYPE metalink [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'; sed 1d "$S/good.xml" | sed "s|<size>|<size>\&b;|"; } > "$S/dtd.xml"
printf 'not xml at all\n' > "$S/junk.xml"
for bad in cut dtd junk missing; do
	run rpmvet fetch --metalink "$B/$bad.xml" -o "$O" hello
	is_rc 3 "a $bad metalink: the run could not complete"
	empty "$O"; ok $? "nothing fetched from a $bad metalink"
done
run rpmvet fetch --metalink "$B/cut.xml" -o "$O" hello
err_has "error: '$B/cut.xml' is not well-formed XML: line " "a truncated metalink is named with libxml2's line"
run rpmvet fetch --metalink "$B/dtd.xml" -o "$O" hello
err_has "error: '$B/dtd.xml' declares a document type (refused: entities)" "no DTD, no entities"
run rpmvet fetch --metalink "$B/junk.xml" -o "$O" hello
err_has "error: '$B/junk.xml' is not well-formed XML" "junk named"
run rpmvet fetch --metalink "$B/missing.xml" -o "$O" hello
err_has "error: cannot fetch '$B/missing.xml': HTTP 404" "a missing metalink named"
nothing_partial "$XDG_CACHE_HOME"; ok $? "nothing partial in the cache"

# the metalink's timestamp counts for freshness: an older one later is refused
metalink fresh.xml 1800000000 "sha512 sha256" m1:100
run rpmvet fetch --metalink "$B/fresh.xml" -o "$O" hello
is_rc 0 "a metalink at timestamp 1800000000"
rm -f "$O"/*
metalink fresh.xml 1700000000 "sha512 sha256" m1:100
run rpmvet fetch --metalink "$B/fresh.xml" -o "$O" hello
is_rc 3 "the same metalink, older"
err_has "error: upstream.stale-metadata: metalink '$B/fresh.xml' has timestamp 1700000000 (2023-11-14T22:13:20Z), older than timestamp 1800000000 (2027-01-15T08:00:00Z) seen before" "both instants named"
empty "$O"; ok $? "nothing fetched from a stale metalink"

# usage
run rpmvet fetch --metalink "$B/good.xml" --from "$B/m1/" -o "$O" hello
is_rc 2 "--from and --metalink together"
err_has "give --from URL or --metalink URL, not both" "said so"
run rpmvet fetch -o "$O" hello
is_rc 2 "neither"
err_has "give at least one --from URL, or a --metalink URL" "said so"
run rpmvet fetch --metalink "ftp://x/metalink" -o "$O" hello
is_rc 2 "a metalink URL of another scheme"
err_has "'ftp://x/metalink' is not an http, https or file URL" "named"

# admit by name through a metalink, end to end
R="$T/repo"
new_repo "$R" || { echo "Bail out! cannot make the repository"; exit 1; }
before=$(state "$R")
run rpmvet admit --repo "$R" --metalink "$B/none.xml" hello
is_rc 3 "admit --metalink with no matching mirror"
err_has "no mirror serves usable metadata" "said so"
is "$(state "$R")" "$before" "the repository and database are exactly as they were"
run rpmvet admit --repo "$R" --metalink "$B/cut.xml" hello
is_rc 3 "admit --metalink with a truncated metalink"
is "$(state "$R")" "$before" "the repository and database are still as they were"
run rpmvet admit --repo "$R" --metalink "$B/skip.xml" hello
is_rc 0 "admit by name through a metalink"
err_has "mirror '$B/flip/' skipped" "the bad mirror named"
out_has "hello-2.0-1.src" "hello admitted by name"
[ -f "$R/Packages/hello-2.0-1.src.rpm" ]; ok $? "placed in Packages/"
run rpmvet show --repo "$R" hello-2.0-1.src
is_rc 0 "show the admitted package"
out_has "hello-2.0-1.src" "show lists it"
done_testing
