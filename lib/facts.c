/* SPDX-License-Identifier: MIT */
/* facts: what the SBOM records of a package, read from the header already in hand. */
#include "facts.h"
#include "util.h"
#include "rpmvet.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#define MAX_FILENAME 200

void rv_facts_free(struct rv_facts *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->ndeps; i++) {
		free(f->deps[i].name);
		free(f->deps[i].evr);
	}
	free(f->deps);
	for (i = 0; i < f->nupstream; i++) {
		free(f->upstream[i].file);
		free(f->upstream[i].signature);
		free(f->upstream[i].fingerprint);
		rv_strv_free(f->upstream[i].certifiers);
	}
	free(f->upstream);
	for (i = 0; i < f->nfiles; i++) {
		free(f->files[i].path);
		free(f->files[i].digest);
		free(f->files[i].ledger);
	}
	free(f->files);
	for (i = 0; i < f->nchangelog; i++) {
		free(f->changelog[i].author);
		free(f->changelog[i].text);
	}
	free(f->changelog);
	free(f->description); free(f->group); free(f->disttag);
	free(f->distribution); free(f->disturl); free(f->origin);
	free(f->sources_ledger);
	free(f->origin_mirror); free(f->origin_repomd_sha256); free(f->origin_checksum);
	free(f->name); free(f->version); free(f->release); free(f->arch);
	free(f->summary); free(f->url); free(f->vendor); free(f->packager);
	free(f->buildhost); free(f->license); free(f->sourcerpm);
	free(f->header_sha256); free(f->payload_digest); free(f->filename);
	if (f->staged) {
		/* a staged copy nobody placed is removed with its facts */
		unlink(f->staged);
		free(f->staged);
	}
	free(f->xml_primary); free(f->xml_filelists); free(f->xml_other);
	free(f);
}

/* rpm's RPMSENSE_LESS, _GREATER and _EQUAL bits: stable since rpm 4.0 */
#define SENSE_LESS (1u << 1)
#define SENSE_GREATER (1u << 2)
#define SENSE_EQUAL (1u << 3)

const char *rv_dep_op(uint32_t flags)
{
	static const char *const ops[8] = { "", "<", ">", "<>", "=", "<=", ">=", "" };
	unsigned k = (flags & SENSE_LESS ? 1u : 0u) | (flags & SENSE_GREATER ? 2u : 0u) |
		     (flags & SENSE_EQUAL ? 4u : 0u);

	return ops[k];
}

static void safe_append(char *out, size_t *n, const char *s)
{
	for (; s && *s && *n < MAX_FILENAME; s++) {
		unsigned char c = (unsigned char)*s;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' ||
			 c == '~' || c == '^' || c == '-';
		out[(*n)++] = ok ? (char)c : '_';
	}
}

/*
 * name-version-release.arch.rpm from the header, never from the input file
 * name: only safe characters, no leading dot, bounded length, so no NEVRA can
 * name a path outside Packages/.  When the name had to be changed (unsafe
 * characters, length) or carries an epoch, the first 12 hex digits of the
 * file's sha256 keep it unique.
 */
char *rv_facts_filename(const struct rv_facts *f, const char *sha256)
{
	char out[MAX_FILENAME + 32], *raw;
	size_t n = 0;
	int changed;

	raw = rv_xasprintf("%s-%s-%s.%s", f->name && *f->name ? f->name : "unnamed",
			   f->version ? f->version : "", f->release ? f->release : "",
			   f->arch ? f->arch : "");
	safe_append(out, &n, raw);
	changed = n != strlen(raw) || memcmp(out, raw, n);
	free(raw);
	if (out[0] == '.' || out[0] == '-') {
		out[0] = '_';
		changed = 1;
	}
	if ((changed || f->epoch >= 0) && sha256 && strlen(sha256) >= 12)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "-%.12s", sha256);
	memcpy(out + n, ".rpm", 5);
	return rv_xstrdup(out);
}
