/* SPDX-License-Identifier: MIT */
/* Tests sig's one parser of librpm's log text, on the messages librpm 4.18 really writes. */
#include "tap.h"

#include "pkg-rpm.h"
#include "sig.h"

#include <rpm/rpmts.h>

/* as rpmReadPackageFile logs them (captured from the fixtures) */
static const char tampered[] =
	"Header V4 RSA/SHA512 Signature, key ID eaa214e8: BAD\n"
	"Header SHA256 digest: BAD (Expected dc1d47286b233ef3697518c7ef2b079b1de77561f1b2529c270bd177357b5512 != 53d93cd51a27a5fce9acdceb7a270023c8100f63072b9827ba378b63b3598e5a)\n"
	"Header SHA1 digest: BAD (Expected 3a731d74fa9816d8204ba33491cbbd340d10146d != 232112aa1f2b694e78b177323bbb0022914c7691)";
static const char truncated[] =
	"/srv/in/header-truncated.src.rpm: signature hdr blob(4388): BAD, read returned 0";
static const char nokey[] = "Header V4 RSA/SHA512 Signature, key ID 652f0222: NOKEY";

static void test_tampered(void **state)
{
	struct rv_rpmlog l;

	(void)state;
	rv_sig_parse_log(tampered, &l);
	assert_false(l.io);
	assert_false(l.truncated);
	assert_true(l.sig_bad);
	assert_string_equal(l.sig_line, "Header V4 RSA/SHA512 Signature, key ID eaa214e8: BAD");
	assert_true(l.digest_bad);
	assert_string_equal(l.digest_line,
			    "Header SHA256 digest: BAD (Expected dc1d47286b233ef3697518c7ef2b079b1de77561f1b2529c270bd177357b5512 != 53d93cd51a27a5fce9acdceb7a270023c8100f63072b9827ba378b63b3598e5a)");
}

static void test_others(void **state)
{
	struct rv_rpmlog l;

	(void)state;
	rv_sig_parse_log(truncated, &l);
	assert_true(l.truncated);
	assert_false(l.io || l.sig_bad || l.digest_bad);
	assert_string_equal(l.sig_line, "");
	rv_sig_parse_log(nokey, &l);
	assert_false(l.sig_bad || l.truncated || l.io);
	assert_string_equal(l.sig_line, nokey);
	/* our own message for a file that could not be read is never "truncated" */
	rv_sig_parse_log("cannot read '/x.rpm': Input/output error, read returned 0", &l);
	assert_true(l.io);
	assert_false(l.truncated);
	rv_sig_parse_log(NULL, &l);
	assert_false(l.io || l.truncated || l.sig_bad || l.digest_bad);
	assert_string_equal(l.digest_line, "");
}

/* The same parser on what librpm logs while this build reads the fixtures. */
static void test_live(void **state)
{
	struct rv_ctx *ctx = NULL;
	struct rv_pkg *p = NULL;
	struct rv_rpmlog l;
	char *path = tap_fixture("srpms/header-tampered.src.rpm");
	rpmts ts;

	(void)state;
	assert_int_equal(rv_ctx_new(&ctx, NULL, NULL, NULL), 0);
	ts = rpmtsCreate();
	assert_int_equal(rv_pkg_open(&p, path, NULL), 0);
	assert_int_equal(rv_pkg_read(p, ts, 0), RPMRC_FAIL);
	rv_sig_parse_log(p->log, &l);
	assert_true(l.sig_bad);
	assert_true(l.digest_bad);
	assert_non_null(strstr(l.digest_line, "Expected "));
	rv_pkg_free(p);
	free(path);
	path = tap_fixture("srpms/header-truncated.src.rpm");
	assert_int_equal(rv_pkg_open(&p, path, NULL), 0);
	assert_int_not_equal(rv_pkg_read(p, ts, 0), RPMRC_OK);
	rv_sig_parse_log(p->log, &l);
	assert_true(l.truncated);
	rv_pkg_free(p);
	free(path);
	rpmtsFree(ts);
	rv_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_live),
	};

	tap_require_fixtures();
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
