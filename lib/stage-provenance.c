/* SPDX-License-Identifier: MIT */
/*
 * stage-provenance: where a package's contents came from, one part a file
 * (prov-*.c): the embedded sources against the dist-git ledger, upstream
 * signatures over embedded tarballs, header rules, the origin.  It never
 * runs the embedded spec.  Every part runs; the first that cannot run fails
 * the stage.
 */
#include "prov.h"
#include "stage.h"

#include <stddef.h>

int rv_stage_provenance(struct rv_stage_ctx *c, struct rv_error **err)
{
	static int (*const parts[])(struct rv_stage_ctx *, struct rv_error **) = {
		rv_prov_sources,
		rv_prov_upstream,
		rv_prov_header,
		rv_prov_origin,
	};
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		int r = parts[i](c, rc ? NULL : err);
		if (r < 0 && !rc)
			rc = r;
	}
	return rc;
}
