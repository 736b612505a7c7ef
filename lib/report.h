/* SPDX-License-Identifier: MIT */
/* report: findings, verdicts, and the report a run returns. */
#ifndef RV_REPORT_H
#define RV_REPORT_H

#include "rpmvet.h"

#include <stdarg.h>

void rv_result_init(struct rv_result *res, const char *path);
void rv_result_release(struct rv_result *res);

/* Append a finding; check and code must be string literals (they are not copied). */
void rv_result_add(struct rv_result *res, const char *check, const char *code,
		   enum rv_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Append a finding whose check and default severity come from the table of
 * codes (codes.def); code must be a string literal of the table.
 */
void rv_finding_add(struct rv_result *res, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void rv_findings_code_add(struct rv_finding **v, size_t *n, const char *code,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Append a finding to any findings array (v, n). */
void rv_findings_add(struct rv_finding **v, size_t *n, const char *check,
		     const char *code, enum rv_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void rv_findings_vadd(struct rv_finding **v, size_t *n, const char *check,
		      const char *code, enum rv_severity sev, const char *fmt,
		      va_list ap) __attribute__((format(printf, 6, 0)));
void rv_findings_free(struct rv_finding *v, size_t n);

/* Non-zero when the result holds a finding with this code. */
int rv_result_has(const struct rv_result *res, const char *code);

/* rv_findings_verdict() (judge.h) of a result's findings: the one verdict function. */
enum rv_verdict rv_result_verdict(const struct rv_result *res);

/* A report of n results, all initialised with their paths. */
struct rv_report *rv_report_new(const char *const *paths, size_t n);
struct rv_result *rv_report_at(struct rv_report *r, size_t i);

#endif
