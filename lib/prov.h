/* SPDX-License-Identifier: MIT */
/*
 * prov: the provenance stage's parts (stage-provenance.c calls one function
 * per part, each in its own file) and the policy's provenance: section as
 * they read it.
 */
#ifndef RV_PROV_H
#define RV_PROV_H

#include "rpmvet.h"

#include <stdint.h>

struct rv_stage_ctx;

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
