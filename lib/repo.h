/* SPDX-License-Identifier: MIT */
/* repo: the curated repository on disk: lock, atomic placement, rpm-md repodata. */
#ifndef RV_REPO_H
#define RV_REPO_H

#include "rpmvet.h"

#include <stdint.h>

struct rv_facts;

int rv_repo_global_init(struct rv_error **err);

/*
 * The rpm-md XML chunks of a package into f->xml_*, from its facts (no
 * second read of the package): the cr_Package createrepo_c would read from
 * the header, with its rules for which requires are listed.
 */
int rv_repo_xml(struct rv_facts *f, const char *sha256, uint64_t size, int64_t mtime,
		struct rv_error **err);

/*
 * The repository's own entries are what they claim, never symbolic links,
 * owned by the caller or root and not writable by others ("repository 'R':
 * 'R/Packages' is a symbolic link", RV_EIO).  rv_repo_entry_check checks
 * DIR/name (DIR itself for NULL): 0 safe, 1 missing, <0 refused.
 * rv_repo_check_layout checks DIR and every entry rpmvet writes (missing
 * ones are fine).  rv_repo_open_dir opens DIR/name as such a directory
 * (created first when create), without following a link, into *fd.
 */
int rv_repo_entry_check(const char *dir, const char *name, int want_dir,
			struct rv_error **err);
int rv_repo_check_layout(const char *dir, struct rv_error **err);
int rv_repo_open_dir(int *fd, const char *dir, const char *name, int create,
		     struct rv_error **err);

/* Exclusive lock on DIR/.lock (blocks while another admit holds it). */
int rv_repo_lock(int *fd, const char *dir, struct rv_error **err);
void rv_repo_unlock(int fd);

/*
 * DIR/.stage-lock: admitters hold it shared while they stage copies in
 * DIR/.incoming; a checker that gets it exclusively (never waiting) knows
 * every staged file there is a leftover.  -1 when not taken.
 */
int rv_repo_stage_lock(int *fd, const char *dir, int exclusive);

/* rename tmp to DIR/Packages/filename; with sync, fsync the directory (pass
 * NULL tmp and filename to only fsync it) */
int rv_repo_commit_file(const char *dir, const char *tmp, const char *filename,
			int sync, struct rv_error **err);

/* Chunks of every package in the repository, in order: [i][0..2] = primary, filelists, other. */
struct rv_md_chunks {
	const char *const (*chunks)[3];
	size_t n;
};

/* Write repodata/ (gzip, checksum-named files) and switch to it by renaming repomd.xml. */
int rv_repodata_write(const char *dir, const struct rv_md_chunks *c,
		      const char *revision, struct rv_error **err);

/* 0 when repodata/repomd.xml has this revision and its files match and parse
 * (well-formed, npkgs packages each); else *problem. */
int rv_repodata_check(const char *dir, const char *revision, size_t npkgs, char **problem);

#endif
