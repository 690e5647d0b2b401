/* rr_mem.h: event streams kept in memory (engine tests without a trace file). */
#ifndef RRV_REPLAY_RR_MEM_H
#define RRV_REPLAY_RR_MEM_H

#include <stdint.h>

#include "replay/rr_session.h"

struct rr_mem;

struct rr_mem *rr_mem_new(unsigned nharts);
void rr_mem_free(struct rr_mem *mm);
/* Start reading every stream from its beginning again. */
void rr_mem_rewind(struct rr_mem *mm);
/* Events in hart's stream. */
uint64_t rr_mem_count(const struct rr_mem *mm, unsigned hart);
/* Forget hart's events from index `keep` on (simulates a cut trace). */
void rr_mem_truncate(struct rr_mem *mm, unsigned hart, uint64_t keep);
/* The stored event `i` of hart, for tampering in tests (NULL if none). */
struct trace_event *rr_mem_event(struct rr_mem *mm, unsigned hart, uint64_t i);
/* Remove event `i` of hart. */
void rr_mem_drop(struct rr_mem *mm, unsigned hart, uint64_t i);

extern const struct rr_stream_ops rr_mem_ops;

#endif /* RRV_REPLAY_RR_MEM_H */
