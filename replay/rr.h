/*
 * rr.h: recording and replaying a parallel run (DESIGN.md §4, §6).
 *
 * The core calls the hooks below only when h->rr is set (record or replay);
 * `rrv run` leaves it NULL and keeps its free-running memory path.
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
#include <stddef.h>
#include <stdint.h>

#include "replay/rr_event.h"

struct hart;
struct machine;
struct rr;

/* Exit statuses of `rrv replay` that are not the guest's own. */
#define RRV_EXIT_DIVERGENCE 120
#define RRV_EXIT_CUT_SHORT 121

/* Result of rr_need(): proceed, or abort the instruction (run stopping). */
enum { RR_OK = 0, RR_ABORT = 1 };

/* Rights. */
enum { RR_R = 1, RR_W = 2 };

/*
 * Make sure hart h may read (write=false) or write physical address paddr
 * (RAM page or, for MMIO, the I/O domain). Record: acquires through the
 * protocol (may wait and service the mailbox). Replay: consumes the
 * ACQUIRE the log has here, else reports a divergence. *code_dropped is set
 * when servicing the mailbox dropped translated code (the executor must
 * leave the current block after this instruction).
 */
int rr_need(struct hart *h, uint64_t paddr, bool write);

/* Whether h may currently access paddr directly (for TLB fills). */
bool rr_allows(const struct hart *h, uint64_t paddr, bool write);

/* Time observed by the guest (rdtime, CLINT mtime reads). */
uint64_t rr_time(struct hart *h, uint64_t host_value);

/* An interrupt trap is being taken at the current icount. */
void rr_irq(struct hart *h, uint64_t cause);

/* An exception is being taken by the instruction at the current icount
 * (before the trap changes pc). */
void rr_exception(struct hart *h, uint64_t cause);

/* An atomic commit (AMO, LR, SC with its outcome). */
void rr_atomic(struct hart *h, uint64_t paddr, unsigned op, bool success);

/* Translated code was dropped (page or RR_PAGE_ALL) for `reason`. */
void rr_cc_inval(struct hart *h, uint64_t page, unsigned reason);


/*
 * Safe-point work of a recording hart: answer revocations, inject input,
 * fold the async mip bits (logging MIP), then let the caller check for
 * interrupts. Returns false when the hart must stop.
 */
bool rr_record_safe_point(struct hart *h);

/* A recording hart parked for a snapshot answers revocations. */
void rr_record_parked(struct hart *h);

/* The async mip bits folded at this safe point changed (record). */
void rr_record_mip(struct hart *h, uint64_t ext);

/* After exec_run returned at an instruction boundary (digests). */
void rr_record_boundary(struct hart *h);

/* Instructions a recording hart may run before its next duty. */
uint64_t rr_record_budget(struct hart *h, uint64_t want);

/* The hart's thread is ending: final DIGEST and END. */
void rr_record_end(struct hart *h, int reason, int code);

/* Replay: how many instructions the hart may run before its next event. */
uint64_t rr_replay_budget(struct hart *h, uint64_t want);

/* Parallel replay: a hart's thread body (replaces hart_thread). */
void *rr_replay_thread(void *arg);

/* Serialized replay: one thread replays every hart in the canonical
 * order (DESIGN.md §6). */
bool rr_replay_serialized(const struct machine *m);
void rr_replay_serial_run(struct machine *m);

/* The guest wrote a byte to the console (UART or HTIF). */
void rr_output(struct rr *rr, uint8_t byte);

/* Record: the I/O thread got host input; it is queued, not injected. */
void rr_host_input(struct rr *rr, const uint8_t *buf, size_t n);
/* Room for more host input (the I/O thread stops reading when 0). */
size_t rr_host_input_room(struct rr *rr);

/* Replay mutes asynchronous sources: is this machine replaying? */
bool rr_replaying(const struct machine *m);

#endif /* RRV_REPLAY_RR_H */
