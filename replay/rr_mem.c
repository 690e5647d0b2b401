/*
 * rr_mem.c: per-hart event vectors in memory. Each hart's vector is touched
 * only by that hart's thread while running (emit or next), so no locks.
 */
#include "replay/rr_mem.h"

#include <stdlib.h>
#include <string.h>

#include "core/machine.h"

struct stream {
	struct trace_event *ev;
	uint64_t n, cap, pos;
};

struct rr_mem {
	unsigned nharts;
	struct stream s[MAX_HARTS];
};

struct rr_mem *rr_mem_new(unsigned nharts)
{
	struct rr_mem *mm = calloc(1, sizeof(*mm));
	if (mm)
		mm->nharts = nharts;
	return mm;
}

void rr_mem_free(struct rr_mem *mm)
{
	if (!mm)
		return;
	for (unsigned i = 0; i < mm->nharts; i++)
		free(mm->s[i].ev);
	free(mm);
}

void rr_mem_rewind(struct rr_mem *mm)
{
	for (unsigned i = 0; i < mm->nharts; i++)
		mm->s[i].pos = 0;
}

uint64_t rr_mem_count(const struct rr_mem *mm, unsigned hart)
{
	return mm->s[hart].n;
}

void rr_mem_truncate(struct rr_mem *mm, unsigned hart, uint64_t keep)
{
	if (keep < mm->s[hart].n)
		mm->s[hart].n = keep;
}

struct trace_event *rr_mem_event(struct rr_mem *mm, unsigned hart, uint64_t i)
{
	return i < mm->s[hart].n ? &mm->s[hart].ev[i] : NULL;
}

void rr_mem_drop(struct rr_mem *mm, unsigned hart, uint64_t i)
{
	struct stream *s = &mm->s[hart];
	if (i >= s->n)
		return;
	memmove(&s->ev[i], &s->ev[i + 1], (s->n - i - 1) * sizeof(*s->ev));
	s->n--;
}

static void mem_emit(void *ctx, unsigned hart, const struct trace_event *ev)
{
	struct stream *s = &((struct rr_mem *)ctx)->s[hart];
	if (s->n == s->cap) {
		uint64_t cap = s->cap ? 2 * s->cap : 1024;
		struct trace_event *n = realloc(s->ev, cap * sizeof(*n));
		if (!n)
			abort(); /* test tool: nothing sensible to do */
		s->ev = n;
		s->cap = cap;
	}
	s->ev[s->n++] = *ev;
}

static bool mem_next(void *ctx, unsigned hart, struct trace_event *ev)
{
	struct stream *s = &((struct rr_mem *)ctx)->s[hart];
	if (s->pos >= s->n)
		return false;
	*ev = s->ev[s->pos++];
	return true;
}

const struct rr_stream_ops rr_mem_ops = { .emit = mem_emit, .next = mem_next };
