/* SPDX-License-Identifier: MIT */
/* verify: run the signature, digest and license checks over many packages in parallel. */
#ifndef RV_VERIFY_H
#define RV_VERIFY_H

#include "rpmvet.h"

/*
 * rv_verify(); with collect, passing results keep their SBOM facts
 * (res->internal) and, with stage_dir, a copy of the verified bytes there.
 */
int rv_verify_run(struct rv_report **out, const struct rv_keystore *ks,
		  const char *const *paths, size_t npaths,
		  const struct rv_verify_options *opts, int collect,
		  const char *stage_dir, struct rv_error **err);

#endif
