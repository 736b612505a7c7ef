/* SPDX-License-Identifier: MIT */
/* licdata: read license data files (Fedora's fedora-licenses.json, legacy tables). */
#ifndef RV_LICDATA_H
#define RV_LICDATA_H

#include "license.h"

/*
 * Load path into lp: from fedora-licenses.json (the fedora-license-data
 * format) each expression's categories and its legacy abbreviations; from a
 * 2022-style table (fedora_abbrev / spdx_abbrev) the legacy abbreviations.
 * With legacy_only, categories are not taken.  Errors name file:line.
 */
int rv_licdata_load(struct rv_licpolicy *lp, const char *path, int legacy_only,
		    struct rv_error **err);

#endif
