/* SPDX-License-Identifier: MIT */
/* curate: the curated repository: init, open, its policy and keys, events. */
#include "ctx.h"
#include "curated.h"
#include "error.h"
#include "license.h"
#include "pkg.h"
#include "repo.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int rv_curate_regenerate(struct rv_repo *repo, struct rv_error **err)
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
		/* the built-in default: policies/default.yaml, byte for byte */
		const char *def = rv_policy_default_text(&len);
		policy = rv_xstrndup(def, len);
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
		rc = rv_curate_regenerate(&repo, err);
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

int rv_repo_upstream_signature_required(const struct rv_repo *repo)
{
	return rv_policy_repomd_signature_required(repo->pol);
}

const struct rv_keystore *rv_repo_keys(const struct rv_repo *repo)
{
	return repo->ks;
}

const char *rv_repo_policy_sha256(const struct rv_repo *repo)
{
	return repo->policy_sha256;
}

struct rv_event rv_curate_event(const struct rv_repo *repo, const char *kind,
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

int rv_curate_record(struct rv_repo *repo, const char *kind, const struct rv_result *res,
		     const char *actor, time_t now, const char *detail, int64_t *id,
		     struct rv_error **err)
{
	struct rv_event ev = rv_curate_event(repo, kind, res, actor, now, detail);

	return rv_store_event(repo->st, &ev, id, err);
}

int rv_curate_quarantine(struct rv_repo *repo, int pfd, const char *name, char **moved,
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
		rc = rv_curate_record(repo, "verify", rv_report_result(r, i), actor, 0, NULL, NULL, err);
	return rc;
}

