/* SPDX-License-Identifier: MIT */
/* cli util: option parsing from a table, diagnostics, small output helpers. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cli_verbosity;
const char *cli_progname = "rpmvet";

static void vdiag(const char *level, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s: ", cli_progname, level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag("error", fmt, ap);
	va_end(ap);
	return code;
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	if (cli_verbosity < 0)
		return;
	va_start(ap, fmt);
	vdiag("warning", fmt, ap);
	va_end(ap);
}

int cli_error(struct rv_error *err)
{
	int code = err ? err->code : RV_EEXTERNAL;
	char *msg = rv_error_string(err);

	cli_fail(0, "%s", msg ? msg : "unknown error");
	free(msg);
	rv_error_free(err);
	return code == RV_EINVAL || code == RV_EFORMAT ? EXIT_USAGE : EXIT_RUN;
}

/* ---- stdout: every write checked ---------------------------------------------- */

/* The first error writing stdout.  Once set nothing more is written, so a long
 * output to a full disk or to a reader that went away stops early. */
static int out_errno;

static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
	size_t done = 0;
	ssize_t w;

	(void)cookie;
	while (!out_errno && done < n) {
		if ((w = write(STDOUT_FILENO, buf + done, n - done)) > 0)
			done += (size_t)w;
		else if (w == 0 || errno != EINTR)
			out_errno = w ? errno : EIO;
	}
	if (out_errno) {
		errno = out_errno;
		return 0;
	}
	return (ssize_t)n;
}

void cli_output_open(void)
{
	static const cookie_io_functions_t io = { NULL, out_write, NULL, NULL };
	FILE *f = fopencookie(NULL, "w", io);

	/* a closed pipe is a write error (EPIPE) like any other, not a signal */
	signal(SIGPIPE, SIG_IGN);
	if (!f || setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ))
		abort();
	stdout = f;
}

int cli_output_error(void)
{
	static int said;

	/* a reader that stopped reading (| head) knows it: only the exit code says it */
	if (!said++ && out_errno != EPIPE)
		cli_fail(0, "cannot write the output: %s", strerror(out_errno ? out_errno : EIO));
	return EXIT_RUN;
}

int cli_output_close(int rc)
{
	int failed = ferror(stdout);

	if (fclose(stdout) || failed || out_errno)
		return cli_output_error();
	return rc;
}

static size_t count_opts(const struct cli_option *o)
{
	size_t n = 0;

	while (o && o[n].name)
		n++;
	return n;
}

int cli_optind(const struct cli_parser *p)
{
	(void)p;
	return optind;
}

void cli_help(const struct cli_parser *p, FILE *f)
{
	size_t i, n = count_opts(p->opts);

	fprintf(f, "usage: %s %s\n\n%s\n\noptions:\n", cli_progname, p->usage, p->about);
	for (i = 0; i < n; i++) {
		const struct cli_option *o = &p->opts[i];
		char left[64];
		snprintf(left, sizeof(left), "%c%c%s--%s%s%s",
			 o->shortopt ? '-' : ' ', o->shortopt ? o->shortopt : ' ',
			 o->shortopt ? ", " : "  ", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		fprintf(f, "  %-28s %s\n", left, o->help);
	}
	fprintf(f, "  %-28s %s\n", "-q, --quiet", "only errors on stderr");
	fprintf(f, "  %-28s %s\n", "-v, --verbose", "more detail (repeat for more)");
	fprintf(f, "  %-28s %s\n", "-h, --help", "show this help and exit");
}

int cli_usage_error(const struct cli_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag("error", fmt, ap);
	va_end(ap);
	fprintf(stderr, "usage: %s %s\n", cli_progname, p->usage);
	fprintf(stderr, "Try '%s %s --help' for more information.\n", cli_progname,
		p->cmd ? p->cmd : p->argv[0]);
	return EXIT_USAGE;
}

int cli_next(struct cli_parser *p, int *which, const char **arg)
{
	size_t n = count_opts(p->opts), i, k = 0;
	struct option *lo = calloc(n + 4, sizeof(*lo));
	/* with files_last, options stop at the first operand ('+'), so a package
	 * named like an option is never one; other commands take options anywhere */
	char shorts[128] = "+:hqv";
	int c, idx = -1, result = 0;

	if (!lo)
		abort();
	if (!p->files_last)
		memmove(shorts, shorts + 1, strlen(shorts));
	for (i = 0; i < n; i++) {
		lo[i].name = p->opts[i].name;
		lo[i].has_arg = p->opts[i].arg ? required_argument : no_argument;
		lo[i].val = 256 + (int)i;
		if (p->opts[i].shortopt && k + 3 < sizeof(shorts) - 2) {
			k = strlen(shorts);
			shorts[k] = (char)p->opts[i].shortopt;
			shorts[k + 1] = '\0';
			if (p->opts[i].arg)
				strcat(shorts, ":");
		}
	}
	lo[n].name = "help";
	lo[n].val = 'h';
	lo[n + 1].name = "quiet";
	lo[n + 1].val = 'q';
	lo[n + 2].name = "verbose";
	lo[n + 2].val = 'v';
	if (!p->started) {
		optind = 0;
		p->started = 1;
	}
	opterr = 0;
	/* -q and -v work after the command as well as before it */
	while ((c = getopt_long(p->argc, p->argv, shorts, lo, &idx)) == 'q' || c == 'v')
		cli_verbosity = c == 'q' ? -1 : cli_verbosity + 1;
	if (c == -1) {
		result = 0;
	} else if (c == 'h') {
		/* a file named "-h.rpm" among the operands must not make a run "succeed" */
		if (p->argc > 2)
			exit(cli_usage_error(p, "--help takes no other arguments"));
		cli_help(p, stdout);
		free(lo);
		exit(cli_output_close(EXIT_PASS));
	} else if (c == '?' || c == ':') {
		const char *bad = p->argv[optind - 1];
		if (c == ':')
			exit(cli_usage_error(p, "option '%s' needs an argument", bad));
		if (optopt && optopt < 256)
			exit(cli_usage_error(p, "unknown option '-%c'", optopt));
		exit(cli_usage_error(p, "unknown option '%s'", bad));
	} else {
		if (c >= 256)
			*which = c - 256;
		else
			for (i = 0; i < n; i++)
				if (p->opts[i].shortopt == c)
					*which = (int)i;
		*arg = optarg;
		if (*which >= 0 && *which < 64) {
			if (p->seen & (1ull << *which))
				exit(cli_usage_error(p, "option --%s is given more than once",
						     p->opts[*which].name));
			p->seen |= 1ull << *which;
		}
		result = 1;
	}
	free(lo);
	return result;
}

int cli_format(const char *s, unsigned allowed, enum cli_format *out)
{
	static const char *const names[] = { "text", "json", "junit" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((allowed & (1u << i)) && !strcmp(s, names[i])) {
			*out = (enum cli_format)i;
			return 0;
		}
	return -1;
}

long cli_number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	return v;
}

int cli_color(void)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(nc && *nc);
}

void cli_put_escaped(FILE *f, const char *text)
{
	/* ill-formed UTF-8 as \xNN first, as JSON and JUnit show it */
	char *safe = text ? rv_text_escape(text, 0) : NULL;
	const char *s = safe;

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		/* C0, DEL, and the C1 controls (U+0080-U+009F, as UTF-8 0xC2 0x80-0x9F) */
		if (c == 0xc2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9f) {
			fprintf(f, "\\x%02x\\x%02x", c, (unsigned char)s[1]);
			s++;
		} else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	free(safe);
}

char *cli_safe_text(const char *s, int xml)
{
	return rv_text_escape(s, xml);
}

const char *cli_time(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld", (long long)t);
	return buf;
}

/* The value of the n decimal digits at s, or -1. */
static int digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "2026-05-01" (the first or the last second of that day), "2026-05-01T12:00:00Z"
 * or seconds since 1970, up to the end of 9999; -1 when malformed. */
static time_t parse_time(const char *s, int day_end)
{
	static const long long max = 253402300799LL; /* 9999-12-31T23:59:59Z */
	size_t len = strlen(s);
	struct tm tm, back;
	time_t t;

	if (len && strspn(s, "0123456789") == len) {
		long long v = len <= 12 ? strtoll(s, NULL, 10) : max + 1;
		return v <= max ? (time_t)v : (time_t)-1;
	}
	if ((len != 10 && len != 20) || s[4] != '-' || s[7] != '-' ||
	    (len == 20 && (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')))
		return (time_t)-1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = digits(s, 4) - 1900;
	tm.tm_mon = digits(s + 5, 2) - 1;
	tm.tm_mday = digits(s + 8, 2);
	tm.tm_hour = len == 20 ? digits(s + 11, 2) : day_end ? 23 : 0;
	tm.tm_min = len == 20 ? digits(s + 14, 2) : day_end ? 59 : 0;
	tm.tm_sec = len == 20 ? digits(s + 17, 2) : day_end ? 59 : 0;
	if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mday < 0 || tm.tm_hour < 0 ||
	    tm.tm_min < 0 || tm.tm_sec < 0)
		return (time_t)-1;
	back = tm;
	/* timegm() makes 2026-02-30 into March 2nd: a date that moved is no date */
	if ((t = timegm(&back)) < 0 || back.tm_year != tm.tm_year || back.tm_mon != tm.tm_mon ||
	    back.tm_mday != tm.tm_mday || back.tm_hour != tm.tm_hour || back.tm_min != tm.tm_min ||
	    back.tm_sec != tm.tm_sec)
		return (time_t)-1;
	return t;
}

int cli_time_option(const struct cli_parser *p, const char *opt, const char *arg,
		    int day_end, time_t *out)
{
	time_t t = parse_time(arg, day_end);

	if (t == (time_t)-1)
		return cli_usage_error(p, "--%s needs a time like 2026-05-01, 2026-05-01T12:00:00Z"
				       " or seconds since 1970, not '%s'", opt, arg);
	/* 0 means "now" to the library; the first second of 1970 is as good as the next */
	*out = t ? t : 1;
	return 0;
}

/* ---- batches of packages --------------------------------------------------------- */

struct strv {
	char **v;
	size_t n, cap;
};

/* Append s (taken over), keeping the vector NULL-terminated. */
static void strv_add(struct strv *sv, char *s)
{
	if (!s)
		abort();
	if (sv->n + 1 >= sv->cap) {
		sv->cap = sv->cap ? 2 * sv->cap : 16;
		if (!(sv->v = realloc(sv->v, sv->cap * sizeof(*sv->v))))
			abort();
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A name for a message: control characters escaped (the caller frees it). */
static char *shown(const char *s)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	cli_put_escaped(f, s);
	if (fclose(f))
		abort();
	return buf;
}

/* What the shell's DIR/\*.rpm matches: not hidden, ending in ".rpm". */
static int rpm_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 4 && !strcmp(name + n - 4, ".rpm");
}

static void add_dir(const struct cli_parser *p, struct strv *out, const char *dir)
{
	struct strv names = { NULL, 0, 0 };
	const char *sep = dir[strlen(dir) - 1] == '/' ? "" : "/";
	char *path, *name = shown(dir);
	struct dirent *e;
	struct stat st;
	DIR *d;
	size_t i;

	if (!(d = opendir(dir)))
		exit(cli_fail(EXIT_RUN, "cannot read the directory '%s': %s", name, strerror(errno)));
	for (errno = 0; (e = readdir(d)); errno = 0)
		if (rpm_name(e->d_name))
			strv_add(&names, strdup(e->d_name));
	if (errno)
		exit(cli_fail(EXIT_RUN, "cannot read the directory '%s': %s", name, strerror(errno)));
	closedir(d);
	if (!names.n)
		exit(cli_usage_error(p, "no packages in '%s' (no *.rpm in it)", name));
	qsort(names.v, names.n, sizeof(*names.v), by_bytes);
	for (i = 0; i < names.n; i++) {
		if (asprintf(&path, "%s%s%s", dir, sep, names.v[i]) < 0)
			abort();
		/* a FIFO would hang the run, a directory is no package: refused
		 * before any work; a name that cannot be stat'ed is reported by the
		 * pipeline like any missing package */
		if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
			char *bad = shown(path);
			int rc = cli_usage_error(p, "'%s' in the batch '%s' is not a regular file",
						 bad, name);
			free(bad);
			exit(rc);
		}
		strv_add(out, path);
	}
	rv_strv_free(names.v);
	free(name);
}

static void add_path(const struct cli_parser *p, struct strv *out, const char *path)
{
	struct stat st;

	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		add_dir(p, out, path);
	else
		strv_add(out, strdup(path));
}

static void add_stdin(const struct cli_parser *p, struct strv *out)
{
	size_t cap = 0, lineno = 0, before = out->n;
	char *line = NULL;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if (!n)
			continue;
		if (strlen(line) != (size_t)n)
			exit(cli_usage_error(p, "line %zu of stdin holds a NUL byte", lineno));
		add_path(p, out, line);
	}
	if (ferror(stdin))
		exit(cli_fail(EXIT_RUN, "cannot read package names from stdin: %s", strerror(errno)));
	free(line);
	if (out->n == before)
		exit(cli_usage_error(p, "no packages on stdin"));
}

char **cli_packages(const struct cli_parser *p, char *const *args, int nargs, size_t *n)
{
	struct strv out = { NULL, 0, 0 };
	int i, dashes = 0;

	for (i = 0; i < nargs; i++)
		dashes += !strcmp(args[i], "-");
	if (dashes > 1)
		exit(cli_usage_error(p, "'-' is given more than once (stdin is read once)"));
	for (i = 0; i < nargs; i++) {
		if (!strcmp(args[i], "-"))
			add_stdin(p, &out);
		else
			add_path(p, &out, args[i]);
	}
	if (!out.n)
		exit(cli_usage_error(p, "no packages given"));
	*n = out.n;
	return out.v;
}

static void log_to_stderr(int level, const char *msg, void *data)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };

	(void)data;
	if (level > 1 + cli_verbosity || (level >= 1 && cli_verbosity < 0))
		return;
	fprintf(stderr, "%s: %s: %s\n", cli_progname, names[level & 3], msg);
}

struct rv_ctx *cli_ctx(void)
{
	static struct rv_ctx *ctx;
	struct rv_error *err = NULL;

	if (!ctx) {
		struct rv_ctx_options o = RV_CTX_OPTIONS_INIT;
		o.log = log_to_stderr;
		/* the key-facts and closure caches live with the user, never in a store */
		o.cache_dir = cli_cache_dir();
		if (rv_ctx_open(&ctx, &o, &err))
			exit(cli_error(err));
	}
	return ctx;
}

/* $XDG_CACHE_HOME/rpmvet, else ~/.cache/rpmvet (created when first written); NULL when neither is set. */
const char *cli_cache_dir(void)
{
	static char dir[4096];
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	char parent[4096];
	int n;

	if (x && *x)
		n = snprintf(parent, sizeof(parent), "%s", x);
	else if (h && *h)
		n = snprintf(parent, sizeof(parent), "%s/.cache", h);
	else
		return NULL;
	if (n < 0 || (size_t)n >= sizeof(parent) - sizeof("/rpmvet"))
		return NULL;
	memcpy(dir, parent, (size_t)n);
	memcpy(dir + n, "/rpmvet", sizeof("/rpmvet"));
	return dir;
}
