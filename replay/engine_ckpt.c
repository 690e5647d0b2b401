/*
 * engine_ckpt.c: in-process checkpoints for the time-travel engine.
 *
 * A checkpoint holds the machine state without RAM (core/snap.h) with each
 * hart's trace position, and RAM as one reference per page: NULL for a
 * zero page, else a refcounted copy shared with the previous checkpoint
 * when the page did not change. Taking and restoring compare pages, so the
 * cost is a pass over RAM; pages the host never touched (not resident, on
 * a machine without swap) are known to be zero without reading them.
 * Chosen over fork(): one process keeps the debugger's own state (the
 * REPL, a GDB connection) without handing it across, and sharing pages
 * between checkpoints gives the same memory economy as copy-on-write for
 * the mostly-unchanged RAM of a replay.
 */
#include "replay/engine_ckpt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/hart.h"
#include "core/machine.h"
#include "core/snap.h"
#include "replay/rr_internal.h"
#include "replay/rr_snap.h"

#define MAX_CKPTS 256
#define MAX_AUTO 40
#define ENGINE_ID "rrv-debug"

struct page {
	uint32_t refs;
	uint8_t data[PAGE_SIZE];
};

struct ckpt {
	int user;                  /* > 0: user checkpoint number */
	struct rpl_pos pos;
	uint64_t t;
	struct snap_buf state;
	struct page **pages;
	size_t own;                /* bytes of pages first stored here */
	bool canonical;            /* on the canonical schedule */
};

struct rpl_ckpts {
	struct machine *m;
	uint64_t npages;
	struct ckpt *v[MAX_CKPTS]; /* in the order taken */
	unsigned n;
	int next_user;
	struct ckpt *last;         /* the most recent one, for sharing */
	bool use_mincore;
	unsigned char *resident;
};

struct rpl_ckpts *ckpt_new(struct machine *m)
{
	struct rpl_ckpts *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->m = m;
	c->npages = m->ram_size >> PAGE_SHIFT;
	c->resident = malloc(c->npages);
	/* Without swap, a page the host never touched is not resident and
	 * reads as zero: mincore() then spares reading it. */
	FILE *f = fopen("/proc/swaps", "r");
	if (f) {
		char line[256];
		unsigned lines = 0;
		while (fgets(line, sizeof(line), f))
			lines++;
		fclose(f);
		c->use_mincore = lines <= 1 && c->resident;
	}
	if (!c->resident) {
		free(c);
		return NULL;
	}
	return c;
}

static void page_put(struct page *p)
{
	if (p && --p->refs == 0)
		free(p);
}

static void ckpt_drop(struct rpl_ckpts *c, struct ckpt *k)
{
	for (uint64_t i = 0; i < c->npages; i++)
		page_put(k->pages[i]);
	free(k->pages);
	snap_buf_free(&k->state);
	if (c->last == k)
		c->last = NULL;
	free(k);
}

void ckpt_free(struct rpl_ckpts *c)
{
	if (!c)
		return;
	for (unsigned i = 0; i < c->n; i++)
		ckpt_drop(c, c->v[i]);
	free(c->resident);
	free(c);
}

/* Which pages may hold data: resident ones (all, without mincore). */
static void scan_resident(struct rpl_ckpts *c)
{
	if (!c->use_mincore || mincore(c->m->ram, c->m->ram_size, c->resident) != 0)
		memset(c->resident, 1, c->npages);
}

/* Keep the start, the user checkpoints and about MAX_AUTO automatic ones:
 * drop every other automatic checkpoint in the older half. */
static void thin(struct rpl_ckpts *c)
{
	unsigned autos = 0;
	for (unsigned i = 0; i < c->n; i++)
		autos += !c->v[i]->user && c->v[i]->t;
	if (autos <= MAX_AUTO)
		return;
	unsigned seen = 0, keep = 0;
	for (unsigned i = 0; i < c->n; i++) {
		struct ckpt *k = c->v[i];
		bool candidate = !k->user && k->t && k != c->last;
		if (candidate && seen++ < autos / 2 && (seen & 1)) {
			ckpt_drop(c, k);
			continue;
		}
		c->v[keep++] = k;
	}
	c->n = keep;
}

int ckpt_take(struct rpl_ckpts *c, struct machine *m, struct rr *rr,
	      const struct rpl_pos *p, bool user)
{
	if (c->n == MAX_CKPTS)
		thin(c);
	if (c->n == MAX_CKPTS)
		return -1;
	struct ckpt *k = calloc(1, sizeof(*k));
	if (!k || !(k->pages = calloc(c->npages, sizeof(k->pages[0])))) {
		free(k);
		return -1;
	}
	k->pos = *p;
	k->t = rpl_pos_time(p);
	if (snap_save_state(m, NULL, 0, false, &k->state) < 0)
		goto oom;
	rr_snap_save_positions(rr, ENGINE_ID, &k->state);
	if (k->state.oom)
		goto oom;
	scan_resident(c);
	struct ckpt *prev = c->last;
	for (uint64_t i = 0; i < c->npages; i++) {
		const uint8_t *ram = m->ram + (i << PAGE_SHIFT);
		struct page *pp = prev ? prev->pages[i] : NULL;
		if (!(c->resident[i] & 1) && !pp)
			continue;
		if (pp && !memcmp(pp->data, ram, PAGE_SIZE)) {
			pp->refs++;
			k->pages[i] = pp;
			continue;
		}
		if (snap_page_is_zero(ram))
			continue;
		struct page *np = malloc(sizeof(*np));
		if (!np)
			goto oom;
		np->refs = 1;
		memcpy(np->data, ram, PAGE_SIZE);
		k->pages[i] = np;
		k->own += PAGE_SIZE;
	}
	k->user = user ? ++c->next_user : 0;
	c->v[c->n++] = k;
	c->last = k;
	thin(c);
	return k->user;
oom:
	ckpt_drop(c, k);
	return -1;
}

static bool not_after(const struct rpl_pos *a, const struct rpl_pos *b)
{
	for (unsigned i = 0; i < a->nharts; i++)
		if (a->icount[i] > b->icount[i])
			return false;
	return true;
}

static struct ckpt *latest_before(const struct rpl_ckpts *c, const struct rpl_pos *target,
				  bool strictly)
{
	struct ckpt *best = NULL;
	uint64_t tt = rpl_pos_time(target);
	for (unsigned i = 0; i < c->n; i++) {
		struct ckpt *k = c->v[i];
		if (!not_after(&k->pos, target) || (strictly && k->t >= tt))
			continue;
		if (!best || k->t > best->t)
			best = k;
	}
	return best;
}

const struct rpl_pos *ckpt_before_pos(const struct rpl_ckpts *c, const struct rpl_pos *upto)
{
	struct ckpt *k = latest_before(c, upto, true);
	return k ? &k->pos : NULL;
}

static void restore_ram(struct rpl_ckpts *c, const struct ckpt *k)
{
	struct machine *m = c->m;
	scan_resident(c);
	for (uint64_t i = 0; i < c->npages; i++) {
		uint8_t *ram = m->ram + (i << PAGE_SHIFT);
		const struct page *p = k->pages[i];
		if (p) {
			if (memcmp(ram, p->data, PAGE_SIZE))
				memcpy(ram, p->data, PAGE_SIZE);
		} else if ((c->resident[i] & 1) && !snap_page_is_zero(ram)) {
			memset(ram, 0, PAGE_SIZE);
		}
	}
}

int ckpt_restore_before(struct rpl_ckpts *c, struct machine *m, struct rr *rr,
			struct rr_serial *ser, const struct rpl_pos *target)
{
	struct ckpt *k = latest_before(c, target, false);
	if (!k)
		return -1;
	char err[256];
	if (snap_restore_state(m, k->state.p, k->state.len, false, err, sizeof(err)) < 0 ||
	    rr_snap_restore_positions(rr, k->state.p, k->state.len, ENGINE_ID, err,
				      sizeof(err)) < 0) {
		fprintf(stderr, "rrv: checkpoint restore failed: %s\n", err);
		return -1;
	}
	restore_ram(c, k);
	rr_serial_reset(ser, rr);
	return 0;
}

void ckpt_keep_close(struct rpl_ckpts *c, struct machine *m, struct rr *rr,
		     const struct rpl_pos *p)
{
	/* A checkpoint right here serves a forward step followed by a
	 * reverse one; reach() leaves one a little before its targets. */
	struct ckpt *k = latest_before(c, p, false);
	if (k && rpl_pos_time(p) - k->t < 1000000)
		return;
	ckpt_take(c, m, rr, p, false);
}

void ckpt_mark_canonical(struct rpl_ckpts *c)
{
	if (c->last)
		c->last->canonical = true;
}

const struct rpl_pos *ckpt_canonical_before(const struct rpl_ckpts *c, uint64_t t)
{
	const struct ckpt *best = NULL;
	for (unsigned i = 0; i < c->n; i++) {
		const struct ckpt *k = c->v[i];
		if (k->canonical && k->t <= t && (!best || k->t > best->t))
			best = k;
	}
	return best ? &best->pos : NULL;
}

const struct rpl_pos *ckpt_user_pos(const struct rpl_ckpts *c, int n)
{
	for (unsigned i = 0; i < c->n; i++)
		if (c->v[i]->user == n)
			return &c->v[i]->pos;
	return NULL;
}

bool ckpt_describe(const struct rpl_ckpts *c, unsigned i, struct rpl_ckpt_desc *d)
{
	if (i >= c->n)
		return false;
	const struct ckpt *k = c->v[i];
	*d = (struct rpl_ckpt_desc){ .id = k->user, .t = k->t,
				     .bytes = k->own + k->state.len };
	return true;
}

size_t ckpt_total_bytes(const struct rpl_ckpts *c)
{
	size_t total = 0;
	for (unsigned i = 0; i < c->n; i++)
		total += c->v[i]->own + c->v[i]->state.len +
			 c->npages * sizeof(struct page *);
	return total;
}

uint64_t ckpt_ram_digest(struct machine *m, uint64_t d)
{
	uint64_t npages = m->ram_size >> PAGE_SHIFT;
	for (uint64_t i = 0; i < npages; i++) {
		const uint64_t *w = (const uint64_t *)(m->ram + (i << PAGE_SHIFT));
		if (snap_page_is_zero((const uint8_t *)w))
			continue;
		d = (d ^ i) * 0x100000001b3ull;
		for (unsigned k = 0; k < PAGE_SIZE / 8; k++)
			d = (d ^ w[k]) * 0x100000001b3ull;
	}
	return d;
}
