/* SPDX-License-Identifier: MIT */
/* Tests the policy module: loading policy files and license data, errors with FILE:LINE, license checks. */
#include "tap.h"

#include "rpmvet.h"

#include <limits.h>

/* 2024-06-01T00:00:00Z */
#define NOW ((time_t)1717200000)

/* Fedora's fedora-licenses.json format (fedora-license-data). */
static const char fedora_json[] =
	"{\n"
	" \"1\": {\"license\": {\"expression\": \"MIT\", \"status\": [\"allowed\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": [\"MIT\"]}},\n"
	" \"2\": {\"license\": {\"expression\": \"Apache-2.0\", \"status\": [\"allowed\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": [\"ASL 2.0\"]}},\n"
	" \"3\": {\"license\": {\"expression\": \"CC0-1.0\", \"status\": [\"allowed-content\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": [\"CC0\"]}},\n"
	" \"4\": {\"license\": {\"expression\": \"SSPL-1.0\", \"status\": [\"not-allowed\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": []}},\n"
	" \"5\": {\"license\": {\"expression\": \"GPL-2.0-or-later\", \"status\": [\"allowed\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": [\"GPLv2+\"]}},\n"
	" \"6\": {\"license\": {\"expression\": \"BSD-3-Clause\", \"status\": [\"allowed\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": [\"BSD\"]}},\n"
	" \"7\": {\"license\": {\"expression\": \"BSD-2-Clause\", \"status\": [\"allowed\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": [\"BSD\"]}},\n"
	" \"8\": {\"license\": {\"expression\": \"OFL-1.1\", \"status\": [\"allowed-fonts\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": [\"OFL\"]}},\n"
	" \"9\": {\"license\": {\"expression\": \"LicenseRef-Fedora-Firmware\", \"status\": [\"allowed-firmware\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": [\"Redistributable, no modification permitted\"]}},\n"
	" \"10\": {\"license\": {\"expression\": \"CC-BY-SA-4.0\", \"status\": [\"allowed-content\", \"allowed-documentation\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": [\"CC-BY-SA\"]}},\n"
	" \"11\": {\"license\": {\"expression\": \"GPL-2.0-or-later WITH Classpath-exception-2.0\", \"status\": [\"allowed\"]},\n"
	"        \"fedora\": {\"legacy-abbreviation\": [\"GPLv2+ with exceptions\"]}},\n"
	" \"12\": {\"license\": {\"expression\": \"Zlib\", \"status\": [\"allowed\"]},\n"
	"        \"fedora\": {}}\n"
	"}\n";

/* The 2022 table (rpminspect-data-fedora licenses/fedora.json). */
static const char legacy_json[] =
	"{\n"
	" \"#alias of license#\": {\"fedora_abbrev\": \"#abbrev#\", \"spdx_abbrev\": \"#spdx#\", \"approved\": \"#yes or no#\"},\n"
	" \"X\": {\"fedora_abbrev\": \"GPLv2+\", \"spdx_abbrev\": \"GPL-2.0-or-later\", \"approved\": \"yes\"},\n"
	" \"Y\": {\"fedora_abbrev\": \"LGPLv2+\", \"spdx_abbrev\": \"LGPL-2.0-or-later\", \"approved\": \"yes\"},\n"
	" \"Z\": {\"fedora_abbrev\": \"SSPL\", \"spdx_abbrev\": \"SSPL-1.0\", \"approved\": \"no\"},\n"
	" \"W\": {\"fedora_abbrev\": \"Unmapped\", \"spdx_abbrev\": \"\", \"approved\": \"yes\"}\n"
	"}\n";

/* Write text to dir/name, making the directories of name; the path is the caller's. */
static char *put_file(const char *dir, const char *name, const char *text)
{
	char *path = tap_fmt("%s/%s", dir, name), *slash;

	for (slash = path + strlen(dir) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	assert_int_equal(tap_write_file(path, text, strlen(text)), 0);
	return path;
}

/* Load dir/name written with text; asserts success. */
static struct rv_policy *load_ok(const char *dir, const char *name, const char *text)
{
	struct rv_policy *pol = NULL;
	struct rv_error *err = NULL;
	char *path = put_file(dir, name, text);
	int rc = rv_policy_load(&pol, path, &err);

	if (rc)
		print_error("%s: %s\n", path, err ? err->msg : "(no message)");
	assert_int_equal(rc, 0);
	assert_null(err);
	assert_non_null(pol);
	assert_string_equal(rv_policy_path(pol), path);
	free(path);
	return pol;
}

/*
 * Load dir/name written with text; asserts RV_EINVAL, *out NULL, and a
 * message "PATH:LINE: ..." that contains what.
 */
static void load_bad(const char *dir, const char *name, const char *text, int line,
		     const char *what)
{
	struct rv_policy *pol = (struct rv_policy *)&pol; /* not NULL: must be reset */
	struct rv_error *err = NULL;
	char *path = put_file(dir, name, text);
	char *prefix = tap_fmt("%s:%d: ", path, line);
	int rc = rv_policy_load(&pol, path, &err);

	if (rc != RV_EINVAL || !err || strncmp(err->msg, prefix, strlen(prefix)) ||
	    !strstr(err->msg, what))
		print_error("%s: rc %d, message '%s', expected '%s...%s'\n", name, rc,
			    err ? err->msg : "(none)", prefix, what);
	assert_int_equal(rc, RV_EINVAL);
	assert_null(pol);
	assert_non_null(err);
	assert_int_equal(err->code, RV_EINVAL);
	assert_true(strncmp(err->msg, prefix, strlen(prefix)) == 0);
	assert_non_null(strstr(err->msg, what));
	rv_error_free(err);

	/* the same without an error object */
	pol = (struct rv_policy *)&pol;
	assert_int_equal(rv_policy_load(&pol, path, NULL), RV_EINVAL);
	assert_null(pol);
	free(prefix);
	free(path);
}

/* Some finding with this code (or any code when NULL) contains text. */
static int res_has(const struct rv_license_result *r, const char *code, const char *text)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if ((!code || !strcmp(r->findings[i].code, code)) &&
		    (!text || strstr(r->findings[i].message, text)))
			return 1;
	return 0;
}

static const struct rv_finding *res_find(const struct rv_license_result *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].code, code))
			return &r->findings[i];
	return NULL;
}

/* Check expr for package and compare the verdict; text (may be NULL) must be in a finding. */
static void check(const struct rv_policy *pol, const char *expr, const char *package,
		  enum rv_verdict verdict, const char *code, const char *text)
{
	struct rv_license_result r;
	size_t i;

	rv_license_check(&r, pol, expr, package, NOW);
	if (r.verdict != verdict || ((code || text) && !res_has(&r, code, text))) {
		print_error("'%s' for %s: verdict %s, expected %s with %s '%s'\n", expr,
			    package ? package : "(none)", rv_verdict_name(r.verdict),
			    rv_verdict_name(verdict), code ? code : "any", text ? text : "");
		for (i = 0; i < r.nfindings; i++)
			print_error("  %s %s: %s\n", rv_severity_name(r.findings[i].severity),
				    r.findings[i].code, r.findings[i].message);
	}
	assert_int_equal(r.verdict, verdict);
	if (code || text)
		assert_true(res_has(&r, code, text));
	assert_string_equal(r.expression, expr);
	for (i = 0; i < r.nfindings; i++)
		assert_string_equal(r.findings[i].check, "license");
	rv_license_result_release(&r);
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

static void test_full_policy(void **state)
{
	const char *dir = *state;
	struct rv_policy *pol;
	struct rv_license_result r;
	char *p;

	p = put_file(dir, "data/fedora-licenses.json", fedora_json);
	free(p);
	p = put_file(dir, "data/legacy-2022.json", legacy_json);
	free(p);
	pol = load_ok(dir, "policy/full.yaml",
		      "# every key a policy may have\n"
		      "version: 1\n"
		      "licenses:\n"
		      "  data: ../data/fedora-licenses.json\n"
		      "  legacy-map: ../data/legacy-2022.json\n"
		      "  accept: [allowed, allowed-firmware]\n"
		      "  accept-for:\n"
		      "    - packages: [\"*-doc\", \"*-docs\"]\n"
		      "      categories: [allowed-documentation]\n"
		      "    - packages: \"*-fonts\"\n"
		      "      categories: allowed-fonts\n"
		      "  allow: [LicenseRef-Internal-Approved]\n"
		      "  deny: Apache-2.0\n"
		      "  categories:\n"
		      "    ISC: allowed\n"
		      "    EUPL-1.0: [not-allowed]\n"
		      "  exceptions:\n"
		      "    - package: \"legacy-*\"\n"
		      "      license: SSPL-1.0\n"
		      "      reason: FESCo ticket 1234\n"
		      "      expires: 2099-12-31\n"
		      "    - package: \"old-*\"\n"
		      "      license: SSPL-1.0\n"
		      "      reason: FESCo ticket 99\n"
		      "      expires: 2020-01-01\n"
		      "    - package: \"forever\"\n"
		      "      license: EUPL-1.0\n"
		      "      reason: no end\n"
		      "  legacy:\n"
		      "    \"GPLv3+\": GPL-3.0-or-later\n"
		      "    Dual: MIT OR Apache-2.0\n"
		      "  deprecated-ids: error\n"
		      "  id-case: info\n");

	/* data */
	check(pol, "MIT", NULL, RV_VERDICT_PASS, "license.ok", "MIT (allowed)");
	check(pol, "GPL-2.0-or-later WITH Classpath-exception-2.0", NULL, RV_VERDICT_PASS,
	      "license.ok", NULL);
	check(pol, "SSPL-1.0", NULL, RV_VERDICT_REJECT, "license.not-acceptable",
	      "SSPL-1.0 is not-allowed");
	/* accept */
	check(pol, "LicenseRef-Fedora-Firmware", "anything", RV_VERDICT_PASS, "license.ok",
	      "(allowed-firmware)");
	check(pol, "CC0-1.0", NULL, RV_VERDICT_REJECT, "license.not-acceptable",
	      "CC0-1.0 is allowed-content: not acceptable for this package (accepts allowed, allowed-firmware)");
	/* accept-for, as a list and as a single string */
	check(pol, "CC-BY-SA-4.0", "foo-docs", RV_VERDICT_PASS, "license.ok",
	      "CC-BY-SA-4.0 (allowed-documentation)");
	check(pol, "CC-BY-SA-4.0", "foo-doc", RV_VERDICT_PASS, NULL, NULL);
	check(pol, "CC-BY-SA-4.0", "foo", RV_VERDICT_REJECT, "license.not-acceptable",
	      "not acceptable for foo");
	check(pol, "OFL-1.1", "dejavu-fonts", RV_VERDICT_PASS, NULL, NULL);
	check(pol, "OFL-1.1", "dejavu-doc", RV_VERDICT_REJECT, NULL, NULL);
	/* allow, deny (a single string) */
	check(pol, "LicenseRef-Internal-Approved", NULL, RV_VERDICT_PASS, "license.ok",
	      "allowed by the policy");
	check(pol, "Apache-2.0", NULL, RV_VERDICT_REJECT, "license.not-acceptable",
	      "Apache-2.0 is denied by the policy");
	check(pol, "Apache-2.0 OR MIT", NULL, RV_VERDICT_PASS, NULL, NULL);
	/* categories in the policy, as a scalar and as a list */
	check(pol, "ISC", NULL, RV_VERDICT_PASS, "license.ok", "ISC (allowed)");
	check(pol, "EUPL-1.0", "foo", RV_VERDICT_REJECT, "license.not-acceptable",
	      "EUPL-1.0 is not-allowed");
	/* exceptions */
	check(pol, "SSPL-1.0", "legacy-tool", RV_VERDICT_PASS, "license.exception",
	      "exception for 'legacy-*': FESCo ticket 1234");
	check(pol, "SSPL-1.0", "old-tool", RV_VERDICT_REJECT, "license.exception-expired",
	      "the exception for SSPL-1.0 in packages 'old-*' (FESCo ticket 99) expired on 2020-01-01");
	check(pol, "SSPL-1.0", NULL, RV_VERDICT_REJECT, NULL, NULL);
	check(pol, "EUPL-1.0", "forever", RV_VERDICT_PASS, "license.exception", "no end");
	/* the day before the expiry date it applies; the day after it does not */
	rv_license_check(&r, pol, "SSPL-1.0", "legacy-x", (time_t)4102358400LL - 1);
	assert_int_equal(r.verdict, RV_VERDICT_PASS);
	rv_license_result_release(&r);
	rv_license_check(&r, pol, "SSPL-1.0", "legacy-x", (time_t)4102444800LL);
	assert_int_equal(r.verdict, RV_VERDICT_REJECT);
	assert_true(res_has(&r, "license.exception-expired", "expired on 2099-12-31"));
	rv_license_result_release(&r);
	/* now = 0 is the current time: 2020 is past, 2099 is not */
	rv_license_check(&r, pol, "SSPL-1.0", "old-tool", 0);
	assert_int_equal(r.verdict, RV_VERDICT_REJECT);
	assert_non_null(res_find(&r, "license.exception-expired"));
	rv_license_result_release(&r);
	rv_license_check(&r, pol, "SSPL-1.0", "legacy-tool", 0);
	assert_int_equal(r.verdict, RV_VERDICT_PASS);
	rv_license_result_release(&r);
	/* deprecated-ids: error rejects an acceptable expression */
	rv_license_check(&r, pol, "GPL-2.0+", NULL, NOW);
	assert_int_equal(r.verdict, RV_VERDICT_REJECT);
	assert_int_equal(r.spdx, 1);
	assert_non_null(res_find(&r, "license.ok"));
	assert_int_equal(res_find(&r, "license.deprecated")->severity, RV_SEV_ERROR);
	rv_license_result_release(&r);
	/* id-case: info passes */
	rv_license_check(&r, pol, "mit", NULL, NOW);
	assert_int_equal(r.verdict, RV_VERDICT_PASS);
	assert_string_equal(r.canonical, "MIT");
	assert_int_equal(res_find(&r, "license.id-case")->severity, RV_SEV_INFO);
	rv_license_result_release(&r);
	/* legacy-map (the 2022 table) and the data's legacy abbreviations */
	check(pol, "GPLv2+ and MIT", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "write 'GPL-2.0-or-later AND MIT'");
	check(pol, "LGPLv2+ or ASL 2.0", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "write 'LGPL-2.0-or-later OR Apache-2.0'");
	check(pol, "SSPL", NULL, RV_VERDICT_REJECT, "license.legacy", "write 'SSPL-1.0'");
	check(pol, "Unmapped and GPLv2+", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "no SPDX form known for 'Unmapped'");
	/* legacy names written in the policy */
	check(pol, "GPLv3+ or Dual", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "write 'GPL-3.0-or-later OR (MIT OR Apache-2.0)'");
	rv_policy_free(pol);
}

static void test_relative_data(void **state)
{
	const char *dir = *state;
	struct rv_policy *pol;
	char *data, *yaml;

	free(put_file(dir, "data/fedora-licenses.json", fedora_json));
	/* relative to the policy's directory, not to the current one */
	pol = load_ok(dir, "a/b/policy.yaml",
		      "version: 1\n"
		      "licenses:\n"
		      "  data: ../../data/fedora-licenses.json\n");
	check(pol, "MIT", NULL, RV_VERDICT_PASS, NULL, NULL);
	check(pol, "CC0-1.0", NULL, RV_VERDICT_REJECT, "license.not-acceptable",
	      "CC0-1.0 is allowed-content: not acceptable for code");
	rv_policy_free(pol);
	/* a plain file name is next to the policy */
	pol = load_ok(dir, "data/here.yaml", "licenses:\n  data: fedora-licenses.json\n");
	check(pol, "MIT", NULL, RV_VERDICT_PASS, NULL, NULL);
	rv_policy_free(pol);
	/* an absolute path is taken as it is */
	data = tap_fmt("%s/data/fedora-licenses.json", dir);
	yaml = tap_fmt("licenses:\n  data: %s\n", data);
	pol = load_ok(dir, "a/abs.yaml", yaml);
	check(pol, "SSPL-1.0", NULL, RV_VERDICT_REJECT, "license.not-acceptable", "not-allowed");
	rv_policy_free(pol);
	free(yaml);
	free(data);
	/* the relative path that does not exist there is named, resolved */
	data = tap_fmt("%s/a/b/../../fedora-licenses.json", dir);
	load_bad(dir, "a/b/wrong.yaml", "licenses:\n  data: ../../fedora-licenses.json\n", 2,
		 data);
	free(data);
}

static void test_categories_merge(void **state)
{
	const char *dir = *state;
	struct rv_policy *pol;

	free(put_file(dir, "fedora-licenses.json", fedora_json));
	pol = load_ok(dir, "merge.yaml",
		      "licenses:\n"
		      "  categories:\n"
		      "    cc0-1.0: [allowed-fonts, allowed-firmware]\n"
		      "    ISC: allowed\n"
		      "  data: fedora-licenses.json\n");
	/* the data's allowed-content and the policy's two categories, together, whatever the case
	 * (within the policy, 'CC0-1.0' and 'cc0-1.0' are one key given twice: test_duplicate_keys) */
	check(pol, "CC0-1.0", NULL, RV_VERDICT_REJECT, "license.not-acceptable",
	      "CC0-1.0 is allowed-content, allowed-fonts, allowed-firmware: not acceptable for code");
	check(pol, "CC0-1.0", "foo-fonts", RV_VERDICT_REJECT, NULL, NULL);
	/* a license only the policy knows, and one only the data knows */
	check(pol, "ISC AND MIT", NULL, RV_VERDICT_PASS, "license.ok",
	      "acceptable: ISC (allowed), MIT (allowed)");
	rv_policy_free(pol);

	/* the policy can add allowed to a license of the data */
	pol = load_ok(dir, "more.yaml",
		      "licenses:\n"
		      "  data: fedora-licenses.json\n"
		      "  categories: {CC0-1.0: allowed}\n");
	check(pol, "CC0-1.0", NULL, RV_VERDICT_PASS, "license.ok", "CC0-1.0 (allowed)");
	rv_policy_free(pol);
}

struct bad_case {
	const char *name;
	const char *yaml;
	int line;
	const char *what;
};

static void test_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "topkey.yaml", "version: 1\nlicence:\n  accept: [allowed]\n", 2,
		  "unknown key 'licence' in the policy (expected one of: version, licenses, repo, closure, headers, provenance, upstream, export, findings, waivers)" },
		{ "lickey.yaml", "version: 1\nlicenses:\n  accept: [allowed]\n  acept-for: []\n", 4,
		  "unknown key 'acept-for' in licenses" },
		{ "listmap.yaml", "version: 1\nlicenses:\n  allow: {MIT: yes}\n", 3,
		  "licenses.allow must be a list of strings" },
		{ "listmap2.yaml", "licenses:\n  deny:\n    - MIT\n    - {a: b}\n", 4,
		  "licenses.deny must be a single value" },
		{ "notmap.yaml", "licenses:\n  - accept\n", 2, "licenses must be a mapping" },
		{ "toplist.yaml", "# a list\n- version\n", 2, "a policy must be a mapping" },
		{ "category.yaml", "version: 1\nlicenses:\n  accept: [allowed, alowed]\n", 3,
		  "unknown category 'alowed' in licenses.accept" },
		{ "category2.yaml", "licenses:\n  categories:\n    MIT: allowed\n    Zlib: permitted\n", 4,
		  "unknown category 'permitted'" },
		{ "category3.yaml", "licenses:\n  accept-for:\n    - packages: [x]\n      categories: [Allowed]\n", 4,
		  "unknown category 'Allowed' in accept-for categories" },
		{ "afmissing.yaml", "licenses:\n  accept-for:\n    - packages: [x]\n", 3,
		  "an accept-for entry needs both packages and categories" },
		{ "afkey.yaml", "licenses:\n  accept-for:\n    - packages: [x]\n      category: [allowed]\n", 4,
		  "unknown key 'category' in an accept-for entry" },
		{ "afnotlist.yaml", "licenses:\n  accept-for: {packages: x}\n", 2,
		  "licenses.accept-for must be a list" },
		{ "date.yaml",
		  "version: 1\nlicenses:\n  exceptions:\n    - package: foo\n      license: MIT\n"
		  "      reason: r\n      expires: 2027-13-01\n", 7,
		  "exception expires must be a date like 2027-01-31, not '2027-13-01'" },
		{ "date2.yaml",
		  "licenses:\n  exceptions:\n    - package: foo\n      license: MIT\n"
		  "      reason: r\n      expires: next year\n", 6, "not 'next year'" },
		{ "date3.yaml",
		  "licenses:\n  exceptions:\n    - package: foo\n      license: MIT\n"
		  "      reason: r\n      expires: 2027-01-31x\n", 6, "not '2027-01-31x'" },
		{ "exfield.yaml",
		  "version: 1\nlicenses:\n  exceptions:\n    - package: foo\n      license: MIT\n"
		  "    - package: bar\n      license: MIT\n      reason: r\n", 4,
		  "an exception needs package, license and reason" },
		{ "exfield2.yaml",
		  "licenses:\n  exceptions:\n    - package: foo\n      license: MIT\n      reason: r\n"
		  "    - license: MIT\n      reason: r\n", 6,
		  "an exception needs package, license and reason" },
		{ "exkey.yaml",
		  "licenses:\n  exceptions:\n    - package: foo\n      license: MIT\n      reason: r\n"
		  "      ticket: 12\n", 6, "unknown key 'ticket' in an exception" },
		{ "exnotmap.yaml", "licenses:\n  exceptions:\n    - foo\n", 3,
		  "an exception must be a mapping" },
		{ "exlist.yaml", "licenses:\n  exceptions:\n    package: foo\n", 3,
		  "licenses.exceptions must be a list" },
		{ "exval.yaml", "licenses:\n  exceptions:\n    - package: [a, b]\n      license: MIT\n      reason: r\n", 3,
		  "exception package must be a single value" },
		{ "severity.yaml", "version: 1\nlicenses:\n  id-case: warning\n  deprecated-ids: fatal\n", 4,
		  "licenses.deprecated-ids must be info, warning or error, not 'fatal'" },
		{ "severity2.yaml", "licenses:\n  id-case: [error]\n", 2,
		  "licenses.id-case must be a single value" },
		{ "severity3.yaml", "licenses:\n  spdx3-additions: fatal\n", 2,
		  "licenses.spdx3-additions must be info, warning or error, not 'fatal'" },
		{ "legacy.yaml", "licenses:\n  legacy:\n    - GPLv2+\n", 3,
		  "licenses.legacy must be a mapping" },
		{ "legacy2.yaml", "licenses:\n  legacy:\n    GPLv2+: GPL-2.0-or-later\n    BSD: [BSD-2-Clause, BSD-3-Clause]\n", 4,
		  "a legacy abbreviation's SPDX form must be a single value" },
		{ "version.yaml", "version: 2\nlicenses:\n  accept: [allowed]\n", 1,
		  "unsupported policy version '2' (this rpmvet reads version 1)" },
		{ "version2.yaml", "# comment\n\nlicenses: {}\nversion: \"1.0\"\n", 4,
		  "unsupported policy version '1.0'" },
		{ "yaml.yaml", "version: 1\nlicenses:\n  accept: [allowed\n", 4, "" },
		{ "yaml2.yaml", "version: 1\n  bad: indent\n", 2, "" },
		/* an error after good content: nothing is kept */
		{ "late.yaml",
		  "version: 1\nlicenses:\n  accept: [allowed]\n  allow: [MIT]\n  categories:\n"
		  "    MIT: allowed\n  deny: [Zlib]\nextra: 1\n", 8, "unknown key 'extra'" },
	};
	const char *dir = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		load_bad(dir, cases[i].name, cases[i].yaml, cases[i].line, cases[i].what);
}

/* A key given twice at any level is refused with both lines, never overridden. */
static void test_duplicate_keys(void **state)
{
	static const struct bad_case cases[] = {
		{ "duptop.yaml", "version: 1\nlicenses:\n  accept: [allowed]\nversion: 1\n", 4,
		  "key 'version' given twice (first at line 1)" },
		{ "duplic.yaml",
		  "version: 1\nlicenses:\n  deny: [AGPL-3.0-only]\n  accept: [allowed]\n  deny: []\n", 5,
		  "key 'deny' given twice (first at line 3)" },
		{ "dupsection.yaml", "licenses:\n  accept: [allowed]\nrepo: {}\nlicenses: {}\n", 4,
		  "key 'licenses' given twice (first at line 1)" },
		{ "dupcat.yaml",
		  "licenses:\n  categories:\n    SSPL-1.0: not-allowed\n    MIT: allowed\n    SSPL-1.0: allowed\n", 5,
		  "key 'SSPL-1.0' given twice (first at line 3)" },
		{ "dupcatcase.yaml",
		  "licenses:\n  categories:\n    SSPL-1.0: not-allowed\n    sspl-1.0: allowed\n", 4,
		  "key 'sspl-1.0' given twice (first at line 3, as 'SSPL-1.0')" },
		{ "duplegacy.yaml",
		  "licenses:\n  legacy:\n    GPLv2+: GPL-2.0-or-later\n    gplv2+: MIT\n", 4,
		  "key 'gplv2+' given twice (first at line 3, as 'GPLv2+')" },
		{ "dupaf.yaml",
		  "licenses:\n  accept-for:\n    - packages: [\"*-doc\"]\n      categories: [allowed-content]\n"
		  "      packages: [\"*\"]\n", 5, "key 'packages' given twice (first at line 3)" },
		{ "dupex.yaml",
		  "licenses:\n  exceptions:\n    - package: foo\n      license: SSPL-1.0\n      reason: r\n"
		  "      expires: 2020-01-01\n      expires: 2099-01-01\n", 7,
		  "key 'expires' given twice (first at line 6)" },
		{ "dupex2.yaml",
		  "licenses:\n  exceptions:\n    - package: foo\n      package: \"*\"\n      license: SSPL-1.0\n"
		  "      reason: r\n", 4, "key 'package' given twice (first at line 3)" },
		{ "dupclosure.yaml",
		  "closure:\n  upstream: [a]\n  enforce: error\n  arch: x86_64\n  enforce: off\n", 5,
		  "key 'enforce' given twice (first at line 3)" },
		{ "duprepo.yaml", "repo:\n  allow-replace: false\n  allow-replace: true\n", 3,
		  "key 'allow-replace' given twice (first at line 2)" },
		{ "dupflow.yaml", "licenses: {accept: [allowed], deny: [MIT],\n  deny: []}\n", 2,
		  "key 'deny' given twice (first at line 1)" },
		/* three times: the second is named, with the first */
		{ "dupthree.yaml", "repo:\n  allow-replace: no\n  allow-replace: no\n  allow-replace: yes\n", 3,
		  "key 'allow-replace' given twice (first at line 2)" },
		/* the earliest repetition in the file, whatever mapping it is in */
		{ "dupearly.yaml",
		  "licenses:\n  deny: [MIT]\n  deny: []\nrepo: {}\nversion: 1\nrepo: {}\n", 3,
		  "key 'deny' given twice (first at line 2)" },
		/* before any other check: a repeated unknown key is still a repeated key */
		{ "dupunknown.yaml", "extra: 1\nextra: 2\n", 2, "key 'extra' given twice (first at line 1)" },
	};
	const char *dir = *state;
	struct rv_policy *pol;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		load_bad(dir, cases[i].name, cases[i].yaml, cases[i].line, cases[i].what);
	/* the same id in two mappings, or a key and a value alike, is no repetition */
	pol = load_ok(dir, "nodup.yaml",
		      "licenses:\n  allow: [MIT]\n  deny: [SSPL-1.0]\n  categories:\n    MIT: allowed\n"
		      "  legacy:\n    MIT: MIT\n  accept-for:\n    - packages: [a]\n      categories: [allowed]\n"
		      "    - packages: [b]\n      categories: [allowed]\n");
	rv_policy_free(pol);
}

static void test_data_errors(void **state)
{
	const char *dir = *state;
	char *p;

	free(put_file(dir, "fancy.json",
		      "{\"1\": {\"license\": {\"expression\": \"MIT\", \"status\": [\"allowed\"]}},\n"
		      " \"2\": {\"license\": {\"expression\": \"Zlib\", \"status\": [\"fancy\"]}}}\n"));
	load_bad(dir, "fancy.yaml", "version: 1\nlicenses:\n  accept: [allowed]\n  data: fancy.json\n",
		 4, "unknown status 'fancy'");
	p = tap_fmt("licenses.data: %s/fancy.json: entry '2' (Zlib)", dir);
	load_bad(dir, "fancy.yaml", "version: 1\nlicenses:\n  accept: [allowed]\n  data: fancy.json\n",
		 4, p);
	free(p);
	/* a status that is not a string */
	free(put_file(dir, "num.json",
		      "{\"1\": {\"license\": {\"expression\": \"MIT\", \"status\": [1]}}}\n"));
	load_bad(dir, "num.yaml", "licenses:\n  data: num.json\n", 2, "unknown status '(not a string)'");

	/* malformed JSON: the data file's own line is named too */
	free(put_file(dir, "broken.json", "{\"x\": "));
	p = tap_fmt("licenses.data: %s/broken.json:1:", dir);
	load_bad(dir, "broken.yaml", "licenses:\n  data: broken.json\n", 2, p);
	free(p);
	free(put_file(dir, "broken2.json", "{\n \"1\": {\"license\": {\"expression\": \"MIT\"}},\n \"1\": {}\n}\n"));
	p = tap_fmt("%s/broken2.json:3:", dir);
	load_bad(dir, "broken2.yaml", "version: 1\n\nlicenses:\n  legacy-map: broken2.json\n", 4, p);
	free(p);
	/* valid JSON that is no license data */
	free(put_file(dir, "array.json", "[1, 2]\n"));
	load_bad(dir, "array.yaml", "licenses:\n  data: array.json\n", 2,
		 "expected a JSON object of license entries");
	free(put_file(dir, "none.json", "{\"a\": {\"b\": 1}}\n"));
	load_bad(dir, "none.yaml", "licenses:\n  data: none.json\n", 2, "no license entries");
	free(put_file(dir, "noexpr.json", "{\"a\": {\"license\": {\"status\": [\"allowed\"]}}}\n"));
	load_bad(dir, "noexpr.yaml", "licenses:\n  data: noexpr.json\n", 2,
		 "entry 'a' has no license.expression string");
	/* a missing data file */
	load_bad(dir, "nodata.yaml", "licenses:\n  data: nothing.json\n", 2, "nothing.json");
	/* a data path that is not a single value */
	load_bad(dir, "datalist.yaml", "licenses:\n  data: [a.json, b.json]\n", 2,
		 "data must be a single value");
}

static void test_missing_file(void **state)
{
	const char *dir = *state;
	struct rv_policy *pol = (struct rv_policy *)&pol;
	struct rv_error *err = NULL;
	char *path = tap_fmt("%s/missing.yaml", dir), *want;

	assert_int_equal(rv_policy_load(&pol, path, &err), RV_ENOTFOUND);
	assert_null(pol);
	assert_non_null(err);
	assert_int_equal(err->code, RV_ENOTFOUND);
	want = tap_fmt("cannot open the policy '%s'", path);
	assert_non_null(strstr(err->msg, want));
	rv_error_free(err);
	free(want);
	pol = (struct rv_policy *)&pol;
	assert_int_equal(rv_policy_load(&pol, path, NULL), RV_ENOTFOUND);
	assert_null(pol);
	free(path);
	path = tap_fmt("%s/no/such/dir/p.yaml", dir);
	assert_int_equal(rv_policy_load(&pol, path, NULL), RV_ENOTFOUND);
	assert_null(pol);
	free(path);
}

static void test_empty_file(void **state)
{
	const char *dir = *state;
	struct rv_policy *pol, *def;
	struct rv_license_result r;
	char *path;

	pol = load_ok(dir, "empty.yaml", "");
	path = tap_fmt("%s/empty.yaml", dir);
	assert_string_equal(rv_policy_path(pol), path);
	free(path);
	rv_license_check(&r, pol, "MIT", NULL, NOW);
	assert_int_equal(r.verdict, RV_VERDICT_REJECT);
	assert_int_equal(r.spdx, 1);
	assert_string_equal(r.canonical, "MIT");
	assert_true(res_has(&r, "license.not-acceptable", "no license data"));
	rv_license_result_release(&r);
	rv_policy_free(pol);

	/* comments only is empty too */
	pol = load_ok(dir, "comments.yaml", "# nothing here\n\n# at all\n");
	check(pol, "MIT", NULL, RV_VERDICT_REJECT, "license.not-acceptable", "no license data");
	rv_policy_free(pol);
	/* an empty licenses mapping */
	pol = load_ok(dir, "emptylic.yaml", "version: 1\nlicenses: {}\n");
	check(pol, "MIT", NULL, RV_VERDICT_REJECT, "license.not-acceptable", "no license data");
	rv_policy_free(pol);

	/* the built-in default is policies/default.yaml (MIT is allowed) and has no path */
	def = rv_policy_new();
	assert_non_null(def);
	assert_null(rv_policy_path(def));
	check(def, "MIT", NULL, RV_VERDICT_PASS, "license.ok", "MIT (allowed)");
	check(def, "SSPL-1.0", NULL, RV_VERDICT_REJECT, "license.not-acceptable", "not-allowed");
	rv_policy_free(def);
	assert_null(rv_policy_path(NULL));
	rv_policy_free(NULL);
	rv_license_result_release(NULL);
}

static void test_verdict_from_findings(void **state)
{
	const char *dir = *state;
	struct rv_policy *pol;
	struct rv_license_result r;
	size_t i;
	int errors = 0;

	pol = load_ok(dir, "p.yaml",
		      "licenses:\n"
		      "  categories:\n"
		      "    MIT: allowed\n"
		      "    BSD-3-Clause: allowed\n"
		      "    GPL-2.0-or-later: allowed\n");
	/* acceptable, but the operators are in the wrong case: an error, so reject */
	rv_license_check(&r, pol, "MIT and BSD-3-Clause", NULL, NOW);
	assert_int_equal(r.verdict, RV_VERDICT_REJECT);
	assert_int_equal(r.spdx, 0);
	assert_non_null(r.canonical);
	assert_string_equal(r.canonical, "MIT AND BSD-3-Clause");
	assert_string_equal(r.expression, "MIT and BSD-3-Clause");
	assert_non_null(res_find(&r, "license.ok"));
	assert_true(res_has(&r, "license.operator-case", "write 'MIT AND BSD-3-Clause'"));
	for (i = 0; i < r.nfindings; i++)
		errors += r.findings[i].severity == RV_SEV_ERROR;
	assert_int_equal(errors, 1);
	rv_license_result_release(&r);
	assert_null(r.canonical);
	assert_null(r.findings);

	/* the same in upper case passes */
	rv_license_check(&r, pol, "MIT AND BSD-3-Clause", NULL, NOW);
	assert_int_equal(r.verdict, RV_VERDICT_PASS);
	assert_int_equal(r.spdx, 1);
	assert_string_equal(r.canonical, "MIT AND BSD-3-Clause");
	rv_license_result_release(&r);

	/* warnings do not reject */
	rv_license_check(&r, pol, "GPL-2.0+ AND mit", NULL, NOW);
	assert_int_equal(r.verdict, RV_VERDICT_PASS);
	assert_int_equal(r.spdx, 1);
	assert_string_equal(r.canonical, "GPL-2.0+ AND MIT");
	assert_int_equal(res_find(&r, "license.deprecated")->severity, RV_SEV_WARNING);
	assert_int_equal(res_find(&r, "license.id-case")->severity, RV_SEV_WARNING);
	rv_license_result_release(&r);

	/* an unknown id in an OR branch that is not needed still rejects */
	rv_license_check(&r, pol, "MIT OR Not-A-License", NULL, NOW);
	assert_int_equal(r.verdict, RV_VERDICT_REJECT);
	assert_int_equal(r.spdx, 0);
	assert_true(res_has(&r, "license.unknown-id", "'Not-A-License' at column 8"));
	assert_non_null(res_find(&r, "license.ok"));
	rv_license_result_release(&r);

	/* NULL and empty expressions are findings, not failures */
	rv_license_check(&r, pol, NULL, NULL, NOW);
	assert_int_equal(r.verdict, RV_VERDICT_REJECT);
	assert_string_equal(r.expression, "");
	assert_null(r.canonical);
	assert_true(res_has(&r, "license.syntax", "the license is empty"));
	rv_license_result_release(&r);
	rv_policy_free(pol);
}

static void test_legacy_from_fedora_data(void **state)
{
	const char *dir = *state;
	struct rv_policy *pol;

	free(put_file(dir, "fedora-licenses.json", fedora_json));
	free(put_file(dir, "legacy-2022.json", legacy_json));
	pol = load_ok(dir, "p.yaml", "licenses:\n  data: fedora-licenses.json\n");
	check(pol, "ASL 2.0", NULL, RV_VERDICT_REJECT, "license.legacy", "write 'Apache-2.0'");
	check(pol, "GPLv2+ and MIT", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "'GPLv2+ and MIT' is a legacy Fedora (Callaway) expression, not SPDX: write 'GPL-2.0-or-later AND MIT'");
	check(pol, "GPLv2+ with exceptions", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "write 'GPL-2.0-or-later WITH Classpath-exception-2.0'");
	check(pol, "Redistributable, no modification permitted", NULL, RV_VERDICT_REJECT,
	      "license.legacy", "write 'LicenseRef-Fedora-Firmware'");
	/* two expressions share the abbreviation BSD */
	check(pol, "BSD", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "no SPDX form known for 'BSD' (several SPDX licenses)");
	check(pol, "BSD and ASL 2.0", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "'BSD' (several SPDX licenses)");
	rv_policy_free(pol);

	/* the same abbreviation with the same SPDX form in both files stays usable */
	pol = load_ok(dir, "both.yaml",
		      "licenses:\n  data: fedora-licenses.json\n  legacy-map: legacy-2022.json\n");
	check(pol, "GPLv2+", NULL, RV_VERDICT_REJECT, "license.legacy", "write 'GPL-2.0-or-later'");
	check(pol, "LGPLv2+ and CC0", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "write 'LGPL-2.0-or-later AND CC0-1.0'");
	rv_policy_free(pol);

	/* as legacy-map, a fedora-licenses.json gives abbreviations but no categories */
	pol = load_ok(dir, "legacyonly.yaml", "licenses:\n  legacy-map: fedora-licenses.json\n");
	check(pol, "ASL 2.0", NULL, RV_VERDICT_REJECT, "license.legacy", "write 'Apache-2.0'");
	check(pol, "MIT", NULL, RV_VERDICT_REJECT, "license.not-acceptable", "no license data");
	rv_policy_free(pol);
}

/* Fedora's real 2022 table, from ../shared/data, when it is there. */
static void test_legacy_2022_shared(void **state)
{
	static const char rel[] = "../shared/data/fedora-license/rpminspect_rpminspect-data-fedora/"
				  "fedora-licenses-2022-legacy.json";
	const char *dir = *state;
	struct rv_policy *pol;
	char abs[PATH_MAX], *yaml;

	if (access(rel, R_OK) || !realpath(rel, abs)) {
		printf("# %s is not present: nothing checked\n", rel);
		return;
	}
	free(put_file(dir, "fedora-licenses.json", fedora_json));
	yaml = tap_fmt("version: 1\nlicenses:\n  data: fedora-licenses.json\n  legacy-map: %s\n", abs);
	pol = load_ok(dir, "real.yaml", yaml);
	free(yaml);
	check(pol, "GPLv2+ and MIT", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "write 'GPL-2.0-or-later AND MIT'");
	check(pol, "GPLv3+", NULL, RV_VERDICT_REJECT, "license.legacy", "write 'GPL-3.0-or-later'");
	check(pol, "ASL 2.0 and zlib", NULL, RV_VERDICT_REJECT, "license.legacy",
	      "write 'Apache-2.0 AND Zlib'");
	/* BSD stands for several SPDX licenses in that table */
	check(pol, "BSD", NULL, RV_VERDICT_REJECT, "license.legacy", "(several SPDX licenses)");
	/* SPDX expressions are still judged by the data */
	check(pol, "MIT AND Apache-2.0", NULL, RV_VERDICT_PASS, "license.ok", NULL);
	rv_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_categories_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verdict_from_findings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_from_fedora_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_2022_shared, setup, teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
