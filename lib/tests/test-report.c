/* SPDX-License-Identifier: MIT */
/* Tests the report module: findings, verdicts, reports, summaries and names. */
#include "tap.h"

#include "report.h"

static void test_add_and_has(void **state)
{
	struct rv_result res;

	(void)state;
	rv_result_init(&res, "/x/a.rpm");
	assert_string_equal(res.path, "/x/a.rpm");
	assert_int_equal(res.nfindings, 0);
	assert_false(rv_result_has(&res, "signature.ok"));

	rv_result_add(&res, "signature", "signature.ok", RV_SEV_INFO,
		      "header signature OK by %s", "ABCD");
	rv_result_add(&res, "digest", "digest.payload.bad", RV_SEV_ERROR,
		      "expected %d, got %d", 1, 2);
	assert_int_equal(res.nfindings, 2);
	assert_true(rv_result_has(&res, "signature.ok"));
	assert_true(rv_result_has(&res, "digest.payload.bad"));
	assert_false(rv_result_has(&res, "digest.payload"));
	assert_false(rv_result_has(&res, "signature.ok.x"));

	/* the findings keep their order, fields and formatted messages */
	assert_string_equal(res.findings[0].check, "signature");
	assert_string_equal(res.findings[0].code, "signature.ok");
	assert_int_equal(res.findings[0].severity, RV_SEV_INFO);
	assert_string_equal(res.findings[0].message, "header signature OK by ABCD");
	assert_string_equal(res.findings[1].check, "digest");
	assert_int_equal(res.findings[1].severity, RV_SEV_ERROR);
	assert_string_equal(res.findings[1].message, "expected 1, got 2");
	rv_result_release(&res);
	assert_null(res.path);
	assert_null(res.findings);
	assert_int_equal(res.nfindings, 0);
}

static void test_many_findings(void **state)
{
	struct rv_result res;
	char code[32];
	size_t i;

	(void)state;
	rv_result_init(&res, "p");
	for (i = 0; i < 100; i++)
		rv_result_add(&res, "package", "package.x", RV_SEV_INFO, "n%zu", i);
	assert_int_equal(res.nfindings, 100);
	for (i = 0; i < 100; i++) {
		snprintf(code, sizeof(code), "n%zu", i);
		assert_string_equal(res.findings[i].message, code);
	}
	rv_result_release(&res);
}

static void test_verdict_pass(void **state)
{
	struct rv_result res;

	(void)state;
	rv_result_init(&res, "p");
	assert_int_equal(rv_result_verdict(&res), RV_VERDICT_PASS);
	rv_result_add(&res, "signature", "signature.ok", RV_SEV_INFO, "ok");
	rv_result_add(&res, "signature", "signature.unsupported", RV_SEV_WARNING, "v6");
	rv_result_add(&res, "digest", "digest.payload.ok", RV_SEV_INFO, "ok");
	assert_int_equal(rv_result_verdict(&res), RV_VERDICT_PASS);
	rv_result_release(&res);
}

static void test_verdict_reject(void **state)
{
	struct rv_result res;

	(void)state;
	rv_result_init(&res, "p");
	rv_result_add(&res, "signature", "signature.ok", RV_SEV_INFO, "ok");
	rv_result_add(&res, "key", "key.expired", RV_SEV_ERROR, "expired");
	rv_result_add(&res, "digest", "digest.payload.ok", RV_SEV_INFO, "ok");
	assert_int_equal(rv_result_verdict(&res), RV_VERDICT_REJECT);
	rv_result_release(&res);
}

static void test_verdict_error_on_io(void **state)
{
	struct rv_result res;

	(void)state;
	/* an io finding alone, even at a low severity */
	rv_result_init(&res, "p");
	rv_result_add(&res, "io", "io.read", RV_SEV_WARNING, "short read");
	assert_int_equal(rv_result_verdict(&res), RV_VERDICT_ERROR);
	rv_result_release(&res);

	/* io wins over errors found before and after it */
	rv_result_init(&res, "p");
	rv_result_add(&res, "signature", "signature.bad", RV_SEV_ERROR, "bad");
	rv_result_add(&res, "io", "io.open", RV_SEV_ERROR, "cannot open");
	rv_result_add(&res, "digest", "digest.payload.bad", RV_SEV_ERROR, "bad");
	assert_int_equal(rv_result_verdict(&res), RV_VERDICT_ERROR);
	rv_result_release(&res);

	/* a code that merely starts with "io" is not the io check */
	rv_result_init(&res, "p");
	rv_result_add(&res, "package", "io.open", RV_SEV_ERROR, "not io");
	assert_int_equal(rv_result_verdict(&res), RV_VERDICT_REJECT);
	rv_result_release(&res);
}

static void test_report_new_keeps_order(void **state)
{
	const char *const paths[] = { "/b.rpm", "/a.rpm", "/c d.rpm", "/a.rpm" };
	struct rv_report *r = rv_report_new(paths, 4);
	size_t i;

	(void)state;
	assert_int_equal(rv_report_count(r), 4);
	for (i = 0; i < 4; i++) {
		const struct rv_result *res = rv_report_result(r, i);
		assert_non_null(res);
		assert_string_equal(res->path, paths[i]);
		assert_ptr_not_equal(res->path, paths[i]); /* copied */
		assert_ptr_equal(rv_report_at(r, i), res);
		assert_null(res->nevra);
		assert_int_equal(res->nfindings, 0);
		assert_int_equal(res->verdict, RV_VERDICT_PASS);
	}
	assert_null(rv_report_result(r, 4));
	assert_null(rv_report_at(r, 4));
	rv_report_free(r);
}

static void test_report_empty_and_null(void **state)
{
	struct rv_report *r = rv_report_new(NULL, 0);
	size_t p = 9, j = 9, e = 9;

	(void)state;
	assert_non_null(r);
	assert_int_equal(rv_report_count(r), 0);
	assert_null(rv_report_result(r, 0));
	rv_report_summary(r, &p, &j, &e);
	assert_int_equal(p, 0);
	assert_int_equal(j, 0);
	assert_int_equal(e, 0);
	rv_report_free(r);

	assert_int_equal(rv_report_count(NULL), 0);
	assert_null(rv_report_result(NULL, 0));
	p = j = e = 9;
	rv_report_summary(NULL, &p, &j, &e);
	assert_int_equal(p + j + e, 0);
	rv_report_free(NULL);
}

static void test_report_summary(void **state)
{
	const char *const paths[] = { "a", "b", "c", "d", "e", "f" };
	struct rv_report *r = rv_report_new(paths, 6);
	size_t passed = 0, rejected = 0, errors = 0;

	(void)state;
	rv_report_at(r, 0)->verdict = RV_VERDICT_PASS;
	rv_report_at(r, 1)->verdict = RV_VERDICT_REJECT;
	rv_report_at(r, 2)->verdict = RV_VERDICT_ERROR;
	rv_report_at(r, 3)->verdict = RV_VERDICT_REJECT;
	rv_report_at(r, 4)->verdict = RV_VERDICT_REJECT;
	rv_report_at(r, 5)->verdict = RV_VERDICT_PASS;
	rv_report_summary(r, &passed, &rejected, &errors);
	assert_int_equal(passed, 2);
	assert_int_equal(rejected, 3);
	assert_int_equal(errors, 1);

	/* any out-parameter may be NULL */
	rejected = 0;
	rv_report_summary(r, NULL, &rejected, NULL);
	assert_int_equal(rejected, 3);

	/* results with findings are released with the report */
	rv_result_add(rv_report_at(r, 1), "signature", "signature.bad",
		      RV_SEV_ERROR, "bad");
	rv_report_at(r, 1)->nevra = strdup("x-1-1.noarch");
	rv_report_free(r);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(rv_severity_name(RV_SEV_INFO), "info");
	assert_string_equal(rv_severity_name(RV_SEV_WARNING), "warning");
	assert_string_equal(rv_severity_name(RV_SEV_ERROR), "error");
	assert_string_equal(rv_severity_name((enum rv_severity)3), "unknown");
	assert_string_equal(rv_severity_name((enum rv_severity)-1), "unknown");
	assert_string_equal(rv_verdict_name(RV_VERDICT_PASS), "pass");
	assert_string_equal(rv_verdict_name(RV_VERDICT_REJECT), "reject");
	assert_string_equal(rv_verdict_name(RV_VERDICT_ERROR), "error");
	assert_string_equal(rv_verdict_name((enum rv_verdict)42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_has),
		cmocka_unit_test(test_many_findings),
		cmocka_unit_test(test_verdict_pass),
		cmocka_unit_test(test_verdict_reject),
		cmocka_unit_test(test_verdict_error_on_io),
		cmocka_unit_test(test_report_new_keeps_order),
		cmocka_unit_test(test_report_empty_and_null),
		cmocka_unit_test(test_report_summary),
		cmocka_unit_test(test_names),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
