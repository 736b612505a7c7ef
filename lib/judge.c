/* SPDX-License-Identifier: MIT */
/* judge: every finding's severity from the table of codes and the policy; the verdict. */
#include "judge.h"
#include "report.h"
#include "util.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static int waiver_matches(const struct rv_waiver *w, const char *code, const char *name,
			  const char *nevra)
{
	/* the name alone: "hello-*" is meant for hello-devel, never for hello-1.0-1 */
	return !strcmp(w->code, code) && name && !fnmatch(w->package, name, 0) &&
	       (!w->nevra || (nevra && !fnmatch(w->nevra, nevra, 0)));
}

/* The findings the judge itself made go before judging again. */
static void drop_judged(struct rv_finding *v, size_t *n)
{
	size_t i, k = 0;

	for (i = 0; i < *n; i++) {
		if (!strcmp(v[i].code, "policy.waiver-expired")) {
			free(v[i].message);
			free(v[i].waiver_reason);
			continue;
		}
		v[k++] = v[i];
	}
	*n = k;
}

static void judge_one(struct rv_finding *f, const struct rv_policy *pol, const char *name,
		      const char *nevra, time_t now, unsigned char *expired)
{
	const struct rv_code *c = rv_code_find(f->code);
	const struct rv_waiver *w;
	enum rv_severity sev = c && !(c->flags & RV_CODE_STAGE) ? c->severity : f->given;
	size_t nw = 0, i;

	free(f->waiver_reason);
	f->waiver_reason = NULL;
	f->waived = 0;
	f->waiver_expires = 0;
	if (!pol) {
		f->severity = sev;
		return;
	}
	rv_policy_override(pol, f->code, &sev);
	f->severity = sev;
	if (c && (c->flags & RV_CODE_FIXED))
		return; /* the loader refuses such waivers; never apply one */
	w = rv_policy_waivers(pol, &nw);
	for (i = 0; i < nw; i++) {
		if (!waiver_matches(&w[i], f->code, name, nevra))
			continue;
		/* it applies through the whole of its expiry date (UTC) */
		if (w[i].expires && (int64_t)now >= w[i].expires + 86400) {
			expired[i] = 1;
			continue;
		}
		f->waived = 1;
		f->waiver_reason = rv_xstrdup(w[i].reason);
		f->waiver_expires = w[i].expires;
		return;
	}
}

void rv_judge_findings(struct rv_finding **v, size_t *n, const struct rv_policy *pol,
		       const char *name, const char *nevra, time_t now)
{
	const struct rv_waiver *w = NULL;
	unsigned char *expired;
	size_t nw = 0, i;
	char date[32];

	if (!now)
		now = time(NULL);
	drop_judged(*v, n);
	if (pol)
		w = rv_policy_waivers(pol, &nw);
	expired = rv_xcalloc(nw + 1, 1);
	for (i = 0; i < *n; i++)
		judge_one(&(*v)[i], pol, name, nevra, now, expired);
	for (i = 0; i < nw; i++)
		if (expired[i])
			rv_findings_code_add(v, n, "policy.waiver-expired",
					     "the waiver of %s for '%s' (policy line %d: %s) expired on %s: the finding counts again",
					     w[i].code, w[i].package, w[i].line, w[i].reason,
					     rv_date(date, sizeof(date), w[i].expires));
	free(expired);
}

void rv_judge(struct rv_result *res, const struct rv_policy *pol, time_t now)
{
	rv_judge_findings(&res->findings, &res->nfindings, pol, res->name, res->nevra, now);
	res->verdict = rv_result_verdict(res);
}

enum rv_verdict rv_findings_verdict(const struct rv_finding *v, size_t n)
{
	enum rv_verdict verdict = RV_VERDICT_PASS;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct rv_code *c = rv_code_find(v[i].code);
		/* a code used under another check (a forged one) is not that check */
		if ((c && (c->flags & RV_CODE_NORUN) && !strcmp(c->check, v[i].check)) ||
		    !strcmp(v[i].check, "io"))
			return RV_VERDICT_ERROR;
		if (v[i].severity == RV_SEV_ERROR && !v[i].waived)
			verdict = RV_VERDICT_REJECT;
	}
	return verdict;
}

enum rv_verdict rv_result_verdict(const struct rv_result *res)
{
	return rv_findings_verdict(res->findings, res->nfindings);
}
