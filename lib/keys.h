/* SPDX-License-Identifier: MIT */
/* keys: the trust store (import, list, remove) and key facts, through gpgme. */
#ifndef RV_KEYS_H
#define RV_KEYS_H

#include "rpmvet.h"

/* Once per process, from rv_ctx_new(). */
int rv_keys_global_init(struct rv_error **err);

/*
 * The i-th stored key file's armor, in file-name order, which is the order of
 * rv_keystore_key() (one primary key a file); NULL past the end.  Borrowed.
 */
const char *rv_keystore_armor(const struct rv_keystore *ks, size_t i);

enum rv_gpg_status {
	RV_GPG_GOOD = 0,
	RV_GPG_BAD,
	RV_GPG_NOKEY,
	RV_GPG_UNSUPPORTED,
};

/*
 * Verify a binary detached OpenPGP signature over data with gpg, against the
 * store's keys.  On success *status is set and, for RV_GPG_GOOD, fpr gets the
 * full fingerprint of the signing key.  Thread-safe (one gpgme context a call).
 */
int rv_keystore_gpg_verify(const struct rv_keystore *ks, const void *sig,
			   size_t siglen, const void *data, size_t datalen,
			   enum rv_gpg_status *status, char fpr[65],
			   struct rv_error **err);

#endif
