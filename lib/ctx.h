/* SPDX-License-Identifier: MIT */
/* ctx: process-wide setup of the foreign libraries, and what a context carries. */
#ifndef RV_CTX_H
#define RV_CTX_H

#include "rpmvet.h"

/* The per-user cache directory set with rv_ctx_set_cache_dir(), or NULL. */
const char *rv_ctx_cache_dir(const struct rv_ctx *ctx);

/*
 * The closure cache a call uses: none with no_cache, else the directory its
 * options name, else the context's cache directory (NULL: none).
 */
const char *rv_ctx_closure_cache(const struct rv_ctx *ctx, const char *dir, int no_cache);

/* A diagnostic to the context's logger (level as rv_log_fn); nothing when
 * ctx or its logger is NULL. */
void rv_ctx_log(const struct rv_ctx *ctx, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The logger of a context, for objects that outlive the call (NULL: none). */
rv_log_fn rv_ctx_logger(const struct rv_ctx *ctx, void **data);

#endif
