/* repl.c: the debugger's command table and commands (gdb's names and messages). */
#include "debugger/repl.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/hart.h"
#include "core/machine.h"
#include "core/riscv.h"
#include "debugger/backtrace.h"
#include "debugger/disasm.h"
#include "debugger/symbols.h"
#include "logs/trace.h"
#include "replay/engine.h"

struct dbg_cmd {
	const char *name;
	const char *alias;     /* "si", "b", ... or NULL */
	void (*fn)(struct dbg_session *s, const char *args);
	const char *help;
	bool repeats;          /* Enter repeats it */
};

static const struct dbg_cmd *find_cmd(const char *word, size_t len);

/* ---- small parsers ---- */

static const char *skip_ws(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/* Next word of *p into buf; false when there is none. */
static bool next_word(const char **p, char *buf, size_t len)
{
	const char *q = skip_ws(*p);
	size_t n = 0;
	while (q[n] && !isspace((unsigned char)q[n]))
		n++;
	if (!n)
		return false;
	snprintf(buf, len, "%.*s", (int)n, q);
	*p = q + n;
	return true;
}

static bool parse_count(struct dbg_session *s, const char *args, uint64_t *n)
{
	char w[64];
	*n = 1;
	if (!next_word(&args, w, sizeof(w)))
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

static struct hart *cur(struct dbg_session *s)
{
	return rpl_machine(s->e)->harts[s->hart];
}

/* A CSR the debugger shows, read from the hart without side effects. */
static bool csr_value(const struct hart *h, const char *name, uint64_t *v)
{
	static const struct { const char *n; size_t off; } fields[] = {
#define F(x) { #x, offsetof(struct hart, x) }
		F(mstatus), F(medeleg), F(mideleg), F(mie), F(mip), F(mtvec),
		F(mscratch), F(mepc), F(mcause), F(mtval), F(stvec), F(sscratch),
		F(sepc), F(scause), F(stval), F(satp), F(mcounteren),
		F(scounteren), F(menvcfg), F(senvcfg), F(mcountinhibit),
#undef F
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(name, fields[i].n)) {
			memcpy(v, (const uint8_t *)h + fields[i].off, 8);
			return true;
		}
	if (!strcmp(name, "sstatus"))
		*v = h->mstatus & 0x80000003000de762ull;
	else if (!strcmp(name, "sie"))
		*v = h->mie & h->mideleg;
	else if (!strcmp(name, "sip"))
		*v = h->mip & h->mideleg;
	else if (!strcmp(name, "fflags"))
		*v = h->fflags;
	else if (!strcmp(name, "frm"))
		*v = h->frm;
	else if (!strcmp(name, "fcsr"))
		*v = h->frm << 5 | h->fflags;
	else if (!strcmp(name, "mhartid"))
		*v = h->id;
	else if (!strcmp(name, "instret") || !strcmp(name, "minstret"))
		*v = hart_instret(h);
	else if (!strcmp(name, "cycle") || !strcmp(name, "mcycle"))
		*v = h->icount + h->mcycle_off;
	else if (!strcmp(name, "priv"))
		*v = h->priv;
	else
		return false;
	return true;
}

/* $reg, a register or CSR name: its value. */
static bool reg_value(const struct hart *h, const char *name, uint64_t *v)
{
	if (*name == '$')
		name++;
	if (!strcmp(name, "pc")) {
		*v = h->pc;
		return true;
	}
	int r = dis_xreg_by_name(name);
	if (r >= 0) {
		*v = r ? h->x[r] : 0;
		return true;
	}
	r = dis_freg_by_name(name);
	if (r >= 0) {
		*v = h->f[r];
		return true;
	}
	return csr_value(h, name, v);
}

/* A location: $reg, a symbol[+off], a number, *expr. */
static bool parse_loc(struct dbg_session *s, const char *text, uint64_t *addr)
{
	char err[256];
	text = skip_ws(text);
	if (*text == '$') {
		if (reg_value(cur(s), text, addr))
			return true;
		fprintf(s->out, "Invalid register `%s'.\n", text + 1);
		return false;
	}
	if (sym_parse_addr(s->syms, text, addr, err, sizeof(err)) == 0)
		return true;
	fprintf(s->out, "%s\n", err);
	return false;
}

static const char *symbolize(struct dbg_session *s, uint64_t addr, char *buf, size_t len)
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

static bool read_insn(struct dbg_session *s, unsigned hart, uint64_t pc, uint32_t *raw)
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

static void print_insn_at(struct dbg_session *s, unsigned hart, uint64_t pc, bool arrow)
{
	char sym[160], text[160];
	uint32_t raw;
	if (!read_insn(s, hart, pc, &raw)) {
		fprintf(s->out, "%s0x%016" PRIx64 "%s:\tCannot access memory at address 0x%" PRIx64 "\n",
			arrow ? "=> " : "   ", pc, symbolize(s, pc, sym, sizeof(sym)), pc);
		return;
	}
	dis_insn_sym(raw, pc, sym_symbolize, s->syms, text, sizeof(text));
	fprintf(s->out, "%s0x%016" PRIx64 "%s:\t%s\n", arrow ? "=> " : "   ", pc,
		symbolize(s, pc, sym, sizeof(sym)), text);
}

void dbg_print_location(struct dbg_session *s, unsigned hart)
{
	const struct hart *h = rpl_machine(s->e)->harts[hart];
	fprintf(s->out, "[hart %u, icount %" PRIu64 "]\n", hart, h->icount);
	print_insn_at(s, hart, h->pc, true);
}

static void print_pulled(struct dbg_session *s, uint64_t pulled, bool back)
{
	if (!pulled)
		return;
	fprintf(s->out, "(%s ", back ? "moved back too, as they depended on the undone "
				    "instructions:" : "ran as far as this hart needed:");
	bool first = true;
	for (unsigned i = 0; i < 64; i++)
		if (pulled >> i & 1) {
			fprintf(s->out, "%shart %u", first ? "" : ", ", i);
			first = false;
		}
	fprintf(s->out, ")\n");
}

/* Report where a movement stopped, gdb's way. */
/* Where a movement stopped, gdb's way; the harts that had to move too
 * are named after single-hart steps (a continue moves them all anyway). */
static void report_move(struct dbg_session *s, const struct rpl_stop *st, bool back,
			bool step);

static void report(struct dbg_session *s, const struct rpl_stop *st, bool back)
{
	report_move(s, st, back, false);
}

static void report_step(struct dbg_session *s, const struct rpl_stop *st, bool back)
{
	report_move(s, st, back, true);
}

static void report_move(struct dbg_session *s, const struct rpl_stop *st, bool back,
			bool step)
{
	char sym[160];
	switch (st->why) {
	case RPL_STOP_BREAK:
		s->hart = st->hart;
		fprintf(s->out, "\nBreakpoint %d, hart %u, 0x%016" PRIx64 "%s\n", st->id,
			st->hart, st->pc, symbolize(s, st->pc, sym, sizeof(sym)));
		break;
	case RPL_STOP_WATCH:
		s->hart = st->hart;
		if (st->id)
			fprintf(s->out, "\nHardware %swatchpoint %d: 0x%" PRIx64 "%s\n\n",
				st->is_write ? "" : "read ", st->id, st->addr,
				symbolize(s, st->addr, sym, sizeof(sym)));
		if (st->is_write)
			fprintf(s->out, "Old value = 0x%" PRIx64 " (%" PRIu64 ")\nNew value = 0x%"
				PRIx64 " (%" PRIu64 ")\n", st->old_val, st->old_val,
				st->new_val, st->new_val);
		else
			fprintf(s->out, "Value = 0x%" PRIx64 " (%" PRIu64 ")\n", st->new_val,
				st->new_val);
		break;
	case RPL_STOP_START:
		fprintf(s->out, "\nNo more reverse-execution history: start of the recording.\n");
		break;
	case RPL_STOP_END:
		fprintf(s->out, "\nNo more reverse-execution history: end of the recording.\n");
		break;
	case RPL_STOP_INTERRUPT:
		fprintf(s->out, "\nInterrupted.\n");
		break;
	case RPL_STOP_DIVERGED:
		fprintf(s->out, "The replay cannot go on here: %s\n", st->detail);
		break;
	case RPL_STOP_DONE:
		break;
	}
	if (step)
		print_pulled(s, st->pulled, back);
	dbg_print_location(s, s->hart);
}

/* ---- movement commands ---- */

static void cmd_stepi(struct dbg_session *s, const char *args)
{
	uint64_t n;
	struct rpl_stop st;
	if (!parse_count(s, args, &n))
		return;
	rpl_stepi(s->e, s->hart, n, &st);
	report_step(s, &st, false);
}

static void cmd_rstepi(struct dbg_session *s, const char *args)
{
	uint64_t n;
	struct rpl_stop st;
	if (!parse_count(s, args, &n))
		return;
	if (!cur(s)->icount) {
		fprintf(s->out, "\nNo more reverse-execution history: start of the recording.\n");
		dbg_print_location(s, s->hart);
		return;
	}
	rpl_reverse_stepi(s->e, s->hart, n, &st);
	report_step(s, &st, true);
}

/* Whether the instruction at pc is a call (jal/jalr writing ra). */
static bool is_call(struct dbg_session *s, uint64_t pc, unsigned *len)
{
	uint32_t raw;
	if (!read_insn(s, s->hart, pc, &raw))
		return false;
	char text[128];
	*len = dis_insn(raw, pc, text, sizeof(text));
	return (!strncmp(text, "jal ra,", 7) || !strncmp(text, "jalr ra,", 8));
}

static void cmd_nexti(struct dbg_session *s, const char *args)
{
	uint64_t n;
	struct rpl_stop st = { 0 };
	if (!parse_count(s, args, &n))
		return;
	for (uint64_t k = 0; k < n; k++) {
		struct hart *h = cur(s);
		unsigned len;
		if (is_call(s, h->pc, &len))
			rpl_run_to_pc(s->e, s->hart, h->pc + len, h->x[2], 0, &st);
		else
			rpl_stepi(s->e, s->hart, 1, &st);
		if (st.why != RPL_STOP_DONE)
			break;
	}
	report_step(s, &st, false);
}

static void cmd_rnexti(struct dbg_session *s, const char *args)
{
	uint64_t n;
	struct rpl_stop st = { 0 };
	if (!parse_count(s, args, &n))
		return;
	for (uint64_t k = 0; k < n; k++) {
		struct hart *h = cur(s);
		uint64_t pc0 = h->pc, sp0 = h->x[2];
		rpl_reverse_stepi(s->e, s->hart, 1, &st);
		if (st.why != RPL_STOP_DONE)
			break;
		/* Landed at a return's target from inside a callee: go back
		 * to the call (the previous instruction at the same depth). */
		unsigned len;
		for (unsigned guard = 0; guard < 100000 && h->x[2] < sp0 &&
		     st.why == RPL_STOP_DONE; guard++)
			rpl_reverse_stepi(s->e, s->hart, 1, &st);
		if (is_call(s, h->pc, &len) && h->pc + len == pc0)
			break;
	}
	report_step(s, &st, true);
}

static void cmd_continue(struct dbg_session *s, const char *args)
{
	(void)args;
	struct rpl_stop st;
	rpl_continue(s->e, &st);
	report(s, &st, false);
}

static void cmd_rcontinue(struct dbg_session *s, const char *args)
{
	(void)args;
	struct rpl_stop st;
	rpl_reverse_continue(s->e, &st);
	report(s, &st, true);
}

static void cmd_finish(struct dbg_session *s, const char *args)
{
	(void)args;
	struct hart *h = cur(s);
	struct rpl_stop st;
	fprintf(s->out, "Run till exit from 0x%016" PRIx64 "\n", h->pc);
	/* Returns to ra with the stack popped past the current sp. */
	rpl_run_to_pc(s->e, s->hart, h->x[1], h->x[2] + 1, 0, &st);
	report_step(s, &st, false);
}

static void cmd_rfinish(struct dbg_session *s, const char *args)
{
	(void)args;
	struct hart *h = cur(s);
	struct rpl_stop st = { 0 };
	uint64_t sp0 = h->x[2];
	/* Back to the call instruction of the current function: the last
	 * instruction executed with a stack above ours. */
	for (unsigned guard = 0; guard < 1000000; guard++) {
		rpl_reverse_stepi(s->e, s->hart, 1, &st);
		if (st.why != RPL_STOP_DONE || h->x[2] > sp0)
			break;
	}
	report_step(s, &st, true);
}

/* ---- stop conditions ---- */

static void cmd_break_common(struct dbg_session *s, const char *args, bool temporary)
{
	uint64_t addr;
	args = skip_ws(args);
	if (!*args)
		addr = cur(s)->pc;
	else if (!parse_loc(s, args, &addr))
		return;
	int id = rpl_break_add(s->e, addr, temporary);
	if (id < 0) {
		fprintf(s->out, "Too many breakpoints.\n");
		return;
	}
	char sym[160];
	fprintf(s->out, "%s %d at 0x%" PRIx64 "%s\n", temporary ? "Temporary breakpoint" :
		"Breakpoint", id, addr, symbolize(s, addr, sym, sizeof(sym)));
}

static void cmd_break(struct dbg_session *s, const char *args) { cmd_break_common(s, args, false); }
static void cmd_tbreak(struct dbg_session *s, const char *args) { cmd_break_common(s, args, true); }

static void watch_common(struct dbg_session *s, const char *args, enum rpl_watch_kind kind)
{
	char loc[256], lenw[64];
	uint64_t addr, len = 8;
	bool phys = false;
	args = skip_ws(args);
	if (!strncmp(args, "-p ", 3) || !strncmp(args, "-phys ", 6)) {
		phys = true;
		next_word(&args, loc, sizeof(loc));
	}
	if (!next_word(&args, loc, sizeof(loc))) {
		fprintf(s->out, "Argument required (expression to compute).\n");
		return;
	}
	if (!parse_loc(s, loc, &addr))
		return;
	if (next_word(&args, lenw, sizeof(lenw))) {
		char *end;
		len = strtoull(lenw, &end, 0);
		if (*end || !len || len > 4096) {
			fprintf(s->out, "Invalid length \"%s\" (1..4096 bytes).\n", lenw);
			return;
		}
	}
	int id = rpl_watch_add(s->e, addr, (unsigned)len, kind, phys);
	if (id < 0) {
		fprintf(s->out, "Too many watchpoints.\n");
		return;
	}
	static const char *const kinds[] = { "", "Hardware watchpoint", "Hardware read watchpoint",
					     "Hardware access (read/write) watchpoint" };
	fprintf(s->out, "%s %d: %s (%" PRIu64 " bytes%s)\n", kinds[kind], id, loc, len,
		phys ? ", physical" : "");
}

static void cmd_watch(struct dbg_session *s, const char *a) { watch_common(s, a, RPL_WATCH_W); }
static void cmd_rwatch(struct dbg_session *s, const char *a) { watch_common(s, a, RPL_WATCH_R); }
static void cmd_awatch(struct dbg_session *s, const char *a) { watch_common(s, a, RPL_WATCH_RW); }

static void cmd_delete(struct dbg_session *s, const char *args)
{
	char w[32];
	if (!next_word(&args, w, sizeof(w))) {
		rpl_stop_delete_all(s->e);
		return;
	}
	do {
		char *end;
		long id = strtol(w, &end, 10);
		if (*end || id <= 0)
			fprintf(s->out, "Convenience variable must have integer value.\n"
				"Bad breakpoint number '%s'\n", w);
		else if (!rpl_stop_delete(s->e, (int)id))
			fprintf(s->out, "No breakpoint number %ld.\n", id);
	} while (next_word(&args, w, sizeof(w)));
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
			d.addr, symbolize(s, d.addr, sym, sizeof(sym)),
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
	fprintf(s->out, "  Hart  PC                  Priv  icount        State    Where\n");
	for (unsigned i = 0; i < rpl_nharts(s->e); i++) {
		const struct hart *h = rpl_machine(s->e)->harts[i];
		fprintf(s->out, "%c %-5u 0x%016" PRIx64 "  %-4s  %-12" PRIu64 "  %-7s %s\n",
			i == s->hart ? '*' : ' ', i, h->pc, priv_name(h->priv), h->icount,
			states[rpl_hart_state(s->e, i)], symbolize(s, h->pc, sym, sizeof(sym)));
	}
}

static void print_reg(struct dbg_session *s, const char *name, uint64_t v)
{
	fprintf(s->out, "%-10s 0x%-18" PRIx64 " %" PRId64 "\n", name, v, (int64_t)v);
}

static void info_registers(struct dbg_session *s, const char *args, bool all)
{
	const struct hart *h = cur(s);
	char w[64];
	if (next_word(&args, w, sizeof(w))) {
		do {
			uint64_t v;
			if (reg_value(h, w, &v))
				print_reg(s, w[0] == '$' ? w + 1 : w, v);
			else
				fprintf(s->out, "Invalid register `%s'\n", w);
		} while (next_word(&args, w, sizeof(w)));
		return;
	}
	for (unsigned r = 1; r < 32; r++)
		print_reg(s, dis_xreg_name(r), h->x[r]);
	char sym[160];
	fprintf(s->out, "%-10s 0x%-18" PRIx64 "%s\n", "pc", h->pc, symbolize(s, h->pc, sym, sizeof(sym)));
	fprintf(s->out, "%-10s %s\n", "priv", priv_name(h->priv));
	if (!all)
		return;
	for (unsigned r = 0; r < 32; r++)
		print_reg(s, dis_freg_name(r), h->f[r]);
	static const char *const csrs[] = {
		"mstatus", "misa", "mie", "mip", "mtvec", "mepc", "mcause", "mtval",
		"mscratch", "medeleg", "mideleg", "sstatus", "sie", "sip", "stvec",
		"sepc", "scause", "stval", "sscratch", "satp", "fflags", "frm", "fcsr",
		"mhartid", "instret",
	};
	for (size_t i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++) {
		uint64_t v;
		if (reg_value(h, csrs[i], &v))
			print_reg(s, csrs[i], v);
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

static void cmd_info(struct dbg_session *s, const char *args)
{
	char w[64];
	if (!next_word(&args, w, sizeof(w))) {
		fprintf(s->out, "List of info subcommands: breakpoints, checkpoints, harts, "
			"registers, all-registers, threads.\n");
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
	else
		fprintf(s->out, "Undefined info command: \"%s\".  Try \"help info\".\n", w);
}

static void cmd_hart(struct dbg_session *s, const char *args)
{
	char w[32];
	if (!next_word(&args, w, sizeof(w))) {
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
static void cmd_print(struct dbg_session *s, const char *args)
{
	args = skip_ws(args);
	if (!*args) {
		fprintf(s->out, "Argument required (expression to compute).\n");
		return;
	}
	uint64_t v;
	if (*args == '$') {
		if (!reg_value(cur(s), args, &v)) {
			fprintf(s->out, "Invalid register `%s'\n", args + 1);
			return;
		}
		fprintf(s->out, "$%s = 0x%" PRIx64 " (%" PRId64 ")\n", args + 1, v, (int64_t)v);
		return;
	}
	bool deref = *args == '*' || isalpha((unsigned char)*args) || *args == '_';
	uint64_t addr;
	if (!parse_loc(s, *args == '*' ? args + 1 : args, &addr))
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
static void cmd_x(struct dbg_session *s, const char *args)
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
	if (!*skip_ws(args)) {
		fprintf(s->out, "Argument required (starting display address).\n");
		return;
	}
	if (!parse_loc(s, args, &addr))
		return;
	if (count > 4096)
		count = 4096;
	char sym[160];
	if (fmt == 'i') {
		for (unsigned k = 0; k < count; k++) {
			uint32_t raw;
			print_insn_at(s, s->hart, addr, addr == cur(s)->pc);
			if (!read_insn(s, s->hart, addr, &raw))
				return;
			addr += (raw & 3) == 3 ? 4 : 2;
		}
		return;
	}
	if (fmt == 's') {
		char c;
		fprintf(s->out, "0x%" PRIx64 "%s:\t\"", addr, symbolize(s, addr, sym, sizeof(sym)));
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
				symbolize(s, addr, sym, sizeof(sym)));
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

static void cmd_disassemble(struct dbg_session *s, const char *args)
{
	char w[256];
	uint64_t addr = cur(s)->pc, n = 10;
	if (next_word(&args, w, sizeof(w)) && !parse_loc(s, w, &addr))
		return;
	if (next_word(&args, w, sizeof(w))) {
		char *end;
		n = strtoull(w, &end, 0);
		if (*end || !n) {
			fprintf(s->out, "Invalid number \"%s\".\n", w);
			return;
		}
	}
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "/%" PRIu64 "i 0x%" PRIx64, n > 4096 ? 4096 : n, addr);
	cmd_x(s, cmd);
}

static void cmd_bt(struct dbg_session *s, const char *args)
{
	(void)args;
	struct bt_frame fr[64];
	unsigned n = bt_walk(s->e, s->hart, fr, 64);
	char sym[160];
	for (unsigned i = 0; i < n; i++) {
		/* A return address is named after the call before it (pc-1):
		 * a call that ends a function is not blamed on the next one. */
		const char *name;
		uint64_t off;
		uint64_t at = i ? fr[i].pc - 1 : fr[i].pc;
		if (sym_lookup_addr(s->syms, at, &name, &off))
			snprintf(sym, sizeof(sym), "%s+%" PRIu64, name, off + (fr[i].pc - at));
		else
			snprintf(sym, sizeof(sym), "??");
		fprintf(s->out, "#%-2u 0x%016" PRIx64 " in %s\n", i, fr[i].pc, sym);
	}
}

static void cmd_when(struct dbg_session *s, const char *args)
{
	(void)args;
	struct rpl_pos p;
	rpl_position(s->e, &p);
	fprintf(s->out, "Current time t = %" PRIu64 " (instructions retired by all harts)\n",
		rpl_pos_time(&p));
	for (unsigned i = 0; i < p.nharts; i++)
		fprintf(s->out, "  hart %u: icount %" PRIu64 ", event %" PRIu64 "\n", i,
			p.icount[i], p.seq[i]);
}

static void cmd_goto(struct dbg_session *s, const char *args)
{
	char w[64];
	struct rpl_stop st;
	if (!next_word(&args, w, sizeof(w))) {
		fprintf(s->out, "Argument required (a time t, start or end).\n");
		return;
	}
	if (!strcmp(w, "start")) {
		struct rpl_pos zero = { .nharts = rpl_nharts(s->e) };
		rpl_goto(s->e, &zero, &st);
	} else if (!strcmp(w, "end")) {
		struct rpl_pos end;
		rpl_end_position(s->e, &end);
		rpl_goto(s->e, &end, &st);
	} else if (strchr(w, ',')) {
		/* A position: every hart's icount, as `when` prints them. */
		struct rpl_pos p = { .nharts = rpl_nharts(s->e) };
		const char *q = w;
		for (unsigned i = 0; i < p.nharts; i++) {
			char *e2;
			p.icount[i] = strtoull(q, &e2, 0);
			if (e2 == q || (*e2 != ',' && *e2) || (i + 1 < p.nharts && *e2 != ',')) {
				fprintf(s->out, "Invalid position \"%s\" (one icount per hart, "
					"comma-separated).\n", w);
				return;
			}
			q = e2 + 1;
		}
		rpl_goto(s->e, &p, &st);
	} else {
		char *e2;
		unsigned long long t = strtoull(w, &e2, 0);
		if (*e2 || w[0] == '-') {
			fprintf(s->out, "Invalid time \"%s\" (a number, start or end).\n", w);
			return;
		}
		rpl_goto_time(s->e, t, &st);
	}
	report(s, &st, false);
}

static void cmd_events(struct dbg_session *s, const char *args)
{
	uint64_t n = 10;
	char w[32];
	if (next_word(&args, w, sizeof(w))) {
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
		if (ev.kind == TRACE_EV_ACQUIRE || ev.kind == TRACE_EV_RELEASE)
			fprintf(s->out, " page %#" PRIx64, ev.page << 12);
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

static void cmd_last_write(struct dbg_session *s, const char *args)
{
	char loc[256], lenw[32];
	uint64_t addr, len = 8;
	const char *a = skip_ws(args);
	if (!*a) {
		if (!s->lw_valid) {
			fprintf(s->out, "Argument required (an address or symbol).\n");
			return;
		}
		addr = s->lw_addr;
		len = s->lw_len;
	} else {
		next_word(&a, loc, sizeof(loc));
		if (!parse_loc(s, loc, &addr))
			return;
		if (next_word(&a, lenw, sizeof(lenw))) {
			char *end;
			len = strtoull(lenw, &end, 0);
			if (*end || !len || len > 4096) {
				fprintf(s->out, "Invalid length \"%s\" (1..4096 bytes).\n", lenw);
				return;
			}
		}
	}
	s->lw_valid = true;
	s->lw_addr = addr;
	s->lw_len = (unsigned)len;
	struct rpl_stop st;
	rpl_last_write(s->e, addr, (unsigned)len, false, &st);
	if (st.why == RPL_STOP_START) {
		fprintf(s->out, "No earlier write to 0x%" PRIx64 " (start of the recording).\n", addr);
		dbg_print_location(s, s->hart);
		return;
	}
	if (st.why != RPL_STOP_WATCH) {
		report(s, &st, true);
		return;
	}
	s->hart = st.hart;
	struct rpl_pos p;
	rpl_position(s->e, &p);
	char sym[160];
	fprintf(s->out, "Last write to 0x%" PRIx64 "%s: hart %u at t = %" PRIu64 ", icount %" PRIu64
		", pc 0x%" PRIx64 "%s\n", st.addr, symbolize(s, addr, sym, sizeof(sym)), st.hart,
		rpl_pos_time(&p), p.icount[st.hart], st.pc,
		symbolize(s, st.pc, (char[160]){ 0 }, 160));
	fprintf(s->out, "Was = 0x%" PRIx64 " (%" PRIu64 ")\nNow = 0x%" PRIx64 " (%" PRIu64 ")\n",
		st.old_val, st.old_val, st.new_val, st.new_val);
	dbg_print_location(s, s->hart);
}

static void cmd_atomics(struct dbg_session *s, const char *args)
{
	uint64_t addr, pa;
	if (!*skip_ws(args)) {
		fprintf(s->out, "Argument required (an address or symbol).\n");
		return;
	}
	if (!parse_loc(s, args, &addr))
		return;
	if (!rpl_translate(s->e, s->hart, addr, &pa)) {
		fprintf(s->out, "Cannot translate address 0x%" PRIx64 "\n", addr);
		return;
	}
	struct rpl_atomic *v = malloc(4096 * sizeof(*v));
	if (!v)
		return;
	size_t n = rpl_atomics(s->e, pa, v, 4096);
	static const char *const ops[] = { "?", "amo", "lr", "sc" };
	fprintf(s->out, "%zu atomic commit%s on 0x%" PRIx64 " (physical 0x%" PRIx64 ")%s\n", n,
		n == 1 ? "" : "s", addr, pa, n > 4096 ? ", first 4096 shown" : "");
	for (size_t i = 0; i < n && i < 4096; i++)
		fprintf(s->out, "  hart %u icount %-12" PRIu64 " %-3s %s\n", v[i].hart, v[i].icount,
			ops[v[i].op < 4 ? v[i].op : 0], v[i].success ? "ok" : "failed");
	free(v);
}

static void cmd_checkpoint(struct dbg_session *s, const char *args)
{
	(void)args;
	int id = rpl_checkpoint(s->e);
	if (id <= 0)
		fprintf(s->out, "Cannot take a checkpoint (out of memory).\n");
	else
		fprintf(s->out, "Checkpoint %d at t = %" PRIu64 ".\n", id,
			({ struct rpl_pos p; rpl_position(s->e, &p); rpl_pos_time(&p); }));
}

static void cmd_restart(struct dbg_session *s, const char *args)
{
	char w[32];
	struct rpl_stop st;
	if (!next_word(&args, w, sizeof(w))) {
		fprintf(s->out, "Argument required (checkpoint number).\n");
		return;
	}
	char *end;
	long n = strtol(w, &end, 10);
	if (*end || n <= 0 || rpl_restart(s->e, (int)n, &st) < 0) {
		fprintf(s->out, "No checkpoint number %s.\n", w);
		return;
	}
	report(s, &st, false);
}

static void cmd_echo(struct dbg_session *s, const char *args)
{
	fprintf(s->out, "%s\n", args);
}

/* A digest of the whole machine (every hart, all of RAM), to compare a
 * position reached backwards with the same one reached forwards. */
static void cmd_digest(struct dbg_session *s, const char *args)
{
	(void)args;
	struct rpl_pos p;
	rpl_position(s->e, &p);
	fprintf(s->out, "digest %016" PRIx64 " at t = %" PRIu64 "\n", rpl_state_digest(s->e),
		rpl_pos_time(&p));
}

static void cmd_quit(struct dbg_session *s, const char *args)
{
	(void)args;
	s->quit = true;
}

static void cmd_help(struct dbg_session *s, const char *args);

static const struct dbg_cmd commands[] = {
	{ "stepi", "si", cmd_stepi, "stepi [N]: run the current hart N instructions (others only as far as it needs)", true },
	{ "reverse-stepi", "rsi", cmd_rstepi, "reverse-stepi [N]: undo N instructions of the current hart", true },
	{ "nexti", "ni", cmd_nexti, "nexti [N]: like stepi, but over calls", true },
	{ "reverse-nexti", "rni", cmd_rnexti, "reverse-nexti [N]: like reverse-stepi, but over calls", true },
	{ "continue", "c", cmd_continue, "continue: run every hart until a breakpoint, a watchpoint or the end", true },
	{ "reverse-continue", "rc", cmd_rcontinue, "reverse-continue: back to the last breakpoint or watchpoint hit", true },
	{ "finish", "fin", cmd_finish, "finish: run until the current function returns", false },
	{ "reverse-finish", NULL, cmd_rfinish, "reverse-finish: back to where the current function was called", false },
	{ "break", "b", cmd_break, "break LOC: stop when any hart reaches LOC (ADDR, SYMBOL[+OFF], *ADDR)", false },
	{ "tbreak", NULL, cmd_tbreak, "tbreak LOC: a breakpoint deleted once hit", false },
	{ "watch", NULL, cmd_watch, "watch [-p] LOC [LEN]: stop after a write to LOC (-p: physical)", false },
	{ "rwatch", NULL, cmd_rwatch, "rwatch [-p] LOC [LEN]: stop after a read of LOC", false },
	{ "awatch", NULL, cmd_awatch, "awatch [-p] LOC [LEN]: stop after any access to LOC", false },
	{ "delete", "d", cmd_delete, "delete [N...]: delete breakpoints/watchpoints (all without N)", false },
	{ "info", "i", cmd_info, "info breakpoints|harts|threads|registers [REG...]|all-registers|checkpoints", false },
	{ "hart", "thread", cmd_hart, "hart N: make hart N the current one", false },
	{ "print", "p", cmd_print, "print EXPR: $reg, a number, SYMBOL (its 8-byte value), *LOC", false },
	{ "x", NULL, cmd_x, "x/NFU LOC: examine memory (F: x d u o t c i s; U: b h w g)", false },
	{ "disassemble", "disas", cmd_disassemble, "disassemble [LOC [N]]: N instructions from LOC (default: pc)", false },
	{ "backtrace", "bt", cmd_bt, "backtrace: the current hart's call chain (frame pointers)", false },
	{ "when", NULL, cmd_when, "when: the time t and every hart's icount and event", false },
	{ "goto", NULL, cmd_goto, "goto T|start|end|I0,I1,..: to time T on the canonical schedule, an end, or every hart's icount", false },
	{ "events", NULL, cmd_events, "events [N]: the current hart's trace events around now", false },
	{ "last-write", "last", cmd_last_write, "last-write LOC [LEN]: back to the most recent write to LOC; again: the one before", true },
	{ "atomics", NULL, cmd_atomics, "atomics LOC: every atomic commit on LOC in order", false },
	{ "checkpoint", NULL, cmd_checkpoint, "checkpoint: remember this position", false },
	{ "restart", NULL, cmd_restart, "restart N: go back to checkpoint N", false },
	{ "digest", NULL, cmd_digest, "digest: a hash of every hart's state and all of RAM", false },
	{ "echo", NULL, cmd_echo, "echo TEXT: print TEXT (for scripts)", false },
	{ "help", "h", cmd_help, "help [CMD]: this list, or one command", false },
	{ "quit", "q", cmd_quit, "quit: leave the debugger", false },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void cmd_help(struct dbg_session *s, const char *args)
{
	char w[64];
	if (next_word(&args, w, sizeof(w))) {
		const struct dbg_cmd *c = find_cmd(w, strlen(w));
		if (!c)
			fprintf(s->out, "Undefined command: \"%s\".  Try \"help\".\n", w);
		else
			fprintf(s->out, "%s%s%s%s\n", c->help, c->alias ? " (alias: " : "",
				c->alias ? c->alias : "", c->alias ? ")" : "");
		return;
	}
	fprintf(s->out, "Commands (gdb's names; Enter repeats a step):\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(s->out, "  %s\n", commands[i].help);
}

/* Exact name or alias, else a unique prefix of a name (gdb's rule). */
static const struct dbg_cmd *find_cmd(const char *word, size_t len)
{
	const struct dbg_cmd *prefix = NULL;
	unsigned nprefix = 0;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct dbg_cmd *c = &commands[i];
		if ((strlen(c->name) == len && !strncmp(c->name, word, len)) ||
		    (c->alias && strlen(c->alias) == len && !strncmp(c->alias, word, len)))
			return c;
		if (!strncmp(c->name, word, len)) {
			prefix = c;
			nprefix++;
		}
	}
	return nprefix == 1 ? prefix : NULL;
}

/* The command word: letters, digits and '-' ("x/4g" splits at '/'). */
static size_t command_word(const char *p)
{
	size_t n = 0;
	while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_'))
		n++;
	return n;
}

bool dbg_exec(struct dbg_session *s, const char *line)
{
	line = skip_ws(line);
	if (!*line || *line == '#')
		return true;
	size_t n = command_word(line);
	const struct dbg_cmd *c = n ? find_cmd(line, n) : NULL;
	if (!c) {
		fprintf(s->out, "Undefined command: \"%.*s\".  Try \"help\".\n",
			(int)(n ? n : strcspn(line, " \t")), line);
		return false;
	}
	c->fn(s, skip_ws(line + n));
	fflush(s->out);
	return true;
}

bool dbg_repeats(const char *line)
{
	line = skip_ws(line);
	size_t n = command_word(line);
	const struct dbg_cmd *c = n ? find_cmd(line, n) : NULL;
	return c && c->repeats;
}

const char *dbg_complete_command(const char *prefix, size_t *state)
{
	size_t len = strlen(prefix);
	while (*state < NCOMMANDS) {
		const struct dbg_cmd *c = &commands[(*state)++];
		if (!strncmp(c->name, prefix, len))
			return c->name;
	}
	return NULL;
}
