/* SPDX-License-Identifier: MIT */
/* repo-remove: take a package out of the curated repository; its history stays. */
#include "curated.h"
#include "error.h"
#include "repo.h"
#include "util.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int rv_repo_remove(struct rv_repo *repo, const char *nevra, const char *reason,
		   const char *actor, struct rv_error **err)
{
	struct rv_stored cur;
	struct rv_event ev;
	int64_t id;
	int lock = -1, rc, found;
	char *p;

	if ((rc = rv_repo_lock(&lock, repo->dir, err)))
		return rc;
	memset(&cur, 0, sizeof(cur));
	/* a damaged database takes no writes */
	if ((rc = rv_store_integrity(repo->st, err)))
		goto out;
	found = rv_store_current_by_nevra(repo->st, nevra, &cur, err);
	if (found <= 0) {
		rc = found < 0 ? found : rv_error_set(err, RV_ENOTFOUND,
						      "%s is not in the repository '%s'", nevra, repo->dir);
		goto out;
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = "remove";
	ev.subject = nevra;
	ev.verdict = NULL;
	ev.actor = actor ? actor : "unknown";
	ev.policy_sha256 = repo->policy_sha256;
	ev.detail = reason;
	if ((rc = rv_store_begin(repo->st, err)))
		goto out;
	if ((rc = rv_store_remove(repo->st, &ev, cur.id, &id, err)) ||
	    (rc = rv_store_commit(repo->st, err))) {
		rv_store_rollback(repo->st);
		goto out;
	}
	/* the metadata first stops naming it, then the file goes */
	rc = rv_curate_regenerate(repo, err);
	p = rv_xasprintf("%s/Packages/%s", repo->dir, cur.filename);
	if (!rc && unlink(p) && errno != ENOENT)
		rc = rv_error_set(err, RV_EIO, "cannot remove '%s': %s", p, strerror(errno));
	free(p);
out:
	rv_stored_release(&cur);
	rv_repo_unlock(lock);
	return rc;
}

