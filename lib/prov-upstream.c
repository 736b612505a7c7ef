/* SPDX-License-Identifier: MIT */
/*
 * prov-upstream: upstream tarball signatures and key continuity (provenance
 * stage, issue 10 part 2).  A source package that embeds a file NAME with a
 * detached signature NAME.asc, NAME.sig or NAME.sign and a keyring (*.gpg,
 * *.keyring, an *.asc holding keys, gpgkey-*) has the signature verified
 * with gpgme against that keyring only (keys.c).  Files are told apart by
 * name and by content (an .asc holds a signature or keys).  The payload is
 * streamed twice: the first pass keeps the small signature and keyring
 * files, the second streams each signed file to gpg; nothing is unpacked.
 * Key continuity (admission) compares the signers with those recorded for
 * the latest admission of the same name.
 */
#include "stage.h"
#include "curated.h"
#include "error.h"
#include "facts.h"
#include "judge.h"
#include "keys.h"
#include "license.h"
#include "pkg.h"
#include "report.h"
#include "store.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_KEEP (1u << 20)     /* a signature or keyring file kept in memory, at most */
#define MAX_KEPT (16u << 20)    /* all of them together */

enum kind { K_OTHER = 0, K_SIG, K_KEYS };

struct efile {
	char *name;             /* as stored (untrusted) */
	enum kind kind;
	char *data;             /* K_SIG and K_KEYS: the content */
	size_t len;
	int target;             /* K_SIG: index of the file it signs, -1 when not embedded */
};

struct scan {
	struct efile *v;
	size_t n, cap, kept;
	/* second pass */
	struct rv_stage_ctx *c;
	const struct rv_keyring_part *keys;
	size_t nkeys;
	struct rv_error **err;
	struct rv_embedded *cur;
	struct rv_error *rerr;  /* a read error inside gpg's callback */
	int good;               /* signatures that verified */
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

static int sig_name(const char *s)
{
	return ends_with(s, ".asc") || ends_with(s, ".sig") || ends_with(s, ".sign");
}

static int key_name(const char *s)
{
	return ends_with(s, ".gpg") || ends_with(s, ".keyring") || ends_with(s, ".asc") ||
	       !strncmp(s, "gpgkey-", 7);
}

/* The OpenPGP packet tag of the first packet, -1 when it is not one. */
static int first_tag(const unsigned char *p, size_t n)
{
	if (!n || !(p[0] & 0x80))
		return -1;
	return p[0] & 0x40 ? p[0] & 0x3f : (p[0] >> 2) & 0x0f;
}

/* What a signature or keyring candidate holds: armor headers, else the first packet. */
static enum kind content_kind(const char *d, size_t n)
{
	if (memmem(d, n, "-----BEGIN PGP SIGNATURE-----", 29))
		return K_SIG;
	if (memmem(d, n, "-----BEGIN PGP PUBLIC KEY BLOCK-----", 36))
		return K_KEYS;
	switch (first_tag((const unsigned char *)d, n)) {
	case 2: return K_SIG;
	case 6: return K_KEYS;
	default: return K_OTHER;
	}
}

/* Read all of e (small) into *out. */
static int slurp(struct rv_embedded *e, char **out, size_t *len, struct rv_error **err)
{
	size_t n = (size_t)rv_embedded_size(e), got = 0;
	char *buf = rv_xmalloc(n + 1);
	ssize_t r;

	while (got < n && (r = rv_embedded_read(e, buf + got, n - got, err)) > 0)
		got += (size_t)r;
	if (got < n) {
		free(buf);
		return err && *err ? (*err)->code : RV_EIO;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* First pass: every file's name; signature and keyring candidates kept. */
static int collect(struct rv_embedded *e, void *data)
{
	struct scan *sc = data;
	const char *name = rv_embedded_name(e);
	uint64_t size = rv_embedded_size(e);
	struct efile *f;

	rv_grow((void **)&sc->v, &sc->cap, sc->n + 1, sizeof(*sc->v));
	f = &sc->v[sc->n++];
	memset(f, 0, sizeof(*f));
	f->name = rv_xstrdup(name);
	f->target = -1;
	if ((sig_name(name) || key_name(name)) && size <= MAX_KEEP &&
	    sc->kept + size <= MAX_KEPT) {
		int rc = slurp(e, &f->data, &f->len, sc->err);
		if (rc)
			return rc;
		sc->kept += f->len;
		f->kind = content_kind(f->data, f->len);
		if ((f->kind == K_SIG && !sig_name(name)) || (f->kind == K_KEYS && !key_name(name)))
			f->kind = K_OTHER;
		if (f->kind == K_OTHER) {
			free(f->data);
			f->data = NULL;
		}
	}
	return 0;
}

static long read_embedded(void *data, void *buf, size_t len)
{
	struct scan *sc = data;

	if (sc->rerr)
		return -1;
	return (long)rv_embedded_read(sc->cur, buf, len, &sc->rerr);
}

static void add_signer(struct rv_facts *f, const char *file, const char *sig,
		       const struct rv_upstream_check *ck)
{
	struct rv_upstream_signer *u;
	size_t i, n = 0;

	f->upstream = rv_xrealloc(f->upstream, (f->nupstream + 1) * sizeof(*f->upstream));
	u = &f->upstream[f->nupstream++];
	u->file = rv_text_escape(file, 0);
	u->signature = rv_text_escape(sig, 0);
	u->fingerprint = rv_xstrdup(ck->fpr);
	u->certifiers = NULL;
	for (i = 0; ck->certifiers && ck->certifiers[i]; i++)
		n++;
	if (n) {
		u->certifiers = rv_xcalloc(n + 1, sizeof(*u->certifiers));
		for (i = 0; i < n; i++)
			u->certifiers[i] = rv_xstrdup(ck->certifiers[i]);
	}
}

/* The finding of one verified signature (both names already escaped). */
static void judge_one(struct scan *sc, const char *file, const char *sig,
		      const struct rv_upstream_check *ck)
{
	struct rv_result *res = sc->c->res;

	switch (ck->status) {
	case RV_GPG_GOOD:
		if (sc->c->facts)
			add_signer(sc->c->facts, file, sig, ck);
		sc->good++;
		if (ck->revoked)
			rv_finding_add(res, "provenance.upstream-signature.revoked-key",
				       "upstream signature '%s' over '%s' is by the revoked key %s",
				       sig, file, ck->fpr);
		else if (ck->expired)
			rv_finding_add(res, "provenance.upstream-signature.expired-key",
				       "upstream signature '%s' over '%s' is by the key %s, expired at the instant judged",
				       sig, file, ck->fpr);
		else
			rv_finding_add(res, "provenance.upstream-signature.good",
				       "upstream signature '%s' over '%s' is good: signed by %s",
				       sig, file, ck->fpr);
		break;
	case RV_GPG_NOKEY:
		rv_finding_add(res, "provenance.upstream-signature.unknown-key",
			       "upstream signature '%s' over '%s' is by key %s, which is not in the embedded keyring",
			       sig, file, ck->fpr[0] ? ck->fpr : "(unnamed)");
		break;
	case RV_GPG_BAD:
		rv_finding_add(res, "provenance.upstream-signature.bad",
			       "bad upstream signature '%s' over '%s' (key %s): the file is not what was signed",
			       sig, file, ck->fpr[0] ? ck->fpr : "(unnamed)");
		break;
	default:
		rv_finding_add(res, "provenance.upstream-signature.bad",
			       "upstream signature '%s' over '%s' cannot be read by gpg",
			       sig, file);
	}
}

/* Second pass: each signed file streamed to gpg with its (first) signature. */
static int check_signed(struct rv_embedded *e, void *data)
{
	struct scan *sc = data;
	const char *name = rv_embedded_name(e);
	struct rv_upstream_check ck;
	size_t i, t;
	int rc;

	for (t = 0; t < sc->n && strcmp(sc->v[t].name, name); t++)
		;
	for (i = 0; i < sc->n; i++)
		if (sc->v[i].kind == K_SIG && sc->v[i].target == (int)t)
			break;
	if (t == sc->n || i == sc->n)
		return 0;
	sc->v[i].target = -2;   /* checked: a second copy of the name is not */
	sc->cur = e;
	rc = rv_keys_verify_detached(sc->keys, sc->nkeys, sc->v[i].data, sc->v[i].len,
				     read_embedded, sc, sc->c->now, &ck, sc->err);
	sc->cur = NULL;
	if (sc->rerr) {
		rv_error_free(*sc->err);
		*sc->err = sc->rerr;
		sc->rerr = NULL;
		rv_upstream_check_clear(&ck);
		return (*sc->err)->code;
	}
	if (!rc) {
		char *f = rv_text_escape(name, 0), *s = rv_text_escape(sc->v[i].name, 0);
		judge_one(sc, f, s, &ck);
		free(f);
		free(s);
	}
	rv_upstream_check_clear(&ck);
	return rc;
}

static void scan_free(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++) {
		free(sc->v[i].name);
		free(sc->v[i].data);
	}
	free(sc->v);
}

/* Match each signature NAME.ext to the embedded NAME. */
static void match_targets(struct scan *sc)
{
	size_t i, j;

	for (i = 0; i < sc->n; i++) {
		const char *s = sc->v[i].name;
		size_t cut;
		if (sc->v[i].kind != K_SIG)
			continue;
		cut = strlen(s) - (ends_with(s, ".sign") ? 5 : 4);
		for (j = 0; j < sc->n; j++)
			if (j != i && strlen(sc->v[j].name) == cut &&
			    !strncmp(sc->v[j].name, s, cut) && sc->v[j].kind != K_SIG)
				sc->v[i].target = (int)j;
	}
}

/* A payload already found damaged (rejected whatever the policy) is not read again. */
static int payload_damaged(const struct rv_result *res)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		if (!strcmp(res->findings[i].code, "digest.payload.bad") ||
		    !strncmp(res->findings[i].code, "package.", 8))
			return 1;
	return 0;
}

int rv_prov_upstream(struct rv_stage_ctx *c, struct rv_error **err)
{
	int mode = rv_policy_upstream_signature(c->pol), rc;
	const char *path = c->staged ? c->staged : c->res->path;
	struct rv_keyring_part *keys = NULL;
	struct scan sc;
	size_t i, nkeys = 0, nsigs = 0, ntargets = 0;
	char *first_key = NULL;

	if (mode == RV_UPSIG_OFF || !c->res->is_source || payload_damaged(c->res))
		return 0;
	memset(&sc, 0, sizeof(sc));
	sc.c = c;
	sc.err = err;
	if ((rc = rv_pkg_embedded_each(path, collect, &sc, err)) < 0)
		goto out;
	match_targets(&sc);
	keys = rv_xcalloc(sc.n + 1, sizeof(*keys));
	for (i = 0; i < sc.n; i++) {
		struct efile *f = &sc.v[i];
		if (f->kind == K_KEYS) {
			keys[nkeys].data = f->data;
			keys[nkeys++].len = f->len;
			if (!first_key)
				first_key = rv_text_escape(f->name, 0);
		} else if (f->kind == K_SIG) {
			char *s = rv_text_escape(f->name, 0);
			nsigs++;
			if (f->target < 0) {
				rv_finding_add(c->res, "provenance.upstream-signature.unchecked",
					       "ships the signature '%s', but not the file it signs: nothing checks it",
					       s);
			} else {
				ntargets++;
			}
			free(s);
		}
	}
	if (ntargets && !nkeys) {
		for (i = 0; i < sc.n; i++)
			if (sc.v[i].kind == K_SIG && sc.v[i].target >= 0) {
				char *s = rv_text_escape(sc.v[i].name, 0);
				char *t = rv_text_escape(sc.v[sc.v[i].target].name, 0);
				rv_finding_add(c->res, "provenance.upstream-signature.no-keyring",
					       "upstream signature '%s' over '%s' has no keyring in the package: it is not checked",
					       s, t);
				free(s);
				free(t);
			}
	} else if (nkeys && !nsigs) {
		rv_finding_add(c->res, "provenance.upstream-signature.no-signature",
			       "the package embeds the keyring '%s' but no upstream signature",
			       first_key);
	} else if (ntargets && nkeys) {
		sc.keys = keys;
		sc.nkeys = nkeys;
		if ((rc = rv_pkg_embedded_each(path, check_signed, &sc, err)) < 0)
			goto out;
	}
	if (mode == RV_UPSIG_REQUIRED && !sc.good)
		rv_finding_add(c->res, "provenance.upstream-signature.missing",
			       "no upstream signature verified: the policy requires one (provenance.upstream-signature: required)");
	rc = 0;
out:
	free(first_key);
	free(keys);
	scan_free(&sc);
	return rc;
}

/* ---- key continuity (admission, in input order) ------------------------- */

static int has(char *const *v, const char *s)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

/* The signers of the latest package named like f admitted earlier in this run, if any. */
static const struct rv_facts *pending_same(const struct rv_repo_view *view,
					   const struct rv_result *res, const struct rv_facts *f)
{
	size_t i;

	for (i = view->npending; i-- > 0;) {
		const struct rv_facts *p = view->pending[i]->internal;
		if (p && p->nupstream && !strcmp(p->name, f->name) &&
		    view->pending[i]->is_source == res->is_source)
			return p;
	}
	return NULL;
}

int rv_prov_upstream_continuity(struct rv_stage_ctx *c, struct rv_error **err)
{
	struct rv_facts *f = c->facts;
	const struct rv_facts *p;
	char **old = NULL, *old_nevra = NULL;
	size_t i, j;
	int rc = 0, known = 0;

	if (!c->repo || !f || !f->nupstream)
		return 0;
	if ((p = pending_same(c->repo, c->res, f))) {
		size_t cap = 0;
		for (i = 0; i < p->nupstream; i++) {
			rv_grow((void **)&old, &cap, i + 2, sizeof(*old));
			old[i] = rv_xstrdup(p->upstream[i].fingerprint);
			old[i + 1] = NULL;
		}
		old_nevra = rv_xasprintf("%s-%s-%s.%s", p->name, p->version, p->release, p->arch);
	} else if ((rc = rv_store_upstream_signers(c->repo->repo->st, f->name,
						   c->res->is_source, &old, &old_nevra, err))) {
		return rc;
	}
	for (i = 0; old && i < f->nupstream; i++) {
		const struct rv_upstream_signer *u = &f->upstream[i];
		if (has(old, u->fingerprint))
			continue;
		for (j = 0, known = 0; old[j] && !known; j++)
			known = has(u->certifiers, old[j]);
		if (known)
			continue;
		rv_finding_add(c->res, "provenance.upstream-key-changed",
			       "upstream key changed: '%s' is signed by %s, but %s was signed by %s, and the new key is not certified by the old one",
			       u->file, u->fingerprint, old_nevra, old[0]);
	}
	if (old && c->res->nfindings)
		rv_judge(c->res, c->pol, c->now);
	rv_strv_free(old);
	free(old_nevra);
	return 0;
}
