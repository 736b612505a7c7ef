/* SPDX-License-Identifier: MIT */
/* verify: the table of stages and its runner, over many packages in parallel. */
#include "ctx.h"
#include "error.h"
#include "verify.h"
#include "report.h"
#include "facts.h"
#include "judge.h"
#include "license.h"
#include "sig.h"
#include "stage.h"
#include "pkg.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_JOBS 256

/*
 * The pipeline, in order.  Later stages run even when an earlier one found
 * an error (a waiver may lift it); a package that lacks what a stage needs
 * (no header, not read completely, no policy) skips it.
 */
static const struct rv_stage stages[] = {
	{ "signature", RV_STAGE_EACH, 0, rv_stage_signature, NULL },
	{ "key", RV_STAGE_EACH, RV_NEEDS_SIGNER, rv_stage_key, NULL },
	{ "crypto", RV_STAGE_EACH, RV_NEEDS_HEADER, rv_stage_crypto, NULL },
	{ "provenance", RV_STAGE_EACH, RV_NEEDS_HEADER | RV_NEEDS_READ, rv_stage_provenance, NULL },
	{ "license", RV_STAGE_EACH, RV_NEEDS_HEADER | RV_NEEDS_READ | RV_NEEDS_POLICY,
	  rv_stage_license, NULL },
	{ "closure", RV_STAGE_BATCH, RV_NEEDS_HEADER | RV_NEEDS_READ | RV_NEEDS_POLICY,
	  NULL, rv_stage_closure },
	{ "upstream-key", RV_STAGE_SEQUENTIAL, RV_NEEDS_HEADER | RV_NEEDS_READ,
	  rv_prov_upstream_continuity, NULL },
	{ "repo", RV_STAGE_SEQUENTIAL, RV_NEEDS_HEADER | RV_NEEDS_READ, rv_stage_repo, NULL },
};

struct run {
	struct rv_report *report;
	struct rv_stage_ctx *ctx;
	const struct rv_keystore *ks;
	const struct rv_verify_options *opts;
	time_t now;
	size_t n;
	rv_stage_copy_fn copy;
	void *copy_data;
	atomic_size_t next, done;
};

void rv_pipeline_judge(struct rv_result *res, const struct rv_policy *pol, time_t now)
{
	rv_judge(res, pol, now);
}

static int has_check(const struct rv_result *res, const char *check)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		if (!strcmp(res->findings[i].check, check))
			return 1;
	return 0;
}

int rv_stage_ready(const struct rv_stage_ctx *c, unsigned needs)
{
	if ((needs & RV_NEEDS_HEADER) && !c->facts)
		return 0;
	if ((needs & RV_NEEDS_READ) && has_check(c->res, "io"))
		return 0;
	if ((needs & RV_NEEDS_POLICY) && !c->pol)
		return 0;
	if ((needs & RV_NEEDS_SIGNER) && !c->signer.key)
		return 0;
	if ((needs & RV_NEEDS_PASS) && c->res->verdict != RV_VERDICT_PASS)
		return 0;
	return 1;
}

/* A stage that could not run: an error of this package's run, naming the stage. */
static void stage_failed(struct rv_stage_ctx *c, const char *name, struct rv_error *err)
{
	char *m = err ? rv_error_string(err) : NULL;

	rv_finding_add(c->res, "stage.failed", "the %s stage could not run: %s",
		      name, m ? m : "unknown error");
	free(m);
}

void rv_stages_run(const struct rv_stage *table, size_t n, struct rv_stage_ctx *c)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct rv_error *err = NULL;
		if (table[i].kind != RV_STAGE_EACH || !rv_stage_ready(c, table[i].needs))
			continue;
		if (table[i].run(c, &err) < 0)
			stage_failed(c, table[i].name, err);
		rv_error_free(err);
	}
	rv_pipeline_judge(c->res, c->pol, c->now);
}

int rv_pipeline_sequential(struct rv_stage_ctx *c, struct rv_error **err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < RV_ARRAY_SIZE(stages) && !rc; i++)
		if (stages[i].kind == RV_STAGE_SEQUENTIAL && rv_stage_ready(c, stages[i].needs))
			rc = stages[i].run(c, err);
	rv_pipeline_judge(c->res, c->pol, c->now);
	return rc;
}

static void *worker(void *arg)
{
	struct run *run = arg;
	struct rv_sig_worker *w = rv_sig_worker_new(run->ks,
						   rv_policy_text_escape(run->opts->policy));
	size_t i;

	while ((i = atomic_fetch_add(&run->next, 1)) < run->n) {
		struct rv_stage_ctx *c = &run->ctx[i];

		c->sig = w;
		/* an admission verifies a private copy: what is placed is what was verified */
		if (!run->copy || !run->copy(run->copy_data, c->res, &c->staged)) {
			rv_stages_run(stages, RV_ARRAY_SIZE(stages), c);
		} else {
			rv_pipeline_judge(c->res, c->pol, c->now);
		}
		if (c->facts) {
			c->res->internal = c->facts;
			c->facts->staged = c->staged;
		} else if (c->staged) {
			unlink(c->staged); /* nothing to admit: the copy goes */
			free(c->staged);
		}
		c->staged = NULL;
		rv_pkg_free(c->pkg);
		c->pkg = NULL;
		c->sig = NULL;
		size_t d = atomic_fetch_add(&run->done, 1) + 1;
		if (run->opts->progress)
			run->opts->progress(d, run->n, run->opts->progress_data);
	}
	rv_sig_worker_free(w);
	return NULL;
}

/* The batch rows, each over the packages that are ready for it, then their judgement. */
static int run_batches(struct run *run, struct rv_error **err)
{
	struct rv_stage_ctx **v = rv_xcalloc(run->n + 1, sizeof(*v));
	size_t i, j, n;
	int rc = 0;

	for (i = 0; i < RV_ARRAY_SIZE(stages) && !rc; i++) {
		if (stages[i].kind != RV_STAGE_BATCH)
			continue;
		for (j = n = 0; j < run->n; j++)
			if (rv_stage_ready(&run->ctx[j], stages[i].needs))
				v[n++] = &run->ctx[j];
		rc = stages[i].batch(v, n, err);
		for (j = 0; j < n && !rc; j++)
			rv_pipeline_judge(v[j]->res, v[j]->pol, v[j]->now);
	}
	free(v);
	return rc;
}

int rv_verify(struct rv_report **out, struct rv_ctx *ctx,
	      const struct rv_keystore *ks, const char *const *paths,
	      size_t npaths, const struct rv_verify_options *opts,
	      struct rv_error **err)
{
	struct rv_verify_options o = RV_VERIFY_OPTIONS_INIT;

	/* the closure stage's cache: the options', else the context's */
	if (opts)
		o = *opts;
	o.closure_cache = rv_ctx_closure_cache(ctx, o.closure_cache, 0);
	return rv_verify_run(out, ks, paths, npaths, &o, NULL, NULL, err);
}

int rv_verify_run(struct rv_report **out, const struct rv_keystore *ks,
		  const char *const *paths, size_t npaths,
		  const struct rv_verify_options *opts, rv_stage_copy_fn copy,
		  void *copy_data, struct rv_error **err)
{
	static const struct rv_verify_options defaults = RV_VERIFY_OPTIONS_INIT;
	pthread_t th[MAX_JOBS];
	struct run run;
	size_t jobs, started = 0, i;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!ks)
		return rv_error_set(err, RV_EINVAL, "no trust store given");
	jobs = opts->jobs;
	if (!jobs) {
		/* the CPUs this process may run on, capped */
		cpu_set_t set;
		long c = sched_getaffinity(0, sizeof(set), &set) ? sysconf(_SC_NPROCESSORS_ONLN)
								    : CPU_COUNT(&set);
		jobs = c > 0 ? (size_t)c : 1;
		if (jobs > MAX_JOBS)
			jobs = MAX_JOBS;
	}
	if (jobs > MAX_JOBS)
		return rv_error_set(err, RV_EINVAL, "too many jobs: %zu (at most %d)",
				    jobs, MAX_JOBS);
	if (jobs > npaths)
		jobs = npaths ? npaths : 1;
	if (opts->sources && access(opts->sources, R_OK))
		return rv_error_set(err, RV_EINVAL, "cannot read the sources ledger '%s': %s", opts->sources,
				    strerror(errno));
	run.report = rv_report_new(paths, npaths);
	run.ks = ks;
	run.opts = opts;
	run.now = opts->now ? opts->now : time(NULL);
	run.n = npaths;
	run.copy = copy;
	run.copy_data = copy_data;
	run.ctx = rv_xcalloc(npaths + 1, sizeof(*run.ctx));
	for (i = 0; i < npaths; i++) {
		struct rv_stage_ctx *c = &run.ctx[i];
		c->res = rv_report_at(run.report, i);
		c->pol = opts->policy;
		c->now = run.now;
		c->ks = ks;
		c->file_digest = opts->file_digest;
		c->closure_cache = opts->closure_cache;
		c->sources = opts->sources;
		c->fetched = opts->origins && opts->origins[i].url ? &opts->origins[i] : NULL;
	}
	atomic_init(&run.next, 0);
	atomic_init(&run.done, 0);
	if (jobs == 1) {
		worker(&run);
	} else {
		for (i = 0; i < jobs; i++, started++)
			if (pthread_create(&th[i], NULL, worker, &run))
				break;
		if (!started)
			worker(&run); /* no thread at all: do the work here */
		for (i = 0; i < started; i++)
			pthread_join(th[i], NULL);
	}
	rc = run_batches(&run, err);
	free(run.ctx);
	if (rc) {
		rv_report_free(run.report); /* the staged copies go with their facts */
		return err && *err ? (*err)->code : RV_EIO;
	}
	*out = run.report;
	return 0;
}
