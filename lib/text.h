/* SPDX-License-Identifier: MIT */
/* text: what untrusted text may hold before it reaches XML, JSON or the database. */
#ifndef RV_TEXT_H
#define RV_TEXT_H

#include "rpmvet.h"

#include <stddef.h>

/*
 * Offset of the first byte of s that does not start good text, or -1 when
 * all of s is good: well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF) and, with xml, no character XML 1.0 forbids (C0
 * controls other than tab, LF and CR) nor a Unicode noncharacter (U+FFFE,
 * U+FFFF, U+FDD0-U+FDEF and the last two code points of every plane).
 */
long rv_text_bad(const char *s, int xml);

#endif
