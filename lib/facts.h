/* SPDX-License-Identifier: MIT */
/* facts: what the SBOM records of a package, read from the header already in hand. */
#ifndef RV_FACTS_H
#define RV_FACTS_H

#include <stdint.h>
#include <stddef.h>

struct rv_dep {
	const char *kind;   /* "buildrequires", "requires", "provides" (static) */
	char *name;
	uint32_t flags;     /* rpmsenseFlags */
	char *evr;          /* "" when unversioned */
};

struct rv_file {
	char *path;
	uint64_t size;
	char *digest;       /* hex, or NULL */
	int digest_algo;    /* librpm hash algorithm */
	int kind;           /* 0 file, 1 spec, 2 source, 3 patch */
};

struct rv_facts {
	char *name, *version, *release, *arch;  /* arch "src"/"nosrc" for sources */
	int64_t epoch;                          /* -1 when none */
	char *summary, *url, *vendor, *packager, *buildhost, *license, *sourcerpm;
	int64_t buildtime;
	char *header_sha256, *payload_digest;
	int64_t hdr_start, hdr_end;             /* the main header's byte range */
	struct rv_dep *deps;
	size_t ndeps;
	struct rv_file *files;
	size_t nfiles;
	char *filename;                         /* safe file name under Packages/ */
	char *staged;                           /* the verified bytes, copied (fsynced) into
						   Packages/.incoming.*, or NULL */
	char *xml_primary, *xml_filelists, *xml_other; /* rpm-md chunks */
};

void rv_facts_free(struct rv_facts *f);

/* The comparison of a dependency's rpmsenseFlags: "<", "<=", "=", ">=", ">",
 * or "" when unversioned (static). */
const char *rv_dep_op(uint32_t flags);

/* A file name for the package under Packages/: only [A-Za-z0-9._+~^-], bounded,
 * unique (sha256 suffix) when the NEVRA had to be changed or has an epoch. */
char *rv_facts_filename(const struct rv_facts *f, const char *sha256);

#endif
