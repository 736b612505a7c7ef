/* SPDX-License-Identifier: MIT */
/*
 * pkg: the librpm adapter for reading packages (with sig.c, the only code
 * that sees librpm).  This is its librpm-free face: process setup, rpm's
 * version order, hashing.  Opening and reading a package, with librpm's
 * types, is in pkg-rpm.h, which only pkg.c and sig.c include.
 */
#ifndef RV_PKG_H
#define RV_PKG_H

#include "rpmvet.h"

#include <stdint.h>

/* Once per process: rpm configuration and our rpmlog callback. */
/* rcfiles: rpm's colon-separated rpmrc list, NULL for its default. */
int rv_pkg_global_init(rv_log_fn log, void *logdata, const char *rcfiles,
		       struct rv_error **err);

/* An open package (pkg-rpm.h); _free(NULL) does nothing. */
struct rv_pkg;
void rv_pkg_free(struct rv_pkg *p);

/* Non-zero when the SRPM at path requires rpmlib(DynamicBuildRequires). */
int rv_pkg_dynamic_buildrequires(const char *path);

/* rpm's EVR order (epoch, then rpmvercmp of version and release: ~ and ^ too). */
int rv_pkg_evrcmp(int64_t e1, const char *v1, const char *r1, int64_t e2,
		  const char *v2, const char *r2);

/* Non-zero when librpm can compute hash algorithm algo. */
int rv_pkg_hash_supported(int algo);

/* Copy path to the open fd out, its SHA-256 into sha; size (may be NULL) gets its length. */
int rv_file_copy_sha256(const char *path, int out, char sha[65], uint64_t *size,
			struct rv_error **err);

/* SHA-256 of a file, streamed; -1 when it cannot be read. */
int rv_file_sha256(const char *path, char out[65]);

/* SHA-256 of a buffer, lower-case hex (65 bytes). */
void rv_sha256_hex(const void *data, size_t len, char out[65]);

/*
 * A streaming digest by name ("sha256", "sha512", "sha384", "sha224", "sha1",
 * "md5"), for checksums that repository metadata gives; NULL for a name
 * librpm does not compute.  rv_digest_final() writes lower-case hex and frees it.
 */
struct rv_digest;
struct rv_digest *rv_digest_new(const char *name);
void rv_digest_update(struct rv_digest *d, const void *data, size_t len);
void rv_digest_final(struct rv_digest *d, char *hex, size_t hexlen);

#endif
