/* SPDX-License-Identifier: MIT */
/* Tests the context: options defaults, the rpm configuration it carries, and
 * that the calls given a context use its cache directory and its logger. */
#include "tap.h"

#include "ctx.h"
#include "error.h"

#include <string.h>

#define RPMRC "/usr/lib/rpm/rpmrc"

struct log {
	char *all;
};

static void log_cb(int level, const char *msg, void *data)
{
	struct log *l = data;
	char *old = l->all;

	l->all = tap_fmt("%s%d %s\n", old ? old : "", level, msg);
	free(old);
}

/* A context logging into l, with this cache directory. */
static struct rv_ctx *logging_ctx(struct log *l, const char *cache)
{
	struct rv_ctx_options o = RV_CTX_OPTIONS_INIT;
	struct rv_ctx *ctx = NULL;

	o.log = log_cb;
	o.logdata = l;
	o.cache_dir = cache;
	assert_int_equal(rv_ctx_open(&ctx, &o, NULL), 0);
	return ctx;
}

static void test_options_defaults(void **state)
{
	struct rv_verify_options vo = RV_VERIFY_OPTIONS_INIT;
	struct rv_admit_options ao = RV_ADMIT_OPTIONS_INIT;
	struct rv_ctx_options co = RV_CTX_OPTIONS_INIT;

	(void)state;
	assert_int_equal(vo.jobs, 0);
	assert_int_equal(vo.now, 0);
	assert_null(vo.progress);
	assert_null(vo.progress_data);
	assert_int_equal(vo.file_digest, 1);
	assert_null(vo.policy);
	assert_null(vo.closure_cache);
	assert_int_equal(ao.jobs, 0);
	assert_int_equal(ao.dry_run, 0);
	assert_null(ao.actor);
	assert_int_equal(ao.now, 0);
	assert_null(ao.closure_cache);
	assert_null(co.log);
	assert_null(co.logdata);
	assert_null(co.rpm_config);
	assert_null(co.cache_dir);
}

/* Runs first: the first context of the process reads the rpm configuration. */
static void test_rpm_config(void **state)
{
	struct rv_ctx_options o = RV_CTX_OPTIONS_INIT;
	struct rv_ctx *a = NULL, *b = NULL, *c = NULL;
	struct rv_error *err = NULL;

	(void)state;
	o.rpm_config = RPMRC;
	assert_int_equal(rv_ctx_open(&a, &o, &err), 0);
	assert_string_equal(rv_ctx_rpm_config(a), RPMRC);
	/* one configuration a process: another is refused, not silently ignored */
	o.rpm_config = "/nonexistent/rpmrc";
	assert_int_equal(rv_ctx_open(&b, &o, &err), RV_EINVAL);
	assert_null(b);
	assert_string_equal(err->msg, "cannot use the rpm configuration '/nonexistent/rpmrc': this process read '" RPMRC "', and rpm has one configuration a process");
	rv_error_free(err);
	/* none named: the one the process has */
	assert_int_equal(rv_ctx_open(&c, NULL, NULL), 0);
	assert_string_equal(rv_ctx_rpm_config(c), RPMRC);
	rv_ctx_free(a);
	rv_ctx_free(c);
}

static int count_solv(const char *dir)
{
	char *ls = tap_ls(dir), *p;
	int n = 0;

	for (p = ls; p && (p = strstr(p, ".solv")); p++)
		n++;
	free(ls);
	return n;
}

static void test_closure_uses_ctx_cache_and_logger(void **state)
{
	char *tmp = tap_tmpdir(), *cache = tap_fmt("%s/cache", tmp), *other = tap_fmt("%s/other", tmp);
	char *up = tap_fixture("upstream"), *srpm = tap_fixture("buildreq/hello-br-1.0-1.src.rpm");
	const char *ups[] = { up }, *paths[] = { srpm };
	struct rv_closure_options co;
	struct rv_closure_report *r = NULL;
	struct log l = { NULL };
	struct rv_ctx *ctx = logging_ctx(&l, cache);

	(void)state;
	assert_string_equal(rv_ctx_cache_dir(ctx), cache);
	memset(&co, 0, sizeof(co));
	co.upstream = ups;
	co.nupstream = 1;
	/* no cache_dir in the options: the context's */
	assert_int_equal(rv_closure(&r, ctx, paths, 1, &co, NULL), 0);
	assert_int_equal(rv_closure_count(r), 1);
	assert_int_equal(rv_closure_result(r, 0)->nunresolved, 0);
	rv_closure_report_free(r);
	assert_int_equal(count_solv(cache), 1);
	assert_non_null(l.all);
	assert_non_null(strstr(l.all, "3 upstream '"));
	assert_non_null(strstr(l.all, "': parsed from its metadata (to be cached in '"));
	free(l.all);
	l.all = NULL;
	/* the second time from the cache, and the logger says so */
	assert_int_equal(rv_closure(&r, ctx, paths, 1, &co, NULL), 0);
	rv_closure_report_free(r);
	assert_non_null(l.all);
	assert_non_null(strstr(l.all, "': read from the cache '"));
	free(l.all);
	l.all = NULL;
	/* the options' directory wins; no_cache means none at all */
	co.cache_dir = other;
	assert_int_equal(rv_repoclosure(&r, ctx, &co, NULL), 0);
	rv_closure_report_free(r);
	assert_int_equal(count_solv(other), 1);
	co.no_cache = 1;
	tap_rmtree(cache);
	assert_int_equal(rv_closure(&r, ctx, paths, 1, &co, NULL), 0);
	rv_closure_report_free(r);
	assert_int_equal(count_solv(cache), 0);
	assert_non_null(strstr(l.all, "': parsed from its metadata\n"));
	free(l.all);
	rv_ctx_free(ctx);
	tap_rmtree(tmp);
	free(tmp);
	free(cache);
	free(other);
	free(up);
	free(srpm);
}

static void test_keystore_logs_to_ctx(void **state)
{
	char *tmp = tap_tmpdir(), *cache = tap_fmt("%s/cache", tmp), *store = tap_fmt("%s/keys", tmp);
	char *key = tap_fixture("keys/rsa.asc");
	struct rv_keystore *ks = NULL;
	struct log l = { NULL };
	struct rv_ctx *ctx = logging_ctx(&l, cache);

	(void)state;
	assert_int_equal(rv_keystore_open(&ks, ctx, store, 1, NULL), 0);
	assert_int_equal(rv_keystore_add(ks, key, NULL, NULL), 0);
	rv_keystore_free(ks);
	assert_non_null(strstr(l.all, "': key facts derived with gpg"));
	free(l.all);
	l.all = NULL;
	assert_int_equal(rv_keystore_open(&ks, ctx, store, 0, NULL), 0);
	assert_int_equal(rv_keystore_count(ks), 1);
	rv_keystore_free(ks);
	assert_non_null(l.all);
	assert_non_null(strstr(l.all, "': key facts read from the cache '"));
	free(l.all);
	rv_ctx_free(ctx);
	tap_rmtree(tmp);
	free(tmp);
	free(cache);
	free(store);
	free(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpm_config),
		cmocka_unit_test(test_options_defaults),
		cmocka_unit_test(test_closure_uses_ctx_cache_and_logger),
		cmocka_unit_test(test_keystore_logs_to_ctx),
	};

	tap_require_fixtures();
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
