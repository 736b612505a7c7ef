/* SPDX-License-Identifier: MIT */
/* codes: the table of finding codes (codes.def), with their defaults. */
#include "judge.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define INFO RV_SEV_INFO
#define WARNING RV_SEV_WARNING
#define ERROR RV_SEV_ERROR
#define FIXED RV_CODE_FIXED
#define NORUN RV_CODE_NORUN
#define STAGE RV_CODE_STAGE
static const struct rv_code codes[] = {
#define RV_CODE(code, check, sev, flags) { code, check, sev, flags },
#include "codes.def"
#undef RV_CODE
};

const struct rv_code *rv_code_find(const char *code)
{
	size_t i;

	for (i = 0; code && i < RV_ARRAY_SIZE(codes); i++)
		if (!strcmp(codes[i].code, code))
			return &codes[i];
	return NULL;
}

const struct rv_code *rv_code_at(size_t i)
{
	return i < RV_ARRAY_SIZE(codes) ? &codes[i] : NULL;
}

char *rv_code_fixed_list(void)
{
	char *s = rv_xstrdup(""), *t;
	size_t i;

	for (i = 0; i < RV_ARRAY_SIZE(codes); i++) {
		if (!(codes[i].flags & RV_CODE_FIXED))
			continue;
		t = rv_xasprintf("%s%s%s", s, *s ? ", " : "", codes[i].code);
		free(s);
		s = t;
	}
	return s;
}
