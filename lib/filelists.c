/* SPDX-License-Identifier: MIT */
/*
 * filelists: libxml2's one module.  rpm-md filelists.xml streamed through
 * SAX2, one callback per file; and metalinks (repomd.xml's size, hashes,
 * timestamp and mirrors), through the same SAX2 driver: no DTD, no entities,
 * no network.
 */
#include "rpmvet.h"
#include "error.h"
#include "filelists.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

/* the longest path kept: longer ones cannot name a file on Linux (PATH_MAX) */
#define PATH_CAP 4096

/* What every SAX2 scan of ours shares: the first member of each one's state. */
struct sax_base {
	xmlParserCtxtPtr ctxt;
	int dtd;             /* a document type declaration was refused */
	char *why;           /* libxml2's first error, "line N: message" */
};

struct scan {
	struct sax_base b;
	rv_filelists_fn fn;
	void *data;
	char *pkgid;
	char path[PATH_CAP + 2];
	size_t len;
	int in_file, too_long;
	int stopped;         /* the callback's non-zero value */
};

static void on_start(void *ud, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
		     int nns, const xmlChar **ns, int natt, int ndef, const xmlChar **att)
{
	struct scan *s = ud;
	int i;

	(void)prefix, (void)uri, (void)nns, (void)ns, (void)ndef;
	if (!strcmp((const char *)name, "file")) {
		s->in_file = 1;
		s->too_long = 0;
		s->path[0] = '/';
		s->len = 1;
		return;
	}
	if (strcmp((const char *)name, "package"))
		return;
	free(s->pkgid);
	s->pkgid = NULL;
	for (i = 0; i < natt; i++)
		if (!strcmp((const char *)att[i * 5], "pkgid"))
			s->pkgid = rv_xstrndup((const char *)att[i * 5 + 3],
					       (size_t)(att[i * 5 + 4] - att[i * 5 + 3]));
}

static void on_text(void *ud, const xmlChar *ch, int len)
{
	struct scan *s = ud;

	if (!s->in_file || s->too_long)
		return;
	if (s->len + (size_t)len > PATH_CAP + 1) {
		s->too_long = 1;
		return;
	}
	memcpy(s->path + s->len, ch, (size_t)len);
	s->len += (size_t)len;
}

static void on_end(void *ud, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	struct scan *s = ud;
	const char *p;

	(void)prefix, (void)uri;
	if (!s->in_file || strcmp((const char *)name, "file"))
		return;
	s->in_file = 0;
	if (s->too_long || s->stopped)
		return;
	s->path[s->len] = '\0';
	/* "/usr/bin/x" as listed, "usr/bin/x" given its leading '/' */
	p = s->path[1] == '/' ? s->path + 1 : s->path;
	if ((s->stopped = s->fn(s->pkgid ? s->pkgid : "", p, s->data)))
		xmlStopParser(s->b.ctxt);
}

/* entities are a way to make a small file expand: rpm-md never declares any */
static void on_dtd(void *ud, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	struct sax_base *s = ud;

	(void)name, (void)ext, (void)sys;
	s->dtd = 1;
	xmlStopParser(s->ctxt);
}

static void on_error(void *ud, xmlErrorPtr e)
{
	struct sax_base *s = ud;
	size_t n;

	if (s->why || !e || e->level < XML_ERR_ERROR)
		return;
	s->why = rv_xasprintf("line %d: %s", e->line, e->message ? e->message : "malformed XML");
	n = strlen(s->why);
	while (n && (s->why[n - 1] == '\n' || s->why[n - 1] == ' '))
		s->why[--n] = '\0';
}

static void sax_init(xmlSAXHandler *sax)
{
	memset(sax, 0, sizeof(*sax));
	sax->initialized = XML_SAX2_MAGIC;
	sax->internalSubset = on_dtd;
	sax->serror = on_error;
}

/* A push parser for b (whose handlers are sax): 0, or RV_EEXTERNAL. */
static int sax_open(struct sax_base *b, xmlSAXHandler *sax, const char *name, struct rv_error **err)
{
	xmlInitParser();
	if (!(b->ctxt = xmlCreatePushParserCtxt(sax, b, NULL, 0, name)))
		return rv_error_set(err, RV_EEXTERNAL, "cannot read '%s': libxml2 has no parser", name);
	/* never XML_PARSE_NOENT: entities are not substituted */
	xmlCtxtUseOptions(b->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	return 0;
}

/* The end of a scan: RV_EIO for a DTD or a document that is not well-formed; the parser freed. */
static int sax_close(struct sax_base *b, int bad, const char *name, struct rv_error **err)
{
	int rc = 0;

	if (b->dtd)
		rc = rv_error_set(err, RV_EIO, "'%s' declares a document type (refused: entities)",
				  name);
	else if (bad || !b->ctxt->wellFormed)
		rc = rv_error_set(err, RV_EIO, "'%s' is not well-formed XML: %s", name,
				  b->why ? b->why : "malformed");
	xmlFreeParserCtxt(b->ctxt);
	b->ctxt = NULL;
	free(b->why);
	b->why = NULL;
	return rc;
}

int rv_filelists_scan(FILE *f, const char *name, rv_filelists_fn fn, void *data,
		      struct rv_error **err)
{
	xmlSAXHandler sax;
	struct scan s;
	char buf[65536];
	size_t n;
	int rc, bad = 0;

	memset(&s, 0, sizeof(s));
	sax_init(&sax);
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	s.fn = fn;
	s.data = data;
	if ((rc = sax_open(&s.b, &sax, name, err)))
		return rc;
	while (!bad && !s.stopped && !s.b.dtd && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		bad = xmlParseChunk(s.b.ctxt, buf, (int)n, 0) != 0;
	if (!bad && !s.stopped && !s.b.dtd && !ferror(f))
		bad = xmlParseChunk(s.b.ctxt, NULL, 0, 1) != 0;
	if (s.stopped) {
		rc = s.stopped;
		xmlFreeParserCtxt(s.b.ctxt);
		free(s.b.why);
	} else if (ferror(f)) {
		rc = rv_error_set(err, RV_EIO, "cannot read '%s'", name);
		xmlFreeParserCtxt(s.b.ctxt);
		free(s.b.why);
	} else {
		rc = sax_close(&s.b, bad, name, err);
	}
	free(s.pkgid);
	return rc;
}

/* ---- metalinks ------------------------------------------------------------ */

#define ML_TEXT_CAP 8192   /* the longest value kept (a URL, a hash) */
#define ML_URLS_MAX 4096   /* mirrors kept from one metalink */

enum ml_field { ML_NONE, ML_TIMESTAMP, ML_SIZE, ML_HASH, ML_URL };

struct mlscan {
	struct sax_base b;
	struct rv_metalink *out;
	int *prefs;          /* the preference of each URL */
	size_t cap;
	int in_file, files;  /* inside the first <file name="repomd.xml">, how many seen */
	enum ml_field field;
	char hashtype[16];
	int pref;
	char text[ML_TEXT_CAP + 1];
	size_t len;
	int too_long;
	char *bad;           /* the first value that is not what it should be */
};

static const char *ml_att(int natt, const xmlChar **att, const char *name, char *buf, size_t len)
{
	int i;

	for (i = 0; i < natt; i++)
		if (!strcmp((const char *)att[i * 5], name)) {
			size_t n = (size_t)(att[i * 5 + 4] - att[i * 5 + 3]);
			if (n >= len)
				n = len - 1;
			memcpy(buf, att[i * 5 + 3], n);
			buf[n] = '\0';
			return buf;
		}
	return NULL;
}

static void ml_start(void *ud, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
		     int nns, const xmlChar **ns, int natt, int ndef, const xmlChar **att)
{
	struct mlscan *s = ud;
	const char *n = (const char *)name;
	char v[64];

	(void)prefix, (void)uri, (void)nns, (void)ns, (void)ndef;
	if (!strcmp(n, "file")) {
		s->in_file = !s->files++ && ml_att(natt, att, "name", v, sizeof(v)) &&
			     !strcmp(v, "repomd.xml");
		return;
	}
	if (!s->in_file)
		return;
	s->field = ML_NONE;
	if (!strcmp(n, "timestamp"))
		s->field = ML_TIMESTAMP;
	else if (!strcmp(n, "size"))
		s->field = ML_SIZE;
	else if (!strcmp(n, "hash") && ml_att(natt, att, "type", s->hashtype, sizeof(s->hashtype)))
		s->field = ML_HASH;
	else if (!strcmp(n, "url")) {
		s->field = ML_URL;
		s->pref = ml_att(natt, att, "preference", v, sizeof(v)) ? atoi(v) : 0;
	}
	s->len = 0;
	s->too_long = 0;
}

static void ml_text(void *ud, const xmlChar *ch, int len)
{
	struct mlscan *s = ud;

	if (s->field == ML_NONE || s->too_long)
		return;
	if (s->len + (size_t)len > ML_TEXT_CAP) {
		s->too_long = 1;
		return;
	}
	memcpy(s->text + s->len, ch, (size_t)len);
	s->len += (size_t)len;
}

/* v (trimmed) as a decimal number, or -1 */
static int64_t ml_number(const char *v)
{
	char *end;
	long long x;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	x = strtoll(v, &end, 10);
	return *end || errno || x < 0 ? -1 : (int64_t)x;
}

static int ml_hex(char *out, size_t want, const char *v)
{
	size_t i;

	if (strlen(v) != want)
		return -1;
	for (i = 0; i < want; i++) {
		char c = v[i];
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		out[i] = c;
	}
	out[want] = '\0';
	return 0;
}

static void ml_end(void *ud, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	struct mlscan *s = ud;
	struct rv_metalink *m = s->out;
	enum ml_field f = s->field;
	char *v = s->text;
	int64_t x;

	(void)prefix, (void)uri;
	if (!strcmp((const char *)name, "file")) {
		s->in_file = 0;
		return;
	}
	if (f == ML_NONE)
		return;
	s->field = ML_NONE;
	s->text[s->len] = '\0';
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	while (s->len && (s->text[s->len - 1] == ' ' || s->text[s->len - 1] == '\t' ||
			  s->text[s->len - 1] == '\n' || s->text[s->len - 1] == '\r'))
		s->text[--s->len] = '\0';
	if (s->bad)
		return;
	if (s->too_long) {
		s->bad = rv_xasprintf("a <%s> longer than %d bytes", (const char *)name, ML_TEXT_CAP);
		return;
	}
	if (f == ML_TIMESTAMP || f == ML_SIZE) {
		if ((x = ml_number(v)) < 0)
			s->bad = rv_xasprintf("<%s>%s</%s> is not a number", (const char *)name, v,
					      (const char *)name);
		else if (f == ML_TIMESTAMP)
			m->timestamp = x;
		else
			m->size = (uint64_t)x;
	} else if (f == ML_HASH) {
		int r = 0;
		if (!strcasecmp(s->hashtype, "sha256"))
			r = ml_hex(m->sha256, 64, v);
		else if (!strcasecmp(s->hashtype, "sha512"))
			r = ml_hex(m->sha512, 128, v);
		if (r)
			s->bad = rv_xasprintf("its %s hash '%s' is not %d hex digits", s->hashtype, v,
					      !strcasecmp(s->hashtype, "sha256") ? 64 : 128);
	} else if (*v && m->nurls < ML_URLS_MAX) {
		size_t i = m->nurls;
		rv_grow((void **)&m->urls, &s->cap, m->nurls + 1, sizeof(*m->urls));
		s->prefs = realloc(s->prefs, s->cap * sizeof(*s->prefs));
		if (!s->prefs)
			abort();
		/* highest preference first, the document's order among equals */
		while (i > 0 && s->prefs[i - 1] < s->pref) {
			m->urls[i] = m->urls[i - 1];
			s->prefs[i] = s->prefs[i - 1];
			i--;
		}
		m->urls[i] = rv_xstrdup(v);
		s->prefs[i] = s->pref;
		m->nurls++;
	}
}

int rv_metalink_parse(struct rv_metalink *out, const char *buf, size_t len, const char *name,
		      struct rv_error **err)
{
	xmlSAXHandler sax;
	struct mlscan s;
	int rc, bad;

	memset(out, 0, sizeof(*out));
	if (len > RV_METALINK_MAX)
		return rv_error_set(err, RV_EIO, "'%s' is larger than %zu bytes", name,
				    (size_t)RV_METALINK_MAX);
	memset(&s, 0, sizeof(s));
	s.out = out;
	sax_init(&sax);
	sax.startElementNs = ml_start;
	sax.endElementNs = ml_end;
	sax.characters = ml_text;
	if ((rc = sax_open(&s.b, &sax, name, err)))
		return rc;
	bad = xmlParseChunk(s.b.ctxt, buf, (int)len, 1) != 0;
	rc = sax_close(&s.b, bad, name, err);
	if (!rc && s.bad)
		rc = rv_error_set(err, RV_EIO, "'%s' is not a usable metalink: %s", name, s.bad);
	else if (!rc && !s.files)
		rc = rv_error_set(err, RV_EIO, "'%s' is not a usable metalink: it lists no file", name);
	else if (!rc && !out->nurls && !out->size && !out->sha256[0] && !out->sha512[0])
		rc = rv_error_set(err, RV_EIO, "'%s' is not a usable metalink: it does not describe "
				  "repomd.xml", name);
	free(s.bad);
	free(s.prefs);
	if (rc)
		rv_metalink_release(out);
	return rc;
}

void rv_metalink_release(struct rv_metalink *m)
{
	size_t i;

	for (i = 0; i < m->nurls; i++)
		free(m->urls[i]);
	free(m->urls);
	m->urls = NULL;
	m->nurls = 0;
}
