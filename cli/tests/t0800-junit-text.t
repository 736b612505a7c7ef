#!/bin/sh
# SPDX-License-Identifier: MIT
# JUnit reports stay well-formed whatever the file names hold (U+FFFE,
# U+FFFF, control characters, ill-formed UTF-8), and testcases are named by
# file, so two files of one NEVRA are two distinct testcases.
. "$(dirname "$0")/lib.sh"
need_fixtures

S="$T/store"
make_store "$S" rsa || { echo "Bail out! cannot make the store"; exit 1; }
P="$FX/srpms/rsa.src.rpm"; U="$FX/srpms/unsigned.src.rpm"
mkdir -p "$T/in"
FFFE="$T/in/a$(printf '\357\277\276')b.src.rpm"       # U+FFFE
FFFF="$T/in/c$(printf '\357\277\277')d.src.rpm"       # U+FFFF
CTRL="$T/in/e$(printf '\001\033\377')f.src.rpm"      # C0 controls, a byte that is never UTF-8
SURR="$T/in/g$(printf '\355\240\200')h.src.rpm"      # an encoded surrogate
cp "$P" "$FFFE"; cp "$U" "$FFFF"; cp "$P" "$CTRL"; cp "$U" "$SURR"
cp "$P" "$T/in/one.src.rpm"; cp "$P" "$T/in/two.src.rpm"

run rpmvet verify --keys "$S" --format junit "$FFFE" "$FFFF" "$CTRL" "$SURR"
is_rc 1 "two of four rejected (exit 1)"
xmllint --noout "$T/out" 2>"$T/xmlerr"; ok $? "JUnit with hostile file names is well-formed XML"
is "$(xmllint --xpath 'count(//testcase)' "$T/out" 2>/dev/null)" 4 "four testcases"
is "$(xmllint --xpath 'count(//testcase/failure)' "$T/out" 2>/dev/null)" 2 "the two unsigned ones fail"
is "$(xmllint --xpath 'string(//testcase[1]/@name)' "$T/out" 2>/dev/null)" "$T/in/a\\xef\\xbf\\xbeb.src.rpm" \
	"U+FFFE in a file name is written \\xNN"
is "$(xmllint --xpath 'string(//testcase[2]/@file)' "$T/out" 2>/dev/null)" "$T/in/c\\xef\\xbf\\xbfd.src.rpm" \
	"U+FFFF in a file name is written \\xNN"
is "$(xmllint --xpath 'string(//testcase[3]/@name)' "$T/out" 2>/dev/null)" "$T/in/e\\x01\\x1b\\xfff.src.rpm" \
	"control characters and a non-UTF-8 byte are written \\xNN"
is "$(xmllint --xpath 'string(//testcase[4]/@name)' "$T/out" 2>/dev/null)" "$T/in/g\\xed\\xa0\\x80h.src.rpm" \
	"an encoded surrogate is written \\xNN"
is "$(xmllint --xpath 'string(//testcase[4]/properties/property[@name="nevra"]/@value)' "$T/out" 2>/dev/null)" \
	"hello-1.0-1.src" "the NEVRA is a property"

# the same NEVRA from two files: two testcases, named by file
run rpmvet verify --keys "$S" --format junit "$T/in/one.src.rpm" "$T/in/two.src.rpm"
is_rc 0 "both pass"
xmllint --noout "$T/out" 2>"$T/xmlerr"; ok $? "well-formed"
is "$(xmllint --xpath 'count(//testcase)' "$T/out")" 2 "two testcases"
is "$(xmllint --xpath 'string(//testcase[1]/@name)' "$T/out")" "$T/in/one.src.rpm" "the first is named by its file"
is "$(xmllint --xpath 'string(//testcase[2]/@name)' "$T/out")" "$T/in/two.src.rpm" "the second is named by its file"
is "$(xmllint --xpath 'count(//testcase/properties/property[@name="nevra"][@value="hello-1.0-1.src"])' "$T/out")" 2 \
	"each carries the NEVRA as a property"

# a file that is not a package has no NEVRA, hence no property
printf 'junk' > "$T/in/junk.src.rpm"
run rpmvet verify --keys "$S" --format junit "$T/in/junk.src.rpm"
is_rc 1 "a non-package is rejected"
is "$(xmllint --xpath 'count(//testcase/properties)' "$T/out")" 0 "no NEVRA, no properties"
is "$(xmllint --xpath 'string(//testcase/@name)' "$T/out")" "$T/in/junk.src.rpm" "named by its file"

done_testing
