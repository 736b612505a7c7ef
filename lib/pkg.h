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
#include <sys/types.h>

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

/*
 * A streamed digest with librpm's hash algorithms (OpenPGP numbers: 1 MD5,
 * 2 SHA1, 8 SHA256, 9 SHA384, 10 SHA512, 11 SHA224); _new gives NULL for an
 * algorithm librpm cannot compute.  _final writes lower-case hex into out
 * (129 bytes hold the longest) and frees d.
 */
struct rv_digest;
struct rv_digest *rv_digest_new(int algo);
void rv_digest_update(struct rv_digest *d, const void *buf, size_t len);
void rv_digest_final(struct rv_digest *d, char out[129]);

/* SHA-256 of a buffer, lower-case hex (65 bytes). */
void rv_sha256_hex(const void *data, size_t len, char out[65]);

/*
 * Embedded files: the regular files of a package's payload, streamed one at a
 * time with librpm's archive reader, never unpacked to disk.  The name is the
 * basename as stored in the header (untrusted: it may hold "..", control
 * characters, anything but '/'); the size is the header's.
 */
struct rv_embedded;                      /* one file of an SRPM's payload, being streamed */
const char *rv_embedded_name(const struct rv_embedded *e);  /* basename as stored */
uint64_t rv_embedded_size(const struct rv_embedded *e);
/* Read the next bytes of this file: >0 bytes, 0 at its end, <0 error (RV_EIO, err set).
 * A payload that ends before the file's size is an error, never a short file. */
ssize_t rv_embedded_read(struct rv_embedded *e, void *buf, size_t len, struct rv_error **err);
/*
 * Stream every regular file of the package at path in payload order (librpm's
 * archive reader, never unpacked to disk); fn returns 0 to go on, >0 to stop
 * (returned), <0 an error (returned).  Bounded memory: what fn does not read
 * of a file is skipped.  Errors: those of opening the file (RV_ENOTFOUND,
 * RV_EIO), RV_EFORMAT for a package that is not a well-formed RPM, an unknown
 * payload compressor, or a payload that is corrupt or truncated (the file
 * named).  Directories, symbolic links and hard links without content are
 * not visited.
 */
typedef int (*rv_embedded_fn)(struct rv_embedded *e, void *data);
int rv_pkg_embedded_each(const char *path, rv_embedded_fn fn, void *data, struct rv_error **err);
/*
 * The librpm hash algorithm of a checksum type as repository metadata names
 * it ("sha256", "sha512", "sha384", "sha224", "sha1" or "sha", "md5"; any
 * case), for rv_digest_new; 0 for one librpm does not compute.
 */
int rv_digest_algo(const char *name);

#endif
