/* SPDX-License-Identifier: MIT */
/* util: allocation that aborts on failure, small string helpers. */
#ifndef RV_UTIL_H
#define RV_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct stat;

#define RV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *rv_xmalloc(size_t n);
void *rv_xcalloc(size_t n, size_t size);
void *rv_xrealloc(void *p, size_t n);
char *rv_xstrdup(const char *s);
char *rv_xstrndup(const char *s, size_t n);
char *rv_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *rv_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow *v (of *cap elements of size sz) to hold at least need elements. */
void rv_grow(void **v, size_t *cap, size_t need, size_t sz);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void rv_hex(char *out, const uint8_t *in, size_t n);

/* "2022-04-12" (UTC) for a time in seconds; buf holds at least 11 bytes. */
const char *rv_date(char *buf, size_t len, int64_t t);

/* Copy a string into a fixed buffer, always terminated; upper-cased when up. */
void rv_strlcpy_case(char *dst, const char *src, size_t len, int up);

/*
 * Open a file for reading only when it is a regular file: never blocks on a
 * FIFO or device (O_NONBLOCK until fstat says what it is), and with nofollow
 * refuses a symbolic link.  Returns the descriptor, or -1 with errno set
 * (ELOOP for a link, EINVAL for anything but a regular file, EISDIR).
 */
int rv_open_regular(const char *path, int nofollow, struct stat *st);

/*
 * Read len bytes into buf, retrying short reads and EINTR: from offset off
 * with pread, or from the current position when off is negative.  Returns
 * the bytes read (fewer only at the end of the file), or -1 with errno set.
 */
ssize_t rv_read_full(int fd, void *buf, size_t len, off_t off);
/* The same, path relative to the directory dirfd (AT_FDCWD: the working directory). */
int rv_openat_regular(int dirfd, const char *path, int nofollow, struct stat *st);

#endif
