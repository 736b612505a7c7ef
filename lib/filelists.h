/* SPDX-License-Identifier: MIT */
/*
 * filelists: libxml2's one module: a streaming reader of rpm-md filelists.xml
 * (SAX2, keeping nothing), and the metalink parser.
 */
#ifndef RV_FILELISTS_H
#define RV_FILELISTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct rv_error;

/*
 * Called for every <file> of every <package>: pkgid is the package's pkgid
 * attribute ("" when it has none), path the file as listed, with a leading
 * '/' added when it has none (libsolv does the same). Both are borrowed for
 * the call. Returns 0 to go on, non-zero to stop the scan (returned).
 */
typedef int (*rv_filelists_fn)(const char *pkgid, const char *path, void *data);

/*
 * Reads filelists.xml from f (already decompressed) to its end. A document
 * type declaration (and so any entity) is refused; name is the file's name
 * in messages. Errors: RV_EIO, as for any unusable upstream metadata (not
 * well-formed, with libxml2's line and reason; a DTD; f could not be read).
 */
int rv_filelists_scan(FILE *f, const char *name, rv_filelists_fn fn, void *data,
		      struct rv_error **err);

/* The largest metalink read (Fedora's are a few hundred KiB with every mirror). */
#define RV_METALINK_MAX ((size_t)4 << 20)

/* What a metalink (MirrorManager's, version 3.0) says of repomd.xml. */
struct rv_metalink {
	int64_t timestamp;     /* <mm0:timestamp>, 0 when not given */
	uint64_t size;         /* <size>, 0 when not given */
	char sha256[65];       /* lower-case hex, "" when not given */
	char sha512[129];      /* likewise; md5 and sha1 are not kept (never trusted) */
	char **urls;           /* the <url>s as given, highest preference first */
	size_t nurls;
};

/*
 * Parse a metalink held in memory (at most RV_METALINK_MAX bytes; name in
 * messages): its first <file>, which must be name="repomd.xml".  A document
 * type declaration (and so any entity) is refused, nothing is fetched.
 * Errors: RV_EIO (not well-formed with libxml2's line and reason, a DTD, too
 * large, a size or timestamp that is not a number, a hash of the wrong form,
 * no <file> describing repomd.xml).
 */
int rv_metalink_parse(struct rv_metalink *out, const char *buf, size_t len, const char *name,
		      struct rv_error **err);
void rv_metalink_release(struct rv_metalink *m);

#endif
