/* SPDX-License-Identifier: MIT */
/* Tests the pkg module: layout states, the raw signature header, reading and hashing. */
#include "tap.h"

#include "error.h"
#include "pkg-rpm.h"
#include "facts.h"
#include "util.h"

#include <fcntl.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmts.h>
#include <rpm/rpmcrypto.h>

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

/* What the embedded-file reader saw: name, size, SHA-256 of the bytes read. */
struct seen {
	char name[8][128];
	uint64_t size[8];
	char sha[8][65];
	size_t n, stop_after;
	ssize_t chunk;              /* read this many bytes at a time */
	struct rv_error *err;       /* a read's error */
};

static int collect(struct rv_embedded *e, void *data)
{
	struct seen *s = data;
	DIGEST_CTX d = rpmDigestInit(RPM_HASH_SHA256, RPMDIGEST_NONE);
	struct rv_error *err = NULL;
	uint8_t buf[4096];
	char *hex = NULL;
	uint64_t total = 0;
	ssize_t n;

	assert_true(s->n < 8);
	while ((n = rv_embedded_read(e, buf, (size_t)s->chunk, &err)) > 0) {
		assert_true(n <= s->chunk);
		rpmDigestUpdate(d, buf, (size_t)n);
		total += (uint64_t)n;
	}
	rpmDigestFinal(d, (void **)&hex, NULL, 1);
	if (n < 0) {
		free(hex);
		rv_error_free(s->err);
		s->err = err;
		return (int)n;
	}
	assert_int_equal(total, rv_embedded_size(e));
	snprintf(s->name[s->n], sizeof(s->name[0]), "%s", rv_embedded_name(e));
	s->size[s->n] = rv_embedded_size(e);
	snprintf(s->sha[s->n], sizeof(s->sha[0]), "%s", hex);
	free(hex);
	s->n++;
	return s->stop_after && s->n == s->stop_after ? 7 : 0;
}

static const struct rv_file *fact_file(const struct rv_facts *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfiles; i++)
		if (!strcmp(f->files[i].path, name))
			return &f->files[i];
	return NULL;
}

/* hello's Source0, Patch0 and spec: names, sizes and bytes equal to the header's digests. */
static void test_embedded_hello(void **state)
{
	struct seen s = { .chunk = 1000 };
	struct rv_error *err = NULL;
	struct rv_pkg *p = open_ok("srpms/rsa.src.rpm");
	struct rv_facts *f;
	char *path = tap_fixture("srpms/rsa.src.rpm");
	size_t i, hits = 0;

	(void)state;
	assert_int_equal(rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES), RPMRC_OK);
	f = rv_pkg_facts(p);
	assert_int_equal(rv_pkg_embedded_each(path, collect, &s, &err), 0);
	assert_null(err);
	assert_int_equal(s.n, f->nfiles);
	for (i = 0; i < s.n; i++) {
		const struct rv_file *h = fact_file(f, s.name[i]);
		assert_non_null(h);
		assert_int_equal(s.size[i], h->size);
		assert_int_equal(h->digest_algo, RPM_HASH_SHA256);
		assert_string_equal(s.sha[i], h->digest);
		hits += !strcmp(s.name[i], "hello-1.0.tar.gz") || !strcmp(s.name[i], "hello-fix.patch") ||
			!strcmp(s.name[i], "hello.spec");
	}
	assert_int_equal(hits, 3);
	/* the same over the open package, in one-byte reads */
	memset(&s, 0, sizeof(s));
	s.chunk = 1;
	assert_int_equal(rv_pkg_embedded_each_open(p, collect, &s, &err), 0);
	assert_int_equal(s.n, f->nfiles);
	/* a callback's stop is returned */
	memset(&s, 0, sizeof(s));
	s.chunk = 4096;
	s.stop_after = 1;
	assert_int_equal(rv_pkg_embedded_each(path, collect, &s, &err), 7);
	assert_int_equal(s.n, 1);
	rv_facts_free(f);
	rv_pkg_free(p);
	free(path);
}

/* Not an RPM, a truncated one: an error naming the file, never a hang or a short file. */
static void test_embedded_bad(void **state)
{
	static const char *const bad[] = { "srpms/garbage.src.rpm", "srpms/empty.src.rpm",
					   "srpms/header-truncated.src.rpm" };
	struct rv_error *err = NULL;
	struct seen s = { .chunk = 4096 };
	size_t i, len = 0;
	char *src = tap_fixture("srpms/rsa.src.rpm"), *data = tap_read_file(src, &len);
	char *cut = tap_fmt("%s/cut.src.rpm", tmp), *missing = tap_fmt("%s/none.src.rpm", tmp);
	struct rv_pkg *p = open_ok("srpms/rsa.src.rpm");
	off_t at;

	(void)state;
	for (i = 0; i < RV_ARRAY_SIZE(bad); i++) {
		char *path = tap_fixture(bad[i]);
		assert_int_equal(rv_pkg_embedded_each(path, collect, &s, &err), RV_EFORMAT);
		assert_non_null(strstr(err->msg, path));
		rv_error_free(err);
		err = NULL;
		free(path);
	}
	assert_int_equal(rv_pkg_embedded_each(missing, collect, &s, &err), RV_ENOTFOUND);
	rv_error_free(err);
	err = NULL;
	/* cut the payload at several points: every cut is an error */
	assert_int_equal(rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES), RPMRC_OK);
	for (at = p->payload_start + 20; at < (off_t)len - 8; at += ((off_t)len - p->payload_start) / 7) {
		int rc;
		assert_int_equal(tap_write_file(cut, data, (size_t)at), 0);
		memset(&s, 0, sizeof(s));
		s.chunk = 4096;
		rc = rv_pkg_embedded_each(cut, collect, &s, &err);
		if (rc >= 0)
			fail_msg("a payload cut at %lld of %zu read as %d files", (long long)at, len, (int)s.n);
		assert_true(err || s.err);
		rv_error_free(err);
		rv_error_free(s.err);
		err = NULL;
	}
	rv_pkg_free(p);
	free(cut);
	free(missing);
	free(data);
	free(src);
}

/*
 * The header claims a first file far larger than the payload (librpm reads a
 * file as long as the header says, whatever its cpio entry claims): an
 * error, not a hang.
 */
static void test_embedded_oversize(void **state)
{
	struct rv_error *err = NULL;
	struct seen s = { .chunk = 4096 };
	char *src = tap_fixture("srpms/rsa.src.rpm");
	char *big = tap_fmt("%s/big.src.rpm", tmp);
	char *cmd;
	int rc;

	(void)state;
	/* FILESIZES (1028) is an INT32 array in the main header */
	cmd = tap_fmt("python3 -c '"
		      "import sys, struct\n"
		      "d = bytearray(open(sys.argv[1], \"rb\").read())\n"
		      "il, dl = struct.unpack(\">II\", d[104:112]); h = 112 + 16 * il + dl; h += -h %% 8\n"
		      "il, dl = struct.unpack(\">II\", d[h + 8:h + 16]); store = h + 16 + 16 * il\n"
		      "for i in range(il):\n"
		      "    tag, typ, off, cnt = struct.unpack(\">IIII\", d[h + 16 + 16 * i:h + 32 + 16 * i])\n"
		      "    if tag == 1028: d[store + off:store + off + 4] = struct.pack(\">I\", 0x7fffffff)\n"
		      "open(sys.argv[2], \"wb\").write(d)\n"
		      "' '%s' '%s'", src, big);
	assert_int_equal(system(cmd), 0);
	rc = rv_pkg_embedded_each(big, collect, &s, &err);
	assert_int_equal(rc, RV_EIO);
	assert_null(err); /* the callback's error is its own */
	assert_int_equal(s.n, 0);
	assert_non_null(s.err);
	assert_non_null(strstr(s.err->msg, big));
	assert_non_null(strstr(s.err->msg, "'hello-1.0.tar.gz'"));
	assert_non_null(strstr(s.err->msg, "the payload ends after"));
	rv_error_free(s.err);
	free(cmd);
	free(big);
	free(src);
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
		cmocka_unit_test(test_embedded_hello),
		cmocka_unit_test(test_embedded_bad),
		cmocka_unit_test(test_embedded_oversize),
	};

	tap_require_fixtures();
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
