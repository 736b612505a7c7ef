/* SPDX-License-Identifier: MIT */
/* rpmvet license check: SPDX expressions against a policy's license rules. */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_POLICY, OPT_FORMAT, OPT_PACKAGE, OPT_AT };

static const struct cli_option options[] = {
	[OPT_POLICY] = { "policy", 'p', "FILE", "policy file (default: accept category 'allowed' only)" },
	[OPT_FORMAT] = { "format", 'f', "FMT", "output format: text (default) or json" },
	[OPT_PACKAGE] = { "package", 'n', "NAME", "judge for this package name (per-package exceptions and categories)" },
	[OPT_AT] = { "at", 0, "TIME", "judge exception expiry at this time (as for list --at; default now)" },
	{ NULL, 0, NULL, NULL },
};

struct results {
	struct rv_license_result *v;
	size_t n, cap;
};

static void check_one(struct results *rs, const struct rv_policy *pol,
		      const char *expr, const char *package, time_t now)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 64;
		rs->v = realloc(rs->v, rs->cap * sizeof(*rs->v));
		if (!rs->v)
			abort();
	}
	rv_license_check(&rs->v[rs->n++], pol, expr, package, now);
}

static int read_stdin(struct results *rs, const struct rv_policy *pol,
		      const char *package, time_t now)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n)
			check_one(rs, pol, line, package, now);
	}
	free(line);
	return ferror(stdin) ? cli_fail(EXIT_RUN, "cannot read expressions from stdin") : 0;
}

static void text(const struct results *rs)
{
	int color = cli_color();
	size_t i, pass = 0;

	for (i = 0; i < rs->n; i++) {
		const struct rv_license_result *r = &rs->v[i];
		render_verdict(r->verdict, color);
		cli_put_escaped(stdout, r->expression);
		fputc('\n', stdout);
		render_findings(r->findings, r->nfindings, color);
		pass += r->verdict == RV_VERDICT_PASS;
	}
	printf("%zu expression(s): %zu passed, %zu rejected\n", rs->n, pass, rs->n - pass);
}

static int json(const struct results *rs)
{
	json_t *doc = cli_json_doc(0), *arr = json_array();
	size_t i, pass = 0;

	for (i = 0; i < rs->n; i++) {
		const struct rv_license_result *r = &rs->v[i];
		json_t *o = json_object();
		json_object_set_new(o, "expression", cli_json_text(r->expression));
		json_object_set_new(o, "spdx", json_boolean(r->spdx));
		json_object_set_new(o, "canonical", r->canonical ? cli_json_text(r->canonical) : json_null());
		json_object_set_new(o, "verdict", json_string(rv_verdict_name(r->verdict)));
		json_object_set_new(o, "findings", render_json_findings(r->findings, r->nfindings));
		json_array_append_new(arr, o);
		pass += r->verdict == RV_VERDICT_PASS;
	}
	json_object_set_new(doc, "results", arr);
	json_object_set_new(doc, "summary", json_pack("{s:I,s:I,s:I}", "total", (json_int_t)rs->n,
						      "passed", (json_int_t)pass,
						      "rejected", (json_int_t)(rs->n - pass)));
	return cli_json_write(doc);
}

/* Load --policy, or the built-in default; exits with the mapped code on error. */
struct rv_policy *cli_policy(const char *path)
{
	struct rv_policy *pol = NULL;
	struct rv_error *err = NULL;

	if (!path)
		return rv_policy_new();
	if (rv_policy_load(&pol, path, &err))
		exit(cli_error(err));
	return pol;
}

int cmd_license(int argc, char **argv)
{
	int shift = argc > 1 && argv[1][0] != '-';
	struct cli_parser p = { argc - shift, argv + shift, "license check [--policy FILE] [--format text|json] [--package NAME] EXPR... | -",
				"Check SPDX license expressions against the policy's license rules:\n"
				"validity (syntax, known ids, upper-case operators), legacy Fedora\n"
				"expressions, and whether some choice of OR branches is acceptable.\n"
				"'-' reads one expression per line from stdin.",
				options, 0, 0, "license", 0 };
	const char *policy = NULL, *package = NULL, *arg, *sub;
	char **args;
	int nargs;
	enum cli_format fmt = FMT_TEXT;
	struct results rs = { NULL, 0, 0 };
	struct rv_policy *pol;
	time_t now = 0;
	int which, i, rc = 0, first;
	size_t k, rejected = 0;

	while (cli_next(&p, &which, &arg)) {
		switch (which) {
		case OPT_POLICY:
			policy = arg;
			break;
		case OPT_FORMAT:
			if (cli_format(arg, 1u << FMT_TEXT | 1u << FMT_JSON, &fmt))
				return cli_usage_error(&p, "unknown format '%s' (text or json)", arg);
			break;
		case OPT_PACKAGE:
			package = arg;
			break;
		case OPT_AT:
			if (cli_time_option(&p, "at", arg, 1, &now))
				return EXIT_USAGE;
			break;
		}
	}
	first = cli_optind(&p);
	args = p.argv + first;
	nargs = p.argc - first;
	if (shift) {
		sub = p.argv[0];
	} else {
		if (!nargs)
			return cli_usage_error(&p, "no subcommand given (check)");
		sub = *args++;
		nargs--;
	}
	if (strcmp(sub, "check"))
		return cli_usage_error(&p, "unknown subcommand '%s' (check)", sub);
	if (!nargs)
		return cli_usage_error(&p, "no expressions given (use '-' to read them from stdin)");
	pol = cli_policy(policy);
	for (i = 0; i < nargs && !rc; i++) {
		if (!strcmp(args[i], "-"))
			rc = read_stdin(&rs, pol, package, now);
		else
			check_one(&rs, pol, args[i], package, now);
	}
	if (!rc)
		rc = fmt == FMT_JSON ? json(&rs) : (text(&rs), 0);
	for (k = 0; k < rs.n; k++) {
		rejected += rs.v[k].verdict != RV_VERDICT_PASS;
		rv_license_result_release(&rs.v[k]);
	}
	free(rs.v);
	rv_policy_free(pol);
	if (!rc && (fflush(stdout) || ferror(stdout)))
		rc = cli_output_error();
	return rc ? rc : rejected ? EXIT_REJECT : EXIT_PASS;
}
