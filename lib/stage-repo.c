/* SPDX-License-Identifier: MIT */
/*
 * stage-repo: the repository rules of an admission (downgrade, rollback past
 * a removed version, re-signature and rebuild of an admitted NEVRA,
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


/*
 * Version classes: a source package (src, nosrc) is compared with source
 * packages only; a binary package with binaries of its own arch, and noarch
 * with every binary arch (a package may move between noarch and an arch from
 * one version to the next, and rpm and dnf upgrade across that move).  So the
 * source of an older binary, or an aarch64 build beside a newer x86_64 one, is
 * no downgrade.
 */
static int is_source(const char *arch)
{
	return !strcmp(arch, "src") || !strcmp(arch, "nosrc");
}

static int same_class(const char *a, const char *b)
{
	if (is_source(a) || is_source(b))
		return is_source(a) && is_source(b);
	return !strcmp(a, b) || !strcmp(a, "noarch") || !strcmp(b, "noarch");
}

static int older(const struct rv_facts *f, const struct rv_stored *o)
{
	return rv_pkg_evrcmp(f->epoch, f->version, f->release, o->epoch, o->version,
			     o->release) < 0;
}

/* Same header and payload as the admitted o: only the signature differs. */
static int only_resigned(const struct rv_facts *f, const struct rv_stored *o)
{
	return f->header_sha256 && o->header_sha256 && f->payload_digest && o->payload_digest &&
	       !strcmp(f->header_sha256, o->header_sha256) &&
	       !strcmp(f->payload_digest, o->payload_digest);
}

static const char *signer_of(const struct rv_result *res)
{
	return res->has_signer && res->signer.fingerprint[0] ? res->signer.fingerprint : NULL;
}

/*
 * The same NEVRA is admitted (cur) with another file.  A re-signature (same
 * header and payload, another signature) is repo.resigned, a warning: the
 * re-signed file replaces the admitted one, and the admit event says so with
 * both signers.  A rebuild is repo.rebuilt: an error unless the policy allows
 * replacement (repo.allow-replace).
 */
static void replacement(const struct rv_stored *cur, struct rv_result *res,
			const struct rv_facts *f, const struct rv_policy *pol,
			struct rv_admission *a)
{
	const char *was = cur->signer ? cur->signer : "no trusted key";
	const char *now = signer_of(res) ? signer_of(res) : "no trusted key";
	int allow = rv_policy_allow_replace(pol);

	if (only_resigned(f, cur)) {
		rv_finding_add(res, "repo.resigned",
			      "%s is already admitted with the same header and payload (header sha256 %s): only its signature differs (signed by %s, now by %s); the re-signed file replaces the admitted one (sha256 %s)",
			      res->nevra, cur->header_sha256, was, now, cur->sha256);
		snprintf(a->detail, sizeof(a->detail), "re-signed: was signed by %s, now by %s",
			 was, now);
		return;
	}
	rv_result_add(res, "repo", "repo.rebuilt", allow ? RV_SEV_WARNING : RV_SEV_ERROR,
		      "%s is already admitted with different content (sha256 %s): a rebuild, header sha256 %s -> %s, payload %s -> %s%s",
		      res->nevra, cur->sha256, cur->header_sha256 ? cur->header_sha256 : "none",
		      f->header_sha256 ? f->header_sha256 : "none",
		      cur->payload_digest ? cur->payload_digest : "none",
		      f->payload_digest ? f->payload_digest : "none",
		      allow ? "" : "; the policy does not allow replacement (repo.allow-replace)");
	if (allow)
		rv_finding_add(res, "repo.replaced",
			      "replaces the admitted %s (sha256 %s), as the policy allows",
			      cur->nevra, cur->sha256);
}

/*
 * Downgrade, rollback and replacement rules against every package ever
 * admitted under the name (all: removed ones too) and what this run admitted
 * so far.  Every rule reports its finding; the judge decides once at the end.
 */
static int decide_with(struct rv_stored *all, int n, struct rv_result *res, struct rv_facts *f,
		       struct rv_admission *a, struct rv_result *const *pending, size_t npending,
		       const struct rv_policy *pol, time_t now)
{
	const struct rv_stored *same = NULL, *top = NULL;
	size_t i;

	a->replaces = 0;
	a->replaced_file[0] = a->detail[0] = '\0';
	for (i = 0; i < (size_t)n; i++) {
		if (!same_class(f->arch, all[i].arch))
			continue;
		if (!top || rv_pkg_evrcmp(all[i].epoch, all[i].version, all[i].release, top->epoch,
					  top->version, top->release) > 0)
			top = &all[i];
		if (all[i].removed)
			continue;
		if (!strcmp(all[i].nevra, res->nevra))
			same = &all[i];
		else if (older(f, &all[i]))
			rv_finding_add(res, "repo.downgrade",
				      "%s is older than %s, already admitted: versions only move forward",
				      res->nevra, all[i].nevra);
	}
	/* the highest ever admitted was removed since: still no way back */
	if (!same && top && top->removed && older(f, top))
		rv_finding_add(res, "repo.rollback",
			      "%s is older than %s, admitted before and removed since: versions only move forward, removed ones count",
			      res->nevra, top->nevra);
	if (same && !strcmp(same->sha256, res->sha256)) {
		/* decide() looks whether its file is still there */
		rv_strlcpy_case(a->replaced_file, same->filename, sizeof(a->replaced_file), 0);
		rv_judge(res, pol, now);
		return res->verdict == RV_VERDICT_PASS ? 0 : -1;
	}
	if (same) {
		replacement(same, res, f, pol, a);
		a->replaces = same->id;
		rv_strlcpy_case(a->replaced_file, same->filename, sizeof(a->replaced_file), 0);
	}
	/* packages admitted earlier in this same run count as admitted */
	for (i = 0; i < npending; i++) {
		const struct rv_facts *o = pending[i]->internal;
		if (strcmp(o->name, f->name) || !same_class(f->arch, o->arch))
			continue;
		if (!strcmp(pending[i]->nevra, res->nevra)) {
			if (!strcmp(pending[i]->sha256, res->sha256)) {
				rv_finding_add(res, "repo.already-admitted",
					      "%s is admitted with the same content earlier in this run",
					      res->nevra);
				return 0;
			}
			/* two contents of one NEVRA are never both placed, whatever the
			 * policy: repo.replace is fixed at error */
			rv_finding_add(res, "repo.replace",
				      "%s is admitted with different content earlier in this run: one run places one content per NEVRA",
				      res->nevra);
			return -1;
		}
		if (rv_pkg_evrcmp(f->epoch, f->version, f->release, o->epoch, o->version,
				  o->release) < 0)
			rv_finding_add(res, "repo.downgrade",
				      "%s is older than %s, admitted earlier in this run: versions only move forward",
				      res->nevra, pending[i]->nevra);
	}
	rv_judge(res, pol, now);
	if (res->verdict != RV_VERDICT_PASS)
		return -1;
	/* never place a file over another admitted one: a crash would lose it */
	for (i = 0; i < (size_t)n; i++)
		if (!all[i].removed && !strcmp(all[i].filename, f->filename) &&
		    strcmp(all[i].sha256, res->sha256))
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
	int n = rv_store_by_name(repo->st, f->name, 1, &cur, err), d;

	if (n < 0)
		return n;
	d = decide_with(cur, n, res, f, a, c->repo->pending, c->repo->npending, c->pol, c->now);
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
