/* SPDX-License-Identifier: MIT */
/* closure: libsolv pool over upstream rpm-md repositories; BuildRequires closure of SRPMs. */
#include "rpmvet.h"
#include "ctx.h"
#include "error.h"
#include "filelists.h"
#include "pkg.h"
#include "remote.h"
#include "report.h"
#include "rpmmd.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/problems.h>
#include <solv/repo.h>
#include <solv/repo_repomdxml.h>
#include <solv/repo_rpmdb.h>
#include <solv/repo_rpmmd.h>
#include <solv/repo_solv.h>
#include <solv/repo_write.h>
#include <solv/rules.h>
#include <solv/solv_xfopen.h>
#include <solv/solver.h>
#include <solv/transaction.h>

struct rv_closure_report {
	struct rv_closure_result *v;
	size_t n;
	size_t checked;      /* repo closure: binary packages looked at */
};

/*
 * Bounds on what an upstream may make us read: repomd.xml is a few KiB; a
 * metadata file decompresses under rpmmd.h's bound, so a gzip bomb is refused.
 */
#define REPOMD_MAX ((off_t)16 << 20)

/*
 * The location and checksum repomd.xml gives for a metadata type: 1 when it
 * lists the type (*loc may still be NULL or empty), 0 when not.
 */
static int repomd_find(Repo *repo, const char *type, const char **loc,
		       const unsigned char **sum, Id *sumtype)
{
	Pool *pool = repo->pool;
	Dataiterator di;
	int found = 0;

	*loc = NULL;
	*sum = NULL;
	dataiterator_init(&di, pool, repo, SOLVID_META, REPOSITORY_REPOMD_TYPE, type, SEARCH_STRING);
	dataiterator_prepend_keyname(&di, REPOSITORY_REPOMD);
	if (dataiterator_step(&di)) {
		dataiterator_setpos_parent(&di);
		*loc = pool_lookup_str(pool, SOLVID_POS, REPOSITORY_REPOMD_LOCATION);
		*sum = pool_lookup_bin_checksum(pool, SOLVID_POS, REPOSITORY_REPOMD_CHECKSUM, sumtype);
		found = 1;
	}
	dataiterator_free(&di);
	return found;
}

/*
 * What is wrong with a location from repomd.xml as a path inside the
 * repository, or NULL: it must be relative, without a URL scheme and
 * without '..' components (even ones that would stay inside).
 */
static const char *bad_location(const char *loc)
{
	const char *p = loc;

	if (!loc || !*loc)
		return "is empty";
	if (*loc == '/')
		return "is an absolute path";
	if (strcspn(loc, ":") < strcspn(loc, "/"))
		return "is a URL, not a path in the repository";
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "has a '..' component";
		p += n;
		p += *p == '/';
	}
	return NULL;
}

/*
 * Opens root/rel for reading when it is a regular file inside the
 * repository root: symlinks are followed only while they stay inside, and a
 * device or FIFO (which would hang the run) is refused without blocking.
 */
static int open_in_root(int *out, struct stat *st, const char *root, const char *rel,
			struct rv_error **err)
{
	char *path = rv_xasprintf("%s/%s", root, rel);
	char *real = realpath(path, NULL), *top = real ? realpath(root, NULL) : NULL;
	size_t n = top ? strlen(top) : 0;
	int fd = -1, rc = 0;

	*out = -1;
	if (!real || !top)
		rc = rv_error_set(err, RV_EIO, "cannot read '%s': %s", path, strerror(errno));
	else if (strncmp(real, top, n) || (real[n] && real[n] != '/' && top[n - 1] != '/'))
		rc = rv_error_set(err, RV_EIO, "'%s' leads outside the repository (to '%s')", path, real);
	else if ((fd = open(real, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
		 fstat(fd, st))
		rc = rv_error_set(err, RV_EIO, "cannot read '%s': %s", path, strerror(errno));
	else if (!S_ISREG(st->st_mode))
		rc = rv_error_set(err, RV_EIO, "'%s' is not a regular file", path);
	if (rc && fd >= 0)
		close(fd);
	else if (!rc)
		*out = fd;
	free(top);
	free(real);
	free(path);
	return rc;
}

/* An upstream's repomd.xml, read whole (bounded), as *out, *len. */
static int read_repomd(char **out, size_t *len, const char *root, struct rv_error **err)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n = 0;
	size_t got = 0;
	int fd, rc;

	*out = NULL;
	if ((rc = open_in_root(&fd, &st, root, "repodata/repomd.xml", err)))
		return rc;
	if (st.st_size > REPOMD_MAX) {
		close(fd);
		return rv_error_set(err, RV_EIO, "'%s/repodata/repomd.xml' is larger than %jd MiB",
				    root, (intmax_t)(REPOMD_MAX >> 20));
	}
	buf = rv_xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size && (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (n < 0) {
		free(buf);
		return rv_error_set(err, RV_EIO, "cannot read '%s/repodata/repomd.xml': %s", root,
				    strerror(errno));
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

/* The file's checksum must be the one repomd.xml states before it is used. */
static int check_sum(int fd, const char *path, const unsigned char *want, Id type,
		     struct rv_error **err)
{
	unsigned char buf[65536];
	Chksum *c;
	const unsigned char *got;
	int len = 0;
	ssize_t n;

	if (!want)
		return rv_error_set(err, RV_EIO, "repomd.xml gives no checksum for '%s'", path);
	if (!(c = solv_chksum_create(type)))
		return rv_error_set(err, RV_EIO, "'%s': unsupported checksum type in repomd.xml", path);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		solv_chksum_add(c, buf, (int)n);
	got = solv_chksum_get(c, &len);
	if (n < 0 || lseek(fd, 0, SEEK_SET)) {
		solv_chksum_free(c, NULL);
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", path, strerror(errno));
	}
	if (!got || memcmp(got, want, (size_t)len)) {
		solv_chksum_free(c, NULL);
		return rv_error_set(err, RV_EIO,
				    "'%s' does not match its checksum in repomd.xml (corrupt or stale metadata)",
				    path);
	}
	solv_chksum_free(c, NULL);
	return 0;
}

/* A metadata file of an upstream, checked against repomd.xml and decompressing (capped). */
struct md {
	struct rv_mdfile file;
	FILE *f;
	char *path;
};

/* Opens the type's file: m->f is NULL (and 0 returned) when repomd.xml lists none and !required. */
static int md_open(struct md *m, Repo *repo, const char *root, const char *type, int required,
		   struct rv_error **err)
{
	const unsigned char *sum;
	Id sumtype = 0;
	const char *loc, *why;
	struct stat st;
	int fd, rc;

	memset(m, 0, sizeof(*m));
	if (!repomd_find(repo, type, &loc, &sum, &sumtype))
		return required ? rv_error_set(err, RV_EIO, "'%s/repodata/repomd.xml' lists no %s metadata",
					       root, type) : 0;
	if ((why = bad_location(loc)))
		return rv_error_set(err, RV_EIO, "%s location '%s' in repomd.xml %s", type,
				    loc ? loc : "", why);
	m->path = rv_xasprintf("%s/%s", root, loc);
	if ((rc = open_in_root(&fd, &st, root, loc, err)) ||
	    (rc = check_sum(fd, m->path, sum, sumtype, err))) {
		if (fd >= 0)
			close(fd);
		free(m->path);
		m->path = NULL;
		return rc;
	}
	if ((rc = rv_mdfile_open(&m->file, fd, (uint64_t)st.st_size, m->path, err))) {
		free(m->path);
		m->path = NULL;
		return rc;
	}
	m->f = m->file.f;
	return 0;
}

/* Closes what md_open() opened (see rv_mdfile_close()). */
static int md_close(struct md *m, int failed, const char *cause, struct rv_error **err)
{
	int rc = rv_mdfile_close(&m->file, failed, cause, err);

	free(m->path);
	return rc;
}

static int load_md(Repo *repo, const char *root, const char *type, int flags,
		   const char *lang, int required, struct rv_error **err)
{
	struct md m;
	int rc = md_open(&m, repo, root, type, required, err);

	if (rc || !m.f)
		return rc;
	rc = repo_add_rpmmd(repo, m.f, lang, flags);
	return md_close(&m, rc != 0, pool_errstr(repo->pool), err);
}

/*
 * Which file dependencies primary.xml answers alone: createrepo lists every
 * file under /etc, every file with "bin/" in its path and /usr/lib/sendmail
 * in primary, so for those the file lists in primary are complete.
 */
static int in_primary(const char *path)
{
	return !strncmp(path, "/etc/", 5) || strstr(path, "bin/") ||
	       !strcmp(path, "/usr/lib/sendmail");
}

/* A package by its pkgid (hex), for the file lists of an upstream. */
struct pkgref {
	char *pkgid;
	Id p;
};

static int cmp_pkgref(const void *a, const void *b)
{
	return strcasecmp(((const struct pkgref *)a)->pkgid, ((const struct pkgref *)b)->pkgid);
}

/* The paths wanted from filelists.xml and the packages they may belong to. */
struct want {
	Repo *repo;
	const Map *paths;	/* string ids of the file dependencies to answer */
	struct pkgref *v;
	size_t n;
	char *last;		/* the pkgid last looked up, and its solvable (0: none) */
	Id lastp;
};

static int want_file(const char *pkgid, const char *path, void *data)
{
	struct want *w = data;
	Pool *pool = w->repo->pool;
	Id id = pool_str2id(pool, path, 0);
	Solvable *s;

	if (!id || id >= w->paths->size * 8 || !MAPTST(w->paths, id))
		return 0;
	if (!w->last || strcmp(w->last, pkgid)) {
		struct pkgref key = { (char *)pkgid, 0 }, *hit;

		free(w->last);
		w->last = rv_xstrdup(pkgid);
		hit = w->n ? bsearch(&key, w->v, w->n, sizeof(*w->v), cmp_pkgref) : NULL;
		w->lastp = hit ? hit->p : 0;
	}
	/* a package primary does not list is ignored, as libsolv does */
	if (!w->lastp)
		return 0;
	s = pool->solvables + w->lastp;
	s->provides = repo_addid_dep(w->repo, s->provides, id, SOLVABLE_FILEMARKER);
	return 0;
}

/*
 * Answers the file dependencies in paths from the upstream's filelists.xml
 * (checksum checked, capped like the rest): each package listing one of
 * those paths gets it as a file provide, which is what libsolv's
 * pool_addfileprovides() does, without storing the half a million paths a
 * distribution lists only to look up a few hundred.
 */
static int load_files(Repo *repo, const char *root, const Map *paths, struct rv_error **err)
{
	struct want w;
	struct md m;
	Solvable *s;
	Id p, type;
	size_t cap = 0, i;
	int rc;

	if ((rc = md_open(&m, repo, root, "filelists", 0, err)) || !m.f)
		return rc;
	memset(&w, 0, sizeof(w));
	w.repo = repo;
	w.paths = paths;
	FOR_REPO_SOLVABLES(repo, p, s) {
		const char *hex = solvable_lookup_checksum(s, SOLVABLE_CHECKSUM, &type);

		if (!hex)
			continue;
		rv_grow((void **)&w.v, &cap, w.n + 1, sizeof(*w.v));
		w.v[w.n].pkgid = rv_xstrdup(hex);
		w.v[w.n++].p = p;
	}
	if (w.n > 1)
		qsort(w.v, w.n, sizeof(*w.v), cmp_pkgref);
	/* a read error or the cap is md_close()'s to name; bad XML names its file and line */
	if ((rc = rv_filelists_scan(m.f, m.path, want_file, &w, err)) && !m.file.over && !ferror(m.f))
		md_close(&m, 0, NULL, err);
	else
		rc = md_close(&m, rc != 0, NULL, err);
	for (i = 0; i < w.n; i++)
		free(w.v[i].pkgid);
	free(w.v);
	free(w.last);
	return rc;
}

/*
 * The cache key of an upstream: SHA-256 over its repomd.xml and the size,
 * mtime and inode of the primary and filelists files it names, so that a
 * mirror whose metadata was replaced or damaged since is read (and checked)
 * again. NULL when anything is amiss: then no cache, and the load says why.
 */
static char *cache_key(Pool *pool, const char *repomd, size_t len, const char *root)
{
	static const char *const types[] = { "primary", "filelists" };
	Chksum *c = solv_chksum_create(REPOKEY_TYPE_SHA256);
	Repo *tmp = repo_create(pool, "rpmvet-cache-key");
	const unsigned char *sum;
	char *hex = NULL;
	int n = 0, ok;
	FILE *f = solv_fmemopen(repomd, len, "r");
	size_t i;

	solv_chksum_add(c, repomd, (int)len);
	ok = f && !repo_add_repomdxml(tmp, f, 0);
	if (f)
		fclose(f);
	for (i = 0; ok && i < sizeof(types) / sizeof(types[0]); i++) {
		const unsigned char *want;
		Id wtype = 0;
		const char *loc;
		struct stat st;
		char *path, stamp[128];

		if (!repomd_find(tmp, types[i], &loc, &want, &wtype))
			continue;
		if (bad_location(loc)) {
			ok = 0;
			break;
		}
		path = rv_xasprintf("%s/%s", root, loc);
		ok = !stat(path, &st) && S_ISREG(st.st_mode);
		free(path);
		if (!ok)
			break;
		snprintf(stamp, sizeof(stamp), "|%s:%jd:%jd.%ld:%ju", types[i], (intmax_t)st.st_size,
			 (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (uintmax_t)st.st_ino);
		solv_chksum_add(c, stamp, (int)strlen(stamp));
	}
	repo_free(tmp, 1);
	if (ok && (sum = solv_chksum_get(c, &n))) {
		hex = rv_xmalloc((size_t)n * 2 + 1);
		rv_hex(hex, sum, (size_t)n);
	}
	solv_chksum_free(c, NULL);
	return hex;
}

/*
 * The parsed repository in libsolv's own format, named by cache_key():
 * written only after every checksum was verified.
 */
static int cache_load(Repo *repo, const char *cache, const char *key)
{
	char *p = rv_xasprintf("%s/%s.solv", cache, key);
	int fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);	/* a planted FIFO must not block */
	FILE *f = NULL;
	struct stat st;
	int ok;

	free(p);
	/* only a regular cache file of our own that nobody else can write is believed */
	if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
			(st.st_mode & 022) || !(f = fdopen(fd, "rb")))) {
		close(fd);
		return 0;
	}
	ok = f && !repo_add_solv(repo, f, 0);
	if (f)
		fclose(f);
	if (f && !ok)	/* a damaged cache file: start over from the metadata */
		repo_empty(repo, 1);
	return ok;
}

/*
 * The cache holds primary and the file provides found for the paths the
 * pool asked for (index_files()), never the file lists: a file dependency
 * the cache has not seen reads the filelists metadata again.
 */
static void cache_store(Repo *repo, const char *cache, const char *key)
{
	char *p = rv_xasprintf("%s/%s.solv", cache, key);
	char *tmp = rv_xasprintf("%s.XXXXXX", p);
	char *parent = rv_xstrdup(cache), *slash = strrchr(parent, '/');
	Repowriter *w;
	FILE *f = NULL;
	int fd, ok = 0;

	/* the cache and its parent (~/.cache) are created on first use, private */
	if (slash && slash != parent) {
		*slash = '\0';
		mkdir(parent, 0700);
	}
	free(parent);
	mkdir(cache, 0700);
	if ((fd = mkstemp(tmp)) >= 0 && !(f = fdopen(fd, "wb")))
		close(fd);
	if (f) {
		w = repowriter_create(repo);
		ok = !repowriter_write(w, f) && !fflush(f) && !ferror(f);
		repowriter_free(w);
		ok = !fclose(f) && ok;
	}
	if (!ok || rename(tmp, p))
		unlink(tmp);
	free(tmp);
	free(p);
}

/* An upstream's root and place in the cache, in repo->appdata until index_files(). */
struct cached {
	char *key;	/* NULL: not cached */
	char *root;
	int fresh;	/* parsed from the metadata, not read from the cache */
	int temporary;	/* root is a remote upstream's temporary mirror, removed after */
};

static struct cached *cached_new(char *key, const char *root, int fresh)
{
	struct cached *c = rv_xcalloc(1, sizeof(*c));

	c->key = key;
	c->root = rv_xstrdup(root);
	c->fresh = fresh;
	return c;
}

/*
 * An upstream repository by its root (the directory holding repodata/),
 * named name (its URL when it was mirrored from one).
 */
static int add_upstream(Pool *pool, const char *root, const char *name, const char *cache,
			struct rv_ctx *ctx, struct rv_error **err)
{
	Repo *repo = repo_create(pool, name);
	char *md = NULL, *key = NULL;
	struct md m;
	size_t len = 0;
	FILE *f = NULL;
	int rc;

	if ((rc = read_repomd(&md, &len, root, err)))
		return rc;
	key = cache ? cache_key(pool, md, len, root) : NULL;
	if (key && cache_load(repo, cache, key)) {
		repo->appdata = cached_new(key, root, 0);
		free(md);
		rv_ctx_log(ctx, 3, "upstream '%s': read from the cache '%s'", name, cache);
		return 0;
	}
	rv_ctx_log(ctx, 3, "upstream '%s': parsed from its metadata%s%s%s", name,
		   key ? " (to be cached in '" : cache ? " (not cached)" : "", key ? cache : "",
		   key ? "')" : "");
	if (!(f = solv_fmemopen(md, len, "r")) || repo_add_repomdxml(repo, f, 0))
		rc = rv_error_set(err, RV_EIO, "'%s/repodata/repomd.xml' is not a valid repomd.xml: %s",
				  root, pool_errstr(pool));
	if (f)
		fclose(f);
	free(md);
	if (!rc)
		rc = load_md(repo, root, "primary", 0, 0, 1, err);
	/*
	 * index_files() reads filelists only for the file dependencies primary
	 * cannot answer; a bad location or checksum is refused now all the same
	 */
	if (!rc && !(rc = md_open(&m, repo, root, "filelists", 0, err)) && m.f)
		rc = md_close(&m, 0, NULL, err);
	if (!rc)
		repo->appdata = cached_new(key, root, 1);	/* cached by index_files() */
	else
		free(key);
	return rc;
}

static void drop_cached(Pool *pool)
{
	Repo *repo;
	Id rid;

	FOR_REPOS(rid, repo) {
		struct cached *c = repo->appdata;

		if (c && c->temporary)
			rv_remote_remove(c->root);
		if (c) {
			free(c->key);
			free(c->root);
		}
		free(c);
		repo->appdata = NULL;
	}
}

/* The file provides recorded in a cached repository, as a set. */
static void recorded(Repo *repo, Queue *q, Map *m)
{
	Repodata *data = repo_id2repodata(repo, 1);
	int i;

	queue_empty(q);
	map_empty(m);
	if (data)
		repodata_lookup_idarray(data, SOLVID_META, REPOSITORY_ADDEDFILEPROVIDES, q);
	for (i = 0; i < q->count; i++)
		MAPSET(m, q->elements[i]);
}

/*
 * Adds file provides for every file dependency in the pool and indexes what
 * provides what. Primary's file lists answer the paths createrepo puts there
 * (in_primary()); for any other path not recorded in a cache, the upstream's
 * filelists metadata is read (checksum checked) and only those paths kept
 * (load_files()). Repositories parsed or extended here are (re)written to the
 * cache with the paths recorded (REPOSITORY_ADDEDFILEPROVIDES).
 */
static int index_files(Pool *pool, const char *cache, struct rv_error **err)
{
	Queue added, old;
	Map have, need;
	Repo *repo;
	Id rid;
	int i, rc = 0;

	queue_init(&added);
	queue_init(&old);
	/* primary's file lists and a cache's recorded provides answer what they can */
	pool_addfileprovides_queue(pool, &added, NULL);
	map_init(&have, pool->ss.nstrings);
	map_init(&need, pool->ss.nstrings);
	FOR_REPOS(rid, repo) {
		struct cached *c = repo->appdata;
		int n = 0;

		if (!c || rc)
			continue;
		recorded(repo, &old, &have);
		map_empty(&need);
		for (i = 0; i < added.count; i++) {
			Id id = added.elements[i];

			if (!MAPTST(&have, id) && !in_primary(pool_id2str(pool, id))) {
				MAPSET(&need, id);
				n++;
			}
		}
		if (!n)
			continue;
		if ((rc = load_files(repo, c->root, &need, err)))
			rv_error_wrap(err, "cannot load upstream '%s'", repo->name);
		c->fresh = 1;
	}
	FOR_REPOS(rid, repo) {
		struct cached *c = repo->appdata;
		Repodata *data = repo_id2repodata(repo, 1);
		int grew = 0;

		if (rc || !c || !c->key || !data || !cache)
			continue;
		recorded(repo, &old, &have);
		for (i = 0; i < added.count; i++)
			if (!MAPTST(&have, added.elements[i])) {
				MAPSET(&have, added.elements[i]);
				queue_push(&old, added.elements[i]);
				grew = 1;
			}
		if (c->fresh || grew) {
			if (old.count)
				repodata_set_idarray(data, SOLVID_META, REPOSITORY_ADDEDFILEPROVIDES, &old);
			repodata_internalize(data);
			cache_store(repo, cache, c->key);
		}
	}
	map_free(&have);
	map_free(&need);
	queue_free(&old);
	queue_free(&added);
	drop_cached(pool);
	if (!rc)
		pool_createwhatprovides(pool);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_unresolved(const void *a, const void *b)
{
	return strcmp(((const struct rv_unresolved *)a)->dependency,
		      ((const struct rv_unresolved *)b)->dependency);
}

static int cmp_result(const void *a, const void *b)
{
	return strcmp(((const struct rv_closure_result *)a)->nevra,
		      ((const struct rv_closure_result *)b)->nevra);
}

/* Sort and drop duplicates. */
static void uniq(char **v, size_t *n)
{
	size_t i, w = 0;

	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_str);
	for (i = 0; i < *n; i++) {
		if (w && !strcmp(v[w - 1], v[i])) {
			free(v[i]);
			continue;
		}
		v[w++] = v[i];
	}
	*n = w;
}

static void push(char ***v, size_t *n, char *s)
{
	*v = rv_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

/* "gcc-12.2-1.src.rpm" -> "gcc-12.2-1.src" */
static char *source_nevra(const char *srcrpm)
{
	size_t n = strlen(srcrpm);

	if (n > 4 && !strcmp(srcrpm + n - 4, ".rpm"))
		n -= 4;
	return rv_xstrndup(srcrpm, n);
}

static void solve_one(Pool *pool, Id sp, const struct rv_closure_options *o,
		      struct rv_closure_result *res)
{
	Solvable *s = pool->solvables + sp;
	Queue reqs, job;
	Solver *solv;
	Transaction *t;
	int i, nprob, p;

	queue_init(&reqs);
	queue_init(&job);
	queue_empty(&reqs);
	solvable_lookup_deparray(s, SOLVABLE_REQUIRES, &reqs, 0);
	for (i = 0; i < reqs.count; i++) {
		Id dep = reqs.elements[i];
		const char *str = pool_dep2str(pool, dep);
		if (dep == SOLVABLE_PREREQMARKER)
			continue;
		if (!strncmp(str, "rpmlib(", 7)) {
			/* the BuildRequires a build generates are not in the SRPM */
			if (!strcmp(str, "rpmlib(DynamicBuildRequires)"))
				res->dynamic_buildrequires = 1;
			continue;
		}
		queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, dep);
	}
	for (i = 0; o->buildgroup && o->buildgroup[i]; i++)
		queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_NAME,
			    pool_str2id(pool, o->buildgroup[i], 1));
	/* 1: strict, to name every unresolvable BuildRequires with libsolv's reason */
	solv = solver_create(pool);
	solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, 1);
	nprob = solver_solve(solv, &job);
	for (p = 1; p <= nprob; p++) {
		Id rid = solver_findproblemrule(solv, p), source, target, dep;
		SolverRuleinfo type = solver_ruleinfo(solv, rid, &source, &target, &dep);
		res->unresolved = rv_xrealloc(res->unresolved,
					      (res->nunresolved + 1) * sizeof(*res->unresolved));
		res->unresolved[res->nunresolved].dependency =
			rv_xstrdup(dep ? pool_dep2str(pool, dep) : "(build group)");
		res->unresolved[res->nunresolved].reason =
			rv_xstrdup(solver_problemruleinfo2str(solv, type, source, target, dep));
		res->nunresolved++;
	}
	if (nprob) {
		/* 2: what can be installed still makes a (partial) closure */
		solver_free(solv);
		for (i = 0; i < job.count; i += 2)
			job.elements[i] |= SOLVER_WEAK;
		solv = solver_create(pool);
		solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, 1);
		solver_solve(solv, &job);
	}
	t = solver_create_transaction(solv);
	for (i = 0; i < t->steps.count; i++) {
		Solvable *b = pool->solvables + t->steps.elements[i];
		const char *src = solvable_lookup_sourcepkg(b);
		push(&res->closure, &res->nclosure, rv_xstrdup(pool_solvable2str(pool, b)));
		if (src)
			push(&res->sources, &res->nsources, source_nevra(src));
	}
	uniq(res->closure, &res->nclosure);
	uniq(res->sources, &res->nsources);
	if (res->nunresolved > 1)
		qsort(res->unresolved, res->nunresolved, sizeof(*res->unresolved), cmp_unresolved);
	transaction_free(t);
	solver_free(solv);
	queue_free(&reqs);
	queue_free(&job);
}

static int in_strv(const char *const *v, const char *s)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

/* Sources needed but not admitted: what must be imported before this builds. */
static void frontier(const struct rv_closure_options *o, struct rv_closure_result *res)
{
	size_t i;

	for (i = 0; o && o->admitted && i < res->nsources; i++)
		if (!in_strv(o->admitted, res->sources[i]) && strcmp(res->sources[i], res->nevra))
			push(&res->frontier, &res->nfrontier, rv_xstrdup(res->sources[i]));
}

/* The upstream source package (arch src) with this NEVRA, or 0. */
static Id find_source(Pool *pool, const char *nevra)
{
	Id p;

	FOR_POOL_SOLVABLES(p) {
		Solvable *s = pool->solvables + p;
		char *n;
		int eq;
		if (!s->repo || (s->arch != ARCH_SRC && s->arch != ARCH_NOSRC))
			continue;
		n = rv_xasprintf("%s-%s.src", pool_id2str(pool, s->name), pool_id2str(pool, s->evr));
		eq = !strcmp(n, nevra);
		free(n);
		if (eq)
			return p;
	}
	return 0;
}

/* Tarjan's strongly connected components over the build graph: the cycles. */
struct graph {
	char **names;
	size_t n;
	size_t **edges;      /* per node: targets, count in nedges */
	size_t *nedges;
	long *index, *low;
	int *onstack;
	size_t *stack, sp;
	long next;
	struct rv_closure_result *res;
};

static void strongconnect(struct graph *g, size_t v)
{
	size_t i;

	g->index[v] = g->low[v] = g->next++;
	g->stack[g->sp++] = v;
	g->onstack[v] = 1;
	for (i = 0; i < g->nedges[v]; i++) {
		size_t w = g->edges[v][i];
		if (g->index[w] < 0) {
			strongconnect(g, w);
			if (g->low[w] < g->low[v])
				g->low[v] = g->low[w];
		} else if (g->onstack[w] && g->index[w] < g->low[v]) {
			g->low[v] = g->index[w];
		}
	}
	if (g->low[v] == g->index[v]) {
		char **comp = NULL;
		size_t nc = 0, w, k;
		int self = 0;
		do {
			w = g->stack[--g->sp];
			g->onstack[w] = 0;
			push(&comp, &nc, rv_xstrdup(g->names[w]));
		} while (w != v);
		for (k = 0; k < g->nedges[v]; k++)
			self |= g->edges[v][k] == v;
		if (nc > 1 || self) {
			uniq(comp, &nc);
			comp = rv_xrealloc(comp, (nc + 1) * sizeof(*comp));
			comp[nc] = NULL;
			g->res->cycles = rv_xrealloc(g->res->cycles,
						     (g->res->ncycles + 1) * sizeof(*g->res->cycles));
			g->res->cycles[g->res->ncycles++] = comp;
		} else {
			for (k = 0; k < nc; k++)
				free(comp[k]);
			free(comp);
		}
	}
}

static size_t node(struct graph *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (!strcmp(g->names[i], name))
			return i;
	g->names = rv_xrealloc(g->names, (g->n + 1) * sizeof(*g->names));
	g->edges = rv_xrealloc(g->edges, (g->n + 1) * sizeof(*g->edges));
	g->nedges = rv_xrealloc(g->nedges, (g->n + 1) * sizeof(*g->nedges));
	g->names[g->n] = rv_xstrdup(name);
	g->edges[g->n] = NULL;
	g->nedges[g->n] = 0;
	return g->n++;
}

static void edge(struct graph *g, size_t a, size_t b)
{
	g->edges[a] = rv_xrealloc(g->edges[a], (g->nedges[a] + 1) * sizeof(size_t));
	g->edges[a][g->nedges[a]++] = b;
}

/*
 * Follow the frontier: each needed source's own BuildRequires, from upstream
 * source metadata, until nothing new is needed; then the cycles.
 */
static void recurse(Pool *pool, const struct rv_closure_options *o, struct rv_closure_result *res)
{
	struct graph g;
	size_t done = 0, i, root;

	memset(&g, 0, sizeof(g));
	g.res = res;
	root = node(&g, res->nevra);
	for (i = 0; i < res->nsources; i++)
		edge(&g, root, node(&g, res->sources[i]));
	done = 1;
	while (done < g.n) {
		size_t v = done++;
		struct rv_closure_result sub;
		Id sp;

		if (in_strv(o->admitted, g.names[v]))
			continue;      /* already curated: its sources are not our concern */
		if (!(sp = find_source(pool, g.names[v]))) {
			push(&res->no_metadata, &res->nno_metadata, rv_xstrdup(g.names[v]));
			continue;
		}
		memset(&sub, 0, sizeof(sub));
		solve_one(pool, sp, o, &sub);
		for (i = 0; i < sub.nsources; i++)
			edge(&g, v, node(&g, sub.sources[i]));
		for (i = 0; i < sub.nunresolved; i++) {
			res->unresolved = rv_xrealloc(res->unresolved,
						      (res->nunresolved + 1) * sizeof(*res->unresolved));
			res->unresolved[res->nunresolved].dependency =
				rv_xasprintf("%s (BuildRequires of %s)", sub.unresolved[i].dependency,
					     g.names[v]);
			res->unresolved[res->nunresolved].reason = sub.unresolved[i].reason;
			res->nunresolved++;
			free(sub.unresolved[i].dependency);
		}
		for (i = 0; i < sub.nclosure; i++)
			free(sub.closure[i]);
		for (i = 0; i < sub.nsources; i++)
			free(sub.sources[i]);
		free(sub.closure);
		free(sub.sources);
		free(sub.unresolved);
	}
	for (i = 1; i < g.n; i++)
		push(&res->all_sources, &res->nall_sources, rv_xstrdup(g.names[i]));
	uniq(res->all_sources, &res->nall_sources);
	uniq(res->no_metadata, &res->nno_metadata);
	g.index = rv_xmalloc(g.n * sizeof(long));
	g.low = rv_xmalloc(g.n * sizeof(long));
	g.onstack = rv_xcalloc(g.n, sizeof(int));
	g.stack = rv_xmalloc(g.n * sizeof(size_t));
	for (i = 0; i < g.n; i++)
		g.index[i] = -1;
	for (i = 0; i < g.n; i++)
		if (g.index[i] < 0)
			strongconnect(&g, i);
	for (i = 0; i < g.n; i++) {
		free(g.names[i]);
		free(g.edges[i]);
	}
	free(g.names);
	free(g.edges);
	free(g.nedges);
	free(g.index);
	free(g.low);
	free(g.onstack);
	free(g.stack);
}

/*
 * An upstream by its root or URL: a remote one is first mirrored into the
 * cache (remote.c), then loaded from there like any other.
 */
static int add_one(Pool *pool, const struct rv_closure_options *o, const char *up,
		   const char *cache, struct rv_ctx *ctx, struct rv_error **err)
{
	struct rv_remote_trust trust = { o->keys, o->require_signature };
	struct cached *c;
	char *root = NULL;
	int temporary = 0, rc;

	if (!rv_remote_is_url(up))
		return add_upstream(pool, up, up, cache, ctx, err);
	if ((rc = rv_remote_mirror(ctx, up, cache, &trust, &root, &temporary, err)))
		return rc;
	rc = add_upstream(pool, root, up, cache, ctx, err);
	c = pool->repos[pool->nrepos - 1]->appdata;
	if (!rc && c)
		c->temporary = temporary;
	else if (temporary)
		rv_remote_remove(root);
	free(root);
	return rc;
}

/* A pool with RPM version rules for the target arch, holding the upstreams. */
static int upstream_pool(Pool **out, const struct rv_closure_options *o, const char *cache,
			 struct rv_ctx *ctx, struct rv_error **err)
{
	Pool *pool = pool_create();
	size_t i;
	int rc = 0;

	/* Debian builds libsolv with Debian version rules by default */
	pool_setdisttype(pool, DISTTYPE_RPM);
	pool_setarch(pool, o && o->arch ? o->arch : "x86_64");
	for (i = 0; o && i < o->nupstream && !rc; i++)
		if ((rc = add_one(pool, o, o->upstream[i], cache, ctx, err)))
			rv_error_wrap(err, "cannot load upstream '%s'", o->upstream[i]);
	if (rc) {
		drop_cached(pool);
		pool_free(pool);
		pool = NULL;
	}
	*out = pool;
	return rc;
}

int rv_closure(struct rv_closure_report **out, struct rv_ctx *ctx, const char *const *paths,
	       size_t npaths, const struct rv_closure_options *o, struct rv_error **err)
{
	const char *cache = rv_ctx_closure_cache(ctx, o ? o->cache_dir : NULL, o && o->no_cache);
	struct rv_closure_report *r;
	Pool *pool;
	Repo *srepo;
	Id *ids;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = upstream_pool(&pool, o, cache, ctx, err)))
		return rc;
	srepo = repo_create(pool, "@srpms");
	ids = rv_xcalloc(npaths ? npaths : 1, sizeof(*ids));
	r = rv_xcalloc(1, sizeof(*r));
	r->v = rv_xcalloc(npaths ? npaths : 1, sizeof(*r->v));
	r->n = npaths;
	for (i = 0; i < npaths; i++) {
		r->v[i].path = rv_xstrdup(paths[i]);
		ids[i] = repo_add_rpm(srepo, paths[i], REPO_REUSE_REPODATA | REPO_NO_INTERNALIZE |
				      RPM_ADD_NO_FILELIST);
		if (!ids[i]) {
			r->v[i].error = rv_xasprintf("cannot read '%s': %s", paths[i], pool_errstr(pool));
			continue;
		}
	}
	repo_internalize(srepo);
	/* file BuildRequires are indexed only once every requirer is in the pool */
	if ((rc = index_files(pool, cache, err))) {
		free(ids);
		rv_closure_report_free(r);
		pool_free(pool);
		return rc;
	}
	for (i = 0; i < npaths; i++) {
		Solvable *s;
		if (!ids[i])
			continue;
		s = pool->solvables + ids[i];
		r->v[i].nevra = rv_xasprintf("%s-%s.src", pool_id2str(pool, s->name),
					     pool_id2str(pool, s->evr));
		/* libsolv drops rpmlib() requirements: ask the header */
		if (rv_pkg_dynamic_buildrequires(paths[i]))
			r->v[i].dynamic_buildrequires = 1;
		solve_one(pool, ids[i], o, &r->v[i]);
		frontier(o, &r->v[i]);
		if (o && o->recursive)
			recurse(pool, o, &r->v[i]);
	}
	free(ids);
	pool_free(pool);
	*out = r;
	return 0;
}

size_t rv_closure_count(const struct rv_closure_report *r)
{
	return r ? r->n : 0;
}

const struct rv_closure_result *rv_closure_result(const struct rv_closure_report *r, size_t i)
{
	return r && i < r->n ? &r->v[i] : NULL;
}

void rv_closure_report_free(struct rv_closure_report *r)
{
	size_t i, j;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		struct rv_closure_result *x = &r->v[i];
		for (j = 0; j < x->nclosure; j++)
			free(x->closure[j]);
		for (j = 0; j < x->nsources; j++)
			free(x->sources[j]);
		for (j = 0; j < x->nunresolved; j++) {
			free(x->unresolved[j].dependency);
			free(x->unresolved[j].reason);
		}
		for (j = 0; j < x->nfrontier; j++)
			free(x->frontier[j]);
		for (j = 0; j < x->nall_sources; j++)
			free(x->all_sources[j]);
		for (j = 0; j < x->nno_metadata; j++)
			free(x->no_metadata[j]);
		for (j = 0; j < x->ncycles; j++) {
			char **c;
			for (c = x->cycles[j]; *c; c++)
				free(*c);
			free(x->cycles[j]);
		}
		free(x->frontier);
		free(x->all_sources);
		free(x->no_metadata);
		free(x->cycles);
		free(x->closure);
		free(x->sources);
		free(x->unresolved);
		free(x->path);
		free(x->nevra);
		free(x->error);
	}
	free(r->v);
	free(r);
}

/*
 * Could this requirement be met by some package in the pool?  Conditional
 * dependencies are met when their condition cannot hold: (a if b) needs a
 * only when b is there, which is what dnf repoclosure gets wrong.
 */
static int satisfiable(Pool *pool, Id dep, int depth)
{
	Id p, pp;

	if (depth > 64)
		return 1;
	if (ISRELDEP(dep)) {
		Reldep *rd = GETRELDEP(pool, dep);
		switch (rd->flags) {
		case REL_AND:
			return satisfiable(pool, rd->name, depth + 1) &&
			       satisfiable(pool, rd->evr, depth + 1);
		case REL_OR:
			return satisfiable(pool, rd->name, depth + 1) ||
			       satisfiable(pool, rd->evr, depth + 1);
		case REL_COND:
		case REL_UNLESS:
			if (ISRELDEP(rd->evr) && GETRELDEP(pool, rd->evr)->flags == REL_ELSE)
				/* (a if b else c): one of the two branches applies */
				return satisfiable(pool, rd->name, depth + 1) ||
				       satisfiable(pool, GETRELDEP(pool, rd->evr)->evr, depth + 1);
			if (rd->flags == REL_COND)
				return satisfiable(pool, rd->name, depth + 1) ||
				       !satisfiable(pool, rd->evr, depth + 1);
			/* (a unless b): a is needed when b is absent */
			return satisfiable(pool, rd->name, depth + 1) ||
			       satisfiable(pool, rd->evr, depth + 1);
		default:
			break;
		}
	}
	FOR_PROVIDES(p, pp, dep)
		return 1;
	return 0;
}

int rv_repoclosure(struct rv_closure_report **out, struct rv_ctx *ctx,
		   const struct rv_closure_options *o, struct rv_error **err)
{
	const char *cache = rv_ctx_closure_cache(ctx, o ? o->cache_dir : NULL, o && o->no_cache);
	struct rv_closure_report *r;
	Pool *pool;
	Queue reqs;
	Id p;
	int rc;

	*out = NULL;
	if ((rc = upstream_pool(&pool, o, cache, ctx, err)))
		return rc;
	if ((rc = index_files(pool, cache, err))) {
		pool_free(pool);
		return rc;
	}
	r = rv_xcalloc(1, sizeof(*r));
	queue_init(&reqs);
	FOR_POOL_SOLVABLES(p) {
		Solvable *s = pool->solvables + p;
		struct rv_closure_result *x = NULL;
		int k;

		if (!s->repo || s->arch == ARCH_SRC || s->arch == ARCH_NOSRC)
			continue;
		r->checked++;
		/* a package without requires leaves the queue as it was */
		queue_empty(&reqs);
		solvable_lookup_deparray(s, SOLVABLE_REQUIRES, &reqs, 0);
		for (k = 0; k < reqs.count; k++) {
			Id dep = reqs.elements[k];
			const char *str;
			if (dep == SOLVABLE_PREREQMARKER || satisfiable(pool, dep, 0))
				continue;
			str = pool_dep2str(pool, dep);
			if (!strncmp(str, "rpmlib(", 7))
				continue;
			if (!x) {
				r->v = rv_xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
				x = &r->v[r->n++];
				memset(x, 0, sizeof(*x));
				x->path = rv_xstrdup(s->repo->name);
				x->nevra = rv_xstrdup(pool_solvable2str(pool, s));
			}
			x->unresolved = rv_xrealloc(x->unresolved,
						    (x->nunresolved + 1) * sizeof(*x->unresolved));
			x->unresolved[x->nunresolved].dependency = rv_xstrdup(str);
			x->unresolved[x->nunresolved].reason =
				rv_xasprintf("nothing provides %s needed by %s", str,
					     pool_solvable2str(pool, s));
			x->nunresolved++;
		}
		if (x && x->nunresolved > 1)
			qsort(x->unresolved, x->nunresolved, sizeof(*x->unresolved), cmp_unresolved);
	}
	queue_free(&reqs);
	pool_free(pool);
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), cmp_result);
	*out = r;
	return 0;
}

size_t rv_closure_checked(const struct rv_closure_report *r)
{
	return r ? r->checked : 0;
}
