/* SPDX-License-Identifier: MIT */
/*
 * prov-sources: an SRPM's embedded files against the dist-git `sources`
 * ledger (--sources): a sources file, a checkout (its sources file and the
 * files committed beside the spec), or a directory of NAME/ and NAME.sources.
 * Nothing named by the ledger or the package is used as a path: names are
 * looked up relative to the checkout's directory descriptor, never followed.
 */
#include "prov.h"
#include "error.h"
#include "facts.h"
#include "pkg.h"
#include "report.h"
#include "stage.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LEDGER (1u << 20)   /* a real sources file is a few hundred bytes */
#define BUF (64u << 10)

static const struct alg {
	const char *name;
	int algo;               /* librpm (OpenPGP) number */
	size_t hexlen;
} algs[] = {
	{ "SHA512", 10, 128 }, { "SHA384", 9, 96 }, { "SHA256", 8, 64 },
	{ "SHA224", 11, 56 }, { "SHA1", 2, 40 }, { "MD5", 1, 32 },
};

int rv_prov_hostile_name(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;

	if (!*s || !strcmp(name, ".") || !strcmp(name, ".."))
		return 1;
	for (; *s; s++)
		if (*s == '/' || *s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return 0;
	return 1;
}

/* One line (without its newline): 1 parsed into e, 0 not a ledger line. */
static int parse_line(const char *s, size_t n, struct rv_ledger_entry *e)
{
	const char *open, *close;
	size_t i, hl;

	for (i = 0; i < RV_ARRAY_SIZE(algs); i++) {
		size_t al = strlen(algs[i].name);
		if (n <= al + 2 || strncmp(s, algs[i].name, al) || strncmp(s + al, " (", 2))
			continue;
		open = s + al + 2;
		/* the name runs to the last ") = ": a name may hold parentheses */
		for (close = s + n - 4; close >= open; close--)
			if (!strncmp(close, ") = ", 4))
				break;
		if (close < open)
			return 0;
		hl = (size_t)(s + n - (close + 4));
		if (hl != algs[i].hexlen || !all_hex(close + 4, hl))
			return 0;
		e->name = rv_xstrndup(open, (size_t)(close - open));
		e->alg = algs[i].name;
		e->algo = algs[i].algo;
		rv_strlcpy_case(e->hex, close + 4, hl + 1, 0);
		for (i = 0; e->hex[i]; i++)
			e->hex[i] = (char)(e->hex[i] | 0x20);
		return 1;
	}
	/* legacy: 32 hex digits, two spaces, the name */
	if (n > 34 && all_hex(s, 32) && s[32] == ' ' && s[33] == ' ') {
		e->name = rv_xstrndup(s + 34, n - 34);
		e->alg = "MD5";
		e->algo = 1;
		memcpy(e->hex, s, 32);
		e->hex[32] = '\0';
		for (i = 0; i < 32; i++)
			e->hex[i] = (char)(e->hex[i] | 0x20);
		return 1;
	}
	return 0;
}

void rv_ledger_parse(struct rv_ledger *out, const char *text, size_t len, const char *fname,
		     struct rv_result *res)
{
	const char *p = text, *end = text + len, *first_alg = NULL, *other = NULL;
	int line = 0;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		struct rv_ledger_entry e = { 0 };

		line++;
		if (n && p[n - 1] == '\r')
			n--;
		if (!n) {
			p = nl ? nl + 1 : end;
			continue;
		}
		if (!memchr(p, '\0', n) && parse_line(p, n, &e)) {
			if (rv_prov_hostile_name(e.name)) {
				char *esc = rv_text_escape(e.name, 1);
				rv_finding_add(res, "provenance.sources.hostile-name",
					       "'%s' (%s:%d) is not a file name ('/', '..' or a control character): never looked up",
					       esc, fname, line);
				free(esc);
				free(e.name);
			} else {
				e.line = line;
				if (!first_alg)
					first_alg = e.alg;
				else if (strcmp(first_alg, e.alg) && !other)
					other = e.alg;
				out->v = rv_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
				out->v[out->n++] = e;
			}
		} else {
			rv_finding_add(res, "provenance.sources.unparseable",
				       "%s:%d: not a sources line ('ALG (name) = hex' or 'md5hex  name')",
				       fname, line);
		}
		p = nl ? nl + 1 : end;
	}
	if (other)
		rv_finding_add(res, "provenance.sources.mixed-algorithms",
			       "'%s' mixes digest algorithms (%s and %s): one ledger, one algorithm",
			       fname, first_alg, other);
}

void rv_ledger_release(struct rv_ledger *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Where one package's ledger is. */
struct where {
	int dirfd;              /* a checkout's directory, else -1 */
	char *dir;              /* the checkout's name for messages */
	char *fname;            /* the ledger's name for messages, NULL for none */
	char *text;
	size_t len;
};

/* Read a ledger file (relative to dirfd), bounded; 0, or -1 with errno set. */
static int read_ledger(int dirfd, const char *name, struct where *w)
{
	struct stat st;
	int fd = rv_openat_regular(dirfd, name, 1, &st);
	ssize_t n;

	if (fd < 0)
		return -1;
	w->text = rv_xmalloc(MAX_LEDGER + 1);
	w->len = 0;
	while (w->len <= MAX_LEDGER &&
	       (n = read(fd, w->text + w->len, MAX_LEDGER + 1 - w->len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		w->len += (size_t)n;
	}
	close(fd);
	return 0;
}

static int is_checkout(int dfd)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int fd, found = 0;

	if (!fstatat(dfd, "sources", &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode))
		return 1;
	if ((fd = dup(dfd)) < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (!found && (de = readdir(d)))
		found = !fnmatch("*.spec", de->d_name, 0);
	closedir(d);
	return found;
}

static void where_release(struct where *w)
{
	if (w->dirfd >= 0)
		close(w->dirfd);
	free(w->fname);
	free(w->dir);
	free(w->text);
}

/* A checkout directory at dfd: its sources file (an empty ledger without one). */
static int open_checkout(struct where *w, int dfd, const char *label)
{
	w->dirfd = dfd;
	w->dir = rv_xstrdup(label);
	w->fname = rv_xasprintf("%s/sources", label);
	if (read_ledger(dfd, "sources", w) && errno != ENOENT)
		return -1;
	return 0;
}

/*
 * Find name's ledger under path: 1 found (w set), 0 none, <0 an error.
 * A hostile package name is a finding and no ledger.
 */
static int locate(struct where *w, const char *path, const char *name, struct rv_result *res,
		  struct rv_error **err)
{
	struct stat st;
	int fd, sub;

	memset(w, 0, sizeof(*w));
	w->dirfd = -1;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		goto fail;
	if (S_ISREG(st.st_mode)) {
		close(fd);
		w->fname = rv_xstrdup(path);
		if (read_ledger(AT_FDCWD, path, w))
			goto fail;
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		goto fail;
	}
	if (is_checkout(fd)) {
		if (open_checkout(w, fd, path))
			goto fail;
		return 1;
	}
	/* a directory of NAME/ checkouts and NAME.sources files */
	if (rv_prov_hostile_name(name)) {
		rv_finding_add(res, "provenance.sources.hostile-name",
			       "the package name '%s' is not a file name: no ledger looked up under '%s'",
			       name, path);
		close(fd);
		return 0;
	}
	sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub >= 0) {
		char *label = rv_xasprintf("%s/%s", path, name);
		int rc = open_checkout(w, sub, label);
		free(label);
		close(fd);
		if (rc)
			goto fail;
		return 1;
	}
	{
		char *file = rv_xasprintf("%s.sources", name);
		int rc = read_ledger(fd, file, w);
		if (!rc)
			w->fname = rv_xasprintf("%s/%s", path, file);
		free(file);
		close(fd);
		if (!rc)
			return 1;
		if (errno == ENOENT)
			return 0;
	}
fail:
	{
		int e = errno;
		if (fd >= 0 && w->dirfd != fd)
			close(fd);
		where_release(w);
		memset(w, 0, sizeof(*w));
		w->dirfd = -1;
		return rv_error_set(err, e == ENOENT ? RV_ENOTFOUND : RV_EIO,
				    "cannot read the sources ledger '%s': %s", path,
				    e == EINVAL ? "not a regular file or directory" :
				    e == ELOOP ? "a symbolic link" : strerror(e));
	}
}

/* The state of one package's check. */
struct check {
	struct rv_stage_ctx *c;
	struct rv_ledger *l;
	const struct where *w;
	char **embedded;
	size_t nembedded;
	uint8_t *buf, *cbuf;
	struct rv_error *err;
};

static struct rv_file *fact_file(struct rv_facts *f, const char *name)
{
	size_t i;

	for (i = 0; f && i < f->nfiles; i++) {
		const char *b = strrchr(f->files[i].path, '/');
		if (!strcmp(b ? b + 1 : f->files[i].path, name))
			return &f->files[i];
	}
	return NULL;
}

static struct rv_ledger_entry *listed(struct rv_ledger *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

static void set_status(struct rv_file *f, const char *status)
{
	if (!f)
		return;
	free(f->ledger);
	f->ledger = rv_xstrdup(status);
}

static int check_one(struct rv_embedded *e, void *data)
{
	struct check *k = data;
	struct rv_result *res = k->c->res;
	const char *name = rv_embedded_name(e);
	char *esc = rv_text_escape(name, 1);
	struct rv_file *fact = fact_file(k->c->facts, name);
	struct rv_ledger_entry *ent = NULL;
	struct rv_digest *d = NULL, *se = NULL, *sc = NULL;
	char hex[129] = "", she[129] = "", shc[129] = "";
	int cfd = -1, differ = 0, cerr = 0;
	ssize_t n, m;

	k->embedded = rv_xrealloc(k->embedded, (k->nembedded + 1) * sizeof(*k->embedded));
	k->embedded[k->nembedded++] = rv_xstrdup(name);
	if (rv_prov_hostile_name(name)) {
		rv_finding_add(res, "provenance.sources.hostile-name",
			       "the embedded file '%s' has a name that is not a file name ('/', '..' or a control character): never looked up",
			       esc);
		set_status(fact, "hostile-name");
		free(esc);
		return 0;
	}
	if ((ent = listed(k->l, name))) {
		ent->seen = 1;
		d = rv_digest_new(ent->algo);
	} else if (k->w->dirfd >= 0) {
		struct stat st;
		cfd = rv_openat_regular(k->w->dirfd, name, 1, &st);
		if (cfd < 0 && errno != ENOENT) {
			rv_finding_add(res, "provenance.sources.mismatch",
				       "'%s' in the checkout '%s' is not a regular file (%s): not compared",
				       esc, k->w->dir, errno == ELOOP ? "a symbolic link" : strerror(errno));
			set_status(fact, "mismatch");
			free(esc);
			return 0;
		}
		if (cfd >= 0) {
			se = rv_digest_new(rv_digest_algo("sha256"));
			sc = rv_digest_new(rv_digest_algo("sha256"));
		}
	}
	if (!d && cfd < 0) {
		if (k->w->dirfd >= 0)
			rv_result_add(res, "provenance", "provenance.sources.unlisted", RV_SEV_ERROR,
				      "'%s' is neither listed in '%s' nor committed in the checkout",
				      esc, k->w->fname);
		else if (fact && fact->kind == 2)
			rv_result_add(res, "provenance", "provenance.sources.unlisted", RV_SEV_INFO,
				      "the Source '%s' is not listed in '%s': not checked", esc,
				      k->w->fname);
		set_status(fact, "unlisted");
		free(esc);
		return 0;
	}
	while ((n = rv_embedded_read(e, k->buf, BUF, &k->err)) > 0) {
		if (d)
			rv_digest_update(d, k->buf, (size_t)n);
		if (cfd < 0)
			continue;
		rv_digest_update(se, k->buf, (size_t)n);
		m = rv_read_full(cfd, k->cbuf, (size_t)n, -1);
		if (m < 0) {
			cerr = errno;
			break;
		}
		rv_digest_update(sc, k->cbuf, (size_t)m);
		differ |= m != n || memcmp(k->buf, k->cbuf, (size_t)n);
	}
	while (cfd >= 0 && n == 0 && !cerr && (m = rv_read_full(cfd, k->cbuf, BUF, -1)) != 0) {
		if (m < 0) {
			cerr = errno;
			break;
		}
		differ = 1; /* the committed file is longer */
		rv_digest_update(sc, k->cbuf, (size_t)m);
	}
	if (d)
		rv_digest_final(d, hex);
	if (se) {
		rv_digest_final(se, she);
		rv_digest_final(sc, shc);
	}
	if (cfd >= 0)
		close(cfd);
	if (n < 0 || cerr) {
		if (!k->err)
			rv_error_set(&k->err, RV_EIO, "cannot read '%s' in '%s': %s", esc,
				     k->w->fname, strerror(cerr));
		free(esc);
		return n < 0 ? (int)n : RV_EIO;
	}
	if (ent && strcmp(hex, ent->hex)) {
		rv_finding_add(res, "provenance.sources.mismatch",
			       "'%s' does not match '%s' line %d: %s %s listed, %s embedded",
			       esc, k->w->fname, ent->line, ent->alg, ent->hex, hex);
		set_status(fact, "mismatch");
	} else if (ent && ent->algo == 1) {
		rv_finding_add(res, "provenance.sources.md5",
			       "'%s' matches only an MD5 in '%s' line %d: MD5 is recorded, never trusted",
			       esc, k->w->fname, ent->line);
		set_status(fact, "MD5 only");
	} else if (ent) {
		char *st = rv_xasprintf("%s ok", ent->alg);
		rv_finding_add(res, "provenance.sources.ok", "'%s' matches '%s' (%s)", esc,
			       k->w->fname, ent->alg);
		set_status(fact, st);
		free(st);
	} else if (differ) {
		rv_finding_add(res, "provenance.sources.mismatch",
			       "'%s' differs from the file committed in '%s': SHA256 %s committed, %s embedded",
			       esc, k->w->dir, shc, she);
		set_status(fact, "mismatch");
	} else {
		rv_finding_add(res, "provenance.sources.ok",
			       "'%s' is the file committed in '%s', byte for byte", esc, k->w->dir);
		set_status(fact, "committed");
	}
	free(esc);
	return 0;
}

/* dist-git files beside the spec that are never part of the package */
static int dist_git_meta(const char *name)
{
	static const char *const meta[] = {
		".*", "sources", "README", "README.*", "*.md", "gating.yaml", "rpminspect.yaml",
		"rpmlint.toml", "*.rpmlintrc", "changelog", "*.fmf", "*.rpm", "dead.package",
	};
	size_t i;

	for (i = 0; i < RV_ARRAY_SIZE(meta); i++)
		if (!fnmatch(meta[i], name, FNM_PERIOD) || (meta[i][0] == '.' && name[0] == '.'))
			return 1;
	return 0;
}

static int was_embedded(const struct check *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->nembedded; i++)
		if (!strcmp(k->embedded[i], name))
			return 1;
	return 0;
}

/* Listed or committed, and not embedded. */
static void report_missing(struct check *k)
{
	struct rv_result *res = k->c->res;
	struct dirent *de;
	DIR *d;
	size_t i;
	int fd;

	for (i = 0; i < k->l->n; i++)
		if (!k->l->v[i].seen && !was_embedded(k, k->l->v[i].name)) {
			char *esc = rv_text_escape(k->l->v[i].name, 1);
			rv_finding_add(res, "provenance.sources.missing",
				       "'%s' is listed in '%s' line %d but not embedded", esc,
				       k->w->fname, k->l->v[i].line);
			free(esc);
		}
	if (k->w->dirfd < 0 || (fd = dup(k->w->dirfd)) < 0)
		return;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;
		char *esc;
		if (dist_git_meta(de->d_name) || listed(k->l, de->d_name) ||
		    was_embedded(k, de->d_name) ||
		    fstatat(k->w->dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		esc = rv_text_escape(de->d_name, 1);
		rv_finding_add(res, "provenance.sources.missing",
			       "'%s' is committed in the checkout '%s' but not embedded", esc,
			       k->w->dir);
		free(esc);
	}
	closedir(d);
}

int rv_prov_sources(struct rv_stage_ctx *c, struct rv_error **err)
{
	enum rv_prov_sources_mode mode = rv_policy_prov_sources(c->pol);
	struct rv_ledger l = { 0 };
	struct where w = { .dirfd = -1 };
	struct check k;
	const char *name = c->facts && c->facts->name ? c->facts->name : c->res->name;
	int found = 0, rc = 0;
	size_t i;

	if (mode == RV_PROV_SOURCES_OFF || !c->res->is_source || !name)
		return 0;
	if (c->sources && (found = locate(&w, c->sources, name, c->res, err)) < 0)
		return found;
	if (!found) {
		if (mode == RV_PROV_SOURCES_REQUIRED)
			rv_finding_add(c->res, "provenance.sources.no-ledger",
				       "no sources ledger for '%s'%s%s%s: the policy requires one", name,
				       c->sources ? " under '" : " (no --sources given)",
				       c->sources ? c->sources : "", c->sources ? "'" : "");
		return 0;
	}
	if (w.len > MAX_LEDGER) {
		rv_finding_add(c->res, "provenance.sources.unparseable",
			       "%s:0: larger than the %u KiB a sources file may be", w.fname,
			       MAX_LEDGER >> 10);
		w.len = 0;
	}
	rv_ledger_parse(&l, w.text ? w.text : "", w.len, w.fname, c->res);
	if (c->facts) {
		free(c->facts->sources_ledger);
		c->facts->sources_ledger = rv_xstrdup(w.fname);
	}
	memset(&k, 0, sizeof(k));
	k.c = c;
	k.l = &l;
	k.w = &w;
	k.buf = rv_xmalloc(BUF);
	k.cbuf = rv_xmalloc(BUF);
	rc = rv_pkg_embedded_each(c->staged ? c->staged : c->res->path, check_one, &k, err);
	if (rc > 0)
		rc = 0;
	if (rc < 0 && k.err) {
		rv_error_free(err ? *err : NULL);
		if (err)
			*err = k.err;
		else
			rv_error_free(k.err);
		k.err = NULL;
	}
	if (!rc)
		report_missing(&k);
	rv_error_free(k.err);
	for (i = 0; i < k.nembedded; i++)
		free(k.embedded[i]);
	free(k.embedded);
	free(k.buf);
	free(k.cbuf);
	rv_ledger_release(&l);
	where_release(&w);
	return rc;
}
