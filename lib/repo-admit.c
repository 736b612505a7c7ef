/* SPDX-License-Identifier: MIT */
/*
 * repo-admit: admission into the curated repository.  The packages are
 * verified on private copies staged in REPO/.incoming, the repository rules
 * (downgrade, replacement, re-admission, restore) decide who may enter, and
 * those that pass are recorded and placed in one transaction.
 */
#include "curated.h"
#include "error.h"
#include "facts.h"
#include "license.h"
#include "pkg.h"
#include "report.h"
#include "repo.h"
#include "util.h"
#include "verify.h"

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

/* Give the package a sha256-suffixed file name, in the metadata too. */
static void relocate(struct rv_facts *f, const char *sha256)
{
	size_t n = strlen(f->filename) - 4; /* without ".rpm" */
	char *name = rv_xasprintf("%.*s-%.12s.rpm", (int)n, f->filename, sha256);
	char *from = rv_xasprintf("href=\"Packages/%s\"", f->filename);
	char *to = rv_xasprintf("href=\"Packages/%s\"", name);
	char *at = strstr(f->xml_primary, from);

	if (at) {
		char *x = rv_xasprintf("%.*s%s%s", (int)(at - f->xml_primary), f->xml_primary, to,
				       at + strlen(from));
		free(f->xml_primary);
		f->xml_primary = x;
	}
	free(f->filename);
	f->filename = name;
	free(from);
	free(to);
}

/* Downgrade and replacement rules; 1 = admit, 0 = already there, -1 = rejected,
 * 2 = already admitted with this content but its file needs restoring. */
static int decide_with(struct rv_stored *cur, int n, struct rv_result *res, struct rv_facts *f,
		       int64_t *replaces, char replaced_file[256],
		       struct rv_result *const *pending, size_t npending,
		       const struct rv_policy *pol);

static int decide(struct rv_repo *repo, struct rv_result *res, struct rv_facts *f,
		  int64_t *replaces, char replaced_file[256],
		  struct rv_result *const *pending, size_t npending, struct rv_error **err)
{
	struct rv_stored *cur = NULL;
	int n = rv_store_current_by_name(repo->st, f->name, &cur, err), d;

	if (n < 0)
		return n;
	d = decide_with(cur, n, res, f, replaces, replaced_file, pending, npending, repo->pol);
	rv_stored_free(cur, n);
	if (d == 0 && replaced_file[0]) {
		char *p = rv_xasprintf("%s/Packages/%s", repo->dir, replaced_file), sum[65];
		if (!rv_file_sha256(p, sum) && !strcmp(sum, res->sha256)) {
			rv_result_add(res, "repo", "repo.already-admitted", RV_SEV_INFO,
				      "%s is already admitted with the same content: nothing to do",
				      res->nevra);
			replaced_file[0] = '\0';
		} else {
			d = 2;
		}
		free(p);
	}
	return d;
}

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
		rv_result_add(res, "repo", "repo.restored", RV_SEV_WARNING,
			      "%s is admitted, but its file Packages/%s had other content (moved to quarantine/%s): restored from this verified copy",
			      res->nevra, name, moved);
	else
		rv_result_add(res, "repo", "repo.restored", RV_SEV_WARNING,
			      "%s is admitted, but its file Packages/%s was missing: restored from this verified copy",
			      res->nevra, name);
	detail = moved ? rv_xasprintf("restored Packages/%s; what was there is quarantine/%s", name, moved)
		       : rv_xasprintf("restored the missing Packages/%s", name);
	rc = rv_curate_record(repo, "restore", res, o->actor, o->now, detail, NULL, err);
	free(detail);
	free(moved);
	return rc;
}

static int decide_with(struct rv_stored *cur, int n, struct rv_result *res, struct rv_facts *f,
		       int64_t *replaces, char replaced_file[256],
		       struct rv_result *const *pending, size_t npending,
		       const struct rv_policy *pol)
{
	size_t i;

	*replaces = 0;
	replaced_file[0] = '\0';
	for (i = 0; i < (size_t)n; i++) {
		int c = rv_pkg_evrcmp(f->epoch, f->version, f->release, cur[i].epoch,
				      cur[i].version, cur[i].release);
		if (strcmp(cur[i].nevra, res->nevra) && c < 0) {
			rv_result_add(res, "repo", "repo.downgrade", RV_SEV_ERROR,
				      "%s is older than %s, already admitted: versions only move forward",
				      res->nevra, cur[i].nevra);
			return -1;
		}
		if (!strcmp(cur[i].nevra, res->nevra)) {
			if (!strcmp(cur[i].sha256, res->sha256)) {
				/* decide() looks whether its file is still there */
				rv_strlcpy_case(replaced_file, cur[i].filename, 256, 0);
				return 0;
			}
			if (!rv_policy_allow_replace(pol)) {
				rv_result_add(res, "repo", "repo.replace", RV_SEV_ERROR,
					      "%s is already admitted with different content (sha256 %s); the policy does not allow replacement (repo.allow-replace)",
					      res->nevra, cur[i].sha256);
				return -1;
			}
			rv_result_add(res, "repo", "repo.replaced", RV_SEV_WARNING,
				      "replaces the admitted %s (sha256 %s), as the policy allows",
				      cur[i].nevra, cur[i].sha256);
			*replaces = cur[i].id;
			rv_strlcpy_case(replaced_file, cur[i].filename, 256, 0);
		}
	}
	/* packages admitted earlier in this same run count as admitted */
	for (i = 0; i < npending; i++) {
		const struct rv_facts *o = pending[i]->internal;
		if (strcmp(o->name, f->name))
			continue;
		if (!strcmp(pending[i]->nevra, res->nevra)) {
			if (!strcmp(pending[i]->sha256, res->sha256)) {
				rv_result_add(res, "repo", "repo.already-admitted", RV_SEV_INFO,
					      "%s is admitted with the same content earlier in this run",
					      res->nevra);
				return 0;
			}
			rv_result_add(res, "repo", "repo.replace", RV_SEV_ERROR,
				      "%s is admitted with different content earlier in this run",
				      res->nevra);
			return -1;
		}
		if (rv_pkg_evrcmp(f->epoch, f->version, f->release, o->epoch, o->version,
				  o->release) < 0) {
			rv_result_add(res, "repo", "repo.downgrade", RV_SEV_ERROR,
				      "%s is older than %s, admitted earlier in this run: versions only move forward",
				      res->nevra, pending[i]->nevra);
			return -1;
		}
	}
	/* never place a file over another admitted one: a crash would lose it */
	for (i = 0; i < (size_t)n; i++)
		if (!strcmp(cur[i].filename, f->filename) && strcmp(cur[i].sha256, res->sha256))
			relocate(f, res->sha256);
	return 1;
}

/*
 * Record and place the packages that passed, in one transaction: events and
 * rows, then each verified copy renamed into Packages/, the directory synced,
 * then the commit.  A record never lacks its file: a crash before the commit
 * leaves only unrecorded files, which repair removes.
 */
static int admit_batch(struct rv_repo *repo, struct rv_report *r, const int *admit,
		       const int64_t *replaces, const struct rv_admit_options *o,
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
		struct rv_event ev = rv_curate_event(repo, "admit", res, o->actor, o->now, NULL);
		/* the rows, the replaced one marked removed, and the event recording both */
		rc = rv_store_admit(repo->st, &ev, f, res, res->path, replaces[i], NULL, err);
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
			    const int64_t *replaces, char (*replaced_file)[256])
{
	size_t i;

	for (i = 0; i < rv_report_count(r); i++) {
		struct rv_facts *f = rv_report_at(r, i)->internal;
		if (admit[i] && replaces[i] && replaced_file[i][0] &&
		    strcmp(replaced_file[i], f->filename)) {
			char *p = rv_xasprintf("%s/Packages/%s", repo->dir, replaced_file[i]);
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
	char (*replaced_file)[256] = NULL;
	struct rv_result **pending = NULL;
	int64_t *replaces = NULL;
	int *admit = NULL, *decided = NULL;
	size_t i, n, nadmit = 0;
	int lock = -1, stage = -1, ifd = -1, rc, failed = 0;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	vo.jobs = opts->jobs;
	vo.now = opts->now;
	vo.policy = repo->pol;
	vo.file_digest = 1;
	vo.closure_cache = opts->closure_cache;
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
	rc = rv_verify_run(&r, repo->ks, paths, npaths, &vo, 1, opts->dry_run ? NULL : pdir, err);
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
	replaces = rv_xcalloc(n, sizeof(*replaces));
	replaced_file = rv_xcalloc(n, sizeof(*replaced_file));
	pending = rv_xcalloc(n, sizeof(*pending));
	decided = rv_xcalloc(n, sizeof(*decided));
	/* a damaged database takes no writes */
	rc = rv_store_integrity(repo->st, err);
	for (i = 0; i < n && !rc; i++) {
		struct rv_result *res = rv_report_at(r, i);
		struct rv_facts *f = res->internal;
		int d = -2;   /* not decided: the package did not pass verification */

		if (res->verdict == RV_VERDICT_PASS && f) {
			d = decide(repo, res, f, &replaces[i], replaced_file[i], pending, nadmit, err);
			if (d < -1) {
				rc = d;
				break;
			}
			res->verdict = rv_result_verdict(res);
		}
		decided[i] = d;
		failed |= res->verdict == RV_VERDICT_ERROR;
		if (res->verdict == RV_VERDICT_PASS && !opts->dry_run && d == 1 && f->staged) {
			admit[i] = 1;
			pending[nadmit++] = res;
		}
	}
	/* a run that could not complete changes nothing, not even the event log */
	for (i = 0; i < n && !rc && failed; i++) {
		struct rv_result *res = rv_report_at(r, i);
		if (res->verdict == RV_VERDICT_PASS && !opts->dry_run && decided[i] >= 1)
			rv_result_add(res, "repo", "repo.not-admitted", RV_SEV_WARNING,
				      "not admitted: the run could not complete (another package could not be checked), so nothing was recorded");
	}
	for (i = 0; i < n && !rc && !failed; i++) {
		struct rv_result *res = rv_report_at(r, i);
		struct rv_facts *f = res->internal;
		int d = decided[i];

		if (admit[i])
			continue;
		if (res->verdict == RV_VERDICT_PASS && d == 2 && !opts->dry_run && f->staged) {
			rc = restore(repo, res, f, replaced_file[i], opts, err);
			continue;
		}
		if (d == 2)
			rv_result_add(res, "repo", "repo.file-missing", RV_SEV_WARNING,
				      "%s is admitted, but its file Packages/%s is missing or has other content: admitting it restores it",
				      res->nevra, replaced_file[i]);
		/* only the event log changes */
		rc = rv_curate_record(repo, opts->dry_run ? "verify" :
			    res->verdict == RV_VERDICT_PASS ? "admit" : "reject", res,
			    opts->actor, opts->now,
			    opts->dry_run ? "dry run" : d == 0 ? "already admitted" : NULL,
			    NULL, err);
	}
	if (!rc && !failed && nadmit && !(rc = admit_batch(repo, r, admit, replaces, opts, err))) {
		struct rv_error *rerr = NULL;
		if (rv_curate_regenerate(repo, &rerr)) {
			/* admitted and recorded: say so, with what is left to do */
			char *m = rv_error_string(rerr);
			for (i = 0; i < n; i++)
				if (admit[i])
					rv_result_add(rv_report_at(r, i), "io", "repo.repodata-stale",
						      RV_SEV_ERROR,
						      "admitted, but the repodata could not be rewritten (%s): run 'rpmvet repo check --repair'",
						      m);
			free(m);
			rv_error_free(rerr);
			for (i = 0; i < n; i++)
				rv_report_at(r, i)->verdict = rv_result_verdict(rv_report_at(r, i));
		} else {
			crash_point("repodata");
			remove_replaced(repo, r, admit, replaces, replaced_file);
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
	free(decided);
	free(pending);
	free(replaces);
	free(replaced_file);
	if (rc) {
		rv_report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

