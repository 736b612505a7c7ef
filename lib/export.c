/* SPDX-License-Identifier: MIT */
/*
 * export: the curated repository at an instant as one SBOM document, SPDX 2.3
 * or CycloneDX 1.6 (JSON, jansson).  Deterministic: the same database state
 * gives the same bytes.  Every value comes from the database (the time is
 * that of the last event at the instant, never the clock), every array is
 * sorted, and the document's namespace (SPDX) or serial number (CycloneDX) is
 * a UUID made from the SHA-256 of the document written without it: its first
 * 128 bits with the version nibble set to 5 and the RFC 4122 variant bits.
 */
#include "curated.h"
#include "error.h"
#include "export.h"
#include "license.h"
#include "pkg.h"
#include "store.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- purl ----------------------------------------------------------------- */

static void pct(char **buf, size_t *len, size_t *cap, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		rv_grow((void **)buf, cap, *len + 4, 1);
		if (isalnum(c) && c < 0x80)
			(*buf)[(*len)++] = (char)c;
		else if (strchr(".-_~:", c) || (keep_slash && c == '/'))
			(*buf)[(*len)++] = (char)c;
		else {
			(*buf)[(*len)++] = '%';
			(*buf)[(*len)++] = hex[c >> 4];
			(*buf)[(*len)++] = hex[c & 15];
		}
	}
	(*buf)[*len] = '\0';
}

static void put(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	rv_grow((void **)buf, cap, *len + n + 1, 1);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* lower-case s into out; 0 when it is [a-z0-9] plus extra, not starting with a digit */
static int purl_word(char *out, size_t outlen, const char *s, const char *extra)
{
	size_t i;
	if (!s || !*s || strlen(s) >= outlen || isdigit((unsigned char)*s))
		return -1;
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || !(isalnum(c) || strchr(extra, c)))
			return -1;
		out[i] = (char)tolower(c);
	}
	out[i] = '\0';
	return 0;
}

struct kv {
	char key[64];
	const char *value;
};

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->key, ((const struct kv *)b)->key);
}

/* each '/'-separated segment of s encoded, empty ones dropped */
static void segments(char **buf, size_t *len, size_t *cap, const char *s)
{
	char *copy = rv_xstrdup(s), *save = NULL, *seg;
	int first = 1;
	for (seg = strtok_r(copy, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, ".") || !strcmp(seg, ".."))
			continue;
		if (!first)
			put(buf, len, cap, "/");
		pct(buf, len, cap, seg, 0);
		first = 0;
	}
	free(copy);
}

char *rv_purl_build(const char *type, const char *ns, const char *name, const char *version,
		    const struct rv_purl_qualifier *q, size_t nq, const char *subpath)
{
	char t[64], *buf = NULL;
	size_t len = 0, cap = 0, i, n = 0;
	struct kv *kv;

	if (purl_word(t, sizeof(t), type, ".+-") || !name || !*name)
		return NULL;
	kv = rv_xcalloc(nq + 1, sizeof(*kv));
	for (i = 0; i < nq; i++) {
		if (purl_word(kv[n].key, sizeof(kv[n].key), q[i].key, ".-_")) {
			free(kv);
			return NULL;
		}
		if (q[i].value && *q[i].value)
			kv[n++].value = q[i].value;
	}
	qsort(kv, n, sizeof(*kv), kv_cmp);
	for (i = 1; i < n; i++)
		if (!strcmp(kv[i - 1].key, kv[i].key)) {
			free(kv);
			return NULL;
		}
	put(&buf, &len, &cap, "pkg:");
	put(&buf, &len, &cap, t);
	put(&buf, &len, &cap, "/");
	if (ns && *ns) {
		segments(&buf, &len, &cap, ns);
		put(&buf, &len, &cap, "/");
	}
	pct(&buf, &len, &cap, name, 0);
	if (version && *version) {
		put(&buf, &len, &cap, "@");
		pct(&buf, &len, &cap, version, 0);
	}
	for (i = 0; i < n; i++) {
		put(&buf, &len, &cap, i ? "&" : "?");
		put(&buf, &len, &cap, kv[i].key);
		put(&buf, &len, &cap, "=");
		pct(&buf, &len, &cap, kv[i].value, 0);
	}
	free(kv);
	if (subpath && *subpath) {
		put(&buf, &len, &cap, "#");
		segments(&buf, &len, &cap, subpath);
	}
	return buf;
}

/* case-insensitive substring */
static int has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; s && *s; s++)
		if (!strncasecmp(s, w, n))
			return 1;
	return 0;
}

/* the NN of a Fedora dist tag ".fcNN" in release, or NULL (static) */
static const char *fedora_release(const char *release, char *buf, size_t len)
{
	const char *p;
	size_t n;
	for (p = release ? strstr(release, ".fc") : NULL; p; p = strstr(p + 1, ".fc")) {
		for (n = 0; isdigit((unsigned char)p[3 + n]); n++)
			;
		if (n && n < len && (!p[3 + n] || p[3 + n] == '.' || p[3 + n] == '_')) {
			memcpy(buf, p + 3, n);
			buf[n] = '\0';
			return buf;
		}
	}
	return NULL;
}

const char *rv_purl_rpm_namespace(const char *policy_ns, const char *vendor, const char *release)
{
	static const struct { const char *word, *ns; } known[] = {
		{ "Fedora", "fedora" }, { "Red Hat", "redhat" }, { "AlmaLinux", "almalinux" },
		{ "CentOS", "centos" }, { "openSUSE", "opensuse" }, { "SUSE", "suse" },
	};
	char buf[16];
	size_t i;

	if (policy_ns && *policy_ns)
		return policy_ns;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (has_word(vendor, known[i].word))
			return known[i].ns;
	return fedora_release(release, buf, sizeof(buf)) ? "fedora" : NULL;
}

/* ---- the document ---------------------------------------------------------- */

struct exp {
	struct rv_repo *repo;
	const struct rv_export_options *o;
	json_t *pkgs, *head;
	const char *pol_ns, *pol_distro;
	char *repo_ns;          /* the fallback namespace: the repository's name */
	char tool[64];
	char ***warnings;
	size_t nwarnings;
	int warned_ns;
	struct rv_licpolicy lp;  /* the default: only whether an expression is SPDX */
	json_t *extracted;      /* LicenseRef- id -> its text */
};

static const char *js(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void warn(struct exp *x, char *msg)
{
	size_t n = x->nwarnings;
	*x->warnings = rv_xrealloc(*x->warnings, (n + 2) * sizeof(char *));
	(*x->warnings)[n] = msg;
	(*x->warnings)[n + 1] = NULL;
	x->nwarnings++;
}

/* [A-Za-z0-9.-] only, for SPDX identifiers */
static char *id_safe(const char *s)
{
	char *o = rv_xstrdup(s ? s : ""), *p;
	for (p = o; *p; p++)
		if (!(isalnum((unsigned char)*p) && (unsigned char)*p < 0x80) && *p != '.' && *p != '-')
			*p = '-';
	return o;
}

static int has_epoch(json_t *p)
{
	return json_integer_value(json_object_get(p, "epoch")) > 0;
}

/* version-release, as purls write it */
static char *vr(json_t *p)
{
	return rv_xasprintf("%s-%s", js(p, "version"), js(p, "release"));
}

static char *evr(json_t *p)
{
	if (has_epoch(p))
		return rv_xasprintf("%lld:%s-%s", (long long)json_integer_value(json_object_get(p, "epoch")),
				    js(p, "version"), js(p, "release"));
	return vr(p);
}

static char *purl_of(struct exp *x, json_t *p)
{
	const char *ns = rv_purl_rpm_namespace(x->pol_ns, js(p, "vendor"), js(p, "release"));
	char fc[16], distro[32] = "", epoch[32] = "", *v = vr(p), *u;
	struct rv_purl_qualifier q[3];

	if (!ns) {
		ns = x->repo_ns;
		if (!x->warned_ns++)
			warn(x, rv_xasprintf("no purl namespace for '%s' (no export.purl-namespace, known vendor or "
					     "Fedora dist tag): the repository's name '%s' is used", js(p, "nevra"), ns));
	}
	if (x->pol_distro)
		snprintf(distro, sizeof(distro), "%s", x->pol_distro);
	else if (fedora_release(js(p, "release"), fc, sizeof(fc)))
		snprintf(distro, sizeof(distro), "fedora-%s", fc);
	if (has_epoch(p))
		snprintf(epoch, sizeof(epoch), "%lld", (long long)json_integer_value(json_object_get(p, "epoch")));
	q[0] = (struct rv_purl_qualifier){ "arch", js(p, "arch") };
	q[1] = (struct rv_purl_qualifier){ "distro", x->pol_distro ? x->pol_distro : distro };
	q[2] = (struct rv_purl_qualifier){ "epoch", epoch };
	u = rv_purl_build("rpm", ns, js(p, "name"), v, q, 3, NULL);
	free(v);
	return u ? u : rv_xstrdup("");
}

static int is_source(json_t *p)
{
	const char *a = js(p, "arch");
	return a && (!strcmp(a, "src") || !strcmp(a, "nosrc"));
}

/* the algorithm of a hex digest: by the OpenPGP number when given, else by its length */
static const char *algo_name(int algo, const char *hex, int cdx)
{
	static const char *const spdx[] = { "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512" };
	static const char *const cyc[] = { "MD5", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512" };
	size_t n = hex ? strlen(hex) : 0;
	int i = -1;

	switch (algo) {
	case 1: i = 0; break;
	case 2: i = 1; break;
	case 11: i = 2; break;
	case 8: i = 3; break;
	case 9: i = 4; break;
	case 10: i = 5; break;
	default:
		i = n == 32 ? 0 : n == 40 ? 1 : n == 56 ? 2 : n == 64 ? 3 : n == 96 ? 4 : n == 128 ? 5 : -1;
	}
	if (i == 2 && cdx)
		return NULL; /* CycloneDX has no SHA-224 */
	return i < 0 ? NULL : cdx ? cyc[i] : spdx[i];
}

/* the licence: the recorded text when it is SPDX 2.3, else a LicenseRef- named by its digest */
static char *licence(struct exp *x, const char *text, int *spdx)
{
	struct rv_license_eval ev;
	char h[65];

	*spdx = 0;
	if (!text || !*text)
		return NULL;
	rv_license_eval(&ev, &x->lp, text, NULL, 0);
	*spdx = ev.spdx;
	rv_license_eval_release(&ev);
	if (*spdx)
		return rv_xstrdup(text);
	rv_sha256_hex(text, strlen(text), h);
	return rv_xasprintf("LicenseRef-rpm-%.16s", h);
}

static json_t *jstr(const char *s)
{
	json_t *v = json_string(s ? s : "");
	return v ? v : json_string("");
}

/* an origin as a URL: a path becomes file:// (percent-encoded), a URL stays */
static char *origin_url(const char *origin)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!origin || !*origin)
		return NULL;
	if (strstr(origin, "://"))
		return rv_xstrdup(origin);
	put(&buf, &len, &cap, "file://");
	pct(&buf, &len, &cap, origin, 1);
	return buf;
}

/* a package's key in SPDX identifiers: its NEVRA, and when characters had to be
 * replaced, the start of the NEVRA's SHA-256, so two NEVRAs never share one */
static char *spdx_key(json_t *p)
{
	const char *nevra = js(p, "nevra");
	char *safe = id_safe(nevra), h[65], *k;

	if (!strcmp(safe, nevra))
		return safe;
	rv_sha256_hex(nevra, strlen(nevra), h);
	k = rv_xasprintf("%s-%.12s", safe, h);
	free(safe);
	return k;
}

static char *spdx_id(json_t *p)
{
	char *k = spdx_key(p), *id = rv_xasprintf("SPDXRef-Package-%s", k);
	free(k);
	return id;
}

/* the source package of binary p among the exported ones (by its sourcerpm), or NULL */
static json_t *source_of(struct exp *x, json_t *srcs, json_t *p)
{
	const char *srpm = js(p, "sourcerpm");
	(void)x;
	return srpm && !is_source(p) ? json_object_get(srcs, srpm) : NULL;
}

/* name-version-release.arch.rpm of every exported source package -> it */
static json_t *sources_by_file(json_t *pkgs)
{
	json_t *m = json_object(), *p;
	size_t i;
	json_array_foreach(pkgs, i, p) {
		if (!is_source(p))
			continue;
		char *f = rv_xasprintf("%s-%s-%s.%s.rpm", js(p, "name"), js(p, "version"), js(p, "release"),
				       js(p, "arch"));
		json_object_set(m, f, p);
		free(f);
	}
	return m;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* json strings of array a sorted */
static void sort_strings(json_t *a)
{
	size_t n = json_array_size(a), i;
	const char **v = rv_xcalloc(n + 1, sizeof(char *));
	json_t *copy = json_copy(a);
	for (i = 0; i < n; i++)
		v[i] = json_string_value(json_array_get(copy, i));
	qsort(v, n, sizeof(char *), str_cmp);
	json_array_clear(a);
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	free(v);
	json_decref(copy);
}

/* the objects of a sorted by the value of key k (then by their JSON text) */
static const char *sort_key;
static int obj_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *sx = json_string_value(json_object_get(x, sort_key));
	const char *sy = json_string_value(json_object_get(y, sort_key));
	int c = strcmp(sx ? sx : "", sy ? sy : "");
	if (!c) {
		char *tx = json_dumps(x, JSON_COMPACT | JSON_SORT_KEYS);
		char *ty = json_dumps(y, JSON_COMPACT | JSON_SORT_KEYS);
		c = strcmp(tx ? tx : "", ty ? ty : "");
		free(tx);
		free(ty);
	}
	return c;
}

static void sort_objects(json_t *a, const char *key)
{
	size_t n = json_array_size(a), i;
	json_t **v = rv_xcalloc(n + 1, sizeof(json_t *));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(a, i));
	sort_key = key;
	qsort(v, n, sizeof(json_t *), obj_cmp);
	json_array_clear(a);
	for (i = 0; i < n; i++)
		json_array_append_new(a, v[i]);
	free(v);
}

static const char *file_type(const char *kind, const char *path)
{
	static const char *const arch[] = { ".tar", ".tgz", ".tbz", ".txz", ".zip", ".crate", ".gem", ".7z" };
	size_t i;
	if (kind && !strcmp(kind, "source"))
		for (i = 0; i < sizeof(arch) / sizeof(arch[0]); i++)
			if (path && strstr(path, arch[i]))
				return "ARCHIVE";
	return "SOURCE";
}

/* the facts SPDX has no field for, as one annotation each ("key: value") */
static json_t *facts(struct exp *x, json_t *p, int cdx)
{
	json_t *a = json_array(), *u;
	const char *pd = js(p, "payload_digest"), *alg = algo_name(0, pd, cdx);
	char *e = evr(p);
	size_t i;

#define FACT(k, ...) json_array_append_new(a, json_pack("[s,o]", k, json_sprintf(__VA_ARGS__)))
	FACT("rpm:evr", "%s", e);
	if (!json_is_null(json_object_get(p, "epoch")))
		FACT("rpm:epoch", "%lld", (long long)json_integer_value(json_object_get(p, "epoch")));
	if (js(p, "packager"))
		FACT("rpm:packager", "%s", js(p, "packager"));
	if (pd) {
		FACT("rpm:payload-digest", "%s", pd);
		FACT("rpm:payload-digest-algorithm", "%s", alg ? alg : "unknown");
	}
	if (js(p, "signer_fpr"))
		FACT("rpm:signing-key", "%s", js(p, "signer_fpr"));
	if (js(p, "sourcerpm"))
		FACT("rpm:sourcerpm", "%s", js(p, "sourcerpm"));
	json_array_foreach(json_object_get(p, "upstream_signers"), i, u)
		FACT("rpmvet:upstream-signer", "%s (signature %s over %s)", js(u, "fingerprint"),
		     js(u, "signature"), js(u, "file"));
	if (js(p, "origin"))
		FACT("rpmvet:origin", "%s", js(p, "origin"));
	FACT("rpmvet:admitted-at", "%s", js(p, "admitted_at"));
#undef FACT
	free(e);
	(void)x;
	return a;
}

/*
 * A document is rendered piecewise, so that only one item's tree is alive at a
 * time: each item of a big top-level array is dumped on its own as soon as it
 * is made, and the top level is dumped with a placeholder string where each
 * such array goes.  The pieces are joined with the indentation jansson gives
 * them in place (JSON_INDENT(2): an item of a top-level array sits at depth 2;
 * strings never hold a raw newline), so the text is byte-identical to dumping
 * the whole tree at once.
 */
struct arr {
	char *buf;
	size_t len, cap, n;
};

static void arr_put(struct arr *a, const char *s, size_t n)
{
	rv_grow((void **)&a->buf, &a->cap, a->len + n + 1, 1);
	memcpy(a->buf + a->len, s, n);
	a->len += n;
	a->buf[a->len] = '\0';
}

/* append item (its reference is taken) */
static void arr_add(struct arr *a, json_t *item)
{
	char *t = json_dumps(item, JSON_INDENT(2) | JSON_PRESERVE_ORDER), *p, *nl;

	json_decref(item);
	if (!t)
		abort(); /* out of memory: jansson fails only then */
	arr_put(a, a->n++ ? ",\n    " : "[\n    ", 6);
	for (p = t; (nl = strchr(p, '\n')); p = nl + 1) {
		arr_put(a, p, (size_t)(nl - p));
		arr_put(a, "\n    ", 5);
	}
	arr_put(a, p, strlen(p));
	free(t);
}

/* the array's text (a is emptied) */
static char *arr_text(struct arr *a)
{
	char *t;
	if (!a->n)
		arr_put(a, "[]", 2);
	else
		arr_put(a, "\n  ]", 4);
	t = a->buf;
	memset(a, 0, sizeof(*a));
	return t;
}

/* the placeholder of a top-level array key, as jansson writes it */
#define SLOT "\x01rpmvet-slot:"
#define SLOT_DUMPED "\"\\u0001rpmvet-slot:"

/* text with each placeholder "\u0001rpmvet-slot:KEY" of key[i] replaced by val[i] (freed) */
static char *splice(char *text, const char *const *key, char **val, size_t n)
{
	struct arr out = { NULL, 0, 0, 0 };
	const char *p = text, *q;
	size_t i;

	for (i = 0; i < n; i++) {
		char *needle = rv_xasprintf("%s%s\"", SLOT_DUMPED, key[i]);
		if ((q = strstr(p, needle))) {
			arr_put(&out, p, (size_t)(q - p));
			arr_put(&out, val[i], strlen(val[i]));
			p = q + strlen(needle);
		}
		free(needle);
		free(val[i]);
	}
	arr_put(&out, p, strlen(p));
	free(text);
	return out.buf;
}

/* set the empty string value of the first "key": "" in *text to value */
static void fill_slot(char **text, const char *key, const char *value)
{
	char *needle = rv_xasprintf("\"%s\": \"", key), *q = strstr(*text, needle);
	size_t len = strlen(*text), n = strlen(value), at;

	if (q) {
		at = (size_t)(q - *text) + strlen(needle);
		*text = rv_xrealloc(*text, len + n + 1);
		memmove(*text + at + n, *text + at, len - at + 1);
		memcpy(*text + at, value, n);
	}
	free(needle);
}

static json_t *spdx_checksums(const char *hex, int algo)
{
	const char *n = algo_name(algo, hex, 0);
	if (!n)
		return NULL;
	return json_pack("[{s:s,s:s}]", "algorithm", n, "checksumValue", hex);
}

static void rel(json_t *rels, const char *a, const char *type, const char *b)
{
	json_array_append_new(rels, json_pack("{s:s,s:s,s:s}", "spdxElementId", a,
					      "relationshipType", type, "relatedSpdxElement", b));
}

static int rel_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	static const char *const k[] = { "spdxElementId", "relationshipType", "relatedSpdxElement" };
	int c = 0;
	for (size_t i = 0; i < 3 && !c; i++)
		c = strcmp(js(x, k[i]), js(y, k[i]));
	return c;
}

static json_t *spdx_package(struct exp *x, json_t *p, struct arr *files, json_t *rels)
{
	char *id = spdx_id(p), *e = evr(p), *purl = purl_of(x, p), *dl = origin_url(js(p, "origin"));
	char *sup = js(p, "vendor") ? rv_xasprintf("Organization: %s", js(p, "vendor")) : NULL;
	int spdx;
	char *lic = licence(x, js(p, "license"), &spdx);
	json_t *o = json_object(), *ann = json_array(), *f, *fa = facts(x, p, 0), *ck;
	size_t i;

	json_object_set_new(o, "SPDXID", json_string(id));
	json_object_set_new(o, "name", jstr(js(p, "name")));
	json_object_set_new(o, "versionInfo", jstr(e));
	json_object_set_new(o, "supplier", jstr(sup ? sup : "NOASSERTION"));
	json_object_set_new(o, "downloadLocation", jstr(dl ? dl : "NOASSERTION"));
	json_object_set_new(o, "filesAnalyzed", json_false());
	if ((ck = spdx_checksums(js(p, "sha256"), 8)))
		json_object_set_new(o, "checksums", ck);
	json_object_set_new(o, "licenseConcluded", json_string("NOASSERTION"));
	json_object_set_new(o, "licenseDeclared", jstr(lic ? lic : "NOASSERTION"));
	json_object_set_new(o, "copyrightText", json_string("NOASSERTION"));
	json_object_set_new(o, "externalRefs", json_pack("[{s:s,s:s,s:s}]", "referenceCategory",
							 "PACKAGE-MANAGER", "referenceType", "purl",
							 "referenceLocator", purl));
	json_object_set_new(o, "primaryPackagePurpose", json_string(is_source(p) ? "SOURCE" : "LIBRARY"));
	json_array_foreach(fa, i, f)
		json_array_append_new(ann, json_pack("{s:s,s:s,s:s,s:o}", "annotationDate", js(p, "admitted_at"),
						     "annotationType", "OTHER", "annotator", x->tool,
						     "comment", json_sprintf("%s: %s",
									     json_string_value(json_array_get(f, 0)),
									     json_string_value(json_array_get(f, 1)))));
	sort_objects(ann, "comment");
	json_object_set_new(o, "annotations", ann);
	if (lic && !spdx)
		json_object_set_new(x->extracted, lic, jstr(js(p, "license")));
	rel(rels, "SPDXRef-DOCUMENT", "DESCRIBES", id);
	json_array_foreach(json_object_get(p, "files"), i, f) {
		char *key = spdx_key(p), *fid = rv_xasprintf("SPDXRef-File-%s-%zu", key, i + 1);
		json_t *fo, *fck = spdx_checksums(js(f, "digest"),
						  (int)json_integer_value(json_object_get(f, "digest_algo")));
		free(key);
		if (!fck) { /* SPDX files need a checksum: a file recorded without one is left out */
			free(fid);
			continue;
		}
		fo = json_object();
		json_object_set_new(fo, "SPDXID", json_string(fid));
		json_object_set_new(fo, "fileName", jstr(js(f, "path")));
		json_object_set_new(fo, "fileTypes", json_pack("[s]", file_type(js(f, "kind"), js(f, "path"))));
		json_object_set_new(fo, "checksums", fck);
		json_object_set_new(fo, "licenseConcluded", json_string("NOASSERTION"));
		json_object_set_new(fo, "copyrightText", json_string("NOASSERTION"));
		json_object_set_new(fo, "comment", json_sprintf("rpm %s of %s", js(f, "kind"), js(p, "nevra")));
		arr_add(files, fo);
		rel(rels, id, "CONTAINS", fid);
		free(fid);
	}
	json_decref(fa);
	free(id);
	free(e);
	free(purl);
	free(dl);
	free(sup);
	free(lic);
	return o;
}

static json_t *cdx_hashes(const char *hex, int algo)
{
	const char *n = algo_name(algo, hex, 1);
	return n ? json_pack("[{s:s,s:s}]", "alg", n, "content", hex) : NULL;
}

static json_t *cdx_component(struct exp *x, json_t *p, json_t *srcs)
{
	char *e = evr(p), *purl = purl_of(x, p), *dl = origin_url(js(p, "origin"));
	int spdx;
	char *lic = licence(x, js(p, "license"), &spdx);
	json_t *o = json_object(), *props = json_array(), *f, *fa = facts(x, p, 1), *h, *sub, *src;
	size_t i;

	json_object_set_new(o, "type", json_string("library"));
	json_object_set_new(o, "bom-ref", json_string(purl));
	if (js(p, "vendor"))
		json_object_set_new(o, "supplier", json_pack("{s:o}", "name", jstr(js(p, "vendor"))));
	if (js(p, "packager"))
		json_object_set_new(o, "publisher", jstr(js(p, "packager")));
	json_object_set_new(o, "name", jstr(js(p, "name")));
	json_object_set_new(o, "version", jstr(e));
	if ((h = cdx_hashes(js(p, "sha256"), 8)))
		json_object_set_new(o, "hashes", h);
	if (lic)
		json_object_set_new(o, "licenses", spdx ? json_pack("[{s:s}]", "expression", lic)
				    : json_pack("[{s:{s:o}}]", "license", "name", jstr(js(p, "license"))));
	json_object_set_new(o, "purl", json_string(purl));
	if (dl)
		json_object_set_new(o, "externalReferences", json_pack("[{s:s,s:s}]", "type", "distribution",
								       "url", dl));
	if ((src = source_of(x, srcs, p))) {
		char *se = evr(src), *sp = purl_of(x, src);
		json_object_set_new(o, "pedigree", json_pack("{s:[{s:s,s:o,s:s,s:s}]}", "ancestors", "type", "library",
							     "name", jstr(js(src, "name")), "version", se, "purl", sp));
		free(se);
		free(sp);
	}
	json_array_foreach(fa, i, f)
		json_array_append_new(props, json_pack("{s:O,s:O}", "name", json_array_get(f, 0),
						       "value", json_array_get(f, 1)));
	sort_objects(props, "name");
	json_object_set_new(o, "properties", props);
	sub = json_array();
	json_array_foreach(json_object_get(p, "files"), i, f) {
		json_t *fo = json_object();
		json_object_set_new(fo, "type", json_string("file"));
		json_object_set_new(fo, "bom-ref", json_sprintf("%s#%zu", purl, i + 1));
		json_object_set_new(fo, "name", jstr(js(f, "path")));
		if ((h = cdx_hashes(js(f, "digest"), (int)json_integer_value(json_object_get(f, "digest_algo")))))
			json_object_set_new(fo, "hashes", h);
		json_object_set_new(fo, "properties", json_pack("[{s:s,s:o}]", "name", "rpm:file-kind",
								"value", jstr(js(f, "kind"))));
		json_array_append_new(sub, fo);
	}
	if (json_array_size(sub))
		json_object_set_new(o, "components", sub);
	else
		json_decref(sub);
	json_decref(fa);
	free(e);
	free(purl);
	free(dl);
	free(lic);
	return o;
}

/* a UUID (version 5 layout) from the SHA-256 of text */
static void content_uuid(const char *text, char out[37])
{
	char h[65];
	rv_sha256_hex(text, strlen(text), h);
	h[12] = '5';
	h[16] = "89ab"[strtol((char[]){ h[16], 0 }, NULL, 16) & 3];
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

static char *dump(json_t *doc)
{
	return json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

static char *head_text(struct exp *x)
{
	if (json_is_null(x->head) || !x->head)
		return rv_xstrdup("none");
	return rv_xasprintf("#%lld %s", (long long)json_integer_value(json_object_get(x->head, "id")),
			    js(x->head, "hash"));
}

static const char *policy_sha(struct exp *x)
{
	const char *s = x->head ? js(x->head, "policy_sha256") : NULL;
	return s ? s : rv_repo_policy_sha256(x->repo);
}

static const char *created(struct exp *x)
{
	const char *t = x->head ? js(x->head, "time") : NULL;
	return t ? t : "1970-01-01T00:00:00Z";
}

static char *spdx_document(struct exp *x)
{
	static const char *const slots[] = { "packages", "files", "relationships" };
	json_t *doc = json_object(), *rels = json_array();
	json_t *srcs = sources_by_file(x->pkgs), *p, *src, *ex = json_array(), *keys = json_array();
	struct arr pkgs = { NULL, 0, 0, 0 }, files = { NULL, 0, 0, 0 }, rarr = { NULL, 0, 0, 0 };
	char *head = head_text(x), *safe = id_safe(x->repo_ns), *text, *ns, uuid[37], *val[3];
	const char *k;
	json_t *v;
	size_t i, n;

	json_array_foreach(x->pkgs, i, p) {
		arr_add(&pkgs, spdx_package(x, p, &files, rels));
		if ((src = source_of(x, srcs, p))) {
			char *a = spdx_id(p), *b = spdx_id(src);
			rel(rels, a, "GENERATED_FROM", b);
			free(a);
			free(b);
		}
	}
	/* relationships sorted */
	n = json_array_size(rels);
	{
		json_t **r = rv_xcalloc(n + 1, sizeof(json_t *));
		for (i = 0; i < n; i++)
			r[i] = json_incref(json_array_get(rels, i));
		json_decref(rels);
		qsort(r, n, sizeof(json_t *), rel_cmp);
		for (i = 0; i < n; i++)
			arr_add(&rarr, r[i]);
		free(r);
	}
	json_object_foreach(x->extracted, k, v)
		json_array_append_new(keys, json_string(k));
	sort_strings(keys);
	json_array_foreach(keys, i, v)
		json_array_append_new(ex, json_pack("{s:O,s:O,s:O}", "licenseId", v, "extractedText",
						    json_object_get(x->extracted, json_string_value(v)),
						    "name", json_object_get(x->extracted, json_string_value(v))));
	json_decref(keys);
	/* the rows are done with: freed before the text is joined, so both are never alive at once */
	json_decref(srcs);
	json_decref(x->pkgs);
	x->pkgs = srcs = NULL;
	json_object_set_new(doc, "spdxVersion", json_string("SPDX-2.3"));
	json_object_set_new(doc, "dataLicense", json_string("CC0-1.0"));
	json_object_set_new(doc, "SPDXID", json_string("SPDXRef-DOCUMENT"));
	json_object_set_new(doc, "name", json_sprintf("rpmvet repository %s", x->repo_ns));
	json_object_set_new(doc, "documentNamespace", json_string(""));
	json_object_set_new(doc, "creationInfo",
			    json_pack("{s:s,s:[s],s:o}", "created", created(x), "creators", x->tool, "comment",
				      json_sprintf("policy sha256 %s; event chain head %s",
						   policy_sha(x), head)));
	json_object_set_new(doc, "packages", json_string(SLOT "packages"));
	if (files.n)
		json_object_set_new(doc, "files", json_string(SLOT "files"));
	if (json_array_size(ex))
		json_object_set_new(doc, "hasExtractedLicensingInfos", ex);
	else
		json_decref(ex);
	json_object_set_new(doc, "relationships", json_string(SLOT "relationships"));
	val[0] = arr_text(&pkgs);
	val[1] = arr_text(&files);
	val[2] = arr_text(&rarr);
	text = splice(dump(doc), slots, val, 3);
	json_decref(doc);
	/* the namespace: from the text with it empty */
	content_uuid(text, uuid);
	ns = rv_xasprintf("https://rpmvet.invalid/spdxdocs/%s-%s", safe, uuid);
	fill_slot(&text, "documentNamespace", ns);
	free(ns);
	free(head);
	free(safe);
	return text;
}

static char *cdx_document(struct exp *x)
{
	static const char *const slots[] = { "components" };
	json_t *doc = json_object(), *srcs = sources_by_file(x->pkgs), *p;
	struct arr comps = { NULL, 0, 0, 0 };
	char *head = head_text(x), *text, uuid[37], *val[1], serial[64];
	size_t i;

	json_array_foreach(x->pkgs, i, p)
		arr_add(&comps, cdx_component(x, p, srcs));
	json_decref(srcs);
	json_decref(x->pkgs);
	x->pkgs = srcs = NULL;
	json_object_set_new(doc, "bomFormat", json_string("CycloneDX"));
	json_object_set_new(doc, "specVersion", json_string("1.6"));
	json_object_set_new(doc, "serialNumber", json_string(""));
	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "metadata", json_pack(
		"{s:s,s:{s:[{s:s,s:s,s:s}]},s:[{s:s,s:s},{s:s,s:s},{s:s,s:o}]}",
		"timestamp", created(x),
		"tools", "components", "type", "application", "name", "rpmvet", "version", RV_VERSION,
		"properties", "name", "rpmvet:event-chain-head", "value", head,
		"name", "rpmvet:policy-sha256", "value", policy_sha(x),
		"name", "rpmvet:repository", "value", jstr(x->repo_ns)));
	json_object_set_new(doc, "components", json_string(SLOT "components"));
	val[0] = arr_text(&comps);
	text = splice(dump(doc), slots, val, 1);
	json_decref(doc);
	/* the serial number: from the text with it empty */
	content_uuid(text, uuid);
	snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
	fill_slot(&text, "serialNumber", serial);
	free(head);
	return text;
}

/* keep only the packages named (NEVRA or name); each name must match one */
static int select_packages(struct exp *x, struct rv_error **err)
{
	const struct rv_export_options *o = x->o;
	json_t *keep, *p;
	size_t i, j;
	char *used;

	if (!o->npackages)
		return 0;
	keep = json_array();
	used = rv_xcalloc(o->npackages, 1);
	json_array_foreach(x->pkgs, i, p) {
		int hit = 0;
		for (j = 0; j < o->npackages; j++)
			if (!strcmp(o->packages[j], js(p, "nevra")) || !strcmp(o->packages[j], js(p, "name")))
				hit = used[j] = 1;
		if (hit)
			json_array_append(keep, p);
	}
	for (j = 0; j < o->npackages && used[j]; j++)
		;
	if (j < o->npackages) {
		int rc = rv_error_set(err, RV_ENOTFOUND, "no package '%s' in the repository at that instant",
				      o->packages[j]);
		free(used);
		json_decref(keep);
		return rc;
	}
	free(used);
	json_decref(x->pkgs);
	x->pkgs = keep;
	return 0;
}

int rv_repo_export(struct rv_repo *repo, const struct rv_export_options *o, char **doc,
		   char ***warnings, struct rv_error **err)
{
	struct exp x;
	const char *base;
	char *w = NULL;
	int rc;

	*doc = NULL;
	*warnings = NULL;
	if (o->format != RV_EXPORT_SPDX && o->format != RV_EXPORT_CYCLONEDX)
		return rv_error_set(err, RV_EINVAL, "unknown export format %d", (int)o->format);
	memset(&x, 0, sizeof(x));
	x.repo = repo;
	x.o = o;
	x.warnings = warnings;
	if ((rc = rv_store_export_rows(repo->st, o->at, &x.pkgs, &x.head, err)))
		return rc;
	if ((rc = select_packages(&x, err))) {
		json_decref(x.pkgs);
		json_decref(x.head);
		return rc;
	}
	rv_policy_export_purl(repo->pol, &x.pol_ns, &x.pol_distro);
	/* the fallback namespace: the repository directory's name, lower case, made a purl word */
	w = rv_xstrdup(repo->dir);
	while (strlen(w) > 1 && w[strlen(w) - 1] == '/')
		w[strlen(w) - 1] = '\0';
	base = strrchr(w, '/') ? strrchr(w, '/') + 1 : w;
	x.repo_ns = id_safe(*base ? base : "repository");
	for (char *c = x.repo_ns; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	free(w);
	snprintf(x.tool, sizeof(x.tool), "Tool: rpmvet-%s", RV_VERSION);
	rv_licpolicy_init(&x.lp);
	x.extracted = json_object();
	*doc = o->format == RV_EXPORT_SPDX ? spdx_document(&x) : cdx_document(&x);
	rv_licpolicy_release(&x.lp);
	json_decref(x.extracted);
	json_decref(x.pkgs);
	json_decref(x.head);
	free(x.repo_ns);
	if (!*doc) {
		rv_strv_free(*warnings);
		*warnings = NULL;
		return rv_error_set(err, RV_EIO, "cannot render the export document");
	}
	return 0;
}
