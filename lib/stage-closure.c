/* SPDX-License-Identifier: MIT */
/*
 * stage-closure: the BuildRequires of the source packages that got this far,
 * resolved together in one libsolv pool over the policy's upstream.
 */
#include "stage.h"
#include "facts.h"
#include "license.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>

int rv_stage_closure(struct rv_stage_ctx *const *v, size_t nv, struct rv_error **err)
{
	struct rv_closure_options co;
	struct rv_closure_report *cr = NULL;
	enum rv_severity sev;
	const char **paths;
	size_t *idx, n = 0, i, j;
	int rc;

	if (!nv || !rv_policy_closure(v[0]->pol, &co, &sev))
		return 0;
	co.cache_dir = v[0]->closure_cache;
	/* a remote upstream's repomd.xml is trusted as rpmvet fetch trusts it */
	co.keys = v[0]->ks;
	co.require_signature = rv_policy_repomd_signature_required(v[0]->pol);
	paths = rv_xcalloc(nv + 1, sizeof(*paths));
	idx = rv_xcalloc(nv + 1, sizeof(*idx));
	for (i = 0; i < nv; i++) {
		struct rv_result *res = v[i]->res;
		if (!res->is_source || res->verdict == RV_VERDICT_ERROR)
			continue;
		/* an admission resolves the private copy it verified */
		paths[n] = v[i]->facts->staged ? v[i]->facts->staged : res->path;
		idx[n++] = i;
	}
	rc = n ? rv_closure(&cr, NULL, paths, n, &co, err) : 0;
	for (i = 0; !rc && i < n; i++) {
		const struct rv_closure_result *x = rv_closure_result(cr, i);
		struct rv_result *res = v[idx[i]]->res;
		for (j = 0; j < x->nunresolved; j++)
			rv_result_add(res, "closure", "closure.unresolved", sev,
				      "BuildRequires %s cannot be resolved: %s",
				      x->unresolved[j].dependency, x->unresolved[j].reason);
		if (x->dynamic_buildrequires)
			rv_finding_add(res, "closure.partial",
				      "dynamic BuildRequires: the closure of the static ones only");
		if (x->nunresolved == 0)
			rv_finding_add(res, "closure.ok",
				      "BuildRequires resolve: %zu binary package(s) from %zu source package(s)",
				      x->nclosure, x->nsources);
	}
	rv_closure_report_free(cr);
	free(paths);
	free(idx);
	return rc;
}
