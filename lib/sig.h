/* SPDX-License-Identifier: MIT */
/* sig: signature and digest verification of one package against the trust store. */
#ifndef RV_SIG_H
#define RV_SIG_H

#include "rpmvet.h"

struct rv_sig_worker;

/* A verifier for one thread: its own librpm transaction set and keyring. */
struct rv_sig_worker *rv_sig_worker_new(const struct rv_keystore *ks, time_t now,
					int file_digest);
void rv_sig_worker_free(struct rv_sig_worker *w);
/*
 * Keep the SBOM facts (struct rv_facts in res->internal) of passing packages;
 * with stage_dir, also copy each package there while it is hashed.
 */
void rv_sig_worker_collect(struct rv_sig_worker *w, int collect, const char *stage_dir);

/* The policy (may be NULL): findings are judged under it, and its
 * headers.invalid-text escapes descriptive text (a warning) instead of rejecting. */
void rv_sig_worker_policy(struct rv_sig_worker *w, const struct rv_policy *pol);

/* Check the package res->path and fill res (findings, signer, nevra, sha256, verdict). */
void rv_sig_check(struct rv_sig_worker *w, struct rv_result *res);

#endif
