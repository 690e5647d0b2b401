/*
 * test_trace.c: the trace file: round trips of random multi-hart streams
 * (appended from concurrent threads), seeking, a trace cut at every byte
 * offset, a bit flipped at every byte, version refusal, SHA-256/CRC vectors.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "logs/chunk.h"
#include "logs/trace.h"

#define NH 4

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A random but valid event after icount *ic. */
static void random_event(uint64_t *s, uint64_t *ic, struct trace_event *e)
{
	memset(e, 0, sizeof(*e));
	uint64_t r = next_rand(s);
	*ic += (r & 3) ? r % 50 : 0;
	e->icount = *ic;
	e->kind = (uint8_t)(1 + (r >> 8) % (TRACE_EV_KINDS - 1));
	if (e->kind == TRACE_EV_END) /* only last in a stream */
		e->kind = TRACE_EV_TRAP;
	e->insn = r >> 20 & 1;
	switch (e->kind) {
	case TRACE_EV_ACQUIRE:
		e->page = 0x80000 + (r >> 24) % 4096;
		e->mode = 1 + (r >> 40 & 1);
		e->ndeps = (uint32_t)(r >> 41) % 4;
		for (uint32_t i = 0; i < e->ndeps; i++) {
			e->deps[i].hart = (uint32_t)(next_rand(s) % NH);
			e->deps[i].seq = next_rand(s) % 100000;
		}
		break;
	case TRACE_EV_RELEASE: e->page = (r >> 24) % 5000; e->mode = r >> 50 & 1; break;
	case TRACE_EV_ATOMIC: e->addr = next_rand(s); e->op = 1 + r % 3; e->success = r >> 33 & 1; break;
	case TRACE_EV_MIP: e->value = r >> 40; break;
	case TRACE_EV_IRQ: e->value = (1ull << 63) | (r % 12); e->addr = next_rand(s); break;
	case TRACE_EV_TIME: e->value = next_rand(s) >> (r % 64); break;
	case TRACE_EV_INPUT:
		e->len = (uint32_t)(r >> 30) % (TRACE_MAX_INPUT + 1);
		for (uint32_t i = 0; i < e->len; i++)
			e->bytes[i] = (uint8_t)next_rand(s);
		break;
	case TRACE_EV_CC_INVAL: e->page = (r & 1) ? TRACE_PAGE_ALL : r >> 30; e->op = 1 + r % 5; break;
	case TRACE_EV_DIGEST: e->value = next_rand(s); break;
	case TRACE_EV_TRAP:
		e->value = r % 16;
		e->addr = next_rand(s);
		e->len = 1 + (uint32_t)(r >> 30) % 1000;
		break;
	}
}

static void assert_event_equal(const struct trace_event *a, const struct trace_event *b)
{
	assert_int_equal(a->icount, b->icount);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->insn, b->insn);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->op, b->op);
	assert_int_equal(a->success, b->success);
	assert_int_equal(a->page, b->page);
	assert_int_equal(a->addr, b->addr);
	assert_int_equal(a->value, b->value);
	assert_int_equal(a->ndeps, b->ndeps);
	for (uint32_t i = 0; i < a->ndeps; i++) {
		assert_int_equal(a->deps[i].hart, b->deps[i].hart);
		assert_int_equal(a->deps[i].seq, b->deps[i].seq);
	}
	assert_int_equal(a->len, b->len);
	if (a->kind == TRACE_EV_INPUT)
		assert_memory_equal(a->bytes, b->bytes, a->len);
}

struct appender {
	struct trace_writer *w;
	unsigned hart, n;
	bool slow;               /* pause so the writer cuts several chunks */
};

static void *append_thread(void *arg)
{
	struct appender *a = arg;
	uint64_t s = 0x9e3779b97f4a7c15ull * (a->hart + 1), ic = 0;
	struct trace_event e;
	for (unsigned i = 0; i < a->n; i++) {
		random_event(&s, &ic, &e);
		trace_append(a->w, a->hart, &e);
		if (a->slow && i % 4 == 3)
			usleep(60000);
	}
	return NULL;
}

static char *tmpname(void)
{
	static char buf[64];
	snprintf(buf, sizeof(buf), "/tmp/test_trace.%d.rrv", getpid());
	return buf;
}

static void write_trace(const char *path, unsigned n, bool slow)
{
	char err[256];
	struct trace_writer *w = trace_writer_open(path, NH, "harts=4\nram=268435456\n", err, sizeof(err));
	assert_non_null(w);
	static const char img[] = "an image's bytes";
	assert_int_equal(trace_writer_image(w, "kernel.elf", 0x80000000, img, sizeof(img), err, sizeof(err)), 0);
	pthread_t t[NH];
	struct appender a[NH];
	for (unsigned i = 0; i < NH; i++) {
		a[i] = (struct appender){ .w = w, .hart = i, .n = n, .slow = slow };
		pthread_create(&t[i], NULL, append_thread, &a[i]);
	}
	for (unsigned i = 0; i < NH; i++)
		pthread_join(t[i], NULL);
	struct trace_end end = { .reason = 1, .exit_code = 3, .output_hash = 42, .output_bytes = 7 };
	assert_int_equal(trace_writer_close(w, &end, err, sizeof(err)), 0);
}

/* Every event of every hart matches what the appenders generated. */
static unsigned check_streams(struct trace_reader *r, unsigned expect_each)
{
	unsigned total = 0;
	char err[256];
	for (unsigned h = 0; h < NH; h++) {
		uint64_t s = 0x9e3779b97f4a7c15ull * (h + 1), ic = 0, seq;
		struct trace_iter *it = trace_iter_new(r, h);
		struct trace_event got, want;
		unsigned k = 0;
		int rc;
		while ((rc = trace_iter_next(it, &got, &seq, err, sizeof(err))) == 1) {
			random_event(&s, &ic, &want);
			assert_event_equal(&got, &want);
			assert_int_equal(seq, k);
			k++;
		}
		assert_int_equal(rc, 0);
		if (expect_each != UINT32_MAX)
			assert_int_equal(k, expect_each);
		total += k;
		trace_iter_free(it);
	}
	return total;
}

static void test_round_trip_concurrent_harts(void **state)
{
	(void)state;
	write_trace(tmpname(), 200000, false);
	char err[256];
	struct trace_reader *r = trace_open(tmpname(), err, sizeof(err));
	assert_non_null(r);
	assert_true(trace_complete(r));
	assert_int_equal(trace_nharts(r), NH);
	assert_int_equal(trace_nimages(r), 1);
	assert_string_equal(trace_image(r, 0)->name, "kernel.elf");
	assert_int_equal(trace_image(r, 0)->addr, 0x80000000);
	struct trace_end end;
	assert_true(trace_end_info(r, &end));
	assert_int_equal(end.exit_code, 3);
	assert_int_equal(end.output_hash, 42);
	check_streams(r, 200000);
	/* Seeking by sequence number and icount lands on the right event. */
	struct trace_iter *it = trace_iter_new(r, 2);
	struct trace_event ev;
	uint64_t seq;
	assert_int_equal(trace_iter_seek_seq(it, 123456), 0);
	assert_int_equal(trace_iter_next(it, &ev, &seq, err, sizeof(err)), 1);
	assert_int_equal(seq, 123456);
	uint64_t target = ev.icount + 1000;
	assert_int_equal(trace_iter_seek_icount(it, target), 0);
	assert_int_equal(trace_iter_next(it, &ev, &seq, err, sizeof(err)), 1);
	assert_true(ev.icount >= target);
	trace_iter_free(it);
	trace_close(r);
	unlink(tmpname());
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc(*len);
	assert_int_equal(fread(b, 1, *len, f), *len);
	fclose(f);
	return b;
}

static void test_cut_at_every_offset(void **state)
{
	(void)state;
	write_trace(tmpname(), 12, true); /* several EVENTS chunks per hart */
	size_t len;
	uint8_t *buf = slurp(tmpname(), &len);
	char err[256];
	struct trace_reader *full = trace_open_mem(buf, len, err, sizeof(err));
	assert_non_null(full);
	unsigned nev = 0;
	for (unsigned i = 0; i < trace_nchunks(full); i++)
		nev += trace_chunk(full, i)->type == TRACE_CHUNK_EVENTS;
	assert_true(nev > NH); /* the test means something only then */
	for (size_t x = 0; x < len; x++) {
		struct trace_reader *r = trace_open_mem(buf, x, err, sizeof(err));
		if (!r) {
			/* Only a cut inside the first (CONFIG) chunk leaves
			 * nothing to open. */
			assert_true(x < trace_chunk(full, 1)->offset);
			assert_non_null(strstr(err, "cut short"));
			continue;
		}
		assert_false(trace_complete(r));
		assert_non_null(strstr(trace_cut_message(r), "cut short at offset"));
		/* Exactly the events of the chunks complete before x. */
		unsigned expect = 0;
		for (unsigned i = 0; i < trace_nchunks(full); i++) {
			const struct trace_chunk_info *c = trace_chunk(full, i);
			if (c->type == TRACE_CHUNK_EVENTS && c->offset + CHUNK_HDR + c->stored <= x)
				expect += c->count;
		}
		assert_int_equal(check_streams(r, UINT32_MAX), expect);
		trace_close(r);
	}
	trace_close(full);
	free(buf);
	unlink(tmpname());
}

static void test_bit_flip_anywhere(void **state)
{
	(void)state;
	write_trace(tmpname(), 30, false);
	size_t len;
	uint8_t *buf = slurp(tmpname(), &len);
	char err[256];
	for (size_t x = 0; x < len; x++) {
		buf[x] ^= (uint8_t)(1u << (x % 8));
		struct trace_reader *r = trace_open_mem(buf, len, err, sizeof(err));
		assert_null(r);
		assert_non_null(strstr(err, "at offset"));
		assert_non_null(strstr(err, "chunk"));
		buf[x] ^= (uint8_t)(1u << (x % 8));
	}
	free(buf);
	unlink(tmpname());
}

static void test_newer_version_refused(void **state)
{
	(void)state;
	char err[256];
	struct trace_writer *w = trace_writer_open(tmpname(), 1, "harts=1\n", err, sizeof(err));
	struct trace_end end = { 0 };
	trace_writer_close(w, &end, err, sizeof(err));
	size_t len;
	uint8_t *buf = slurp(tmpname(), &len);
	/* Bump the major version and re-seal the chunk's checksums. */
	put16(buf + CHUNK_HDR, TRACE_VERSION_MAJOR + 1);
	put32(buf + 16, trace_crc32(0, buf + CHUNK_HDR, get32(buf + 8)));
	put32(buf + 20, trace_crc32(0, buf, 20));
	assert_null(trace_open_mem(buf, len, err, sizeof(err)));
	assert_non_null(strstr(err, "newer"));
	free(buf);
	unlink(tmpname());
}

/* Two writers on one path: the second is refused and the first's trace
 * stays whole. */
static void test_second_writer_refused(void **state)
{
	(void)state;
	char err[256];
	struct trace_writer *w = trace_writer_open(tmpname(), 1, "harts=1\n", err, sizeof(err));
	assert_non_null(w);
	assert_null(trace_writer_open(tmpname(), 1, "harts=1\n", err, sizeof(err)));
	assert_non_null(strstr(err, "another process is writing this trace"));
	struct trace_end end = { 0 };
	assert_int_equal(trace_writer_close(w, &end, err, sizeof(err)), 0);
	struct trace_reader *r = trace_open(tmpname(), err, sizeof(err));
	assert_non_null(r);
	trace_close(r);
	/* Closed: the path may be written again. */
	w = trace_writer_open(tmpname(), 1, "harts=1\n", err, sizeof(err));
	assert_non_null(w);
	assert_int_equal(trace_writer_close(w, &end, err, sizeof(err)), 0);
	unlink(tmpname());
}

static void test_checksum_vectors(void **state)
{
	(void)state;
	assert_int_equal(trace_crc32(0, "123456789", 9), 0xcbf43926u);
	uint8_t d[32];
	trace_sha256("abc", 3, d);
	static const uint8_t abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
		0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
		0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
	assert_memory_equal(d, abc, 32);
	/* 56 bytes: the padding spills into a second block. */
	trace_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	static const uint8_t two[4] = { 0x24, 0x8d, 0x6a, 0x61 };
	assert_memory_equal(d, two, 4);
}

/* The CRC by its definition, a bit at a time. */
static uint32_t crc_bitwise(const uint8_t *p, size_t len)
{
	uint32_t c = ~0u;
	for (size_t i = 0; i < len; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}

/* The sliced CRC and the SHA instructions against the plain definitions,
 * at every alignment and at lengths around the 8-byte and 64-byte steps;
 * and a CRC built up in pieces equals the one-shot CRC. */
static void test_checksum_fast_paths(void **state)
{
	(void)state;
	static uint8_t buf[4096 + 16];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		buf[i] = (uint8_t)x;
	}
	for (size_t off = 0; off < 16; off++)
		for (size_t len = 0; len < 300; len += 1 + len / 16) {
			uint32_t want = crc_bitwise(buf + off, len);
			assert_int_equal(trace_crc32(0, buf + off, len), want);
			size_t cut = len / 3;
			uint32_t c = trace_crc32(0, buf + off, cut);
			assert_int_equal(trace_crc32(c, buf + off + cut, len - cut), want);
		}
	assert_int_equal(trace_crc32(0, buf + 3, 4096), crc_bitwise(buf + 3, 4096));
	if (!trace_sha256_hw()) {
		print_message("no SHA instructions on this host: the portable hash only\n");
		return;
	}
	for (size_t len = 0; len <= 4096; len += len < 200 ? 1 : 61) {
		uint8_t a[32], b[32];
		trace_sha256_with(buf + (len & 15), len, a, false);
		trace_sha256_with(buf + (len & 15), len, b, true);
		assert_memory_equal(a, b, 32);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_vectors),
		cmocka_unit_test(test_checksum_fast_paths),
		cmocka_unit_test(test_round_trip_concurrent_harts),
		cmocka_unit_test(test_cut_at_every_offset),
		cmocka_unit_test(test_bit_flip_anywhere),
		cmocka_unit_test(test_newer_version_refused),
		cmocka_unit_test(test_second_writer_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
