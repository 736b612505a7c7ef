/* SPDX-License-Identifier: MIT */
/* util: allocation that aborts on failure, small string helpers. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

static void oom(void)
{
	fputs("rpmvet: fatal: out of memory\n", stderr);
	abort();
}

void *rv_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *rv_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *rv_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *rv_xstrdup(const char *s)
{
	return rv_xstrndup(s, strlen(s));
}

char *rv_xstrndup(const char *s, size_t n)
{
	char *p = rv_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *rv_xvasprintf(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	return s;
}

char *rv_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = rv_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void rv_grow(void **v, size_t *cap, size_t need, size_t sz)
{
	size_t n;

	if (need <= *cap)
		return;
	n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	*v = rv_xrealloc(*v, n * sz);
	*cap = n;
}

void rv_hex(char *out, const uint8_t *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

const char *rv_date(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d", &tm))
		snprintf(buf, len, "@%lld", (long long)t);
	return buf;
}

void rv_strlcpy_case(char *dst, const char *src, size_t len, int up)
{
	size_t i;

	if (!len)
		return;
	for (i = 0; src && src[i] && i + 1 < len; i++)
		dst[i] = up ? (char)toupper((unsigned char)src[i]) : src[i];
	dst[i] = '\0';
}

int rv_open_regular(const char *path, int nofollow, struct stat *st)
{
	return rv_openat_regular(AT_FDCWD, path, nofollow, st);
}

int rv_openat_regular(int dirfd, const char *path, int nofollow, struct stat *st)
{
	struct stat tmp;
	int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0)), e;

	if (fd < 0)
		return -1;
	if (!st)
		st = &tmp;
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		e = fstat(fd, st) ? errno : S_ISDIR(st->st_mode) ? EISDIR : EINVAL;
		close(fd);
		errno = e;
		return -1;
	}
	/* regular files ignore O_NONBLOCK, but later readers should not see it */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

ssize_t rv_read_full(int fd, void *buf, size_t len, off_t off)
{
	size_t n = 0;
	ssize_t r;

	while (n < len) {
		r = off < 0 ? read(fd, (char *)buf + n, len - n)
			    : pread(fd, (char *)buf + n, len - n, off + (off_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	return (ssize_t)n;
}
