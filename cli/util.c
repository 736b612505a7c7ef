/* SPDX-License-Identifier: MIT */
/* cli util: option parsing from a table, diagnostics, small output helpers. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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
		exit(EXIT_PASS);
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

void cli_put_escaped(FILE *f, const char *s)
{
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
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

char *cli_safe_text(const char *s, int xml)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	char *out = malloc(4 * strlen((const char *)p) + 1), *w = out;

	if (!out)
		abort();
	while (*p) {
		size_t n = utf8_len(p);
		if (!n || (xml && *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')) {
			w += sprintf(w, "\\x%02x", *p);
			p++;
			continue;
		}
		memcpy(w, p, n);
		w += n;
		p += n;
	}
	*w = '\0';
	return out;
}

const char *cli_time(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%lld", (long long)t);
	return buf;
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
		if (rv_ctx_new(&ctx, log_to_stderr, NULL, &err))
			exit(cli_error(err));
		/* the trust stores' key-facts cache lives with the user, not in the store */
		rv_ctx_set_cache_dir(ctx, cli_cache_dir());
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
