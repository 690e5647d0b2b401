/* hooks.h: what core calls where recording or replay must act (DESIGN.md §1). */
#ifndef RRV_CORE_HOOKS_H
#define RRV_CORE_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hart;
struct machine;

/*
 * core/ knows nothing about traces: the replay layer fills this table and
 * attaches it to a machine (m->hooks) together with its per-hart state
 * (h->rr), both set or cleared together before the run starts and
 * read-only while it runs. `rrv run` has neither: every call site tests
 * the single pointer h->rr (or m->hooks) first, so a run without a
 * recorder pays one predictable branch on the slow paths and nothing on
 * the fast ones (TLB hit, TB execution).
 *
 * A per-hart hook is called by the thread running that hart.
 */

/* need(): go on, or abort the instruction (the run is stopping). */
enum { HOOK_OK = 0, HOOK_ABORT = 1 };

/* cc_inval() of every page rather than one. */
#define HOOK_PAGE_ALL (~0ull)

/* Why translated code was dropped. Recorded as a trace event's op: the
 * values are part of the trace format (the recorder asserts they match). */
enum hook_cc_reason {
	HOOK_CC_SMC = 1,     /* a store into translated code */
	HOOK_CC_FENCE_I,
	HOOK_CC_SFENCE,      /* mappings changed: jump cache only */
	HOOK_CC_REVOKE,      /* lost read rights to the page */
	HOOK_CC_FULL,        /* the code cache filled up */
};

/* atomic() ops, likewise recorded. */
enum hook_atomic_op { HOOK_AT_AMO = 1, HOOK_AT_LR, HOOK_AT_SC };

struct machine_hooks {
	/* Rights to the page of paddr (RAM page, or for MMIO the I/O
	 * domain): may wait, answering revocations meanwhile; HOOK_ABORT
	 * when the run stops first. Code dropped while waiting sets
	 * h->tb_flush_pending. */
	int (*need)(struct hart *h, uint64_t paddr, bool write);
	/* Whether h may access paddr directly (what a TLB fill may grant). */
	bool (*allows)(const struct hart *h, uint64_t paddr, bool write);

	/* What the guest observes from outside, at h->insn_icount. */
	uint64_t (*time)(struct hart *h, uint64_t host_value); /* rdtime, mtime */
	void (*irq)(struct hart *h, uint64_t cause);       /* before the trap */
	void (*exception)(struct hart *h, uint64_t cause); /* before pc moves */
	void (*atomic)(struct hart *h, uint64_t paddr, unsigned op, bool success);
	void (*cc_inval)(struct hart *h, uint64_t page, unsigned reason);

	/* Core's own hart loop (run, record). safe_point: answer
	 * revocations, inject input; false = the hart must stop. mip: the
	 * async mip bits folded now differ from the last fold. budget:
	 * instructions before the next duty. boundary: exec_run returned at
	 * an instruction boundary. end: the hart's loop is over. parked: a
	 * hart parked for a snapshot answers revocations. */
	bool (*safe_point)(struct hart *h);
	void (*mip)(struct hart *h, uint64_t ext);
	uint64_t (*budget)(struct hart *h, uint64_t want);
	void (*boundary)(struct hart *h);
	void (*end)(struct hart *h, int reason, int code);
	void (*parked)(struct hart *h);

	/* The console, called with ctx. output: a byte the guest wrote
	 * (io_lock held). host_input: bytes the I/O thread read, handed over
	 * instead of queued (a hart injects them at a safe point).
	 * host_input_room: how many more it takes (0 stops reading). */
	void (*output)(void *ctx, uint8_t byte);
	void (*host_input)(void *ctx, const uint8_t *buf, size_t n);
	size_t (*host_input_room)(void *ctx);
	void *ctx;

	/* Replay: no asynchronous sources (no I/O thread, no device mip
	 * changes), and the run ends where the log does, not at the guest's
	 * exit. mute_output: the guest's output is hashed, not printed. */
	bool replaying;
	bool mute_output;

	/* Who drives the harts: NULL thread = core's hart loop, one host
	 * thread per hart. Otherwise machine_run starts `nthreads` threads
	 * (at most the number of harts) and thread i runs thread(m, i). */
	void (*thread)(struct machine *m, unsigned i);
	unsigned nthreads;
};

/*
 * Watching a run from outside without changing it (`rrv irqs` replays a
 * trace with one): set in m->obs before the run, read-only while it runs.
 * Every call site tests m->obs first and lies off the fast paths (MMIO,
 * trap entry, xRET, the replay's time values). Called by the thread of
 * the hart concerned; mmio and line with io_lock held.
 */
struct machine_observer {
	/* A device access, after the device saw it (val: what was written,
	 * or what the read returned). */
	void (*mmio)(void *ctx, struct hart *h, uint64_t paddr, unsigned size,
		     uint64_t val, bool write);
	/* PLIC source src: its line changed to level, or (injected) it was
	 * made pending by fault injection. h: the hart in the I/O domain
	 * (NULL if not known). */
	void (*line)(void *ctx, struct hart *h, unsigned src, bool level,
		     bool injected);
	/* A trap was taken (h->priv is the mode it went to) from mode from. */
	void (*trap)(void *ctx, struct hart *h, uint64_t cause, unsigned from);
	/* An MRET or SRET executed in mode from. */
	void (*xret)(void *ctx, struct hart *h, unsigned from);
	/* The hart read the time (mtime) and got this value. */
	void (*time)(void *ctx, struct hart *h, uint64_t mtime);
	/* A WFI at h->icount found no interrupt and waits (it retires when
	 * one wakes the hart): `rrv export` shows the wait. */
	void (*wfi)(void *ctx, struct hart *h);
	void *ctx;
};

#endif /* RRV_CORE_HOOKS_H */
