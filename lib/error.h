/* SPDX-License-Identifier: MIT */
/* error: the one error type of the library, with causes. */
#ifndef RV_ERROR_H
#define RV_ERROR_H

#include "rpmvet.h"

/* Store a new error in *err (when err is not NULL) and return code. */
int rv_error_set(struct rv_error **err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Wrap *err in a new outer error with this message, keeping the inner code;
 * when *err is NULL, behaves like rv_error_set with RV_EEXTERNAL.  Returns the
 * code of the (new) outer error.
 */
int rv_error_wrap(struct rv_error **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Attach a foreign library's message as the innermost cause of *err. */
void rv_error_cause(struct rv_error **err, const char *msg);

#endif
