/* SPDX-License-Identifier: MIT */
/* error: the one error type of the library, with causes. */
#include "error.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static struct rv_error *error_new(int code, const char *fmt, va_list ap)
{
	struct rv_error *e = rv_xcalloc(1, sizeof(*e));

	e->code = code;
	e->msg = rv_xvasprintf(fmt, ap);
	return e;
}

int rv_error_set(struct rv_error **err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	rv_error_free(*err);
	*err = error_new(code, fmt, ap);
	va_end(ap);
	return code;
}

int rv_error_wrap(struct rv_error **err, const char *fmt, ...)
{
	struct rv_error *outer;
	va_list ap;

	va_start(ap, fmt);
	outer = error_new(RV_EEXTERNAL, fmt, ap);
	va_end(ap);
	if (!err) {
		int code = outer->code;
		rv_error_free(outer);
		return code;
	}
	if (*err) {
		outer->code = (*err)->code;
		outer->cause = *err;
	}
	*err = outer;
	return outer->code;
}

void rv_error_cause(struct rv_error **err, const char *msg)
{
	struct rv_error *e;

	if (!err || !*err || !msg || !*msg)
		return;
	for (e = *err; e->cause; e = e->cause)
		;
	e->cause = rv_xcalloc(1, sizeof(*e));
	e->cause->code = e->code;
	e->cause->msg = rv_xstrdup(msg);
}

void rv_error_free(struct rv_error *err)
{
	while (err) {
		struct rv_error *next = err->cause;
		free(err->msg);
		free(err);
		err = next;
	}
}

char *rv_error_string(const struct rv_error *err)
{
	char *s, *t;

	if (!err)
		return NULL;
	s = rv_xstrdup(err->msg);
	for (err = err->cause; err; err = err->cause) {
		t = rv_xasprintf("%s: %s", s, err->msg);
		free(s);
		s = t;
	}
	return s;
}
