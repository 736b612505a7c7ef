/* SPDX-License-Identifier: MIT */
/* Tests the text module: what counts as good text, and how the rest is escaped. */
#include "tap.h"

#include "text.h"

/* input, first bad offset (xml), escaped (xml), escaped (not xml) */
static const struct {
	const char *in;
	long bad;
	const char *xml, *plain;
} cases[] = {
	{ "", -1, "", "" },
	{ "hello-1.0", -1, "hello-1.0", "hello-1.0" },
	{ "tab\tlf\ncr\r", -1, "tab\tlf\ncr\r", "tab\tlf\ncr\r" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", -1,
	  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "a\x01" "b", 1, "a\\x01b", "a\x01" "b" },                    /* C0 control */
	{ "a\x7f" "b", -1, "a\x7f" "b", "a\x7f" "b" },                 /* DEL is XML */
	{ "x\xed\xa0\x80y", 1, "x\\xed\\xa0\\x80y", "x\\xed\\xa0\\x80y" }, /* surrogate */
	{ "\xc0\xaf", 0, "\\xc0\\xaf", "\\xc0\\xaf" },                 /* overlong '/' */
	{ "\xe0\x80\xaf", 0, "\\xe0\\x80\\xaf", "\\xe0\\x80\\xaf" },   /* overlong, 3 bytes */
	{ "\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80", "\\xf4\\x90\\x80\\x80" }, /* > U+10FFFF */
	{ "\xf5\x80\x80\x80", 0, "\\xf5\\x80\\x80\\x80", "\\xf5\\x80\\x80\\x80" },
	{ "ab\xe2\x82", 2, "ab\\xe2\\x82", "ab\\xe2\\x82" },            /* cut short */
	{ "\xff", 0, "\\xff", "\\xff" },
	{ "n\xef\xbf\xbe", 1, "n\\xef\\xbf\\xbe", "n\xef\xbf\xbe" },  /* U+FFFE */
	{ "\xef\xbf\xbf", 0, "\\xef\\xbf\\xbf", "\xef\xbf\xbf" },      /* U+FFFF */
	{ "\xef\xb7\x90", 0, "\\xef\\xb7\\x90", "\xef\xb7\x90" },      /* U+FDD0 */
	{ "\xf0\x9f\xbf\xbe", 0, "\\xf0\\x9f\\xbf\\xbe", "\xf0\x9f\xbf\xbe" }, /* U+1FFFE */
	{ "\xef\xbf\xbd", -1, "\xef\xbf\xbd", "\xef\xbf\xbd" },        /* U+FFFD is fine */
};

static void test_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *x = rv_text_escape(cases[i].in, 1), *p = rv_text_escape(cases[i].in, 0);
		if (rv_text_bad(cases[i].in, 1) != cases[i].bad)
			fail_msg("case %zu: first bad byte at %ld, want %ld", i,
				 rv_text_bad(cases[i].in, 1), cases[i].bad);
		assert_string_equal(x, cases[i].xml);
		assert_string_equal(p, cases[i].plain);
		/* what was escaped is good text */
		assert_int_equal(rv_text_bad(x, 1), -1);
		assert_int_equal(rv_text_bad(p, 0), -1);
		free(x);
		free(p);
	}
	{
		char *n = rv_text_escape(NULL, 1);
		assert_string_equal(n, "");
		free(n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
