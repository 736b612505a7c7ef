/* SPDX-License-Identifier: MIT */
/* repo-query: the audit of the event chain and the queries of the SBOM database. */
#include "curated.h"
#include "error.h"

int rv_repo_audit(struct rv_repo *repo, int64_t *count, int64_t *broken, char **why,
		  struct rv_error **err)
{
	return rv_store_audit(repo->st, count, broken, why, err);
}

int rv_repo_audit_records(struct rv_repo *repo, int64_t *count, char **why,
			  struct rv_error **err)
{
	return rv_store_audit_records(repo->st, count, why, err);
}

int rv_repo_query(struct rv_repo *repo, const struct rv_query *q, char **json,
		  struct rv_error **err)
{
	return rv_store_query(repo->st, q, json, err);
}

int rv_repo_query_rows(struct rv_repo *repo, const struct rv_query *q, rv_row_fn fn,
		       void *data, struct rv_error **err)
{
	if (q->kind != RV_Q_LIST && q->kind != RV_Q_SEARCH)
		return rv_error_set(err, RV_EINVAL, "only list and query results come row by row");
	return rv_store_query_rows(repo->st, q, fn, data, NULL, err);
}
