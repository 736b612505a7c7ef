/* SPDX-License-Identifier: MIT */
/* sig: signature and digest verification of one package against the trust store. */
#include "sig.h"
#include "error.h"
#include "keys.h"
#include "pkg-rpm.h"
#include "report.h"
#include "facts.h"
#include "stage.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rpm/rpmbase64.h>
#include <rpm/rpmkeyring.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmts.h>

#define SIGTAG_SIZE 1000
#define SIGTAG_LONGSIZE 270
#define SIGTAG_OPENPGP 278  /* rpm 6: OpenPGP signatures librpm 4.18 never reads */

struct rv_sig_worker {
	const struct rv_keystore *ks;
	rpmKeyring kr;
	rpmts ts;
	int text_escape;     /* policy headers.invalid-text: escape */
};

/* Load every stored key librpm can parse; the rest are left to gpg. */
static rpmKeyring keyring_new(const struct rv_keystore *ks)
{
	rpmKeyring kr = rpmKeyringNew();
	const char *armor;
	size_t i;

	for (i = 0; (armor = rv_keystore_armor(ks, i)); i++) {
		uint8_t *pkts = NULL;
		size_t len = 0, off = 0, certlen;

		if (pgpParsePkts(armor, &pkts, &len) != PGPARMOR_PUBKEY) {
			free(pkts);
			continue;
		}
		while (off < len && !pgpPubKeyCertLen(pkts + off, len - off, &certlen)) {
			rpmPubkey key = rpmPubkeyNew(pkts + off, certlen);
			if (key) {
				rpmPubkey *subs;
				int n = 0, j;
				rpmKeyringAddKey(kr, key);
				subs = rpmGetSubkeys(key, &n);
				for (j = 0; j < n; j++) {
					rpmKeyringAddKey(kr, subs[j]);
					rpmPubkeyFree(subs[j]);
				}
				free(subs);
				rpmPubkeyFree(key);
			}
			off += certlen;
		}
		free(pkts);
	}
	return kr;
}

struct rv_sig_worker *rv_sig_worker_new(const struct rv_keystore *ks, int text_escape)
{
	struct rv_sig_worker *w = rv_xcalloc(1, sizeof(*w));

	w->ks = ks;
	w->text_escape = text_escape;
	w->kr = keyring_new(ks);
	w->ts = rpmtsCreate();
	rpmtsSetKeyring(w->ts, w->kr);
	return w;
}

void rv_sig_worker_free(struct rv_sig_worker *w)
{
	if (!w)
		return;
	rpmtsFree(w->ts);
	rpmKeyringFree(w->kr);
	free(w);
}

static const char *pk_name(unsigned a)
{
	switch (a) {
	case 1: case 2: case 3: return "RSA";
	case 16: case 20: return "ElGamal";
	case 17: return "DSA";
	case 18: return "ECDH";
	case 19: return "ECDSA";
	case 22: return "EdDSA";
	case 27: return "Ed25519";
	case 28: return "Ed448";
	case 30: return "ML-DSA-65+Ed25519";
	case 31: return "ML-DSA-87+Ed448";
	default: return "unknown";
	}
}

const char *rv_sig_hash_name(unsigned a)
{
	switch (a) {
	case 1: return "MD5";
	case 2: return "SHA1";
	case 3: return "RIPEMD160";
	case 8: return "SHA256";
	case 9: return "SHA384";
	case 10: return "SHA512";
	case 11: return "SHA224";
	case 12: return "SHA3-256";
	case 14: return "SHA3-512";
	default: return "unknown";
	}
}

int rv_sig_weak_hash(unsigned a)
{
	return a == 1 || a == 2 || a == 3;
}

/* What a signature packet says about itself, read from its fixed fields. */
struct sigpeek {
	int version;
	unsigned pkalgo, hashalgo;
};

static int peek_sig(const uint8_t *p, size_t len, struct sigpeek *out)
{
	size_t hl, body;

	if (len < 2 || !(p[0] & 0x80))
		return -1;
	if (p[0] & 0x40) {              /* new format */
		if ((p[0] & 0x3f) != 2)
			return -1;
		if (p[1] < 192)
			hl = 2;
		else if (p[1] < 224)
			hl = 3;
		else if (p[1] == 255)
			hl = 6;
		else
			return -1;
	} else {                        /* old format */
		if (((p[0] >> 2) & 0xf) != 2)
			return -1;
		hl = (p[0] & 3) == 0 ? 2 : (p[0] & 3) == 1 ? 3 : (p[0] & 3) == 2 ? 5 : 1;
	}
	if (len < hl + 6)
		return -1;
	body = hl;
	out->version = p[body];
	if (out->version == 3) {
		if (len < body + 17)
			return -1;
		out->pkalgo = p[body + 15];
		out->hashalgo = p[body + 16];
	} else {
		out->pkalgo = p[body + 2];
		out->hashalgo = p[body + 3];
	}
	return 0;
}

/* librpm 4.18 checks v3/v4 RSA, DSA and EdDSA signatures, nothing else. */
static int rpm_supports(const struct sigpeek *s)
{
	return (s->version == 3 || s->version == 4) &&
	       (s->pkalgo == 1 || s->pkalgo == 17 || s->pkalgo == 22);
}

/* rpm 6 OpenPGP signatures in the raw signature header: count, and a description. */
static size_t v6_signatures(const struct rv_pkg *p, char **desc)
{
	uint32_t type = 0, count = 0;
	size_t len = 0, i, n = 0;
	const uint8_t *d = rv_pkg_sigtag(p, SIGTAG_OPENPGP, &type, &count, &len);
	char *s = NULL;

	*desc = NULL;
	if (!d || type != RPM_STRING_ARRAY_TYPE)
		return 0;
	for (i = 0; i < count && len; i++) {
		const char *str = (const char *)d;
		size_t sl = strnlen(str, len);
		uint8_t *bin = NULL;
		size_t binlen = 0;
		struct sigpeek pk;
		char *t;

		if (sl == len)
			break;
		if (!rpmBase64Decode(str, (void **)&bin, &binlen) &&
		    !peek_sig(bin, binlen, &pk))
			t = rv_xasprintf("%s%sv%d %s/%s", s ? s : "", s ? ", " : "",
					 pk.version, pk_name(pk.pkalgo),
					 rv_sig_hash_name(pk.hashalgo));
		else
			t = rv_xasprintf("%s%sunreadable", s ? s : "", s ? ", " : "");
		free(bin);
		free(s);
		s = t;
		n++;
		d += sl + 1;
		len -= sl + 1;
	}
	*desc = s;
	return n;
}

static void set_signer_key(struct rv_signer *sg, const struct rv_key *k)
{
	rv_strlcpy_case(sg->fingerprint, k->fingerprint, sizeof(sg->fingerprint), 1);
	rv_strlcpy_case(sg->primary, k->primary ? k->primary->fingerprint
						: k->fingerprint,
			sizeof(sg->primary), 1);
	sg->bits = k->bits;
}

/*
 * A signature that does not verify names only its key ID: the key it names
 * did not make it.  When the header is intact, the signature itself was made
 * by another key, or forged, to carry a trusted key's ID.
 */
static void bad_signature(struct rv_result *res, const struct sigpeek *pk,
			  const struct rv_key *k, int hdr_bad)
{
	if (k && !hdr_bad)
		rv_finding_add(res, "signature.bad",
			      "header signature %s/%s names key ID %s of a trusted key but does not verify with it: a key-ID collision or a forged signature (the header digests are intact)",
			      pk_name(pk->pkalgo), rv_sig_hash_name(pk->hashalgo), res->signer.keyid);
	else
		rv_finding_add(res, "signature.bad",
			      "header signature %s/%s by key ID %s is BAD: the header was modified or the signature is corrupt",
			      pk_name(pk->pkalgo), rv_sig_hash_name(pk->hashalgo), res->signer.keyid);
}

/* Let gpg check a signature by a stored key that librpm's parser cannot load. */
static void gpg_check(struct rv_sig_worker *w, struct rv_pkg *p,
		      struct rv_stage_ctx *c, struct rv_result *res, const uint8_t *sig, size_t siglen,
		      const struct sigpeek *pk, const struct rv_key *k)
{
	struct rv_error *err = NULL;
	enum rv_gpg_status st;
	uint8_t *hdr = NULL;
	char fpr[65];

	if (rv_pkg_pread(p, p->hdr_start, (size_t)(p->payload_start - p->hdr_start),
			 &hdr, &err) ||
	    rv_keystore_gpg_verify(w->ks, sig, siglen, hdr,
				   (size_t)(p->payload_start - p->hdr_start),
				   &st, fpr, &err)) {
		char *m = rv_error_string(err);
		rv_finding_add(res, "signature.error",
			      "cannot check the signature with gpg: %s", m);
		free(m);
		rv_error_free(err);
		free(hdr);
		return;
	}
	free(hdr);
	res->signer.verifier = "gpg";
	switch (st) {
	case RV_GPG_GOOD:
		k = rv_keystore_find(w->ks, fpr) ? rv_keystore_find(w->ks, fpr) : k;
		set_signer_key(&res->signer, k);
		rv_finding_add(res, "signature.ok",
			      "header signature OK: %s/%s by %s (checked by gpg: librpm 4.18 cannot load this key)",
			      pk_name(pk->pkalgo), rv_sig_hash_name(pk->hashalgo),
			      res->signer.fingerprint);
		c->signer.key = k;
		c->signer.pkalgo = pk->pkalgo;
		c->signer.hashalgo = pk->hashalgo;
		break;
	case RV_GPG_BAD:
		bad_signature(res, pk, k, 0);
		break;
	default:
		rv_result_add(res, "signature", "signature.unsupported", RV_SEV_ERROR,
			      "key %s is in the trust store but neither librpm nor gpg can use it to check this %s/%s signature",
			      k->fingerprint, pk_name(pk->pkalgo), rv_sig_hash_name(pk->hashalgo));
	}
}

/* The line of log that starts at what, into buf (truncated to len), or "" when there is none. */
static void log_line(const char *log, const char *what, char *buf, size_t len)
{
	const char *s = log ? strstr(log, what) : NULL;
	size_t n = s ? strcspn(s, "\n") : 0;

	if (n >= len)
		n = len - 1;
	if (s)
		memcpy(buf, s, n);
	buf[n] = '\0';
}

void rv_sig_parse_log(const char *log, struct rv_rpmlog *out)
{
	memset(out, 0, sizeof(*out));
	if (!log)
		return;
	/* our own message (pkg.c) when the file itself could not be read */
	out->io = !strncmp(log, "cannot read '", 13);
	out->truncated = !out->io && strstr(log, "read returned") != NULL;
	out->sig_bad = !strncmp(log, "Header V", 8) && strstr(log, "Signature, key ID") &&
		       strstr(log, ": BAD");
	log_line(log, "Header V", out->sig_line, sizeof(out->sig_line));
	out->digest_bad = strstr(log, "Header SHA256 digest: BAD") != NULL;
	log_line(log, "Header SHA256 digest", out->digest_line, sizeof(out->digest_line));
}

static void check_signature(struct rv_sig_worker *w, struct rv_pkg *p, struct rv_stage_ctx *c,
			    struct rv_result *res, rpmRC rc, int sig_bad, int hdr_bad)
{
	struct rpmtd_s td;
	struct sigpeek pk = { 0, 0, 0 };
	pgpDigParams params = NULL;
	const struct rv_key *k = NULL;
	char *v6desc = NULL;
	size_t nv6 = v6_signatures(p, &v6desc);
	int have = headerGet(p->h, RPMTAG_RSAHEADER, &td, HEADERGET_MINMEM) ||
		   headerGet(p->h, RPMTAG_DSAHEADER, &td, HEADERGET_MINMEM);

	if (!have) {
		if (nv6)
			rv_result_add(res, "signature", "signature.unsupported", RV_SEV_ERROR,
				      "only rpm 6 OpenPGP signatures (%s), which librpm 4.18 cannot check",
				      v6desc);
		else if (headerIsEntry(p->h, RPMTAG_SIGPGP) || headerIsEntry(p->h, RPMTAG_SIGGPG))
			rv_finding_add(res, "signature.missing",
				      "no header signature: only a legacy header+payload signature, which is not accepted");
		else
			rv_finding_add(res, "signature.missing",
				      "the package is not signed");
		goto out;
	}
	res->has_signer = 1;
	res->signer.verifier = "librpm";
	if (pgpPrtParams(td.data, td.count, PGPTAG_SIGNATURE, &params) == 0) {
		const uint8_t *id = pgpDigParamsSignID(params);
		rv_hex(res->signer.keyid, id, 8);
		rv_strlcpy_case(res->signer.keyid, res->signer.keyid,
				sizeof(res->signer.keyid), 1);
		pk.version = pgpDigParamsVersion(params);
		pk.pkalgo = pgpDigParamsAlgo(params, PGPVAL_PUBKEYALGO);
		pk.hashalgo = pgpDigParamsAlgo(params, PGPVAL_HASHALGO);
		res->signer.created = pgpDigParamsCreationTime(params);
		k = rv_keystore_find(w->ks, res->signer.keyid);
	} else if (peek_sig(td.data, td.count, &pk) || rpm_supports(&pk)) {
		res->signer.algorithm = pk.pkalgo ? pk_name(pk.pkalgo) : "unknown";
		res->signer.hash = pk.hashalgo ? rv_sig_hash_name(pk.hashalgo) : "unknown";
		rv_finding_add(res, "signature.bad",
			      "the header signature is not a valid OpenPGP signature packet");
		goto out;
	}
	res->signer.algorithm = pk_name(pk.pkalgo);
	res->signer.hash = rv_sig_hash_name(pk.hashalgo);
	if (!rpm_supports(&pk)) {
		rv_result_add(res, "signature", "signature.unsupported", RV_SEV_ERROR,
			      "v%d %s/%s signatures cannot be checked by librpm 4.18",
			      pk.version, pk_name(pk.pkalgo), rv_sig_hash_name(pk.hashalgo));
		goto out;
	}
	/* the signer's fingerprint is reported only for a signature that verified */
	if (sig_bad) {
		bad_signature(res, &pk, k, hdr_bad);
	} else if (rc == RPMRC_OK && k) {
		set_signer_key(&res->signer, k);
		rv_finding_add(res, "signature.ok",
			      "header signature OK: V%d %s/%s by %s", pk.version,
			      pk_name(pk.pkalgo), rv_sig_hash_name(pk.hashalgo), k->fingerprint);
		c->signer.key = k;
		c->signer.pkalgo = pk.pkalgo;
		c->signer.hashalgo = pk.hashalgo;
	} else if (rc == RPMRC_NOKEY && k && !k->can_sign) {
		/* librpm and gpg refuse such a (sub)key: it may not sign at all */
		set_signer_key(&res->signer, k);
		rv_finding_add(res, "key.cannot-sign",
			      "signed by %s %s, which is not flagged for signing (its usage flags forbid signatures)",
			      k->primary ? "subkey" : "key", k->fingerprint);
	} else if (rc == RPMRC_NOKEY && k) {
		gpg_check(w, p, c, res, td.data, td.count, &pk, k);
	} else if (rc == RPMRC_NOKEY || rc == RPMRC_OK) {
		rv_finding_add(res, "signature.nokey",
			      "signed by key ID %s (%s/%s), which is not in the trust store",
			      res->signer.keyid, pk_name(pk.pkalgo), rv_sig_hash_name(pk.hashalgo));
	} else {
		rv_finding_add(res, "signature.untrusted",
			      "librpm does not trust the signing key %s", res->signer.keyid);
	}
	if (nv6)
		rv_result_add(res, "signature", "signature.unsupported", RV_SEV_WARNING,
			      "also carries rpm 6 OpenPGP signatures (%s) that librpm 4.18 cannot check",
			      v6desc);
out:
	if (params)
		pgpDigParamsFree(params);
	if (have)
		rpmtdFreeData(&td);
	free(v6desc);
}

static void check_header_digest(struct rv_pkg *p, struct rv_result *res, int bad)
{
	if (bad) {
		struct rv_rpmlog l;
		rv_sig_parse_log(p->log, &l);
		rv_finding_add(res, "digest.header.bad",
			      "header digest is BAD: %s",
			      l.digest_line[0] ? l.digest_line : "the header was modified");
	} else if (headerIsEntry(p->h, RPMTAG_SHA256HEADER)) {
		rv_finding_add(res, "digest.header.ok",
			      "header SHA256 digest OK");
	} else {
		rv_finding_add(res, "digest.header.missing",
			      "no SHA-256 header digest%s",
			      headerIsEntry(p->h, RPMTAG_SHA1HEADER)
				      ? " (only SHA-1, which is not trusted)" : "");
	}
}

/* Hash the file once: payload digest and the file's SHA-256. */
static void check_payload(struct rv_pkg *p, struct rv_result *res, int file_digest)
{
	struct rv_error *err = NULL;
	const char *want = NULL, *alt;
	char got[129] = "";
	int unsupported = 0;
	int algo = 0;
	uint64_t nbytes = 0;

	if (p->h) {
		want = headerGetString(p->h, RPMTAG_PAYLOADDIGEST);
		algo = headerIsEntry(p->h, RPMTAG_PAYLOADDIGESTALGO)
			       ? (int)headerGetNumber(p->h, RPMTAG_PAYLOADDIGESTALGO)
			       : RPM_HASH_SHA256;
		if (want && !*want)
			want = NULL;      /* an empty digest is no digest */
		if (!want)
			algo = 0;
		else if (!rv_pkg_hash_supported(algo)) {
			rv_finding_add(res, "digest.payload.unsupported",
				      "the payload digest uses hash algorithm %d, which librpm cannot compute",
				      algo);
			want = NULL;
			algo = 0;
			unsupported = 1;
		}
	}
	if (rv_pkg_digest(p, algo, got, file_digest ? res->sha256 : NULL, &nbytes, &err)) {
		char *m = rv_error_string(err);
		rv_finding_add(res, "io.read", "%s", m);
		free(m);
		rv_error_free(err);
		return;
	}
	if (!p->h)
		return;
	if (unsupported)
		return;
	if (!want) {
		rv_finding_add(res, "digest.payload.missing",
			      "no payload digest (legacy MD5 and SHA-1 digests are not trusted)");
		return;
	}
	if (!strcasecmp(want, got)) {
		rv_finding_add(res, "digest.payload.ok",
			      "payload %s digest OK", rv_sig_hash_name((unsigned)algo));
		return;
	}
	/* an uncompressed copy of the payload matches the signed ALT digest */
	alt = headerGetString(p->h, RPMTAG_PAYLOADDIGESTALT);
	if (alt && !strcasecmp(alt, got)) {
		rv_finding_add(res, "digest.payload.ok",
			      "payload %s digest OK (the payload is stored uncompressed and matches PAYLOADDIGESTALT)",
			      rv_sig_hash_name((unsigned)algo));
		return;
	}
	if (nbytes == 0)
		rv_finding_add(res, "digest.payload.bad",
			      "payload %s digest is BAD: the file has no payload at all",
			      rv_sig_hash_name((unsigned)algo));
	else
		rv_finding_add(res, "digest.payload.bad",
			      "payload %s digest is BAD: expected %s, got %s",
			      rv_sig_hash_name((unsigned)algo), want, got);
	/* the size tags are not signed: they only explain a digest mismatch */
	{
		uint64_t expect = headerIsEntry(p->h, RPMTAG_LONGSIGSIZE)
					  ? headerGetNumber(p->h, RPMTAG_LONGSIGSIZE)
					  : headerGetNumber(p->h, RPMTAG_SIGSIZE);
		uint64_t have = p->size - (uint64_t)p->hdr_start;
		if (expect && have < expect)
			rv_finding_add(res, "package.truncated",
				      "the file is truncated: %llu bytes of header and payload, %llu expected",
				      (unsigned long long)have, (unsigned long long)expect);
	}
}

void rv_sig_check(struct rv_sig_worker *w, struct rv_stage_ctx *c)
{
	struct rv_result *res = c->res;
	struct rv_error *err = NULL;
	struct rv_pkg *p = NULL;
	struct rv_rpmlog log;
	int sig_bad = 0, hdr_bad = 0;
	rpmRC rc;

	/* an admission verifies its staged copy: what is placed is what was verified */
	if (rv_pkg_open(&p, c->staged ? c->staged : res->path, &err)) {
		char *m = rv_error_string(err);
		rv_finding_add(res, "io.open", "%s", m);
		free(m);
		rv_error_free(err);
		return;
	}
	c->pkg = p;
	res->size = p->size;
	switch (p->state) {
	case RV_PKG_OK:
		break;
	case RV_PKG_EMPTY:
		rv_finding_add(res, "package.empty", "%s", p->problem);
		goto hash;
	case RV_PKG_NOT_RPM:
		rv_finding_add(res, "package.not-rpm", "%s", p->problem);
		goto hash;
	case RV_PKG_TRUNCATED:
		rv_finding_add(res, "package.truncated", "%s", p->problem);
		goto hash;
	case RV_PKG_CORRUPT:
		rv_finding_add(res, "package.corrupt", "%s", p->problem);
		goto hash;
	case RV_PKG_TOO_LARGE:
		rv_finding_add(res, "package.header-too-large", "%s",
			      p->problem);
		goto hash;
	}

	rc = rv_pkg_read(p, w->ts, 0);
	rv_sig_parse_log(p->log, &log);
	if (!p->h && log.io) {
		rv_finding_add(res, "io.read", "%s", p->log);
		return;
	}
	if (rc == RPMRC_FAIL || rc == RPMRC_NOTFOUND) {
		/* tell a bad signature from a bad digest from a broken header */
		char *first = p->log ? rv_xstrdup(p->log) : NULL;
		if (rv_pkg_read(p, w->ts, RPMVSF_MASK_NOSIGNATURES) == RPMRC_OK) {
			sig_bad = 1;
		} else if (rv_pkg_read(p, w->ts, RPMVSF_MASK_NOSIGNATURES |
						    RPMVSF_MASK_NODIGESTS) == RPMRC_OK) {
			sig_bad = hdr_bad = 1;
		} else {
			const char *why = p->log ? p->log : first;
			struct rv_rpmlog w_log;
			int trunc;

			rv_sig_parse_log(why, &w_log);
			trunc = w_log.truncated;
			/* what the full check said before the header fell apart */
			if (log.sig_bad)
				rv_finding_add(res, "signature.bad",
					      "%s", log.sig_line);
			if (log.digest_bad)
				rv_finding_add(res, "digest.header.bad",
					      "header digest is BAD: %s", log.digest_line);
			rv_finding_add(res, trunc ? "package.truncated" : "package.corrupt", "%s: %s",
				      trunc ? "the file is truncated inside the header"
					    : "the header is corrupt",
				      why ? why : "librpm cannot read it");
			free(first);
			goto hash;
		}
		free(p->log);
		p->log = first;
	}
	rv_pkg_describe(p, res, w->text_escape);
	check_signature(w, p, c, res, rc, sig_bad, hdr_bad);
	check_header_digest(p, res, hdr_bad);
hash:
	/* a staged copy was hashed while it was made: only the payload is left */
	check_payload(p, res, c->file_digest && !c->staged);
	/* every stage and consumer reads the header's facts, from this one read */
	if (p->h)
		c->facts = rv_pkg_facts(p);
}
