/* SPDX-License-Identifier: MIT */
/* keys: the trust store (import, list, remove) and key facts, through gpgme. */
#ifndef RV_KEYS_H
#define RV_KEYS_H

#include "rpmvet.h"

#include <stddef.h>
#include <time.h>

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

/*
 * A key import made ready: every file read and checked, each key merged with
 * its stored copy and exported; nothing is written yet (rv_keystore_add_files
 * in steps, so that a repository can record the event between them).
 * Errors as rv_keystore_add_files.
 */
struct rv_key_import;
int rv_key_import_new(struct rv_key_import **out, struct rv_keystore *ks,
		      const char *const *paths, size_t npaths, struct rv_error **err);
/* Its primary fingerprints, upper case, in file order, NULL-terminated (borrowed). */
char *const *rv_key_import_fingerprints(const struct rv_key_import *imp);
/* Write every key to a new hidden file in the store, which no store reads as a key. */
int rv_key_import_stage(struct rv_key_import *imp, struct rv_error **err);
/* Rename the staged files into place (now trusted) and reload the store. */
int rv_key_import_place(struct rv_key_import *imp, struct rv_error **err);
/* Free it; staged files not placed are removed. */
void rv_key_import_free(struct rv_key_import *imp);

/*
 * Remove a key in two steps: take moves its file aside under a hidden name
 * (no longer trusted; the store reloaded), *aside its path; untake then drops
 * it (restore 0) or puts it back (restore 1), and frees aside (NULL: nothing
 * to do).  Errors as rv_keystore_remove.
 */
int rv_keystore_take(struct rv_keystore *ks, const char *fingerprint, char **aside,
		     struct rv_error **err);
int rv_keystore_untake(struct rv_keystore *ks, const char *fingerprint, char *aside,
		       int restore, struct rv_error **err);

/* One keyring file's bytes (armored or binary). */
struct rv_keyring_part {
	const void *data;
	size_t len;
};

/* Reads the next bytes of the signed data: >0 bytes, 0 at its end, <0 an error. */
typedef long (*rv_keys_read_fn)(void *data, void *buf, size_t len);

/* What an upstream detached signature says, judged against one keyring. */
struct rv_upstream_check {
	enum rv_gpg_status status;
	char fpr[65];           /* GOOD: the signer's primary fingerprint; NOKEY, BAD: the
				   issuer as gpg names it (fingerprint or key ID); upper case */
	int expired, revoked;   /* GOOD: the signer key's state at the instant judged */
	char **certifiers;      /* GOOD: primary fingerprints of the other keys of the
				   keyring whose key signature on the signer verifies
				   (NULL-terminated, or NULL); free with rv_upstream_check_clear */
	size_t nkeys;           /* primary keys the keyring held */
};
void rv_upstream_check_clear(struct rv_upstream_check *c);

/*
 * Verify a detached signature (armored or binary) over the data read streams,
 * in a new isolated GNUPGHOME that holds the keyrings' keys only (never the
 * user's ~/.gnupg, never the trust store), removed afterwards.  A signature
 * gpg cannot parse is RV_GPG_UNSUPPORTED; a keyring it cannot read holds no
 * key (nkeys 0).  Key state is judged at now.
 */
int rv_keys_verify_detached(const struct rv_keyring_part *keys, size_t nkeys, const void *sig,
			    size_t siglen, rv_keys_read_fn read, void *read_data,
			    time_t now, struct rv_upstream_check *out, struct rv_error **err);

#endif
