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

/*
 * What librpm's English log text of one read says (rpmReadPackageFile's
 * messages, captured by pkg.c), parsed in this one place only: librpm 4.18
 * has no other way to tell these apart.
 */
struct rv_rpmlog {
	int io;                 /* our own "cannot read '...'": the file could not be read */
	int truncated;          /* "... read returned N": the file ends inside a header */
	int sig_bad;            /* it starts with "Header V4 RSA/SHA512 Signature, key ID ..: BAD" */
	char sig_line[512];     /* the "Header V..." line, or "" */
	int digest_bad;         /* "Header SHA256 digest: BAD (Expected ... != ...)" */
	char digest_line[512];  /* the "Header SHA256 digest..." line, or "" */
};
void rv_sig_parse_log(const char *log, struct rv_rpmlog *out);

/* OpenPGP hash algorithm a: its name ("SHA256"), and whether it is too weak to accept. */
const char *rv_sig_hash_name(unsigned a);
int rv_sig_weak_hash(unsigned a);

#endif
