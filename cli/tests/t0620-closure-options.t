#!/bin/sh
# SPDX-License-Identifier: MIT
# closure needs upstreams: --upstream, or the closure.upstream of --repo's
# policy; repo closure takes (and lists in --help) only the options that apply
# to it; the JSON says "resolved" for "every BuildRequires resolved" and names
# the dynamic-BuildRequires state by its own field.
. "$(dirname "$0")/lib.sh"
need_fixtures

UP="$FX/upstream"
BR="$FX/buildreq"

# ---- closure without any upstream ----
run rpmvet closure "$BR/hello-br-1.0-1.src.rpm"
is_rc 2 "closure without --upstream is a usage error"
err_has "rpmvet: error: give at least one --upstream PATH (or --repo DIR whose policy names closure.upstream)" "says what is missing"
out_empty "and resolves nothing"
run rpmvet closure --format json "$BR/hello-br-1.0-1.src.rpm"
is_rc 2 "also with --format json"
out_empty "no document claiming every dependency unresolved"

rpmvet init "$T/bare" >/dev/null 2>&1
run rpmvet closure --repo "$T/bare" "$BR/hello-br-1.0-1.src.rpm"
is_rc 2 "--repo whose policy names no closure.upstream"
err_has "give at least one --upstream PATH: the policy of '$T/bare' names no closure.upstream" "says so"
out_empty "and resolves nothing"

# a policy naming upstreams (enforced or not), with its build group
printf 'version: 1\nclosure:\n  upstream: [%s]\n  build-group: [make]\n' "$UP" > "$T/pol-up.yaml"
rpmvet init "$T/cur" --policy "$T/pol-up.yaml" >/dev/null 2>&1
run rpmvet closure --repo "$T/cur" --format json "$BR/needsdata-1.0-1.src.rpm"
is_rc 0 "--repo alone: resolved over its policy's closure.upstream"
jq_is '.packages[0].closure | join(" ")' \
	"datapkg-1.0-1.noarch glibc-2.36-1.x86_64 make-4.3-1.x86_64 openssl-devel-3.0.9-1.x86_64 perl-5.36.0-1.x86_64 python3-3.11.2-1.x86_64 wantsrich-1.0-1.noarch zlib-devel-1.2.13-1.x86_64" \
	"with the policy's build group, as admit's closure stage resolves it (make, and perl through (perl if make))"
jq_is '.packages[0].frontier | length' 8 "and the frontier against that repository"
run rpmvet closure --repo "$T/cur" --upstream "$FX/cycle" --format json "$BR/needsdata-1.0-1.src.rpm"
is_rc 1 "an explicit --upstream wins over the policy's"
run rpmvet closure --repo "$T/nowhere" "$BR/needsdata-1.0-1.src.rpm"
is_rc 3 "a missing repository"

# ---- repo closure lists and takes only its own options ----
run rpmvet repo closure --help
is_rc 0 "repo closure --help"
out_has "--upstream PATH" "lists --upstream"
out_has "--no-cache" "and --no-cache"
out_lacks "--repo" "not --repo, which applies only to closure"
out_lacks "--recursive" "nor --recursive"
run rpmvet closure --help
out_has "--recursive" "closure --help lists --recursive"
out_has "--repo DIR" "and --repo"
run rpmvet repo closure --repo "$T/cur" --upstream "$UP"
is_rc 2 "repo closure --repo"
err_has "unknown option '--repo'" "is refused as an unknown option"
run rpmvet repo closure --recursive --upstream "$UP"
is_rc 2 "repo closure --recursive"
err_has "unknown option '--recursive'" "likewise"

# ---- the JSON: resolved, dynamic_buildrequires ----
cl() { rpmvet closure --upstream "$UP" --format json "$@"; }
run cl "$BR/needsmissing-1.0-1.src.rpm"
is_rc 1 "a BuildRequires unresolved"
jq_is '.packages[0] | [.resolved, .dynamic_buildrequires, has("complete")] | @tsv' "false	false	false" \
	"resolved is false, and there is no 'complete' to read as resolved"
run cl "$BR/hello-br-1.0-1.src.rpm"
is_rc 0 "everything resolves"
jq_is '.packages[0] | [.resolved, .dynamic_buildrequires] | @tsv' "true	false" "resolved"
run cl "$BR/dynamic-1.0-1.src.rpm"
is_rc 0 "dynamic BuildRequires, the static ones resolved"
jq_is '.packages[0] | [.resolved, .dynamic_buildrequires] | @tsv' "true	true" "resolved, and dynamic_buildrequires says the closure is partial"
run cl "$T/missing.src.rpm"
is_rc 3 "an unreadable SRPM"
jq_is '.packages[0] | [.resolved, .dynamic_buildrequires] | @tsv' "false	false" "is not resolved"

done_testing
