/* SPDX-License-Identifier: MIT */
/* rpmvet fetch: source packages by name from upstream mirrors, each byte proved against the metadata. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_fetch_option(struct cli_parser *p, int which, const char *arg, struct cli_fetch *f)
{
	const char *name = p->opts[which].name;
	long v;

	if (!strcmp(name, "from")) {
		f->from = realloc(f->from, (f->nfrom + 1) * sizeof(*f->from));
		if (!f->from)
			abort();
		f->from[f->nfrom++] = arg;
		p->seen &= ~(1ull << which); /* repeatable: mirrors in the order tried */
	} else if (!strcmp(name, "metalink")) {
		f->fo.metalink = arg;
	} else if (!strcmp(name, "ca")) {
		f->fo.ca_file = arg;
	} else if (!strcmp(name, "timeout")) {
		if ((v = cli_number(arg, 1, 3600)) < 0)
			exit(cli_usage_error(p, "--timeout needs a number of seconds from 1 to 3600, not '%s'", arg));
		f->fo.timeout = v;
		f->fo.connect_timeout = v;
	} else if (!strcmp(name, "retries")) {
		if ((v = cli_number(arg, 0, 10)) < 0)
			exit(cli_usage_error(p, "--retries needs a number from 0 to 10, not '%s'", arg));
		f->fo.retries = (unsigned)v;
	} else {
		return 0;
	}
	return 1;
}

int cli_fetch_usage(struct cli_parser *p, const struct cli_fetch *f)
{
	if (f->nfrom && f->fo.metalink)
		return cli_usage_error(p, "give --from URL or --metalink URL, not both");
	if (!f->nfrom && !f->fo.metalink)
		return cli_usage_error(p, "give at least one --from URL, or a --metalink URL");
	return 0;
}

int cli_fetch_run(struct cli_fetch *f, const struct rv_keystore *ks, char **args, size_t nargs,
		  const char *outdir, struct rv_fetch_report **out)
{
	struct rv_error *err = NULL;
	size_t i;
	int rc = EXIT_PASS;

	f->fo.mirrors = f->from;
	f->fo.nmirrors = f->nfrom;
	f->fo.keys = ks;
	if (cli_progress_wanted())
		f->fo.progress = cli_fetch_progress;
	if (rv_fetch(out, cli_ctx(), (const char *const *)args, nargs, outdir, &f->fo, &err))
		return cli_error(err);
	for (i = 0; i < rv_fetch_report_count(*out); i++) {
		const struct rv_fetched *x = rv_fetch_report_item(*out, i);
		if (x->error) {
			cli_fail(0, "cannot fetch '%s': %s", x->arg, x->error);
			if (x->code == RV_ENOTFOUND && rc < EXIT_USAGE)
				rc = EXIT_USAGE;
			else if (x->code != RV_ENOTFOUND)
				rc = EXIT_RUN;
		}
	}
	return rc;
}

int cmd_fetch(int argc, char **argv)
{
	enum { O_FROM, O_METALINK, O_OUT, O_KEYS, O_REQSIG, O_CA, O_TIMEOUT, O_RETRIES };
	static const struct cli_option opts[] = {
		[O_FROM] = { "from", 'F', "URL", "an upstream source repository (the URL holding repodata/); repeat for mirrors, tried in turn" },
		[O_METALINK] = { "metalink", 0, "URL", "instead of --from: a metalink (as Fedora's MirrorManager serves over https) giving the mirrors and pinning repomd.xml's size and hash" },
		[O_OUT] = { "output", 'o', "DIR", "where the packages go (default: the current directory)" },
		[O_KEYS] = { "keys", 'k', "DIR", "trust store that repomd.xml.asc must verify against" },
		[O_REQSIG] = { "require-signature", 0, NULL, "refuse a mirror whose repomd.xml is not signed" },
		[O_CA] = { "ca", 0, "FILE", "CA certificates for https (default: the system's)" },
		[O_TIMEOUT] = { "timeout", 0, "SECONDS", "connect timeout, and how long a transfer may stall (default: 30)" },
		[O_RETRIES] = { "retries", 0, "N", "retries of a 5xx or a reset on one mirror (default: 3)" },
		{ NULL, 0, NULL, NULL },
	};
	struct cli_parser p = { argc, argv, "fetch --from URL...|--metalink URL [-o DIR] [--keys DIR] NAME[-[EPOCH:]VERSION[-RELEASE]]...",
				"Download source packages by name from an upstream repository: each is\n"
				"checked against primary (size, checksum), primary against repomd.xml,\n"
				"repomd.xml against the metalink, its signature and the freshest metadata seen.",
				opts, 0, 0, "fetch", 0 };
	struct cli_fetch f = { NULL, 0, RV_FETCH_OPTIONS_INIT };
	struct rv_fetch_report *r = NULL;
	struct rv_keystore *ks = NULL;
	struct rv_error *err = NULL;
	const char *outdir = ".", *keys = NULL, *arg;
	struct stat st;
	size_t i;
	int which, rc;

	while (cli_next(&p, &which, &arg)) {
		if (cli_fetch_option(&p, which, arg, &f))
			continue;
		if (which == O_OUT)
			outdir = arg;
		else if (which == O_KEYS)
			keys = arg;
		else if (which == O_REQSIG)
			f.fo.require_signature = 1;
	}
	if (cli_fetch_usage(&p, &f))
		rc = EXIT_USAGE;
	else if (cli_optind(&p) >= argc)
		rc = cli_usage_error(&p, "no package names given");
	else if (stat(outdir, &st) || !S_ISDIR(st.st_mode))
		rc = cli_fail(EXIT_USAGE, "cannot write into '%s': not a directory", outdir);
	else if (keys && rv_keystore_open(&ks, cli_ctx(), keys, 0, &err))
		rc = cli_error(err);
	else
		rc = 0;
	if (rc) {
		free(f.from);
		return rc;
	}
	rc = cli_fetch_run(&f, ks, argv + cli_optind(&p), (size_t)(argc - cli_optind(&p)), outdir, &r);
	for (i = 0; i < rv_fetch_report_count(r); i++) {
		const struct rv_fetched *x = rv_fetch_report_item(r, i);
		if (x->path)
			printf("%s  %s  from %s\n", x->nevra, x->path, x->url);
	}
	rv_fetch_report_free(r);
	rv_keystore_free(ks);
	free(f.from);
	if (fflush(stdout) || ferror(stdout))
		return cli_output_error();
	return rc;
}
