/* SPDX-License-Identifier: MIT */
/* filelists: rpm-md filelists.xml streamed through libxml2's SAX2, one callback per file. */
#include "rpmvet.h"
#include "error.h"
#include "filelists.h"
#include "util.h"

#include <string.h>

#include <libxml/parser.h>

/* the longest path kept: longer ones cannot name a file on Linux (PATH_MAX) */
#define PATH_CAP 4096

struct scan {
	xmlParserCtxtPtr ctxt;
	rv_filelists_fn fn;
	void *data;
	char *pkgid;
	char path[PATH_CAP + 2];
	size_t len;
	int in_file, too_long;
	int stopped;         /* the callback's non-zero value */
	int dtd;             /* a document type declaration was refused */
	char *why;           /* libxml2's first error, "line N: message" */
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
		xmlStopParser(s->ctxt);
}

/* entities are a way to make a small file expand: rpm-md never declares any */
static void on_dtd(void *ud, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	struct scan *s = ud;

	(void)name, (void)ext, (void)sys;
	s->dtd = 1;
	xmlStopParser(s->ctxt);
}

static void on_error(void *ud, xmlErrorPtr e)
{
	struct scan *s = ud;
	size_t n;

	if (s->why || !e || e->level < XML_ERR_ERROR)
		return;
	s->why = rv_xasprintf("line %d: %s", e->line, e->message ? e->message : "malformed XML");
	n = strlen(s->why);
	while (n && (s->why[n - 1] == '\n' || s->why[n - 1] == ' '))
		s->why[--n] = '\0';
}

int rv_filelists_scan(FILE *f, const char *name, rv_filelists_fn fn, void *data,
		      struct rv_error **err)
{
	xmlSAXHandler sax;
	struct scan s;
	char buf[65536];
	size_t n;
	int rc = 0, bad = 0;

	memset(&sax, 0, sizeof(sax));
	memset(&s, 0, sizeof(s));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.internalSubset = on_dtd;
	sax.serror = on_error;
	s.fn = fn;
	s.data = data;
	xmlInitParser();
	if (!(s.ctxt = xmlCreatePushParserCtxt(&sax, &s, NULL, 0, name)))
		return rv_error_set(err, RV_EEXTERNAL, "cannot read '%s': libxml2 has no parser", name);
	xmlCtxtUseOptions(s.ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	while (!bad && !s.stopped && !s.dtd && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		bad = xmlParseChunk(s.ctxt, buf, (int)n, 0) != 0;
	if (!bad && !s.stopped && !s.dtd && !ferror(f))
		bad = xmlParseChunk(s.ctxt, NULL, 0, 1) != 0;
	if (s.stopped)
		rc = s.stopped;
	else if (ferror(f))
		rc = rv_error_set(err, RV_EIO, "cannot read '%s'", name);
	else if (s.dtd)
		rc = rv_error_set(err, RV_EIO, "'%s' declares a document type (refused: entities)",
				  name);
	else if (bad || !s.ctxt->wellFormed)
		rc = rv_error_set(err, RV_EIO, "'%s' is not well-formed XML: %s", name,
				  s.why ? s.why : "malformed");
	xmlFreeParserCtxt(s.ctxt);
	free(s.pkgid);
	free(s.why);
	return rc;
}
