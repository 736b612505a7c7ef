/* SPDX-License-Identifier: MIT */
/* ctx: process-wide setup of the foreign libraries, done once, and the state
 * a context carries into the calls given it (logger, rpm configuration, cache). */
#include "ctx.h"
#include "error.h"
#include "fetch.h"
#include "keys.h"
#include "pkg.h"
#include "repo.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
/* the rpm configuration the process read: rpm has one, for every context */
static char *init_rpm_config;

static void global_init(void)
{
	init_rc = rv_pkg_global_init(init_log, init_logdata, init_rpm_config, &init_err);
	if (!init_rc)
		init_rc = rv_keys_global_init(&init_err);
	if (!init_rc)
		init_rc = rv_repo_global_init(&init_err);
	if (!init_rc)
		init_rc = rv_fetch_global_init(&init_err);
}

int rv_ctx_open(struct rv_ctx **out, const struct rv_ctx_options *opts, struct rv_error **err)
{
	static const struct rv_ctx_options defaults = RV_CTX_OPTIONS_INIT;
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	const char *rc_files;
	static int started;
	struct rv_ctx *ctx;
	int differs;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	rc_files = opts->rpm_config && *opts->rpm_config ? opts->rpm_config : NULL;
	pthread_mutex_lock(&lock);
	if (!started) {
		started = 1;
		init_log = opts->log;
		init_logdata = opts->logdata;
		init_rpm_config = rc_files ? rv_xstrdup(rc_files) : NULL;
	}
	pthread_once(&once, global_init);
	differs = rc_files && (!init_rpm_config || strcmp(rc_files, init_rpm_config));
	pthread_mutex_unlock(&lock);
	if (init_rc)
		return rv_error_set(err, init_rc, "%s",
				    init_err ? init_err->msg : "initialisation failed");
	if (differs)
		return rv_error_set(err, RV_EINVAL,
				    "cannot use the rpm configuration '%s': this process read %s%s%s, and rpm has one configuration a process",
				    rc_files, init_rpm_config ? "'" : "rpm's default",
				    init_rpm_config ? init_rpm_config : "", init_rpm_config ? "'" : "");
	ctx = rv_xcalloc(1, sizeof(*ctx));
	ctx->log = opts->log;
	ctx->logdata = opts->logdata;
	rv_ctx_set_cache_dir(ctx, opts->cache_dir);
	*out = ctx;
	return 0;
}

int rv_ctx_new(struct rv_ctx **out, rv_log_fn log, void *logdata,
	       struct rv_error **err)
{
	struct rv_ctx_options o = RV_CTX_OPTIONS_INIT;

	o.log = log;
	o.logdata = logdata;
	return rv_ctx_open(out, &o, err);
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

const char *rv_ctx_rpm_config(const struct rv_ctx *ctx)
{
	(void)ctx; /* one a process: every context has the one that was read */
	return init_rpm_config;
}

const char *rv_ctx_closure_cache(const struct rv_ctx *ctx, const char *dir, int no_cache)
{
	return no_cache ? NULL : dir ? dir : rv_ctx_cache_dir(ctx);
}

void rv_ctx_log(const struct rv_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;
	char *m;

	if (!ctx || !ctx->log)
		return;
	va_start(ap, fmt);
	m = rv_xvasprintf(fmt, ap);
	va_end(ap);
	ctx->log(level, m, ctx->logdata);
	free(m);
}

rv_log_fn rv_ctx_logger(const struct rv_ctx *ctx, void **data)
{
	*data = ctx ? ctx->logdata : NULL;
	return ctx ? ctx->log : NULL;
}
