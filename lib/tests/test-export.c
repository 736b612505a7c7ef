/* SPDX-License-Identifier: MIT */
/*
 * Tests the purl builder (rv_purl_build) and the rpm namespace rules, table
 * driven: the "build" vectors of the purl specification's own tests
 * (../shared/data/purl: rpm-test.json and specification-test.json, each
 * expected purl or expected failure), when that data is present, and our own
 * cases (hostile characters, epoch and distro qualifiers, namespaces).
 */
#include "tap.h"

#include "export.h"

#include <jansson.h>

static const char *data_dir(void)
{
	const char *d = getenv("RPMVET_PURL_DATA");
	return d && *d ? d : "../shared/data/purl";
}

/* one "build" vector: its parts through rv_purl_build, against expected_output */
static int check_vector(json_t *t, const char *file, size_t idx)
{
	json_t *in = json_object_get(t, "input"), *qual = json_object_get(in, "qualifiers"), *v;
	struct rv_purl_qualifier q[16];
	size_t nq = 0;
	const char *k, *want = json_string_value(json_object_get(t, "expected_output"));
	int fail = json_is_true(json_object_get(t, "expected_failure"));
	char *got;

	json_object_foreach(qual, k, v)
		if (nq < 16)
			q[nq++] = (struct rv_purl_qualifier){ k, json_string_value(v) };
	got = rv_purl_build(json_string_value(json_object_get(in, "type")),
			    json_string_value(json_object_get(in, "namespace")),
			    json_string_value(json_object_get(in, "name")),
			    json_string_value(json_object_get(in, "version")), q, nq,
			    json_string_value(json_object_get(in, "subpath")));
	if (fail ? got != NULL : !got || strcmp(got, want)) {
		print_error("%s #%zu (%s): want %s, got %s\n", file, idx,
			    json_string_value(json_object_get(t, "description")),
			    fail ? "a failure" : want, got ? got : "a failure");
		free(got);
		return 1;
	}
	free(got);
	return 0;
}

static void test_spec_vectors(void **state)
{
	static const char *const files[] = { "rpm-test.json", "specification-test.json" };
	size_t f, i, n = 0, bad = 0;
	(void)state;

	for (f = 0; f < 2; f++) {
		char *path = tap_fmt("%s/%s", data_dir(), files[f]);
		json_t *doc = json_load_file(path, 0, NULL), *t;
		free(path);
		if (!doc)
			skip(); /* ../shared/data/purl absent */
		json_array_foreach(json_object_get(doc, "tests"), i, t) {
			const char *type = json_string_value(json_object_get(t, "test_type"));
			if (!type || strcmp(type, "build"))
				continue;
			n++;
			bad += (size_t)check_vector(t, files[f], i);
		}
		json_decref(doc);
	}
	assert_true(n >= 4); /* the rpm vectors and the generic ones were read */
	assert_int_equal(bad, 0);
}

static const struct purl_case {
	const char *ns, *name, *version, *arch, *distro, *epoch, *want;
} cases[] = {
	{ "fedora", "bash", "5.2.26-3.fc43", "src", "fedora-43", "1",
	  "pkg:rpm/fedora/bash@5.2.26-3.fc43?arch=src&distro=fedora-43&epoch=1" },
	{ "fedora", "bash", "5.2.26-3.fc43", "x86_64", NULL, "", "pkg:rpm/fedora/bash@5.2.26-3.fc43?arch=x86_64" },
	{ "repo", "c++lib", "1.0-1.2.3~rc^x", "src", NULL, NULL, "pkg:rpm/repo/c%2B%2Blib@1.0-1.2.3~rc%5Ex?arch=src" },
	{ "repo", "e\"\\\nl/%&", "1-1", "src", NULL, NULL, "pkg:rpm/repo/e%22%5C%0Al%2F%25%26@1-1?arch=src" },
	{ "repo", "na me", "1-1", "noarch", "a b&c=d", NULL, "pkg:rpm/repo/na%20me@1-1?arch=noarch&distro=a%20b%26c%3Dd" },
	{ NULL, "x", NULL, NULL, NULL, NULL, "pkg:rpm/x" },
};

static void test_rpm_purls(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct purl_case *c = &cases[i];
		struct rv_purl_qualifier q[] = { { "epoch", c->epoch }, { "distro", c->distro }, { "arch", c->arch } };
		char *got = rv_purl_build("rpm", c->ns, c->name, c->version, q, 3, NULL);
		assert_non_null(got);
		assert_string_equal(got, c->want);
		free(got);
	}
	/* what the spec forbids */
	assert_null(rv_purl_build(NULL, NULL, "x", NULL, NULL, 0, NULL));
	assert_null(rv_purl_build("rpm", NULL, "", NULL, NULL, 0, NULL));
	assert_null(rv_purl_build("rpm", NULL, "x", NULL, (struct rv_purl_qualifier[]){ { "in production", "1" } }, 1, NULL));
	assert_null(rv_purl_build("rpm", NULL, "x", NULL,
				  (struct rv_purl_qualifier[]){ { "arch", "a" }, { "ARCH", "b" } }, 2, NULL));
}

static void test_namespaces(void **state)
{
	(void)state;
	assert_string_equal(rv_purl_rpm_namespace("mine", "Fedora Project", "1.fc43"), "mine");
	assert_string_equal(rv_purl_rpm_namespace(NULL, "Fedora Project", "1"), "fedora");
	assert_string_equal(rv_purl_rpm_namespace(NULL, "Red Hat, Inc.", "1.el9"), "redhat");
	assert_string_equal(rv_purl_rpm_namespace(NULL, "AlmaLinux", "1.el9"), "almalinux");
	assert_string_equal(rv_purl_rpm_namespace(NULL, "CentOS", "1.el9"), "centos");
	assert_string_equal(rv_purl_rpm_namespace(NULL, "openSUSE", "1.1"), "opensuse");
	assert_string_equal(rv_purl_rpm_namespace(NULL, "SUSE LLC", "1.1"), "suse");
	assert_string_equal(rv_purl_rpm_namespace(NULL, "Someone", "3.fc43"), "fedora");
	assert_null(rv_purl_rpm_namespace(NULL, "Someone", "3.fcx"));
	assert_null(rv_purl_rpm_namespace(NULL, NULL, "1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_vectors),
		cmocka_unit_test(test_rpm_purls),
		cmocka_unit_test(test_namespaces),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
