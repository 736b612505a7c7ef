/* SPDX-License-Identifier: MIT */
/*
 * rpmmd: rpm-md metadata files read with libsolv (decompression capped,
 * repomd.xml, the source packages of primary), for closure.c and upstream.c.
 */
#include "rpmmd.h"
#include "error.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/repo.h>
#include <solv/repo_repomdxml.h>
#include <solv/repo_rpmmd.h>
#include <solv/solv_xfopen.h>

/* ---- the capped reader ----------------------------------------------------- */

static ssize_t capped_read(void *cookie, char *buf, size_t size)
{
	struct rv_mdfile *m = cookie;
	size_t n;

	if (!m->left) {
		if (fgetc(m->raw) == EOF)
			return ferror(m->raw) ? -1 : 0;
		m->over = 1;
		errno = EFBIG;
		return -1;
	}
	if (size > m->left)
		size = (size_t)m->left;
	n = fread(buf, 1, size, m->raw);
	m->left -= n;
	return !n && ferror(m->raw) ? -1 : (ssize_t)n;
}

static int capped_close(void *cookie)
{
	return fclose(((struct rv_mdfile *)cookie)->raw);
}

int rv_mdfile_open(struct rv_mdfile *m, int fd, uint64_t size, const char *name,
		   struct rv_error **err)
{
	static const cookie_io_functions_t io = { capped_read, NULL, NULL, capped_close };

	memset(m, 0, sizeof(*m));
	m->limit = size > UINT64_MAX / RV_MD_RATIO ? UINT64_MAX : size * RV_MD_RATIO;
	m->left = m->limit = m->limit < RV_MD_FLOOR ? RV_MD_FLOOR : m->limit;
	/* the suffix of the name says how it is compressed */
	if (!(m->raw = solv_xfopen_fd(name, fd, "r")))
		close(fd);
	else if (!(m->f = fopencookie(m, "r", io)))
		fclose(m->raw);
	if (!m->f)
		return rv_error_set(err, RV_EIO, "cannot read '%s'", name);
	m->name = rv_xstrdup(name);
	return 0;
}

int rv_mdfile_close(struct rv_mdfile *m, int failed, const char *cause, struct rv_error **err)
{
	int rc = 0;

	if (failed || ferror(m->f) || m->over) {
		if (m->over)
			rc = rv_error_set(err, RV_EIO,
					  "'%s' decompresses to more than %ju bytes (%d times its size, at least %ju MiB)",
					  m->name, (uintmax_t)m->limit, RV_MD_RATIO,
					  (uintmax_t)(RV_MD_FLOOR >> 20));
		else
			rc = rv_error_set(err, RV_EIO, "cannot read '%s'", m->name);
		if (!m->over && cause && *cause)
			rv_error_cause(err, cause);
	}
	fclose(m->f);
	free(m->name);
	memset(m, 0, sizeof(*m));
	return rc;
}

/* ---- repomd.xml ---------------------------------------------------------------- */

/* A type's location and checksum (into *loc, sumtype, sum): 1 when repomd.xml gives both. */
static int repomd_file(Repo *repo, const char *typename, char **loc_out, char *sumtype,
		       size_t sumtypelen, char *hex)
{
	Pool *pool = repo->pool;
	Dataiterator di;
	const unsigned char *sum;
	const char *loc;
	Id type = 0;
	int found = 0;

	dataiterator_init(&di, pool, repo, SOLVID_META, REPOSITORY_REPOMD_TYPE, typename, SEARCH_STRING);
	dataiterator_prepend_keyname(&di, REPOSITORY_REPOMD);
	if (dataiterator_step(&di)) {
		dataiterator_setpos_parent(&di);
		loc = pool_lookup_str(pool, SOLVID_POS, REPOSITORY_REPOMD_LOCATION);
		sum = pool_lookup_bin_checksum(pool, SOLVID_POS, REPOSITORY_REPOMD_CHECKSUM, &type);
		if (loc && sum && type) {
			*loc_out = rv_xstrdup(loc);
			rv_hex(hex, sum, (size_t)solv_chksum_len(type));
			snprintf(sumtype, sumtypelen, "%s", solv_chksum_type2str(type));
			found = 1;
		}
	}
	dataiterator_free(&di);
	return found;
}

int rv_repomd_parse(struct rv_repomd *out, const char *buf, size_t len, const char *name,
		    struct rv_error **err)
{
	Pool *pool = pool_create();
	Repo *repo = repo_create(pool, "repomd");
	FILE *f = solv_fmemopen(buf, len, "r");
	const char *rev;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!f || repo_add_repomdxml(repo, f, 0)) {
		rc = rv_error_set(err, RV_EFORMAT, "'%s' is not a valid repomd.xml", name);
		if (f)
			rv_error_cause(err, pool_errstr(pool));
		goto out;
	}
	rev = repo_lookup_str(repo, SOLVID_META, REPOSITORY_REVISION);
	snprintf(out->revision, sizeof(out->revision), "%s", rev ? rev : "");
	out->timestamp = (int64_t)repo_lookup_num(repo, SOLVID_META, REPOSITORY_TIMESTAMP, 0);
	repomd_file(repo, "primary", &out->primary, out->sumtype, sizeof(out->sumtype), out->sum);
	repomd_file(repo, "filelists", &out->filelists, out->fsumtype, sizeof(out->fsumtype),
		    out->fsum);
out:
	if (f)
		fclose(f);
	pool_free(pool);
	return rc;
}

void rv_repomd_release(struct rv_repomd *r)
{
	free(r->primary);
	free(r->filelists);
	r->primary = NULL;
	r->filelists = NULL;
}

/* ---- the source packages of primary ---------------------------------------- */

int rv_rpmmd_sources(const char *path, const char *name, rv_rpmmd_src_fn fn, void *data,
		     struct rv_error **err)
{
	Pool *pool = NULL;
	Repo *repo;
	struct rv_mdfile m;
	struct stat st;
	Solvable *s;
	Id p;
	int fd = rv_open_regular(path, 1, &st), rc;

	if (fd < 0)
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", name, strerror(errno));
	if ((rc = rv_mdfile_open(&m, fd, (uint64_t)st.st_size, name, err)))
		return rc;
	pool = pool_create();
	repo = repo_create(pool, "primary");
	rc = repo_add_rpmmd(repo, m.f, 0, 0);
	if ((rc = rv_mdfile_close(&m, rc != 0, pool_errstr(pool), err)))
		goto out;
	FOR_REPO_SOLVABLES(repo, p, s) {
		const char *arch = pool_id2str(pool, s->arch);
		struct rv_rpmmd_src x;
		Id type = 0;

		if (strcmp(arch, "src") && strcmp(arch, "nosrc"))
			continue;
		x.sum = solvable_lookup_checksum(s, SOLVABLE_CHECKSUM, &type);
		if (!x.sum || !type)
			continue;
		x.name = pool_id2str(pool, s->name);
		x.evr = pool_id2str(pool, s->evr);
		x.location = solvable_get_location(s, NULL);
		x.sumtype = solv_chksum_type2str(type);
		x.size = solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0);
		if ((rc = fn(&x, data)))
			break;
	}
out:
	pool_free(pool);
	return rc;
}
