/* rr_internal.h: state shared by the recorder and the replayer (replay/ only). */
#ifndef RRV_REPLAY_RR_INTERNAL_H
#define RRV_REPLAY_RR_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "core/machine.h"
#include "replay/rr.h"
#include "replay/rr_sched.h"
#include "replay/rr_session.h"
#include "replay/rr_wait.h"

/*
 * Ownership of one page (or the I/O domain): the set of harts holding it
 * and whether the single holder has it exclusively. Changed only under
 * `lock` by the hart acquiring it, after every conflicting holder has
 * acknowledged (DESIGN.md §4.1).
 */
struct rr_page {
	atomic_flag lock;
	/* Bit per hart sleeping until `lock` is cleared (rr.c lock_page):
	 * set and cleared by each sleeper for itself, read by the unlocker. */
	_Atomic uint64_t lock_waiters;
	uint64_t holders;
	bool excl;
	/* The RELEASE that ended the last exclusive period: a reader that
	 * joins a shared page later must still be ordered after that write. */
	bool has_wdep;
	struct trace_dep wdep;
};

/* A revocation request from hart `a`, in slot[a] of the holder. */
enum { SLOT_FREE, SLOT_POSTED, SLOT_ACKED };
struct rr_slot {
	_Atomic int state;   /* requester: FREE->POSTED; holder: ->ACKED */
	uint64_t idx;        /* page index; written before POSTED */
	uint8_t want;
	uint64_t ack_seq;    /* holder's RELEASE; written before ACKED */
};

#define RR_HISTORY 8

/* Record --stats (rr_stats.c): handshakes by the code that caused them. */
struct rr_pc_count {
	uint64_t pc, handshakes, wait_ns;
};
#define RR_STATS_PCS 4096
/* Waits binned by length: < 10 us, < 100 us, < 1 ms, >= 1 ms (the last:
 * a holder whose host thread was not running, on a busy host). */
#define RR_STATS_BINS 4
struct rr_rec_stats {
	uint64_t acquires, handshakes, releases;
	uint64_t wait_ns, lock_ns, max_wait_ns;
	uint64_t bins[RR_STATS_BINS];
	struct rr_pc_count *pcs;  /* RR_STATS_PCS, open addressing */
	uint64_t pcs_full;        /* handshakes not counted by pc */
	/* Run tokens (rr_sched.c): takes that had to wait, and how long;
	 * tokens given away at a slice's end. */
	uint64_t tok_waits, tok_ns, tok_slices;
	uint64_t proxied;         /* mailbox rounds answered by another hart */
	/* PAUSEs that ended a block, and the sleeps after them (rr.c
	 * spin_sleep: the others had a request or interrupt to answer). */
	uint64_t spin_hints, spin_sleeps;
};

/* Record --stats: one page's transfers, written by the acquiring hart
 * under the page's lock, read after every hart's thread has joined. */
struct rr_page_stats {
	uint32_t acquires, writes, handshakes;
	uint32_t harts;           /* bit per hart that acquired it (harts < 32) */
	uint64_t pc, wait_ns;     /* last acquiring pc; time waiting for it */
	uint64_t paddr;           /* the address that last caused an acquire */
};

/*
 * Per-hart recorder/replayer state. Owned by the hart's thread, except:
 * slot[] and `mail` (requesters post, this hart answers), `applied`
 * (published to other replaying harts).
 */
struct rr_hart {
	struct rr *rr;
	struct hart *h;
	unsigned id;
	uint8_t *rights;          /* RR_R | RR_W per page index */
	uint64_t seq;             /* events emitted (record) / applied (replay) */
	struct rr_slot slot[MAX_HARTS];
	_Atomic uint64_t mail;    /* bit a: slot[a] is POSTED */
	uint64_t deferred;        /* requests held back for a fresh LR */
	uint64_t resv_icount;     /* icount of the last LR */
	uint64_t defer_start;     /* icount when the current deferral began */
	uint64_t next_digest;
	bool at_boundary;         /* in a safe point, not an instruction */
	/* Hash of every value observed from outside (TIME, INPUT): part of
	 * each DIGEST, so a changed value in the log cannot go unnoticed. */
	uint64_t obs_hash;
	/* Record: exceptions taken at icount exc_icount since the last
	 * event (the last one's cause and pc), for the TRAP marker. */
	uint64_t exc_icount, exc_count, exc_cause, exc_pc;
	struct rr_rec_stats stats; /* record --stats */
	/* Record: this hart's thread sleeps here while it waits for an
	 * answer or a page lock; rung by requesters after posting to its
	 * mailbox, by holders after answering its request, by unlock_page. */
	struct rr_wait bell;
	/* Record with run tokens (rr_sched.c): RR_TOK_*, and when this
	 * hart's slice began (ns). */
	_Atomic int tok;
	uint64_t slice_start;
	/* Record: RR_SELF_*. A hart asleep (on its bell, or in WFI) is
	 * PARKED: another hart that wants one of its pages may claim it
	 * (PROXY) and answer its mailbox for it, instead of waiting for
	 * its thread to be scheduled (rr.c try_proxy). */
	_Atomic int self;
	/* Record: asleep after a PAUSE (rr.c spin_sleep), parked; whoever
	 * answers its mailbox for it also wakes it (its spin may be over). */
	_Atomic int spin_sleeping;
	/* Replay. */
	_Atomic uint64_t applied; /* events applied, published (release) */
	_Atomic int finished;     /* this hart's replay thread is done */
	/* Parallel replay: harts waiting for `applied` to pass one of this
	 * hart's RELEASEs (or for it to finish) sleep here; this hart's
	 * thread bumps it after each RELEASE and at its end, stop_all after
	 * a divergence. */
	struct rr_wait published;
	struct trace_event ev;       /* the next event, when have_ev */
	bool have_ev, ended, cut_short;
	struct trace_event hist[RR_HISTORY];
	unsigned nhist;
	/* Serialized replay stopping for a snapshot (replay/serial.c): the
	 * hart has parked at a boundary; it may park only once it has
	 * applied run_to_seq events (another hart waits for one of them);
	 * while it waits itself, on which event. */
	bool parked;
	uint64_t run_to_seq;
	/* Serialized replay: instructions per step (the engine sets it), and
	 * "end this step at the next boundary" (the engine's settle). */
	uint64_t quantum;
	bool stop_soon;
	bool waiting;
	struct trace_dep waiting_on;
};

struct rr {
	struct machine *m;
	/* What core calls (m->hooks points here); ctx is this struct. */
	struct machine_hooks hooks;
	bool replay, serial, quiet;
	uint64_t digest_every;
	/* Ownership domains (indexes into pages[] and every hart's
	 * rights[]): 0 is the I/O domain, 1..npages the RAM pages, then
	 * with timecmp (format 1.2) one per hart's CLINT mtimecmp: a hart
	 * writes its own on every timer it sets (OpenSBI's set_timer), and
	 * in the I/O domain every such write was a handshake. */
	uint64_t npages;          /* RAM pages */
	uint64_t ndomains;        /* 1 + npages (+ nharts with timecmp) */
	bool timecmp;
	struct rr_page *pages;
	struct rr_page_stats *pstats; /* record --stats, else NULL */
	struct rr_hart *harts[MAX_HARTS];
	unsigned nharts;
	struct rr_sched sched;    /* record: run tokens */
	const struct rr_stream_ops *ops;
	void *ops_ctx;

	/* Console output: hash and count (under the I/O domain). */
	uint64_t out_hash, out_bytes;

	/* Record: host input waiting to be injected by a hart. */
	pthread_mutex_t in_lock;
	uint8_t inbuf[4096];
	size_t in_head, in_len;

	/* Replay: first divergence wins. */
	_Atomic int diverged;
	char divergence[2048];
	_Atomic int cut_short;

	/* Serialized replay (replay/serial.c): the harts' coroutines, and
	 * events applied plus instructions run by all of them (one thread:
	 * plain fields). */
	struct rr_serial *serial_ctx;
	uint64_t serial_progress;

};

/* The machine is stopping (exit, divergence): waits must give up. */
static inline bool rr_stopping(const struct rr *rr)
{
	return atomic_load_explicit(&rr->m->stop, memory_order_acquire);
}

uint64_t rr_page_index(const struct rr *rr, uint64_t paddr, bool *tracked);
uint64_t rr_index_page(const struct rr *rr, uint64_t idx);
/* Hart h's mtimecmp domain (only with rr->timecmp). */
static inline uint64_t rr_timecmp_index(const struct rr *rr, unsigned h)
{
	return rr->npages + 1 + h;
}
/* A domain that is not a RAM page: held exclusively, never in a TLB. */
static inline bool rr_index_is_device(const struct rr *rr, uint64_t idx)
{
	return idx == 0 || idx > rr->npages;
}
uint64_t rr_digest(const struct hart *h);
void rr_drop_page(struct rr_hart *rh, uint64_t idx, uint8_t keep);
uint64_t rr_cur_icount(const struct hart *h);
void rr_observed(struct rr_hart *rh, const void *data, size_t len);
/* Record: answer the revocation requests in rh's mailbox (may_defer: a
 * fresh LR reservation may hold its page a little longer). */
void rr_service_mailbox(struct rr_hart *rh, bool may_defer);
/* Record: rh's thread goes to sleep and lets others answer for it; wakes
 * and takes itself back (true if it was parked). */
enum { RR_SELF_RUN, RR_SELF_PARKED, RR_SELF_PROXY };
void rr_park(struct rr_hart *rh);
bool rr_unpark(struct rr_hart *rh);
/* CC_INVAL reasons that follow from the instruction stream (FENCE.I,
 * SFENCE.VMA); the others are code-cache history that replay skips. */
bool rr_cc_is_architectural(unsigned reason);

/* Record --stats (rr_stats.c): allocate the tables; count an ACQUIRE
 * (under the page's lock) and an answered revocation. */
bool rr_stats_init(struct rr *rr);
void rr_stats_free(struct rr *rr);
uint64_t rr_stats_now(void);
void rr_stats_acquire(struct rr_hart *rh, uint64_t idx, uint64_t paddr, uint8_t want,
		      unsigned nconflict, uint64_t lock_ns, uint64_t wait_ns);

/* Replay helpers (replay.c). */
void rr_replay_report(struct rr_hart *rh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int rr_replay_need(struct rr_hart *rh, uint64_t idx, uint8_t want);
bool rr_replay_take(struct rr_hart *rh, unsigned kind, struct trace_event *out);
/* Replay rh for about `quantum` instructions; false when its replay is over. */
#define RR_REPLAY_QUANTUM 100000ull
bool rr_replay_step(struct rr_hart *rh, uint64_t quantum);
/* Serialized replay: rh waits; the other harts get a turn first. */
void rr_serial_yield(struct rr_hart *rh);
/* The harts' coroutines, driven one at a time: resume runs hart i until it
 * yields (its step done, or waiting for another hart). reset starts every
 * coroutine afresh (all harts between steps). */
struct rr_serial *rr_serial_new(struct rr *rr);
void rr_serial_free(struct rr_serial *s, struct rr *rr);
void rr_serial_resume(struct rr_serial *s, unsigned i);
int rr_serial_reset(struct rr_serial *s, struct rr *rr);
void rr_replay_exception(struct rr_hart *rh, uint64_t cause);
/* Serialized replay: a snapshot was requested and rh may park here. */
bool rr_replay_may_park(const struct rr_hart *rh);

/* Parallel replay: the run's thread i replays hart i (hooks.thread). */
void rr_replay_thread(struct machine *m, unsigned i);
/* Serialized replay: one thread replays every hart in the canonical
 * order (DESIGN.md §6). */
void rr_replay_serial_run(struct machine *m);

#endif /* RRV_REPLAY_RR_INTERNAL_H */
