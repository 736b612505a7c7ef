#!/bin/sh
# SPDX-License-Identifier: MIT
# Origin (issue #10 part 5): the path a package came from is recorded
# normalised (realpath of the input: absolute, no "..", links resolved) with
# its sha256, shown by show; provenance.origins restricts it.  A symbolic link
# counts as its target: the bytes come from where it points.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/data/repo-lib.sh"
need_fixtures

RT=$(realpath "$T")
mkdir -p "$RT/import/sub" "$RT/elsewhere"
cp "$FX/srpms/rsa.src.rpm" "$RT/import/sub/hello.src.rpm"
cp "$FX/srpms/rsa.src.rpm" "$RT/elsewhere/hello.src.rpm"
ln -s "$RT/elsewhere/hello.src.rpm" "$RT/import/link.src.rpm"
ln -s "$RT/import/sub/hello.src.rpm" "$RT/elsewhere/in.src.rpm"
SUM=$(sha "$FX/srpms/rsa.src.rpm")

# ---- recorded normalised, shown with its checksum ----
R="$T/plain"
new_repo "$R" || { echo "Bail out! setup"; exit 1; }
(cd "$RT/elsewhere" && "$RPMVET" admit --repo "$R" "../import/sub/../sub/hello.src.rpm") >"$T/out" 2>"$T/err"; rc=$?
is_rc 0 "admitted through a relative path with '..'"
run rpmvet show --repo "$R" --format json hello-1.0-1.src
jq_is '.package.origin' "$RT/import/sub/hello.src.rpm" "the origin is the real path"
jq_is '.package.sha256' "$SUM" "beside its sha256"
run rpmvet show --repo "$R" hello-1.0-1.src
out_has "origin           $RT/import/sub/hello.src.rpm" "text show names the origin"
out_has "sha256           $SUM" "and the checksum"
is "$(sqlite3 "$R/rpmvet.db" 'SELECT origin FROM packages')" "$RT/import/sub/hello.src.rpm" "recorded in the database"
run rpmvet audit verify --repo "$R"
is_rc 0 "bound to its event"
sqlite3 "$R/rpmvet.db" "UPDATE packages SET origin = '/somewhere/else.src.rpm'"
run rpmvet audit verify --repo "$R"
is_rc 1 "an edited origin is caught"
out_has "origin" "naming the column"

# ---- allowed origins ----
write_policy "$T/origins.yaml" "provenance:
  origins: [\"$RT/import/*\"]
"
R="$T/restricted"
new_repo "$R" "$T/origins.yaml" || { echo "Bail out! setup"; exit 1; }
st=$(packages_state "$R")
run rpmvet admit --repo "$R" "$RT/elsewhere/hello.src.rpm"
is_rc 1 "a package from outside the allowed origins is rejected"
out_has "error   provenance.origin.not-allowed: origin '$RT/elsewhere/hello.src.rpm' matches none of the allowed origins '$RT/import/*'" \
	"provenance.origin.not-allowed naming the origin and the patterns"
is "$(packages_state "$R")" "$st" "nothing placed"
run rpmvet admit --repo "$R" "$RT/import/link.src.rpm"
is_rc 1 "a link inside the allowed origins to a file outside is rejected"
out_has "origin '$RT/elsewhere/hello.src.rpm' matches none" "judged by its target"
run rpmvet admit --repo "$R" "$RT/elsewhere/in.src.rpm"
is_rc 0 "a link outside to a file inside is admitted"
run rpmvet show --repo "$R" --format json hello-1.0-1.src
jq_is '.package.origin' "$RT/import/sub/hello.src.rpm" "recorded as its target"
make_store "$T/keys" rsa
run rpmvet verify --keys "$T/keys" --policy "$T/origins.yaml" --format json "$RT/elsewhere/hello.src.rpm"
is_rc 1 "verify --policy applies the same rule"
jq_is '[.packages[0].findings[] | select(.check == "provenance") | .severity + ":" + .code] | join(" ")' \
	"error:provenance.origin.not-allowed" "one provenance finding, an error"

printf 'version: 1\nprovenance:\n  origins: [import/*]\n' > "$T/relative.yaml"
run rpmvet verify --keys "$T/keys" --policy "$T/relative.yaml" "$RT/import/sub/hello.src.rpm"
is_rc 2 "a relative origin pattern is refused"
err_has "provenance.origins: 'import/*' is not an absolute path pattern" "saying why"

done_testing
