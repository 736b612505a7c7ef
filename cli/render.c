/* SPDX-License-Identifier: MIT */
/* render: a verify report as text, JSON (jansson) or JUnit XML (libxml2). */
#include "cli.h"

#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

static const char *verdict_label(enum rv_verdict v)
{
	return v == RV_VERDICT_PASS ? "PASS" : v == RV_VERDICT_REJECT ? "REJECT" : "ERROR";
}

void render_verdict(enum rv_verdict v, int color)
{
	const char *vc = v == RV_VERDICT_PASS ? C_GREEN : C_RED;

	printf("%s%-6s%s  ", color ? vc : "", verdict_label(v), color ? C_RESET : "");
}

/* A waiver's expiry date, YYYY-MM-DD (UTC), into buf. */
static const char *waiver_date(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d", &tm))
		snprintf(buf, len, "%lld", (long long)t);
	return buf;
}

/* " (waived: REASON; until DATE)" for a waived finding, else "" (the caller's). */
static char *waiver_text(const struct rv_finding *f)
{
	char date[32], *s;

	if (!f->waived)
		return strdup("");
	if (asprintf(&s, " (waived: %s%s%s)", f->waiver_reason ? f->waiver_reason : "",
		     f->waiver_expires ? "; until " : "",
		     f->waiver_expires ? waiver_date(date, sizeof(date), f->waiver_expires) : "") < 0)
		abort();
	return s;
}

/* "waived" for a waived finding, else its severity. */
static const char *finding_label(const struct rv_finding *f)
{
	return f->waived ? "waived" : rv_severity_name(f->severity);
}

/* Findings indented under their subject; info only with -v (a waived one always). */
void render_findings(const struct rv_finding *fs, size_t n, int color)
{
	size_t j;

	for (j = 0; j < n; j++) {
		const struct rv_finding *f = &fs[j];
		const char *sc = f->waived ? "" : f->severity == RV_SEV_ERROR ? C_RED :
				 f->severity == RV_SEV_WARNING ? C_YELLOW : "";
		char *w;
		if (f->severity == RV_SEV_INFO && !f->waived && cli_verbosity <= 0)
			continue;
		printf("        %s%-7s%s %s: ", color ? sc : "", finding_label(f),
		       color ? C_RESET : "", f->code);
		cli_put_escaped(stdout, f->message);
		w = waiver_text(f);
		cli_put_escaped(stdout, w);
		free(w);
		fputc('\n', stdout);
	}
}

/* {"reason": ..., "expires": "YYYY-MM-DD" or null} for a waived finding, else NULL. */
static json_t *waiver_json(const struct rv_finding *f)
{
	char date[32];

	if (!f->waived)
		return NULL;
	return json_pack("{s:o,s:o}", "reason", cli_json_text(f->waiver_reason),
			 "expires", f->waiver_expires
			 ? json_string(waiver_date(date, sizeof(date), f->waiver_expires))
			 : json_null());
}

json_t *render_json_findings(const struct rv_finding *fs, size_t n)
{
	json_t *arr = json_array();
	size_t j;

	for (j = 0; j < n; j++) {
		const struct rv_finding *f = &fs[j];
		json_t *fo = json_pack("{s:s,s:s,s:s}", "check", f->check, "code", f->code,
				       "severity", rv_severity_name(f->severity));
		json_object_set_new(fo, "message", cli_json_text(f->message));
		if (f->waived)
			json_object_set_new(fo, "waived", waiver_json(f));
		json_array_append_new(arr, fo);
	}
	return arr;
}

void render_text(const struct rv_report *r)
{
	int color = cli_color();
	size_t i, passed, rejected, errors;

	for (i = 0; i < rv_report_count(r); i++) {
		const struct rv_result *res = rv_report_result(r, i);

		render_verdict(res->verdict, color);
		cli_put_escaped(stdout, res->path);
		if (res->nevra) {
			fputs("  ", stdout);
			cli_put_escaped(stdout, res->nevra);
		}
		if (res->has_signer && res->signer.fingerprint[0] && cli_verbosity > 0)
			printf("  signer %s", res->signer.fingerprint);
		if (res->sha256[0] && cli_verbosity > 0)
			printf("  sha256 %s", res->sha256);
		fputc('\n', stdout);
		render_findings(res->findings, res->nfindings, color);
	}
	rv_report_summary(r, &passed, &rejected, &errors);
	printf("%s%zu package(s): %zu passed, %zu rejected", color ? C_BOLD : "",
	       rv_report_count(r), passed, rejected);
	if (errors)
		printf(", %zu could not be checked", errors);
	printf("%s\n", color ? C_RESET : "");
}

/* A JSON string of untrusted text: invalid UTF-8 is escaped, never dropped. */
json_t *cli_json_text(const char *s)
{
	char *safe = cli_safe_text(s, 0);
	json_t *j = json_string(safe);

	free(safe);
	return j;
}

static json_t *json_text_or_null(const char *s)
{
	return s && *s ? cli_json_text(s) : json_null();
}

/* libxml2 writes bytes as given: keep the document well-formed. */
static void xml_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *safe = cli_safe_text(value, 1);

	xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST safe);
	free(safe);
}

static json_t *signer_json(const struct rv_result *res)
{
	const struct rv_signer *s = &res->signer;
	json_t *o;

	if (!res->has_signer)
		return json_null();
	o = json_object();
	json_object_set_new(o, "fingerprint", json_text_or_null(s->fingerprint));
	json_object_set_new(o, "keyid", json_text_or_null(s->keyid));
	json_object_set_new(o, "algorithm", json_text_or_null(s->algorithm));
	json_object_set_new(o, "hash", json_text_or_null(s->hash));
	json_object_set_new(o, "primary", json_text_or_null(s->primary));
	json_object_set_new(o, "bits", s->bits ? json_integer(s->bits) : json_null());
	json_object_set_new(o, "created", s->created ? json_integer(s->created) : json_null());
	json_object_set_new(o, "verifier", json_text_or_null(s->verifier));
	return o;
}

int render_json(const struct rv_report *r)
{
	json_t *doc = cli_json_doc(1), *pkgs = json_array(), *sum = json_object();
	size_t i, passed, rejected, errors;

	for (i = 0; i < rv_report_count(r); i++) {
		const struct rv_result *res = rv_report_result(r, i);
		json_t *p = json_object();

		json_object_set_new(p, "path", cli_json_text(res->path));
		json_object_set_new(p, "nevra", json_text_or_null(res->nevra));
		json_object_set_new(p, "sha256", json_text_or_null(res->sha256));
		json_object_set_new(p, "size", json_integer((json_int_t)res->size));
		json_object_set_new(p, "source", json_boolean(res->is_source));
		json_object_set_new(p, "verdict", json_string(rv_verdict_name(res->verdict)));
		json_object_set_new(p, "signer", signer_json(res));
		json_object_set_new(p, "findings",
				    render_json_findings(res->findings, res->nfindings));
		json_array_append_new(pkgs, p);
	}
	json_object_set_new(doc, "packages", pkgs);
	rv_report_summary(r, &passed, &rejected, &errors);
	json_object_set_new(sum, "total", json_integer((json_int_t)rv_report_count(r)));
	json_object_set_new(sum, "passed", json_integer((json_int_t)passed));
	json_object_set_new(sum, "rejected", json_integer((json_int_t)rejected));
	json_object_set_new(sum, "errors", json_integer((json_int_t)errors));
	json_object_set_new(doc, "summary", sum);
	return cli_json_write(doc);
}

/*
 * JUnit XML: one testcase per input file, named by its path (two files may
 * hold one NEVRA), the NEVRA a property; findings go in the failure text.
 * Every text is escaped (rv_text_escape): a file name or a header can hold
 * any bytes, and one character XML forbids would lose the whole report.
 */
int render_junit(const struct rv_report *r, const char *suite)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	size_t i, j, passed, rejected, errors;
	int ok = 0;

	rv_report_summary(r, &passed, &rejected, &errors);
	xmlTextWriterSetIndent(w, 1);
	ok |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	ok |= xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0;
	ok |= xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0;
	xml_attr(w, "name", suite);
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests", "%zu", rv_report_count(r));
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures", "%zu", rejected);
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "errors", "%zu", errors);
	for (i = 0; i < rv_report_count(r); i++) {
		const struct rv_result *res = rv_report_result(r, i);
		const char *first = NULL, *firstcode = NULL;
		char *text = NULL;

		for (j = 0; j < res->nfindings; j++) {
			const struct rv_finding *f = &res->findings[j];
			char *t, *wt;
			if (f->severity == RV_SEV_INFO && !f->waived)
				continue;
			if (!first && f->severity == RV_SEV_ERROR && !f->waived) {
				first = f->message;
				firstcode = f->code;
			}
			wt = waiver_text(f);
			if (asprintf(&t, "%s%s %s: %s%s\n", text ? text : "",
				     finding_label(f), f->code, f->message, wt) < 0)
				abort();
			free(wt);
			free(text);
			text = t;
		}
		xmlTextWriterStartElement(w, BAD_CAST "testcase");
		xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST "rpmvet.verify");
		xml_attr(w, "name", res->path);
		xml_attr(w, "file", res->path);
		if (res->nevra) {
			xmlTextWriterStartElement(w, BAD_CAST "properties");
			xmlTextWriterStartElement(w, BAD_CAST "property");
			xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "nevra");
			xml_attr(w, "value", res->nevra);
			xmlTextWriterEndElement(w);
			xmlTextWriterEndElement(w);
		}
		if (res->verdict != RV_VERDICT_PASS) {
			xmlTextWriterStartElement(w, BAD_CAST (res->verdict == RV_VERDICT_ERROR
							       ? "error" : "failure"));
			xml_attr(w, "message", first ? first : "rejected");
			xmlTextWriterWriteAttribute(w, BAD_CAST "type",
						    BAD_CAST (firstcode ? firstcode : "reject"));
			{
				char *safe = cli_safe_text(text, 1);
				xmlTextWriterWriteString(w, BAD_CAST safe);
				free(safe);
			}
			xmlTextWriterEndElement(w);
		} else if (text) {
			char *safe = cli_safe_text(text, 1);
			xmlTextWriterWriteElement(w, BAD_CAST "system-out", BAD_CAST safe);
			free(safe);
		}
		xmlTextWriterEndElement(w);
		free(text);
	}
	ok |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (!ok)
		fputs((const char *)xmlBufferContent(buf), stdout);
	xmlBufferFree(buf);
	return ok ? cli_fail(EXIT_RUN, "cannot write the JUnit report") : 0;
}
