/* SPDX-License-Identifier: MIT */
/* judge: the table of finding codes, and the one function that judges findings. */
#ifndef RV_JUDGE_H
#define RV_JUDGE_H

#include "rpmvet.h"

/* Flags of a code (see codes.def). */
enum {
	RV_CODE_FIXED = 1 << 0, /* never below error, never waived */
	RV_CODE_NORUN = 1 << 1, /* the check could not run: verdict error */
	RV_CODE_STAGE = 1 << 2, /* the stage's severity is the default */
};

struct rv_code {
	const char *code;
	const char *check;
	enum rv_severity severity; /* the default */
	unsigned flags;
};

/* The entry of a code, or NULL when rpmvet has no such code. */
const struct rv_code *rv_code_find(const char *code);
/* The i-th entry of the table, NULL past its end. */
const struct rv_code *rv_code_at(size_t i);
/* The codes that can never be lowered or waived, ", "-separated (the caller's). */
char *rv_code_fixed_list(void);

/* A waiver of one finding code for packages matching a glob (policy.c). */
struct rv_waiver {
	char *package;          /* a glob on the package name */
	char *nevra;            /* and, when not NULL, a glob its NEVRA must match too */
	const char *code;       /* from the table */
	char *reason;
	int64_t expires;        /* UTC midnight of the last day; 0 = never */
	int line;               /* in the policy file */
};

/* policy.c: the findings: override of code (1 and *sev), or 0. */
int rv_policy_override(const struct rv_policy *pol, const char *code, enum rv_severity *sev);
/* policy.c: the waivers: list (n entries). */
const struct rv_waiver *rv_policy_waivers(const struct rv_policy *pol, size_t *n);

/*
 * Judge findings (v, n) of the package name / nevra (either may be NULL) under
 * pol (NULL: the table's defaults only) at time now: each finding's severity
 * is its default (the table's, or the one its stage gave for STAGE codes),
 * then the policy's findings: override, then a waiver that applies.  An
 * expired waiver that would apply adds a policy.waiver-expired finding.
 * Idempotent: judging again (after more findings were added) starts over from
 * the severities the stages gave.
 */
void rv_judge_findings(struct rv_finding **v, size_t *n, const struct rv_policy *pol,
		       const char *name, const char *nevra, time_t now);

/* rv_judge_findings() of a result's findings, then its verdict. */
void rv_judge(struct rv_result *res, const struct rv_policy *pol, time_t now);

/*
 * The one verdict function: error when a finding says a check could not run,
 * reject when an unwaived error finding is left, else pass.
 */
enum rv_verdict rv_findings_verdict(const struct rv_finding *v, size_t n);

#endif
