/* SPDX-License-Identifier: MIT */
/*
 * upstream-trust: the pieces of upstream.c's metadata trust that closure's
 * remote upstreams (remote.c) share with rpmvet fetch: repomd.xml's
 * signature and the freshness floor (the highest revision/timestamp seen).
 */
#ifndef RV_UPSTREAM_TRUST_H
#define RV_UPSTREAM_TRUST_H

#include <stddef.h>
#include <stdint.h>

struct rv_error;
struct rv_fetch_cfg;
struct rv_keystore;

/*
 * repomd.xml's signature: MIRROR/repodata/repomd.xml.asc is fetched and, when
 * it exists, must be a good signature of md by a key of keys (RV_EINVAL
 * without keys); missing, it is an error only with require.  Errors name the
 * URL: RV_EFORMAT (bad, missing under require), RV_EIO (the transfer).
 */
int rv_upstream_repomd_signature(const struct rv_fetch_cfg *cfg, const char *mirror,
				 const char *md, size_t mdlen, const struct rv_keystore *keys,
				 int require, struct rv_error **err);

/*
 * Refuse metadata older than the freshest recorded for mirror in cache
 * (upstream.stale-metadata, RV_EFORMAT, naming what and both instants); 0
 * when fresh enough, nothing recorded, or cache is NULL.
 */
int rv_upstream_floor_check(const char *cache, const char *mirror, const char *what,
			    const char *revision, int64_t timestamp, struct rv_error **err);
/* Record revision/timestamp as the freshest seen for mirror (cache NULL: nothing). */
void rv_upstream_floor_record(const char *cache, const char *mirror, const char *revision,
			      int64_t timestamp);

#endif
