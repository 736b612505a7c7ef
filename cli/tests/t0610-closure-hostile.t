#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile upstream metadata: repomd.xml locations that are absolute, escape
# the repository, are URLs or empty; symlinks out of the mirror, FIFOs and
# devices; a gzip bomb whose checksum matches. closure, repo closure and the
# closure stage of verify and admit refuse them (exit 3, naming the upstream
# and the file) instead of hanging or reading what is not the mirror's.
# Every hostile command runs under timeout 20: a regression fails, never hangs.
. "$(dirname "$0")/lib.sh"
need_fixtures
command -v python3 >/dev/null || skip_all "python3 is not installed"

UP="$FX/upstream"
BR="$FX/buildreq/hello-br-1.0-1.src.rpm"
P=$(cd "$UP/repodata" && ls *-primary.xml.gz)
export XDG_CACHE_HOME="$T/xdg"

# mirror NAME: a fresh copy of the fixture upstream
mirror() { rm -rf "$T/$1"; cp -r "$UP" "$T/$1"; }
# href NAME TYPE HREF: repomd.xml of mirror NAME gives HREF for TYPE
href() { sed -i "s#href=\"repodata/[^\"]*-$2\.xml\.gz\"#href=\"$3\"#" "$T/$1/repodata/repomd.xml"; }
# rc NAME [--no-cache]: repo closure over mirror NAME, bounded in time
rc() { _u=$1; shift; run timeout 20 "$RPMVET" repo closure "$@" --upstream "$T/$_u"; }

# ---- locations in repomd.xml ----
mirror abs; href abs primary /dev/zero
rc abs
is_rc 3 "primary at /dev/zero: refused, not read forever"
err_has "rpmvet: error: cannot load upstream '$T/abs': primary location '/dev/zero' in repomd.xml is an absolute path" \
	"names the upstream, the location and the problem"
out_empty "and reports nothing"

mirror esc; href esc primary ../../../../../../../../dev/zero
rc esc --no-cache
is_rc 3 "a location escaping with '..'"
err_has "cannot load upstream '$T/esc': primary location '../../../../../../../../dev/zero' in repomd.xml has a '..' component" "says so"

mirror dotin; href dotin primary "repodata/../repodata/$P"
rc dotin
is_rc 3 "a '..' component that stays inside is refused too"
err_has "primary location 'repodata/../repodata/$P' in repomd.xml has a '..' component" "says so"

mirror http; href http primary http://example.com/repodata/primary.xml.gz
rc http
is_rc 3 "an http: URL"
err_has "cannot load upstream '$T/http': primary location 'http://example.com/repodata/primary.xml.gz' in repomd.xml is a URL, not a path in the repository" "says so"

mirror file; href file filelists file:///dev/zero
rc file
is_rc 3 "a file: URL for filelists"
err_has "filelists location 'file:///dev/zero' in repomd.xml is a URL" "says so"

mirror empty; href empty primary ""
rc empty
is_rc 3 "an empty primary location"
err_has "cannot load upstream '$T/empty': primary location '' in repomd.xml is empty" "says so"
mirror emptyfl; href emptyfl filelists ""
rc emptyfl
is_rc 3 "an empty filelists location is not silently skipped"
err_has "filelists location '' in repomd.xml is empty" "says so"

# ---- what a location leads to ----
mirror lnk; ln -s /dev/zero "$T/lnk/repodata/zero-primary.xml.gz"; href lnk primary repodata/zero-primary.xml.gz
rc lnk
is_rc 3 "a symlink to /dev/zero inside repodata/"
err_has "cannot load upstream '$T/lnk': '$T/lnk/repodata/zero-primary.xml.gz' leads outside the repository (to '/dev/zero')" \
	"names the link and where it leads"

mkdir "$T/elsewhere" && cp "$UP/repodata/$P" "$T/elsewhere/"
mirror away; rm "$T/away/repodata/$P"; ln -s "$T/elsewhere/$P" "$T/away/repodata/$P"
rc away
is_rc 3 "a symlink to a file outside the mirror, checksum and all"
err_has "'$T/away/repodata/$P' leads outside the repository (to '$T/elsewhere/$P')" "is refused"

mirror inside; mkdir "$T/inside/pool"; mv "$T/inside/repodata/$P" "$T/inside/pool/"
ln -s "../pool/$P" "$T/inside/repodata/$P"
rc inside --format json
is_rc 1 "a symlink that stays inside the mirror is followed"
jq_is '.checked' 14 "(all fourteen packages read)"

mirror fifo; mkfifo "$T/fifo/repodata/fifo-primary.xml.gz"; href fifo primary repodata/fifo-primary.xml.gz
rc fifo
is_rc 3 "a FIFO as primary: refused without blocking"
err_has "cannot load upstream '$T/fifo': '$T/fifo/repodata/fifo-primary.xml.gz' is not a regular file" "says so"

if mknod "$T/devnull-test" c 1 3 2>/dev/null; then
	rm -f "$T/devnull-test"
	mirror dev; mknod "$T/dev/repodata/zero-filelists.xml.gz" c 1 5; href dev filelists repodata/zero-filelists.xml.gz
	rc dev
	is_rc 3 "a character device inside repodata/"
	err_has "'$T/dev/repodata/zero-filelists.xml.gz' is not a regular file" "says so"
fi

mirror mdfifo; rm "$T/mdfifo/repodata/repomd.xml"; mkfifo "$T/mdfifo/repodata/repomd.xml"
rc mdfifo
is_rc 3 "repomd.xml itself a FIFO (read first for the cache key)"
err_has "cannot load upstream '$T/mdfifo': '$T/mdfifo/repodata/repomd.xml' is not a regular file" "says so"
mirror mdzero; rm "$T/mdzero/repodata/repomd.xml"; ln -s /dev/zero "$T/mdzero/repodata/repomd.xml"
rc mdzero --no-cache
is_rc 3 "repomd.xml a symlink to /dev/zero"
err_has "'$T/mdzero/repodata/repomd.xml' leads outside the repository (to '/dev/zero')" "says so"
mirror mdbig; truncate -s 17M "$T/mdbig/repodata/repomd.xml"
rc mdbig
is_rc 3 "a repomd.xml larger than 16 MiB"
err_has "'$T/mdbig/repodata/repomd.xml' is larger than 16 MiB" "says so"

# ---- a gzip bomb: primary padded with whitespace, its checksum in repomd.xml matching ----
# bomb NAME MIB: primary of mirror NAME padded with MIB MiB of blanks after <metadata ...>
bomb() {
	python3 "$(dirname "$0")/data/md-pad.py" "$T/$1/repodata/$P" "$2" || return 1
	_sum=$(sha256sum "$T/$1/repodata/$P" | cut -d' ' -f1)
	_old=${P%%-primary.xml.gz}
	sed -i "s#<checksum type=\"sha256\">$_old</checksum>#<checksum type=\"sha256\">$_sum</checksum>#" \
		"$T/$1/repodata/repomd.xml"
}
mirror bomb; bomb bomb 80 || echo "Bail out! cannot make the gzip bomb"
is "$(stat -c %s "$T/bomb/repodata/$P" | awk '{ print ($1 < 1048576) }')" 1 "(the bomb is smaller than 1 MiB)"
rc bomb --no-cache
is_rc 3 "80 MiB out of a file under 1 MiB: refused"
err_has "cannot load upstream '$T/bomb': '$T/bomb/repodata/$P' decompresses to more than 67108864 bytes (256 times its size, at least 64 MiB)" \
	"names the file and the bound"
out_empty "and reports nothing"
mirror pad; bomb pad 32
rc pad --no-cache --format json
is_rc 1 "the same padding under the bound loads: it is the cap that stops the bomb"
jq_is '.checked' 14 "(all fourteen packages read)"

# ---- closure, and the closure stage of verify and admit ----
run timeout 20 "$RPMVET" closure --upstream "$T/fifo" "$BR"
is_rc 3 "closure of an SRPM over a hostile upstream"
err_has "cannot load upstream '$T/fifo': '$T/fifo/repodata/fifo-primary.xml.gz' is not a regular file" "names upstream and file"
out_empty "and reports nothing"
run timeout 20 "$RPMVET" closure --upstream "$UP" --upstream "$T/abs" "$BR"
is_rc 3 "a second, hostile upstream"
err_has "cannot load upstream '$T/abs'" "is the one named"

make_store "$T/ks" rsa
H="$FX/srpms/rsa.src.rpm"
printf 'version: 1\nlicenses:\n  categories: {MIT: allowed}\nclosure:\n  upstream: [%s]\n  enforce: error\n' "$T/lnk" > "$T/pol.yaml"
run timeout 20 "$RPMVET" verify --keys "$T/ks" --policy "$T/pol.yaml" "$H"
is_rc 3 "verify: the closure stage refuses a hostile upstream"
err_has "cannot load upstream '$T/lnk': '$T/lnk/repodata/zero-primary.xml.gz' leads outside the repository" "and names it"
sed "s#$T/lnk#$T/fifo#" "$T/pol.yaml" > "$T/pol-fifo.yaml"
rpmvet init "$T/cr" --policy "$T/pol-fifo.yaml" >/dev/null 2>&1
rpmvet key add --repo "$T/cr" "$FX/keys/rsa.asc" >/dev/null 2>&1
before=$(sqlite3 "$T/cr/rpmvet.db" 'select count(*) from events' 2>&1)
run timeout 20 "$RPMVET" admit --repo "$T/cr" "$H"
is_rc 3 "admit: the closure stage refuses a FIFO upstream without blocking"
err_has "cannot load upstream '$T/fifo': '$T/fifo/repodata/fifo-primary.xml.gz' is not a regular file" "and names it"
is "$(ls "$T/cr/Packages" | wc -l)" 0 "nothing admitted"
is "$(sqlite3 "$T/cr/rpmvet.db" 'select count(*) from events' 2>&1)" "$before" "and no event recorded"

# ---- the .solv cache is read only from regular files ----
rm -rf "$T/xdg/rpmvet"
rc inside --format json
c=$(ls "$T"/xdg/rpmvet/*.solv)
rm -f "$c" && ln -s /dev/zero "$c"
rc inside --format json
is_rc 1 "a cache file that is a symlink to /dev/zero neither blocks nor is read"
jq_is '.checked' 14 "(the metadata is loaded instead)"

done_testing
