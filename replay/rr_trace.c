/* rr_trace.c: the recorder's event streams in a trace file. */
#include "replay/rr_trace.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/verdict.h"

static void write_emit(void *ctx, unsigned hart, const struct trace_event *ev)
{
	trace_append(ctx, hart, ev);
}

const struct rr_stream_ops rr_trace_write_ops = { .emit = write_emit };

/* Each iterator is used only by its hart's thread. */
struct rr_trace_play {
	struct trace_reader *r;
	struct trace_iter *it[TRACE_MAX_HARTS];
	_Atomic int damaged;
	char err[256];
};

struct rr_trace_play *rr_trace_play_new(struct trace_reader *r)
{
	struct rr_trace_play *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->r = r;
	for (unsigned i = 0; i < trace_nharts(r); i++)
		if (!(p->it[i] = trace_iter_new(r, i))) {
			rr_trace_play_free(p);
			return NULL;
		}
	return p;
}

void rr_trace_play_free(struct rr_trace_play *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < TRACE_MAX_HARTS; i++)
		trace_iter_free(p->it[i]);
	free(p);
}

const char *rr_trace_play_error(const struct rr_trace_play *p)
{
	return atomic_load_explicit(&p->damaged, memory_order_acquire) == 1 ? p->err : NULL;
}

static bool read_next(void *ctx, unsigned hart, struct trace_event *ev)
{
	struct rr_trace_play *p = ctx;
	char err[256];
	int rc = trace_iter_next(p->it[hart], ev, NULL, err, sizeof(err));
	if (rc < 0) {
		int expect = 0;
		if (atomic_compare_exchange_strong(&p->damaged, &expect, 2)) {
			snprintf(p->err, sizeof(p->err), "%s", err);
			atomic_store_explicit(&p->damaged, 1, memory_order_release);
		}
	}
	return rc == 1;
}

static int read_seek(void *ctx, unsigned hart, uint64_t seq)
{
	struct rr_trace_play *p = ctx;
	return trace_iter_seek_seq(p->it[hart], seq);
}

static unsigned read_format(void *ctx)
{
	return trace_format_minor(((struct rr_trace_play *)ctx)->r);
}

const struct rr_stream_ops rr_trace_read_ops = {
	.next = read_next, .seek = read_seek, .format = read_format,
};

void rr_trace_verdict(const struct trace_reader *r, struct verdict *v)
{
	/* On the heap: struct trace_end holds the text inline (8 KiB). */
	struct trace_end *end = malloc(sizeof(*end));
	if (end && trace_end_info(r, end))
		verdict_parse(end->verdict, v);
	else
		verdict_parse(NULL, v);
	free(end);
}
