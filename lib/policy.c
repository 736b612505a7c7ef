/* SPDX-License-Identifier: MIT */
/* policy: load a policy file (YAML, through libyaml) and apply its license rules. */
#include "error.h"
#include "judge.h"
#include "licdata.h"
#include "license.h"
#include "prov.h"
#include "remote.h"
#include "report.h"
#include "util.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <yaml.h>

struct rv_policy {
	char *path;
	struct rv_licpolicy lic;
	int allow_replace;       /* repo.allow-replace */
	/* closure: where BuildRequires are resolved, and how strictly */
	char **upstream;
	char **buildgroup;
	char *arch;
	int closure_enforce;     /* 0 off, else 1 + severity */
	int text_escape;         /* headers.invalid-text: escape */
	enum rv_prov_sources_mode prov_sources; /* provenance.sources */
	int upstream_sig;        /* provenance.upstream-signature: RV_UPSIG_* */
	int repomd_signature;    /* upstream.repomd-signature: required */
	struct override {        /* findings: code -> severity */
		const char *code;
		enum rv_severity sev;
	} *overrides;
	size_t noverrides;
	struct rv_waiver *waivers;
	size_t nwaivers;
	struct rv_prov_policy prov;     /* provenance: */
	char *purl_namespace;    /* export.purl-namespace */
	char *purl_distro;       /* export.purl-distro */
};

/* policies/default.yaml, embedded by the Makefile (build/gen/default-policy.inc) */
static const char default_yaml[] = {
#include "default-policy.inc"
	0
};

const char *rv_policy_default_text(size_t *len)
{
	*len = sizeof(default_yaml) - 1;
	return default_yaml;
}

int rv_policy_override(const struct rv_policy *pol, const char *code, enum rv_severity *sev)
{
	size_t i;

	for (i = 0; pol && i < pol->noverrides; i++)
		if (!strcmp(pol->overrides[i].code, code)) {
			*sev = pol->overrides[i].sev;
			return 1;
		}
	return 0;
}

const struct rv_waiver *rv_policy_waivers(const struct rv_policy *pol, size_t *n)
{
	*n = pol ? pol->nwaivers : 0;
	return pol ? pol->waivers : NULL;
}

size_t rv_policy_closure_options(struct rv_closure_options *out, const struct rv_policy *pol)
{
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (!pol)
		return 0;
	while (pol->upstream && pol->upstream[n])
		n++;
	out->upstream = (const char *const *)pol->upstream;
	out->nupstream = n;
	out->arch = pol->arch;
	out->buildgroup = (const char *const *)pol->buildgroup;
	return n;
}

int rv_policy_closure(const struct rv_policy *pol, struct rv_closure_options *o,
		      enum rv_severity *sev)
{
	if (!pol || !pol->closure_enforce)
		return 0;
	rv_policy_closure_options(o, pol);
	*sev = (enum rv_severity)(pol->closure_enforce - 1);
	return 1;
}

const struct rv_prov_policy *rv_policy_provenance(const struct rv_policy *pol)
{
	return pol ? &pol->prov : NULL;
}

void rv_policy_export_purl(const struct rv_policy *pol, const char **ns, const char **distro)
{
	*ns = pol ? pol->purl_namespace : NULL;
	*distro = pol ? pol->purl_distro : NULL;
}

int rv_policy_repomd_signature_required(const struct rv_policy *pol)
{
	return pol && pol->repomd_signature;
}

int rv_policy_allow_replace(const struct rv_policy *pol)
{
	return pol && pol->allow_replace;
}

int rv_policy_text_escape(const struct rv_policy *pol)
{
	return pol && pol->text_escape;
}

enum rv_prov_sources_mode rv_policy_prov_sources(const struct rv_policy *pol)
{
	return pol ? pol->prov_sources : RV_PROV_SOURCES_IF_PRESENT;
}

/* A loader: the document, the file name for messages, the first error. */
struct loader {
	yaml_document_t doc;
	const char *path;
	char *dir;               /* relative data paths are relative to the policy */
	struct rv_error **err;
	int rc;
};

static yaml_node_t *node(struct loader *l, int idx)
{
	return yaml_document_get_node(&l->doc, idx);
}

static int line_of(const yaml_node_t *n)
{
	return n ? (int)n->start_mark.line + 1 : 0;
}

static int fail(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (l->rc)
		return l->rc;
	va_start(ap, fmt);
	msg = rv_xvasprintf(fmt, ap);
	va_end(ap);
	l->rc = rv_error_set(l->err, RV_EINVAL, "%s:%d: %s", l->path, line_of(n), msg);
	free(msg);
	return l->rc;
}

static const char *scalar(struct loader *l, yaml_node_t *n, const char *what)
{
	if (!n || n->type != YAML_SCALAR_NODE) {
		fail(l, n, "%s must be a single value", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* A list of strings: a sequence of scalars, or one scalar. */
static char **strings(struct loader *l, yaml_node_t *n, const char *what)
{
	yaml_node_item_t *it;
	char **v;
	size_t k = 0;

	if (n && n->type == YAML_SCALAR_NODE) {
		v = rv_xcalloc(2, sizeof(*v));
		v[0] = rv_xstrdup((const char *)n->data.scalar.value);
		return v;
	}
	if (!n || n->type != YAML_SEQUENCE_NODE) {
		fail(l, n, "%s must be a list of strings", what);
		return NULL;
	}
	v = rv_xcalloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1,
		       sizeof(*v));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		const char *s = scalar(l, node(l, *it), what);
		if (!s) {
			rv_strv_free(v);
			return NULL;
		}
		v[k++] = rv_xstrdup(s);
	}
	return v;
}

static unsigned categories(struct loader *l, yaml_node_t *n, const char *what)
{
	char **v = strings(l, n, what);
	unsigned cats = 0;
	size_t i;

	for (i = 0; v && v[i]; i++) {
		unsigned bit = rv_category_bit(v[i]);
		if (!bit) {
			fail(l, n, "unknown category '%s' in %s (expected allowed, allowed-content, allowed-documentation, allowed-fonts, allowed-firmware or not-allowed)",
			     v[i], what);
			break;
		}
		cats |= bit;
	}
	rv_strv_free(v);
	return cats;
}

static int severity(struct loader *l, yaml_node_t *n, const char *what,
		    enum rv_severity *out)
{
	const char *s = scalar(l, n, what);

	if (!s)
		return l->rc;
	if (!strcmp(s, "info"))
		*out = RV_SEV_INFO;
	else if (!strcmp(s, "warning"))
		*out = RV_SEV_WARNING;
	else if (!strcmp(s, "error"))
		*out = RV_SEV_ERROR;
	else
		return fail(l, n, "%s must be info, warning or error, not '%s'", what, s);
	return 0;
}

/* YYYY-MM-DD (UTC midnight) into seconds. */
static int date(struct loader *l, yaml_node_t *n, const char *what, int64_t *out)
{
	const char *s = scalar(l, n, what);
	struct tm tm;
	char *end;

	if (!s)
		return l->rc;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end && !*end) {
		/* timegm() normalises its argument: compare with the date as written */
		int mday = tm.tm_mday, mon = tm.tm_mon;
		struct tm back;
		time_t t = timegm(&tm);
		/* 2027-02-31 does not survive the round trip; 1970-01-01 would mean never */
		if (t > 0 && gmtime_r(&t, &back) && back.tm_mday == mday && back.tm_mon == mon) {
			*out = (int64_t)t;
			return 0;
		}
	}
	return fail(l, n, "%s must be a date like 2027-01-31, not '%s'", what, s);
}

/* Iterate the pairs of a mapping, checking each key against the allowed ones. */
#define FOR_PAIRS(l, map, p, key, val)                                                 \
	for (yaml_node_pair_t *p = (map)->data.mapping.pairs.start;                     \
	     p < (map)->data.mapping.pairs.top &&                                       \
	     ((key) = scalar((l), node((l), p->key), "a key")) &&                        \
	     ((val) = node((l), p->value));                                             \
	     p++)

static int need_map(struct loader *l, yaml_node_t *n, const char *what)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return fail(l, n, "%s must be a mapping (key: value lines)", what);
	return 0;
}

static int unknown_key(struct loader *l, yaml_node_t *n, const char *key,
		       const char *where, const char *expected)
{
	return fail(l, n, "unknown key '%s' in %s (expected one of: %s)", key, where, expected);
}

/*
 * A key given twice in one mapping would let the later value override the one
 * a reviewer read (a second "deny: []" cancelling "deny: [AGPL-3.0-only]").
 * libyaml keeps both pairs; find the second one, comparing keys as the loader
 * sees them (C strings), license ids case-insensitively.
 */
struct keyref {
	const char *s;
	const yaml_node_t *n;
	size_t pos;
};

static int keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static int keyref_casecmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int c = strcasecmp(x->s, y->s);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* The earliest repeated key of map into *first and *again; 1 when there is one. */
static int repeated_key(struct loader *l, const yaml_node_t *map, int nocase,
			struct keyref *first, struct keyref *again)
{
	size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start), k = 0, i;
	struct keyref *v;
	int found = 0;

	if (n < 2)
		return 0;
	v = rv_xcalloc(n, sizeof(*v));
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(l, p->key);
		if (kn && kn->type == YAML_SCALAR_NODE) {
			v[k].s = (const char *)kn->data.scalar.value;
			v[k].n = kn;
			v[k].pos = k;
			k++;
		}
	}
	qsort(v, k, sizeof(*v), nocase ? keyref_casecmp : keyref_cmp);
	for (i = 1; i < k; i++)
		if (!(nocase ? strcasecmp(v[i - 1].s, v[i].s) : strcmp(v[i - 1].s, v[i].s)) &&
		    (!found || v[i].pos < again->pos)) {
			*first = v[i - 1];
			*again = v[i];
			found = 1;
		}
	free(v);
	return found;
}

static int duplicate_key(struct loader *l, const struct keyref *first,
			 const struct keyref *again)
{
	if (strcmp(first->s, again->s))
		return fail(l, again->n, "key '%s' given twice (first at line %d, as '%s')",
			    again->s, line_of(first->n), first->s);
	return fail(l, again->n, "key '%s' given twice (first at line %d)", again->s,
		    line_of(first->n));
}

/* Every mapping of the document, at every level: the earliest repeated key fails. */
static int no_duplicate_keys(struct loader *l)
{
	struct keyref first, again, bf = { NULL, NULL, 0 }, ba = bf;
	int found = 0;

	for (yaml_node_t *n = l->doc.nodes.start; n < l->doc.nodes.top; n++)
		if (n->type == YAML_MAPPING_NODE && repeated_key(l, n, 0, &first, &again) &&
		    (!found || line_of(again.n) < line_of(ba.n))) {
			bf = first;
			ba = again;
			found = 1;
		}
	return found ? duplicate_key(l, &bf, &ba) : 0;
}

/* A mapping keyed by license ids: 'MIT' and 'mit' are one key. */
static int no_duplicate_ids(struct loader *l, const yaml_node_t *map)
{
	struct keyref first, again;

	return repeated_key(l, map, 1, &first, &again) ? duplicate_key(l, &first, &again) : 0;
}

static char *data_path(struct loader *l, const char *p)
{
	return p[0] == '/' ? rv_xstrdup(p) : rv_xasprintf("%s/%s", l->dir, p);
}

static int load_accept_for(struct loader *l, yaml_node_t *n, struct rv_licpolicy *lp)
{
	yaml_node_item_t *it;

	if (!n || n->type != YAML_SEQUENCE_NODE)
		return fail(l, n, "licenses.accept-for must be a list of {packages, categories}");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top && !l->rc; it++) {
		yaml_node_t *e = node(l, *it), *val;
		struct rv_lic_accept_for af = { NULL, 0, 0 };
		const char *key;

		if (need_map(l, e, "an accept-for entry"))
			break;
		FOR_PAIRS(l, e, p, key, val) {
			if (!strcmp(key, "packages"))
				af.packages = strings(l, val, "accept-for packages");
			else if (!strcmp(key, "categories"))
				af.cats = categories(l, val, "accept-for categories");
			else
				unknown_key(l, node(l, p->key), key, "an accept-for entry",
					    "packages, categories");
			if (l->rc)
				break;
		}
		if (!l->rc && (!af.packages || !af.cats))
			fail(l, e, "an accept-for entry needs both packages and categories");
		if (l->rc) {
			rv_strv_free(af.packages);
			break;
		}
		while (af.packages[af.npackages])
			af.npackages++;
		lp->accept_for = rv_xrealloc(lp->accept_for, (lp->naccept_for + 1) * sizeof(af));
		lp->accept_for[lp->naccept_for++] = af;
	}
	return l->rc;
}

static int load_exceptions(struct loader *l, yaml_node_t *n, struct rv_licpolicy *lp)
{
	yaml_node_item_t *it;

	if (!n || n->type != YAML_SEQUENCE_NODE)
		return fail(l, n, "licenses.exceptions must be a list of {package, license, reason, expires}");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top && !l->rc; it++) {
		yaml_node_t *e = node(l, *it), *val;
		struct rv_lic_exception x;
		const char *key, *s;

		memset(&x, 0, sizeof(x));
		x.line = line_of(e);
		if (need_map(l, e, "an exception"))
			break;
		FOR_PAIRS(l, e, p, key, val) {
			if (!strcmp(key, "package") && (s = scalar(l, val, "exception package")))
				x.package = rv_xstrdup(s);
			else if (!strcmp(key, "license") && (s = scalar(l, val, "exception license")))
				x.license = rv_xstrdup(s);
			else if (!strcmp(key, "reason") && (s = scalar(l, val, "exception reason")))
				x.reason = rv_xstrdup(s);
			else if (!strcmp(key, "expires"))
				date(l, val, "exception expires", &x.expires);
			else if (!l->rc && strcmp(key, "package") && strcmp(key, "license") &&
				 strcmp(key, "reason"))
				unknown_key(l, node(l, p->key), key, "an exception",
					    "package, license, reason, expires");
			if (l->rc)
				break;
		}
		if (!l->rc && (!x.package || !x.license || !x.reason))
			fail(l, e, "an exception needs package, license and reason");
		if (l->rc) {
			free(x.package);
			free(x.license);
			free(x.reason);
			break;
		}
		lp->exceptions = rv_xrealloc(lp->exceptions, (lp->nexceptions + 1) * sizeof(x));
		lp->exceptions[lp->nexceptions++] = x;
	}
	return l->rc;
}

static int load_categories(struct loader *l, yaml_node_t *n, struct rv_licpolicy *lp)
{
	yaml_node_t *val;
	const char *key;

	if (need_map(l, n, "licenses.categories") || no_duplicate_ids(l, n))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		unsigned cats = categories(l, val, "a license's categories");
		if (l->rc)
			break;
		rv_licmap_set(&lp->categories, key, cats, NULL);
	}
	return l->rc;
}

static int load_legacy(struct loader *l, yaml_node_t *n, struct rv_licpolicy *lp)
{
	yaml_node_t *val;
	const char *key, *s;

	if (need_map(l, n, "licenses.legacy") || no_duplicate_ids(l, n))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		if (!(s = scalar(l, val, "a legacy abbreviation's SPDX form")))
			break;
		rv_licmap_set(&lp->legacy, key, 0, s);
	}
	return l->rc;
}

static int load_licenses(struct loader *l, yaml_node_t *n, struct rv_licpolicy *lp)
{
	yaml_node_t *val;
	const char *key, *s;
	char *path;

	if (need_map(l, n, "licenses"))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		if (!strcmp(key, "data") || !strcmp(key, "legacy-map")) {
			struct rv_error *e = NULL;
			if (!(s = scalar(l, val, key)))
				break;
			path = data_path(l, s);
			if (rv_licdata_load(lp, path, !strcmp(key, "legacy-map"), &e)) {
				char *m = rv_error_string(e);
				fail(l, val, "licenses.%s: %s", key, m);
				free(m);
				rv_error_free(e);
			}
			free(path);
		} else if (!strcmp(key, "accept")) {
			lp->accept = categories(l, val, "licenses.accept");
		} else if (!strcmp(key, "accept-for")) {
			load_accept_for(l, val, lp);
		} else if (!strcmp(key, "allow")) {
			lp->allow = strings(l, val, "licenses.allow");
		} else if (!strcmp(key, "deny")) {
			lp->deny = strings(l, val, "licenses.deny");
		} else if (!strcmp(key, "categories")) {
			load_categories(l, val, lp);
		} else if (!strcmp(key, "exceptions")) {
			load_exceptions(l, val, lp);
		} else if (!strcmp(key, "legacy")) {
			load_legacy(l, val, lp);
		} else if (!strcmp(key, "deprecated-ids")) {
			severity(l, val, "licenses.deprecated-ids", &lp->deprecated_sev);
		} else if (!strcmp(key, "id-case")) {
			severity(l, val, "licenses.id-case", &lp->case_sev);
		} else if (!strcmp(key, "spdx3-additions")) {
			severity(l, val, "licenses.spdx3-additions", &lp->addition_sev);
		} else {
			unknown_key(l, node(l, p->key), key, "licenses",
				    "data, legacy-map, legacy, accept, accept-for, allow, deny, categories, exceptions, deprecated-ids, id-case, spdx3-additions");
		}
		if (l->rc)
			break;
	}
	return l->rc;
}

static int boolean(struct loader *l, yaml_node_t *n, const char *what, int *out)
{
	const char *s = scalar(l, n, what);

	if (!s)
		return l->rc;
	if (!strcmp(s, "true") || !strcmp(s, "yes"))
		*out = 1;
	else if (!strcmp(s, "false") || !strcmp(s, "no"))
		*out = 0;
	else
		return fail(l, n, "%s must be true or false, not '%s'", what, s);
	return 0;
}

static int load_repo(struct loader *l, yaml_node_t *n, struct rv_policy *pol)
{
	yaml_node_t *val;
	const char *key;

	if (need_map(l, n, "repo"))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		if (!strcmp(key, "allow-replace"))
			boolean(l, val, "repo.allow-replace", &pol->allow_replace);
		else
			unknown_key(l, node(l, p->key), key, "repo", "allow-replace");
		if (l->rc)
			break;
	}
	return l->rc;
}

static int load_closure(struct loader *l, yaml_node_t *n, struct rv_policy *pol)
{
	yaml_node_t *val;
	const char *key, *s;
	size_t i;

	if (need_map(l, n, "closure"))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		if (!strcmp(key, "upstream")) {
			rv_strv_free(pol->upstream);
			pol->upstream = strings(l, val, "closure.upstream");
			/* a remote upstream's URL is kept as it is, a path made absolute */
			for (i = 0; pol->upstream && pol->upstream[i]; i++) {
				char *abs;
				if (rv_remote_is_url(pol->upstream[i]))
					continue;
				abs = data_path(l, pol->upstream[i]);
				free(pol->upstream[i]);
				pol->upstream[i] = abs;
			}
		} else if (!strcmp(key, "build-group")) {
			rv_strv_free(pol->buildgroup);
			pol->buildgroup = strings(l, val, "closure.build-group");
		} else if (!strcmp(key, "arch")) {
			if ((s = scalar(l, val, "closure.arch"))) {
				free(pol->arch);
				pol->arch = rv_xstrdup(s);
			}
		} else if (!strcmp(key, "enforce")) {
			if ((s = scalar(l, val, "closure.enforce"))) {
				if (!strcmp(s, "off"))
					pol->closure_enforce = 0;
				else if (!strcmp(s, "warning"))
					pol->closure_enforce = 1 + RV_SEV_WARNING;
				else if (!strcmp(s, "error"))
					pol->closure_enforce = 1 + RV_SEV_ERROR;
				else
					fail(l, val, "closure.enforce must be off, warning or error, not '%s'", s);
			}
		} else {
			unknown_key(l, node(l, p->key), key, "closure", "upstream, arch, build-group, enforce");
		}
		if (l->rc)
			break;
	}
	if (!l->rc && pol->closure_enforce && !pol->upstream)
		fail(l, n, "closure.enforce needs closure.upstream (the repositories to resolve against)");
	return l->rc;
}

/* upstream: how upstream repositories fetched over the network are trusted */
static int load_upstream(struct loader *l, yaml_node_t *n, struct rv_policy *pol)
{
	yaml_node_t *val;
	const char *key, *s;

	if (need_map(l, n, "upstream"))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		if (!strcmp(key, "repomd-signature")) {
			if ((s = scalar(l, val, "upstream.repomd-signature"))) {
				if (!strcmp(s, "required") || !strcmp(s, "if-present"))
					pol->repomd_signature = !strcmp(s, "required");
				else
					fail(l, val, "upstream.repomd-signature must be required or if-present, not '%s'", s);
			}
		} else {
			unknown_key(l, node(l, p->key), key, "upstream", "repomd-signature");
		}
		if (l->rc)
			break;
	}
	return l->rc;
}

/* export: the purl namespace and distro qualifier of exported documents */
static int load_export(struct loader *l, yaml_node_t *n, struct rv_policy *pol)
{
	yaml_node_t *val;
	const char *key, *s;
	char **slot;

	if (need_map(l, n, "export"))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		slot = !strcmp(key, "purl-namespace") ? &pol->purl_namespace
		     : !strcmp(key, "purl-distro") ? &pol->purl_distro : NULL;
		if (!slot) {
			unknown_key(l, node(l, p->key), key, "export", "purl-namespace, purl-distro");
		} else if ((s = scalar(l, val, key))) {
			/* a purl namespace is lower case; neither may be empty or hold a '/' */
			size_t i;
			for (i = 0; s[i] && s[i] != '/' && (slot != &pol->purl_namespace
							  || !(s[i] >= 'A' && s[i] <= 'Z')); i++)
				;
			if (!*s || s[i])
				fail(l, val, "export.%s must be a non-empty%s word without '/', not '%s'", key,
				     slot == &pol->purl_namespace ? " lower-case" : "", s);
			else {
				free(*slot);
				*slot = rv_xstrdup(s);
			}
		}
		if (l->rc)
			break;
	}
	return l->rc;
}

static int load_headers(struct loader *l, yaml_node_t *n, struct rv_policy *pol)
{
	yaml_node_t *val;
	const char *key, *s;

	if (need_map(l, n, "headers"))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		if (!strcmp(key, "invalid-text")) {
			if ((s = scalar(l, val, "headers.invalid-text"))) {
				if (!strcmp(s, "reject") || !strcmp(s, "escape"))
					pol->text_escape = !strcmp(s, "escape");
				else
					fail(l, val, "headers.invalid-text must be reject or escape, not '%s'", s);
			}
		} else {
			unknown_key(l, node(l, p->key), key, "headers", "invalid-text");
		}
		if (l->rc)
			break;
	}
	return l->rc;
}

/*
 * A scalar that must be one of names (NULL-terminated): *out gets its index.
 * The message lists them: "W must be a, b or c, not 'x'".
 */
static int one_of(struct loader *l, yaml_node_t *n, const char *what,
		  const char *const *names, int *out)
{
	const char *s = scalar(l, n, what);
	char list[256];
	size_t i, len = 0;

	if (!s)
		return l->rc;
	for (i = 0; names[i]; i++)
		if (!strcmp(s, names[i])) {
			*out = (int)i;
			return 0;
		}
	list[0] = '\0';
	for (i = 0; names[i] && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					i == 0 ? "" : names[i + 1] ? ", " : " or ", names[i]);
	return fail(l, n, "%s must be %s, not '%s'", what, list, s);
}

/* required | if-present | off: the values of RV_PROV_SOURCES_* and RV_UPSIG_* alike */
static const char *const presence[] = { "required", "if-present", "off", NULL };
static const int presence_value[] = { RV_PROV_SOURCES_REQUIRED, RV_PROV_SOURCES_IF_PRESENT,
				      RV_PROV_SOURCES_OFF };
_Static_assert((int)RV_PROV_SOURCES_REQUIRED == (int)RV_UPSIG_REQUIRED &&
	       (int)RV_PROV_SOURCES_IF_PRESENT == (int)RV_UPSIG_IF_PRESENT &&
	       (int)RV_PROV_SOURCES_OFF == (int)RV_UPSIG_OFF, "one presence scale");

/* provenance.sources: whether a package without a sources ledger is a finding. */
static int load_prov_sources(struct loader *l, yaml_node_t *n, struct rv_policy *pol)
{
	int v;

	if (!one_of(l, n, "provenance.sources", presence, &v))
		pol->prov_sources = (enum rv_prov_sources_mode)presence_value[v];
	return l->rc;
}

/* provenance.upstream-signature: required, if-present (the default) or off */
static int load_upstream_signature(struct loader *l, yaml_node_t *n, struct rv_policy *pol)
{
	int v;

	if (!one_of(l, n, "provenance.upstream-signature", presence, &v))
		pol->upstream_sig = presence_value[v];
	return l->rc;
}

/* Non-negative whole seconds. */
static int seconds(struct loader *l, yaml_node_t *n, const char *what, int64_t *out)
{
	const char *s = scalar(l, n, what);
	char *end;
	long long v;

	if (!s)
		return l->rc;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v < 0 || *s == '+' || *s == ' ')
		return fail(l, n, "%s must be whole seconds (0 or more), not '%s'", what, s);
	*out = v;
	return 0;
}

static int load_buildtime(struct loader *l, yaml_node_t *n, struct rv_prov_header_rules *h)
{
	yaml_node_t *val;
	const char *key;

	if (need_map(l, n, "provenance.header.buildtime"))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		if (!strcmp(key, "not-before")) {
			date(l, val, "provenance.header.buildtime.not-before", &h->not_before);
		} else if (!strcmp(key, "not-after")) {
			/* the whole day: its last second */
			if (!date(l, val, "provenance.header.buildtime.not-after", &h->not_after))
				h->not_after += 86399;
		} else if (!strcmp(key, "future-skew")) {
			seconds(l, val, "provenance.header.buildtime.future-skew", &h->future_skew);
		} else {
			unknown_key(l, node(l, p->key), key, "provenance.header.buildtime",
				    "not-before, not-after, future-skew");
		}
		if (l->rc)
			break;
	}
	if (!l->rc && h->not_before && h->not_after && h->not_after < h->not_before)
		fail(l, n, "provenance.header.buildtime: not-after is before not-before");
	return l->rc;
}

/* require: / forbid: name header tags rpmvet reads */
static char **tag_names(struct loader *l, yaml_node_t *n, const char *what)
{
	char **v = strings(l, n, what);
	size_t i;

	for (i = 0; v && v[i]; i++)
		if (!rv_prov_header_tag(v[i])) {
			fail(l, n, "unknown header tag '%s' in %s (expected: %s)", v[i], what,
			     rv_prov_header_tags);
			rv_strv_free(v);
			return NULL;
		}
	return v;
}

static void set_strv(char ***dst, char **v)
{
	rv_strv_free(*dst);
	*dst = v;
}

static int load_prov_header(struct loader *l, yaml_node_t *n, struct rv_prov_header_rules *h)
{
	yaml_node_t *val;
	const char *key, *s;

	if (need_map(l, n, "provenance.header"))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		if (!strcmp(key, "vendor")) {
			set_strv(&h->vendor, strings(l, val, "provenance.header.vendor"));
		} else if (!strcmp(key, "packager")) {
			set_strv(&h->packager, strings(l, val, "provenance.header.packager"));
		} else if (!strcmp(key, "buildhost")) {
			set_strv(&h->buildhost, strings(l, val, "provenance.header.buildhost"));
		} else if (!strcmp(key, "dist")) {
			if ((s = scalar(l, val, "provenance.header.dist"))) {
				if (!*s)
					fail(l, val, "provenance.header.dist must not be empty");
				free(h->dist);
				h->dist = rv_xstrdup(s);
			}
		} else if (!strcmp(key, "buildtime")) {
			load_buildtime(l, val, h);
		} else if (!strcmp(key, "require")) {
			set_strv(&h->require, tag_names(l, val, "provenance.header.require"));
		} else if (!strcmp(key, "forbid")) {
			set_strv(&h->forbid, tag_names(l, val, "provenance.header.forbid"));
		} else {
			unknown_key(l, node(l, p->key), key, "provenance.header",
				    "vendor, packager, buildhost, dist, buildtime, require, forbid");
		}
		if (l->rc)
			break;
	}
	return l->rc;
}

static int load_origins(struct loader *l, yaml_node_t *n, struct rv_prov_policy *pp)
{
	size_t i;

	set_strv(&pp->origins, strings(l, n, "provenance.origins"));
	/* a local package's origin is its real path, a downloaded one's its URL */
	for (i = 0; pp->origins && pp->origins[i] && !l->rc; i++)
		if (pp->origins[i][0] != '/' && strncasecmp(pp->origins[i], "http://", 7) &&
		    strncasecmp(pp->origins[i], "https://", 8) && strncasecmp(pp->origins[i], "file://", 7))
			fail(l, n, "provenance.origins: '%s' is not an absolute path pattern or an http, https or file URL pattern (origins are real paths, or URLs when downloaded)",
			     pp->origins[i]);
	return l->rc;
}

/*
 * provenance: one key per part of the provenance stage, each with its own
 * loader.
 */
static int load_provenance(struct loader *l, yaml_node_t *n, struct rv_policy *pol)
{
	yaml_node_t *val;
	const char *key;

	if (need_map(l, n, "provenance"))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		if (!strcmp(key, "sources"))
			load_prov_sources(l, val, pol);
		else if (!strcmp(key, "upstream-signature"))
			load_upstream_signature(l, val, pol);
		else if (!strcmp(key, "header"))
			load_prov_header(l, val, &pol->prov.header);
		else if (!strcmp(key, "origins"))
			load_origins(l, val, &pol->prov);
		else
			unknown_key(l, node(l, p->key), key, "provenance",
				    "sources, upstream-signature, header, origins");
		if (l->rc)
			break;
	}
	return l->rc;
}

int rv_policy_upstream_signature(const struct rv_policy *pol)
{
	return pol ? pol->upstream_sig : RV_UPSIG_IF_PRESENT;
}

/* A finding code of the table, for what (a findings: key, a waiver's finding). */
static const struct rv_code *finding_code(struct loader *l, yaml_node_t *n, const char *s,
					  const char *what)
{
	const struct rv_code *c = rv_code_find(s);

	if (!c)
		fail(l, n, "unknown finding code '%s' in %s (rpmvet(1) lists the codes)", s, what);
	return c;
}

static int never_lowered(struct loader *l, yaml_node_t *n, const struct rv_code *c,
			 const char *action)
{
	char *list = rv_code_fixed_list();

	fail(l, n, "'%s' can never be %s: a bad signature or digest, a broken package, a check that could not run or two contents of one NEVRA in one run always reject (never lowered or waived: %s)",
	     c->code, action, list);
	free(list);
	return l->rc;
}

static int load_findings(struct loader *l, yaml_node_t *n, struct rv_policy *pol)
{
	yaml_node_t *val;
	const char *key;

	if (need_map(l, n, "findings"))
		return l->rc;
	FOR_PAIRS(l, n, p, key, val) {
		const struct rv_code *c = finding_code(l, node(l, p->key), key, "findings");
		enum rv_severity sev = RV_SEV_ERROR;
		if (!c || severity(l, val, "a finding's severity", &sev))
			break;
		if ((c->flags & RV_CODE_FIXED) && sev != RV_SEV_ERROR) {
			never_lowered(l, val, c, "lowered below error");
			break;
		}
		pol->overrides = rv_xrealloc(pol->overrides,
					     (pol->noverrides + 1) * sizeof(*pol->overrides));
		pol->overrides[pol->noverrides].code = c->code;
		pol->overrides[pol->noverrides++].sev = sev;
	}
	return l->rc;
}

static void waiver_release(struct rv_waiver *w)
{
	free(w->package);
	free(w->nevra);
	free(w->reason);
}

static int load_waivers(struct loader *l, yaml_node_t *n, struct rv_policy *pol)
{
	yaml_node_item_t *it;

	if (!n || n->type != YAML_SEQUENCE_NODE)
		return fail(l, n, "waivers must be a list of {package, nevra, finding, reason, expires}");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top && !l->rc; it++) {
		yaml_node_t *e = node(l, *it), *val;
		const struct rv_code *c;
		struct rv_waiver w;
		const char *key, *s;

		memset(&w, 0, sizeof(w));
		w.line = line_of(e);
		if (need_map(l, e, "a waiver"))
			break;
		FOR_PAIRS(l, e, p, key, val) {
			if (!strcmp(key, "package")) {
				if ((s = scalar(l, val, "waiver package")))
					w.package = rv_xstrdup(s);
			} else if (!strcmp(key, "nevra")) {
				if ((s = scalar(l, val, "waiver nevra")))
					w.nevra = rv_xstrdup(s);
			} else if (!strcmp(key, "finding")) {
				if ((s = scalar(l, val, "waiver finding")) &&
				    (c = finding_code(l, val, s, "a waiver"))) {
					if (c->flags & RV_CODE_FIXED)
						never_lowered(l, val, c, "waived");
					w.code = c->code;
				}
			} else if (!strcmp(key, "reason")) {
				if ((s = scalar(l, val, "waiver reason")))
					w.reason = rv_xstrdup(s);
			} else if (!strcmp(key, "expires")) {
				date(l, val, "waiver expires", &w.expires);
			} else {
				unknown_key(l, node(l, p->key), key, "a waiver",
					    "package, nevra, finding, reason, expires");
			}
			if (l->rc)
				break;
		}
		if (!l->rc && (!w.package || !w.code || !w.reason || !*w.reason))
			fail(l, e, "a waiver needs package, finding and reason");
		if (l->rc) {
			waiver_release(&w);
			break;
		}
		pol->waivers = rv_xrealloc(pol->waivers, (pol->nwaivers + 1) * sizeof(w));
		pol->waivers[pol->nwaivers++] = w;
	}
	return l->rc;
}

static int load_root(struct loader *l, struct rv_policy *pol)
{
	yaml_node_t *root = yaml_document_get_root_node(&l->doc), *val;
	const char *key, *s;

	if (!root || (root->type == YAML_SCALAR_NODE && !root->data.scalar.length))
		return 0; /* an empty file (or document) is the default policy */
	if (need_map(l, root, "a policy"))
		return l->rc;
	FOR_PAIRS(l, root, p, key, val) {
		if (!strcmp(key, "version")) {
			if ((s = scalar(l, val, "version")) && strcmp(s, "1"))
				fail(l, val, "unsupported policy version '%s' (this rpmvet reads version 1)", s);
		} else if (!strcmp(key, "licenses")) {
			load_licenses(l, val, &pol->lic);
		} else if (!strcmp(key, "repo")) {
			load_repo(l, val, pol);
		} else if (!strcmp(key, "closure")) {
			load_closure(l, val, pol);
		} else if (!strcmp(key, "headers")) {
			load_headers(l, val, pol);
		} else if (!strcmp(key, "provenance")) {
			load_provenance(l, val, pol);
		} else if (!strcmp(key, "upstream")) {
			load_upstream(l, val, pol);
		} else if (!strcmp(key, "export")) {
			load_export(l, val, pol);
		} else if (!strcmp(key, "findings")) {
			load_findings(l, val, pol);
		} else if (!strcmp(key, "waivers")) {
			load_waivers(l, val, pol);
		} else {
			unknown_key(l, node(l, p->key), key, "the policy",
				    "version, licenses, repo, closure, headers, provenance, upstream, export, findings, waivers");
		}
		if (l->rc)
			break;
	}
	return l->rc;
}

static struct rv_policy *policy_alloc(void)
{
	struct rv_policy *pol = rv_xcalloc(1, sizeof(*pol));

	rv_licpolicy_init(&pol->lic);
	pol->prov.header.future_skew = -1;
	return pol;
}

/* Load from a parser whose input is set; name is for messages, dir for data paths. */
static int policy_parse(struct rv_policy **out, yaml_parser_t *parser, const char *name,
			const char *dir, struct rv_error **err)
{
	struct rv_policy *pol = policy_alloc();
	struct loader l;

	*out = NULL;
	memset(&l, 0, sizeof(l));
	l.path = name;
	l.dir = (char *)dir;
	l.err = err;
	if (!yaml_parser_load(parser, &l.doc)) {
		l.rc = rv_error_set(err, RV_EINVAL, "%s:%zu: %s%s%s", name,
				    parser->problem_mark.line + 1,
				    parser->problem ? parser->problem : "malformed YAML",
				    parser->context ? " " : "", parser->context ? parser->context : "");
		rv_policy_free(pol);
		return l.rc;
	}
	if (!no_duplicate_keys(&l))
		load_root(&l, pol);
	yaml_document_delete(&l.doc);
	if (l.rc) {
		rv_policy_free(pol); /* never half-applied */
		return l.rc;
	}
	rv_licmap_sort(&pol->lic.categories);
	rv_licmap_sort(&pol->lic.legacy);
	*out = pol;
	return 0;
}

struct rv_policy *rv_policy_new(void)
{
	struct rv_policy *pol = NULL;
	yaml_parser_t parser;
	struct rv_error *err = NULL;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)default_yaml,
				     sizeof(default_yaml) - 1);
	/* policies/default.yaml is checked by the build's tests: it always loads */
	if (policy_parse(&pol, &parser, "policies/default.yaml", ".", &err))
		abort();
	yaml_parser_delete(&parser);
	return pol;
}

int rv_policy_load(struct rv_policy **out, const char *path, struct rv_error **err)
{
	yaml_parser_t parser;
	FILE *f;
	char *tmp, *dir;
	int rc;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return rv_error_set(err, errno == ENOENT ? RV_ENOTFOUND : RV_EIO,
				    "cannot open the policy '%s': %s", path, strerror(errno));
	tmp = rv_xstrdup(path);
	dir = rv_xstrdup(dirname(tmp));
	free(tmp);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	rc = policy_parse(out, &parser, path, dir, err);
	yaml_parser_delete(&parser);
	fclose(f);
	free(dir);
	if (!rc)
		(*out)->path = rv_xstrdup(path);
	return rc;
}

static void prov_release(struct rv_prov_policy *pp)
{
	struct rv_prov_header_rules *h = &pp->header;

	rv_strv_free(h->vendor);
	rv_strv_free(h->packager);
	rv_strv_free(h->buildhost);
	rv_strv_free(h->require);
	rv_strv_free(h->forbid);
	free(h->dist);
	rv_strv_free(pp->origins);
}

void rv_policy_free(struct rv_policy *pol)
{
	if (!pol)
		return;
	rv_licpolicy_release(&pol->lic);
	rv_strv_free(pol->upstream);
	rv_strv_free(pol->buildgroup);
	free(pol->arch);
	free(pol->path);
	free(pol->purl_namespace);
	free(pol->purl_distro);
	prov_release(&pol->prov);
	free(pol->overrides);
	for (size_t i = 0; i < pol->nwaivers; i++)
		waiver_release(&pol->waivers[i]);
	free(pol->waivers);
	free(pol);
}

const char *rv_policy_path(const struct rv_policy *pol)
{
	return pol ? pol->path : NULL;
}

void rv_license_check(struct rv_license_result *out, const struct rv_policy *pol,
		      const char *expression, const char *package, time_t now)
{
	struct rv_license_eval ev;

	if (!now)
		now = time(NULL);
	rv_license_eval(&ev, &pol->lic, expression, package, now);
	memset(out, 0, sizeof(*out));
	out->expression = rv_xstrdup(expression ? expression : "");
	out->canonical = ev.canonical;
	out->spdx = ev.spdx;
	out->findings = ev.findings;
	out->nfindings = ev.nfindings;
	/* an expression that is not acceptable always has its error finding */
	rv_judge_findings(&out->findings, &out->nfindings, pol, package, NULL, now);
	out->verdict = rv_findings_verdict(out->findings, out->nfindings);
}

void rv_license_result_release(struct rv_license_result *r)
{
	if (!r)
		return;
	rv_findings_free(r->findings, r->nfindings);
	free(r->expression);
	free(r->canonical);
	memset(r, 0, sizeof(*r));
}
