/* SPDX-License-Identifier: MIT */
/* rpmvet key: add, list and remove keys of a trust store. */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { OPT_KEYS, OPT_FORMAT, OPT_REPO };

static const struct cli_option options[] = {
	[OPT_KEYS] = { "keys", 'k', "DIR", "trust store directory (or use --repo)" },
	[OPT_FORMAT] = { "format", 'f', "FMT", "key list output: text (default) or json" },
	[OPT_REPO] = { "repo", 'r', "DIR", "a curated repository: its keys/, with key-add/key-remove events (default: $RPMVET_REPO)" },
	{ NULL, 0, NULL, NULL },
};

static const char *state(const struct rv_key *k, time_t now)
{
	if (k->revoked)
		return "revoked";
	if (rv_key_is_expired(k, now))
		return "expired";
	return "valid";
}

static void text_key(const struct rv_key *k, time_t now, int sub)
{
	char c[32], e[32];

	printf("%s%s  %s %u%s%s  created %s  expires %s  %s%s\n", sub ? "    sub " : "",
	       k->fingerprint, k->algorithm, k->bits, k->curve ? "/" : "",
	       k->curve ? k->curve : "", cli_time(c, sizeof(c), k->created),
	       k->expires ? cli_time(e, sizeof(e), k->expires) : "never",
	       state(k, now), k->can_sign ? "  [sign]" : "");
	if (k->uid) {
		fputs("    ", stdout);
		cli_put_escaped(stdout, k->uid);
		fputc('\n', stdout);
	}
}

static json_t *json_key(const struct rv_key *k, time_t now)
{
	char c[32], e[32];
	json_t *o = json_object();
	size_t i;

	json_object_set_new(o, "fingerprint", json_string(k->fingerprint));
	json_object_set_new(o, "keyid", json_string(k->keyid));
	if (!k->primary)
		json_object_set_new(o, "uid", k->uid ? cli_json_text(k->uid) : json_null());
	json_object_set_new(o, "algorithm", json_string(k->algorithm));
	json_object_set_new(o, "bits", json_integer(k->bits));
	json_object_set_new(o, "curve", k->curve ? json_string(k->curve) : json_null());
	json_object_set_new(o, "created", json_string(cli_time(c, sizeof(c), k->created)));
	json_object_set_new(o, "expires", k->expires ? json_string(cli_time(e, sizeof(e), k->expires))
						      : json_null());
	json_object_set_new(o, "expired", json_boolean(rv_key_is_expired(k, now)));
	json_object_set_new(o, "revoked", json_boolean(k->revoked));
	json_object_set_new(o, "can_sign", json_boolean(k->can_sign));
	if (!k->primary) {
		json_t *subs = json_array();
		for (i = 0; i < k->nsubkeys; i++)
			json_array_append_new(subs, json_key(&k->subkeys[i], now));
		json_object_set_new(o, "subkeys", subs);
	}
	return o;
}

static int list(const struct rv_keystore *ks, enum cli_format fmt)
{
	time_t now = time(NULL);
	size_t i, j;

	if (fmt == FMT_JSON) {
		json_t *doc = cli_json_doc(0), *arr = json_array();
		for (i = 0; i < rv_keystore_count(ks); i++)
			json_array_append_new(arr, json_key(rv_keystore_key(ks, i), now));
		json_object_set_new(doc, "keys", arr);
		return cli_json_write(doc) ? EXIT_RUN : EXIT_PASS;
	}
	for (i = 0; i < rv_keystore_count(ks); i++) {
		const struct rv_key *k = rv_keystore_key(ks, i);
		text_key(k, now, 0);
		for (j = 0; j < k->nsubkeys; j++)
			text_key(&k->subkeys[j], now, 1);
	}
	return EXIT_PASS;
}

/* DIR/.. holds rpmvet.db: a repository's keys/, whose changes are events. */
static int is_repo_store(const char *dir)
{
	size_t n = strlen(dir);
	char *db;
	struct stat st;
	int yes;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	db = malloc(n + sizeof("/../rpmvet.db"));
	if (!db)
		abort();
	memcpy(db, dir, n);
	memcpy(db + n, "/../rpmvet.db", sizeof("/../rpmvet.db"));
	yes = !stat(db, &st);
	free(db);
	return yes;
}

int cmd_key(int argc, char **argv)
{
	/* the subcommand comes first: key add --keys DIR FILE... */
	int shift = argc > 1 && argv[1][0] != '-';
	struct cli_parser p = { argc - shift, argv + shift, "key add|list|remove (--keys DIR | --repo DIR) [ARGS]",
				"Manage the trust store.  add FILE...: import armored public keys\n"
				"(each stored under its full fingerprint).  list: show each key's\n"
				"fingerprint, user id, algorithm, dates and state.  remove FPR...:\n"
				"remove keys by full fingerprint.",
				options, 0, 0, "key", 1 };
	enum cli_format fmt = FMT_TEXT;
	struct rv_keystore *own = NULL;
	const struct rv_keystore *ks = NULL;
	struct rv_error *err = NULL;
	const char *keys = NULL, *arg, *sub, *repodir = NULL;
	struct rv_repo *repo = NULL;
	char **args;
	int which, nargs, i, rc = EXIT_PASS;

	while (cli_next(&p, &which, &arg)) {
		if (which == OPT_KEYS)
			keys = arg;
		else if (which == OPT_REPO)
			repodir = arg;
		else if (cli_format(arg, 1u << FMT_TEXT | 1u << FMT_JSON, &fmt))
			return cli_usage_error(&p, "unknown format '%s' (text or json)", arg);
	}
	args = p.argv + cli_optind(&p);
	nargs = p.argc - cli_optind(&p);
	if (shift) {
		sub = argv[1];
	} else {
		if (!nargs)
			return cli_usage_error(&p, "no subcommand given (add, list or remove)");
		sub = *args++;
		nargs--;
	}
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "remove"))
		return cli_usage_error(&p, "unknown subcommand '%s' (add, list or remove)", sub);
	if (keys && repodir)
		return cli_usage_error(&p, "give --keys or --repo, not both");
	if (!keys && !repodir && getenv("RPMVET_REPO") && *getenv("RPMVET_REPO"))
		repodir = getenv("RPMVET_REPO");
	if (!keys && !repodir)
		return cli_usage_error(&p, "no trust store given: use --keys DIR or --repo DIR (or set RPMVET_REPO)");
	if (!strcmp(sub, "list") && nargs)
		return cli_usage_error(&p, "key list takes no arguments");
	if (strcmp(sub, "list") && !nargs)
		return cli_usage_error(&p, "key %s needs at least one %s", sub,
				       !strcmp(sub, "add") ? "key file" : "fingerprint");
	if (repodir) {
		repo = cli_repo_open(repodir);
		ks = rv_repo_keys(repo);
		keys = repodir;
	} else if (strcmp(sub, "list") && is_repo_store(keys)) {
		return cli_fail(EXIT_USAGE, "'%s' is the trust store of a repository: change it with --repo, which records the event",
				keys);
	} else if (rv_keystore_open(&own, cli_ctx(), keys, !strcmp(sub, "add"), &err)) {
		return cli_error(err);
	} else {
		ks = own;
	}
	if (!strcmp(sub, "list")) {
		rc = list(ks, fmt);
	} else if (!strcmp(sub, "add")) {
		/* all files in one gpg home: a bad one leaves the store untouched */
		char **added = NULL;
		size_t j;
		if (repo ? rv_repo_key_add(repo, (const char *const *)args, (size_t)nargs, cli_actor(),
					   &added, &err)
			 : rv_keystore_add_files(own, (const char *const *)args, (size_t)nargs, &added, &err))
			rc = cli_error(err);
		for (j = 0; added && added[j] && rc == EXIT_PASS; j++) {
			const struct rv_key *k = rv_keystore_find(ks, added[j]);
			printf("added %s", added[j]);
			if (k && k->uid) {
				fputs("  ", stdout);
				cli_put_escaped(stdout, k->uid);
			}
			fputc('\n', stdout);
		}
		rv_strv_free(added);
	} else {
		/* every fingerprint must name a stored primary key before any goes */
		for (i = 0; i < nargs && rc == EXIT_PASS; i++) {
			const struct rv_key *k = rv_keystore_find(ks, args[i]);
			size_t n = strlen(args[i]);
			if ((n != 40 && n != 64) || strspn(args[i], "0123456789abcdefABCDEF") != n)
				rc = cli_fail(EXIT_USAGE, "'%s' is not a full fingerprint (40 or 64 hex digits)", args[i]);
			else if (!k)
				rc = cli_fail(EXIT_RUN, "no key %s in the trust store '%s'", args[i], keys);
			else if (k->primary)
				rc = cli_fail(EXIT_USAGE, "%s is a subkey of %s: remove the primary key",
					      args[i], k->primary->fingerprint);
		}
		for (i = 0; i < nargs && rc == EXIT_PASS; i++) {
			if (repo ? rv_repo_key_remove(repo, args[i], cli_actor(), &err)
				 : rv_keystore_remove(own, args[i], &err))
				rc = cli_error(err);
			else
				printf("removed %s\n", args[i]);
		}
	}
	rv_repo_free(repo);
	rv_keystore_free(own);
	if (rc == EXIT_PASS && (fflush(stdout) || ferror(stdout)))
		rc = cli_output_error();
	return rc;
}
