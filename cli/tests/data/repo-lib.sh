# SPDX-License-Identifier: MIT
# Helpers for the curated-repository tests (t05xx): source after lib.sh.
# Packages are built and signed in $T with a copy of the fixture GNUPGHOME.

# A policy that accepts the fixture licenses (MIT, Apache-2.0, CC0-1.0).
write_policy() { # FILE [EXTRA-YAML]
	printf 'version: 1\nlicenses:\n  accept: [allowed]\n  categories:\n    MIT: allowed\n    Apache-2.0: allowed\n    CC0-1.0: allowed\n    SSPL-1.0: not-allowed\n%s' "${2:-}" > "$1"
}

# new_repo DIR [POLICY]: init, trust the rsa and ed25519 fixture keys
new_repo() {
	_pol=${2:-$T/policy.yaml}
	[ -f "$_pol" ] || write_policy "$_pol"
	"$RPMVET" init "$1" --policy "$_pol" >/dev/null &&
		"$RPMVET" key add --repo "$1" "$FX/keys/rsa.asc" "$FX/keys/ed25519.asc" >/dev/null
}

# mkspec FILE NAME VERSION RELEASE [EPOCH [LICENSE [EXTRA-PREAMBLE]]]: a tiny spec, no sources
mkspec() {
	{
		printf 'Name: %s\nVersion: %s\nRelease: %s\n' "$2" "$3" "$4"
		[ -n "${5:-}" ] && printf 'Epoch: %s\n' "$5"
		printf 'Summary: rpmvet repository test package\nLicense: %s\n' "${6:-MIT}"
		[ -n "${7:-}" ] && printf '%s\n' "$7"
		printf '%%description\nTest package.\n%%files\n'
	} > "$1"
}

# build_srpms OUTDIR SPEC...: rpmbuild -bs (one process for all specs)
build_srpms() {
	_o=$1; shift
	mkdir -p "$_o" "$T/rpmbuild/SOURCES"
	rpmbuild --quiet -bs --define "_topdir $T/rpmbuild" --define "_srcrpmdir $_o" \
		--define "_sourcedir $T/rpmbuild/SOURCES" --define "_buildhost build.test" \
		"$@" </dev/null >"$T/rpmbuild.log" 2>&1
}

# sign_pkgs KEY FILE...: rpmsign with a fixture key (rsa or ed25519), then stop gpg-agent
sign_pkgs() {
	_k=$1; shift
	if [ ! -d "$T/g" ]; then
		cp -r "$FX/gnupg" "$T/g" && chmod 700 "$T/g" || return 1
	fi
	GNUPGHOME=$T/g rpmsign --addsign --define "__gpg /usr/bin/gpg" --define "_gpg_path $T/g" \
		--define "_gpg_name <$_k@fixture.test>" "$@" </dev/null >"$T/rpmsign.log" 2>&1
	_rc=$?
	gpgconf --homedir "$T/g" --kill all >/dev/null 2>&1
	return $_rc
}

# state DIR: every path under DIR with its type, mode, size and sha256 (for "nothing changed")
state() {
	(cd "$1" && find . -printf '%y %m %s %p\n' | LC_ALL=C sort) | while read -r y m s p; do
		if [ "$y" = f ]; then
			printf '%s %s %s %s %s\n' "$y" "$m" "$s" "$p" "$(sha256sum < "$1/$p" | cut -c1-64)"
		else
			printf '%s %s %s\n' "$y" "$m" "$p"
		fi
	done
}

# packages_state DIR: Packages/ and repodata/ of a repository (not the database)
packages_state() { state "$1/Packages"; state "$1/repodata"; }

# wait until the clock shows the next second (event times have one-second resolution)
next_second() { _s=$(date +%s); while [ "$(date +%s)" = "$_s" ]; do sleep 0.05; done; }

sha() { sha256sum < "$1" | cut -c1-64; }

# rehash DB ID: event ID's hash in format 3, computed as rpmvet does (each field as
# its length in bytes, ':', the bytes, ';'; NULL as '-;'), for faked older databases
lp() { echo "(CASE WHEN $1 IS NULL THEN '-;' ELSE length(CAST(CAST($1 AS TEXT) AS BLOB)) || ':' || CAST($1 AS TEXT) || ';' END)"; }
rehash() {
	_sql="SELECT 'rpmvet-event-3;' || $(lp prev_hash) || id || ';'"
	for c in time actor tool_version policy_sha256 kind subject verdict detail findings epoch name record; do
		_sql="$_sql || $(lp $c)"
	done
	sqlite3 -newline '' "$1" "$_sql FROM events WHERE id = $2" | sha256sum | cut -c1-64
}

# rechain DB LAST SCHEMA: re-hash events 1..LAST in order (format 3), put back the
# append-only triggers (the caller dropped them for its edit), set the schema version
rechain() {
	_prev=$(printf '0%.0s' $(seq 64))
	for _i in $(seq 1 "$2"); do
		sqlite3 "$1" "UPDATE events SET prev_hash = '$_prev' WHERE id = $_i"
		_prev=$(rehash "$1" "$_i")
		sqlite3 "$1" "UPDATE events SET hash = '$_prev' WHERE id = $_i"
	done
	sqlite3 "$1" "CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
		BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
		CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
		BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
		UPDATE meta SET value = '$3' WHERE key = 'schema'"
}
