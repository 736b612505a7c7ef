/* SPDX-License-Identifier: MIT */
/* The metalink parser (filelists.c, libxml2's one module): fields, order, and what it refuses. */
#include "tap.h"

#include "rpmvet.h"
#include "error.h"
#include "filelists.h"

static const char head[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	"<metalink version=\"3.0\" xmlns=\"http://www.metalinker.org/\" "
	"xmlns:mm0=\"http://fedorahosted.org/mirrormanager\">\n<files>\n";

static int parse(struct rv_metalink *m, const char *body, char **msg)
{
	char *doc = tap_fmt("%s%s", head, body);
	struct rv_error *err = NULL;
	int rc = rv_metalink_parse(m, doc, strlen(doc), "ml.xml", &err);

	*msg = rc ? rv_error_string(err) : NULL;
	rv_error_free(err);
	free(doc);
	return rc;
}

static void test_fields(void **state)
{
	struct rv_metalink m;
	char *msg;

	(void)state;
	assert_int_equal(parse(&m,
		"<file name=\"repomd.xml\"><mm0:timestamp> 1700000000 </mm0:timestamp><size>2621</size>"
		"<verification><hash type=\"md5\">f76409f67a84bcd516131d5cc98e57e1</hash>"
		"<hash type=\"SHA256\">BEF5D33DC68F47ADC7B31DF448851B1E9E6BAE27840F28700FFF144881482A6A</hash>"
		"</verification><resources>"
		"<url protocol=\"https\" preference=\"10\">https://c/repodata/repomd.xml</url>"
		"<url protocol=\"https\" preference=\"100\">https://a/repodata/repomd.xml</url>"
		"<url protocol=\"https\" preference=\"10\">https://d/repodata/repomd.xml</url>"
		"<url protocol=\"https\" preference=\"50\">https://b/repodata/repomd.xml</url>"
		"</resources></file><file name=\"other\"><size>1</size></file></files></metalink>", &msg), 0);
	assert_int_equal(m.timestamp, 1700000000);
	assert_int_equal(m.size, 2621);
	assert_string_equal(m.sha256, "bef5d33dc68f47adc7b31df448851b1e9e6bae27840f28700fff144881482a6a");
	assert_string_equal(m.sha512, "");
	assert_int_equal(m.nurls, 4);
	/* by preference, the document's order among equals */
	assert_string_equal(m.urls[0], "https://a/repodata/repomd.xml");
	assert_string_equal(m.urls[1], "https://b/repodata/repomd.xml");
	assert_string_equal(m.urls[2], "https://c/repodata/repomd.xml");
	assert_string_equal(m.urls[3], "https://d/repodata/repomd.xml");
	rv_metalink_release(&m);
}

static void test_refused(void **state)
{
	static const struct { const char *body, *msg; } cases[] = {
		{ "<file name=\"repomd.xml\"><size>12", "'ml.xml' is not well-formed XML: line " },
		{ "<file name=\"repomd.xml\"><size>x1</size></file></files></metalink>",
		  "<size>x1</size> is not a number" },
		{ "<file name=\"repomd.xml\"><verification><hash type=\"sha256\">abc</hash>"
		  "</verification></file></files></metalink>", "its sha256 hash 'abc' is not 64 hex digits" },
		{ "</files></metalink>", "it lists no file" },
		{ "<file name=\"other.xml\"><size>1</size></file></files></metalink>",
		  "it does not describe repomd.xml" },
	};
	struct rv_metalink m;
	struct rv_error *err = NULL;
	size_t i;
	char *msg;
	const char *dtd = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY a \"x\">]><m>&a;</m>";

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(&m, cases[i].body, &msg), RV_EIO);
		if (!strstr(msg, cases[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, msg, cases[i].msg);
		free(msg);
	}
	assert_int_equal(rv_metalink_parse(&m, dtd, strlen(dtd), "d.xml", &err), RV_EIO);
	msg = rv_error_string(err);
	assert_string_equal(msg, "'d.xml' declares a document type (refused: entities)");
	free(msg);
	rv_error_free(err);
	err = NULL;
	assert_int_equal(rv_metalink_parse(&m, head, RV_METALINK_MAX + 1, "big.xml", &err), RV_EIO);
	rv_error_free(err);
}

/* librepo's real metalinks, from ../shared/data, when they are there. */
static void test_librepo(void **state)
{
	static const char dir[] = "../shared/data/librepo-repos/metalink/";
	struct rv_metalink m;
	struct rv_error *err = NULL;
	char *path, *buf;
	size_t len = 0;

	(void)state;
	path = tap_fmt("%sgood_01.xml", dir);
	if (access(path, R_OK)) {
		printf("# %s is not present: nothing checked\n", path);
		free(path);
		return;
	}
	buf = tap_read_file(path, &len);
	assert_int_equal(rv_metalink_parse(&m, buf, len, path, &err), 0);
	assert_int_equal(m.timestamp, 1347459931);
	assert_int_equal(m.size, 2621);
	assert_string_equal(m.sha256, "bef5d33dc68f47adc7b31df448851b1e9e6bae27840f28700fff144881482a6a");
	assert_int_equal(strlen(m.sha512), 128);
	assert_int_equal(m.nurls, 1);
	assert_non_null(strstr(m.urls[0], "/yum/static/01/repodata/repomd.xml"));
	rv_metalink_release(&m);
	free(buf);
	free(path);
	/* sha1 only: parsed, with no hash kept (upstream.c refuses it) */
	path = tap_fmt("%sbadchecksum.xml", dir);
	buf = tap_read_file(path, &len);
	assert_int_equal(rv_metalink_parse(&m, buf, len, path, &err), 0);
	assert_string_equal(m.sha256, "");
	assert_string_equal(m.sha512, "");
	rv_metalink_release(&m);
	free(buf);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_librepo),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
