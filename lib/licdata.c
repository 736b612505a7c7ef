/* SPDX-License-Identifier: MIT */
/* licdata: read license data files (Fedora's fedora-licenses.json, legacy tables). */
#include "licdata.h"
#include "error.h"
#include "util.h"

#include <jansson.h>
#include <string.h>

static int fedora_entry(struct rv_licpolicy *lp, const char *path, const char *key,
			json_t *lic, json_t *fed, int legacy_only, struct rv_error **err)
{
	const char *expr = json_string_value(json_object_get(lic, "expression"));
	json_t *status = json_object_get(lic, "status"), *v;
	unsigned cats = 0;
	size_t i;

	if (!expr)
		return rv_error_set(err, RV_EFORMAT,
				    "%s: entry '%s' has no license.expression string", path, key);
	json_array_foreach(status, i, v) {
		unsigned bit = rv_category_bit(json_string_value(v));
		if (!bit)
			return rv_error_set(err, RV_EFORMAT,
					    "%s: entry '%s' (%s): unknown status '%s' (expected allowed, allowed-content, allowed-documentation, allowed-fonts, allowed-firmware or not-allowed)",
					    path, key, expr,
					    json_string_value(v) ? json_string_value(v) : "(not a string)");
		cats |= bit;
	}
	if (!legacy_only)
		rv_licmap_set(&lp->categories, expr, cats, NULL);
	json_array_foreach(json_object_get(fed, "legacy-abbreviation"), i, v)
		if (json_string_value(v) && *json_string_value(v))
			rv_licmap_set(&lp->legacy, json_string_value(v), 0, expr);
	return 0;
}

int rv_licdata_load(struct rv_licpolicy *lp, const char *path, int legacy_only,
		    struct rv_error **err)
{
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je), *v;
	const char *key;
	size_t nused = 0;
	int rc = 0;

	if (!root && je.line <= 0)
		return rv_error_set(err, RV_EIO, "cannot read '%s': %s", path, je.text);
	if (!root)
		return rv_error_set(err, RV_EFORMAT, "%s:%d: %s", path, je.line, je.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return rv_error_set(err, RV_EFORMAT,
				    "%s: expected a JSON object of license entries", path);
	}
	json_object_foreach(root, key, v) {
		json_t *lic = json_object_get(v, "license");
		const char *fa = json_string_value(json_object_get(v, "fedora_abbrev"));
		const char *sa = json_string_value(json_object_get(v, "spdx_abbrev"));

		if (json_is_object(lic)) {
			if ((rc = fedora_entry(lp, path, key, lic, json_object_get(v, "fedora"),
					       legacy_only, err)))
				break;
			nused++;
		} else if (fa && sa && *fa && *sa && key[0] != '#') {
			/* the 2022 table: approved "no" keeps the mapping, categories come elsewhere */
			rv_licmap_set(&lp->legacy, fa, 0, sa);
			nused++;
		}
	}
	json_decref(root);
	if (!rc && !nused)
		rc = rv_error_set(err, RV_EFORMAT,
				  "%s: no license entries (neither fedora-licenses.json nor a legacy table)",
				  path);
	return rc;
}
