#!/bin/sh
# SPDX-License-Identifier: MIT
# The library context carries the cache directory and the logger into the
# calls: closure, verify and admit use its cache without being told in their
# options, --no-cache uses none, and with -vv the trust store and the closure
# say on stderr which cache they used.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

UP="$FX/upstream"
H="$FX/buildreq/hello-br-1.0-1.src.rpm"
C="$HOME/.cache/rpmvet"
solv() { ls "$1"/*.solv 2>/dev/null | wc -l; }

run rpmvet -vv closure --no-cache --upstream "$UP" "$H"
is_rc 0 "closure --no-cache"
err_has "rpmvet: debug: upstream '$UP': parsed from its metadata" "-vv says the upstream was parsed"
! grep -qF "to be cached" "$T/err"; ok $? "and not cached"
is "$(solv "$C")" 0 "no cache written"
run rpmvet -vv closure --upstream "$UP" "$H"
is_rc 0 "closure with the context's cache"
err_has "rpmvet: debug: upstream '$UP': parsed from its metadata (to be cached in '$C')" "names the cache it writes"
is "$(solv "$C")" 1 "one cache file written there"
run rpmvet -vv closure --upstream "$UP" "$H"
err_has "rpmvet: debug: upstream '$UP': read from the cache '$C'" "the second run reads it"
run rpmvet closure --upstream "$UP" "$H"
err_empty "without -vv, nothing on stderr"

# verify and admit: the closure stage takes the context's cache
printf 'version: 1\nlicenses:\n  categories: {MIT: allowed}\nclosure:\n  upstream: [%s]\n  enforce: error\n' "$UP" > "$T/pol.yaml"
make_store "$T/ks" rsa
XDG_CACHE_HOME="$T/xv" run rpmvet verify --keys "$T/ks" --policy "$T/pol.yaml" "$H"
is_rc 1 "verify with the closure stage (unsigned: rejected, the closure stage runs all the same)"
is "$(solv "$T/xv/rpmvet")" 1 "its closure cache is the context's"
rpmvet init "$T/repo" --policy "$T/pol.yaml" >/dev/null
rpmvet key add --repo "$T/repo" "$FX/keys/rsa.asc" >/dev/null
XDG_CACHE_HOME="$T/xa" run rpmvet admit --repo "$T/repo" "$H"
is_rc 1 "admit with the closure stage (rejected as unsigned, resolved all the same)"
is "$(solv "$T/xa/rpmvet")" 1 "its closure cache is the context's"

# the trust store's key facts
XDG_CACHE_HOME="$T/xk" run rpmvet -vv key list --keys "$T/ks"
is_rc 0 "key list -vv"
err_has "rpmvet: debug: trust store '$T/ks': key facts derived with gpg (the cache had no entry for every key file)" "first derived with gpg"
XDG_CACHE_HOME="$T/xk" run rpmvet -vv key list --keys "$T/ks"
err_has "rpmvet: debug: trust store '$T/ks': key facts read from the cache '$T/xk/rpmvet/keys-" "then read from the cache"
XDG_CACHE_HOME="$T/xk" run rpmvet -v key list --keys "$T/ks"
err_empty "-v alone does not show debug notes"

done_testing
