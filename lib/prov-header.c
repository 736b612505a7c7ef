/* SPDX-License-Identifier: MIT */
/*
 * prov-header: the header rules of the policy's provenance.header (vendor,
 * packager and buildhost globs, the dist tag, the build-time window, required
 * and forbidden tags), judged on the header facts read once (struct rv_facts).
 * Each mismatch is one finding showing the value.
 */
#include "prov.h"
#include "facts.h"
#include "report.h"
#include "stage.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char rv_prov_header_tags[] =
	"vendor, packager, buildhost, url, license, summary, description, group, distribution, disturl, disttag, sourcerpm, changelog";

/* The value of a tag require:/forbid: may name; *known 0 for an unknown name. */
static const char *tag_value(const struct rv_facts *f, const char *name, int *known)
{
	static const char present[] = "(present)";
	const struct {
		const char *name;
		size_t off;
	} *t, tags[] = {
		{ "vendor", offsetof(struct rv_facts, vendor) },
		{ "packager", offsetof(struct rv_facts, packager) },
		{ "buildhost", offsetof(struct rv_facts, buildhost) },
		{ "url", offsetof(struct rv_facts, url) },
		{ "license", offsetof(struct rv_facts, license) },
		{ "summary", offsetof(struct rv_facts, summary) },
		{ "description", offsetof(struct rv_facts, description) },
		{ "group", offsetof(struct rv_facts, group) },
		{ "distribution", offsetof(struct rv_facts, distribution) },
		{ "disturl", offsetof(struct rv_facts, disturl) },
		{ "disttag", offsetof(struct rv_facts, disttag) },
		{ "sourcerpm", offsetof(struct rv_facts, sourcerpm) },
	};
	size_t i;

	*known = 1;
	if (!strcmp(name, "changelog"))
		return f && f->nchangelog ? present : NULL;
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		t = &tags[i];
		if (!strcmp(t->name, name)) {
			const char *v = f ? *(char *const *)((const char *)f + t->off) : NULL;
			return v && *v ? v : NULL;
		}
	}
	*known = 0;
	return NULL;
}

int rv_prov_header_tag(const char *name)
{
	int known;

	tag_value(NULL, name, &known);
	return known;
}

static int matches(char *const *globs, const char *v)
{
	for (; *globs; globs++)
		if (!fnmatch(*globs, v, 0))
			return 1;
	return 0;
}

char *rv_prov_globs(char *const *v, char *buf, size_t n)
{
	size_t k = 0;

	buf[0] = '\0';
	for (; *v && k < n; v++)
		k += (size_t)snprintf(buf + k, n - k, "%s'%s'", k ? ", " : "", *v);
	return buf;
}

static void glob_rule(struct rv_result *res, char *const *globs, const char *v,
		      const char *code, const char *tag)
{
	char list[512];

	if (!globs || (v && *v && matches(globs, v)))
		return;
	if (!v || !*v)
		rv_finding_add(res, code, "%s has no %s; the policy requires one matching %s", res->nevra,
			      tag, rv_prov_globs(globs, list, sizeof(list)));
	else
		rv_finding_add(res, code, "%s '%s' matches none of %s", tag, v,
			      rv_prov_globs(globs, list, sizeof(list)));
}

/* The release carries the dist tag at a component's end: "1.fc43", "1.fc43.1". */
static int has_dist(const char *release, const char *dist)
{
	size_t n = strlen(dist);
	const char *at;

	for (at = strstr(release, dist); at; at = strstr(at + 1, dist))
		if (at[n] == '\0' || at[n] == '.')
			return 1;
	return 0;
}

static const char *utc(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, n, "%lld", (long long)t);
	return buf;
}

int rv_prov_header(struct rv_stage_ctx *c, struct rv_error **err)
{
	const struct rv_prov_policy *pp = rv_policy_provenance(c->pol);
	const struct rv_prov_header_rules *h = pp ? &pp->header : NULL;
	const struct rv_facts *f = c->facts;
	struct rv_result *res = c->res;
	char a[40], b[40];
	size_t i;
	int known;

	(void)err;
	if (!h || !f)
		return 0;
	glob_rule(res, h->vendor, f->vendor, "provenance.header.vendor", "Vendor");
	glob_rule(res, h->packager, f->packager, "provenance.header.packager", "Packager");
	glob_rule(res, h->buildhost, f->buildhost, "provenance.header.buildhost", "BuildHost");
	if (h->dist && !has_dist(f->release, h->dist))
		rv_finding_add(res, "provenance.header.dist",
			      "release '%s' does not carry the dist tag '%s'", f->release, h->dist);
	if (h->not_before && f->buildtime < h->not_before)
		rv_finding_add(res, "provenance.header.buildtime",
			      "built %s, before the policy's not-before %s", utc(f->buildtime, a, sizeof(a)),
			      utc(h->not_before, b, sizeof(b)));
	if (h->not_after && f->buildtime > h->not_after)
		rv_finding_add(res, "provenance.header.buildtime",
			      "built %s, after the policy's not-after %s", utc(f->buildtime, a, sizeof(a)),
			      utc(h->not_after, b, sizeof(b)));
	if (h->future_skew >= 0 && f->buildtime > (int64_t)c->now + h->future_skew)
		rv_finding_add(res, "provenance.header.buildtime-future",
			      "built %s, in the future (judged at %s, allowed skew %lld s)",
			      utc(f->buildtime, a, sizeof(a)), utc((int64_t)c->now, b, sizeof(b)),
			      (long long)h->future_skew);
	for (i = 0; h->require && h->require[i]; i++)
		if (!tag_value(f, h->require[i], &known))
			rv_finding_add(res, "provenance.header.missing-tag",
				      "%s has no %s, which the policy requires", res->nevra, h->require[i]);
	for (i = 0; h->forbid && h->forbid[i]; i++) {
		const char *v = tag_value(f, h->forbid[i], &known);
		if (v)
			rv_finding_add(res, "provenance.header.forbidden-tag",
				      "%s has %s '%s', which the policy forbids", res->nevra, h->forbid[i], v);
	}
	return 0;
}
