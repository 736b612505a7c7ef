/* SPDX-License-Identifier: MIT */
/* rpmvet verify: signatures and digests of packages against a trust store. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { OPT_KEYS, OPT_FORMAT, OPT_JOBS, OPT_NOW, OPT_POLICY, OPT_REPO, OPT_SOURCES };

static const struct cli_option options[] = {
	[OPT_KEYS] = { "keys", 'k', "DIR", "trust store: one armored key per fingerprint (required)" },
	[OPT_FORMAT] = { "format", 'f', "FMT", "output format: text (default), json or junit" },
	[OPT_JOBS] = { "jobs", 'j', "N", "verify N packages in parallel (default: number of CPUs)" },
	[OPT_NOW] = { "at", 0, "TIME", "judge key expiry at this time: 2026-05-01 (its end), 2026-05-01T12:00:00Z or epoch seconds (default now)" },
	[OPT_POLICY] = { "policy", 'p', "FILE", "also check each package's License against this policy" },
	[OPT_REPO] = { "repo", 'r', "DIR", "use a repository's keys and policy, and record the run in its event log" },
	[OPT_SOURCES] = { "sources", 0, "PATH", "check embedded files against the dist-git sources ledger: a sources file, a checkout, or a directory of NAME/ and NAME.sources" },
	{ NULL, 0, NULL, NULL },
};

int cmd_verify(int argc, char **argv)
{
	struct cli_parser p = { argc, argv, "verify --keys DIR [--policy FILE] [--sources PATH] [--format text|json|junit] [--jobs N] PKG|DIR|-...",
				"Check each package's header signature against the trust store (key\n"
				"state and strength included) and its header and payload digests.\n"
				"A DIR stands for the *.rpm in it (sorted); '-' reads one path a line from stdin.",
				options, 0, 0, "verify", 1 };
	struct rv_verify_options vo = RV_VERIFY_OPTIONS_INIT;
	enum cli_format fmt = FMT_TEXT;
	struct rv_keystore *own = NULL;
	const struct rv_keystore *ks = NULL;
	struct rv_report *report = NULL;
	struct rv_error *err = NULL;
	const char *keys = NULL, *policy = NULL, *arg, *repodir = NULL;
	struct rv_policy *pol = NULL;
	struct rv_repo *repo = NULL;
	size_t passed, rejected, errors, npaths;
	char **paths;
	int which, rc;
	long v;

	while (cli_next(&p, &which, &arg)) {
		switch (which) {
		case OPT_KEYS:
			keys = arg;
			break;
		case OPT_FORMAT:
			if (cli_format(arg, 7, &fmt))
				return cli_usage_error(&p, "unknown format '%s' (text, json or junit)", arg);
			break;
		case OPT_JOBS:
			if ((v = cli_number(arg, 1, 256)) < 0)
				return cli_usage_error(&p, "--jobs needs a number from 1 to 256, not '%s'", arg);
			vo.jobs = (unsigned)v;
			break;
		case OPT_POLICY:
			policy = arg;
			break;
		case OPT_REPO:
			repodir = arg;
			break;
		case OPT_SOURCES:
			vo.sources = arg;
			break;
		case OPT_NOW:
			if (cli_time_option(&p, "at", arg, 1, &vo.now))
				return EXIT_USAGE;
			break;
		}
	}
	if (repodir && (keys || policy))
		return cli_usage_error(&p, "--repo brings its own keys and policy: drop --keys and --policy");
	if (!keys && !repodir)
		return cli_usage_error(&p, "no trust store given: use --keys DIR (or --repo DIR)");
	if (cli_optind(&p) >= argc)
		return cli_usage_error(&p, "no packages given");
	paths = cli_packages(&p, argv + cli_optind(&p), argc - cli_optind(&p), &npaths);
	if (policy)
		vo.policy = pol = cli_policy(policy);
	if (repodir) {
		repo = cli_repo_open(repodir);
		ks = rv_repo_keys(repo);
		vo.policy = rv_repo_policy(repo);
		keys = repodir;
	} else if (rv_keystore_open(&own, cli_ctx(), keys, 0, &err)) {
		rv_policy_free(pol);
		rv_strv_free(paths);
		return cli_error(err);
	} else {
		ks = own;
	}
	if (rv_keystore_count(ks) == 0)
		cli_warn("the trust store '%s' holds no keys: every signed package will be rejected", keys);
	/* text shows no file digest unless -v: spare the second hash of every byte */
	vo.file_digest = fmt != FMT_TEXT || cli_verbosity > 0;
	if (cli_progress_wanted() && npaths > CLI_PROGRESS_BATCH)
		vo.progress = cli_batch_progress;
	rc = rv_verify(&report, cli_ctx(), ks, (const char *const *)paths, npaths, &vo, &err);
	rv_strv_free(paths);
	if (rc) {
		rv_repo_free(repo);
		rv_keystore_free(own);
		rv_policy_free(pol);
		return cli_error(err);
	}
	if (repo && rv_repo_record_verify(repo, report, cli_actor(), &err)) {
		rv_report_free(report);
		rv_repo_free(repo);
		return cli_error(err);
	}
	rc = EXIT_PASS;
	switch (fmt) {
	case FMT_TEXT:
		render_text(report);
		break;
	case FMT_JSON:
		rc = render_json(report);
		break;
	case FMT_JUNIT:
		rc = render_junit(report, "rpmvet verify");
		break;
	}
	rv_report_summary(report, &passed, &rejected, &errors);
	if (!rc)
		rc = errors ? EXIT_RUN : rejected ? EXIT_REJECT : EXIT_PASS;
	if (errors)
		cli_fail(0, "%zu of %zu package(s) could not be checked", errors,
			 rv_report_count(report));
	rv_report_free(report);
	rv_repo_free(repo);
	rv_keystore_free(own);
	rv_policy_free(pol);
	if (fflush(stdout) || ferror(stdout))
		return cli_output_error();
	return rc;
}
