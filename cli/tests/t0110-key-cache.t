#!/bin/sh
# SPDX-License-Identifier: MIT
# The key-facts cache: a poisoned cache (in the store, or one others can write) changes no
# verdict and no reported signer; the per-user cache is bound to the key-file bytes and used warm.
. "$(dirname "$0")/lib.sh"
need_fixtures

S="$T/store"
make_store "$S" rsa expired revoked rsa1024 || { echo "Bail out! cannot make the store"; exit 1; }
RSA=$(fpr_of rsa)
FAKE=$(fpr_of other)
export GNUPGHOME="$T/gnupg"
mkdir -m 700 "$GNUPGHOME"

# verdict_of FIXTURE: "verdict error-codes signer-fingerprint" from a JSON verify
verdict_of() {
	"$RPMVET" verify --keys "$S" --format json "$FX/srpms/$1.src.rpm" 2>"$T/err" |
		jq -r '.packages[0] | [.verdict, ([.findings[] | select(.severity == "error") | .code] | sort | join(",")), (.signer.fingerprint // "-")] | join(" ")'
}
check_verdicts() { # DESC
	is "$(verdict_of revokedkey)" "reject key.revoked $(fpr_of revoked)" "$1: revoked key stays revoked"
	is "$(verdict_of expiredkey)" "reject key.expired $(fpr_of expired)" "$1: expired key stays expired"
	is "$(verdict_of rsa1024)" "reject crypto.weak-key $(fpr_of rsa1024)" "$1: 1024-bit key stays weak"
	is "$(verdict_of rsa)" "pass  $RSA" "$1: the reported signer is the real key"
}
check_verdicts "no cache tricks"

# facts KEYFILE: the K line of the old in-store cache (format 2) with the attack applied:
# revoked -> 0, expiry -> never, 1024 bits -> 4096, the RSA key's fingerprint -> another key's
facts() {
	gpg --batch --with-colons --show-keys "$1" 2>/dev/null | awk -F: -v rsa="$RSA" -v fake="$FAKE" '
		$1 == "pub" { bits = $3 == 1024 ? 4096 : $3; id = $5; created = $6 }
		$1 == "fpr" && !done { fpr = $10 == rsa ? fake : $10; done = 1
			printf "K %s %s %s 0 0 1 %s =RSA - -\n", fpr, id, created, bits }'
}
# the legacy cache's stamp: name, size, mtime (whole seconds) and sha256 of each key file
(cd "$S" && touch -d @1700000000 ./*.asc && {
	echo "rpmvet-keys-cache 2"
	for f in $(ls ./*.asc | sed 's|^\./||' | LC_ALL=C sort); do
		echo "F $f $(stat -c %s "$f") 1700000000 0 $(sha256sum < "$f" | cut -d' ' -f1)"
	done
	for f in $(ls ./*.asc | LC_ALL=C sort); do facts "$f"; done
} > .rpmvet-keys.cache)
grep -q "^K $FAKE " "$S/.rpmvet-keys.cache" && grep -q " 4096 =RSA" "$S/.rpmvet-keys.cache"
ok $? "the poisoned in-store cache is written"
legacy=$(sha256sum < "$S/.rpmvet-keys.cache")
check_verdicts "a poisoned cache in the store, warm user cache"
rm -rf "$HOME/.cache"
check_verdicts "a poisoned cache in the store, no user cache"
is "$(sha256sum < "$S/.rpmvet-keys.cache")" "$legacy" "nothing rewrites the in-store cache"
run rpmvet key list --keys "$S" --format json
jq_is ".keys[] | select(.fingerprint == \"$(fpr_of revoked)\") | .revoked" true "key list: still revoked"
jq_is "[.keys[].fingerprint] | index(\"$FAKE\")" null "key list: no made-up fingerprint"

# the per-user cache: $XDG_CACHE_HOME/rpmvet, private, one file per store
C=$(ls "$HOME"/.cache/rpmvet/keys-*.cache 2>/dev/null)
[ -n "$C" ] && [ "$(echo "$C" | wc -l)" -eq 1 ]; ok $? "one cache file in ~/.cache/rpmvet"
is "$(stat -c %a "$C") $(stat -c %a "$HOME/.cache/rpmvet")" "600 700" "cache file and directory are private"
export XDG_CACHE_HOME="$T/xdg"
run rpmvet verify --keys "$S" "$FX/srpms/rsa.src.rpm"
is_rc 0 "verify with XDG_CACHE_HOME set"
[ -f "$T/xdg/rpmvet/$(basename "$C")" ]; ok $? "the cache goes to \$XDG_CACHE_HOME/rpmvet"
C="$T/xdg/rpmvet/$(basename "$C")"

# warm: the cache is read, not derived again (the file is not rewritten)
before=$(stat -c '%i %Y.%y' "$C")
run rpmvet verify --keys "$S" "$FX/srpms/rsa.src.rpm" "$FX/srpms/revokedkey.src.rpm"
is_rc 1 "warm verify"
is "$(stat -c '%i %Y.%y' "$C")" "$before" "a warm run leaves the cache untouched (no gpg)"

# poison FILE: the revoked key's facts say not revoked, the 1024-bit key has 4096 bits
poison() {
	sed -e "/^K $(fpr_of revoked) /s/^\(K [^ ]* [^ ]* [^ ]* [^ ]*\) 1 /\1 0 /" \
	    -e "/^K $(fpr_of rsa1024) /s/ 1024 / 4096 /" "$C" > "$T/poisoned"
	! cmp -s "$C" "$T/poisoned"
}
poison; ok $? "the poisoned user cache differs"
for how in group-writable world-writable foreign-owned symlink; do
	cp "$T/poisoned" "$C" && chmod 600 "$C"
	case $how in
	group-writable) chmod 620 "$C" ;;
	world-writable) chmod 602 "$C" ;;
	foreign-owned)
		if [ "$(id -u)" -ne 0 ]; then ok 0 "# SKIP foreign-owned: needs root to chown"; continue; fi
		chown 65534 "$C" ;;
	symlink) mv "$C" "$T/elsewhere" && ln -s "$T/elsewhere" "$C" ;;
	esac
	is "$(verdict_of revokedkey)" "reject key.revoked $(fpr_of revoked)" "$how cache: revoked key stays revoked"
	is "$(verdict_of rsa1024)" "reject crypto.weak-key $(fpr_of rsa1024)" "$how cache: weak key stays weak"
	[ -f "$C" ] && [ ! -L "$C" ] && [ "$(stat -c '%u %a' "$C")" = "$(id -u) 600" ]
	ok $? "$how cache: replaced by a private one of ours"
	rm -f "$T/elsewhere"
done

# bound to the bytes: a poisoned entry of our own is not used once its key file changes
cp "$T/poisoned" "$C" && chmod 600 "$C"
echo >> "$S/$(fpr_of revoked).asc"
echo >> "$S/$(fpr_of rsa1024).asc"
is "$(verdict_of revokedkey)" "reject key.revoked $(fpr_of revoked)" "changed key file: its facts are derived again (revoked)"
is "$(verdict_of rsa1024)" "reject crypto.weak-key $(fpr_of rsa1024)" "changed key file: derived again (1024 bits)"

# a cache directory inside the store is never used
export XDG_CACHE_HOME="$S"
run rpmvet verify --keys "$S" "$FX/srpms/rsa.src.rpm"
is_rc 0 "verify with the cache directory inside the store"
[ ! -e "$S/rpmvet" ] || [ -z "$(ls -A "$S/rpmvet")" ]; ok $? "no cache is written into the store"
mkdir -p "$S/rpmvet" && cp "$T/poisoned" "$S/rpmvet/$(basename "$C")" && chmod 600 "$S/rpmvet/$(basename "$C")"
is "$(verdict_of revokedkey)" "reject key.revoked $(fpr_of revoked)" "a cache planted in the store is not read"
rm -rf "$S/rpmvet"

done_testing
