/* SPDX-License-Identifier: MIT */
/* ctx: process-wide setup of the foreign libraries, done once. */
#ifndef RV_CTX_H
#define RV_CTX_H

#include "rpmvet.h"

/* The per-user cache directory set with rv_ctx_set_cache_dir(), or NULL. */
const char *rv_ctx_cache_dir(const struct rv_ctx *ctx);

#endif
