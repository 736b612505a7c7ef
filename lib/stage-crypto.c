/* SPDX-License-Identifier: MIT */
/* stage-crypto: the strength of the signature's hash and key, and of the payload digest. */
#include "stage.h"
#include "facts.h"
#include "pkg.h"
#include "report.h"
#include "sig.h"

int rv_stage_crypto(struct rv_stage_ctx *c, struct rv_error **err)
{
	const struct rv_key *k = c->signer.key;
	const struct rv_facts *f = c->facts;
	struct rv_result *res = c->res;
	unsigned algo;

	(void)err;
	if (k && rv_sig_weak_hash(c->signer.hashalgo))
		rv_finding_add(res, "crypto.weak-hash",
			      "signature uses the %s hash, which is not accepted (SHA-256 or stronger required)",
			      rv_sig_hash_name(c->signer.hashalgo));
	if (k && c->signer.pkalgo == 17)
		rv_finding_add(res, "crypto.weak-key",
			      "DSA signatures are not accepted (key %s, %u bits)",
			      k->fingerprint, k->bits);
	else if (k && c->signer.pkalgo <= 3 && k->bits < 2048)
		rv_finding_add(res, "crypto.weak-key",
			      "RSA key %s has %u bits: at least 2048 are required",
			      k->fingerprint, k->bits);
	/* the payload digest, when the package has one librpm could compute and it was read */
	algo = f && rv_stage_ready(c, RV_NEEDS_READ) ? (unsigned)f->payload_digest_algo : 0;
	if (algo && rv_pkg_hash_supported((int)algo) && rv_sig_weak_hash(algo))
		rv_finding_add(res, "crypto.weak-hash",
			      "payload digest uses %s, which is not accepted",
			      rv_sig_hash_name(algo));
	return 0;
}
