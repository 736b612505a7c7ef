/* SPDX-License-Identifier: MIT */
/*
 * prov: the provenance stage's parts (stage-provenance.c runs them, one
 * function per part, each in its own file), what they share (the dist-git
 * sources ledger, prov-sources.c) and the policy's provenance: section as
 * they read it.
 */
#ifndef RV_PROV_H
#define RV_PROV_H

#include "rpmvet.h"

#include <stddef.h>
#include <stdint.h>

struct rv_stage_ctx;
struct rv_policy;

/* provenance.sources: whether a package without a ledger is a finding. */
enum rv_prov_sources_mode {
	RV_PROV_SOURCES_IF_PRESENT = 0,  /* the default */
	RV_PROV_SOURCES_REQUIRED,
	RV_PROV_SOURCES_OFF,
};
enum rv_prov_sources_mode rv_policy_prov_sources(const struct rv_policy *pol);

/* One line of a sources ledger. */
struct rv_ledger_entry {
	char *name;
	const char *alg;        /* "SHA512", ..., "MD5" (static) */
	int algo;               /* librpm hash algorithm */
	char hex[129];          /* lower case */
	int line;
	int seen;               /* an embedded file of that name was checked */
};

struct rv_ledger {
	struct rv_ledger_entry *v;
	size_t n;
};

/*
 * Parse a dist-git `sources` file's text: BSD-tag lines `ALG (name) = hex`
 * (SHA512, SHA384, SHA256, SHA224, SHA1, MD5) and legacy `md5hex  name`
 * lines; blank lines are skipped.  A line that is neither is a
 * provenance.sources.unparseable finding in res as FILE:LINE (fname), a name
 * holding '/', "..", or a control character is provenance.sources.hostile-name
 * and its line is dropped, more than one algorithm is mixed-algorithms.
 */
void rv_ledger_parse(struct rv_ledger *out, const char *text, size_t len, const char *fname,
		     struct rv_result *res);
void rv_ledger_release(struct rv_ledger *l);

/* Non-zero when a file name cannot be taken as a name: '/', "..", a control character. */
int rv_prov_hostile_name(const char *name);

/* The parts of the provenance stage, one file each. */
int rv_prov_sources(struct rv_stage_ctx *c, struct rv_error **err);        /* prov-sources.c */


/* provenance.header: NULL lists and 0 instants are "no rule". */
struct rv_prov_header_rules {
	char **vendor, **packager, **buildhost;  /* glob patterns (fnmatch), any one matches */
	char *dist;                             /* the release's dist tag, e.g. ".fc43" */
	int64_t not_before, not_after;          /* buildtime window, UTC (not_after: end of day) */
	int64_t future_skew;                    /* seconds past the instant judged, -1: no rule */
	char **require, **forbid;               /* header tag names (rv_prov_header_tag) */
};

struct rv_prov_policy {
	struct rv_prov_header_rules header;
	char **origins;                         /* provenance.origins: globs, NULL: any origin */
};

/* The policy's provenance section (never NULL for a policy; NULL for NULL). */
const struct rv_prov_policy *rv_policy_provenance(const struct rv_policy *pol);

/* A header tag name require:/forbid: may name; 1 known, 0 not.  The names, comma-separated. */
int rv_prov_header_tag(const char *name);
extern const char rv_prov_header_tags[];

/* The patterns v as text, "'a', 'b'", into buf (bounded, truncated). */
char *rv_prov_globs(char *const *v, char *buf, size_t n);

/* The parts: each adds its findings to c->res, returns 0 or a negative RV_E*. */
int rv_prov_header(struct rv_stage_ctx *c, struct rv_error **err);  /* prov-header.c */
int rv_prov_origin(struct rv_stage_ctx *c, struct rv_error **err);  /* prov-origin.c */

#endif
