/* cmd_irqs.c: `rrv irqs TRACE`: interrupts per PLIC source, context and hart, from a replay. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hart.h"
#include "core/machine.h"
#include "core/riscv.h"
#include "debugger/backtrace.h"
#include "debugger/cli.h"
#include "debugger/symbols.h"
#include "debugger/trace_symbols.h"
#include "devices/clint.h"
#include "devices/uart.h"
#include "logs/trace.h"
#include "replay/irq_observer.h"
#include "replay/rr.h"
#include "replay/rr_open.h"
#include "replay/rr_trace.h"

static const char usage_irqs[] =
"usage: rrv irqs [--json] [--symbols FILE] TRACE\n"
"\n"
"Replay TRACE (serialized, silently) and report its interrupts: per PLIC\n"
"source the raises (by its device, or injected with --inject), claims per\n"
"context, completions, claims the driver left unhandled (the UART: every\n"
"IIR read between claim and completion said \"no interrupt pending\"),\n"
"the busiest 100 ms of guest time, every enable, disable and priority\n"
"change with hart, time, pc and symbol; per context the claims and those\n"
"that returned 0, threshold changes; per hart the interrupts taken by\n"
"cause and the instructions spent in their handlers (trap entry to xRET).\n"
"A source left disabled after a storm of unhandled interrupts gets a\n"
"verdict line. t is every hart's icount summed at that moment of the\n"
"replay; [goto I0,I1,..] is that position, which `rrv debug TRACE -ex\n"
"'goto I0,I1,..'` reaches exactly (the hart before the instruction named).\n"
"\n"
"options:\n"
"  --json          one JSON object instead of the text\n"
"  --symbols FILE  more symbols (an ELF file or a System.map) besides the\n"
"                  trace's ELF images and a Linux kernel's kallsyms\n"
"  -h, --help      this text\n"
"\n"
"exit status: 0; 120 when the replay diverged (nothing is reported);\n"
"1 for an unreadable trace; 2 for a bad option.\n";

#define MAX_LISTED 12

static const char *cause_name(unsigned code)
{
	static const char *const names[IRQO_CAUSES] = {
		[1] = "SSI", [3] = "MSI", [5] = "STI", [7] = "MTI", [9] = "SEI", [11] = "MEI",
	};
	return code < IRQO_CAUSES && names[code] ? names[code] : "?";
}

static const char *src_name(unsigned src)
{
	return src == UART_IRQ ? "uart0" : "";
}

static const char *ctx_mode(unsigned ctx)
{
	return ctx & 1 ? "S" : "M";
}

static const char *change_name(enum irqo_change_kind k)
{
	static const char *const n[] = { "enable", "disable", "priority", "threshold" };
	return n[k];
}

/* A JSON string of text (symbols are plain, but be safe). */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 32)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void json_at(const struct sym_table *syms, const struct irqo_at *a)
{
	char sym[256];
	printf("\"hart\": %u, \"t\": %" PRIu64 ", \"icount\": %" PRIu64
	       ", \"pc\": \"%#" PRIx64 "\", \"mtime\": %" PRIu64 ", \"symbol\": ",
	       a->hart, a->t, a->icount, a->pc, a->mtime);
	json_str(sym_format(syms, a->pc, sym, sizeof(sym)));
}

static void json_pos(const struct irqo_pos *p)
{
	printf(", \"goto\": \"");
	for (unsigned i = 0; i < p->n; i++)
		printf("%s%" PRIu64, i ? "," : "", p->icount[i]);
	printf("\"");
}

static void text_pos(const struct irqo_pos *p)
{
	printf(" [goto ");
	for (unsigned i = 0; i < p->n; i++)
		printf("%s%" PRIu64, i ? "," : "", p->icount[i]);
	printf("]");
}

static void text_at(const struct sym_table *syms, const struct irqo_at *a)
{
	char sym[256];
	printf("hart %u at t=%" PRIu64 " (%.3f s) pc %#" PRIx64 " in %s", a->hart, a->t,
	       (double)a->mtime / CLINT_TIMEBASE_HZ, a->pc,
	       sym_format(syms, a->pc, sym, sizeof(sym)));
}

/* A return address as the function it returns into (looked up at ret-1:
 * a call that ends a function belongs to it). */
static const char *chain_name(const struct sym_table *syms, uint64_t ret, char *buf,
			      size_t len)
{
	struct bt_frame fr = { .pc = ret, .how = BT_FP };
	struct bt_loc loc;
	bt_locate(syms, NULL, &fr, 1, &loc);
	if (loc.sym)
		snprintf(buf, len, "%s", loc.sym);
	else
		snprintf(buf, len, "%#" PRIx64, ret);
	return buf;
}

/* The disabling hart's return addresses, at the write (frame 0, the
 * write's own function, is in the verdict). */
static unsigned unwind_disabler(void *ctx, struct hart *h, uint64_t *ret, unsigned max)
{
	struct bt_frame fr[IRQO_CHAIN + 1];
	unsigned n = bt_walk_hart(h, h->insn_pc, NULL, ctx, fr, max + 1);
	for (unsigned i = 1; i < n; i++)
		ret[i - 1] = fr[i].pc;
	return n ? n - 1 : 0;
}

/* The verdict on a source left disabled after a storm; "" when none. */
static void verdict_text(const struct irqo *o, const struct sym_table *syms,
			 unsigned src, char *buf, size_t len)
{
	const struct irqo_src *s = irqo_source(o, src);
	const struct irqo_disable *d = &s->dis;
	buf[0] = 0;
	/* Linux's own bar: more than 99,900 of 100,000 unhandled. */
	if (!d->open || !d->window || d->unhandled * 1000 < d->window * 999)
		return;
	char sym[256];
	sym_format(syms, d->at.pc, sym, sizeof(sym));
	char *plus = strchr(sym, '+');
	if (plus)
		*plus = 0;
	int n = snprintf(buf, len, "source %u (%s) disabled on context %u by hart %u at "
			 "t=%" PRIu64 " in %s after %" PRIu64 " of %" PRIu64
			 " interrupts unhandled; ", src, src_name(src), d->ctx, d->at.hart,
			 d->at.t, sym, d->unhandled, d->window);
	if (n < 0 || (size_t)n >= len)
		return;
	if (d->claims_after)
		n += snprintf(buf + n, len - (size_t)n, "%" PRIu64 " claims of source %u "
			      "afterwards", d->claims_after, src);
	else
		n += snprintf(buf + n, len - (size_t)n, "no claim of source %u afterwards", src);
	if (src != UART_IRQ || n < 0 || (size_t)n >= len)
		return;
	if (!d->iir_after)
		snprintf(buf + n, len - (size_t)n, ": the console stops receiving");
	else
		snprintf(buf + n, len - (size_t)n, ": the UART is served only in %" PRIu64
			 " bursts %.0f ms apart (median; %.0f..%.0f), %" PRIu64 " bytes in, %"
			 PRIu64 " out: Linux's %s", d->bursts,
			 (double)d->gap_median / (CLINT_TIMEBASE_HZ / 1000),
			 (double)d->gap_min / (CLINT_TIMEBASE_HZ / 1000),
			 (double)d->gap_max / (CLINT_TIMEBASE_HZ / 1000), d->rx_after,
			 d->tx_after, d->gap_median > CLINT_TIMEBASE_HZ / 20 &&
			 d->gap_median < CLINT_TIMEBASE_HZ / 5 ? "100 ms poll of a disabled line"
							     : "other polling");
}

static void print_json(const struct irqo *o, const struct sym_table *syms)
{
	char v[1024];
	printf("{\n  \"sources\": [");
	bool first = true;
	for (unsigned src = 1; src < PLIC_NUM_SOURCES; src++) {
		if (!irqo_source_used(o, src))
			continue;
		const struct irqo_src *s = irqo_source(o, src);
		printf("%s\n    {\"source\": %u, \"name\": \"%s\", \"rises\": %" PRIu64
		       ", \"device_rises\": %" PRIu64 ", \"injected\": %" PRIu64
		       ", \"claims\": %" PRIu64 ", \"completes\": %" PRIu64
		       ", \"unhandled\": %" PRIu64 ", \"handled\": %" PRIu64
		       ", \"peak_100ms\": %" PRIu64 ", \"max_gap_ms\": %.3f"
		       ", \"claims_by_context\": [",
		       first ? "" : ",", src, src_name(src), s->device_rises + s->injected,
		       s->device_rises, s->injected, s->claims_total, s->completes,
		       s->unhandled, s->handled, s->peak,
		       (double)s->max_gap / (CLINT_TIMEBASE_HZ / 1000));
		first = false;
		bool f2 = true;
		for (unsigned c = 0; c < irqo_ncontexts(o); c++) {
			if (!s->claims[c])
				continue;
			printf("%s{\"context\": %u, \"hart\": %u, \"mode\": \"%s\", \"claims\": %"
			       PRIu64 "}", f2 ? "" : ", ", c, c / 2, ctx_mode(c), s->claims[c]);
			f2 = false;
		}
		printf("]");
		if (s->peak) {
			printf(", \"peak_at\": {");
			json_at(syms, &s->peak_at);
			printf("}");
		}
		printf(", \"changes\": [");
		for (size_t i = 0; i < s->nchanges; i++) {
			const struct irqo_change *c = &s->changes[i];
			printf("%s\n      {\"what\": \"%s\", \"context\": %u, \"old\": %" PRIu32
			       ", \"new\": %" PRIu32 ", ", i ? "," : "", change_name(c->kind),
			       c->ctx, c->old, c->now);
			json_at(syms, &c->at);
			json_pos(&c->pos);
			printf("}");
		}
		printf("]");
		verdict_text(o, syms, src, v, sizeof(v));
		if (s->dis.open) {
			const struct irqo_disable *d = &s->dis;
			printf(",\n     \"disabled\": {\"context\": %u, \"window\": %" PRIu64
			       ", \"unhandled\": %" PRIu64 ", \"claims_after\": %" PRIu64
			       ", \"iir_reads_after\": %" PRIu64 ", \"bytes_in_after\": %" PRIu64
			       ", \"bytes_out_after\": %" PRIu64 ", \"service_bursts_after\": %"
			       PRIu64 ", \"burst_gap_median_ms\": %.1f, ", d->ctx, d->window,
			       d->unhandled, d->claims_after, d->iir_after, d->rx_after,
			       d->tx_after, d->bursts,
			       (double)d->gap_median / (CLINT_TIMEBASE_HZ / 1000));
			json_at(syms, &d->at);
			printf(", \"called_from\": [");
			for (unsigned i = 0; i < d->nchain; i++) {
				char sym[256];
				printf("%s{\"pc\": \"%#" PRIx64 "\", \"symbol\": ", i ? ", " : "",
				       d->chain[i]);
				json_str(chain_name(syms, d->chain[i], sym, sizeof(sym)));
				printf("}");
			}
			printf("]");
			json_pos(&d->pos);
			printf(", \"verdict\": ");
			json_str(v);
			printf("}");
		}
		printf("}");
	}
	printf("\n  ],\n  \"contexts\": [");
	for (unsigned c = 0; c < irqo_ncontexts(o); c++) {
		const struct irqo_ctx *x = irqo_context(o, c);
		printf("%s\n    {\"context\": %u, \"hart\": %u, \"mode\": \"%s\", \"claims\": %"
		       PRIu64 ", \"zero_claims\": %" PRIu64 "}", c ? "," : "", c, c / 2,
		       ctx_mode(c), x->claims, x->zero_claims);
	}
	size_t nthr;
	const struct irqo_change *thr = irqo_thresholds(o, &nthr);
	printf("\n  ],\n  \"thresholds\": [");
	for (size_t i = 0; i < nthr; i++) {
		printf("%s\n    {\"context\": %u, \"old\": %" PRIu32 ", \"new\": %" PRIu32 ", ",
		       i ? "," : "", thr[i].ctx, thr[i].old, thr[i].now);
		json_at(syms, &thr[i].at);
		printf("}");
	}
	printf("\n  ],\n  \"harts\": [");
	for (unsigned h = 0; h < irqo_nharts(o); h++) {
		const struct irqo_hart *x = irqo_hart(o, h);
		printf("%s\n    {\"hart\": %u, \"instructions\": %" PRIu64 ", \"interrupts\": {",
		       h ? "," : "", h, x->insns);
		bool f = true;
		for (unsigned k = 0; k < IRQO_CAUSES; k++)
			if (x->irqs[k]) {
				printf("%s\"%s\": %" PRIu64, f ? "" : ", ", cause_name(k), x->irqs[k]);
				f = false;
			}
		printf("}, \"handler_instructions\": {");
		f = true;
		for (unsigned k = 0; k < IRQO_CAUSES; k++)
			if (x->irqs[k]) {
				printf("%s\"%s\": %" PRIu64, f ? "" : ", ", cause_name(k),
				       x->handler_insns[k]);
				f = false;
			}
		printf("}}");
	}
	printf("\n  ],\n  \"verdicts\": [");
	first = true;
	for (unsigned src = 1; src < PLIC_NUM_SOURCES; src++) {
		verdict_text(o, syms, src, v, sizeof(v));
		if (!v[0])
			continue;
		printf("%s\n    ", first ? "" : ",");
		json_str(v);
		first = false;
	}
	printf("\n  ]\n}\n");
}

static void print_source(const struct irqo *o, const struct sym_table *syms, unsigned src)
{
	const struct irqo_src *s = irqo_source(o, src);
	printf("source %u%s%s%s: raised %" PRIu64 " (device %" PRIu64 ", injected %" PRIu64
	       "), claimed %" PRIu64 ", completed %" PRIu64, src, *src_name(src) ? " (" : "",
	       src_name(src), *src_name(src) ? ")" : "", s->device_rises + s->injected,
	       s->device_rises, s->injected, s->claims_total, s->completes);
	if (s->handled || s->unhandled)
		printf(", unhandled %" PRIu64 ", handled %" PRIu64, s->unhandled, s->handled);
	printf("\n");
	for (unsigned c = 0; c < irqo_ncontexts(o); c++)
		if (s->claims[c])
			printf("  claims on context %u (hart %u %s-mode): %" PRIu64 "\n", c, c / 2,
			       ctx_mode(c), s->claims[c]);
	if (s->peak) {
		printf("  busiest 100 ms: %" PRIu64 " claims (%" PRIu64 "/s) from ", s->peak,
		       s->peak * 10);
		text_at(syms, &s->peak_at);
		printf("\n");
	}
	if (s->max_gap) {
		printf("  longest time without a claim: %.1f ms, ended by ",
		       (double)s->max_gap / (CLINT_TIMEBASE_HZ / 1000));
		text_at(syms, &s->max_gap_at);
		printf("\n");
	}
	size_t shown = 0;
	for (size_t i = 0; i < s->nchanges; i++) {
		const struct irqo_change *c = &s->changes[i];
		/* The first ones and the last ones: a driver that toggles a
		 * line around every interrupt would fill pages. */
		if (s->nchanges > MAX_LISTED && i >= MAX_LISTED / 2 &&
		    i < s->nchanges - MAX_LISTED / 2) {
			if (!shown++)
				printf("  ... %zu more changes ...\n", s->nchanges - MAX_LISTED);
			continue;
		}
		if (c->kind == IRQO_PRIORITY)
			printf("  priority %" PRIu32 " -> %" PRIu32 ": ", c->old, c->now);
		else
			printf("  %s on context %u: ", change_name(c->kind), c->ctx);
		text_at(syms, &c->at);
		text_pos(&c->pos);
		printf("\n");
	}
}

/* Only its priority changed (a driver's probe sets every source's). */
static bool priority_only(const struct irqo_src *s)
{
	for (size_t i = 0; i < s->nchanges; i++)
		if (s->changes[i].kind != IRQO_PRIORITY)
			return false;
	return !s->device_rises && !s->injected && !s->claims_total && !s->completes;
}

static void print_text(const struct irqo *o, const struct sym_table *syms)
{
	unsigned quiet = 0;
	for (unsigned src = 1; src < PLIC_NUM_SOURCES; src++) {
		if (!irqo_source_used(o, src))
			continue;
		if (priority_only(irqo_source(o, src)))
			quiet++;
		else
			print_source(o, syms, src);
	}
	if (quiet)
		printf("%u more sources: only their priority changed (--json lists them)\n",
		       quiet);
	for (unsigned c = 0; c < irqo_ncontexts(o); c++) {
		const struct irqo_ctx *x = irqo_context(o, c);
		if (x->claims)
			printf("context %u (hart %u %s-mode): %" PRIu64 " claims, %" PRIu64
			       " returned 0\n", c, c / 2, ctx_mode(c), x->claims, x->zero_claims);
	}
	size_t nthr;
	const struct irqo_change *thr = irqo_thresholds(o, &nthr);
	for (size_t i = 0; i < nthr && i < MAX_LISTED; i++) {
		printf("threshold of context %u %" PRIu32 " -> %" PRIu32 ": ", thr[i].ctx,
		       thr[i].old, thr[i].now);
		text_at(syms, &thr[i].at);
		printf("\n");
	}
	for (unsigned h = 0; h < irqo_nharts(o); h++) {
		const struct irqo_hart *x = irqo_hart(o, h);
		printf("hart %u: %" PRIu64 " instructions; interrupts:", h, x->insns);
		bool any = false;
		for (unsigned k = 0; k < IRQO_CAUSES; k++)
			if (x->irqs[k]) {
				printf(" %s %" PRIu64 " (%" PRIu64 " insns in handlers, %.1f%%)",
				       cause_name(k), x->irqs[k], x->handler_insns[k],
				       x->insns ? 100.0 * (double)x->handler_insns[k] / (double)x->insns
						: 0.0);
				any = true;
			}
		printf("%s\n", any ? "" : " none");
	}
	char v[1024], sym[256];
	for (unsigned src = 1; src < PLIC_NUM_SOURCES; src++) {
		verdict_text(o, syms, src, v, sizeof(v));
		if (v[0]) {
			const struct irqo_disable *d = &irqo_source(o, src)->dis;
			printf("verdict: %s\n", v);
			if (d->nchain) {
				printf("  called from:");
				for (unsigned i = 0; i < d->nchain; i++)
					printf("%s %s", i ? " <-" : "", chain_name(syms, d->chain[i], sym, sizeof(sym)));
				printf("\n");
			}
			printf(" ");
			text_pos(&d->pos);
			printf("\n");
		}
	}
}

/* Replay tr with the observer attached: 0, or an exit status after a message. */
static int replay_observed(struct trace_reader *tr, const char *path,
			   const struct sym_table *syms, struct irqo **out, struct machine **mout)
{
	char err[512];
	struct machine_config cfg;
	struct rr_trace_files files = { 0 };
	rr_trace_config(tr, &files, 1, &cfg);
	struct machine *m = rr_trace_machine(tr, &cfg, &files, err, sizeof(err));
	rr_trace_files_cleanup(&files);
	if (!m) {
		fprintf(stderr, "rrv: %s: %s\n", path, err);
		return 1;
	}
	struct rr_trace_play *play = rr_trace_play_new(tr);
	struct rr_options ropt = { .replay = true, .serial = true, .quiet = true };
	struct rr *rr = play ? rr_new(m, &ropt, &rr_trace_read_ops, play, err, sizeof(err)) : NULL;
	struct irqo *o = rr ? irqo_new(m) : NULL;
	if (o)
		irqo_set_unwinder(o, unwind_disabler, (void *)syms);
	if (!o) {
		fprintf(stderr, "rrv: %s\n", rr ? "out of memory" : play ? err : "out of memory");
		rr_free(rr);
		rr_trace_play_free(play);
		machine_free(m);
		return 1;
	}
	machine_run(m, 0);
	int status = 0;
	const char *div = rr_divergence(rr);
	if (div) {
		fprintf(stderr, "rrv: %s\n", div);
		status = RRV_EXIT_DIVERGENCE;
	} else if (rr_trace_play_error(play)) {
		fprintf(stderr, "rrv: %s: %s\n", path, rr_trace_play_error(play));
		status = 1;
	}
	rr_free(rr);
	rr_trace_play_free(play);
	if (status) {
		irqo_free(o);
		machine_free(m);
		return status;
	}
	*out = o;
	*mout = m;
	return 0;
}

int dbg_cmd_irqs(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "symbols", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	const char *extra = NULL;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 's': extra = optarg; break;
		case 'h': fputs(usage_irqs, stdout); return 0;
		default:
			return cli_option_error("irqs", c, argv);
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "rrv: irqs takes one trace file (see `rrv irqs --help`)\n");
		return RRV_EXIT_USAGE;
	}
	const char *path = argv[optind];
	char err[512];
	struct trace_reader *tr = trace_open(path, err, sizeof(err));
	if (!tr) {
		fprintf(stderr, "rrv: %s\n", err);
		return 1;
	}
	struct sym_table *syms = sym_new();
	if (!syms) {
		fprintf(stderr, "rrv: out of memory\n");
		trace_close(tr);
		return 1;
	}
	dbg_load_symbols(syms, NULL, tr, extra, true);
	struct irqo *o = NULL;
	struct machine *m = NULL;
	int status = replay_observed(tr, path, syms, &o, &m);
	if (!status) {
		irqo_finish(o, tr);
		if (json)
			print_json(o, syms);
		else
			print_text(o, syms);
		irqo_free(o);
		machine_free(m);
	}
	sym_free(syms);
	trace_close(tr);
	return status;
}
