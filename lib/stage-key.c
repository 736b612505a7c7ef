/* SPDX-License-Identifier: MIT */
/* stage-key: the state of the key that made a verified signature, and the signature's date. */
#include "stage.h"
#include "report.h"
#include "util.h"

/* how far a signature may be dated after the instant judged (clock skew) */
#define FUTURE_SKEW 300

int rv_stage_key(struct rv_stage_ctx *c, struct rv_error **err)
{
	const struct rv_key *k = c->signer.key, *prim = k->primary ? k->primary : k;
	struct rv_result *res = c->res;
	char date[32], date2[32];

	(void)err;
	if (!k->can_sign)
		rv_finding_add(res, "key.cannot-sign",
			      "%s %s is not flagged for signing (its usage flags forbid signatures), yet it signed this package",
			      k == prim ? "key" : "subkey", k->fingerprint);
	if (res->signer.created < k->created)
		rv_finding_add(res, "signature.before-key",
			      "the signature is dated %s, before its key %s was created (%s)",
			      rv_date(date, sizeof(date), res->signer.created), k->fingerprint,
			      rv_date(date2, sizeof(date2), k->created));
	if (res->signer.created > (int64_t)c->now + FUTURE_SKEW)
		rv_finding_add(res, "signature.future",
			      "the signature is dated %s, in the future (more than %d s after the instant judged, %s)",
			      rv_date(date, sizeof(date), res->signer.created), FUTURE_SKEW,
			      rv_date(date2, sizeof(date2), (int64_t)c->now));
	if (k->revoked || prim->revoked)
		rv_finding_add(res, "key.revoked",
			      "signing key %s is revoked%s", k->fingerprint,
			      k == prim || k->revoked ? "" : " (its primary key is revoked)");
	if (rv_key_is_expired(k, c->now))
		rv_finding_add(res, "key.expired",
			      "signing key %s expired on %s", k->fingerprint,
			      rv_date(date, sizeof(date), k->expires));
	else if (k != prim && rv_key_is_expired(prim, c->now))
		rv_finding_add(res, "key.expired",
			      "primary key %s of signing subkey %s expired on %s",
			      prim->fingerprint, k->fingerprint,
			      rv_date(date, sizeof(date), prim->expires));
	return 0;
}
