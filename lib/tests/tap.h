/* SPDX-License-Identifier: MIT */
/* tap.h: shared helpers of the cmocka unit tests (fixtures, temp dirs, files, sha256). */
#ifndef RV_TESTS_TAP_H
#define RV_TESTS_TAP_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Every helper is static inline: each test binary uses a different subset and
 * an unused static inline function draws no warning.
 */

/* The fixture directory from RPMVET_FIXTURES, or NULL when it is not built. */
static inline const char *tap_fixtures(void)
{
	const char *dir = getenv("RPMVET_FIXTURES");
	char path[4096];

	if (!dir || !*dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/keys/fingerprints.txt", dir);
	return access(path, R_OK) ? NULL : dir;
}

/* Skip the whole binary, as prove understands it, when there are no fixtures. */
static inline const char *tap_require_fixtures(void)
{
	const char *dir = tap_fixtures();

	if (!dir) {
		printf("1..0 # SKIP fixtures not built\n");
		exit(0);
	}
	return dir;
}

/* A new string, the caller's: like asprintf but aborts on failure. */
static inline char *tap_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *tap_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

/* A fixture file's path (the caller's). */
static inline char *tap_fixture(const char *rel)
{
	return tap_fmt("%s/%s", tap_require_fixtures(), rel);
}

/* A new temporary directory under /tmp (the caller's string). */
static inline char *tap_tmpdir(void)
{
	char tmpl[] = "/tmp/rpmvet-test-XXXXXX";

	if (!mkdtemp(tmpl))
		abort();
	return strdup(tmpl);
}

static inline int tap_rm_entry(const char *path, const struct stat *st, int flag,
			       struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove a directory tree (never follows symlinks); NULL does nothing. */
static inline void tap_rmtree(const char *dir)
{
	if (dir)
		nftw(dir, tap_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write len bytes to path; 0 on success. */
static inline int tap_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc;

	if (!f)
		return -1;
	rc = fwrite(data, 1, len, f) == len ? 0 : -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

/* Read a whole file into a new NUL-terminated buffer; NULL on failure. */
static inline char *tap_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		r = fread(buf + n, 1, 4096, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Copy a file; 0 on success. */
static inline int tap_copy_file(const char *from, const char *to)
{
	size_t len;
	char *buf = tap_read_file(from, &len);
	int rc;

	if (!buf)
		return -1;
	rc = tap_write_file(to, buf, len);
	free(buf);
	return rc;
}

/* Run a shell command and read the first 64 hex digits it prints; 0 on success. */
static inline int tap_sha256_cmd(const char *cmd, char out[65])
{
	FILE *p = popen(cmd, "r");
	int n;

	out[0] = '\0';
	if (!p)
		return -1;
	n = fscanf(p, "%64[0-9a-f]", out);
	if (pclose(p) != 0 || n != 1 || strlen(out) != 64) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/* SHA-256 of a file, computed by sha256sum, lower-case hex. */
static inline int tap_sha256_file(const char *path, char out[65])
{
	char *cmd = tap_fmt("sha256sum < '%s'", path);
	int rc = tap_sha256_cmd(cmd, out);

	free(cmd);
	return rc;
}

/*
 * The primary (signing = 0) or signing (signing = 1) fingerprint of a fixture
 * key, from keys/fingerprints.txt; NULL when the name is not there.  The
 * strings live as long as the process.
 */
static inline const char *tap_fpr(const char *name, int signing)
{
	static struct { char name[64], fpr[2][65]; } tab[32];
	static size_t n;
	size_t i;

	if (!n) {
		char *path = tap_fixture("keys/fingerprints.txt");
		FILE *f = fopen(path, "r");

		free(path);
		if (!f)
			return NULL;
		while (n < sizeof(tab) / sizeof(tab[0]) &&
		       fscanf(f, "%63s %64s %64s", tab[n].name, tab[n].fpr[0],
			      tab[n].fpr[1]) == 3)
			n++;
		fclose(f);
	}
	for (i = 0; i < n; i++)
		if (!strcmp(tab[i].name, name))
			return tab[i].fpr[signing ? 1 : 0];
	return NULL;
}

static inline int tap_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* v[0..n) sorted and joined with a space, as a new string; frees v and its strings. */
static inline char *tap_join_sorted(char **v, size_t n)
{
	size_t len = 1, i;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	if (n)
		qsort(v, n, sizeof(*v), tap_cmp_str);
	s = calloc(1, len);
	if (!s)
		abort();
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, v[i]);
		free(v[i]);
	}
	free(v);
	return s;
}

/*
 * The names in a directory (without . and .. and the key-facts cache), sorted and joined with a
 * space, as a new string; NULL when the directory cannot be read.
 */
static inline char *tap_ls(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		/* the key-facts cache is not a key */
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".rpmvet-keys.cache"))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names)
			abort();
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	return tap_join_sorted(names, n);
}

#endif
