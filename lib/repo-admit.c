/* SPDX-License-Identifier: MIT */
/*
 * repo-admit: admission into the curated repository.  The packages are
 * verified on private copies staged in REPO/.incoming, the repository rules
 * (downgrade, replacement, re-admission, restore) decide who may enter, and
 * those that pass are recorded and placed in one transaction.
 */
#include "curated.h"
#include "ctx.h"
#include "error.h"
#include "facts.h"
#include "license.h"
#include "pkg.h"
#include "report.h"
#include "repo.h"
#include "util.h"
#include "stage.h"
#include "verify.h"

#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The test hook: test builds (-DRV_TEST_HOOKS, build/test/rpmvet) stop the
 * process at a named step of an admission, to show that a crash there loses
 * nothing.  Release builds have no crash points at all.
 */
#ifdef RV_TEST_HOOKS
static const char *crash_at;

void rv_test_crash_at(const char *step)
{
	crash_at = step;
}

static void crash_point(const char *step)
{
	if (crash_at && !strcmp(crash_at, step))
		_exit(99);
}
#else
#define crash_point(step) ((void)0)
#endif

/*
 * An admitted package's file is missing or has other content, and this is a
 * verified copy of it: put it back (what is there goes to quarantine/, never
 * overwritten), then record that.
 */
static int restore(struct rv_repo *repo, struct rv_result *res, struct rv_facts *f,
		   const char *name, const struct rv_admit_options *o, struct rv_error **err)
{
	char *moved = NULL, *detail;
	struct stat st;
	int pfd, rc;

	if ((rc = rv_repo_open_dir(&pfd, repo->dir, "Packages", 0, err)))
		return rc;
	if (!fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW))
		rc = rv_curate_quarantine(repo, pfd, name, &moved, err);
	close(pfd);
	if (rc || (rc = rv_repo_commit_file(repo->dir, f->staged, name, 1, err))) {
		free(moved);
		return rc;
	}
	free(f->staged);
	f->staged = NULL;
	if (moved)
		rv_finding_add(res, "repo.restored",
			      "%s is admitted, but its file Packages/%s had other content (moved to quarantine/%s): restored from this verified copy",
			      res->nevra, name, moved);
	else
		rv_finding_add(res, "repo.restored",
			      "%s is admitted, but its file Packages/%s was missing: restored from this verified copy",
			      res->nevra, name);
	detail = moved ? rv_xasprintf("restored Packages/%s; what was there is quarantine/%s", name, moved)
		       : rv_xasprintf("restored the missing Packages/%s", name);
	rc = rv_curate_record(repo, "restore", res, o->actor, o->now, detail, NULL, err);
	free(detail);
	free(moved);
	return rc;
}

/*
 * Admission's staging, run in the verification workers: copy res->path into
 * REPO/.incoming (data), fsynced, hashing it on the way (res->sha256); the
 * stages then verify that copy, and what is placed is exactly what was
 * verified, whatever happens to the input meanwhile.
 */
static int stage_copy(void *data, struct rv_result *res, char **copy)
{
	const char *stage_dir = data;
	char *staged = rv_xasprintf("%s/.incoming.XXXXXX", stage_dir);
	struct rv_error *err = NULL;
	int fd = mkostemp(staged, O_CLOEXEC);

	*copy = NULL;
	if (fd < 0) {
		rv_finding_add(res, "io.write", "cannot stage '%s' in '%s': %s",
			      res->path, stage_dir, strerror(errno));
		free(staged);
		return -1;
	}
	if (rv_file_copy_sha256(res->path, fd, res->sha256, &res->size, &err) ||
	    fchmod(fd, 0644) || fsync(fd)) {
		char *m = err ? rv_error_string(err) :
				rv_xasprintf("cannot write '%s': %s", staged, strerror(errno));
		rv_finding_add(res, err && err->code == RV_ENOTFOUND ? "io.open" : "io.read", "%s", m);
		free(m);
		rv_error_free(err);
		close(fd);
		unlink(staged);
		free(staged);
		return -1;
	}
	close(fd);
	*copy = staged;
	return 0;
}

/* The rpm-md chunks of a package about to be admitted; an "io" finding when they cannot be made. */
static int metadata(struct rv_result *res, struct rv_facts *f, const struct rv_policy *pol,
		    time_t now)
{
	struct rv_error *xerr = NULL;
	char *m;

	if (!rv_repo_xml(f, res->sha256, res->size, (int64_t)time(NULL), &xerr))
		return 0;
	m = rv_error_string(xerr);
	rv_finding_add(res, "io.metadata", "%s", m);
	free(m);
	rv_error_free(xerr);
	rv_pipeline_judge(res, pol, now);
	return -1;
}

/*
 * Record and place the packages that passed, in one transaction: events and
 * rows, then each verified copy renamed into Packages/, the directory synced,
 * then the commit.  A record never lacks its file: a crash before the commit
 * leaves only unrecorded files, which repair removes.
 */
static int admit_batch(struct rv_repo *repo, struct rv_report *r, const int *admit,
		       const struct rv_admission *adm, const struct rv_admit_options *o,
		       struct rv_error **err)
{
	size_t i, n = rv_report_count(r);
	int rc;

	crash_point("copy");
	if ((rc = rv_store_begin(repo->st, err)))
		return rc;
	for (i = 0; i < n && !rc; i++) {
		struct rv_result *res = rv_report_at(r, i);
		struct rv_facts *f = res->internal;
		if (!admit[i])
			continue;
		struct rv_event ev = rv_curate_event(repo, "admit", res, o->actor, o->now,
						     adm[i].detail[0] ? adm[i].detail : NULL);
		/* the rows, the replaced one marked removed, and the event recording both */
		rc = rv_store_admit(repo->st, &ev, f, res, f->origin ? f->origin : res->path,
				    adm[i].replaces, NULL, err);
	}
	for (i = 0; i < n && !rc; i++) {
		struct rv_facts *f = rv_report_at(r, i)->internal;
		if (!admit[i])
			continue;
		if (!(rc = rv_repo_commit_file(repo->dir, f->staged, f->filename, 0, err))) {
			free(f->staged);
			f->staged = NULL;
		}
	}
	if (!rc)
		rc = rv_repo_commit_file(repo->dir, NULL, NULL, 1, err);
	if (rc) {
		rv_store_rollback(repo->st);
		/* files already renamed are recorded nowhere: take them back out */
		for (i = 0; i < n; i++) {
			struct rv_facts *f = rv_report_at(r, i)->internal;
			if (admit[i] && f && !f->staged) {
				char *p = rv_xasprintf("%s/Packages/%s", repo->dir, f->filename);
				unlink(p);
				free(p);
			}
		}
		return rc;
	}
	crash_point("rename");
	if ((rc = rv_store_commit(repo->st, err))) {
		rv_store_rollback(repo->st);
		return rc;
	}
	crash_point("commit");
	return 0;
}

/* Replaced files go once neither the database nor the metadata names them. */
static void remove_replaced(struct rv_repo *repo, struct rv_report *r, const int *admit,
			    const struct rv_admission *adm)
{
	size_t i;

	for (i = 0; i < rv_report_count(r); i++) {
		struct rv_facts *f = rv_report_at(r, i)->internal;
		if (admit[i] && adm[i].replaces && adm[i].replaced_file[0] &&
		    strcmp(adm[i].replaced_file, f->filename)) {
			char *p = rv_xasprintf("%s/Packages/%s", repo->dir, adm[i].replaced_file);
			unlink(p);
			free(p);
		}
	}
}

int rv_repo_admit(struct rv_report **out, struct rv_repo *repo,
		  const char *const *paths, size_t npaths,
		  const struct rv_admit_options *opts, struct rv_error **err)
{
	static const struct rv_admit_options defaults = RV_ADMIT_OPTIONS_INIT;
	struct rv_verify_options vo = RV_VERIFY_OPTIONS_INIT;
	struct rv_report *r = NULL;
	char *pdir = rv_xasprintf("%s/.incoming", repo->dir);
	struct rv_result **pending = NULL;
	struct rv_admission *adm = NULL;    /* the rules' decision per package */
	int *admit = NULL;
	size_t i, n, nadmit = 0;
	int lock = -1, stage = -1, ifd = -1, rc, failed = 0;
	time_t now;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	vo.jobs = opts->jobs;
	vo.now = opts->now;
	vo.policy = repo->pol;
	vo.file_digest = 1;
	vo.closure_cache = rv_ctx_closure_cache(repo->ctx, opts->closure_cache, 0);
	vo.sources = opts->sources;
	vo.progress = opts->progress;
	vo.progress_data = opts->progress_data;
	vo.origins = opts->origins;
	now = opts->now ? opts->now : time(NULL);
	/* the expensive part runs before the lock, on private copies staged in
	 * REPO/.incoming (same filesystem as Packages/), under a shared stage lock */
	if (!opts->dry_run && rv_repo_stage_lock(&stage, repo->dir, 0)) {
		free(pdir);
		return rv_error_set(err, RV_EIO, "cannot lock '%s/.stage-lock': %s", repo->dir,
				    strerror(errno));
	}
	if (!opts->dry_run && (rc = rv_repo_open_dir(&ifd, repo->dir, ".incoming", 1, err))) {
		rv_repo_unlock(stage);
		free(pdir);
		return rc;
	}
	if (ifd >= 0)
		close(ifd);
	rc = rv_verify_run(&r, repo->ks, paths, npaths, &vo, opts->dry_run ? NULL : stage_copy,
			   pdir, err);
	free(pdir);
	if (rc) {
		rv_repo_unlock(stage);
		return rc;
	}
	if ((rc = rv_repo_lock(&lock, repo->dir, err))) {
		rv_report_free(r);
		rv_repo_unlock(stage);
		return rc;
	}
	n = rv_report_count(r);
	admit = rv_xcalloc(n, sizeof(*admit));
	adm = rv_xcalloc(n, sizeof(*adm));
	pending = rv_xcalloc(n, sizeof(*pending));
	/* a damaged database takes no writes */
	rc = rv_store_integrity(repo->st, err);
	/* the repository rules, in input order, seeing what this run admits before */
	for (i = 0; i < n && !rc; i++) {
		struct rv_result *res = rv_report_at(r, i);
		struct rv_facts *f = res->internal;
		struct rv_repo_view view = { .repo = repo, .pending = pending, .npending = nadmit };

		adm[i].decided = -2;  /* did not pass verification */
		if (res->verdict != RV_VERDICT_ERROR && f) {
			struct rv_stage_ctx c = { .res = res, .facts = f, .pol = repo->pol, .now = now,
						  .ks = repo->ks, .repo = &view, .admission = &adm[i] };
			free(f->filename);
			f->filename = rv_facts_filename(f, res->sha256);
			if ((rc = rv_pipeline_sequential(&c, err)))
				break;
		}
		if (res->verdict == RV_VERDICT_PASS && !opts->dry_run && adm[i].decided == 1 &&
		    f->staged && !metadata(res, f, repo->pol, now)) {
			admit[i] = 1;
			pending[nadmit++] = res;
		}
		failed |= res->verdict == RV_VERDICT_ERROR;
	}
	/* a run that could not complete changes nothing, not even the event log */
	for (i = 0; i < n && !rc && failed; i++) {
		struct rv_result *res = rv_report_at(r, i);
		if (res->verdict == RV_VERDICT_PASS && !opts->dry_run && adm[i].decided >= 1)
			rv_finding_add(res, "repo.not-admitted",
				      "not admitted: the run could not complete (another package could not be checked), so nothing was recorded");
	}
	for (i = 0; i < n && !rc && !failed; i++) {
		struct rv_result *res = rv_report_at(r, i);
		struct rv_facts *f = res->internal;
		int d = adm[i].decided;

		if (admit[i])
			continue;
		if (res->verdict == RV_VERDICT_PASS && d == 2 && !opts->dry_run && f->staged) {
			rc = restore(repo, res, f, adm[i].replaced_file, opts, err);
			continue;
		}
		/* the repository rules also ran for rejected packages (one finding
		 * never hides another), but only a passing one is "already there" */
		if (res->verdict != RV_VERDICT_PASS && d >= 0)
			d = -1;
		if (d == 2)
			rv_finding_add(res, "repo.file-missing",
				      "%s is admitted, but its file Packages/%s is missing or has other content: admitting it restores it",
				      res->nevra, adm[i].replaced_file);
		/* only the event log changes */
		rc = rv_curate_record(repo, opts->dry_run ? "verify" :
			    res->verdict == RV_VERDICT_PASS ? "admit" : "reject", res,
			    opts->actor, opts->now,
			    opts->dry_run ? "dry run" : d == 0 ? "already admitted" : NULL,
			    NULL, err);
	}
	if (!rc && !failed && nadmit && !(rc = admit_batch(repo, r, admit, adm, opts, err))) {
		struct rv_error *rerr = NULL;
		if (rv_curate_regenerate(repo, &rerr)) {
			/* admitted and recorded: say so, with what is left to do */
			char *m = rv_error_string(rerr);
			for (i = 0; i < n; i++)
				if (admit[i])
					rv_finding_add(rv_report_at(r, i), "repo.repodata-stale",
						       "admitted, but the repodata could not be rewritten (%s): run 'rpmvet repo check --repair'",
						      m);
			free(m);
			rv_error_free(rerr);
			for (i = 0; i < n; i++)
				rv_pipeline_judge(rv_report_at(r, i), repo->pol, now);
		} else {
			crash_point("repodata");
			remove_replaced(repo, r, admit, adm);
		}
	}
	/* staged copies of what was not admitted go before others may look */
	for (i = 0; i < n; i++) {
		struct rv_facts *f = rv_report_at(r, i)->internal;
		if (f && f->staged) {
			unlink(f->staged);
			free(f->staged);
			f->staged = NULL;
		}
	}
	rv_repo_unlock(lock);
	rv_repo_unlock(stage);
	free(admit);
	free(pending);
	free(adm);
	if (rc) {
		rv_report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

