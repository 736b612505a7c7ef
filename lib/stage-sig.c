/* SPDX-License-Identifier: MIT */
/* stage-sig: signatures and digests, through the librpm adapter (sig.c). */
#include "stage.h"
#include "sig.h"

int rv_stage_signature(struct rv_stage_ctx *c, struct rv_error **err)
{
	(void)err;
	rv_sig_check(c->sig, c);
	return 0;
}
