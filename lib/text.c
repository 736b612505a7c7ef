/* SPDX-License-Identifier: MIT */
/* text: what untrusted text may hold before it reaches XML, JSON or the database. */
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/*
 * The character at s: its length when it is well-formed UTF-8, else 0; *cp
 * gets its code point.
 */
static size_t utf8_char(const unsigned char *s, unsigned *cp)
{
	size_t n, i;
	unsigned c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return n;
}

static int xml_forbids(unsigned c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
	       (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
}

/* Bytes of good text at s (0 when s starts bad text); *bad gets how many to escape. */
static size_t good_len(const unsigned char *s, int xml, size_t *bad)
{
	unsigned c = 0;
	size_t n = utf8_char(s, &c);

	*bad = n ? n : 1;
	return n && !(xml && xml_forbids(c)) ? n : 0;
}

long rv_text_bad(const char *s, int xml)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t bad, n;

	while (*p) {
		if (!(n = good_len(p, xml, &bad)))
			return (long)(p - (const unsigned char *)s);
		p += n;
	}
	return -1;
}

char *rv_text_escape(const char *s, int xml)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	char *out = rv_xmalloc(4 * strlen((const char *)p) + 1), *w = out;
	size_t n, bad;

	while (*p) {
		if ((n = good_len(p, xml, &bad))) {
			memcpy(w, p, n);
			w += n;
			p += n;
			continue;
		}
		/* an ill-formed sequence byte by byte; a forbidden character whole */
		for (; bad--; p++)
			w += sprintf(w, "\\x%02x", *p);
	}
	*w = '\0';
	return out;
}
