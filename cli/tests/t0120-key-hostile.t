#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmvet key add/remove against a hostile trust store or hostile key files: planted symbolic
# links are never written through, a store that is a link or not ours is refused, a key file that
# cannot be fully read is an error, and many files are added all or nothing.
. "$(dirname "$0")/lib.sh"
need_fixtures

S="$T/store"
RSA=$(fpr_of rsa)
ED=$(fpr_of ed25519)
mkdir "$S"

# symbolic links at every temporary name the old code used (<FPR>.asc.tmp), pointing outside
echo "outside, not a key" > "$T/outside"
for f in "$RSA" "$ED"; do ln -s "$T/outside" "$S/$f.asc.tmp"; done
ln -s "$T/created-through-link" "$S/$(fpr_of revoked).asc.tmp"
run rpmvet key add --keys "$S" "$FX/keys/rsa.asc" "$FX/keys/ed25519.asc" "$FX/keys/revoked.asc"
is_rc 0 "key add with links planted at the old temporary names"
is "$(cat "$T/outside")" "outside, not a key" "the file outside is not overwritten"
[ ! -e "$T/created-through-link" ]; ok $? "no file is created through a dangling link"
[ -f "$S/$RSA.asc" ] && [ ! -L "$S/$RSA.asc" ] && grep -q "BEGIN PGP PUBLIC KEY BLOCK" "$S/$RSA.asc"
ok $? "the key is stored as a regular file"
is "$(ls -a "$S" | grep -c '^\.[0-9A-F]')" 0 "no temporary file is left behind"
# a link planted at the final name is replaced, not followed
cp "$S/$ED.asc" "$T/outside.asc" && echo "# not written" >> "$T/outside.asc"
outside=$(sha256sum < "$T/outside.asc")
rm "$S/$ED.asc" && ln -s "$T/outside.asc" "$S/$ED.asc"
run rpmvet key add --keys "$S" "$FX/keys/ed25519.asc"
is_rc 0 "key add over a link planted at the key's own name"
is "$(sha256sum < "$T/outside.asc")" "$outside" "the link target is not written"
[ -f "$S/$ED.asc" ] && [ ! -L "$S/$ED.asc" ]; ok $? "the link is replaced by the key file"

# a store that is a symbolic link, or not ours, is not written (exit 2)
ln -s "$S" "$T/link"
before=$(ls -l --time-style=+%s "$S"; cat "$S"/*.asc | sha256sum)
for cmd in "add $FX/keys/rsa1024.asc" "remove $RSA"; do
	run rpmvet key "${cmd%% *}" --keys "$T/link" "${cmd#* }"
	is_rc 2 "key ${cmd%% *} in a store that is a symbolic link"
	err_has "the trust store '$T/link' is a symbolic link" "key ${cmd%% *}: says so"
	run rpmvet key "${cmd%% *}" --keys "$T/link/" "${cmd#* }"
	is_rc 2 "key ${cmd%% *} in a link given with a trailing slash"
done
is "$(ls -l --time-style=+%s "$S"; cat "$S"/*.asc | sha256sum)" "$before" "the store behind the link is unchanged"
run rpmvet key list --keys "$T/link"
is_rc 0 "a linked store can still be read"
if [ "$(id -u)" -eq 0 ]; then
	cp -a "$S" "$T/theirs" && chown 65534 "$T/theirs"
	before=$(ls -l --time-style=+%s "$T/theirs"; cat "$T/theirs"/*.asc | sha256sum)
	run rpmvet key add --keys "$T/theirs" "$FX/keys/rsa1024.asc"
	is_rc 2 "key add in a store owned by another user"
	err_has "the trust store '$T/theirs' is owned by uid 65534, not by you (uid 0)" "says whose it is"
	run rpmvet key remove --keys "$T/theirs" "$RSA"
	is_rc 2 "key remove in a store owned by another user"
	is "$(ls -l --time-style=+%s "$T/theirs"; cat "$T/theirs"/*.asc | sha256sum)" "$before" "their store is unchanged"
	run rpmvet verify --keys "$T/theirs" "$FX/srpms/rsa.src.rpm"
	is_rc 0 "a store of another user can still be read"
else
	ok 0 "# SKIP a store owned by another user: needs root to chown"
fi

# key files that cannot be fully read: an error (exit 3), never a short buffer
before=$(ls -l --time-style=+%s "$S"; cat "$S"/*.asc | sha256sum)
short=/sys/kernel/mm/transparent_hugepage/enabled
if [ -r "$short" ] && [ "$(stat -c %s "$short")" -gt "$(wc -c < "$short")" ]; then
	run rpmvet key add --keys "$S" "$short"
	is_rc 3 "a file that ends before its size (sysfs)"
	err_has "cannot read '$short': it ended after $(wc -c < "$short") of its $(stat -c %s "$short") bytes" "says it ended early"
else
	ok 0 "# SKIP no sysfs file whose size exceeds its content"
fi
mkfifo "$T/fifo.asc"
run timeout 20 "$RPMVET" key add --keys "$S" "$T/fifo.asc"
is_rc 3 "a FIFO where a key file is expected does not block"
err_has "'$T/fifo.asc' is not a regular file" "names the FIFO"
mkdir "$T/dir.asc"
run rpmvet key add --keys "$S" "$FX/keys/rsa1024.asc" "$T/dir.asc"
is_rc 3 "a directory named *.asc"
err_has "'$T/dir.asc' is not a regular file" "names the directory"
is "$(ls -l --time-style=+%s "$S"; cat "$S"/*.asc | sha256sum)" "$before" "nothing was written"

# many files at once: all or nothing, each key reported once in file order
F="$SHARED/distribution-gpg-keys/fedora"
if [ -d "$F" ]; then
	printf 'hello\n' > "$T/text.asc"
	run rpmvet key add --keys "$T/fedora" "$F"/RPM-GPG-KEY-fedora-* "$T/text.asc"
	is_rc 2 "56 Fedora key files and one bad file"
	err_has "'$T/text.asc' is not an armored OpenPGP public key" "names the bad file"
	[ -z "$(ls -A "$T/fedora" 2>/dev/null)" ]; ok $? "writes nothing"
	run rpmvet key add --keys "$T/fedora" "$F"/RPM-GPG-KEY-fedora-*
	is_rc 0 "the 56 Fedora key files"
	want=$(for k in "$F"/RPM-GPG-KEY-fedora-*; do gpg --batch --with-colons --show-keys "$k" 2>/dev/null |
		awk -F: '$1 == "pub" { p = 1; next } p && $1 == "fpr" { print $10; p = 0 }'; done | awk '!seen[$0]++')
	is "$(awk '/^added / { print $2 }' "$T/out")" "$want" "every key reported once, in file order"
	is "$(ls "$T/fedora" | wc -l)" "$(echo "$want" | wc -l)" "one file per distinct key"
	run rpmvet key list --keys "$T/fedora"
	out_has "Fedora (40) <fedora-40-primary@fedoraproject.org>" "Fedora 40's key is listed"
else
	ok 0 "# SKIP no shared Fedora keys"
fi

done_testing
