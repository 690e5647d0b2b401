/* triage_print.c: the `rrv triage` report as text for people and as one JSON object (README.md documents the fields). */
#include "debugger/triage.h"

#include <inttypes.h>
#include <string.h>

#include "core/riscv.h"
#include "core/verdict.h"

static const char *priv_name(unsigned p)
{
	return p == PRV_M ? "M" : p == PRV_S ? "S" : p == PRV_U ? "U" : "?";
}

static const char *state_name(enum rpl_hart_state s)
{
	return s == RPL_WFI ? "wfi" : s == RPL_ENDED ? "ended" : "running";
}

static const char *cause_kind(uint64_t cause)
{
	return cause >> 63 ? "interrupt" : "exception";
}

static const char *irq_name(unsigned c)
{
	static const char *const n[16] = {
		NULL, "s-software", NULL, "m-software", NULL, "s-timer", NULL, "m-timer",
		NULL, "s-external", NULL, "m-external",
	};
	return c < 16 && n[c] ? n[c] : NULL;
}

/* ---- text ---- */

static void text_place(FILE *out, const struct triage_place *p)
{
	fprintf(out, "0x%016" PRIx64, p->addr);
	if (p->sym[0])
		fprintf(out, " <%s+%" PRIu64 ">", p->sym, p->off);
	if (p->file[0])
		fprintf(out, " at %s:%u", p->file, p->line);
}

/* Each line of text after prefix. */
static void text_lines(FILE *out, const char *prefix, const char *text)
{
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		if (n && p[n - 1] == '\r')
			n--;
		fprintf(out, "%s%.*s\n", prefix, n, p);
		p = nl ? nl + 1 : NULL;
	}
}

static void text_failure(const struct triage_report *r, FILE *out)
{
	const struct triage_failure *f = &r->fail;
	if (!f->known)
		return;
	fprintf(out, "\nfailing hart %u (privilege %s)%s: ", f->hart, priv_name(f->priv),
		f->at_fault ? " at the fault" : " at the end");
	text_place(out, &f->pc);
	fprintf(out, "\n");
	if (f->trap)
		fprintf(out, "  %s %" PRIu64 " (%s), tval 0x%" PRIx64 "\n", cause_kind(f->cause),
			(uint64_t)(f->cause & ~(1ull << 63)),
			f->cause >> 63 ? "interrupt" : verdict_exception_name(f->cause), f->tval);
	fprintf(out, "\nbacktrace (hart %u):\n", f->hart);
	for (unsigned i = 0; i < r->nframes; i++) {
		fprintf(out, "  #%-2u ", i);
		text_place(out, &r->frames[i].at);
		fprintf(out, i ? " [%s]\n" : "\n", bt_how_name(r->frames[i].how));
	}
}

static void text_origin(const struct triage_report *r, FILE *out)
{
	const struct triage_origin *o = &r->origin;
	if (!o->tried)
		return;
	fprintf(out, "\nlast write to the faulting pointer's memory:\n");
	if (o->reg[0])
		fprintf(out, "  the pointer 0x%" PRIx64 " (in %s)", o->pointer, o->reg);
	if (o->loaded) {
		fprintf(out, " was loaded by ");
		text_place(out, &o->load);
		fprintf(out, "\n  from ");
		text_place(out, &o->from);
		fprintf(out, " (%u bytes)\n", o->size);
	} else if (o->reg[0]) {
		fprintf(out, "\n");
	}
	if (o->written) {
		fprintf(out, "  last written before that load by hart %u at t=%" PRIu64 ": ", o->hart, o->t);
		text_place(out, &o->by);
		fprintf(out, "\n  value 0x%" PRIx64 " -> 0x%" PRIx64 "\n", o->old_val, o->new_val);
	}
	if (o->note[0])
		fprintf(out, "  (%s)\n", o->note);
}

static void text_harts(const struct triage_report *r, FILE *out)
{
	fprintf(out, "\nharts at the end:\n");
	for (unsigned i = 0; i < r->nharts; i++) {
		const struct triage_hart *h = &r->harts[i];
		fprintf(out, "  hart %u: %s%s, %s, icount %" PRIu64 ", pc ", i, state_name(h->state),
			h->wfi && h->state != RPL_WFI ? " (in WFI)" : "", priv_name(h->priv), h->icount);
		text_place(out, &h->pc);
		fprintf(out, "\n    last trap: mcause 0x%" PRIx64 " mepc 0x%" PRIx64 " mtval 0x%" PRIx64
			"; scause 0x%" PRIx64 " sepc 0x%" PRIx64 " stval 0x%" PRIx64
			"; mip 0x%" PRIx64 " mie 0x%" PRIx64 "\n", h->mcause, h->mepc, h->mtval,
			h->scause, h->sepc, h->stval, h->mip, h->mie);
	}
	fprintf(out, "\nlast events (icount = the hart's own time):\n");
	for (unsigned i = 0; i < r->nharts; i++) {
		const struct triage_hart *h = &r->harts[i];
		fprintf(out, "  hart %u (%" PRIu64 " events):\n", i, h->nevents);
		for (unsigned k = 0; k < h->nlast; k++)
			fprintf(out, "    seq %-8" PRIu64 " icount %-12" PRIu64 " %s\n", h->last[k].seq,
				h->last[k].icount, h->last[k].text);
	}
}

/* "m-timer 12, m-external 3" for a hart, "none" without any. */
static void irq_list(const struct triage_hart *h, char *buf, size_t len)
{
	size_t o = 0;
	snprintf(buf, len, "none");
	for (unsigned c = 0; c < 16 && o < len; c++) {
		if (!h->irqs[c])
			continue;
		const char *n = irq_name(c);
		char cause[16];
		snprintf(cause, sizeof(cause), "cause %u", c);
		o += (size_t)snprintf(buf + o, len - o, "%s%s %" PRIu64, o ? ", " : "", n ? n : cause,
				      h->irqs[c]);
	}
}

/* "10 33" for the set bits of a PLIC source bitmap, "none" without any. */
static void source_list(const uint32_t *bits, char *buf, size_t len)
{
	size_t o = 0;
	snprintf(buf, len, "none");
	for (unsigned s = 1; s < 96 && o < len; s++)
		if (bits[s / 32] >> (s % 32) & 1)
			o += (size_t)snprintf(buf + o, len - o, "%s%u", o ? " " : "", s);
}

static void text_irqs(const struct triage_report *r, FILE *out)
{
	char buf[512];
	fprintf(out, "\ninterrupts taken, by cause:\n");
	for (unsigned i = 0; i < r->nharts; i++) {
		irq_list(&r->harts[i], buf, sizeof(buf));
		fprintf(out, "  hart %u: %s\n", i, buf);
	}
	fprintf(out, "PLIC sources (`rrv irqs` tells more):%s\n", r->nirq_sources ? "" : " none used");
	for (unsigned i = 0; i < r->nirq_sources; i++) {
		const struct triage_irq_source *s = &r->irq_sources[i];
		fprintf(out, "  source %u: raised %" PRIu64 " (injected %" PRIu64 "), claimed %" PRIu64
			", completed %" PRIu64 ", unhandled %" PRIu64 "\n", s->src, s->raised, s->injected,
			s->claims, s->completes, s->unhandled);
	}
	source_list(r->plic_pending, buf, sizeof(buf));
	fprintf(out, "  at the end: pending %s", buf);
	source_list(r->plic_claimed, buf, sizeof(buf));
	fprintf(out, "; claimed (in service) %s\n", buf);
}

void triage_print_text(const struct triage_report *r, FILE *out)
{
	fprintf(out, "rrv triage %s\n", r->trace);
	if (r->problem[0])
		fprintf(out, "INCOMPLETE: %s; this report covers what could be read\n", r->problem);
	fprintf(out, "title:     %s\nsignature: %s\n", r->title, r->signature);
	fprintf(out, "verdict:   %s: %s (exit status %d)\n", verdict_name(r->verdict->kind),
		r->verdict_text, r->exit_status);
	if (r->verdict->kind == VERDICT_CRASH) {
		fprintf(out, "crash text:\n");
		text_lines(out, "  | ", r->verdict->text);
	}
	text_failure(r, out);
	text_origin(r, out);
	text_harts(r, out);
	text_irqs(r, out);
	fprintf(out, "\nconsole (last %d lines):\n", TRIAGE_CONSOLE_LINES);
	text_lines(out, "  | ", r->console);
	fprintf(out, "\nreproduce:\n");
	for (unsigned i = 0; i < r->nreproduce; i++)
		fprintf(out, "  %s\n", r->reproduce[i]);
}

/* ---- JSON ---- */

/* A JSON string: valid UTF-8 passes, other bytes become U+FFFD, control
 * characters are escaped. */
static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		unsigned c = *p;
		if (c == '"' || c == '\\') {
			fprintf(out, "\\%c", c);
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
			p++;
		} else if (c < 0x80) {
			fputc((int)c, out);
			p++;
		} else {
			unsigned n = c >= 0xf0 && c < 0xf5 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : 0;
			if (c >= 0xf5)
				n = 0;
			unsigned k = 1;
			while (k <= n && (p[k] & 0xc0) == 0x80)
				k++;
			if (n && k == n + 1) {
				fwrite(p, 1, k, out);
				p += k;
			} else {
				fputs("\\ufffd", out);
				p++;
			}
		}
	}
	fputc('"', out);
}

/* A string, or null when it is empty (unknown). */
static void json_str_or_null(FILE *out, const char *s)
{
	if (s && *s)
		json_str(out, s);
	else
		fputs("null", out);
}

static void json_hex(FILE *out, uint64_t v)
{
	fprintf(out, "\"0x%" PRIx64 "\"", v);
}

static void json_place(FILE *out, const struct triage_place *p)
{
	fprintf(out, "{\"addr\": ");
	json_hex(out, p->addr);
	fprintf(out, ", \"symbol\": ");
	json_str_or_null(out, p->sym);
	fprintf(out, ", \"offset\": %" PRIu64 ", \"file\": ", p->off);
	json_str_or_null(out, p->file);
	fprintf(out, ", \"line\": %u}", p->line);
}

/* A text as an array of its lines. */
static void json_lines(FILE *out, const char *text)
{
	fputc('[', out);
	bool first = true;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];
		snprintf(line, sizeof(line), "%.*s", (int)(n && p[n - 1] == '\r' ? n - 1 : n), p);
		fputs(first ? "" : ", ", out);
		json_str(out, line);
		first = false;
		p = nl ? nl + 1 : NULL;
	}
	fputc(']', out);
}

static void json_failure(const struct triage_report *r, FILE *out)
{
	const struct triage_failure *f = &r->fail;
	fprintf(out, "  \"failure\": ");
	if (!f->known) {
		fprintf(out, "null,\n");
		return;
	}
	fprintf(out, "{\"hart\": %u, \"privilege\": \"%s\", \"at\": \"%s\", \"pc\": ", f->hart,
		priv_name(f->priv), f->at_fault ? "fault" : "end");
	json_place(out, &f->pc);
	fprintf(out, ", \"trap\": ");
	if (f->trap) {
		fprintf(out, "{\"kind\": \"%s\", \"cause\": %" PRIu64 ", \"name\": ",
			cause_kind(f->cause), (uint64_t)(f->cause & ~(1ull << 63)));
		json_str(out, f->cause >> 63 ? "interrupt" : verdict_exception_name(f->cause));
		fprintf(out, ", \"tval\": ");
		json_hex(out, f->tval);
		fputc('}', out);
	} else {
		fputs("null", out);
	}
	fprintf(out, ", \"position\": [");
	for (unsigned i = 0; i < f->pos.nharts; i++)
		fprintf(out, "%s%" PRIu64, i ? ", " : "", f->pos.icount[i]);
	fprintf(out, "]},\n");
}

static void json_origin(const struct triage_report *r, FILE *out)
{
	const struct triage_origin *o = &r->origin;
	fprintf(out, "  \"last_write\": ");
	if (!o->tried) {
		fprintf(out, "null,\n");
		return;
	}
	fprintf(out, "{\"register\": ");
	json_str(out, o->reg);
	fprintf(out, ", \"pointer\": ");
	json_hex(out, o->pointer);
	fprintf(out, ", \"loaded_by\": ");
	if (o->loaded)
		json_place(out, &o->load);
	else
		fputs("null", out);
	fprintf(out, ", \"address\": ");
	if (o->loaded)
		json_place(out, &o->from);
	else
		fputs("null", out);
	fprintf(out, ", \"size\": %u, \"writer\": ", o->size);
	if (o->written) {
		fprintf(out, "{\"hart\": %u, \"pc\": ", o->hart);
		json_place(out, &o->by);
		fprintf(out, ", \"time\": %" PRIu64 ", \"old_value\": ", o->t);
		json_hex(out, o->old_val);
		fprintf(out, ", \"new_value\": ");
		json_hex(out, o->new_val);
		fputc('}', out);
	} else {
		fputs("null", out);
	}
	fprintf(out, ", \"note\": ");
	json_str_or_null(out, o->note);
	fprintf(out, "},\n");
}

static void json_hart(const struct triage_hart *h, unsigned i, FILE *out)
{
	fprintf(out, "    {\"hart\": %u, \"state\": \"%s\", \"wfi\": %s, \"privilege\": \"%s\", "
		"\"icount\": %" PRIu64 ", \"pc\": ", i, state_name(h->state), h->wfi ? "true" : "false",
		priv_name(h->priv), h->icount);
	json_place(out, &h->pc);
	fprintf(out, ",\n     \"last_trap\": {");
	const char *names[] = { "mcause", "mepc", "mtval", "scause", "sepc", "stval", "mip", "mie" };
	const uint64_t vals[] = { h->mcause, h->mepc, h->mtval, h->scause, h->sepc, h->stval,
				  h->mip, h->mie };
	for (unsigned k = 0; k < 8; k++) {
		fprintf(out, "%s\"%s\": ", k ? ", " : "", names[k]);
		json_hex(out, vals[k]);
	}
	fprintf(out, "},\n     \"interrupts\": {");
	bool first = true;
	for (unsigned c = 0; c < 16; c++) {
		if (!h->irqs[c])
			continue;
		char cause[16];
		snprintf(cause, sizeof(cause), "cause-%u", c);
		fprintf(out, "%s\"%s\": %" PRIu64, first ? "" : ", ", irq_name(c) ? irq_name(c) : cause,
			h->irqs[c]);
		first = false;
	}
	fprintf(out, "}, \"events\": %" PRIu64 ",\n     \"last_events\": [", h->nevents);
	for (unsigned k = 0; k < h->nlast; k++) {
		fprintf(out, "%s{\"seq\": %" PRIu64 ", \"icount\": %" PRIu64 ", \"text\": ",
			k ? ", " : "", h->last[k].seq, h->last[k].icount);
		json_str(out, h->last[k].text);
		fputc('}', out);
	}
	fprintf(out, "]}");
}

static void json_sources(FILE *out, const uint32_t *bits)
{
	fputc('[', out);
	bool first = true;
	for (unsigned s = 1; s < 96; s++)
		if (bits[s / 32] >> (s % 32) & 1) {
			fprintf(out, "%s%u", first ? "" : ", ", s);
			first = false;
		}
	fputc(']', out);
}

void triage_print_json(const struct triage_report *r, FILE *out)
{
	fprintf(out, "{\n  \"schema\": %d,\n  \"trace\": ", TRIAGE_SCHEMA);
	json_str(out, r->trace);
	fprintf(out, ",\n  \"complete\": %s,\n  \"problem\": ", r->problem[0] ? "false" : "true");
	json_str_or_null(out, r->problem);
	fprintf(out, ",\n  \"verdict\": ");
	json_str(out, verdict_name(r->verdict->kind));
	fprintf(out, ",\n  \"verdict_text\": ");
	json_str(out, r->verdict_text);
	fprintf(out, ",\n  \"exit_status\": %d,\n  \"title\": ", r->exit_status);
	json_str(out, r->title);
	fprintf(out, ",\n  \"signature\": ");
	json_str(out, r->signature);
	fprintf(out, ",\n  \"crash_text\": ");
	json_lines(out, r->verdict->kind == VERDICT_CRASH ? r->verdict->text : "");
	fprintf(out, ",\n");
	json_failure(r, out);
	fprintf(out, "  \"backtrace\": [");
	for (unsigned i = 0; i < r->nframes; i++) {
		fprintf(out, "%s\n    {\"frame\": %u, \"how\": \"%s\", \"pc\": ", i ? "," : "", i,
			bt_how_name(r->frames[i].how));
		json_place(out, &r->frames[i].at);
		fputc('}', out);
	}
	fprintf(out, "],\n");
	json_origin(r, out);
	fprintf(out, "  \"harts\": [\n");
	for (unsigned i = 0; i < r->nharts; i++) {
		json_hart(&r->harts[i], i, out);
		fprintf(out, i + 1 < r->nharts ? ",\n" : "\n");
	}
	fprintf(out, "  ],\n  \"irq_sources\": [");
	for (unsigned i = 0; i < r->nirq_sources; i++) {
		const struct triage_irq_source *q = &r->irq_sources[i];
		fprintf(out, "%s\n    {\"source\": %u, \"raised\": %" PRIu64 ", \"injected\": %" PRIu64
			", \"claims\": %" PRIu64 ", \"completes\": %" PRIu64 ", \"unhandled\": %" PRIu64 "}",
			i ? "," : "", q->src, q->raised, q->injected, q->claims, q->completes, q->unhandled);
	}
	fprintf(out, "],\n  \"plic\": {\"pending\": ");
	json_sources(out, r->plic_pending);
	fprintf(out, ", \"claimed\": ");
	json_sources(out, r->plic_claimed);
	fprintf(out, "},\n  \"console_tail\": ");
	json_lines(out, r->console);
	fprintf(out, ",\n  \"reproduce\": [");
	for (unsigned i = 0; i < r->nreproduce; i++) {
		fputs(i ? ", " : "", out);
		json_str(out, r->reproduce[i]);
	}
	fprintf(out, "]\n}\n");
}
