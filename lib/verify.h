/* SPDX-License-Identifier: MIT */
/*
 * verify: the pipeline's runner and its table of stages (lib/stage.h): the
 * per-package stages in parallel workers, the batch stages (closure) over
 * the packages that got that far, and, for an admission, the sequential
 * repository rules.  Each package's verdict is set in one function,
 * rv_pipeline_judge, after its stages.
 */
#ifndef RV_VERIFY_H
#define RV_VERIFY_H

#include "rpmvet.h"

struct rv_stage_ctx;

/*
 * Admission's staging, run in the workers before any stage reads the
 * package: copy res->path into the repository's private directory (hashing
 * it on the way, res->sha256 and size) into *copy; on failure add an "io"
 * finding and return non-zero (the package is then not read at all).
 */
typedef int (*rv_stage_copy_fn)(void *data, struct rv_result *res, char **copy);

/*
 * rv_verify() with the facts of every package with a readable header kept
 * in res->internal (struct rv_facts, the staged copy in ->staged).
 */
int rv_verify_run(struct rv_report **out, const struct rv_keystore *ks,
		  const char *const *paths, size_t npaths,
		  const struct rv_verify_options *opts, rv_stage_copy_fn copy,
		  void *copy_data, struct rv_error **err);

/* The verdict of one package: every finding judged against the policy. */
void rv_pipeline_judge(struct rv_result *res, const struct rv_policy *pol, time_t now);

/*
 * Admission: the sequential rows of the table (the repository rules) for one
 * package that passed so far, then its judgement.  Their error (the
 * repository could not be read) is the run's.
 */
int rv_pipeline_sequential(struct rv_stage_ctx *c, struct rv_error **err);

#endif
