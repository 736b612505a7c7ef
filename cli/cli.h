/* SPDX-License-Identifier: MIT */
/* cli: shared declarations of the rpmvet program. */
#ifndef RV_CLI_H
#define RV_CLI_H

#include "rpmvet.h"

#include <stdio.h>
#include <time.h>

/* Exit codes: they never wrap, however many packages fail. */
enum {
	EXIT_PASS = 0,     /* every package passed */
	EXIT_REJECT = 1,   /* at least one package was rejected */
	EXIT_USAGE = 2,    /* usage or configuration error */
	EXIT_RUN = 3,      /* the run could not complete */
};

/* Global state set by main(): verbosity (-q = -1, -v = 1, -vv = 2). */
extern int cli_verbosity;
extern const char *cli_progname;

/* One option of a command: drives both getopt_long and --help. */
struct cli_option {
	const char *name;    /* long name */
	int shortopt;        /* short letter, or 0 */
	const char *arg;     /* argument name, or NULL for a flag */
	const char *help;
};

struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/*
 * Parse argv with the option table.  For each option found, *which is set to
 * its index and *arg to its argument; returns 1 for an option, 0 when done
 * (*optind_out is then the first operand), or exits: --help prints usage and
 * exits 0, an unknown or malformed option prints an error and exits 2.
 */
struct cli_parser {
	int argc;
	char **argv;
	const char *usage;   /* "verify --keys DIR [options] PKG..." */
	const char *about;   /* one sentence */
	const struct cli_option *opts;
	int started;
	unsigned long long seen;   /* options already given: each may come once */
	const char *cmd;           /* the command's name in messages (default argv[0]) */
	int files_last;            /* options end at the first operand (file lists from globs) */
};
int cli_next(struct cli_parser *p, int *which, const char **arg);
int cli_optind(const struct cli_parser *p);
void cli_help(const struct cli_parser *p, FILE *f);

/* "rpmvet: error: ..." on stderr; returns code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * stdout: cli_output_open() (first thing in main) makes every write to stdout
 * checked and ignores SIGPIPE.  After the first failed write nothing more is
 * written and ferror(stdout) is set, so loops over output can stop early.
 * cli_output_error() says once "cannot write the output: <reason>" (nothing
 * for a closed pipe) and returns EXIT_RUN; cli_output_close(rc) closes stdout
 * and returns rc, or cli_output_error() when anything could not be written.
 */
void cli_output_open(void);
int cli_output_error(void);
int cli_output_close(int rc);
/* Report a library error and return the exit code its code maps to. */
int cli_error(struct rv_error *err);
/* A usage error about this command; returns EXIT_USAGE. */
int cli_usage_error(const struct cli_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

enum cli_format { FMT_TEXT, FMT_JSON, FMT_JUNIT };
/* Parse --format; allowed is a bit mask of 1 << FMT_*. */
int cli_format(const char *s, unsigned allowed, enum cli_format *out);

/* Parse a positive integer option; returns -1 when malformed. */
long cli_number(const char *s, long min, long max);

/*
 * A TIME option (--at, --since, --until of every command): "2026-05-01", which
 * is the last second of that day (UTC) with day_end set, else its first;
 * "2026-05-01T12:00:00Z"; or seconds since 1970.  Sets *out (never 0, which
 * means "now" to the library) and returns 0, or says what a TIME is, naming
 * --opt, and returns EXIT_USAGE.
 */
int cli_time_option(const struct cli_parser *p, const char *opt, const char *arg,
		    int day_end, time_t *out);

/* Colour on stdout: only on a tty and when NO_COLOR is unset or empty. */
int cli_color(void);
/* Write s with control characters escaped (hostile file names). */
void cli_put_escaped(FILE *f, const char *s);
/*
 * A copy of s that is valid UTF-8 (bytes that are not become "\xNN"); with
 * xml set, what XML 1.0 forbids is escaped the same way (rv_text_escape).
 */
char *cli_safe_text(const char *s, int xml);
/* "2022-04-12T00:00:15Z" */
const char *cli_time(char *buf, size_t len, int64_t t);

/*
 * The packages that operands name, in order: a directory stands for the
 * *.rpm in it (hidden names excepted, not recursive, sorted bytewise), "-" for
 * the paths on stdin, one a line (empty lines skipped, directories expanded;
 * a name holding a newline cannot come this way), anything else for itself.
 * Returns a NULL-terminated vector (rv_strv_free) and its length in *n, or
 * exits 2: '-' twice, a directory without packages, a *.rpm in it that is not
 * a regular file (a FIFO would hang the run), nothing on stdin; or 3 when a
 * directory or stdin cannot be read.
 */
char **cli_packages(const struct cli_parser *p, char *const *args, int nargs, size_t *n);

/* --policy FILE loaded, or the built-in default policy; exits 2/3 on error. */
struct rv_policy *cli_policy(const char *path);

/* The library context, made on first use. */
struct rv_ctx *cli_ctx(void);

int cmd_verify(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_license(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_admit(int argc, char **argv);
int cmd_remove(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_repo(int argc, char **argv);
int cmd_closure(int argc, char **argv);
int cmd_fetch(int argc, char **argv);

/* Progress on stderr: only when it is a tty and without -q, for batches of more than this. */
#define CLI_PROGRESS_BATCH 20
int cli_progress_wanted(void);
/* rv_verify_options.progress: "rpmvet: verified done/total", redrawn. */
void cli_batch_progress(size_t done, size_t total, void *data);
/* rv_fetch_options.progress: one line per file, bytes, rate and ETA redrawn, then the total. */
void cli_fetch_progress(const char *file, uint64_t have, uint64_t total, int end, void *data);

/* Options of a download from upstream mirrors, shared by fetch and admit --from. */
struct cli_fetch {
	const char **from;
	size_t nfrom;
	struct rv_fetch_options fo;
};
/* Handle the option `which` when it is one of --from, --metalink, --ca, --timeout, --retries: 1, else 0. */
int cli_fetch_option(struct cli_parser *p, int which, const char *arg, struct cli_fetch *f);
/* A usage error (its exit code, printed) unless exactly one of --from and --metalink was given; else 0. */
int cli_fetch_usage(struct cli_parser *p, const struct cli_fetch *f);
/* Fetch args into outdir, each failure on stderr; the exit code for the failures (0 for none). */
int cli_fetch_run(struct cli_fetch *f, const struct rv_keystore *ks, char **args, size_t nargs,
		  const char *outdir, struct rv_fetch_report **out);
int cmd_repo_closure(int argc, char **argv);

/* The repository: --repo DIR or $RPMVET_REPO (a usage error when neither). */
const char *cli_repo_dir(const struct cli_parser *p, const char *opt);
struct rv_repo *cli_repo_open(const char *dir);
/* user@host */
const char *cli_actor(void);
/* The closure cache directory: $XDG_CACHE_HOME/rpmvet, else ~/.cache/rpmvet
 * (created by the first write); NULL when neither is set. */
const char *cli_cache_dir(void);

/* A JSON string of untrusted text (invalid UTF-8 escaped, never dropped). */
struct json_t *cli_json_text(const char *s);

/*
 * Every `format_version: 1` document (cli/json.c).  cli_json_doc() makes one:
 * "format_version": 1 first, then with tool set the "tool" object {name,
 * version}; the caller adds its members.  cli_json_wrap() adds the members
 * of a JSON object the library returned (data, no envelope), in its order;
 * -1 when data is not an object.  cli_json_write() writes the document to
 * stdout, indented by two, keys in the order they were set, a newline after,
 * and frees it; 0, or cli_output_error() when anything could not be written.
 * A document whose last member is a long array streams it instead:
 * cli_json_stream_open() writes the document (freed) with the array `key`
 * opened as its last member, cli_json_stream_row() each row (freed; i counts
 * from 0; non-zero when the output failed), cli_json_stream_close(n) ends it.
 */
struct json_t *cli_json_doc(int tool);
int cli_json_wrap(struct json_t *doc, const char *data);
int cli_json_write(struct json_t *doc);
int cli_json_stream_open(struct json_t *doc, const char *key);
int cli_json_stream_row(struct json_t *row, size_t i);
int cli_json_stream_close(size_t n);

/* Pieces shared by the renderers. */
void render_verdict(enum rv_verdict v, int color);
void render_findings(const struct rv_finding *fs, size_t n, int color);
struct json_t *render_json_findings(const struct rv_finding *fs, size_t n);

/* Renderers of a verify report to stdout. */
void render_text(const struct rv_report *r);
int render_json(const struct rv_report *r);
int render_junit(const struct rv_report *r, const char *suite);

#endif
