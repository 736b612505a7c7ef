/* SPDX-License-Identifier: MIT */
/* license: SPDX expression parser and evaluator against license categories. */
#ifndef RV_LICENSE_H
#define RV_LICENSE_H

#include "rpmvet.h"

#include <stdint.h>

/* Fedora-style license categories, as bits. */
enum {
	RV_CAT_ALLOWED = 1 << 0,
	RV_CAT_CONTENT = 1 << 1,
	RV_CAT_DOCUMENTATION = 1 << 2,
	RV_CAT_FONTS = 1 << 3,
	RV_CAT_FIRMWARE = 1 << 4,
	RV_CAT_NOT_ALLOWED = 1 << 5,
};

/* In a legacy map: the abbreviation maps to several SPDX expressions. */
#define RV_LICMAP_AMBIGUOUS (1u << 31)

/* The bit of a category name ("allowed-content"), or 0 when unknown. */
unsigned rv_category_bit(const char *name);
/* "allowed, allowed-content" for a set of bits, into buf. */
const char *rv_category_names(unsigned cats, char *buf, size_t len);

/* id -> categories (an id, "ID+" or "ID WITH EXC"), case-insensitive. */
struct rv_licmap {
	struct rv_licmap_entry {
		char *key;
		unsigned cats;
		char *value;      /* for legacy maps: the SPDX expression */
	} *v;
	size_t n, cap;
	int sorted;
};
void rv_licmap_set(struct rv_licmap *m, const char *key, unsigned cats,
		   const char *value);
const struct rv_licmap_entry *rv_licmap_get(const struct rv_licmap *m,
					    const char *key);
void rv_licmap_sort(struct rv_licmap *m);
void rv_licmap_release(struct rv_licmap *m);

struct rv_lic_exception {
	char *package;   /* package-name glob */
	char *license;   /* the license term it allows */
	char *reason;
	int64_t expires; /* 0 = never; the exception ends at this instant */
	int line;        /* in the policy file */
};

struct rv_lic_accept_for {
	char **packages; /* globs */
	size_t npackages;
	unsigned cats;
};

/* The license section of a policy. */
struct rv_licpolicy {
	unsigned accept;                 /* categories every package accepts */
	struct rv_lic_accept_for *accept_for;
	size_t naccept_for;
	char **allow, **deny;            /* license terms always / never acceptable */
	size_t nallow, ndeny;
	struct rv_licmap categories;     /* from the license data and the policy */
	struct rv_licmap legacy;         /* legacy (Callaway) abbreviation -> SPDX */
	struct rv_lic_exception *exceptions;
	size_t nexceptions;
	enum rv_severity deprecated_sev; /* a deprecated SPDX id */
	enum rv_severity case_sev;       /* an id in the wrong case */
	enum rv_severity addition_sev;   /* WITH AdditionRef-: SPDX 3.0, not 2.3 */
};

void rv_licpolicy_init(struct rv_licpolicy *lp);
void rv_licpolicy_release(struct rv_licpolicy *lp);

/* The outcome of checking one expression. */
struct rv_license_eval {
	int spdx;                /* valid SPDX 2.3: syntax, known ids or LicenseRef- */
	int acceptable;          /* some choice of OR branches is acceptable */
	char *canonical;         /* the expression with canonical ids, or NULL */
	struct rv_finding *findings;
	size_t nfindings;
};

/*
 * Parse and evaluate expr for package (may be NULL) under lp at time now.
 * Findings use check "license".  Never fails: bad input is a finding.
 */
void rv_license_eval(struct rv_license_eval *out, const struct rv_licpolicy *lp,
		     const char *expr, const char *package, time_t now);
void rv_license_eval_release(struct rv_license_eval *ev);

/* The policy's closure section: 1 (and o, *sev) when the closure stage runs. */
int rv_policy_closure(const struct rv_policy *pol, struct rv_closure_options *o,
		      enum rv_severity *sev);

/* repo.allow-replace of a policy (policy.c) */
int rv_policy_allow_replace(const struct rv_policy *pol);
/* upstream.repomd-signature: required (a fetched repomd.xml must be signed). */
int rv_policy_repomd_signature_required(const struct rv_policy *pol);

/* export.purl-namespace and export.purl-distro of a policy (NULL when unset) */
void rv_policy_export_purl(const struct rv_policy *pol, const char **ns, const char **distro);

/* provenance.upstream-signature of a policy (policy.c); if-present when pol is NULL */
enum { RV_UPSIG_IF_PRESENT = 0, RV_UPSIG_REQUIRED, RV_UPSIG_OFF };
int rv_policy_upstream_signature(const struct rv_policy *pol);

/* policies/default.yaml as embedded at build time (len bytes, NUL-terminated). */
const char *rv_policy_default_text(size_t *len);

/* headers.invalid-text of a policy: 1 for escape, 0 for reject (also when pol is NULL) */
int rv_policy_text_escape(const struct rv_policy *pol);

#endif
