/* SPDX-License-Identifier: MIT */
/* filelists: a streaming reader of rpm-md filelists.xml (libxml2's SAX2), keeping nothing. */
#ifndef RV_FILELISTS_H
#define RV_FILELISTS_H

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

#endif
