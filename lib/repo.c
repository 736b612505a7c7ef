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


/* the library never prints: createrepo_c's parse errors come back as GErrors too */
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

int rv_repo_global_init(struct rv_error **err)
{
	(void)err;
	g_log_set_handler("C_CREATEREPOLIB", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
			  G_LOG_FLAG_RECURSION, quiet, NULL);
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

/*
 * What is wrong with an entry of the repository, or NULL: it must be what it
 * claims (a directory or a regular file, never a symbolic link), owned by the
 * caller or by root, and not writable by others.
 */
static char *unsafe_why(const struct stat *st, int want_dir)
{
	uid_t me = geteuid();

	if (S_ISLNK(st->st_mode))
		return rv_xstrdup("is a symbolic link");
	if (want_dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))
		return rv_xstrdup(want_dir ? "is not a directory" : "is not a regular file");
	if (st->st_uid != me && st->st_uid != 0)
		return rv_xasprintf("is owned by uid %u, not by the caller (uid %u) or root",
				    (unsigned)st->st_uid, (unsigned)me);
	if (st->st_mode & S_IWOTH)
		return rv_xasprintf("is writable by others (mode %04o)", (unsigned)(st->st_mode & 07777));
	return NULL;
}

static int refuse(struct rv_error **err, const char *repodir, const char *path, char *why)
{
	rv_error_set(err, RV_EIO, "repository '%s': '%s' %s", repodir, path, why);
	free(why);
	return RV_EIO;
}

int rv_repo_entry_check(const char *repodir, const char *name, int want_dir,
			struct rv_error **err)
{
	char *path = name ? rv_xasprintf("%s/%s", repodir, name) : rv_xstrdup(repodir), *why;
	struct stat st;
	int rc = 0;

	if (lstat(path, &st))
		rc = errno == ENOENT ? 1 : rv_error_set(err, RV_EIO, "cannot read '%s': %s", path,
							 strerror(errno));
	else if ((why = unsafe_why(&st, want_dir)))
		rc = refuse(err, repodir, path, why);
	free(path);
	return rc;
}

int rv_repo_open_dir(int *fd, const char *repodir, const char *name, int create,
		     struct rv_error **err)
{
	char *path = rv_xasprintf("%s/%s", repodir, name), *why;
	struct stat st;
	int dfd, rc = 0;

	*fd = -1;
	if (create && mkdir(path, 0755) && errno != EEXIST) {
		rc = rv_error_set(err, RV_EIO, "cannot create '%s': %s", path, strerror(errno));
		goto out;
	}
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		int e = errno;
		/* a symbolic link or a file: say which */
		if ((e == ELOOP || e == ENOTDIR) && !lstat(path, &st) && (why = unsafe_why(&st, 1)))
			rc = refuse(err, repodir, path, why);
		else
			rc = rv_error_set(err, e == ENOENT ? RV_ENOTFOUND : RV_EIO, "cannot open '%s': %s",
					  path, strerror(e));
		goto out;
	}
	if (fstat(dfd, &st)) {
		rc = rv_error_set(err, RV_EIO, "cannot read '%s': %s", path, strerror(errno));
		close(dfd);
		goto out;
	}
	if ((why = unsafe_why(&st, 1))) {
		close(dfd);
		rc = refuse(err, repodir, path, why);
		goto out;
	}
	*fd = dfd;
out:
	free(path);
	return rc;
}

int rv_repo_check_layout(const char *repodir, struct rv_error **err)
{
	static const struct { const char *name; int dir; } entries[] = {
		{ "keys", 1 }, { "Packages", 1 }, { "repodata", 1 }, { "quarantine", 1 },
		{ ".incoming", 1 }, { "rpmvet.db", 0 }, { "rpmvet.db-wal", 0 },
		{ "rpmvet.db-shm", 0 }, { "policy.yaml", 0 }, { ".lock", 0 }, { ".stage-lock", 0 },
	};
	size_t i;
	int rc = rv_repo_entry_check(repodir, NULL, 1, err);

	for (i = 0; i < RV_ARRAY_SIZE(entries) && rc >= 0; i++)
		rc = rv_repo_entry_check(repodir, entries[i].name, entries[i].dir, err);
	return rc < 0 ? rc : 0;
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
	int lfd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);

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
	int lfd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);

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

/* repodata/ working directories: made fresh for each write, never reused */
#define RV_TMP_PREFIX ".rv-tmp."

/* Remove one of our working directories in repodata/ and the files in it. */
static void remove_tmpdir(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *de;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (d) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(fd, de->d_name, 0);
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	unlinkat(dfd, name, AT_REMOVEDIR);
}

/*
 * One metadata file: header, chunks, footer, gzip, written in our fresh
 * working directory tmp (createrepo_c writes by path: no name it uses can be
 * a planted link); then moved into repodata/ (dfd) under its checksum name.
 */
static int write_md(cr_Repomd *md, const char *tmp, int dfd, cr_XmlFileType type,
		    const char *name, const struct rv_md_chunks *c, size_t which,
		    struct rv_error **err)
{
	char *path = rv_xasprintf("%s/%s.xml.gz", tmp, name);
	GError *g = NULL;
	cr_XmlFile *f = cr_xmlfile_sopen(path, type, CR_CW_GZ_COMPRESSION, NULL, &g);
	cr_RepomdRecord *rec = NULL;
	const char *base;
	size_t i;
	int rc = 0, fd;

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
		rc = gfail(err, g, RV_EIO, "cannot write the repodata");
		goto out;
	}
	base = strrchr(rec->location_real, '/') + 1;
	/* on disk before repomd.xml names it */
	fd = open(rec->location_real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fsync(fd) || renameat(AT_FDCWD, rec->location_real, dfd, base))
		rc = rv_error_set(err, RV_EIO, "cannot write '%s': %s", rec->location_href,
				  strerror(errno));
	if (fd >= 0)
		close(fd);
	if (!rc) {
		cr_repomd_set_record(md, rec);
		rec = NULL;
	}
out:
	if (rec)
		cr_repomd_record_free(rec);
	free(path);
	return rc;
}

/* Files no longer referenced go, and working directories left by a crash. */
static void clean_repodata(int dfd, const cr_Repomd *md)
{
	int fd = dup(dfd);
	struct dirent *de;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		int used = !strcmp(de->d_name, "repomd.xml") || de->d_name[0] == '.';
		GSList *r;
		if (!strncmp(de->d_name, RV_TMP_PREFIX, strlen(RV_TMP_PREFIX))) {
			remove_tmpdir(dfd, de->d_name);
			continue;
		}
		for (r = md->records; r && !used; r = r->next) {
			const char *href = ((cr_RepomdRecord *)r->data)->location_href;
			const char *base = strrchr(href, '/');
			used = !strcmp(base ? base + 1 : href, de->d_name);
		}
		if (!used)
			unlinkat(dfd, de->d_name, 0);
	}
	closedir(d);
}

int rv_repodata_write(const char *repodir, const struct rv_md_chunks *c,
		      const char *revision, struct rv_error **err)
{
	static const char *const names[] = { "primary", "filelists", "other" };
	static const cr_XmlFileType types[] = { CR_XMLFILE_PRIMARY, CR_XMLFILE_FILELISTS,
						CR_XMLFILE_OTHER };
	char *tmp = rv_xasprintf("%s/repodata/" RV_TMP_PREFIX "XXXXXX", repodir), *p = NULL;
	cr_Repomd *md = cr_repomd_new();
	GError *g = NULL;
	char *xml = NULL;
	size_t i, len;
	int rc, dfd = -1, fd = -1, made = 0;

	if ((rc = rv_repo_open_dir(&dfd, repodir, "repodata", 1, err)))
		goto out;
	if (!mkdtemp(tmp)) {
		rc = rv_error_set(err, RV_EIO, "cannot create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	made = 1;
	for (i = 0; i < 3 && !rc; i++)
		rc = write_md(md, tmp, dfd, types[i], names[i], c, i, err);
	if (rc)
		goto out;
	cr_repomd_set_revision(md, revision);
	cr_repomd_sort_records(md);
	if (!(xml = cr_xml_dump_repomd(md, &g))) {
		rc = gfail(err, g, RV_EEXTERNAL, "cannot write repomd.xml");
		goto out;
	}
	/* the switch to the new metadata is the rename of repomd.xml */
	p = rv_xasprintf("%s/repomd.xml", tmp);
	len = strlen(xml);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, xml, len) != (ssize_t)len || fsync(fd) || close(fd) ||
	    (fd = -1, fsync(dfd)) || renameat(AT_FDCWD, p, dfd, "repomd.xml") || fsync(dfd)) {
		rc = rv_error_set(err, RV_EIO, "cannot write '%s/repodata/repomd.xml': %s", repodir,
				  strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	clean_repodata(dfd, md);
out:
	if (made)
		remove_tmpdir(dfd, strrchr(tmp, '/') + 1);
	if (dfd >= 0)
		close(dfd);
	g_free(xml);
	cr_repomd_free(md);
	free(tmp);
	free(p);
	return rc;
}

static int count_pkg(cr_Package *pkg, void *data, GError **err)
{
	(void)err;
	++*(size_t *)data;
	cr_package_free(pkg);
	return CR_CB_RET_OK;
}

/* Parse one metadata file with createrepo_c: well-formed, with npkgs packages. */
static char *parse_problem(const cr_RepomdRecord *rec, const char *path, size_t npkgs)
{
	GError *g = NULL;
	size_t n = 0;
	char *why = NULL;
	int rc;

	if (!strcmp(rec->type, "primary"))
		rc = cr_xml_parse_primary(path, NULL, NULL, count_pkg, &n, NULL, NULL, 1, &g);
	else if (!strcmp(rec->type, "filelists"))
		rc = cr_xml_parse_filelists(path, NULL, NULL, count_pkg, &n, NULL, NULL, &g);
	else if (!strcmp(rec->type, "other"))
		rc = cr_xml_parse_other(path, NULL, NULL, count_pkg, &n, NULL, NULL, &g);
	else
		return NULL;
	if (rc != CRE_OK) {
		char *m = rv_xstrdup(g ? g->message : "?"), *e = m + strlen(m), *c;
		/* libxml2's message spans lines */
		while (e > m && (e[-1] == '\n' || e[-1] == ' '))
			*--e = '\0';
		for (c = m; *c; c++)
			if (*c == '\n')
				*c = ' ';
		why = rv_xasprintf("repodata file '%s' is not well-formed metadata: %s",
				   rec->location_href, m);
		free(m);
	}
	else if (n != npkgs)
		why = rv_xasprintf("repodata file '%s' lists %zu package(s), the database %zu",
				   rec->location_href, n, npkgs);
	if (g)
		g_error_free(g);
	return why;
}

/* Does the repodata on disk say this revision, do its files match repomd.xml, and parse? */
int rv_repodata_check(const char *repodir, const char *revision, size_t npkgs, char **problem)
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
	for (r = md->records; r && !*problem; r = r->next) {
		cr_RepomdRecord *rec = r->data;
		char *f = rv_xasprintf("%s/%s", repodir, rec->location_href), *sum;
		sum = cr_checksum_file(f, CR_CHECKSUM_SHA256, NULL);
		if (!sum || !rec->checksum || strcmp(sum, rec->checksum))
			*problem = rv_xasprintf("repodata file '%s' is missing or does not match repomd.xml",
						rec->location_href);
		else
			*problem = parse_problem(rec, f, npkgs);
		g_free(sum);
		free(f);
	}
out:
	cr_repomd_free(md);
	free(path);
	return *problem ? -1 : 0;
}
