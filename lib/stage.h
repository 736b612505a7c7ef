/* SPDX-License-Identifier: MIT */
/*
 * stage: the per-package pipeline as a table of stages (the table and its
 * runner are in verify.c).  Each stage is one file with one entry point that
 * takes a stage context: the package (its header facts, the open handle
 * while the per-package stages run), the result its findings go to, the
 * policy, the instant judged, the trust store, and, when admitting, a
 * read-only view of the repository.  Adding a stage is one file plus one row.
 *
 * A stage adds findings and returns 0; a negative RV_E* means it could not
 * run: the runner gives the package a "stage.failed" finding naming the stage
 * (an error verdict, never a pass) and goes on.  Every finding is then
 * judged in one place, after the stages (rv_pipeline_judge).
 */
#ifndef RV_STAGE_H
#define RV_STAGE_H

#include "rpmvet.h"

#include <stddef.h>
#include <time.h>

struct rv_pkg;
struct rv_facts;
struct rv_key;
struct rv_sig_worker;
struct rv_repo;

/* What the signature stage learnt about a signature that verified. */
struct rv_signed_by {
	const struct rv_key *key;       /* the trusted (sub)key, NULL when none verified */
	unsigned pkalgo, hashalgo;      /* OpenPGP algorithm numbers of the signature */
};

/* Admission: what the repository rules decided for one package. */
struct rv_admission {
	int decided;            /* 1 admit, 0 already there, -1 rejected, 2 restore its file,
				   -2 not decided (did not pass) */
	int64_t replaces;       /* the admitted package it replaces, 0 for none */
	char replaced_file[256];
	char detail[256];       /* the admit event's detail ("re-signed ..."), "" for none */
};

/* Admission: the repository as the rules see it, read-only. */
struct rv_repo_view {
	struct rv_repo *repo;
	struct rv_result *const *pending;       /* admitted earlier in this run */
	size_t npending;
};

struct rv_stage_ctx {
	struct rv_result *res;
	struct rv_pkg *pkg;             /* open while the per-package stages run, else NULL */
	struct rv_facts *facts;         /* header facts (res->internal), NULL without a header */
	const struct rv_policy *pol;    /* NULL: verify without a policy */
	time_t now;                     /* the instant judged */
	const struct rv_keystore *ks;
	struct rv_sig_worker *sig;      /* this thread's librpm verifier */
	int file_digest;                /* also hash the whole file (res->sha256) */
	char *staged;                   /* admission: the private copy that is verified */
	struct rv_signed_by signer;
	const struct rv_repo_view *repo;        /* admission only, else NULL */
	struct rv_admission *admission;         /* admission only: the rules' decision */
	const char *closure_cache;
	const char *sources;            /* --sources: the dist-git ledger(s), or NULL */
	const struct rv_origin *fetched;        /* where it was downloaded from, NULL: a local file */
};

/* What a stage needs; a package that lacks it skips the stage. */
enum {
	RV_NEEDS_HEADER = 1 << 0,       /* a readable header (facts) */
	RV_NEEDS_READ = 1 << 1,         /* the package read completely: no "io" finding */
	RV_NEEDS_POLICY = 1 << 2,
	RV_NEEDS_SIGNER = 1 << 3,       /* a signature that verified with a trusted key */
	RV_NEEDS_PASS = 1 << 4,         /* judged to pass so far (admission rules) */
};

enum rv_stage_kind {
	RV_STAGE_EACH,          /* per package, in the parallel workers */
	RV_STAGE_BATCH,         /* once over every package that got that far */
	RV_STAGE_SEQUENTIAL,    /* admission: per package, in input order, under the lock */
};

struct rv_stage {
	const char *name;
	enum rv_stage_kind kind;
	unsigned needs;
	int (*run)(struct rv_stage_ctx *c, struct rv_error **err);
	/* a batch stage: all contexts at once; its error is the run's */
	int (*batch)(struct rv_stage_ctx *const *v, size_t n, struct rv_error **err);
};

/* Non-zero when c has what a stage with these needs requires. */
int rv_stage_ready(const struct rv_stage_ctx *c, unsigned needs);

/*
 * Run the per-package (RV_STAGE_EACH) rows of table for one package, in
 * order, then judge it.  A stage that fails adds "stage.failed" (check "io").
 */
void rv_stages_run(const struct rv_stage *table, size_t n, struct rv_stage_ctx *c);

/* The stages of rpmvet, one file each. */
int rv_stage_signature(struct rv_stage_ctx *c, struct rv_error **err);    /* stage-sig.c */
int rv_stage_key(struct rv_stage_ctx *c, struct rv_error **err);          /* stage-key.c */
int rv_stage_crypto(struct rv_stage_ctx *c, struct rv_error **err);       /* stage-crypto.c */
int rv_stage_provenance(struct rv_stage_ctx *c, struct rv_error **err);   /* stage-provenance.c */
int rv_stage_license(struct rv_stage_ctx *c, struct rv_error **err);      /* stage-license.c */
int rv_stage_closure(struct rv_stage_ctx *const *v, size_t n,
		     struct rv_error **err);                                /* stage-closure.c */
int rv_stage_repo(struct rv_stage_ctx *c, struct rv_error **err);         /* stage-repo.c */

/* The provenance stage's parts, one file each (prov-*.c). */
int rv_prov_upstream(struct rv_stage_ctx *c, struct rv_error **err);      /* prov-upstream.c */
/* Admission (sequential, before the repository rules): upstream key continuity. */
int rv_prov_upstream_continuity(struct rv_stage_ctx *c, struct rv_error **err);

#endif
