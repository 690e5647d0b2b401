/* rr_trace.h: event streams to and from a trace file (logs/). */
#ifndef RRV_REPLAY_RR_TRACE_H
#define RRV_REPLAY_RR_TRACE_H

#include "logs/trace.h"
#include "replay/rr_session.h"

/* Record: ctx is the struct trace_writer. */
extern const struct rr_stream_ops rr_trace_write_ops;

/* Replay: one iterator per hart over an open trace. */
struct rr_trace_play;
struct rr_trace_play *rr_trace_play_new(struct trace_reader *r);
void rr_trace_play_free(struct rr_trace_play *p);
/* A damaged EVENTS chunk met while replaying: its message, or NULL. */
const char *rr_trace_play_error(const struct rr_trace_play *p);
extern const struct rr_stream_ops rr_trace_read_ops;

/* How the recorded run ended: the verdict in the trace's END chunk
 * (VERDICT_UNKNOWN for a trace without END or from before verdicts). */
struct verdict;
void rr_trace_verdict(const struct trace_reader *r, struct verdict *v);

#endif /* RRV_REPLAY_RR_TRACE_H */
