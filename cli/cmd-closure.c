/* SPDX-License-Identifier: MIT */
/* rpmvet closure: what an SRPM needs to build, and which sources must come with it. */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* the options both commands take come first: repo closure's table ends after them */
enum { O_UPSTREAM, O_ARCH, O_FORMAT, O_NOCACHE, O_REPO, O_RECURSIVE };

#define SHARED_OPTIONS \
	[O_UPSTREAM] = { "upstream", 'u', "PATH", "an rpm-md repository: its root (the directory holding repodata/) or an http(s):// or file:// URL, mirrored into the cache; repeatable" }, \
	[O_ARCH] = { "arch", 'a', "ARCH", "target architecture (default x86_64)" }, \
	[O_FORMAT] = { "format", 'f', "FMT", "output format: text (default) or json" }, \
	[O_NOCACHE] = { "no-cache", 0, NULL, "do not use or write the parsed-metadata cache ($XDG_CACHE_HOME/rpmvet or ~/.cache/rpmvet)" }

static const struct cli_option options[] = {
	SHARED_OPTIONS,
	[O_REPO] = { "repo", 'r', "DIR", "a curated repository: the import frontier is what it lacks; without --upstream, its policy's closure.upstream" },
	[O_RECURSIVE] = { "recursive", 'R', NULL, "follow the frontier through upstream source metadata; report cycles" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_option repo_options[] = {
	SHARED_OPTIONS,
	[O_REPO] = { NULL, 0, NULL, NULL },
};

struct admitted {
	char **v;
	size_t n;
};

static int collect_src(size_t n, const char *const *names, const char *const *vals, void *data)
{
	struct admitted *a = data;
	const char *nevra = NULL, *arch = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], "nevra"))
			nevra = vals[i];
		else if (!strcmp(names[i], "arch"))
			arch = vals[i];
	}
	if (nevra && arch && (!strcmp(arch, "src") || !strcmp(arch, "nosrc"))) {
		a->v = realloc(a->v, (a->n + 2) * sizeof(*a->v));
		if (!a->v)
			abort();
		a->v[a->n++] = strdup(nevra);
		a->v[a->n] = NULL;
	}
	return 0;
}

static json_t *strings(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, cli_json_text(v[i]));
	return a;
}

static int render(const struct rv_closure_report *r, enum cli_format fmt)
{
	size_t i, j;

	if (fmt == FMT_JSON) {
		json_t *doc = cli_json_doc(0), *pkgs = json_array();
		for (i = 0; i < rv_closure_count(r); i++) {
			const struct rv_closure_result *x = rv_closure_result(r, i);
			json_t *p = json_object(), *un = json_array();
			json_object_set_new(p, "path", cli_json_text(x->path));
			json_object_set_new(p, "nevra", x->nevra ? cli_json_text(x->nevra) : json_null());
			/* resolved: every BuildRequires resolved (CI reads this);
			 * dynamic_buildrequires: some are only known at build time */
			json_object_set_new(p, "resolved", json_boolean(!x->error && !x->nunresolved));
			json_object_set_new(p, "dynamic_buildrequires", json_boolean(x->dynamic_buildrequires));
			json_object_set_new(p, "closure", strings(x->closure, x->nclosure));
			json_object_set_new(p, "sources", strings(x->sources, x->nsources));
			for (j = 0; j < x->nunresolved; j++) {
				json_t *u = json_object();
				json_object_set_new(u, "dependency", cli_json_text(x->unresolved[j].dependency));
				json_object_set_new(u, "reason", cli_json_text(x->unresolved[j].reason));
				json_array_append_new(un, u);
			}
			json_object_set_new(p, "unresolved", un);
			json_object_set_new(p, "frontier", strings(x->frontier, x->nfrontier));
			if (x->nall_sources || x->ncycles || x->nno_metadata) {
				json_t *cyc = json_array();
				for (j = 0; j < x->ncycles; j++) {
					size_t k = 0;
					while (x->cycles[j][k])
						k++;
					json_array_append_new(cyc, strings(x->cycles[j], k));
				}
				json_object_set_new(p, "all_sources", strings(x->all_sources, x->nall_sources));
				json_object_set_new(p, "no_source_metadata", strings(x->no_metadata, x->nno_metadata));
				json_object_set_new(p, "cycles", cyc);
			}
			if (x->error)
				json_object_set_new(p, "error", cli_json_text(x->error));
			json_array_append_new(pkgs, p);
		}
		json_object_set_new(doc, "packages", pkgs);
		return cli_json_write(doc);
	}
	for (i = 0; i < rv_closure_count(r); i++) {
		const struct rv_closure_result *x = rv_closure_result(r, i);
		if (x->error) {
			printf("ERROR   ");
			cli_put_escaped(stdout, x->error);
			fputc('\n', stdout);
			continue;
		}
		printf("%-7s ", x->nunresolved ? "UNRESOLVED" : x->dynamic_buildrequires ? "PARTIAL" : "CLOSED");
		cli_put_escaped(stdout, x->nevra);
		printf("  %zu binary package(s) from %zu source package(s)%s\n", x->nclosure,
		       x->nsources, x->dynamic_buildrequires ? " (dynamic BuildRequires: partial)" : "");
		for (j = 0; j < x->nunresolved; j++) {
			printf("        unresolved ");
			cli_put_escaped(stdout, x->unresolved[j].dependency);
			fputs(": ", stdout);
			cli_put_escaped(stdout, x->unresolved[j].reason);
			fputc('\n', stdout);
		}
		for (j = 0; j < x->nfrontier; j++)
			printf("        to import %s\n", x->frontier[j]);
		for (j = 0; j < x->ncycles; j++) {
			size_t k;
			printf("        build cycle:");
			for (k = 0; x->cycles[j][k]; k++)
				printf(" %s", x->cycles[j][k]);
			fputc('\n', stdout);
		}
		for (j = 0; j < x->nno_metadata; j++)
			printf("        no source metadata upstream for %s\n", x->no_metadata[j]);
		if (x->nall_sources)
			printf("        %zu source package(s) in all, recursively\n", x->nall_sources);
		if (cli_verbosity > 0) {
			for (j = 0; j < x->nclosure; j++)
				printf("        needs %s\n", x->closure[j]);
			for (j = 0; j < x->nsources; j++)
				printf("        from  %s\n", x->sources[j]);
		}
	}
	return 0;
}

/* The options closure and repo closure share; 1 when which was one of them. */
static int shared_option(struct cli_parser *p, int which, const char *arg, const char ***up,
			 size_t *nup, struct rv_closure_options *co)
{
	if (which == O_UPSTREAM) {
		*up = realloc(*up, (*nup + 1) * sizeof(**up));
		if (!*up)
			abort();
		(*up)[(*nup)++] = arg;
		p->seen &= ~(1ull << O_UPSTREAM); /* repeatable */
	} else if (which == O_ARCH) {
		co->arch = arg;
	} else if (which == O_NOCACHE) {
		co->no_cache = 1;
	} else {
		return 0;
	}
	return 1;
}

int cmd_closure(int argc, char **argv)
{
	struct cli_parser p = { argc, argv, "closure [--upstream PATH|URL]... [--repo DIR] [--recursive] [--arch ARCH] [--no-cache] [--format text|json] SRPM...",
				"Resolve each SRPM's BuildRequires with libsolv over upstream rpm-md\n"
				"repositories: the binary packages a build needs, the source packages\n"
				"that produce them, and every unresolvable BuildRequires with the reason.\n"
				"Without --upstream, the closure.upstream of --repo's policy.",
				options, 0, 0, "closure", 1 };
	struct rv_closure_options co;
	struct rv_closure_report *r = NULL;
	struct rv_error *err = NULL;
	struct rv_repo *repo = NULL;
	enum cli_format fmt = FMT_TEXT;
	const char **up = NULL, *arg;
	size_t nup = 0, i, unresolved = 0, errors = 0;
	int which, rc = 0;

	struct admitted adm = { NULL, 0 };
	const char *repodir = NULL;

	memset(&co, 0, sizeof(co));
	while (cli_next(&p, &which, &arg)) {
		if (shared_option(&p, which, arg, &up, &nup, &co)) {
			continue;
		} else if (which == O_REPO) {
			repodir = arg;
		} else if (which == O_RECURSIVE) {
			co.recursive = 1;
		} else if (cli_format(arg, 1u << FMT_TEXT | 1u << FMT_JSON, &fmt)) {
			free(up);
			return cli_usage_error(&p, "unknown format '%s' (text or json)", arg);
		}
	}
	if (cli_optind(&p) >= argc)
		rc = cli_usage_error(&p, "no source packages given");
	else if (!nup && !repodir)
		rc = cli_usage_error(&p, "give at least one --upstream PATH (or --repo DIR whose policy names closure.upstream)");
	if (rc) {
		free(up);
		return rc;
	}
	co.upstream = up;
	co.nupstream = nup;
	if (repodir) {
		struct rv_closure_options pc;
		struct rv_query q;

		repo = cli_repo_open(repodir);
		/* the repository's own upstreams, as its admissions resolve them */
		if (!nup && !rv_policy_closure_options(&pc, rv_repo_policy(repo))) {
			rv_repo_free(repo);
			free(up);
			return cli_usage_error(&p, "give at least one --upstream PATH: the policy of '%s' names no closure.upstream",
					       repodir);
		}
		if (!nup) {
			co.upstream = pc.upstream;
			co.nupstream = pc.nupstream;
			co.buildgroup = pc.buildgroup;
			co.arch = co.arch ? co.arch : pc.arch;
		}
		/* a remote upstream's repomd.xml is trusted as the repository's fetch trusts it */
		co.keys = rv_repo_keys(repo);
		co.require_signature = rv_repo_upstream_signature_required(repo);
		memset(&q, 0, sizeof(q));
		q.kind = RV_Q_LIST;
		adm.v = calloc(1, sizeof(*adm.v));
		if (!adm.v || rv_repo_query_rows(repo, &q, collect_src, &adm, &err))
			rc = cli_error(err);
		co.admitted = (const char *const *)adm.v;
	}
	if (!rc && rv_closure(&r, cli_ctx(), (const char *const *)argv + cli_optind(&p),
			      (size_t)(argc - cli_optind(&p)), &co, &err))
		rc = cli_error(err);
	rv_repo_free(repo);
	free(up);
	for (i = 0; i < adm.n; i++)
		free(adm.v[i]);
	free(adm.v);
	if (rc)
		return rc;
	rc = render(r, fmt);
	for (i = 0; i < rv_closure_count(r); i++) {
		unresolved += rv_closure_result(r, i)->nunresolved > 0;
		errors += rv_closure_result(r, i)->error != NULL;
	}
	rv_closure_report_free(r);
	if (!rc && (fflush(stdout) || ferror(stdout)))
		rc = cli_output_error();
	return rc ? rc : errors ? EXIT_RUN : unresolved ? EXIT_REJECT : EXIT_PASS;
}

/* rpmvet repo closure: every Requires of every binary package is satisfiable. */
int cmd_repo_closure(int argc, char **argv)
{
	struct cli_parser p = { argc, argv, "repo closure --upstream PATH|URL... [--arch ARCH] [--no-cache] [--format text|json]",
				"Check that every Requires of every binary package in the given\n"
				"repositories is satisfiable (dnf repoclosure's job); a conditional\n"
				"dependency whose condition cannot hold is satisfied.",
				repo_options, 0, 0, "repo closure", 0 };
	struct rv_closure_options co;
	struct rv_closure_report *r = NULL;
	struct rv_error *err = NULL;
	enum cli_format fmt = FMT_TEXT;
	const char **up = NULL, *arg;
	size_t nup = 0, i, j;
	int which, rc = 0;

	memset(&co, 0, sizeof(co));
	while (cli_next(&p, &which, &arg)) {
		if (shared_option(&p, which, arg, &up, &nup, &co)) {
			continue;
		} else if (cli_format(arg, 1u << FMT_TEXT | 1u << FMT_JSON, &fmt)) {
			free(up);
			return cli_usage_error(&p, "unknown format '%s' (text or json)", arg);
		}
	}
	if (cli_optind(&p) < argc || !nup) {
		free(up);
		return cli_usage_error(&p, nup ? "repo closure takes no arguments" : "give at least one --upstream PATH");
	}
	co.upstream = up;
	co.nupstream = nup;
	rc = rv_repoclosure(&r, cli_ctx(), &co, &err);
	free(up);
	if (rc)
		return cli_error(err);
	if (fmt == FMT_JSON) {
		json_t *doc = cli_json_doc(0), *pkgs = json_array();
		json_object_set_new(doc, "checked", json_integer((json_int_t)rv_closure_checked(r)));
		for (i = 0; i < rv_closure_count(r); i++) {
			const struct rv_closure_result *x = rv_closure_result(r, i);
			json_t *o = json_object(), *deps = json_array();
			json_object_set_new(o, "nevra", cli_json_text(x->nevra));
			json_object_set_new(o, "repository", cli_json_text(x->path));
			for (j = 0; j < x->nunresolved; j++)
				json_array_append_new(deps, cli_json_text(x->unresolved[j].dependency));
			json_object_set_new(o, "unresolved", deps);
			json_array_append_new(pkgs, o);
		}
		json_object_set_new(doc, "packages", pkgs);
		if (cli_json_write(doc))
			rc = EXIT_RUN;
	} else {
		for (i = 0; i < rv_closure_count(r); i++) {
			const struct rv_closure_result *x = rv_closure_result(r, i);
			printf("package: ");
			cli_put_escaped(stdout, x->nevra);
			printf(" from ");
			cli_put_escaped(stdout, x->path);
			printf("\n  unresolved deps (%zu):\n", x->nunresolved);
			for (j = 0; j < x->nunresolved; j++) {
				printf("    ");
				cli_put_escaped(stdout, x->unresolved[j].dependency);
				fputc('\n', stdout);
			}
		}
		printf("%zu of %zu package(s) have unresolved dependencies\n", rv_closure_count(r),
		       rv_closure_checked(r));
	}
	i = rv_closure_count(r);
	rv_closure_report_free(r);
	if (!rc && (fflush(stdout) || ferror(stdout)))
		rc = cli_output_error();
	return rc ? rc : i ? EXIT_REJECT : EXIT_PASS;
}
