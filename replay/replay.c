/*
 * replay.c: replaying a recorded run, in parallel or serialized (DESIGN.md §6).
 *
 * Each hart consumes its own stream. Boundary events are applied when the
 * hart reaches their icount; instruction events are taken by the
 * instruction that needs them (rr_replay_need, rr_replay_take). An ACQUIRE
 * first waits until every hart it depends on has published an `applied`
 * count past the named RELEASE. Anything the log does not explain is a
 * divergence, reported once with the hart, icount, pc and recent events.
 */
#include "replay/rr_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/exec.h"
#include "core/hart.h"
#include "core/hdbg.h"
#include "core/trap.h"

#define STUCK_NS 5000000000ull     /* parallel: no progress anywhere this long */
/* Parallel: polls of a dependency before sleeping on it, and the longest
 * sleep (the stuck and stopping checks run between sleeps). */
#define WAIT_SPINS 64
#define WAIT_SLEEP_NS 20000000L

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void stop_all(struct rr *rr)
{
	struct machine *m = rr->m;
	atomic_store_explicit(&m->stop, 1, memory_order_release);
	for (unsigned i = 0; i < rr->nharts; i++) {
		hart_kick(rr->harts[i]->h);
		rr_wait_wake(&rr->harts[i]->published);
	}
}

static int describe(char *buf, size_t len, const struct trace_event *e)
{
	int n = snprintf(buf, len, "#%s icount %" PRIu64 "%s", trace_kind_name(e->kind),
			 e->icount, e->insn ? " (in insn)" : "");
	if (n < 0 || (size_t)n >= len)
		return n;
	size_t o = (size_t)n;
	switch (e->kind) {
	case TRACE_EV_ACQUIRE:
	case TRACE_EV_RELEASE:
		o += (size_t)snprintf(buf + o, len - o, " page %#" PRIx64 " mode %u",
				      e->page, e->mode);
		for (uint32_t i = 0; i < e->ndeps && o < len; i++)
			o += (size_t)snprintf(buf + o, len - o, " dep %u:%" PRIu64,
					      e->deps[i].hart, e->deps[i].seq);
		break;
	case TRACE_EV_TIME: case TRACE_EV_MIP: case TRACE_EV_DIGEST:
		o += (size_t)snprintf(buf + o, len - o, " value %#" PRIx64, e->value);
		break;
	case TRACE_EV_IRQ:
	case TRACE_EV_TRAP:
		o += (size_t)snprintf(buf + o, len - o, " cause %#" PRIx64 " pc %#" PRIx64,
				      e->value, e->addr);
		break;
	case TRACE_EV_INPUT:
		o += (size_t)snprintf(buf + o, len - o, " %u %s", e->len,
				      e->op == RR_INPUT_PLIC ? "PLIC sources" : "bytes");
		break;
	default:
		break;
	}
	return (int)o;
}

void rr_replay_report(struct rr_hart *rh, const char *fmt, ...)
{
	struct rr *rr = rh->rr;
	int expect = 0;
	if (!atomic_compare_exchange_strong(&rr->diverged, &expect, 1))
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	size_t o = (size_t)snprintf(rr->divergence, sizeof(rr->divergence),
			"divergence on hart %u at icount %" PRIu64 ", pc %#" PRIx64 ": %s",
			rh->id, rh->h->insn_icount, rh->h->pc, msg);
	unsigned first = rh->nhist > RR_HISTORY ? rh->nhist - RR_HISTORY : 0;
	if (rh->nhist && o < sizeof(rr->divergence))
		o += (size_t)snprintf(rr->divergence + o, sizeof(rr->divergence) - o,
				      "\n  last events of hart %u:", rh->id);
	for (unsigned i = first; i < rh->nhist && o < sizeof(rr->divergence); i++) {
		char d[256];
		describe(d, sizeof(d), &rh->hist[i % RR_HISTORY]);
		o += (size_t)snprintf(rr->divergence + o, sizeof(rr->divergence) - o,
				      "\n    seq %" PRIu64 " %s",
				      rh->seq - (rh->nhist - i), d);
	}
	if (rh->have_ev && o < sizeof(rr->divergence)) {
		char d[256];
		describe(d, sizeof(d), &rh->ev);
		snprintf(rr->divergence + o, sizeof(rr->divergence) - o,
			 "\n  next in the log: %s", d);
	}
	stop_all(rr);
}

static void consumed(struct rr_hart *rh);

/* The hart's next event; false when its stream has ended. */
static bool peek(struct rr_hart *rh)
{
	/* A hart stopped by a cut-short stream (its own or one it waits on)
	 * has nothing more to replay, even with an event in hand. */
	if (rh->ended || rh->cut_short)
		return false;
	for (;;) {
		if (rh->have_ev)
			return true;
		if (!rh->rr->ops->next(rh->rr->ops_ctx, rh->id, &rh->ev)) {
			rh->cut_short = true;
			atomic_store_explicit(&rh->rr->cut_short, 1, memory_order_release);
			return false;
		}
		rh->have_ev = true;
		/* Code-cache history: passed over where it stands (it only
		 * follows RELEASEs or precedes later events, so counting it
		 * applied early unblocks no dependency). */
		if (rh->ev.kind == TRACE_EV_CC_INVAL && !rr_cc_is_architectural(rh->ev.op))
			consumed(rh);
	}
}

static void consumed(struct rr_hart *rh)
{
	rh->hist[rh->nhist++ % RR_HISTORY] = rh->ev;
	rh->have_ev = false;
	rh->seq++;
	atomic_store_explicit(&rh->applied, rh->seq, memory_order_release);
	if (rh->rr->serial)
		rh->rr->serial_progress++; /* one thread: a plain counter */
}

/* ---- applying events ---- */

static bool page_to_index(struct rr_hart *rh, uint64_t page, uint64_t *idx)
{
	struct rr *rr = rh->rr;
	if (page == RR_PAGE_IO) {
		*idx = 0;
		return true;
	}
	int t = trace_page_timecmp_hart(page);
	if (rr->timecmp && t >= 0 && (unsigned)t < rr->nharts) {
		*idx = rr_timecmp_index(rr, (unsigned)t);
		return true;
	}
	uint64_t first = RAM_BASE >> PAGE_SHIFT;
	if (page < first || page - first >= rr->npages) {
		rr_replay_report(rh, "the log names page %#" PRIx64 ", which is not RAM",
				 page);
		return false;
	}
	*idx = page - first + 1;
	return true;
}

/* The first dependency of the ACQUIRE in rh->ev not applied yet, or -1. */
static int unmet_dep(const struct rr_hart *rh)
{
	const struct trace_event *e = &rh->ev;
	for (uint32_t i = 0; i < e->ndeps; i++) {
		const struct rr_hart *o = rh->rr->harts[e->deps[i].hart];
		if (atomic_load_explicit(&o->applied, memory_order_acquire) <= e->deps[i].seq)
			return (int)i;
	}
	return -1;
}

/*
 * Parallel replay: sleep until hart o publishes past dependency d (or
 * finishes), at most WAIT_SLEEP_NS. Only RELEASEs are named by
 * dependencies (a TRAP marker just before one can be: the RELEASE right
 * after it wakes), so o wakes sleepers only then and at its end; the
 * events it applies in between stay one store each.
 */
static void sleep_on(struct rr_hart *rh, struct rr_hart *o, const struct trace_dep *d)
{
	uint32_t gen = rr_wait_prepare(&o->published);
	if (atomic_load_explicit(&o->applied, memory_order_acquire) > d->seq ||
	    atomic_load_explicit(&o->finished, memory_order_acquire) ||
	    rr_stopping(rh->rr)) {
		rr_wait_cancel(&o->published);
		return;
	}
	rr_wait_sleep(&o->published, gen, WAIT_SLEEP_NS);
}

static void report_unreached(struct rr_hart *rh, const struct trace_dep *d)
{
	rr_replay_report(rh, "waiting for event %" PRIu64 " of hart %u, which the "
			 "replay never reaches", d->seq, d->hart);
}

/*
 * Make sure every dependency of the ACQUIRE in rh->ev has been applied:
 * parallel replay waits for the other threads, serialized replay lets the
 * other harts run meanwhile. False when the ACQUIRE cannot be applied.
 */
static bool wait_deps(struct rr_hart *rh)
{
	struct rr *rr = rh->rr;
	const struct trace_event *e = &rh->ev;
	for (uint32_t i = 0; i < e->ndeps; i++)
		if (e->deps[i].hart >= rr->nharts || e->deps[i].hart == rh->id) {
			rr_replay_report(rh, "ACQUIRE depends on hart %u, which is "
					 "not another hart of this machine", e->deps[i].hart);
			return false;
		}
	uint64_t t0 = 0, seen = 0;
	unsigned spins = 0;
	int k;
	while ((k = unmet_dep(rh)) >= 0) {
		const struct trace_dep *d = &e->deps[k];
		struct rr_hart *o = rr->harts[d->hart];
		if (rr_stopping(rr))
			return false;
		/* That hart is done and will never get there: because its
		 * stream was cut short (the run simply ends here), or because
		 * the log is inconsistent. */
		if (atomic_load_explicit(&o->finished, memory_order_acquire) &&
		    atomic_load_explicit(&o->applied, memory_order_acquire) <= d->seq) {
			if (atomic_load_explicit(&rr->cut_short, memory_order_acquire)) {
				rh->cut_short = true; /* this hart's replay ends here too */
				return false;
			}
			rr_replay_report(rh, "waiting for event %" PRIu64 " of hart %u, "
					 "whose stream ended before it", d->seq, d->hart);
			return false;
		}
		if (rr->serial) {
			/* Give every other hart a turn; if none of them moved,
			 * none ever will (unless they are parked for a snapshot:
			 * the scheduler then runs the one this hart waits on). */
			uint64_t before = rr->serial_progress;
			rh->waiting = true;
			rh->waiting_on = *d;
			rr_serial_yield(rh);
			rh->waiting = false;
			if (!rr_stopping(rr) && rr->serial_progress == before &&
			    !atomic_load_explicit(&rr->m->pause.requested, memory_order_acquire)) {
				report_unreached(rh, d);
				return false;
			}
			continue;
		}
		uint64_t a = atomic_load_explicit(&o->applied, memory_order_relaxed);
		if (a != seen || !t0) {
			seen = a;
			t0 = now_ns();
		} else if (now_ns() - t0 > STUCK_NS &&
			   (o->ended || o->cut_short || now_ns() - t0 > 4 * STUCK_NS)) {
			report_unreached(rh, d);
			return false;
		}
		/* A hart waits mostly for one whose thread is not running
		 * (more harts than host cores): polling would keep the CPU
		 * from it. Poll a little for a RELEASE that is about to come,
		 * then sleep until the holder applies one. */
		if (++spins > WAIT_SPINS)
			sleep_on(rh, o, d);
	}
	return true;
}

static bool apply_acquire(struct rr_hart *rh)
{
	uint64_t idx;
	if (!page_to_index(rh, rh->ev.page, &idx))
		return false;
	if (rh->ev.mode != RR_R && rh->ev.mode != RR_W) {
		rr_replay_report(rh, "ACQUIRE with impossible mode %u", rh->ev.mode);
		return false;
	}
	if (!wait_deps(rh))
		return false;
	rh->rights[idx] |= rh->ev.mode == RR_W ? (RR_R | RR_W) : RR_R;
	consumed(rh);
	return true;
}

static bool apply_release(struct rr_hart *rh)
{
	uint64_t idx;
	if (!page_to_index(rh, rh->ev.page, &idx))
		return false;
	uint8_t keep = rh->ev.mode & RR_R;
	consumed(rh);
	if (!rh->rr->serial)
		rr_wait_wake(&rh->published);
	rr_drop_page(rh, idx, keep);
	return true;
}

/*
 * After an event consumed inside an instruction (or a block fetch): if the
 * log has a boundary event at the same icount, the recording reached a safe
 * point before this instruction retired (a kick between fetching a block and
 * its first memory access). Leave exec_run at that same safe point.
 */
static void stop_if_boundary_next(struct rr_hart *rh)
{
	if (peek(rh) && rh->ev.icount == rh->h->insn_icount && !rh->ev.insn)
		atomic_store_explicit(&rh->h->exit_request, 1, memory_order_relaxed);
}

int rr_replay_need(struct rr_hart *rh, uint64_t idx, uint8_t want)
{
	struct hart *h = rh->h;
	for (;;) {
		if (rr_stopping(rh->rr) || !peek(rh))
			return RR_ABORT;
		const struct trace_event *e = &rh->ev;
		/* The recording stopped inside this instruction (it was
		 * waiting, answering revocations, when the run ended): its
		 * final DIGEST and END follow at this icount. */
		if ((e->kind == TRACE_EV_END || (e->kind == TRACE_EV_DIGEST && !e->insn)) &&
		    e->icount == h->insn_icount)
			return RR_ABORT;
		if (e->icount != h->insn_icount ||
		    (e->kind != TRACE_EV_ACQUIRE && e->kind != TRACE_EV_RELEASE)) {
			char pg[32];
			rr_replay_report(rh, "access to page %s (%s) that the "
					 "log never authorized",
					 trace_page_name(rr_index_page(rh->rr, idx), pg, sizeof(pg)),
					 want == RR_W ? "write" : "read");
			return RR_ABORT;
		}
		if (e->kind == TRACE_EV_RELEASE) {
			if (!apply_release(rh))
				return RR_ABORT;
			continue;
		}
		uint64_t got;
		if (!page_to_index(rh, e->page, &got))
			return RR_ABORT;
		if (got != idx) {
			char want_pg[32], log_pg[32];
			rr_replay_report(rh, "access to page %s but the log "
					 "acquires page %s here",
					 trace_page_name(rr_index_page(rh->rr, idx), want_pg, sizeof(want_pg)),
					 trace_page_name(e->page, log_pg, sizeof(log_pg)));
			return RR_ABORT;
		}
		if (!apply_acquire(rh))
			return RR_ABORT;
		if ((rh->rights[idx] & want) == want) {
			stop_if_boundary_next(rh);
			return RR_OK;
		}
	}
}

bool rr_replay_take(struct rr_hart *rh, unsigned kind, struct trace_event *out)
{
	if (rr_stopping(rh->rr) || !peek(rh))
		return false;
	if (rh->ev.icount != rh->h->insn_icount || rh->ev.kind != kind) {
		rr_replay_report(rh, "the replay observes %s here, the log does not",
				 trace_kind_name(kind));
		return false;
	}
	*out = rh->ev;
	consumed(rh);
	stop_if_boundary_next(rh);
	return true;
}

/*
 * An exception at the current icount. When the log's next event is a TRAP
 * marker here, the recording took this many exceptions before the boundary
 * events that follow it: count this one off.
 */
void rr_replay_exception(struct rr_hart *rh, uint64_t cause)
{
	struct hart *h = rh->h;
	if (rr_stopping(rh->rr) || !peek(rh) || rh->ev.kind != TRACE_EV_TRAP ||
	    rh->ev.icount != h->icount)
		return;
	if (--rh->ev.len)
		return;
	if (rh->ev.value != cause || rh->ev.addr != h->pc) {
		rr_replay_report(rh, "exception cause %#" PRIx64 " at pc %#" PRIx64
				 ", but the recording took cause %#" PRIx64
				 " at pc %#" PRIx64, cause, h->pc, rh->ev.value,
				 rh->ev.addr);
		return;
	}
	consumed(rh);
}

enum { BOUNDARY_GO, BOUNDARY_STOP };

/* Apply every boundary event at the hart's current icount. */
static int process_boundary(struct rr_hart *rh)
{
	struct hart *h = rh->h;
	struct machine *m = rh->rr->m;
	h->insn_icount = h->icount;
	for (;;) {
		if (rr_stopping(rh->rr) || !peek(rh))
			return BOUNDARY_STOP;
		const struct trace_event *e = &rh->ev;
		if (e->icount < h->icount) {
			rr_replay_report(rh, "the replay went past an event the "
					 "recording had at icount %" PRIu64, e->icount);
			return BOUNDARY_STOP;
		}
		if (e->icount > h->icount || (e->insn && !h->in_wfi) ||
		    e->kind == TRACE_EV_IRQ)
			return BOUNDARY_GO;
		switch (e->kind) {
		case TRACE_EV_END:
			consumed(rh);
			rh->ended = true;
			return BOUNDARY_STOP;
		case TRACE_EV_RELEASE:
			if (!apply_release(rh))
				return BOUNDARY_STOP;
			break;
		case TRACE_EV_ACQUIRE:
			if (!apply_acquire(rh))
				return BOUNDARY_STOP;
			break;
		case TRACE_EV_MIP:
			h->mip_ext = e->value & HART_ASYNC_MIP;
			h->mip = (h->mip & ~HART_ASYNC_MIP) | h->mip_ext | h->mip_sw_seip;
			consumed(rh);
			break;
		case TRACE_EV_INPUT:
			if (!(rh->rights[0] & RR_W)) {
				rr_replay_report(rh, "INPUT without holding the I/O domain");
				return BOUNDARY_STOP;
			}
			rr_observed(rh, e->bytes, e->len);
			pthread_mutex_lock(&m->io_lock);
			m->io_hart = h;
			if (e->op == RR_INPUT_PLIC) {
				for (uint32_t i = 0; i < e->len; i++)
					machine_inject_irq(m, h, e->bytes[i]);
			} else {
				machine_input_push(m, e->bytes, e->len);
			}
			pthread_mutex_unlock(&m->io_lock);
			consumed(rh);
			break;
		case TRACE_EV_DIGEST: {
			uint64_t d = rr_digest(h);
			if (d != e->value) {
				rr_replay_report(rh, "state digest %#" PRIx64 " differs from "
						 "the recording's %#" PRIx64, d, e->value);
				return BOUNDARY_STOP;
			}
			consumed(rh);
			break;
		}
		default:
			rr_replay_report(rh, "%s is not a boundary event",
					 trace_kind_name(e->kind));
			return BOUNDARY_STOP;
		}
	}
}

/* How many instructions the hart may run before its next event. */
static uint64_t replay_budget(struct hart *h, uint64_t want)
{
	struct rr_hart *rh = h->rr;
	uint64_t left = want;
	if (peek(rh)) {
		const struct trace_event *e = &rh->ev;
		uint64_t d = e->icount - h->icount + (e->insn ? 1 : 0);
		if (d < left)
			left = d;
	}
	return left;
}

/*
 * Replay hart rh for about `quantum` instructions: apply the events due,
 * take the interrupts the log has, run to the next event. False when its
 * replay is over (end of its log, a divergence, a cut-short trace).
 */
bool rr_replay_step(struct rr_hart *rh, uint64_t quantum)
{
	struct hart *h = rh->h;
	struct rr *rr = rh->rr;
	uint64_t start = h->icount;
	for (;;) {
		/* Requests to reach a safe point (own CSR writes, xRET) are
		 * served right here; nothing asynchronous kicks a replay. */
		atomic_store_explicit(&h->exit_request, 0, memory_order_relaxed);
		if (rr_replay_may_park(rh)) {
			rh->parked = true;
			return true;
		}
		if (rr_stopping(rr) || process_boundary(rh) == BOUNDARY_STOP)
			return false;
		if (h->in_wfi) {
			if (!trap_wfi_wakeup(h)) {
				rr_replay_report(rh, "WFI waits forever: the recording "
						 "woke it here");
				return false;
			}
			h->in_wfi = false;
			h->pc += 4;
			h->icount++;
			h->insn_icount = h->icount;
		}
		trap_check_interrupt(h);
		if (peek(rh) && rh->ev.kind == TRACE_EV_IRQ && rh->ev.icount == h->icount) {
			rr_replay_report(rh, "the recording took an interrupt (cause %#"
					 PRIx64 ") here, the replay does not", rh->ev.value);
			return false;
		}
		uint64_t ran = h->icount - start;
		/* stop_soon: the debugger wants this hart at a boundary (it
		 * waited inside an instruction when everything stopped). */
		if (ran >= quantum || rh->stop_soon) {
			rh->stop_soon = false;
			return true;
		}
		uint64_t budget = replay_budget(h, quantum - ran);
		struct machine_pause *p = &rr->m->pause;
		bool icount_trigger = rh->id == p->at_hart && p->at_icount && !p->fired;
		if (icount_trigger && p->at_icount - h->icount < budget)
			budget = p->at_icount - h->icount;
		if (icount_trigger && h->icount >= p->at_icount) {
			p->fired = true;
			machine_request_pause(rr->m);
			/* Back to the scheduler (or the hart thread) now, which
			 * parks for the pause: running on with the rest of the
			 * quantum put the cut up to a million instructions past
			 * the trigger. */
			return true;
		}
		if (!budget)
			continue;
		uint64_t before = h->icount;
		h->insn_icount = h->icount;
		exec_run(h, budget);
		if (rr->serial)
			rr->serial_progress += h->icount - before;
		/* A debugger stop condition: the hart is at an instruction
		 * boundary inside what would have been one exec_run, where no
		 * event is due and no interrupt pending, so stopping here is
		 * the same state as a stop by count. */
		if (h->dbg && h->dbg->hit)
			return true;
	}
}

bool rr_replay_may_park(const struct rr_hart *rh)
{
	return rh->rr->serial &&
	       atomic_load_explicit(&rh->rr->m->pause.requested, memory_order_acquire) &&
	       rh->seq >= rh->run_to_seq;
}

void rr_replay_thread(struct machine *m, unsigned i)
{
	struct rr_hart *rh = m->harts[i]->rr;
	while (rr_replay_step(rh, RR_REPLAY_QUANTUM))
		;
	atomic_store_explicit(&rh->finished, 1, memory_order_release);
	rr_wait_wake(&rh->published);
}
