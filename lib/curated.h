/* SPDX-License-Identifier: MIT */
/*
 * curated: the curated repository handle, shared by the modules that work on
 * one: curate.c (init, open, events), repo-admit.c (admission),
 * repo-check.c (check and repair), repo-remove.c, repo-query.c (audit and
 * queries), and later export, signing and the report.  Internal: the public
 * face is struct rv_repo in rpmvet.h, opaque.
 */
#ifndef RV_CURATED_H
#define RV_CURATED_H

#include "rpmvet.h"
#include "store.h"

struct rv_repo {
	struct rv_ctx *ctx;     /* the context it was opened with (may be NULL) */
	char *dir;
	struct rv_store *st;
	struct rv_policy *pol;
	struct rv_keystore *ks;
	char policy_sha256[65];
};

/* Rewrite repodata/ from the database's chunks. */
int rv_curate_regenerate(struct rv_repo *repo, struct rv_error **err);

/* An event about a package result (kind "admit", "reject", ...), borrowing from res. */
struct rv_event rv_curate_event(const struct rv_repo *repo, const char *kind,
				const struct rv_result *res, const char *actor, time_t now,
				const char *detail);
/* Append that event to the log; *id (may be NULL) gets its id. */
int rv_curate_record(struct rv_repo *repo, const char *kind, const struct rv_result *res,
		     const char *actor, time_t now, const char *detail, int64_t *id,
		     struct rv_error **err);

/*
 * Move Packages/name (pfd) aside into quarantine/, never over an earlier one:
 * name, name.1, name.2...; *moved gets the name it has there.
 */
int rv_curate_quarantine(struct rv_repo *repo, int pfd, const char *name, char **moved,
			 struct rv_error **err);

/*
 * Check that every trusted key of the repository has its event: the latest
 * key-add / key-remove event naming its fingerprint is a key-add.  Each key
 * that has none is appended to the problem list *v (n entries, NULL-terminated).
 * Errors: RV_EIO when the events cannot be read.
 */
int rv_repo_keys_check(struct rv_repo *repo, char ***v, size_t *n, struct rv_error **err);

#endif
