/* SPDX-License-Identifier: MIT */
/* Unit tests of the SBOM store on :memory: and a temp file: events, chain, records, queries. */
#include "tap.h"

#include "error.h"
#include "facts.h"
#include "report.h"
#include "store.h"
#include "util.h"

#include <jansson.h>
#include <sqlite3.h>

static struct rv_event event(const char *kind, const char *subject, const char *name)
{
	struct rv_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.subject = subject;
	ev.name = name;
	ev.actor = "tester@host";
	ev.policy_sha256 = "0123";
	ev.time = 1700000000;
	return ev;
}

static void test_memory_chain(void **state)
{
	struct rv_store *st = NULL;
	struct rv_event ev = event("init", "/repo", NULL);
	struct rv_finding f = { .check = "signature", .code = "signature.missing",
				 .severity = RV_SEV_ERROR, .message = (char *)"not signed" };
	int64_t id = 0, count, first;
	char *why;

	(void)state;
	assert_int_equal(rv_store_open(&st, ":memory:", 1, NULL), 0);
	assert_int_equal(rv_store_event(st, &ev, &id, NULL), 0);
	assert_int_equal(id, 1);
	ev = event("reject", "hello-1.0-1.src", "hello");
	ev.findings = &f;
	ev.nfindings = 1;
	ev.verdict = "reject";
	assert_int_equal(rv_store_event(st, &ev, &id, NULL), 0);
	assert_int_equal(id, 2);
	assert_int_equal(rv_store_audit(st, &count, &first, &why, NULL), 0);
	assert_int_equal(count, 2);
	assert_int_equal(first, 0);
	assert_null(why);
	rv_store_close(st);
}

/* A package with two deps and one file, recorded under an admit event. */
static void add_pkg(struct rv_store *st, const char *name, const char *ver, const char *sha,
		    int64_t *event_id)
{
	struct rv_facts f;
	struct rv_dep deps[2];
	struct rv_file file;
	struct rv_result res;
	struct rv_event ev;
	char nevra[128], fname[128];

	memset(&f, 0, sizeof(f));
	memset(&res, 0, sizeof(res));
	snprintf(nevra, sizeof(nevra), "%s-%s-1.src", name, ver);
	snprintf(fname, sizeof(fname), "%s-%s-1.src.rpm", name, ver);
	f.name = (char *)name;
	f.version = (char *)ver;
	f.release = (char *)"1";
	f.arch = (char *)"src";
	f.epoch = -1;
	f.license = (char *)"MIT";
	f.filename = fname;
	deps[0] = (struct rv_dep){ .kind = "buildrequires", .name = (char *)"gcc", .flags = 12,
				   .evr = (char *)"4.8" };
	deps[1] = (struct rv_dep){ .kind = "provides", .name = (char *)name, .flags = 8,
				   .evr = (char *)ver };
	f.deps = deps;
	f.ndeps = 2;
	file = (struct rv_file){ .path = (char *)"hello.spec", .size = 10, .digest = (char *)"ab",
				 .digest_algo = 8, .kind = 1 };
	f.files = &file;
	f.nfiles = 1;
	f.xml_primary = (char *)"<package>p</package>";
	f.xml_filelists = (char *)"<package>f</package>";
	f.xml_other = (char *)"<package>o</package>";
	res.nevra = nevra;
	res.size = 10;
	rv_strlcpy_case(res.sha256, sha, sizeof(res.sha256), 0);
	ev = event("admit", nevra, name);
	ev.verdict = "pass";
	assert_int_equal(rv_store_begin(st, NULL), 0);
	assert_int_equal(rv_store_admit(st, &ev, &f, &res, "/in/x.rpm", 0, event_id, NULL), 0);
	assert_int_equal(rv_store_commit(st, NULL), 0);
}

static void test_records_and_queries(void **state)
{
	struct rv_store *st = NULL;
	struct rv_store_chunks c1, c2;
	struct rv_stored *list = NULL, cur[1];
	struct rv_query q;
	struct rv_event ev;
	int64_t ev1, ev2, rows;
	char *json = NULL, *why = (char *)"x";
	json_t *doc;

	(void)state;
	assert_int_equal(rv_store_open(&st, ":memory:", 1, NULL), 0);
	add_pkg(st, "alpha", "1.0", "aaaa", &ev1);
	add_pkg(st, "beta", "2.0", "bbbb", &ev2);
	assert_int_equal(rv_store_current_by_name(st, "alpha", &list, NULL), 1);
	assert_string_equal(list[0].nevra, "alpha-1.0-1.src");
	assert_string_equal(list[0].sha256, "aaaa");
	assert_int_equal(list[0].epoch, -1);
	rv_stored_free(list, 1);
	assert_int_equal(rv_store_current_by_nevra(st, "beta-2.0-1.src", cur, NULL), 1);
	rv_stored_free(NULL, 0);
	rv_stored_release(&cur[0]);
	assert_int_equal(rv_store_current_by_nevra(st, "gamma-1-1.src", cur, NULL), 0);

	/* the revision names the set: it changes when the set changes */
	assert_int_equal(rv_store_chunks(st, &c1, NULL), 0);
	assert_int_equal(c1.md.n, 2);
	assert_string_equal(c1.filenames[0], "alpha-1.0-1.src.rpm");
	assert_string_equal(c1.md.chunks[1][2], "<package>o</package>");
	assert_int_equal(rv_store_current_by_nevra(st, "beta-2.0-1.src", cur, NULL), 1);
	rv_stored_release(&cur[0]);
	ev = event("remove", "beta-2.0-1.src", NULL);
	assert_int_equal(rv_store_remove(st, &ev, cur[0].id, &ev2, NULL), 0);
	assert_int_equal(rv_store_chunks(st, &c2, NULL), 0);
	assert_int_equal(c2.md.n, 1);
	assert_string_not_equal(c1.revision, c2.revision);
	/* the rows, the removal among them, are the ones the events recorded */
	assert_int_equal(rv_store_audit_records(st, &rows, &why, NULL), 0);
	assert_int_equal(rows, 2);
	assert_null(why);
	rv_store_chunks_release(&c1);
	rv_store_chunks_release(&c2);

	memset(&q, 0, sizeof(q));
	q.kind = RV_Q_SEARCH;
	q.requires = "gcc";
	assert_int_equal(rv_store_query(st, &q, &json, NULL), 0);
	doc = json_loads(json, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(doc, "packages")), 2);
	json_decref(doc);
	free(json);

	q.requires = NULL;
	q.provides = "alpha";
	assert_int_equal(rv_store_query(st, &q, &json, NULL), 0);
	doc = json_loads(json, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(doc, "packages")), 1);
	json_decref(doc);
	free(json);

	memset(&q, 0, sizeof(q));
	q.kind = RV_Q_SHOW;
	q.nevra = "alpha-1.0-1.src";
	assert_int_equal(rv_store_query(st, &q, &json, NULL), 0);
	doc = json_loads(json, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "package"), "license")), "MIT");
	assert_int_equal(json_array_size(json_object_get(json_object_get(doc, "package"), "dependencies")), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
		json_object_get(doc, "package"), "files"), 0), "kind")), "spec");
	json_decref(doc);
	free(json);
	q.nevra = "nope-1-1.src";
	assert_int_equal(rv_store_query(st, &q, &json, NULL), RV_ENOTFOUND);

	memset(&q, 0, sizeof(q));
	q.kind = RV_Q_HISTORY;
	q.name = "beta";
	assert_int_equal(rv_store_query(st, &q, &json, NULL), 0);
	doc = json_loads(json, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(doc, "events")), 2); /* admit, remove */
	/* data only: the document around it (format_version) is the caller's */
	assert_int_equal(json_object_size(doc), 2);
	assert_null(json_object_get(doc, "format_version"));
	json_decref(doc);
	free(json);
	rv_store_close(st);
}

/* Tampering with a file database is found, at the right event. */
static void test_tamper(void **state)
{
	char *dir = tap_tmpdir(), *path = tap_fmt("%s/t.db", dir), *why;
	struct rv_store *st = NULL;
	struct rv_event ev;
	int64_t count, first, id;
	sqlite3 *db;
	int i;

	(void)state;
	assert_int_equal(rv_store_open(&st, path, 1, NULL), 0);
	for (i = 0; i < 5; i++) {
		ev = event("verify", "x-1-1.src", "x");
		assert_int_equal(rv_store_event(st, &ev, &id, NULL), 0);
	}
	rv_store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	/* the triggers refuse edits */
	assert_int_not_equal(sqlite3_exec(db, "UPDATE events SET actor = 'x' WHERE id = 3", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER events_append_only_u;"
				      "UPDATE events SET actor = 'mallory@evil' WHERE id = 3", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(rv_store_open(&st, path, 0, NULL), 0);
	assert_int_equal(rv_store_audit(st, &count, &first, &why, NULL), 0);
	assert_int_equal(first, 3);
	assert_non_null(strstr(why, "event 3 was altered"));
	free(why);
	rv_store_close(st);
	tap_rmtree(dir);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_chain),
		cmocka_unit_test(test_records_and_queries),
		cmocka_unit_test(test_tamper),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
