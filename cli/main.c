/* SPDX-License-Identifier: MIT */
/* rpmvet: global options and the table of commands. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int cmd_version(int argc, char **argv)
{
	(void)argc; (void)argv;
	printf("rpmvet %s\n", RV_VERSION);
	return EXIT_PASS;
}

static const struct cli_command commands[] = {
	{ "verify", cmd_verify, "check signatures and digests of packages against a trust store" },
	{ "key", cmd_key, "manage a trust store: add, list, remove keys" },
	{ "license", cmd_license, "check SPDX license expressions against a policy" },
	{ "init", cmd_init, "create a curated repository" },
	{ "fetch", cmd_fetch, "download source packages by name from upstream mirrors, proved against signed metadata" },
	{ "admit", cmd_admit, "verify packages and admit those that pass into a repository" },
	{ "remove", cmd_remove, "remove a package from a repository (history stays)" },
	{ "history", cmd_history, "every decision about a package name" },
	{ "show", cmd_show, "everything recorded about a package" },
	{ "list", cmd_list, "a repository's contents, now or at a past instant" },
	{ "query", cmd_query, "search admitted packages by license, signer, dependency, file, time" },
	{ "export", cmd_export, "an SBOM document (SPDX 2.3, CycloneDX 1.6) of the repository at any instant" },
	{ "audit", cmd_audit, "audit verify: prove the event log was not edited" },
	{ "closure", cmd_closure, "BuildRequires closure of SRPMs over upstream repositories (libsolv)" },
	{ "repo", cmd_repo, "repo check [--repair]: database, files and repodata agree; repo closure" },
	{ "version", cmd_version, "print the version" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: rpmvet [-q | -v...] COMMAND [ARGS]\n\n"
		   "Vet upstream RPM packages before they enter a curated repository.\n\n"
		   "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nglobal options:\n"
		   "  -q, --quiet     only errors on stderr\n"
		   "  -v, --verbose   more detail (repeat for debug)\n"
		   "  -h, --help      show this help\n"
		   "  --version       print the version\n\n"
		   "Exit status: 0 all passed, 1 a package was rejected, 2 usage or\n"
		   "configuration error, 3 the run could not complete (or its output\n"
		   "could not be written: a full disk, a reader that went away).\n"
		   "Run 'rpmvet COMMAND --help' for a command's options.\n");
}

static int run(int argc, char **argv)
{
	int i = 1;
	size_t c;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			cli_verbosity = -1;
		else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
			cli_verbosity++;
		else if (!strcmp(a, "-vv"))
			cli_verbosity += 2;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return EXIT_PASS;
		} else if (!strcmp(a, "--version")) {
			return cmd_version(0, NULL);
		} else {
			cli_fail(0, "unknown global option '%s'", a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		cli_fail(0, "no command given");
		usage(stderr);
		return EXIT_USAGE;
	}
	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].fn(argc - i, argv + i);
	cli_fail(0, "unknown command '%s'", argv[i]);
	usage(stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	cli_output_open();
	return cli_output_close(run(argc, argv));
}
