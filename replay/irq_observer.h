/* irq_observer.h: what a replay shows about interrupts, per PLIC source, context and hart (`rrv irqs`). */
#ifndef RRV_REPLAY_IRQ_OBSERVER_H
#define RRV_REPLAY_IRQ_OBSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/plic.h"

struct hart;
struct machine;
struct trace_reader;

/*
 * A machine observer (core/hooks.h) attached to a replay: it watches the
 * PLIC's and the UART's registers as the harts access them, the lines the
 * devices raise, traps and xRETs, and the time values the harts read, and
 * keeps counts and the few moments worth going to. Recording costs
 * nothing: all of it comes from replaying the trace. The replay must be
 * serialized (one thread calls the observer).
 */

/* Where something happened: the hart, its icount before the instruction,
 * its pc, the guest time it last read (mtime, 10 MHz; an estimate) and
 * the time t: every hart's icount summed at that moment of the replay. */
struct irqo_at {
	unsigned hart;
	uint64_t icount, pc, mtime, t;
};

/* Every hart's icount at such a moment: a position `goto I0,I1,..` takes
 * exactly (the replay's own, so one the trace's dependencies allow). */
struct irqo_pos {
	unsigned n;
	uint64_t icount[64];
};

#define IRQO_CHAIN 8

enum irqo_change_kind { IRQO_ENABLE, IRQO_DISABLE, IRQO_PRIORITY, IRQO_THRESHOLD };

/* An enable bit, a priority or a threshold that changed. */
struct irqo_change {
	enum irqo_change_kind kind;
	unsigned src, ctx;          /* src 0 for a threshold */
	uint32_t old, now;
	struct irqo_at at;
	struct irqo_pos pos;
};

/* A source left disabled on a context: from the write that disabled it
 * (transient re-enables around a completion, as Linux's PLIC driver does
 * for a disabled line, do not end it) to the end of the run. */
struct irqo_disable {
	bool open;
	unsigned ctx;
	struct irqo_at at;
	struct irqo_pos pos;
	/* The disabling write's call chain (return addresses after the pc),
	 * when the observer has an unwinder. */
	uint64_t chain[IRQO_CHAIN];
	unsigned nchain;
	uint64_t window, unhandled;  /* the last claims up to it (the one in flight included) */
	uint64_t claims_after;       /* of this source, on any context */
	/* UART traffic after it: IIR reads, bytes in and out, and the IIR
	 * reads grouped into service bursts (1 ms apart or more). */
	uint64_t iir_after, rx_after, tx_after, bursts;
	uint64_t gap_median, gap_min, gap_max;  /* mtime ticks between bursts */
};

struct irqo_src {
	uint64_t device_rises, injected;
	uint64_t claims[PLIC_MAX_CONTEXTS];
	uint64_t claims_total, completes;
	/* UART source: claims whose IIR reads (between claim and complete,
	 * on the claiming hart) all said "no interrupt pending". */
	uint64_t unhandled, handled;
	uint64_t peak;               /* claims in the busiest 100 ms */
	struct irqo_at peak_at;      /* where that window starts */
	/* The longest quiet time between two claims after the first (mtime
	 * ticks; Linux forgets unhandled interrupts after 100 ms of it) and
	 * the claim that ended it. */
	uint64_t max_gap;
	struct irqo_at max_gap_at;
	struct irqo_change *changes;
	size_t nchanges, capchanges;
	struct irqo_disable dis;
};

struct irqo_ctx {
	uint64_t claims, zero_claims;
};

#define IRQO_CAUSES 16
struct irqo_hart {
	uint64_t insns;
	uint64_t irqs[IRQO_CAUSES];          /* by interrupt cause code */
	uint64_t handler_insns[IRQO_CAUSES]; /* trap entry to its xRET */
};

struct irqo;

/* Observe m's run (sets m->obs; nothing else of m changes). NULL when out
 * of memory. */
struct irqo *irqo_new(struct machine *m);
void irqo_free(struct irqo *o);

/* Walks a hart's call chain where it stands (the debugger's backtrace
 * walker): the return addresses, outermost last; returns how many. */
typedef unsigned (*irqo_unwind_fn)(void *ctx, struct hart *h, uint64_t *ret, unsigned max);

/* Unwind the hart that disables a source, at the disabling write. */
void irqo_set_unwinder(struct irqo *o, irqo_unwind_fn fn, void *ctx);

/* After the run: sort the claims, find the peaks and gaps. */
void irqo_finish(struct irqo *o, struct trace_reader *tr);

unsigned irqo_ncontexts(const struct irqo *o);
unsigned irqo_nharts(const struct irqo *o);
const struct irqo_src *irqo_source(const struct irqo *o, unsigned src);
const struct irqo_ctx *irqo_context(const struct irqo *o, unsigned ctx);
const struct irqo_hart *irqo_hart(const struct irqo *o, unsigned hart);
/* Threshold changes (per context), in the order they happened. */
const struct irqo_change *irqo_thresholds(const struct irqo *o, size_t *n);
/* Whether anything at all happened to src (raised, claimed, changed). */
bool irqo_source_used(const struct irqo *o, unsigned src);

/* The canonical time t at which hart has retired icount instructions
 * (the inverse of rpl_goto_time; end: each hart's last icount). */
uint64_t irqo_canonical_time(const uint64_t *end, unsigned nharts, unsigned hart,
			     uint64_t icount);

#endif /* RRV_REPLAY_IRQ_OBSERVER_H */
