/* SPDX-License-Identifier: MIT */
/* remote: closure's upstreams given as URLs, mirrored into the cache and then loaded as local. */
#ifndef RV_REMOTE_H
#define RV_REMOTE_H

struct rv_ctx;
struct rv_error;
struct rv_keystore;

/* How a remote upstream's repomd.xml is trusted (as rpmvet fetch trusts it). */
struct rv_remote_trust {
	const struct rv_keystore *keys;  /* repomd.xml.asc verified against these when present */
	int require_signature;           /* upstream.repomd-signature: required */
};

/* Non-zero when s is an http://, https:// or file:// URL (any case). */
int rv_remote_is_url(const char *s);

/*
 * Mirror the rpm-md repository at url: repomd.xml (signature checked per
 * trust, not older than the floor recorded in cache), then primary and
 * filelists each verified against repomd.xml's checksum, into
 * CACHE/remote/<sha256 of url>/repodata (private, ours), repomd.xml written
 * last.  *root is that directory (the caller frees it).  Without a cache, a
 * temporary directory: *temporary is then 1, and the caller removes it with
 * rv_remote_remove().  Errors name the URL: RV_EIO, RV_ENOTFOUND, RV_EFORMAT.
 */
int rv_remote_mirror(struct rv_ctx *ctx, const char *url, const char *cache,
		     const struct rv_remote_trust *trust, char **root, int *temporary,
		     struct rv_error **err);

/* Remove a temporary mirror made by rv_remote_mirror(). */
void rv_remote_remove(const char *dir);

#endif
