/* SPDX-License-Identifier: MIT */
/*
 * pkg-rpm: the librpm-typed part of the package reader, private to the two
 * librpm adapters, pkg.c (opening, reading, facts) and sig.c (signatures and
 * digests).  No other module includes it: they get struct rv_facts.
 */
#ifndef RV_PKG_RPM_H
#define RV_PKG_RPM_H

#include "pkg.h"

#include <rpm/header.h>
#include <rpm/rpmts.h>
#include <sys/types.h>

enum rv_pkg_state {
	RV_PKG_OK = 0,
	RV_PKG_EMPTY,       /* zero bytes */
	RV_PKG_NOT_RPM,     /* no RPM lead */
	RV_PKG_TRUNCATED,   /* ends inside the lead or signature header */
	RV_PKG_CORRUPT,     /* signature header malformed */
	RV_PKG_TOO_LARGE,   /* a header claims more than rpmvet reads (RV_MAX_*HDR) */
};

struct rv_pkg {
	char *path;
	int fd;
	uint64_t size;
	enum rv_pkg_state state;
	char *problem;          /* what is wrong, when state != OK */
	off_t hdr_start;        /* offset of the main header */
	uint8_t *sigindex;      /* the raw signature header's index: nsigtags entries of 16 bytes */
	size_t nsigtags;
	size_t sigdl;           /* bytes of signature header data after the index */
	uint8_t **sigtag_buf;   /* the entry rv_pkg_sigtag read last (owned) */
	Header h;               /* from the last successful rv_pkg_read */
	off_t payload_start;
	char *log;              /* librpm messages of the last read, one a line */
};

/*
 * Open path and check its lead and signature header layout.  Errors are I/O
 * errors (RV_EIO, RV_ENOTFOUND); a file that is not a well-formed RPM opens
 * fine and reports it in ->state.
 */
int rv_pkg_open(struct rv_pkg **out, const char *path, struct rv_error **err);

/* Read the header with rpmReadPackageFile under these vsflags; keeps ->h on success. */
rpmRC rv_pkg_read(struct rv_pkg *p, rpmts ts, rpmVSFlags vsflags);

/*
 * Raw signature header entry: data of tag (type, count), read from the file,
 * or NULL.  Borrowed: valid until the next call or rv_pkg_free.
 */
const uint8_t *rv_pkg_sigtag(const struct rv_pkg *p, uint32_t tag,
			     uint32_t *type, uint32_t *count, size_t *len);

struct rv_facts;
/* Everything the SBOM records, from p->h (must be read). */
struct rv_facts *rv_pkg_facts(const struct rv_pkg *p);

/*
 * From p->h (must be read): res->nevra, is_source, name and license (text
 * escaped as rv_text_escape does), and a header.invalid-text finding for each
 * header text that is not good text: an error, or a warning for descriptive
 * text (summary, description, ...) when text_escape is set.
 */
struct rv_result;
void rv_pkg_describe(const struct rv_pkg *p, struct rv_result *res, int text_escape);

/* "name-[epoch:]version-release.arch", .src/.nosrc for source packages;
 * escaped as rv_text_escape (xml) does. */
char *rv_pkg_nevra(Header h, int *is_source);

/* Read [off, off+len) of the file into a new buffer. */
int rv_pkg_pread(const struct rv_pkg *p, off_t off, size_t len, uint8_t **out,
		 struct rv_error **err);

/*
 * Hash the file once: SHA-256 of the whole file into file_sha256 (unless it
 * is NULL) and, when
 * payload_algo is a librpm hash algorithm (not 0), the digest of the bytes
 * from ->payload_start (or from the end of the file when there is no header)
 * to the end into payload_hex (lower-case, size 129).  Bounded memory.
 */
int rv_pkg_digest(struct rv_pkg *p, int payload_algo, char *payload_hex,
		  char file_sha256[65], uint64_t *payload_bytes,
		  struct rv_error **err);

/* rv_pkg_embedded_each over an open package whose header p->h is read. */
int rv_pkg_embedded_each_open(struct rv_pkg *p, rv_embedded_fn fn, void *data,
			      struct rv_error **err);

#endif
