# SPDX-License-Identifier: MIT
# Helpers for the fetch tests (t13xx): source after lib.sh and repo-lib.sh.
# Servers bind 127.0.0.1 on a port the kernel picks; each test stops its own.

SERVER=$(dirname "$0")/data/fetch-server.py

# fetch_setup TOOL...: the fixtures, these tools (else skip the file), and a
# cache of this test's own (the freshness floors and metadata live there)
fetch_setup() {
	need_fixtures
	for _tool in createrepo_c python3 "$@"; do
		command -v "$_tool" >/dev/null || skip_all "$_tool is not installed"
	done
	export XDG_CACHE_HOME="$T/cache"
}
SERVERS=""

# serve NAME ROOT [ARGS...]: start the misbehaving server; sets $PORT and $NAME_port;
# its request log is $T/NAME.log
serve() {
	_sv=$1; shift
	rm -f "$T/$_sv.port"
	python3 "$SERVER" "$@" >"$T/$_sv.port" 2>"$T/$_sv.log" &
	SERVERS="$SERVERS $!"
	_i=0
	while [ ! -s "$T/$_sv.port" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	PORT=$(head -n1 "$T/$_sv.port")
	[ -n "$PORT" ] || { echo "Bail out! server $_sv did not start"; cat "$T/$_sv.log"; exit 1; }
	eval "${_sv}_port=$PORT"
}

stop_servers() {
	for _p in $SERVERS; do kill "$_p" 2>/dev/null; wait "$_p" 2>/dev/null; done
	SERVERS=""
}
trap 'stop_servers; rm -rf "$T"' EXIT

# mk_upstream DIR SRPM...: an rpm-md source repository (Packages/ + repodata/)
mk_upstream() {
	_d=$1; shift
	mkdir -p "$_d/Packages" && cp "$@" "$_d/Packages/" && createrepo_c -q "$_d" >/dev/null
}

# primary_of DIR: the path of DIR's primary metadata
primary_of() { echo "$1/$(xmllint --xpath "string(//*[local-name()='data'][@type='primary']/*[local-name()='location']/@href)" "$1/repodata/repomd.xml")"; }

# nothing_partial DIR: no file left but complete ones (no temporary, no .part)
nothing_partial() { find "$1" -name '.rpmvet-*' | grep -q . && return 1; return 0; }
