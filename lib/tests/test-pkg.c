/* SPDX-License-Identifier: MIT */
/* Tests the pkg module: layout states, the raw signature header, reading and hashing. */
#include "tap.h"

#include "error.h"
#include "pkg-rpm.h"

#include <fcntl.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmts.h>

#define SIGTAG_RSA 268          /* RPMSIGTAG_RSA: the RSA header signature */
#define SIGTAG_SHA256 273       /* RPMSIGTAG_SHA256: the header SHA-256 */
#define PAYLOAD_SHA256 8        /* PGPHASHALGO_SHA256 */

static struct rv_ctx *ctx;
static rpmts ts;
static char *tmp;

static int group_setup(void **state)
{
	(void)state;
	if (rv_ctx_new(&ctx, NULL, NULL, NULL))
		return -1;
	ts = rpmtsCreate();
	tmp = tap_tmpdir();
	return ts ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	rpmtsFree(ts);
	rv_ctx_free(ctx);
	tap_rmtree(tmp);
	free(tmp);
	return 0;
}

static struct rv_pkg *open_ok(const char *rel)
{
	struct rv_error *err = NULL;
	struct rv_pkg *p = NULL;
	char *path = tap_fixture(rel);
	int rc = rv_pkg_open(&p, path, &err);

	if (rc)
		fail_msg("rv_pkg_open(%s): %d: %s", rel, rc, err ? err->msg : "?");
	assert_non_null(p);
	assert_string_equal(p->path, path);
	free(path);
	return p;
}

static void test_open_ok(void **state)
{
	struct rv_pkg *p = open_ok("srpms/rsa.src.rpm");
	struct stat st;
	char *path = tap_fixture("srpms/rsa.src.rpm");

	(void)state;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(p->state, RV_PKG_OK);
	assert_null(p->problem);
	assert_int_equal(p->size, (uint64_t)st.st_size);
	assert_true(p->hdr_start > 96 + 16);
	assert_int_equal(p->hdr_start % 8, 0);
	assert_true((uint64_t)p->hdr_start < p->size);
	assert_true(p->nsigtags > 0);
	assert_int_equal(16 * p->nsigtags + p->sigdl + 96 + 16 <= (size_t)p->hdr_start, 1);
	assert_null(p->h); /* not read yet */
	free(path);
	rv_pkg_free(p);
}

static void test_main_header_magic(void **state)
{
	static const uint8_t magic[4] = { 0x8e, 0xad, 0xe8, 0x01 };
	struct rv_pkg *p = open_ok("rpms/fxlib-1.0-1.noarch.rpm");
	uint8_t *buf = NULL;

	(void)state;
	assert_int_equal(p->state, RV_PKG_OK);
	/* hdr_start points at the main header's magic */
	assert_int_equal(rv_pkg_pread(p, p->hdr_start, 4, &buf, NULL), 0);
	assert_memory_equal(buf, magic, 4);
	free(buf);
	rv_pkg_free(p);
}

static void test_sigtag(void **state)
{
	struct rv_pkg *p = open_ok("srpms/rsa.src.rpm");
	uint32_t type = 0, count = 0;
	size_t len = 0;
	const uint8_t *d;

	(void)state;
	d = rv_pkg_sigtag(p, SIGTAG_RSA, &type, &count, &len);
	assert_non_null(d);
	assert_int_equal(type, RPM_BIN_TYPE);
	assert_true(count > 100);        /* an RSA-3072 signature packet */
	assert_true(len >= count);
	assert_true(d[0] & 0x80);        /* an OpenPGP packet ... */
	assert_true(d[0] == 0x89 || d[0] == 0xc2); /* ... of tag 2, signature */
	assert_true(count <= len && len <= p->sigdl);

	d = rv_pkg_sigtag(p, SIGTAG_SHA256, &type, &count, &len);
	assert_non_null(d);
	assert_int_equal(type, RPM_STRING_TYPE);
	assert_int_equal(strnlen((const char *)d, len), 64);

	assert_null(rv_pkg_sigtag(p, 9999, &type, &count, &len));
	rv_pkg_free(p);

	/* an unsigned package has no RSA signature tag */
	p = open_ok("srpms/unsigned.src.rpm");
	assert_int_equal(p->state, RV_PKG_OK);
	assert_null(rv_pkg_sigtag(p, SIGTAG_RSA, &type, &count, &len));
	assert_non_null(rv_pkg_sigtag(p, SIGTAG_SHA256, &type, &count, &len));
	rv_pkg_free(p);
}

static void test_states(void **state)
{
	static const struct {
		const char *rel;
		enum rv_pkg_state state;
	} cases[] = {
		{ "srpms/garbage.src.rpm", RV_PKG_NOT_RPM },
		{ "srpms/empty.src.rpm", RV_PKG_EMPTY },
		{ "srpms/header-truncated.src.rpm", RV_PKG_TRUNCATED },
		{ "srpms/truncated.src.rpm", RV_PKG_OK },      /* the cut is in the payload */
		{ "srpms/header-tampered.src.rpm", RV_PKG_OK },
		{ "srpms/ed25519.src.rpm", RV_PKG_OK },
		{ "rpms/fxdata-0.5-1.noarch.rpm", RV_PKG_OK },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rv_pkg *p = open_ok(cases[i].rel);
		if (p->state != cases[i].state)
			fail_msg("%s: state %d, expected %d (%s)", cases[i].rel,
				 p->state, cases[i].state, p->problem ? p->problem : "");
		if (cases[i].state == RV_PKG_OK)
			assert_null(p->problem);
		else
			assert_non_null(p->problem);
		rv_pkg_free(p);
	}
}

/* Files cut inside the lead, at the signature header intro, or with a broken magic. */
static void test_states_made_up(void **state)
{
	char *src = tap_fixture("srpms/rsa.src.rpm"), *buf, *path;
	struct rv_pkg *p = NULL;
	size_t len = 0;

	(void)state;
	buf = tap_read_file(src, &len);
	assert_non_null(buf);
	assert_true(len > 200);
	path = tap_fmt("%s/cut.rpm", tmp);

	assert_int_equal(tap_write_file(path, buf, 50), 0); /* inside the lead */
	assert_int_equal(rv_pkg_open(&p, path, NULL), 0);
	assert_int_equal(p->state, RV_PKG_TRUNCATED);
	rv_pkg_free(p);

	assert_int_equal(tap_write_file(path, buf, 100), 0); /* inside the intro */
	assert_int_equal(rv_pkg_open(&p, path, NULL), 0);
	assert_int_equal(p->state, RV_PKG_TRUNCATED);
	rv_pkg_free(p);

	assert_int_equal(tap_write_file(path, buf, 2), 0); /* two magic bytes only */
	assert_int_equal(rv_pkg_open(&p, path, NULL), 0);
	assert_int_equal(p->state, RV_PKG_TRUNCATED);
	rv_pkg_free(p);

	buf[96] ^= 0xff; /* signature header magic */
	assert_int_equal(tap_write_file(path, buf, len), 0);
	assert_int_equal(rv_pkg_open(&p, path, NULL), 0);
	assert_int_equal(p->state, RV_PKG_CORRUPT);
	rv_pkg_free(p);
	buf[96] ^= 0xff;

	memset(buf + 96 + 8, 0xff, 4); /* an absurd index count */
	assert_int_equal(tap_write_file(path, buf, len), 0);
	assert_int_equal(rv_pkg_open(&p, path, NULL), 0);
	assert_int_equal(p->state, RV_PKG_CORRUPT);
	rv_pkg_free(p);

	free(buf);
	free(path);
	free(src);
}

static void test_open_errors(void **state)
{
	struct rv_error *err = NULL;
	struct rv_pkg *p = (struct rv_pkg *)&p; /* sentinel: must be reset */
	char *path = tap_fmt("%s/does-not-exist.rpm", tmp);

	(void)state;
	assert_int_equal(rv_pkg_open(&p, path, &err), RV_ENOTFOUND);
	assert_null(p);
	assert_int_equal(err->code, RV_ENOTFOUND);
	assert_non_null(strstr(err->msg, "does-not-exist.rpm"));
	rv_error_free(err);
	err = NULL;
	free(path);

	p = (struct rv_pkg *)&p;
	assert_int_equal(rv_pkg_open(&p, tmp, &err), RV_EIO);
	assert_null(p);
	assert_int_equal(err->code, RV_EIO);
	assert_non_null(strstr(err->msg, "directory"));
	rv_error_free(err);
	rv_pkg_free(NULL);
}

static void test_read_and_nevra(void **state)
{
	struct rv_pkg *p = open_ok("srpms/rsa.src.rpm");
	char *nevra;
	int src = -1;

	(void)state;
	assert_int_equal(rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES), RPMRC_OK);
	assert_non_null(p->h);
	assert_true(p->payload_start > p->hdr_start);
	assert_true((uint64_t)p->payload_start < p->size);
	nevra = rv_pkg_nevra(p->h, &src);
	assert_string_equal(nevra, "hello-1.0-1.src");
	assert_int_equal(src, 1);
	free(nevra);
	/* is_source may be NULL */
	nevra = rv_pkg_nevra(p->h, NULL);
	assert_string_equal(nevra, "hello-1.0-1.src");
	free(nevra);
	rv_pkg_free(p);

	p = open_ok("rpms/fxlib-1.0-1.noarch.rpm");
	assert_int_equal(rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES), RPMRC_OK);
	nevra = rv_pkg_nevra(p->h, &src);
	assert_string_equal(nevra, "fxlib-1.0-1.noarch");
	assert_int_equal(src, 0);
	free(nevra);
	rv_pkg_free(p);
}

static void test_read_tampered_header(void **state)
{
	struct rv_pkg *p = open_ok("srpms/header-tampered.src.rpm");

	(void)state;
	/* the header digest no longer matches ... */
	assert_int_not_equal(rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES), RPMRC_OK);
	assert_null(p->h);
	assert_non_null(p->log); /* librpm said why, captured, not printed */
	/* ... but without digest checks the header reads */
	assert_int_equal(rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES | RPMVSF_MASK_NODIGESTS),
			 RPMRC_OK);
	assert_non_null(p->h);
	assert_string_equal(headerGetString(p->h, RPMTAG_VENDOR), "Xixture Vendor");
	rv_pkg_free(p);
}

static void test_pread(void **state)
{
	struct rv_pkg *p = open_ok("srpms/rsa.src.rpm");
	static const uint8_t lead[4] = { 0xed, 0xab, 0xee, 0xdb };
	struct rv_error *err = NULL;
	uint8_t *buf = NULL;

	(void)state;
	assert_int_equal(rv_pkg_pread(p, 0, 4, &buf, &err), 0);
	assert_memory_equal(buf, lead, 4);
	free(buf);
	buf = NULL;
	/* the last byte is readable, one more is not */
	assert_int_equal(rv_pkg_pread(p, (off_t)p->size - 1, 1, &buf, NULL), 0);
	free(buf);
	buf = NULL;
	assert_int_equal(rv_pkg_pread(p, (off_t)p->size - 1, 2, &buf, &err), RV_EIO);
	assert_null(buf);
	assert_int_equal(err->code, RV_EIO);
	rv_error_free(err);
	rv_pkg_free(p);
}

/* sha256sum of the bytes of path from offset off (0-based) to the end. */
static void sha256_tail(const char *path, off_t off, char out[65])
{
	char *cmd = tap_fmt("tail -c +%lld '%s' | sha256sum", (long long)off + 1, path);

	assert_int_equal(tap_sha256_cmd(cmd, out), 0);
	free(cmd);
}

static void test_digest_rsa(void **state)
{
	struct rv_pkg *p = open_ok("srpms/rsa.src.rpm");
	char want_file[65], file[65] = "", payload[129] = "";
	const char *want_payload;
	uint64_t nbytes = 0;

	(void)state;
	assert_int_equal(tap_sha256_file(p->path, want_file), 0);
	assert_int_equal(rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES), RPMRC_OK);
	want_payload = headerGetString(p->h, RPMTAG_PAYLOADDIGEST);
	assert_non_null(want_payload);
	assert_int_equal(strlen(want_payload), 64);
	assert_int_equal(headerGetNumber(p->h, RPMTAG_PAYLOADDIGESTALGO), PAYLOAD_SHA256);

	assert_int_equal(rv_pkg_digest(p, PAYLOAD_SHA256, payload, file, &nbytes, NULL), 0);
	assert_string_equal(file, want_file);
	assert_string_equal(payload, want_payload);
	assert_int_equal(nbytes, p->size - (uint64_t)p->payload_start);

	/* without a payload algorithm only the file is hashed */
	memset(file, 0, sizeof(file));
	strcpy(payload, "untouched");
	nbytes = 7;
	assert_int_equal(rv_pkg_digest(p, 0, payload, file, &nbytes, NULL), 0);
	assert_string_equal(file, want_file);
	assert_string_equal(payload, "untouched");
	assert_int_equal(nbytes, 0);
	rv_pkg_free(p);
}

static void test_digest_tampered_payload(void **state)
{
	struct rv_pkg *p = open_ok("srpms/payload-tampered.src.rpm");
	char want_file[65], file[65] = "", payload[129] = "";

	(void)state;
	assert_int_equal(tap_sha256_file(p->path, want_file), 0);
	assert_int_equal(rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES), RPMRC_OK);
	assert_int_equal(rv_pkg_digest(p, PAYLOAD_SHA256, payload, file, NULL, NULL), 0);
	assert_string_equal(file, want_file);
	assert_int_equal(strlen(payload), 64);
	assert_string_not_equal(payload, headerGetString(p->h, RPMTAG_PAYLOADDIGEST));
	rv_pkg_free(p);
}

static char *random_file(const char *name, size_t len)
{
	char *path = tap_fmt("%s/%s", tmp, name), *buf = malloc(len);
	size_t i;
	uint32_t x = 0x12345678u;

	assert_non_null(buf);
	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (char)(x >> 24);
	}
	assert_int_equal(tap_write_file(path, buf, len), 0);
	free(buf);
	return path;
}

static void test_digest_large_not_rpm(void **state)
{
	char *path = random_file("random.bin", 5u << 20), want[65], file[65] = "";
	char payload[129] = "";
	struct rv_pkg *p = NULL;
	uint64_t nbytes = 1;

	(void)state;
	assert_int_equal(tap_sha256_file(path, want), 0);
	assert_int_equal(rv_pkg_open(&p, path, NULL), 0);
	assert_int_equal(p->state, RV_PKG_NOT_RPM);
	assert_int_equal(p->size, 5u << 20);

	assert_int_equal(rv_pkg_digest(p, 0, payload, file, &nbytes, NULL), 0);
	assert_string_equal(file, want);
	assert_int_equal(nbytes, 0);

	/* no header: the payload range is empty, the file hash is unchanged */
	memset(file, 0, sizeof(file));
	nbytes = 1;
	assert_int_equal(rv_pkg_digest(p, PAYLOAD_SHA256, payload, file, &nbytes, NULL), 0);
	assert_string_equal(file, want);
	assert_int_equal(nbytes, 0);
	/* the SHA-256 of nothing */
	assert_string_equal(payload,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	rv_pkg_free(p);
	unlink(path);
	free(path);
}

/*
 * A real package followed by megabytes of bytes: its header reads, and the
 * payload range is large enough for the two hashes to run on two threads.
 */
static void test_digest_large_threaded(void **state)
{
	char *src = tap_fixture("srpms/rsa.src.rpm"), *rnd = random_file("rnd.bin", 3u << 20);
	char *path = tap_fmt("%s/big.src.rpm", tmp), *cmd;
	char want_file[65], want_payload[65], file[65] = "", payload[129] = "";
	struct rv_pkg *p = NULL;
	uint64_t nbytes = 0;

	(void)state;
	cmd = tap_fmt("cat '%s' '%s' > '%s'", src, rnd, path);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(tap_sha256_file(path, want_file), 0);
	assert_int_equal(rv_pkg_open(&p, path, NULL), 0);
	assert_int_equal(p->state, RV_PKG_OK);
	assert_int_equal(rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES), RPMRC_OK);
	assert_true(p->size - (uint64_t)p->payload_start > 2 * (512u << 10));
	sha256_tail(path, p->payload_start, want_payload);

	assert_int_equal(rv_pkg_digest(p, PAYLOAD_SHA256, payload, file, &nbytes, NULL), 0);
	assert_string_equal(file, want_file);
	assert_string_equal(payload, want_payload);
	assert_int_equal(nbytes, p->size - (uint64_t)p->payload_start);
	/* the appended bytes are not the package's payload */
	assert_string_not_equal(payload, headerGetString(p->h, RPMTAG_PAYLOADDIGEST));
	rv_pkg_free(p);
	unlink(path);
	unlink(rnd);
	free(path);
	free(rnd);
	free(src);
}

static void test_digest_empty(void **state)
{
	struct rv_pkg *p = open_ok("srpms/empty.src.rpm");
	char file[65] = "", payload[129] = "";

	(void)state;
	assert_int_equal(p->state, RV_PKG_EMPTY);
	assert_int_equal(rv_pkg_digest(p, PAYLOAD_SHA256, payload, file, NULL, NULL), 0);
	assert_string_equal(file,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	rv_pkg_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_ok),
		cmocka_unit_test(test_main_header_magic),
		cmocka_unit_test(test_sigtag),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_states_made_up),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_read_and_nevra),
		cmocka_unit_test(test_read_tampered_header),
		cmocka_unit_test(test_pread),
		cmocka_unit_test(test_digest_rsa),
		cmocka_unit_test(test_digest_tampered_payload),
		cmocka_unit_test(test_digest_large_not_rpm),
		cmocka_unit_test(test_digest_large_threaded),
		cmocka_unit_test(test_digest_empty),
	};

	tap_require_fixtures();
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
