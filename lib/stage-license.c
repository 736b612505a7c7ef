/* SPDX-License-Identifier: MIT */
/* stage-license: the License tag against the policy. */
#include "stage.h"
#include "license.h"
#include "report.h"

int rv_stage_license(struct rv_stage_ctx *c, struct rv_error **err)
{
	struct rv_result *res = c->res;
	struct rv_license_result lr;
	size_t i;

	(void)err;
	if (!res->license) {
		rv_finding_add(res, "license.missing",
			      "the package has no License tag");
		return 0;
	}
	rv_license_check(&lr, c->pol, res->license, res->name, c->now);
	for (i = 0; i < lr.nfindings; i++)
		rv_result_add(res, "license", lr.findings[i].code, lr.findings[i].severity,
			      "%s", lr.findings[i].message);
	rv_license_result_release(&lr);
	return 0;
}
