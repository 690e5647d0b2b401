/* rr_session.h: setting up a recording or a replay on a machine. */
#ifndef RRV_REPLAY_RR_SESSION_H
#define RRV_REPLAY_RR_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "replay/rr_event.h"

struct machine;
struct rr;

/* Where events go (record) or come from (replay): the trace file. */
struct rr_stream_ops {
	/* Append ev to hart's stream. Called only by that hart's thread. */
	void (*emit)(void *ctx, unsigned hart, const struct trace_event *ev);
	/* Next event of hart's stream; false at its end (a complete stream
	 * ends with END; one without it was cut short). */
	bool (*next)(void *ctx, unsigned hart, struct trace_event *ev);
	/* Replay from a snapshot: the next event is hart's seq-th. 0 or -1. */
	int (*seek)(void *ctx, unsigned hart, uint64_t seq);
	/* Replay: the minor format version the streams were written with
	 * (logs/trace.h), which says how accesses map to ownership domains;
	 * NULL = this rrv's own. */
	unsigned (*format)(void *ctx);
};

struct rr_options {
	bool replay;
	bool serial;          /* replay on one thread at a time, canonical order */
	bool quiet;           /* replay: do not print the guest's output */
	uint64_t digest_every;/* instructions between DIGESTs (record) */
	bool stats;           /* record: count handshakes (rr_stats.h) */
};

/* Attach a recorder/replayer to m (before machine_run). NULL + err. */
struct rr *rr_new(struct machine *m, const struct rr_options *opt,
		  const struct rr_stream_ops *ops, void *ops_ctx, char *err,
		  size_t errlen);
void rr_free(struct rr *rr);

/* After the run: output hash and byte count (what END records). */
uint64_t rr_output_hash(const struct rr *rr);
uint64_t rr_output_bytes(const struct rr *rr);

/* Replay verdict: NULL when identical so far, else the divergence report. */
const char *rr_divergence(const struct rr *rr);
/* Replay: some hart's stream ended without END (trace cut short). */
bool rr_cut_short(const struct rr *rr);

#endif /* RRV_REPLAY_RR_SESSION_H */
