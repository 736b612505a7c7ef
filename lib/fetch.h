/* SPDX-License-Identifier: MIT */
/* fetch: downloads over http, https and file URLs (libcurl is behind this module only). */
#ifndef RV_FETCH_H
#define RV_FETCH_H

#include "rpmvet.h"

#include <stddef.h>
#include <stdint.h>

/* How transfers behave. */
struct rv_fetch_cfg {
	const char *ca_file;       /* CA bundle for https, NULL = the system's */
	long connect_timeout;      /* seconds */
	long low_speed_time;       /* seconds below 1 byte/s before a transfer is a stall */
	unsigned retries;          /* transient failures (5xx, resets, cut bodies) retried */
	unsigned backoff_ms;       /* first wait between retries, doubled each time */
	long max_redirects;
	/* rv_fetch_file's progress (rv_fetch_options.progress), or NULL */
	void (*progress)(const char *file, uint64_t have, uint64_t total, int end, void *data);
	void *progress_data;
};

/* What the metadata says a file is; size 0 = unknown, sum NULL = unchecked. */
struct rv_fetch_want {
	uint64_t size;
	const char *sumtype;       /* "sha256", ... */
	const char *sum;           /* lower-case hex */
	uint64_t max;              /* when size is unknown: the most accepted */
};

int rv_fetch_global_init(struct rv_error **err);

/*
 * Download url into dir/name: the bytes go to a new file made in dir (which
 * the caller owns), a cut transfer is resumed with a Range request and the
 * whole file re-verified; only a file of the wanted size and checksum is
 * renamed to dir/name, nothing else is ever left there.  Transient failures
 * are retried with backoff, a 4xx is not.  Errors: RV_ENOTFOUND (404 or 410),
 * RV_EFORMAT (wrong size or checksum), RV_EIO (the transfer failed).
 */
int rv_fetch_file(const struct rv_fetch_cfg *cfg, const char *url, const char *dir,
		  const char *name, const struct rv_fetch_want *want, struct rv_error **err);

/* Download url into memory (at most max bytes), as a NUL-terminated *out of *len bytes. */
int rv_fetch_mem(const struct rv_fetch_cfg *cfg, const char *url, size_t max, char **out,
		 size_t *len, struct rv_error **err);

/* Verify a file against want (size, checksum): 0, or RV_EFORMAT naming what differs. */
int rv_fetch_check(const char *path, const struct rv_fetch_want *want, const char *what,
		   struct rv_error **err);

/* url joined with a relative location (a "/" put between them when needed). */
char *rv_fetch_join(const char *base, const char *loc);

#endif
