/* SPDX-License-Identifier: MIT */
/*
 * stage-repo: the repository rules of an admission (downgrade, replacement,
 * idempotent re-admission, restore of a missing file), per package in input
 * order, seeing the packages admitted earlier in the same run.
 */
#include "stage.h"
#include "curated.h"
#include "error.h"
#include "facts.h"
#include "judge.h"
#include "license.h"
#include "pkg.h"
#include "report.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Give the package a sha256-suffixed file name, in the metadata too. */
static void relocate(struct rv_facts *f, const char *sha256)
{
	size_t n = strlen(f->filename) - 4; /* without ".rpm" */
	char *name = rv_xasprintf("%.*s-%.12s.rpm", (int)n, f->filename, sha256);
	char *from = rv_xasprintf("href=\"Packages/%s\"", f->filename);
	char *to = rv_xasprintf("href=\"Packages/%s\"", name);
	char *at = f->xml_primary ? strstr(f->xml_primary, from) : NULL;

	if (at) {
		char *x = rv_xasprintf("%.*s%s%s", (int)(at - f->xml_primary), f->xml_primary, to,
				       at + strlen(from));
		free(f->xml_primary);
		f->xml_primary = x;
	}
	free(f->filename);
	f->filename = name;
	free(from);
	free(to);
}


/* A repository rule's finding just added: does it still reject under the policy? */
static int rule_rejects(struct rv_result *res, const struct rv_policy *pol, time_t now)
{
	rv_judge(res, pol, now);
	return res->verdict != RV_VERDICT_PASS;
}

/* Downgrade and replacement rules against what is admitted and what this run admitted so far. */
static int decide_with(struct rv_stored *cur, int n, struct rv_result *res, struct rv_facts *f,
		       int64_t *replaces, char replaced_file[256],
		       struct rv_result *const *pending, size_t npending,
		       const struct rv_policy *pol, time_t now)
{
	size_t i;

	*replaces = 0;
	replaced_file[0] = '\0';
	for (i = 0; i < (size_t)n; i++) {
		int c = rv_pkg_evrcmp(f->epoch, f->version, f->release, cur[i].epoch,
				      cur[i].version, cur[i].release);
		if (strcmp(cur[i].nevra, res->nevra) && c < 0) {
			rv_finding_add(res, "repo.downgrade",
				      "%s is older than %s, already admitted: versions only move forward",
				      res->nevra, cur[i].nevra);
			if (rule_rejects(res, pol, now))
				return -1;
			continue; /* the policy lowered or waived it: admitted beside the newer one */
		}
		if (!strcmp(cur[i].nevra, res->nevra)) {
			if (!strcmp(cur[i].sha256, res->sha256)) {
				/* decide() looks whether its file is still there */
				rv_strlcpy_case(replaced_file, cur[i].filename, 256, 0);
				return 0;
			}
			if (!rv_policy_allow_replace(pol)) {
				rv_finding_add(res, "repo.replace",
					      "%s is already admitted with different content (sha256 %s); the policy does not allow replacement (repo.allow-replace)",
					      res->nevra, cur[i].sha256);
				if (rule_rejects(res, pol, now))
					return -1;
			} else {
				rv_finding_add(res, "repo.replaced",
					      "replaces the admitted %s (sha256 %s), as the policy allows",
					      cur[i].nevra, cur[i].sha256);
			}
			*replaces = cur[i].id;
			rv_strlcpy_case(replaced_file, cur[i].filename, 256, 0);
		}
	}
	/* packages admitted earlier in this same run count as admitted */
	for (i = 0; i < npending; i++) {
		const struct rv_facts *o = pending[i]->internal;
		if (strcmp(o->name, f->name))
			continue;
		if (!strcmp(pending[i]->nevra, res->nevra)) {
			if (!strcmp(pending[i]->sha256, res->sha256)) {
				rv_finding_add(res, "repo.already-admitted",
					      "%s is admitted with the same content earlier in this run",
					      res->nevra);
				return 0;
			}
			rv_finding_add(res, "repo.replace",
				      "%s is admitted with different content earlier in this run",
				      res->nevra);
			/* two contents of one NEVRA are never both placed, whatever the policy */
			return -1;
		}
		if (rv_pkg_evrcmp(f->epoch, f->version, f->release, o->epoch, o->version,
				  o->release) < 0) {
			rv_finding_add(res, "repo.downgrade",
				      "%s is older than %s, admitted earlier in this run: versions only move forward",
				      res->nevra, pending[i]->nevra);
			if (rule_rejects(res, pol, now))
				return -1;
		}
	}
	/* never place a file over another admitted one: a crash would lose it */
	for (i = 0; i < (size_t)n; i++)
		if (!strcmp(cur[i].filename, f->filename) && strcmp(cur[i].sha256, res->sha256))
			relocate(f, res->sha256);
	return 1;
}


/* 1 = admit, 0 = already there, -1 = rejected, 2 = already admitted with this
 * content but its file needs restoring. */
int rv_stage_repo(struct rv_stage_ctx *c, struct rv_error **err)
{
	struct rv_repo *repo = c->repo->repo;
	struct rv_admission *a = c->admission;
	struct rv_result *res = c->res;
	struct rv_facts *f = c->facts;
	struct rv_stored *cur = NULL;
	int n = rv_store_current_by_name(repo->st, f->name, &cur, err), d;

	if (n < 0)
		return n;
	d = decide_with(cur, n, res, f, &a->replaces, a->replaced_file, c->repo->pending,
			c->repo->npending, c->pol, c->now);
	rv_stored_free(cur, n);
	if (d == 0 && a->replaced_file[0]) {
		char *p = rv_xasprintf("%s/Packages/%s", repo->dir, a->replaced_file), sum[65];
		if (!rv_file_sha256(p, sum) && !strcmp(sum, res->sha256)) {
			rv_finding_add(res, "repo.already-admitted",
				      "%s is already admitted with the same content: nothing to do",
				      res->nevra);
			a->replaced_file[0] = '\0';
		} else {
			d = 2;
		}
		free(p);
	}
	a->decided = d;
	return 0;
}
