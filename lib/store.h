/* SPDX-License-Identifier: MIT */
/* store: the SBOM database (sqlite): schema, migrations, records, event chain, queries. */
#ifndef RV_STORE_H
#define RV_STORE_H

#include "rpmvet.h"
#include "repo.h"

#include <jansson.h>
#include <stdint.h>

struct rv_store;
struct rv_facts;

#define RV_STORE_SCHEMA 8

/* Open (create=1: create and migrate) DIR's database; WAL, foreign keys on. */
int rv_store_open(struct rv_store **out, const char *path, int create,
		  struct rv_error **err);
void rv_store_close(struct rv_store *st);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK */
int rv_store_begin(struct rv_store *st, struct rv_error **err);
int rv_store_commit(struct rv_store *st, struct rv_error **err);
void rv_store_rollback(struct rv_store *st);

struct rv_event {
	const char *kind;          /* init, verify, admit, reject, remove, key-add, key-remove, repair */
	const char *subject;       /* NEVRA, path or fingerprint */
	const char *name;          /* package name, for history (or NULL) */
	const char *verdict;       /* pass, reject, error, or NULL */
	const char *actor;         /* user@host */
	const char *policy_sha256;
	const char *detail;        /* free text (a removal's reason), or NULL */
	const struct rv_finding *findings;
	size_t nfindings;
	time_t time;               /* 0 = now */
};

/* Append an event to the hash chain; *id gets its id. */
int rv_store_event(struct rv_store *st, const struct rv_event *ev, int64_t *id,
		   struct rv_error **err);

/*
 * Record an admission, inside the caller's transaction: the package's rows
 * (package, deps, files, repodata chunks), the row it replaces (0: none)
 * marked removed, and the admit event ev holding the record of those rows
 * (their digests, see rv_store_audit_records()); *id gets the event's id.
 */
int rv_store_admit(struct rv_store *st, const struct rv_event *ev, const struct rv_facts *f,
		   const struct rv_result *res, const char *origin, int64_t replaces,
		   int64_t *id, struct rv_error **err);

/* Record a removal: the event ev naming package row pkg, and the row marked removed by it. */
int rv_store_remove(struct rv_store *st, const struct rv_event *ev, int64_t pkg, int64_t *id,
		    struct rv_error **err);

/* The current (admitted, not removed) package: by name, the highest EVR is the caller's to pick. */
struct rv_stored {
	int64_t id;
	char *nevra, *filename, *version, *release, *arch;
	char *header_sha256, *payload_digest;   /* NULL when the package had none */
	char *signer;                           /* its signer's fingerprint, NULL for none */
	char sha256[65];
	int64_t epoch;
	int removed;                            /* removed since (rv_store_by_name with removed) */
};
/* All current packages named name into *out (rv_stored_free); returns the count. */
int rv_store_current_by_name(struct rv_store *st, const char *name,
			     struct rv_stored **out, struct rv_error **err);
void rv_stored_free(struct rv_stored *v, int n);
void rv_stored_release(struct rv_stored *o);    /* the fields of one */
/* Every package row named name, the removed ones too when removed (rows keep
 * removed versions: the history of a name), in admission order. */
int rv_store_by_name(struct rv_store *st, const char *name, int removed,
		     struct rv_stored **out, struct rv_error **err);

/*
 * Key continuity: the upstream signer fingerprints (NULL-terminated, upper
 * case, rv_strv_free) recorded for the latest admission, current or since
 * removed, of a package named name that is a source package (is_source) or
 * not; *nevra (may be NULL) gets its NEVRA.  *fprs is NULL when none has any.
 */
int rv_store_upstream_signers(struct rv_store *st, const char *name, int is_source,
			      char ***fprs, char **nevra, struct rv_error **err);

/* PRAGMA quick_check: RV_EIO naming the database when it is damaged. */
/* 1 when the latest key-add / key-remove event naming fpr (any case) is a
 * key-add, 0 when it is a key-remove or there is none; negative on error. */
int rv_store_key_recorded(struct rv_store *st, const char *fpr, struct rv_error **err);
int rv_store_integrity(struct rv_store *st, struct rv_error **err);
/* The current package with this NEVRA; 1 found, 0 not, <0 error. */
int rv_store_current_by_nevra(struct rv_store *st, const char *nevra,
			      struct rv_stored *out, struct rv_error **err);

/* Every current package's chunks, by file name, and the revision naming that set. */
struct rv_store_chunks {
	struct rv_md_chunks md;
	char revision[65];
	char **filenames, **sha256s;   /* parallel to md.chunks */
	void *priv;
};
int rv_store_chunks(struct rv_store *st, struct rv_store_chunks *out,
		    struct rv_error **err);
void rv_store_chunks_release(struct rv_store_chunks *c);

/* The format of the events written now (events.hash_format): 3, length-prefixed
 * fields and the record of the rows the event created or removed. */
#define RV_STORE_EVENT_FORMAT 3

/* Recompute the chain: *first is the first broken event (0: none) and *why. */
int rv_store_audit(struct rv_store *st, int64_t *count, int64_t *first, char **why,
		   struct rv_error **err);

/*
 * Check every recorded row against the events that recorded it: each package
 * row (every column) with its deps, files and repodata against its admit
 * event's record, its removal against the event that removed it, no recorded
 * row missing and no row of a package that is not there.  Rows admitted by
 * events older than format 3 are checked as far as those recorded (sha256,
 * file name, license, signer).  *count gets the package rows checked, *why
 * (the caller's) the first difference, naming table, row, column and event,
 * or NULL.  Errors: RV_EIO when a table cannot be read.
 */
int rv_store_audit_records(struct rv_store *st, int64_t *count, char **why,
			   struct rv_error **err);

/* list and query rows to cb, without building JSON (history and show: JSON only). */
int rv_store_query_rows(struct rv_store *st, const struct rv_query *q, rv_row_fn cb,
			void *data, char **json, struct rv_error **err);

/*
 * Export: the packages current at instant at (0 = now) as a JSON array by
 * NEVRA, each with its "files" (by path) and "upstream_signers" (by file); *head
 * gets the last event at or before that instant ({id, time, epoch, hash,
 * policy_sha256}, JSON null when none).  Both the caller's.
 */
int rv_store_export_rows(struct rv_store *st, time_t at, json_t **pkgs, json_t **head,
			 struct rv_error **err);

/* Auditor queries as one JSON object, data only, no envelope (the caller's string). */
int rv_store_query(struct rv_store *st, const struct rv_query *q, char **json,
		   struct rv_error **err);

#endif
