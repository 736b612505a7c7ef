/* SPDX-License-Identifier: MIT */
/*
 * repo-check: does the curated repository agree with its database (every
 * admitted file present with its digest, nothing unrecorded, no leftover
 * staged copy, repodata current)?  With repair, make it agree, never
 * deleting what may be someone's: strays go to quarantine/.
 */
#include "curated.h"
#include "error.h"
#include "pkg.h"
#include "repo.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	if ((rc = rv_curate_quarantine(k->repo, k->pfd, name, &to, k->err)))
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
	if ((rc = rv_curate_quarantine(k->repo, k->pfd, name, &to, k->err)))
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

