/* SPDX-License-Identifier: MIT */
/*
 * sig: the librpm adapter for signatures and digests (with pkg.c, the only
 * code that sees librpm): one package's header signature against the trust
 * store, its header and payload digests, nothing else.  Key state and
 * crypto strength are stages of their own (stage-key.c, stage-crypto.c).
 */
#ifndef RV_SIG_H
#define RV_SIG_H

#include "rpmvet.h"

struct rv_sig_worker;
struct rv_stage_ctx;

/*
 * A verifier for one thread: its own librpm transaction set and keyring.
 * text_escape: descriptive header text that is not good text is escaped (a
 * warning) instead of rejected (policy headers.invalid-text: escape).
 */
struct rv_sig_worker *rv_sig_worker_new(const struct rv_keystore *ks, int text_escape);
void rv_sig_worker_free(struct rv_sig_worker *w);

/*
 * Open c->staged (admission) or c->res->path into c->pkg, read its header,
 * check its signature and digests into c->res (findings, signer, nevra,
 * sha256 when c->file_digest), c->signer for a signature that verified, and
 * c->facts from the header when it could be read.  Sets no verdict.
 */
void rv_sig_check(struct rv_sig_worker *w, struct rv_stage_ctx *c);

/* OpenPGP hash algorithm a: its name ("SHA256"), and whether it is too weak to accept. */
const char *rv_sig_hash_name(unsigned a);
int rv_sig_weak_hash(unsigned a);

#endif
