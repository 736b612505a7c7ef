/* SPDX-License-Identifier: MIT */
/*
 * upstream: remote rpm-md repositories.  repomd.xml is fetched from each
 * mirror in turn (the mirrors given, or those of a metalink, which then pins
 * repomd.xml's size and hash), its signature verified, its age compared with
 * the freshest seen; primary is taken only when it matches repomd.xml's checksum; source
 * packages are resolved by name and downloaded through fetch.c.  The
 * metadata is read through rpmmd.h (the libsolv adapter), primary
 * decompressed under its bound.
 */
#include "ctx.h"
#include "error.h"
#include "fetch.h"
#include "filelists.h"
#include "keys.h"
#include "pkg.h"
#include "rpmmd.h"
#include "upstream-trust.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPOMD_MAX ((size_t)16 << 20)
#define SIG_MAX ((size_t)64 << 10)
#define PRIMARY_MAX ((uint64_t)1 << 30)

struct item {
	struct rv_fetched pub;
	char *nevra, *path, *url, *mirror, *sum, *checksum, *error;
};

struct rv_fetch_report {
	struct item *v;
	size_t n;
};

/* One source package of primary. */
struct srpm {
	char *name, *version, *release, *location, *sumtype, *sum;
	int64_t epoch;
	uint64_t size;
};

/* The metadata of the mirror that served good metadata. */
struct meta {
	const char *mirror;
	size_t mirror_idx;
	char repomd_sha256[65];
	struct srpm *v;
	size_t n;
};

static void meta_release(struct meta *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].version);
		free(m->v[i].release);
		free(m->v[i].location);
		free(m->v[i].sumtype);
		free(m->v[i].sum);
	}
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

static void cfg_from(struct rv_fetch_cfg *cfg, const struct rv_fetch_options *o)
{
	cfg->ca_file = o->ca_file;
	cfg->connect_timeout = o->connect_timeout;
	cfg->low_speed_time = o->timeout;
	cfg->retries = o->retries;
	cfg->backoff_ms = o->backoff_ms;
	cfg->max_redirects = 5;
	cfg->progress = NULL;
	cfg->progress_data = NULL;
}

static int mkdir_private(const char *dir, struct rv_error **err)
{
	char *p = rv_xstrdup(dir), *s;
	int rc = 0;

	for (s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) && errno != EEXIST) {
				rc = rv_error_set(err, RV_EIO, "cannot create '%s': %s", p, strerror(errno));
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

/* ---- freshness: the highest repomd revision/timestamp seen per mirror ---- */

struct fresh {
	char revision[64];
	int64_t timestamp;
};

static int numeric(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Non-zero when a is older than b. */
static int fresh_older(const struct fresh *a, const struct fresh *b)
{
	if (numeric(a->revision) && numeric(b->revision) &&
	    strtoll(a->revision, NULL, 10) != strtoll(b->revision, NULL, 10))
		return strtoll(a->revision, NULL, 10) < strtoll(b->revision, NULL, 10);
	return a->timestamp < b->timestamp;
}

static char *fresh_path(const char *cache, const char *mirror)
{
	char h[65];

	rv_sha256_hex(mirror, strlen(mirror), h);
	return rv_xasprintf("%s/upstream/%s.seen", cache, h);
}

static int fresh_read(struct fresh *f, const char *cache, const char *mirror)
{
	char *path = fresh_path(cache, mirror), buf[256];
	struct stat st;
	int fd = rv_open_regular(path, 1, &st), ok = 0;
	ssize_t n;

	free(path);
	memset(f, 0, sizeof(*f));
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		long long ts;
		buf[n] = '\0';
		ok = sscanf(buf, "%63s %lld", f->revision, &ts) == 2;
		f->timestamp = ok ? (int64_t)ts : 0;
		if (ok && strcmp(f->revision, "-") == 0)
			f->revision[0] = '\0';
	}
	return ok;
}

static void fresh_write(const char *cache, const char *mirror, const struct fresh *f)
{
	char *path = fresh_path(cache, mirror), *dir = rv_xasprintf("%s/upstream", cache);
	char *tmp = rv_xasprintf("%s.XXXXXX", path), *line;
	int fd;

	line = rv_xasprintf("%s %lld\n", f->revision[0] ? f->revision : "-", (long long)f->timestamp);
	if (!mkdir_private(dir, NULL) && (fd = mkostemp(tmp, O_CLOEXEC)) >= 0) {
		if (write(fd, line, strlen(line)) == (ssize_t)strlen(line) && !close(fd)) {
			if (rename(tmp, path))
				unlink(tmp);
		} else {
			unlink(tmp);
		}
	}
	free(line);
	free(tmp);
	free(dir);
	free(path);
}

static const char *fresh_name(char *buf, size_t len, const struct fresh *f)
{
	char date[32];
	time_t t = (time_t)f->timestamp;
	struct tm tm;

	if (f->timestamp && gmtime_r(&t, &tm))
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		snprintf(date, sizeof(date), "no timestamp");
	snprintf(buf, len, "revision %s (%s)", f->revision[0] ? f->revision : "none", date);
	return buf;
}

/* ---- the metadata cache -------------------------------------------------- */

struct cent {
	char *path;
	time_t mtime;
	off_t size;
};

static int cent_cmp(const void *a, const void *b)
{
	const struct cent *x = a, *y = b;

	return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

/* Remove what is older than the age limit, then the oldest until under the size limit. */
static void cache_prune(const char *dir, uint64_t max_bytes, int64_t max_age, time_t now)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct cent *v = NULL;
	size_t n = 0, cap = 0, i;
	uint64_t total = 0;

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;
		char *p;
		if (de->d_name[0] == '.')
			continue;
		p = rv_xasprintf("%s/%s", dir, de->d_name);
		if (lstat(p, &st) || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (now - st.st_mtime > max_age) {
			unlink(p);
			free(p);
			continue;
		}
		rv_grow((void **)&v, &cap, n + 1, sizeof(*v));
		v[n++] = (struct cent){ p, st.st_mtime, st.st_size };
		total += (uint64_t)st.st_size;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cent_cmp);
	for (i = 0; i < n; i++) {
		if (total > max_bytes) {
			unlink(v[i].path);
			total -= (uint64_t)v[i].size;
		}
		free(v[i].path);
	}
	free(v);
}

/* ---- the metalink ----------------------------------------------------------- */

/* "timestamp N (date)" */
static const char *ts_name(char *buf, size_t len, int64_t ts)
{
	char date[32];
	time_t t = (time_t)ts;
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		snprintf(date, sizeof(date), "?");
	else
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(buf, len, "timestamp %lld (%s)", (long long)ts, date);
	return buf;
}

/* The freshness record of a metalink's own timestamp (the repomd's is kept under its URL). */
static char *metalink_key(const char *url)
{
	return rv_xasprintf("metalink %s", url);
}

/*
 * Fetch and parse the metalink at url: it must give a sha256 or sha512 hash
 * of repomd.xml, a timestamp not older than the one seen before (cache), and
 * at least one mirror; *mirrors gets the base URLs (each <url> less its
 * "repodata/repomd.xml"), by preference.  Errors: RV_EIO naming the metalink.
 */
static int metalink_load(struct rv_metalink *ml, char ***mirrors, size_t *n, struct rv_ctx *ctx,
			 const struct rv_fetch_cfg *cfg, const char *url, const char *cache,
			 struct rv_error **err)
{
	static const char tail[] = "repodata/repomd.xml";
	struct fresh seen;
	char *buf = NULL, *key, a[96], b[96];
	size_t len = 0, i;
	int rc;

	*mirrors = NULL;
	*n = 0;
	if (strncasecmp(url, "https://", 8) && strncasecmp(url, "file://", 7))
		rv_ctx_log(ctx, 1, "metalink '%s' is not fetched over https: whoever is on the path "
			   "chooses the repomd.xml it pins", url);
	if ((rc = rv_fetch_mem(cfg, url, RV_METALINK_MAX, &buf, &len, err))) {
		/* too large is bad upstream data, not a bad command line */
		if (rc == RV_EFORMAT && err && *err)
			(*err)->code = rc = RV_EIO;
		return rc;
	}
	rc = rv_metalink_parse(ml, buf, len, url, err);
	free(buf);
	if (rc)
		return rc;
	if (!ml->sha512[0] && !ml->sha256[0]) {
		rc = rv_error_set(err, RV_EIO, "'%s' gives no sha256 or sha512 hash of repomd.xml "
				  "(md5 and sha1 are never trusted alone)", url);
		goto fail;
	}
	key = metalink_key(url);
	if (cache && ml->timestamp && fresh_read(&seen, cache, key) && ml->timestamp < seen.timestamp)
		rc = rv_error_set(err, RV_EIO, "upstream.stale-metadata: metalink '%s' has %s, "
				  "older than %s seen before", url, ts_name(a, sizeof(a), ml->timestamp),
				  ts_name(b, sizeof(b), seen.timestamp));
	free(key);
	if (rc)
		goto fail;
	*mirrors = rv_xcalloc(ml->nurls + 1, sizeof(char *));
	for (i = 0; i < ml->nurls; i++) {
		const char *u = ml->urls[i];
		size_t ul = strlen(u);
		if ((strncasecmp(u, "http://", 7) && strncasecmp(u, "https://", 8) &&
		     strncasecmp(u, "file://", 7)) || ul <= sizeof(tail) - 1 ||
		    strcmp(u + ul - (sizeof(tail) - 1), tail) || strpbrk(u, " \t\r\n\"'<>")) {
			rv_ctx_log(ctx, 1, "metalink '%s': mirror '%s' skipped: not an http, https or "
				   "file URL of repodata/repomd.xml", url, u);
			continue;
		}
		(*mirrors)[(*n)++] = rv_xstrndup(u, ul - (sizeof(tail) - 1));
	}
	if (!*n) {
		rc = rv_error_set(err, RV_EIO, "'%s' lists no usable mirror of repomd.xml", url);
		rv_strv_free(*mirrors);
		*mirrors = NULL;
		goto fail;
	}
	return 0;
fail:
	rv_metalink_release(ml);
	return rc;
}

/* repomd.xml (md, len bytes from url) against the metalink's size and strongest hash. */
static int metalink_check(const struct rv_metalink *ml, const char *mlurl, const char *url,
			  const char *md, size_t len, struct rv_error **err)
{
	const char *type = ml->sha512[0] ? "sha512" : "sha256";
	const char *want = ml->sha512[0] ? ml->sha512 : ml->sha256;
	struct rv_digest *d;
	char hex[129];

	if (ml->size && (uint64_t)len != ml->size)
		return rv_error_set(err, RV_EFORMAT, "'%s' is %zu bytes, the metalink '%s' says %ju",
				    url, len, mlurl, (uintmax_t)ml->size);
	if (!(d = rv_digest_new(rv_digest_algo(type))))
		return rv_error_set(err, RV_EEXTERNAL, "cannot compute %s", type);
	rv_digest_update(d, md, len);
	rv_digest_final(d, hex);
	if (strcmp(hex, want))
		return rv_error_set(err, RV_EFORMAT, "'%s' does not match its %s hash in the metalink "
				    "'%s' (%s, the metalink says %s)", url, type, mlurl, hex, want);
	return 0;
}

/* ---- one mirror's metadata ------------------------------------------------ */

/* A location from the metadata used as a path under a mirror: relative, no "..", printable. */
static int location_ok(const char *loc)
{
	const char *s;

	if (!loc || !*loc || loc[0] == '/' || strstr(loc, "://"))
		return 0;
	for (s = loc; *s; s++)
		if ((unsigned char)*s < 0x21 || *s == 0x7f || *s == '\\' || *s == '?' || *s == '#' ||
		    *s == '%')
			return 0;
	for (s = loc; s; s = strchr(s, '/')) {
		if (*s == '/')
			s++;
		if (strncmp(s, "..", 2) == 0 && (s[2] == '/' || !s[2]))
			return 0;
	}
	return 1;
}

static void evr_split(struct srpm *p, const char *evr)
{
	const char *colon = strchr(evr, ':'), *v = evr, *dash;

	p->epoch = 0;
	if (colon) {
		p->epoch = strtoll(evr, NULL, 10);
		v = colon + 1;
	}
	dash = strrchr(v, '-');
	p->version = dash ? rv_xstrndup(v, (size_t)(dash - v)) : rv_xstrdup(v);
	p->release = rv_xstrdup(dash ? dash + 1 : "");
}

static int add_srpm(const struct rv_rpmmd_src *p, void *data)
{
	struct meta *m = data;
	size_t cap = m->n;
	struct srpm *x;

	if (!location_ok(p->location))
		return 0;
	rv_grow((void **)&m->v, &cap, m->n + 1, sizeof(*m->v));
	x = &m->v[m->n++];
	memset(x, 0, sizeof(*x));
	x->name = rv_xstrdup(p->name);
	evr_split(x, p->evr);
	x->location = rv_xstrdup(p->location);
	x->sumtype = rv_xstrdup(p->sumtype);
	x->sum = rv_xstrdup(p->sum);
	x->size = p->size;
	return 0;
}

int rv_upstream_repomd_signature(const struct rv_fetch_cfg *cfg, const char *mirror,
				 const char *md, size_t mdlen, const struct rv_keystore *keys,
				 int require, struct rv_error **err)
{
	char *url = rv_fetch_join(mirror, "repodata/repomd.xml.asc"), *sig = NULL;
	size_t siglen = 0;
	int rc;

	rc = rv_fetch_mem(cfg, url, SIG_MAX, &sig, &siglen, err);
	if (rc == RV_ENOTFOUND) {
		rv_error_free(*err);
		*err = NULL;
		rc = 0;
		if (require)
			rc = rv_error_set(err, RV_EFORMAT, "'%s' is missing and the policy requires "
					  "a signed repomd.xml (upstream.repomd-signature: required)", url);
	} else if (!rc) {
		enum rv_gpg_status st;
		char fpr[65];
		if (!keys)
			rc = rv_error_set(err, RV_EINVAL, "cannot verify '%s': no trust store given", url);
		else if (!(rc = rv_keystore_gpg_verify(keys, sig, siglen, md, mdlen, &st, fpr, err)) &&
			 st != RV_GPG_GOOD)
			rc = rv_error_set(err, RV_EFORMAT, "'%s' is not a good signature of repomd.xml "
					  "by a trusted key (%s)", url,
					  st == RV_GPG_BAD ? "bad signature" :
					  st == RV_GPG_NOKEY ? "key not in the trust store" : "unreadable");
	}
	free(url);
	free(sig);
	return rc;
}

/*
 * The metadata of one mirror, checked: repomd.xml (against the metalink ml
 * when there is one, before anything reads it; signature, freshness), then
 * primary against repomd.xml's checksum.  *fr gets its freshness.
 */
static int mirror_meta(struct meta *m, struct fresh *fr, struct rv_ctx *ctx,
		       const struct rv_fetch_options *o, const struct rv_fetch_cfg *cfg,
		       const struct rv_metalink *ml, const char *mirror, const char *mddir,
		       const struct fresh *floor, struct rv_error **err)
{
	char *mdurl = rv_fetch_join(mirror, "repodata/repomd.xml"), *md = NULL;
	char *purl = NULL, *pname = NULL, a[128], b[128];
	struct rv_repomd rm = { .primary = NULL };
	size_t mdlen = 0;
	int rc;

	(void)ctx;
	if ((rc = rv_fetch_mem(cfg, mdurl, REPOMD_MAX, &md, &mdlen, err)))
		goto out;
	if (ml && (rc = metalink_check(ml, o->metalink, mdurl, md, mdlen, err)))
		goto out;
	rv_sha256_hex(md, mdlen, m->repomd_sha256);
	if ((rc = rv_upstream_repomd_signature(cfg, mirror, md, mdlen, o->keys, o->require_signature,
						err)))
		goto out;
	if ((rc = rv_repomd_parse(&rm, md, mdlen, mdurl, err)))
		goto out;
	snprintf(fr->revision, sizeof(fr->revision), "%s", rm.revision);
	fr->timestamp = rm.timestamp;
	if (floor && fresh_older(fr, floor)) {
		rc = rv_error_set(err, RV_EFORMAT, "upstream.stale-metadata: '%s' "
				  "has %s, older than %s seen before", mdurl,
				  fresh_name(a, sizeof(a), fr), fresh_name(b, sizeof(b), floor));
		goto out;
	}
	if (!rm.primary || !location_ok(rm.primary)) {
		rc = rv_error_set(err, RV_EFORMAT, "'%s' gives no usable primary location and checksum",
				  mdurl);
		goto out;
	}
	{
		const char *loc = rm.primary, *base = strrchr(loc, '/') ? strrchr(loc, '/') + 1 : loc;
		struct rv_fetch_want want = { .sumtype = rm.sumtype, .sum = rm.sum, .max = PRIMARY_MAX };
		char *cached;
		pname = rv_xasprintf("%s-%s", rm.sum, base);
		cached = rv_xasprintf("%s/%s", mddir, pname);
		purl = rv_fetch_join(mirror, loc);
		if (rv_fetch_check(cached, &want, cached, NULL) != 0) {
			unlink(cached);
			rc = rv_fetch_file(cfg, purl, mddir, pname, &want, err);
		} else {
			rv_ctx_log(ctx, 3, "primary of '%s' from the cache", mirror);
		}
		/* named by its URL, whose suffix is the location's: it says how it is compressed */
		if (!rc && (rc = rv_rpmmd_sources(cached, purl, add_srpm, m, err)))
			unlink(cached);
		free(cached);
	}
out:
	rv_repomd_release(&rm);
	free(mdurl);
	free(purl);
	free(pname);
	free(md);
	return rc;
}

/* ---- resolving arguments ----------------------------------------------------- */

static int newer(const struct srpm *a, const struct srpm *b)
{
	return rv_pkg_evrcmp(a->epoch, a->version, a->release, b->epoch, b->version, b->release) > 0;
}

static int evr_match(const struct srpm *p, const char *ver, const char *rel)
{
	const char *colon = strchr(ver, ':');
	char *end;

	if (colon) {
		long long e = strtoll(ver, &end, 10);
		if (end != colon || e != p->epoch)
			return 0;
		ver = colon + 1;
	}
	return strcmp(p->version, ver) == 0 && (!rel || strcmp(p->release, rel) == 0);
}

/*
 * The package an argument names: a name (newest), else NAME-VERSION or
 * NAME-VERSION-RELEASE split at a dash.  NULL with *why when nothing or more
 * than one name matches.
 */
static const struct srpm *resolve(const struct meta *m, const char *arg, char **why)
{
	const struct srpm *best = NULL, *found[2] = { NULL, NULL };
	size_t i, nnames = 0, len = strlen(arg);
	char *names = NULL;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].name, arg) == 0 && (!best || newer(&m->v[i], best)))
			best = &m->v[i];
	if (best)
		return best;
	/* NAME-VERSION[-RELEASE]: try every dash as the end of the name */
	for (i = 0; i < m->n; i++) {
		const struct srpm *p = &m->v[i];
		size_t nl = strlen(p->name);
		const char *rest, *dash;
		char *ver;
		int ok;

		if (nl + 1 >= len || strncmp(arg, p->name, nl) || arg[nl] != '-')
			continue;
		rest = arg + nl + 1;
		dash = strrchr(rest, '-');
		ok = evr_match(p, rest, NULL);
		if (!ok && dash) {
			ver = rv_xstrndup(rest, (size_t)(dash - rest));
			ok = evr_match(p, ver, dash + 1);
			free(ver);
		}
		if (!ok)
			continue;
		if (found[0] && strcmp(found[0]->name, p->name)) {
			found[1] = p;
		} else if (!found[0] || newer(p, found[0])) {
			found[0] = p;
		}
	}
	if (found[0] && !found[1])
		return found[0];
	/* name the candidates: names matching, or sharing the argument's first word */
	for (i = 0; i < m->n; i++) {
		const char *n = m->v[i].name;
		size_t w = strcspn(arg, "-");
		char *pat;
		int dup;

		if (strncmp(n, arg, w))
			continue;
		pat = rv_xasprintf(" %s,", n);
		dup = names && strstr(names, pat);
		free(pat);
		if (dup)
			continue;
		if (nnames++ < 10) {
			char *t = rv_xasprintf("%s %s,", names ? names : "", n);
			free(names);
			names = t;
		}
	}
	if (names)
		names[strlen(names) - 1] = '\0';
	if (found[1])
		*why = rv_xasprintf("'%s' matches more than one source package: %s", arg,
				    names ? names + 1 : "");
	else
		*why = rv_xasprintf("no source package matches '%s'%s%s", arg,
				    names ? "; candidates:" : "", names ? names : "");
	free(names);
	return NULL;
}

/* ---- the fetch ---------------------------------------------------------------- */

static void item_fail(struct item *it, int code, const char *msg)
{
	free(it->error);
	it->error = rv_xstrdup(msg);
	it->pub.error = it->error;
	it->pub.code = code;
}

int rv_fetch(struct rv_fetch_report **out, struct rv_ctx *ctx, const char *const *args,
	     size_t nargs, const char *outdir, const struct rv_fetch_options *o,
	     struct rv_error **err)
{
	struct rv_fetch_report *r = NULL;
	struct rv_fetch_cfg cfg;
	struct rv_metalink ml = { 0 };
	const char *const *mirrors = o->mirrors;
	size_t nmirrors = o->nmirrors;
	char **mlmirrors = NULL;
	struct meta m = { 0 };
	struct fresh floor = { "", 0 }, fr, seen;
	const char *cache = o->cache_dir ? o->cache_dir : rv_ctx_cache_dir(ctx);
	char *mddir = NULL, *failed = NULL, *tmpdir = NULL;
	unsigned char *bad = NULL;
	int have_floor = 0, rc = 0;
	size_t i, j;
	time_t now = o->now ? o->now : time(NULL);

	*out = NULL;
	if (o->metalink && o->nmirrors)
		return rv_error_set(err, RV_EINVAL, "give mirrors or a metalink, not both");
	if (!o->nmirrors && !o->metalink)
		return rv_error_set(err, RV_EINVAL, "no upstream mirror given");
	for (i = 0; i < o->nmirrors; i++)
		if (strncasecmp(o->mirrors[i], "http://", 7) && strncasecmp(o->mirrors[i], "https://", 8) &&
		    strncasecmp(o->mirrors[i], "file://", 7))
			return rv_error_set(err, RV_EINVAL, "'%s' is not an http, https or file URL",
					    o->mirrors[i]);
	if (o->metalink && strncasecmp(o->metalink, "http://", 7) &&
	    strncasecmp(o->metalink, "https://", 8) && strncasecmp(o->metalink, "file://", 7))
		return rv_error_set(err, RV_EINVAL, "'%s' is not an http, https or file URL",
				    o->metalink);
	cfg_from(&cfg, o);
	/* the metalink first: nothing is kept of a run whose metalink is unusable */
	if (o->metalink) {
		if ((rc = metalink_load(&ml, &mlmirrors, &nmirrors, ctx, &cfg, o->metalink, cache, err)))
			return rc;
		mirrors = (const char *const *)mlmirrors;
	}
	if (cache) {
		mddir = rv_xasprintf("%s/fetch-metadata", cache);
		if ((rc = mkdir_private(mddir, err)))
			goto out;
		cache_prune(mddir, o->cache_max_bytes ? o->cache_max_bytes : (uint64_t)512 << 20,
			    o->cache_max_age ? o->cache_max_age : 30 * 86400, now);
		for (i = 0; i <= nmirrors; i++)
			/* with a metalink, the metalink's URL names the upstream too */
			if ((i < nmirrors || o->metalink) &&
			    fresh_read(&seen, cache, i < nmirrors ? mirrors[i] : o->metalink) &&
			    (!have_floor || fresh_older(&floor, &seen))) {
				floor = seen;
				have_floor = 1;
			}
	} else {
		tmpdir = rv_xasprintf("%s/.rpmvet-metadata-XXXXXX", outdir);
		if (!mkdtemp(tmpdir)) {
			rc = rv_error_set(err, RV_EIO, "cannot create a directory in '%s': %s", outdir,
					  strerror(errno));
			free(tmpdir);
			tmpdir = NULL;
			goto out;
		}
		mddir = rv_xstrdup(tmpdir);
	}
	bad = rv_xcalloc(nmirrors, 1);
	for (i = 0; i < nmirrors; i++) {
		struct rv_error *e = NULL;
		char *msg;
		memset(&fr, 0, sizeof(fr));
		if (mirror_meta(&m, &fr, ctx, o, &cfg, o->metalink ? &ml : NULL, mirrors[i], mddir,
				have_floor ? &floor : NULL, &e) == 0) {
			m.mirror = mirrors[i];
			m.mirror_idx = i;
			break;
		}
		meta_release(&m);
		bad[i] = 1;
		msg = rv_error_string(e);
		rv_ctx_log(ctx, 1, "mirror '%s' skipped: %s", mirrors[i], msg);
		{
			char *all = rv_xasprintf("%s%s%s", failed ? failed : "", failed ? "; " : "", msg);
			free(failed);
			failed = all;
		}
		free(msg);
		rv_error_free(e);
	}
	if (!m.mirror) {
		rc = rv_error_set(err, RV_EIO, "no mirror serves usable metadata: %s", failed);
		goto out;
	}
	/* the mirrors given together are one upstream: each now has this floor */
	if (cache) {
		for (i = 0; i < nmirrors; i++)
			fresh_write(cache, mirrors[i], &fr);
		if (o->metalink) {
			struct fresh mt = { "", ml.timestamp };
			char *key = metalink_key(o->metalink);
			fresh_write(cache, o->metalink, &fr);
			if (ml.timestamp)
				fresh_write(cache, key, &mt);
			free(key);
		}
	}

	/* the packages' downloads show progress, the metadata's do not */
	cfg.progress = o->progress;
	cfg.progress_data = o->progress_data;
	r = rv_xcalloc(1, sizeof(*r));
	r->v = rv_xcalloc(nargs ? nargs : 1, sizeof(*r->v));
	r->n = nargs;
	for (i = 0; i < nargs; i++) {
		struct item *it = &r->v[i];
		const struct srpm *p;
		char *why = NULL, *name;
		struct rv_fetch_want want;

		it->pub.arg = args[i];
		if (!(p = resolve(&m, args[i], &why))) {
			item_fail(it, RV_ENOTFOUND, why);
			free(why);
			continue;
		}
		it->nevra = p->epoch ? rv_xasprintf("%s-%lld:%s-%s.src", p->name, (long long)p->epoch,
						    p->version, p->release)
				     : rv_xasprintf("%s-%s-%s.src", p->name, p->version, p->release);
		it->pub.nevra = it->nevra;
		name = rv_xstrdup(strrchr(p->location, '/') ? strrchr(p->location, '/') + 1 : p->location);
		want = (struct rv_fetch_want){ .size = p->size, .sumtype = p->sumtype, .sum = p->sum };
		/* the mirror that served the metadata first, then the others not known bad */
		for (j = 0; j < nmirrors; j++) {
			size_t k = (m.mirror_idx + j) % nmirrors;
			struct rv_error *e = NULL;
			char *url, *msg;
			if (bad[k])
				continue;
			url = rv_fetch_join(mirrors[k], p->location);
			if (rv_fetch_file(&cfg, url, outdir, name, &want, &e) == 0) {
				it->url = url;
				it->mirror = rv_xstrdup(mirrors[k]);
				it->path = rv_xasprintf("%s/%s", outdir, name);
				it->sum = rv_xstrdup(m.repomd_sha256);
				it->checksum = rv_xasprintf("%s:%s", p->sumtype, p->sum);
				it->pub.url = it->url;
				it->pub.mirror = it->mirror;
				it->pub.path = it->path;
				it->pub.repomd_sha256 = it->sum;
				it->pub.checksum = it->checksum;
				free(it->error);
				it->error = NULL;
				it->pub.error = NULL;
				it->pub.code = 0;
				break;
			}
			msg = rv_error_string(e);
			if (j + 1 < nmirrors)
				rv_ctx_log(ctx, 1, "mirror '%s': %s", mirrors[k], msg);
			/* a package the metadata lists but no mirror serves is a failed
			 * download (RV_EIO), never "no such name" (RV_ENOTFOUND) */
			item_fail(it, e->code == RV_ENOTFOUND ? RV_EIO : e->code, msg);
			free(msg);
			rv_error_free(e);
			free(url);
		}
		free(name);
	}
out:
	if (tmpdir) {
		DIR *d = opendir(tmpdir);
		struct dirent *de;
		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.' || (de->d_name[1] && strcmp(de->d_name, "..")))
				unlinkat(dirfd(d), de->d_name, 0);
		if (d)
			closedir(d);
		rmdir(tmpdir);
		free(tmpdir);
	}
	meta_release(&m);
	rv_metalink_release(&ml);
	rv_strv_free(mlmirrors);
	free(mddir);
	free(failed);
	free(bad);
	*out = r;
	return rc;
}

size_t rv_fetch_report_count(const struct rv_fetch_report *r)
{
	return r ? r->n : 0;
}

const struct rv_fetched *rv_fetch_report_item(const struct rv_fetch_report *r, size_t i)
{
	return r && i < r->n ? &r->v[i].pub : NULL;
}

void rv_fetch_report_free(struct rv_fetch_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].nevra);
		free(r->v[i].path);
		free(r->v[i].url);
		free(r->v[i].mirror);
		free(r->v[i].sum);
		free(r->v[i].checksum);
		free(r->v[i].error);
	}
	free(r->v);
	free(r);
}

/* ---- the freshness floor, for closure's remote upstreams (upstream-trust.h) ---- */

int rv_upstream_floor_check(const char *cache, const char *mirror, const char *what,
			    const char *revision, int64_t timestamp, struct rv_error **err)
{
	struct fresh fr, floor;
	char a[128], b[128];

	snprintf(fr.revision, sizeof(fr.revision), "%s", revision);
	fr.timestamp = timestamp;
	if (!cache || !fresh_read(&floor, cache, mirror) || !fresh_older(&fr, &floor))
		return 0;
	return rv_error_set(err, RV_EFORMAT, "upstream.stale-metadata: '%s' has %s, older than %s "
			    "seen before", what, fresh_name(a, sizeof(a), &fr),
			    fresh_name(b, sizeof(b), &floor));
}

void rv_upstream_floor_record(const char *cache, const char *mirror, const char *revision,
			      int64_t timestamp)
{
	struct fresh fr;

	snprintf(fr.revision, sizeof(fr.revision), "%s", revision);
	fr.timestamp = timestamp;
	if (cache)
		fresh_write(cache, mirror, &fr);
}
