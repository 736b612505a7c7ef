/* SPDX-License-Identifier: MIT */
/*
 * stage-provenance: the provenance stage, one call per part (each in its own
 * prov-*.c file).  Every part runs; one part's finding never hides another's.
 */
#include "stage.h"
#include "prov.h"

int rv_stage_provenance(struct rv_stage_ctx *c, struct rv_error **err)
{
	int rc = rv_prov_header(c, err);

	if (!rc)
		rc = rv_prov_origin(c, err);
	return rc;
}
