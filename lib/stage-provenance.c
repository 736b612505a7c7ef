/* SPDX-License-Identifier: MIT */
/*
 * stage-provenance: where a source package's embedded files came from, one
 * function per part (prov-*.c).  It never runs the embedded spec.
 */
#include "stage.h"

int rv_stage_provenance(struct rv_stage_ctx *c, struct rv_error **err)
{
	return rv_prov_upstream(c, err);
}
