/*
 * trace_read.c: opening, validating and iterating a trace.
 *
 * trace_open() reads the file and checks every chunk eagerly (header
 * checksum, payload checksum, structure, sequence continuity per hart).
 * The first problem decides: a file that simply stops (a header or payload
 * running past the end, or no END chunk) is "cut short" and stays usable up
 * to its last complete chunk; anything else is damage and is refused with
 * the chunk number and offset. EVENTS payloads are decompressed lazily by
 * the iterators, which re-check them against their headers.
 */
#include <errno.h>
#include <lz4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs/chunk.h"
#include "logs/trace.h"

/* The fuzz target is built with checksums not enforced, so mutations reach
 * the parsers behind them instead of all stopping at the CRC. */
#ifdef TRACE_FUZZING
#define CRC_BAD(stored, computed) ((void)(stored), (void)(computed), false)
#else
#define CRC_BAD(stored, computed) ((stored) != (computed))
#endif

struct trace_reader {
	uint8_t *owned;            /* file contents when read from a path */
	const uint8_t *buf;
	size_t len;
	unsigned nharts;
	unsigned minor;            /* format version 1.minor */
	char *config;
	struct trace_image *images;
	unsigned nimages;
	struct trace_chunk_info *chunks;
	unsigned nchunks;
	bool complete;
	char cut_msg[256];
	struct trace_end end;
	bool has_end;
};

struct trace_iter {
	struct trace_reader *r;
	unsigned hart;
	unsigned ci;               /* next chunk index to look at */
	uint8_t *raw;              /* current chunk's events, decompressed */
	size_t rawlen, pos;
	uint64_t icount, time, seq;
	uint32_t left;             /* events left in the current chunk */
	unsigned cur;              /* current chunk index */
};

static const uint8_t *payload(const struct trace_reader *r,
			      const struct trace_chunk_info *c)
{
	return r->buf + c->offset + CHUNK_HDR;
}

/* Decompressed payload of chunk c (malloc'd), or NULL with err. */
static uint8_t *chunk_raw(const struct trace_reader *r, unsigned idx,
			  char *err, size_t errlen)
{
	const struct trace_chunk_info *c = &r->chunks[idx];
	uint8_t *out = malloc(c->raw ? c->raw : 1);
	if (!out) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	const uint8_t *p = payload(r, c);
	uint8_t flags = r->buf[c->offset + 5];
	if (flags & CHUNK_LZ4) {
		int n = LZ4_decompress_safe((const char *)p, (char *)out, (int)c->stored,
					    (int)c->raw);
		if (n < 0 || (uint32_t)n != c->raw) {
			snprintf(err, errlen, "damaged compressed data in chunk %u at offset %llu",
				 idx, (unsigned long long)c->offset);
			free(out);
			return NULL;
		}
	} else {
		memcpy(out, p, c->raw);
	}
	return out;
}

static int fail(char *err, size_t errlen, unsigned n, uint64_t off, const char *what)
{
	snprintf(err, errlen, "%s in chunk %u at offset %llu", what, n,
		 (unsigned long long)off);
	return -1;
}

/* Walk the chunks: validate framing and checksums, collect their info. */
static int scan(struct trace_reader *r, char *err, size_t errlen)
{
	uint64_t off = 0;
	unsigned cap = 0;
	if (!r->len) {
		snprintf(r->cut_msg, sizeof(r->cut_msg),
			 "trace cut short at offset 0 (empty file)");
		return 0;
	}
	for (unsigned n = 0;; n++) {
		if (off == r->len)
			break;
		if (r->len - off < CHUNK_HDR) {
			snprintf(r->cut_msg, sizeof(r->cut_msg),
				 "trace cut short at offset %llu (chunk %u header incomplete)",
				 (unsigned long long)off, n);
			return 0;
		}
		const uint8_t *h = r->buf + off;
		if (get32(h) != CHUNK_MAGIC)
			return fail(err, errlen, n, off, "bad magic");
		if (CRC_BAD(get32(h + 20), trace_crc32(0, h, 20)))
			return fail(err, errlen, n, off, "bad checksum (header)");
		uint32_t stored = get32(h + 8), raw = get32(h + 12);
		if (h[4] < TRACE_CHUNK_CONFIG || h[4] > TRACE_CHUNK_END || (h[5] & ~CHUNK_LZ4) ||
		    get16(h + 6) || raw > CHUNK_MAX_RAW ||
		    (!(h[5] & CHUNK_LZ4) && stored != raw))
			return fail(err, errlen, n, off, "bad chunk header");
		if (r->len - off - CHUNK_HDR < stored) {
			snprintf(r->cut_msg, sizeof(r->cut_msg),
				 "trace cut short at offset %llu (chunk %u incomplete)",
				 (unsigned long long)off, n);
			return 0;
		}
		if (CRC_BAD(get32(h + 16), trace_crc32(0, h + CHUNK_HDR, stored)))
			return fail(err, errlen, n, off, "bad checksum");
		if (r->nchunks == cap) {
			cap = cap ? 2 * cap : 64;
			struct trace_chunk_info *c = realloc(r->chunks, cap * sizeof(*c));
			if (!c) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			r->chunks = c;
		}
		struct trace_chunk_info *c = &r->chunks[r->nchunks++];
		memset(c, 0, sizeof(*c));
		c->offset = off;
		c->type = h[4];
		c->stored = stored;
		c->raw = raw;
		off += CHUNK_HDR + stored;
	}
	return 0;
}

static int parse_config(struct trace_reader *r, char *err, size_t errlen)
{
	if (!r->nchunks && r->cut_msg[0]) {
		snprintf(err, errlen, "%s: nothing readable", r->cut_msg);
		return -1;
	}
	if (!r->nchunks || r->chunks[0].type != TRACE_CHUNK_CONFIG)
		return fail(err, errlen, 0, 0, "no CONFIG chunk first");
	uint8_t *raw = chunk_raw(r, 0, err, errlen);
	if (!raw)
		return -1;
	if (r->chunks[0].raw < 4) {
		free(raw);
		return fail(err, errlen, 0, 0, "CONFIG too short");
	}
	unsigned major = get16(raw), minor = get16(raw + 2);
	if (major > TRACE_VERSION_MAJOR) {
		free(raw);
		snprintf(err, errlen, "trace format version %u.%u is newer than this "
			 "rrv reads (%u.x)", major, minor, TRACE_VERSION_MAJOR);
		return -1;
	}
	r->minor = minor;
	size_t clen = r->chunks[0].raw - 4;
	r->config = malloc(clen + 1);
	if (!r->config) {
		free(raw);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(r->config, raw + 4, clen);
	r->config[clen] = 0;
	free(raw);
	char v[32];
	unsigned long nh = 0;
	if (!trace_config_get(r, "harts", v, sizeof(v)) ||
	    (nh = strtoul(v, NULL, 10)) < 1 || nh > TRACE_MAX_HARTS)
		return fail(err, errlen, 0, 0, "CONFIG without a valid harts= line");
	r->nharts = (unsigned)nh;
	return 0;
}

static int parse_chunks(struct trace_reader *r, char *err, size_t errlen)
{
	uint64_t next_seq[TRACE_MAX_HARTS] = { 0 };
	unsigned icap = 0;
	for (unsigned i = 1; i < r->nchunks; i++) {
		struct trace_chunk_info *c = &r->chunks[i];
		if (r->has_end)
			return fail(err, errlen, i, c->offset, "chunk after END");
		if (c->type == TRACE_CHUNK_CONFIG)
			return fail(err, errlen, i, c->offset, "second CONFIG");
		if (c->type == TRACE_CHUNK_EVENTS) {
			/* The header is read from the decompressed payload. */
			uint8_t *raw = chunk_raw(r, i, err, errlen);
			if (!raw)
				return -1;
			if (c->raw < EVENTS_HDR) {
				free(raw);
				return fail(err, errlen, i, c->offset, "EVENTS too short");
			}
			c->hart = get32(raw);
			c->first_seq = get64(raw + 4);
			c->count = get32(raw + 12);
			c->base_icount = get64(raw + 16);
			c->time_base = get64(raw + 24);
			c->last_icount = get64(raw + 32);
			free(raw);
			if (c->hart >= r->nharts)
				return fail(err, errlen, i, c->offset, "EVENTS for a hart the trace does not have");
			if (c->first_seq != next_seq[c->hart] || c->last_icount < c->base_icount)
				return fail(err, errlen, i, c->offset, "EVENTS out of sequence");
			next_seq[c->hart] += c->count;
		} else if (c->type == TRACE_CHUNK_IMAGE) {
			if (c->raw < 42)
				return fail(err, errlen, i, c->offset, "IMAGE too short");
			uint8_t *raw = chunk_raw(r, i, err, errlen);
			if (!raw)
				return -1;
			size_t nlen = get16(raw + 40);
			if (42 + nlen > c->raw) {
				free(raw);
				return fail(err, errlen, i, c->offset, "IMAGE name past its end");
			}
			uint8_t sum[32];
			trace_sha256(raw + 42 + nlen, c->raw - 42 - nlen, sum);
			if (memcmp(sum, raw + 8, 32)) {
				free(raw);
				return fail(err, errlen, i, c->offset, "IMAGE SHA-256 mismatch");
			}
			if (r->nimages == icap) {
				icap = icap ? 2 * icap : 8;
				struct trace_image *im = realloc(r->images, icap * sizeof(*im));
				if (!im) {
					free(raw);
					snprintf(err, errlen, "out of memory");
					return -1;
				}
				r->images = im;
			}
			struct trace_image *im = &r->images[r->nimages++];
			im->addr = get64(raw);
			memcpy(im->sha256, raw + 8, 32);
			char *name = malloc(nlen + 1);
			uint8_t *data = malloc(c->raw - 42 - nlen + 1);
			if (!name || !data) {
				free(name);
				free(data);
				free(raw);
				r->nimages--;
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			memcpy(name, raw + 42, nlen);
			name[nlen] = 0;
			im->len = c->raw - 42 - nlen;
			memcpy(data, raw + 42 + nlen, im->len);
			im->name = name;
			im->data = data;
			free(raw);
		} else if (c->type == TRACE_CHUNK_END) {
			/* 21 bytes, then the verdict text (none before 1.1). */
			if (c->raw < 21 || c->raw - 21 >= TRACE_END_TEXT_MAX)
				return fail(err, errlen, i, c->offset, "bad END chunk");
			/* The writer stores END uncompressed, but a damaged or
			 * foreign file may mark it LZ4: decompress like the rest
			 * (reading raw bytes from the stored ones overran). */
			uint8_t *e = chunk_raw(r, i, err, errlen);
			if (!e)
				return -1;
			r->end.reason = e[0];
			r->end.exit_code = (int32_t)get32(e + 1);
			r->end.output_hash = get64(e + 5);
			r->end.output_bytes = get64(e + 13);
			memcpy(r->end.verdict, e + 21, c->raw - 21);
			r->end.verdict[c->raw - 21] = 0;
			free(e);
			r->has_end = true;
		}
		/* INDEX: the scan above already rebuilt everything it says;
		 * SNAPSHOT: read on demand (trace_snapshot_blob). */
	}
	return 0;
}

static struct trace_reader *open_buf(struct trace_reader *r, char *err, size_t errlen)
{
	if (scan(r, err, errlen) < 0 || parse_config(r, err, errlen) < 0 ||
	    parse_chunks(r, err, errlen) < 0) {
		trace_close(r);
		return NULL;
	}
	r->complete = r->has_end && !r->cut_msg[0];
	if (!r->complete && !r->cut_msg[0]) {
		uint64_t end = r->nchunks ? r->chunks[r->nchunks - 1].offset + CHUNK_HDR +
					    r->chunks[r->nchunks - 1].stored : 0;
		snprintf(r->cut_msg, sizeof(r->cut_msg),
			 "trace cut short at offset %llu (no END chunk: the recorder "
			 "stopped early)", (unsigned long long)end);
	}
	return r;
}

struct trace_reader *trace_open_mem(const uint8_t *buf, size_t len, char *err,
				    size_t errlen)
{
	struct trace_reader *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->buf = buf;
	r->len = len;
	return open_buf(r, err, errlen);
}

struct trace_reader *trace_open(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 20, len = 0;
	uint8_t *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	bool bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		snprintf(err, errlen, "%s: %s", path, buf ? "read error" : "out of memory");
		free(buf);
		return NULL;
	}
	struct trace_reader *r = calloc(1, sizeof(*r));
	if (!r) {
		free(buf);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->owned = buf;
	r->buf = buf;
	r->len = len;
	char e2[512];
	r = open_buf(r, e2, sizeof(e2));
	if (!r)
		snprintf(err, errlen, "%s: %s", path, e2);
	return r;
}

void trace_close(struct trace_reader *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->nimages; i++) {
		free((char *)r->images[i].name);
		free((uint8_t *)r->images[i].data);
	}
	free(r->images);
	free(r->chunks);
	free(r->config);
	free(r->owned);
	free(r);
}

bool trace_complete(const struct trace_reader *r) { return r->complete; }
const char *trace_cut_message(const struct trace_reader *r) { return r->complete ? "" : r->cut_msg; }
unsigned trace_nharts(const struct trace_reader *r) { return r->nharts; }
unsigned trace_format_minor(const struct trace_reader *r) { return r->minor; }
const char *trace_config(const struct trace_reader *r) { return r->config; }
unsigned trace_nimages(const struct trace_reader *r) { return r->nimages; }
unsigned trace_nchunks(const struct trace_reader *r) { return r->nchunks; }
uint64_t trace_file_size(const struct trace_reader *r) { return r->len; }

const struct trace_image *trace_image(const struct trace_reader *r, unsigned i)
{
	return i < r->nimages ? &r->images[i] : NULL;
}

const struct trace_chunk_info *trace_chunk(const struct trace_reader *r, unsigned i)
{
	return i < r->nchunks ? &r->chunks[i] : NULL;
}

bool trace_end_info(const struct trace_reader *r, struct trace_end *end)
{
	if (r->has_end)
		*end = r->end;
	return r->has_end;
}

int trace_snapshot_blob(const struct trace_reader *r, uint8_t **blob,
			size_t *len, char *err, size_t errlen)
{
	size_t total = 0;
	for (unsigned i = 0; i < r->nchunks; i++)
		if (r->chunks[i].type == TRACE_CHUNK_SNAPSHOT)
			total += r->chunks[i].raw;
	*blob = NULL;
	*len = 0;
	if (!total)
		return 0;
	uint8_t *out = malloc(total);
	if (!out) {
		snprintf(err, errlen, "out of memory for a %zu-byte snapshot", total);
		return -1;
	}
	size_t o = 0;
	for (unsigned i = 0; i < r->nchunks; i++) {
		if (r->chunks[i].type != TRACE_CHUNK_SNAPSHOT)
			continue;
		uint8_t *raw = chunk_raw(r, i, err, errlen);
		if (!raw) {
			free(out);
			return -1;
		}
		memcpy(out + o, raw, r->chunks[i].raw);
		o += r->chunks[i].raw;
		free(raw);
	}
	*blob = out;
	*len = total;
	return 1;
}

bool trace_config_get(const struct trace_reader *r, const char *key, char *buf,
		      size_t len)
{
	size_t kl = strlen(key);
	for (const char *p = r->config; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t ll = nl ? (size_t)(nl - p) : strlen(p);
		if (ll > kl && !strncmp(p, key, kl) && p[kl] == '=') {
			size_t vl = ll - kl - 1;
			if (vl >= len)
				vl = len - 1;
			memcpy(buf, p + kl + 1, vl);
			buf[vl] = 0;
			return true;
		}
		p = nl ? nl + 1 : p + ll;
	}
	return false;
}

struct trace_iter *trace_iter_new(struct trace_reader *r, unsigned hart)
{
	if (hart >= r->nharts)
		return NULL;
	struct trace_iter *it = calloc(1, sizeof(*it));
	if (it) {
		it->r = r;
		it->hart = hart;
		it->ci = 0;
	}
	return it;
}

void trace_iter_free(struct trace_iter *it)
{
	if (it)
		free(it->raw);
	free(it);
}

/* Load chunk ci (an EVENTS chunk of this hart) as the current one. */
static int load_chunk(struct trace_iter *it, unsigned ci, char *err, size_t errlen)
{
	const struct trace_chunk_info *c = &it->r->chunks[ci];
	free(it->raw);
	it->raw = chunk_raw(it->r, ci, err, errlen);
	if (!it->raw)
		return -1;
	it->rawlen = c->raw;
	it->pos = EVENTS_HDR;
	it->icount = c->base_icount;
	it->time = c->time_base;
	it->seq = c->first_seq;
	it->left = c->count;
	it->cur = ci;
	return 0;
}

int trace_iter_next(struct trace_iter *it, struct trace_event *ev, uint64_t *seq,
		    char *err, size_t errlen)
{
	const struct trace_reader *r = it->r;
	while (!it->raw || !it->left) {
		if (it->raw && it->pos != it->rawlen)
			return fail(err, errlen, it->cur, r->chunks[it->cur].offset,
				    "damaged events (bytes after the last event)");
		while (it->ci < r->nchunks && (r->chunks[it->ci].type != TRACE_CHUNK_EVENTS ||
					       r->chunks[it->ci].hart != it->hart))
			it->ci++;
		if (it->ci >= r->nchunks)
			return 0;
		if (load_chunk(it, it->ci++, err, errlen) < 0)
			return -1;
	}
	unsigned n = trace_event_decode(it->raw + it->pos, it->raw + it->rawlen,
					it->icount, &it->time, ev);
	if (!n || ev->kind == 0 || ev->kind >= TRACE_EV_KINDS)
		return fail(err, errlen, it->cur, r->chunks[it->cur].offset,
			    "damaged events");
	it->pos += n;
	it->icount = ev->icount;
	it->left--;
	if (!it->left && it->icount != r->chunks[it->cur].last_icount)
		return fail(err, errlen, it->cur, r->chunks[it->cur].offset,
			    "damaged events (icount range)");
	if (seq)
		*seq = it->seq;
	it->seq++;
	return 1;
}

/* Restart at the hart's first chunk whose range may hold the target. */
static int seek(struct trace_iter *it, bool by_icount, uint64_t target)
{
	const struct trace_reader *r = it->r;
	unsigned pick = r->nchunks;
	for (unsigned i = 0; i < r->nchunks; i++) {
		const struct trace_chunk_info *c = &r->chunks[i];
		if (c->type != TRACE_CHUNK_EVENTS || c->hart != it->hart || !c->count)
			continue;
		bool past = by_icount ? c->last_icount < target
				      : c->first_seq + c->count <= target;
		if (!past) {
			pick = i;
			break;
		}
	}
	free(it->raw);
	it->raw = NULL;
	it->left = 0;
	it->ci = pick;
	if (pick == r->nchunks)
		return 0;
	char err[128];
	if (load_chunk(it, pick, err, sizeof(err)) < 0)
		return -1;
	it->ci = pick + 1;
	/* Skip the chunk's events before the target. */
	while (it->left) {
		size_t pos = it->pos;
		uint64_t ic = it->icount, tm = it->time;
		struct trace_event ev;
		unsigned n = trace_event_decode(it->raw + pos, it->raw + it->rawlen, ic, &tm, &ev);
		if (!n)
			return -1;
		if (by_icount ? ev.icount >= target : it->seq >= target)
			break;
		it->pos += n;
		it->icount = ev.icount;
		it->time = tm;
		it->left--;
		it->seq++;
	}
	return 0;
}

int trace_iter_seek_icount(struct trace_iter *it, uint64_t icount)
{
	return seek(it, true, icount);
}

int trace_iter_seek_seq(struct trace_iter *it, uint64_t seq)
{
	return seek(it, false, seq);
}
