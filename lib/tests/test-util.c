/* SPDX-License-Identifier: MIT */
/* Tests the util module: hex, dates, bounded case-folding copies, growth, strings. */
#include "tap.h"

#include "util.h"

static void test_hex(void **state)
{
	static const uint8_t in[] = { 0x00, 0x0f, 0xa5, 0xff, 0x10, 0x9c };
	char out[2 * sizeof(in) + 1];

	(void)state;
	memset(out, 'X', sizeof(out));
	rv_hex(out, in, sizeof(in));
	assert_string_equal(out, "000fa5ff109c");

	memset(out, 'X', sizeof(out));
	rv_hex(out, in, 1);
	assert_string_equal(out, "00");
	assert_int_equal(out[3], 'X'); /* 2n+1 bytes, no more */

	rv_hex(out, in, 0);
	assert_string_equal(out, "");
}

static void test_date(void **state)
{
	char buf[32];

	(void)state;
	assert_ptr_equal(rv_date(buf, sizeof(buf), 0), buf);
	assert_string_equal(buf, "1970-01-01");
	assert_string_equal(rv_date(buf, sizeof(buf), 1649721615), "2022-04-12");
	assert_string_equal(rv_date(buf, sizeof(buf), 86399), "1970-01-01");
	assert_string_equal(rv_date(buf, sizeof(buf), 86400), "1970-01-02");
	assert_string_equal(rv_date(buf, sizeof(buf), 1577880000), "2020-01-01");
	assert_string_equal(rv_date(buf, sizeof(buf), 1577923200), "2020-01-02");
	assert_string_equal(rv_date(buf, sizeof(buf), -1), "1969-12-31");
	/* beyond 2038 on a 64-bit time_t */
	assert_string_equal(rv_date(buf, sizeof(buf), 4102444800LL), "2100-01-01");
	/* exactly the documented minimum of 11 bytes */
	assert_string_equal(rv_date(buf, 11, 1700000000), "2023-11-14");
}

static void test_strlcpy_case(void **state)
{
	char buf[8];

	(void)state;
	rv_strlcpy_case(buf, "abcDEf12", sizeof(buf), 0);
	assert_string_equal(buf, "abcDEf1"); /* truncated, terminated */

	rv_strlcpy_case(buf, "abcDEf12", sizeof(buf), 1);
	assert_string_equal(buf, "ABCDEF1");

	rv_strlcpy_case(buf, "a-b_c", sizeof(buf), 1);
	assert_string_equal(buf, "A-B_C");

	memset(buf, 'X', sizeof(buf));
	rv_strlcpy_case(buf, "hello", 3, 1);
	assert_string_equal(buf, "HE");
	assert_int_equal(buf[3], 'X'); /* nothing written past len */

	rv_strlcpy_case(buf, "x", 1, 0);
	assert_string_equal(buf, "");

	rv_strlcpy_case(buf, NULL, sizeof(buf), 1);
	assert_string_equal(buf, "");

	/* in place, as the library upper-cases key ids */
	strcpy(buf, "deadbe");
	rv_strlcpy_case(buf, buf, sizeof(buf), 1);
	assert_string_equal(buf, "DEADBE");
}

static void test_grow(void **state)
{
	int *v = NULL, *before;
	size_t cap = 0, i;

	(void)state;
	rv_grow((void **)&v, &cap, 1, sizeof(*v));
	assert_non_null(v);
	assert_int_equal(cap, 8);

	/* enough room: nothing moves */
	before = v;
	rv_grow((void **)&v, &cap, 8, sizeof(*v));
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 8);

	for (i = 0; i < 8; i++)
		v[i] = (int)i * 3;
	rv_grow((void **)&v, &cap, 9, sizeof(*v));
	assert_int_equal(cap, 16);
	rv_grow((void **)&v, &cap, 100, sizeof(*v));
	assert_int_equal(cap, 128);
	for (i = 0; i < 8; i++)
		assert_int_equal(v[i], (int)i * 3); /* contents kept */
	v[127] = 7; /* the whole capacity is usable */
	assert_int_equal(v[127], 7);
	free(v);

	/* a first need above 8 jumps straight to the next power of two */
	v = NULL;
	cap = 0;
	rv_grow((void **)&v, &cap, 33, sizeof(*v));
	assert_int_equal(cap, 64);
	free(v);
}

static void test_strings(void **state)
{
	char *s;

	(void)state;
	s = rv_xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = rv_xstrdup("");
	assert_string_equal(s, "");
	free(s);
	s = rv_xasprintf("%s-%d-%03u", "x", -42, 7u);
	assert_string_equal(s, "x--42-007");
	free(s);
	s = rv_xcalloc(0, 0); /* never NULL */
	assert_non_null(s);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_strlcpy_case),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_strings),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
