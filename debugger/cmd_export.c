/* cmd_export.c: `rrv export --chrome OUT.json TRACE`: a trace as Chrome trace-event JSON (Perfetto, chrome://tracing). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/hart.h"
#include "core/machine.h"
#include "core/riscv.h"
#include "debugger/cli.h"
#include "devices/clint.h"
#include "devices/uart.h"
#include "logs/trace.h"
#include "replay/rr.h"
#include "replay/rr_event.h"
#include "replay/rr_open.h"
#include "replay/rr_trace.h"

static const char usage_export[] =
"usage: rrv export --chrome OUT.json [--clock guest|insns] [--max-events N]\n"
"                  [--max-flows N] TRACE\n"
"\n"
"Write TRACE as Chrome trace-event JSON, for https://ui.perfetto.dev and\n"
"chrome://tracing: one track per hart (\"hart N\"), instants for\n"
"interrupts taken (IRQ), exceptions, atomics (AMO, LR, SC) and code\n"
"invalidations, a flow arrow from each RELEASE to the ACQUIRE that waited\n"
"for it (between two zero-length slices naming the page), slices for WFI\n"
"waits and for interrupt handlers (trap entry to its xRET), and per hart\n"
"a counter of UART bytes in and out. Exceptions, handlers, WFI and UART\n"
"output come from a serialized replay of the trace (as `rrv irqs`); the\n"
"rest from its event streams. The JSON is written as it is produced.\n"
"\n"
"options:\n"
"  --chrome OUT.json  where to write it (required)\n"
"  --clock guest      ts in microseconds of guest time (mtime, 10 MHz), the\n"
"                     default: each hart's own time reads, the instructions\n"
"                     between two reads at the hart's usual speed (its 90th\n"
"                     percentile between reads) and the rest of the\n"
"                     interval in the WFI waits inside it; where there is\n"
"                     no WFI, or the hart was slower, evenly spread. Before\n"
"                     its first read and after its last, the usual speed.\n"
"  --clock insns      ts = the hart's instruction count (1 \"us\" = one\n"
"                     instruction; the harts' tracks are not aligned)\n"
"  --max-events N     stop after N events (the JSON stays whole; a flow's\n"
"                     two ends and slices are never split)\n"
"  --max-flows N      at most N RELEASE->ACQUIRE arrows (default 1000000;\n"
"                     they are held in memory until both ends are known)\n"
"  -h, --help         this text\n"
"\n"
"exit status: 0; 1 for an unreadable or damaged trace or a replay that\n"
"fails; 2 for a bad option.\n";

#define RATE_BUCKETS 256
#define DEFAULT_RATE 10.0      /* instructions per mtime tick: 100 MIPS */
#define COUNTER_EVERY 100      /* mtime ticks (10 us) between counter samples */
#define TRAP_DEPTH 16

/* What the replay saw, per hart, in icount order (a temporary file each). */
enum rec_kind { REC_TRAP = 1, REC_XRET, REC_WFI, REC_TX };
struct rec {
	uint64_t icount;
	uint64_t cause;         /* TRAP: cause; XRET: the mode it left */
	uint64_t pc;
	uint32_t kind;
	uint32_t priv;          /* TRAP: the mode it went to */
};

/* One RELEASE -> ACQUIRE arrow: the ACQUIRE named the RELEASE in its deps. */
struct flow {
	uint32_t rel_hart, acq_hart;
	uint64_t rel_seq, acq_seq;
	uint64_t page;
	double rel_ts, acq_ts;
	bool rel_known, acq_known;
};

struct hart_x {
	FILE *recs;
	uint64_t *wfi;          /* icounts of WFI waits, ascending */
	size_t nwfi, capwfi;
	double rate;            /* instructions per tick, its usual speed */
	uint64_t last_icount;
};

struct exporter {
	struct trace_reader *tr;
	const char *path;
	FILE *out;
	bool insns_clock;
	uint64_t max_events, events, max_flows, flows_dropped;
	bool stopped;
	unsigned nharts;
	struct hart_x h[TRACE_MAX_HARTS];
	struct flow *flows;
	size_t nflows;
	/* Replay-time state (the observer; one thread). */
	uint8_t lcr;
	char err[512];
};

/* ---- the guest clock of one hart: a walk in icount order ---- */

struct clock {
	struct exporter *x;
	unsigned hart;
	struct trace_iter *it;  /* the hart's TIME events, ahead of the walk */
	bool have0, have1, done;
	uint64_t i0, i1;
	double t0, t1, tmax;
	size_t wfi_pos;         /* first WFI at or after i0 */
};

static int clock_advance(struct clock *c)
{
	struct trace_event e;
	char err[256];
	for (;;) {
		int r = trace_iter_next(c->it, &e, NULL, err, sizeof(err));
		if (r < 0) {
			snprintf(c->x->err, sizeof(c->x->err), "%s", err);
			return -1;
		}
		if (r == 0) {
			c->done = true;
			c->have0 = c->have1;
			c->i0 = c->i1;
			c->t0 = c->t1;
			c->have1 = false;
			return 0;
		}
		if (e.kind != TRACE_EV_TIME)
			continue;
		/* A guest may set mtime back; the clock does not go back. */
		double t = (double)e.value > c->tmax ? (double)e.value : c->tmax;
		c->tmax = t;
		c->have0 = c->have1;
		c->i0 = c->i1;
		c->t0 = c->t1;
		c->have1 = true;
		c->i1 = e.icount;
		c->t1 = t;
		return 0;
	}
}

static int clock_open(struct clock *c, struct exporter *x, unsigned hart)
{
	*c = (struct clock){ .x = x, .hart = hart, .tmax = 0 };
	if (x->insns_clock)
		return 0;
	c->it = trace_iter_new(x->tr, hart);
	if (!c->it) {
		snprintf(x->err, sizeof(x->err), "out of memory");
		return -1;
	}
	return clock_advance(c);
}

static void clock_close(struct clock *c)
{
	if (c->it)
		trace_iter_free(c->it);
}

/* WFI waits w with lo <= w < hi, counting from *pos on. */
static size_t wfis_between(const struct hart_x *hx, size_t *pos, uint64_t lo, uint64_t hi,
			   uint64_t below, size_t *before)
{
	while (*pos < hx->nwfi && hx->wfi[*pos] < lo)
		(*pos)++;
	size_t n = 0, b = 0;
	for (size_t k = *pos; k < hx->nwfi && hx->wfi[k] < hi; k++) {
		n++;
		if (hx->wfi[k] < below)
			b++;
	}
	*before = b;
	return n;
}

/* ts (µs) of the moment the hart had retired icount instructions; calls
 * come in non-decreasing icount order. -1 on a damaged trace. */
static double clock_at(struct clock *c, uint64_t icount)
{
	if (c->x->insns_clock)
		return (double)icount;
	while (c->have1 && icount >= c->i1)
		if (clock_advance(c) < 0)
			return -1;
	const struct hart_x *hx = &c->x->h[c->hart];
	double r = hx->rate, t;
	if (!c->have0 && !c->have1)
		t = (double)icount / r;
	else if (!c->have0)       /* before the first read */
		t = fmax(0, c->t1 - (double)(c->i1 - icount) / r);
	else if (!c->have1)       /* after the last */
		t = c->t0 + (double)(icount - c->i0) / r;
	else {
		double span = c->t1 - c->t0, n = (double)(c->i1 - c->i0);
		double busy = n / r;
		size_t before;
		size_t k = wfis_between(hx, &c->wfi_pos, c->i0, c->i1, icount, &before);
		if (k && busy < span)
			t = c->t0 + (double)(icount - c->i0) / r +
			    (span - busy) / (double)k * (double)before;
		else
			t = c->t0 + span * (double)(icount - c->i0) / n;
	}
	return t / (CLINT_TIMEBASE_HZ / 1e6);
}

/* ---- JSON out ---- */

/* Room for n more events? Past the bound, nothing more is written. */
static bool room(struct exporter *x, unsigned n)
{
	if (x->stopped)
		return false;
	if (x->max_events && x->events + n > x->max_events) {
		x->stopped = true;
		return false;
	}
	x->events += n;
	return true;
}

static void ev_begin(struct exporter *x, const char *ph, const char *name, const char *cat,
		     unsigned tid, double ts)
{
	fprintf(x->out, ",\n{\"ph\":\"%s\",\"name\":\"%s\",\"cat\":\"%s\",\"pid\":1,\"tid\":%u,"
		"\"ts\":%.3f", ph, name, cat, tid, ts);
}

static void instant(struct exporter *x, const char *name, const char *cat, unsigned tid,
		    double ts, const char *args)
{
	if (!room(x, 1))
		return;
	ev_begin(x, "i", name, cat, tid, ts);
	fprintf(x->out, ",\"s\":\"t\",\"args\":{%s}}", args);
}

static void slice(struct exporter *x, const char *name, const char *cat, unsigned tid,
		  double ts, double end, const char *args)
{
	if (!room(x, 1))
		return;
	ev_begin(x, "X", name, cat, tid, ts);
	fprintf(x->out, ",\"dur\":%.3f,\"args\":{%s}}", end > ts ? end - ts : 0.0, args);
}

static const char *irq_name(uint64_t code)
{
	static const char *const n[] = { [1] = "SSI", [3] = "MSI", [5] = "STI", [7] = "MTI",
					 [9] = "SEI", [11] = "MEI" };
	return code < 12 && n[code] ? n[code] : "interrupt";
}

static const char *exc_name(uint64_t code)
{
	static const char *const n[] = {
		"misaligned fetch", "fetch access fault", "illegal instruction", "breakpoint",
		"misaligned load", "load access fault", "misaligned store", "store access fault",
		"ecall from U", "ecall from S", "exception 10", "ecall from M",
		"fetch page fault", "load page fault", "exception 14", "store page fault",
	};
	return code < 16 ? n[code] : "exception";
}

/* ---- pass 1: the flows (which RELEASEs an ACQUIRE waited for) ---- */

static int collect_flows(struct exporter *x)
{
	size_t cap = 0;
	for (unsigned h = 0; h < x->nharts; h++) {
		struct trace_iter *it = trace_iter_new(x->tr, h);
		struct trace_event e;
		uint64_t seq;
		int r;
		while ((r = trace_iter_next(it, &e, &seq, x->err, sizeof(x->err))) == 1) {
			if (e.kind != TRACE_EV_ACQUIRE)
				continue;
			for (uint32_t d = 0; d < e.ndeps; d++) {
				if (x->nflows == x->max_flows) {
					x->flows_dropped++;
					continue;
				}
				if (x->nflows == cap) {
					cap = cap ? 2 * cap : 1024;
					struct flow *nf = realloc(x->flows, cap * sizeof(*nf));
					if (!nf) {
						trace_iter_free(it);
						snprintf(x->err, sizeof(x->err), "out of memory");
						return -1;
					}
					x->flows = nf;
				}
				x->flows[x->nflows++] = (struct flow){
					.rel_hart = e.deps[d].hart, .rel_seq = e.deps[d].seq,
					.acq_hart = h, .acq_seq = seq, .page = e.page,
				};
			}
		}
		trace_iter_free(it);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int by_release(const void *a, const void *b)
{
	const struct flow *p = a, *q = b;
	if (p->rel_hart != q->rel_hart)
		return p->rel_hart < q->rel_hart ? -1 : 1;
	return p->rel_seq < q->rel_seq ? -1 : p->rel_seq > q->rel_seq;
}

/* ---- pass 2: the replay, its observations into per-hart files ---- */

static void put_rec(struct exporter *x, struct hart *h, uint32_t kind, uint64_t cause,
		    uint64_t icount)
{
	struct rec r = { .icount = icount, .cause = cause, .pc = h->pc, .kind = kind,
			 .priv = h->priv };
	if (fwrite(&r, sizeof(r), 1, x->h[h->id].recs) != 1 && !x->err[0])
		snprintf(x->err, sizeof(x->err), "temporary file: %s", strerror(errno));
}

static void on_trap(void *ctx, struct hart *h, uint64_t cause, unsigned from)
{
	(void)from;
	put_rec(ctx, h, REC_TRAP, cause, h->icount);
}

static void on_xret(void *ctx, struct hart *h, unsigned from)
{
	put_rec(ctx, h, REC_XRET, from, h->icount);
}

static void on_wfi(void *ctx, struct hart *h)
{
	struct exporter *x = ctx;
	struct hart_x *hx = &x->h[h->id];
	if (hx->nwfi == hx->capwfi) {
		size_t cap = hx->capwfi ? 2 * hx->capwfi : 256;
		uint64_t *n = realloc(hx->wfi, cap * sizeof(*n));
		if (!n)
			return;   /* a wait less to place: the clock spreads it */
		hx->wfi = n;
		hx->capwfi = cap;
	}
	hx->wfi[hx->nwfi++] = h->icount;
	put_rec(x, h, REC_WFI, 0, h->icount);
}

static void on_mmio(void *ctx, struct hart *h, uint64_t paddr, unsigned size, uint64_t val,
		    bool write)
{
	(void)size;
	struct exporter *x = ctx;
	if (!write || paddr < UART_BASE || paddr >= UART_BASE + 8)
		return;
	unsigned reg = (unsigned)(paddr - UART_BASE);
	if (reg == 3)
		x->lcr = (uint8_t)val;       /* LCR; bit 7 (DLAB) hides THR */
	else if (reg == 0 && !(x->lcr & 0x80))
		put_rec(x, h, REC_TX, 0, h->insn_icount);
}

static int replay_observed(struct exporter *x)
{
	struct machine_config cfg;
	struct rr_trace_files files = { 0 };
	rr_trace_config(x->tr, &files, 1, &cfg);
	struct machine *m = rr_trace_machine(x->tr, &cfg, &files, x->err, sizeof(x->err));
	rr_trace_files_cleanup(&files);
	if (!m)
		return 1;
	struct uart_state us;
	uart_get_state(m->uart, &us);
	x->lcr = us.lcr;
	struct machine_observer obs = {
		.mmio = on_mmio, .trap = on_trap, .xret = on_xret, .wfi = on_wfi, .ctx = x,
	};
	struct rr_trace_play *play = rr_trace_play_new(x->tr);
	struct rr_options ropt = { .replay = true, .serial = true, .quiet = true };
	struct rr *rr = play ? rr_new(m, &ropt, &rr_trace_read_ops, play, x->err,
				      sizeof(x->err)) : NULL;
	if (!rr) {
		if (!x->err[0])
			snprintf(x->err, sizeof(x->err), "out of memory");
		rr_trace_play_free(play);
		machine_free(m);
		return 1;
	}
	m->obs = &obs;
	machine_run(m, 0);
	m->obs = NULL;
	int status = 0;
	const char *div = rr_divergence(rr);
	if (div) {
		snprintf(x->err, sizeof(x->err), "the replay diverged: %s", div);
		status = 1;
	} else if (rr_trace_play_error(play)) {
		snprintf(x->err, sizeof(x->err), "%s", rr_trace_play_error(play));
		status = 1;
	}
	for (unsigned h = 0; h < x->nharts; h++)
		x->h[h].last_icount = m->harts[h]->icount;
	rr_free(rr);
	rr_trace_play_free(play);
	machine_free(m);
	return status || x->err[0] ? 1 : 0;
}

/* ---- each hart's usual speed: the 90th percentile between time reads ---- */

static int estimate_rates(struct exporter *x)
{
	for (unsigned h = 0; h < x->nharts; h++) {
		uint64_t hist[RATE_BUCKETS] = { 0 }, total = 0;
		struct trace_iter *it = trace_iter_new(x->tr, h);
		struct trace_event e;
		uint64_t pi = 0, pt = 0;
		bool have = false;
		int r;
		while ((r = trace_iter_next(it, &e, NULL, x->err, sizeof(x->err))) == 1) {
			if (e.kind != TRACE_EV_TIME)
				continue;
			/* Few instructions between reads say little (a tick is
			 * 0.1 µs); a WFI inside only makes the rate lower. */
			if (have && e.value > pt && e.icount - pi >= 1000) {
				double rate = (double)(e.icount - pi) / (double)(e.value - pt);
				int b = (int)(log2(rate) * 8) + RATE_BUCKETS / 2;
				b = b < 0 ? 0 : b >= RATE_BUCKETS ? RATE_BUCKETS - 1 : b;
				hist[b]++;
				total++;
			}
			have = true;
			pi = e.icount;
			pt = e.value;
		}
		trace_iter_free(it);
		if (r < 0)
			return -1;
		x->h[h].rate = DEFAULT_RATE;
		uint64_t acc = 0;
		for (int b = 0; b < RATE_BUCKETS && total; b++) {
			acc += hist[b];
			if (acc * 10 >= total * 9) {
				x->h[h].rate = exp2((double)(b - RATE_BUCKETS / 2 + 0.5) / 8);
				break;
			}
		}
	}
	return 0;
}

/* ---- pass 3: a hart's trace events and replay records as JSON ---- */

static struct flow *find_release(struct exporter *x, unsigned hart, uint64_t seq)
{
	struct flow key = { .rel_hart = hart, .rel_seq = seq };
	return bsearch(&key, x->flows, x->nflows, sizeof(key), by_release);
}

static int export_events(struct exporter *x, unsigned h)
{
	struct clock c;
	if (clock_open(&c, x, h) < 0)
		return -1;
	struct trace_iter *it = trace_iter_new(x->tr, h);
	struct trace_event e;
	uint64_t seq, in = 0;
	char args[256], name[64];
	int r;
	while ((r = trace_iter_next(it, &e, &seq, x->err, sizeof(x->err))) == 1) {
		double ts = clock_at(&c, e.icount);
		if (ts < 0) {
			r = -1;
			break;
		}
		switch (e.kind) {
		case TRACE_EV_IRQ:
			snprintf(args, sizeof(args), "\"cause\":%" PRIu64 ",\"pc\":\"%#" PRIx64
				 "\",\"icount\":%" PRIu64, (uint64_t)(e.value & ~CAUSE_INTERRUPT), e.addr, e.icount);
			snprintf(name, sizeof(name), "irq %s", irq_name(e.value & ~CAUSE_INTERRUPT));
			instant(x, name, "irq", h, ts, args);
			break;
		case TRACE_EV_ATOMIC:
			snprintf(args, sizeof(args), "\"addr\":\"%#" PRIx64 "\",\"icount\":%" PRIu64,
				 e.addr, e.icount);
			snprintf(name, sizeof(name), "%s%s", e.op == 1 ? "amo" : e.op == 2 ? "lr" : "sc",
				 e.op == 3 ? (e.success ? " ok" : " failed") : "");
			instant(x, name, "atomic", h, ts, args);
			break;
		case TRACE_EV_CC_INVAL: {
			static const char *const why[] = { "?", "store", "fence.i", "sfence.vma",
							   "revoked", "cache full" };
			snprintf(args, sizeof(args), "\"page\":\"%s%#" PRIx64 "\",\"icount\":%" PRIu64,
				 e.page == TRACE_PAGE_ALL ? "all " : "",
				 e.page == TRACE_PAGE_ALL ? 0 : e.page << 12, e.icount);
			snprintf(name, sizeof(name), "code invalidated (%s)", e.op < 6 ? why[e.op] : "?");
			instant(x, name, "code", h, ts, args);
			break;
		}
		case TRACE_EV_INPUT:
			if (e.op != RR_INPUT_UART || !room(x, 1))
				break;
			in += e.len;
			ev_begin(x, "C", "uart in", "uart", h, ts);
			fprintf(x->out, ",\"args\":{\"hart %u\":%" PRIu64 "}}", h, in);
			break;
		case TRACE_EV_RELEASE: {
			/* Every arrow that starts here (one per ACQUIRE after it). */
			struct flow *f = x->nflows ? find_release(x, h, seq) : NULL;
			while (f && f > x->flows && f[-1].rel_hart == h && f[-1].rel_seq == seq)
				f--;
			for (; f && f < x->flows + x->nflows && f->rel_hart == h &&
			     f->rel_seq == seq; f++) {
				f->rel_ts = ts;
				f->rel_known = true;
			}
			break;
		}
		default:
			break;
		}
	}
	trace_iter_free(it);
	clock_close(&c);
	return r < 0 ? -1 : 0;
}

/* ACQUIRE times: the flows sorted by ACQUIRE, one walk per hart. */
static int by_acquire(const void *a, const void *b)
{
	const struct flow *p = a, *q = b;
	if (p->acq_hart != q->acq_hart)
		return p->acq_hart < q->acq_hart ? -1 : 1;
	return p->acq_seq < q->acq_seq ? -1 : p->acq_seq > q->acq_seq;
}

static int acquire_times(struct exporter *x)
{
	qsort(x->flows, x->nflows, sizeof(*x->flows), by_acquire);
	size_t k = 0;
	for (unsigned h = 0; h < x->nharts && k < x->nflows; h++) {
		struct clock c;
		if (clock_open(&c, x, h) < 0)
			return -1;
		struct trace_iter *it = trace_iter_new(x->tr, h);
		struct trace_event e;
		uint64_t seq;
		int r;
		while (k < x->nflows && x->flows[k].acq_hart == h &&
		       (r = trace_iter_next(it, &e, &seq, x->err, sizeof(x->err))) == 1) {
			double ts = clock_at(&c, e.icount);
			if (ts < 0)
				break;
			for (; k < x->nflows && x->flows[k].acq_hart == h && x->flows[k].acq_seq == seq;
			     k++) {
				x->flows[k].acq_ts = ts;
				x->flows[k].acq_known = true;
			}
		}
		trace_iter_free(it);
		clock_close(&c);
		if (x->err[0])
			return -1;
		while (k < x->nflows && x->flows[k].acq_hart == h)
			k++;
	}
	return 0;
}

/* Both ends and the slices they bind to, or nothing. */
static void export_flows(struct exporter *x)
{
	char args[128];
	for (size_t k = 0; k < x->nflows; k++) {
		const struct flow *f = &x->flows[k];
		if (!f->rel_known || !f->acq_known || !room(x, 4))
			continue;
		uint64_t id = k + 1;
		char pg[32];
		trace_page_name(f->page, pg, sizeof(pg));
		/* Slices are named by the kind of domain: RAM, io, mtimecmp. */
		int dom = trace_page_is_ram(f->page) ? 0 : f->page == TRACE_PAGE_IO ? 1 : 2;
		static const char *const rel_name[] = { "release", "release io", "release mtimecmp" };
		static const char *const acq_name[] = { "acquire", "acquire io", "acquire mtimecmp" };
		snprintf(args, sizeof(args), "\"page\":\"%s\",\"seq\":%" PRIu64,
			 pg, f->rel_seq);
		x->events -= 2;   /* room() counted all four */
		slice(x, rel_name[dom], "ownership",
		      f->rel_hart, f->rel_ts, f->rel_ts, args);
		ev_begin(x, "s", "ownership", "ownership", f->rel_hart, f->rel_ts);
		fprintf(x->out, ",\"id\":%" PRIu64 "}", id);
		snprintf(args, sizeof(args), "\"page\":\"%s\",\"after\":\"%u:%" PRIu64 "\"",
			 pg, f->rel_hart, f->rel_seq);
		slice(x, acq_name[dom], "ownership",
		      f->acq_hart, f->acq_ts, f->acq_ts, args);
		ev_begin(x, "f", "ownership", "ownership", f->acq_hart, f->acq_ts);
		fprintf(x->out, ",\"bp\":\"e\",\"id\":%" PRIu64 "}", id);
	}
}

struct open_trap {
	uint64_t cause, icount, pc;
	double ts;
};

static int export_records(struct exporter *x, unsigned h)
{
	struct hart_x *hx = &x->h[h];
	struct open_trap stack[4][TRAP_DEPTH];
	unsigned depth[4] = { 0 };
	struct clock c;
	if (clock_open(&c, x, h) < 0)
		return -1;
	rewind(hx->recs);
	struct rec r;
	char args[192], name[64];
	bool wfi_open = false;
	double wfi_ts = 0, last_counter = -1e300;
	uint64_t wfi_ic = 0, out = 0;
	while (fread(&r, sizeof(r), 1, hx->recs) == 1) {
		/* A WFI ends when the hart retires it: any later record. (The
		 * clock is asked in icount order: its end before this.) */
		if (wfi_open && r.icount > wfi_ic) {
			snprintf(args, sizeof(args), "\"icount\":%" PRIu64, wfi_ic);
			slice(x, "WFI", "wfi", h, wfi_ts, clock_at(&c, wfi_ic + 1), args);
			wfi_open = false;
		}
		double ts = clock_at(&c, r.icount);
		if (ts < 0)
			break;
		switch (r.kind) {
		case REC_WFI:
			wfi_open = true;
			wfi_ts = ts;
			wfi_ic = r.icount;
			break;
		case REC_TRAP: {
			unsigned mode = r.priv & 3;
			if (!(r.cause & CAUSE_INTERRUPT)) {
				snprintf(args, sizeof(args), "\"cause\":%" PRIu64 ",\"icount\":%" PRIu64,
					 r.cause, r.icount);
				instant(x, exc_name(r.cause), "exception", h, ts, args);
			}
			if (depth[mode] == TRAP_DEPTH) {
				/* Deeper than any handler nests: the oldest is forgotten. */
				memmove(stack[mode], stack[mode] + 1, (TRAP_DEPTH - 1) * sizeof(stack[0][0]));
				depth[mode]--;
			}
			stack[mode][depth[mode]++] = (struct open_trap){ r.cause, r.icount, r.pc, ts };
			break;
		}
		case REC_XRET: {
			unsigned mode = (unsigned)r.cause & 3;
			if (!depth[mode])
				break;
			struct open_trap t = stack[mode][--depth[mode]];
			if (!(t.cause & CAUSE_INTERRUPT))
				break;
			uint64_t code = (uint64_t)(t.cause & ~CAUSE_INTERRUPT);
			snprintf(name, sizeof(name), "%s handler", irq_name(code));
			snprintf(args, sizeof(args), "\"cause\":%" PRIu64 ",\"icount\":%" PRIu64
				 ",\"instructions\":%" PRIu64, code, t.icount, r.icount - t.icount);
			slice(x, name, "irq", h, t.ts, ts, args);
			break;
		}
		case REC_TX:
			out++;
			if (ts * 10 - last_counter >= COUNTER_EVERY && room(x, 1)) {
				last_counter = ts * 10;
				ev_begin(x, "C", "uart out", "uart", h, ts);
				fprintf(x->out, ",\"args\":{\"hart %u\":%" PRIu64 "}}", h, out);
			}
			break;
		}
	}
	/* The end of the run closes what is still open, innermost first
	 * (a guest that ended inside a handler or a WFI). */
	double end = clock_at(&c, hx->last_icount);
	if (wfi_open)
		slice(x, "WFI", "wfi", h, wfi_ts, end, "\"open\":true");
	for (int mode = 3; mode >= 0; mode--)
		while (depth[mode]) {
			struct open_trap t = stack[mode][--depth[mode]];
			if (!(t.cause & CAUSE_INTERRUPT))
				continue;
			snprintf(name, sizeof(name), "%s handler", irq_name(t.cause & ~CAUSE_INTERRUPT));
			slice(x, name, "irq", h, t.ts, end, "\"open\":true");
		}
	if (out && room(x, 1)) {
		ev_begin(x, "C", "uart out", "uart", h, end);
		fprintf(x->out, ",\"args\":{\"hart %u\":%" PRIu64 "}}", h, out);
	}
	clock_close(&c);
	return x->err[0] ? -1 : 0;
}

static void export_metadata(struct exporter *x)
{
	const char *base = strrchr(x->path, '/');
	base = base ? base + 1 : x->path;
	fprintf(x->out, "{\"traceEvents\":[\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,"
		"\"tid\":0,\"ts\":0,\"cat\":\"__metadata\",\"args\":{\"name\":\"rrv ");
	for (const char *p = base; *p; p++)
		fprintf(x->out, *p == '"' || *p == '\\' ? "\\%c" : (unsigned char)*p < 32 ? "?" : "%c",
			*p);
	fprintf(x->out, "\"}}");
	for (unsigned h = 0; h < x->nharts; h++) {
		fprintf(x->out, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":%u,"
			"\"ts\":0,\"cat\":\"__metadata\",\"args\":{\"name\":\"hart %u\"}}", h, h);
		fprintf(x->out, ",\n{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":1,"
			"\"tid\":%u,\"ts\":0,\"cat\":\"__metadata\",\"args\":{\"sort_index\":%u}}", h, h);
	}
}

static int export_all(struct exporter *x)
{
	if (collect_flows(x) < 0 || estimate_rates(x) < 0)
		return 1;
	qsort(x->flows, x->nflows, sizeof(*x->flows), by_release);
	for (unsigned h = 0; h < x->nharts; h++)
		if (!(x->h[h].recs = tmpfile())) {
			snprintf(x->err, sizeof(x->err), "temporary file: %s", strerror(errno));
			return 1;
		}
	if (replay_observed(x))
		return 1;
	export_metadata(x);
	for (unsigned h = 0; h < x->nharts; h++)
		if (export_events(x, h) < 0 || export_records(x, h) < 0)
			return 1;
	if (acquire_times(x) < 0)
		return 1;
	export_flows(x);
	fprintf(x->out, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"clock\":\"%s\","
		"\"events\":%" PRIu64 ",\"truncated\":%s,\"flows_left_out\":%" PRIu64 "}}\n",
		x->insns_clock ? "insns" : "guest", x->events, x->stopped ? "true" : "false",
		x->flows_dropped);
	return 0;
}

static int parse_count(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return *s && *s != '-' && !*end && !errno ? 0 : -1;
}

int dbg_cmd_export(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "chrome", required_argument, NULL, 'c' },
		{ "clock", required_argument, NULL, 'k' },
		{ "max-events", required_argument, NULL, 'm' },
		{ "max-flows", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct exporter *x = calloc(1, sizeof(*x));
	if (!x)
		return 1;
	x->max_flows = 1000000;
	const char *out = NULL;
	int c, status = 0;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'c': out = optarg; break;
		case 'k':
			if (strcmp(optarg, "guest") && strcmp(optarg, "insns")) {
				fprintf(stderr, "rrv: --clock takes guest or insns, not '%s'\n", optarg);
				status = RRV_EXIT_USAGE;
				goto out_free;
			}
			x->insns_clock = !strcmp(optarg, "insns");
			break;
		case 'm':
		case 'f':
			if (parse_count(optarg, c == 'm' ? &x->max_events : &x->max_flows) < 0) {
				fprintf(stderr, "rrv: --%s takes a count, not '%s'\n",
					c == 'm' ? "max-events" : "max-flows", optarg);
				status = RRV_EXIT_USAGE;
				goto out_free;
			}
			break;
		case 'h':
			fputs(usage_export, stdout);
			goto out_free;
		default:
			fprintf(stderr, "rrv: bad option '%s' (see `rrv export --help`)\n",
				argv[optind - 1]);
			status = RRV_EXIT_USAGE;
			goto out_free;
		}
	}
	if (!out || optind + 1 != argc) {
		fprintf(stderr, "rrv: export takes --chrome OUT.json and one trace file "
			"(see `rrv export --help`)\n");
		status = RRV_EXIT_USAGE;
		goto out_free;
	}
	x->path = argv[optind];
	if (!(x->tr = trace_open(x->path, x->err, sizeof(x->err)))) {
		fprintf(stderr, "rrv: %s\n", x->err);
		status = 1;
		goto out_free;
	}
	if (!trace_complete(x->tr))
		fprintf(stderr, "rrv: %s: %s\n", x->path, trace_cut_message(x->tr));
	x->nharts = trace_nharts(x->tr);
	if (!(x->out = fopen(out, "w"))) {
		fprintf(stderr, "rrv: %s: %s\n", out, strerror(errno));
		status = 1;
		goto out_close;
	}
	status = export_all(x);
	if (fclose(x->out) != 0 && !status) {
		snprintf(x->err, sizeof(x->err), "%s: %s", out, strerror(errno));
		status = 1;
	}
	if (status) {
		fprintf(stderr, "rrv: %s: %s\n", x->path, x->err);
		unlink(out);   /* half a JSON file helps nobody */
	} else if (x->stopped) {
		fprintf(stderr, "rrv: export stopped at %" PRIu64 " events (--max-events)\n",
			x->events);
	}
	if (!status && x->flows_dropped)
		fprintf(stderr, "rrv: %" PRIu64 " flows left out (--max-flows %" PRIu64 ")\n",
			x->flows_dropped, x->max_flows);
out_close:
	for (unsigned h = 0; h < x->nharts; h++) {
		if (x->h[h].recs)
			fclose(x->h[h].recs);
		free(x->h[h].wfi);
	}
	free(x->flows);
	trace_close(x->tr);
out_free:
	free(x);
	return status;
}
