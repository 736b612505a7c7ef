/* SPDX-License-Identifier: MIT */
/* ctx: process-wide setup of the foreign libraries, done once. */
#include "ctx.h"
#include "error.h"
#include "keys.h"
#include "pkg.h"
#include "repo.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct rv_ctx {
	rv_log_fn log;
	void *logdata;
	char *cache_dir;
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc;
static struct rv_error *init_err;
static rv_log_fn init_log;
static void *init_logdata;

static void global_init(void)
{
	init_rc = rv_pkg_global_init(init_log, init_logdata, &init_err);
	if (!init_rc)
		init_rc = rv_keys_global_init(&init_err);
	if (!init_rc)
		init_rc = rv_repo_global_init(&init_err);
}

int rv_ctx_new(struct rv_ctx **out, rv_log_fn log, void *logdata,
	       struct rv_error **err)
{
	struct rv_ctx *ctx;

	*out = NULL;
	init_log = log;
	init_logdata = logdata;
	pthread_once(&once, global_init);
	if (init_rc)
		return rv_error_set(err, init_rc, "%s",
				    init_err ? init_err->msg : "initialisation failed");
	ctx = rv_xcalloc(1, sizeof(*ctx));
	ctx->log = log;
	ctx->logdata = logdata;
	*out = ctx;
	return 0;
}

void rv_ctx_free(struct rv_ctx *ctx)
{
	if (!ctx)
		return;
	free(ctx->cache_dir);
	free(ctx);
}

void rv_ctx_set_cache_dir(struct rv_ctx *ctx, const char *dir)
{
	free(ctx->cache_dir);
	ctx->cache_dir = dir && *dir ? rv_xstrdup(dir) : NULL;
}

const char *rv_ctx_cache_dir(const struct rv_ctx *ctx)
{
	return ctx ? ctx->cache_dir : NULL;
}
