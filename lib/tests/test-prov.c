/* SPDX-License-Identifier: MIT */
/*
 * Tests the dist-git sources ledger parser alone (rv_ledger_parse), table
 * driven: every line shape (a BSD tag per algorithm, legacy md5, blank,
 * malformed, hostile names, CRLF, a very long line, an empty file), what it
 * yields and which findings it raises, naming FILE:LINE.
 */
#include "tap.h"

#include "prov.h"
#include "report.h"

#define H32 "0123456789abcdef0123456789abcdef"
#define H40 H32 "01234567"
#define H56 H32 "0123456789abcdef01234567"
#define H64 H32 H32
#define H96 H64 H32
#define H128 H64 H64
#define U32 "0123456789ABCDEF0123456789ABCDEF"

struct want_entry {
	const char *name, *alg, *hex;
	int line;
};

struct want_finding {
	const char *code, *message;   /* message: a substring */
};

static const struct ledger_case {
	const char *desc, *text;
	size_t len;                   /* 0: strlen(text) */
	struct want_entry e[4];
	struct want_finding f[4];
} cases[] = {
	{ "empty file", "", 0, { { 0 } }, { { 0 } } },
	{ "SHA512 tag", "SHA512 (a-1.0.tar.gz) = " H128 "\n", 0,
	  { { "a-1.0.tar.gz", "SHA512", H128, 1 } }, { { 0 } } },
	{ "SHA384 tag", "SHA384 (a.tar) = " H96 "\n", 0, { { "a.tar", "SHA384", H96, 1 } }, { { 0 } } },
	{ "SHA256 tag", "SHA256 (a.tar) = " H64 "\n", 0, { { "a.tar", "SHA256", H64, 1 } }, { { 0 } } },
	{ "SHA224 tag", "SHA224 (a.tar) = " H56 "\n", 0, { { "a.tar", "SHA224", H56, 1 } }, { { 0 } } },
	{ "SHA1 tag", "SHA1 (a.tar) = " H40 "\n", 0, { { "a.tar", "SHA1", H40, 1 } }, { { 0 } } },
	{ "MD5 tag", "MD5 (a.tar) = " H32 "\n", 0, { { "a.tar", "MD5", H32, 1 } }, { { 0 } } },
	{ "legacy md5", H32 "  a-1.0.tar.bz2\n", 0, { { "a-1.0.tar.bz2", "MD5", H32, 1 } }, { { 0 } } },
	{ "upper-case hex is lowered", "SHA256 (a.tar) = " U32 U32 "\n", 0,
	  { { "a.tar", "SHA256", H64, 1 } }, { { 0 } } },
	{ "a name with parentheses and spaces",
	  "SHA256 (a (1) = b.tar) = " H64 "\n", 0, { { "a (1) = b.tar", "SHA256", H64, 1 } }, { { 0 } } },
	{ "no final newline", "SHA256 (a.tar) = " H64, 0, { { "a.tar", "SHA256", H64, 1 } }, { { 0 } } },
	{ "blank lines are skipped, and counted",
	  "\n\r\nSHA256 (a.tar) = " H64 "\n\n", 0, { { "a.tar", "SHA256", H64, 3 } }, { { 0 } } },
	{ "CRLF", "SHA256 (a.tar) = " H64 "\r\nSHA256 (b.tar) = " H64 "\r\n", 0,
	  { { "a.tar", "SHA256", H64, 1 }, { "b.tar", "SHA256", H64, 2 } }, { { 0 } } },
	{ "legacy CRLF", H32 "  a.tar\r\n", 0, { { "a.tar", "MD5", H32, 1 } }, { { 0 } } },
	{ "two algorithms", "SHA512 (a.tar) = " H128 "\nSHA256 (b.tar) = " H64 "\n", 0,
	  { { "a.tar", "SHA512", H128, 1 }, { "b.tar", "SHA256", H64, 2 } },
	  { { "provenance.sources.mixed-algorithms", "'L' mixes digest algorithms (SHA512 and SHA256)" } } },
	{ "a tag and a legacy line", "SHA512 (a.tar) = " H128 "\n" H32 "  b.tar\n", 0,
	  { { "a.tar", "SHA512", H128, 1 }, { "b.tar", "MD5", H32, 2 } },
	  { { "provenance.sources.mixed-algorithms", "(SHA512 and MD5)" } } },
	{ "free text", "this is not a sources line\n", 0, { { 0 } },
	  { { "provenance.sources.unparseable", "L:1: not a sources line" } } },
	{ "a digest of the wrong length", "SHA512 (a.tar) = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.unparseable", "L:1:" } } },
	{ "a digest that is not hex", "SHA256 (a.tar) = " H32 "0123456789abcdef012345678zabcdef\n", 0,
	  { { 0 } }, { { "provenance.sources.unparseable", "L:1:" } } },
	{ "an unknown algorithm", "BLAKE2 (a.tar) = " H128 "\n", 0, { { 0 } },
	  { { "provenance.sources.unparseable", "L:1:" } } },
	{ "no parentheses", "SHA256 a.tar = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.unparseable", "L:1:" } } },
	{ "lower-case algorithm", "sha256 (a.tar) = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.unparseable", "L:1:" } } },
	{ "legacy with one space", H32 " a.tar\n", 0, { { 0 } },
	  { { "provenance.sources.unparseable", "L:1:" } } },
	{ "legacy without a name", H32 "  \n", 0, { { 0 } },
	  { { "provenance.sources.unparseable", "L:1:" } } },
	{ "an empty name", "SHA256 () = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.hostile-name", "'' (L:1)" } } },
	{ "a NUL in the line", "SHA256 (a\0b) = " H64 "\nSHA256 (c.tar) = " H64 "\n",
	  sizeof("SHA256 (a\0b) = " H64 "\nSHA256 (c.tar) = " H64 "\n") - 1,
	  { { "c.tar", "SHA256", H64, 2 } }, { { "provenance.sources.unparseable", "L:1:" } } },
	{ "a bad line among good ones", "SHA256 (a.tar) = " H64 "\nnonsense\nSHA256 (b.tar) = " H64 "\n", 0,
	  { { "a.tar", "SHA256", H64, 1 }, { "b.tar", "SHA256", H64, 3 } },
	  { { "provenance.sources.unparseable", "L:2:" } } },
	{ "a path", "SHA256 (../../etc/passwd) = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.hostile-name", "'../../etc/passwd' (L:1) is not a file name" } } },
	{ "a slash", "SHA256 (dir/a.tar) = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.hostile-name", "'dir/a.tar' (L:1)" } } },
	{ "dot-dot", "SHA256 (..) = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.hostile-name", "'..' (L:1)" } } },
	{ "dot", "SHA256 (.) = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.hostile-name", "'.' (L:1)" } } },
	{ "a control character, escaped in the message", "SHA256 (a\033[2Jb) = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.hostile-name", "(L:1) is not a file name" } } },
	{ "a tab", "SHA256 (a\tb) = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.hostile-name", "(L:1)" } } },
	{ "DEL", "SHA256 (a\177b) = " H64 "\n", 0, { { 0 } },
	  { { "provenance.sources.hostile-name", "(L:1)" } } },
	{ "a legacy path", H32 "  ../a.tar\n", 0, { { 0 } },
	  { { "provenance.sources.hostile-name", "'../a.tar' (L:1)" } } },
	{ "a lone CR is not a line end: a name holding one", "SHA256 (a.tar) = " H64 "\rSHA256 (b.tar) = " H64 "\n", 0,
	  { { 0 } }, { { "provenance.sources.hostile-name", "(L:1) is not a file name" } } },
	{ "dot-dot inside a name is a name", "SHA256 (a..b.tar) = " H64 "\n", 0,
	  { { "a..b.tar", "SHA256", H64, 1 } }, { { 0 } } },
};

static void check_case(const struct ledger_case *c, const char *text, size_t len)
{
	struct rv_result res;
	struct rv_ledger l;
	size_t i, ne = 0, nf = 0;

	rv_result_init(&res, "x.src.rpm");
	rv_ledger_parse(&l, text, len, "L", &res);
	while (ne < 4 && c->e[ne].name)
		ne++;
	while (nf < 4 && c->f[nf].code)
		nf++;
	if (l.n != ne || res.nfindings != nf)
		print_error("%s: %zu entries (want %zu), %zu findings (want %zu)%s%s\n", c->desc,
			    l.n, ne, res.nfindings, nf, res.nfindings ? ": " : "",
			    res.nfindings ? res.findings[0].message : "");
	assert_int_equal(l.n, ne);
	assert_int_equal(res.nfindings, nf);
	for (i = 0; i < ne; i++) {
		if (strcmp(l.v[i].name, c->e[i].name) || strcmp(l.v[i].alg, c->e[i].alg) ||
		    strcmp(l.v[i].hex, c->e[i].hex) || l.v[i].line != c->e[i].line)
			print_error("%s: entry %zu is '%s' %s %s line %d\n", c->desc, i, l.v[i].name,
				    l.v[i].alg, l.v[i].hex, l.v[i].line);
		assert_string_equal(l.v[i].name, c->e[i].name);
		assert_string_equal(l.v[i].alg, c->e[i].alg);
		assert_string_equal(l.v[i].hex, c->e[i].hex);
		assert_int_equal(l.v[i].line, c->e[i].line);
		assert_int_equal(l.v[i].seen, 0);
	}
	for (i = 0; i < nf; i++) {
		if (strcmp(res.findings[i].code, c->f[i].code) ||
		    !strstr(res.findings[i].message, c->f[i].message))
			print_error("%s: finding %zu is %s '%s', want %s '...%s...'\n", c->desc, i,
				    res.findings[i].code, res.findings[i].message, c->f[i].code,
				    c->f[i].message);
		assert_string_equal(res.findings[i].code, c->f[i].code);
		assert_non_null(strstr(res.findings[i].message, c->f[i].message));
		/* an escape sequence of a name never reaches a message raw */
		assert_null(strchr(res.findings[i].message, '\033'));
	}
	rv_ledger_release(&l);
	assert_int_equal(l.n, 0);
	rv_result_release(&res);
}

static void test_line_shapes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i], cases[i].text, cases[i].len ? cases[i].len : strlen(cases[i].text));
}

/* A very long line: one finding for it, the next line still parsed, on line 2; a
 * very long name in a well-formed line is a name. */
static void test_long_lines(void **state)
{
	static const struct ledger_case junk = {
		"a 1 MiB line", NULL, 0, { { "b.tar", "SHA256", H64, 2 } },
		{ { "provenance.sources.unparseable", "L:1:" } },
	};
	const size_t n = 1u << 20;
	const char *tail = "\nSHA256 (b.tar) = " H64 "\n";
	char *text = malloc(n + strlen(tail) + 1), *name;
	struct rv_result res;
	struct rv_ledger l;

	(void)state;
	assert_non_null(text);
	memset(text, 'x', n);
	strcpy(text + n, tail);
	check_case(&junk, text, strlen(text));
	/* a 64 KiB name */
	name = malloc((64u << 10) + 1);
	assert_non_null(name);
	memset(name, 'n', 64u << 10);
	name[64u << 10] = '\0';
	free(text);
	text = tap_fmt("SHA256 (%s) = " H64 "\n", name);
	rv_result_init(&res, "x.src.rpm");
	rv_ledger_parse(&l, text, strlen(text), "L", &res);
	assert_int_equal(l.n, 1);
	assert_int_equal(res.nfindings, 0);
	assert_string_equal(l.v[0].name, name);
	rv_ledger_release(&l);
	rv_result_release(&res);
	free(name);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_shapes),
		cmocka_unit_test(test_long_lines),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
