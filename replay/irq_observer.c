/*
 * irq_observer.c: interrupt statistics from a replay (DESIGN.md §9, `rrv irqs`).
 *
 * Everything is read off the guest's own register accesses, as a logic
 * analyser on the bus would: a read of a context's claim register is a
 * claim (its value the source, 0 = nothing to claim), a write there a
 * completion, writes of the enable, priority and threshold registers are
 * configuration changes (kept only when the value changes; shadows of
 * those registers, seeded from the PLIC at the start, tell). The 8250
 * driver's verdict on a UART interrupt is its IIR reads: Linux's
 * serial8250_handle_irq returns "not handled" when IIR bit 0 says no
 * interrupt is pending, and its interrupt loop makes one more pass after
 * a handled one, so a claim is unhandled when *every* IIR read on the
 * claiming hart between the claim and the completion said "none".
 */
#include "replay/irq_observer.h"

#include <stdlib.h>
#include <string.h>

#include "core/hart.h"
#include "core/machine.h"
#include "core/riscv.h"
#include "devices/clint.h"
#include "devices/uart.h"
#include "logs/trace.h"
#include "replay/engine_internal.h"
#include "replay/rr_internal.h"

#define ENABLE_BASE 0x2000u
#define ENABLE_STRIDE 0x80u
#define CONTEXT_BASE 0x200000u
#define CONTEXT_STRIDE 0x1000u
#define WORDS (PLIC_NUM_SOURCES / 32)

#define UART_IIR 2
#define UART_LCR 3
#define UART_DLAB 0x80

/* Linux's detector looks at 100,000 interrupts at a time (spurious.c). */
#define WINDOW 100000u
/* 100 ms of mtime; IIR reads this far apart start a new service burst. */
#define PEAK_TICKS (CLINT_TIMEBASE_HZ / 10)
#define BURST_TICKS (CLINT_TIMEBASE_HZ / 1000)
#define TRAP_DEPTH 8

struct rise {
	uint64_t mtime;
	struct irqo_at at;
};

struct open_trap {
	uint64_t cause, icount;
};

struct hart_obs {
	uint64_t mtime;              /* last time value read */
	bool claiming;               /* a claim not completed yet */
	unsigned claim_src, claim_ctx;
	uint64_t claim_seq;           /* its number among the UART's claims */
	uint64_t iir_reads, iir_pending;
	struct open_trap stack[4][TRAP_DEPTH]; /* per mode trapped to */
	unsigned depth[4];
};

struct irqo {
	struct machine *m;
	struct machine_observer obs;
	unsigned nctx, nharts;
	uint8_t priority[PLIC_NUM_SOURCES];
	uint32_t enable[PLIC_MAX_CONTEXTS][WORDS];
	uint8_t threshold[PLIC_MAX_CONTEXTS];
	uint8_t lcr;
	struct irqo_src src[PLIC_NUM_SOURCES];
	struct irqo_ctx ctx[PLIC_MAX_CONTEXTS];
	struct irqo_hart harts[MAX_HARTS];
	struct hart_obs ho[MAX_HARTS];
	struct irqo_change *thr;
	size_t nthr, capthr;
	struct rise *rises[PLIC_NUM_SOURCES];
	size_t nrises[PLIC_NUM_SOURCES], caprises[PLIC_NUM_SOURCES];
	/* The UART source's last WINDOW claims, by claim number: bit set =
	 * the driver left it unhandled (set at its completion). Linux judges
	 * the 100,000 interrupts its desc counted when it disables the line,
	 * which are these. */
	uint8_t ring[WINDOW / 8];
	uint64_t ring_n, ring_unhandled;
	irqo_unwind_fn unwind;
	void *unwind_ctx;
	/* Service bursts after a disable of the UART source. */
	uint64_t burst_last;
	uint64_t *gaps;
	size_t ngaps, capgaps;
};

static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 64;
	void *np = realloc(*p, nc * size);
	if (!np)
		return false;
	*p = np;
	*cap = nc;
	return true;
}

static uint64_t now_mtime(const struct irqo *o, const struct hart *h)
{
	if (h)
		return o->ho[h->id].mtime;
	uint64_t best = 0;
	for (unsigned i = 0; i < o->nharts; i++)
		if (o->ho[i].mtime > best)
			best = o->ho[i].mtime;
	return best;
}

/* Where hart j stands while another hart runs: inside the instruction it
 * waits in, or at its boundary (its icount then exact). */
static uint64_t stands_at(const struct hart *h)
{
	return h->rr && h->rr->waiting ? h->insn_icount : h->icount;
}

static void position(const struct irqo *o, const struct hart *h, struct irqo_pos *p)
{
	p->n = o->nharts;
	for (unsigned j = 0; j < o->nharts; j++) {
		const struct hart *x = o->m->harts[j];
		p->icount[j] = x == h ? h->insn_icount : stands_at(x);
	}
}

static struct irqo_at place(const struct irqo *o, const struct hart *h)
{
	struct irqo_at a = { .mtime = now_mtime(o, h) };
	if (h) {
		a.hart = h->id;
		a.icount = h->insn_icount;
		a.pc = h->insn_pc;
	}
	for (unsigned j = 0; j < o->nharts; j++) {
		const struct hart *x = o->m->harts[j];
		a.t += x == h ? h->insn_icount : stands_at(x);
	}
	return a;
}

static void add_change(struct irqo *o, struct hart *h, enum irqo_change_kind kind,
		       unsigned src, unsigned ctx, uint32_t old, uint32_t now)
{
	struct irqo_change c = { .kind = kind, .src = src, .ctx = ctx, .old = old,
				 .now = now, .at = place(o, h) };
	position(o, h, &c.pos);
	if (kind == IRQO_THRESHOLD) {
		if (grow((void **)&o->thr, &o->capthr, o->nthr, sizeof(c)))
			o->thr[o->nthr++] = c;
		return;
	}
	struct irqo_src *s = &o->src[src];
	if (grow((void **)&s->changes, &s->capchanges, s->nchanges, sizeof(c)))
		s->changes[s->nchanges++] = c;
}

/* ---- the disable episodes (the verdict's facts) ---- */

static void disabled(struct irqo *o, struct hart *h, unsigned src, unsigned ctx)
{
	struct irqo_disable *d = &o->src[src].dis;
	/* Already off (a completion's re-enable and disable again): the
	 * episode goes on from its first write. */
	if (d->open && d->ctx == ctx)
		return;
	memset(d, 0, sizeof(*d));
	d->open = true;
	d->ctx = ctx;
	d->at = place(o, h);
	position(o, h, &d->pos);
	if (src == UART_IRQ) {
		/* Linux disables the line from note_interrupt(), after the
		 * handler's IIR reads and before the completion: the claim in
		 * flight on this hart is already judged. */
		const struct hart_obs *ho = &o->ho[h->id];
		bool judged = ho->claiming && ho->claim_src == UART_IRQ && ho->iir_reads;
		d->window = o->ring_n < WINDOW ? o->ring_n : WINDOW;
		d->unhandled = o->ring_unhandled + (judged && !ho->iir_pending);
	}
	if (o->unwind)
		d->nchain = o->unwind(o->unwind_ctx, h, d->chain, IRQO_CHAIN);
	o->burst_last = 0;
	o->ngaps = 0;
}

static bool enabled_on(const struct irqo *o, unsigned src, unsigned ctx)
{
	return (o->enable[ctx][src / 32] >> (src % 32)) & 1;
}

static void write_enable(struct irqo *o, struct hart *h, unsigned ctx, unsigned w,
			 uint32_t val)
{
	if (w == 0)
		val &= ~1u;
	uint32_t old = o->enable[ctx][w], diff = old ^ val;
	o->enable[ctx][w] = val;
	for (; diff; diff &= diff - 1) {
		unsigned bit = (unsigned)__builtin_ctz(diff);
		unsigned src = w * 32 + bit;
		bool on = (val >> bit) & 1;
		add_change(o, h, on ? IRQO_ENABLE : IRQO_DISABLE, src, ctx, !on, on);
		if (!on)
			disabled(o, h, src, ctx);
	}
}

/* ---- the UART source's claims ---- */

static void claimed(struct irqo *o, struct hart *h, unsigned ctx, uint32_t src)
{
	struct irqo_ctx *c = &o->ctx[ctx];
	c->claims++;
	if (!src || src >= PLIC_NUM_SOURCES) {
		c->zero_claims++;
		return;
	}
	struct irqo_src *s = &o->src[src];
	s->claims[ctx]++;
	s->claims_total++;
	/* A claim on a context where the source is enabled again: the
	 * episode of it being disabled is over. */
	if (s->dis.open && (s->dis.ctx != ctx || enabled_on(o, src, ctx)))
		s->dis.claims_after++;
	if (s->dis.open && s->dis.ctx == ctx && enabled_on(o, src, ctx))
		s->dis.open = false;
	/* The busiest 100 ms counts interrupts the guest took: a stuck
	 * line rises once and is claimed over and over. */
	if (grow((void **)&o->rises[src], &o->caprises[src], o->nrises[src],
		 sizeof(struct rise))) {
		struct irqo_at a = place(o, h);
		o->rises[src][o->nrises[src]++] = (struct rise){ .mtime = a.mtime, .at = a };
	}
	struct hart_obs *ho = &o->ho[h->id];
	if (src == UART_IRQ) {
		/* The claim enters the ring as handled; the claim it pushes
		 * out leaves it. */
		uint64_t i = o->ring_n % WINDOW;
		uint8_t bit = (uint8_t)(1u << (i % 8));
		if (o->ring[i / 8] & bit)
			o->ring_unhandled--;
		o->ring[i / 8] &= (uint8_t)~bit;
		ho->claim_seq = o->ring_n++;
	}
	ho->claiming = true;
	ho->claim_src = src;
	ho->claim_ctx = ctx;
	ho->iir_reads = ho->iir_pending = 0;
}

static void completed(struct irqo *o, struct hart *h, uint32_t src)
{
	if (!src || src >= PLIC_NUM_SOURCES)
		return;
	o->src[src].completes++;
	struct hart_obs *ho = &o->ho[h->id];
	if (!ho->claiming || ho->claim_src != src)
		return;
	ho->claiming = false;
	if (src != UART_IRQ || !ho->iir_reads)
		return;
	bool unhandled = !ho->iir_pending;
	if (unhandled)
		o->src[src].unhandled++;
	else
		o->src[src].handled++;
	/* Still in the ring (not pushed out by later claims on other harts)? */
	if (unhandled && o->ring_n - ho->claim_seq <= WINDOW) {
		uint64_t i = ho->claim_seq % WINDOW;
		o->ring[i / 8] |= (uint8_t)(1u << (i % 8));
		o->ring_unhandled++;
	}
}

static void uart_access(struct irqo *o, struct hart *h, unsigned reg, uint8_t val,
			bool write)
{
	struct irqo_disable *d = &o->src[UART_IRQ].dis;
	if (write && reg == UART_LCR)
		o->lcr = val;
	if (write) {
		if (reg == 0 && !(o->lcr & UART_DLAB) && d->open)
			d->tx_after++;
		return;
	}
	if (reg == 0 && !(o->lcr & UART_DLAB) && d->open)
		d->rx_after++;
	if (reg != UART_IIR)
		return;
	struct hart_obs *ho = &o->ho[h->id];
	if (ho->claiming && ho->claim_src == UART_IRQ) {
		ho->iir_reads++;
		ho->iir_pending += !(val & 1);
	}
	if (!d->open)
		return;
	d->iir_after++;
	uint64_t t = ho->mtime;
	if (o->burst_last && t < o->burst_last + BURST_TICKS) {
		o->burst_last = t;
		return;
	}
	if (d->bursts && grow((void **)&o->gaps, &o->capgaps, o->ngaps, sizeof(*o->gaps)))
		o->gaps[o->ngaps++] = t - o->burst_last;
	d->bursts++;
	o->burst_last = t;
}

/* ---- the observer's callbacks ---- */

static void plic_access(struct irqo *o, struct hart *h, uint32_t off, uint32_t val,
			bool write)
{
	if (off < 0x1000u) {
		unsigned src = off / 4;
		if (!write || !src || src >= PLIC_NUM_SOURCES)
			return;
		uint8_t now = (uint8_t)(val & PLIC_PRIO_MASK);
		if (now != o->priority[src])
			add_change(o, h, IRQO_PRIORITY, src, 0, o->priority[src], now);
		o->priority[src] = now;
		return;
	}
	if (off >= ENABLE_BASE && off < CONTEXT_BASE) {
		unsigned ctx = (off - ENABLE_BASE) / ENABLE_STRIDE;
		unsigned w = (off - ENABLE_BASE) % ENABLE_STRIDE / 4;
		if (write && ctx < o->nctx && w < WORDS)
			write_enable(o, h, ctx, w, val);
		return;
	}
	if (off < CONTEXT_BASE)
		return;
	unsigned ctx = (off - CONTEXT_BASE) / CONTEXT_STRIDE;
	unsigned reg = (off - CONTEXT_BASE) % CONTEXT_STRIDE;
	if (ctx >= o->nctx)
		return;
	if (reg == 0 && write) {
		uint8_t now = (uint8_t)(val & PLIC_PRIO_MASK);
		if (now != o->threshold[ctx])
			add_change(o, h, IRQO_THRESHOLD, 0, ctx, o->threshold[ctx], now);
		o->threshold[ctx] = now;
	} else if (reg == 4 && write) {
		completed(o, h, val);
	} else if (reg == 4) {
		claimed(o, h, ctx, val);
	}
}

static void on_mmio(void *ctx, struct hart *h, uint64_t paddr, unsigned size,
		    uint64_t val, bool write)
{
	struct irqo *o = ctx;
	if (paddr >= UART_BASE && paddr < UART_BASE + 8) {
		uart_access(o, h, (unsigned)(paddr - UART_BASE), (uint8_t)val, write);
		return;
	}
	if (paddr < PLIC_BASE || paddr >= PLIC_BASE + PLIC_SIZE)
		return;
	uint32_t off = (uint32_t)(paddr - PLIC_BASE);
	if (size == 8) {
		plic_access(o, h, off, (uint32_t)val, write);
		plic_access(o, h, off + 4, (uint32_t)(val >> 32), write);
	} else if (size == 4) {
		plic_access(o, h, off, (uint32_t)val, write);
	}
}

static void on_line(void *ctx, struct hart *h, unsigned src, bool level, bool injected)
{
	struct irqo *o = ctx;
	if (!level || !src || src >= PLIC_NUM_SOURCES)
		return;
	(void)h;
	if (injected)
		o->src[src].injected++;
	else
		o->src[src].device_rises++;
}

static void on_trap(void *ctx, struct hart *h, uint64_t cause, unsigned from)
{
	struct irqo *o = ctx;
	(void)from;
	struct hart_obs *ho = &o->ho[h->id];
	unsigned mode = h->priv & 3;
	bool irq = cause & CAUSE_INTERRUPT;
	unsigned code = (unsigned)(cause & (IRQO_CAUSES - 1));
	if (irq)
		o->harts[h->id].irqs[code]++;
	if (ho->depth[mode] == TRAP_DEPTH) {
		memmove(ho->stack[mode], ho->stack[mode] + 1,
			(TRAP_DEPTH - 1) * sizeof(ho->stack[mode][0]));
		ho->depth[mode]--;
	}
	ho->stack[mode][ho->depth[mode]++] = (struct open_trap){
		.cause = cause, .icount = h->icount,
	};
}

static void on_xret(void *ctx, struct hart *h, unsigned from)
{
	struct irqo *o = ctx;
	struct hart_obs *ho = &o->ho[h->id];
	unsigned mode = from & 3;
	if (!ho->depth[mode])
		return;
	struct open_trap t = ho->stack[mode][--ho->depth[mode]];
	if (t.cause & CAUSE_INTERRUPT)
		o->harts[h->id].handler_insns[t.cause & (IRQO_CAUSES - 1)] +=
			h->icount - t.icount;
}

static void on_time(void *ctx, struct hart *h, uint64_t mtime)
{
	struct irqo *o = ctx;
	o->ho[h->id].mtime = mtime;
}

struct irqo *irqo_new(struct machine *m)
{
	struct irqo *o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->m = m;
	o->nharts = m->nharts;
	o->nctx = 2 * m->nharts;
	/* A trace may start from a snapshot: the registers as they are. */
	struct plic_state ps;
	plic_get_state(m->plic, &ps);
	memcpy(o->priority, ps.priority, sizeof(o->priority));
	memcpy(o->enable, ps.enable, sizeof(o->enable));
	memcpy(o->threshold, ps.threshold, sizeof(o->threshold));
	struct uart_state us;
	uart_get_state(m->uart, &us);
	o->lcr = us.lcr;
	o->obs = (struct machine_observer){
		.mmio = on_mmio, .line = on_line, .trap = on_trap, .xret = on_xret,
		.time = on_time, .ctx = o,
	};
	m->obs = &o->obs;
	return o;
}

void irqo_set_unwinder(struct irqo *o, irqo_unwind_fn fn, void *ctx)
{
	o->unwind = fn;
	o->unwind_ctx = ctx;
}

void irqo_free(struct irqo *o)
{
	if (!o)
		return;
	if (o->m->obs == &o->obs)
		o->m->obs = NULL;
	for (unsigned i = 0; i < PLIC_NUM_SOURCES; i++) {
		free(o->src[i].changes);
		free(o->rises[i]);
	}
	free(o->thr);
	free(o->gaps);
	free(o);
}

/* ---- after the run ---- */

uint64_t irqo_canonical_time(const uint64_t *end, unsigned nharts, unsigned hart,
			     uint64_t icount)
{
	/* rpl_goto_time runs rounds of ROUND instructions per hart, hart 0
	 * first, each hart no further than its end: the icount-th
	 * instruction of this hart retires in round (icount - 1) / ROUND,
	 * when the harts before it have finished that round and the ones
	 * after it only the one before. */
	uint64_t r = icount ? (icount - 1) / ROUND : 0, t = icount;
	for (unsigned j = 0; j < nharts; j++) {
		if (j == hart)
			continue;
		uint64_t lim = (j < hart ? r + 1 : r) * ROUND;
		t += end[j] < lim ? end[j] : lim;
	}
	return t;
}

static int cmp_rise(const void *a, const void *b)
{
	const struct rise *x = a, *y = b;
	return (x->mtime > y->mtime) - (x->mtime < y->mtime);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void find_peak(struct irqo *o, unsigned src)
{
	struct rise *r = o->rises[src];
	size_t n = o->nrises[src], lo = 0;
	struct irqo_src *s = &o->src[src];
	if (!n)
		return;
	qsort(r, n, sizeof(*r), cmp_rise);
	for (size_t hi = 0; hi < n; hi++) {
		while (r[hi].mtime - r[lo].mtime >= PEAK_TICKS)
			lo++;
		if (hi - lo + 1 > s->peak) {
			s->peak = hi - lo + 1;
			s->peak_at = r[lo].at;
		}
		if (hi && r[hi].mtime - r[hi - 1].mtime > s->max_gap) {
			s->max_gap = r[hi].mtime - r[hi - 1].mtime;
			s->max_gap_at = r[hi].at;
		}
	}
}

void irqo_finish(struct irqo *o, struct trace_reader *tr)
{
	(void)tr;
	for (unsigned i = 0; i < o->nharts; i++)
		o->harts[i].insns = o->m->harts[i]->icount;
	for (unsigned src = 0; src < PLIC_NUM_SOURCES; src++)
		find_peak(o, src);
	struct irqo_disable *d = &o->src[UART_IRQ].dis;
	if (d->open && o->ngaps) {
		qsort(o->gaps, o->ngaps, sizeof(*o->gaps), cmp_u64);
		d->gap_min = o->gaps[0];
		d->gap_max = o->gaps[o->ngaps - 1];
		d->gap_median = o->gaps[o->ngaps / 2];
	}
}

unsigned irqo_ncontexts(const struct irqo *o)
{
	return o->nctx;
}

unsigned irqo_nharts(const struct irqo *o)
{
	return o->nharts;
}

const struct irqo_src *irqo_source(const struct irqo *o, unsigned src)
{
	return src < PLIC_NUM_SOURCES ? &o->src[src] : NULL;
}

const struct irqo_ctx *irqo_context(const struct irqo *o, unsigned ctx)
{
	return ctx < o->nctx ? &o->ctx[ctx] : NULL;
}

const struct irqo_hart *irqo_hart(const struct irqo *o, unsigned hart)
{
	return hart < o->nharts ? &o->harts[hart] : NULL;
}

const struct irqo_change *irqo_thresholds(const struct irqo *o, size_t *n)
{
	*n = o->nthr;
	return o->thr;
}

bool irqo_source_used(const struct irqo *o, unsigned src)
{
	const struct irqo_src *s = &o->src[src];
	return s->device_rises || s->injected || s->claims_total || s->completes ||
	       s->nchanges;
}
