/* SPDX-License-Identifier: MIT */
/*
 * facts: what a package's header says, read once (pkg.c, from the header
 * already in hand) for every package whose header could be read, in our own
 * types: the stages, the SBOM database and the repodata (repo.c) all read
 * these, never the header.  Text is escaped as rv_text_escape does.
 */
#ifndef RV_FACTS_H
#define RV_FACTS_H

#include <stdint.h>
#include <stddef.h>

struct rv_dep {
	const char *kind;   /* "buildrequires" (a source package's requires), "requires",
			       "provides", "conflicts", "obsoletes", "recommends",
			       "suggests", "supplements", "enhances" (static) */
	char *name;
	uint32_t flags;     /* rpmsenseFlags */
	char *evr;          /* "" when unversioned */
	int pre;            /* Requires(pre), (post) or PreReq */
	int rpmlib;         /* an rpmlib(...) feature, not a package */
};

enum rv_file_type { RV_FILE_REGULAR = 0, RV_FILE_DIR, RV_FILE_GHOST };

struct rv_file {
	char *path;
	uint64_t size;
	char *digest;       /* hex, or NULL */
	int digest_algo;    /* librpm hash algorithm */
	int kind;           /* 0 file, 1 spec, 2 source, 3 patch */
	enum rv_file_type type;
	char *ledger;       /* provenance: the file against the sources ledger ("SHA512 ok",
			       "committed", "mismatch", ...), or NULL when not checked */
};

/* An upstream signature over an embedded file that verified (provenance stage). */
struct rv_upstream_signer {
	char *file, *signature;     /* the signed embedded file and its signature file */
	char *fingerprint;          /* the signer's primary fingerprint, upper case */
	char **certifiers;          /* keys of the embedded keyring that certify it, or NULL */
};

struct rv_changelog {
	int64_t time;
	char *author, *text;
};

struct rv_facts {
	char *name, *version, *release, *arch;  /* arch "src"/"nosrc" for sources */
	int64_t epoch;                          /* -1 when none */
	char *summary, *description, *group, *url, *vendor, *packager, *buildhost;
	char *license, *sourcerpm, *disttag;    /* NULL when the header has none */
	char *distribution, *disturl;           /* NULL when the header has none */
	char *origin;                           /* the input's real path or its URL (prov-origin.c),
						   or NULL */
	char *origin_mirror, *origin_repomd_sha256, *origin_checksum; /* downloaded: where from,
						   else NULL (prov-origin.c) */
	char *sources_ledger;                   /* the sources ledger checked against (prov-sources.c),
						   or NULL when none was */
	int64_t buildtime;
	uint64_t size_installed, size_archive;
	char *header_sha256, *payload_digest;
	int payload_digest_algo;                /* librpm hash algorithm, 0 when no digest */
	int64_t hdr_start, hdr_end;             /* the main header's byte range */
	struct rv_dep *deps;                    /* in header order, kind by kind */
	size_t ndeps;
	struct rv_file *files;                  /* Source/Patch/spec of a source package by kind */
	size_t nfiles;
	struct rv_changelog *changelog;         /* newest first, as in the header */
	size_t nchangelog;
	struct rv_upstream_signer *upstream;    /* upstream signatures that verified */
	size_t nupstream;
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
