/* SPDX-License-Identifier: MIT */
/* store: the SBOM database (sqlite): schema, migrations, records, event chain, queries. */
#include "store.h"
#include "error.h"
#include "facts.h"
#include "pkg.h"
#include "util.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rv_store {
	sqlite3 *db;
	char *path;
};

/* Each migration takes the schema from version i to i + 1. */
static const char *const migrations[] = {
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY, time TEXT NOT NULL, epoch INTEGER NOT NULL,"
	"  actor TEXT NOT NULL, tool_version TEXT NOT NULL, policy_sha256 TEXT,"
	"  kind TEXT NOT NULL, subject TEXT, name TEXT, verdict TEXT, detail TEXT,"
	"  findings TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE INDEX events_name ON events(name);"
	"CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER events_append_only_d BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TABLE packages ("
	"  id INTEGER PRIMARY KEY, nevra TEXT NOT NULL, name TEXT NOT NULL,"
	"  epoch INTEGER, version TEXT NOT NULL, release TEXT NOT NULL, arch TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL, header_sha256 TEXT, payload_digest TEXT, size INTEGER NOT NULL,"
	"  license TEXT, summary TEXT, url TEXT, vendor TEXT, packager TEXT, buildhost TEXT,"
	"  buildtime INTEGER, sourcerpm TEXT, signer_fpr TEXT, signer_keyid TEXT,"
	"  origin TEXT, filename TEXT NOT NULL,"
	"  admitted_event INTEGER NOT NULL REFERENCES events(id),"
	"  removed_event INTEGER REFERENCES events(id));"
	"CREATE INDEX packages_name ON packages(name);"
	"CREATE INDEX packages_nevra ON packages(nevra);"
	"CREATE TABLE deps (package_id INTEGER NOT NULL REFERENCES packages(id),"
	"  kind TEXT NOT NULL, name TEXT NOT NULL, flags INTEGER NOT NULL, evr TEXT);"
	"CREATE INDEX deps_name ON deps(kind, name);"
	"CREATE INDEX deps_pkg ON deps(package_id);"
	"CREATE TABLE files (package_id INTEGER NOT NULL REFERENCES packages(id),"
	"  path TEXT NOT NULL, size INTEGER, digest TEXT, digest_algo INTEGER, kind TEXT NOT NULL);"
	"CREATE INDEX files_pkg ON files(package_id);"
	"CREATE TABLE repodata (package_id INTEGER PRIMARY KEY REFERENCES packages(id),"
	"  primary_xml TEXT NOT NULL, filelists_xml TEXT NOT NULL, other_xml TEXT NOT NULL);",
	/* 2: repodata is written in file-name order without sorting all the XML */
	"CREATE INDEX packages_current_filename ON packages(filename) WHERE removed_event IS NULL;"
	"CREATE INDEX events_epoch ON events(epoch);",
	/* 3: never two current packages with one file or one NEVRA */
	"DROP INDEX packages_current_filename;"
	"CREATE UNIQUE INDEX packages_current_filename ON packages(filename) WHERE removed_event IS NULL;"
	"CREATE UNIQUE INDEX packages_current_nevra ON packages(nevra) WHERE removed_event IS NULL;",
	/* 4: events hashed with length-prefixed fields (event_hash()); older ones keep format 1 */
	"ALTER TABLE events ADD COLUMN hash_format INTEGER NOT NULL DEFAULT 1;",
	/* 5: events carry the digests of every row they record (record_of()), hashed with
	 * them (format 3); older events keep their format */
	"ALTER TABLE events ADD COLUMN record TEXT;",
	/* 6: the upstream signers of each admitted package (key continuity), under the record */
	"CREATE TABLE IF NOT EXISTS upstream_signers (package_id INTEGER NOT NULL REFERENCES packages(id),"
	"  file TEXT NOT NULL, signature TEXT NOT NULL, fingerprint TEXT NOT NULL,"
	"  certifiers TEXT);"
	"CREATE INDEX IF NOT EXISTS upstream_signers_pkg ON upstream_signers(package_id);",
	/* 7: columns only (added_columns) */
	"",
	/* 8: columns only (added_columns) */
	"",
};

/* Columns added by a migration (to schema `to`), each only when the table lacks it:
 * NULL in the rows admitted before, which their admit records do not cover. */
static const struct {
	int to;
	const char *table, *column, *type;
} added_columns[] = {
	/* each embedded file's status against the sources ledger, and the ledger used */
	{ 7, "files", "ledger", "TEXT" }, { 7, "packages", "sources_ledger", "TEXT" },
	/* a downloaded package (its origin is the URL): the mirror, the sha256 of the
	 * repomd.xml that pinned its checksum, and that checksum from primary */
	{ 8, "packages", "origin_mirror", "TEXT" }, { 8, "packages", "origin_repomd_sha256", "TEXT" },
	{ 8, "packages", "origin_checksum", "TEXT" },
};

static int db_fail(struct rv_store *st, struct rv_error **err, const char *what)
{
	int busy = sqlite3_errcode(st->db) == SQLITE_BUSY || sqlite3_errcode(st->db) == SQLITE_LOCKED;

	rv_error_set(err, RV_EIO, "%s '%s'%s", what, st->path,
		     busy ? ": the database is locked by another process" : "");
	rv_error_cause(err, sqlite3_errmsg(st->db));
	return RV_EIO;
}

static int exec(struct rv_store *st, const char *sql, struct rv_error **err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(st, err, "database error in");
	return 0;
}

static int schema_version(struct rv_store *st)
{
	sqlite3_stmt *s = NULL;
	int v = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &s,
			       NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = atoi((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v;
}

static int has_column(struct rv_store *st, const char *table, const char *column)
{
	sqlite3_stmt *s = NULL;
	int found = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &s,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, column, -1, SQLITE_STATIC);
		found = sqlite3_step(s) == SQLITE_ROW;
	}
	sqlite3_finalize(s);
	return found;
}

static int add_columns(struct rv_store *st, int to, struct rv_error **err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < RV_ARRAY_SIZE(added_columns) && !rc; i++) {
		char *sql;
		if (added_columns[i].to != to ||
		    has_column(st, added_columns[i].table, added_columns[i].column))
			continue;
		sql = rv_xasprintf("ALTER TABLE %s ADD COLUMN %s %s", added_columns[i].table,
				   added_columns[i].column, added_columns[i].type);
		rc = exec(st, sql, err);
		free(sql);
	}
	return rc;
}

static int migrate(struct rv_store *st, struct rv_error **err)
{
	int v = schema_version(st), rc = 0;
	char sql[128];

	if (v > RV_STORE_SCHEMA)
		return rv_error_set(err, RV_EINVAL,
				    "the database '%s' has schema %d, newer than this rpmvet knows (%d)",
				    st->path, v, RV_STORE_SCHEMA);
	for (; v < RV_STORE_SCHEMA && !rc; v++) {
		if ((rc = rv_store_begin(st, err)))
			break;
		snprintf(sql, sizeof(sql),
			 "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema', '%d')", v + 1);
		if ((rc = exec(st, migrations[v], err)) || (rc = add_columns(st, v + 1, err)) ||
		    (rc = exec(st, sql, err))) {
			rv_store_rollback(st);
			break;
		}
		rc = rv_store_commit(st, err);
	}
	return rc;
}

int rv_store_open(struct rv_store **out, const char *path, int create,
		  struct rv_error **err)
{
	struct rv_store *st = rv_xcalloc(1, sizeof(*st));
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
		    SQLITE_OPEN_FULLMUTEX;
	int rc;

	*out = NULL;
	st->path = rv_xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		rc = rv_error_set(err, create ? RV_EIO : RV_ENOTFOUND, "cannot open the database '%s'",
				  path);
		rv_error_cause(err, st->db ? sqlite3_errmsg(st->db) : NULL);
		rv_store_close(st);
		return rc;
	}
	/* writers wait up to 10 s for another writer, then it is an error */
	sqlite3_busy_timeout(st->db, 10000);
	if ((rc = exec(st, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
			   "PRAGMA synchronous=FULL;", err)) ||
	    (rc = migrate(st, err))) {
		rv_store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

void rv_store_close(struct rv_store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int rv_store_begin(struct rv_store *st, struct rv_error **err)
{
	return exec(st, "BEGIN IMMEDIATE", err);
}

int rv_store_commit(struct rv_store *st, struct rv_error **err)
{
	return exec(st, "COMMIT", err);
}

void rv_store_rollback(struct rv_store *st)
{
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static char *findings_json(const struct rv_finding *f, size_t n)
{
	json_t *a = json_array();
	char *s;
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s?}", "check", f[i].check, "code", f[i].code,
				      "severity", rv_severity_name(f[i].severity), "message",
				      f[i].message);
		/* the waiver is part of the decision: recorded, and so under the hash */
		if (f[i].waived) {
			char date[32];
			json_object_set_new(o, "waived",
					    json_pack("{s:s?,s:o}", "reason", f[i].waiver_reason,
						      "expires", f[i].waiver_expires
						      ? json_string(rv_date(date, sizeof(date),
									    f[i].waiver_expires))
						      : json_null()));
		}
		json_array_append_new(a, o);
	}
	s = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(a);
	return s;
}

static void iso_time(char *buf, size_t len, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * The hash of an event: every column but the hashes, and the previous hash.
 * Format 2 (schema 4 on) writes each field as its length, ':', its bytes
 * (NULL as '-'), so no two different rows give the same input. Format 3
 * (schema 5 on) adds the record: the digests of the rows the event created.
 * Format 1, of events recorded before schema 4, joined fields with a
 * separator byte: a value holding that byte could move text from one field
 * to the next unseen.
 */
#define NFIELDS 12
#define EVENT_HASH_FORMAT RV_STORE_EVENT_FORMAT
static void event_hash(char out[65], int format, const char *prev, int64_t id,
		       const char *fields[NFIELDS])
{
	char *buf = NULL;
	size_t len = 0, i, n = format >= 3 ? NFIELDS : NFIELDS - 1;
	FILE *f = open_memstream(&buf, &len);

	if (format == 1) {
		fprintf(f, "rpmvet-event-1\x1f%s\x1f%lld", prev, (long long)id);
		for (i = 0; i < n; i++) {
			fputc('\x1f', f);
			fputs(fields[i] ? fields[i] : "\x1e", f);   /* NULL differs from "" */
		}
	} else {
		fprintf(f, "rpmvet-event-%d;%zu:%s;%lld;", format, strlen(prev), prev, (long long)id);
		for (i = 0; i < n; i++) {
			if (fields[i])
				fprintf(f, "%zu:%s;", strlen(fields[i]), fields[i]);
			else
				fputs("-;", f);
		}
	}
	fclose(f);
	rv_sha256_hex(buf, len, out);
	free(buf);
}

static const char *col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

#ifdef RV_TEST_HOOKS
static time_t test_clock;

void rv_test_clock(time_t base)
{
	test_clock = base;
}
#endif

/* Append an event, with the record of the rows it created or removed (or NULL). */
static int append_event(struct rv_store *st, const struct rv_event *ev, const char *record,
			int64_t *id, struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	char prev[65] = "", hash[65], when[32], epoch[32], *fj = findings_json(ev->findings, ev->nfindings);
	const char *name = NULL;
	char *namebuf = NULL;
	time_t t = ev->time ? ev->time : time(NULL);
	int64_t next = 1;
	int rc = 0, own = sqlite3_get_autocommit(st->db);

	/* the package name, for history: given, or the NEVRA without version-release.arch */
	if (ev->name) {
		name = ev->name;
	} else if (ev->subject && !strcmp(ev->kind, "remove")) {
		const char *d = strrchr(ev->subject, '-');
		namebuf = d ? rv_xstrndup(ev->subject, (size_t)(d - ev->subject)) : NULL;
		d = namebuf ? strrchr(namebuf, '-') : NULL;
		if (d)
			*(char *)d = '\0';
		name = d ? namebuf : NULL;
	}
	/* reading the last hash and appending must not interleave with another writer */
	if (own && (rc = rv_store_begin(st, err)))
		goto out;
	if (sqlite3_prepare_v2(st->db, "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1", -1,
			       &s, NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot read the event log of");
		goto out;
	}
	if (sqlite3_step(s) == SQLITE_ROW) {
		next = sqlite3_column_int64(s, 0) + 1;
		rv_strlcpy_case(prev, col(s, 1), sizeof(prev), 0);
	} else {
		memset(prev, '0', 64);
		prev[64] = '\0';
	}
	sqlite3_finalize(s);
	s = NULL;
#ifdef RV_TEST_HOOKS
	if (test_clock)
		t = test_clock + (time_t)next - 1;
#endif
	iso_time(when, sizeof(when), t);
	snprintf(epoch, sizeof(epoch), "%lld", (long long)t);
	{
		const char *fields[NFIELDS] = { when, ev->actor, RV_VERSION, ev->policy_sha256,
						ev->kind, ev->subject, ev->verdict, ev->detail, fj,
						epoch, name, record };
		event_hash(hash, EVENT_HASH_FORMAT, prev, next, fields);
	}
	if (sqlite3_prepare_v2(st->db,
			       "INSERT INTO events (id, time, epoch, actor, tool_version, policy_sha256,"
			       " kind, subject, name, verdict, detail, findings, prev_hash, hash, hash_format,"
			       " record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &s, NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot record an event in");
		goto out;
	}
	sqlite3_bind_int64(s, 1, next);
	bind_text(s, 2, when);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)t);
	bind_text(s, 4, ev->actor);
	bind_text(s, 5, RV_VERSION);
	bind_text(s, 6, ev->policy_sha256);
	bind_text(s, 7, ev->kind);
	bind_text(s, 8, ev->subject);
	bind_text(s, 9, name);
	bind_text(s, 10, ev->verdict);
	bind_text(s, 11, ev->detail);
	bind_text(s, 12, fj);
	bind_text(s, 13, prev);
	bind_text(s, 14, hash);
	sqlite3_bind_int(s, 15, EVENT_HASH_FORMAT);
	bind_text(s, 16, record);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, err, "cannot record an event in");
	else if (id)
		*id = next;
out:
	sqlite3_finalize(s);
	if (own && rc)
		rv_store_rollback(st);
	else if (own && (rc = rv_store_commit(st, err)))
		rv_store_rollback(st);
	free(fj);
	free(namebuf);
	return rc;
}

int rv_store_event(struct rv_store *st, const struct rv_event *ev, int64_t *id,
		   struct rv_error **err)
{
	return append_event(st, ev, NULL, id, err);
}

/* The SBOM records requires (BuildRequires) in pass 0, then provides; no rpmlib() features. */
static int sbom_dep(const struct rv_dep *d, int pass)
{
	if (d->rpmlib)
		return 0;
	return pass ? !strcmp(d->kind, "provides")
		    : !strcmp(d->kind, "requires") || !strcmp(d->kind, "buildrequires");
}

static int add_upstream_signers(struct rv_store *st, const struct rv_facts *f, int64_t pid,
				struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	size_t i, j;
	int rc = 0;

	if (!f->nupstream)
		return 0;
	if (sqlite3_prepare_v2(st->db, "INSERT INTO upstream_signers VALUES (?,?,?,?,?)", -1, &s,
			       NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot record a package in");
	for (i = 0; i < f->nupstream && !rc; i++) {
		const struct rv_upstream_signer *u = &f->upstream[i];
		char *certs = NULL;
		for (j = 0; u->certifiers && u->certifiers[j]; j++) {
			char *c = rv_xasprintf("%s%s%s", certs ? certs : "", certs ? " " : "",
					       u->certifiers[j]);
			free(certs);
			certs = c;
		}
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, pid);
		bind_text(s, 2, u->file);
		bind_text(s, 3, u->signature);
		bind_text(s, 4, u->fingerprint);
		bind_text(s, 5, certs);
		free(certs);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = db_fail(st, err, "cannot record a package in");
	}
	sqlite3_finalize(s);
	return rc;
}

int rv_store_upstream_signers(struct rv_store *st, const char *name, int is_source,
			      char ***fprs, char **nevra, struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	size_t n = 0, cap = 0;
	int64_t pid = 0;
	int r;

	*fprs = NULL;
	if (nevra)
		*nevra = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT p.id, p.nevra, u.fingerprint FROM packages p"
			       " JOIN upstream_signers u ON u.package_id = p.id"
			       " WHERE p.name = ? AND (p.arch IN ('src', 'nosrc')) = ?"
			       " ORDER BY p.id DESC, u.rowid", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot read the upstream signers in");
	bind_text(s, 1, name);
	sqlite3_bind_int(s, 2, is_source ? 1 : 0);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (pid && sqlite3_column_int64(s, 0) != pid)
			break;
		if (!pid && nevra)
			*nevra = rv_xstrdup(col(s, 1) ? col(s, 1) : "");
		pid = sqlite3_column_int64(s, 0);
		rv_grow((void **)fprs, &cap, n + 2, sizeof(**fprs));
		(*fprs)[n++] = rv_xstrdup(col(s, 2) ? col(s, 2) : "");
		(*fprs)[n] = NULL;
	}
	sqlite3_finalize(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		rv_strv_free(*fprs);
		*fprs = NULL;
		if (nevra) {
			free(*nevra);
			*nevra = NULL;
		}
		return db_fail(st, err, "cannot read the upstream signers in");
	}
	return 0;
}

static int add_package(struct rv_store *st, const struct rv_facts *f,
		       const struct rv_result *res, const char *origin,
		       int64_t event, int64_t *id, struct rv_error **err)
{
	static const char *const kinds[] = { "file", "spec", "source", "patch" };
	sqlite3_stmt *s = NULL;
	int64_t pid;
	size_t i, j;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db,
			       "INSERT INTO packages (nevra, name, epoch, version, release, arch, sha256,"
			       " header_sha256, payload_digest, size, license, summary, url, vendor,"
			       " packager, buildhost, buildtime, sourcerpm, signer_fpr, signer_keyid,"
			       " origin, filename, admitted_event, sources_ledger, origin_mirror,"
			       " origin_repomd_sha256, origin_checksum)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &s,
			       NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot record a package in");
	bind_text(s, 1, res->nevra);
	bind_text(s, 2, f->name);
	if (f->epoch >= 0)
		sqlite3_bind_int64(s, 3, f->epoch);
	bind_text(s, 4, f->version);
	bind_text(s, 5, f->release);
	bind_text(s, 6, f->arch);
	bind_text(s, 7, res->sha256);
	bind_text(s, 8, f->header_sha256);
	bind_text(s, 9, f->payload_digest);
	sqlite3_bind_int64(s, 10, (sqlite3_int64)res->size);
	bind_text(s, 11, f->license);
	bind_text(s, 12, f->summary);
	bind_text(s, 13, f->url);
	bind_text(s, 14, f->vendor);
	bind_text(s, 15, f->packager);
	bind_text(s, 16, f->buildhost);
	sqlite3_bind_int64(s, 17, f->buildtime);
	bind_text(s, 18, f->sourcerpm);
	bind_text(s, 19, res->has_signer && res->signer.fingerprint[0] ? res->signer.fingerprint : NULL);
	bind_text(s, 20, res->has_signer ? res->signer.keyid : NULL);
	bind_text(s, 21, origin);
	bind_text(s, 22, f->filename);
	sqlite3_bind_int64(s, 23, event);
	bind_text(s, 24, f->sources_ledger);
	bind_text(s, 25, f->origin_mirror);
	bind_text(s, 26, f->origin_repomd_sha256);
	bind_text(s, 27, f->origin_checksum);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		return db_fail(st, err, "cannot record a package in");
	}
	sqlite3_finalize(s);
	pid = sqlite3_last_insert_rowid(st->db);
	if (sqlite3_prepare_v2(st->db, "INSERT INTO deps VALUES (?,?,?,?,?)", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot record a package in");
	for (j = 0; j < 2; j++)
	for (i = 0; i < f->ndeps && !rc; i++) {
		if (!sbom_dep(&f->deps[i], j))
			continue;
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, pid);
		bind_text(s, 2, f->deps[i].kind);
		bind_text(s, 3, f->deps[i].name);
		sqlite3_bind_int64(s, 4, f->deps[i].flags);
		bind_text(s, 5, f->deps[i].evr);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = db_fail(st, err, "cannot record a package in");
	}
	sqlite3_finalize(s);
	if (rc || sqlite3_prepare_v2(st->db, "INSERT INTO files VALUES (?,?,?,?,?,?,?)", -1, &s, NULL) != SQLITE_OK)
		return rc ? rc : db_fail(st, err, "cannot record a package in");
	for (i = 0; i < f->nfiles && !rc; i++) {
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, pid);
		bind_text(s, 2, f->files[i].path);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)f->files[i].size);
		bind_text(s, 4, f->files[i].digest);
		sqlite3_bind_int(s, 5, f->files[i].digest_algo);
		bind_text(s, 6, kinds[f->files[i].kind & 3]);
		bind_text(s, 7, f->files[i].ledger);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = db_fail(st, err, "cannot record a package in");
	}
	sqlite3_finalize(s);
	if (rc || sqlite3_prepare_v2(st->db, "INSERT INTO repodata VALUES (?,?,?,?)", -1, &s, NULL) != SQLITE_OK)
		return rc ? rc : db_fail(st, err, "cannot record a package in");
	sqlite3_bind_int64(s, 1, pid);
	bind_text(s, 2, f->xml_primary);
	bind_text(s, 3, f->xml_filelists);
	bind_text(s, 4, f->xml_other);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, err, "cannot record a package in");
	sqlite3_finalize(s);
	if (!rc)
		rc = add_upstream_signers(st, f, pid, err);
	if (!rc && id)
		*id = pid;
	return rc;
}

static void fill_stored(sqlite3_stmt *s, struct rv_stored *o)
{
	o->id = sqlite3_column_int64(s, 0);
	o->nevra = rv_xstrdup(col(s, 1));
	o->filename = rv_xstrdup(col(s, 2));
	rv_strlcpy_case(o->sha256, col(s, 3), sizeof(o->sha256), 0);
	o->epoch = sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 4);
	o->version = rv_xstrdup(col(s, 5));
	o->release = rv_xstrdup(col(s, 6));
	o->arch = rv_xstrdup(col(s, 7));
	o->header_sha256 = sqlite3_column_type(s, 8) == SQLITE_NULL ? NULL : rv_xstrdup(col(s, 8));
	o->payload_digest = sqlite3_column_type(s, 9) == SQLITE_NULL ? NULL : rv_xstrdup(col(s, 9));
	o->removed = sqlite3_column_type(s, 10) != SQLITE_NULL;
	o->signer = sqlite3_column_type(s, 11) == SQLITE_NULL ? NULL : rv_xstrdup(col(s, 11));
}

void rv_stored_release(struct rv_stored *o)
{
	free(o->nevra);
	free(o->filename);
	free(o->version);
	free(o->release);
	free(o->arch);
	free(o->header_sha256);
	free(o->payload_digest);
	free(o->signer);
}

void rv_stored_free(struct rv_stored *v, int n)
{
	int i;

	for (i = 0; v && i < n; i++)
		rv_stored_release(&v[i]);
	free(v);
}

#define STORED_COLS "id, nevra, filename, sha256, epoch, version, release, arch," \
	" header_sha256, payload_digest, removed_event, signer_fpr"

/* The end of a step loop: SQLITE_DONE, or an error that must not pass as "no more rows". */
static int step_end(struct rv_store *st, int rc, struct rv_error **err)
{
	return rc == SQLITE_DONE ? 0 : db_fail(st, err, "cannot read");
}

int rv_store_current_by_name(struct rv_store *st, const char *name,
			     struct rv_stored **out, struct rv_error **err)
{
	return rv_store_by_name(st, name, 0, out, err);
}

int rv_store_by_name(struct rv_store *st, const char *name, int removed,
		     struct rv_stored **out, struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	int n = 0, r;

	*out = NULL;
	if (sqlite3_prepare_v2(st->db, removed ? "SELECT " STORED_COLS " FROM packages WHERE name = ?"
			       " ORDER BY id" : "SELECT " STORED_COLS " FROM packages WHERE name = ?"
			       " AND removed_event IS NULL ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot query");
	bind_text(s, 1, name);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		*out = rv_xrealloc(*out, (size_t)(n + 1) * sizeof(**out));
		fill_stored(s, &(*out)[n++]);
	}
	sqlite3_finalize(s);
	if (step_end(st, r, err)) {
		rv_stored_free(*out, n);
		*out = NULL;
		return RV_EIO;
	}
	return n;
}

int rv_store_current_by_nevra(struct rv_store *st, const char *nevra,
			      struct rv_stored *out, struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	int found, r;

	if (sqlite3_prepare_v2(st->db, "SELECT " STORED_COLS " FROM packages WHERE nevra = ?"
			       " AND removed_event IS NULL", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot query");
	bind_text(s, 1, nevra);
	r = sqlite3_step(s);
	found = r == SQLITE_ROW;
	if (found)
		fill_stored(s, out);
	sqlite3_finalize(s);
	if (!found && r != SQLITE_DONE)
		return db_fail(st, err, "cannot read");
	return found;
}

int rv_store_key_recorded(struct rv_store *st, const char *fpr, struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT kind FROM events WHERE kind IN ('key-add', 'key-remove')"
			       " AND upper(subject) = upper(?) ORDER BY id DESC LIMIT 1", -1, &s,
			       NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot read the key events");
	bind_text(s, 1, fpr);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		rc = !strcmp(col(s, 0), "key-add");
	else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = db_fail(st, err, "cannot read the key events");
	sqlite3_finalize(s);
	return rc;
}

int rv_store_integrity(struct rv_store *st, struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	int ok;

	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot check");
	ok = sqlite3_step(s) == SQLITE_ROW && !strcmp(col(s, 0), "ok");
	sqlite3_finalize(s);
	if (!ok)
		return rv_error_set(err, RV_EIO,
				    "the database '%s' is damaged (PRAGMA quick_check failed): restore it before any repair",
				    st->path);
	return 0;
}

static int mark_removed(struct rv_store *st, int64_t pkg, int64_t event,
			struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "UPDATE packages SET removed_event = ? WHERE id = ?", -1,
			       &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot update");
	sqlite3_bind_int64(s, 1, event);
	sqlite3_bind_int64(s, 2, pkg);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, err, "cannot update");
	sqlite3_finalize(s);
	return rc;
}

int rv_store_chunks(struct rv_store *st, struct rv_store_chunks *out, struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	const char *(*v)[3] = NULL;
	size_t n = 0, cap = 0, idlen = 0;
	int srow = SQLITE_DONE;
	char *ids = NULL;
	FILE *idf = open_memstream(&ids, &idlen);

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(st->db,
			       "SELECT p.filename, p.sha256, r.primary_xml, r.filelists_xml, r.other_xml"
			       " FROM packages p JOIN repodata r ON r.package_id = p.id"
			       " WHERE p.removed_event IS NULL ORDER BY p.filename", -1, &s,
			       NULL) != SQLITE_OK) {
		fclose(idf);
		free(ids);
		return db_fail(st, err, "cannot read the repodata records of");
	}
	while ((srow = sqlite3_step(s)) == SQLITE_ROW) {
		int k;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = rv_xrealloc(v, cap * sizeof(*v));
			out->filenames = rv_xrealloc(out->filenames, cap * sizeof(char *));
			out->sha256s = rv_xrealloc(out->sha256s, cap * sizeof(char *));
		}
		out->filenames[n] = rv_xstrdup(col(s, 0));
		out->sha256s[n] = rv_xstrdup(col(s, 1));
		for (k = 0; k < 3; k++)
			v[n][k] = rv_xstrdup(col(s, 2 + k));
		fprintf(idf, "%s %s\n", col(s, 1), col(s, 0));
		n++;
	}
	sqlite3_finalize(s);
	fclose(idf);
	out->md.chunks = (const char *const (*)[3])v;
	out->md.n = n;
	out->priv = v;
	if (step_end(st, srow, err)) {
		free(ids);
		rv_store_chunks_release(out);
		return RV_EIO;
	}
	/* the revision names the exact set of packages the metadata describes */
	rv_sha256_hex(ids, idlen, out->revision);
	free(ids);
	out->md.chunks = (const char *const (*)[3])v;
	out->md.n = n;
	out->priv = v;
	return 0;
}

void rv_store_chunks_release(struct rv_store_chunks *c)
{
	const char *(*v)[3] = c->priv;
	size_t i;

	for (i = 0; i < c->md.n; i++) {
		free((char *)v[i][0]);
		free((char *)v[i][1]);
		free((char *)v[i][2]);
		free(c->filenames[i]);
		free(c->sha256s[i]);
	}
	free(v);
	free(c->filenames);
	free(c->sha256s);
	memset(c, 0, sizeof(*c));
}

/* What an admit event of format 1 or 2 says in its detail of the package row it created. */
static char *record_digest(int format, const char *sha256, const char *filename,
			   const char *license, const char *signer)
{
	char *file, *lic, *d;

	if (format == 1)
		return rv_xasprintf("sha256=%s file=%s license=%s signer=%s", sha256 ? sha256 : "",
				    filename ? filename : "", license ? license : "",
				    signer ? signer : "");
	/* file names and licenses are free text: length-prefixed, as in event_hash() */
	file = filename ? rv_xasprintf("%zu:%s", strlen(filename), filename) : rv_xstrdup("-");
	lic = license ? rv_xasprintf("%zu:%s", strlen(license), license) : rv_xstrdup("-");
	d = rv_xasprintf("sha256=%s file=%s license=%s signer=%s", sha256 ? sha256 : "-", file, lic,
			 signer ? signer : "-");
	free(file);
	free(lic);
	return d;
}

int rv_store_audit(struct rv_store *st, int64_t *count, int64_t *first, char **why,
		   struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	char prev[65], h[65];
	int64_t expect = 1;
	int srow = SQLITE_DONE, last_format = 1;

	*count = 0;
	*first = 0;
	*why = NULL;
	memset(prev, '0', 64);
	prev[64] = '\0';
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, time, actor, tool_version, policy_sha256, kind, subject,"
			       " verdict, detail, findings, CAST(epoch AS TEXT), name, prev_hash, hash,"
			       " hash_format, record FROM events ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot read the event log of");
	while ((srow = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		int format = sqlite3_column_int(s, 14);
		const char *fields[NFIELDS];
		int k;

		for (k = 0; k < NFIELDS - 1; k++)
			fields[k] = col(s, 1 + k);
		fields[NFIELDS - 1] = col(s, 15);
		(*count)++;
		if (id != expect)
			*why = rv_xasprintf("event %lld is missing (the next is %lld)",
					    (long long)expect, (long long)id);
		else if (strcmp(col(s, 12), prev))
			*why = rv_xasprintf("event %lld does not link to the event before it", (long long)id);
		else if (format < 1 || format > EVENT_HASH_FORMAT)
			*why = rv_xasprintf("event %lld has an unknown hash format %d", (long long)id, format);
		else if (format < last_format)
			/* once written in a format, the log never goes back to an older one */
			*why = rv_xasprintf("event %lld has hash format %d, older than the event before it (%d)",
					    (long long)id, format, last_format);
		else {
			event_hash(h, format, prev, id, fields);
			if (strcmp(h, col(s, 13)))
				*why = rv_xasprintf("event %lld was altered: its content does not match its hash",
						    (long long)id);
		}
		if (*why) {
			*first = id != expect ? expect : id;
			break;
		}
		rv_strlcpy_case(prev, col(s, 13), sizeof(prev), 0);
		expect = id + 1;
		last_format = format;
	}
	sqlite3_finalize(s);
	if (!*why && srow != SQLITE_DONE)
		return step_end(st, srow, err);
	return 0;
}

/* ---- records: every row bound to the event that recorded it --------------- */

/* A package's rows: its own, and those of the tables keyed by package_id. */
static const struct {
	const char *table, *key;
} record_tables[] = {
	{ "packages", "id" }, { "deps", "package_id" }, { "files", "package_id" },
	{ "repodata", "package_id" }, { "upstream_signers", "package_id" },
};
#define NTABLES (sizeof(record_tables) / sizeof(record_tables[0]))

/* Not facts of the admission: the key (recorded as "row") and the events that
 * admitted and removed the row (checked against those events). */
static int not_a_fact(const char *key, const char *column)
{
	return !strcmp(column, key) || !strcmp(column, "admitted_event") ||
	       !strcmp(column, "removed_event");
}

/* A value typed and length-prefixed: no two different values write the same bytes. */
static void put_value(FILE *f, sqlite3_stmt *s, int i)
{
	int type = sqlite3_column_type(s, i), n;

	switch (type) {
	case SQLITE_NULL:
		fputs("-;", f);
		break;
	case SQLITE_INTEGER:
		fprintf(f, "i%lld;", (long long)sqlite3_column_int64(s, i));
		break;
	case SQLITE_FLOAT:
		fprintf(f, "f%.17g;", sqlite3_column_double(s, i));
		break;
	default: {
		const void *v = type == SQLITE_BLOB ? sqlite3_column_blob(s, i)
						    : (const void *)sqlite3_column_text(s, i);
		n = sqlite3_column_bytes(s, i);
		fprintf(f, "%c%d:", type == SQLITE_BLOB ? 'b' : 't', n);
		if (n > 0)
			fwrite(v, 1, (size_t)n, f);
		fputc(';', f);
	}
	}
}

/*
 * One table's part of a package's record: how many rows the package has there
 * and, for every column (whatever the schema holds), the sha256 of that
 * column's values over those rows, sorted by every column.
 */
static int table_digests(struct rv_store *st, size_t t, int64_t pid, json_t **out,
			 struct rv_error **err)
{
	const char *table = record_tables[t].table, *key = record_tables[t].key;
	sqlite3_stmt *s = NULL;
	char *sql = rv_xasprintf("SELECT * FROM %s", table), *order = NULL, **bufs = NULL, hex[65];
	size_t *lens = NULL, olen = 0;
	FILE **fs = NULL, *of;
	int n = 0, i, r = SQLITE_DONE, rc = 0;
	json_int_t nrows = 0;

	*out = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot read the records of");
		goto out;
	}
	n = sqlite3_column_count(s);
	sqlite3_finalize(s);
	s = NULL;
	of = open_memstream(&order, &olen);
	for (i = 1; i <= n; i++)
		fprintf(of, "%s%d", i > 1 ? ", " : "", i);
	fclose(of);
	free(sql);
	sql = rv_xasprintf("SELECT * FROM %s WHERE %s = ? ORDER BY %s", table, key, order);
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot read the records of");
		goto out;
	}
	sqlite3_bind_int64(s, 1, pid);
	fs = rv_xcalloc((size_t)n, sizeof(*fs));
	bufs = rv_xcalloc((size_t)n, sizeof(*bufs));
	lens = rv_xcalloc((size_t)n, sizeof(*lens));
	for (i = 0; i < n; i++)
		fs[i] = open_memstream(&bufs[i], &lens[i]);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		nrows++;
		for (i = 0; i < n; i++)
			put_value(fs[i], s, i);
	}
	for (i = 0; i < n; i++)
		fclose(fs[i]);
	if (r != SQLITE_DONE) {
		rc = db_fail(st, err, "cannot read the records of");
		goto out;
	}
	*out = json_object();
	json_object_set_new(*out, "rows", json_integer(nrows));
	for (i = 0; i < n; i++) {
		if (not_a_fact(key, sqlite3_column_name(s, i)))
			continue;
		rv_sha256_hex(bufs[i], lens[i], hex);
		json_object_set_new(*out, sqlite3_column_name(s, i), json_string(hex));
	}
out:
	for (i = 0; bufs && i < n; i++)
		free(bufs[i]);
	free(bufs);
	free(lens);
	free(fs);
	free(order);
	free(sql);
	sqlite3_finalize(s);
	return rc;
}

/* The NEVRA of package row pid (the caller's), NULL when there is no such row. */
static int nevra_of(struct rv_store *st, int64_t pid, char **out, struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	int r;

	*out = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT nevra FROM packages WHERE id = ?", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot read the records of");
	sqlite3_bind_int64(s, 1, pid);
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		*out = rv_xstrdup(col(s, 0) ? col(s, 0) : "");
	sqlite3_finalize(s);
	return r == SQLITE_ROW || r == SQLITE_DONE ? 0 : db_fail(st, err, "cannot read the records of");
}

/* A JSON string of recorded text: what is not UTF-8 (a file name, say) is
 * escaped as reports escape it, never dropped to null. */
static json_t *text_json(const char *s)
{
	char *safe = rv_text_escape(s, 0);
	json_t *v = json_string(safe);

	free(safe);
	return v ? v : json_null();
}

/* {"row": id, "nevra": ...}: a row an event names */
static json_t *row_ref(int64_t pid, const char *nevra)
{
	json_t *v = nevra ? text_json(nevra) : NULL;

	return json_pack("{s:I,s:o}", "row", (json_int_t)pid, "nevra", v ? v : json_null());
}

/* The record of package row pid: its id and NEVRA, and the digests of every table. */
static int record_of(struct rv_store *st, int64_t pid, json_t **out, struct rv_error **err)
{
	char *nevra = NULL;
	json_t *d;
	size_t t;
	int rc;

	*out = NULL;
	if ((rc = nevra_of(st, pid, &nevra, err)))
		return rc;
	*out = row_ref(pid, nevra);
	free(nevra);
	for (t = 0; t < NTABLES; t++) {
		if ((rc = table_digests(st, t, pid, &d, err))) {
			json_decref(*out);
			*out = NULL;
			return rc;
		}
		json_object_set_new(*out, record_tables[t].table, d);
	}
	return 0;
}

static char *dump_record(json_t *rec)
{
	char *s = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);

	json_decref(rec);
	return s;
}

static int next_event_id(struct rv_store *st, int64_t *out, struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	int r;

	if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) + 1 FROM events", -1, &s,
			       NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot read the event log of");
	if ((r = sqlite3_step(s)) == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? 0 : db_fail(st, err, "cannot read the event log of");
}

int rv_store_admit(struct rv_store *st, const struct rv_event *ev, const struct rv_facts *f,
		   const struct rv_result *res, const char *origin, int64_t replaces,
		   int64_t *id, struct rv_error **err)
{
	json_t *rec = NULL;
	char *nevra = NULL, *rj = NULL;
	int64_t next = 0, pid = 0, got = 0;
	int rc;

	if (sqlite3_get_autocommit(st->db))
		return rv_error_set(err, RV_EINVAL, "an admission is recorded inside a transaction");
	/* the rows name their event before it is written, so that its hash covers them */
	if ((rc = next_event_id(st, &next, err)) ||
	    (rc = exec(st, "PRAGMA defer_foreign_keys = ON", err)))
		return rc;
	if (replaces && ((rc = nevra_of(st, replaces, &nevra, err)) ||
			 (rc = mark_removed(st, replaces, next, err))))
		goto out;
	if ((rc = add_package(st, f, res, origin, next, &pid, err)) ||
	    (rc = record_of(st, pid, &rec, err)))
		goto out;
	if (replaces)
		json_object_set_new(rec, "replaces", row_ref(replaces, nevra));
	rj = dump_record(rec);
	if (!(rc = append_event(st, ev, rj, &got, err)) && got != next)
		rc = rv_error_set(err, RV_EIO, "the event log of '%s' moved while recording %s",
				  st->path, res->nevra ? res->nevra : "a package");
	if (!rc && id)
		*id = got;
out:
	free(nevra);
	free(rj);
	return rc;
}

int rv_store_remove(struct rv_store *st, const struct rv_event *ev, int64_t pkg, int64_t *id,
		    struct rv_error **err)
{
	json_t *rec;
	char *nevra = NULL, *rj;
	int64_t got = 0;
	int rc;

	if ((rc = nevra_of(st, pkg, &nevra, err)))
		return rc;
	rec = json_pack("{s:o}", "removes", row_ref(pkg, nevra));
	rj = dump_record(rec);
	if (!(rc = append_event(st, ev, rj, &got, err)) && !(rc = mark_removed(st, pkg, got, err)) && id)
		*id = got;
	free(nevra);
	free(rj);
	return rc;
}

static char *row_label(const char *table, int64_t pid, const char *nevra)
{
	if (!strcmp(table, "packages"))
		return rv_xasprintf("packages row %lld (%s)", (long long)pid, nevra ? nevra : "-");
	return rv_xasprintf("%s of packages row %lld (%s)", table, (long long)pid, nevra ? nevra : "-");
}

/* Columns added after the record was: an admission recorded before holds none of
 * them, and its rows may only hold NULL there (the digest of rows NULLs). */
static int null_since(const char *table, const char *column, json_t *digest, json_int_t rows)
{
	char *nulls, hex[65];
	size_t i, ok = 0;

	for (i = 0; i < RV_ARRAY_SIZE(added_columns) && !ok; i++)
		ok = !strcmp(added_columns[i].table, table) && !strcmp(added_columns[i].column, column);
	if (!ok || rows < 0 || rows > 1 << 20)
		return 0;
	nulls = rv_xmalloc((size_t)rows * 2 + 1);
	for (i = 0; i < (size_t)rows; i++)
		memcpy(nulls + 2 * i, "-;", 2);
	rv_sha256_hex(nulls, (size_t)rows * 2, hex);
	free(nulls);
	return json_is_string(digest) && !strcmp(json_string_value(digest), hex);
}

/* The first difference between the record an admit event holds and the rows now. */
static char *record_diff(json_t *want, json_t *got, int64_t pid, const char *nevra, int64_t ev)
{
	char *label = NULL, *why = NULL;
	const char *k;
	json_t *w, *g, *v;
	size_t t;

	for (t = 0; t < NTABLES && !why; t++) {
		free(label);
		label = row_label(record_tables[t].table, pid, nevra);
		w = json_object_get(want, record_tables[t].table);
		g = json_object_get(got, record_tables[t].table);
		if (!json_is_object(w) &&
		    json_integer_value(json_object_get(g, "rows")) == 0 &&
		    !strcmp(record_tables[t].table, "upstream_signers"))
			continue; /* recorded before schema 6, which added the table: none since */
		if (!json_is_object(w)) {
			why = rv_xasprintf("%s: admit event %lld recorded nothing of this table",
					   label, (long long)ev);
			break;
		}
		if (!json_equal(json_object_get(w, "rows"), json_object_get(g, "rows"))) {
			why = rv_xasprintf("%s: %lld row(s), admit event %lld recorded %lld", label,
					   (long long)json_integer_value(json_object_get(g, "rows")),
					   (long long)ev,
					   (long long)json_integer_value(json_object_get(w, "rows")));
			break;
		}
		json_object_foreach(w, k, v) {
			if (!json_object_get(g, k)) {
				why = rv_xasprintf("%s: column %s is gone, admit event %lld recorded it",
						   label, k, (long long)ev);
				break;
			}
			if (!json_equal(v, json_object_get(g, k))) {
				why = rv_xasprintf("%s, column %s: differs from what admit event %lld recorded",
						   label, k, (long long)ev);
				break;
			}
		}
		json_object_foreach(g, k, v) {
			if (!why && !json_object_get(w, k) &&
			    !null_since(record_tables[t].table, k, v,
					json_integer_value(json_object_get(g, "rows"))))
				why = rv_xasprintf("%s, column %s: admit event %lld recorded no such column",
						   label, k, (long long)ev);
		}
	}
	free(label);
	return why;
}

/* Rows marked removed by a format-3 event: the row and the event, by row. */
struct removal {
	int64_t row, event;
	int replaced;
};

static int removal_cmp(const void *a, const void *b)
{
	const struct removal *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->event < y->event ? -1 : x->event > y->event;
}

static int removals(struct rv_store *st, struct removal **out, size_t *n, struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int r;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, json_extract(record, '$.removes.row'),"
			       " json_extract(record, '$.replaces.row') FROM events"
			       " WHERE hash_format >= 3 AND record IS NOT NULL ORDER BY id", -1, &s,
			       NULL) != SQLITE_OK)
		return db_fail(st, err, "cannot read the event log of");
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		int k;
		for (k = 1; k <= 2; k++) {
			if (sqlite3_column_type(s, k) == SQLITE_NULL)
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 16;
				*out = rv_xrealloc(*out, cap * sizeof(**out));
			}
			(*out)[*n].row = sqlite3_column_int64(s, k);
			(*out)[*n].event = sqlite3_column_int64(s, 0);
			(*out)[(*n)++].replaced = k == 2;
		}
	}
	sqlite3_finalize(s);
	if (r != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return db_fail(st, err, "cannot read the event log of");
	}
	if (*n)
		qsort(*out, *n, sizeof(**out), removal_cmp);
	return 0;
}

/* The first (earliest) event that removed row pid, or NULL. */
static const struct removal *removed_by(const struct removal *v, size_t n, int64_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].row < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].row == pid ? &v[lo] : NULL;
}

enum {
	P_ID, P_NEVRA, P_ADMITTED, P_REMOVED, A_ID, A_KIND, A_FORMAT, A_RECORD, A_DETAIL,
	P_SHA256, P_FILENAME, P_LICENSE, P_SIGNER, R_ID, R_KIND, R_FORMAT, R_SUBJECT
};

/* One package row against the admit event that recorded it and the event that removed it. */
static int audit_row(struct rv_store *st, sqlite3_stmt *s, const struct removal *rm, size_t nrm,
		     char **why, struct rv_error **err)
{
	int64_t pid = sqlite3_column_int64(s, P_ID), ev = sqlite3_column_int64(s, A_ID);
	const char *nevra = col(s, P_NEVRA);
	char *label = row_label("packages", pid, nevra);
	const struct removal *by = removed_by(rm, nrm, pid);
	json_t *want = NULL, *got = NULL;
	int rc = 0;

	if (sqlite3_column_type(s, A_ID) == SQLITE_NULL) {
		*why = rv_xasprintf("%s: no event recorded it (the admit event %s it names does not exist)",
				    label, col(s, P_ADMITTED) ? col(s, P_ADMITTED) : "-");
	} else if (strcmp(col(s, A_KIND), "admit")) {
		*why = rv_xasprintf("%s: no event recorded it (event %lld, which it names as its admission, is a %s event)",
				    label, (long long)ev, col(s, A_KIND));
	} else if (sqlite3_column_int(s, A_FORMAT) < 3) {
		/* an admission recorded before schema 5: its detail holds four facts */
		char *d = record_digest(sqlite3_column_int(s, A_FORMAT), col(s, P_SHA256),
					col(s, P_FILENAME), col(s, P_LICENSE), col(s, P_SIGNER));
		if (!col(s, A_DETAIL) || strcmp(col(s, A_DETAIL), d))
			*why = rv_xasprintf("%s: its sha256, file name, license or signer differ from what admit event %lld recorded",
					    label, (long long)ev);
		free(d);
	} else if (!(want = json_loads(col(s, A_RECORD) ? col(s, A_RECORD) : "", 0, NULL))) {
		*why = rv_xasprintf("%s: no event recorded it (admit event %lld, which it names, recorded no package row)",
				    label, (long long)ev);
	} else if (json_integer_value(json_object_get(want, "row")) != pid) {
		*why = rv_xasprintf("%s: no event recorded it (admit event %lld, which it names, recorded packages row %lld (%s))",
				    label, (long long)ev,
				    (long long)json_integer_value(json_object_get(want, "row")),
				    json_string_value(json_object_get(want, "nevra")) ?
				    json_string_value(json_object_get(want, "nevra")) : "-");
	} else if (!(rc = record_of(st, pid, &got, err))) {
		*why = record_diff(want, got, pid, nevra, ev);
	}
	if (*why || rc)
		goto out;
	/* removed by the event that says so, and by no other */
	if (by && sqlite3_column_type(s, P_REMOVED) == SQLITE_NULL)
		*why = rv_xasprintf("%s is current, but %s event %lld removed it", label,
				    by->replaced ? "admit" : "remove", (long long)by->event);
	else if (by && sqlite3_column_int64(s, P_REMOVED) != by->event)
		*why = rv_xasprintf("%s: removed_event names event %s, but %s event %lld removed it", label,
				    col(s, P_REMOVED), by->replaced ? "admit" : "remove", (long long)by->event);
	else if (!by && sqlite3_column_type(s, P_REMOVED) != SQLITE_NULL &&
		 /* only a removal recorded before schema 5 (no record) may name it by NEVRA */
		 (sqlite3_column_type(s, R_ID) == SQLITE_NULL || sqlite3_column_int(s, R_FORMAT) >= 3 ||
		  sqlite3_column_int64(s, R_ID) <= ev ||
		  (strcmp(col(s, R_KIND), "remove") && strcmp(col(s, R_KIND), "admit")) ||
		  !col(s, R_SUBJECT) || !nevra || strcmp(col(s, R_SUBJECT), nevra)))
		*why = rv_xasprintf("%s is marked removed by event %s, which did not remove it", label,
				    col(s, P_REMOVED));
out:
	json_decref(want);
	json_decref(got);
	free(label);
	return rc;
}

int rv_store_audit_records(struct rv_store *st, int64_t *count, char **why,
			   struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	struct removal *rm = NULL;
	size_t nrm = 0, t;
	int r = SQLITE_DONE, rc;

	*count = 0;
	*why = NULL;
	if ((rc = removals(st, &rm, &nrm, err)))
		return rc;
	/* every row, against the events that recorded it */
	if (sqlite3_prepare_v2(st->db,
			       "SELECT p.id, p.nevra, p.admitted_event, p.removed_event,"
			       " a.id, a.kind, a.hash_format, a.record, a.detail,"
			       " p.sha256, p.filename, p.license, p.signer_fpr,"
			       " r.id, r.kind, r.hash_format, r.subject"
			       " FROM packages p LEFT JOIN events a ON a.id = p.admitted_event"
			       " LEFT JOIN events r ON r.id = p.removed_event ORDER BY p.id", -1, &s,
			       NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot read the package records of");
		goto out;
	}
	while (!rc && !*why && (r = sqlite3_step(s)) == SQLITE_ROW) {
		(*count)++;
		rc = audit_row(st, s, rm, nrm, why, err);
	}
	if (!rc && !*why && r != SQLITE_DONE)
		rc = db_fail(st, err, "cannot read the package records of");
	sqlite3_finalize(s);
	s = NULL;
	if (rc || *why)
		goto out;
	/* every recorded row still there */
	if (sqlite3_prepare_v2(st->db,
			       "SELECT e.id, coalesce(json_extract(e.record, '$.row'), 0),"
			       " coalesce(json_extract(e.record, '$.nevra'), e.subject) FROM events e"
			       " WHERE e.kind = 'admit' AND ((e.hash_format >= 3 AND e.record IS NOT NULL"
			       "   AND NOT EXISTS (SELECT 1 FROM packages p WHERE"
			       "     p.id = json_extract(e.record, '$.row') AND p.admitted_event = e.id))"
			       " OR (e.hash_format < 3 AND e.detail LIKE 'sha256=%'"
			       "   AND NOT EXISTS (SELECT 1 FROM packages p WHERE p.admitted_event = e.id)))"
			       " ORDER BY e.id LIMIT 1", -1, &s, NULL) != SQLITE_OK) {
		rc = db_fail(st, err, "cannot read the package records of");
		goto out;
	}
	if ((r = sqlite3_step(s)) == SQLITE_ROW) {
		char *label = row_label("packages", sqlite3_column_int64(s, 1), col(s, 2));
		*why = rv_xasprintf("%s, recorded by admit event %lld, is missing", label,
				    (long long)sqlite3_column_int64(s, 0));
		free(label);
	} else if (r != SQLITE_DONE) {
		rc = db_fail(st, err, "cannot read the package records of");
	}
	sqlite3_finalize(s);
	s = NULL;
	/* and no rows of a package that is not there */
	for (t = 1; t < NTABLES && !rc && !*why; t++) {
		char *sql = rv_xasprintf("SELECT package_id, count(*) FROM %s WHERE package_id NOT IN"
					 " (SELECT id FROM packages) GROUP BY package_id"
					 " ORDER BY package_id LIMIT 1", record_tables[t].table);
		if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
			rc = db_fail(st, err, "cannot read the package records of");
		else if ((r = sqlite3_step(s)) == SQLITE_ROW)
			*why = rv_xasprintf("%s: %lld row(s) of packages row %lld, which does not exist: no event recorded them",
					    record_tables[t].table, (long long)sqlite3_column_int64(s, 1),
					    (long long)sqlite3_column_int64(s, 0));
		else if (r != SQLITE_DONE)
			rc = db_fail(st, err, "cannot read the package records of");
		sqlite3_finalize(s);
		s = NULL;
		free(sql);
	}
out:
	sqlite3_finalize(s);
	free(rm);
	return rc;
}

/* ---- queries ------------------------------------------------------------ */

static json_t *jcol(sqlite3_stmt *s, int i)
{
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(s, i));
	case SQLITE_NULL:
		return json_null();
	default:
		return text_json(col(s, i));
	}
}

/* Every column of every row as an object; "findings" columns are parsed JSON. */
static json_t *rows_cb(struct rv_store *st, const char *sql, const char *const *args,
		       int nargs, const int64_t *ints, int nints, rv_row_fn cb, void *data,
		       struct rv_error **err);

static json_t *rows(struct rv_store *st, const char *sql, const char *const *args,
		    int nargs, const int64_t *ints, int nints, struct rv_error **err)
{
	return rows_cb(st, sql, args, nargs, ints, nints, NULL, NULL, err);
}

/* With cb, each row goes to it (as text) and no JSON is built. */
static json_t *rows_cb(struct rv_store *st, const char *sql, const char *const *args,
		       int nargs, const int64_t *ints, int nints, rv_row_fn cb, void *data,
		       struct rv_error **err)
{
	sqlite3_stmt *s = NULL;
	json_t *a;
	int i, n, bind = 1, srow = SQLITE_DONE;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		db_fail(st, err, "cannot query");
		return NULL;
	}
	for (i = 0; i < nargs; i++)
		bind_text(s, bind++, args[i]);
	for (i = 0; i < nints; i++)
		sqlite3_bind_int64(s, bind++, ints[i]);
	a = json_array();
	n = sqlite3_column_count(s);
	if (cb) {
		const char **names = rv_xcalloc((size_t)n, sizeof(char *));
		const char **vals = rv_xcalloc((size_t)n, sizeof(char *));
		int first = 1;
		while ((srow = sqlite3_step(s)) == SQLITE_ROW) {
			/* names are valid only once the statement has run */
			for (i = 0; first && i < n; i++)
				names[i] = sqlite3_column_name(s, i);
			first = 0;
			for (i = 0; i < n; i++)
				vals[i] = col(s, i);
			if (cb((size_t)n, names, vals, data))
				break;
		}
		free(names);
		free(vals);
		sqlite3_finalize(s);
		if (srow != SQLITE_DONE && srow != SQLITE_ROW) {
			json_decref(a);
			db_fail(st, err, "cannot read");
			return NULL;
		}
		return a;
	}
	while ((srow = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o = json_object();
		for (i = 0; i < n; i++) {
			const char *name = sqlite3_column_name(s, i);
			json_t *v = jcol(s, i);
			if (!strcmp(name, "findings") && json_is_string(v)) {
				json_t *p = json_loads(json_string_value(v), 0, NULL);
				json_decref(v);
				v = p ? p : json_array();
			}
			json_object_set_new(o, name, v);
		}
		json_array_append_new(a, o);
	}
	sqlite3_finalize(s);
	if (srow != SQLITE_DONE) {
		json_decref(a);
		db_fail(st, err, "cannot read");
		return NULL;
	}
	return a;
}

/* A LIKE pattern matching text literally (inside %...% when contains). */
static char *like_pattern(const char *text, int contains)
{
	size_t n = strlen(text), i, k = 0;
	char *p = rv_xmalloc(2 * n + 3);

	if (contains)
		p[k++] = '%';
	for (i = 0; i < n; i++) {
		if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
			p[k++] = '\\';
		p[k++] = text[i];
	}
	if (contains)
		p[k++] = '%';
	p[k] = '\0';
	return p;
}

#define EVENT_COLS "e.id, e.time, e.actor, e.kind, e.subject, e.verdict, e.detail," \
	" e.policy_sha256, e.tool_version, e.findings"
#define PKG_COLS "p.nevra, p.name, p.epoch, p.version, p.release, p.arch, p.sha256," \
	" p.size, p.license, p.signer_fpr AS signer, p.filename," \
	" a.time AS admitted_at, a.actor AS admitted_by, a.policy_sha256 AS admitted_policy," \
	" r.time AS removed_at"
#define PKG_FROM " FROM packages p JOIN events a ON a.id = p.admitted_event" \
	" LEFT JOIN events r ON r.id = p.removed_event"

#define SHOW_COLS PKG_COLS ", p.header_sha256, p.payload_digest, p.summary, p.url, p.vendor," \
	" p.packager, p.buildhost, p.buildtime, p.sourcerpm, p.signer_keyid, p.origin, p.origin_mirror," \
	" p.origin_repomd_sha256, p.origin_checksum, p.sources_ledger"

/* Whether any package of this name was ever admitted. */
static int ever_named(struct rv_store *st, const char *name)
{
	sqlite3_stmt *s = NULL;
	int found = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM packages WHERE name = ?", -1, &s, NULL) == SQLITE_OK) {
		bind_text(s, 1, name);
		found = sqlite3_step(s) == SQLITE_ROW;
	}
	sqlite3_finalize(s);
	return found;
}

/* Each package of show gets its dependencies (with their comparison) and files;
 * a query that fails is an error, never an empty list. */
static int show_details(struct rv_store *st, json_t *pkgs, struct rv_error **err)
{
	size_t i, j;
	json_t *p, *d, *f, *u, *dep;

	json_array_foreach(pkgs, i, p) {
		int64_t pid = json_integer_value(json_object_get(p, "id"));
		if (!(d = rows(st, "SELECT kind, name, flags, evr FROM deps WHERE package_id = ?"
			       " ORDER BY kind, name, evr", NULL, 0, &pid, 1, err)))
			return err && *err ? (*err)->code : RV_EIO;
		if (!(f = rows(st, "SELECT path, kind, size, digest, ledger FROM files WHERE package_id = ?"
			       " ORDER BY path", NULL, 0, &pid, 1, err))) {
			json_decref(d);
			return err && *err ? (*err)->code : RV_EIO;
		}
		json_array_foreach(d, j, dep) {
			const char *name = json_string_value(json_object_get(dep, "name"));
			const char *evr = json_string_value(json_object_get(dep, "evr"));
			json_int_t flags = json_integer_value(json_object_get(dep, "flags"));
			const char *op = rv_dep_op((uint32_t)flags);
			json_t *o = json_object();
			json_object_set(o, "kind", json_object_get(dep, "kind"));
			json_object_set(o, "name", json_object_get(dep, "name"));
			json_object_set_new(o, "op", json_string(op));
			json_object_set_new(o, "evr", json_string(evr ? evr : ""));
			/* as written in the spec: "gcc >= 4.8", "(python3 or python2)" */
			json_object_set_new(o, "text", *op && evr && *evr && name
					    ? json_sprintf("%s %s %s", name, op, evr)
					    : json_incref(json_object_get(dep, "name")));
			json_object_set_new(o, "flags", json_integer(flags));
			json_array_set_new(d, j, o);
		}
		if (!(u = rows(st, "SELECT fingerprint, file, signature, certifiers FROM upstream_signers"
			       " WHERE package_id = ? ORDER BY file, fingerprint", NULL, 0, &pid, 1, err))) {
			json_decref(d);
			json_decref(f);
			return err && *err ? (*err)->code : RV_EIO;
		}
		json_array_foreach(u, j, dep) {
			/* certifiers: the recorded list, as an array */
			const char *cs = json_string_value(json_object_get(dep, "certifiers"));
			json_t *a = json_array();
			char *copy = rv_xstrdup(cs ? cs : ""), *save = NULL, *tok;
			for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
				json_array_append_new(a, json_string(tok));
			free(copy);
			json_object_set_new(dep, "certifiers", a);
		}
		json_object_set_new(p, "dependencies", d);
		json_object_set_new(p, "files", f);
		json_object_set_new(p, "upstream_signers", u);
		json_object_del(p, "id");
	}
	return 0;
}

int rv_store_query(struct rv_store *st, const struct rv_query *q, char **out,
		   struct rv_error **err)
{
	return rv_store_query_rows(st, q, NULL, NULL, out, err);
}

int rv_store_query_rows(struct rv_store *st, const struct rv_query *q, rv_row_fn cb,
			void *data, char **out, struct rv_error **err)
{
	json_t *doc = json_object(), *v = NULL;
	const char *args[8] = { NULL };
	int64_t ints[4];
	int rc = 0;

	if (out)
		*out = NULL;
	/* data only: the caller makes the document around it */
	switch (q->kind) {
	case RV_Q_HISTORY:
		args[0] = q->name;
		json_object_set_new(doc, "name", text_json(q->name ? q->name : ""));
		v = rows(st, "SELECT " EVENT_COLS ", (SELECT group_concat(u.fingerprint, ' ')"
			 " FROM upstream_signers u JOIN packages p ON p.id = u.package_id"
			 " WHERE p.admitted_event = e.id) AS upstream_signer,"
			 /* the admission's embedded files against the ledger: "2 ok, 1 unlisted" */
			 " (SELECT group_concat(n || ' ' || st, ', ') FROM (SELECT count(*) AS n,"
			 "   CASE WHEN f.ledger LIKE '% ok' THEN 'ok' ELSE f.ledger END AS st"
			 "   FROM files f JOIN packages p ON p.id = f.package_id"
			 "   WHERE p.admitted_event = e.id AND f.ledger IS NOT NULL"
			 "   GROUP BY st ORDER BY n DESC, st)) AS sources,"
			 " (SELECT p.sources_ledger FROM packages p WHERE p.admitted_event = e.id"
			 "   AND p.sources_ledger IS NOT NULL) AS sources_ledger,"
			 /* a downloaded package's URL */
			 " (SELECT p.origin FROM packages p WHERE p.admitted_event = e.id"
			 "   AND p.origin_mirror IS NOT NULL) AS url"
			 " FROM events e WHERE e.name = ? ORDER BY e.id",
			 args, 1, NULL, 0, err);
		if (v)
			json_object_set_new(doc, "events", v);
		break;
	case RV_Q_SHOW: {
		const char *what = "NEVRA";
		args[0] = q->nevra;
		v = rows(st, "SELECT p.id, " SHOW_COLS PKG_FROM " WHERE p.nevra = ? ORDER BY p.id",
			 args, 1, NULL, 0, err);
		/* a bare name: its current version(s) */
		if (v && !json_array_size(v)) {
			json_decref(v);
			what = "name";
			v = rows(st, "SELECT p.id, " SHOW_COLS PKG_FROM " WHERE p.name = ?"
				 " AND p.removed_event IS NULL ORDER BY p.nevra, p.id", args, 1, NULL, 0, err);
		}
		if (!v)
			break;
		if (!json_array_size(v)) {
			json_decref(v);
			json_decref(doc);
			if (ever_named(st, q->nevra))
				return rv_error_set(err, RV_ENOTFOUND,
						    "no package named '%s' is current: each was removed (see 'rpmvet history %s')",
						    q->nevra, q->nevra);
			return rv_error_set(err, RV_ENOTFOUND, "no package %s was ever admitted", q->nevra);
		}
		if ((rc = show_details(st, v, err))) {
			json_decref(v);
			v = NULL;
			break;
		}
		if (!strcmp(what, "name")) {
			/* every current version of this name, by NEVRA */
			json_object_set_new(doc, "name", text_json(q->nevra));
			json_object_set_new(doc, "packages", v);
		} else {
			/* every admission of this NEVRA, the latest last */
			json_object_set_new(doc, "package",
					    json_incref(json_array_get(v, json_array_size(v) - 1)));
			json_object_set_new(doc, "admissions", v);
		}
		break;
	}
	case RV_Q_LIST:
		ints[0] = q->at ? (int64_t)q->at : (int64_t)time(NULL);
		ints[1] = ints[0];
		{
			char when[32];
			iso_time(when, sizeof(when), (time_t)ints[0]);
			json_object_set_new(doc, "at", json_string(when));
		}
		v = rows_cb(st, "SELECT " PKG_COLS PKG_FROM " WHERE a.epoch <= ? AND (r.id IS NULL OR r.epoch > ?)"
			    " ORDER BY p.nevra, p.id", NULL, 0, ints, 2, cb, data, err);
		if (v && !cb)
			json_object_set_new(doc, "packages", json_incref(v));
		break;
	case RV_Q_SEARCH: {
		char *lic = q->license ? like_pattern(q->license, 1) : NULL;
		char *file = q->file ? like_pattern(q->file, 1) : NULL;
		char *signer = q->signer ? like_pattern(q->signer, 0) : NULL;
		args[0] = lic ? lic : "%";
		args[1] = signer ? signer : "%";
		args[2] = q->requires;
		args[3] = q->provides;
		args[4] = file;
		ints[0] = q->since;
		ints[1] = q->until ? (int64_t)q->until : INT64_MAX;
		/* NULL filters are bound as NULL and match everything */
		{
			const char *a2[] = { args[0], args[1], args[2], args[2], args[3], args[3],
					     args[4], args[4] };
			v = rows_cb(st, "SELECT " PKG_COLS PKG_FROM " WHERE COALESCE(p.license, '') LIKE ? ESCAPE '\\'"
				 " AND (COALESCE(p.signer_fpr, '') LIKE ? ESCAPE '\\'"
				 "      OR COALESCE(p.signer_keyid, '') LIKE ?2 ESCAPE '\\')"
				 " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM deps d WHERE d.package_id = p.id"
				 "   AND d.kind IN ('requires', 'buildrequires') AND d.name = ?4))"
				 " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM deps d WHERE d.package_id = p.id"
				 "   AND d.kind = 'provides' AND d.name = ?6))"
				 " AND (?7 IS NULL OR EXISTS (SELECT 1 FROM files f WHERE f.package_id = p.id"
				 "   AND f.path LIKE ?8 ESCAPE '\\'))"
				 " AND a.epoch >= ?9 AND a.epoch <= ?10"
				 " ORDER BY p.nevra, p.id", a2, 8, ints, 2, cb, data, err);
		}
		free(lic);
		free(file);
		free(signer);
		if (v && !cb)
			json_object_set_new(doc, "packages", json_incref(v));
		break;
	}
	}
	if (!v) {
		json_decref(doc);
		return err && *err ? (*err)->code : RV_EIO;
	}
	if (cb) {
		json_decref(doc);
		json_decref(v);
		return 0;
	}
	if (q->kind == RV_Q_LIST || q->kind == RV_Q_SEARCH)
		json_decref(v); /* the document holds its own reference */
	*out = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!*out)
		rc = rv_error_set(err, RV_EIO, "cannot render the query result");
	json_decref(doc);
	return rc;
}

/* ---- export: the packages at an instant, with their files and upstream signers ---- */

#define AT_INSTANT " a.epoch <= ? AND (r.id IS NULL OR r.epoch > ?)"

int rv_store_export_rows(struct rv_store *st, time_t at, json_t **pkgs, json_t **head,
			 struct rv_error **err)
{
	int64_t ints[2];
	json_t *files = NULL, *signers = NULL, *h, *byid = json_object(), *p, *x;
	size_t i;
	char key[32];

	*pkgs = *head = NULL;
	ints[0] = ints[1] = at ? (int64_t)at : INT64_MAX;
	/* the head of the event chain at that instant: the last event at or before it */
	h = rows(st, "SELECT id, time, epoch, hash, policy_sha256 FROM events WHERE epoch <= ?"
		 " ORDER BY id DESC LIMIT 1", NULL, 0, ints, 1, err);
	if (h)
		*pkgs = rows(st, "SELECT p.id, p.nevra, p.name, p.epoch, p.version, p.release, p.arch,"
			     " p.sha256, p.payload_digest, p.license, p.vendor, p.packager, p.sourcerpm,"
			     " p.signer_fpr, p.origin, p.filename, a.time AS admitted_at" PKG_FROM
			     " WHERE" AT_INSTANT " ORDER BY p.nevra, p.id", NULL, 0, ints, 2, err);
	if (*pkgs)
		files = rows(st, "SELECT f.package_id, f.path, f.kind, f.size, f.digest, f.digest_algo"
			     " FROM files f JOIN packages p ON p.id = f.package_id"
			     " JOIN events a ON a.id = p.admitted_event LEFT JOIN events r ON r.id = p.removed_event"
			     " WHERE" AT_INSTANT " ORDER BY f.package_id, f.path, f.digest", NULL, 0, ints, 2, err);
	if (files)
		signers = rows(st, "SELECT u.package_id, u.fingerprint, u.file, u.signature"
			       " FROM upstream_signers u JOIN packages p ON p.id = u.package_id"
			       " JOIN events a ON a.id = p.admitted_event LEFT JOIN events r ON r.id = p.removed_event"
			       " WHERE" AT_INSTANT " ORDER BY u.package_id, u.file, u.fingerprint", NULL, 0, ints, 2, err);
	if (!signers) {
		json_decref(h);
		json_decref(*pkgs);
		json_decref(files);
		json_decref(byid);
		*pkgs = NULL;
		return err && *err ? (*err)->code : RV_EIO;
	}
	json_array_foreach(*pkgs, i, p) {
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(p, "id")));
		json_object_set_new(p, "files", json_array());
		json_object_set_new(p, "upstream_signers", json_array());
		json_object_set(byid, key, p);
	}
	json_array_foreach(files, i, x) {
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(x, "package_id")));
		if ((p = json_object_get(byid, key)))
			json_array_append(json_object_get(p, "files"), x);
	}
	json_array_foreach(signers, i, x) {
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(json_object_get(x, "package_id")));
		if ((p = json_object_get(byid, key)))
			json_array_append(json_object_get(p, "upstream_signers"), x);
	}
	json_decref(files);
	json_decref(signers);
	json_decref(byid);
	*head = json_array_size(h) ? json_incref(json_array_get(h, 0)) : json_null();
	json_decref(h);
	return 0;
}
