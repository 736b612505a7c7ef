/* SPDX-License-Identifier: MIT */
/* rpmvet init, admit, remove, history, show, list, query, audit, repo: the curated repository. */
#include "cli.h"

#include <jansson.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* user@host, recorded with every event */
const char *cli_actor(void)
{
	static char actor[320];
	struct passwd *pw;
	char host[256] = "localhost";

	if (!actor[0]) {
		pw = getpwuid(getuid());
		gethostname(host, sizeof(host) - 1);
		snprintf(actor, sizeof(actor), "%s@%s", pw ? pw->pw_name : "unknown", host);
#ifdef RV_TEST_HOOKS
		/* test builds only (golden documents): every command that records an event
		 * names its actor here, so the fixed actor and clock are set here too */
		const char *a = getenv("RPMVET_TEST_ACTOR"), *now = getenv("RPMVET_TEST_NOW");
		if (a && *a)
			snprintf(actor, sizeof(actor), "%s", a);
		if (now && *now)
			rv_test_clock((time_t)strtoll(now, NULL, 10));
#endif
	}
	return actor;
}

/* --repo DIR, else $RPMVET_REPO; a usage error when neither is given. */
const char *cli_repo_dir(const struct cli_parser *p, const char *opt)
{
	const char *env = getenv("RPMVET_REPO");

	if (opt)
		return opt;
	if (env && *env)
		return env;
	exit(cli_usage_error(p, "no repository given: use --repo DIR or set RPMVET_REPO"));
}

struct rv_repo *cli_repo_open(const char *dir)
{
	struct rv_repo *repo = NULL;
	struct rv_error *err = NULL;

	if (rv_repo_open(&repo, cli_ctx(), dir, &err))
		exit(cli_error(err));
	return repo;
}

/* ---- init ------------------------------------------------------------------- */

int cmd_init(int argc, char **argv)
{
	static const struct cli_option opts[] = {
		{ "policy", 'p', "FILE", "the repository's policy (copied to DIR/policy.yaml; default: accept 'allowed' licenses)" },
		{ NULL, 0, NULL, NULL },
	};
	struct cli_parser p = { argc, argv, "init DIR [--policy FILE]",
				"Create a curated repository: rpmvet.db, policy.yaml, keys/, Packages/, repodata/.",
				opts, 0, 0, "init", 0 };
	struct rv_error *err = NULL;
	const char *policy = NULL, *arg;
	int which;

	while (cli_next(&p, &which, &arg))
		policy = arg;
	if (cli_optind(&p) != argc - 1)
		return cli_usage_error(&p, cli_optind(&p) >= argc ? "no directory given"
								   : "one directory only");
	cli_ctx();
	if (rv_repo_init(argv[argc - 1], policy, cli_actor(), &err))
		return cli_error(err);
	printf("created repository %s\n", argv[argc - 1]);
	return EXIT_PASS;
}

/* ---- admit ------------------------------------------------------------------ */

/* admit --from: the NAMEs fetched into a private directory, the paths of those fetched. */
/* Fetch the names into a private directory; *paths the files fetched, *origins
 * (one per path) where each came from, borrowed from *fr. */
static int admit_fetch(struct cli_fetch *f, struct rv_repo *repo, char **names, size_t n,
		       char **tmp, struct rv_fetch_report **fr, char ***paths, size_t *npaths,
		       struct rv_origin **origins)
{
	const char *t = getenv("TMPDIR");
	size_t i, k = 0;
	int rc;

	if (asprintf(tmp, "%s/rpmvet-admit-XXXXXX", t && *t ? t : "/tmp") < 0)
		abort();
	*paths = calloc(n + 1, sizeof(char *));
	*origins = calloc(n + 1, sizeof(**origins));
	*npaths = 0;
	if (!*paths || !*origins)
		abort();
	if (!mkdtemp(*tmp)) {
		rc = cli_fail(EXIT_RUN, "cannot create a directory in '%s': %s", t && *t ? t : "/tmp",
			      strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return rc;
	}
	f->fo.require_signature = rv_repo_upstream_signature_required(repo);
	rc = cli_fetch_run(f, rv_repo_keys(repo), names, n, *tmp, fr);
	for (i = 0; i < rv_fetch_report_count(*fr); i++) {
		const struct rv_fetched *it = rv_fetch_report_item(*fr, i);
		if (!it->path)
			continue;
		(*origins)[k] = (struct rv_origin){ it->url, it->mirror, it->repomd_sha256, it->checksum };
		if (!((*paths)[k++] = strdup(it->path)))
			abort();
	}
	*npaths = k;
	return rc;
}

static void admit_fetch_done(char *tmp, struct rv_fetch_report *fr, const char **from)
{
	size_t i;

	for (i = 0; i < rv_fetch_report_count(fr); i++)
		if (rv_fetch_report_item(fr, i)->path)
			unlink(rv_fetch_report_item(fr, i)->path);
	if (tmp)
		rmdir(tmp);
	free(tmp);
	rv_fetch_report_free(fr);
	free((void *)from);
}

int cmd_admit(int argc, char **argv)
{
	enum { O_REPO, O_DRY, O_FORMAT, O_JOBS, O_SOURCES, O_FROM, O_METALINK, O_CA, O_TIMEOUT, O_RETRIES };
	static const struct cli_option opts[] = {
		[O_REPO] = { "repo", 'r', "DIR", "the repository (default: $RPMVET_REPO)" },
		[O_DRY] = { "dry-run", 'n', NULL, "decide and report; change nothing but the event log" },
		[O_FORMAT] = { "format", 'f', "FMT", "output format: text (default), json or junit" },
		[O_JOBS] = { "jobs", 'j', "N", "verify N packages in parallel (default: number of CPUs)" },
		[O_SOURCES] = { "sources", 0, "PATH", "check embedded files against the dist-git sources ledger: a sources file, a checkout, or a directory of NAME/ and NAME.sources" },
		[O_FROM] = { "from", 'F', "URL", "fetch the NAMEs given from this upstream repository (repeat for mirrors)" },
		[O_METALINK] = { "metalink", 0, "URL", "instead of --from: fetch the NAMEs from the mirrors of this metalink, which pins repomd.xml" },
		[O_CA] = { "ca", 0, "FILE", "with --from: CA certificates for https" },
		[O_TIMEOUT] = { "timeout", 0, "SECONDS", "with --from: connect timeout and stall limit (default: 30)" },
		[O_RETRIES] = { "retries", 0, "N", "with --from: retries of a 5xx or a reset (default: 3)" },
		{ NULL, 0, NULL, NULL },
	};
	struct cli_parser p = { argc, argv, "admit [--repo DIR] [--dry-run] [--sources PATH] [--format text|json|junit] PKG|DIR|-...\n"
				"   or: rpmvet admit --from URL...|--metalink URL [options] NAME[-[EPOCH:]VERSION[-RELEASE]]...",
				"Verify packages with the repository's keys and policy and admit those\n"
				"that pass: placed in Packages/, recorded in the SBOM database, repodata updated.\n"
				"A DIR stands for the *.rpm in it (sorted); '-' reads one path a line from stdin.\n"
				"With --from, each NAME is fetched as by 'rpmvet fetch', then admitted.",
				opts, 0, 0, "admit", 1 };
	struct cli_fetch f = { NULL, 0, RV_FETCH_OPTIONS_INIT };
	struct rv_fetch_report *fr = NULL;
	struct rv_origin *origins = NULL;  /* with --from: where each path came from */
	char *tmp = NULL;
	int frc = 0;
	struct rv_admit_options ao = RV_ADMIT_OPTIONS_INIT;
	enum cli_format fmt = FMT_TEXT;
	const char *dir = NULL, *arg;
	struct rv_report *r = NULL;
	struct rv_error *err = NULL;
	struct rv_repo *repo;
	size_t passed, rejected, errors, npaths;
	char **paths;
	int which, rc = 0;
	long v;

	while (cli_next(&p, &which, &arg)) {
		if (cli_fetch_option(&p, which, arg, &f))
			continue;
		if (which == O_REPO)
			dir = arg;
		else if (which == O_DRY)
			ao.dry_run = 1;
		else if (which == O_SOURCES)
			ao.sources = arg;
		else if (which == O_FORMAT && cli_format(arg, 7, &fmt))
			return cli_usage_error(&p, "unknown format '%s' (text, json or junit)", arg);
		else if (which == O_JOBS) {
			if ((v = cli_number(arg, 1, 256)) < 0)
				return cli_usage_error(&p, "--jobs needs a number from 1 to 256, not '%s'", arg);
			ao.jobs = (unsigned)v;
		}
	}
	dir = cli_repo_dir(&p, dir);
	if (cli_optind(&p) >= argc || ((f.nfrom || f.fo.metalink) && cli_fetch_usage(&p, &f))) {
		rc = cli_optind(&p) >= argc ? cli_usage_error(&p, "no packages given") : EXIT_USAGE;
		free((void *)f.from);
		return rc;
	}
	if (f.nfrom || f.fo.metalink) {
		repo = cli_repo_open(dir);
		if ((frc = admit_fetch(&f, repo, argv + cli_optind(&p), (size_t)(argc - cli_optind(&p)),
				       &tmp, &fr, &paths, &npaths, &origins)) && !npaths) {
			admit_fetch_done(tmp, fr, f.from);
			free(origins);
			rv_strv_free(paths);
			rv_repo_free(repo);
			return frc;
		}
	} else {
		paths = cli_packages(&p, argv + cli_optind(&p), argc - cli_optind(&p), &npaths);
		repo = cli_repo_open(dir);
	}
	ao.actor = cli_actor();
	if (cli_progress_wanted() && npaths > CLI_PROGRESS_BATCH)
		ao.progress = cli_batch_progress;
#ifdef RV_TEST_HOOKS
	rv_test_crash_at(getenv("RPMVET_CRASH_AT")); /* see the fault-injection tests */
#endif
	ao.origins = origins;
	rc = rv_repo_admit(&r, repo, (const char *const *)paths, npaths, &ao, &err);
	rv_strv_free(paths);
	free(origins);
	if (f.nfrom || f.fo.metalink)
		admit_fetch_done(tmp, fr, f.from);
	if (rc) {
		rv_repo_free(repo);
		return cli_error(err);
	}
	if (fmt == FMT_JSON)
		rc = render_json(r);
	else if (fmt == FMT_JUNIT)
		rc = render_junit(r, "rpmvet admit");
	else
		render_text(r);
	rv_report_summary(r, &passed, &rejected, &errors);
	if (!rc)
		rc = errors ? EXIT_RUN : rejected ? EXIT_REJECT : EXIT_PASS;
	if (frc > rc)
		rc = frc;
	rv_report_free(r);
	rv_repo_free(repo);
	if (fflush(stdout) || ferror(stdout))
		return cli_output_error();
	return rc;
}

/* ---- remove ----------------------------------------------------------------- */

int cmd_remove(int argc, char **argv)
{
	enum { O_REPO, O_REASON };
	static const struct cli_option opts[] = {
		[O_REPO] = { "repo", 'r', "DIR", "the repository (default: $RPMVET_REPO)" },
		[O_REASON] = { "reason", 'm', "TEXT", "why (required; recorded in the event log)" },
		{ NULL, 0, NULL, NULL },
	};
	struct cli_parser p = { argc, argv, "remove [--repo DIR] --reason TEXT NEVRA",
				"Remove a package from Packages/ and the repodata; its history stays.",
				opts, 0, 0, "remove", 0 };
	const char *dir = NULL, *reason = NULL, *arg;
	struct rv_error *err = NULL;
	struct rv_repo *repo;
	int which;

	while (cli_next(&p, &which, &arg)) {
		if (which == O_REPO)
			dir = arg;
		else
			reason = arg;
	}
	dir = cli_repo_dir(&p, dir);
	if (cli_optind(&p) != argc - 1)
		return cli_usage_error(&p, "give exactly one NEVRA");
	if (!reason || !*reason)
		return cli_usage_error(&p, "a removal needs --reason TEXT");
	repo = cli_repo_open(dir);
	if (rv_repo_remove(repo, argv[argc - 1], reason, cli_actor(), &err)) {
		rv_repo_free(repo);
		return cli_error(err);
	}
	printf("removed %s\n", argv[argc - 1]);
	rv_repo_free(repo);
	return EXIT_PASS;
}

/* ---- queries ------------------------------------------------------------------ */

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "-";
}

static int run_json_query(const char *dir, const struct rv_query *q, enum cli_format fmt);

static void text_packages(json_t *pkgs)
{
	size_t i;
	json_t *p;

	json_array_foreach(pkgs, i, p) {
		cli_put_escaped(stdout, js(p, "nevra"));
		printf("  %s  admitted %s by ", js(p, "sha256"), js(p, "admitted_at"));
		cli_put_escaped(stdout, js(p, "admitted_by"));
		if (json_is_string(json_object_get(p, "removed_at")))
			printf("  removed %s", js(p, "removed_at"));
		fputs("\n    license ", stdout);
		cli_put_escaped(stdout, js(p, "license"));
		printf("  signer %s\n", js(p, "signer"));
	}
	printf("%zu package(s)\n", json_array_size(pkgs));
}

static void text_events(json_t *evs)
{
	size_t i, j;
	json_t *e, *f;

	json_array_foreach(evs, i, e) {
		printf("%s  #%lld  %-7s ", js(e, "time"),
		       (long long)json_integer_value(json_object_get(e, "id")), js(e, "kind"));
		cli_put_escaped(stdout, js(e, "subject"));
		printf("  %s  by ", js(e, "verdict"));
		cli_put_escaped(stdout, js(e, "actor"));
		printf("  policy %.12s", js(e, "policy_sha256"));
		if (json_is_string(json_object_get(e, "detail"))) {
			fputs("  (", stdout);
			cli_put_escaped(stdout, js(e, "detail"));
			fputc(')', stdout);
		}
		if (json_is_string(json_object_get(e, "url"))) {
			fputs("  from ", stdout);
			cli_put_escaped(stdout, js(e, "url"));
		}
		if (json_is_string(json_object_get(e, "upstream_signer")))
			printf("  upstream signer %s", js(e, "upstream_signer"));
		if (json_is_string(json_object_get(e, "sources"))) {
			printf("  sources: %s against ", js(e, "sources"));
			cli_put_escaped(stdout, js(e, "sources_ledger"));
		}
		fputc('\n', stdout);
		json_array_foreach(json_object_get(e, "findings"), j, f) {
			json_t *w = json_object_get(f, "waived");
			if (!strcmp(js(f, "severity"), "info") && !w && cli_verbosity <= 0)
				continue;
			printf("        %-7s %s: ", w ? "waived" : js(f, "severity"), js(f, "code"));
			cli_put_escaped(stdout, js(f, "message"));
			if (w) {
				fputs(" (waived: ", stdout);
				cli_put_escaped(stdout, js(w, "reason"));
				if (json_is_string(json_object_get(w, "expires")))
					printf("; until %s", js(w, "expires"));
				fputc(')', stdout);
			}
			fputc('\n', stdout);
		}
	}
}

static void text_package(json_t *p)
{
	json_t *v;
	const char *k;
	size_t i;

	json_object_foreach(p, k, v) {
		if (json_is_array(v))
			continue;
		printf("%-16s ", k);
		if (json_is_string(v))
			cli_put_escaped(stdout, json_string_value(v));
		else if (json_is_integer(v))
			printf("%lld", (long long)json_integer_value(v));
		else
			fputs("-", stdout);
		fputc('\n', stdout);
	}
	printf("dependencies:\n");
	json_array_foreach(json_object_get(p, "dependencies"), i, v) {
		printf("  %-14s ", js(v, "kind"));
		cli_put_escaped(stdout, js(v, "text"));
		fputc('\n', stdout);
	}
	printf("files:\n");
	json_array_foreach(json_object_get(p, "files"), i, v) {
		printf("  %-7s ", js(v, "kind"));
		cli_put_escaped(stdout, js(v, "path"));
		printf("  %s", js(v, "digest"));
		if (json_is_string(json_object_get(v, "ledger"))) {
			fputs("  ledger: ", stdout);
			cli_put_escaped(stdout, js(v, "ledger"));
		}
		fputc('\n', stdout);
	}
	json_array_foreach(json_object_get(p, "upstream_signers"), i, v) {
		json_t *c;
		size_t j;
		printf("upstream signer: %s (", js(v, "fingerprint"));
		cli_put_escaped(stdout, js(v, "file"));
		fputs(", signature ", stdout);
		cli_put_escaped(stdout, js(v, "signature"));
		json_array_foreach(json_object_get(v, "certifiers"), j, c)
			printf("%s%s", j ? ", " : ", certified by ", json_string_value(c));
		fputs(")\n", stdout);
	}
}

/* show NEVRA: the latest admission and how many there were; show NAME: each current version */
static void text_show(json_t *doc)
{
	json_t *pkgs = json_object_get(doc, "packages"), *p;
	size_t i;

	if (!pkgs) {
		text_package(json_object_get(doc, "package"));
		printf("admissions: %zu\n", json_array_size(json_object_get(doc, "admissions")));
		return;
	}
	json_array_foreach(pkgs, i, p) {
		if (i)
			fputc('\n', stdout);
		text_package(p);
	}
	printf("current: %zu package(s) named ", json_array_size(pkgs));
	cli_put_escaped(stdout, js(doc, "name"));
	fputc('\n', stdout);
}

struct rowout {
	enum cli_format fmt;
	size_t n;
};

static const char *field(size_t n, const char *const *names, const char *const *vals,
			 const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return vals[i];
	return NULL;
}

/* One package row: text, or a JSON object of the streamed array. */
static int print_row(size_t n, const char *const *names, const char *const *vals, void *data)
{
	struct rowout *o = data;
	const char *v;
	size_t i;

	if (o->fmt == FMT_JSON) {
		json_t *obj = json_object();
		for (i = 0; i < n; i++) {
			int num = !strcmp(names[i], "epoch") || !strcmp(names[i], "size");
			json_object_set_new(obj, names[i], !vals[i] ? json_null() :
					    num ? json_integer(strtoll(vals[i], NULL, 10)) :
						  cli_json_text(vals[i]));
		}
		if (cli_json_stream_row(obj, o->n))
			return 1;
	} else {
#define F(name) ((v = field(n, names, vals, name)) ? v : "-")
		cli_put_escaped(stdout, F("nevra"));
		printf("  %s", F("sha256"));
		printf("  admitted %s by ", F("admitted_at"));
		cli_put_escaped(stdout, F("admitted_by"));
		if (field(n, names, vals, "removed_at"))
			printf("  removed %s", F("removed_at"));
		fputs("\n    license ", stdout);
		cli_put_escaped(stdout, F("license"));
		printf("  signer %s\n", F("signer"));
#undef F
	}
	o->n++;
	return ferror(stdout);
}

/* list and query stream their rows: bounded memory, no JSON built in between. */
static int run_rows(const char *dir, const struct rv_query *q, enum cli_format fmt)
{
	struct rv_repo *repo = cli_repo_open(dir);
	struct rv_error *err = NULL;
	struct rowout o = { fmt, 0 };
	char when[32];

	if (fmt == FMT_JSON) {
		json_t *doc = cli_json_doc(0);
		if (q->kind == RV_Q_LIST)
			json_object_set_new(doc, "at", json_string(cli_time(when, sizeof(when),
									  q->at ? (int64_t)q->at : (int64_t)time(NULL))));
		if (cli_json_stream_open(doc, "packages")) {
			rv_repo_free(repo);
			return EXIT_RUN;
		}
	}
	if (rv_repo_query_rows(repo, q, print_row, &o, &err)) {
		rv_repo_free(repo);
		return cli_error(err);
	}
	rv_repo_free(repo);
	if (fmt == FMT_JSON)
		cli_json_stream_close(o.n);
	else
		printf("%zu package(s)\n", o.n);
	if (fflush(stdout) || ferror(stdout))
		return cli_output_error();
	return EXIT_PASS;
}

static int run_query(const char *dir, const struct rv_query *q, enum cli_format fmt)
{
	if (q->kind == RV_Q_LIST || q->kind == RV_Q_SEARCH)
		return run_rows(dir, q, fmt);
	return run_json_query(dir, q, fmt);
}

static int run_json_query(const char *dir, const struct rv_query *q, enum cli_format fmt)
{
	struct rv_repo *repo = cli_repo_open(dir);
	struct rv_error *err = NULL;
	char *out = NULL;
	json_t *doc;
	int rc = EXIT_PASS;

	if (rv_repo_query(repo, q, &out, &err)) {
		rv_repo_free(repo);
		return err && err->code == RV_ENOTFOUND ? (cli_error(err), EXIT_REJECT) : cli_error(err);
	}
	if (fmt == FMT_JSON) {
		/* the library gives the data; the document is made here */
		doc = cli_json_doc(0);
		if (cli_json_wrap(doc, out)) {
			json_decref(doc);
			rc = cli_fail(EXIT_RUN, "cannot read the query result");
		} else if (cli_json_write(doc)) {
			rc = EXIT_RUN;
		}
	} else if ((doc = json_loads(out, 0, NULL))) {
		if (q->kind == RV_Q_HISTORY)
			text_events(json_object_get(doc, "events"));
		else if (q->kind == RV_Q_SHOW)
			text_show(doc);
		else
			text_packages(json_object_get(doc, "packages"));
		json_decref(doc);
	}
	free(out);
	rv_repo_free(repo);
	if (fflush(stdout) || ferror(stdout))
		rc = cli_output_error();
	return rc;
}

int cmd_query_like(int argc, char **argv, enum rv_query_kind kind);

int cmd_query_like(int argc, char **argv, enum rv_query_kind kind)
{
	enum { O_REPO, O_FORMAT, O_AT, O_LICENSE, O_SIGNER, O_REQUIRES, O_PROVIDES, O_FILE,
	       O_SINCE, O_UNTIL };
	static const struct cli_option opts[] = {
		[O_REPO] = { "repo", 'r', "DIR", "the repository (default: $RPMVET_REPO)" },
		[O_FORMAT] = { "format", 'f', "FMT", "output format: text (default) or json" },
		[O_AT] = { "at", 0, "TIME", "list: the contents at this instant (2026-05-01, 2026-05-01T12:00:00Z, or epoch seconds)" },
		[O_LICENSE] = { "license", 0, "TEXT", "query: License contains TEXT" },
		[O_SIGNER] = { "signer", 0, "FPR", "query: signed by this fingerprint or key id" },
		[O_REQUIRES] = { "requires", 0, "NAME", "query: requires or build-requires NAME" },
		[O_PROVIDES] = { "provides", 0, "NAME", "query: provides NAME" },
		[O_FILE] = { "file", 0, "TEXT", "query: holds a file whose path contains TEXT" },
		[O_SINCE] = { "since", 0, "TIME", "query: admitted at or after TIME" },
		[O_UNTIL] = { "until", 0, "TIME", "query: admitted at or before TIME" },
		{ NULL, 0, NULL, NULL },
	};
	static const char *const usage[] = {
		[RV_Q_HISTORY] = "history [--repo DIR] [--format text|json] NAME",
		[RV_Q_SHOW] = "show [--repo DIR] [--format text|json] NEVRA|NAME",
		[RV_Q_LIST] = "list [--repo DIR] [--at TIME] [--format text|json]",
		[RV_Q_SEARCH] = "query [--repo DIR] [--license TEXT] [--signer FPR] [--requires NAME] [--provides NAME] [--file TEXT] [--since TIME] [--until TIME] [--format text|json]",
	};
	static const char *const about[] = {
		[RV_Q_HISTORY] = "Every decision ever recorded about a package name.",
		[RV_Q_SHOW] = "Everything recorded about a package (a NEVRA, or a name's current versions):\n"
				"facts, dependencies, files, admissions.",
		[RV_Q_LIST] = "The repository's contents now, or at any past instant.",
		[RV_Q_SEARCH] = "Packages ever admitted that match all the filters given.",
	};
	struct cli_parser p = { argc, argv, usage[kind], about[kind], opts, 0, 0, argv[0], 0 };
	struct rv_query q;
	enum cli_format fmt = FMT_TEXT;
	const char *dir = NULL, *arg;
	int which, nops = argc;

	memset(&q, 0, sizeof(q));
	q.kind = kind;
	while (cli_next(&p, &which, &arg)) {
		int list_only = which == O_AT, search_only = which >= O_LICENSE;
		if ((list_only && kind != RV_Q_LIST) || (search_only && kind != RV_Q_SEARCH))
			return cli_usage_error(&p, "option --%s does not apply to %s", opts[which].name, argv[0]);
		switch (which) {
		case O_REPO: dir = arg; break;
		case O_FORMAT:
			if (cli_format(arg, 1u << FMT_TEXT | 1u << FMT_JSON, &fmt))
				return cli_usage_error(&p, "unknown format '%s' (text or json)", arg);
			break;
		case O_LICENSE: q.license = arg; break;
		case O_SIGNER: q.signer = arg; break;
		case O_REQUIRES: q.requires = arg; break;
		case O_PROVIDES: q.provides = arg; break;
		case O_FILE: q.file = arg; break;
		default:
			if (cli_time_option(&p, opts[which].name, arg, which != O_SINCE,
					    which == O_AT ? &q.at : which == O_SINCE ? &q.since : &q.until))
				return EXIT_USAGE;
		}
	}
	dir = cli_repo_dir(&p, dir);
	nops = argc - cli_optind(&p);
	if ((kind == RV_Q_HISTORY || kind == RV_Q_SHOW) && nops != 1)
		return cli_usage_error(&p, "give exactly one %s", kind == RV_Q_SHOW ? "NEVRA or name" : "package name");
	if ((kind == RV_Q_LIST || kind == RV_Q_SEARCH) && nops)
		return cli_usage_error(&p, "%s takes no arguments", argv[0]);
	q.name = q.nevra = nops ? argv[cli_optind(&p)] : NULL;
	return run_query(dir, &q, fmt);
}

int cmd_history(int argc, char **argv) { return cmd_query_like(argc, argv, RV_Q_HISTORY); }
int cmd_show(int argc, char **argv) { return cmd_query_like(argc, argv, RV_Q_SHOW); }
int cmd_list(int argc, char **argv) { return cmd_query_like(argc, argv, RV_Q_LIST); }
int cmd_query(int argc, char **argv) { return cmd_query_like(argc, argv, RV_Q_SEARCH); }

/* ---- audit verify, repo check ------------------------------------------------- */

int cmd_audit(int argc, char **argv)
{
	static const struct cli_option opts[] = {
		{ "repo", 'r', "DIR", "the repository (default: $RPMVET_REPO)" },
		{ NULL, 0, NULL, NULL },
	};
	int shift = argc > 1 && argv[1][0] != '-';
	struct cli_parser p = { argc - shift, argv + shift, "audit verify [--repo DIR]",
				"Recompute the hash chain of the event log; name the first broken event.\n"
				"Then check every recorded row against the event that recorded it; name\n"
				"the first that differs (table, row, column, event).",
				opts, 0, 0, "audit", 0 };
	const char *dir = NULL, *arg;
	struct rv_error *err = NULL;
	struct rv_repo *repo;
	int64_t count, broken, rows = 0;
	char *why = NULL;
	int which;

	while (cli_next(&p, &which, &arg))
		dir = arg;
	if (!shift || strcmp(argv[1], "verify") || cli_optind(&p) != p.argc)
		return cli_usage_error(&p, "usage: audit verify [--repo DIR]");
	dir = cli_repo_dir(&p, dir);
	repo = cli_repo_open(dir);
	if (rv_repo_audit(repo, &count, &broken, &why, &err) ||
	    (!broken && rv_repo_audit_records(repo, &rows, &why, &err))) {
		rv_repo_free(repo);
		free(why);
		return cli_error(err);
	}
	rv_repo_free(repo);
	if (broken) {
		printf("event log BROKEN at event %lld: ", (long long)broken);
		cli_put_escaped(stdout, why);
		fputc('\n', stdout);
		free(why);
		return EXIT_REJECT;
	}
	printf("event log intact: %lld event(s), hash chain verified\n", (long long)count);
	if (why) {
		fputs("records BROKEN: ", stdout);
		cli_put_escaped(stdout, why);
		fputc('\n', stdout);
		free(why);
		return EXIT_REJECT;
	}
	printf("records intact: %lld package row(s) with their dependencies, files and repodata match the events that recorded them\n",
	       (long long)rows);
	return EXIT_PASS;
}

/* each line with a prefix, escaped; the count */
static size_t print_lines(const char *prefix, char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++) {
		fputs(prefix, stdout);
		cli_put_escaped(stdout, v[i]);
		fputc('\n', stdout);
	}
	return i;
}

int cmd_repo(int argc, char **argv)
{
	enum { O_REPO, O_REPAIR };
	static const struct cli_option opts[] = {
		[O_REPO] = { "repo", 'r', "DIR", "the repository (default: $RPMVET_REPO)" },
		[O_REPAIR] = { "repair", 0, NULL, "make database, files and repodata agree again" },
		{ NULL, 0, NULL, NULL },
	};
	int shift = argc > 1 && argv[1][0] != '-';
	struct cli_parser p = { argc - shift, argv + shift, "repo check [--repo DIR] [--repair] | repo closure --upstream PATH...",
				"Check that the database, Packages/ and repodata agree: every admitted\n"
				"file present with its recorded digest, nothing unrecorded, repodata current.",
				opts, 0, 0, "repo", 0 };
	const char *dir = NULL, *arg;
	struct rv_error *err = NULL;
	struct rv_repo *repo;
	char **problems = NULL, **fixed = NULL;
	int which, repair = 0;
	size_t i;

	if (shift && !strcmp(argv[1], "closure"))
		return cmd_repo_closure(argc - 1, argv + 1);
	while (cli_next(&p, &which, &arg)) {
		if (which == O_REPO)
			dir = arg;
		else
			repair = 1;
	}
	if (!shift || strcmp(argv[1], "check") || cli_optind(&p) != p.argc)
		return cli_usage_error(&p, "usage: repo check [--repo DIR] [--repair]");
	dir = cli_repo_dir(&p, dir);
	repo = cli_repo_open(dir);
	if (rv_repo_check(repo, repair, cli_actor(), &problems, &fixed, &err)) {
		rv_repo_free(repo);
		return cli_error(err);
	}
	print_lines(repair ? "found: " : "", problems);
	print_lines("repaired: ", fixed);
	for (i = 0; problems && problems[i]; i++)
		;
	if (repair && i) {
		/* what a repair could not fix (a lost admitted file) is said plainly */
		rv_strv_free(problems);
		problems = NULL;
		if (rv_repo_check(repo, 0, cli_actor(), &problems, NULL, &err)) {
			rv_repo_free(repo);
			rv_strv_free(fixed);
			return cli_error(err);
		}
		i = print_lines("NOT repaired: ", problems);
	}
	rv_repo_free(repo);
	if (!i)
		printf("repository consistent: database, Packages/ and repodata agree\n");
	rv_strv_free(problems);
	rv_strv_free(fixed);
	return i ? EXIT_REJECT : EXIT_PASS;
}
