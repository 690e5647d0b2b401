/* repl_inspect.c: the debugger's looking commands (info, print, x, disassemble, bt, events) and the parsers they share with repl.c. */
#include "debugger/repl_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/hart.h"
#include "core/machine.h"
#include "core/riscv.h"
#include "debugger/backtrace.h"
#include "debugger/dinfo.h"
#include "debugger/disasm.h"
#include "debugger/regs.h"
#include "debugger/symbols.h"
#include "logs/trace.h"
#include "replay/engine.h"

/* ---- small parsers ---- */

const char *dbg_skip_ws(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/* Next word of *p into buf; false when there is none. */
bool dbg_next_word(const char **p, char *buf, size_t len)
{
	const char *q = dbg_skip_ws(*p);
	size_t n = 0;
	while (q[n] && !isspace((unsigned char)q[n]))
		n++;
	if (!n)
		return false;
	snprintf(buf, len, "%.*s", (int)n, q);
	*p = q + n;
	return true;
}

bool dbg_parse_count(struct dbg_session *s, const char *args, uint64_t *n)
{
	char w[64];
	*n = 1;
	if (!dbg_next_word(&args, w, sizeof(w)))
		return true;
	char *end;
	unsigned long long v = strtoull(w, &end, 0);
	if (*end || w[0] == '-') {
		fprintf(s->out, "Invalid number \"%s\".\n", w);
		return false;
	}
	*n = v;
	return true;
}

struct hart *dbg_cur(struct dbg_session *s)
{
	return rpl_machine(s->e)->harts[s->hart];
}

/* $reg, a register or CSR name: its value. */
bool dbg_reg_value(const struct hart *h, const char *name, uint64_t *v)
{
	struct dbg_reg r;
	return dbg_reg_find(name, &r) && dbg_reg_read(h, &r, v);
}

/* A location: $reg, a symbol[+off], a number, *expr. */
bool dbg_parse_loc(struct dbg_session *s, const char *text, uint64_t *addr)
{
	char err[256];
	text = dbg_skip_ws(text);
	if (*text == '$') {
		if (dbg_reg_value(dbg_cur(s), text, addr))
			return true;
		fprintf(s->out, "Invalid register `%s'.\n", text + 1);
		return false;
	}
	if (sym_parse_addr(s->syms, text, addr, err, sizeof(err)) == 0)
		return true;
	fprintf(s->out, "%s\n", err);
	return false;
}

const char *dbg_symbolize(struct dbg_session *s, uint64_t addr, char *buf, size_t len)
{
	const char *name;
	uint64_t off;
	if (!sym_lookup_addr(s->syms, addr, &name, &off)) {
		buf[0] = 0;
		return buf;
	}
	if (off)
		snprintf(buf, len, " <%s+%" PRIu64 ">", name, off);
	else
		snprintf(buf, len, " <%s>", name);
	return buf;
}

bool dbg_read_insn(struct dbg_session *s, unsigned hart, uint64_t pc, uint32_t *raw)
{
	uint16_t lo, hi;
	if (!rpl_read(s->e, hart, pc, &lo, 2, false))
		return false;
	*raw = lo;
	if ((lo & 3) == 3) {
		if (!rpl_read(s->e, hart, pc + 2, &hi, 2, false))
			return false;
		*raw |= (uint32_t)hi << 16;
	}
	return true;
}

void dbg_print_insn_at(struct dbg_session *s, unsigned hart, uint64_t pc, bool arrow)
{
	char sym[160], text[160];
	uint32_t raw;
	if (!dbg_read_insn(s, hart, pc, &raw)) {
		fprintf(s->out, "%s0x%016" PRIx64 "%s:\tCannot access memory at address 0x%" PRIx64 "\n",
			arrow ? "=> " : "   ", pc, dbg_symbolize(s, pc, sym, sizeof(sym)), pc);
		return;
	}
	dis_insn_sym(raw, pc, sym_symbolize, s->syms, text, sizeof(text));
	fprintf(s->out, "%s0x%016" PRIx64 "%s:\t%s\n", arrow ? "=> " : "   ", pc,
		dbg_symbolize(s, pc, sym, sizeof(sym)), text);
}

void dbg_print_location(struct dbg_session *s, unsigned hart)
{
	const struct hart *h = rpl_machine(s->e)->harts[hart];
	/* The position's icount: a hart waiting inside an instruction has
	 * counted its whole block, but stands before that instruction. */
	struct rpl_pos pos;
	rpl_position(s->e, &pos);
	fprintf(s->out, "[hart %u, icount %" PRIu64 "]\n", hart, pos.icount[hart]);
	dbg_print_insn_at(s, hart, h->pc, true);
}

/* ---- information ---- */

static void info_breakpoints(struct dbg_session *s)
{
	struct rpl_stop_desc d;
	char sym[160];
	if (!rpl_stop_get(s->e, 0, &d)) {
		fprintf(s->out, "No breakpoints or watchpoints.\n");
		return;
	}
	fprintf(s->out, "Num     Type            Disp Address            What\n");
	for (unsigned i = 0; rpl_stop_get(s->e, i, &d); i++) {
		static const char *const wk[] = { "", "hw watchpoint", "read watchpoint", "acc watchpoint" };
		fprintf(s->out, "%-7d %-15s %-4s 0x%016" PRIx64 " %s%s%s\n", d.id,
			d.is_watch ? wk[d.kind] : "breakpoint", d.temporary ? "del" : "keep",
			d.addr, dbg_symbolize(s, d.addr, sym, sizeof(sym)),
			d.is_watch ? (d.physical ? " (physical)" : "") : "", "");
		if (d.hits)
			fprintf(s->out, "\tbreakpoint already hit %" PRIu64 " time%s\n", d.hits,
				d.hits == 1 ? "" : "s");
	}
}

static const char *priv_name(unsigned p)
{
	return p == PRV_M ? "M" : p == PRV_S ? "S" : p == PRV_U ? "U" : "?";
}

static void info_harts(struct dbg_session *s)
{
	static const char *const states[] = { "running", "WFI", "ended" };
	char sym[160];
	struct rpl_pos pos;
	rpl_position(s->e, &pos);
	fprintf(s->out, "  Hart  PC                  Priv  icount        State    Where\n");
	for (unsigned i = 0; i < rpl_nharts(s->e); i++) {
		const struct hart *h = rpl_machine(s->e)->harts[i];
		fprintf(s->out, "%c %-5u 0x%016" PRIx64 "  %-4s  %-12" PRIu64 "  %-7s %s\n",
			i == s->hart ? '*' : ' ', i, h->pc, priv_name(h->priv), pos.icount[i],
			states[rpl_hart_state(s->e, i)], dbg_symbolize(s, h->pc, sym, sizeof(sym)));
	}
}

static void print_reg(struct dbg_session *s, const char *name, uint64_t v)
{
	fprintf(s->out, "%-10s 0x%-18" PRIx64 " %" PRId64 "\n", name, v, (int64_t)v);
}

static void info_registers(struct dbg_session *s, const char *args, bool all)
{
	const struct hart *h = dbg_cur(s);
	char w[64];
	if (dbg_next_word(&args, w, sizeof(w))) {
		do {
			uint64_t v;
			if (dbg_reg_value(h, w, &v))
				print_reg(s, w[0] == '$' ? w + 1 : w, v);
			else
				fprintf(s->out, "Invalid register `%s'\n", w);
		} while (dbg_next_word(&args, w, sizeof(w)));
		return;
	}
	for (unsigned r = 1; r < 32; r++)
		print_reg(s, dis_xreg_name(r), h->x[r]);
	char sym[160];
	fprintf(s->out, "%-10s 0x%-18" PRIx64 "%s\n", "pc", h->pc, dbg_symbolize(s, h->pc, sym, sizeof(sym)));
	fprintf(s->out, "%-10s %s\n", "priv", priv_name(h->priv));
	if (!all)
		return;
	/* f registers and every CSR the core implements, in gdb's order. */
	struct dbg_reg r;
	unsigned cur = DBG_GDB_F0;
	while (dbg_reg_next(h, &cur, &r)) {
		uint64_t v;
		if (r.kind != DBG_REG_PRIV && dbg_reg_read(h, &r, &v))
			print_reg(s, r.name, v);
	}
}

static void info_checkpoints(struct dbg_session *s)
{
	struct rpl_ckpt_desc d;
	fprintf(s->out, "  Id  Time t            Own bytes\n");
	for (unsigned i = 0; rpl_ckpt_get(s->e, i, &d); i++) {
		char id[16] = "-";
		if (d.id)
			snprintf(id, sizeof(id), "%d", d.id);
		fprintf(s->out, "  %-3s %-16" PRIu64 "  %zu\n", id, d.t, d.bytes);
	}
	fprintf(s->out, "checkpoints hold %zu bytes\n", rpl_ckpt_bytes(s->e));
}

/* gdb's `info line [LOC]`: the line-table row holding an address. */
static void info_line(struct dbg_session *s, const char *args)
{
	uint64_t addr = dbg_cur(s)->pc;
	struct dinfo_loc loc;
	char sym[160], sym2[160];
	args = dbg_skip_ws(args);
	if (*args && !dbg_parse_loc(s, args, &addr))
		return;
	if (!s->dwarf || !dinfo_line(s->dwarf, addr, &loc)) {
		fprintf(s->out, "No line number information available for address 0x%" PRIx64 "%s\n",
			addr, dbg_symbolize(s, addr, sym, sizeof(sym)));
		return;
	}
	fprintf(s->out, "Line %u of \"%s\"", loc.line, loc.file);
	if (loc.end)
		fprintf(s->out, " starts at address 0x%" PRIx64 "%s and ends at 0x%" PRIx64 "%s.\n",
			loc.start, dbg_symbolize(s, loc.start, sym, sizeof(sym)),
			loc.end, dbg_symbolize(s, loc.end, sym2, sizeof(sym2)));
	else
		fprintf(s->out, " is at address 0x%" PRIx64 "%s but contains no code.\n",
			loc.start, dbg_symbolize(s, loc.start, sym, sizeof(sym)));
}

void dbg_repl_info(struct dbg_session *s, const char *args)
{
	char w[64];
	if (!dbg_next_word(&args, w, sizeof(w))) {
		fprintf(s->out, "List of info subcommands: breakpoints, checkpoints, harts, "
			"line, registers, all-registers, threads.\n");
		return;
	}
	size_t n = strlen(w);
	if (!strncmp(w, "breakpoints", n) || !strncmp(w, "watchpoints", n))
		info_breakpoints(s);
	else if (!strncmp(w, "harts", n) || !strncmp(w, "threads", n))
		info_harts(s);
	else if (!strncmp(w, "registers", n))
		info_registers(s, args, false);
	else if (!strcmp(w, "all-registers"))
		info_registers(s, args, true);
	else if (!strncmp(w, "checkpoints", n))
		info_checkpoints(s);
	else if (!strncmp(w, "line", n))
		info_line(s, args);
	else
		fprintf(s->out, "Undefined info command: \"%s\".  Try \"help info\".\n", w);
}

void dbg_repl_hart(struct dbg_session *s, const char *args)
{
	char w[32];
	if (!dbg_next_word(&args, w, sizeof(w))) {
		fprintf(s->out, "[Current hart is %u]\n", s->hart);
		return;
	}
	char *end;
	unsigned long n = strtoul(w, &end, 10);
	if (*end || n >= rpl_nharts(s->e)) {
		fprintf(s->out, "Invalid hart ID: %s (the machine has harts 0..%u)\n", w,
			rpl_nharts(s->e) - 1);
		return;
	}
	s->hart = (unsigned)n;
	fprintf(s->out, "[Switching to hart %u]\n", s->hart);
	dbg_print_location(s, s->hart);
}

/* print EXPR: $reg, a number, a symbol (its 8-byte value), *LOC. */
void dbg_repl_print(struct dbg_session *s, const char *args)
{
	args = dbg_skip_ws(args);
	if (!*args) {
		fprintf(s->out, "Argument required (expression to compute).\n");
		return;
	}
	uint64_t v;
	if (*args == '$') {
		if (!dbg_reg_value(dbg_cur(s), args, &v)) {
			fprintf(s->out, "Invalid register `%s'\n", args + 1);
			return;
		}
		fprintf(s->out, "$%s = 0x%" PRIx64 " (%" PRId64 ")\n", args + 1, v, (int64_t)v);
		return;
	}
	bool deref = *args == '*' || isalpha((unsigned char)*args) || *args == '_';
	uint64_t addr;
	if (!dbg_parse_loc(s, *args == '*' ? args + 1 : args, &addr))
		return;
	if (!deref) {
		fprintf(s->out, "= 0x%" PRIx64 " (%" PRIu64 ")\n", addr, addr);
		return;
	}
	if (!rpl_read(s->e, s->hart, addr, &v, 8, false)) {
		fprintf(s->out, "Cannot access memory at address 0x%" PRIx64 "\n", addr);
		return;
	}
	fprintf(s->out, "%s @ 0x%" PRIx64 " = 0x%" PRIx64 " (%" PRIu64 ")\n", args, addr, v, v);
}

/* x/NFU ADDR: N units of size U (b h w g) in format F (x d u o t c i s). */
void dbg_repl_x(struct dbg_session *s, const char *args)
{
	unsigned count = 1, size = 4;
	char fmt = 'x';
	if (*args == '/') {
		args++;
		count = 0;
		while (isdigit((unsigned char)*args))
			count = count * 10 + (unsigned)(*args++ - '0');
		if (!count)
			count = 1;
		for (; *args && !isspace((unsigned char)*args); args++) {
			switch (*args) {
			case 'b': size = 1; break;
			case 'h': size = 2; break;
			case 'w': size = 4; break;
			case 'g': size = 8; break;
			case 'x': case 'd': case 'u': case 'o': case 't': case 'c': case 'i': case 's':
				fmt = *args;
				break;
			default:
				fprintf(s->out, "Invalid format letter '%c'.\n", *args);
				return;
			}
		}
	}
	uint64_t addr;
	if (!*dbg_skip_ws(args)) {
		fprintf(s->out, "Argument required (starting display address).\n");
		return;
	}
	if (!dbg_parse_loc(s, args, &addr))
		return;
	if (count > 4096)
		count = 4096;
	char sym[160];
	if (fmt == 'i') {
		for (unsigned k = 0; k < count; k++) {
			uint32_t raw;
			dbg_print_insn_at(s, s->hart, addr, addr == dbg_cur(s)->pc);
			if (!dbg_read_insn(s, s->hart, addr, &raw))
				return;
			addr += (raw & 3) == 3 ? 4 : 2;
		}
		return;
	}
	if (fmt == 's') {
		char c;
		fprintf(s->out, "0x%" PRIx64 "%s:\t\"", addr, dbg_symbolize(s, addr, sym, sizeof(sym)));
		for (unsigned k = 0; k < 4096 && rpl_read(s->e, s->hart, addr + k, &c, 1, false) && c; k++)
			fputc(isprint((unsigned char)c) ? c : '.', s->out);
		fprintf(s->out, "\"\n");
		return;
	}
	unsigned per_line = size == 8 ? 2 : size == 4 ? 4 : 8;
	for (unsigned k = 0; k < count; k++) {
		uint64_t v = 0;
		if (k % per_line == 0)
			fprintf(s->out, "%s0x%" PRIx64 "%s:", k ? "\n" : "", addr,
				dbg_symbolize(s, addr, sym, sizeof(sym)));
		if (!rpl_read(s->e, s->hart, addr, &v, size, false)) {
			fprintf(s->out, "\nCannot access memory at address 0x%" PRIx64 "\n", addr);
			return;
		}
		int64_t sv = size == 8 ? (int64_t)v : (int64_t)(v << (64 - 8 * size)) >> (64 - 8 * size);
		switch (fmt) {
		case 'd': fprintf(s->out, "\t%" PRId64, sv); break;
		case 'u': fprintf(s->out, "\t%" PRIu64, v); break;
		case 'o': fprintf(s->out, "\t0%" PRIo64, v); break;
		case 'c': fprintf(s->out, "\t%" PRId64 " '%c'", sv, isprint((int)(v & 0xff)) ? (int)v : '.'); break;
		case 't':
			fputc('\t', s->out);
			for (int b = (int)(8 * size) - 1; b >= 0; b--)
				fputc(v >> b & 1 ? '1' : '0', s->out);
			break;
		default: fprintf(s->out, "\t0x%0*" PRIx64, (int)(2 * size), v); break;
		}
		addr += size;
	}
	fprintf(s->out, "\n");
}

void dbg_repl_disassemble(struct dbg_session *s, const char *args)
{
	char w[256];
	uint64_t addr = dbg_cur(s)->pc, n = 10;
	if (dbg_next_word(&args, w, sizeof(w)) && !dbg_parse_loc(s, w, &addr))
		return;
	if (dbg_next_word(&args, w, sizeof(w))) {
		char *end;
		n = strtoull(w, &end, 0);
		if (*end || !n) {
			fprintf(s->out, "Invalid number \"%s\".\n", w);
			return;
		}
	}
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "/%" PRIu64 "i 0x%" PRIx64, n > 4096 ? 4096 : n, addr);
	dbg_repl_x(s, cmd);
}

void dbg_repl_bt(struct dbg_session *s, const char *args)
{
	(void)args;
	struct bt_frame fr[64];
	unsigned n = bt_walk(s->e, s->hart, s->dwarf, s->syms, fr, 64);
	char sym[160], src[256];
	for (unsigned i = 0; i < n; i++) {
		struct bt_loc loc;
		bt_locate(s->syms, s->dwarf, &fr[i], i, &loc);
		if (loc.sym)
			snprintf(sym, sizeof(sym), "%s+%" PRIu64, loc.sym, loc.off);
		else
			snprintf(sym, sizeof(sym), "??");
		src[0] = 0;
		if (loc.file)
			snprintf(src, sizeof(src), " at %s:%u", loc.file, loc.line);
		/* How a caller was found says how far to trust it: CFI is
		 * exact, a frame record or the ra register a heuristic. */
		fprintf(s->out, "#%-2u 0x%016" PRIx64 " in %s%s%s%s%s\n", i, fr[i].pc, sym, src,
			i ? " [" : "", i ? bt_how_name(fr[i].how) : "", i ? "]" : "");
	}
}

void dbg_repl_events(struct dbg_session *s, const char *args)
{
	uint64_t n = 10;
	char w[32];
	if (dbg_next_word(&args, w, sizeof(w))) {
		char *end;
		n = strtoull(w, &end, 0);
		if (*end || !n) {
			fprintf(s->out, "Invalid number \"%s\".\n", w);
			return;
		}
	}
	struct rpl_pos p;
	rpl_position(s->e, &p);
	uint64_t seq = p.seq[s->hart];
	struct trace_iter *it = trace_iter_new(rpl_trace(s->e), s->hart);
	if (!it)
		return;
	uint64_t from = seq > n ? seq - n : 0;
	trace_iter_seek_seq(it, from);
	struct trace_event ev;
	uint64_t at;
	char err[128];
	for (uint64_t k = 0; k < 2 * n && trace_iter_next(it, &ev, &at, err, sizeof(err)) == 1; k++) {
		fprintf(s->out, "%s seq %-8" PRIu64 " icount %-12" PRIu64 " %-8s", at == seq ? "=>" : "  ",
			at, ev.icount, trace_kind_name(ev.kind));
		if (ev.kind == TRACE_EV_ACQUIRE || ev.kind == TRACE_EV_RELEASE) {
			char pg[32];
			fprintf(s->out, " page %s", trace_page_name(ev.page, pg, sizeof(pg)));
		}
		else if (ev.kind == TRACE_EV_IRQ || ev.kind == TRACE_EV_TRAP)
			fprintf(s->out, " cause %#" PRIx64 " pc %#" PRIx64, ev.value, ev.addr);
		else if (ev.kind == TRACE_EV_ATOMIC)
			fprintf(s->out, " at %#" PRIx64 " %s", ev.addr, ev.success ? "ok" : "failed");
		else if (ev.kind == TRACE_EV_MIP || ev.kind == TRACE_EV_TIME)
			fprintf(s->out, " %#" PRIx64, ev.value);
		fprintf(s->out, "\n");
	}
	trace_iter_free(it);
}

