/* engine_move.c: the time-travel engine's movements (step, reverse step, continue, reverse continue, goto, run to a pc) over the runs engine.c makes. */
#include "replay/engine.h"

#include <stdio.h>
#include <string.h>

#include "core/hart.h"
#include "logs/trace.h"
#include "replay/engine_ckpt.h"
#include "replay/engine_internal.h"
#include "replay/rr_internal.h"

/* The journal: what each step pulled, so reverse-stepi N undoes stepi N. */
static void journal_add(struct rpl *e, unsigned hart, const struct rpl_pos *before);
static void journal_clear(struct rpl *e);

int rpl_goto(struct rpl *e, const struct rpl_pos *target, struct rpl_stop *st)
{
	journal_clear(e);
	return engine_goto_pos(e, target, st);
}

/*
 * The canonical schedule is what `continue` from the start does: rounds of
 * ROUND instructions per hart in hart order, a hart that waits pulling the
 * ones it waits for. Going to time t replays it from the latest checkpoint
 * taken on it (one at t = 0 always is) until Σ icount = t; the position
 * depends on t alone, whichever way it is reached. (Computing the
 * position from t without running, as rounds that ignore the waits, gave
 * positions the trace's dependencies do not allow on SMP traces.)
 */
int rpl_goto_time(struct rpl *e, uint64_t t, struct rpl_stop *st)
{
	memset(st, 0, sizeof(*st));
	journal_clear(e);
	const struct rpl_pos *from = ckpt_canonical_before(e->ck, t);
	int r = RUN_DIVERGED;
	engine_set_armed(e, false);
	if (from && engine_restore(e, from) == 0) {
		e->on_canonical = true;
		r = engine_run_rounds_until(e, NULL, true, t ? t : 1, st);
		if (!t)
			r = RUN_OK;
		if (r == RUN_END)
			r = RUN_OK; /* t past the end: the end */
	} else {
		snprintf(st->detail, sizeof(st->detail), "no checkpoint on the canonical schedule");
	}
	/* Mid-round now: a later continue is not the canonical one. */
	e->on_canonical = false;
	/* Harts the time limit left unrun this round make their first stop
	 * at their icount (its boundary events), as a position's seq 0 means
	 * everywhere else. */
	for (unsigned i = 0; i < e->n && r == RUN_OK; i++)
		if (!engine_finished(e, i) && !e->rr->harts[i]->waiting)
			r = engine_run_pulls(e, i, e->m->harts[i]->icount, true, st);
	if (r == RUN_OK)
		engine_settle(e, -1);
	engine_set_armed(e, true);
	engine_stop_at_result(e, r, st);
	return r == RUN_OK ? 0 : -1;
}

/* ---- movements ---- */

static void journal_add(struct rpl *e, unsigned hart, const struct rpl_pos *before)
{
	if (e->njournal == JOURNAL) {
		memmove(e->journal, e->journal + 1, (JOURNAL - 1) * sizeof(e->journal[0]));
		e->njournal--;
	}
	struct journal *j = &e->journal[e->njournal++];
	j->hart = hart;
	j->pulled = e->pulled & ~(1ull << hart);
	j->before = *before;
	rpl_position(e, &j->after);
}

/* Any move that is not one hart's forward step: the journal no longer
 * describes how the harts got where they are. */
static void journal_clear(struct rpl *e)
{
	e->njournal = 0;
}

void rpl_stepi(struct rpl *e, unsigned hart, uint64_t n, struct rpl_stop *st)
{
	memset(st, 0, sizeof(*st));
	e->pulled = 0;
	if (engine_finished(e, hart)) {
		st->why = RPL_STOP_END;
		st->hart = hart;
		return;
	}
	struct rpl_pos before;
	rpl_position(e, &before);
	engine_step_over_breakpoints(e);
	e->on_canonical = false;
	/* From the position's icount: a hart waiting inside an instruction
	 * stands before it (its h->icount counts the whole block). */
	int r = engine_run_hart_to(e, hart, before.icount[hart] + n, st);
	engine_settle(e, r == RUN_HIT ? (int)st->hart : (int)hart);
	engine_stop_at_result(e, r, st);
	st->hart = r == RUN_HIT ? st->hart : hart;
	st->pc = e->m->harts[st->hart]->pc;
	journal_add(e, hart, &before);
}

void rpl_reverse_stepi(struct rpl *e, unsigned hart, uint64_t n, struct rpl_stop *st)
{
	memset(st, 0, sizeof(*st));
	struct rpl_pos p;
	rpl_position(e, &p);
	bool at_start = p.icount[hart] < n || p.icount[hart] == 0;
	p.icount[hart] = at_start ? 0 : p.icount[hart] - n;
	p.seq[hart] = 0;
	struct rpl_pos before;
	rpl_position(e, &before);
	/* Harts this hart pulled forward since it was at the target go back
	 * to where they were; the others stay where they are. */
	unsigned keep = e->njournal;
	while (keep > 0 && e->journal[keep - 1].hart == hart &&
	       e->journal[keep - 1].before.icount[hart] >= p.icount[hart]) {
		const struct journal *j = &e->journal[keep - 1];
		for (unsigned i = 0; i < e->n; i++)
			if ((j->pulled >> i & 1) && j->before.icount[i] < p.icount[i]) {
				p.icount[i] = j->before.icount[i];
				p.seq[i] = j->before.seq[i];
			}
		if (j->before.icount[hart] == p.icount[hart]) {
			p.seq[hart] = j->before.seq[hart];
			keep--;
			break;
		}
		keep--;
	}
	engine_goto_pos(e, &p, st);
	e->njournal = keep;
	if (st->why == RPL_STOP_DONE && at_start)
		st->why = RPL_STOP_START;
	st->hart = hart;
	st->pc = e->m->harts[hart]->pc;
	st->pulled = 0;
	for (unsigned i = 0; i < e->n; i++)
		if (i != hart && e->m->harts[i]->icount < before.icount[i])
			st->pulled |= 1ull << i;
}

void rpl_continue(struct rpl *e, struct rpl_stop *st)
{
	memset(st, 0, sizeof(*st));
	journal_clear(e);
	engine_step_over_breakpoints(e);
	e->pulled = 0;
	/* From a position on the canonical schedule (the start), the
	 * checkpoints this takes are on it too. */
	int r = engine_run_rounds(e, NULL, true, st);
	e->on_canonical = false;
	engine_settle(e, r == RUN_HIT ? (int)st->hart : -1);
	engine_stop_at_result(e, r, st);
	if (r == RUN_HIT) {
		unsigned i = st->hart;
		engine_clear_hit(e, i);
		/* A temporary breakpoint goes once hit. */
		for (unsigned k = 0; k < e->nstops; k++)
			if (e->stops[k].id == st->id && e->stops[k].temporary) {
				rpl_stop_delete(e, st->id);
				break;
			}
	}
}

/*
 * Scan [checkpoint, now) forward with the stop conditions armed, recording
 * the last hit; if none, an earlier checkpoint. Then go to that hit (for
 * a watchpoint: just before the accessing instruction).
 */
/*
 * Make every event hart h's next instruction waits for (its ACQUIREs'
 * dependencies) applied, without running the instruction: the state
 * "just before" it, with everything it will overwrite already written.
 */
static void pull_for_next_insn(struct rpl *e, unsigned h, struct rpl_stop *st)
{
	struct rr_hart *rh = e->rr->harts[h];
	uint64_t x = rh->h->icount;
	struct trace_iter *it = trace_iter_new(e->tr, h);
	if (!it || trace_iter_seek_seq(it, rh->seq) < 0) {
		trace_iter_free(it);
		return;
	}
	struct trace_event ev;
	char err[128];
	while (trace_iter_next(it, &ev, NULL, err, sizeof(err)) == 1 && ev.icount == x) {
		if (ev.kind != TRACE_EV_ACQUIRE)
			continue;
		for (uint32_t k = 0; k < ev.ndeps; k++) {
			unsigned b = ev.deps[k].hart;
			uint64_t s = ev.deps[k].seq;
			for (unsigned guard = 0; b < e->n && b != h && guard < 64 &&
			     atomic_load_explicit(&e->rr->harts[b]->applied, memory_order_relaxed) <= s;
			     guard++) {
				uint64_t bx;
				bool insn;
				struct hart *bh = e->m->harts[b];
				if (!engine_event_at(e, b, s, &bx, &insn))
					break;
				uint64_t t = insn && !(bh->in_wfi && bh->icount == bx) ? bx + 1 : bx;
				bool zero = bh->icount >= t;
				if (engine_run_pulls(e, b, zero ? bh->icount : t, zero, st) != RUN_OK)
					break;
			}
		}
	}
	trace_iter_free(it);
}

/*
 * Where reverse-continue stops: from checkpoint `from`, hart h runs to
 * icount x and the others only as far as it needs (for a watchpoint, as
 * far as its next instruction, the write, needs too). The harts that
 * raced ahead during the scan are not where the user wants to look.
 */
static void stand_before(struct rpl *e, const struct rpl_pos *from, unsigned h, uint64_t x,
			 bool before_write, struct rpl_stop *st)
{
	engine_set_armed(e, false);
	memset(st, 0, sizeof(*st));
	int r = engine_restore(e, from) < 0 ? RUN_DIVERGED :
		engine_run_hart_to(e, h, x, st);
	if (r == RUN_OK && before_write)
		pull_for_next_insn(e, h, st);
	engine_set_armed(e, true);
	engine_stop_at_result(e, r, st);
}

void rpl_reverse_continue(struct rpl *e, struct rpl_stop *st)
{
	memset(st, 0, sizeof(*st));
	journal_clear(e);
	struct rpl_pos now;
	rpl_position(e, &now);
	struct rpl_pos upto = now;
	/* A breakpoint at the very pc a hart starts from is not a hit. */
	uint64_t start_pc[MAX_HARTS];
	for (unsigned i = 0; i < e->n; i++)
		start_pc[i] = e->m->harts[i]->pc;
	const struct rpl_pos *from;
	while ((from = ckpt_before_pos(e->ck, &upto)) != NULL) {
		struct rpl_pos lim = upto, start = *from;
		memset(lim.seq, 0, sizeof(lim.seq));
		e->scanning = true;
		engine_set_armed(e, true);
		struct rpl_stop tmp = { 0 };
		int r = engine_reach(e, &lim, &start, &tmp);
		e->scanning = false;
		if (e->have_hit && e->last_stop.why == RPL_STOP_BREAK &&
		    e->last_hit.icount[e->last_stop.hart] == now.icount[e->last_stop.hart] &&
		    e->last_stop.pc == start_pc[e->last_stop.hart])
			e->have_hit = false;
		if (r == RUN_DIVERGED) {
			memcpy(st->detail, tmp.detail, sizeof(st->detail));
			engine_stop_at_result(e, r, st);
			return;
		}
		if (e->have_hit) {
			struct rpl_stop hit = e->last_stop;
			uint64_t at = e->last_hit.icount[hit.hart];
			if (hit.why == RPL_STOP_WATCH && at > 0)
				at--;
			stand_before(e, &start, hit.hart, at, hit.why == RPL_STOP_WATCH, st);
			hit.pc = e->m->harts[hit.hart]->pc;
			*st = hit;
			st->pulled = 0;
			/* The next forward run resumes over this breakpoint. */
			if (hit.why == RPL_STOP_BREAK) {
				e->dbg[hit.hart].skip = true;
				e->dbg[hit.hart].skip_pc = hit.pc;
			}
			return;
		}
		if (rpl_pos_time(&start) == 0)
			break;
		upto = start;
	}
	struct rpl_pos zero = { .nharts = e->n };
	rpl_goto(e, &zero, st);
	st->why = RPL_STOP_START;
}

void rpl_run_to_pc(struct rpl *e, unsigned hart, uint64_t pc, uint64_t sp_min,
		   uint64_t max, struct rpl_stop *st)
{
	memset(st, 0, sizeof(*st));
	struct hart *h = e->m->harts[hart];
	uint64_t start = h->icount;
	e->pulled = 0;
	struct rpl_pos before;
	rpl_position(e, &before);
	engine_step_over_breakpoints(e);
	e->on_canonical = false;
	for (;;) {
		if (max && h->icount - start >= max) {
			st->why = RPL_STOP_DONE;
			break;
		}
		int r = engine_run_hart_to(e, hart, h->icount + 1, st);
		engine_settle(e, r == RUN_HIT ? (int)st->hart : (int)hart);
		if (r != RUN_OK) {
			engine_stop_at_result(e, r, st);
			if (r == RUN_HIT)
				engine_clear_hit(e, st->hart);
			break;
		}
		if (h->pc == pc && h->x[2] >= sp_min) {
			st->why = RPL_STOP_DONE;
			break;
		}
	}
	st->hart = st->why == RPL_STOP_BREAK || st->why == RPL_STOP_WATCH ? st->hart : hart;
	st->pc = e->m->harts[st->hart]->pc;
	st->pulled = e->pulled;
	journal_add(e, hart, &before);
}

void rpl_interrupt(struct rpl *e)
{
	atomic_store_explicit(&e->interrupt, 1, memory_order_relaxed);
}

