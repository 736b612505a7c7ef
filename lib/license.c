/* SPDX-License-Identifier: MIT */
/* license: SPDX expression parser and evaluator against license categories. */
#include "license.h"
#include "report.h"
#include "util.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct spdx_id {
	const char *id;
	int deprecated;
};
#include "spdx-data.inc"

#define MAX_EXPR 8192
#define MAX_DEPTH 64

#define F_ERR(ev, code, ...) rv_findings_code_add(&(ev)->findings, &(ev)->nfindings, code, __VA_ARGS__)

/* ---- categories and maps ----------------------------------------------- */

static const char *const cat_names[] = {
	"allowed", "allowed-content", "allowed-documentation", "allowed-fonts",
	"allowed-firmware", "not-allowed",
};

unsigned rv_category_bit(const char *name)
{
	size_t i;

	for (i = 0; name && i < RV_ARRAY_SIZE(cat_names); i++)
		if (!strcmp(name, cat_names[i]))
			return 1u << i;
	return 0;
}

const char *rv_category_names(unsigned cats, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < RV_ARRAY_SIZE(cat_names); i++)
		if ((cats & (1u << i)) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
					      cat_names[i]);
	return buf;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcasecmp(((const struct rv_licmap_entry *)a)->key,
			  ((const struct rv_licmap_entry *)b)->key);
}

void rv_licmap_set(struct rv_licmap *m, const char *key, unsigned cats,
		   const char *value)
{
	rv_grow((void **)&m->v, &m->cap, m->n + 1, sizeof(*m->v));
	m->v[m->n].key = rv_xstrdup(key);
	m->v[m->n].cats = cats;
	m->v[m->n].value = value ? rv_xstrdup(value) : NULL;
	m->n++;
	m->sorted = 0;
}

/*
 * Sort, and merge duplicate keys: categories add up; two different values for
 * one key make it ambiguous (value NULL, RV_LICMAP_AMBIGUOUS set).
 */
void rv_licmap_sort(struct rv_licmap *m)
{
	size_t i, w = 0;

	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), entry_cmp);
	for (i = 0; i < m->n; i++) {
		struct rv_licmap_entry *prev = w ? &m->v[w - 1] : NULL;
		if (prev && !strcasecmp(prev->key, m->v[i].key)) {
			prev->cats |= m->v[i].cats;
			if (m->v[i].value && (!prev->value || strcmp(prev->value, m->v[i].value))) {
				if (prev->value || (prev->cats & RV_LICMAP_AMBIGUOUS))
					prev->cats |= RV_LICMAP_AMBIGUOUS;
				free(prev->value);
				prev->value = (prev->cats & RV_LICMAP_AMBIGUOUS) ? NULL : m->v[i].value;
				if (prev->value == m->v[i].value)
					m->v[i].value = NULL;
			}
			free(m->v[i].value);
			free(m->v[i].key);
			continue;
		}
		m->v[w++] = m->v[i];
	}
	m->n = w;
	m->sorted = 1;
}

const struct rv_licmap_entry *rv_licmap_get(const struct rv_licmap *m,
					    const char *key)
{
	struct rv_licmap_entry k = { (char *)key, 0, NULL };

	if (!m->n || !key)
		return NULL;
	return bsearch(&k, m->v, m->n, sizeof(*m->v), entry_cmp);
}

void rv_licmap_release(struct rv_licmap *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].key);
		free(m->v[i].value);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

void rv_licpolicy_init(struct rv_licpolicy *lp)
{
	memset(lp, 0, sizeof(*lp));
	lp->accept = RV_CAT_ALLOWED;
	lp->deprecated_sev = RV_SEV_WARNING;
	lp->case_sev = RV_SEV_WARNING;
	lp->addition_sev = RV_SEV_WARNING;
}

void rv_licpolicy_release(struct rv_licpolicy *lp)
{
	size_t i;

	for (i = 0; i < lp->naccept_for; i++)
		rv_strv_free(lp->accept_for[i].packages);
	free(lp->accept_for);
	rv_strv_free(lp->allow);
	rv_strv_free(lp->deny);
	rv_licmap_release(&lp->categories);
	rv_licmap_release(&lp->legacy);
	for (i = 0; i < lp->nexceptions; i++) {
		free(lp->exceptions[i].package);
		free(lp->exceptions[i].license);
		free(lp->exceptions[i].reason);
	}
	free(lp->exceptions);
	memset(lp, 0, sizeof(*lp));
}

/* ---- SPDX ids ------------------------------------------------------------ */

static int id_cmp(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct spdx_id *)elem)->id);
}

static const struct spdx_id *find_license(const char *id)
{
	return bsearch(id, spdx_licenses, RV_ARRAY_SIZE(spdx_licenses),
		       sizeof(spdx_licenses[0]), id_cmp);
}

static const struct spdx_id *find_exception(const char *id)
{
	return bsearch(id, spdx_exceptions, RV_ARRAY_SIZE(spdx_exceptions),
		       sizeof(spdx_exceptions[0]), id_cmp);
}

static int is_ref(const char *id)
{
	return !strncmp(id, "LicenseRef-", 11) || !strncmp(id, "DocumentRef-", 12);
}

/* An SPDX 3.0 addition after WITH: AdditionRef-x or DocumentRef-d:AdditionRef-x. */
static int is_addition(const char *id)
{
	const char *colon = strchr(id, ':');

	if (colon && !strncmp(id, "DocumentRef-", 12))
		id = colon + 1 + strspn(colon + 1, " ");
	return !strncmp(id, "AdditionRef-", 12);
}

/*
 * LicenseRef-Callaway-GPLv2+: Fedora's temporary marker for a legacy license
 * not yet converted, not an SPDX id ('+' may follow only a license id).
 */
#define CALLAWAY "LicenseRef-Callaway-"

static int is_callaway(const char *id, int plus)
{
	return !strncmp(id, CALLAWAY, strlen(CALLAWAY)) && (plus || strchr(id, '+'));
}

/* What replaces a deprecated GNU id: GPL-2.0+ -> GPL-2.0-or-later. */
static char *deprecated_fix(const char *id, int plus)
{
	static const char *const gnu[] = { "AGPL-1.0", "AGPL-3.0", "GFDL-1.1", "GFDL-1.2",
					   "GFDL-1.3", "GPL-1.0", "GPL-2.0", "GPL-3.0",
					   "LGPL-2.0", "LGPL-2.1", "LGPL-3.0" };
	size_t i, n = strlen(id);
	int p = plus || (n && id[n - 1] == '+');

	if (n && id[n - 1] == '+')
		n--;
	for (i = 0; i < RV_ARRAY_SIZE(gnu); i++)
		if (strlen(gnu[i]) == n && !strncasecmp(id, gnu[i], n))
			return rv_xasprintf("%s-%s", gnu[i], p ? "or-later" : "only");
	return NULL;
}

/* ---- lexer --------------------------------------------------------------- */

enum tok { T_END, T_LP, T_RP, T_AND, T_OR, T_WITH, T_ID, T_BAD };

struct lexer {
	const char *s;
	size_t i;          /* next character */
	enum tok t;
	size_t start, len; /* the current token */
	int plus;
	int lower_ops;     /* operators written other than upper case */
};

static int idchar(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.';
}

static void lex(struct lexer *lx)
{
	const char *s = lx->s;
	size_t i = lx->i;

	while (s[i] == ' ')
		i++;
	lx->start = i;
	lx->plus = 0;
	if (!s[i]) {
		lx->t = T_END;
		lx->len = 0;
	} else if (s[i] == '(' || s[i] == ')') {
		lx->t = s[i] == '(' ? T_LP : T_RP;
		lx->len = 1;
		i++;
	} else if (idchar(s[i])) {
		while (idchar(s[i]))
			i++;
		if (!strncmp(s + lx->start, "DocumentRef-", 12)) {
			size_t j = i;
			while (s[j] == ' ')
				j++;
			if (s[j] == ':') {
				j++;
				while (s[j] == ' ')
					j++;
				while (idchar(s[j]))
					j++;
				i = j;
			}
		}
		lx->len = i - lx->start;
		lx->t = T_ID;
		if (lx->len == 3 && !strncasecmp(s + lx->start, "AND", 3))
			lx->t = T_AND;
		else if (lx->len == 2 && !strncasecmp(s + lx->start, "OR", 2))
			lx->t = T_OR;
		else if (lx->len == 4 && !strncasecmp(s + lx->start, "WITH", 4))
			lx->t = T_WITH;
		if (lx->t != T_ID && strncmp(s + lx->start, lx->t == T_AND ? "AND" :
					     lx->t == T_OR ? "OR" : "WITH", lx->len))
			lx->lower_ops = 1;
		if (lx->t == T_ID && s[i] == '+') {
			lx->plus = 1;
			i++;
		}
	} else {
		lx->t = T_BAD;
		lx->len = 1;
		i++;
	}
	lx->i = i;
}

/* ---- parser ---------------------------------------------------------------- */

enum { N_LEAF, N_AND, N_OR };

struct node {
	int kind;
	char *id, *exc;          /* as written */
	const struct spdx_id *lic, *exct; /* known ids, or NULL */
	int plus;
	size_t pos;              /* 0-based offset of the id */
	struct node **kids;
	size_t nkids;
};

struct parser {
	struct lexer lx;
	char *error;             /* the first syntax error */
	int depth;
};

static void node_free(struct node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->id);
	free(n->exc);
	free(n);
}

static const char *tok_desc(const struct lexer *lx, char *buf, size_t len)
{
	switch (lx->t) {
	case T_END: return "the end";
	case T_LP: return "'('";
	case T_RP: return "')'";
	case T_BAD:
		if (lx->s[lx->start] == '\t')
			return "a tab (only spaces separate terms)";
		if (lx->s[lx->start] == '\n' || lx->s[lx->start] == '\r')
			return "a line break";
		if (lx->s[lx->start] == '+')
			return "'+' apart from its license id (write 'ID+')";
		snprintf(buf, len, "'%c'", lx->s[lx->start]);
		return buf;
	default:
		snprintf(buf, len, "'%.*s'", (int)(lx->len > 40 ? 40 : lx->len),
			 lx->s + lx->start);
		return buf;
	}
}

static struct node *syntax(struct parser *ps, const char *expected)
{
	char buf[64];

	if (!ps->error)
		ps->error = rv_xasprintf("syntax error at column %zu: expected %s, found %s",
					 ps->lx.start + 1, expected,
					 tok_desc(&ps->lx, buf, sizeof(buf)));
	return NULL;
}

static struct node *parse_or(struct parser *ps);

static struct node *parse_with(struct parser *ps)
{
	struct node *n;

	if (ps->lx.t == T_LP) {
		if (++ps->depth > MAX_DEPTH)
			return syntax(ps, "at most 64 nested parentheses");
		lex(&ps->lx);
		n = parse_or(ps);
		if (!n)
			return NULL;
		if (ps->lx.t != T_RP) {
			node_free(n);
			return syntax(ps, "')'");
		}
		ps->depth--;
		lex(&ps->lx);
		if (ps->lx.t == T_WITH) {
			node_free(n);
			return syntax(ps, "AND, OR or ')' (WITH applies to a single license, not to a parenthesised expression)");
		}
		return n;
	}
	if (ps->lx.t != T_ID)
		return syntax(ps, "a license id or '('");
	n = rv_xcalloc(1, sizeof(*n));
	n->kind = N_LEAF;
	n->id = rv_xstrndup(ps->lx.s + ps->lx.start, ps->lx.len);
	n->plus = ps->lx.plus;
	n->pos = ps->lx.start;
	lex(&ps->lx);
	if (ps->lx.t == T_WITH) {
		lex(&ps->lx);
		if (ps->lx.t != T_ID) {
			node_free(n);
			return syntax(ps, "an exception id after WITH");
		}
		n->exc = rv_xstrndup(ps->lx.s + ps->lx.start, ps->lx.len);
		if (ps->lx.plus) {
			node_free(n);
			return syntax(ps, "an exception id without '+'");
		}
		lex(&ps->lx);
	}
	return n;
}

/* kind AND or OR, over operands parsed by sub; flattens a chain into one node */
static struct node *parse_chain(struct parser *ps, int kind, enum tok op,
				struct node *(*sub)(struct parser *))
{
	struct node *first = sub(ps), *n;

	if (!first || ps->lx.t != op)
		return first;
	n = rv_xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->kids = rv_xmalloc(sizeof(*n->kids));
	n->kids[n->nkids++] = first;
	while (ps->lx.t == op) {
		struct node *k;
		lex(&ps->lx);
		k = sub(ps);
		if (!k) {
			node_free(n);
			return NULL;
		}
		n->kids = rv_xrealloc(n->kids, (n->nkids + 1) * sizeof(*n->kids));
		n->kids[n->nkids++] = k;
	}
	return n;
}

static struct node *parse_and(struct parser *ps)
{
	return parse_chain(ps, N_AND, T_AND, parse_with);
}

static struct node *parse_or(struct parser *ps)
{
	return parse_chain(ps, N_OR, T_OR, parse_and);
}

static struct node *parse(struct parser *ps, const char *expr)
{
	struct node *n;

	memset(ps, 0, sizeof(*ps));
	ps->lx.s = expr;
	lex(&ps->lx);
	if (ps->lx.t == T_END)
		return syntax(ps, "a license expression");
	n = parse_or(ps);
	if (n && ps->lx.t != T_END) {
		node_free(n);
		return syntax(ps, ps->lx.t == T_ID ? "AND, OR or WITH between license ids"
						   : "AND, OR or the end");
	}
	return n;
}

/* ---- canonical form ----------------------------------------------------- */

static const char *leaf_id(const struct node *n)
{
	return n->lic ? n->lic->id : n->id;
}

static void render(FILE *f, const struct node *n, int parent)
{
	size_t i;

	if (n->kind == N_LEAF) {
		fprintf(f, "%s%s", leaf_id(n), n->plus ? "+" : "");
		if (n->exc)
			fprintf(f, " WITH %s", n->exct ? n->exct->id : n->exc);
		return;
	}
	/* AND binds tighter than OR: only an OR inside an AND needs parentheses */
	if (parent == N_AND && n->kind == N_OR)
		fputc('(', f);
	for (i = 0; i < n->nkids; i++) {
		if (i)
			fputs(n->kind == N_AND ? " AND " : " OR ", f);
		render(f, n->kids[i], n->kind);
	}
	if (parent == N_AND && n->kind == N_OR)
		fputc(')', f);
}

static char *canonical(const struct node *n)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		abort();
	render(f, n, -1);
	fclose(f);
	return s;
}

/* "ID[+][ WITH EXC]" of a leaf, canonical spellings where known. */
static char *term(const struct node *n, int with_exc)
{
	if (n->exc && with_exc)
		return rv_xasprintf("%s%s WITH %s", leaf_id(n), n->plus ? "+" : "",
				    n->exct ? n->exct->id : n->exc);
	return rv_xasprintf("%s%s", leaf_id(n), n->plus ? "+" : "");
}

/* ---- validation ----------------------------------------------------------- */

/* Drop the optional spaces around the ':' of a DocumentRef- in the canonical form. */
static void drop_spaces(char *id)
{
	char *r = id, *w = id;

	for (; *r; r++)
		if (*r != ' ')
			*w++ = *r;
	*w = '\0';
}

static int validate(struct node *n, const struct rv_licpolicy *lp,
		    struct rv_license_eval *ev)
{
	int ok = 1;
	size_t i;

	if (n->kind != N_LEAF) {
		for (i = 0; i < n->nkids; i++)
			ok &= validate(n->kids[i], lp, ev);
		return ok;
	}
	if (is_ref(n->id)) {
		if (!strncmp(n->id, "DocumentRef-", 12) && !strstr(n->id, ":LicenseRef-") &&
		    !strstr(n->id, ": LicenseRef-")) {
			F_ERR(ev, "license.syntax",
			      "'%s' at column %zu: a DocumentRef- must be followed by ':LicenseRef-...'",
			      n->id, n->pos + 1);
			ok = 0;
		} else if (n->plus) {
			F_ERR(ev, "license.syntax",
			      "'%s+' at column %zu: '+' may follow only an SPDX license id, not a LicenseRef- (SPDX 2.3 annex D)",
			      n->id, n->pos + 1);
			ok = 0;
		}
		drop_spaces(n->id);
	} else if ((n->lic = find_license(n->id))) {
		if (strcmp(n->lic->id, n->id))
			rv_findings_add(&ev->findings, &ev->nfindings, "license", "license.id-case",
					lp->case_sev, "'%s' is spelled '%s' in the SPDX list",
					n->id, n->lic->id);
		if (n->lic->deprecated) {
			char *fix = deprecated_fix(n->lic->id, n->plus);
			rv_findings_add(&ev->findings, &ev->nfindings, "license", "license.deprecated",
					lp->deprecated_sev, "'%s%s' is a deprecated SPDX id%s%s",
					n->lic->id, n->plus ? "+" : "", fix ? ": use " : "",
					fix ? fix : "");
			free(fix);
		}
	} else if (find_exception(n->id)) {
		F_ERR(ev, "license.unknown-id",
		      "'%s' at column %zu is an exception, not a license: write 'LICENSE WITH %s'",
		      n->id, n->pos + 1, find_exception(n->id)->id);
		ok = 0;
	} else {
		F_ERR(ev, "license.unknown-id", "'%s' at column %zu is not an SPDX license id",
		      n->id, n->pos + 1);
		ok = 0;
	}
	if (n->exc) {
		drop_spaces(n->exc);
		if ((n->exct = find_exception(n->exc))) {
			if (strcmp(n->exct->id, n->exc))
				rv_findings_add(&ev->findings, &ev->nfindings, "license",
						"license.id-case", lp->case_sev,
						"'%s' is spelled '%s' in the SPDX list", n->exc,
						n->exct->id);
			if (n->exct->deprecated)
				rv_findings_add(&ev->findings, &ev->nfindings, "license",
						"license.deprecated", lp->deprecated_sev,
						"'%s' is a deprecated SPDX exception id", n->exct->id);
		} else if (is_addition(n->exc)) {
			rv_findings_add(&ev->findings, &ev->nfindings, "license", "license.spdx3-addition",
					lp->addition_sev,
					"'%s' after WITH is an SPDX 3.0 addition, not SPDX 2.3 (which takes an exception id)",
					n->exc);
			ok = 0;
		} else if (is_ref(n->exc)) {
			F_ERR(ev, "license.unknown-exception",
			      "'%s' after WITH is a license reference, not an exception: WITH takes an SPDX exception id",
			      n->exc);
			ok = 0;
		} else {
			F_ERR(ev, "license.unknown-exception", "'%s' after WITH is not an SPDX exception id%s",
			      n->exc, find_license(n->exc) ? " (it is a license)" : "");
			ok = 0;
		}
	}
	return ok;
}

/* Every leaf names a known SPDX license (or a LicenseRef-) and exception. */
static int find_all_known(const struct node *n)
{
	size_t i;

	if (n->kind != N_LEAF) {
		for (i = 0; i < n->nkids; i++)
			if (!find_all_known(n->kids[i]))
				return 0;
		return 1;
	}
	return (is_ref(n->id) || find_license(n->id)) && !is_callaway(n->id, n->plus) &&
	       (!n->exc || find_exception(n->exc) || is_ref(n->exc) || is_addition(n->exc));
}

/* ---- legacy (Callaway) expressions --------------------------------------- */

/* Split a legacy expression into terms and operators: "GPLv2+ and (MIT or BSD)". */
static int looks_legacy_term(const char *t)
{
	static const char *const prefixes[] = {
		"GPLv", "LGPLv", "AGPLv", "GFDLv", "MPLv", "ASL ", "Public Domain",
		"Copyright only", "Redistributable", "Freely redistributable", "OFSFDL",
		"Artistic clarified", "Artistic 2.0", "CC-BY", "BSD with", "MIT with",
		"Boost", "zlib", "Python", "LPPL", "Sendmail", "OpenSSL", "PHP", "Ruby",
	};
	size_t i;

	if (!strcmp(t, "BSD") || !strcmp(t, "CC0") || !strcmp(t, "MIT with advertising") ||
	    strstr(t, " with exceptions"))
		return 1;
	for (i = 0; i < RV_ARRAY_SIZE(prefixes); i++)
		if (!strncmp(t, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

/*
 * The legacy map's entry for a term: the term itself, or for a Callaway marker
 * the abbreviation it carries (LicenseRef-Callaway-GPLv2+: GPLv2+; its dashes
 * may stand for spaces: LicenseRef-Callaway-ASL-2.0+).
 */
static const struct rv_licmap_entry *legacy_entry(const struct rv_licpolicy *lp, const char *t)
{
	const struct rv_licmap_entry *e = rv_licmap_get(&lp->legacy, t);
	char *abbrev, *c;

	if (e || !is_callaway(t, 0))
		return e;
	t += strlen(CALLAWAY);
	if ((e = rv_licmap_get(&lp->legacy, t)))
		return e;
	abbrev = rv_xstrdup(t);
	for (c = abbrev; (c = strchr(c, '-')); c++)
		*c = ' ';
	e = rv_licmap_get(&lp->legacy, abbrev);
	free(abbrev);
	return e;
}

/*
 * The SPDX spelling of a term of a legacy expression that is SPDX already
 * (MIT, LicenseRef-x, GPL-2.0-or-later WITH Classpath-exception-2.0), or NULL.
 */
static char *spdx_term(const char *t)
{
	const char *with = strstr(t, " WITH ");
	const struct spdx_id *l, *x = NULL;
	char *id = with ? rv_xstrndup(t, (size_t)(with - t)) : rv_xstrdup(t), *r = NULL;

	if (!with || (x = find_exception(with + 6))) {
		if ((l = find_license(id)))
			r = rv_xasprintf("%s%s%s", l->id, x ? " WITH " : "", x ? x->id : "");
		else if (is_ref(id) && !strchr(id, '+'))
			r = rv_xasprintf("%s%s%s", id, x ? " WITH " : "", x ? x->id : "");
	}
	free(id);
	return r;
}

struct legacy_part {
	char *text;   /* a term, or NULL for an operator or parenthesis */
	const char *op; /* " AND ", " OR ", "(", ")" */
};

static size_t legacy_split(const char *s, struct legacy_part **out)
{
	struct legacy_part *v = NULL;
	size_t n = 0, i = 0, start;

	for (;;) {
		while (s[i] == ' ')
			i++;
		if (!s[i])
			break;
		v = rv_xrealloc(v, (n + 1) * sizeof(*v));
		if (s[i] == '(' || s[i] == ')') {
			v[n].text = NULL;
			v[n++].op = s[i] == '(' ? "(" : ")";
			i++;
			/* an operator may follow a closing parenthesis */
			if (s[i - 1] == ')' && (!strncasecmp(s + i, " and ", 5) ||
						!strncasecmp(s + i, " or ", 4))) {
				int isand = !strncasecmp(s + i, " and ", 5);
				v = rv_xrealloc(v, (n + 1) * sizeof(*v));
				v[n].text = NULL;
				v[n++].op = isand ? " AND " : " OR ";
				i += isand ? 5 : 4;
			}
			continue;
		}
		/* a term runs to the next " and " / " or " / parenthesis */
		start = i;
		while (s[i] && s[i] != '(' && s[i] != ')') {
			if (s[i] == ' ' && (!strncasecmp(s + i, " and ", 5) ||
					    !strncasecmp(s + i, " or ", 4)))
				break;
			i++;
		}
		if (i > start) {
			size_t e = i;
			while (e > start && s[e - 1] == ' ')
				e--;
			v[n].text = rv_xstrndup(s + start, e - start);
			v[n++].op = NULL;
		}
		if (s[i] == ' ') {
			int isand = !strncasecmp(s + i, " and ", 5);
			v = rv_xrealloc(v, (n + 1) * sizeof(*v));
			v[n].text = NULL;
			v[n++].op = isand ? " AND " : " OR ";
			i += isand ? 5 : 4;
		}
	}
	*out = v;
	return n;
}

/* Flag a legacy expression (and suggest its SPDX form); 1 when flagged. */
static int legacy_check(const char *expr, const struct rv_licpolicy *lp,
			struct rv_license_eval *ev)
{
	struct legacy_part *parts = NULL;
	size_t n = legacy_split(expr, &parts), i, nterms = 0, mapped = 0, legacy = 0;
	char *sugg = NULL, *missing = NULL;
	size_t slen = 0;
	FILE *f = open_memstream(&sugg, &slen);

	if (!f)
		abort();
	for (i = 0; i < n; i++) {
		const struct rv_licmap_entry *e;
		char *spdx;
		if (!parts[i].text) {
			fputs(parts[i].op, f);
			continue;
		}
		nterms++;
		e = legacy_entry(lp, parts[i].text);
		if ((spdx = spdx_term(parts[i].text))) {
			/* already SPDX: the same in both worlds */
			fputs(spdx, f);
			free(spdx);
			mapped++;
		} else if (e && (e->cats & RV_LICMAP_AMBIGUOUS)) {
			char *m = rv_xasprintf("%s%s'%s' (several SPDX licenses)", missing ? missing : "",
					       missing ? ", " : "", parts[i].text);
			free(missing);
			missing = m;
			legacy++;
			fputs(parts[i].text, f);
		} else if (e && e->value) {
			int compound = strstr(e->value, " AND ") || strstr(e->value, " OR ");
			int wrapped = i > 0 && i + 1 < n && parts[i - 1].op && parts[i + 1].op &&
				      !strcmp(parts[i - 1].op, "(") && !strcmp(parts[i + 1].op, ")");
			fprintf(f, compound && n > 1 && !wrapped ? "(%s)" : "%s", e->value);
			mapped++;
			legacy++;
		} else {
			char *m = rv_xasprintf("%s%s'%s'", missing ? missing : "",
					       missing ? ", " : "", parts[i].text);
			free(missing);
			missing = m;
			legacy += is_callaway(parts[i].text, 0) || looks_legacy_term(parts[i].text);
			fputs(parts[i].text, f);
		}
	}
	fclose(f);
	if (legacy) {
		if (mapped == nterms)
			F_ERR(ev, "license.legacy",
			      "'%s' is a legacy Fedora (Callaway) expression, not SPDX: write '%s'",
			      expr, sugg);
		else if (lp->legacy.n)
			F_ERR(ev, "license.legacy",
			      "'%s' is a legacy Fedora (Callaway) expression, not SPDX (no SPDX form known for %s)",
			      expr, missing);
		else
			F_ERR(ev, "license.legacy",
			      "'%s' looks like a legacy Fedora (Callaway) expression, not SPDX (give the policy a legacy map to get the SPDX form)",
			      expr);
	}
	for (i = 0; i < n; i++)
		free(parts[i].text);
	free(parts);
	free(sugg);
	free(missing);
	return legacy > 0;
}

/* ---- evaluation ------------------------------------------------------------ */

struct evalctx {
	const struct rv_licpolicy *lp;
	const char *package;
	time_t now;
	unsigned accept;
	struct rv_license_eval *ev;
	char **expired;          /* exceptions already reported as expired */
};

static int in_list(char **list, const char *a, const char *b)
{
	size_t i;

	for (i = 0; list && list[i]; i++)
		if (!strcasecmp(list[i], a) || (b && !strcasecmp(list[i], b)))
			return 1;
	return 0;
}

static unsigned categories_of(const struct rv_licpolicy *lp, const struct node *n)
{
	const struct rv_licmap_entry *e;
	char *full = term(n, 1), *base = term(n, 0);
	unsigned cats = 0;

	if ((e = rv_licmap_get(&lp->categories, full)))
		cats = e->cats;
	/* an exception only adds permissions: fall back to the license */
	else if (n->exc && (e = rv_licmap_get(&lp->categories, base)))
		cats = e->cats;
	else if (n->plus && (e = rv_licmap_get(&lp->categories, leaf_id(n))))
		cats = e->cats;
	/* a deprecated GNU id has the categories of what replaced it */
	if (!cats && n->lic && n->lic->deprecated) {
		char *fix = deprecated_fix(n->lic->id, n->plus), *t;
		if (fix) {
			t = n->exc ? rv_xasprintf("%s WITH %s", fix, n->exct ? n->exct->id : n->exc)
				   : rv_xstrdup(fix);
			if ((e = rv_licmap_get(&lp->categories, t)) ||
			    (e = rv_licmap_get(&lp->categories, fix)))
				cats = e->cats;
			free(t);
			free(fix);
		}
	}
	free(full);
	free(base);
	return cats;
}

static const struct rv_lic_exception *exception_for(struct evalctx *c,
						    const char *full, const char *id)
{
	const struct rv_licpolicy *lp = c->lp;
	size_t i;

	for (i = 0; c->package && i < lp->nexceptions; i++) {
		const struct rv_lic_exception *x = &lp->exceptions[i];
		if (fnmatch(x->package, c->package, 0) ||
		    (strcasecmp(x->license, full) && strcasecmp(x->license, id)))
			continue;
		/* it applies through the whole of its expiry date (UTC) */
		if (x->expires && (int64_t)c->now >= x->expires + 86400) {
			char date[32];
			char *tag = rv_xasprintf("%zu", i);
			if (!in_list(c->expired, tag, NULL)) {
				size_t k = 0;
				while (c->expired && c->expired[k])
					k++;
				c->expired = rv_xrealloc(c->expired, (k + 2) * sizeof(char *));
				c->expired[k] = tag;
				tag = NULL;
				c->expired[k + 1] = NULL;
				rv_findings_code_add(&c->ev->findings, &c->ev->nfindings,
						     "license.exception-expired",
						     "the exception for %s in packages '%s' (%s) expired on %s",
						     x->license, x->package, x->reason,
						     rv_date(date, sizeof(date), x->expires));
			}
			free(tag);
			continue;
		}
		return x;
	}
	return NULL;
}

/* Is a leaf acceptable?  *why gets the reason either way. */
static int leaf_ok(struct evalctx *c, const struct node *n, char **why,
		   const struct rv_lic_exception **via)
{
	char *full = term(n, 1), *id = term(n, 0), cb[128], ab[128];
	unsigned cats;
	int ok = 0;

	*via = NULL;
	cats = categories_of(c->lp, n);
	if ((!n->lic && !is_ref(n->id)) || (is_ref(n->id) && n->plus)) {
		/* not a license id at all (LicenseRef-x+, a Callaway marker): the validity findings said so */
		*why = rv_xasprintf("%s is not a known license", full);
		free(full);
		free(id);
		return -1;
	}
	if (in_list(c->lp->deny, full, id)) {
		*why = rv_xasprintf("%s is denied by the policy", full);
	} else if (in_list(c->lp->allow, full, id)) {
		*why = rv_xasprintf("%s (allowed by the policy)", full);
		ok = 1;
	} else if (cats & c->accept) {
		*why = rv_xasprintf("%s (%s)", full, rv_category_names(cats & c->accept, cb, sizeof(cb)));
		ok = 1;
	} else if ((*via = exception_for(c, full, id))) {
		*why = rv_xasprintf("%s (exception for '%s': %s)", full, (*via)->package,
				    (*via)->reason);
		ok = 1;
	} else if (!cats && !c->lp->categories.n) {
		*why = rv_xasprintf("%s has no category: the policy has no license data (licenses.data or licenses.categories)",
				    full);
	} else if (!cats) {
		*why = rv_xasprintf("%s has no category in the license data", full);
	} else if (cats == RV_CAT_NOT_ALLOWED) {
		*why = rv_xasprintf("%s is not-allowed", full);
	} else {
		rv_category_names(cats, cb, sizeof(cb));
		if (c->accept == RV_CAT_ALLOWED)
			*why = rv_xasprintf("%s is %s: not acceptable for code", full, cb);
		else
			*why = rv_xasprintf("%s is %s: not acceptable for %s (accepts %s)",
					    full, cb, c->package ? c->package : "this package",
					    rv_category_names(c->accept, ab, sizeof(ab)));
	}
	free(full);
	free(id);
	return ok;
}

/* Evaluate; collect the reasons that matter into the caller's list. */
static int eval(struct evalctx *c, const struct node *n, char ***reasons,
		size_t *nreasons, int collect_ok)
{
	size_t i, mark = *nreasons;
	int ok;

	if (n->kind == N_LEAF) {
		const struct rv_lic_exception *via;
		char *why;
		ok = leaf_ok(c, n, &why, &via);
		if (ok < 0) {
			free(why);
			return 0;
		}
		if (ok == collect_ok) {
			*reasons = rv_xrealloc(*reasons, (*nreasons + 1) * sizeof(char *));
			(*reasons)[(*nreasons)++] = why;
		} else {
			free(why);
		}
		return ok;
	}
	if (n->kind == N_AND) {
		ok = 1;
		for (i = 0; i < n->nkids; i++)
			ok &= eval(c, n->kids[i], reasons, nreasons, collect_ok);
		return ok;
	}
	/* OR: the first acceptable branch is the choice */
	for (i = 0; i < n->nkids; i++) {
		size_t before = *nreasons;
		char **tmp = NULL;
		size_t ntmp = 0, j;
		if (eval(c, n->kids[i], &tmp, &ntmp, 1)) {
			/* drop failures gathered from earlier branches */
			for (j = mark; j < before; j++)
				free((*reasons)[j]);
			*nreasons = mark;
			for (j = 0; j < ntmp && collect_ok; j++) {
				*reasons = rv_xrealloc(*reasons, (*nreasons + 1) * sizeof(char *));
				(*reasons)[(*nreasons)++] = tmp[j];
			}
			if (!collect_ok)
				for (j = 0; j < ntmp; j++)
					free(tmp[j]);
			free(tmp);
			return 1;
		}
		for (j = 0; j < ntmp; j++)
			free(tmp[j]);
		free(tmp);
		if (!collect_ok)
			eval(c, n->kids[i], reasons, nreasons, 0);
	}
	return 0;
}

static unsigned accepted_for(const struct rv_licpolicy *lp, const char *package)
{
	unsigned a = lp->accept;
	size_t i, j;

	for (i = 0; package && i < lp->naccept_for; i++)
		for (j = 0; j < lp->accept_for[i].npackages; j++)
			if (!fnmatch(lp->accept_for[i].packages[j], package, 0))
				a |= lp->accept_for[i].cats;
	return a;
}

static char *join(char **v, size_t n, const char *sep)
{
	char *s = rv_xstrdup(""), *t;
	size_t i;

	for (i = 0; i < n; i++) {
		t = rv_xasprintf("%s%s%s", s, i ? sep : "", v[i]);
		free(s);
		s = t;
	}
	return s;
}

void rv_license_eval(struct rv_license_eval *ev, const struct rv_licpolicy *lp,
		     const char *expr, const char *package, time_t now)
{
	struct parser ps;
	struct node *root = NULL;
	struct evalctx c;
	char **reasons = NULL, *msg;
	size_t nreasons = 0, i;
	int valid;

	memset(ev, 0, sizeof(*ev));
	if (!expr || !*expr) {
		F_ERR(ev, "license.syntax", "the license is empty");
		return;
	}
	if (strlen(expr) > MAX_EXPR) {
		F_ERR(ev, "license.syntax", "the license expression is longer than %d characters", MAX_EXPR);
		return;
	}
	root = parse(&ps, expr);
	if (!root) {
		if (!legacy_check(expr, lp, ev))
			F_ERR(ev, "license.syntax", "'%s': %s", expr, ps.error);
		free(ps.error);
		return;
	}
	/* a legacy expression is reported as such, not id by id */
	if ((!find_all_known(root) || ps.lx.lower_ops) && legacy_check(expr, lp, ev)) {
		valid = 0;
	} else {
		valid = validate(root, lp, ev);
		ev->canonical = canonical(root);
		if (ps.lx.lower_ops) {
			valid = 0;
			F_ERR(ev, "license.operator-case",
			      "operators must be upper case (AND, OR, WITH): write '%s'",
			      ev->canonical);
		}
	}
	ev->spdx = valid;
	if (!ev->canonical) {
		/* still evaluate, so the report says what the policy thinks */
		struct rv_license_eval scratch;
		memset(&scratch, 0, sizeof(scratch));
		validate(root, lp, &scratch);
		rv_findings_free(scratch.findings, scratch.nfindings);
	}

	memset(&c, 0, sizeof(c));
	c.lp = lp;
	c.package = package;
	c.now = now;
	c.accept = accepted_for(lp, package);
	c.ev = ev;
	ev->acceptable = eval(&c, root, &reasons, &nreasons, 0);
	if (ev->acceptable) {
		for (i = 0; i < nreasons; i++)
			free(reasons[i]);
		nreasons = 0;
		eval(&c, root, &reasons, &nreasons, 1);
		msg = join(reasons, nreasons, ", ");
		rv_findings_code_add(&ev->findings, &ev->nfindings, "license.ok", "acceptable: %s",
				     msg);
		free(msg);
		for (i = 0; i < nreasons; i++)
			if (strstr(reasons[i], " (exception for '"))
				rv_findings_code_add(&ev->findings, &ev->nfindings,
						     "license.exception",
						     "passes under a policy exception: %s", reasons[i]);
	} else {
		int choice = root->kind == N_OR;
		for (i = 0; i < nreasons; i++)
			F_ERR(ev, "license.not-acceptable", "%s%s",
			      choice ? "no choice of OR branches is acceptable: " : "", reasons[i]);
	}
	for (i = 0; i < nreasons; i++)
		free(reasons[i]);
	free(reasons);
	rv_strv_free(c.expired);
	node_free(root);
}

void rv_license_eval_release(struct rv_license_eval *ev)
{
	if (!ev)
		return;
	rv_findings_free(ev->findings, ev->nfindings);
	free(ev->canonical);
	memset(ev, 0, sizeof(*ev));
}
