/* SPDX-License-Identifier: MIT */
/* pkg: open an RPM, read its header through librpm, stream and hash the payload. */
#include "pkg-rpm.h"
#include "error.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rpm/rpmcrypto.h>
#include <rpm/rpmio.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmver.h>
#include <rpm/rpmds.h>
#include <rpm/rpmfiles.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmarchive.h>

#include "facts.h"
#include "report.h"
#include "text.h"

#define LEAD_SIZE 96
#ifndef CHUNK
#define CHUNK (256u << 10)
#endif
#define MAX_INDEX 0xffffu          /* librpm's limit on a header's entries */
/*
 * rpmvet's own bounds on what a header may claim (index and data), far below
 * librpm's 64 MiB signature and 256 MiB main header, checked before anything
 * is read.  Real signature headers are 4-12 KiB; file signatures (IMA) add
 * about 1 KiB a file, so 4 MiB holds thousands.  Main headers cost 140-250
 * bytes a file: 32 MiB holds well over 100 000 files.
 */
#define RV_MAX_SIGHDR (4u << 20)
#define RV_MAX_MAINHDR (32u << 20)

static rv_log_fn user_log;
static void *user_logdata;
/* librpm messages of the package being read on this thread, if any, kept
 * without the "PATH: " prefix so that a file name cannot look like a message */
static _Thread_local char **capture;
static _Thread_local const char *capture_path;

static int log_cb(rpmlogRec rec, rpmlogCallbackData data)
{
	const char *msg = rpmlogRecMessage(rec);
	rpmlogLvl pri = rpmlogRecPriority(rec);
	size_t n = strlen(msg);

	(void)data;
	while (n && msg[n - 1] == '\n')
		n--;
	if (capture) {
		char *old = *capture;
		size_t pl = capture_path ? strlen(capture_path) : 0;
		if (pl && !strncmp(msg, capture_path, pl) && !strncmp(msg + pl, ": ", 2)) {
			msg += pl + 2;
			n -= pl + 2;
		}
		*capture = old ? rv_xasprintf("%s\n%.*s", old, (int)n, msg)
			       : rv_xstrndup(msg, n);
		free(old);
	} else if (user_log) {
		char *m = rv_xstrndup(msg, n);
		int lvl = pri <= RPMLOG_ERR ? 0 : pri == RPMLOG_WARNING ? 1 :
			  pri <= RPMLOG_INFO ? 2 : 3;
		user_log(lvl, m, user_logdata);
		free(m);
	}
	return 0; /* never librpm's default logger: it writes to stdout */
}

int rv_pkg_global_init(rv_log_fn log, void *logdata, const char *rcfiles,
		       struct rv_error **err)
{
	user_log = log;
	user_logdata = logdata;
	rpmlogSetCallback(log_cb, NULL);
	if (rpmReadConfigFiles(rcfiles, NULL))
		return rv_error_set(err, RV_EEXTERNAL,
				    "cannot read the rpm configuration%s%s%s", rcfiles ? " '" : "",
				    rcfiles ? rcfiles : "", rcfiles ? "'" : "");
	rpmlogSetCallback(log_cb, NULL);
	return 0;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static ssize_t pread_full(int fd, void *buf, size_t len, off_t off)
{
	return rv_read_full(fd, buf, len, off);
}

static void set_state(struct rv_pkg *p, enum rv_pkg_state s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_state(struct rv_pkg *p, enum rv_pkg_state s, const char *fmt, ...)
{
	va_list ap;

	p->state = s;
	va_start(ap, fmt);
	p->problem = rv_xvasprintf(fmt, ap);
	va_end(ap);
}

/* A header's 16-byte intro: 1 and its entry and data counts, or 0 when its magic is wrong. */
static int header_intro(const uint8_t intro[16], uint64_t *il, uint64_t *dl)
{
	static const uint8_t hdr_magic[4] = { 0x8e, 0xad, 0xe8, 0x01 };

	if (memcmp(intro, hdr_magic, 4))
		return 0;
	*il = be32(intro + 8);
	*dl = be32(intro + 12);
	return 1;
}

static void too_large(struct rv_pkg *p, const char *which, uint64_t il, uint64_t dl,
		      unsigned cap)
{
	set_state(p, RV_PKG_TOO_LARGE,
		  "the %s header claims %llu bytes (%llu entries, %llu bytes of data): more than the %u MiB rpmvet reads",
		  which, (unsigned long long)(16 * il + dl), (unsigned long long)il,
		  (unsigned long long)dl, cap >> 20);
}

/*
 * Check the lead and the signature header's layout, and the sizes both
 * headers claim, before anything is allocated; find the main header.  Only
 * the signature header's index is kept: rv_pkg_sigtag reads an entry's data
 * when it is asked for, so no second copy of what librpm reads lives here.
 */
static int check_layout(struct rv_pkg *p, struct rv_error **err)
{
	static const uint8_t lead_magic[4] = { 0xed, 0xab, 0xee, 0xdb };
	uint8_t lead[LEAD_SIZE], intro[16];
	uint64_t il, dl, end;
	ssize_t n;

	if (p->size == 0) {
		set_state(p, RV_PKG_EMPTY, "the file is empty (0 bytes)");
		return 0;
	}
	n = pread_full(p->fd, lead, sizeof(lead), 0);
	if (n < 0)
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", p->path,
				    strerror(errno));
	if (memcmp(lead, lead_magic, (size_t)n < 4 ? (size_t)n : 4)) {
		set_state(p, RV_PKG_NOT_RPM,
			  "not an RPM package (no RPM lead magic at offset 0)");
		return 0;
	}
	if (n < LEAD_SIZE) {
		set_state(p, RV_PKG_TRUNCATED,
			  "truncated: the file ends inside the RPM lead (%zd of %d bytes)",
			  n, LEAD_SIZE);
		return 0;
	}
	n = pread_full(p->fd, intro, sizeof(intro), LEAD_SIZE);
	if (n < 0)
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", p->path,
				    strerror(errno));
	if (n < (ssize_t)sizeof(intro)) {
		set_state(p, RV_PKG_TRUNCATED,
			  "truncated: the file ends inside the signature header");
		return 0;
	}
	if (!header_intro(intro, &il, &dl)) {
		set_state(p, RV_PKG_CORRUPT,
			  "corrupt: bad signature header magic at offset %d", LEAD_SIZE);
		return 0;
	}
	if (il == 0 || il > MAX_INDEX) {
		set_state(p, RV_PKG_CORRUPT,
			  "corrupt: signature header claims %llu tags and %llu bytes of data",
			  (unsigned long long)il, (unsigned long long)dl);
		return 0;
	}
	if (16 * il + dl > RV_MAX_SIGHDR) {
		too_large(p, "signature", il, dl, RV_MAX_SIGHDR);
		return 0;
	}
	end = LEAD_SIZE + 16 + il * 16 + dl;
	p->hdr_start = (off_t)(end + (8 - (il * 16 + dl) % 8) % 8);
	if (end > p->size) {
		set_state(p, RV_PKG_TRUNCATED,
			  "truncated: the file ends inside the signature header (%llu of %llu bytes)",
			  (unsigned long long)p->size, (unsigned long long)end);
		return 0;
	}
	/* the main header: a short or malformed one is librpm's to describe */
	n = pread_full(p->fd, intro, sizeof(intro), p->hdr_start);
	if (n < 0)
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", p->path,
				    strerror(errno));
	{
		uint64_t mil, mdl;
		if (n == (ssize_t)sizeof(intro) && header_intro(intro, &mil, &mdl) &&
		    16 * mil + mdl > RV_MAX_MAINHDR) {
			too_large(p, "main", mil, mdl, RV_MAX_MAINHDR);
			return 0;
		}
	}
	p->nsigtags = (size_t)il;
	p->sigdl = (size_t)dl;
	p->sigindex = rv_xmalloc(16 * p->nsigtags);
	if (pread_full(p->fd, p->sigindex, 16 * p->nsigtags, LEAD_SIZE + 16) !=
	    (ssize_t)(16 * p->nsigtags))
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", p->path,
				    strerror(errno));
	p->sigtag_buf = rv_xcalloc(1, sizeof(*p->sigtag_buf));
	return 0;
}

/* Why a file could not be opened by rv_open_regular, as an error. */
static int open_fail(const char *path, struct rv_error **err)
{
	int e = errno;

	if (e == EISDIR || e == EINVAL)
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", path,
				    e == EISDIR ? "is a directory" : "not a regular file");
	return rv_error_set(err, e == ENOENT ? RV_ENOTFOUND : RV_EIO, "cannot open '%s': %s",
			    path, strerror(e));
}

int rv_pkg_open(struct rv_pkg **out, const char *path, struct rv_error **err)
{
	struct rv_pkg *p;
	struct stat st;
	int fd, rc;

	*out = NULL;
	if ((fd = rv_open_regular(path, 0, &st)) < 0)
		return open_fail(path, err);
	p = rv_xcalloc(1, sizeof(*p));
	p->path = rv_xstrdup(path);
	p->fd = fd;
	p->size = (uint64_t)st.st_size;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if ((rc = check_layout(p, err))) {
		rv_pkg_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void rv_pkg_free(struct rv_pkg *p)
{
	if (!p)
		return;
	if (p->h)
		headerFree(p->h);
	if (p->fd >= 0)
		close(p->fd);
	free(p->problem);
	free(p->sigindex);
	if (p->sigtag_buf)
		free(*p->sigtag_buf);
	free(p->sigtag_buf);
	free(p->log);
	free(p->path);
	free(p);
}

rpmRC rv_pkg_read(struct rv_pkg *p, rpmts ts, rpmVSFlags vsflags)
{
	Header h = NULL;
	FD_t rfd;
	rpmRC rc;
	int dfd;

	free(p->log);
	p->log = NULL;
	dfd = dup(p->fd);
	if (dfd < 0 || lseek(dfd, 0, SEEK_SET) < 0) {
		if (dfd >= 0)
			close(dfd);
		p->log = rv_xasprintf("cannot read '%s': %s", p->path, strerror(errno));
		return RPMRC_FAIL;
	}
	rfd = fdDup(dfd);
	close(dfd);
	if (!rfd) {
		p->log = rv_xasprintf("cannot read '%s': %s", p->path, strerror(errno));
		return RPMRC_FAIL;
	}
	rpmtsSetVSFlags(ts, vsflags);
	capture = &p->log;
	capture_path = p->path;
	rc = rpmReadPackageFile(ts, rfd, p->path, &h);
	capture = NULL;
	capture_path = NULL;
	if (h) {
		if (p->h)
			headerFree(p->h);
		p->h = h;
		p->payload_start = Ftell(rfd);
	}
	Fclose(rfd);
	return rc;
}

const uint8_t *rv_pkg_sigtag(const struct rv_pkg *p, uint32_t tag,
			     uint32_t *type, uint32_t *count, size_t *len)
{
	off_t data = LEAD_SIZE + 16 + 16 * (off_t)p->nsigtags;
	size_t i, j;

	for (i = 0; i < p->nsigtags; i++) {
		const uint8_t *e = p->sigindex + 16 * i;
		uint32_t off = be32(e + 8), next = (uint32_t)p->sigdl;
		uint8_t *buf;
		if (be32(e) != tag)
			continue;
		if (off >= p->sigdl)
			return NULL;
		/* the entry's length runs to the next entry's data, or to the end */
		for (j = 0; j < p->nsigtags; j++) {
			uint32_t o = be32(p->sigindex + 16 * j + 8);
			if (o > off && o < next)
				next = o;
		}
		buf = rv_xmalloc(next - off);
		if (pread_full(p->fd, buf, next - off, data + off) != (ssize_t)(next - off)) {
			free(buf);
			return NULL;
		}
		free(*p->sigtag_buf);
		*p->sigtag_buf = buf;
		*type = be32(e + 4);
		*count = be32(e + 12);
		*len = next - off;
		return buf;
	}
	return NULL;
}

/* A tag's text as every consumer gets it: escaped where XML could not carry it. */
static char *tag_str(Header h, rpmTagVal tag)
{
	const char *s = headerGetString(h, tag);
	return s ? rv_text_escape(s, 1) : NULL;
}

/*
 * Every header text that reaches repodata, the database or a report.  Text
 * that names the package (identity) must be good text; descriptive text may
 * be written escaped when the policy says so.
 */
static const struct text_tag {
	rpmTagVal tag;
	const char *name;
	int descriptive;
} text_tags[] = {
	{ RPMTAG_NAME, "Name", 0 },
	{ RPMTAG_VERSION, "Version", 0 },
	{ RPMTAG_RELEASE, "Release", 0 },
	{ RPMTAG_ARCH, "Arch", 0 },
	{ RPMTAG_LICENSE, "License", 0 },
	{ RPMTAG_SOURCERPM, "SourceRPM", 0 },
	{ RPMTAG_BUILDHOST, "BuildHost", 0 },
	{ RPMTAG_PAYLOADDIGEST, "PayloadDigest", 0 },
	{ RPMTAG_PROVIDENAME, "Provides", 0 },
	{ RPMTAG_PROVIDEVERSION, "Provides (version)", 0 },
	{ RPMTAG_REQUIRENAME, "Requires", 0 },
	{ RPMTAG_REQUIREVERSION, "Requires (version)", 0 },
	{ RPMTAG_CONFLICTNAME, "Conflicts", 0 },
	{ RPMTAG_CONFLICTVERSION, "Conflicts (version)", 0 },
	{ RPMTAG_OBSOLETENAME, "Obsoletes", 0 },
	{ RPMTAG_OBSOLETEVERSION, "Obsoletes (version)", 0 },
	{ RPMTAG_RECOMMENDNAME, "Recommends", 0 },
	{ RPMTAG_RECOMMENDVERSION, "Recommends (version)", 0 },
	{ RPMTAG_SUGGESTNAME, "Suggests", 0 },
	{ RPMTAG_SUGGESTVERSION, "Suggests (version)", 0 },
	{ RPMTAG_SUPPLEMENTNAME, "Supplements", 0 },
	{ RPMTAG_SUPPLEMENTVERSION, "Supplements (version)", 0 },
	{ RPMTAG_ENHANCENAME, "Enhances", 0 },
	{ RPMTAG_ENHANCEVERSION, "Enhances (version)", 0 },
	{ RPMTAG_BASENAMES, "Basenames (file names)", 0 },
	{ RPMTAG_DIRNAMES, "Dirnames (file names)", 0 },
	{ RPMTAG_OLDFILENAMES, "Filenames", 0 },
	{ RPMTAG_SUMMARY, "Summary", 1 },
	{ RPMTAG_DESCRIPTION, "Description", 1 },
	{ RPMTAG_GROUP, "Group", 1 },
	{ RPMTAG_URL, "URL", 1 },
	{ RPMTAG_VENDOR, "Vendor", 1 },
	{ RPMTAG_PACKAGER, "Packager", 1 },
	{ RPMTAG_CHANGELOGNAME, "Changelog (author)", 1 },
	{ RPMTAG_CHANGELOGTEXT, "Changelog", 1 },
};

/* The first string of tag (every translation, every element) that is not good text, or NULL. */
static char *bad_text(Header h, rpmTagVal tag, long *at)
{
	struct rpmtd_s td;
	const char *str;
	char *bad = NULL;

	if (!headerGet(h, tag, &td, HEADERGET_MINMEM | HEADERGET_RAW))
		return NULL;
	if (td.type == RPM_STRING_TYPE || td.type == RPM_STRING_ARRAY_TYPE ||
	    td.type == RPM_I18NSTRING_TYPE)
		while (!bad && (str = rpmtdNextString(&td)))
			if ((*at = rv_text_bad(str, 1)) >= 0)
				bad = rv_xstrdup(str);
	rpmtdFreeData(&td);
	return bad;
}

/* Up to 40 bytes either side of the bad byte at, escaped. */
static char *bad_excerpt(const char *s, long at)
{
	size_t from = at > 40 ? (size_t)at - 40 : 0, len = strlen(s + from);
	char *raw = rv_xstrndup(s + from, len > 80 ? 80 : len);
	char *esc = rv_text_escape(raw, 1);
	char *out = rv_xasprintf("%s%s%s", from ? "..." : "", esc, len > 80 ? "..." : "");

	free(raw);
	free(esc);
	return out;
}

static void check_text(Header h, struct rv_result *res, int escape)
{
	size_t i;

	for (i = 0; i < RV_ARRAY_SIZE(text_tags); i++) {
		const struct text_tag *t = &text_tags[i];
		long at = -1;
		char *bad = bad_text(h, t->tag, &at), *ex;

		if (!bad)
			continue;
		ex = bad_excerpt(bad, at);
		if (t->descriptive && escape)
			rv_result_add(res, "header", "header.invalid-text.descriptive", RV_SEV_WARNING,
				      "%s holds ill-formed UTF-8 or a character XML forbids at byte %ld: '%s'; written escaped, as the policy says",
				      t->name, at, ex);
		else
			rv_result_add(res, "header",
				      t->descriptive ? "header.invalid-text.descriptive"
						     : "header.invalid-text", RV_SEV_ERROR,
				      "%s holds ill-formed UTF-8 or a character XML forbids at byte %ld: '%s'%s",
				      t->name, at, ex, t->descriptive
				      ? " (a policy with headers.invalid-text: escape admits it escaped)" : "");
		free(ex);
		free(bad);
	}
}

void rv_pkg_describe(const struct rv_pkg *p, struct rv_result *res, int text_escape)
{
	res->nevra = rv_pkg_nevra(p->h, &res->is_source);
	res->name = tag_str(p->h, RPMTAG_NAME);
	res->license = tag_str(p->h, RPMTAG_LICENSE);
	check_text(p->h, res, text_escape);
}

char *rv_pkg_nevra(Header h, int *is_source)
{
	const char *n = headerGetString(h, RPMTAG_NAME);
	const char *v = headerGetString(h, RPMTAG_VERSION);
	const char *r = headerGetString(h, RPMTAG_RELEASE);
	const char *a = headerGetString(h, RPMTAG_ARCH);
	int src = headerIsSource(h);
	char epoch[24] = "";

	if (headerIsEntry(h, RPMTAG_EPOCH))
		snprintf(epoch, sizeof(epoch), "%llu:",
			 (unsigned long long)headerGetNumber(h, RPMTAG_EPOCH));
	if (src)
		a = headerIsEntry(h, RPMTAG_NOSOURCE) || headerIsEntry(h, RPMTAG_NOPATCH)
			    ? "nosrc" : "src";
	if (is_source)
		*is_source = src;
	char *raw = rv_xasprintf("%s-%s%s-%s.%s", n ? n : "(none)", epoch,
				 v ? v : "(none)", r ? r : "(none)", a ? a : "(none)");
	char *nevra = rv_text_escape(raw, 1);

	free(raw);
	return nevra;
}

int rv_pkg_pread(const struct rv_pkg *p, off_t off, size_t len, uint8_t **out,
		 struct rv_error **err)
{
	uint8_t *buf = rv_xmalloc(len);

	if (pread_full(p->fd, buf, len, off) != (ssize_t)len) {
		free(buf);
		return rv_error_set(err, RV_EIO, "cannot read '%s' at offset %lld",
				    p->path, (long long)off);
	}
	*out = buf;
	return 0;
}

/*
 * The whole-file SHA-256 runs on a helper thread while this thread reads and
 * computes the payload digest: a ring of NBUF chunks lets the reads overlap the
 * helper's hashing, so two hashes of one pass take about the time of one.
 */
#define NBUF 4

struct helper {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	DIGEST_CTX ctx;
	uint8_t *bufs[NBUF];
	size_t lens[NBUF];
	size_t given, done;   /* chunks handed over / hashed */
	int quit;
};

static void *helper_main(void *arg)
{
	struct helper *hp = arg;

	pthread_mutex_lock(&hp->mu);
	for (;;) {
		size_t slot;
		while (hp->done == hp->given && !hp->quit)
			pthread_cond_wait(&hp->cv, &hp->mu);
		if (hp->done == hp->given)
			break;
		slot = hp->done % NBUF;
		pthread_mutex_unlock(&hp->mu);
		rpmDigestUpdate(hp->ctx, hp->bufs[slot], hp->lens[slot]);
		pthread_mutex_lock(&hp->mu);
		hp->done++;
		pthread_cond_broadcast(&hp->cv);
	}
	pthread_mutex_unlock(&hp->mu);
	return NULL;
}

/* The next free buffer: the helper is done with what was in it. */
static uint8_t *helper_slot(struct helper *hp)
{
	uint8_t *b;

	pthread_mutex_lock(&hp->mu);
	while (hp->given - hp->done >= NBUF)
		pthread_cond_wait(&hp->cv, &hp->mu);
	b = hp->bufs[hp->given % NBUF];
	pthread_mutex_unlock(&hp->mu);
	return b;
}

static void helper_give(struct helper *hp, size_t len)
{
	pthread_mutex_lock(&hp->mu);
	hp->lens[hp->given % NBUF] = len;
	hp->given++;
	pthread_cond_broadcast(&hp->cv);
	pthread_mutex_unlock(&hp->mu);
}

static void helper_finish(struct helper *hp)
{
	pthread_mutex_lock(&hp->mu);
	hp->quit = 1;
	pthread_cond_broadcast(&hp->cv);
	pthread_mutex_unlock(&hp->mu);
	pthread_join(hp->th, NULL);
	pthread_mutex_destroy(&hp->mu);
	pthread_cond_destroy(&hp->cv);
}

static int write_full(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

static void final_hex(DIGEST_CTX ctx, char *out, size_t outlen)
{
	char *hex = NULL;
	size_t len = 0;

	rpmDigestFinal(ctx, (void **)&hex, &len, 1);
	rv_strlcpy_case(out, hex ? hex : "", outlen, 0);
	free(hex);
}

int rv_pkg_digest(struct rv_pkg *p, int payload_algo, char *payload_hex,
		  char file_sha256[65], uint64_t *payload_bytes,
		  struct rv_error **err)
{
	struct helper hp;
	DIGEST_CTX pctx = NULL;
	off_t start = p->h ? p->payload_start : (off_t)p->size, off = 0;
	int threaded, rc = 0, i;
	uint64_t total = 0;

	memset(&hp, 0, sizeof(hp));
	if (file_sha256)
		hp.ctx = rpmDigestInit(RPM_HASH_SHA256, RPMDIGEST_NONE);
	if (payload_algo)
		pctx = rpmDigestInit(payload_algo, RPMDIGEST_NONE);
	for (i = 0; i < NBUF; i++)
		hp.bufs[i] = rv_xmalloc(CHUNK);
	threaded = hp.ctx && pctx && p->size - (uint64_t)start > 2 * CHUNK;
	if (threaded) {
		pthread_mutex_init(&hp.mu, NULL);
		pthread_cond_init(&hp.cv, NULL);
		if (pthread_create(&hp.th, NULL, helper_main, &hp)) {
			pthread_mutex_destroy(&hp.mu);
			pthread_cond_destroy(&hp.cv);
			threaded = 0;
		}
	}
	for (;;) {
		uint8_t *buf = threaded ? helper_slot(&hp) : hp.bufs[0];
		ssize_t n = pread_full(p->fd, buf, CHUNK, off);
		size_t skip;

		if (n < 0) {
			rc = rv_error_set(err, RV_EIO, "cannot read '%s': %s",
					  p->path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (threaded)
			helper_give(&hp, (size_t)n);
		else if (hp.ctx)
			rpmDigestUpdate(hp.ctx, buf, (size_t)n);
		if (pctx && off + n > start) {
			skip = off < start ? (size_t)(start - off) : 0;
			rpmDigestUpdate(pctx, buf + skip, (size_t)n - skip);
			total += (uint64_t)n - skip;
		}
		off += n;
	}
	if (threaded)
		helper_finish(&hp);
	if (hp.ctx)
		final_hex(hp.ctx, file_sha256, 65);
	if (pctx)
		final_hex(pctx, payload_hex, 129);
	if (payload_bytes)
		*payload_bytes = total;
	if (rc && file_sha256)
		file_sha256[0] = '\0';
	for (i = 0; i < NBUF; i++)
		free(hp.bufs[i]);
	return rc;
}

int rv_pkg_hash_supported(int algo)
{
	DIGEST_CTX ctx = algo > 0 ? rpmDigestInit(algo, RPMDIGEST_NONE) : NULL;

	if (!ctx)
		return 0;
	rpmDigestFinal(ctx, NULL, NULL, 0);
	return 1;
}

struct rv_digest *rv_digest_new(int algo)
{
	return algo > 0 ? (struct rv_digest *)rpmDigestInit(algo, RPMDIGEST_NONE) : NULL;
}

void rv_digest_update(struct rv_digest *d, const void *buf, size_t len)
{
	rpmDigestUpdate((DIGEST_CTX)d, buf, len);
}

void rv_digest_final(struct rv_digest *d, char out[129])
{
	final_hex((DIGEST_CTX)d, out, 129);
}

void rv_sha256_hex(const void *data, size_t len, char out[65])
{
	DIGEST_CTX ctx = rpmDigestInit(RPM_HASH_SHA256, RPMDIGEST_NONE);

	rpmDigestUpdate(ctx, data, len);
	final_hex(ctx, out, 65);
}

int rv_digest_algo(const char *name)
{
	static const struct { const char *name; int algo; } algos[] = {
		{ "sha256", RPM_HASH_SHA256 }, { "sha512", RPM_HASH_SHA512 },
		{ "sha384", RPM_HASH_SHA384 }, { "sha224", RPM_HASH_SHA224 },
		{ "sha1", RPM_HASH_SHA1 }, { "sha", RPM_HASH_SHA1 }, { "md5", RPM_HASH_MD5 },
	};
	size_t i;

	for (i = 0; name && i < sizeof(algos) / sizeof(algos[0]); i++)
		if (strcasecmp(name, algos[i].name) == 0)
			return algos[i].algo;
	return 0;
}

static void add_deps(struct rv_facts *f, Header h, rpmTagVal tag, const char *kind)
{
	rpmds ds = rpmdsNew(h, tag, 0);

	while (ds && rpmdsNext(ds) >= 0) {
		rpmsenseFlags fl = rpmdsFlags(ds);
		struct rv_dep *d;

		f->deps = rv_xrealloc(f->deps, (f->ndeps + 1) * sizeof(*f->deps));
		d = &f->deps[f->ndeps++];
		d->kind = kind;
		d->name = rv_xstrdup(rpmdsN(ds));
		d->flags = (uint32_t)fl;
		d->evr = rv_xstrdup(rpmdsEVR(ds) ? rpmdsEVR(ds) : "");
		d->pre = !!(fl & (RPMSENSE_PREREQ | RPMSENSE_SCRIPT_PRE | RPMSENSE_SCRIPT_POST));
		d->rpmlib = !!(fl & RPMSENSE_RPMLIB);
	}
	rpmdsFree(ds);
}

/* Source and patch basenames, to tell embedded files apart. */
static int in_tag(Header h, rpmTagVal tag, const char *base)
{
	struct rpmtd_s td;
	const char *s;
	int found = 0;

	if (!headerGet(h, tag, &td, HEADERGET_MINMEM))
		return 0;
	while (!found && (s = rpmtdNextString(&td)))
		found = !strcmp(s, base);
	rpmtdFreeData(&td);
	return found;
}

static void add_files(struct rv_facts *f, Header h, int src)
{
	rpmfiles files = rpmfilesNew(NULL, h, RPMTAG_BASENAMES, RPMFI_KEEPHEADER);
	rpmfi fi = rpmfilesIter(files, RPMFI_ITER_FWD);

	while (fi && rpmfiNext(fi) >= 0) {
		struct rv_file *e;
		int algo = 0;
		char *dig = rpmfiFDigestHex(fi, &algo);
		const char *fn = rpmfiFN(fi), *base = strrchr(fn, '/');
		rpmfileAttrs attrs = rpmfiFFlags(fi);

		base = base ? base + 1 : fn;
		f->files = rv_xrealloc(f->files, (f->nfiles + 1) * sizeof(*f->files));
		e = &f->files[f->nfiles++];
		memset(e, 0, sizeof(*e));
		e->path = rv_xstrdup(fn);
		e->size = (uint64_t)rpmfiFSize(fi);
		e->digest = dig && *dig ? dig : (free(dig), NULL);
		e->digest_algo = algo;
		e->kind = !src ? 0 : (attrs & RPMFILE_SPECFILE) ? 1 :
			  in_tag(h, RPMTAG_PATCH, base) ? 3 : in_tag(h, RPMTAG_SOURCE, base) ? 2 : 0;
		e->type = S_ISDIR(rpmfiFMode(fi)) ? RV_FILE_DIR :
			  (attrs & RPMFILE_GHOST) ? RV_FILE_GHOST : RV_FILE_REGULAR;
	}
	rpmfiFree(fi);
	rpmfilesFree(files);
}

static void add_changelog(struct rv_facts *f, Header h)
{
	struct rpmtd_s times, names, texts;
	int ok = headerGet(h, RPMTAG_CHANGELOGTIME, &times, HEADERGET_MINMEM);

	ok = headerGet(h, RPMTAG_CHANGELOGNAME, &names, HEADERGET_MINMEM) && ok;
	ok = headerGet(h, RPMTAG_CHANGELOGTEXT, &texts, HEADERGET_MINMEM) && ok;
	while (ok) {
		uint32_t *t = rpmtdNextUint32(&times);
		const char *n = rpmtdNextString(&names), *x = rpmtdNextString(&texts);
		struct rv_changelog *c;

		if (!t || !n || !x)
			break;
		f->changelog = rv_xrealloc(f->changelog, (f->nchangelog + 1) * sizeof(*f->changelog));
		c = &f->changelog[f->nchangelog++];
		c->time = *t;
		c->author = rv_text_escape(n, 1);
		c->text = rv_text_escape(x, 1);
	}
	rpmtdFreeData(&times);
	rpmtdFreeData(&names);
	rpmtdFreeData(&texts);
}

struct rv_facts *rv_pkg_facts(const struct rv_pkg *p)
{
	static const struct { rpmTagVal tag; const char *kind; } rels[] = {
		{ RPMTAG_PROVIDENAME, "provides" }, { RPMTAG_CONFLICTNAME, "conflicts" },
		{ RPMTAG_OBSOLETENAME, "obsoletes" }, { RPMTAG_REQUIRENAME, "requires" },
		{ RPMTAG_SUGGESTNAME, "suggests" }, { RPMTAG_ENHANCENAME, "enhances" },
		{ RPMTAG_RECOMMENDNAME, "recommends" }, { RPMTAG_SUPPLEMENTNAME, "supplements" },
	};
	struct rv_facts *f = rv_xcalloc(1, sizeof(*f));
	Header h = p->h;
	int src = headerIsSource(h);
	size_t i;

	f->name = tag_str(h, RPMTAG_NAME);
	f->version = tag_str(h, RPMTAG_VERSION);
	f->release = tag_str(h, RPMTAG_RELEASE);
	f->arch = src ? rv_xstrdup(headerIsEntry(h, RPMTAG_NOSOURCE) ||
				   headerIsEntry(h, RPMTAG_NOPATCH) ? "nosrc" : "src")
		      : tag_str(h, RPMTAG_ARCH);
	f->epoch = headerIsEntry(h, RPMTAG_EPOCH) ? (int64_t)headerGetNumber(h, RPMTAG_EPOCH) : -1;
	f->summary = tag_str(h, RPMTAG_SUMMARY);
	f->description = tag_str(h, RPMTAG_DESCRIPTION);
	f->group = tag_str(h, RPMTAG_GROUP);
	f->url = tag_str(h, RPMTAG_URL);
	f->vendor = tag_str(h, RPMTAG_VENDOR);
	f->packager = tag_str(h, RPMTAG_PACKAGER);
	f->buildhost = tag_str(h, RPMTAG_BUILDHOST);
	f->license = tag_str(h, RPMTAG_LICENSE);
	f->disttag = tag_str(h, RPMTAG_DISTTAG);
	f->distribution = tag_str(h, RPMTAG_DISTRIBUTION);
	f->disturl = tag_str(h, RPMTAG_DISTURL);
	f->sourcerpm = src ? NULL : tag_str(h, RPMTAG_SOURCERPM);
	f->buildtime = (int64_t)headerGetNumber(h, RPMTAG_BUILDTIME);
	f->size_installed = headerGetNumber(h, RPMTAG_LONGSIZE);
	f->size_archive = headerGetNumber(h, RPMTAG_LONGARCHIVESIZE);
	f->header_sha256 = tag_str(h, RPMTAG_SHA256HEADER);
	f->payload_digest = tag_str(h, RPMTAG_PAYLOADDIGEST);
	if (f->payload_digest && !*f->payload_digest) {
		free(f->payload_digest);
		f->payload_digest = NULL;   /* an empty digest is no digest */
	}
	f->payload_digest_algo = !f->payload_digest ? 0 :
				 headerIsEntry(h, RPMTAG_PAYLOADDIGESTALGO)
					 ? (int)headerGetNumber(h, RPMTAG_PAYLOADDIGESTALGO)
					 : RPM_HASH_SHA256;
	f->hdr_start = p->hdr_start;
	f->hdr_end = p->payload_start;
	/* a source package's requires are its BuildRequires */
	for (i = 0; i < RV_ARRAY_SIZE(rels); i++)
		add_deps(f, h, rels[i].tag, src && rels[i].tag == RPMTAG_REQUIRENAME
						    ? "buildrequires" : rels[i].kind);
	add_files(f, h, src);
	add_changelog(f, h);
	f->filename = rv_facts_filename(f, NULL);
	return f;
}

int rv_pkg_evrcmp(int64_t e1, const char *v1, const char *r1, int64_t e2,
		  const char *v2, const char *r2)
{
	int c;

	/* a missing epoch is 0 */
	e1 = e1 < 0 ? 0 : e1;
	e2 = e2 < 0 ? 0 : e2;
	if (e1 != e2)
		return e1 < e2 ? -1 : 1;
	if ((c = rpmvercmp(v1, v2)))
		return c;
	return rpmvercmp(r1, r2);
}

int rv_file_sha256(const char *path, char out[65])
{
	DIGEST_CTX ctx;
	uint8_t *buf;
	ssize_t n;
	int fd = rv_open_regular(path, 1, NULL);

	if (fd < 0)
		return -1;
	ctx = rpmDigestInit(RPM_HASH_SHA256, RPMDIGEST_NONE);
	buf = rv_xmalloc(CHUNK);
	while ((n = read(fd, buf, CHUNK)) > 0)
		rpmDigestUpdate(ctx, buf, (size_t)n);
	free(buf);
	close(fd);
	final_hex(ctx, out, 65);
	return n < 0 ? -1 : 0;
}

int rv_file_copy_sha256(const char *path, int out, char sha[65], uint64_t *size,
			struct rv_error **err)
{
	DIGEST_CTX ctx;
	uint8_t *buf;
	struct stat st;
	uint64_t total = 0;
	ssize_t n;
	int fd = rv_open_regular(path, 0, &st), rc = 0;

	if (fd < 0)
		return open_fail(path, err);
	ctx = rpmDigestInit(RPM_HASH_SHA256, RPMDIGEST_NONE);
	buf = rv_xmalloc(CHUNK);
	while ((n = read(fd, buf, CHUNK)) > 0) {
		rpmDigestUpdate(ctx, buf, (size_t)n);
		total += (uint64_t)n;
		if (write_full(out, buf, (size_t)n)) {
			rc = rv_error_set(err, RV_EIO, "cannot copy '%s': %s", path, strerror(errno));
			break;
		}
	}
	if (n < 0 && !rc)
		rc = rv_error_set(err, RV_EIO, "cannot read '%s': %s", path, strerror(errno));
	free(buf);
	close(fd);
	final_hex(ctx, sha, 65);
	if (size)
		*size = total;
	return rc;
}

int rv_pkg_dynamic_buildrequires(const char *path)
{
	struct rv_pkg *p = NULL;
	rpmts ts;
	int found = 0;

	if (rv_pkg_open(&p, path, NULL))
		return 0;
	ts = rpmtsCreate();
	if (p->state == RV_PKG_OK &&
	    rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES | RPMVSF_MASK_NODIGESTS) == RPMRC_OK) {
		rpmds ds = rpmdsNew(p->h, RPMTAG_REQUIRENAME, 0);
		while (!found && ds && rpmdsNext(ds) >= 0)
			found = !strcmp(rpmdsN(ds), "rpmlib(DynamicBuildRequires)");
		rpmdsFree(ds);
	}
	rpmtsFree(ts);
	rv_pkg_free(p);
	return found;
}

struct rv_embedded {
	rpmfi fi;
	const char *pkgpath;
	const char *name;
	uint64_t size, done;
};

const char *rv_embedded_name(const struct rv_embedded *e)
{
	return e->name;
}

uint64_t rv_embedded_size(const struct rv_embedded *e)
{
	return e->size;
}

/* The file's name, escaped, for a message: it comes from the package. */
static int embedded_fail(struct rv_embedded *e, struct rv_error **err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int embedded_fail(struct rv_embedded *e, struct rv_error **err, const char *fmt, ...)
{
	char *name = rv_text_escape(e->name, 1), *what;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	what = rv_xvasprintf(fmt, ap);
	va_end(ap);
	rc = rv_error_set(err, RV_EIO, "cannot read '%s' embedded in '%s': %s", name,
			  e->pkgpath, what);
	free(what);
	free(name);
	return rc;
}

ssize_t rv_embedded_read(struct rv_embedded *e, void *buf, size_t len, struct rv_error **err)
{
	uint64_t left = e->size - e->done;
	ssize_t n;

	if (!left || !len)
		return 0;
	if (len > left)
		len = (size_t)left;
	n = rpmfiArchiveRead(e->fi, buf, len);
	if (n < 0 || (size_t)n > len)
		return embedded_fail(e, err, "the payload is corrupt after %llu of %llu bytes",
				     (unsigned long long)e->done, (unsigned long long)e->size);
	if (n == 0)
		return embedded_fail(e, err, "the payload ends after %llu of its %llu bytes",
				     (unsigned long long)e->done, (unsigned long long)e->size);
	e->done += (uint64_t)n;
	return n;
}

/* rpmio's decompressor for the payload: only the ones librpm writes. */
static const char *payload_mode(Header h)
{
	static const char *const known[] = { "gzip", "bzip2", "xz", "lzma", "zstd" };
	const char *c = headerGetString(h, RPMTAG_PAYLOADCOMPRESSOR);
	size_t i;

	if (!c)
		return "r.gzip"; /* no tag: rpm's readers assume gzip */
	for (i = 0; i < RV_ARRAY_SIZE(known); i++)
		if (!strcmp(c, known[i]))
			return i == 0 ? "r.gzip" : i == 1 ? "r.bzip2" : i == 2 ? "r.xz" :
			       i == 3 ? "r.lzma" : "r.zstd";
	return NULL;
}

int rv_pkg_embedded_each_open(struct rv_pkg *p, rv_embedded_fn fn, void *data,
			      struct rv_error **err)
{
	const char *mode = payload_mode(p->h);
	rpmfiles files = NULL;
	rpmfi fi = NULL;
	FD_t fd = NULL;
	char *log = NULL;
	int dfd = -1, rc = 0, r;

	if (!mode) {
		char *c = rv_text_escape(headerGetString(p->h, RPMTAG_PAYLOADCOMPRESSOR), 1);
		rc = rv_error_set(err, RV_EFORMAT,
				  "cannot read the payload of '%s': unknown compressor '%s'", p->path, c);
		free(c);
		return rc;
	}
	dfd = dup(p->fd);
	if (dfd < 0 || lseek(dfd, p->payload_start, SEEK_SET) < 0) {
		rc = rv_error_set(err, RV_EIO, "cannot read '%s': %s", p->path, strerror(errno));
		goto out;
	}
	capture = &log;
	capture_path = p->path;
	fd = fdDup(dfd);
	if (!fd || !(fd = Fdopen(fd, mode)) || Ferror(fd)) {
		rc = rv_error_set(err, RV_EFORMAT, "cannot read the payload of '%s': %s", p->path,
				  fd ? Fstrerror(fd) : strerror(errno));
		goto out;
	}
	files = rpmfilesNew(NULL, p->h, RPMTAG_BASENAMES, RPMFI_KEEPHEADER);
	fi = files ? rpmfiNewArchiveReader(fd, files, RPMFI_ITER_READ_ARCHIVE) : NULL;
	if (!fi) {
		rc = rv_error_set(err, RV_EFORMAT, "cannot read the payload of '%s'", p->path);
		goto out;
	}
	while ((r = rpmfiNext(fi)) >= 0) {
		struct rv_embedded e = { fi, p->path, rpmfiBN(fi), (uint64_t)rpmfiFSize(fi), 0 };
		if (!S_ISREG(rpmfiFMode(fi)) || !rpmfiArchiveHasContent(fi))
			continue;
		capture = NULL;
		rc = fn(&e, data);
		capture = &log;
		if (rc)
			goto out;
	}
	if (r != RPMERR_ITER_END) {
		char *m = rpmfileStrerror(r);
		rc = rv_error_set(err, RV_EFORMAT, "cannot read the payload of '%s': %s%s%s",
				  p->path, m ? m : "corrupt archive", log ? ": " : "", log ? log : "");
		free(m);
	}
out:
	capture = NULL;
	capture_path = NULL;
	if (fi) {
		rpmfiArchiveClose(fi);
		rpmfiFree(fi);
	}
	rpmfilesFree(files);
	if (fd)
		Fclose(fd);
	if (dfd >= 0)
		close(dfd);
	free(log);
	return rc;
}

int rv_pkg_embedded_each(const char *path, rv_embedded_fn fn, void *data, struct rv_error **err)
{
	struct rv_pkg *p = NULL;
	rpmts ts = NULL;
	int rc;

	if ((rc = rv_pkg_open(&p, path, err)))
		return rc;
	if (p->state != RV_PKG_OK) {
		rc = rv_error_set(err, RV_EFORMAT, "cannot read '%s': %s", path, p->problem);
		goto out;
	}
	ts = rpmtsCreate();
	if (rv_pkg_read(p, ts, RPMVSF_MASK_NOSIGNATURES | RPMVSF_MASK_NODIGESTS) != RPMRC_OK ||
	    !p->h) {
		rc = rv_error_set(err, RV_EFORMAT, "cannot read the header of '%s'%s%s", path,
				  p->log ? ": " : "", p->log ? p->log : "");
		goto out;
	}
	rc = rv_pkg_embedded_each_open(p, fn, data, err);
out:
	rpmtsFree(ts);
	rv_pkg_free(p);
	return rc;
}
