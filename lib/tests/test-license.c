/* SPDX-License-Identifier: MIT */
/* Tests the license module: precedence, canonical form, limits, categories, maps, exceptions, fuzz. */
#include "tap.h"

#include "license.h"
#include "report.h"

#include <stdint.h>

/* 2023-11-14T22:13:20Z: a fixed "now" for every evaluation */
#define NOW ((time_t)1700000000)

/* A NULL-terminated array of copies of the arguments (the caller's). */
static char **strv(const char *first, ...)
{
	va_list ap;
	char **v = NULL;
	const char *s;
	size_t n = 0;

	va_start(ap, first);
	for (s = first; s; s = va_arg(ap, const char *)) {
		v = realloc(v, (n + 2) * sizeof(*v));
		assert_non_null(v);
		v[n++] = strdup(s);
		v[n] = NULL;
	}
	va_end(ap);
	if (!v)
		v = calloc(1, sizeof(*v));
	assert_non_null(v);
	return v;
}

/* A policy with a few categorised licenses; release with rv_licpolicy_release. */
static void std_policy(struct rv_licpolicy *lp)
{
	rv_licpolicy_init(lp);
	rv_licmap_set(&lp->categories, "MIT", RV_CAT_ALLOWED, NULL);
	rv_licmap_set(&lp->categories, "Apache-2.0", RV_CAT_ALLOWED, NULL);
	rv_licmap_set(&lp->categories, "Zlib", RV_CAT_ALLOWED, NULL);
	rv_licmap_set(&lp->categories, "BSD-3-Clause", RV_CAT_ALLOWED, NULL);
	rv_licmap_set(&lp->categories, "MPL-2.0", RV_CAT_ALLOWED, NULL);
	rv_licmap_set(&lp->categories, "GPL-2.0-or-later", RV_CAT_ALLOWED, NULL);
	rv_licmap_set(&lp->categories, "GPL-2.0-only", RV_CAT_NOT_ALLOWED, NULL);
	rv_licmap_set(&lp->categories, "GPL-3.0-or-later", RV_CAT_ALLOWED, NULL);
	rv_licmap_set(&lp->categories, "SSPL-1.0", RV_CAT_NOT_ALLOWED, NULL);
	rv_licmap_set(&lp->categories, "EUPL-1.0", RV_CAT_NOT_ALLOWED, NULL);
	rv_licmap_set(&lp->categories, "CC-BY-SA-4.0",
		      RV_CAT_CONTENT | RV_CAT_DOCUMENTATION, NULL);
	rv_licmap_set(&lp->categories, "OFL-1.1", RV_CAT_FONTS, NULL);
	rv_licmap_sort(&lp->categories);
}

/* The first finding with this code, or NULL. */
static const struct rv_finding *finding(const struct rv_license_eval *ev, const char *code)
{
	size_t i;

	for (i = 0; i < ev->nfindings; i++)
		if (!strcmp(ev->findings[i].code, code))
			return &ev->findings[i];
	return NULL;
}

static size_t count_code(const struct rv_license_eval *ev, const char *code)
{
	size_t i, n = 0;

	for (i = 0; i < ev->nfindings; i++)
		n += !strcmp(ev->findings[i].code, code);
	return n;
}

static int has_error(const struct rv_license_eval *ev)
{
	size_t i;

	for (i = 0; i < ev->nfindings; i++)
		if (ev->findings[i].severity == RV_SEV_ERROR)
			return 1;
	return 0;
}

/* Some finding with this code has a message containing text. */
static int msg_has(const struct rv_license_eval *ev, const char *code, const char *text)
{
	size_t i;

	for (i = 0; i < ev->nfindings; i++)
		if (!strcmp(ev->findings[i].code, code) && strstr(ev->findings[i].message, text))
			return 1;
	return 0;
}

/* Evaluate and check spdx, acceptable and canonical (NULL: expect none). */
static void check_eval(const struct rv_licpolicy *lp, const char *expr, const char *package,
		       int spdx, int acceptable, const char *canonical)
{
	struct rv_license_eval ev;

	rv_license_eval(&ev, lp, expr, package, NOW);
	if (ev.spdx != spdx || ev.acceptable != acceptable ||
	    (canonical ? !ev.canonical || strcmp(ev.canonical, canonical) : !!ev.canonical))
		print_error("'%s' for %s: spdx %d acceptable %d canonical '%s'\n", expr,
			    package ? package : "(none)", ev.spdx, ev.acceptable,
			    ev.canonical ? ev.canonical : "(null)");
	assert_int_equal(ev.spdx, spdx);
	assert_int_equal(ev.acceptable, acceptable);
	if (canonical) {
		assert_non_null(ev.canonical);
		assert_string_equal(ev.canonical, canonical);
	} else {
		assert_null(ev.canonical);
	}
	rv_license_eval_release(&ev);
}

static void test_precedence(void **state)
{
	struct rv_licpolicy lp;
	struct rv_license_eval ev;

	(void)state;
	std_policy(&lp);
	/* A OR B AND C is A OR (B AND C): A not-allowed, B allowed, C not-allowed */
	check_eval(&lp, "SSPL-1.0 OR MIT AND EUPL-1.0", NULL, 1, 0,
		   "SSPL-1.0 OR MIT AND EUPL-1.0");
	/* the explicit grouping means the same, and renders the same */
	check_eval(&lp, "SSPL-1.0 OR (MIT AND EUPL-1.0)", NULL, 1, 0,
		   "SSPL-1.0 OR MIT AND EUPL-1.0");
	/* read as (A OR B) AND C it would still fail; with C allowed it passes */
	check_eval(&lp, "SSPL-1.0 OR MIT AND Zlib", NULL, 1, 1, "SSPL-1.0 OR MIT AND Zlib");
	/* with A allowed the OR passes whatever B AND C is */
	check_eval(&lp, "Apache-2.0 OR MIT AND EUPL-1.0", NULL, 1, 1,
		   "Apache-2.0 OR MIT AND EUPL-1.0");
	/* (A OR B) AND C with A not-allowed, B allowed, C allowed passes ... */
	check_eval(&lp, "(SSPL-1.0 OR MIT) AND Zlib", NULL, 1, 1, "(SSPL-1.0 OR MIT) AND Zlib");
	/* ... but A OR B AND C with A allowed and C not-allowed differs from (A OR B) AND C */
	check_eval(&lp, "MIT OR SSPL-1.0 AND EUPL-1.0", NULL, 1, 1,
		   "MIT OR SSPL-1.0 AND EUPL-1.0");
	check_eval(&lp, "(MIT OR SSPL-1.0) AND EUPL-1.0", NULL, 1, 0,
		   "(MIT OR SSPL-1.0) AND EUPL-1.0");
	/* A AND B OR C is (A AND B) OR C */
	check_eval(&lp, "SSPL-1.0 AND MIT OR Zlib", NULL, 1, 1, "SSPL-1.0 AND MIT OR Zlib");
	check_eval(&lp, "SSPL-1.0 AND (MIT OR Zlib)", NULL, 1, 0, "SSPL-1.0 AND (MIT OR Zlib)");

	/* the rejection names every failing choice */
	rv_license_eval(&ev, &lp, "SSPL-1.0 OR MIT AND EUPL-1.0", NULL, NOW);
	assert_true(msg_has(&ev, "license.not-acceptable",
			    "no choice of OR branches is acceptable: SSPL-1.0 is not-allowed"));
	assert_true(msg_has(&ev, "license.not-acceptable", "EUPL-1.0 is not-allowed"));
	assert_false(msg_has(&ev, "license.not-acceptable", "MIT"));
	assert_null(finding(&ev, "license.ok"));
	rv_license_eval_release(&ev);
	/* the acceptance names the choice taken */
	rv_license_eval(&ev, &lp, "SSPL-1.0 OR MIT AND Zlib", NULL, NOW);
	assert_non_null(finding(&ev, "license.ok"));
	assert_string_equal(finding(&ev, "license.ok")->message,
			    "acceptable: MIT (allowed), Zlib (allowed)");
	assert_false(has_error(&ev));
	rv_license_eval_release(&ev);
	rv_licpolicy_release(&lp);
}

static void test_canonical_parentheses(void **state)
{
	struct rv_licpolicy lp;

	(void)state;
	std_policy(&lp);
	check_eval(&lp, "(MIT OR Apache-2.0) AND Zlib", NULL, 1, 1, "(MIT OR Apache-2.0) AND Zlib");
	check_eval(&lp, "Zlib AND (MIT OR Apache-2.0)", NULL, 1, 1, "Zlib AND (MIT OR Apache-2.0)");
	check_eval(&lp, "MIT AND (Apache-2.0 AND Zlib)", NULL, 1, 1, "MIT AND Apache-2.0 AND Zlib");
	check_eval(&lp, "(MIT AND Apache-2.0) AND Zlib", NULL, 1, 1, "MIT AND Apache-2.0 AND Zlib");
	check_eval(&lp, "MIT OR (Apache-2.0 OR Zlib)", NULL, 1, 1, "MIT OR Apache-2.0 OR Zlib");
	check_eval(&lp, "MIT OR (Apache-2.0 AND Zlib)", NULL, 1, 1, "MIT OR Apache-2.0 AND Zlib");
	check_eval(&lp, "(MIT AND Apache-2.0) OR Zlib", NULL, 1, 1, "MIT AND Apache-2.0 OR Zlib");
	check_eval(&lp, "((((MIT))))", NULL, 1, 1, "MIT");
	check_eval(&lp, "(MIT)", NULL, 1, 1, "MIT");
	check_eval(&lp, "( MIT  OR   Zlib )", NULL, 1, 1, "MIT OR Zlib");
	check_eval(&lp, "((MIT OR Apache-2.0) AND (Zlib OR (BSD-3-Clause AND MPL-2.0)))", NULL, 1, 1,
		   "(MIT OR Apache-2.0) AND (Zlib OR BSD-3-Clause AND MPL-2.0)");
	check_eval(&lp, "MIT AND ((Apache-2.0 OR Zlib) AND BSD-3-Clause)", NULL, 1, 1,
		   "MIT AND (Apache-2.0 OR Zlib) AND BSD-3-Clause");
	check_eval(&lp, "GPL-2.0-or-later WITH Classpath-exception-2.0 AND (MIT OR Zlib)", NULL, 1, 1,
		   "GPL-2.0-or-later WITH Classpath-exception-2.0 AND (MIT OR Zlib)");
	check_eval(&lp, "MPL-2.0+ AND MIT", NULL, 1, 1, "MPL-2.0+ AND MIT");
	rv_licpolicy_release(&lp);
}

static void test_depth_limit(void **state)
{
	struct rv_licpolicy lp;
	struct rv_license_eval ev;
	char buf[8192];
	int depth;

	(void)state;
	std_policy(&lp);
	for (depth = 63; depth <= 66; depth++) {
		int i, n = 0;
		for (i = 0; i < depth; i++)
			buf[n++] = '(';
		memcpy(buf + n, "MIT", 3);
		n += 3;
		for (i = 0; i < depth; i++)
			buf[n++] = ')';
		buf[n] = '\0';
		rv_license_eval(&ev, &lp, buf, NULL, NOW);
		if (depth <= 64) {
			assert_int_equal(ev.spdx, 1);
			assert_int_equal(ev.acceptable, 1);
			assert_string_equal(ev.canonical, "MIT");
		} else {
			assert_int_equal(ev.spdx, 0);
			assert_int_equal(ev.acceptable, 0);
			assert_null(ev.canonical);
			assert_true(msg_has(&ev, "license.syntax", "at most 64 nested parentheses"));
		}
		rv_license_eval_release(&ev);
	}

	/* nesting of mixed operators counts each parenthesis */
	{
		size_t n = 0;
		int i;
		for (i = 0; i < 100; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "(MIT AND ");
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "Zlib");
		for (i = 0; i < 100; i++)
			buf[n++] = ')';
		buf[n] = '\0';
		rv_license_eval(&ev, &lp, buf, NULL, NOW);
		assert_int_equal(ev.spdx, 0);
		assert_true(msg_has(&ev, "license.syntax", "at most 64 nested parentheses"));
		rv_license_eval_release(&ev);
	}

	/* thousands of open parentheses, never closed: a finding, not a crash */
	memset(buf, '(', 8000);
	buf[8000] = '\0';
	rv_license_eval(&ev, &lp, buf, NULL, NOW);
	assert_int_equal(ev.spdx, 0);
	assert_int_equal(ev.acceptable, 0);
	assert_non_null(finding(&ev, "license.syntax"));
	rv_license_eval_release(&ev);
	memset(buf, ')', 8000);
	rv_license_eval(&ev, &lp, buf, NULL, NOW);
	assert_int_equal(ev.spdx, 0);
	assert_non_null(finding(&ev, "license.syntax"));
	rv_license_eval_release(&ev);
	rv_licpolicy_release(&lp);
}

static void test_length_limit(void **state)
{
	struct rv_licpolicy lp;
	struct rv_license_eval ev;
	char *buf = malloc(8194 + 1);

	(void)state;
	assert_non_null(buf);
	std_policy(&lp);
	/* exactly 8192 characters: one long LicenseRef- id, still parsed */
	memcpy(buf, "LicenseRef-", 11);
	memset(buf + 11, 'a', 8192 - 11);
	buf[8192] = '\0';
	rv_license_eval(&ev, &lp, buf, NULL, NOW);
	assert_int_equal(ev.spdx, 1);
	assert_non_null(ev.canonical);
	assert_string_equal(ev.canonical, buf);
	assert_null(finding(&ev, "license.syntax"));
	rv_license_eval_release(&ev);

	/* one more is refused before parsing */
	buf[8192] = 'a';
	buf[8193] = '\0';
	rv_license_eval(&ev, &lp, buf, NULL, NOW);
	assert_int_equal(ev.spdx, 0);
	assert_int_equal(ev.acceptable, 0);
	assert_null(ev.canonical);
	assert_int_equal(ev.nfindings, 1);
	assert_string_equal(ev.findings[0].code, "license.syntax");
	assert_int_equal(ev.findings[0].severity, RV_SEV_ERROR);
	assert_non_null(strstr(ev.findings[0].message, "longer than 8192 characters"));
	rv_license_eval_release(&ev);

	/* a long valid expression is refused the same way */
	{
		size_t n = 0;
		while (n < 8200)
			n += (size_t)snprintf(buf + n, 8195 - n, "%sMIT", n ? " OR " : "");
		buf[8194] = '\0';
	}
	rv_license_eval(&ev, &lp, buf, NULL, NOW);
	assert_int_equal(ev.spdx, 0);
	assert_true(msg_has(&ev, "license.syntax", "longer than 8192 characters"));
	rv_license_eval_release(&ev);

	/* empty and NULL are findings too */
	rv_license_eval(&ev, &lp, "", NULL, NOW);
	assert_true(msg_has(&ev, "license.syntax", "the license is empty"));
	assert_int_equal(ev.spdx, 0);
	rv_license_eval_release(&ev);
	rv_license_eval(&ev, &lp, NULL, NULL, NOW);
	assert_true(msg_has(&ev, "license.syntax", "the license is empty"));
	rv_license_eval_release(&ev);
	rv_license_eval(&ev, &lp, "   ", NULL, NOW);
	assert_int_equal(ev.spdx, 0);
	assert_non_null(finding(&ev, "license.syntax"));
	rv_license_eval_release(&ev);
	/* releasing twice, or NULL, is harmless */
	rv_license_eval_release(&ev);
	rv_license_eval_release(NULL);
	free(buf);
	rv_licpolicy_release(&lp);
}

static void test_case_insensitive_ids(void **state)
{
	struct rv_licpolicy lp;
	struct rv_license_eval ev;
	size_t i;

	(void)state;
	std_policy(&lp);
	rv_license_eval(&ev, &lp,
			"mit OR apache-2.0 AND gpl-2.0-OR-LATER WITH classpath-EXCEPTION-2.0", NULL,
			NOW);
	assert_int_equal(ev.spdx, 1);
	assert_int_equal(ev.acceptable, 1);
	assert_string_equal(ev.canonical,
			    "MIT OR Apache-2.0 AND GPL-2.0-or-later WITH Classpath-exception-2.0");
	assert_int_equal(count_code(&ev, "license.id-case"), 4);
	assert_true(msg_has(&ev, "license.id-case", "'mit' is spelled 'MIT' in the SPDX list"));
	assert_true(msg_has(&ev, "license.id-case",
			    "'classpath-EXCEPTION-2.0' is spelled 'Classpath-exception-2.0'"));
	for (i = 0; i < ev.nfindings; i++)
		if (!strcmp(ev.findings[i].code, "license.id-case"))
			assert_int_equal(ev.findings[i].severity, RV_SEV_WARNING);
	assert_false(has_error(&ev));
	rv_license_eval_release(&ev);

	/* LicenseRef- ids keep their spelling; the right spelling draws no finding */
	check_eval(&lp, "LicenseRef-Foo OR MIT", NULL, 1, 1, "LicenseRef-Foo OR MIT");
	rv_license_eval(&ev, &lp, "ZLIB+", NULL, NOW);
	assert_string_equal(ev.canonical, "Zlib+");
	assert_int_equal(ev.acceptable, 1);
	assert_int_equal(count_code(&ev, "license.id-case"), 1);
	rv_license_eval_release(&ev);
	rv_license_eval(&ev, &lp, "MIT", NULL, NOW);
	assert_null(finding(&ev, "license.id-case"));
	rv_license_eval_release(&ev);
	rv_licpolicy_release(&lp);
}

static void test_category_fallbacks(void **state)
{
	struct rv_licpolicy lp;
	struct rv_license_eval ev;

	(void)state;
	std_policy(&lp);
	/* GPL-2.0+ is deprecated: it has the categories of GPL-2.0-or-later ... */
	rv_license_eval(&ev, &lp, "GPL-2.0+", NULL, NOW);
	assert_int_equal(ev.spdx, 1);
	assert_int_equal(ev.acceptable, 1);
	assert_string_equal(ev.canonical, "GPL-2.0+");
	assert_true(msg_has(&ev, "license.deprecated",
			    "'GPL-2.0+' is a deprecated SPDX id: use GPL-2.0-or-later"));
	assert_int_equal(finding(&ev, "license.deprecated")->severity, RV_SEV_WARNING);
	rv_license_eval_release(&ev);
	/* ... and GPL-2.0 those of GPL-2.0-only (not-allowed in this policy) */
	rv_license_eval(&ev, &lp, "GPL-2.0", NULL, NOW);
	assert_int_equal(ev.spdx, 1);
	assert_int_equal(ev.acceptable, 0);
	assert_true(msg_has(&ev, "license.deprecated", "use GPL-2.0-only"));
	assert_true(msg_has(&ev, "license.not-acceptable", "GPL-2.0 is not-allowed"));
	rv_license_eval_release(&ev);
	/* lower case deprecated id: both findings, canonical spelling */
	rv_license_eval(&ev, &lp, "gpl-2.0+", NULL, NOW);
	assert_string_equal(ev.canonical, "GPL-2.0+");
	assert_int_equal(ev.acceptable, 1);
	assert_non_null(finding(&ev, "license.id-case"));
	assert_non_null(finding(&ev, "license.deprecated"));
	rv_license_eval_release(&ev);

	/* MPL-2.0+ is not in the data: it falls back to MPL-2.0 */
	rv_license_eval(&ev, &lp, "MPL-2.0+", NULL, NOW);
	assert_int_equal(ev.spdx, 1);
	assert_int_equal(ev.acceptable, 1);
	assert_string_equal(finding(&ev, "license.ok")->message, "acceptable: MPL-2.0+ (allowed)");
	rv_license_eval_release(&ev);
	/* an unknown base has nothing to fall back to */
	rv_license_eval(&ev, &lp, "ISC+", NULL, NOW);
	assert_int_equal(ev.spdx, 1);
	assert_int_equal(ev.acceptable, 0);
	assert_true(msg_has(&ev, "license.not-acceptable", "ISC+ has no category in the license data"));
	rv_license_eval_release(&ev);

	/* X WITH EXC falls back to X when the combination has no category */
	rv_license_eval(&ev, &lp, "GPL-3.0-or-later WITH GCC-exception-3.1", NULL, NOW);
	assert_int_equal(ev.spdx, 1);
	assert_int_equal(ev.acceptable, 1);
	assert_string_equal(finding(&ev, "license.ok")->message,
			    "acceptable: GPL-3.0-or-later WITH GCC-exception-3.1 (allowed)");
	rv_license_eval_release(&ev);
	check_eval(&lp, "SSPL-1.0 WITH Classpath-exception-2.0", NULL, 1, 0,
		   "SSPL-1.0 WITH Classpath-exception-2.0");
	check_eval(&lp, "ISC WITH Classpath-exception-2.0", NULL, 1, 0,
		   "ISC WITH Classpath-exception-2.0");
	rv_licpolicy_release(&lp);

	/* the combination's own category wins over the base license's */
	std_policy(&lp);
	rv_licmap_set(&lp.categories, "GPL-2.0-only WITH Classpath-exception-2.0", RV_CAT_ALLOWED,
		      NULL);
	rv_licmap_set(&lp.categories, "MIT WITH Classpath-exception-2.0", RV_CAT_NOT_ALLOWED, NULL);
	rv_licmap_sort(&lp.categories);
	check_eval(&lp, "GPL-2.0-only WITH Classpath-exception-2.0", NULL, 1, 1,
		   "GPL-2.0-only WITH Classpath-exception-2.0");
	check_eval(&lp, "GPL-2.0-only", NULL, 1, 0, "GPL-2.0-only");
	check_eval(&lp, "MIT WITH Classpath-exception-2.0", NULL, 1, 0,
		   "MIT WITH Classpath-exception-2.0");
	/* a deprecated id WITH an exception: the replacement's combination */
	check_eval(&lp, "GPL-2.0 WITH Classpath-exception-2.0", NULL, 1, 1,
		   "GPL-2.0 WITH Classpath-exception-2.0");
	rv_licpolicy_release(&lp);
}

static void test_licmap_sort(void **state)
{
	struct rv_licmap m;
	const struct rv_licmap_entry *e;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_null(rv_licmap_get(&m, "MIT"));
	rv_licmap_set(&m, "MIT", RV_CAT_ALLOWED, NULL);
	rv_licmap_set(&m, "Zlib", RV_CAT_ALLOWED, NULL);
	rv_licmap_set(&m, "mit", RV_CAT_CONTENT, NULL);
	rv_licmap_set(&m, "CC0-1.0", RV_CAT_CONTENT, NULL);
	rv_licmap_set(&m, "MIT", RV_CAT_FONTS, NULL);
	assert_int_equal(m.n, 5);
	assert_false(m.sorted);
	rv_licmap_sort(&m);
	assert_true(m.sorted);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.v[0].key, "CC0-1.0");
	assert_string_equal(m.v[2].key, "Zlib");
	e = rv_licmap_get(&m, "MIT");
	assert_non_null(e);
	assert_int_equal(e->cats, RV_CAT_ALLOWED | RV_CAT_CONTENT | RV_CAT_FONTS);
	assert_null(e->value);
	assert_ptr_equal(rv_licmap_get(&m, "mIt"), e);
	assert_int_equal(rv_licmap_get(&m, "zlib")->cats, RV_CAT_ALLOWED);
	assert_null(rv_licmap_get(&m, "MIT-0"));
	assert_null(rv_licmap_get(&m, NULL));
	/* sorting again is harmless */
	rv_licmap_sort(&m);
	assert_int_equal(m.n, 3);
	rv_licmap_release(&m);
	assert_int_equal(m.n, 0);
	assert_null(m.v);

	/* legacy values: the same value twice is fine, two values are ambiguous */
	rv_licmap_set(&m, "GPLv2+", 0, "GPL-2.0-or-later");
	rv_licmap_set(&m, "BSD", 0, "BSD-3-Clause");
	rv_licmap_set(&m, "gplv2+", 0, "GPL-2.0-or-later");
	rv_licmap_set(&m, "BSD", 0, "BSD-2-Clause");
	rv_licmap_set(&m, "BSD", 0, "BSD-3-Clause");
	rv_licmap_set(&m, "ASL 2.0", 0, NULL);
	rv_licmap_set(&m, "ASL 2.0", 0, "Apache-2.0");
	rv_licmap_set(&m, "Tri", 0, "A");
	rv_licmap_set(&m, "Tri", 0, "B");
	rv_licmap_set(&m, "Tri", 0, "C");
	rv_licmap_set(&m, "Tri", 0, NULL);
	rv_licmap_sort(&m);
	assert_int_equal(m.n, 4);
	e = rv_licmap_get(&m, "GPLV2+");
	assert_non_null(e);
	assert_false(e->cats & RV_LICMAP_AMBIGUOUS);
	assert_string_equal(e->value, "GPL-2.0-or-later");
	e = rv_licmap_get(&m, "BSD");
	assert_non_null(e);
	assert_true(e->cats & RV_LICMAP_AMBIGUOUS);
	assert_null(e->value);
	e = rv_licmap_get(&m, "asl 2.0");
	assert_non_null(e);
	assert_false(e->cats & RV_LICMAP_AMBIGUOUS);
	assert_string_equal(e->value, "Apache-2.0");
	e = rv_licmap_get(&m, "Tri");
	assert_true(e->cats & RV_LICMAP_AMBIGUOUS);
	assert_null(e->value);
	rv_licmap_release(&m);

	/* a single entry, and an empty map */
	rv_licmap_sort(&m);
	assert_int_equal(m.n, 0);
	rv_licmap_set(&m, "X", 0, "Y");
	rv_licmap_sort(&m);
	assert_string_equal(rv_licmap_get(&m, "x")->value, "Y");
	rv_licmap_release(&m);
}

/* A policy with a legacy map from key/value pairs (NULL-terminated). */
static void legacy_policy(struct rv_licpolicy *lp, const char *const *pairs)
{
	size_t i;

	std_policy(lp);
	for (i = 0; pairs[i]; i += 2)
		rv_licmap_set(&lp->legacy, pairs[i], 0, pairs[i + 1]);
	rv_licmap_sort(&lp->legacy);
}

static void test_legacy_suggestion(void **state)
{
	static const char *const pairs[] = {
		"GPLv2+", "GPL-2.0-or-later",
		"BSD", "BSD-3-Clause",
		"BSD", "BSD-2-Clause",
		"Dual", "MIT OR Apache-2.0",
		"ASL 2.0", "Apache-2.0",
		NULL,
	};
	struct rv_licpolicy lp;
	struct rv_license_eval ev;
	const struct rv_finding *f;

	(void)state;
	legacy_policy(&lp, pairs);
	rv_license_eval(&ev, &lp, "GPLv2+ and MIT", NULL, NOW);
	assert_int_equal(ev.spdx, 0);
	assert_int_equal(ev.acceptable, 0);
	assert_null(ev.canonical);
	f = finding(&ev, "license.legacy");
	assert_non_null(f);
	assert_int_equal(f->severity, RV_SEV_ERROR);
	assert_non_null(strstr(f->message, "write 'GPL-2.0-or-later AND MIT'"));
	assert_string_equal(f->message,
			    "'GPLv2+ and MIT' is a legacy Fedora (Callaway) expression, not SPDX: "
			    "write 'GPL-2.0-or-later AND MIT'");
	/* reported as legacy, not id by id */
	assert_null(finding(&ev, "license.unknown-id"));
	assert_null(finding(&ev, "license.operator-case"));
	rv_license_eval_release(&ev);

	/* the mapped suggestion is itself valid SPDX with the same meaning */
	check_eval(&lp, "GPL-2.0-or-later AND MIT", NULL, 1, 1, "GPL-2.0-or-later AND MIT");

	/* an ambiguous entry has no single SPDX form */
	rv_license_eval(&ev, &lp, "BSD and MIT", NULL, NOW);
	assert_int_equal(ev.spdx, 0);
	assert_true(msg_has(&ev, "license.legacy", "'BSD' (several SPDX licenses)"));
	assert_false(msg_has(&ev, "license.legacy", "write '"));
	rv_license_eval_release(&ev);
	rv_license_eval(&ev, &lp, "BSD", NULL, NOW);
	assert_true(msg_has(&ev, "license.legacy",
			    "no SPDX form known for 'BSD' (several SPDX licenses)"));
	rv_license_eval_release(&ev);

	/* a compound value is parenthesised among other terms, not alone */
	rv_license_eval(&ev, &lp, "Dual and Zlib", NULL, NOW);
	assert_true(msg_has(&ev, "license.legacy", "write '(MIT OR Apache-2.0) AND Zlib'"));
	rv_license_eval_release(&ev);
	rv_license_eval(&ev, &lp, "Dual", NULL, NOW);
	assert_true(msg_has(&ev, "license.legacy", "write 'MIT OR Apache-2.0'"));
	assert_false(msg_has(&ev, "license.legacy", "write '(MIT"));
	rv_license_eval_release(&ev);

	/* a legacy term with a space, lower-case "or", parentheses */
	rv_license_eval(&ev, &lp, "MIT and (ASL 2.0 or GPLv2+)", NULL, NOW);
	assert_true(msg_has(&ev, "license.legacy",
			    "write 'MIT AND (Apache-2.0 OR GPL-2.0-or-later)'"));
	assert_null(finding(&ev, "license.syntax"));
	rv_license_eval_release(&ev);

	/* an unmapped legacy-looking term is named */
	rv_license_eval(&ev, &lp, "GPLv2+ and LGPLv2+", NULL, NOW);
	assert_true(msg_has(&ev, "license.legacy", "no SPDX form known for 'LGPLv2+'"));
	rv_license_eval_release(&ev);

	/* lower-case operators between SPDX ids are not legacy */
	rv_license_eval(&ev, &lp, "MIT and Zlib", NULL, NOW);
	assert_null(finding(&ev, "license.legacy"));
	assert_true(msg_has(&ev, "license.operator-case", "write 'MIT AND Zlib'"));
	assert_string_equal(ev.canonical, "MIT AND Zlib");
	assert_int_equal(ev.spdx, 0);
	assert_int_equal(ev.acceptable, 1);
	rv_license_eval_release(&ev);
	rv_licpolicy_release(&lp);

	/* without a legacy map the finding asks for one */
	std_policy(&lp);
	rv_license_eval(&ev, &lp, "GPLv2+ and MIT", NULL, NOW);
	assert_true(msg_has(&ev, "license.legacy", "give the policy a legacy map"));
	rv_license_eval_release(&ev);
	rv_licpolicy_release(&lp);
}

/*
 * What SPDX 2.3 (annex D) refuses although it looks like SPDX: '+' after a
 * LicenseRef-, a LicenseRef- after WITH, an SPDX 3.0 AdditionRef- after WITH;
 * Fedora's LicenseRef-Callaway-...+ markers are legacy expressions.
 */
static void test_spdx23_strictness(void **state)
{
	static const char *const pairs[] = {
		"GPLv2+", "GPL-2.0-or-later",
		"ASL 2.0+", "Apache-2.0",
		"BSD", "BSD-3-Clause",
		"BSD", "BSD-2-Clause",
		NULL,
	};
	static const struct {
		const char *expr;
		int acceptable;
		const char *canonical; /* NULL: none */
		const char *code;
		enum rv_severity sev;
		const char *message;   /* the whole message of that finding */
	} cases[] = {
		{ "LicenseRef-x+", 0, "LicenseRef-x+", "license.syntax", RV_SEV_ERROR,
		  "'LicenseRef-x+' at column 1: '+' may follow only an SPDX license id, not a LicenseRef- (SPDX 2.3 annex D)" },
		{ "MIT OR DocumentRef-d:LicenseRef-x+", 1, "MIT OR DocumentRef-d:LicenseRef-x+", "license.syntax",
		  RV_SEV_ERROR,
		  "'DocumentRef-d:LicenseRef-x+' at column 8: '+' may follow only an SPDX license id, not a LicenseRef- (SPDX 2.3 annex D)" },
		{ "LicenseRef-Callaway-GPLv2+", 0, NULL, "license.legacy", RV_SEV_ERROR,
		  "'LicenseRef-Callaway-GPLv2+' is a legacy Fedora (Callaway) expression, not SPDX: write 'GPL-2.0-or-later'" },
		/* dashes stand for the abbreviation's spaces */
		{ "LicenseRef-Callaway-ASL-2.0+ AND MIT", 0, NULL, "license.legacy", RV_SEV_ERROR,
		  "'LicenseRef-Callaway-ASL-2.0+ AND MIT' is a legacy Fedora (Callaway) expression, not SPDX: write 'Apache-2.0 AND MIT'" },
		{ "LicenseRef-Callaway-BSD+", 0, NULL, "license.legacy", RV_SEV_ERROR,
		  "'LicenseRef-Callaway-BSD+' is a legacy Fedora (Callaway) expression, not SPDX (no SPDX form known for 'LicenseRef-Callaway-BSD+')" },
		{ "LicenseRef-Callaway-GPLv2+ OR GPL-2.0-or-later WITH Classpath-exception-2.0", 1, NULL,
		  "license.legacy", RV_SEV_ERROR,
		  "'LicenseRef-Callaway-GPLv2+ OR GPL-2.0-or-later WITH Classpath-exception-2.0' is a legacy Fedora (Callaway) expression, not SPDX: write 'GPL-2.0-or-later OR GPL-2.0-or-later WITH Classpath-exception-2.0'" },
		{ "MIT WITH LicenseRef-x", 1, "MIT WITH LicenseRef-x", "license.unknown-exception", RV_SEV_ERROR,
		  "'LicenseRef-x' after WITH is a license reference, not an exception: WITH takes an SPDX exception id" },
		{ "MIT WITH DocumentRef-d:LicenseRef-x", 1, "MIT WITH DocumentRef-d:LicenseRef-x",
		  "license.unknown-exception", RV_SEV_ERROR,
		  "'DocumentRef-d:LicenseRef-x' after WITH is a license reference, not an exception: WITH takes an SPDX exception id" },
		{ "BSD-3-Clause WITH AdditionRef-x", 1, "BSD-3-Clause WITH AdditionRef-x",
		  "license.spdx3-addition", RV_SEV_WARNING,
		  "'AdditionRef-x' after WITH is an SPDX 3.0 addition, not SPDX 2.3 (which takes an exception id)" },
		{ "SSPL-1.0 WITH DocumentRef-d:AdditionRef-x", 0, "SSPL-1.0 WITH DocumentRef-d:AdditionRef-x",
		  "license.spdx3-addition", RV_SEV_WARNING,
		  "'DocumentRef-d:AdditionRef-x' after WITH is an SPDX 3.0 addition, not SPDX 2.3 (which takes an exception id)" },
	};
	struct rv_licpolicy lp;
	struct rv_license_eval ev;
	const struct rv_finding *f;
	size_t i;

	(void)state;
	legacy_policy(&lp, pairs);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_eval(&lp, cases[i].expr, NULL, 0, cases[i].acceptable, cases[i].canonical);
		rv_license_eval(&ev, &lp, cases[i].expr, NULL, NOW);
		f = finding(&ev, cases[i].code);
		if (!f || strcmp(f->message, cases[i].message))
			print_error("'%s': %s: '%s'\n", cases[i].expr, cases[i].code,
				    f ? f->message : "(no such finding)");
		assert_non_null(f);
		assert_int_equal(f->severity, cases[i].sev);
		assert_string_equal(f->message, cases[i].message);
		/* a legacy marker is reported once, as legacy, not also as a term without category */
		if (!strcmp(cases[i].code, "license.legacy"))
			assert_false(msg_has(&ev, "license.not-acceptable", "LicenseRef-Callaway"));
		rv_license_eval_release(&ev);
	}
	/* without '+' a Callaway LicenseRef- is an SPDX 2.3 id like any other */
	check_eval(&lp, "LicenseRef-Callaway-BSD", NULL, 1, 0, "LicenseRef-Callaway-BSD");
	/* the exception ids and LicenseRef- licenses stay valid */
	check_eval(&lp, "LicenseRef-x WITH Classpath-exception-2.0", NULL, 1, 0,
		   "LicenseRef-x WITH Classpath-exception-2.0");
	check_eval(&lp, "MPL-2.0+", NULL, 1, 1, "MPL-2.0+");
	rv_licpolicy_release(&lp);
}

/* One exception, the policy's (strings copied). */
static void add_exception(struct rv_licpolicy *lp, const char *package, const char *license,
			  const char *reason, int64_t expires)
{
	struct rv_lic_exception *x;

	lp->exceptions = realloc(lp->exceptions, (lp->nexceptions + 1) * sizeof(*lp->exceptions));
	assert_non_null(lp->exceptions);
	x = &lp->exceptions[lp->nexceptions++];
	x->package = strdup(package);
	x->license = strdup(license);
	x->reason = strdup(reason);
	x->expires = expires;
	x->line = 0;
}

static void test_exceptions(void **state)
{
	struct rv_licpolicy lp;
	struct rv_license_eval ev;
	const struct rv_finding *f;

	(void)state;
	std_policy(&lp);
	add_exception(&lp, "legacy-*", "SSPL-1.0", "ticket 1", (int64_t)NOW);
	add_exception(&lp, "forever-[ab]?", "SSPL-1.0", "ticket 2", 0);

	/* one second before the expiry it applies */
	rv_license_eval(&ev, &lp, "SSPL-1.0", "legacy-tool", NOW - 1);
	assert_int_equal(ev.acceptable, 1);
	assert_int_equal(ev.spdx, 1);
	f = finding(&ev, "license.exception");
	assert_non_null(f);
	assert_int_equal(f->severity, RV_SEV_INFO);
	assert_non_null(strstr(f->message, "exception for 'legacy-*': ticket 1"));
	assert_null(finding(&ev, "license.exception-expired"));
	assert_false(has_error(&ev));
	rv_license_eval_release(&ev);

	/* it applies through the whole expiry day (UTC) ... */
	rv_license_eval(&ev, &lp, "SSPL-1.0", "legacy-tool", NOW + 86399);
	assert_int_equal(ev.acceptable, 1);
	rv_license_eval_release(&ev);
	/* ... and has expired when the day is over */
	rv_license_eval(&ev, &lp, "SSPL-1.0", "legacy-tool", NOW + 86400);
	assert_int_equal(ev.acceptable, 0);
	f = finding(&ev, "license.exception-expired");
	assert_non_null(f);
	assert_int_equal(f->severity, RV_SEV_WARNING);
	assert_non_null(strstr(f->message, "the exception for SSPL-1.0 in packages 'legacy-*' (ticket 1) expired on 2023-11-14"));
	assert_int_equal(count_code(&ev, "license.exception-expired"), 1);
	assert_true(msg_has(&ev, "license.not-acceptable", "SSPL-1.0 is not-allowed"));
	assert_null(finding(&ev, "license.exception"));
	rv_license_eval_release(&ev);
	rv_license_eval(&ev, &lp, "SSPL-1.0", "legacy-tool", NOW + 86400 * 365);
	assert_int_equal(ev.acceptable, 0);
	assert_non_null(finding(&ev, "license.exception-expired"));
	rv_license_eval_release(&ev);
	/* reported once even when the term occurs several times */
	rv_license_eval(&ev, &lp, "SSPL-1.0 AND (SSPL-1.0 OR EUPL-1.0)", "legacy-tool", NOW + 86400);
	assert_int_equal(count_code(&ev, "license.exception-expired"), 1);
	rv_license_eval_release(&ev);

	/* glob matching of the package name */
	rv_license_eval(&ev, &lp, "SSPL-1.0", "forever-a1", NOW);
	assert_int_equal(ev.acceptable, 1);
	assert_true(msg_has(&ev, "license.exception", "exception for 'forever-[ab]?': ticket 2"));
	rv_license_eval_release(&ev);
	check_eval(&lp, "SSPL-1.0", "forever-c1", 1, 0, "SSPL-1.0");
	check_eval(&lp, "SSPL-1.0", "forever-a12", 1, 0, "SSPL-1.0");
	check_eval(&lp, "SSPL-1.0", "my-legacy-tool", 1, 0, "SSPL-1.0");
	/* an exception for one license does not cover another */
	check_eval(&lp, "EUPL-1.0", "forever-a1", 1, 0, "EUPL-1.0");
	/* the license matches case-insensitively, also as the base of a WITH */
	check_eval(&lp, "sspl-1.0", "forever-b2", 1, 1, "SSPL-1.0");
	check_eval(&lp, "SSPL-1.0 WITH Classpath-exception-2.0", "forever-b2", 1, 1,
		   "SSPL-1.0 WITH Classpath-exception-2.0");
	/* AND still needs every term */
	check_eval(&lp, "SSPL-1.0 AND EUPL-1.0", "forever-a1", 1, 0, "SSPL-1.0 AND EUPL-1.0");

	/* without a package no exception applies, and none is reported expired */
	rv_license_eval(&ev, &lp, "SSPL-1.0", NULL, NOW - 1);
	assert_int_equal(ev.acceptable, 0);
	assert_null(finding(&ev, "license.exception"));
	assert_null(finding(&ev, "license.exception-expired"));
	rv_license_eval_release(&ev);
	rv_licpolicy_release(&lp);

	/* a second, valid exception applies after an expired one */
	std_policy(&lp);
	add_exception(&lp, "foo", "SSPL-1.0", "old", (int64_t)NOW - 86400 - 10);
	add_exception(&lp, "f*", "SSPL-1.0", "new", (int64_t)NOW + 10);
	rv_license_eval(&ev, &lp, "SSPL-1.0", "foo", NOW);
	assert_int_equal(ev.acceptable, 1);
	assert_non_null(finding(&ev, "license.exception-expired"));
	assert_true(msg_has(&ev, "license.exception", "exception for 'f*': new"));
	rv_license_eval_release(&ev);
	rv_licpolicy_release(&lp);
}

static void test_deny_wins(void **state)
{
	struct rv_licpolicy lp;
	struct rv_license_eval ev;

	(void)state;
	std_policy(&lp);
	lp.allow = strv("MIT", "LicenseRef-Ok", "SSPL-1.0", NULL);
	lp.nallow = 3;
	lp.deny = strv("mit", "GPL-2.0-or-later", NULL);
	lp.ndeny = 2;
	add_exception(&lp, "*", "MIT", "everyone", 0);

	/* MIT: allowed by category, by the allow list and by an exception, yet denied */
	rv_license_eval(&ev, &lp, "MIT", "pkg", NOW);
	assert_int_equal(ev.acceptable, 0);
	assert_int_equal(ev.spdx, 1);
	assert_true(msg_has(&ev, "license.not-acceptable", "MIT is denied by the policy"));
	assert_null(finding(&ev, "license.exception"));
	rv_license_eval_release(&ev);
	/* the base of a WITH is denied too */
	rv_license_eval(&ev, &lp, "GPL-2.0-or-later WITH Classpath-exception-2.0", "pkg", NOW);
	assert_int_equal(ev.acceptable, 0);
	assert_true(msg_has(&ev, "license.not-acceptable",
			    "GPL-2.0-or-later WITH Classpath-exception-2.0 is denied by the policy"));
	rv_license_eval_release(&ev);
	/* an OR can still choose another branch */
	check_eval(&lp, "MIT OR Zlib", "pkg", 1, 1, "MIT OR Zlib");
	/* allow: acceptable without any category, and over not-allowed */
	rv_license_eval(&ev, &lp, "LicenseRef-Ok", NULL, NOW);
	assert_int_equal(ev.acceptable, 1);
	assert_true(msg_has(&ev, "license.ok", "LicenseRef-Ok (allowed by the policy)"));
	rv_license_eval_release(&ev);
	check_eval(&lp, "SSPL-1.0", NULL, 1, 1, "SSPL-1.0");
	rv_licpolicy_release(&lp);
}

static void test_accept_for(void **state)
{
	struct rv_licpolicy lp;
	struct rv_license_eval ev;

	(void)state;
	std_policy(&lp);
	lp.accept_for = calloc(2, sizeof(*lp.accept_for));
	assert_non_null(lp.accept_for);
	lp.accept_for[0].packages = strv("*-doc", "*-docs", NULL);
	lp.accept_for[0].npackages = 2;
	lp.accept_for[0].cats = RV_CAT_DOCUMENTATION;
	lp.accept_for[1].packages = strv("*-fonts", NULL);
	lp.accept_for[1].npackages = 1;
	lp.accept_for[1].cats = RV_CAT_FONTS;
	lp.naccept_for = 2;

	check_eval(&lp, "CC-BY-SA-4.0", "foo-doc", 1, 1, "CC-BY-SA-4.0");
	check_eval(&lp, "CC-BY-SA-4.0", "foo-docs", 1, 1, "CC-BY-SA-4.0");
	check_eval(&lp, "CC-BY-SA-4.0", "foo-doc-extra", 1, 0, "CC-BY-SA-4.0");
	check_eval(&lp, "CC-BY-SA-4.0", "foo", 1, 0, "CC-BY-SA-4.0");
	check_eval(&lp, "CC-BY-SA-4.0", NULL, 1, 0, "CC-BY-SA-4.0");
	check_eval(&lp, "OFL-1.1", "dejavu-fonts", 1, 1, "OFL-1.1");
	check_eval(&lp, "OFL-1.1", "foo-doc", 1, 0, "OFL-1.1");
	/* accept-for adds to the categories every package accepts */
	check_eval(&lp, "MIT AND OFL-1.1", "dejavu-fonts", 1, 1, "MIT AND OFL-1.1");
	check_eval(&lp, "SSPL-1.0", "x-fonts", 1, 0, "SSPL-1.0");

	rv_license_eval(&ev, &lp, "OFL-1.1", "foo-doc", NOW);
	assert_true(msg_has(&ev, "license.not-acceptable",
			    "OFL-1.1 is allowed-fonts: not acceptable for foo-doc (accepts allowed, allowed-documentation)"));
	rv_license_eval_release(&ev);
	rv_license_eval(&ev, &lp, "CC-BY-SA-4.0", NULL, NOW);
	assert_true(msg_has(&ev, "license.not-acceptable",
			    "CC-BY-SA-4.0 is allowed-content, allowed-documentation: not acceptable for code"));
	rv_license_eval_release(&ev);
	rv_license_eval(&ev, &lp, "CC-BY-SA-4.0", "a-doc", NOW);
	assert_true(msg_has(&ev, "license.ok", "CC-BY-SA-4.0 (allowed-documentation)"));
	rv_license_eval_release(&ev);
	rv_licpolicy_release(&lp);
}

static void test_no_data(void **state)
{
	struct rv_licpolicy lp;
	struct rv_license_eval ev;

	(void)state;
	rv_licpolicy_init(&lp);
	assert_int_equal(lp.accept, RV_CAT_ALLOWED);
	assert_int_equal(lp.deprecated_sev, RV_SEV_WARNING);
	assert_int_equal(lp.case_sev, RV_SEV_WARNING);
	rv_license_eval(&ev, &lp, "MIT", NULL, NOW);
	assert_int_equal(ev.spdx, 1);
	assert_int_equal(ev.acceptable, 0);
	assert_true(msg_has(&ev, "license.not-acceptable", "the policy has no license data"));
	rv_license_eval_release(&ev);
	rv_licpolicy_release(&lp);
	/* release twice is harmless */
	rv_licpolicy_release(&lp);
}

static void test_category_names(void **state)
{
	static const char *const names[] = {
		"allowed", "allowed-content", "allowed-documentation", "allowed-fonts",
		"allowed-firmware", "not-allowed",
	};
	static const unsigned bits[] = {
		RV_CAT_ALLOWED, RV_CAT_CONTENT, RV_CAT_DOCUMENTATION, RV_CAT_FONTS,
		RV_CAT_FIRMWARE, RV_CAT_NOT_ALLOWED,
	};
	char buf[256], small[12];
	unsigned all = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		unsigned bit = rv_category_bit(names[i]);
		assert_int_equal(bit, bits[i]);
		assert_string_equal(rv_category_names(bit, buf, sizeof(buf)), names[i]);
		all |= bit;
	}
	assert_ptr_equal(rv_category_names(all, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "allowed, allowed-content, allowed-documentation, "
				 "allowed-fonts, allowed-firmware, not-allowed");
	assert_string_equal(rv_category_names(RV_CAT_FONTS | RV_CAT_ALLOWED, buf, sizeof(buf)),
			    "allowed, allowed-fonts");
	assert_string_equal(rv_category_names(0, buf, sizeof(buf)), "");
	/* bits beyond the known ones are ignored */
	assert_string_equal(rv_category_names(RV_LICMAP_AMBIGUOUS | RV_CAT_CONTENT, buf,
					      sizeof(buf)), "allowed-content");
	/* a small buffer is truncated, still terminated */
	rv_category_names(all, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_memory_equal(small, "allowed, al", sizeof(small));

	assert_int_equal(rv_category_bit("Allowed"), 0);
	assert_int_equal(rv_category_bit("allowed "), 0);
	assert_int_equal(rv_category_bit(""), 0);
	assert_int_equal(rv_category_bit("fonts"), 0);
	assert_int_equal(rv_category_bit(NULL), 0);
}

static void test_severities(void **state)
{
	struct rv_licpolicy lp;
	struct rv_license_eval ev;
	const struct rv_finding *f;

	(void)state;
	std_policy(&lp);
	lp.deprecated_sev = RV_SEV_ERROR;
	lp.case_sev = RV_SEV_ERROR;
	rv_license_eval(&ev, &lp, "GPL-2.0+", NULL, NOW);
	/* still valid and acceptable, but the finding is an error now */
	assert_int_equal(ev.spdx, 1);
	assert_int_equal(ev.acceptable, 1);
	f = finding(&ev, "license.deprecated");
	assert_non_null(f);
	assert_int_equal(f->severity, RV_SEV_ERROR);
	rv_license_eval_release(&ev);
	rv_license_eval(&ev, &lp, "mit", NULL, NOW);
	f = finding(&ev, "license.id-case");
	assert_non_null(f);
	assert_int_equal(f->severity, RV_SEV_ERROR);
	assert_int_equal(ev.acceptable, 1);
	rv_license_eval_release(&ev);
	/* a deprecated exception id follows the same severity */
	rv_license_eval(&ev, &lp, "GPL-2.0-or-later WITH Nokia-Qt-exception-1.1", NULL, NOW);
	f = finding(&ev, "license.deprecated");
	assert_non_null(f);
	assert_int_equal(f->severity, RV_SEV_ERROR);
	rv_license_eval_release(&ev);

	/* an SPDX 3.0 addition: the policy's severity decides the verdict, never spdx */
	lp.addition_sev = RV_SEV_ERROR;
	rv_license_eval(&ev, &lp, "MIT WITH AdditionRef-x", NULL, NOW);
	assert_int_equal(finding(&ev, "license.spdx3-addition")->severity, RV_SEV_ERROR);
	assert_int_equal(ev.spdx, 0);
	assert_true(has_error(&ev));
	rv_license_eval_release(&ev);
	lp.addition_sev = RV_SEV_INFO;
	rv_license_eval(&ev, &lp, "MIT WITH AdditionRef-x", NULL, NOW);
	assert_int_equal(finding(&ev, "license.spdx3-addition")->severity, RV_SEV_INFO);
	assert_int_equal(ev.spdx, 0);
	assert_int_equal(ev.acceptable, 1);
	assert_false(has_error(&ev));
	rv_license_eval_release(&ev);

	lp.deprecated_sev = RV_SEV_INFO;
	lp.case_sev = RV_SEV_INFO;
	rv_license_eval(&ev, &lp, "gpl-2.0+", NULL, NOW);
	assert_int_equal(finding(&ev, "license.deprecated")->severity, RV_SEV_INFO);
	assert_int_equal(finding(&ev, "license.id-case")->severity, RV_SEV_INFO);
	assert_false(has_error(&ev));
	rv_license_eval_release(&ev);
	rv_licpolicy_release(&lp);
}

/* ---- fuzz ------------------------------------------------------------------ */

static uint64_t rng_state;

static uint32_t rng(void)
{
	/* xorshift64*: deterministic, the same strings on every run */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static const char *const fuzz_tokens[] = {
	"MIT", "AND", "or", "(", ")", "WITH", "+", "Classpath-exception-2.0", "LicenseRef-x",
	"DocumentRef-a:", ":", " ", "\t", "GPLv2+",
	/* a few more: upper-case OR, lower-case with, spaced operators, a deprecated id */
	" OR ", " AND ", "with", "GPL-2.0", "Apache-2.0",
};

/* The codes that make an expression invalid SPDX. */
static int invalid_code(const char *code)
{
	return !strcmp(code, "license.syntax") || !strcmp(code, "license.unknown-id") ||
	       !strcmp(code, "license.unknown-exception") || !strcmp(code, "license.legacy") ||
	       !strcmp(code, "license.operator-case") || !strcmp(code, "license.spdx3-addition");
}

static void fuzz_check(const struct rv_licpolicy *lp, const char *expr, const char *package,
		       size_t *nvalid)
{
	struct rv_license_eval ev, again;
	size_t i, ninvalid = 0;

	rv_license_eval(&ev, lp, expr, package, NOW);
	for (i = 0; i < ev.nfindings; i++) {
		assert_non_null(ev.findings[i].message);
		assert_string_equal(ev.findings[i].check, "license");
		ninvalid += invalid_code(ev.findings[i].code);
	}
	/* spdx exactly when no finding says otherwise */
	if (ev.spdx != (ninvalid == 0))
		print_error("'%s': spdx %d with %zu invalidating findings\n", expr, ev.spdx,
			    ninvalid);
	assert_int_equal(ev.spdx, ninvalid == 0);
	if (ev.spdx) {
		(*nvalid)++;
		if (!ev.canonical)
			print_error("'%s': spdx without canonical\n", expr);
		assert_non_null(ev.canonical);
		rv_license_eval(&again, lp, ev.canonical, package, NOW);
		if (!again.spdx || !again.canonical || strcmp(again.canonical, ev.canonical))
			print_error("'%s' -> '%s' -> spdx %d '%s'\n", expr, ev.canonical,
				    again.spdx, again.canonical ? again.canonical : "(null)");
		assert_int_equal(again.spdx, 1);
		assert_non_null(again.canonical);
		assert_string_equal(again.canonical, ev.canonical);
		/* the canonical form means the same */
		assert_int_equal(again.acceptable, ev.acceptable);
		rv_license_eval_release(&again);
	}
	rv_license_eval_release(&ev);
}

/* Append a token to buf (of size cap) at *n; 0 when it does not fit. */
static int put(char *buf, size_t cap, size_t *n, const char *t)
{
	size_t len = strlen(t);

	if (*n + len + 1 >= cap)
		return 0;
	memcpy(buf + *n, t, len);
	*n += len;
	buf[*n] = '\0';
	return 1;
}

/* Any tokens in any order, mostly separated by a space. */
static void fuzz_random(char *buf, size_t cap)
{
	const size_t ntok = sizeof(fuzz_tokens) / sizeof(fuzz_tokens[0]);
	size_t n = 0, k, ntoks = 1 + rng() % 16;

	buf[0] = '\0';
	for (k = 0; k < ntoks; k++)
		if (!put(buf, cap, &n, fuzz_tokens[rng() % ntok]) ||
		    (rng() % 3 && !put(buf, cap, &n, " ")))
			break;
}

/*
 * The same tokens, arranged as operand (operator operand)* with parentheses,
 * so that many strings are valid; now and then a token is replaced by any token.
 */
static void fuzz_shaped(char *buf, size_t cap, int depth)
{
	static const char *const operands[] = {
		"MIT", "LicenseRef-x", "DocumentRef-a:LicenseRef-x", "GPL-2.0", "Apache-2.0",
	};
	const size_t ntok = sizeof(fuzz_tokens) / sizeof(fuzz_tokens[0]);
	size_t n = strlen(buf), k, nops = rng() % 4;

	for (k = 0; k <= nops; k++) {
		if (k && !put(buf, cap, &n, rng() % 2 ? " AND " : " OR "))
			return;
		if (rng() % 12 == 0) {
			if (!put(buf, cap, &n, fuzz_tokens[rng() % ntok]))
				return;
		} else if (depth < 4 && rng() % 4 == 0) {
			if (!put(buf, cap, &n, "("))
				return;
			fuzz_shaped(buf, cap, depth + 1);
			n = strlen(buf);
			if (!put(buf, cap, &n, ")"))
				return;
		} else {
			if (!put(buf, cap, &n, operands[rng() % (sizeof(operands) / sizeof(operands[0]))]))
				return;
			if (rng() % 5 == 0 && !put(buf, cap, &n, "+"))
				return;
			if (rng() % 5 == 0 && !put(buf, cap, &n, " WITH Classpath-exception-2.0"))
				return;
		}
	}
}

static void test_fuzz(void **state)
{
	struct rv_licpolicy lp;
	char buf[1024];
	size_t iter, nvalid = 0;

	(void)state;
	std_policy(&lp);
	rv_licmap_set(&lp.legacy, "GPLv2+", 0, "GPL-2.0-or-later");
	rv_licmap_set(&lp.legacy, "MIT", 0, "MIT");
	rv_licmap_sort(&lp.legacy);
	add_exception(&lp, "pkg-*", "LicenseRef-x", "fuzz", (int64_t)NOW);
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (iter = 0; iter < 6000; iter++) {
		if (iter % 2) {
			fuzz_random(buf, sizeof(buf));
		} else {
			buf[0] = '\0';
			fuzz_shaped(buf, sizeof(buf), 0);
		}
		fuzz_check(&lp, buf, iter % 3 ? "pkg-a" : NULL, &nvalid);
	}
	/* the generator reaches valid expressions, or the idempotency test says nothing */
	assert_true(nvalid > 1000);
	rv_licpolicy_release(&lp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_canonical_parentheses),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_case_insensitive_ids),
		cmocka_unit_test(test_category_fallbacks),
		cmocka_unit_test(test_licmap_sort),
		cmocka_unit_test(test_legacy_suggestion),
		cmocka_unit_test(test_spdx23_strictness),
		cmocka_unit_test(test_exceptions),
		cmocka_unit_test(test_deny_wins),
		cmocka_unit_test(test_accept_for),
		cmocka_unit_test(test_no_data),
		cmocka_unit_test(test_category_names),
		cmocka_unit_test(test_severities),
		cmocka_unit_test(test_fuzz),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
