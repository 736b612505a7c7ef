/* SPDX-License-Identifier: MIT */
/* Tests the judge: the table of finding codes, findings: overrides, waivers, the verdict. */
#include "tap.h"

#include "judge.h"
#include "license.h"
#include "report.h"

#include <ctype.h>
#include <libgen.h>

/* 2024-06-01T00:00:00Z */
#define NOW ((time_t)1717200000)

/* The source tree: lib/tests/test-judge.c is compiled from the top directory. */
static char *src_path(const char *rel)
{
	const char *top = getenv("RPMVET_SRCDIR");

	return top && *top ? tap_fmt("%s/%s", top, rel) : tap_fmt("%s", rel);
}

static struct rv_policy *load_text(const char *dir, const char *text, struct rv_error **err,
				   int *rc)
{
	struct rv_policy *pol = NULL;
	char *path = tap_fmt("%s/policy.yaml", dir);

	assert_int_equal(tap_write_file(path, text, strlen(text)), 0);
	*rc = rv_policy_load(&pol, path, err);
	free(path);
	return pol;
}

static struct rv_policy *load_ok(const char *dir, const char *text)
{
	struct rv_error *err = NULL;
	int rc;
	struct rv_policy *pol = load_text(dir, text, &err, &rc);

	if (rc)
		print_error("%s\n", err ? err->msg : "(no message)");
	assert_int_equal(rc, 0);
	assert_non_null(pol);
	return pol;
}

/* The policy is refused with "DIR/policy.yaml:LINE: ...what...". */
static void load_bad(const char *dir, const char *text, int line, const char *what)
{
	struct rv_error *err = NULL;
	char *prefix = tap_fmt("%s/policy.yaml:%d: ", dir, line);
	int rc;
	struct rv_policy *pol = load_text(dir, text, &err, &rc);

	if (rc != RV_EINVAL || !err || strncmp(err->msg, prefix, strlen(prefix)) ||
	    !strstr(err->msg, what))
		print_error("rc %d, message '%s', expected '%s...%s'\n", rc,
			    err ? err->msg : "(none)", prefix, what);
	assert_int_equal(rc, RV_EINVAL);
	assert_null(pol);
	assert_non_null(err);
	assert_true(strncmp(err->msg, prefix, strlen(prefix)) == 0);
	assert_non_null(strstr(err->msg, what));
	rv_error_free(err);
	free(prefix);
}

static const struct rv_finding *find(const struct rv_result *res, const char *code)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		if (!strcmp(res->findings[i].code, code))
			return &res->findings[i];
	return NULL;
}

static size_t count(const struct rv_result *res, const char *code)
{
	size_t i, n = 0;

	for (i = 0; i < res->nfindings; i++)
		n += !strcmp(res->findings[i].code, code);
	return n;
}

/* A result of package name (NEVRA name-1-1.src) with the sha1 fixture's findings. */
static void result(struct rv_result *res, const char *name)
{
	rv_result_init(res, "/x.src.rpm");
	res->name = strdup(name);
	res->nevra = tap_fmt("%s-1-1.src", name);
	rv_finding_add(res, "signature.ok", "header signature OK");
	rv_finding_add(res, "crypto.weak-hash", "payload digest uses SHA1, which is not accepted");
	rv_finding_add(res, "digest.payload.ok", "payload SHA1 digest OK");
}

/* ---- the table ------------------------------------------------------------ */

/* Code-shaped string literals ("word.word...") in the text of one call. */
static void literals_in_call(const char *call, size_t len, const char *file, int line,
			     size_t *checked, int *missing)
{
	size_t i = 0;

	while (i < len) {
		size_t j;
		int shaped = 1, dots = 0;
		if (call[i] != '"') {
			i++;
			continue;
		}
		for (j = i + 1; j < len && call[j] != '"'; j++) {
			if (call[j] == '\\')
				j++;
			if (call[j] == '.')
				dots++;
			else if (!islower((unsigned char)call[j]) && !isdigit((unsigned char)call[j]) &&
				 call[j] != '-')
				shaped = 0;
		}
		if (shaped && dots && j > i + 1) {
			char *code = strndup(call + i + 1, j - i - 1);
			(*checked)++;
			if (!rv_code_find(code)) {
				print_error("%s:%d: code '%s' is not in lib/codes.def\n", file, line, code);
				*missing = 1;
			}
			free(code);
		}
		i = j + 1;
	}
}

/* Every call that adds a finding in a lib source file names only codes of the table. */
static void test_table_covers_sources(void **state)
{
	static const char *const adders[] = { "rv_result_add(", "rv_findings_add(",
					      "rv_finding_add(", "rv_findings_code_add(",
					      "F_ERR(" };
	char *libdir = src_path("lib");
	DIR *d = opendir(libdir);
	struct dirent *de;
	size_t checked = 0, files = 0, k;
	int missing = 0;

	(void)state;
	if (!d)
		print_error("cannot open '%s' (run from the top directory or set RPMVET_SRCDIR)\n",
			    libdir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name), len;
		char *path, *text, *p;
		if (n < 3 || strcmp(de->d_name + n - 2, ".c"))
			continue;
		path = tap_fmt("%s/%s", libdir, de->d_name);
		text = tap_read_file(path, &len);
		assert_non_null(text);
		files++;
		for (k = 0; k < sizeof(adders) / sizeof(adders[0]); k++)
			for (p = strstr(text, adders[k]); p; p = strstr(p + 1, adders[k])) {
				/* the call runs to its matching parenthesis */
				const char *q = p + strlen(adders[k]);
				int depth = 1, line = 1;
				for (const char *c = text; c < p; c++)
					line += *c == '\n';
				while (*q && depth) {
					if (*q == '"')
						for (q++; *q && *q != '"'; q++)
							if (*q == '\\')
								q++;
					depth += (*q == '(') - (*q == ')');
					q++;
				}
				/* skip prototypes and definitions (a parameter list) */
				if (strstr(p, "const char *code") && strstr(p, "const char *code") < q)
					continue;
				literals_in_call(p, (size_t)(q - p), path, line, &checked, &missing);
			}
		free(text);
		free(path);
	}
	closedir(d);
	free(libdir);
	assert_true(files > 10);
	assert_true(checked > 60); /* the scan found the calls */
	assert_false(missing);
}

static void test_table_is_consistent(void **state)
{
	const struct rv_code *c, *o;
	size_t i, j;
	char *list;

	(void)state;
	for (i = 0; (c = rv_code_at(i)); i++) {
		assert_ptr_equal(rv_code_find(c->code), c);
		for (j = 0; (o = rv_code_at(j)); j++)
			assert_true(i == j || strcmp(c->code, o->code));
		if (c->flags & RV_CODE_FIXED)
			assert_int_equal(c->severity, RV_SEV_ERROR);
		if (c->flags & RV_CODE_NORUN)
			assert_true(c->flags & RV_CODE_FIXED);
	}
	assert_true(i > 50);
	assert_null(rv_code_find("no.such-code"));
	assert_null(rv_code_find(NULL));
	/* the codes issue #9 names as never lowered */
	list = rv_code_fixed_list();
	assert_non_null(strstr(list, "signature.bad"));
	assert_non_null(strstr(list, "digest.payload.bad"));
	assert_non_null(strstr(list, "io.read"));
	assert_non_null(strstr(list, "stage.failed"));
	assert_null(strstr(list, "signature.nokey"));
	assert_null(strstr(list, "crypto.weak-hash"));
	free(list);
	assert_true(rv_code_find("license.id-case")->flags & RV_CODE_STAGE);
	assert_true(rv_code_find("closure.unresolved")->flags & RV_CODE_STAGE);
	assert_true(rv_code_find("header.invalid-text.descriptive")->flags & RV_CODE_STAGE);
	assert_true(rv_code_find("header.invalid-text")->flags & RV_CODE_FIXED);
}

/* The built-in default is policies/default.yaml, byte for byte. */
static void test_default_is_the_file(void **state)
{
	char *path = src_path("policies/default.yaml"), *text;
	size_t len, dlen;
	const char *def = rv_policy_default_text(&dlen);
	struct rv_policy *pol;
	struct rv_license_result r;

	(void)state;
	text = tap_read_file(path, &len);
	assert_non_null(text);
	assert_int_equal(len, dlen);
	assert_memory_equal(text, def, len);
	pol = rv_policy_new();
	rv_license_check(&r, pol, "MIT", NULL, NOW);
	assert_int_equal(r.verdict, RV_VERDICT_PASS);
	rv_license_result_release(&r);
	rv_policy_free(pol);
	free(text);
	free(path);
}

/* ---- the judge ------------------------------------------------------------- */

static void test_override(void **state)
{
	struct rv_policy *pol = load_ok(*state, "version: 1\nfindings:\n  crypto.weak-hash: warning\n  signature.ok: info\n");
	struct rv_result res;

	result(&res, "hello");
	rv_judge(&res, NULL, NOW);
	assert_int_equal(res.verdict, RV_VERDICT_REJECT);
	rv_judge(&res, pol, NOW);
	assert_int_equal(find(&res, "crypto.weak-hash")->severity, RV_SEV_WARNING);
	assert_int_equal(find(&res, "crypto.weak-hash")->given, RV_SEV_ERROR);
	assert_false(find(&res, "crypto.weak-hash")->waived);
	assert_int_equal(res.verdict, RV_VERDICT_PASS);
	/* raising works too: an info finding made an error rejects */
	rv_policy_free(pol);
	pol = load_ok(*state, "findings: {signature.ok: error, crypto.weak-hash: warning}\n");
	rv_judge(&res, pol, NOW);
	assert_int_equal(find(&res, "signature.ok")->severity, RV_SEV_ERROR);
	assert_int_equal(res.verdict, RV_VERDICT_REJECT);
	rv_result_release(&res);
	rv_policy_free(pol);
}

static void test_waiver(void **state)
{
	struct rv_policy *pol = load_ok(*state,
		"waivers:\n"
		"  - package: \"hel*\"\n"
		"    finding: crypto.weak-hash\n"
		"    reason: \"upstream re-signs next release, RHBZ 1\"\n"
		"    expires: 2024-06-30\n"
		"  - package: other\n"
		"    nevra: \"other-2-*\"\n"
		"    finding: crypto.weak-hash\n"
		"    reason: pinned to one NEVRA\n"
		"  - package: \"world-*\"\n"
		"    finding: crypto.weak-hash\n"
		"    reason: the subpackages of world, never world itself\n");
	struct rv_result res;
	const struct rv_finding *f;

	result(&res, "hello");
	rv_judge(&res, pol, NOW);
	f = find(&res, "crypto.weak-hash");
	assert_true(f->waived);
	assert_int_equal(f->severity, RV_SEV_ERROR); /* still an error, but waived */
	assert_string_equal(f->waiver_reason, "upstream re-signs next release, RHBZ 1");
	assert_int_equal(f->waiver_expires, 1719705600); /* 2024-06-30 */
	assert_int_equal(res.verdict, RV_VERDICT_PASS);
	assert_int_equal(count(&res, "policy.waiver-expired"), 0);
	/* the last day is still covered (UTC) */
	rv_judge(&res, pol, 1719705600 + 86399);
	assert_true(find(&res, "crypto.weak-hash")->waived);
	rv_result_release(&res);

	/* another package is not covered */
	result(&res, "world");
	rv_judge(&res, pol, NOW);
	assert_false(find(&res, "crypto.weak-hash")->waived);
	assert_null(find(&res, "crypto.weak-hash")->waiver_reason);
	assert_int_equal(res.verdict, RV_VERDICT_REJECT);
	rv_result_release(&res);

	/* "world-*" is a glob on names: it does not match world's NEVRA world-1-1.src */
	result(&res, "world");
	rv_judge(&res, pol, NOW);
	assert_false(find(&res, "crypto.weak-hash")->waived);
	rv_result_release(&res);

	/* name and a glob on the NEVRA: other-1-1.src is not other-2-* */
	result(&res, "other");
	rv_judge(&res, pol, NOW);
	assert_int_equal(res.verdict, RV_VERDICT_REJECT);
	free(res.nevra);
	res.nevra = strdup("other-2-1.src");
	rv_judge(&res, pol, NOW);
	assert_true(find(&res, "crypto.weak-hash")->waived);
	assert_int_equal(find(&res, "crypto.weak-hash")->waiver_expires, 0);
	assert_int_equal(res.verdict, RV_VERDICT_PASS);
	rv_result_release(&res);
	rv_policy_free(pol);
}

static void test_waiver_expired(void **state)
{
	struct rv_policy *pol = load_ok(*state,
		"version: 1\n"
		"waivers:\n"
		"  - package: hello\n"
		"    finding: crypto.weak-hash\n"
		"    reason: until the rebuild\n"
		"    expires: 2024-05-31\n");
	struct rv_result res;
	const struct rv_finding *f;

	result(&res, "hello");
	rv_judge(&res, pol, NOW); /* 2024-06-01: the day after */
	assert_false(find(&res, "crypto.weak-hash")->waived);
	assert_int_equal(count(&res, "policy.waiver-expired"), 1);
	f = find(&res, "policy.waiver-expired");
	assert_int_equal(f->severity, RV_SEV_ERROR);
	assert_string_equal(f->check, "policy");
	assert_non_null(strstr(f->message, "expired on 2024-05-31"));
	assert_non_null(strstr(f->message, "crypto.weak-hash"));
	assert_non_null(strstr(f->message, "line 3"));
	assert_non_null(strstr(f->message, "until the rebuild"));
	assert_int_equal(res.verdict, RV_VERDICT_REJECT);
	/* judged again: still one */
	rv_judge(&res, pol, NOW);
	assert_int_equal(count(&res, "policy.waiver-expired"), 1);
	/* on its last day it applies, and the expired finding goes */
	rv_judge(&res, pol, NOW - 1);
	assert_int_equal(count(&res, "policy.waiver-expired"), 0);
	assert_true(find(&res, "crypto.weak-hash")->waived);
	assert_int_equal(res.verdict, RV_VERDICT_PASS);
	rv_result_release(&res);

	/* an expired waiver that would apply to nothing says nothing */
	result(&res, "world");
	rv_judge(&res, pol, NOW);
	assert_int_equal(count(&res, "policy.waiver-expired"), 0);
	rv_result_release(&res);
	rv_policy_free(pol);
}

static void test_refused_lowering(void **state)
{
	const char *dir = *state;
	struct rv_policy *pol;

	load_bad(dir, "version: 1\nfindings:\n  signature.bad: warning\n", 3,
		 "'signature.bad' can never be lowered below error");
	load_bad(dir, "findings:\n  crypto.weak-hash: warning\n  digest.payload.bad: info\n", 3,
		 "'digest.payload.bad' can never be lowered below error");
	load_bad(dir, "findings: {io.read: warning}\n", 1, "'io.read' can never be lowered");
	load_bad(dir, "findings: {header.invalid-text: warning}\n", 1,
		 "'header.invalid-text' can never be lowered");
	load_bad(dir, "findings: {package.truncated: info}\n", 1, "never lowered or waived: ");
	load_bad(dir, "findings: {crypto.weak-hash: low}\n", 1,
		 "must be info, warning or error, not 'low'");
	load_bad(dir, "findings: [crypto.weak-hash]\n", 1, "findings must be a mapping");
	/* error is not lower: allowed; so is lowering the descriptive text code */
	pol = load_ok(dir, "findings: {signature.bad: error, header.invalid-text.descriptive: warning}\n");
	rv_policy_free(pol);
}

static void test_refused_waiver(void **state)
{
	const char *dir = *state;
	struct rv_policy *pol;

	load_bad(dir, "waivers:\n  - package: hello\n    finding: digest.payload.bad\n    reason: r\n", 3,
		 "'digest.payload.bad' can never be waived");
	load_bad(dir, "waivers:\n  - {package: hello, finding: stage.failed, reason: r}\n", 2,
		 "'stage.failed' can never be waived");
	load_bad(dir, "waivers:\n  - {package: hello, finding: signature.nokey}\n", 2,
		 "a waiver needs package, finding and reason");
	load_bad(dir, "waivers:\n  - {package: hello, finding: signature.nokey, reason: r, until: 2027-01-01}\n", 2,
		 "unknown key 'until' in a waiver (expected one of: package, nevra, finding, reason, expires)");
	load_bad(dir, "waivers:\n  - {package: hello, finding: signature.nokey, reason: r, expires: 2027-02-31}\n", 2,
		 "waiver expires must be a date like 2027-01-31, not '2027-02-31'");
	load_bad(dir, "waivers: {package: hello}\n", 1, "waivers must be a list");
	/* signature.nokey and crypto.weak-hash may be waived */
	pol = load_ok(dir, "waivers:\n  - {package: a, finding: signature.nokey, reason: r}\n"
			   "  - {package: b, finding: crypto.weak-hash, reason: r, expires: 2027-01-31}\n");
	rv_policy_free(pol);
}

static void test_unknown_code(void **state)
{
	const char *dir = *state;

	load_bad(dir, "version: 1\nfindings:\n  crypto.weak-hsh: warning\n", 3,
		 "unknown finding code 'crypto.weak-hsh' in findings");
	load_bad(dir, "waivers:\n  - package: hello\n    reason: r\n    finding: signature.no-key\n", 4,
		 "unknown finding code 'signature.no-key' in a waiver");
}

/* Judging again, after more findings came, starts from what the stages gave. */
static void test_second_judge(void **state)
{
	struct rv_policy *pol = load_ok(*state,
		"licenses:\n  id-case: error\n"
		"findings:\n  license.deprecated: info\n");
	struct rv_result res;

	rv_result_init(&res, "/x.src.rpm");
	res.name = strdup("hello");
	/* a knob code: the stage gave warning (the policy's licenses.id-case) */
	rv_result_add(&res, "license", "license.id-case", RV_SEV_WARNING, "'mit' is spelled 'MIT'");
	rv_result_add(&res, "license", "license.deprecated", RV_SEV_WARNING, "GPL-2.0+");
	/* a table code given another severity: the table decides */
	rv_result_add(&res, "crypto", "crypto.weak-hash", RV_SEV_INFO, "SHA1");
	rv_judge(&res, pol, NOW);
	assert_int_equal(find(&res, "license.id-case")->severity, RV_SEV_WARNING);
	assert_int_equal(find(&res, "license.deprecated")->severity, RV_SEV_INFO);
	assert_int_equal(find(&res, "crypto.weak-hash")->severity, RV_SEV_ERROR);
	assert_int_equal(res.verdict, RV_VERDICT_REJECT);
	/* again, with one more finding: the same for the old ones */
	rv_result_add(&res, "closure", "closure.unresolved", RV_SEV_WARNING, "BuildRequires x");
	rv_judge(&res, pol, NOW);
	rv_judge(&res, pol, NOW);
	assert_int_equal(find(&res, "license.id-case")->severity, RV_SEV_WARNING);
	assert_int_equal(find(&res, "license.id-case")->given, RV_SEV_WARNING);
	assert_int_equal(find(&res, "license.deprecated")->severity, RV_SEV_INFO);
	assert_int_equal(find(&res, "license.deprecated")->given, RV_SEV_WARNING);
	assert_int_equal(find(&res, "closure.unresolved")->severity, RV_SEV_WARNING);
	assert_int_equal(res.nfindings, 4);
	/* without the policy, each goes back to its default */
	rv_judge(&res, NULL, NOW);
	assert_int_equal(find(&res, "license.deprecated")->severity, RV_SEV_WARNING);
	rv_result_release(&res);
	rv_policy_free(pol);
}

static void test_could_not_run(void **state)
{
	struct rv_policy *pol = load_ok(*state,
		"waivers:\n  - {package: hello, finding: crypto.weak-hash, reason: r}\n");
	struct rv_result res;

	result(&res, "hello");
	rv_judge(&res, pol, NOW);
	assert_int_equal(res.verdict, RV_VERDICT_PASS);
	/* a stage that failed to run: error, whatever was waived */
	rv_finding_add(&res, "stage.failed", "the license stage could not run");
	assert_string_equal(find(&res, "stage.failed")->check, "io"); /* as the pipeline gives it: later stages that need a full read skip */
	rv_judge(&res, pol, NOW);
	assert_int_equal(res.verdict, RV_VERDICT_ERROR);
	rv_result_release(&res);

	/* io even given a low severity, and before other errors */
	result(&res, "world");
	rv_result_add(&res, "io", "io.read", RV_SEV_INFO, "short read");
	rv_judge(&res, NULL, NOW);
	assert_int_equal(find(&res, "io.read")->severity, RV_SEV_ERROR);
	assert_int_equal(res.verdict, RV_VERDICT_ERROR);
	assert_int_equal(rv_findings_verdict(res.findings, 1), RV_VERDICT_PASS);
	rv_result_release(&res);
	rv_policy_free(pol);
}

/* rv_license_check is judged by the same judge. */
static void test_license_check_judged(void **state)
{
	struct rv_policy *pol = load_ok(*state,
		"licenses:\n  accept: [allowed]\n  categories: {MIT: allowed, SSPL-1.0: not-allowed}\n"
		"waivers:\n  - {package: mongo*, finding: license.not-acceptable, reason: legal ok, expires: 2024-05-01}\n"
		"  - {package: tool, finding: license.not-acceptable, reason: legal ok}\n");
	struct rv_license_result r;

	rv_license_check(&r, pol, "SSPL-1.0", "tool", NOW);
	assert_int_equal(r.verdict, RV_VERDICT_PASS);
	assert_true(r.nfindings >= 1 && r.findings[0].waived);
	rv_license_result_release(&r);
	rv_license_check(&r, pol, "SSPL-1.0", "mongodb", NOW);
	assert_int_equal(r.verdict, RV_VERDICT_REJECT);
	assert_string_equal(r.findings[r.nfindings - 1].code, "policy.waiver-expired");
	rv_license_result_release(&r);
	rv_license_check(&r, pol, "SSPL-1.0", NULL, NOW);
	assert_int_equal(r.verdict, RV_VERDICT_REJECT);
	rv_license_result_release(&r);
	rv_policy_free(pol);
}

static int setup(void **state)
{
	*state = tap_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	tap_rmtree(*state);
	free(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_covers_sources),
		cmocka_unit_test(test_table_is_consistent),
		cmocka_unit_test(test_default_is_the_file),
		cmocka_unit_test_setup_teardown(test_override, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waiver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waiver_expired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_lowering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_waiver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_judge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_could_not_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_license_check_judged, setup, teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
