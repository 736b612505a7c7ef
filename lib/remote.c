/* SPDX-License-Identifier: MIT */
/*
 * remote: an upstream given to closure as an http(s):// or file:// URL is
 * mirrored into a private directory of the cache, then loaded like a local
 * one (closure.c, with all its checks).  repomd.xml is fetched every run,
 * its signature verified as rpmvet fetch does, its freshness compared with
 * the floor; primary and filelists are kept while repomd.xml names the same
 * checksums, and fetched (to a temporary file, verified, renamed) when not.
 * repomd.xml takes its place last, so a failed run leaves nothing new.
 */
#include "ctx.h"
#include "error.h"
#include "fetch.h"
#include "pkg.h"
#include "remote.h"
#include "rpmmd.h"
#include "upstream-trust.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPOMD_MAX ((size_t)16 << 20)
#define MD_MAX ((uint64_t)1 << 30)

int rv_remote_is_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8) ||
	       !strncasecmp(s, "file://", 7);
}

/* dir exists (made 0700 when not) and is a directory of ours nobody else may write. */
static int own_dir(const char *dir, struct rv_error **err)
{
	struct stat st;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return rv_error_set(err, RV_EIO, "cannot create '%s': %s", dir, strerror(errno));
	if (lstat(dir, &st))
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
		return rv_error_set(err, RV_EIO, "'%s' is not a private directory of ours "
				    "(a symbolic link, another owner's, or writable by others)", dir);
	return 0;
}

/* A location from repomd.xml as a file of the mirror: "repodata/NAME", NAME plain. */
static const char *plain_name(const char *loc)
{
	const char *s = loc + 9;

	if (strncmp(loc, "repodata/", 9) || !*s || *s == '.')
		return NULL;
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || *s == 0x7f || *s == '/' || *s == '\\')
			return NULL;
	return loc + 9;
}

/*
 * dir/repodata/NAME holds the bytes repomd.xml names: kept when it already
 * matches (a regular file of ours), else fetched from url/loc and verified.
 */
static int mirror_file(const struct rv_fetch_cfg *cfg, const char *url, const char *dir,
		       const char *type, const char *loc, const char *sumtype, const char *sum,
		       struct rv_ctx *ctx, struct rv_error **err)
{
	struct rv_fetch_want want = { .sumtype = sumtype, .sum = sum, .max = MD_MAX };
	char *rd = rv_xasprintf("%s/repodata", dir), *path, *from;
	const char *name = loc ? plain_name(loc) : NULL;
	struct stat st;
	int fd, rc = 0;

	if (!name) {
		rc = rv_error_set(err, RV_EFORMAT, "%s location '%s' in repomd.xml is not a plain "
				  "file under repodata/", type, loc ? loc : "");
		free(rd);
		return rc;
	}
	path = rv_xasprintf("%s/%s", rd, name);
	from = rv_fetch_join(url, loc);
	fd = rv_open_regular(path, 1, &st);
	if (fd >= 0)
		close(fd);
	if (fd >= 0 && st.st_uid == geteuid() && !(st.st_mode & 022) &&
	    !rv_fetch_check(path, &want, path, NULL)) {
		rv_ctx_log(ctx, 3, "upstream '%s': %s unchanged, from the cache", url, type);
	} else {
		unlink(path);
		rc = rv_fetch_file(cfg, from, rd, name, &want, err);
	}
	free(from);
	free(path);
	free(rd);
	return rc;
}

/* Removes the files of dir/repodata that the current repomd.xml does not name. */
static void prune(const char *dir, const struct rv_repomd *rm)
{
	char *rd = rv_xasprintf("%s/repodata", dir);
	DIR *d = opendir(rd);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		const char *n = de->d_name;

		if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "repomd.xml") ||
		    (rm->primary && plain_name(rm->primary) && !strcmp(n, plain_name(rm->primary))) ||
		    (rm->filelists && plain_name(rm->filelists) &&
		     !strcmp(n, plain_name(rm->filelists))))
			continue;
		unlinkat(dirfd(d), n, 0);
	}
	if (d)
		closedir(d);
	free(rd);
}

/* Writes repomd.xml into dir/repodata through a temporary file, renamed. */
static int put_repomd(const char *dir, const char *md, size_t len, struct rv_error **err)
{
	char *tmp = rv_xasprintf("%s/repodata/.rpmvet-fetch-XXXXXX", dir);
	char *dest = rv_xasprintf("%s/repodata/repomd.xml", dir);
	int fd = mkostemp(tmp, O_CLOEXEC), rc = 0;
	size_t off = 0;

	if (fd < 0) {
		rc = rv_error_set(err, RV_EIO, "cannot create a file in '%s/repodata': %s", dir,
				  strerror(errno));
		goto out;
	}
	while (off < len) {
		ssize_t w = write(fd, md + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off < len || fchmod(fd, 0644) || close(fd) || rename(tmp, dest)) {
		rc = rv_error_set(err, RV_EIO, "cannot write '%s': %s", dest, strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	free(dest);
	return rc;
}

int rv_remote_mirror(struct rv_ctx *ctx, const char *url, const char *cache,
		     const struct rv_remote_trust *trust, char **root, int *temporary,
		     struct rv_error **err)
{
	struct rv_fetch_cfg cfg = { .connect_timeout = 30, .low_speed_time = 30, .retries = 3,
				    .backoff_ms = 500, .max_redirects = 5 };
	struct rv_repomd rm = { .primary = NULL };
	char *mdurl = rv_fetch_join(url, "repodata/repomd.xml"), *md = NULL, *dir = NULL, *sub;
	char h[65];
	size_t len = 0;
	int rc;

	*root = NULL;
	*temporary = !cache;
	if (cache) {
		rv_sha256_hex(url, strlen(url), h);
		sub = rv_xasprintf("%s/remote", cache);
		dir = rv_xasprintf("%s/%s", sub, h);
		/* the cache's parent (~/.cache) may be shared and is made when
		 * missing, as closure.c does; the cache itself must be ours */
		char *parent = rv_xstrdup(cache), *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			mkdir(parent, 0700);
		}
		free(parent);
		rc = own_dir(cache, err);
		if (!rc)
			rc = own_dir(sub, err);
		if (!rc)
			rc = own_dir(dir, err);
		free(sub);
	} else {
		dir = rv_xstrdup("/tmp/rpmvet-upstream-XXXXXX");
		rc = mkdtemp(dir) ? 0 : rv_error_set(err, RV_EIO, "cannot create a temporary "
						     "directory: %s", strerror(errno));
	}
	if (!rc) {
		sub = rv_xasprintf("%s/repodata", dir);
		rc = own_dir(sub, err);
		free(sub);
	}
	if (!rc)
		rc = rv_fetch_mem(&cfg, mdurl, REPOMD_MAX, &md, &len, err);
	if (!rc && trust && (trust->keys || trust->require_signature))
		rc = rv_upstream_repomd_signature(&cfg, url, md, len, trust->keys,
						  trust->require_signature, err);
	if (!rc)
		rc = rv_repomd_parse(&rm, md, len, mdurl, err);
	if (!rc)
		rc = rv_upstream_floor_check(cache, url, mdurl, rm.revision, rm.timestamp, err);
	if (!rc && !rm.primary)
		rc = rv_error_set(err, RV_EFORMAT, "'%s' gives no primary location and checksum", mdurl);
	if (!rc)
		rc = mirror_file(&cfg, url, dir, "primary", rm.primary, rm.sumtype, rm.sum, ctx, err);
	if (!rc && rm.filelists)
		rc = mirror_file(&cfg, url, dir, "filelists", rm.filelists, rm.fsumtype, rm.fsum, ctx,
				 err);
	/* every file it names is in place and verified: now repomd.xml */
	if (!rc)
		rc = put_repomd(dir, md, len, err);
	if (!rc) {
		prune(dir, &rm);
		rv_upstream_floor_record(cache, url, rm.revision, rm.timestamp);
		*root = dir;
		dir = NULL;
	}
	if (dir && !cache)
		rv_remote_remove(dir);
	/* whatever the cause, the run could not complete, as with a local upstream */
	if (rc && err && *err)
		(*err)->code = RV_EIO;
	rv_repomd_release(&rm);
	free(dir);
	free(md);
	free(mdurl);
	return rc ? RV_EIO : 0;
}

void rv_remote_remove(const char *dir)
{
	char *rd = rv_xasprintf("%s/repodata", dir);
	DIR *d = opendir(rd);
	struct dirent *de;

	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	if (d)
		closedir(d);
	rmdir(rd);
	rmdir(dir);
	free(rd);
}
