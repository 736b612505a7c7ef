/* SPDX-License-Identifier: MIT */
/*
 * rpmvet.h - the public API of librpmvet: vet upstream RPM packages against a
 * trust store and report structured findings.
 *
 * Ownership: a returned `char *` or object is the caller's and is released with
 * the matching _free(); a returned `const` pointer is borrowed from its parent
 * object and lives as long as the parent.  Every _free(NULL) does nothing.
 * Allocation failure aborts the process (xmalloc style).
 *
 * Errors: a function that can fail returns 0 or a negative RV_E* code and, when
 * `err` is not NULL, stores a struct rv_error the caller frees with
 * rv_error_free().  A failed *check* (a bad signature, say) is not an error:
 * it is a finding in the report, and the function returns 0.
 */
#ifndef RPMVET_H
#define RPMVET_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RV_VERSION "0.1.0"

/* ---- errors ------------------------------------------------------------ */

enum rv_errcode {
	RV_OK = 0,
	RV_EINVAL = -1,   /* bad argument or configuration (usage error) */
	RV_EIO = -2,      /* a file or directory could not be read or written */
	RV_ENOTFOUND = -3,/* the named thing does not exist */
	RV_EFORMAT = -4,  /* input is malformed (a key file, say) */
	RV_EEXTERNAL = -5,/* a foreign library or engine failed */
};

struct rv_error {
	int code;               /* one of enum rv_errcode */
	char *msg;              /* lower case, no final period */
	struct rv_error *cause; /* inner error, or NULL */
};

/* Free an error and its causes. */
void rv_error_free(struct rv_error *err);

/*
 * Render "msg: cause: cause..." into a new string (the caller's).
 * Returns NULL for a NULL error.
 */
char *rv_error_string(const struct rv_error *err);

/* ---- context ------------------------------------------------------------ */

/*
 * Diagnostic sink: librpmvet never prints.  Messages that foreign libraries
 * emit outside of any package check (and debug notes) go here; level is
 * 0 = error, 1 = warning, 2 = info, 3 = debug.  May be called from several
 * threads at once.
 */
typedef void (*rv_log_fn)(int level, const char *msg, void *data);

struct rv_ctx;

struct rv_ctx_options {
	/* diagnostics of the calls given this context (may be NULL); librpm's
	 * messages outside any package check go to the first context's */
	rv_log_fn log;
	void *logdata;
	/* rpm's configuration: a colon-separated list of rpmrc files, NULL for
	 * rpm's default.  rpm has one configuration a process: the first
	 * context reads it, and a later one that names another is refused */
	const char *rpm_config;
	/* as rv_ctx_set_cache_dir(); NULL = no cache */
	const char *cache_dir;
};
/* Defaults: every field NULL. */
#define RV_CTX_OPTIONS_INIT { .log = NULL }

/*
 * A library context.  The first one does the process-wide setup: reads the
 * rpm configuration, checks the gpgme version, installs our rpmlog callback.
 * Every call given a context uses what it carries: its logger for
 * diagnostics (debug notes of caches used, say), its cache directory for the
 * key-facts cache (rv_keystore_open) and the closure cache (rv_closure,
 * rv_verify, rv_repo_admit, when their options name none).  opts may be NULL.
 * Errors: RV_EEXTERNAL when a library cannot be initialised; RV_EINVAL when
 * rpm_config is not the configuration this process read.
 */
int rv_ctx_open(struct rv_ctx **out, const struct rv_ctx_options *opts,
		struct rv_error **err);
/* rv_ctx_open() with a logger only. */
int rv_ctx_new(struct rv_ctx **out, rv_log_fn log, void *logdata,
	       struct rv_error **err);
/* Objects opened with a context (a repository) may use it: free them first. */
void rv_ctx_free(struct rv_ctx *ctx);

/* The rpm configuration the process read (rv_ctx_options.rpm_config), or
 * NULL for rpm's default. */
const char *rv_ctx_rpm_config(const struct rv_ctx *ctx);

/*
 * The per-user cache directory (the CLI gives $XDG_CACHE_HOME/rpmvet, else
 * ~/.cache/rpmvet), copied; NULL (the default) means no cache.  Trust stores
 * opened with this context keep their key-facts cache there (see
 * rv_keystore_open).  The directory is created, mode 0700, on first write.
 */
void rv_ctx_set_cache_dir(struct rv_ctx *ctx, const char *dir);

/* ---- trust store -------------------------------------------------------- */

/* Facts about one key or subkey, as gpg sees them. */
struct rv_key {
	char fingerprint[65];   /* full fingerprint, upper-case hex */
	char keyid[17];         /* last 16 hex digits of a v4 fingerprint */
	const char *algorithm;  /* "RSA", "DSA", "EdDSA", "ECDSA", "ECDH", ... */
	unsigned int bits;      /* key size in bits (255 for Ed25519) */
	const char *curve;      /* curve name, or NULL */
	int64_t created;        /* seconds since the epoch */
	int64_t expires;        /* 0 = never */
	int revoked;
	int can_sign;
	const char *uid;        /* primary user id (primary keys only) or NULL */
	const struct rv_key *primary; /* NULL for a primary key */
	const struct rv_key *subkeys; /* primary keys only: array of nsubkeys */
	size_t nsubkeys;
};

/* Non-zero when `key` is expired at time `now`. */
int rv_key_is_expired(const struct rv_key *key, time_t now);

struct rv_keystore;

/*
 * Open the trust store in directory `dir`: one armored file per primary key,
 * named <FINGERPRINT>.asc.  Key facts are read with gpgme in an isolated,
 * temporary GNUPGHOME.  With a cache directory on ctx (rv_ctx_set_cache_dir)
 * they are cached in CACHE/keys-<sha256 of the store's real path>.cache: each
 * entry is bound to the SHA-256 of the exact key-file bytes it was derived
 * from, and the cache is used only when every key file has a matching entry
 * and the cache is a regular file (not a symbolic link) owned by the caller
 * that neither group nor others can write; otherwise the facts are derived
 * again.  Nothing in the store itself is trusted as a cache (a legacy
 * DIR/.rpmvet-keys.cache is never read).  `create` makes the directory when it
 * does not exist.  Reading a store needs nothing else; writing one (add,
 * remove) needs a real directory owned by the caller.  Its diagnostics go to
 * ctx's logger, so ctx (may be NULL) must outlive the store.
 * Errors: RV_ENOTFOUND (no such directory), RV_EIO, RV_EFORMAT (a stored key
 * is unreadable), RV_EEXTERNAL (gpg failed).
 */
int rv_keystore_open(struct rv_keystore **out, struct rv_ctx *ctx,
		     const char *dir, int create, struct rv_error **err);
void rv_keystore_free(struct rv_keystore *ks);

/* Number of primary keys, and the i-th of them (sorted by fingerprint). */
size_t rv_keystore_count(const struct rv_keystore *ks);
const struct rv_key *rv_keystore_key(const struct rv_keystore *ks, size_t i);

/* The key or subkey whose key id (16 hex digits) or fingerprint matches, or NULL. */
const struct rv_key *rv_keystore_find(const struct rv_keystore *ks,
				      const char *id);

/*
 * Import every public key in the armored files `paths` (npaths of them), all
 * in one temporary GNUPGHOME.  Each primary key (with its subkeys) is stored
 * under its full fingerprint, merged with the stored copy.  Keys librpm
 * cannot parse are still stored (gpg then verifies for them) but a malformed
 * file, one without any public key, or a secret key is refused and nothing at
 * all is written.  Every file is written through a new temporary file made in
 * the store (never through an existing name) and renamed into place.  On
 * success *added (may be NULL) gets a NULL-terminated array of the
 * fingerprints imported, in file order, to free with rv_strv_free().
 * Errors: RV_EINVAL (the store is a symbolic link or not owned by the
 * caller), RV_EIO, RV_EFORMAT, RV_EEXTERNAL.
 */
int rv_keystore_add_files(struct rv_keystore *ks, const char *const *paths,
			  size_t npaths, char ***added, struct rv_error **err);

/* rv_keystore_add_files() of one file. */
int rv_keystore_add(struct rv_keystore *ks, const char *path, char ***added,
		    struct rv_error **err);

/* Check that `path` would import (as rv_keystore_add) without writing anything. */
int rv_keystore_check(struct rv_keystore *ks, const char *path,
		      struct rv_error **err);

/*
 * Remove the primary key with this full fingerprint (case-insensitive).
 * Errors: RV_EINVAL (not a full fingerprint; the store is a symbolic link or
 * not owned by the caller), RV_ENOTFOUND, RV_EIO.
 */
int rv_keystore_remove(struct rv_keystore *ks, const char *fingerprint,
		       struct rv_error **err);

/* Free a NULL-terminated string array. */
void rv_strv_free(char **v);

/* ---- text ------------------------------------------------------------- */

/*
 * A copy of s (NULL reads as "") that is well-formed UTF-8: each byte of an
 * ill-formed sequence (overlong, surrogate, above U+10FFFF, cut short) is
 * written "\xNN".  With xml, the characters XML 1.0 forbids (C0 controls but
 * tab, LF, CR) and the Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF,
 * U+nFFFE, U+nFFFF) are written the same way, every byte of them, so that the
 * result fits in any XML document.  The caller frees it.
 */
char *rv_text_escape(const char *s, int xml);

/* ---- report ------------------------------------------------------------- */

enum rv_severity { RV_SEV_INFO = 0, RV_SEV_WARNING, RV_SEV_ERROR };

/* pass: every check ran and no unwaived error finding is left.  reject: at
 * least one unwaived error finding.  error: a check could not run (I/O error). */
enum rv_verdict { RV_VERDICT_PASS = 0, RV_VERDICT_REJECT, RV_VERDICT_ERROR };

struct rv_finding {
	const char *check;    /* "package", "signature", "key", "digest", "crypto", "io" */
	const char *code;     /* stable code, e.g. "signature.nokey" */
	enum rv_severity severity; /* as judged under the policy */
	char *message;
	enum rv_severity given; /* as the check gave it, before the policy */
	/* a waiver of the policy applies: the finding does not reject */
	int waived;
	char *waiver_reason;  /* its reason, or NULL */
	int64_t waiver_expires; /* UTC midnight of its last day, 0 = never */
};

struct rv_signer {
	char fingerprint[65]; /* full fingerprint of the signing key or subkey, or "" when not in the store */
	char keyid[17];       /* issuer key id from the signature */
	char primary[65];     /* fingerprint of the primary key, or "" */
	const char *algorithm;/* "RSA", "DSA", "EdDSA", "ECDSA", ... */
	const char *hash;     /* "SHA256", "SHA512", "SHA1", ... */
	unsigned int bits;    /* key size when known, else 0 */
	int64_t created;      /* signature creation time */
	const char *verifier; /* "librpm" or "gpg": who checked the signature */
};

struct rv_result {
	char *path;
	char *nevra;          /* NULL when the header could not be read */
	char *name;           /* package name, or NULL */
	char *license;        /* the License tag, or NULL */
	char sha256[65];      /* sha256 of the file, "" when not computed or unreadable */
	uint64_t size;
	int is_source;
	enum rv_verdict verdict;
	int has_signer;
	struct rv_signer signer;
	struct rv_finding *findings;
	size_t nfindings;
	void *internal;       /* private to librpmvet */
};

struct rv_report;

size_t rv_report_count(const struct rv_report *r);
const struct rv_result *rv_report_result(const struct rv_report *r, size_t i);
/* Counts of packages with each verdict. */
void rv_report_summary(const struct rv_report *r, size_t *passed,
		       size_t *rejected, size_t *errors);
void rv_report_free(struct rv_report *r);

const char *rv_severity_name(enum rv_severity s);
const char *rv_verdict_name(enum rv_verdict v);

/* ---- policy and licenses ------------------------------------------------ */

struct rv_policy;

/*
 * Load a policy file (YAML).  Paths in it are relative to the file.  Nothing
 * of a policy with an error is kept: malformed YAML, unknown keys, wrong types
 * and unknown categories are RV_EINVAL with "FILE:LINE: what was expected";
 * so are an unknown finding code in findings: or waivers:, and a findings:
 * entry or waiver that would lower or waive a code that can never be (a bad
 * signature or digest, a broken package, a check that could not run).
 * RV_ENOTFOUND / RV_EIO when it cannot be read.
 */
int rv_policy_load(struct rv_policy **out, const char *path, struct rv_error **err);
/*
 * The built-in default policy: exactly policies/default.yaml (embedded at
 * build time), the policy `rpmvet repo init` writes without --policy.
 */
struct rv_policy *rv_policy_new(void);
void rv_policy_free(struct rv_policy *pol);
/* The file it was loaded from, or NULL for the built-in default. */
const char *rv_policy_path(const struct rv_policy *pol);

struct rv_license_result {
	char *expression;     /* as given */
	char *canonical;      /* with canonical ids and upper-case operators, or NULL */
	int spdx;             /* valid SPDX: syntax, known ids or LicenseRef- */
	enum rv_verdict verdict;
	struct rv_finding *findings; /* check "license" */
	size_t nfindings;
};

/*
 * Check one license expression under the policy, for a package name (may be
 * NULL: per-package exceptions and categories then do not apply) at time now
 * (0 = current time; exceptions expire).  Never fails: bad input is a finding.
 * Release with rv_license_result_release().
 */
void rv_license_check(struct rv_license_result *out, const struct rv_policy *pol,
		      const char *expression, const char *package, time_t now);
void rv_license_result_release(struct rv_license_result *r);

/* ---- verify ------------------------------------------------------------- */

/* Where a package was downloaded from (struct rv_fetched's fields). */
struct rv_origin {
	const char *url;            /* the package's URL, NULL: a local file */
	const char *mirror;         /* the mirror it came from */
	const char *repomd_sha256;  /* of the repomd.xml that pinned its checksum */
	const char *checksum;       /* primary's checksum it was checked against, "TYPE:HEX" */
};

struct rv_verify_options {
	unsigned int jobs;     /* worker threads; 0 = number of CPUs */
	time_t now;            /* time for key expiry; 0 = current time */
	/* progress callback (may be NULL), called after each package from a
	 * worker thread: done packages out of total */
	void (*progress)(size_t done, size_t total, void *data);
	void *progress_data;
	/* compute each file's SHA-256 (rv_result.sha256); it costs a second
	 * hash of every byte, so callers that do not show it may turn it off */
	int file_digest;
	/* when not NULL, the license stage runs under this policy */
	const struct rv_policy *policy;
	/* the closure stage's cache (rv_closure_options.cache_dir); NULL = the
	 * context's cache directory (rv_ctx_set_cache_dir), if any */
	const char *closure_cache;
	/* the dist-git sources ledger(s) the provenance stage checks embedded
	 * files against: a sources file, a dist-git checkout, or a directory of
	 * NAME/ checkouts and NAME.sources files; NULL for none */
	const char *sources;
	/* NULL, or one per path: where that file was downloaded from (rv_fetch);
	 * an entry whose url is NULL is a local file.  A fetched package's
	 * origin is its URL (the provenance stage checks provenance.origins
	 * against it), and admit records the rest beside it */
	const struct rv_origin *origins;
};
/* Defaults: every field not named is zero / NULL. */
#define RV_VERIFY_OPTIONS_INIT { .file_digest = 1 }

/*
 * Verify packages against the trust store: header signature, key state,
 * weak crypto, header and payload digests.  The report keeps the input order.
 * A package that cannot be opened is a result with verdict RV_VERDICT_ERROR,
 * not an error of the call.
 * Errors: RV_EINVAL (bad options), RV_EEXTERNAL (a thread could not start).
 */
int rv_verify(struct rv_report **out, struct rv_ctx *ctx,
	      const struct rv_keystore *ks, const char *const *paths,
	      size_t npaths, const struct rv_verify_options *opts,
	      struct rv_error **err);

/* ---- fetch from upstream mirrors ---------------------------------------- */

struct rv_fetch_options {
	const char *const *mirrors;    /* base URLs of one upstream repository, tried in turn */
	size_t nmirrors;
	/* instead of mirrors: a metalink URL (MirrorManager's format), fetched
	 * first; its mirrors are tried by preference, and each one's repomd.xml
	 * must match the metalink's size and strongest hash (sha512, else
	 * sha256; md5 and sha1 are never trusted alone) before anything reads
	 * it; its timestamp may not be older than the one seen before */
	const char *metalink;
	const char *ca_file;           /* CA bundle for https, NULL = the system's */
	long connect_timeout;          /* seconds, 0 = 30 */
	long timeout;                  /* seconds without a byte before a transfer is a stall, 0 = 30 */
	unsigned retries;              /* of a transient failure (5xx, reset), on one mirror */
	unsigned backoff_ms;           /* first wait between retries, doubled each time; 0 = 500 */
	/* repomd.xml.asc is verified against these keys when a mirror has it;
	 * with require_signature a mirror without it is refused */
	const struct rv_keystore *keys;
	int require_signature;
	/* the metadata cache and the freshness record; NULL = the context's
	 * cache directory; with none, metadata is kept nowhere and freshness is
	 * not checked */
	const char *cache_dir;
	uint64_t cache_max_bytes;      /* 0 = 512 MiB */
	int64_t cache_max_age;         /* seconds, 0 = 30 days */
	time_t now;                    /* 0 = current time */
	/* download progress of each package (may be NULL), called from the
	 * transfer as bytes arrive: have of total bytes (total 0 = unknown),
	 * end 0 while it runs, then once 1 when the file is verified and in
	 * place or -1 when this attempt failed (another mirror may follow) */
	void (*progress)(const char *file, uint64_t have, uint64_t total, int end, void *data);
	void *progress_data;
};
#define RV_FETCH_OPTIONS_INIT { .retries = 3 }

/* One argument of a fetch and what came of it. */
struct rv_fetched {
	const char *arg;        /* as given */
	const char *nevra;      /* the source package chosen, or NULL */
	const char *path;       /* the verified file, or NULL */
	const char *url;        /* where its bytes came from */
	const char *mirror;     /* the mirror (a base URL of the options) */
	const char *repomd_sha256; /* of the repomd.xml that pinned its checksum */
	const char *checksum;   /* primary's checksum it was checked against, "TYPE:HEX" */
	const char *error;      /* why it could not be fetched, or NULL */
	int code;               /* 0, or the RV_E* of error (RV_ENOTFOUND: no or no single match) */
};

struct rv_fetch_report;

/*
 * Fetch source packages by name from an upstream repository: the metadata of
 * the first mirror (given, or of the metalink) that serves good metadata
 * (repomd.xml matching the metalink when there is one, its signature when
 * present or required, not older than the freshest seen from these mirrors,
 * primary matching repomd.xml's checksum) resolves each argument (a name,
 * else NAME-VERSION or NAME-VERSION-RELEASE with an optional EPOCH:), and the
 * newest or asked-for package is downloaded into outdir: its size and
 * checksum are checked against primary before it takes its name.  A mirror
 * that fails is named in a warning (ctx's logger) and the next one tried.  A
 * package that cannot be fetched is an item with its error; the call goes on.
 * Errors: RV_EINVAL (options), RV_EIO when no mirror serves usable metadata
 * or the metalink cannot be fetched or used (not well-formed, no strong hash,
 * no mirror, stale), RV_ENOTFOUND when the metalink is not there (404).
 */
int rv_fetch(struct rv_fetch_report **out, struct rv_ctx *ctx, const char *const *args,
	     size_t nargs, const char *outdir, const struct rv_fetch_options *opts,
	     struct rv_error **err);
size_t rv_fetch_report_count(const struct rv_fetch_report *r);
const struct rv_fetched *rv_fetch_report_item(const struct rv_fetch_report *r, size_t i);
void rv_fetch_report_free(struct rv_fetch_report *r);

/* ---- the curated repository -------------------------------------------- */

struct rv_repo;

/*
 * Create the repository layout in dir (created if missing, must be empty
 * otherwise): rpmvet.db, policy.yaml (a copy of policy_path after it loaded,
 * or the built-in default), keys/, Packages/, repodata/ (empty metadata).
 * Errors: RV_EINVAL (policy, or dir not empty), RV_EIO.
 */
int rv_repo_init(const char *dir, const char *policy_path, const char *actor,
		 struct rv_error **err);

/*
 * Open a repository: its database, policy and trust store.  Errors:
 * RV_ENOTFOUND (not a repository), RV_EINVAL (its policy is malformed), RV_EIO.
 */
int rv_repo_open(struct rv_repo **out, struct rv_ctx *ctx, const char *dir,
		 struct rv_error **err);
void rv_repo_free(struct rv_repo *repo);
const struct rv_policy *rv_repo_policy(const struct rv_repo *repo);
/* The repository's trust store, read-only: its keys change only through
 * rv_repo_key_add() and rv_repo_key_remove(), which record the event. */
const struct rv_keystore *rv_repo_keys(const struct rv_repo *repo);
/* Non-zero when the repository's policy says upstream.repomd-signature: required. */
int rv_repo_upstream_signature_required(const struct rv_repo *repo);
/* sha256 of the repository's policy.yaml, recorded with every decision */
const char *rv_repo_policy_sha256(const struct rv_repo *repo);

struct rv_admit_options {
	unsigned jobs;          /* 0 = number of CPUs */
	int dry_run;            /* decide and report, change nothing but the event log */
	const char *actor;      /* user@host, recorded with each event */
	time_t now;             /* 0 = current time */
	const char *closure_cache;	/* as in rv_verify_options: NULL = the context's */
	const char *sources;            /* as in rv_verify_options */
	/* as in rv_verify_options: after each package is verified */
	void (*progress)(size_t done, size_t total, void *data);
	void *progress_data;
	const struct rv_origin *origins; /* as in rv_verify_options */
};
/* Defaults: every field zero / NULL. */
#define RV_ADMIT_OPTIONS_INIT { .jobs = 0 }

#ifdef RV_TEST_HOOKS
/* Test builds only: stop the process (_exit(99)) at this step of every
 * admission: "copy", "rename", "commit", "repodata"; NULL for none. */
void rv_test_crash_at(const char *step);
/* Test builds only: event N (1, 2, ...) is recorded at base + N - 1 seconds,
 * whatever the clock says (golden documents); 0 for the clock. */
void rv_test_clock(time_t base);
#endif

/*
 * Verify each package with the repository's keys and policy, then admit those
 * that pass: downgrade and replacement checks, placement in Packages/, the
 * SBOM records and an event, then repodata.  A rejected package changes
 * nothing but the event log.  Admits into one repository serialise on its
 * lock.  Errors (RV_EIO...) mean the run could not complete; what was
 * admitted before stays admitted.
 */
int rv_repo_admit(struct rv_report **out, struct rv_repo *repo,
		  const char *const *paths, size_t npaths,
		  const struct rv_admit_options *opts, struct rv_error **err);

/* Record a verify run against the repository (one event per package); a run
 * with a package that could not be checked (verdict error) records nothing. */
int rv_repo_record_verify(struct rv_repo *repo, const struct rv_report *r,
			  const char *actor, struct rv_error **err);

/*
 * Trust the keys in the armored files `paths` (as rv_keystore_add_files: all
 * or nothing) and record one key-add event per primary key, in one step under
 * the repository's lock.  The keys are written under hidden names first, the
 * events committed, and only then the keys put in place: when the events
 * cannot be recorded no key is trusted, and a key is never trusted without
 * its event.  *added (may be NULL) as in rv_keystore_add_files.
 * Errors: as rv_keystore_add_files; RV_EIO when the events cannot be recorded.
 */
int rv_repo_key_add(struct rv_repo *repo, const char *const *paths, size_t npaths,
		    const char *actor, char ***added, struct rv_error **err);

/*
 * Stop trusting the primary key with this full fingerprint and record a
 * key-remove event: the key file is moved aside first, and put back when the
 * event cannot be recorded.  Errors: RV_EINVAL (not a full fingerprint, or a
 * subkey's), RV_ENOTFOUND, RV_EIO.
 */
int rv_repo_key_remove(struct rv_repo *repo, const char *fingerprint, const char *actor,
		       struct rv_error **err);

/* Remove the current package NEVRA from Packages/ and repodata; history stays.
 * Errors: RV_ENOTFOUND, RV_EIO. */
int rv_repo_remove(struct rv_repo *repo, const char *nevra, const char *reason,
		   const char *actor, struct rv_error **err);

/*
 * Check that database, files and repodata agree (the repodata parsed, not
 * only its checksums) and that every trusted key has its key-add event (a key
 * that has none is a problem; a repair leaves it for the curator to remove
 * or add); with repair, make them agree (stray files moved to
 * quarantine/ under a name no earlier one has, staged leftovers removed,
 * repodata regenerated) without losing an admitted package, and record a
 * repair event.  *problems gets a NULL-terminated list (the caller's,
 * rv_strv_free) of what was found, *repaired (may be NULL) of what was done.
 * Returns 0 when the check (and the repair) could run; an error means
 * nothing was recorded and both lists are NULL.
 */
int rv_repo_check(struct rv_repo *repo, int repair, const char *actor,
		  char ***problems, char ***repaired, struct rv_error **err);

/* Recompute the event hash chain: *broken 0 intact, else the first broken event id. */
int rv_repo_audit(struct rv_repo *repo, int64_t *count, int64_t *broken, char **why,
		  struct rv_error **err);

/*
 * Check every recorded row (packages, deps, files, repodata; which rows are
 * current) against the events that recorded it.  *count gets the package
 * rows checked; *why (the caller's) NULL when all agree, else the first
 * difference, naming the table, the row (NEVRA and id), the column and the
 * event.  Errors: RV_EIO when a table cannot be read.
 */
int rv_repo_audit_records(struct rv_repo *repo, int64_t *count, char **why,
			  struct rv_error **err);

enum rv_query_kind { RV_Q_HISTORY, RV_Q_SHOW, RV_Q_LIST, RV_Q_SEARCH };
struct rv_query {
	enum rv_query_kind kind;
	const char *name;       /* history: package name */
	const char *nevra;      /* show */
	time_t at;              /* list: the instant (0 = now) */
	/* search filters (NULL / 0 = any); license and file are substrings */
	const char *license, *signer, *requires, *provides, *file;
	time_t since, until;    /* admitted in [since, until] */
};

/*
 * One row of a list or query result: column names and values as text (NULL
 * for none).  Return non-zero to stop.
 */
typedef int (*rv_row_fn)(size_t ncols, const char *const *names,
			 const char *const *values, void *data);

/* A list or query (RV_Q_LIST, RV_Q_SEARCH) row by row, in bounded memory.
 * Errors: RV_EINVAL for other kinds, RV_EIO. */
int rv_repo_query_rows(struct rv_repo *repo, const struct rv_query *q, rv_row_fn fn,
		       void *data, struct rv_error **err);

/*
 * Run an auditor query; *json (the caller's) gets its result as one JSON
 * object, the data only: history {name, events}, show {package, admissions}
 * or {name, packages}, list {at, packages}, query {packages}; no
 * format_version or other envelope, which the caller's document adds.
 */
int rv_repo_query(struct rv_repo *repo, const struct rv_query *q, char **json,
		  struct rv_error **err);

/* ---- SBOM export ----------------------------------------------------------- */

enum rv_export_format { RV_EXPORT_SPDX, RV_EXPORT_CYCLONEDX };
struct rv_export_options {
	enum rv_export_format format;   /* SPDX 2.3 or CycloneDX 1.6, JSON */
	time_t at;                      /* the instant (0 = now) */
	const char *const *packages;    /* NEVRAs or names to export; none = every package */
	size_t npackages;
};
#define RV_EXPORT_OPTIONS_INIT { .format = RV_EXPORT_SPDX }

/*
 * The repository at an instant as one SBOM document (*doc, the caller's):
 * every package current then (or those named), with its purl, digests,
 * licence, supplier, signer, embedded sources and relationships.  The same
 * database state gives the same bytes (see lib/export.c).  *warnings (the
 * caller's, rv_strv_free, NULL when none) says what the document had to guess,
 * e.g. a purl namespace taken from the repository's name.  Errors:
 * RV_ENOTFOUND (a package named is not in the repository at that instant),
 * RV_EINVAL, RV_EIO.
 */
int rv_repo_export(struct rv_repo *repo, const struct rv_export_options *o, char **doc,
		   char ***warnings, struct rv_error **err);

/* ---- build dependency closure ------------------------------------------- */

struct rv_closure_options {
	/* rpm-md repository roots (holding repodata/), or http(s):// and file://
	 * URLs of remote ones, mirrored into the cache directory first */
	const char *const *upstream;
	size_t nupstream;
	const char *arch;            /* target architecture; NULL = x86_64 */
	const char *const *buildgroup; /* NULL-terminated names always in a buildroot, or NULL */
	/* NULL-terminated source NEVRAs already admitted (e.g. a curated
	 * repository's): sources needed but not in it form the import frontier */
	const char *const *admitted;
	/* follow the frontier through upstream source metadata (SRPMs in the
	 * upstream repositories, arch src) until closed, finding cycles */
	int recursive;
	/* a directory for parsed metadata (libsolv .solv files keyed by the
	 * SHA-256 of repomd.xml); NULL = the context's cache directory */
	const char *cache_dir;
	int no_cache;                /* no cache at all, whatever the context says */
	/* a remote upstream's repomd.xml.asc is verified against these keys when
	 * it has one (none: not checked); with require_signature, one without it
	 * is refused (as rv_fetch_options) */
	const struct rv_keystore *keys;
	int require_signature;
};

struct rv_closure_result {
	char *path;
	char *nevra;                 /* name-[epoch:]version-release.src, or NULL */
	char *error;                 /* the SRPM could not be read, or NULL */
	/* 1 when the SRPM has dynamic BuildRequires (rpmlib(DynamicBuildRequires)):
	 * those a build generates are not in it, so the closure is of the static
	 * ones only; resolved means error NULL and nunresolved 0 */
	int dynamic_buildrequires;
	char **closure;              /* binary NEVRAs with arch a build needs, sorted */
	size_t nclosure;
	char **sources;              /* their source packages (NEVRA .src), sorted */
	size_t nsources;
	struct rv_unresolved {
		char *dependency;
		char *reason;        /* libsolv's explanation */
	} *unresolved;
	size_t nunresolved;
	char **frontier;             /* sources needed and not admitted (with admitted given), sorted */
	size_t nfrontier;
	/* recursive: every source package needed, transitively; those with no
	 * source metadata upstream; and build cycles (each a sorted list) */
	char **all_sources;
	size_t nall_sources;
	char **no_metadata;
	size_t nno_metadata;
	char ***cycles;              /* NULL-terminated lists */
	size_t ncycles;
};

struct rv_closure_report;

/*
 * A policy's closure settings (closure.upstream, arch, build-group) as
 * options, whether or not the policy enforces the closure stage; the other
 * fields are zeroed and the strings borrowed from the policy.  Returns the
 * number of upstreams: 0 when the policy names none or pol is NULL.
 */
size_t rv_policy_closure_options(struct rv_closure_options *out, const struct rv_policy *pol);

/*
 * Resolve each SRPM's BuildRequires (versioned, file and rich dependencies)
 * plus the build group with libsolv over the upstream repositories; checksums
 * in repomd.xml are verified before the metadata is used.  A package whose
 * BuildRequires cannot all be resolved still gets its partial closure.
 * Errors: RV_EIO / RV_EFORMAT naming an upstream file.
 */
int rv_closure(struct rv_closure_report **out, struct rv_ctx *ctx,
	       const char *const *paths, size_t npaths,
	       const struct rv_closure_options *opts, struct rv_error **err);
/*
 * Repository closure: every Requires of every binary package in the upstream
 * repositories must be satisfiable (a conditional dependency whose condition
 * cannot hold is satisfied).  The report holds one result per package with
 * unresolved dependencies (nevra with arch; path is its repository), sorted.
 */
int rv_repoclosure(struct rv_closure_report **out, struct rv_ctx *ctx,
		   const struct rv_closure_options *opts, struct rv_error **err);
/* repo closure: how many binary packages were checked */
size_t rv_closure_checked(const struct rv_closure_report *r);

size_t rv_closure_count(const struct rv_closure_report *r);
const struct rv_closure_result *rv_closure_result(const struct rv_closure_report *r,
						  size_t i);
void rv_closure_report_free(struct rv_closure_report *r);

#ifdef __cplusplus
}
#endif
#endif
