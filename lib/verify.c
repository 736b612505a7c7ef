/* SPDX-License-Identifier: MIT */
/* verify: run the signature and digest checks over many packages in parallel. */
#include "ctx.h"
#include "error.h"
#include "verify.h"
#include "report.h"
#include "facts.h"
#include "license.h"
#include "sig.h"
#include "util.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_JOBS 256

struct run {
	struct rv_report *report;
	const struct rv_keystore *ks;
	const struct rv_verify_options *opts;
	time_t now;
	size_t n;
	int collect;
	const char *stage;
	atomic_size_t next, done;
};

/* The license stage: the License tag against the policy, findings appended. */
static void license_stage(struct run *run, struct rv_result *res)
{
	struct rv_license_result lr;
	size_t i;

	if (!res->nevra)
		return; /* no header: nothing to judge, already rejected */
	if (!res->license) {
		rv_result_add(res, "license", "license.missing", RV_SEV_ERROR,
			      "the package has no License tag");
	} else {
		rv_license_check(&lr, run->opts->policy, res->license, res->name, run->now);
		for (i = 0; i < lr.nfindings; i++)
			rv_result_add(res, "license", lr.findings[i].code, lr.findings[i].severity,
				      "%s", lr.findings[i].message);
		rv_license_result_release(&lr);
	}
	res->verdict = rv_result_verdict(res);
}

/*
 * The closure stage: BuildRequires of the source packages that got this far,
 * resolved together in one libsolv pool over the policy's upstream.
 */
static int closure_stage(struct run *run, struct rv_error **err)
{
	struct rv_closure_options co;
	struct rv_closure_report *cr = NULL;
	enum rv_severity sev;
	const char **paths;
	size_t *idx, n = 0, i, j;
	int rc;

	if (!rv_policy_closure(run->opts->policy, &co, &sev))
		return 0;
	co.cache_dir = run->opts->closure_cache;
	paths = rv_xcalloc(run->n + 1, sizeof(*paths));
	idx = rv_xcalloc(run->n + 1, sizeof(*idx));
	for (i = 0; i < run->n; i++) {
		struct rv_result *res = rv_report_at(run->report, i);
		const struct rv_facts *f = res->internal;
		if (!res->is_source || !res->nevra || res->verdict == RV_VERDICT_ERROR)
			continue;
		/* an admission resolves the private copy it verified */
		paths[n] = f && f->staged ? f->staged : res->path;
		idx[n++] = i;
	}
	rc = n ? rv_closure(&cr, NULL, paths, n, &co, err) : 0;
	for (i = 0; !rc && i < n; i++) {
		const struct rv_closure_result *x = rv_closure_result(cr, i);
		struct rv_result *res = rv_report_at(run->report, idx[i]);
		for (j = 0; j < x->nunresolved; j++)
			rv_result_add(res, "closure", "closure.unresolved", sev,
				      "BuildRequires %s cannot be resolved: %s",
				      x->unresolved[j].dependency, x->unresolved[j].reason);
		if (x->dynamic_buildrequires)
			rv_result_add(res, "closure", "closure.partial", RV_SEV_WARNING,
				      "dynamic BuildRequires: the closure of the static ones only");
		if (x->nunresolved == 0)
			rv_result_add(res, "closure", "closure.ok", RV_SEV_INFO,
				      "BuildRequires resolve: %zu binary package(s) from %zu source package(s)",
				      x->nclosure, x->nsources);
		res->verdict = rv_result_verdict(res);
	}
	rv_closure_report_free(cr);
	free(paths);
	free(idx);
	return rc;
}

static void *worker(void *arg)
{
	struct run *run = arg;
	struct rv_sig_worker *w = rv_sig_worker_new(run->ks, run->now,
						   run->opts->file_digest);
	size_t i;

	rv_sig_worker_collect(w, run->collect, run->stage);
	rv_sig_worker_text(w, rv_policy_text_escape(run->opts->policy));
	while ((i = atomic_fetch_add(&run->next, 1)) < run->n) {
		struct rv_result *res = rv_report_at(run->report, i);
		rv_sig_check(w, res);
		if (run->opts->policy && res->verdict != RV_VERDICT_ERROR)
			license_stage(run, res);
		size_t d = atomic_fetch_add(&run->done, 1) + 1;
		if (run->opts->progress)
			run->opts->progress(d, run->n, run->opts->progress_data);
	}
	rv_sig_worker_free(w);
	return NULL;
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
	return rv_verify_run(out, ks, paths, npaths, &o, 0, NULL, err);
}

int rv_verify_run(struct rv_report **out, const struct rv_keystore *ks,
		  const char *const *paths, size_t npaths,
		  const struct rv_verify_options *opts, int collect,
		  const char *stage_dir, struct rv_error **err)
{
	static const struct rv_verify_options defaults = RV_VERIFY_OPTIONS_INIT;
	pthread_t th[MAX_JOBS];
	struct run run;
	size_t jobs, started = 0, i;

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
	run.report = rv_report_new(paths, npaths);
	run.ks = ks;
	run.opts = opts;
	run.now = opts->now ? opts->now : time(NULL);
	run.n = npaths;
	run.collect = collect;
	run.stage = stage_dir;
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
	if (opts->policy && closure_stage(&run, err)) {
		rv_report_free(run.report);
		return err && *err ? (*err)->code : RV_EIO;
	}
	*out = run.report;
	return 0;
}
