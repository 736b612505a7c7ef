/* SPDX-License-Identifier: MIT */
/* curate: the curated repository: init, admit, remove, check and repair, audit. */
#include "ctx.h"
#include "curated.h"
#include "error.h"
#include "facts.h"
#include "license.h"
#include "pkg.h"
#include "report.h"
#include "repo.h"
#include "store.h"
#include "util.h"
#include "verify.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char default_policy[] =
	"# rpmvet policy of this repository (see policies/default.yaml for every option).\n"
	"# Code accepts licenses of category 'allowed'; for Fedora's full license list\n"
	"# set licenses.data to its fedora-licenses.json (an absolute path).\n"
	"version: 1\n"
	"licenses:\n"
	"  accept: [allowed]\n"
	"  categories:\n"
	"    0BSD: allowed\n    Apache-2.0: allowed\n    Artistic-2.0: allowed\n"
	"    BSD-2-Clause: allowed\n    BSD-3-Clause: allowed\n    BSL-1.0: allowed\n"
	"    GPL-2.0-only: allowed\n    GPL-2.0-or-later: allowed\n    GPL-3.0-only: allowed\n"
	"    GPL-3.0-or-later: allowed\n    ISC: allowed\n    LGPL-2.1-only: allowed\n"
	"    LGPL-2.1-or-later: allowed\n    LGPL-3.0-only: allowed\n    LGPL-3.0-or-later: allowed\n"
	"    MIT: allowed\n    MPL-2.0: allowed\n    Python-2.0.1: allowed\n    Zlib: allowed\n"
	"    CC0-1.0: allowed-content\n    CC-BY-4.0: allowed-content\n    CC-BY-SA-4.0: allowed-content\n"
	"    SSPL-1.0: not-allowed\n    BUSL-1.1: not-allowed\n";

static char *path_in(const char *dir, const char *name)
{
	return rv_xasprintf("%s/%s", dir, name);
}

static int write_file(const char *path, const char *data, size_t len, struct rv_error **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len || fsync(fd) || close(fd)) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return rv_error_set(err, RV_EIO, "cannot write '%s': %s", path, strerror(e));
	}
	return 0;
}

static int read_all(const char *path, char **out, size_t *len, struct rv_error **err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		return rv_error_set(err, errno == ENOENT ? RV_ENOTFOUND : RV_EIO,
				    "cannot read '%s': %s", path, strerror(errno));
	do {
		rv_grow((void **)&buf, &cap, n + 65536 + 1, 1);
		r = fread(buf + n, 1, 65536, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return rv_error_set(err, RV_EIO, "cannot read '%s'", path);
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int regenerate(struct rv_repo *repo, struct rv_error **err)
{
	struct rv_store_chunks c;
	int rc;

	if ((rc = rv_store_chunks(repo->st, &c, err)))
		return rc;
	rc = rv_repodata_write(repo->dir, &c.md, c.revision, err);
	rv_store_chunks_release(&c);
	return rc;
}

/*
 * The policy is copied into the repository: a data file it names by a
 * relative path would not be found from there.
 */
static int check_paths_absolute(const char *policy_path, struct rv_error **err)
{
	FILE *f = fopen(policy_path, "r");
	char line[4096];
	int no = 0, rc = 0;

	while (f && !rc && fgets(line, sizeof(line), f)) {
		char *s = line;
		no++;
		while (*s == ' ')
			s++;
		if ((!strncmp(s, "data:", 5) || !strncmp(s, "legacy-map:", 11))) {
			s = strchr(s, ':') + 1;
			while (*s == ' ' || *s == '"' || *s == '\'')
				s++;
			if (*s && *s != '/' && *s != '\n' && *s != '#')
				rc = rv_error_set(err, RV_EINVAL,
						  "%s:%d: a repository's policy must name license data by an absolute path (it is copied to DIR/policy.yaml)",
						  policy_path, no);
		}
	}
	if (f)
		fclose(f);
	return rc;
}

int rv_repo_init(const char *dir, const char *policy_path, const char *actor,
		 struct rv_error **err)
{
	static const char *const subdirs[] = { "keys", "Packages", "repodata" };
	struct rv_policy *pol = NULL;
	struct rv_repo repo;
	char *policy = NULL, *p = NULL, sum[65];
	size_t len = 0, i;
	struct rv_event ev;
	DIR *d;
	struct dirent *de;
	int rc = 0, made = 0;

	memset(&repo, 0, sizeof(repo));
	if (policy_path) {
		if ((rc = rv_policy_load(&pol, policy_path, err)))
			return rc;
		rv_policy_free(pol);
		if ((rc = check_paths_absolute(policy_path, err)))
			return rc;
		if ((rc = read_all(policy_path, &policy, &len, err)))
			return rc;
	} else {
		policy = rv_xstrdup(default_policy);
		len = strlen(policy);
	}
	if (mkdir(dir, 0755) == 0) {
		made = 1;
	} else if (errno == EEXIST && rv_repo_entry_check(dir, NULL, 1, err) < 0) {
		rc = RV_EIO;
		goto out;
	} else if (!(d = opendir(dir))) {
		rc = rv_error_set(err, RV_EIO, "cannot create the repository '%s': %s", dir,
				  strerror(errno));
		goto out;
	} else {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				break;
		closedir(d);
		if (de) {
			rc = rv_error_set(err, RV_EINVAL, "'%s' is not empty: a repository is made in a new or empty directory", dir);
			goto out;
		}
	}
	for (i = 0; i < RV_ARRAY_SIZE(subdirs) && !rc; i++) {
		p = path_in(dir, subdirs[i]);
		if (mkdir(p, 0755))
			rc = rv_error_set(err, RV_EIO, "cannot create '%s': %s", p, strerror(errno));
		free(p);
	}
	p = path_in(dir, "policy.yaml");
	if (!rc)
		rc = write_file(p, policy, len, err);
	free(p);
	if (rc)
		goto out;
	repo.dir = (char *)dir;
	p = path_in(dir, "rpmvet.db");
	rc = rv_store_open(&repo.st, p, 1, err);
	free(p);
	if (rc)
		goto out;
	rv_sha256_hex(policy, len, sum);
	memset(&ev, 0, sizeof(ev));
	ev.kind = "init";
	ev.subject = dir;
	ev.actor = actor ? actor : "unknown";
	ev.policy_sha256 = sum;
	ev.detail = policy_path;
	if (!(rc = rv_store_event(repo.st, &ev, NULL, err)))
		rc = regenerate(&repo, err);
	rv_store_close(repo.st);
out:
	if (rc && made) {
		/* nothing half-made stays behind */
		static const char *const files[] = { "rpmvet.db", "rpmvet.db-wal", "rpmvet.db-shm",
						     "policy.yaml", "keys", "Packages", "repodata" };
		for (i = 0; i < RV_ARRAY_SIZE(files); i++) {
			p = path_in(dir, files[i]);
			if (unlink(p))
				rmdir(p);
			free(p);
		}
		rmdir(dir);
	}
	free(policy);
	return rc;
}

int rv_repo_open(struct rv_repo **out, struct rv_ctx *ctx, const char *dir,
		 struct rv_error **err)
{
	struct rv_repo *repo = rv_xcalloc(1, sizeof(*repo));
	char *p = path_in(dir, "rpmvet.db"), *pol = NULL;
	size_t len;
	struct stat st;
	int rc;

	*out = NULL;
	repo->ctx = ctx;
	repo->dir = rv_xstrdup(dir);
	if (lstat(p, &st)) {
		rc = rv_error_set(err, RV_ENOTFOUND,
				  "'%s' is not an rpmvet repository (no rpmvet.db): create one with 'rpmvet init %s'",
				  dir, dir);
		goto fail;
	}
	/* nothing rpmvet writes may lead out of the repository */
	if ((rc = rv_repo_check_layout(dir, err)))
		goto fail;
	if ((rc = rv_store_open(&repo->st, p, 0, err)))
		goto fail;
	free(p);
	p = path_in(dir, "policy.yaml");
	if ((rc = rv_policy_load(&repo->pol, p, err)) || (rc = read_all(p, &pol, &len, err)))
		goto fail;
	rv_sha256_hex(pol, len, repo->policy_sha256);
	free(pol);
	pol = NULL;
	free(p);
	p = path_in(dir, "keys");
	if ((rc = rv_keystore_open(&repo->ks, ctx, p, 1, err)))
		goto fail;
	free(p);
	*out = repo;
	return 0;
fail:
	free(p);
	free(pol);
	rv_repo_free(repo);
	return rc;
}

void rv_repo_free(struct rv_repo *repo)
{
	if (!repo)
		return;
	rv_store_close(repo->st);
	rv_policy_free(repo->pol);
	rv_keystore_free(repo->ks);
	free(repo->dir);
	free(repo);
}

const struct rv_policy *rv_repo_policy(const struct rv_repo *repo)
{
	return repo->pol;
}

const struct rv_keystore *rv_repo_keys(const struct rv_repo *repo)
{
	return repo->ks;
}

const char *rv_repo_policy_sha256(const struct rv_repo *repo)
{
	return repo->policy_sha256;
}

static void crash_point(const struct rv_admit_options *o, const char *step)
{
	if (o->crash_at && !strcmp(o->crash_at, step))
		_exit(99);
}

static struct rv_event event_of(struct rv_repo *repo, const char *kind,
				 const struct rv_result *res, const char *actor, time_t now,
				 const char *detail)
{
	struct rv_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.subject = res->nevra ? res->nevra : res->path;
	ev.name = res->name;
	ev.verdict = rv_verdict_name(res->verdict);
	ev.actor = actor ? actor : "unknown";
	ev.policy_sha256 = repo->policy_sha256;
	ev.detail = detail;
	ev.findings = res->findings;
	ev.nfindings = res->nfindings;
	ev.time = now;
	return ev;
}

static int record(struct rv_repo *repo, const char *kind, const struct rv_result *res,
		  const char *actor, time_t now, const char *detail, int64_t *id,
		  struct rv_error **err)
{
	struct rv_event ev = event_of(repo, kind, res, actor, now, detail);

	return rv_store_event(repo->st, &ev, id, err);
}

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

/*
 * Move Packages/name (pfd) aside into quarantine/, never over an earlier one:
 * name, name.1, name.2...; *moved gets the name it has there.
 */
static int quarantine(struct rv_repo *repo, int pfd, const char *name, char **moved,
		      struct rv_error **err)
{
	char *to = NULL;
	int qfd, rc, k, e = EEXIST, done = 0;

	*moved = NULL;
	if ((rc = rv_repo_open_dir(&qfd, repo->dir, "quarantine", 1, err)))
		return rc;
	for (k = 0; k < 10000 && !done && e == EEXIST; k++) {
		free(to);
		to = k ? rv_xasprintf("%.200s.%d", name, k) : rv_xstrdup(name);
		done = !renameat2(pfd, name, qfd, to, RENAME_NOREPLACE);
		e = errno;
		/* a filesystem without RENAME_NOREPLACE: a link never replaces either */
		if (!done && (e == EINVAL || e == ENOSYS) && !linkat(pfd, name, qfd, to, 0)) {
			done = !unlinkat(pfd, name, 0);
			e = errno;
			if (!done)
				unlinkat(qfd, to, 0);
		}
	}
	close(qfd);
	if (!done) {
		rc = rv_error_set(err, RV_EIO, "cannot move '%s/Packages/%s' to '%s/quarantine/%s': %s",
				  repo->dir, name, repo->dir, to, strerror(e));
		free(to);
		return rc;
	}
	*moved = to;
	return 0;
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
		rc = quarantine(repo, pfd, name, &moved, err);
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
	rc = record(repo, "restore", res, o->actor, o->now, detail, NULL, err);
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

	crash_point(o, "copy");
	if ((rc = rv_store_begin(repo->st, err)))
		return rc;
	for (i = 0; i < n && !rc; i++) {
		struct rv_result *res = rv_report_at(r, i);
		struct rv_facts *f = res->internal;
		if (!admit[i])
			continue;
		struct rv_event ev = event_of(repo, "admit", res, o->actor, o->now, NULL);
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
	crash_point(o, "rename");
	if ((rc = rv_store_commit(repo->st, err))) {
		rv_store_rollback(repo->st);
		return rc;
	}
	crash_point(o, "commit");
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
	char *pdir = path_in(repo->dir, ".incoming");
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
	vo.closure_cache = rv_ctx_closure_cache(repo->ctx, opts->closure_cache, 0);
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
		rc = record(repo, opts->dry_run ? "verify" :
			    res->verdict == RV_VERDICT_PASS ? "admit" : "reject", res,
			    opts->actor, opts->now,
			    opts->dry_run ? "dry run" : d == 0 ? "already admitted" : NULL,
			    NULL, err);
	}
	if (!rc && !failed && nadmit && !(rc = admit_batch(repo, r, admit, replaces, opts, err))) {
		struct rv_error *rerr = NULL;
		if (regenerate(repo, &rerr)) {
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
			crash_point(opts, "repodata");
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

int rv_repo_record_verify(struct rv_repo *repo, const struct rv_report *r,
			  const char *actor, struct rv_error **err)
{
	size_t i;
	int rc = 0;

	/* a run that could not complete records nothing, as admit */
	for (i = 0; i < rv_report_count(r); i++)
		if (rv_report_result(r, i)->verdict == RV_VERDICT_ERROR)
			return 0;
	for (i = 0; i < rv_report_count(r) && !rc; i++)
		rc = record(repo, "verify", rv_report_result(r, i), actor, 0, NULL, NULL, err);
	return rc;
}

int rv_repo_remove(struct rv_repo *repo, const char *nevra, const char *reason,
		   const char *actor, struct rv_error **err)
{
	struct rv_stored cur;
	struct rv_event ev;
	int64_t id;
	int lock = -1, rc, found;
	char *p;

	if ((rc = rv_repo_lock(&lock, repo->dir, err)))
		return rc;
	memset(&cur, 0, sizeof(cur));
	/* a damaged database takes no writes */
	if ((rc = rv_store_integrity(repo->st, err)))
		goto out;
	found = rv_store_current_by_nevra(repo->st, nevra, &cur, err);
	if (found <= 0) {
		rc = found < 0 ? found : rv_error_set(err, RV_ENOTFOUND,
						      "%s is not in the repository '%s'", nevra, repo->dir);
		goto out;
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = "remove";
	ev.subject = nevra;
	ev.verdict = NULL;
	ev.actor = actor ? actor : "unknown";
	ev.policy_sha256 = repo->policy_sha256;
	ev.detail = reason;
	if ((rc = rv_store_begin(repo->st, err)))
		goto out;
	if ((rc = rv_store_remove(repo->st, &ev, cur.id, &id, err)) ||
	    (rc = rv_store_commit(repo->st, err))) {
		rv_store_rollback(repo->st);
		goto out;
	}
	/* the metadata first stops naming it, then the file goes */
	rc = regenerate(repo, err);
	p = rv_xasprintf("%s/Packages/%s", repo->dir, cur.filename);
	if (!rc && unlink(p) && errno != ENOENT)
		rc = rv_error_set(err, RV_EIO, "cannot remove '%s': %s", p, strerror(errno));
	free(p);
out:
	free(cur.nevra);
	free(cur.filename);
	free(cur.version);
	free(cur.release);
	rv_repo_unlock(lock);
	return rc;
}

static void problem(char ***v, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(char ***v, size_t *n, const char *fmt, ...)
{
	va_list ap;

	*v = rv_xrealloc(*v, (*n + 2) * sizeof(char *));
	va_start(ap, fmt);
	(*v)[(*n)++] = rv_xvasprintf(fmt, ap);
	va_end(ap);
	(*v)[*n] = NULL;
}

/* Each entry of the directory fd (REPO/what) but "." and "..", to fn; stops at fn's error. */
static int each_entry(struct rv_repo *repo, int fd, const char *what,
		      int (*fn)(const char *name, void *data), void *data, struct rv_error **err)
{
	int dfd = dup(fd), rc = 0;
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	if (!d) {
		rc = rv_error_set(err, RV_EIO, "cannot read '%s/%s': %s", repo->dir, what,
				  strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return rc;
	}
	while (!rc && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = fn(de->d_name, data);
	closedir(d);
	return rc;
}

struct check {
	struct rv_repo *repo;
	struct rv_store_chunks c;
	int repair, pfd, ifd;
	char **v, **fixed;
	size_t n, nfixed;
	struct rv_error **err;
};

/* nothing unrecorded in Packages/: leftovers of an interrupted admission, strays */
static int check_stray(const char *name, void *data)
{
	struct check *k = data;
	char *to = NULL;
	size_t i;
	int rc;

	for (i = 0; i < k->c.md.n; i++)
		if (!strcmp(name, k->c.filenames[i]))
			return 0;
	problem(&k->v, &k->n, "Packages/%s is not recorded in the database", name);
	if (!k->repair)
		return 0;
	/* never deleted: an unrecorded file is moved aside */
	if ((rc = quarantine(k->repo, k->pfd, name, &to, k->err)))
		return rc;
	problem(&k->fixed, &k->nfixed, "moved Packages/%s to quarantine/%s", name, to);
	free(to);
	return 0;
}

/*
 * An admitted file's name that holds something else than a regular file (a
 * planted symbolic link, a FIFO, a directory): never read through, moved
 * aside by a repair.  1 when it was such an entry, 0 when there is none.
 */
static int check_not_regular(struct check *k, const char *name)
{
	struct stat st;
	char *to = NULL;
	int rc;

	if (fstatat(k->pfd, name, &st, AT_SYMLINK_NOFOLLOW) || S_ISREG(st.st_mode))
		return 0;
	problem(&k->v, &k->n, "admitted package file Packages/%s is not a regular file but %s (admit the identical package again to restore it)",
		name, S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ? "a directory" :
		S_ISFIFO(st.st_mode) ? "a FIFO" : "a special file");
	if (!k->repair)
		return 1;
	if ((rc = quarantine(k->repo, k->pfd, name, &to, k->err)))
		return rc;
	problem(&k->fixed, &k->nfixed, "moved Packages/%s to quarantine/%s", name, to);
	free(to);
	return 1;
}

/* staged copies no admitter holds any more are leftovers */
static int check_staged(const char *name, void *data)
{
	struct check *k = data;

	problem(&k->v, &k->n, ".incoming/%s is a staged copy left by an interrupted admission", name);
	if (!k->repair)
		return 0;
	if (unlinkat(k->ifd, name, 0))
		return rv_error_set(k->err, RV_EIO, "cannot remove '%s/.incoming/%s': %s", k->repo->dir,
				    name, strerror(errno));
	problem(&k->fixed, &k->nfixed, "removed .incoming/%s", name);
	return 0;
}

static int record_repair(struct check *k, const char *actor)
{
	size_t i, n = k->n + k->nfixed;
	struct rv_finding *fs = rv_xcalloc(n, sizeof(*fs));
	struct rv_event ev;
	int rc;

	for (i = 0; i < n; i++) {
		fs[i].check = "repo";
		fs[i].code = i < k->n ? "repo.problem" : "repo.repaired";
		fs[i].severity = i < k->n ? RV_SEV_WARNING : RV_SEV_INFO;
		fs[i].message = i < k->n ? k->v[i] : k->fixed[i - k->n];
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = "repair";
	ev.subject = k->repo->dir;
	ev.actor = actor ? actor : "unknown";
	ev.policy_sha256 = k->repo->policy_sha256;
	ev.findings = fs;
	ev.nfindings = n;
	rc = rv_store_event(k->repo->st, &ev, NULL, k->err);
	free(fs);
	return rc;
}

int rv_repo_check(struct rv_repo *repo, int repair, const char *actor,
		  char ***problems, char ***repaired, struct rv_error **err)
{
	struct check k;
	char *why = NULL;
	size_t i;
	int lock = -1, stage = -1, rc, chunks = 0;

	memset(&k, 0, sizeof(k));
	k.repo = repo;
	k.repair = repair;
	k.pfd = k.ifd = -1;
	k.err = err;
	if (problems)
		*problems = NULL;
	if (repaired)
		*repaired = NULL;
	if ((rc = rv_repo_lock(&lock, repo->dir, err)))
		return rc;
	/* a damaged database must not drive a repair */
	if ((rc = rv_store_integrity(repo->st, err)) || (rc = rv_store_chunks(repo->st, &k.c, err)))
		goto out;
	chunks = 1;
	if ((rc = rv_repo_open_dir(&k.pfd, repo->dir, "Packages", 0, err)))
		goto out;
	/* every admitted file is present with its recorded digest */
	for (i = 0; i < k.c.md.n; i++) {
		char *p = rv_xasprintf("%s/Packages/%s", repo->dir, k.c.filenames[i]), sum[65];
		if (rv_file_sha256(p, sum)) {
			if ((rc = check_not_regular(&k, k.c.filenames[i])) < 0) {
				free(p);
				goto out;
			}
			if (!rc)
				problem(&k.v, &k.n, "admitted package file Packages/%s is missing (admit the identical package again to restore it)",
					k.c.filenames[i]);
			rc = 0;
		} else if (strcmp(sum, k.c.sha256s[i]))
			problem(&k.v, &k.n, "admitted package file Packages/%s has sha256 %s, recorded %s (admit the identical package again to restore it)",
				k.c.filenames[i], sum, k.c.sha256s[i]);
		free(p);
	}
	if ((rc = each_entry(repo, k.pfd, "Packages", check_stray, &k, err)))
		goto out;
	/* every trusted key has its event (repo-keys.c) */
	if ((rc = rv_repo_keys_check(repo, &k.v, &k.n, err)))
		goto out;
	if (!rv_repo_stage_lock(&stage, repo->dir, 1)) {
		if ((rc = rv_repo_entry_check(repo->dir, ".incoming", 1, err)) == 0 &&
		    !(rc = rv_repo_open_dir(&k.ifd, repo->dir, ".incoming", 0, err)))
			rc = each_entry(repo, k.ifd, ".incoming", check_staged, &k, err);
		rc = rc > 0 ? 0 : rc;
		rv_repo_unlock(stage);
		if (rc)
			goto out;
	}
	if (rv_repodata_check(repo->dir, k.c.revision, k.c.md.n, &why)) {
		problem(&k.v, &k.n, "%s", why);
		if (repair) {
			if ((rc = rv_repodata_write(repo->dir, &k.c.md, k.c.revision, err)))
				goto out;
			problem(&k.fixed, &k.nfixed, "rewrote the repodata from the database (revision %.12s)",
				k.c.revision);
		}
	}
	if (repair && k.n)
		rc = record_repair(&k, actor);
out:
	free(why);
	if (chunks)
		rv_store_chunks_release(&k.c);
	if (k.pfd >= 0)
		close(k.pfd);
	if (k.ifd >= 0)
		close(k.ifd);
	rv_repo_unlock(lock);
	/* a check that could not run hands out no partial lists */
	if (problems && !rc)
		*problems = k.v;
	else
		rv_strv_free(k.v);
	if (repaired && !rc)
		*repaired = k.fixed;
	else
		rv_strv_free(k.fixed);
	return rc;
}

int rv_repo_audit(struct rv_repo *repo, int64_t *count, int64_t *broken, char **why,
		  struct rv_error **err)
{
	return rv_store_audit(repo->st, count, broken, why, err);
}

int rv_repo_audit_records(struct rv_repo *repo, int64_t *count, char **why,
			  struct rv_error **err)
{
	return rv_store_audit_records(repo->st, count, why, err);
}

int rv_repo_query(struct rv_repo *repo, const struct rv_query *q, char **json,
		  struct rv_error **err)
{
	return rv_store_query(repo->st, q, json, err);
}

int rv_repo_query_rows(struct rv_repo *repo, const struct rv_query *q, rv_row_fn fn,
		       void *data, struct rv_error **err)
{
	if (q->kind != RV_Q_LIST && q->kind != RV_Q_SEARCH)
		return rv_error_set(err, RV_EINVAL, "only list and query results come row by row");
	return rv_store_query_rows(repo->st, q, fn, data, NULL, err);
}
