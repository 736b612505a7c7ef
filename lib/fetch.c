/* SPDX-License-Identifier: MIT */
/*
 * fetch: downloads with libcurl.  Bytes go to a private temporary file,
 * are checked against what the metadata says (size, checksum), and only then
 * take their name: a partial or wrong file is never taken for a complete one.
 */
#include "fetch.h"
#include "error.h"
#include "pkg.h"
#include "util.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int rv_fetch_global_init(struct rv_error **err)
{
	CURLcode cc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (cc != CURLE_OK)
		return rv_error_set(err, RV_EEXTERNAL, "cannot initialise libcurl: %s",
				    curl_easy_strerror(cc));
	return 0;
}

char *rv_fetch_join(const char *base, const char *loc)
{
	size_t n = strlen(base);

	while (loc[0] == '/')
		loc++;
	return rv_xasprintf("%s%s%s", base, n && base[n - 1] == '/' ? "" : "/", loc);
}

/* Where the body goes: a file descriptor or a bounded buffer. */
struct sink {
	int fd;
	char *buf;
	size_t len, cap;
	uint64_t have;          /* bytes held, counting those of an earlier attempt */
	uint64_t max;           /* more than this is refused */
	int too_big;
	int io_errno;
	const struct rv_fetch_cfg *cfg; /* its progress callback, for a file */
	const char *name;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb, off = 0;

	if (s->max && s->have + n > s->max) {
		s->too_big = 1;
		return 0;
	}
	if (s->fd < 0) {
		rv_grow((void **)&s->buf, &s->cap, s->len + n + 1, 1);
		memcpy(s->buf + s->len, data, n);
		s->len += n;
		s->buf[s->len] = '\0';
	} else {
		while (off < n) {
			ssize_t w = write(s->fd, data + off, n - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				s->io_errno = errno ? errno : EIO;
				return 0;
			}
			off += (size_t)w;
		}
	}
	s->have += n;
	if (s->name && s->cfg->progress)
		s->cfg->progress(s->name, s->have, s->max, 0, s->cfg->progress_data);
	return n;
}

static CURL *easy_new(const struct rv_fetch_cfg *cfg, const char *url, struct sink *s,
		      char *errbuf)
{
	CURL *c = curl_easy_init();

	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
	/* a redirect may go from http to https, never from https down to http,
	 * and never to a local file */
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
			 strncasecmp(url, "https:", 6) == 0 ? "https" : "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, cfg->max_redirects > 0 ? cfg->max_redirects : 5L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (cfg->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, cfg->connect_timeout > 0 ? cfg->connect_timeout : 30L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, cfg->low_speed_time > 0 ? cfg->low_speed_time : 30L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "rpmvet/" RV_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (s->max)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s->max);
	return c;
}

static int transient(CURLcode cc, long status)
{
	if (cc == CURLE_HTTP_RETURNED_ERROR)
		return status >= 500 || status == 429;
	return cc == CURLE_PARTIAL_FILE || cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR ||
	       cc == CURLE_GOT_NOTHING;
}

static void backoff(const struct rv_fetch_cfg *cfg, unsigned attempt)
{
	unsigned ms = (cfg->backoff_ms ? cfg->backoff_ms : 500) << (attempt < 6 ? attempt : 6);
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* One transfer with retries into s (resuming into a file); 0 or an error naming url. */
static int transfer(const struct rv_fetch_cfg *cfg, const char *url, struct sink *s,
		    struct rv_error **err)
{
	char errbuf[CURL_ERROR_SIZE], retried[40] = "";
	unsigned attempt;
	CURLcode cc = CURLE_OK;
	long status = 0;

	for (attempt = 0;; attempt++) {
		CURL *c;

		errbuf[0] = '\0';
		if (!(c = easy_new(cfg, url, s, errbuf)))
			return rv_error_set(err, RV_EEXTERNAL, "cannot fetch '%s': libcurl failed", url);
		if (s->have && s->fd >= 0)
			curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)s->have);
		cc = curl_easy_perform(c);
		status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(c);
		if (cc == CURLE_OK)
			return 0;
		if (cc == CURLE_RANGE_ERROR && s->fd >= 0) {
			/* the server cannot resume: start again from nothing */
			if (ftruncate(s->fd, 0) || lseek(s->fd, 0, SEEK_SET))
				break;
			s->have = 0;
			continue;
		}
		if (s->fd < 0) {
			s->len = 0;
			s->have = 0;
		}
		if (!transient(cc, status) || attempt >= cfg->retries)
			break;
		backoff(cfg, attempt);
	}
	if (attempt)
		snprintf(retried, sizeof(retried), " (after %u retries)", attempt);
	if (s->too_big || cc == CURLE_FILESIZE_EXCEEDED)
		return rv_error_set(err, RV_EFORMAT, "cannot fetch '%s': larger than the %ju bytes expected",
				    url, (uintmax_t)s->max);
	if (s->io_errno)
		return rv_error_set(err, RV_EIO, "cannot fetch '%s': cannot write: %s", url,
				    strerror(s->io_errno));
	if (cc == CURLE_HTTP_RETURNED_ERROR)
		return rv_error_set(err, status == 404 || status == 410 ? RV_ENOTFOUND : RV_EIO,
				    "cannot fetch '%s': HTTP %ld%s", url, status,
				    retried);
	if (cc == CURLE_FILE_COULDNT_READ_FILE)
		return rv_error_set(err, RV_ENOTFOUND, "cannot fetch '%s': no such file", url);
	return rv_error_set(err, RV_EIO, "cannot fetch '%s': %s%s", url,
			    errbuf[0] ? errbuf : curl_easy_strerror(cc),
			    retried);
}

int rv_fetch_mem(const struct rv_fetch_cfg *cfg, const char *url, size_t max, char **out,
		 size_t *len, struct rv_error **err)
{
	struct sink s = { .fd = -1, .max = max };
	int rc = transfer(cfg, url, &s, err);

	if (rc) {
		free(s.buf);
		return rc;
	}
	if (!s.buf)
		s.buf = rv_xcalloc(1, 1);
	*out = s.buf;
	*len = s.len;
	return 0;
}

int rv_fetch_check(const char *path, const struct rv_fetch_want *want, const char *what,
		   struct rv_error **err)
{
	struct rv_digest *d = NULL;
	char buf[65536], hex[129];
	struct stat st;
	int fd, rc = 0;
	ssize_t n;

	if ((fd = rv_open_regular(path, 1, &st)) < 0)
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", what, strerror(errno));
	if (want->size && (uint64_t)st.st_size != want->size) {
		rc = rv_error_set(err, RV_EFORMAT, "'%s' is %jd bytes, the metadata says %ju", what,
				  (intmax_t)st.st_size, (uintmax_t)want->size);
		goto out;
	}
	if (!want->sum)
		goto out;
	if (!(d = rv_digest_new(rv_digest_algo(want->sumtype)))) {
		rc = rv_error_set(err, RV_EFORMAT, "'%s': unsupported checksum type '%s'", what,
				  want->sumtype ? want->sumtype : "");
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			rv_digest_update(d, buf, (size_t)n);
	rv_digest_final(d, hex);
	if (n < 0)
		rc = rv_error_set(err, RV_EIO, "cannot read '%s': %s", what, strerror(errno));
	else if (strcasecmp(hex, want->sum) != 0)
		rc = rv_error_set(err, RV_EFORMAT, "'%s' does not match its %s checksum in the metadata "
				  "(%s, the metadata says %s)", what, want->sumtype, hex, want->sum);
out:
	close(fd);
	return rc;
}

int rv_fetch_file(const struct rv_fetch_cfg *cfg, const char *url, const char *dir,
		  const char *name, const struct rv_fetch_want *want, struct rv_error **err)
{
	char *tmp = rv_xasprintf("%s/.rpmvet-fetch-XXXXXX", dir), *dest = NULL;
	struct sink s = { .fd = -1 };
	int rc;

	if (strchr(name, '/') || name[0] == '.' || !name[0]) {
		free(tmp);
		return rv_error_set(err, RV_EINVAL, "cannot fetch '%s': unsafe file name '%s'", url, name);
	}
	if ((s.fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		rc = rv_error_set(err, RV_EIO, "cannot create a file in '%s': %s", dir, strerror(errno));
		free(tmp);
		return rc;
	}
	s.max = want->size ? want->size : want->max;
	s.cfg = cfg;
	s.name = name;
	rc = transfer(cfg, url, &s, err);
	if (!rc && fchmod(s.fd, 0644))
		rc = rv_error_set(err, RV_EIO, "cannot set the mode of '%s': %s", tmp, strerror(errno));
	if (!rc && close(s.fd))
		rc = rv_error_set(err, RV_EIO, "cannot write '%s': %s", tmp, strerror(errno));
	else if (rc)
		close(s.fd);
	if (!rc && (rc = rv_fetch_check(tmp, want, url, err)) == 0) {
		dest = rv_xasprintf("%s/%s", dir, name);
		if (rename(tmp, dest))
			rc = rv_error_set(err, RV_EIO, "cannot rename '%s' to '%s': %s", tmp, dest,
					  strerror(errno));
	}
	if (rc)
		unlink(tmp);
	if (cfg->progress)
		cfg->progress(name, s.have, s.max, rc ? -1 : 1, cfg->progress_data);
	free(tmp);
	free(dest);
	return rc;
}
