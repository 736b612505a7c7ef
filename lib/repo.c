/* SPDX-License-Identifier: MIT */
/* repo: the curated repository on disk: lock, atomic placement, rpm-md repodata. */
#include "repo.h"
#include "error.h"
#include "facts.h"
#include "pkg.h"
#include "text.h"
#include "util.h"

#include <createrepo_c/createrepo_c.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>


int rv_repo_global_init(struct rv_error **err)
{
	(void)err;
	cr_xml_dump_init();
	cr_package_parser_init();
	return 0;
}

static int gfail(struct rv_error **err, GError *g, int code, const char *what)
{
	rv_error_set(err, code, "%s", what);
	rv_error_cause(err, g ? g->message : NULL);
	if (g)
		g_error_free(g);
	return code;
}

/* A field of pkg, escaped where XML could not carry it (as the facts and reports are). */
static void escape_field(cr_Package *pkg, char **field)
{
	char *safe;

	if (!*field || rv_text_bad(*field, 1) < 0)
		return;
	safe = rv_text_escape(*field, 1);
	*field = cr_safe_string_chunk_insert(pkg->chunk, safe);
	free(safe);
}

/* The first of the three chunks that is not good XML text, or NULL. */
static const char *bad_chunk(const struct cr_XmlStruct *x, long *at)
{
	if ((*at = rv_text_bad(x->primary, 1)) >= 0)
		return "primary";
	if ((*at = rv_text_bad(x->filelists, 1)) >= 0)
		return "filelists";
	if ((*at = rv_text_bad(x->other, 1)) >= 0)
		return "other";
	return NULL;
}

int rv_repo_xml(struct rv_facts *f, Header h, const char *sha256, uint64_t size,
		int64_t mtime, struct rv_error **err)
{
	GError *g = NULL;
	cr_Package *pkg = cr_package_from_header(h, 10, CR_HDRR_NONE, &g);
	struct cr_XmlStruct x;
	const char *bad;
	char *loc;
	long at;
	GSList *c;

	if (!pkg)
		return gfail(err, g, RV_EEXTERNAL, "createrepo_c cannot read the header");
	/* descriptive text a policy lets through escaped; identity text was checked */
	escape_field(pkg, &pkg->summary);
	escape_field(pkg, &pkg->description);
	escape_field(pkg, &pkg->url);
	escape_field(pkg, &pkg->rpm_vendor);
	escape_field(pkg, &pkg->rpm_packager);
	escape_field(pkg, &pkg->rpm_group);
	for (c = pkg->changelogs; c; c = c->next) {
		cr_ChangelogEntry *e = c->data;
		escape_field(pkg, &e->author);
		escape_field(pkg, &e->changelog);
	}
	loc = rv_xasprintf("Packages/%s", f->filename);
	pkg->pkgId = cr_safe_string_chunk_insert(pkg->chunk, sha256);
	pkg->checksum_type = cr_safe_string_chunk_insert(pkg->chunk, "sha256");
	pkg->location_href = cr_safe_string_chunk_insert(pkg->chunk, loc);
	pkg->size_package = (gint64)size;
	pkg->time_file = mtime;
	pkg->rpm_header_start = f->hdr_start;
	pkg->rpm_header_end = f->hdr_end;
	if (!strcmp(f->arch, "src") || !strcmp(f->arch, "nosrc"))
		pkg->arch = cr_safe_string_chunk_insert(pkg->chunk, "src");
	free(loc);
	x = cr_xml_dump(pkg, &g);
	cr_package_free(pkg);
	if (!x.primary) {
		g_free(x.filelists);
		g_free(x.other);
		return gfail(err, g, RV_EEXTERNAL, "createrepo_c cannot write the package's metadata");
	}
	/* never a document dnf cannot parse, whatever slipped through */
	if ((bad = bad_chunk(&x, &at))) {
		g_free(x.primary);
		g_free(x.filelists);
		g_free(x.other);
		return rv_error_set(err, RV_EFORMAT,
				    "the %s metadata of '%s' would not be well-formed XML (byte %ld)",
				    bad, f->filename, at);
	}
	f->xml_primary = rv_xstrdup(x.primary);
	f->xml_filelists = rv_xstrdup(x.filelists);
	f->xml_other = rv_xstrdup(x.other);
	g_free(x.primary);
	g_free(x.filelists);
	g_free(x.other);
	return 0;
}

int rv_repo_lock(int *fd, const char *dir, struct rv_error **err)
{
	char *path = rv_xasprintf("%s/.lock", dir);
	int lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (lfd < 0 || flock(lfd, LOCK_EX)) {
		int e = errno;
		if (lfd >= 0)
			close(lfd);
		rv_error_set(err, RV_EIO, "cannot lock the repository '%s': %s", dir, strerror(e));
		free(path);
		return RV_EIO;
	}
	free(path);
	*fd = lfd;
	return 0;
}

int rv_repo_stage_lock(int *fd, const char *dir, int exclusive)
{
	char *path = rv_xasprintf("%s/.stage-lock", dir);
	int lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	free(path);
	if (lfd < 0)
		return -1;
	if (flock(lfd, exclusive ? LOCK_EX | LOCK_NB : LOCK_SH)) {
		close(lfd);
		return -1;
	}
	*fd = lfd;
	return 0;
}

void rv_repo_unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int rv_repo_commit_file(const char *repodir, const char *tmp, const char *filename,
			int sync, struct rv_error **err)
{
	char *dst = rv_xasprintf("%s/Packages/%s", repodir, filename);
	char *pdir = rv_xasprintf("%s/Packages", repodir);
	int rc = 0;

	if ((tmp && rename(tmp, dst)) || (sync && fsync_dir(pdir)))
		rc = rv_error_set(err, RV_EIO, "cannot place '%s' in the repository: %s", dst,
				  strerror(errno));
	free(dst);
	free(pdir);
	return rc;
}

/* One metadata file: header, chunks, footer, gzip; then its repomd record. */
static int write_md(cr_Repomd *md, const char *dir, cr_XmlFileType type, const char *name,
		    const struct rv_md_chunks *c, size_t which, struct rv_error **err)
{
	char *path = rv_xasprintf("%s/%s.xml.gz", dir, name);
	GError *g = NULL;
	cr_XmlFile *f;

	/* an interrupted writer may have left this working name behind */
	unlink(path);
	f = cr_xmlfile_sopen(path, type, CR_CW_GZ_COMPRESSION, NULL, &g);
	cr_RepomdRecord *rec;
	size_t i;
	int rc = 0;

	if (!f) {
		rc = gfail(err, g, RV_EIO, "cannot write the repodata");
		goto out;
	}
	cr_xmlfile_set_num_of_pkgs(f, (long)c->n, NULL);
	for (i = 0; i < c->n && !rc; i++)
		if (cr_xmlfile_add_chunk(f, c->chunks[i][which], &g) != CRE_OK)
			rc = gfail(err, g, RV_EIO, "cannot write the repodata");
	if (cr_xmlfile_close(f, &g) != CRE_OK && !rc)
		rc = gfail(err, g, RV_EIO, "cannot write the repodata");
	if (rc)
		goto out;
	rec = cr_repomd_record_new(name, path);
	if (cr_repomd_record_fill(rec, CR_CHECKSUM_SHA256, &g) != CRE_OK ||
	    cr_repomd_record_rename_file(rec, &g) != CRE_OK) {
		cr_repomd_record_free(rec);
		rc = gfail(err, g, RV_EIO, "cannot write the repodata");
		goto out;
	}
	/* on disk before repomd.xml names it */
	{
		int fd = open(rec->location_real, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd))
			rc = rv_error_set(err, RV_EIO, "cannot write '%s': %s", rec->location_real,
					  strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	cr_repomd_set_record(md, rec);
out:
	free(path);
	return rc;
}

int rv_repodata_write(const char *repodir, const struct rv_md_chunks *c,
		      const char *revision, struct rv_error **err)
{
	static const char *const names[] = { "primary", "filelists", "other" };
	static const cr_XmlFileType types[] = { CR_XMLFILE_PRIMARY, CR_XMLFILE_FILELISTS,
						CR_XMLFILE_OTHER };
	char *dir = rv_xasprintf("%s/repodata", repodir), *tmp = NULL, *final = NULL;
	cr_Repomd *md = cr_repomd_new();
	GError *g = NULL;
	char *xml = NULL;
	struct dirent *de;
	DIR *d;
	size_t i;
	int rc = 0, fd = -1;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		rc = rv_error_set(err, RV_EIO, "cannot create '%s': %s", dir, strerror(errno));
		goto out;
	}
	for (i = 0; i < 3 && !rc; i++)
		rc = write_md(md, dir, types[i], names[i], c, i, err);
	if (rc)
		goto out;
	cr_repomd_set_revision(md, revision);
	cr_repomd_sort_records(md);
	if (!(xml = cr_xml_dump_repomd(md, &g))) {
		rc = gfail(err, g, RV_EEXTERNAL, "cannot write repomd.xml");
		goto out;
	}
	/* the switch to the new metadata is the rename of repomd.xml */
	tmp = rv_xasprintf("%s/repomd.xml.tmp", dir);
	final = rv_xasprintf("%s/repomd.xml", dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, xml, strlen(xml)) != (ssize_t)strlen(xml) || fsync(fd) ||
	    close(fd) || (fd = -1, rename(tmp, final)) || fsync_dir(dir)) {
		rc = rv_error_set(err, RV_EIO, "cannot write '%s': %s", final, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		goto out;
	}
	/* files no longer referenced go */
	if ((d = opendir(dir))) {
		while ((de = readdir(d))) {
			int used = !strcmp(de->d_name, "repomd.xml") || de->d_name[0] == '.';
			GSList *r;
			for (r = md->records; r && !used; r = r->next) {
				const char *href = ((cr_RepomdRecord *)r->data)->location_href;
				const char *base = strrchr(href, '/');
				used = !strcmp(base ? base + 1 : href, de->d_name);
			}
			if (!used) {
				char *p = rv_xasprintf("%s/%s", dir, de->d_name);
				unlink(p);
				free(p);
			}
		}
		closedir(d);
	}
out:
	g_free(xml);
	cr_repomd_free(md);
	free(tmp);
	free(final);
	free(dir);
	return rc;
}

/* Does the repodata on disk say this revision, and do its files match repomd.xml? */
int rv_repodata_check(const char *repodir, const char *revision, char **problem)
{
	char *path = rv_xasprintf("%s/repodata/repomd.xml", repodir);
	cr_Repomd *md = cr_repomd_new();
	GError *g = NULL;
	GSList *r;

	*problem = NULL;
	if (cr_xml_parse_repomd(path, md, NULL, NULL, &g) != CRE_OK) {
		*problem = rv_xasprintf("cannot read '%s': %s", path, g ? g->message : "?");
		if (g)
			g_error_free(g);
		goto out;
	}
	if (!md->revision || strcmp(md->revision, revision)) {
		*problem = rv_xasprintf("repodata revision %s does not match the database (%s)",
					md->revision ? md->revision : "(none)", revision);
		goto out;
	}
	for (r = md->records; r; r = r->next) {
		cr_RepomdRecord *rec = r->data;
		char *f = rv_xasprintf("%s/%s", repodir, rec->location_href), *sum;
		sum = cr_checksum_file(f, CR_CHECKSUM_SHA256, NULL);
		if (!sum || !rec->checksum || strcmp(sum, rec->checksum))
			*problem = rv_xasprintf("repodata file '%s' is missing or does not match repomd.xml",
						rec->location_href);
		g_free(sum);
		free(f);
		if (*problem)
			break;
	}
out:
	cr_repomd_free(md);
	free(path);
	return *problem ? -1 : 0;
}
