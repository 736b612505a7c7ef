/* SPDX-License-Identifier: MIT */
/* curated: the curated repository's handle, shared by the modules that work on it. */
#ifndef RV_CURATED_H
#define RV_CURATED_H

#include "rpmvet.h"

struct rv_store;

struct rv_repo {
	struct rv_ctx *ctx;     /* the context it was opened with (may be NULL) */
	char *dir;
	struct rv_store *st;
	struct rv_policy *pol;
	struct rv_keystore *ks;
	char policy_sha256[65];
};

/*
 * Check that every trusted key of the repository has its event: the latest
 * key-add / key-remove event naming its fingerprint is a key-add.  Each key
 * that has none is appended to the problem list *v (n entries, NULL-terminated).
 * Errors: RV_EIO when the events cannot be read.
 */
int rv_repo_keys_check(struct rv_repo *repo, char ***v, size_t *n, struct rv_error **err);

#endif
