/* kallsyms.c: locate a kernel's kallsyms tables by their self-consistency and decode them. */
#include <stdio.h>
#include <string.h>

#include "debugger/kallsyms.h"

/*
 * Nothing here trusts the image: every read goes through rd() and fails
 * outside [0, len), so garbage, a truncated image or a table set that only
 * looks right at first sight just makes the search move on.
 */

enum {
	KSYM_ALIGN = 8,            /* ALGN in scripts/kallsyms.c for 64-bit */
	KSYM_PER_MARKER = 256,     /* kallsyms_markers: every 256th name */
	KSYM_ENTRY_MAX = 2 + 0x3fff,
};

static bool rd(const struct ksym_layout *l, size_t off, unsigned n, uint64_t *v)
{
	if (off > l->len || l->len - off < n)
		return false;
	uint64_t x = 0;
	for (unsigned i = 0; i < n; i++)
		x |= (uint64_t)l->img[off + i] << (8 * i);
	*v = x;
	return true;
}

static bool rd32(const struct ksym_layout *l, size_t off, uint32_t *v)
{
	uint64_t x;
	if (!rd(l, off, 4, &x))
		return false;
	*v = (uint32_t)x;
	return true;
}

static size_t align_up(size_t x)
{
	return (x + KSYM_ALIGN - 1) & ~(size_t)(KSYM_ALIGN - 1);
}

static bool printable(uint8_t c)
{
	return c > 0x20 && c < 0x7f;
}

static bool zeros(const struct ksym_layout *l, size_t from, size_t to)
{
	for (size_t p = from; p < to; p++)
		if (l->img[p])
			return false;
	return true;
}

/* 256 u16 at I that could index a string table: 0 first, strictly rising. */
static bool index_at(struct ksym_layout *l, size_t I)
{
	uint64_t v, prev = 0;
	for (unsigned i = 0; i < 256; i++) {
		if (!rd(l, I + 2 * i, 2, &v))
			return false;
		if (i == 0 ? v != 0 : v <= prev || v - prev > KSYM_NAME_MAX)
			return false;
		l->tok_index[i] = (uint16_t)v;
		prev = v;
	}
	return l->tok_index[255] < I;
}

/*
 * The token table at T, ending (padded to the alignment) where the index at
 * I begins: every token printable and NUL-terminated exactly where the next
 * index entry says the next token starts.
 */
static bool tokens_at(struct ksym_layout *l, size_t T, size_t I)
{
	const uint16_t *idx = l->tok_index;
	for (unsigned i = 0; i < 256; i++) {
		size_t p = T + idx[i];
		size_t end = i < 255 ? T + idx[i + 1] - 1 : p;
		if (i == 255)
			while (end < I && l->img[end])
				end++;
		if (end >= I || l->img[end] || end - p >= KSYM_NAME_MAX)
			return false;
		for (size_t q = p; q < end; q++)
			if (!printable(l->img[q]))
				return false;
		l->tok_len[i] = (uint16_t)(end - p);
		if (i == 255 && (I - (end + 1) >= KSYM_ALIGN || !zeros(l, end + 1, I)))
			return false;
	}
	l->token_table = T;
	l->token_index = I;
	return true;
}

/* The next token table + index pair at or after *from; *from moves past it. */
static bool find_tokens(struct ksym_layout *l, size_t *from)
{
	for (size_t I = align_up(*from); I <= l->len && l->len - I >= 512; I += KSYM_ALIGN) {
		if (l->img[I] || l->img[I + 1] || !index_at(l, I))
			continue;
		size_t top = (I - l->tok_index[255] - 1) & ~(size_t)(KSYM_ALIGN - 1);
		for (size_t back = 0; back <= KSYM_NAME_MAX + KSYM_ALIGN && back <= top;
		     back += KSYM_ALIGN) {
			if (tokens_at(l, top - back, I)) {
				*from = I + KSYM_ALIGN;
				return true;
			}
		}
	}
	return false;
}

/* Step over one kallsyms_names entry without decoding it; entries end by limit. */
static bool skip_entry(const struct ksym_layout *l, size_t *pos, size_t limit)
{
	size_t p = *pos;
	if (p >= limit)
		return false;
	size_t n = l->img[p++];
	if (n & 0x80) {
		if (p >= limit)
			return false;
		n = (n & 0x7f) | ((size_t)l->img[p++] << 7);
	}
	if (n == 0 || limit - p < n)
		return false;
	*pos = p + n;
	return true;
}

bool ksym_decode(const struct ksym_layout *l, size_t *pos, char *name)
{
	size_t p = *pos, out = 0;
	if (!skip_entry(l, &p, l->names_end))
		return false;
	size_t start = *pos + 1 + (l->img[*pos] & 0x80 ? 1 : 0);
	for (size_t q = start; q < p; q++) {
		uint8_t tok = l->img[q];
		size_t n = l->tok_len[tok];
		if (out + n >= KSYM_NAME_MAX)
			return false;
		memcpy(name + out, l->img + l->token_table + l->tok_index[tok], n);
		out += n;
	}
	name[out] = '\0';
	/* The type letter, then a name: tokens are printable by construction. */
	bool letter = (name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z';
	if (out < 2 || !letter)
		return false;
	*pos = p;
	return true;
}

/*
 * kallsyms_num_syms and kallsyms_names at S, the markers at M: the count
 * needs exactly C markers, walking the entries must meet every marker and
 * end in the padding before M, and every name must decode.
 */
static bool names_at(struct ksym_layout *l, size_t S, size_t M, uint32_t C)
{
	uint32_t n, pad, mark;
	if (!rd32(l, S - 8, &n) || !rd32(l, S - 4, &pad) || pad != 0 || n == 0 ||
	    (n + KSYM_PER_MARKER - 1) / KSYM_PER_MARKER != C)
		return false;
	size_t p = S;
	for (uint32_t i = 0; i < n; i++) {
		if (i % KSYM_PER_MARKER == 0 &&
		    (!rd32(l, M + 4 * (i / KSYM_PER_MARKER), &mark) || p - S != mark))
			return false;
		if (!skip_entry(l, &p, M))
			return false;
	}
	if (M - p >= KSYM_ALIGN || !zeros(l, p, M))
		return false;
	l->nsyms = n;
	l->names = S;
	l->names_end = p;
	l->markers = M;
	char name[KSYM_NAME_MAX];
	for (size_t q = S; q < p;)
		if (!ksym_decode(l, &q, name))
			return false;
	return true;
}

/*
 * The markers end right before the token table (after up to one word of
 * padding): walk back over strictly rising u32 to the 0 of the first name,
 * then look for the names that end there.
 */
static bool find_names(struct ksym_layout *l)
{
	size_t T = l->token_table;
	uint32_t v, prev, last;
	if (T < 16)
		return false;
	size_t ends[2] = { T, T - 4 };
	for (unsigned k = 0; k < 2; k++) {
		size_t q = ends[k] - 4;
		if (k == 1 && (!rd32(l, T - 4, &v) || v != 0))
			continue;
		if (!rd32(l, q, &v))
			continue;
		while (v != 0 && q >= 4 && rd32(l, q - 4, &prev) && prev < v) {
			q -= 4;
			v = prev;
		}
		if (v != 0 || q % KSYM_ALIGN)
			continue;
		size_t M = q;
		uint32_t C = (uint32_t)((ends[k] - M) / 4);
		if (!rd32(l, M + 4 * (C - 1), &last) || M < (size_t)last + 2 + 8)
			continue;
		size_t hi = (M - last - 2) & ~(size_t)(KSYM_ALIGN - 1);
		size_t span = (size_t)KSYM_PER_MARKER * KSYM_ENTRY_MAX;
		for (size_t S = hi; S >= 8 && hi - S <= span; S -= KSYM_ALIGN)
			if (names_at(l, S, M, C))
				return true;
	}
	return false;
}

/*
 * kallsyms_offsets + kallsyms_relative_base at A: sorted by address and
 * relative to the lowest one (scripts/kallsyms.c: relative_base is the
 * minimum address), so the first offset is 0.
 */
static bool relative_at(struct ksym_layout *l, size_t A, size_t rb)
{
	uint32_t off, prev = 0;
	uint64_t base;
	if (A % KSYM_ALIGN || !rd(l, rb, 8, &base))
		return false;
	for (uint32_t i = 0; i < l->nsyms; i++) {
		if (!rd32(l, A + 4 * (size_t)i, &off) || off < prev || (i == 0 && off))
			return false;
		prev = off;
	}
	if (base + prev < base)
		return false;
	l->addrs = A;
	l->relative_base = base;
	l->absolute = false;
	return true;
}

/* u64 kallsyms_addresses at A, sorted, spanning more than one address. */
static bool absolute_at(struct ksym_layout *l, size_t A)
{
	uint64_t a, first = 0, prev = 0;
	if (A % KSYM_ALIGN)
		return false;
	for (uint32_t i = 0; i < l->nsyms; i++) {
		if (!rd(l, A + 8 * (size_t)i, 8, &a) || a < prev)
			return false;
		if (i == 0)
			first = a;
		prev = a;
	}
	if (l->nsyms > 1 && prev == first)
		return false;
	l->addrs = A;
	l->absolute = true;
	return true;
}

static bool find_addrs(struct ksym_layout *l)
{
	size_t n = l->nsyms, after = align_up(l->token_index + 512);
	size_t rb = align_up(after + 4 * n);
	if (relative_at(l, after, rb)) {
		size_t seqs = align_up(rb + 8);
		if (seqs <= l->len && (l->len - seqs) / 3 >= n)
			l->seqs = seqs;
		return true;
	}
	l->addrs_first = true;
	rb = l->names - 16;
	if (l->names >= 16 + 4 * n &&
	    relative_at(l, (rb - 4 * n) & ~(size_t)(KSYM_ALIGN - 1), rb))
		return true;
	if (l->names >= 8 + 8 * n && absolute_at(l, l->names - 8 - 8 * n))
		return true;
	l->addrs_first = false;
	return absolute_at(l, after);
}

int ksym_find(const void *img, size_t len, struct ksym_layout *l, char *err, size_t errlen)
{
	const char *why = "no token table with its index";
	memset(l, 0, sizeof(*l));
	l->img = img;
	l->len = img ? len : 0;
	for (size_t from = 0; find_tokens(l, &from);) {
		why = "a token table, but no names and markers that decode with it";
		if (!find_names(l))
			continue;
		why = "names, but no sorted offsets or addresses for them";
		if (find_addrs(l))
			return 0;
	}
	snprintf(err, errlen, "no kallsyms tables in %zu bytes (%s)", len, why);
	l->nsyms = 0;
	return -1;
}

uint64_t ksym_addr(const struct ksym_layout *l, uint32_t i)
{
	uint64_t v = 0;
	if (l->absolute) {
		rd(l, l->addrs + 8 * (size_t)i, 8, &v);
		return v;
	}
	rd(l, l->addrs + 4 * (size_t)i, 4, &v);
	return l->relative_base + v;
}

int ksym_each(const struct ksym_layout *l, ksym_fn fn, void *ctx)
{
	char name[KSYM_NAME_MAX];
	size_t pos = l->names;
	uint32_t next = 0;
	for (uint32_t i = 0; i < l->nsyms; i++) {
		if (!ksym_decode(l, &pos, name))
			return -1;
		uint64_t a = ksym_addr(l, i);
		if (next <= i)
			for (next = i + 1; next < l->nsyms && ksym_addr(l, next) == a;)
				next++;
		uint64_t size = next < l->nsyms ? ksym_addr(l, next) - a : 0;
		int rc = fn(ctx, name[0], name + 1, a, size);
		if (rc)
			return rc;
	}
	return 0;
}
