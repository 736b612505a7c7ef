/* SPDX-License-Identifier: MIT */
/*
 * prov-origin: where a package came from.  The input path is normalised
 * (realpath: absolute, no "." or "..", every symbolic link resolved) and kept
 * in the facts, which admit records as the package's origin beside its
 * sha256; the policy's provenance.origins globs restrict it.  A link counts
 * as its target: the bytes come from where the link points.  A downloaded
 * package's origin is its URL, kept with its mirror, the sha256 of the
 * repomd.xml that pinned its checksum and that checksum.
 */
#include "prov.h"
#include "facts.h"
#include "report.h"
#include "stage.h"
#include "util.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int rv_prov_origin(struct rv_stage_ctx *c, struct rv_error **err)
{
	const struct rv_prov_policy *pp = rv_policy_provenance(c->pol);
	struct rv_facts *f = c->facts;
	char *real, list[512];
	size_t i;

	(void)err;
	if (!f || !c->res->path)
		return 0;
	if (!f->origin && c->fetched) {
		f->origin = rv_xstrdup(c->fetched->url);
		f->origin_mirror = c->fetched->mirror ? rv_xstrdup(c->fetched->mirror) : NULL;
		f->origin_repomd_sha256 = c->fetched->repomd_sha256 ?
					  rv_xstrdup(c->fetched->repomd_sha256) : NULL;
		f->origin_checksum = c->fetched->checksum ? rv_xstrdup(c->fetched->checksum) : NULL;
	}
	if (!f->origin) {
		/* the file was opened a moment ago: a path that no longer resolves is kept as given */
		real = realpath(c->res->path, NULL);
		f->origin = real ? real : rv_xstrdup(c->res->path);
	}
	if (!pp || !pp->origins)
		return 0;
	for (i = 0; pp->origins[i]; i++)
		if (!fnmatch(pp->origins[i], f->origin, 0))
			return 0;
	rv_finding_add(c->res, "provenance.origin.not-allowed",
		      "origin '%s' matches none of the allowed origins %s", f->origin,
		      rv_prov_globs(pp->origins, list, sizeof(list)));
	return 0;
}
