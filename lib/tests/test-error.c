/* SPDX-License-Identifier: MIT */
/* Tests the error module: set, wrap, causes, rendering and NULL safety. */
#include "tap.h"

#include "error.h"

static void test_set_returns_code_and_stores_message(void **state)
{
	struct rv_error *err = NULL;

	(void)state;
	assert_int_equal(rv_error_set(&err, RV_ENOTFOUND, "no key %s in '%s'",
				      "0x1234", "/store"),
			 RV_ENOTFOUND);
	assert_non_null(err);
	assert_int_equal(err->code, RV_ENOTFOUND);
	assert_string_equal(err->msg, "no key 0x1234 in '/store'");
	assert_null(err->cause);
	rv_error_free(err);
}

static void test_set_replaces_previous_error(void **state)
{
	struct rv_error *err = NULL;

	(void)state;
	rv_error_set(&err, RV_EIO, "first");
	assert_int_equal(rv_error_set(&err, RV_EFORMAT, "second"), RV_EFORMAT);
	assert_int_equal(err->code, RV_EFORMAT);
	assert_string_equal(err->msg, "second");
	assert_null(err->cause);
	rv_error_free(err);
}

static void test_wrap_keeps_inner_code_and_chains(void **state)
{
	struct rv_error *err = NULL, *inner;

	(void)state;
	rv_error_set(&err, RV_EFORMAT, "bad armor");
	inner = err;
	assert_int_equal(rv_error_wrap(&err, "cannot read '%s'", "k.asc"), RV_EFORMAT);
	assert_ptr_not_equal(err, inner);
	assert_int_equal(err->code, RV_EFORMAT);
	assert_string_equal(err->msg, "cannot read 'k.asc'");
	assert_ptr_equal(err->cause, inner);
	assert_string_equal(err->cause->msg, "bad armor");
	assert_int_equal(err->cause->code, RV_EFORMAT);
	assert_null(err->cause->cause);

	/* a second wrap keeps the innermost code through two levels */
	assert_int_equal(rv_error_wrap(&err, "cannot add a key"), RV_EFORMAT);
	assert_int_equal(err->code, RV_EFORMAT);
	assert_ptr_equal(err->cause->cause, inner);
	rv_error_free(err);
}

static void test_wrap_without_inner_is_external(void **state)
{
	struct rv_error *err = NULL;

	(void)state;
	assert_int_equal(rv_error_wrap(&err, "gpg failed: %d", 2), RV_EEXTERNAL);
	assert_non_null(err);
	assert_int_equal(err->code, RV_EEXTERNAL);
	assert_string_equal(err->msg, "gpg failed: 2");
	assert_null(err->cause);
	rv_error_free(err);
}

static void test_string_renders_chain(void **state)
{
	struct rv_error *err = NULL;
	char *s;

	(void)state;
	rv_error_set(&err, RV_EIO, "inner");
	rv_error_wrap(&err, "middle");
	rv_error_wrap(&err, "outer");
	s = rv_error_string(err);
	assert_string_equal(s, "outer: middle: inner");
	free(s);

	/* the rendering does not consume the error */
	s = rv_error_string(err->cause);
	assert_string_equal(s, "middle: inner");
	free(s);
	rv_error_free(err);
}

static void test_string_single_and_null(void **state)
{
	struct rv_error *err = NULL;
	char *s;

	(void)state;
	assert_null(rv_error_string(NULL));
	rv_error_set(&err, RV_EINVAL, "just me");
	s = rv_error_string(err);
	assert_string_equal(s, "just me");
	assert_ptr_not_equal(s, err->msg); /* a copy, the caller's */
	free(s);
	rv_error_free(err);
}

static void test_cause_appends_innermost(void **state)
{
	struct rv_error *err = NULL;
	char *s;

	(void)state;
	rv_error_set(&err, RV_EEXTERNAL, "gpg cannot import the key");
	rv_error_wrap(&err, "cannot read 'k.asc'");
	rv_error_cause(&err, "Invalid crypto engine");
	assert_non_null(err->cause->cause);
	assert_string_equal(err->cause->cause->msg, "Invalid crypto engine");
	assert_int_equal(err->cause->cause->code, RV_EEXTERNAL);
	assert_null(err->cause->cause->cause);
	/* the outer code is untouched */
	assert_int_equal(err->code, RV_EEXTERNAL);
	s = rv_error_string(err);
	assert_string_equal(s, "cannot read 'k.asc': gpg cannot import the key: Invalid crypto engine");
	free(s);

	/* an empty or NULL message adds nothing */
	rv_error_cause(&err, "");
	rv_error_cause(&err, NULL);
	assert_null(err->cause->cause->cause);
	rv_error_free(err);
}

static void test_cause_copies_message(void **state)
{
	struct rv_error *err = NULL;
	char msg[] = "volatile";

	(void)state;
	rv_error_set(&err, RV_EIO, "outer");
	rv_error_cause(&err, msg);
	msg[0] = 'X';
	assert_string_equal(err->cause->msg, "volatile");
	rv_error_free(err);
}

static void test_null_err_pointers_are_safe(void **state)
{
	struct rv_error *err = NULL;

	(void)state;
	/* no place to store the error: the codes still come back */
	assert_int_equal(rv_error_set(NULL, RV_EIO, "x %s", "y"), RV_EIO);
	assert_int_equal(rv_error_wrap(NULL, "x"), RV_EEXTERNAL);
	rv_error_cause(NULL, "x");
	/* no error yet: a cause has nothing to attach to */
	rv_error_cause(&err, "x");
	assert_null(err);
}

static void test_free_null(void **state)
{
	(void)state;
	rv_error_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_returns_code_and_stores_message),
		cmocka_unit_test(test_set_replaces_previous_error),
		cmocka_unit_test(test_wrap_keeps_inner_code_and_chains),
		cmocka_unit_test(test_wrap_without_inner_is_external),
		cmocka_unit_test(test_string_renders_chain),
		cmocka_unit_test(test_string_single_and_null),
		cmocka_unit_test(test_cause_appends_innermost),
		cmocka_unit_test(test_cause_copies_message),
		cmocka_unit_test(test_null_err_pointers_are_safe),
		cmocka_unit_test(test_free_null),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
