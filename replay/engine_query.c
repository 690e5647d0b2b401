/* engine_query.c: the engine's stop conditions, user checkpoints, memory and history queries. */
#include "replay/engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hart.h"
#include "core/mmu.h"
#include "core/riscv.h"
#include "logs/trace.h"
#include "replay/engine_ckpt.h"
#include "replay/rr_internal.h"

/* ---- stop conditions ---- */

void engine_sync_stops(struct rpl *e)
{
	for (unsigned i = 0; i < e->n; i++) {
		struct hdbg *d = &e->dbg[i];
		d->nbp = 0;
		d->nw = 0;
		for (unsigned k = 0; k < e->nstops; k++) {
			const struct rpl_stop_desc *c = &e->stops[k];
			if (!c->is_watch && d->nbp < HDBG_MAX_BREAK) {
				d->bp[d->nbp] = c->addr;
				d->bp_id[d->nbp++] = c->id;
			} else if (c->is_watch && d->nw < HDBG_MAX_WATCH) {
				d->w[d->nw++] = (struct hdbg_watch){
					.addr = c->addr, .len = c->len, .id = c->id,
					.kind = (uint8_t)((c->kind & RPL_WATCH_W ? HDBG_W : 0) |
							  (c->kind & RPL_WATCH_R ? HDBG_R : 0)),
					.physical = c->physical,
				};
			}
		}
		struct hart *h = e->m->harts[i];
		/* Blocks must be cut at the new breakpoints and the TLB must
		 * not map watched pages any more. With no stop condition the
		 * hart runs as in a plain replay (chained blocks). */
		h->dbg = d->nbp || d->nw ? d : NULL;
		hdbg_changed(h);
	}
}

static int add_stop(struct rpl *e, struct rpl_stop_desc c)
{
	if (e->nstops == MAX_STOPS)
		return -1;
	unsigned nb = 0, nw = 0;
	for (unsigned k = 0; k < e->nstops; k++)
		e->stops[k].is_watch ? nw++ : nb++;
	if ((c.is_watch && nw >= HDBG_MAX_WATCH) || (!c.is_watch && nb >= HDBG_MAX_BREAK))
		return -1;
	c.id = ++e->next_id;
	e->stops[e->nstops++] = c;
	engine_sync_stops(e);
	return c.id;
}

int rpl_break_add(struct rpl *e, uint64_t pc, bool temporary)
{
	return add_stop(e, (struct rpl_stop_desc){ .addr = pc, .temporary = temporary });
}

int rpl_watch_add(struct rpl *e, uint64_t addr, unsigned len, enum rpl_watch_kind kind,
		  bool physical)
{
	return add_stop(e, (struct rpl_stop_desc){ .is_watch = true, .addr = addr, .len = len,
					       .kind = kind, .physical = physical });
}

bool rpl_stop_delete(struct rpl *e, int id)
{
	for (unsigned k = 0; k < e->nstops; k++)
		if (e->stops[k].id == id) {
			memmove(&e->stops[k], &e->stops[k + 1],
				(e->nstops - k - 1) * sizeof(e->stops[0]));
			e->nstops--;
			engine_sync_stops(e);
			return true;
		}
	return false;
}

void rpl_stop_delete_all(struct rpl *e)
{
	e->nstops = 0;
	engine_sync_stops(e);
}

bool rpl_stop_get(const struct rpl *e, unsigned i, struct rpl_stop_desc *d)
{
	if (i >= e->nstops)
		return false;
	*d = e->stops[i];
	return true;
}

/* ---- checkpoints (user) ---- */

int rpl_checkpoint(struct rpl *e)
{
	if (!engine_all_clean(e))
		return -1;
	struct rpl_pos p;
	rpl_position(e, &p);
	return ckpt_take(e->ck, e->m, e->rr, &p, 1);
}

int rpl_restart(struct rpl *e, int n, struct rpl_stop *st)
{
	const struct rpl_pos *p = ckpt_user_pos(e->ck, n);
	if (!p)
		return -1;
	return rpl_goto(e, p, st);
}

bool rpl_ckpt_get(const struct rpl *e, unsigned i, struct rpl_ckpt_desc *d)
{
	return ckpt_describe(e->ck, i, d);
}

size_t rpl_ckpt_bytes(const struct rpl *e)
{
	return ckpt_total_bytes(e->ck);
}

/* ---- memory ---- */

bool rpl_translate(struct rpl *e, unsigned hart, uint64_t vaddr, uint64_t *paddr)
{
	return mmu_debug_translate(e->m->harts[hart], vaddr, paddr);
}

bool rpl_read(struct rpl *e, unsigned hart, uint64_t addr, void *buf, size_t len,
	      bool physical)
{
	return machine_debug_read(e->m, physical ? NULL : e->m->harts[hart], addr, buf, len);
}

uint64_t rpl_state_digest(struct rpl *e)
{
	uint64_t d = 0xcbf29ce484222325ull;
	for (unsigned i = 0; i < e->n; i++) {
		d ^= rr_digest(e->m->harts[i]);
		d *= 0x100000001b3ull;
	}
	return ckpt_ram_digest(e->m, d);
}

/* ---- history queries ---- */

void rpl_last_write(struct rpl *e, uint64_t addr, unsigned len, bool physical,
		    struct rpl_stop *st)
{
	/* A temporary write watchpoint, scanned backwards, then removed;
	 * the user's own stop conditions are set aside meanwhile. */
	struct rpl_stop_desc saved[MAX_STOPS];
	unsigned nsaved = e->nstops;
	memcpy(saved, e->stops, sizeof(saved));
	e->nstops = 0;
	int next_id = e->next_id; /* the temporary one takes no user number */
	rpl_watch_add(e, addr, len, RPL_WATCH_W, physical);
	rpl_reverse_continue(e, st);
	memcpy(e->stops, saved, sizeof(saved));
	e->nstops = nsaved;
	e->next_id = next_id;
	engine_sync_stops(e);
	if (st->why == RPL_STOP_WATCH)
		st->id = 0;
}

size_t rpl_atomics(struct rpl *e, uint64_t paddr, struct rpl_atomic *out, size_t max)
{
	size_t n = 0;
	for (unsigned i = 0; i < e->n; i++) {
		struct trace_iter *it = trace_iter_new(e->tr, i);
		struct trace_event ev;
		char err[128];
		while (it && trace_iter_next(it, &ev, NULL, err, sizeof(err)) == 1) {
			if (ev.kind != TRACE_EV_ATOMIC || (ev.addr & ~7ull) != (paddr & ~7ull))
				continue;
			if (n < max)
				out[n] = (struct rpl_atomic){ i, ev.icount, ev.op, ev.success };
			n++;
		}
		trace_iter_free(it);
	}
	return n;
}

