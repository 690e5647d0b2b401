/*
 * rr.c: the recorder: page ownership (CREW) with revocation mailboxes, and
 * the hooks that log every observation a hart makes (DESIGN.md §4).
 *
 * Threads: each hart thread owns its struct rr_hart; other threads touch
 * only the mailbox (slot[], mail) and, in replay, `applied`. Page states
 * are changed under the page's spin lock. While waiting for anything, a
 * hart keeps answering its own mailbox: that is what rules out deadlock.
 */
#include "replay/rr_internal.h"

#include <assert.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hart.h"
#include "core/mmu.h"
#include "core/tb.h"
#include "core/trap.h"
#include "devices/clint.h"
#include "devices/plic.h"
#include "devices/uart.h"

/* An LR's reservation holds off revocations of its page this long. */
#define RR_RESV_GRACE 64
/* Polls of an answer or a page lock before sleeping on the bell, and the
 * longest sleep (stopping and pauses are checked between sleeps). */
#define RR_WAIT_SPINS 64
#define RR_WAIT_SLEEP_NS 1000000L
/* The longest sleep after a PAUSE (spin_sleep). */
#define SPIN_SLEEP_NS 100000ull
/* With run tokens: instructions between slice checks (~0.5 ms). */
#define RR_SCHED_QUANTUM 100000ull

/* Domain index (rr_internal.h): RAM page p is p+1, a hart's mtimecmp
 * slot (any access inside it touches that register only, devices/clint.c)
 * its own domain, other devices 0. *tracked is false for the boot ROM,
 * which is immutable and needs no ownership. */
uint64_t rr_page_index(const struct rr *rr, uint64_t paddr, bool *tracked)
{
	*tracked = true;
	if (paddr >= RAM_BASE && paddr - RAM_BASE < rr->npages * PAGE_SIZE)
		return ((paddr - RAM_BASE) >> PAGE_SHIFT) + 1;
	if (paddr >= BOOTROM_BASE && paddr < BOOTROM_BASE + BOOTROM_SIZE) {
		*tracked = false;
		return 0;
	}
	uint64_t cmp = CLINT_BASE + CLINT_MTIMECMP_OFF;
	if (rr->timecmp && paddr >= cmp && paddr - cmp < 8ull * rr->nharts)
		return rr_timecmp_index(rr, (unsigned)((paddr - cmp) / 8));
	return 0;
}

/* The page number events carry: physical page, RR_PAGE_IO, or a hart's
 * TRACE_PAGE_TIMECMP0 + hart. */
_Static_assert(MAX_HARTS <= TRACE_PAGE_TIMECMP_N, "a page number for every hart's mtimecmp");
uint64_t rr_index_page(const struct rr *rr, uint64_t idx)
{
	if (idx > rr->npages)
		return TRACE_PAGE_TIMECMP0 + (idx - rr_timecmp_index(rr, 0));
	return idx ? (RAM_BASE >> PAGE_SHIFT) + idx - 1 : RR_PAGE_IO;
}

/* The icount events are logged at: the instruction in progress, or the
 * boundary the hart is at. */
uint64_t rr_cur_icount(const struct hart *h)
{
	return h->insn_icount;
}

static uint64_t mix64(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 33);
}

uint64_t rr_digest(const struct hart *h)
{
	uint64_t d = mix64(0x52525644ull, h->rr->obs_hash);
	for (unsigned i = 1; i < 32; i++)
		d = mix64(d, h->x[i]);
	for (unsigned i = 0; i < 32; i++)
		d = mix64(d, h->f[i]);
	const uint64_t csrs[] = {
		h->pc, h->priv, h->icount, h->mstatus, h->mie, h->mip,
		h->medeleg, h->mideleg, h->mtvec, h->mepc, h->mcause,
		h->mtval, h->mscratch, h->stvec, h->sepc, h->scause,
		h->stval, h->sscratch, h->satp, h->fflags, h->frm,
	};
	for (unsigned i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++)
		d = mix64(d, csrs[i]);
	return d;
}

static void emit_raw(struct rr_hart *rh, struct trace_event *ev)
{
	rh->rr->ops->emit(rh->rr->ops_ctx, rh->id, ev);
	rh->seq++;
	rh->exc_count = 0;
}

static void emit(struct rr_hart *rh, struct trace_event *ev, bool insn)
{
	ev->icount = rr_cur_icount(rh->h);
	/* A hart asleep in WFI is inside that instruction: what it observes
	 * there (MIP, revocations, input) belongs to the WFI, which replay
	 * must have executed before applying it. */
	ev->insn = insn || rh->h->in_wfi;
	/* A boundary event after an exception at this same icount: replay
	 * must take those exceptions first (an exception retires nothing,
	 * so the icount alone would put the event before the trapping
	 * instruction). Events inside an instruction need no marker: the
	 * instruction that consumes them orders them. */
	if (!ev->insn && rh->exc_count && rh->exc_icount == ev->icount) {
		struct trace_event t = {
			.kind = TRACE_EV_TRAP, .icount = ev->icount, .insn = true,
			.value = rh->exc_cause, .addr = rh->exc_pc,
			.len = (uint32_t)(rh->exc_count > UINT32_MAX ? UINT32_MAX : rh->exc_count),
		};
		emit_raw(rh, &t);
	}
	emit_raw(rh, ev);
}

void rr_observed(struct rr_hart *rh, const void *data, size_t len)
{
	const uint8_t *p = data;
	for (size_t i = 0; i < len; i++)
		rh->obs_hash = mix64(rh->obs_hash, p[i]);
}

/* Events logged outside a safe point happen inside an instruction. */
static bool in_insn(const struct rr_hart *rh)
{
	return !rh->at_boundary;
}

static void rr_cc_inval(struct hart *h, uint64_t page, unsigned reason);

/*
 * Give up rights to page idx down to `keep` (0 or RR_R): drop the TLB
 * entries that grant more, the code translated from it when read rights
 * go, and a reservation on it.
 */
void rr_drop_page(struct rr_hart *rh, uint64_t idx, uint8_t keep)
{
	struct hart *h = rh->h;
	struct rr *rr = rh->rr;
	uint64_t paddr = rr_index_page(rr, idx) << PAGE_SHIFT;
	rh->rights[idx] = keep;
	if (rr_index_is_device(rr, idx))
		return; /* device domains are never in the TLB */
	mmu_tlb_drop_page(h, paddr, keep & RR_R);
	if (h->resv_valid && (h->resv_addr >> PAGE_SHIFT) == (paddr >> PAGE_SHIFT))
		h->resv_valid = false;
	if (!(keep & RR_R) && tb_page_has_code(h, paddr)) {
		tb_invalidate_page(h, paddr);
		h->tb_flush_pending = true;
		rr_cc_inval(h, paddr >> PAGE_SHIFT, RR_CC_REVOKE);
	}
}

/* Answer the revocation requests in this hart's mailbox (record). */
void rr_service_mailbox(struct rr_hart *rh, bool may_defer)
{
	struct hart *h = rh->h;
	uint64_t bits = atomic_exchange_explicit(&rh->mail, 0, memory_order_acquire);
	if (!rh->deferred)
		rh->defer_start = h->icount;
	bits |= rh->deferred;
	rh->deferred = 0;
	while (bits) {
		unsigned a = (unsigned)__builtin_ctzll(bits);
		bits &= bits - 1;
		struct rr_slot *s = &rh->slot[a];
		uint64_t paddr = rr_index_page(rh->rr, s->idx) << PAGE_SHIFT;
		/* A fresh reservation holds the page a little longer, so an
		 * LR/SC loop can complete (forward progress). */
		/* Only once per episode: a spinning LR keeps renewing its
		 * reservation and must not starve the requester. */
		if (may_defer && h->resv_valid &&
		    (h->resv_addr >> PAGE_SHIFT) == (paddr >> PAGE_SHIFT) &&
		    h->icount - rh->resv_icount < RR_RESV_GRACE &&
		    h->icount - rh->defer_start < RR_RESV_GRACE) {
			rh->deferred |= 1ull << a;
			continue;
		}
		uint8_t keep = (s->want == RR_R && !rr_index_is_device(rh->rr, s->idx)) ? RR_R : 0;
		keep &= rh->rights[s->idx];
		struct trace_event ev = { .kind = TRACE_EV_RELEASE, .page = rr_index_page(rh->rr, s->idx), .mode = keep };
		/* The RELEASE comes first: its sequence number is the ack. */
		uint64_t seq = rh->seq;
		emit(rh, &ev, in_insn(rh));
		rr_drop_page(rh, s->idx, keep);
		s->ack_seq = seq;
		atomic_store_explicit(&s->state, SLOT_ACKED, memory_order_release);
		rr_wait_wake(&rh->rr->harts[a]->bell);
		rh->stats.releases++;
	}
}

void rr_park(struct rr_hart *rh)
{
	atomic_store_explicit(&rh->self, RR_SELF_PARKED, memory_order_release);
}

bool rr_unpark(struct rr_hart *rh)
{
	int v = RR_SELF_PARKED;
	unsigned n = 0;
	while (!atomic_compare_exchange_weak_explicit(&rh->self, &v, RR_SELF_RUN,
						      memory_order_acquire,
						      memory_order_relaxed)) {
		if (v == RR_SELF_RUN)
			return false;
		/* A proxy is answering for us: a few microseconds, unless
		 * its thread was preempted. */
		if (v == RR_SELF_PROXY && ++n > 64)
			sched_yield();
		v = RR_SELF_PARKED;
	}
	return true;
}

/*
 * Answer the mailbox of hart t, asleep, on its behalf: exactly what t's
 * thread would do on waking (its RELEASEs go into its own stream at its
 * own icount), without waiting for the host to schedule it. The claim
 * (acquire) and the hand-back (release) order our work after everything
 * t did before parking and before everything it does after waking.
 */
static bool try_proxy(struct rr_hart *t)
{
	int v = RR_SELF_PARKED;
	if (atomic_load_explicit(&t->self, memory_order_relaxed) != RR_SELF_PARKED ||
	    !atomic_compare_exchange_strong_explicit(&t->self, &v, RR_SELF_PROXY,
						     memory_order_acquire,
						     memory_order_relaxed))
		return false;
	bool answered = false;
	if (atomic_load_explicit(&t->mail, memory_order_acquire)) {
		rr_service_mailbox(t, false);
		t->stats.proxied++;
		answered = true;
	}
	atomic_store_explicit(&t->self, RR_SELF_PARKED, memory_order_release);
	if (answered && atomic_load_explicit(&t->spin_sleeping, memory_order_acquire))
		hart_kick(t->h);
	return true;
}

/*
 * One round of waiting for a holder's answer in *state: answer our own
 * mailbox; after a few polls, sleep until a request or an answer rings
 * this hart's bell. With more harts than host cores the holder is often
 * a thread that is not running: polling, or sched_yield (which picks no
 * particular thread), kept the CPU from it; sleeping hands it over, and
 * with run tokens hands the token to the holder if it waits for one.
 */
static void wait_round(struct rr_hart *rh, unsigned *spins, const _Atomic int *state,
		       unsigned holder)
{
	rr_service_mailbox(rh, false);
	if (try_proxy(rh->rr->harts[holder]))
		return;
	if (++*spins <= RR_WAIT_SPINS)
		return;
	uint32_t gen = rr_wait_prepare(&rh->bell);
	if (atomic_load_explicit(&rh->mail, memory_order_seq_cst) ||
	    atomic_load_explicit(state, memory_order_seq_cst) == SLOT_ACKED ||
	    rr_stopping(rh->rr)) {
		rr_wait_cancel(&rh->bell);
		return;
	}
	rr_sched_give(rh, (int)holder);
	rr_park(rh);
	rr_wait_sleep(&rh->bell, gen, RR_WAIT_SLEEP_NS);
	rr_unpark(rh);
}

/*
 * Take page pg's transfer lock, answering our mailbox meanwhile (its
 * holder may be waiting for us). After a few polls the hart sleeps on its
 * bell with its bit in lock_waiters, which unlock_page rings. False when
 * the run is stopping.
 */
static bool lock_page(struct rr_hart *rh, struct rr_page *pg)
{
	uint64_t self = 1ull << rh->id;
	unsigned spins = 0;
	while (atomic_flag_test_and_set_explicit(&pg->lock, memory_order_acquire)) {
		if (rr_stopping(rh->rr))
			return false;
		rr_service_mailbox(rh, false);
		if (++spins <= RR_WAIT_SPINS)
			continue;
		/* seq_cst against unlock_page's clear-then-read: either it
		 * sees our bit, or our second try sees the lock free. */
		atomic_fetch_or_explicit(&pg->lock_waiters, self, memory_order_seq_cst);
		uint32_t gen = rr_wait_prepare(&rh->bell);
		bool got = !atomic_flag_test_and_set_explicit(&pg->lock, memory_order_seq_cst);
		if (got || atomic_load_explicit(&rh->mail, memory_order_seq_cst)) {
			rr_wait_cancel(&rh->bell);
		} else {
			rr_sched_give(rh, -1);
			rr_park(rh);
			rr_wait_sleep(&rh->bell, gen, RR_WAIT_SLEEP_NS);
			rr_unpark(rh);
		}
		atomic_fetch_and_explicit(&pg->lock_waiters, ~self, memory_order_relaxed);
		if (got)
			return true;
	}
	return true;
}

static void unlock_page(struct rr *rr, struct rr_page *pg)
{
	atomic_flag_clear_explicit(&pg->lock, memory_order_seq_cst);
	for (uint64_t w = atomic_load_explicit(&pg->lock_waiters, memory_order_seq_cst);
	     w; w &= w - 1)
		rr_wait_wake(&rr->harts[__builtin_ctzll(w)]->bell);
}

static int record_acquire(struct rr_hart *rh, uint64_t idx, uint64_t paddr, uint8_t want)
{
	struct rr *rr = rh->rr;
	struct rr_page *pg = &rr->pages[idx];
	unsigned spins = 0;
	uint64_t self = 1ull << rh->id;
	uint64_t t0 = rr->pstats ? rr_stats_now() : 0, t1 = 0;

	if (!lock_page(rh, pg))
		return RR_ABORT;
	uint64_t conflict = want == RR_W ? pg->holders & ~self :
			    (pg->excl ? pg->holders & ~self : 0);
	if (rr->pstats)
		t1 = rr_stats_now();
	for (uint64_t b = conflict; b; b &= b - 1) {
		unsigned j = (unsigned)__builtin_ctzll(b);
		struct rr_slot *s = &rr->harts[j]->slot[rh->id];
		s->idx = idx;
		s->want = want;
		atomic_store_explicit(&s->state, SLOT_POSTED, memory_order_release);
		atomic_fetch_or_explicit(&rr->harts[j]->mail, self, memory_order_seq_cst);
		/* A holder asleep (in WFI, or waiting itself) is answered for
		 * at once; one awake gets a kick and its bell rung (it may be
		 * about to sleep: it must answer). */
		if (try_proxy(rr->harts[j]))
			continue;
		hart_kick(rr->harts[j]->h);
		rr_wait_wake(&rr->harts[j]->bell);
	}
	struct trace_event ev = { .kind = TRACE_EV_ACQUIRE, .page = rr_index_page(rr, idx), .mode = want };
	for (uint64_t b = conflict; b; b &= b - 1) {
		unsigned j = (unsigned)__builtin_ctzll(b);
		struct rr_slot *s = &rr->harts[j]->slot[rh->id];
		while (atomic_load_explicit(&s->state, memory_order_acquire) != SLOT_ACKED) {
			if (rr_stopping(rr)) {
				unlock_page(rr, pg);
				return RR_ABORT;
			}
			wait_round(rh, &spins, &s->state, j);
		}
		ev.deps[ev.ndeps].hart = j;
		ev.deps[ev.ndeps].seq = s->ack_seq;
		ev.ndeps++;
		atomic_store_explicit(&s->state, SLOT_FREE, memory_order_relaxed);
		if (pg->excl) {
			pg->has_wdep = true;
			pg->wdep = ev.deps[ev.ndeps - 1];
		}
	}
	/* Joining readers: ordered after the last writer's RELEASE too. */
	if (!conflict && pg->has_wdep && pg->wdep.hart != rh->id) {
		ev.deps[ev.ndeps++] = pg->wdep;
	}
	if (rr->pstats)
		rr_stats_acquire(rh, idx, paddr, want, (unsigned)__builtin_popcountll(conflict),
				 t1 - t0, rr_stats_now() - t1);
	if (want == RR_W) {
		pg->holders = self;
		pg->excl = true;
	} else {
		pg->holders |= self;
		pg->excl = false;
	}
	unlock_page(rr, pg);
	rh->rights[idx] |= want == RR_W ? (RR_R | RR_W) : RR_R;
	emit(rh, &ev, in_insn(rh));
	return RR_OK;
}

/*
 * Record: rights to page idx, and a run token to go on with if the wait
 * gave it away. The token wait must not answer revocations: the page is
 * needed by this instruction, and its ACQUIRE already logged (replay
 * expects the access next). Requesters that then sleep waiting for this
 * hart hand it their tokens.
 */
static int record_need(struct rr_hart *rh, uint64_t idx, uint64_t paddr, uint8_t want)
{
	if ((rh->rights[idx] & want) != want) {
		int r = record_acquire(rh, idx, paddr, want);
		if (r != RR_OK)
			return r;
	}
	rr_sched_take(rh, false);
	return RR_OK;
}

/* The need hook. Record: acquire through the protocol (may wait, serving
 * the mailbox). Replay: consume the ACQUIRE the log has here, else report
 * a divergence. */
static int rr_need(struct hart *h, uint64_t paddr, bool write)
{
	struct rr_hart *rh = h->rr;
	bool tracked;
	uint64_t idx = rr_page_index(rh->rr, paddr, &tracked);
	if (!tracked)
		return RR_OK;
	uint8_t want = (write || rr_index_is_device(rh->rr, idx)) ? RR_W : RR_R;
	if ((rh->rights[idx] & want) == want)
		return RR_OK;
	if (rh->rr->replay)
		return rr_replay_need(rh, idx, want);
	return record_need(rh, idx, paddr, want);
}

static bool rr_allows(const struct hart *h, uint64_t paddr, bool write)
{
	const struct rr_hart *rh = h->rr;
	bool tracked;
	uint64_t idx = rr_page_index(rh->rr, paddr, &tracked);
	if (!tracked)
		return !write;
	return rh->rights[idx] & (write ? RR_W : RR_R);
}

/* Record: log the host's value. Replay: the recorded one instead. */
static uint64_t rr_time(struct hart *h, uint64_t host_value)
{
	struct rr_hart *rh = h->rr;
	struct trace_event ev = { .kind = TRACE_EV_TIME, .value = host_value };
	if (rh->rr->replay) {
		if (!rr_replay_take(rh, TRACE_EV_TIME, &ev))
			return host_value;
	} else {
		emit(rh, &ev, true);
	}
	rr_observed(rh, &ev.value, sizeof(ev.value));
	struct machine *m = rh->rr->m;
	if (m->obs && m->obs->time)
		m->obs->time(m->obs->ctx, h, ev.value);
	return ev.value;
}

static void rr_irq(struct hart *h, uint64_t cause)
{
	struct rr_hart *rh = h->rr;
	struct trace_event ev = { .kind = TRACE_EV_IRQ, .value = cause, .addr = h->pc };
	h->insn_icount = h->icount;
	if (!rh->rr->replay) {
		emit(rh, &ev, false);
		return;
	}
	if (rr_replay_take(rh, TRACE_EV_IRQ, &ev) &&
	    (ev.value != cause || ev.addr != h->pc))
		rr_replay_report(rh, "interrupt cause %#llx at pc %#llx, but the "
				 "recording took cause %#llx at pc %#llx",
				 (unsigned long long)cause,
				 (unsigned long long)h->pc,
				 (unsigned long long)ev.value,
				 (unsigned long long)ev.addr);
}

/* Record: count it for the TRAP marker of the next boundary event. */
static void rr_exception(struct hart *h, uint64_t cause)
{
	struct rr_hart *rh = h->rr;
	if (rh->rr->replay) {
		rr_replay_exception(rh, cause);
		return;
	}
	if (!rh->exc_count || rh->exc_icount != h->icount) {
		rh->exc_icount = h->icount;
		rh->exc_count = 0;
	}
	/* A guest in a trap loop stays at one icount; the count saturates
	 * in the marker, so only its first 4G exceptions are told apart. */
	rh->exc_count++;
	rh->exc_cause = cause;
	rh->exc_pc = h->pc;
}

static void rr_atomic(struct hart *h, uint64_t paddr, unsigned op, bool success)
{
	struct rr_hart *rh = h->rr;
	struct trace_event ev = { .kind = TRACE_EV_ATOMIC, .addr = paddr, .op = (uint8_t)op, .success = success };
	if (op == RR_AT_LR)
		rh->resv_icount = h->icount;
	if (!rh->rr->replay) {
		emit(rh, &ev, true);
		/* Requests held back for the reservation are due now. */
		if (op == RR_AT_SC && rh->deferred)
			atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
		return;
	}
	if (rr_replay_take(rh, TRACE_EV_ATOMIC, &ev) &&
	    (ev.addr != paddr || ev.op != op || ev.success != success))
		rr_replay_report(rh, "atomic op %u at %#llx %s, but the recording "
				 "had op %u at %#llx %s", op,
				 (unsigned long long)paddr,
				 success ? "succeeded" : "failed", ev.op,
				 (unsigned long long)ev.addr,
				 ev.success ? "succeeded" : "failed");
}

bool rr_cc_is_architectural(unsigned reason)
{
	return reason == RR_CC_FENCE_I || reason == RR_CC_SFENCE;
}

static void rr_cc_inval(struct hart *h, uint64_t page, unsigned reason)
{
	struct rr_hart *rh = h->rr;
	struct trace_event ev = { .kind = TRACE_EV_CC_INVAL, .page = page, .op = (uint8_t)reason };
	if (!rh->rr->replay) {
		emit(rh, &ev, true);
		return;
	}
	/* The other reasons depend on where blocks were cut and how full
	 * the cache is, which differ in replay: history, not checked. */
	if (!rr_cc_is_architectural(reason))
		return;
	if (rr_replay_take(rh, TRACE_EV_CC_INVAL, &ev) &&
	    (ev.page != page || ev.op != reason))
		rr_replay_report(rh, "code invalidation of page %#llx (reason %u), "
				 "but the recording dropped page %#llx (reason %u)",
				 (unsigned long long)page, reason,
				 (unsigned long long)ev.page, ev.op);
}

/* Move waiting host input into the UART's queue, logged as INPUT. */
static bool inject_input(struct rr_hart *rh)
{
	struct rr *rr = rh->rr;
	struct machine *m = rr->m;
	pthread_mutex_lock(&rr->in_lock);
	size_t have = rr->in_len;
	pthread_mutex_unlock(&rr->in_lock);
	if (!have)
		return true;
	if (rr_need(rh->h, UART_BASE, true) != RR_OK)
		return false;
	struct trace_event ev = { .kind = TRACE_EV_INPUT };
	pthread_mutex_lock(&m->io_lock);
	size_t room = sizeof(m->inq) - UART_FIFO_SIZE - m->inq_len;
	if (m->inq_len > sizeof(m->inq) - UART_FIFO_SIZE)
		room = 0;
	pthread_mutex_lock(&rr->in_lock);
	while (ev.len < TRACE_MAX_INPUT && ev.len < room && rr->in_len) {
		ev.bytes[ev.len++] = rr->inbuf[rr->in_head];
		rr->in_head = (rr->in_head + 1) % sizeof(rr->inbuf);
		rr->in_len--;
	}
	bool more = rr->in_len > 0;
	pthread_mutex_unlock(&rr->in_lock);
	if (ev.len) {
		rr_observed(rh, ev.bytes, ev.len);
		machine_input_push(m, ev.bytes, ev.len);
		emit(rh, &ev, false);
	}
	pthread_mutex_unlock(&m->io_lock);
	if (more && ev.len)
		atomic_store_explicit(&rh->h->exit_request, 1, memory_order_relaxed);
	return true;
}

/* Any hart: the raise --inject spurious-irq owes by now, if no other hart
 * took it and it would take, logged as INPUT to the PLIC (replay makes the
 * source pending at the same point). */
static bool inject_irqs(struct rr_hart *rh)
{
	struct machine *m = rh->rr->m;
	/* A raise that would find the source pending or claimed changes
	 * nothing: skip it unlogged (no I/O-domain handshake for it), as
	 * the replay, which never sees it, does too. */
	if (!machine_inject_due(m) || !machine_inject_owed(m))
		return true;
	if (rr_need(rh->h, PLIC_BASE, true) != RR_OK)
		return false;
	unsigned src = m->cfg.spurious_src;
	struct trace_event ev = { .kind = TRACE_EV_INPUT, .op = RR_INPUT_PLIC,
				  .len = 1, .bytes = { (uint8_t)src } };
	pthread_mutex_lock(&m->io_lock);
	/* Another hart may have had the domain, and claimed, meanwhile. */
	if (machine_inject_irq(m, rh->h, src)) {
		rr_observed(rh, ev.bytes, ev.len);
		emit(rh, &ev, false);
	}
	pthread_mutex_unlock(&m->io_lock);
	return true;
}

/* Safe-point work of a recording hart: answer revocations, inject input
 * (core then folds the async mip bits and checks for interrupts). */
static bool rr_record_safe_point(struct hart *h)
{
	struct rr_hart *rh = h->rr;
	bool ok = true;
	rr_unpark(rh);
	h->insn_icount = h->icount;
	rh->at_boundary = true;
	rr_service_mailbox(rh, true);
	/* Input goes to hart 0, which the I/O thread kicks; spurious raises
	 * to whichever hart gets there first (machine.c says why). */
	if (rh->id == 0)
		ok = inject_input(rh);
	ok = ok && inject_irqs(rh);
	/* A hart in WFI is about to sleep: it needs no token there (the
	 * budget hook takes one again before it runs). */
	if (h->in_wfi)
		rr_sched_give(rh, -1);
	rh->at_boundary = false;
	return ok;
}

static void rr_record_parked(struct hart *h)
{
	struct rr_hart *rh = h->rr;
	rr_unpark(rh);
	h->insn_icount = h->icount;
	rh->at_boundary = true;
	rr_service_mailbox(rh, false);
	rh->at_boundary = false;
}

static void rr_record_mip(struct hart *h, uint64_t ext)
{
	struct trace_event ev = { .kind = TRACE_EV_MIP, .value = ext };
	h->insn_icount = h->icount;
	emit(h->rr, &ev, false);
}

/*
 * The guest spins (it ran a PAUSE): a spin loop reads memory this hart
 * holds, and what it waits for cannot change before another hart takes
 * one of those pages from it (a revocation, which another hart answers
 * for it while it sleeps parked, and then wakes it), an interrupt comes
 * (a kick; one already pending and enabled means no sleep) or the time
 * moves on. With more harts than host CPUs the hart that would end the
 * spin is often one whose thread is not running: sleeping a little gives
 * it the CPU, where spinning kept it. A spin on the time alone (udelay)
 * goes on after SPIN_SLEEP_NS. Timing only: the hart executes the same
 * instructions; only fewer of them spin.
 */
static void spin_sleep(struct rr_hart *rh)
{
	struct hart *h = rh->h;
	struct machine *m = h->m;
	atomic_store_explicit(&h->exit_request, 0, memory_order_seq_cst);
	atomic_store_explicit(&rh->spin_sleeping, 1, memory_order_seq_cst);
	/* The hart's own state is read before it parks: from then on a
	 * proxy may answer its mailbox (and clear `deferred`). Later
	 * changes to async_mip kick it. */
	uint64_t async = atomic_load_explicit(&h->async_mip, memory_order_acquire);
	bool quiet = !rh->deferred && (async & HART_ASYNC_MIP) == h->mip_ext &&
		     !trap_wfi_wakeup(h);
	rh->at_boundary = true;
	rr_park(rh);
	bool sleep = quiet && !atomic_load_explicit(&rh->mail, memory_order_seq_cst) &&
		     !rr_stopping(rh->rr) &&
		     !atomic_load_explicit(&m->pause.requested, memory_order_acquire);
	if (sleep) {
		/* Asleep it needs no run token (the budget hook takes one
		 * again before the hart runs). */
		rr_sched_give(rh, -1);
		hart_nap(h, SPIN_SLEEP_NS);
	}
	rr_unpark(rh);
	rh->stats.spin_sleeps += sleep;
	atomic_store_explicit(&rh->spin_sleeping, 0, memory_order_relaxed);
	rh->at_boundary = false;
	/* The hart's loop goes through its safe point next. */
	atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
}

/* Requests held back too long for a reservation are answered; DIGESTs. */
static void rr_record_boundary(struct hart *h)
{
	struct rr_hart *rh = h->rr;
	h->insn_icount = h->icount;
	if (rh->deferred && h->icount - rh->defer_start >= RR_RESV_GRACE) {
		rh->at_boundary = true;
		rr_service_mailbox(rh, false);
		rh->at_boundary = false;
	}
	if (h->icount >= rh->next_digest) {
		struct trace_event ev = { .kind = TRACE_EV_DIGEST, .value = rr_digest(h) };
		emit(rh, &ev, false);
		rh->next_digest = h->icount + rh->rr->digest_every;
	}
	if (h->spin_hint) {
		h->spin_hint = false;
		rh->stats.spin_hints++;
		if (!h->in_wfi)
			spin_sleep(rh);
	}
	/* A WFI ends the block and core's loop sleeps next: without the
	 * token (the budget hook takes one again before the hart runs). */
	if (h->in_wfi) {
		rr_sched_give(rh, -1);
		/* Asleep in WFI it answers at a boundary inside the WFI, as
		 * its own safe point would: anyone may do it for it. */
		rh->at_boundary = true;
		rr_park(rh);
	}
}

static uint64_t rr_record_budget(struct hart *h, uint64_t want)
{
	struct rr_hart *rh = h->rr;
	if (rr_unpark(rh))
		rh->at_boundary = false;
	if (rh->rr->sched.on) {
		h->insn_icount = h->icount;
		rh->at_boundary = true;
		rr_sched_slice(rh);
		rh->at_boundary = false;
		/* Come back often enough to see the slice's end. */
		if (want > RR_SCHED_QUANTUM)
			want = RR_SCHED_QUANTUM;
	}
	uint64_t left = rh->next_digest > h->icount ? rh->next_digest - h->icount : 1;
	if (rh->deferred) {
		uint64_t due = rh->defer_start + RR_RESV_GRACE;
		uint64_t d = due > h->icount ? due - h->icount : 1;
		/* exec_run returns at `due`; rr_record_boundary answers. */
		if (d < left)
			left = d;
	}
	return want < left ? want : left;
}

/* The hart's loop is over: final DIGEST and END. */
static void rr_record_end(struct hart *h, int reason, int code)
{
	struct rr_hart *rh = h->rr;
	rr_unpark(rh);
	rh->at_boundary = false;
	h->insn_icount = h->icount;
	struct trace_event ev = { .kind = TRACE_EV_DIGEST, .value = rr_digest(h) };
	emit(rh, &ev, false);
	struct trace_event end = { .kind = TRACE_EV_END, .op = (uint8_t)reason, .value = (uint64_t)code };
	emit(rh, &end, false);
	rr_sched_give(rh, -1);
}

static void rr_output(void *ctx, uint8_t byte)
{
	struct rr *rr = ctx;
	rr->out_hash = mix64(rr->out_hash, byte);
	rr->out_bytes++;
}

/* Record: host input is queued here until hart 0 injects it. */
static void rr_host_input(void *ctx, const uint8_t *buf, size_t n)
{
	struct rr *rr = ctx;
	pthread_mutex_lock(&rr->in_lock);
	for (size_t i = 0; i < n && rr->in_len < sizeof(rr->inbuf); i++) {
		rr->inbuf[(rr->in_head + rr->in_len) % sizeof(rr->inbuf)] = buf[i];
		rr->in_len++;
	}
	pthread_mutex_unlock(&rr->in_lock);
	hart_kick(rr->harts[0]->h);
}

static size_t rr_host_input_room(void *ctx)
{
	struct rr *rr = ctx;
	pthread_mutex_lock(&rr->in_lock);
	size_t room = sizeof(rr->inbuf) - rr->in_len;
	pthread_mutex_unlock(&rr->in_lock);
	return room;
}

bool rr_replaying(const struct machine *m)
{
	return machine_replaying(m);
}

uint64_t rr_output_hash(const struct rr *rr)
{
	return rr->out_hash;
}

uint64_t rr_output_bytes(const struct rr *rr)
{
	return rr->out_bytes;
}

const char *rr_divergence(const struct rr *rr)
{
	return atomic_load_explicit(&rr->diverged, memory_order_acquire) ?
	       rr->divergence : NULL;
}

bool rr_cut_short(const struct rr *rr)
{
	return atomic_load_explicit(&rr->cut_short, memory_order_acquire);
}

/* Serialized replay: the run's only thread. */
static void serial_thread(struct machine *m, unsigned i)
{
	(void)i;
	rr_replay_serial_run(m);
}

/* What core calls: the same functions record and replay (each tells the
 * two apart itself); a replay also runs the harts on its own threads. */
static void fill_hooks(struct rr *rr, const struct rr_options *opt)
{
	rr->hooks = (struct machine_hooks){
		.need = rr_need, .allows = rr_allows, .time = rr_time,
		.irq = rr_irq, .exception = rr_exception, .atomic = rr_atomic,
		.cc_inval = rr_cc_inval,
		.safe_point = rr_record_safe_point, .mip = rr_record_mip,
		.budget = rr_record_budget, .boundary = rr_record_boundary,
		.end = rr_record_end, .parked = rr_record_parked,
		.output = rr_output, .host_input = rr_host_input,
		.host_input_room = rr_host_input_room,
		.ctx = rr,
		.replaying = opt->replay,
		.mute_output = opt->replay && opt->quiet,
	};
	if (opt->replay) {
		rr->hooks.thread = opt->serial ? serial_thread : rr_replay_thread;
		rr->hooks.nthreads = opt->serial ? 1 : rr->nharts;
	}
}

struct rr *rr_new(struct machine *m, const struct rr_options *opt,
		  const struct rr_stream_ops *ops, void *ops_ctx, char *err,
		  size_t errlen)
{
	struct rr *rr = calloc(1, sizeof(*rr));
	if (!rr) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	rr->m = m;
	rr->replay = opt->replay;
	rr->serial = opt->serial;
	rr->quiet = opt->quiet;
	rr->digest_every = opt->digest_every ? opt->digest_every : 1000000;
	rr->ops = ops;
	rr->ops_ctx = ops_ctx;
	rr->npages = m->ram_size >> PAGE_SHIFT;
	rr->nharts = m->nharts;
	/* A trace from before format 1.2 kept mtimecmp in the I/O domain. */
	rr->timecmp = !opt->replay || !ops->format || ops->format(ops_ctx) >= 2;
	rr->ndomains = 1 + rr->npages + (rr->timecmp ? rr->nharts : 0);
	rr->out_hash = 0x6f7574707574ull;
	pthread_mutex_init(&rr->in_lock, NULL);
	rr->pages = calloc(rr->ndomains, sizeof(*rr->pages));
	if (!rr->pages)
		goto oom;
	for (uint64_t i = 0; i < rr->ndomains; i++)
		atomic_flag_clear(&rr->pages[i].lock);
	for (unsigned i = 0; i < m->nharts; i++) {
		struct rr_hart *rh = calloc(1, sizeof(*rh));
		if (!rh)
			goto oom;
		rr->harts[i] = rh;
		rh->rr = rr;
		rh->id = i;
		rh->h = m->harts[i];
		rh->next_digest = rr->digest_every;
		rh->rights = calloc(rr->ndomains, 1);
		if (!rh->rights)
			goto oom;
		m->harts[i]->rr = rh;
	}
	if (opt->stats && !opt->replay && !rr_stats_init(rr))
		goto oom;
	rr_sched_init(rr);
	fill_hooks(rr, opt);
	m->hooks = &rr->hooks;
	m->rr = rr;
	return rr;
oom:
	snprintf(err, errlen, "out of memory for the ownership tables");
	rr_free(rr);
	return NULL;
}

void rr_free(struct rr *rr)
{
	if (!rr)
		return;
	rr_stats_free(rr);
	for (unsigned i = 0; i < rr->nharts; i++) {
		if (!rr->harts[i])
			continue;
		if (rr->harts[i]->h)
			rr->harts[i]->h->rr = NULL;
		free(rr->harts[i]->rights);
		free(rr->harts[i]);
	}
	if (rr->m->rr == rr) {
		rr->m->rr = NULL;
		rr->m->hooks = NULL;
	}
	free(rr->pages);
	pthread_mutex_destroy(&rr->in_lock);
	free(rr);
}
