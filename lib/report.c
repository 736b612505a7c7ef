/* SPDX-License-Identifier: MIT */
/* report: findings, verdicts, and the report a run returns. */
#include "report.h"
#include "facts.h"
#include "judge.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct rv_report {
	struct rv_result *results;
	size_t n;
};

void rv_result_init(struct rv_result *res, const char *path)
{
	memset(res, 0, sizeof(*res));
	res->path = rv_xstrdup(path);
}

void rv_findings_vadd(struct rv_finding **v, size_t *n, const char *check,
		      const char *code, enum rv_severity sev, const char *fmt,
		      va_list ap)
{
	struct rv_finding *f;

	/* findings are few; grow one at a time */
	*v = rv_xrealloc(*v, (*n + 1) * sizeof(**v));
	f = &(*v)[(*n)++];
	memset(f, 0, sizeof(*f));
	f->check = check;
	f->code = code;
	f->severity = f->given = sev;
	f->message = rv_xvasprintf(fmt, ap);
}

/* A code the table lacks is a bug (test-judge proves the table complete). */
static const struct rv_code *code_of(const char *code)
{
	static const struct rv_code unknown = { NULL, "unknown", RV_SEV_ERROR, 0 };
	const struct rv_code *c = rv_code_find(code);

	return c ? c : &unknown;
}

void rv_findings_code_add(struct rv_finding **v, size_t *n, const char *code,
			  const char *fmt, ...)
{
	const struct rv_code *c = code_of(code);
	va_list ap;

	va_start(ap, fmt);
	rv_findings_vadd(v, n, c->check, code, c->severity, fmt, ap);
	va_end(ap);
}

void rv_finding_add(struct rv_result *res, const char *code, const char *fmt, ...)
{
	const struct rv_code *c = code_of(code);
	va_list ap;

	va_start(ap, fmt);
	rv_findings_vadd(&res->findings, &res->nfindings, c->check, code, c->severity, fmt, ap);
	va_end(ap);
}

void rv_findings_add(struct rv_finding **v, size_t *n, const char *check,
		     const char *code, enum rv_severity sev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rv_findings_vadd(v, n, check, code, sev, fmt, ap);
	va_end(ap);
}

void rv_findings_free(struct rv_finding *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].message);
		free(v[i].waiver_reason);
	}
	free(v);
}

void rv_result_release(struct rv_result *res)
{
	if (!res)
		return;
	rv_findings_free(res->findings, res->nfindings);
	free(res->path);
	free(res->nevra);
	free(res->name);
	free(res->license);
	rv_facts_free(res->internal);
	memset(res, 0, sizeof(*res));
}

void rv_result_add(struct rv_result *res, const char *check, const char *code,
		   enum rv_severity sev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rv_findings_vadd(&res->findings, &res->nfindings, check, code, sev, fmt, ap);
	va_end(ap);
}

int rv_result_has(const struct rv_result *res, const char *code)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		if (!strcmp(res->findings[i].code, code))
			return 1;
	return 0;
}

struct rv_report *rv_report_new(const char *const *paths, size_t n)
{
	struct rv_report *r = rv_xcalloc(1, sizeof(*r));
	size_t i;

	r->results = rv_xcalloc(n, sizeof(*r->results));
	r->n = n;
	for (i = 0; i < n; i++)
		rv_result_init(&r->results[i], paths[i]);
	return r;
}

struct rv_result *rv_report_at(struct rv_report *r, size_t i)
{
	return i < r->n ? &r->results[i] : NULL;
}

size_t rv_report_count(const struct rv_report *r)
{
	return r ? r->n : 0;
}

const struct rv_result *rv_report_result(const struct rv_report *r, size_t i)
{
	return r && i < r->n ? &r->results[i] : NULL;
}

void rv_report_summary(const struct rv_report *r, size_t *passed,
		       size_t *rejected, size_t *errors)
{
	size_t i, c[3] = { 0, 0, 0 };

	for (i = 0; r && i < r->n; i++)
		c[r->results[i].verdict]++;
	if (passed)
		*passed = c[RV_VERDICT_PASS];
	if (rejected)
		*rejected = c[RV_VERDICT_REJECT];
	if (errors)
		*errors = c[RV_VERDICT_ERROR];
}

void rv_report_free(struct rv_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		rv_result_release(&r->results[i]);
	free(r->results);
	free(r);
}

const char *rv_severity_name(enum rv_severity s)
{
	static const char *const names[] = { "info", "warning", "error" };
	return (unsigned)s < RV_ARRAY_SIZE(names) ? names[s] : "unknown";
}

const char *rv_verdict_name(enum rv_verdict v)
{
	static const char *const names[] = { "pass", "reject", "error" };
	return (unsigned)v < RV_ARRAY_SIZE(names) ? names[v] : "unknown";
}
