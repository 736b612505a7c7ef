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
#include <stdio.h>
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

static char *chunk_str(cr_Package *pkg, const char *s)
{
	return s ? cr_safe_string_chunk_insert(pkg->chunk, s) : NULL;
}

/* The version inside the first parentheses of a libc.so.6(...) dependency, compared. */
static int libc_newer(const char *a, const char *b)
{
	const char *pa = strchr(a, '('), *pb = strchr(b, '(');
	char *va, *vb;
	int c;

	if (!pb)
		return 0;
	if (!pa)
		return 1;
	va = rv_xstrndup(pa + 1, strcspn(pa + 1, ")"));
	vb = rv_xstrndup(pb + 1, strcspn(pb + 1, ")"));
	c = rv_pkg_evrcmp(0, vb + strcspn(vb, "0123456789"), "", 0,
			  va + strcspn(va, "0123456789"), "");
	free(va);
	free(vb);
	return c > 0;
}

static int has_file(const struct rv_facts *f, const char *path)
{
	size_t i;

	for (i = 0; i < f->nfiles; i++)
		if (!strcmp(f->files[i].path, path))
			return 1;
	return 0;
}

/* A dependency as rpm-md has it; NULL when its version has a bad epoch (createrepo_c skips those). */
static cr_Dependency *dependency(cr_Package *pkg, const struct rv_dep *d)
{
	cr_EVR *evr = cr_str_to_evr(d->evr, pkg->chunk);
	cr_Dependency *dep;

	if (*d->evr && !evr->epoch) {
		g_free(evr);
		return NULL;
	}
	dep = cr_dependency_new();
	dep->name = chunk_str(pkg, d->name);
	dep->flags = chunk_str(pkg, cr_flag_to_str(d->flags));
	dep->epoch = evr->epoch;
	dep->version = evr->version;
	dep->release = evr->release;
	dep->pre = d->pre;
	g_free(evr);
	return dep;
}

static int same_dep(const struct rv_dep *a, const struct rv_dep *b)
{
	return !strcmp(a->name, b->name) && !g_strcmp0(cr_flag_to_str(a->flags), cr_flag_to_str(b->flags)) &&
	       !strcmp(a->evr, b->evr);
}

/*
 * Which requires rpm-md lists, the rules createrepo_c applies to a header:
 * no rpmlib() features, no primary file of the package itself, nothing the
 * package provides exactly so, no repetition of the same requirement, and of
 * the libc.so.6 ones only the newest (listed last).
 */
static int listed_require(const struct rv_facts *f, size_t k)
{
	const struct rv_dep *d = &f->deps[k];
	size_t i;

	if (!strncmp(d->name, "rpmlib(", 7))
		return 0;
	if (d->name[0] == '/' && has_file(f, d->name) && cr_is_primary(d->name))
		return 0;
	for (i = 0; i < f->ndeps; i++)
		if (!strcmp(f->deps[i].kind, "provides") && same_dep(&f->deps[i], d))
			return 0;
	/* the same requirement as the last listed one of this name */
	for (i = k; i-- > 0;)
		if ((!strcmp(f->deps[i].kind, "requires") || !strcmp(f->deps[i].kind, "buildrequires")) &&
		    !strcmp(f->deps[i].name, d->name) && strncmp(d->name, "libc.so.6", 9) &&
		    listed_require(f, i))
			return !(same_dep(&f->deps[i], d) && f->deps[i].pre == d->pre);
	return 1;
}

/* The package as createrepo_c would read it from the header, built from the facts. */
static cr_Package *package_of(const struct rv_facts *f)
{
	static const char *const kinds[] = { "provides", "conflicts", "obsoletes", "requires",
					     "suggests", "enhances", "recommends", "supplements" };
	cr_Package *pkg = cr_package_new();
	GSList **lists[] = { &pkg->provides, &pkg->conflicts, &pkg->obsoletes, &pkg->requires,
			     &pkg->suggests, &pkg->enhances, &pkg->recommends, &pkg->supplements };
	const struct rv_dep *libc = NULL;
	int src = !strcmp(f->arch, "src") || !strcmp(f->arch, "nosrc");
	size_t i, k, n;
	int64_t last = 0;
	char epoch[24];

	pkg->name = chunk_str(pkg, f->name);
	pkg->arch = chunk_str(pkg, src ? "src" : f->arch);
	pkg->version = chunk_str(pkg, f->version);
	snprintf(epoch, sizeof(epoch), "%llu", (unsigned long long)(f->epoch < 0 ? 0 : f->epoch));
	pkg->epoch = chunk_str(pkg, epoch);
	pkg->release = chunk_str(pkg, f->release);
	pkg->summary = chunk_str(pkg, f->summary);
	pkg->description = chunk_str(pkg, f->description);
	pkg->url = chunk_str(pkg, f->url);
	pkg->time_build = f->buildtime;
	pkg->rpm_license = chunk_str(pkg, f->license);
	pkg->rpm_vendor = chunk_str(pkg, f->vendor);
	pkg->rpm_group = chunk_str(pkg, f->group);
	pkg->rpm_buildhost = chunk_str(pkg, f->buildhost);
	pkg->rpm_sourcerpm = chunk_str(pkg, f->sourcerpm);
	pkg->rpm_packager = chunk_str(pkg, f->packager);
	pkg->size_installed = (gint64)f->size_installed;
	pkg->size_archive = (gint64)f->size_archive;
	for (i = 0; i < f->nfiles; i++) {
		cr_PackageFile *pf = cr_package_file_new();
		const char *slash = strrchr(f->files[i].path, '/');
		size_t dl = slash ? (size_t)(slash - f->files[i].path) + 1 : 0;

		pf->name = chunk_str(pkg, f->files[i].path + dl);
		pf->path = g_string_chunk_insert_len(pkg->chunk, f->files[i].path, (gssize)dl);
		pf->type = chunk_str(pkg, f->files[i].type == RV_FILE_DIR ? "dir" :
				     f->files[i].type == RV_FILE_GHOST ? "ghost" : "");
		pkg->files = g_slist_prepend(pkg->files, pf);
	}
	for (k = 0; k < RV_ARRAY_SIZE(kinds); k++) {
		for (i = 0; i < f->ndeps; i++) {
			const struct rv_dep *d = &f->deps[i];
			int req = k == 3 && !strcmp(d->kind, "buildrequires");
			cr_Dependency *dep;

			if (strcmp(d->kind, kinds[k]) && !req)
				continue;
			if (k == 3 && !listed_require(f, i))
				continue;
			if (k == 3 && !strncmp(d->name, "libc.so.6", 9)) {
				if (!libc || libc_newer(d->name, libc->name))
					libc = d;
				continue;
			}
			if ((dep = dependency(pkg, d))) {
				if (k != 3)
					dep->pre = 0;
				*lists[k] = g_slist_prepend(*lists[k], dep);
			}
		}
	}
	if (libc) {
		cr_Dependency *dep = dependency(pkg, libc);
		if (dep)
			pkg->requires = g_slist_prepend(pkg->requires, dep);
	}
	for (k = 0; k < RV_ARRAY_SIZE(lists); k++)
		*lists[k] = g_slist_reverse(*lists[k]);
	pkg->files = g_slist_reverse(pkg->files);
	/* the newest 10 entries; equal times made distinct as createrepo_c does */
	n = f->nchangelog < 10 ? f->nchangelog : 10;
	for (i = 0; i < n; i++) {
		cr_ChangelogEntry *e = cr_changelog_entry_new();
		size_t len;
		GSList *prev;
		int64_t t = f->changelog[i].time;

		e->author = chunk_str(pkg, f->changelog[i].author);
		for (len = e->author ? strlen(e->author) : 0; len > 1 && e->author[len - 1] == ' '; len--)
			e->author[len - 1] = '\0';
		e->date = t;
		e->changelog = chunk_str(pkg, f->changelog[i].text);
		pkg->changelogs = g_slist_prepend(pkg->changelogs, e);
		if (i && last == t) {
			int64_t bump = t;
			for (prev = pkg->changelogs->next;
			     prev && ((cr_ChangelogEntry *)prev->data)->date == bump; prev = prev->next)
				((cr_ChangelogEntry *)prev->data)->date = ++bump;
		} else {
			last = t;
		}
	}
	return pkg;
}

int rv_repo_xml(struct rv_facts *f, const char *sha256, uint64_t size, int64_t mtime,
		struct rv_error **err)
{
	GError *g = NULL;
	cr_Package *pkg = package_of(f);
	struct cr_XmlStruct x;
	const char *bad;
	char *loc;
	long at;

	loc = rv_xasprintf("Packages/%s", f->filename);
	pkg->pkgId = cr_safe_string_chunk_insert(pkg->chunk, sha256);
	pkg->checksum_type = cr_safe_string_chunk_insert(pkg->chunk, "sha256");
	pkg->location_href = cr_safe_string_chunk_insert(pkg->chunk, loc);
	pkg->size_package = (gint64)size;
	pkg->time_file = mtime;
	pkg->rpm_header_start = f->hdr_start;
	pkg->rpm_header_end = f->hdr_end;
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
