/* SPDX-License-Identifier: MIT */
/* facts: what the SBOM records of a package, read from the header already in hand. */
#include "facts.h"
#include "util.h"

#include <stdlib.h>
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
	for (i = 0; i < f->nfiles; i++) {
		free(f->files[i].path);
		free(f->files[i].digest);
	}
	free(f->files);
	free(f->name); free(f->version); free(f->release); free(f->arch);
	free(f->summary); free(f->url); free(f->vendor); free(f->packager);
	free(f->buildhost); free(f->license); free(f->sourcerpm);
	free(f->header_sha256); free(f->payload_digest); free(f->filename);
	free(f->xml_primary); free(f->xml_filelists); free(f->xml_other);
	free(f);
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
 * name a path outside Packages/.
 */
char *rv_facts_filename(const struct rv_facts *f)
{
	char out[MAX_FILENAME + 16];
	size_t n = 0;

	safe_append(out, &n, f->name && *f->name ? f->name : "unnamed");
	safe_append(out, &n, "-");
	safe_append(out, &n, f->version);
	safe_append(out, &n, "-");
	safe_append(out, &n, f->release);
	safe_append(out, &n, ".");
	safe_append(out, &n, f->arch);
	if (out[0] == '.' || out[0] == '-')
		out[0] = '_';
	memcpy(out + n, ".rpm", 5);
	return rv_xstrdup(out);
}
