/* SPDX-License-Identifier: MIT */
/* repo-keys: a repository's trusted keys change only together with their event. */
#include "curated.h"
#include "error.h"
#include "keys.h"
#include "repo.h"
#include "store.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int record_key(struct rv_repo *repo, const char *kind, const char *fpr,
		      const char *actor, const char *detail, struct rv_error **err)
{
	struct rv_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.subject = fpr;
	ev.actor = actor ? actor : "unknown";
	ev.policy_sha256 = repo->policy_sha256;
	ev.detail = detail;
	return rv_store_event(repo->st, &ev, NULL, err);
}

/*
 * The order: keys staged under hidden names (not trusted), the events
 * committed, then the keys renamed into place.  A failure before the commit
 * leaves neither key nor event; a crash after it at worst an event whose key
 * was never placed, which trusts nothing.  A key is never trusted without
 * its event.
 */
int rv_repo_key_add(struct rv_repo *repo, const char *const *paths, size_t npaths,
		    const char *actor, char ***added, struct rv_error **err)
{
	struct rv_key_import *imp = NULL;
	char *const *fprs;
	size_t i, n;
	int lock = -1, rc;

	if (added)
		*added = NULL;
	if ((rc = rv_repo_lock(&lock, repo->dir, err)))
		return rc;
	/* a damaged database takes no writes */
	if ((rc = rv_store_integrity(repo->st, err)) ||
	    (rc = rv_key_import_new(&imp, repo->ks, paths, npaths, err)) ||
	    (rc = rv_key_import_stage(imp, err)))
		goto out;
	fprs = rv_key_import_fingerprints(imp);
	if ((rc = rv_store_begin(repo->st, err)))
		goto out;
	for (i = 0; fprs[i] && !rc; i++)
		rc = record_key(repo, "key-add", fprs[i], actor, NULL, err);
	if (rc || (rc = rv_store_commit(repo->st, err))) {
		rv_store_rollback(repo->st);
		goto out;
	}
	if ((rc = rv_key_import_place(imp, err))) {
		/* recorded, but not placed: the log says those keys are not trusted */
		for (i = 0; fprs[i]; i++)
			if (!rv_keystore_find(repo->ks, fprs[i]))
				record_key(repo, "key-remove", fprs[i], actor,
					   "the key could not be written: it was never trusted", NULL);
		goto out;
	}
	if (added) {
		for (n = 0; fprs[n]; n++)
			;
		*added = rv_xcalloc(n + 1, sizeof(char *));
		for (i = 0; i < n; i++)
			(*added)[i] = rv_xstrdup(fprs[i]);
	}
out:
	rv_key_import_free(imp);
	rv_repo_unlock(lock);
	return rc;
}

/*
 * The key leaves the store first (moved aside: no longer trusted), then the
 * event is recorded; when it cannot be, the key is put back as it was.
 */
int rv_repo_key_remove(struct rv_repo *repo, const char *fingerprint, const char *actor,
		       struct rv_error **err)
{
	const struct rv_key *k;
	char *aside = NULL, fpr[65];
	int lock = -1, rc;

	if ((rc = rv_repo_lock(&lock, repo->dir, err)))
		return rc;
	if ((rc = rv_store_integrity(repo->st, err)))
		goto out;
	k = rv_keystore_find(repo->ks, fingerprint);
	if (k && k->primary) {
		rc = rv_error_set(err, RV_EINVAL, "%s is a subkey of %s: remove the primary key",
				  fingerprint, k->primary->fingerprint);
		goto out;
	}
	if ((rc = rv_keystore_take(repo->ks, fingerprint, &aside, err)))
		goto out;
	rv_strlcpy_case(fpr, fingerprint, sizeof(fpr), 1);
	if ((rc = record_key(repo, "key-remove", fpr, actor, NULL, err))) {
		rv_keystore_untake(repo->ks, fpr, aside, 1, NULL);
		goto out;
	}
	rc = rv_keystore_untake(repo->ks, fpr, aside, 0, err);
out:
	rv_repo_unlock(lock);
	return rc;
}

int rv_repo_keys_check(struct rv_repo *repo, char ***v, size_t *n, struct rv_error **err)
{
	size_t i;
	int r;

	for (i = 0; i < rv_keystore_count(repo->ks); i++) {
		const char *fpr = rv_keystore_key(repo->ks, i)->fingerprint;
		if ((r = rv_store_key_recorded(repo->st, fpr, err)) < 0)
			return r;
		if (r)
			continue;
		*v = rv_xrealloc(*v, (*n + 2) * sizeof(char *));
		(*v)[(*n)++] = rv_xasprintf("keys/%s.asc is trusted, but no key-add event records it: remove it, or add it with 'rpmvet key add --repo'",
					   fpr);
		(*v)[*n] = NULL;
	}
	return 0;
}
