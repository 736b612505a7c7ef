/* SPDX-License-Identifier: MIT */
/* Tests the trust store: open, add, key facts, find, check, refusals and remove. */
#include "tap.h"

#include "error.h"
#include "keys.h"

#include <ctype.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

/* Shared by every test: the context and an armored secret key, made once. */
static struct rv_ctx *ctx;
static char *gtmp;        /* group temp dir: secret key and its GNUPGHOME */
static char *secret_asc;  /* NULL when gpg could not make one */

/* One test's store: a fresh directory tmp/store. */
struct store {
	char *tmp;
	char *dir;
	struct rv_keystore *ks;
};

static char *key_path(const char *name)
{
	char *rel = tap_fmt("keys/%s.asc", name), *p = tap_fixture(rel);

	free(rel);
	return p;
}

/* The primary or signing fingerprint of a fixture key; fails the test when unknown. */
static const char *fpr_of(const char *name, int signing)
{
	const char *f = tap_fpr(name, signing);

	if (!f)
		fail_msg("no '%s' in fingerprints.txt", name);
	return f;
}

static char *make_secret_key(const char *tmp)
{
	char *home = tap_fmt("%s/gnupg", tmp), *out = tap_fmt("%s/secret.asc", tmp);
	char *cmd;
	int rc;

	if (mkdir(home, 0700))
		abort();
	cmd = tap_fmt("gpg --homedir '%s' --batch --pinentry-mode loopback --passphrase '' "
		      "--quick-gen-key 'T <t@t.test>' ed25519 sign never >/dev/null 2>&1 && "
		      "gpg --homedir '%s' --batch --pinentry-mode loopback --passphrase '' "
		      "--armor --export-secret-keys > '%s' 2>/dev/null",
		      home, home, out);
	rc = system(cmd);
	free(cmd);
	cmd = tap_fmt("gpgconf --homedir '%s' --kill all >/dev/null 2>&1", home);
	if (system(cmd) == -1)
		rc = -1;
	free(cmd);
	free(home);
	if (rc) {
		free(out);
		return NULL;
	}
	return out;
}

static int group_setup(void **state)
{
	struct rv_error *err = NULL;

	(void)state;
	if (rv_ctx_new(&ctx, NULL, NULL, &err)) {
		char *m = rv_error_string(err);
		fprintf(stderr, "# rv_ctx_new: %s\n", m);
		free(m);
		rv_error_free(err);
		return -1;
	}
	gtmp = tap_tmpdir();
	secret_asc = make_secret_key(gtmp);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	tap_rmtree(gtmp);
	free(gtmp);
	free(secret_asc);
	rv_ctx_free(ctx);
	return 0;
}

static int store_setup(void **state)
{
	struct store *s = calloc(1, sizeof(*s));
	struct stat st;

	if (!s)
		return -1;
	s->tmp = tap_tmpdir();
	s->dir = tap_fmt("%s/store", s->tmp);
	/* create=1 makes the directory */
	if (rv_keystore_open(&s->ks, ctx, s->dir, 1, NULL) || !s->ks ||
	    stat(s->dir, &st) || !S_ISDIR(st.st_mode))
		return -1;
	*state = s;
	return 0;
}

static int store_teardown(void **state)
{
	struct store *s = *state;

	rv_keystore_free(s->ks);
	tap_rmtree(s->tmp);
	free(s->tmp);
	free(s->dir);
	free(s);
	return 0;
}

/* Add a fixture key that must import, as exactly its own fingerprint. */
static void add_ok(struct store *s, const char *name)
{
	struct rv_error *err = NULL;
	char *path = key_path(name), **added = NULL;
	int rc = rv_keystore_add(s->ks, path, &added, &err);

	if (rc) {
		char *m = rv_error_string(err);
		fail_msg("adding %s: %d: %s", name, rc, m);
	}
	assert_null(err);
	assert_non_null(added);
	assert_string_equal(added[0], fpr_of(name, 0));
	assert_null(added[1]);
	rv_strv_free(added);
	free(path);
}

/* The directory listing of a store that holds exactly these fixture keys. */
static char *expected_ls(const char *const *names, size_t n)
{
	char **files = calloc(n + 1, sizeof(*files));
	size_t i;

	if (!files)
		abort();
	for (i = 0; i < n; i++)
		files[i] = tap_fmt("%s.asc", fpr_of(names[i], 0));
	return tap_join_sorted(files, n);
}

static void assert_store_holds(struct store *s, const char *const *names, size_t n)
{
	char *want = expected_ls(names, n), *got = tap_ls(s->dir);

	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(rv_keystore_count(s->ks), n);
	free(want);
	free(got);
}

static void test_open_creates_empty_store(void **state)
{
	struct store *s = *state;

	assert_int_equal(rv_keystore_count(s->ks), 0);
	assert_null(rv_keystore_key(s->ks, 0));
	assert_null(rv_keystore_armor(s->ks, 0));
	assert_null(rv_keystore_find(s->ks, fpr_of("rsa", 0)));
	assert_store_holds(s, NULL, 0);
}

static void test_open_missing_dir(void **state)
{
	struct rv_keystore *ks = (struct rv_keystore *)&ks; /* a non-NULL sentinel: must be reset */
	struct rv_error *err = NULL;
	char *tmp = tap_tmpdir(), *dir = tap_fmt("%s/nope", tmp);

	(void)state;
	assert_int_equal(rv_keystore_open(&ks, ctx, dir, 0, &err), RV_ENOTFOUND);
	assert_null(ks);
	assert_non_null(err);
	assert_int_equal(err->code, RV_ENOTFOUND);
	assert_non_null(strstr(err->msg, dir));
	assert_int_equal(access(dir, F_OK), -1); /* not created */
	rv_error_free(err);

	/* a NULL err is fine */
	assert_int_equal(rv_keystore_open(&ks, ctx, dir, 0, NULL), RV_ENOTFOUND);
	assert_null(ks);
	tap_rmtree(tmp);
	free(dir);
	free(tmp);
}

static void test_open_not_a_directory(void **state)
{
	struct rv_keystore *ks = NULL;
	struct rv_error *err = NULL;
	char *path = key_path("rsa");

	(void)state;
	assert_int_equal(rv_keystore_open(&ks, ctx, path, 1, &err), RV_EIO);
	assert_null(ks);
	assert_int_equal(err->code, RV_EIO);
	rv_error_free(err);
	free(path);
}

static void test_add_rsa_key_facts(void **state)
{
	static const char *const names[] = { "rsa" };
	struct store *s = *state;
	const struct rv_key *k;
	const char *fpr = fpr_of("rsa", 0);

	add_ok(s, "rsa");
	assert_store_holds(s, names, 1);
	k = rv_keystore_key(s->ks, 0);
	assert_non_null(k);
	assert_string_equal(k->fingerprint, fpr);
	assert_string_equal(k->keyid, fpr + 24);
	assert_string_equal(k->algorithm, "RSA");
	assert_int_equal(k->bits, 3072);
	assert_null(k->curve);
	assert_non_null(k->uid);
	assert_non_null(strstr(k->uid, "rsa@fixture.test"));
	assert_false(k->revoked);
	assert_int_equal(k->expires, 0);
	assert_false(rv_key_is_expired(k, time(NULL)));
	assert_false(rv_key_is_expired(k, (time_t)INT64_C(4102444800)));
	assert_true(k->can_sign);
	assert_true(k->created > 1600000000);
	assert_null(k->primary);
	assert_int_equal(k->nsubkeys, 0);
	assert_ptr_equal(rv_keystore_find(s->ks, fpr), k);

	/* the stored armor is the public key, and reopening sees the same key */
	assert_non_null(rv_keystore_armor(s->ks, 0));
	assert_non_null(strstr(rv_keystore_armor(s->ks, 0),
			       "-----BEGIN PGP PUBLIC KEY BLOCK-----"));
	assert_null(rv_keystore_armor(s->ks, 1));
	{
		struct rv_keystore *again = NULL;
		assert_int_equal(rv_keystore_open(&again, ctx, s->dir, 0, NULL), 0);
		assert_int_equal(rv_keystore_count(again), 1);
		assert_string_equal(rv_keystore_key(again, 0)->fingerprint, fpr);
		assert_int_equal(rv_keystore_key(again, 0)->bits, 3072);
		rv_keystore_free(again);
	}
}

static void test_add_ed25519_key_facts(void **state)
{
	struct store *s = *state;
	const struct rv_key *k;

	add_ok(s, "ed25519");
	k = rv_keystore_find(s->ks, fpr_of("ed25519", 0));
	assert_non_null(k);
	assert_string_equal(k->algorithm, "EdDSA");
	assert_int_equal(k->bits, 255);
	assert_non_null(k->curve);
	assert_string_equal(k->curve, "ed25519");
	assert_non_null(strstr(k->uid, "ed25519@fixture.test"));
}

static void test_subkey(void **state)
{
	struct store *s = *state;
	const struct rv_key *prim, *sub;
	const char *pfpr = fpr_of("subkey", 0);
	const char *sfpr = fpr_of("subkey", 1);

	assert_string_not_equal(pfpr, sfpr);
	add_ok(s, "subkey");
	assert_int_equal(rv_keystore_count(s->ks), 1);
	prim = rv_keystore_find(s->ks, pfpr);
	assert_non_null(prim);
	assert_ptr_equal(prim, rv_keystore_key(s->ks, 0));
	assert_null(prim->primary);
	assert_int_equal(prim->nsubkeys, 1);
	assert_false(prim->can_sign); /* a certification-only primary */

	sub = rv_keystore_find(s->ks, sfpr);
	assert_non_null(sub);
	assert_ptr_equal(sub, &prim->subkeys[0]);
	assert_string_equal(sub->fingerprint, sfpr);
	assert_string_equal(sub->keyid, sfpr + 24);
	assert_ptr_equal(sub->primary, prim);
	assert_string_equal(sub->primary->fingerprint, pfpr);
	assert_string_equal(sub->algorithm, "EdDSA");
	assert_true(sub->can_sign);
	assert_null(sub->uid);
	assert_int_equal(sub->nsubkeys, 0);

	/* by key id too, in either case */
	assert_ptr_equal(rv_keystore_find(s->ks, sfpr + 24), sub);
	{
		char low[17];
		size_t i;
		for (i = 0; i < 17; i++)
			low[i] = (char)tolower((unsigned char)sfpr[24 + i]);
		assert_ptr_equal(rv_keystore_find(s->ks, low), sub);
	}
	/* only the primary is stored: one file, named by the primary */
	{
		static const char *const names[] = { "subkey" };
		assert_store_holds(s, names, 1);
	}
}

static void test_find_by_keyid(void **state)
{
	struct store *s = *state;
	const struct rv_key *k;
	const char *fpr = fpr_of("rsa", 0);
	char low[65], id[17];
	size_t i;

	add_ok(s, "rsa");
	add_ok(s, "ed25519");
	k = rv_keystore_find(s->ks, fpr);
	assert_non_null(k);
	for (i = 0; i < 41; i++)
		low[i] = (char)tolower((unsigned char)fpr[i]);
	assert_string_not_equal(low, fpr); /* the test means something */
	memcpy(id, low + 24, 17);
	assert_ptr_equal(rv_keystore_find(s->ks, id), k);
	assert_ptr_equal(rv_keystore_find(s->ks, fpr + 24), k);
	assert_ptr_equal(rv_keystore_find(s->ks, low), k);

	/* other lengths are neither ids nor fingerprints */
	id[15] = '\0';
	assert_null(rv_keystore_find(s->ks, id));
	assert_null(rv_keystore_find(s->ks, fpr + 23));
	assert_null(rv_keystore_find(s->ks, ""));
	assert_null(rv_keystore_find(s->ks, NULL));
	assert_null(rv_keystore_find(NULL, fpr));
	/* an unknown id and the untrusted key */
	assert_null(rv_keystore_find(s->ks, "0123456789ABCDEF"));
	assert_null(rv_keystore_find(s->ks, fpr_of("other", 0)));
}

static void test_sorted_by_fingerprint(void **state)
{
	struct store *s = *state;
	static const char *const names[] = { "rsa", "ed25519", "dsa", "rsa1024" };
	size_t i;

	for (i = 0; i < 4; i++)
		add_ok(s, names[i]);
	assert_store_holds(s, names, 4);
	for (i = 1; i < 4; i++)
		assert_true(strcmp(rv_keystore_key(s->ks, i - 1)->fingerprint,
				   rv_keystore_key(s->ks, i)->fingerprint) < 0);
	assert_string_equal(rv_keystore_find(s->ks, fpr_of("dsa", 0))->algorithm, "DSA");
	assert_int_equal(rv_keystore_find(s->ks, fpr_of("rsa1024", 0))->bits, 1024);
}

static void test_expired_key(void **state)
{
	struct store *s = *state;
	const struct rv_key *k;

	add_ok(s, "expired");
	k = rv_keystore_find(s->ks, fpr_of("expired", 0));
	assert_non_null(k);
	assert_true(k->expires > k->created);
	assert_int_equal(k->created, 1577836800);  /* 2020-01-01T00:00Z */
	assert_int_equal(k->expires, 1577923200);  /* 2020-01-02T00:00Z */
	assert_true(rv_key_is_expired(k, time(NULL)));
	assert_false(rv_key_is_expired(k, (time_t)(k->created + 1)));
	assert_false(rv_key_is_expired(k, (time_t)1577880000));
	assert_false(rv_key_is_expired(k, (time_t)(k->expires - 1)));
	assert_true(rv_key_is_expired(k, (time_t)k->expires));
	assert_false(k->revoked);
	assert_false(rv_key_is_expired(NULL, time(NULL)));
}

static void test_revoked_key(void **state)
{
	struct store *s = *state;
	const struct rv_key *k;

	add_ok(s, "revoked");
	add_ok(s, "rsa");
	k = rv_keystore_find(s->ks, fpr_of("revoked", 0));
	assert_non_null(k);
	assert_true(k->revoked);
	assert_false(rv_keystore_find(s->ks, fpr_of("rsa", 0))->revoked);
}

static void test_add_twice(void **state)
{
	static const char *const names[] = { "rsa" };
	struct store *s = *state;
	char *file = tap_fmt("%s/%s.asc", s->dir, fpr_of("rsa", 0)), *before, *after;

	add_ok(s, "rsa");
	before = tap_read_file(file, NULL);
	assert_non_null(before);
	add_ok(s, "rsa");
	assert_store_holds(s, names, 1);
	after = tap_read_file(file, NULL);
	assert_non_null(after);
	assert_string_equal(after, before);
	free(before);
	free(after);
	free(file);
}

static void test_check_does_not_write(void **state)
{
	static const char *const names[] = { "rsa" };
	struct store *s = *state;
	struct rv_error *err = NULL;
	char *path = key_path("ed25519");

	add_ok(s, "rsa");
	assert_int_equal(rv_keystore_check(s->ks, path, &err), 0);
	assert_null(err);
	assert_store_holds(s, names, 1);
	assert_null(rv_keystore_find(s->ks, fpr_of("ed25519", 0)));
	free(path);

	/* and it refuses what add refuses */
	path = tap_fixture("srpms/garbage.src.rpm");
	assert_int_equal(rv_keystore_check(s->ks, path, &err), RV_EFORMAT);
	assert_int_equal(err->code, RV_EFORMAT);
	rv_error_free(err);
	free(path);
}

/*
 * Add the file `path`, which must be refused with RV_EFORMAT and a message
 * that names the file and says `why`, and check that the store (holding the
 * rsa key) is untouched.
 */
static void refuse(struct store *s, const char *path, const char *what,
		   const char *why)
{
	static const char *const names[] = { "rsa" };
	struct rv_error *err = NULL;
	char **added = (char **)&added; /* sentinel: must be reset */
	char *file = tap_fmt("%s/%s.asc", s->dir, fpr_of("rsa", 0)), *before, *after;
	int rc;

	before = tap_read_file(file, NULL);
	assert_non_null(before);
	rc = rv_keystore_add(s->ks, path, &added, &err);
	if (rc != RV_EFORMAT)
		fail_msg("%s: expected RV_EFORMAT, got %d", what, rc);
	assert_non_null(err);
	assert_int_equal(err->code, RV_EFORMAT);
	assert_non_null(err->msg);
	if (!strstr(err->msg, path) || !strstr(err->msg, why))
		fail_msg("%s: message '%s' lacks the path or '%s'", what, err->msg, why);
	assert_null(added);
	rv_error_free(err);
	err = NULL;

	/* check refuses the same way */
	assert_int_equal(rv_keystore_check(s->ks, path, &err), RV_EFORMAT);
	rv_error_free(err);

	assert_store_holds(s, names, 1);
	after = tap_read_file(file, NULL);
	assert_non_null(after);
	assert_string_equal(after, before);
	free(before);
	free(after);
	free(file);
}

static char *tmp_file(struct store *s, const char *name, const char *data, size_t len)
{
	char *path = tap_fmt("%s/%s", s->tmp, name);

	assert_int_equal(tap_write_file(path, data, len), 0);
	return path;
}

static void test_refuse_empty(void **state)
{
	struct store *s = *state;
	char *path;

	add_ok(s, "rsa");
	path = tmp_file(s, "empty.asc", "", 0);
	refuse(s, path, "empty file", "empty");
	free(path);
}

static void test_refuse_text(void **state)
{
	static const char text[] = "This is not a key.\nJust some text.\n";
	struct store *s = *state;
	char *path;

	add_ok(s, "rsa");
	path = tmp_file(s, "text.asc", text, sizeof(text) - 1);
	refuse(s, path, "text file", "not an armored");
	free(path);
	/* binary garbage as well */
	path = tap_fixture("srpms/rsa.src.rpm");
	refuse(s, path, "an rpm", "not an armored");
	free(path);
}

static void test_refuse_truncated_armor(void **state)
{
	struct store *s = *state;
	char *src = key_path("ed25519"), *buf, *path;
	size_t len = 0;

	add_ok(s, "rsa");
	buf = tap_read_file(src, &len);
	assert_non_null(buf);
	path = tmp_file(s, "half.asc", buf, len / 2);
	refuse(s, path, "truncated armor", "truncated");
	free(path);
	free(buf);
	free(src);
}

static void test_refuse_garbage_base64(void **state)
{
	static const char armor[] =
		"-----BEGIN PGP PUBLIC KEY BLOCK-----\n"
		"\n"
		"VGhpcyBpcyBub3QgYW4gT3BlblBHUCBwYWNrZXQgYXQgYWxsLCBqdXN0IHRleHQu\n"
		"ZGVhZGJlZWZkZWFkYmVlZmRlYWRiZWVm\n"
		"=AAAA\n"
		"-----END PGP PUBLIC KEY BLOCK-----\n";
	static const char notb64[] =
		"-----BEGIN PGP PUBLIC KEY BLOCK-----\n"
		"\n"
		"!!!! this is @@@ not base64 at all ####\n"
		"-----END PGP PUBLIC KEY BLOCK-----\n";
	struct store *s = *state;
	char *path;

	add_ok(s, "rsa");
	path = tmp_file(s, "garbage.asc", armor, sizeof(armor) - 1);
	refuse(s, path, "armored garbage", "no usable");
	free(path);
	path = tmp_file(s, "notb64.asc", notb64, sizeof(notb64) - 1);
	refuse(s, path, "armor that is not base64", "no usable");
	free(path);
}

/* s with every "PRIVATE KEY BLOCK" relabelled "PUBLIC KEY BLOCK" (a new string). */
static char *relabel_public(const char *s)
{
	static const char from[] = "PRIVATE KEY BLOCK", to[] = "PUBLIC KEY BLOCK";
	char *out = calloc(1, strlen(s) + 1), *o = out;
	const char *p;

	if (!out)
		abort();
	while ((p = strstr(s, from))) {
		memcpy(o, s, (size_t)(p - s));
		o += p - s;
		memcpy(o, to, sizeof(to) - 1);
		o += sizeof(to) - 1;
		s = p + sizeof(from) - 1;
	}
	strcpy(o, s);
	return out;
}

static void test_refuse_secret_key(void **state)
{
	struct store *s = *state;
	char *buf, *disguised, *path;

	if (!secret_asc)
		fail_msg("gpg could not generate a secret key");
	buf = tap_read_file(secret_asc, NULL);
	assert_non_null(buf);
	assert_non_null(strstr(buf, "-----BEGIN PGP PRIVATE KEY BLOCK-----"));
	add_ok(s, "rsa");
	refuse(s, secret_asc, "secret key", "secret key");

	/* secret packets under a public armor label: gpg itself tells */
	disguised = relabel_public(buf);
	assert_null(strstr(disguised, "PRIVATE"));
	assert_non_null(strstr(disguised, "-----BEGIN PGP PUBLIC KEY BLOCK-----"));
	path = tmp_file(s, "disguised.asc", disguised, strlen(disguised));
	refuse(s, path, "disguised secret key", "secret key");
	free(path);
	free(disguised);
	free(buf);
}

static void test_add_missing_file(void **state)
{
	struct store *s = *state;
	struct rv_error *err = NULL;
	char *path = tap_fmt("%s/no-such.asc", s->tmp), **added = NULL;

	assert_int_equal(rv_keystore_add(s->ks, path, &added, &err), RV_ENOTFOUND);
	assert_int_equal(err->code, RV_ENOTFOUND);
	assert_non_null(strstr(err->msg, "no-such.asc"));
	assert_null(added);
	rv_error_free(err);
	assert_int_equal(rv_keystore_check(s->ks, path, NULL), RV_ENOTFOUND);
	assert_store_holds(s, NULL, 0);
	free(path);
}

static void test_add_without_out_params(void **state)
{
	struct store *s = *state;
	char *path = key_path("rsa");

	/* added and err may both be NULL */
	assert_int_equal(rv_keystore_add(s->ks, path, NULL, NULL), 0);
	assert_int_equal(rv_keystore_count(s->ks), 1);
	free(path);
	path = tmp_file(s, "empty.asc", "", 0);
	assert_int_equal(rv_keystore_add(s->ks, path, NULL, NULL), RV_EFORMAT);
	free(path);
}

static void test_remove(void **state)
{
	static const char *const names[] = { "ed25519" };
	struct store *s = *state;
	struct rv_error *err = NULL;
	const char *fpr = fpr_of("rsa", 0);
	char low[65];
	size_t i;

	add_ok(s, "rsa");
	add_ok(s, "ed25519");
	assert_int_equal(rv_keystore_count(s->ks), 2);

	assert_int_equal(rv_keystore_remove(s->ks, "not-a-fingerprint", &err), RV_EINVAL);
	assert_int_equal(err->code, RV_EINVAL);
	rv_error_free(err);
	err = NULL;
	/* a key id is not a full fingerprint */
	assert_int_equal(rv_keystore_remove(s->ks, fpr + 24, NULL), RV_EINVAL);
	assert_int_equal(rv_keystore_remove(s->ks, fpr_of("other", 0), &err),
			 RV_ENOTFOUND);
	assert_int_equal(err->code, RV_ENOTFOUND);
	rv_error_free(err);
	err = NULL;
	assert_int_equal(rv_keystore_count(s->ks), 2);

	/* case-insensitive */
	for (i = 0; i < 41; i++)
		low[i] = (char)tolower((unsigned char)fpr[i]);
	assert_int_equal(rv_keystore_remove(s->ks, low, &err), 0);
	assert_null(err);
	assert_store_holds(s, names, 1);
	assert_null(rv_keystore_find(s->ks, fpr));
	assert_non_null(rv_keystore_find(s->ks, fpr_of("ed25519", 0)));

	/* gone now */
	assert_int_equal(rv_keystore_remove(s->ks, fpr, NULL), RV_ENOTFOUND);
}

/* Every fact of two key lists is the same (cache vs gpg). */
static void assert_same_keys(const struct rv_keystore *a, const struct rv_keystore *b)
{
	size_t i, j;

	assert_int_equal(rv_keystore_count(a), rv_keystore_count(b));
	for (i = 0; i < rv_keystore_count(a); i++) {
		const struct rv_key *x = rv_keystore_key(a, i), *y = rv_keystore_key(b, i);
		assert_string_equal(x->fingerprint, y->fingerprint);
		assert_string_equal(x->keyid, y->keyid);
		assert_string_equal(x->algorithm, y->algorithm);
		assert_int_equal(x->bits, y->bits);
		assert_int_equal(x->created, y->created);
		assert_int_equal(x->expires, y->expires);
		assert_int_equal(x->revoked, y->revoked);
		assert_int_equal(x->can_sign, y->can_sign);
		assert_string_equal(x->uid ? x->uid : "(none)", y->uid ? y->uid : "(none)");
		assert_string_equal(x->curve ? x->curve : "(none)", y->curve ? y->curve : "(none)");
		assert_int_equal(x->nsubkeys, y->nsubkeys);
		for (j = 0; j < x->nsubkeys; j++) {
			assert_string_equal(x->subkeys[j].fingerprint, y->subkeys[j].fingerprint);
			assert_string_equal(x->subkeys[j].algorithm, y->subkeys[j].algorithm);
			assert_int_equal(x->subkeys[j].can_sign, y->subkeys[j].can_sign);
			assert_ptr_equal(y->subkeys[j].primary, y);
		}
	}
}

/* Open the store with a context whose cache directory is tmp/cache. */
static struct rv_keystore *open_cached(struct store *s, struct rv_ctx *cctx)
{
	struct rv_keystore *ks = NULL;

	assert_int_equal(rv_keystore_open(&ks, cctx, s->dir, 0, NULL), 0);
	return ks;
}

/* Rewrite the cache with `from` replaced by `to` in the K line of key fpr. */
static void poison(const char *cache, const char *fpr, const char *from, const char *to,
		   mode_t mode)
{
	size_t len = 0;
	char *data = tap_read_file(cache, &len), *want = tap_fmt("\nK %s ", fpr), *line, *hit, *out;

	assert_non_null(data);
	line = strstr(data, want);
	free(want);
	assert_non_null(line);
	hit = strstr(line, from);
	assert_non_null(hit);
	*hit = '\0';
	out = tap_fmt("%s%s%s", data, to, hit + strlen(from));
	assert_int_equal(unlink(cache), 0);
	assert_int_equal(tap_write_file(cache, out, strlen(out)), 0);
	assert_int_equal(chmod(cache, mode), 0);
	free(out);
	free(data);
}

static void test_facts_cache(void **state)
{
	struct store *s = *state;
	struct rv_ctx *cctx = NULL;
	struct rv_keystore *ks = NULL;
	char *dir = tap_fmt("%s/cache", s->tmp), *names, *cache, *data, *key, *other;
	const char *rsa = fpr_of("rsa", 0);
	const struct rv_key *k;
	size_t len = 0;

	assert_int_equal(rv_ctx_new(&cctx, NULL, NULL, NULL), 0);
	rv_ctx_set_cache_dir(cctx, dir);
	add_ok(s, "rsa");
	add_ok(s, "subkey");
	add_ok(s, "expired");
	add_ok(s, "revoked");
	/* nothing is cached in the store itself */
	names = tap_ls(s->dir);
	assert_null(strstr(names, "cache"));
	free(names);

	/* the first open derives the facts and writes one private cache file */
	ks = open_cached(s, cctx);
	assert_same_keys(s->ks, ks);
	rv_keystore_free(ks);
	names = tap_ls(dir);
	assert_non_null(names);
	assert_null(strchr(names, ' '));
	assert_int_equal(strncmp(names, "keys-", 5), 0);
	cache = tap_fmt("%s/%s", dir, names);
	{
		struct stat st;
		assert_int_equal(stat(cache, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_int_equal(stat(dir, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
	}
	data = tap_read_file(cache, &len);
	assert_non_null(strstr(data, fpr_of("subkey", 1)));
	free(data);

	/* the cached facts equal gpg's, and are what a warm open uses */
	ks = open_cached(s, cctx);
	assert_same_keys(s->ks, ks);
	rv_keystore_free(ks);
	poison(cache, rsa, " 3072 ", " 4096 ", 0600);
	ks = open_cached(s, cctx);
	assert_int_equal(rv_keystore_find(ks, rsa)->bits, 4096);
	rv_keystore_free(ks);

	/* an entry whose key-file bytes changed is not used: derived again */
	key = tap_fmt("%s/%s.asc", s->dir, rsa);
	data = tap_read_file(key, &len);
	other = tap_fmt("%s\n", data);
	free(data);
	assert_int_equal(tap_write_file(key, other, strlen(other)), 0);
	ks = open_cached(s, cctx);
	assert_int_equal(rv_keystore_find(ks, rsa)->bits, 3072);
	assert_same_keys(s->ks, ks);
	rv_keystore_free(ks);

	/* a cache others can write is ignored */
	poison(cache, rsa, " 3072 ", " 4096 ", 0620);
	ks = open_cached(s, cctx);
	assert_int_equal(rv_keystore_find(ks, rsa)->bits, 3072);
	rv_keystore_free(ks);
	poison(cache, rsa, " 3072 ", " 4096 ", 0602);
	ks = open_cached(s, cctx);
	assert_int_equal(rv_keystore_find(ks, rsa)->bits, 3072);
	rv_keystore_free(ks);

	/* so is a symbolic link to a (poisoned) cache */
	poison(cache, rsa, " 3072 ", " 4096 ", 0600);
	free(other);
	other = tap_fmt("%s/elsewhere", s->tmp);
	assert_int_equal(rename(cache, other), 0);
	assert_int_equal(symlink(other, cache), 0);
	ks = open_cached(s, cctx);
	k = rv_keystore_find(ks, rsa);
	assert_int_equal(k->bits, 3072);
	rv_keystore_free(ks);

	/* a garbled cache is ignored, not trusted */
	data = tap_read_file(cache, &len);
	{
		char *z = strstr(data, "\nK ");
		assert_non_null(z);
		memcpy(z + 1, "Z", 1);
	}
	assert_int_equal(unlink(cache), 0);
	assert_int_equal(tap_write_file(cache, data, len), 0);
	ks = open_cached(s, cctx);
	assert_same_keys(s->ks, ks);
	rv_keystore_free(ks);
	rv_ctx_free(cctx);
	free(data);
	free(other);
	free(key);
	free(cache);
	free(names);
	free(dir);
}

/* Several files at once: all keys in file order, or (one bad file) nothing. */
static void test_add_files(void **state)
{
	static const char *const one[] = { "rsa" };
	static const char *const all[] = { "rsa", "subkey", "ed25519", "revoked" };
	struct store *s = *state;
	struct rv_error *err = NULL;
	char *paths[4], *bad = tmp_file(s, "text.asc", "hello\n", 6), **added = NULL;
	const char *mixed[3];
	size_t i;

	add_ok(s, "rsa");
	paths[0] = key_path("subkey");
	paths[1] = key_path("ed25519");
	paths[2] = key_path("revoked");
	paths[3] = key_path("rsa");
	mixed[0] = paths[0];
	mixed[1] = bad;
	mixed[2] = paths[1];
	assert_int_equal(rv_keystore_add_files(s->ks, mixed, 3, &added, &err), RV_EFORMAT);
	assert_non_null(strstr(err->msg, bad));
	assert_null(added);
	rv_error_free(err);
	err = NULL;
	assert_store_holds(s, one, 1);

	assert_int_equal(rv_keystore_add_files(s->ks, (const char *const *)paths, 4, &added, &err), 0);
	assert_null(err);
	for (i = 0; i < 3; i++)
		assert_string_equal(added[i], fpr_of(all[i + 1], 0));
	assert_string_equal(added[3], fpr_of("rsa", 0));  /* already stored: reported, unchanged */
	assert_null(added[4]);
	assert_store_holds(s, all, 4);
	assert_non_null(rv_keystore_find(s->ks, fpr_of("subkey", 1)));
	rv_strv_free(added);
	for (i = 0; i < 4; i++)
		free(paths[i]);
	free(bad);
}

/* The i-th armor is the key file of the i-th key (sorted by fingerprint). */
static void test_armor_order(void **state)
{
	struct store *s = *state;
	size_t i;

	add_ok(s, "subkey");
	add_ok(s, "rsa");
	add_ok(s, "revoked");
	add_ok(s, "ed25519");
	for (i = 0; i < rv_keystore_count(s->ks); i++) {
		char *path = tap_fmt("%s/%s.asc", s->dir, rv_keystore_key(s->ks, i)->fingerprint);
		size_t len;
		char *want = tap_read_file(path, &len);
		assert_non_null(want);
		assert_string_equal(rv_keystore_armor(s->ks, i), want);
		free(want);
		free(path);
	}
	assert_null(rv_keystore_armor(s->ks, rv_keystore_count(s->ks)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, store_setup, store_teardown)
		T(test_open_creates_empty_store),
		cmocka_unit_test(test_open_missing_dir),
		cmocka_unit_test(test_open_not_a_directory),
		T(test_add_rsa_key_facts),
		T(test_add_ed25519_key_facts),
		T(test_subkey),
		T(test_find_by_keyid),
		T(test_sorted_by_fingerprint),
		T(test_expired_key),
		T(test_revoked_key),
		T(test_add_twice),
		T(test_check_does_not_write),
		T(test_refuse_empty),
		T(test_refuse_text),
		T(test_refuse_truncated_armor),
		T(test_refuse_garbage_base64),
		T(test_refuse_secret_key),
		T(test_add_missing_file),
		T(test_add_without_out_params),
		T(test_remove),
		T(test_facts_cache),
		T(test_add_files),
		T(test_armor_order),
#undef T
	};

	tap_require_fixtures();
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
