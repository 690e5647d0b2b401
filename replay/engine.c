/*
 * engine.c: the time-travel engine: running harts to positions of a trace
 * (pulls, the canonical schedule, reach), checkpoints on the way, opening.
 * The movements made of these are in engine_move.c (see engine.h).
 *
 * A forward movement leaves every hart "clean": between two rr_replay_step
 * calls of its coroutine, not inside an instruction (settle); going back
 * may leave one waiting inside an instruction (below). A hart's position
 * is its icount and the number of its events applied (seq); its state
 * there is a function of the trace alone. Moving hart i to an icount makes
 * the harts it waits for run just far enough (pull). Going back restores
 * the nearest checkpoint not after the target and runs to the target with
 * every hart limited to it; a hart that would have to wait for an event
 * beyond another hart's limit (it depended on an undone instruction) has
 * its own limit lowered to before the waiting instruction, and the run is
 * made again. A hart lowered so may have given events away while it
 * waited inside that instruction (answering revocations); a hart that
 * needs those lets it start the instruction and stay waiting inside it
 * (inside_ok), rather than going back too: reverse-stepi then moves only
 * the harts that really depended on the undone instructions.
 */
#include "replay/engine.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hart.h"
#include "core/hdbg.h"
#include "core/riscv.h"
#include "logs/trace.h"
#include "replay/engine_ckpt.h"
#include "replay/rr_internal.h"
#include "replay/rr_open.h"
#include "replay/rr_trace.h"

#include "replay/engine_internal.h"

uint64_t rpl_pos_time(const struct rpl_pos *p)
{
	uint64_t t = 0;
	for (unsigned i = 0; i < p->nharts; i++)
		t += p->icount[i];
	return t;
}

struct machine *rpl_machine(struct rpl *e) { return e->m; }
struct trace_reader *rpl_trace(struct rpl *e) { return e->tr; }
unsigned rpl_nharts(const struct rpl *e) { return e->n; }

void rpl_capture_console(struct rpl *e, int fd)
{
	e->m->cfg.output_fd = fd;
	e->rr->hooks.mute_output = fd < 0;
}

void rpl_position(const struct rpl *e, struct rpl_pos *out)
{
	memset(out, 0, sizeof(*out));
	out->nharts = e->n;
	for (unsigned i = 0; i < e->n; i++) {
		/* A hart waiting inside an instruction has counted its whole
		 * block already; it stands before that instruction. */
		const struct rr_hart *rh = e->rr->harts[i];
		out->icount[i] = rh->waiting ? rh->h->insn_icount : rh->h->icount;
		out->seq[i] = rh->waiting ? 0 : rh->seq;
	}
}

void rpl_end_position(const struct rpl *e, struct rpl_pos *out)
{
	*out = e->end;
}

bool engine_finished(const struct rpl *e, unsigned i)
{
	return atomic_load_explicit(&e->rr->harts[i]->finished, memory_order_relaxed);
}

enum rpl_hart_state rpl_hart_state(const struct rpl *e, unsigned hart)
{
	if (engine_finished(e, hart) || e->rr->harts[hart]->ended)
		return RPL_ENDED;
	return e->m->harts[hart]->in_wfi ? RPL_WFI : RPL_RUNNING;
}

bool rpl_hart_waiting(const struct rpl *e, unsigned hart, unsigned *on, uint64_t *seq)
{
	const struct rr_hart *rh = e->rr->harts[hart];
	if (!rh->waiting || engine_finished(e, hart))
		return false;
	*on = rh->waiting_on.hart;
	*seq = rh->waiting_on.seq;
	return true;
}

static bool diverged(const struct rpl *e)
{
	return rr_divergence(e->rr) != NULL;
}

/* The icount of hart's event seq, and whether it is consumed inside an
 * instruction. Waits name recent events again and again: a window of
 * decoded events per hart spares re-decoding their chunk each time. */
bool engine_event_at(struct rpl *e, unsigned hart, uint64_t seq, uint64_t *icount,
		     bool *insn)
{
	struct evcache *c = e->evc[hart];
	if (!c && !(c = e->evc[hart] = calloc(1, sizeof(*c))))
		return false;
	if (seq < c->first || seq - c->first >= c->n) {
		/* Start the window a little before: waits move forward. */
		uint64_t from = seq > 16 ? seq - 16 : 0;
		c->n = 0;
		c->first = from;
		if (trace_iter_seek_seq(e->look[hart], from) < 0)
			return false;
		struct trace_event ev;
		char err[128];
		while (c->n < EVCACHE &&
		       trace_iter_next(e->look[hart], &ev, NULL, err, sizeof(err)) == 1) {
			c->icount[c->n] = ev.icount;
			c->insn[c->n++] = ev.insn;
		}
		if (seq - c->first >= c->n)
			return false;
	}
	*icount = c->icount[seq - c->first];
	*insn = c->insn[seq - c->first];
	return true;
}

static void fill_hit(struct rpl *e, unsigned i, struct rpl_stop *st)
{
	struct hdbg *d = &e->dbg[i];
	struct hart *h = e->m->harts[i];
	memset(st, 0, sizeof(*st));
	st->hart = i;
	st->id = d->hit_id;
	st->pc = h->pc;
	if (d->hit_watch) {
		st->why = RPL_STOP_WATCH;
		st->addr = d->hit_addr;
		st->old_val = d->old_val;
		st->size = d->hit_size;
		st->is_write = d->hit_write;
		/* The value after the instruction (an AMO's result too). */
		bool phys = false;
		for (unsigned k = 0; k < d->nw; k++)
			if (d->w[k].id == d->hit_id)
				phys = d->w[k].physical;
		uint64_t v = 0;
		if (rpl_read(e, i, d->hit_addr, &v, d->hit_size > 8 ? 8 : d->hit_size, phys))
			st->new_val = v;

		else
			st->new_val = d->new_val;
	} else {
		st->why = RPL_STOP_BREAK;
	}
	for (unsigned k = 0; k < e->nstops; k++)
		if (e->stops[k].id == d->hit_id)
			e->stops[k].hits++;
}

void engine_clear_hit(struct rpl *e, unsigned i)
{
	struct hdbg *d = &e->dbg[i];
	if (d->hit && !d->hit_watch) {
		/* Resume over the breakpoint just reported. */
		d->skip = true;
		d->skip_pc = e->m->harts[i]->pc;
	}
	d->hit = false;
	d->hit_watch = false;
}

static void note_hit(struct rpl *e, unsigned i, struct rpl_stop *st)
{
	fill_hit(e, i, st);
	rpl_position(e, &e->last_hit);
	e->last_stop = *st;
	e->have_hit = true;
	engine_clear_hit(e, i);
}

/*
 * Run hart i0 to icount target0 (zero0: one more stop at its icount). A
 * hart that waits inside a step for another hart's event has that hart
 * run just far enough first. Each round follows the chain of waits from
 * i0 afresh and resumes exactly one hart: harts take turns waiting for
 * each other (a lock handed back and forth), so no history is kept.
 */
int engine_run_pulls(struct rpl *e, unsigned i0, uint64_t target0, bool zero0,
		     struct rpl_stop *st)
{
	/* Per waiter: the awaited hart's progress last time, to see that a
	 * stop at the same icount applied nothing (then: one more insn). */
	uint64_t seen_seq[MAX_HARTS], seen_ic[MAX_HARTS];
	unsigned idle[MAX_HARTS] = { 0 };
	memset(seen_seq, 0xff, sizeof(seen_seq));
	memset(seen_ic, 0xff, sizeof(seen_ic));
	bool zero = zero0;
	for (;;) {
		if (diverged(e))
			return RUN_DIVERGED;
		unsigned x = i0;
		uint64_t t = target0;
		bool x_zero = zero, root = true;
		uint64_t visited = 0;
		/* Follow the waits down to a hart that can run. */
		for (;;) {
			struct rr_hart *rh = e->rr->harts[x];
			if (!rh->waiting)
				break;
			unsigned b = rh->waiting_on.hart;
			uint64_t s = rh->waiting_on.seq;
			if (b >= e->n || b == x) {
				snprintf(st->detail, sizeof(st->detail), "hart %u waits for hart %u", x, b);
				return RUN_DIVERGED;
			}
			struct rr_hart *ob = e->rr->harts[b];
			if (atomic_load_explicit(&ob->applied, memory_order_relaxed) > s)
				break; /* its wait is met: resume it */
			visited |= 1ull << x;
			if (visited >> b & 1) {
				snprintf(st->detail, sizeof(st->detail),
					 "hart %u waits for hart %u, which waits for it", x, b);
				return RUN_DIVERGED;
			}
			uint64_t ev_ic;
			bool insn;
			if (!engine_event_at(e, b, s, &ev_ic, &insn) || engine_finished(e, b))
				return RUN_END;
			if (seen_seq[x] == ob->seq && seen_ic[x] == ob->h->icount)
				idle[x]++;
			seen_seq[x] = ob->seq;
			seen_ic[x] = ob->h->icount;
			/* An event inside an instruction needs it run, except in
			 * a WFI, which takes events while it waits; at the
			 * event's icount already (events after an interrupt
			 * there): stop there again, then one more instruction. */
			bool in_wfi_here = ob->h->in_wfi && ob->h->icount == ev_ic;
			t = insn && !in_wfi_here ? ev_ic + 1 : ev_ic;
			x_zero = false;
			if (ob->h->icount >= t) {
				x_zero = idle[x] < 2;
				t = x_zero ? ob->h->icount : ob->h->icount + 1;
			}
			/* A scan may let b start its instruction at the limit
			 * (it waited inside it when the position was taken: the
			 * events it gave away there are part of that position). */
			bool inside_limit = (e->scanning || e->inside_ok[b]) && insn &&
					    ev_ic == e->limit[b];
			if (t > e->limit[b] && !inside_limit) {
				/* x depends on an instruction of b that is undone. */
				e->blocked_hart = x;
				e->blocked_at = rh->h->insn_icount;
				e->blocked_inside = insn && ev_ic == e->limit[b] && !e->inside_ok[b] ?
						    (int)b : -1;
				return RUN_BLOCKED;
			}
			e->pulled |= 1ull << b;
			x = b;
			root = false;
		}
		struct rr_hart *rh = e->rr->harts[x];
		struct hart *h = rh->h;
		if (!rh->waiting) {
			if (engine_finished(e, x))
				return RUN_END;
			if (x_zero) {
				rh->quantum = 0;
				if (root)
					zero = false;
			} else if (h->icount >= t) {
				if (root)
					return RUN_OK;
				continue; /* cannot happen: t was beyond it */
			} else {
				if (atomic_load_explicit(&e->interrupt, memory_order_relaxed) && root)
					return RUN_INTERRUPTED;
				uint64_t q = t - h->icount;
				rh->quantum = q > ROUND ? ROUND : q;
			}
		}
		bool was_zero_root = root && x_zero;
		rr_serial_resume(e->ser, x);
		if (e->dbg[x].hit) {
			if (!e->scanning) {
				fill_hit(e, x, st);
				return RUN_HIT;
			}
			note_hit(e, x, st);
		}
		if (was_zero_root && !rh->waiting)
			return RUN_OK;
	}
}

int engine_run_hart_to(struct rpl *e, unsigned i, uint64_t target, struct rpl_stop *st)
{
	return engine_run_pulls(e, i, target, false, st);
}

/* One more iteration at the current icount (events after an interrupt
 * at the same icount), until seq events are applied. */
static int run_hart_to_seq(struct rpl *e, unsigned i, uint64_t seq, struct rpl_stop *st)
{
	struct rr_hart *rh = e->rr->harts[i];
	for (unsigned k = 0; rh->seq < seq && k < 64; k++) {
		int r = engine_run_pulls(e, i, rh->h->icount, true, st);
		if (r != RUN_OK)
			return r;
	}
	return RUN_OK;
}

static bool all_finished(const struct rpl *e)
{
	for (unsigned i = 0; i < e->n; i++)
		if (!engine_finished(e, i))
			return false;
	return true;
}

/* Whether every hart is between two steps (checkpoints need that). */
bool engine_all_clean(const struct rpl *e)
{
	for (unsigned i = 0; i < e->n; i++)
		if (e->rr->harts[i]->waiting)
			return false;
	return true;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Checkpoints while replaying forward, spaced by cost as rr's timeline
 * does: at least CKPT_EVERY instructions apart, and far enough that taking
 * them costs at most ~10% of the replay between them (a machine with much
 * RAM in use costs more to checkpoint).
 */
static void take_auto_checkpoint(struct rpl *e)
{
	if (!engine_all_clean(e))
		return;
	struct rpl_pos p;
	rpl_position(e, &p);
	uint64_t t = rpl_pos_time(&p);
	const struct rpl_pos *prev = ckpt_before_pos(e->ck, &p);
	if (prev && t - rpl_pos_time(prev) < e->ckpt_every)
		return;
	double t0 = now_s();
	if (ckpt_take(e->ck, e->m, e->rr, &p, 0) != 0)
		return;
	if (e->on_canonical)
		ckpt_mark_canonical(e->ck);
	double cost = now_s() - t0;
	/* ~10x the checkpoint's cost in replay time, at ~200 MIPS. */
	uint64_t by_cost = (uint64_t)(cost * 10.0 * 200e6);
	e->ckpt_every = by_cost > CKPT_EVERY ? by_cost : CKPT_EVERY;
}

/*
 * Run every hart in the canonical order (rounds of ROUND instructions at
 * absolute multiples of ROUND), none past lim (NULL: to the end).
 */
void rpl_set_progress(struct rpl *e, rpl_progress_fn fn, void *ctx)
{
	e->progress = fn;
	e->progress_ctx = ctx;
}

static void report_progress(struct rpl *e, const struct rpl_pos *lim)
{
	if (!e->progress)
		return;
	double now = now_s();
	if (!e->move_start)
		e->move_start = now;
	if (now - e->move_start < 1.0)
		return;
	struct rpl_pos p;
	rpl_position(e, &p);
	e->progress(e->progress_ctx, rpl_pos_time(&p), lim ? rpl_pos_time(lim) : 0);
}

int engine_run_rounds_until(struct rpl *e, const struct rpl_pos *lim, bool checkpoints,
			    uint64_t tlim, struct rpl_stop *st)
{
	for (;;) {
		report_progress(e, lim);
		bool moved = false, all_there = true, cut = false;
		for (unsigned i = 0; i < e->n; i++) {
			struct hart *h = e->m->harts[i];
			if (engine_finished(e, i))
				continue;
			uint64_t room = UINT64_MAX;
			if (tlim) {
				struct rpl_pos now;
				rpl_position(e, &now);
				uint64_t tn = rpl_pos_time(&now);
				if (tn >= tlim)
					return RUN_OK;
				room = tlim - tn;
			}
			uint64_t cap = lim && lim->icount[i] < e->end.icount[i] ?
				       lim->icount[i] : UINT64_MAX;
			if (h->icount >= cap && (!e->rr->harts[i]->waiting ||
						 (lim && e->inside_ok[i])))
				continue;
			all_there = false;
			uint64_t t = (h->icount / ROUND + 1) * ROUND;
			if (t > cap)
				t = cap;
			if (t - h->icount > room) {
				t = h->icount + room;
				cut = true;
			}
			uint64_t before = h->icount;
			int r = engine_run_hart_to(e, i, t, st);
			moved |= h->icount != before;
			if (r == RUN_END)
				continue;
			if (r != RUN_OK)
				return r;
		}
		if (all_there || all_finished(e))
			return lim ? RUN_OK : RUN_END;
		/* A round cut short by tlim is not the canonical round. */
		if (checkpoints && !cut)
			take_auto_checkpoint(e);
		if (!moved && !lim)
			return RUN_END;
	}
}

int engine_run_rounds(struct rpl *e, const struct rpl_pos *lim, bool checkpoints,
		      struct rpl_stop *st)
{
	return engine_run_rounds_until(e, lim, checkpoints, 0, st);
}

/* Resuming steps over a breakpoint at the pc a hart stands on (gdb's
 * rule): each hart's first check at that pc is skipped once. */
void engine_step_over_breakpoints(struct rpl *e)
{
	for (unsigned i = 0; i < e->n; i++) {
		e->dbg[i].skip = true;
		e->dbg[i].skip_pc = e->m->harts[i]->pc;
	}
}

void engine_set_armed(struct rpl *e, bool armed)
{
	for (unsigned i = 0; i < e->n; i++) {
		e->dbg[i].armed = armed;
		e->dbg[i].hit = false;
	}
}

/*
 * After a forward stop, harts left waiting inside an instruction finish it
 * and stop at the next boundary, so every hart is clean: positions are
 * plain, and a checkpoint can be taken. With below_limit, a hart whose
 * instruction is at its limit stays inside. Finishing one waiter can leave
 * another waiting: the hart it pulled into an instruction stays inside
 * once the event asked for is applied, waiting for a third hart whose turn
 * came earlier in the pass. So passes repeat while one of them moved any
 * hart (none moved: the rest wait on harts held at their limits).
 */
static bool to_finish(const struct rpl *e, unsigned i, bool below_limit)
{
	const struct rr_hart *rh = e->rr->harts[i];
	return rh->waiting && !engine_finished(e, i) &&
	       !(below_limit && rh->h->insn_icount >= e->limit[i]);
}

static void finish_waiters(struct rpl *e, bool below_limit)
{
	for (;;) {
		uint64_t progress = e->rr->serial_progress;
		bool left = false;
		for (unsigned i = 0; i < e->n; i++) {
			if (!to_finish(e, i, below_limit))
				continue;
			struct rr_hart *rh = e->rr->harts[i];
			rh->stop_soon = true;
			atomic_store_explicit(&rh->h->exit_request, 1, memory_order_relaxed);
			struct rpl_stop tmp = { 0 };
			bool scanning = e->scanning;
			e->scanning = true; /* hits on the way are not stops */
			engine_run_pulls(e, i, 0, false, &tmp);
			e->scanning = scanning;
			engine_clear_hit(e, i);
		}
		for (unsigned i = 0; i < e->n; i++)
			left |= to_finish(e, i, below_limit);
		if (!left || e->rr->serial_progress == progress)
			return;
	}
}

void engine_settle(struct rpl *e, int stopped)
{
	/* The hart that stopped stays exactly where it is; the others may
	 * run as far as the waiters need. */
	uint64_t saved[MAX_HARTS];
	for (unsigned i = 0; i < e->n; i++)
		saved[i] = e->limit[i];
	if (stopped >= 0)
		e->limit[stopped] = e->m->harts[stopped]->icount;
	finish_waiters(e, false);
	for (unsigned i = 0; i < e->n; i++)
		e->limit[i] = saved[i];
}

/* Limits for running to target: a hart going to its end runs until its
 * stream ends (it may end inside a WFI, which takes events without
 * retiring). */
static void limit_to(struct rpl *e, const struct rpl_pos *target)
{
	for (unsigned i = 0; i < e->n; i++)
		e->limit[i] = target->icount[i] >= e->end.icount[i] ? UINT64_MAX :
			      target->icount[i];
}

void engine_stop_at_result(struct rpl *e, int r, struct rpl_stop *st)
{
	switch (r) {
	case RUN_OK: st->why = RPL_STOP_DONE; break;
	case RUN_HIT: break; /* filled by fill_hit */
	case RUN_END: st->why = RPL_STOP_END; break;
	case RUN_INTERRUPTED: st->why = RPL_STOP_INTERRUPT; break;
	case RUN_BLOCKED:
	case RUN_DIVERGED:
		st->why = RPL_STOP_DIVERGED;
		if (!st->detail[0])
			snprintf(st->detail, sizeof(st->detail), "%s",
				 rr_divergence(e->rr) ? rr_divergence(e->rr) :
				 "the trace's dependencies cannot be met here");
		break;
	}
	st->pulled = e->pulled;
	atomic_store_explicit(&e->interrupt, 0, memory_order_relaxed);
	e->move_start = 0;
	if (e->progress)
		e->progress(e->progress_ctx, 0, 0); /* done: clear the line */
}

/* ---- going to a position ---- */

/* Restore the latest checkpoint not after target. The checkpoint's TLB
 * knows nothing of the watchpoints set since: mark the watched pages. */
int engine_restore(struct rpl *e, const struct rpl_pos *target)
{
	e->on_canonical = false;
	if (ckpt_restore_before(e->ck, e->m, e->rr, e->ser, target) < 0)
		return -1;
	for (unsigned i = 0; i < e->n; i++)
		if (e->m->harts[i]->dbg)
			hdbg_changed(e->m->harts[i]);
	return 0;
}

/*
 * Restore the latest checkpoint at or before target and run there, every
 * hart limited to its target; harts whose waits cannot be met within the
 * limits go back further (to before the waiting instruction).
 */
int engine_reach(struct rpl *e, struct rpl_pos *target, const struct rpl_pos *from,
		 struct rpl_stop *st)
{
	memset(e->inside_ok, 0, sizeof(e->inside_ok));
	for (unsigned attempt = 0; attempt < 4 * e->n + 4; attempt++) {
		e->have_hit = false;
		/* Not after `from` (a scan's start), nor after the target:
		 * a lowered target may lie before `from` for some hart. */
		struct rpl_pos bound = *target;
		if (from)
			for (unsigned i = 0; i < e->n; i++)
				if (from->icount[i] < bound.icount[i])
					bound.icount[i] = from->icount[i];
		if (engine_restore(e, &bound) < 0) {
			snprintf(st->detail, sizeof(st->detail), "no checkpoint to restore");
			return RUN_DIVERGED;
		}
		for (unsigned i = 0; i < e->n; i++) {
			engine_clear_hit(e, i);
			e->dbg[i].skip = false;
		}
		/* First to a little before the target, where a checkpoint
		 * makes the next reverse step short. */
		struct rpl_pos mid = *target;
		uint64_t delta = CLOSE / e->n, far = e->scanning ? 0 : 1;
		for (unsigned i = 0; i < e->n; i++) {
			uint64_t from = e->m->harts[i]->icount;
			mid.icount[i] = target->icount[i] > from + delta ?
					target->icount[i] - delta : from;
			far += mid.icount[i] - from;
		}
		int r = RUN_OK;
		if (far > CLOSE && !e->scanning) {
			/* Each hart runs to its mid point, but may be pulled
			 * up to its target: a cut at mid for the pulls too
			 * would leave harts blocked far before it. */
			limit_to(e, target);
			r = engine_run_rounds(e, &mid, !e->scanning, st);
			/* Per-hart cuts leave harts waiting inside instructions
			 * (for each other's events past the cut): they finish
			 * them within the target's limits, so the checkpoint
			 * here can be taken (positions with a waiting hart
			 * cannot be saved). */
			if (r == RUN_OK || r == RUN_BLOCKED)
				finish_waiters(e, true);
			if ((r == RUN_OK || r == RUN_BLOCKED) && !diverged(e) && engine_all_clean(e)) {
				struct rpl_pos here;
				rpl_position(e, &here);
				ckpt_take(e->ck, e->m, e->rr, &here, false);
			}
		}
		limit_to(e, target);
		if (r == RUN_OK || r == RUN_BLOCKED)
			r = engine_run_rounds(e, target, false, st);
		if (r == RUN_OK)
			for (unsigned i = 0; i < e->n && r == RUN_OK; i++)
				if (target->seq[i])
					r = run_hart_to_seq(e, i, target->seq[i], st);
		for (unsigned i = 0; i < e->n; i++)
			e->limit[i] = UINT64_MAX;
		if (r != RUN_BLOCKED) {
			memset(e->inside_ok, 0, sizeof(e->inside_ok));
			return r;
		}
		/* Go back to before the instruction that waited; a wait at a
		 * boundary (a safe point's ACQUIRE) belongs to the first stop
		 * at that icount, so before the previous instruction. */
		if (e->blocked_inside >= 0) {
			/* x needs what b gave away while it waited inside the
			 * instruction at its limit: let b start it. */
			e->inside_ok[e->blocked_inside] = true;
			continue;
		}
		unsigned b = e->blocked_hart;
		struct rr_hart *rh = e->rr->harts[b];
		uint64_t at = e->blocked_at;
		bool boundary = rh->have_ev && !rh->ev.insn && at > 0;
		uint64_t lower = boundary ? at - 1 : at;
		if (lower >= target->icount[b]) {
			/* No lower than its target already: b waits inside the
			 * instruction at its target (the position it was taken
			 * at had it there); let it stay inside, and only if
			 * that fails too, go back one more. */
			if (!e->inside_ok[b]) {
				e->inside_ok[b] = true;
				continue;
			}
			lower = target->icount[b] ? target->icount[b] - 1 : 0;
		}
		target->icount[b] = lower;
		for (unsigned i = 0; i < e->n; i++)
			target->seq[i] = 0;
	}
	memset(e->inside_ok, 0, sizeof(e->inside_ok));
	snprintf(st->detail, sizeof(st->detail), "no consistent position found");
	return RUN_DIVERGED;
}

int engine_goto_pos(struct rpl *e, const struct rpl_pos *target, struct rpl_stop *st)
{
	memset(st, 0, sizeof(*st));
	struct rpl_pos t = *target;
	t.nharts = e->n;
	for (unsigned i = 0; i < e->n; i++)
		if (t.icount[i] > e->end.icount[i])
			t.icount[i] = e->end.icount[i];
	e->pulled = 0;
	engine_set_armed(e, false);
	int r = engine_reach(e, &t, NULL, st);
	engine_set_armed(e, true);
	engine_stop_at_result(e, r, st);
	if (r == RUN_OK && engine_all_clean(e))
		ckpt_keep_close(e->ck, e->m, e->rr, &t);
	return r == RUN_OK ? 0 : -1;
}

/* ---- opening ---- */

struct rpl *rpl_open(const char *path, char *err, size_t errlen)
{
	struct rpl *e = calloc(1, sizeof(*e));
	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	char e2[512];
	if (!(e->tr = trace_open(path, err, errlen)))
		goto fail;
	struct machine_config cfg;
	rr_trace_config(e->tr, &e->files, 1, &cfg);
	cfg.max_insns = 0;
	e->m = rr_trace_machine(e->tr, &cfg, &e->files, e2, sizeof(e2));
	rr_trace_files_cleanup(&e->files);
	if (!e->m) {
		snprintf(err, errlen, "%s: %s", path, e2);
		goto fail;
	}
	e->n = e->m->nharts;
	e->play = rr_trace_play_new(e->tr);
	struct rr_options ro = { .replay = true, .serial = true, .quiet = true };
	if (!e->play || !(e->rr = rr_new(e->m, &ro, &rr_trace_read_ops, e->play, e2, sizeof(e2)))) {
		snprintf(err, errlen, "%s: %s", path, e->play ? e2 : "out of memory");
		goto fail;
	}
	/* What machine_run would do first: harts at the boot ROM. */
	machine_prepare(e->m);
	for (unsigned i = 0; i < e->n; i++) {
		e->limit[i] = UINT64_MAX;
		e->dbg[i].armed = true;
		if (!(e->look[i] = trace_iter_new(e->tr, i))) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (!(e->ser = rr_serial_new(e->rr))) {
		snprintf(err, errlen, "out of memory for the hart stacks");
		goto fail;
	}
	e->end.nharts = e->n;
	for (unsigned c = 0; c < trace_nchunks(e->tr); c++) {
		const struct trace_chunk_info *ci = trace_chunk(e->tr, c);
		if (ci->type != TRACE_CHUNK_EVENTS || ci->hart >= e->n)
			continue;
		if (ci->last_icount > e->end.icount[ci->hart])
			e->end.icount[ci->hart] = ci->last_icount;
		/* The end: every event of the hart applied. */
		e->end.seq[ci->hart] += ci->count;
	}
	e->ckpt_every = CKPT_EVERY;
	if (!(e->ck = ckpt_new(e->m))) {
		snprintf(err, errlen, "out of memory for checkpoints");
		goto fail;
	}
	struct rpl_pos zero;
	rpl_position(e, &zero);
	if (ckpt_take(e->ck, e->m, e->rr, &zero, 0) < 0) {
		snprintf(err, errlen, "out of memory for the first checkpoint");
		goto fail;
	}
	ckpt_mark_canonical(e->ck);
	e->on_canonical = true;
	engine_sync_stops(e);
	return e;
fail:
	rpl_close(e);
	return NULL;
}

void rpl_close(struct rpl *e)
{
	if (!e)
		return;
	ckpt_free(e->ck);
	if (e->ser)
		rr_serial_free(e->ser, e->rr);
	for (unsigned i = 0; i < MAX_HARTS; i++) {
		trace_iter_free(e->look[i]);
		free(e->evc[i]);
	}
	if (e->m)
		for (unsigned i = 0; i < e->m->nharts; i++)
			e->m->harts[i]->dbg = NULL;
	rr_free(e->rr);
	rr_trace_play_free(e->play);
	machine_free(e->m);
	if (e->tr)
		trace_close(e->tr);
	free(e);
}
