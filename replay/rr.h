/*
 * rr.h: recording and replaying a parallel run (DESIGN.md §4, §6).
 *
 * rr_new (rr_session.h) attaches a recorder or replayer to a machine by
 * filling core's hook table (core/hooks.h) and the per-hart state h->rr;
 * core calls the hooks only when h->rr is set, so `rrv run` keeps its
 * free-running memory path. A replay also brings the run's threads: one
 * per hart replaying its own stream, or one for the serialized scheduler.
 *
 * Recording: every RAM page and the I/O domain (all MMIO devices, one
 * "page") has an owner state; a hart's TLB grants no more than its rights.
 * A hart needing more rights revokes them from the other holders through
 * their mailboxes (they answer at their next safe point with a RELEASE
 * event) and logs ACQUIRE with the RELEASE sequence numbers it depended on.
 * Async inputs (MIP changes, interrupts, time, UART input) are logged where
 * the hart observed them.
 *
 * Replaying: each hart consumes its own stream. Boundary events (logged at a
 * safe point) are applied when the hart reaches their icount; instruction
 * events (logged inside an instruction: ACQUIRE, RELEASE serviced while
 * waiting, TIME, ATOMIC, code invalidations) are consumed by the instruction
 * that needs them. Anything else is a divergence.
 */
#ifndef RRV_REPLAY_RR_H
#define RRV_REPLAY_RR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/hooks.h"
#include "replay/rr_event.h"

struct machine;

/* Exit statuses of `rrv replay` that are not the guest's own. */
#define RRV_EXIT_DIVERGENCE 120
#define RRV_EXIT_CUT_SHORT 121

/* The need hook's result: proceed, or abort the instruction (run stopping). */
enum { RR_OK = HOOK_OK, RR_ABORT = HOOK_ABORT };

/* Rights. */
enum { RR_R = 1, RR_W = 2 };

/* Is a replay attached to m (asynchronous sources muted)? */
bool rr_replaying(const struct machine *m);
/* ... and is it the serialized one (DESIGN.md §6)? */
bool rr_replay_serialized(const struct machine *m);

#endif /* RRV_REPLAY_RR_H */
