/* SPDX-License-Identifier: MIT */
/* Tests signature and digest verification (sig, verify) over every fixture package. */
#include "tap.h"

#include "error.h"
#include "report.h"
#include "facts.h"
#include "pkg.h"
#include "sig.h"
#include "stage.h"
#include "util.h"
#include "verify.h"

#include <pthread.h>
#include <time.h>

#define AT_2020 ((time_t)1577880000) /* 2020-01-01T12:00Z: the expired key was valid */
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* One package and what rv_verify must say about it. */
struct vcase {
	const char *rel;          /* under the fixture dir; "@missing", "@dir" */
	enum rv_verdict verdict;
	const char *codes[4];     /* findings that must be present */
	const char *absent[3];    /* findings that must not be */
	const char *signer;       /* fixture key name of the signer, NULL: none in the store */
	const char *keyid_of;     /* key whose id the signature names (when no signer) */
	const char *algorithm, *hash;
	const char *nevra;        /* NULL: the header cannot be read */
	int is_source;
};

#define OK_CODES "signature.ok", "digest.header.ok", "digest.payload.ok"
#define HELLO "hello-1.0-1.src", 1

static struct vcase cases[] = { /* not const: cmocka wants a void * state */
	{ "srpms/rsa.src.rpm", RV_VERDICT_PASS, { OK_CODES }, { 0 }, "rsa", NULL,
	  "RSA", "SHA512", HELLO },
	{ "srpms/ed25519.src.rpm", RV_VERDICT_PASS, { OK_CODES }, { 0 }, "ed25519", NULL,
	  "EdDSA", NULL, HELLO },
	{ "srpms/subkey.src.rpm", RV_VERDICT_PASS, { OK_CODES }, { 0 }, "subkey", NULL,
	  "EdDSA", NULL, HELLO },
	{ "rpms/fxlib-1.0-1.noarch.rpm", RV_VERDICT_PASS, { OK_CODES }, { 0 }, "rsa", NULL,
	  "RSA", "SHA512", "fxlib-1.0-1.noarch", 0 },
	{ "rpms/fxtool-2.1-3.noarch.rpm", RV_VERDICT_PASS, { OK_CODES }, { 0 }, "rsa", NULL,
	  "RSA", "SHA512", "fxtool-2.1-3.noarch", 0 },
	{ "rpms/fxdata-0.5-1.noarch.rpm", RV_VERDICT_PASS, { OK_CODES }, { 0 }, "ed25519", NULL,
	  "EdDSA", NULL, "fxdata-0.5-1.noarch", 0 },
	{ "srpms/unsigned.src.rpm", RV_VERDICT_REJECT,
	  { "signature.missing", "digest.header.ok", "digest.payload.ok" },
	  { "signature.ok" }, NULL, NULL, NULL, NULL, HELLO },
	{ "srpms/otherkey.src.rpm", RV_VERDICT_REJECT,
	  { "signature.nokey", "digest.header.ok", "digest.payload.ok" },
	  { "signature.ok" }, NULL, "other", "RSA", NULL, HELLO },
	{ "srpms/expiredkey.src.rpm", RV_VERDICT_REJECT, { "key.expired", "signature.ok" },
	  { "key.revoked" }, "expired", NULL, "RSA", NULL, HELLO },
	{ "srpms/revokedkey.src.rpm", RV_VERDICT_REJECT, { "key.revoked", "signature.ok" },
	  { "key.expired" }, "revoked", NULL, "RSA", NULL, HELLO },
	{ "srpms/sha1.src.rpm", RV_VERDICT_REJECT, { "crypto.weak-hash", "signature.ok" },
	  { "crypto.weak-key" }, "rsa", NULL, "RSA", "SHA1", HELLO },
	{ "srpms/rsa1024.src.rpm", RV_VERDICT_REJECT, { "crypto.weak-key", "signature.ok" },
	  { "crypto.weak-hash" }, "rsa1024", NULL, "RSA", NULL, HELLO },
	{ "srpms/dsa.src.rpm", RV_VERDICT_REJECT, { "crypto.weak-key", "signature.ok" },
	  { "crypto.weak-hash" }, "dsa", NULL, "DSA", NULL, HELLO },
	{ "srpms/header-tampered.src.rpm", RV_VERDICT_REJECT,
	  { "signature.bad", "digest.header.bad" },
	  { "signature.ok", "digest.header.ok" }, NULL, "rsa", "RSA", NULL, HELLO },
	{ "srpms/payload-tampered.src.rpm", RV_VERDICT_REJECT,
	  { "digest.payload.bad", "signature.ok", "digest.header.ok" },
	  { "digest.payload.ok", "package.truncated" }, "rsa", NULL, "RSA", NULL, HELLO },
	{ "srpms/truncated.src.rpm", RV_VERDICT_REJECT,
	  { "digest.payload.bad", "package.truncated", "signature.ok" },
	  { "digest.payload.ok" }, "rsa", NULL, "RSA", NULL, HELLO },
	{ "srpms/header-truncated.src.rpm", RV_VERDICT_REJECT, { "package.truncated" },
	  { "signature.ok", "digest.payload.ok" }, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "srpms/empty.src.rpm", RV_VERDICT_REJECT, { "package.empty" },
	  { "signature.ok" }, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "srpms/garbage.src.rpm", RV_VERDICT_REJECT, { "package.not-rpm" },
	  { "signature.ok" }, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "@missing", RV_VERDICT_ERROR, { "io.open" }, { 0 }, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "@dir", RV_VERDICT_ERROR, { "io.open" }, { 0 }, NULL, NULL, NULL, NULL, NULL, 0 },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const char *const store_keys[] = {
	"rsa", "ed25519", "expired", "revoked", "rsa1024", "dsa", "subkey",
};

static struct rv_ctx *ctx;
static char *tmp;
static struct rv_keystore *ks;
static char *paths[NCASES];
static struct rv_report *report1, *report4;  /* jobs = 1, jobs = 4 */
static pthread_mutex_t progress_mu = PTHREAD_MUTEX_INITIALIZER;
static size_t progress_calls, progress_max, progress_total;

static void progress(size_t done, size_t total, void *data)
{
	(void)data;
	pthread_mutex_lock(&progress_mu);
	progress_calls++;
	if (done > progress_max)
		progress_max = done;
	progress_total = total;
	pthread_mutex_unlock(&progress_mu);
}

static int fail_setup(const char *what, struct rv_error *err)
{
	char *m = rv_error_string(err);

	fprintf(stderr, "# %s: %s\n", what, m ? m : "failed");
	free(m);
	rv_error_free(err);
	return -1;
}

static int group_setup(void **state)
{
	struct rv_verify_options o1 = RV_VERIFY_OPTIONS_INIT, o4 = RV_VERIFY_OPTIONS_INIT;
	struct rv_error *err = NULL;
	char *dir;
	size_t i;

	(void)state;
	if (rv_ctx_new(&ctx, NULL, NULL, &err))
		return fail_setup("rv_ctx_new", err);
	tmp = tap_tmpdir();
	dir = tap_fmt("%s/store", tmp);
	i = (size_t)rv_keystore_open(&ks, ctx, dir, 1, &err);
	free(dir);
	if (i)
		return fail_setup("rv_keystore_open", err);
	for (i = 0; i < sizeof(store_keys) / sizeof(store_keys[0]); i++) {
		char *rel = tap_fmt("keys/%s.asc", store_keys[i]), *path = tap_fixture(rel);
		int rc = rv_keystore_add(ks, path, NULL, &err);
		free(rel);
		free(path);
		if (rc)
			return fail_setup(store_keys[i], err);
	}
	for (i = 0; i < NCASES; i++) {
		if (!strcmp(cases[i].rel, "@missing"))
			paths[i] = tap_fixture("srpms/no-such-package.src.rpm");
		else if (!strcmp(cases[i].rel, "@dir"))
			paths[i] = tap_fixture("srpms");
		else
			paths[i] = tap_fixture(cases[i].rel);
	}
	o1.jobs = 1;
	if (rv_verify(&report1, ctx, ks, (const char *const *)paths, NCASES, &o1, &err))
		return fail_setup("rv_verify, 1 job", err);
	o4.jobs = 4;
	o4.progress = progress;
	if (rv_verify(&report4, ctx, ks, (const char *const *)paths, NCASES, &o4, &err))
		return fail_setup("rv_verify, 4 jobs", err);
	return 0;
}

static int group_teardown(void **state)
{
	size_t i;

	(void)state;
	rv_report_free(report1);
	rv_report_free(report4);
	for (i = 0; i < NCASES; i++)
		free(paths[i]);
	rv_keystore_free(ks);
	rv_ctx_free(ctx);
	tap_rmtree(tmp);
	free(tmp);
	return 0;
}

static char *codes_of(const struct rv_result *res)
{
	char *s = strdup(""), *t;
	size_t i;

	for (i = 0; i < res->nfindings; i++) {
		t = tap_fmt("%s%s%s", s, i ? " " : "", res->findings[i].code);
		free(s);
		s = t;
	}
	return s;
}

/* Everything a case says about one result. */
static void check_result(const struct vcase *c, const struct rv_result *res,
			 const char *path, const char *run)
{
	char *have = codes_of(res);
	size_t i;

	assert_non_null(res);
	assert_string_equal(res->path, path);
	if (res->verdict != c->verdict)
		fail_msg("%s (%s): verdict %s, expected %s; findings: %s", c->rel, run,
			 rv_verdict_name(res->verdict), rv_verdict_name(c->verdict), have);
	for (i = 0; i < 4 && c->codes[i]; i++)
		if (!rv_result_has(res, c->codes[i]))
			fail_msg("%s (%s): no %s finding; findings: %s", c->rel, run,
				 c->codes[i], have);
	for (i = 0; i < 3 && c->absent[i]; i++)
		if (rv_result_has(res, c->absent[i]))
			fail_msg("%s (%s): unexpected %s finding; findings: %s", c->rel,
				 run, c->absent[i], have);
	free(have);
	/* every finding is well-formed */
	for (i = 0; i < res->nfindings; i++) {
		const struct rv_finding *f = &res->findings[i];
		assert_non_null(f->check);
		assert_non_null(f->message);
		assert_true(strlen(f->message) > 0);
		assert_int_equal(strncmp(f->code, f->check, strlen(f->check)), 0);
		assert_int_equal(f->code[strlen(f->check)], '.');
	}
	/* the verdict is the pure function of the findings */
	assert_int_equal(res->verdict, rv_result_verdict(res));

	if (c->nevra) {
		assert_non_null(res->nevra);
		assert_string_equal(res->nevra, c->nevra);
		assert_int_equal(res->is_source, c->is_source);
	} else {
		assert_null(res->nevra);
	}

	if (c->verdict == RV_VERDICT_ERROR) {
		assert_string_equal(res->sha256, "");
		assert_int_equal(res->has_signer, 0);
	} else {
		struct stat st;
		char want[65];
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(res->size, (uint64_t)st.st_size);
		assert_int_equal(tap_sha256_file(path, want), 0);
		assert_string_equal(res->sha256, want);
	}

	if (c->signer) {
		const char *fpr = tap_fpr(c->signer, 1), *prim = tap_fpr(c->signer, 0);
		assert_non_null(fpr);
		assert_true(res->has_signer);
		assert_string_equal(res->signer.fingerprint, fpr);
		assert_string_equal(res->signer.keyid, fpr + 24);
		assert_string_equal(res->signer.primary, prim);
		/* librpm 4.18 checks RSA, DSA and EdDSA itself */
		assert_non_null(res->signer.verifier);
		assert_string_equal(res->signer.verifier, "librpm");
		assert_true(res->signer.created > 0);
		assert_true(res->signer.bits > 0);
	} else if (c->keyid_of) {
		/* signed, but not by a key of the store (or not verifiably) */
		assert_true(res->has_signer);
		assert_string_equal(res->signer.keyid, tap_fpr(c->keyid_of, 1) + 24);
	} else {
		assert_false(res->has_signer);
	}
	if (c->algorithm) {
		assert_non_null(res->signer.algorithm);
		assert_string_equal(res->signer.algorithm, c->algorithm);
	}
	if (c->hash) {
		assert_non_null(res->signer.hash);
		assert_string_equal(res->signer.hash, c->hash);
	}
}

static void test_case(void **state)
{
	const struct vcase *c = *state;
	size_t i = (size_t)(c - cases);

	check_result(c, rv_report_result(report1, i), paths[i], "1 job");
	check_result(c, rv_report_result(report4, i), paths[i], "4 jobs");
}

static void test_signer_details(void **state)
{
	const struct rv_result *rsa = rv_report_result(report1, 0);
	const struct rv_result *sub = rv_report_result(report1, 2);
	const struct rv_result *weak = rv_report_result(report1, 11);
	const struct rv_result *other = rv_report_result(report1, 7);

	(void)state;
	assert_string_equal(cases[0].rel, "srpms/rsa.src.rpm");
	assert_int_equal(rsa->signer.bits, 3072);
	assert_string_equal(cases[2].rel, "srpms/subkey.src.rpm");
	/* signed by the subkey, which belongs to another primary key */
	assert_string_not_equal(sub->signer.fingerprint, sub->signer.primary);
	assert_int_equal(sub->signer.bits, 255);
	assert_string_equal(cases[11].rel, "srpms/rsa1024.src.rpm");
	assert_int_equal(weak->signer.bits, 1024);
	assert_string_equal(cases[7].rel, "srpms/otherkey.src.rpm");
	assert_string_equal(other->signer.fingerprint, "");
	assert_string_equal(other->signer.primary, "");
}

static void test_order_and_summary(void **state)
{
	size_t i, p1, j1, e1, p4, j4, e4, want[3] = { 0, 0, 0 };

	(void)state;
	assert_int_equal(rv_report_count(report1), NCASES);
	assert_int_equal(rv_report_count(report4), NCASES);
	for (i = 0; i < NCASES; i++) {
		assert_string_equal(rv_report_result(report4, i)->path, paths[i]);
		assert_string_equal(rv_report_result(report1, i)->path, paths[i]);
		/* the two runs agree on everything but timing */
		assert_int_equal(rv_report_result(report4, i)->nfindings,
				 rv_report_result(report1, i)->nfindings);
		want[cases[i].verdict]++;
	}
	rv_report_summary(report1, &p1, &j1, &e1);
	rv_report_summary(report4, &p4, &j4, &e4);
	assert_int_equal(p1, want[RV_VERDICT_PASS]);
	assert_int_equal(j1, want[RV_VERDICT_REJECT]);
	assert_int_equal(e1, want[RV_VERDICT_ERROR]);
	assert_int_equal(p4, p1);
	assert_int_equal(j4, j1);
	assert_int_equal(e4, e1);
	assert_int_equal(p1, 6);
	assert_int_equal(e1, 2);
}

static void test_progress(void **state)
{
	(void)state;
	assert_int_equal(progress_calls, NCASES);
	assert_int_equal(progress_max, NCASES);
	assert_int_equal(progress_total, NCASES);
}

/* Verify a few fixtures with these options; the caller frees the report. */
static struct rv_report *verify_some(const char *const *rels, size_t n, time_t now,
				     unsigned jobs)
{
	struct rv_verify_options o = RV_VERIFY_OPTIONS_INIT;
	struct rv_report *r = NULL;
	char *p[8];
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++)
		p[i] = tap_fixture(rels[i]);
	o.now = now;
	o.jobs = jobs;
	assert_int_equal(rv_verify(&r, ctx, ks, (const char *const *)p, n, &o, NULL), 0);
	for (i = 0; i < n; i++)
		free(p[i]);
	assert_non_null(r);
	assert_int_equal(rv_report_count(r), n);
	return r;
}

static void test_at_time(void **state)
{
	static const char *const rels[] = {
		"srpms/expiredkey.src.rpm", "srpms/revokedkey.src.rpm",
	};
	struct rv_report *r;
	const struct rv_result *res;

	(void)state;
	/* while the key was valid, its signature passes */
	r = verify_some(rels, 2, AT_2020, 2);
	res = rv_report_result(r, 0);
	assert_int_equal(res->verdict, RV_VERDICT_PASS);
	assert_true(rv_result_has(res, "signature.ok"));
	assert_false(rv_result_has(res, "key.expired"));
	/* revocation does not depend on the time */
	assert_int_equal(rv_report_result(r, 1)->verdict, RV_VERDICT_REJECT);
	assert_true(rv_result_has(rv_report_result(r, 1), "key.revoked"));
	rv_report_free(r);

	/* the second it expires, it is expired */
	r = verify_some(rels, 1, (time_t)1577923200, 1);
	res = rv_report_result(r, 0);
	assert_int_equal(res->verdict, RV_VERDICT_REJECT);
	assert_true(rv_result_has(res, "key.expired"));
	rv_report_free(r);
}

/* The signature stage's adapter on its own, then judged as the runner does. */
static void sig_check(struct rv_sig_worker *w, struct rv_result *res)
{
	struct rv_stage_ctx c = { .res = res, .sig = w, .ks = ks, .now = AT_2020, .file_digest = 1 };

	rv_sig_check(w, &c);
	rv_pipeline_judge(res, NULL, c.now);
	rv_pkg_free(c.pkg);
	res->internal = c.facts;
}

static void test_sig_worker(void **state)
{
	struct rv_sig_worker *w = rv_sig_worker_new(ks, 0);
	struct rv_result res;
	char *path;

	(void)state;
	assert_non_null(w);
	path = tap_fixture("srpms/expiredkey.src.rpm");
	rv_result_init(&res, path);
	sig_check(w, &res);
	assert_int_equal(res.verdict, RV_VERDICT_PASS);
	assert_true(rv_result_has(&res, "signature.ok"));
	assert_string_equal(res.signer.fingerprint, tap_fpr("expired", 1));
	/* the facts are read for every package with a header */
	assert_non_null(res.internal);
	assert_string_equal(((struct rv_facts *)res.internal)->license, res.license);
	rv_result_release(&res);
	free(path);

	/* one worker checks many packages in turn */
	path = tap_fixture("srpms/header-tampered.src.rpm");
	rv_result_init(&res, path);
	sig_check(w, &res);
	assert_int_equal(res.verdict, RV_VERDICT_REJECT);
	assert_true(rv_result_has(&res, "digest.header.bad"));
	rv_result_release(&res);
	free(path);
	rv_sig_worker_free(w);
	rv_sig_worker_free(NULL);
}

/* Stages on plain data: no package, findings only. */
static int stage_fine(struct rv_stage_ctx *c, struct rv_error **err)
{
	(void)err;
	rv_result_add(c->res, "test", "test.ok", RV_SEV_INFO, "fine");
	return 0;
}

static int stage_broken(struct rv_stage_ctx *c, struct rv_error **err)
{
	(void)c;
	return rv_error_set(err, RV_EIO, "cannot read 'x': Input/output error");
}

static int stage_needs_header(struct rv_stage_ctx *c, struct rv_error **err)
{
	(void)err;
	rv_result_add(c->res, "test", "test.header", RV_SEV_ERROR, "must not run without a header");
	return 0;
}

static void test_stage_table(void **state)
{
	static const struct rv_stage table[] = {
		{ "fine", RV_STAGE_EACH, 0, stage_fine, NULL },
		{ "broken", RV_STAGE_EACH, 0, stage_broken, NULL },
		{ "after", RV_STAGE_EACH, 0, stage_fine, NULL },
		{ "needs-header", RV_STAGE_EACH, RV_NEEDS_HEADER, stage_needs_header, NULL },
		{ "needs-policy", RV_STAGE_EACH, RV_NEEDS_POLICY, stage_needs_header, NULL },
	};
	struct rv_result res;
	struct rv_stage_ctx c = { .res = &res, .now = AT_2020 };

	(void)state;
	rv_result_init(&res, "x.src.rpm");
	/* the first two alone: a pass */
	rv_stages_run(table, 1, &c);
	assert_int_equal(res.verdict, RV_VERDICT_PASS);
	/* a stage that cannot run gives an error verdict naming it, never a pass */
	rv_stages_run(table, RV_ARRAY_SIZE(table), &c);
	assert_int_equal(res.verdict, RV_VERDICT_ERROR);
	assert_true(rv_result_has(&res, "stage.failed"));
	assert_string_equal(res.findings[2].code, "stage.failed");
	assert_string_equal(res.findings[2].check, "io");
	assert_int_equal(res.findings[2].severity, RV_SEV_ERROR);
	assert_string_equal(res.findings[2].message,
			    "the broken stage could not run: cannot read 'x': Input/output error");
	/* later stages still run; those whose needs are missing do not */
	assert_string_equal(res.findings[3].code, "test.ok");
	assert_int_equal(res.nfindings, 4);
	assert_false(rv_result_has(&res, "test.header"));
	rv_result_release(&res);
}

static void test_verify_options(void **state)
{
	struct rv_verify_options o = RV_VERIFY_OPTIONS_INIT;
	struct rv_report *r = (struct rv_report *)&r; /* sentinel: must be reset */
	struct rv_error *err = NULL;
	const char *const none[] = { NULL };
	char *one[1];

	(void)state;
	/* no store */
	assert_int_equal(rv_verify(&r, ctx, NULL, none, 0, NULL, &err), RV_EINVAL);
	assert_null(r);
	assert_int_equal(err->code, RV_EINVAL);
	rv_error_free(err);
	err = NULL;

	/* too many jobs */
	r = (struct rv_report *)&r;
	o.jobs = 100000;
	assert_int_equal(rv_verify(&r, ctx, ks, none, 0, &o, &err), RV_EINVAL);
	assert_null(r);
	assert_int_equal(err->code, RV_EINVAL);
	rv_error_free(err);

	/* nothing to do is an empty report */
	assert_int_equal(rv_verify(&r, ctx, ks, none, 0, NULL, NULL), 0);
	assert_non_null(r);
	assert_int_equal(rv_report_count(r), 0);
	rv_report_free(r);

	/* default options (jobs = number of CPUs, now = the current time) */
	one[0] = tap_fixture("srpms/rsa.src.rpm");
	assert_int_equal(rv_verify(&r, ctx, ks, (const char *const *)one, 1, NULL, NULL), 0);
	assert_int_equal(rv_report_result(r, 0)->verdict, RV_VERDICT_PASS);
	rv_report_free(r);
	/* more jobs than packages */
	o.jobs = 8;
	assert_int_equal(rv_verify(&r, ctx, ks, (const char *const *)one, 1, &o, NULL), 0);
	assert_int_equal(rv_report_result(r, 0)->verdict, RV_VERDICT_PASS);
	rv_report_free(r);
	free(one[0]);
}

/* The same package many times over, on many threads: every result agrees. */
static void test_many_threads(void **state)
{
	const char *rels[8];
	struct rv_report *r;
	size_t i;

	(void)state;
	for (i = 0; i < 8; i++)
		rels[i] = i % 2 ? "srpms/ed25519.src.rpm" : "srpms/payload-tampered.src.rpm";
	r = verify_some(rels, 8, 0, 8);
	for (i = 0; i < 8; i++) {
		const struct rv_result *res = rv_report_result(r, i);
		if (i % 2) {
			assert_int_equal(res->verdict, RV_VERDICT_PASS);
		} else {
			assert_int_equal(res->verdict, RV_VERDICT_REJECT);
			assert_true(rv_result_has(res, "digest.payload.bad"));
		}
		assert_string_equal(res->sha256, rv_report_result(r, i % 2)->sha256);
	}
	rv_report_free(r);
}

/* Without the file digest the verdicts are the same and sha256 stays empty. */
static void test_no_file_digest(void **state)
{
	static const char *const rels[] = {
		"srpms/rsa.src.rpm", "srpms/payload-tampered.src.rpm", "srpms/truncated.src.rpm",
	};
	struct rv_verify_options o = RV_VERIFY_OPTIONS_INIT;
	struct rv_report *r = NULL, *full;
	char *p[3];
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		p[i] = tap_fixture(rels[i]);
	o.file_digest = 0;
	o.jobs = 2;
	assert_int_equal(rv_verify(&r, ctx, ks, (const char *const *)p, 3, &o, NULL), 0);
	full = verify_some(rels, 3, 0, 2);
	for (i = 0; i < 3; i++) {
		const struct rv_result *a = rv_report_result(r, i), *b = rv_report_result(full, i);
		assert_string_equal(a->sha256, "");
		assert_int_equal(strlen(b->sha256), 64);
		assert_int_equal(a->verdict, b->verdict);
		assert_int_equal(a->nfindings, b->nfindings);
		assert_string_equal(a->findings[a->nfindings - 1].code,
				    b->findings[b->nfindings - 1].code);
		free(p[i]);
	}
	assert_int_equal(rv_report_result(r, 1)->verdict, RV_VERDICT_REJECT);
	rv_report_free(r);
	rv_report_free(full);
}

int main(void)
{
	static char names[NCASES][80];
	struct CMUnitTest tests[NCASES + 9];
	size_t i, n = 0;

	for (i = 0; i < NCASES; i++, n++) {
		snprintf(names[i], sizeof(names[i]), "verify %s", cases[i].rel);
		tests[n] = (struct CMUnitTest){ names[i], test_case, NULL, NULL, &cases[i] };
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_signer_details);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_order_and_summary);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_progress);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_at_time);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_sig_worker);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_stage_table);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_verify_options);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_many_threads);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_no_file_digest);
	if (n != sizeof(tests) / sizeof(tests[0]))
		abort();

	tap_require_fixtures();
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
