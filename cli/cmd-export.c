/* SPDX-License-Identifier: MIT */
/* export: the repository at an instant as an SPDX 2.3 or CycloneDX 1.6 document. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* doc into path: written beside it and renamed, so a reader never sees half a document */
static int write_file(const char *path, const char *doc)
{
	size_t n = strlen(doc);
	char *tmp = malloc(strlen(path) + 16);
	FILE *f;
	int ok;

	if (!tmp)
		return cli_fail(EXIT_RUN, "out of memory");
	sprintf(tmp, "%s.tmp.%ld", path, (long)getpid());
	if (!(f = fopen(tmp, "wx"))) {
		int rc = cli_fail(EXIT_RUN, "cannot write '%s': %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	ok = fwrite(doc, 1, n, f) == n && fputc('\n', f) != EOF && fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path)) {
		int rc = cli_fail(EXIT_RUN, "cannot write '%s': %s", path, strerror(errno ? errno : EIO));
		unlink(tmp);
		free(tmp);
		return rc;
	}
	free(tmp);
	return EXIT_PASS;
}

int cmd_export(int argc, char **argv)
{
	enum { O_REPO, O_FORMAT, O_AT, O_OUT };
	static const struct cli_option opts[] = {
		[O_REPO] = { "repo", 'r', "DIR", "the repository (default: $RPMVET_REPO)" },
		[O_FORMAT] = { "format", 'f', "FMT", "spdx (SPDX 2.3 JSON) or cyclonedx (CycloneDX 1.6 JSON); required" },
		[O_AT] = { "at", 0, "TIME", "the repository at this instant (default: now)" },
		[O_OUT] = { "output", 'o', "FILE", "write the document to FILE (default: standard output)" },
		{ NULL, 0, NULL, NULL },
	};
	struct cli_parser p = { argc, argv, "export --format spdx|cyclonedx [--repo DIR] [--at TIME] [-o FILE] [NEVRA|NAME...]",
				"The curated repository (or the packages named) at an instant as one SBOM\n"
				"document.  The same database state always gives the same bytes.",
				opts, 0, 0, "export", 0 };
	struct rv_export_options eo = RV_EXPORT_OPTIONS_INIT;
	const char *dir = NULL, *out = NULL, *arg;
	struct rv_error *err = NULL;
	struct rv_repo *repo;
	char *doc = NULL, **warnings = NULL;
	int which, fmt = -1, rc;
	size_t i;

	while (cli_next(&p, &which, &arg)) {
		switch (which) {
		case O_REPO: dir = arg; break;
		case O_OUT: out = arg; break;
		case O_FORMAT:
			if (!strcmp(arg, "spdx"))
				fmt = RV_EXPORT_SPDX;
			else if (!strcmp(arg, "cyclonedx"))
				fmt = RV_EXPORT_CYCLONEDX;
			else
				return cli_usage_error(&p, "unknown format '%s' (spdx or cyclonedx)", arg);
			break;
		default:
			if (cli_time_option(&p, "at", arg, 1, &eo.at))
				return EXIT_USAGE;
		}
	}
	if (fmt < 0)
		return cli_usage_error(&p, "give --format spdx or --format cyclonedx");
	eo.format = (enum rv_export_format)fmt;
	dir = cli_repo_dir(&p, dir);
	eo.packages = (const char *const *)argv + cli_optind(&p);
	eo.npackages = (size_t)(argc - cli_optind(&p));
	repo = cli_repo_open(dir);
	rc = rv_repo_export(repo, &eo, &doc, &warnings, &err);
	rv_repo_free(repo);
	if (rc)
		return err && err->code == RV_ENOTFOUND ? (cli_error(err), EXIT_REJECT) : cli_error(err);
	for (i = 0; warnings && warnings[i]; i++)
		cli_warn("%s", warnings[i]);
	rv_strv_free(warnings);
	if (out)
		rc = write_file(out, doc);
	else
		rc = puts(doc) == EOF ? EXIT_RUN : EXIT_PASS;
	free(doc);
	return rc;
}
