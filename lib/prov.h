/* SPDX-License-Identifier: MIT */
/*
 * prov: the provenance stage's parts (stage-provenance.c runs them) and what
 * they share: the dist-git sources ledger (prov-sources.c).
 */
#ifndef RV_PROV_H
#define RV_PROV_H

#include "rpmvet.h"

#include <stddef.h>

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

#endif
