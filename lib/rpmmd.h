/* SPDX-License-Identifier: MIT */
/*
 * rpmmd: rpm-md metadata read with libsolv, with libsolv-free types: the
 * capped decompressing reader of metadata files (used by closure.c too),
 * repomd.xml held in memory, and the source packages of a primary file.
 * libsolv is included by rpmmd.c and closure.c only (the libsolv adapter).
 */
#ifndef RV_RPMMD_H
#define RV_RPMMD_H

#include <stdint.h>
#include <stdio.h>

struct rv_error;

/*
 * Bounds on what an upstream may make us read: a metadata file may
 * decompress to 256 times its size (real rpm-md metadata compresses 5 to 20
 * times), at least 64 MiB, so a gzip bomb is refused.
 */
#define RV_MD_RATIO 256
#define RV_MD_FLOOR ((uint64_t)64 << 20)

/* A metadata file being read decompressed, cut off at its bound. */
struct rv_mdfile {
	FILE *f;                  /* the decompressed bytes, capped */
	char *name;               /* as named in messages */
	uint64_t limit;           /* the bound */
	int over;                 /* the bound was reached and more followed */
	FILE *raw;                /* the decompressing stream under f */
	uint64_t left;
};

/*
 * Read the metadata file open on fd (of size bytes as stored, the fd is
 * taken in every case) decompressed: name is the file's name in messages,
 * and its suffix says how it is compressed (.gz, .xz, .zst, none).
 */
int rv_mdfile_open(struct rv_mdfile *m, int fd, uint64_t size, const char *name,
		   struct rv_error **err);

/*
 * Close what rv_mdfile_open() opened.  failed says the parse failed, cause
 * is the parser's reason (may be NULL): then, or on a read error, or when
 * the bound was reached, an RV_EIO naming the file (and the bound) is set.
 */
int rv_mdfile_close(struct rv_mdfile *m, int failed, const char *cause, struct rv_error **err);

/* What repomd.xml says: its revision, timestamp, and where primary and filelists are. */
struct rv_repomd {
	char revision[64];        /* "" when none */
	int64_t timestamp;        /* 0 when none */
	char *primary;            /* location of primary, NULL when none */
	char sumtype[16];         /* its checksum: "sha256", ... */
	char sum[129];            /* lower-case hex */
	char *filelists;          /* location of filelists, NULL when none */
	char fsumtype[16];        /* and its checksum */
	char fsum[129];
};

/* Parse repomd.xml held in memory (name in messages).  Errors: RV_EFORMAT. */
int rv_repomd_parse(struct rv_repomd *out, const char *buf, size_t len, const char *name,
		    struct rv_error **err);
void rv_repomd_release(struct rv_repomd *r);

/* One source package (arch src or nosrc) of primary; strings borrowed for the call. */
struct rv_rpmmd_src {
	const char *name, *evr;   /* evr as [EPOCH:]VERSION-RELEASE */
	const char *location;     /* as given: not checked */
	const char *sumtype, *sum;
	uint64_t size;            /* download size, 0 when not given */
};

/* Returns 0 to go on, non-zero to stop (returned). */
typedef int (*rv_rpmmd_src_fn)(const struct rv_rpmmd_src *p, void *data);

/*
 * Call fn for every source package with a checksum of the primary file at
 * path (decompressed under the bound of rv_mdfile_open(); name is the file
 * in messages).  Errors: RV_EIO naming the file (unreadable, over the
 * bound), RV_EFORMAT (not rpm-md metadata).
 */
int rv_rpmmd_sources(const char *path, const char *name, rv_rpmmd_src_fn fn, void *data,
		     struct rv_error **err);

#endif
