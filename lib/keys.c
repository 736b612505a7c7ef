/* SPDX-License-Identifier: MIT */
/* keys: the trust store (import, list, remove) and key facts, through gpgme. */
#include "keys.h"
#include "ctx.h"
#include "error.h"
#include "pkg.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <gpgme.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_KEYFILE (16u << 20)

struct rv_keystore {
	char *dir;
	char *real;             /* its real path, or NULL */
	char *cache_dir;        /* the per-user cache directory, or NULL */
	char *cache_name;       /* the facts cache's name in it */
	const struct rv_ctx *ctx; /* its diagnostics go to this context's logger */
	char *home;             /* temporary GNUPGHOME holding every stored key */
	struct rv_key *keys;    /* primary keys, sorted by fingerprint */
	size_t nkeys;
	char **armors;          /* NULL-terminated: contents of the stored files, by name */
	char **names;           /* their file names */
	pthread_mutex_t lock;   /* guards the lazy creation of home */
	char **strings;         /* uids and curves the keys point to */
	size_t nstrings, capstrings;
};

int rv_keys_global_init(struct rv_error **err)
{
	if (!gpgme_check_version("1.13.0"))
		return rv_error_set(err, RV_EEXTERNAL,
				    "gpgme %s is too old (1.13 or later needed)",
				    gpgme_check_version(NULL));
	gpgme_set_locale(NULL, LC_CTYPE, setlocale(LC_CTYPE, NULL));
	/* gpg itself is asked for only when a key must be read (home_new): commands
	 * that never touch gpg (list, history, a verify with cached key facts)
	 * start no gpg process */
	return 0;
}

static int gpgme_fail(struct rv_error **err, gpgme_error_t ge, const char *what)
{
	rv_error_set(err, RV_EEXTERNAL, "%s", what);
	rv_error_cause(err, gpgme_strerror(ge));
	return RV_EEXTERNAL;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st; (void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void home_remove(char *home)
{
	if (!home)
		return;
	nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(home);
}

/* A new isolated GNUPGHOME that never starts an agent. */
static int home_new(char **out, struct rv_error **err)
{
	char tmpl[] = "/tmp/rpmvet-gnupg-XXXXXX";
	char *conf;
	FILE *f;

	if (gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP))
		return rv_error_set(err, RV_EEXTERNAL,
				    "gpg is not installed or too old for gpgme");

	if (!mkdtemp(tmpl))
		return rv_error_set(err, RV_EIO,
				    "cannot create a temporary GNUPGHOME: %s",
				    strerror(errno));
	conf = rv_xasprintf("%s/gpg.conf", tmpl);
	f = fopen(conf, "w");
	free(conf);
	if (!f || fputs("no-autostart\n", f) < 0 || fclose(f)) {
		home_remove(rv_xstrdup(tmpl));
		return rv_error_set(err, RV_EIO,
				    "cannot write gpg.conf in '%s'", tmpl);
	}
	*out = rv_xstrdup(tmpl);
	return 0;
}

static int ctx_new(gpgme_ctx_t *out, const char *home, struct rv_error **err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_error_t ge;

	ge = gpgme_new(&ctx);
	if (!ge)
		ge = gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP);
	if (!ge)
		ge = gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_OpenPGP,
					       NULL, home);
	if (ge) {
		gpgme_release(ctx);
		return gpgme_fail(err, ge, "cannot start gpg");
	}
	gpgme_set_armor(ctx, 1);
	gpgme_set_offline(ctx, 1);
	*out = ctx;
	return 0;
}

/*
 * Read all of an open regular file of at most MAX_KEYFILE bytes, NUL-terminated:
 * a read error or a file that ends early is an error, never a short buffer.
 */
static int read_fd(int fd, const char *path, char **out, size_t *len,
		   struct rv_error **err)
{
	struct stat st;
	char *buf;
	size_t n = 0, size;
	ssize_t r;

	if (fstat(fd, &st))
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return rv_error_set(err, RV_EIO, "'%s' is not a regular file", path);
	if ((uint64_t)st.st_size > MAX_KEYFILE)
		return rv_error_set(err, RV_EFORMAT,
				    "'%s' is too large for a key file (%lld bytes, at most %u)",
				    path, (long long)st.st_size, MAX_KEYFILE);
	size = (size_t)st.st_size;
	buf = rv_xmalloc(size + 1);
	while (n < size) {
		r = read(fd, buf + n, size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0)
				rv_error_set(err, RV_EIO, "cannot read '%s': %s", path,
					     strerror(errno));
			else
				rv_error_set(err, RV_EIO,
					     "cannot read '%s': it ended after %zu of its %zu bytes",
					     path, n, size);
			free(buf);
			return RV_EIO;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

/* Read a whole key file; a FIFO or device in its place fails instead of blocking. */
static int read_file(char **out, size_t *len, const char *path,
		     struct rv_error **err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), rc;

	if (fd < 0)
		return rv_error_set(err, errno == ENOENT ? RV_ENOTFOUND : RV_EIO,
				    "cannot open '%s': %s", path, strerror(errno));
	rc = read_fd(fd, path, out, len, err);
	close(fd);
	return rc;
}

/*
 * dir is a real directory, not a symbolic link, owned by the caller: the only
 * kind the keystore writes into.
 */
static int own_dir(const char *dir, struct rv_error **err)
{
	char *d = rv_xstrdup(dir);
	size_t n = strlen(d);
	struct stat st;
	int rc = 0;

	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';      /* "dir/" would follow a symbolic link */
	if (lstat(d, &st))
		rc = rv_error_set(err, errno == ENOENT ? RV_ENOTFOUND : RV_EIO,
				  "cannot open the trust store '%s': %s", dir, strerror(errno));
	else if (S_ISLNK(st.st_mode))
		rc = rv_error_set(err, RV_EINVAL,
				  "the trust store '%s' is a symbolic link: give the directory itself",
				  dir);
	else if (!S_ISDIR(st.st_mode))
		rc = rv_error_set(err, RV_EIO, "the trust store '%s' is not a directory", dir);
	else if (st.st_uid != geteuid())
		rc = rv_error_set(err, RV_EINVAL,
				  "the trust store '%s' is owned by uid %u, not by you (uid %u): it is not written",
				  dir, (unsigned)st.st_uid, (unsigned)geteuid());
	free(d);
	return rc;
}

/*
 * Write dir/name: a new temporary file made in dir (mkstemp: O_EXCL, so never
 * an existing name or a symbolic link planted there), fsynced, renamed.
 */
/*
 * Write data to a new temporary file in dir (never through an existing name),
 * synced; *tmp gets its path.  Its hidden name is no key file (key_file()).
 */
static int stage_in(char **tmp, const char *dir, const char *name, const char *data,
		    size_t len, mode_t mode, struct rv_error **err)
{
	char *t = rv_xasprintf("%s/.%s.XXXXXX", dir, name);
	size_t n = 0;
	ssize_t w;
	int fd = mkostemp(t, O_CLOEXEC), ok, e;

	*tmp = NULL;
	if (fd < 0) {
		e = errno;
		free(t);
		return rv_error_set(err, RV_EIO, "cannot write '%s/%s': %s", dir, name, strerror(e));
	}
	while (n < len) {
		w = write(fd, data + n, len - n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		n += (size_t)w;
	}
	ok = n == len && !fchmod(fd, mode) && !fsync(fd);
	e = errno;
	ok = !close(fd) && ok;
	if (!ok) {
		unlink(t);
		free(t);
		return rv_error_set(err, RV_EIO, "cannot write '%s/%s': %s", dir, name,
				    strerror(e ? e : EIO));
	}
	*tmp = t;
	return 0;
}

/* Rename a staged file to dir/name; the staged file goes either way. */
static int place_in(char *tmp, const char *dir, const char *name, struct rv_error **err)
{
	char *path = rv_xasprintf("%s/%s", dir, name);
	int rc = 0;

	if (rename(tmp, path)) {
		rc = rv_error_set(err, RV_EIO, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
	}
	free(path);
	free(tmp);
	return rc;
}

static int write_in(const char *dir, const char *name, const char *data, size_t len,
		    mode_t mode, struct rv_error **err)
{
	char *tmp;
	int rc = stage_in(&tmp, dir, name, data, len, mode, err);

	return rc ? rc : place_in(tmp, dir, name, err);
}

static int is_fingerprint(const char *s, size_t n)
{
	size_t i;

	if (n != 40 && n != 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static const char *algo_name(gpgme_pubkey_algo_t a)
{
	switch (a) {
	case GPGME_PK_RSA: case GPGME_PK_RSA_E: case GPGME_PK_RSA_S:
		return "RSA";
	case GPGME_PK_DSA: return "DSA";
	case GPGME_PK_ELG: case GPGME_PK_ELG_E: return "ElGamal";
	case GPGME_PK_ECDSA: return "ECDSA";
	case GPGME_PK_ECDH: return "ECDH";
	case GPGME_PK_EDDSA: return "EdDSA";
	case GPGME_PK_ECC: return "ECC";
	default: return "unknown";
	}
}

static const char *keep(struct rv_keystore *ks, const char *s)
{
	if (!s)
		return NULL;
	rv_grow((void **)&ks->strings, &ks->capstrings, ks->nstrings + 1,
		sizeof(*ks->strings));
	ks->strings[ks->nstrings] = rv_xstrdup(s);
	return ks->strings[ks->nstrings++];
}

static void fill_key(struct rv_keystore *ks, struct rv_key *k, gpgme_subkey_t sk,
		     int revoked)
{
	memset(k, 0, sizeof(*k));
	rv_strlcpy_case(k->fingerprint, sk->fpr, sizeof(k->fingerprint), 1);
	rv_strlcpy_case(k->keyid, sk->keyid, sizeof(k->keyid), 1);
	k->algorithm = algo_name(sk->pubkey_algo);
	k->bits = sk->length;
	k->curve = sk->curve && *sk->curve ? keep(ks, sk->curve) : NULL;
	k->created = sk->timestamp;
	k->expires = sk->expires;
	k->revoked = sk->revoked || revoked;
	k->can_sign = sk->can_sign;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct rv_key *)a)->fingerprint,
		      ((const struct rv_key *)b)->fingerprint);
}

static void clear_keys_only(struct rv_keystore *ks)
{
	size_t i;

	for (i = 0; i < ks->nkeys; i++)
		free((void *)ks->keys[i].subkeys);
	free(ks->keys);
	ks->keys = NULL;
	ks->nkeys = 0;
	for (i = 0; i < ks->nstrings; i++)
		free(ks->strings[i]);
	ks->nstrings = 0;
}

static void clear_keys(struct rv_keystore *ks)
{
	clear_keys_only(ks);
	rv_strv_free(ks->armors);
	ks->armors = NULL;
	rv_strv_free(ks->names);
	ks->names = NULL;
}

static void link_subkeys(struct rv_keystore *ks)
{
	size_t i, j;

	for (i = 0; i < ks->nkeys; i++)
		for (j = 0; j < ks->keys[i].nsubkeys; j++)
			((struct rv_key *)ks->keys[i].subkeys)[j].primary = &ks->keys[i];
}

/* List every key in the context's home into ks->keys. */
static int list_keys(struct rv_keystore *ks, gpgme_ctx_t ctx, struct rv_error **err)
{
	gpgme_key_t key;
	gpgme_error_t ge;
	size_t cap = 0, i;

	ge = gpgme_op_keylist_start(ctx, NULL, 0);
	while (!ge) {
		struct rv_key *k, *subs;
		gpgme_subkey_t sk;
		size_t n = 0;

		ge = gpgme_op_keylist_next(ctx, &key);
		if (ge)
			break;
		rv_grow((void **)&ks->keys, &cap, ks->nkeys + 1, sizeof(*ks->keys));
		k = &ks->keys[ks->nkeys++];
		fill_key(ks, k, key->subkeys, key->revoked);
		k->uid = key->uids ? keep(ks, key->uids->uid) : NULL;
		for (sk = key->subkeys->next; sk; sk = sk->next)
			n++;
		subs = rv_xcalloc(n, sizeof(*subs));
		for (i = 0, sk = key->subkeys->next; sk; sk = sk->next, i++)
			fill_key(ks, &subs[i], sk, 0);
		k->subkeys = subs;
		k->nsubkeys = n;
		gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(ctx);
	if (gpgme_err_code(ge) != GPG_ERR_EOF)
		return gpgme_fail(err, ge, "cannot list the keys of the trust store");
	if (ks->nkeys)
		qsort(ks->keys, ks->nkeys, sizeof(*ks->keys), cmp_key);
	link_subkeys(ks);
	return 0;
}

static int import_data(gpgme_ctx_t ctx, const char *buf, size_t len,
		       gpgme_import_result_t *res, struct rv_error **err)
{
	gpgme_data_t d = NULL;
	gpgme_error_t ge;

	ge = gpgme_data_new_from_mem(&d, buf, len, 0);
	if (!ge)
		ge = gpgme_op_import(ctx, d);
	gpgme_data_release(d);
	if (ge)
		return gpgme_fail(err, ge, "gpg cannot import the key");
	*res = gpgme_op_import_result(ctx);
	return 0;
}

static int key_file(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 4 && !strcmp(de->d_name + n - 4, ".asc") &&
	       is_fingerprint(de->d_name, n - 4);
}

/* The temporary GNUPGHOME with every stored key, made on first need. */
static int ensure_home(struct rv_keystore *ks, struct rv_error **err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_import_result_t ir;
	char *buf = NULL;
	size_t i, len = 0;
	FILE *all;
	int rc = 0;

	if (ks->home)
		return 0;
	if ((rc = home_new(&ks->home, err)))
		return rc;
	if (!(all = open_memstream(&buf, &len)))
		abort();
	if ((rc = ctx_new(&ctx, ks->home, err)))
		goto out;
	/* one gpg session for the whole store; file by file only to name a bad file */
	for (i = 0; ks->armors && ks->armors[i]; i++) {
		fputs(ks->armors[i], all);
		fputc('\n', all);
	}
	if (fflush(all))
		abort();
	if (!i || (rc = import_data(ctx, buf, len, &ir, err)) ||
	    (!ir->not_imported && ir->considered >= (int)i))
		goto out;
	for (i = 0; ks->armors[i]; i++) {
		if ((rc = import_data(ctx, ks->armors[i], strlen(ks->armors[i]), &ir, err)))
			break;
		if (ir->not_imported || !ir->considered) {
			rc = rv_error_set(err, RV_EFORMAT,
					  "the trust store '%s' holds a key file gpg cannot read (%s)",
					  ks->dir, ks->names[i]);
			break;
		}
	}
out:
	fclose(all);
	free(buf);
	gpgme_release(ctx);
	if (rc) {
		/* never leave a half-filled home for the next caller */
		home_remove(ks->home);
		ks->home = NULL;
	}
	return rc;
}

/*
 * The facts cache: key facts are properties of the key material, so gpg is
 * only asked again when a key file's bytes change.  It keeps verification
 * free of a gpg process for the common case.  It lives in the caller's own
 * cache directory, never in the store (anyone who can write the store, or a
 * CI cache restore, could otherwise make a revoked key valid), and each entry
 * names the file and the SHA-256 of the exact bytes it was derived from:
 *
 *   F <file name> <sha256>
 *   K <primary key facts>
 *   S <subkey facts>...
 */
#define CACHE_MAGIC "rpmvet-keys-cache 3\n"

static void put_field(FILE *f, const char *s)
{
	if (!s) {
		fputs(" -", f);
		return;
	}
	fputs(" =", f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= ' ' || c == '%' || c >= 0x7f)
			fprintf(f, "%%%02X", c);
		else
			fputc(c, f);
	}
}

static char *get_field(char **cursor)
{
	char *tok = strsep(cursor, " "), *r, *w;

	if (!tok || !strcmp(tok, "-") || tok[0] != '=')
		return NULL;
	for (r = w = tok + 1; *r; r++) {
		unsigned v;
		if (*r == '%' && sscanf(r + 1, "%2X", &v) == 1 && r[1] && r[2]) {
			*w++ = (char)v;
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return tok + 1;
}

static void put_key(FILE *f, char kind, const struct rv_key *k)
{
	fprintf(f, "%c %s %s %lld %lld %d %d %u", kind, k->fingerprint, k->keyid,
		(long long)k->created, (long long)k->expires, k->revoked,
		k->can_sign, k->bits);
	put_field(f, k->algorithm);
	put_field(f, k->curve);
	put_field(f, k->uid);
	fputc('\n', f);
}

static const char *algo_static(const char *name)
{
	static const char *const names[] = { "RSA", "DSA", "ElGamal", "ECDSA",
					     "ECDH", "EdDSA", "ECC" };
	size_t i;

	for (i = 0; name && i < RV_ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return names[i];
	return "unknown";
}

static int get_key(struct rv_keystore *ks, char *line, struct rv_key *k)
{
	char *cur, *fpr, *id;
	long long created, expires;
	int revoked, can_sign;
	unsigned bits;

	memset(k, 0, sizeof(*k));
	if (strlen(line) < 3 || line[1] != ' ')
		return -1;
	cur = line + 2;
	fpr = strsep(&cur, " ");
	id = strsep(&cur, " ");
	if (!fpr || !id || !cur ||
	    sscanf(cur, "%lld %lld %d %d %u", &created, &expires, &revoked,
		   &can_sign, &bits) != 5)
		return -1;
	for (int i = 0; i < 5; i++)
		strsep(&cur, " ");
	rv_strlcpy_case(k->fingerprint, fpr, sizeof(k->fingerprint), 1);
	rv_strlcpy_case(k->keyid, id, sizeof(k->keyid), 1);
	k->created = created;
	k->expires = expires;
	k->revoked = revoked;
	k->can_sign = can_sign;
	k->bits = bits;
	k->algorithm = algo_static(get_field(&cur));
	k->curve = keep(ks, get_field(&cur));
	k->uid = keep(ks, get_field(&cur));
	return 0;
}

/* The store's file i: its name, and the SHA-256 of the bytes read. */
struct keyfile {
	const char *name;
	char sum[65];
	int seen;
};

/* The primary fingerprint a key file's name claims ("<FPR>.asc"). */
static int names_key(const char *name, const char *fpr)
{
	size_t n = strlen(name) - 4;

	return strlen(fpr) == n && !strncasecmp(name, fpr, n);
}

/* A cache directory inside the store (or the store itself) is no cache. */
static int in_store(const struct rv_keystore *ks, const char *dir)
{
	char *d = rv_xstrdup(dir), *real, *slash;
	size_t n = strlen(ks->real);
	int in;

	/* a directory not made yet is where its nearest existing parent is */
	while (!(real = realpath(d, NULL)) && errno == ENOENT && (slash = strrchr(d, '/')) &&
	       slash != d)
		*slash = '\0';
	in = !real || (!strncmp(real, ks->real, n) && (real[n] == '/' || !real[n]));
	free(real);
	free(d);
	return in;
}

/*
 * Open the facts cache: only a regular file of our own that nobody else can
 * write is believed (the rule of the closure cache); -1 when there is none.
 */
static int cache_open(const struct rv_keystore *ks)
{
	char *path;
	struct stat st;
	int fd;

	if (!ks->cache_dir || in_store(ks, ks->cache_dir))
		return -1;
	path = rv_xasprintf("%s/%s", ks->cache_dir, ks->cache_name);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	free(path);
	if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
			(st.st_mode & 022))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Take the facts from the cache when every key file has its entry; 0 when used. */
static int cache_read(struct rv_keystore *ks, struct keyfile *files, size_t n)
{
	char *buf = NULL, *line, *cur;
	size_t cap = 0, nsub = 0, i;
	struct keyfile *in = NULL;  /* the entry being read, when it matches */
	int prim_in = 0;            /* that entry's primary key was read */
	int fd = cache_open(ks), rc = -1;

	if (fd < 0)
		return -1;
	if (read_fd(fd, "cache", &buf, NULL, NULL) ||
	    strncmp(buf, CACHE_MAGIC, strlen(CACHE_MAGIC)))
		goto out;
	cur = buf + strlen(CACHE_MAGIC);
	while ((line = strsep(&cur, "\n")) && *line) {
		struct rv_key k;
		if (line[0] == 'F') {
			char *name, *sum, *p = line + 1;
			in = NULL;
			prim_in = 0;
			if (*p++ != ' ' || !(name = strsep(&p, " ")) || !(sum = p))
				goto bad;
			for (i = 0; i < n; i++)
				if (!strcmp(files[i].name, name) && !strcmp(files[i].sum, sum) &&
				    !files[i].seen)
					in = &files[i];
			if (in)
				in->seen = 1;
			continue;
		}
		if (!in)
			continue;   /* the entry of another file or of other bytes */
		if ((line[0] != 'K' && line[0] != 'S') || get_key(ks, line, &k))
			goto bad;
		if (line[0] == 'K') {
			if (!names_key(in->name, k.fingerprint))
				goto bad;
			rv_grow((void **)&ks->keys, &cap, ks->nkeys + 1, sizeof(*ks->keys));
			ks->keys[ks->nkeys++] = k;
			nsub = 0;
			prim_in = 1;
		} else {
			struct rv_key *prim, *subs;
			if (!prim_in)
				goto bad;
			prim = &ks->keys[ks->nkeys - 1];
			subs = rv_xrealloc((void *)prim->subkeys, (nsub + 1) * sizeof(*subs));
			subs[nsub++] = k;
			prim->subkeys = subs;
			prim->nsubkeys = nsub;
		}
	}
	for (i = 0; i < n; i++)
		if (!files[i].seen)
			goto bad;
	if (ks->nkeys)
		qsort(ks->keys, ks->nkeys, sizeof(*ks->keys), cmp_key);
	link_subkeys(ks);
	rc = 0;
	goto out;
bad:
	clear_keys_only(ks);
out:
	close(fd);
	free(buf);
	return rc;
}

/*
 * Best effort: write the facts gpg gave, each primary key under the file that
 * names it.  A store whose files do not each hold the key they are named
 * after has no cache.  The cache directory (and its parent, ~/.cache) is
 * created private; it must be a real directory of our own.
 */
static void cache_write(struct rv_keystore *ks, const struct keyfile *files, size_t n)
{
	char *data = NULL, *parent, *slash;
	size_t len = 0, i, j, claimed = 0;
	struct stat st;
	FILE *f;

	if (!ks->cache_dir)
		return;
	if (!(f = open_memstream(&data, &len)))
		abort();
	fputs(CACHE_MAGIC, f);
	for (i = 0; i < n; i++) {
		fprintf(f, "F %s %s\n", files[i].name, files[i].sum);
		for (j = 0; j < ks->nkeys; j++) {
			const struct rv_key *k = &ks->keys[j];
			size_t s;
			if (!names_key(files[i].name, k->fingerprint))
				continue;
			put_key(f, 'K', k);
			for (s = 0; s < k->nsubkeys; s++)
				put_key(f, 'S', &k->subkeys[s]);
			claimed++;
		}
	}
	fclose(f);
	parent = rv_xstrdup(ks->cache_dir);
	if ((slash = strrchr(parent, '/')) && slash != parent) {
		*slash = '\0';
		if (!in_store(ks, parent)) {
			mkdir(parent, 0700);
			mkdir(ks->cache_dir, 0700);
		}
	}
	free(parent);
	if (claimed == ks->nkeys && !lstat(ks->cache_dir, &st) && S_ISDIR(st.st_mode) &&
	    st.st_uid == geteuid() && !(st.st_mode & 022) && !in_store(ks, ks->cache_dir))
		write_in(ks->cache_dir, ks->cache_name, data, len, 0600, NULL);
	free(data);
}

/* (Re)load the stored keys: armors in file-name order, facts from the cache or gpg. */
static int load(struct rv_keystore *ks, struct rv_error **err)
{
	gpgme_ctx_t ctx = NULL;
	struct dirent **ents = NULL;
	struct keyfile *files = NULL;
	int n, i, rc = 0;

	clear_keys(ks);
	home_remove(ks->home);
	ks->home = NULL;
	n = scandir(ks->dir, &ents, key_file, alphasort);
	if (n < 0)
		return rv_error_set(err, errno == ENOENT ? RV_ENOTFOUND : RV_EIO,
				    "cannot open the trust store '%s': %s", ks->dir,
				    strerror(errno));
	ks->armors = rv_xcalloc((size_t)n + 1, sizeof(char *));
	ks->names = rv_xcalloc((size_t)n + 1, sizeof(char *));
	files = rv_xcalloc((size_t)n + 1, sizeof(*files));
	for (i = 0; i < n; i++) {
		char *path = rv_xasprintf("%s/%s", ks->dir, ents[i]->d_name);
		size_t len;

		rc = read_file(&ks->armors[i], &len, path, err);
		free(path);
		if (rc)
			goto out;
		ks->names[i] = rv_xstrdup(ents[i]->d_name);
		files[i].name = ks->names[i];
		rv_sha256_hex(ks->armors[i], len, files[i].sum);
	}
	if (!cache_read(ks, files, (size_t)n)) {
		rv_ctx_log(ks->ctx, 3, "trust store '%s': key facts read from the cache '%s/%s'",
			   ks->dir, ks->cache_dir, ks->cache_name);
		goto out;
	}
	if ((rc = ensure_home(ks, err)) || (rc = ctx_new(&ctx, ks->home, err)))
		goto out;
	if (!(rc = list_keys(ks, ctx, err))) {
		rv_ctx_log(ks->ctx, 3, "trust store '%s': key facts derived with gpg%s", ks->dir,
			   ks->cache_dir ? " (the cache had no entry for every key file)" : "");
		cache_write(ks, files, (size_t)n);
	}
out:
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	free(files);
	gpgme_release(ctx);
	return rc;
}

int rv_keystore_open(struct rv_keystore **out, struct rv_ctx *ctx,
		     const char *dir, int create, struct rv_error **err)
{
	struct rv_keystore *ks;
	struct stat st;
	int rc;

	*out = NULL;
	if (stat(dir, &st)) {
		if (errno != ENOENT || !create)
			return rv_error_set(err, errno == ENOENT ? RV_ENOTFOUND : RV_EIO,
					    "cannot open the trust store '%s': %s",
					    dir, strerror(errno));
		if (mkdir(dir, 0755))
			return rv_error_set(err, RV_EIO,
					    "cannot create the trust store '%s': %s",
					    dir, strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		return rv_error_set(err, RV_EIO,
				    "the trust store '%s' is not a directory", dir);
	}
	ks = rv_xcalloc(1, sizeof(*ks));
	ks->dir = rv_xstrdup(dir);
	ks->ctx = ctx;
	if (rv_ctx_cache_dir(ctx) && (ks->real = realpath(dir, NULL))) {
		char sum[65];
		rv_sha256_hex(ks->real, strlen(ks->real), sum);
		ks->cache_dir = rv_xstrdup(rv_ctx_cache_dir(ctx));
		ks->cache_name = rv_xasprintf("keys-%s.cache", sum);
	}
	pthread_mutex_init(&ks->lock, NULL);
	if ((rc = load(ks, err))) {
		rv_keystore_free(ks);
		return rc;
	}
	*out = ks;
	return 0;
}

void rv_keystore_free(struct rv_keystore *ks)
{
	if (!ks)
		return;
	clear_keys(ks);
	free(ks->strings);
	home_remove(ks->home);
	pthread_mutex_destroy(&ks->lock);
	free(ks->cache_dir);
	free(ks->cache_name);
	free(ks->real);
	free(ks->dir);
	free(ks);
}

size_t rv_keystore_count(const struct rv_keystore *ks)
{
	return ks ? ks->nkeys : 0;
}

const struct rv_key *rv_keystore_key(const struct rv_keystore *ks, size_t i)
{
	return ks && i < ks->nkeys ? &ks->keys[i] : NULL;
}

const char *rv_keystore_armor(const struct rv_keystore *ks, size_t i)
{
	size_t j;

	for (j = 0; ks && ks->armors && ks->armors[j]; j++)
		if (j == i)
			return ks->armors[i];
	return NULL; /* past the end */
}

static int id_matches(const struct rv_key *k, const char *id, size_t n)
{
	if (n == 16)
		return !strcasecmp(k->keyid, id);
	return !strcasecmp(k->fingerprint, id);
}

const struct rv_key *rv_keystore_find(const struct rv_keystore *ks,
				      const char *id)
{
	size_t i, j, n = id ? strlen(id) : 0;

	if (!ks || (n != 16 && n != 40 && n != 64))
		return NULL;
	for (i = 0; i < ks->nkeys; i++) {
		if (id_matches(&ks->keys[i], id, n))
			return &ks->keys[i];
		for (j = 0; j < ks->keys[i].nsubkeys; j++)
			if (id_matches(&ks->keys[i].subkeys[j], id, n))
				return &ks->keys[i].subkeys[j];
	}
	return NULL;
}

int rv_key_is_expired(const struct rv_key *key, time_t now)
{
	return key && key->expires > 0 && key->expires <= (int64_t)now;
}

void rv_strv_free(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Export one key, armored, from ctx into a new string. */
static int export_key(char **out, gpgme_ctx_t ctx, const char *fpr,
		      struct rv_error **err)
{
	gpgme_data_t d = NULL;
	gpgme_error_t ge;
	size_t len = 0;
	char *buf;

	ge = gpgme_data_new(&d);
	if (!ge)
		ge = gpgme_op_export(ctx, fpr, 0, d);
	if (ge) {
		gpgme_data_release(d);
		return gpgme_fail(err, ge, "gpg cannot export the key");
	}
	buf = gpgme_data_release_and_get_mem(d, &len);
	if (!buf || !len) {
		gpgme_free(buf);
		return rv_error_set(err, RV_EEXTERNAL,
				    "gpg exported nothing for key %s", fpr);
	}
	*out = rv_xstrndup(buf, len);
	gpgme_free(buf);
	return 0;
}

static int check_armor(const char *path, const char *buf, size_t len,
		       struct rv_error **err)
{
	if (!len)
		return rv_error_set(err, RV_EFORMAT, "'%s' is empty", path);
	if (strstr(buf, "-----BEGIN PGP PRIVATE KEY BLOCK-----"))
		return rv_error_set(err, RV_EFORMAT,
				    "'%s' holds a secret key: give the public key only (gpg --armor --export)",
				    path);
	if (!strstr(buf, "-----BEGIN PGP PUBLIC KEY BLOCK-----"))
		return rv_error_set(err, RV_EFORMAT,
				    "'%s' is not an armored OpenPGP public key (no 'BEGIN PGP PUBLIC KEY BLOCK' line)",
				    path);
	if (!strstr(buf, "-----END PGP PUBLIC KEY BLOCK-----"))
		return rv_error_set(err, RV_EFORMAT,
				    "'%s' is truncated: the armored key has no END line",
				    path);
	return 0;
}

/* Append fpr to the NULL-terminated *v of *n entries unless it is there. */
static void add_fpr(char ***v, size_t *n, const char *fpr)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcasecmp((*v)[i], fpr))
			return;
	*v = rv_xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[*n] = rv_xstrdup(fpr);
	rv_strlcpy_case((*v)[*n], fpr, strlen(fpr) + 1, 1);
	(*v)[++*n] = NULL;
}

/* Import one file into ctx, checked as a whole; its primary fingerprints go to fprs. */
static int import_one(gpgme_ctx_t ctx, const char *path, char ***fprs, size_t *n,
		      struct rv_error **err)
{
	gpgme_import_result_t ir;
	gpgme_import_status_t st;
	char *buf = NULL, **mine = NULL;
	size_t len, nmine = 0, i;
	int rc;

	if ((rc = read_file(&buf, &len, path, err)) || (rc = check_armor(path, buf, len, err)))
		goto out;
	if ((rc = import_data(ctx, buf, len, &ir, err))) {
		rv_error_wrap(err, "cannot read '%s'", path);
		rc = RV_EFORMAT;
		if (err && *err)
			(*err)->code = RV_EFORMAT;
		goto out;
	}
	if (ir->secret_read) {
		rc = rv_error_set(err, RV_EFORMAT,
				  "'%s' holds a secret key: give the public key only", path);
		goto out;
	}
	for (st = ir->imports; st; st = st->next) {
		if (st->result) {
			rc = rv_error_set(err, RV_EFORMAT, "'%s': key %s is malformed",
					  path, st->fpr ? st->fpr : "?");
			rv_error_cause(err, gpgme_strerror(st->result));
			goto out;
		}
		add_fpr(&mine, &nmine, st->fpr);
	}
	if (!nmine || ir->not_imported || (ir->imported + ir->unchanged) == 0) {
		rc = rv_error_set(err, RV_EFORMAT,
				  "'%s' holds no usable OpenPGP public key (%d considered, %d without a user id, %d rejected by gpg)",
				  path, ir->considered, ir->no_user_id, ir->not_imported);
		goto out;
	}
	for (i = 0; i < nmine; i++)
		add_fpr(fprs, n, mine[i]);
out:
	rv_strv_free(mine);
	free(buf);
	return rc;
}

/*
 * Import every file into one temporary home, merge the stored copies of the
 * same keys, export each key: *fprs and *armor (NULL-terminated, in file
 * order) are what the store would be written with.  Nothing is written.
 */
static int import_prepare(struct rv_keystore *ks, const char *const *paths, size_t npaths,
			  char ***fprs_out, char ***armor_out, struct rv_error **err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_import_result_t ir;
	char *home = NULL, **fprs = NULL, **armor = NULL, *old = NULL;
	size_t n = 0, i, oldlen = 0;
	FILE *olds = NULL;
	int rc;

	*fprs_out = *armor_out = NULL;
	if ((rc = home_new(&home, err)) || (rc = ctx_new(&ctx, home, err)))
		goto out;
	for (i = 0; i < npaths; i++)
		if ((rc = import_one(ctx, paths[i], &fprs, &n, err)))
			goto out;
	/* merge with the stored copies, so a key update adds, never loses, subkeys */
	if (!(olds = open_memstream(&old, &oldlen)))
		abort();
	for (i = 0; i < n; i++) {
		char *stored = rv_xasprintf("%s/%s.asc", ks->dir, fprs[i]), *buf;
		if (!read_file(&buf, NULL, stored, NULL)) {
			fputs(buf, olds);
			fputc('\n', olds);
			free(buf);
		}
		free(stored);
	}
	fclose(olds);
	if (oldlen && (rc = import_data(ctx, old, oldlen, &ir, err)))
		goto out;
	armor = rv_xcalloc(n + 1, sizeof(*armor));
	for (i = 0; i < n; i++)
		if ((rc = export_key(&armor[i], ctx, fprs[i], err)))
			goto out;
	*fprs_out = fprs;
	*armor_out = armor;
	fprs = armor = NULL;
out:
	gpgme_release(ctx);
	home_remove(home);
	rv_strv_free(armor);
	rv_strv_free(fprs);
	free(old);
	return rc;
}

/* Only when every file imported and exported, write the store. */
static int import_files(struct rv_keystore *ks, const char *const *paths, size_t npaths,
			int write, char ***added, struct rv_error **err)
{
	char **fprs = NULL, **armor = NULL;
	size_t i;
	int rc;

	if (added)
		*added = NULL;
	if (write && (rc = own_dir(ks->dir, err)))
		return rc;
	if ((rc = import_prepare(ks, paths, npaths, &fprs, &armor, err)) || !write)
		goto out;
	/* everything is ready: only now touch the store */
	for (i = 0; fprs[i]; i++) {
		char *name = rv_xasprintf("%s.asc", fprs[i]);
		rc = write_in(ks->dir, name, armor[i], strlen(armor[i]), 0644, err);
		free(name);
		if (rc)
			goto out;
	}
	rc = load(ks, err);
	if (!rc && added) {
		*added = fprs;
		fprs = NULL;
	}
out:
	rv_strv_free(armor);
	rv_strv_free(fprs);
	return rc;
}

struct rv_key_import {
	struct rv_keystore *ks;
	char **fprs, **armor, **staged;
	size_t n;
};

int rv_key_import_new(struct rv_key_import **out, struct rv_keystore *ks,
		      const char *const *paths, size_t npaths, struct rv_error **err)
{
	struct rv_key_import *imp;
	char **fprs, **armor;
	int rc;

	*out = NULL;
	if ((rc = own_dir(ks->dir, err)) ||
	    (rc = import_prepare(ks, paths, npaths, &fprs, &armor, err)))
		return rc;
	imp = rv_xcalloc(1, sizeof(*imp));
	imp->ks = ks;
	imp->fprs = fprs;
	imp->armor = armor;
	while (fprs[imp->n])
		imp->n++;
	imp->staged = rv_xcalloc(imp->n + 1, sizeof(char *));
	*out = imp;
	return 0;
}

char *const *rv_key_import_fingerprints(const struct rv_key_import *imp)
{
	return imp->fprs;
}

int rv_key_import_stage(struct rv_key_import *imp, struct rv_error **err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < imp->n && !rc; i++) {
		char *name = rv_xasprintf("%s.asc", imp->fprs[i]);
		rc = stage_in(&imp->staged[i], imp->ks->dir, name, imp->armor[i],
			      strlen(imp->armor[i]), 0644, err);
		free(name);
	}
	return rc;
}

int rv_key_import_place(struct rv_key_import *imp, struct rv_error **err)
{
	size_t i;
	int rc = 0, lrc;

	for (i = 0; i < imp->n; i++) {
		char *name = rv_xasprintf("%s.asc", imp->fprs[i]), *tmp = imp->staged[i];
		imp->staged[i] = NULL;
		if (tmp && !rc)
			rc = place_in(tmp, imp->ks->dir, name, err);
		else if (tmp) {
			unlink(tmp);
			free(tmp);
		}
		free(name);
	}
	/* the store as it now is, placed or not */
	lrc = load(imp->ks, rc ? NULL : err);
	return rc ? rc : lrc;
}

void rv_key_import_free(struct rv_key_import *imp)
{
	size_t i;

	if (!imp)
		return;
	for (i = 0; i < imp->n; i++)
		if (imp->staged[i]) {
			unlink(imp->staged[i]);
			free(imp->staged[i]);
		}
	free(imp->staged);
	rv_strv_free(imp->fprs);
	rv_strv_free(imp->armor);
	free(imp);
}

int rv_keystore_add_files(struct rv_keystore *ks, const char *const *paths,
			  size_t npaths, char ***added, struct rv_error **err)
{
	return import_files(ks, paths, npaths, 1, added, err);
}

int rv_keystore_add(struct rv_keystore *ks, const char *path, char ***added,
		    struct rv_error **err)
{
	return import_files(ks, &path, 1, 1, added, err);
}

int rv_keystore_check(struct rv_keystore *ks, const char *path,
		      struct rv_error **err)
{
	return import_files(ks, &path, 1, 0, NULL, err);
}

/* The key file of a full fingerprint: checks it, and that the store is ours. */
static int key_path(char **path, struct rv_keystore *ks, const char *fingerprint,
		    char fpr[65], struct rv_error **err)
{
	int rc;

	*path = NULL;
	if (!is_fingerprint(fingerprint, strlen(fingerprint)))
		return rv_error_set(err, RV_EINVAL,
				    "'%s' is not a full fingerprint (40 or 64 hex digits)",
				    fingerprint);
	if ((rc = own_dir(ks->dir, err)))
		return rc;
	rv_strlcpy_case(fpr, fingerprint, 65, 1);
	*path = rv_xasprintf("%s/%s.asc", ks->dir, fpr);
	return 0;
}

static int no_key(struct rv_keystore *ks, const char *fpr, int e, struct rv_error **err)
{
	return rv_error_set(err, e == ENOENT ? RV_ENOTFOUND : RV_EIO,
			    e == ENOENT ? "no key %s in the trust store '%s'"
					: "cannot remove key %s from '%s'",
			    fpr, ks->dir);
}

int rv_keystore_remove(struct rv_keystore *ks, const char *fingerprint,
		       struct rv_error **err)
{
	char fpr[65], *path;
	int rc;

	if ((rc = key_path(&path, ks, fingerprint, fpr, err)))
		return rc;
	if (unlink(path))
		rc = no_key(ks, fpr, errno, err);
	free(path);
	return rc ? rc : load(ks, err);
}

int rv_keystore_take(struct rv_keystore *ks, const char *fingerprint, char **aside,
		     struct rv_error **err)
{
	char fpr[65], *path, *tmp = NULL;
	int rc, fd, e;

	*aside = NULL;
	if ((rc = key_path(&path, ks, fingerprint, fpr, err)))
		return rc;
	/* a hidden name of our own: rename() replaces the placeholder atomically */
	tmp = rv_xasprintf("%s/.%s.asc.XXXXXX", ks->dir, fpr);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		rc = no_key(ks, fpr, errno == ENOENT ? EIO : errno, err);
		goto out;
	}
	close(fd);
	if (rename(path, tmp)) {
		e = errno;
		unlink(tmp);
		rc = no_key(ks, fpr, e, err);
		goto out;
	}
	*aside = tmp;
	tmp = NULL;
	rc = load(ks, err);
out:
	free(tmp);
	free(path);
	return rc;
}

int rv_keystore_untake(struct rv_keystore *ks, const char *fingerprint, char *aside,
		       int restore, struct rv_error **err)
{
	char fpr[65], *path = NULL;
	int rc = 0;

	if (!aside)
		return 0;
	if (!restore) {
		unlink(aside);
	} else if ((rc = key_path(&path, ks, fingerprint, fpr, err)) == 0 && rename(aside, path)) {
		rc = rv_error_set(err, RV_EIO, "cannot put key %s back into '%s': %s", fpr,
				  ks->dir, strerror(errno));
	}
	free(path);
	free(aside);
	return rc ? rc : load(ks, err);
}

int rv_keystore_gpg_verify(const struct rv_keystore *ks, const void *sig,
			   size_t siglen, const void *data, size_t datalen,
			   enum rv_gpg_status *status, char fpr[65],
			   struct rv_error **err)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t sd = NULL, dd = NULL;
	gpgme_verify_result_t vr;
	gpgme_error_t ge;
	int rc;

	*status = RV_GPG_UNSUPPORTED;
	fpr[0] = '\0';
	pthread_mutex_lock((pthread_mutex_t *)&ks->lock);
	rc = ensure_home((struct rv_keystore *)ks, err);
	pthread_mutex_unlock((pthread_mutex_t *)&ks->lock);
	if (rc || (rc = ctx_new(&ctx, ks->home, err)))
		return rc;
	ge = gpgme_data_new_from_mem(&sd, sig, siglen, 0);
	if (!ge)
		ge = gpgme_data_new_from_mem(&dd, data, datalen, 0);
	if (!ge)
		ge = gpgme_op_verify(ctx, sd, dd, NULL);
	if (gpgme_err_code(ge) == GPG_ERR_NO_DATA || gpgme_err_code(ge) == GPG_ERR_BAD_DATA) {
		ge = 0; /* gpg could not parse the signature: unsupported */
	} else if (ge) {
		rc = gpgme_fail(err, ge, "gpg cannot verify the signature");
	} else if ((vr = gpgme_op_verify_result(ctx)) && vr->signatures) {
		gpgme_signature_t s = vr->signatures;
		switch (gpgme_err_code(s->status)) {
		case GPG_ERR_NO_ERROR:
		case GPG_ERR_KEY_EXPIRED: /* valid maths; key state is judged by the caller */
		case GPG_ERR_SIG_EXPIRED:
		case GPG_ERR_CERT_REVOKED:
			*status = RV_GPG_GOOD;
			rv_strlcpy_case(fpr, s->fpr, 65, 1);
			break;
		case GPG_ERR_BAD_SIGNATURE:
			*status = RV_GPG_BAD;
			break;
		case GPG_ERR_NO_PUBKEY:
			*status = RV_GPG_NOKEY;
			break;
		default:
			*status = RV_GPG_UNSUPPORTED;
		}
	}
	gpgme_data_release(sd);
	gpgme_data_release(dd);
	gpgme_release(ctx);
	return rc;
}

/* ---- upstream signatures: one keyring, one signature, an isolated home ---- */

void rv_upstream_check_clear(struct rv_upstream_check *c)
{
	rv_strv_free(c->certifiers);
	c->certifiers = NULL;
}

struct reader {
	rv_keys_read_fn read;
	void *data;
};

static ssize_t reader_cb(void *handle, void *buf, size_t len)
{
	struct reader *r = handle;
	long n = r->read(r->data, buf, len);

	if (n < 0)
		errno = EIO;
	return n < 0 ? -1 : (ssize_t)n;
}

/* A key's state at now: expired or revoked, its primary or the subkey that signed. */
static void key_state(gpgme_key_t key, const char *sigfpr, time_t now,
		      struct rv_upstream_check *out)
{
	gpgme_subkey_t sk;

	out->revoked = key->revoked || key->subkeys->revoked;
	out->expired = key->subkeys->expires && key->subkeys->expires <= now;
	for (sk = key->subkeys->next; sk; sk = sk->next)
		if (sk->fpr && !strcasecmp(sk->fpr, sigfpr)) {
			out->revoked |= sk->revoked;
			out->expired |= sk->expires && sk->expires <= now;
		}
}

/*
 * The other keys of the home whose key signature on key verifies (gpg checks
 * them: the certifier must be in the keyring), as primary fingerprints.
 */
static char **certifiers_of(gpgme_ctx_t ctx, gpgme_key_t key)
{
	char **v = NULL;
	size_t n = 0, cap = 0, i;
	gpgme_user_id_t uid;
	gpgme_key_sig_t ks;

	for (uid = key->uids; uid; uid = uid->next)
		for (ks = uid->signatures; ks; ks = ks->next) {
			gpgme_key_t by = NULL;
			char fpr[65];
			if (ks->revoked || ks->expired || ks->invalid ||
			    gpgme_err_code(ks->status) != GPG_ERR_NO_ERROR || !ks->keyid ||
			    !strcasecmp(ks->keyid, key->subkeys->keyid))
				continue;
			if (gpgme_get_key(ctx, ks->keyid, &by, 0) || !by || !by->subkeys) {
				gpgme_key_unref(by);
				continue;
			}
			rv_strlcpy_case(fpr, by->subkeys->fpr, sizeof(fpr), 1);
			gpgme_key_unref(by);
			for (i = 0; i < n && strcmp(v[i], fpr); i++)
				;
			if (i < n)
				continue;
			rv_grow((void **)&v, &cap, n + 2, sizeof(*v));
			v[n++] = rv_xstrdup(fpr);
			v[n] = NULL;
		}
	return v;
}

int rv_keys_verify_detached(const struct rv_keyring_part *keys, size_t nkeys, const void *sig,
			    size_t siglen, rv_keys_read_fn read, void *read_data,
			    time_t now, struct rv_upstream_check *out, struct rv_error **err)
{
	struct gpgme_data_cbs cbs = { .read = reader_cb };
	struct reader rd = { read, read_data };
	gpgme_ctx_t ctx = NULL;
	gpgme_data_t kd = NULL, sd = NULL, dd = NULL;
	gpgme_import_result_t ir;
	gpgme_verify_result_t vr;
	gpgme_key_t key = NULL;
	gpgme_error_t ge;
	char *home = NULL;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->status = RV_GPG_UNSUPPORTED;
	if ((rc = home_new(&home, err)) || (rc = ctx_new(&ctx, home, err)))
		goto out;
	for (i = 0, ge = 0; i < nkeys && !ge; i++) {
		/* a keyring gpg cannot read holds no key */
		ge = gpgme_data_new_from_mem(&kd, keys[i].data, keys[i].len, 0);
		if (!ge && !gpgme_op_import(ctx, kd) && (ir = gpgme_op_import_result(ctx)))
			out->nkeys += (size_t)ir->imported;
		gpgme_data_release(kd);
		kd = NULL;
	}
	if (!ge)
		ge = gpgme_data_new_from_mem(&sd, sig, siglen, 0);
	if (!ge)
		ge = gpgme_data_new_from_cbs(&dd, &cbs, &rd);
	if (!ge)
		ge = gpgme_op_verify(ctx, sd, dd, NULL);
	if (gpgme_err_code(ge) == GPG_ERR_NO_DATA || gpgme_err_code(ge) == GPG_ERR_BAD_DATA)
		goto out; /* gpg could not parse the signature: unsupported */
	if (ge) {
		rc = gpgme_fail(err, ge, "gpg cannot verify the upstream signature");
		goto out;
	}
	if (!(vr = gpgme_op_verify_result(ctx)) || !vr->signatures)
		goto out;
	switch (gpgme_err_code(vr->signatures->status)) {
	case GPG_ERR_NO_ERROR:
	case GPG_ERR_KEY_EXPIRED: /* valid maths: the key's state is judged at now below */
	case GPG_ERR_SIG_EXPIRED:
	case GPG_ERR_CERT_REVOKED:
		out->status = RV_GPG_GOOD;
		break;
	case GPG_ERR_BAD_SIGNATURE:
		out->status = RV_GPG_BAD;
		break;
	case GPG_ERR_NO_PUBKEY:
		out->status = RV_GPG_NOKEY;
		break;
	default:
		goto out;
	}
	rv_strlcpy_case(out->fpr, vr->signatures->fpr ? vr->signatures->fpr : "", 65, 1);
	if (out->status != RV_GPG_GOOD)
		goto out;
	gpgme_set_keylist_mode(ctx, GPGME_KEYLIST_MODE_LOCAL | GPGME_KEYLIST_MODE_SIGS |
				    GPGME_KEYLIST_MODE_VALIDATE);
	if ((ge = gpgme_get_key(ctx, vr->signatures->fpr, &key, 0)) || !key || !key->subkeys) {
		rc = gpgme_fail(err, ge ? ge : gpg_error(GPG_ERR_NO_PUBKEY),
				"gpg cannot list the upstream signer's key");
		goto out;
	}
	key_state(key, vr->signatures->fpr, now, out);
	rv_strlcpy_case(out->fpr, key->subkeys->fpr, 65, 1);
	out->certifiers = certifiers_of(ctx, key);
out:
	gpgme_key_unref(key);
	gpgme_data_release(kd);
	gpgme_data_release(sd);
	gpgme_data_release(dd);
	gpgme_release(ctx);
	home_remove(home);
	return rc;
}
