/* SPDX-License-Identifier: MIT */
/* export: SBOM documents (SPDX 2.3, CycloneDX 1.6) of the repository at an instant; purls. */
#ifndef RV_EXPORT_H
#define RV_EXPORT_H

#include <stddef.h>

struct rv_purl_qualifier {
	const char *key, *value;        /* a NULL or empty value is left out */
};

/*
 * A package URL as the purl specification builds it: type and qualifier keys
 * lower-cased, namespace segments, name, version, qualifier values and subpath
 * segments percent-encoded (all but A-Z a-z 0-9 . - _ ~ and ':'), qualifiers
 * sorted by key.  NULL when the parts cannot make a purl: no type or name, a
 * type or key with characters the spec forbids, a key given twice.
 * ns, version, subpath and q may be NULL.  The caller's string.
 */
char *rv_purl_build(const char *type, const char *ns, const char *name, const char *version,
		    const struct rv_purl_qualifier *q, size_t nq, const char *subpath);

/*
 * The purl namespace of an RPM: policy_ns when set, else from a known vendor
 * ("Fedora Project" fedora, "Red Hat" redhat, AlmaLinux, CentOS, openSUSE,
 * SUSE), else "fedora" for a Fedora dist tag (".fc43" in release), else NULL
 * (the caller's fallback).  Static strings or policy_ns.
 */
const char *rv_purl_rpm_namespace(const char *policy_ns, const char *vendor, const char *release);

#endif
