/* repl.c: the debugger's command table and commands (gdb's names and messages). */
#include "debugger/repl_internal.h"

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
			st->hart, st->pc, dbg_symbolize(s, st->pc, sym, sizeof(sym)));
		break;
	case RPL_STOP_WATCH:
		s->hart = st->hart;
		if (st->id)
			fprintf(s->out, "\nHardware %swatchpoint %d: 0x%" PRIx64 "%s\n\n",
				st->is_write ? "" : "read ", st->id, st->addr,
				dbg_symbolize(s, st->addr, sym, sizeof(sym)));
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
	if (!dbg_parse_count(s, args, &n))
		return;
	rpl_stepi(s->e, s->hart, n, &st);
	report_step(s, &st, false);
}

static void cmd_rstepi(struct dbg_session *s, const char *args)
{
	uint64_t n;
	struct rpl_stop st;
	if (!dbg_parse_count(s, args, &n))
		return;
	if (!dbg_cur(s)->icount) {
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
	if (!dbg_read_insn(s, s->hart, pc, &raw))
		return false;
	char text[128];
	*len = dis_insn(raw, pc, text, sizeof(text));
	return (!strncmp(text, "jal ra,", 7) || !strncmp(text, "jalr ra,", 8));
}

static void cmd_nexti(struct dbg_session *s, const char *args)
{
	uint64_t n;
	struct rpl_stop st = { 0 };
	if (!dbg_parse_count(s, args, &n))
		return;
	for (uint64_t k = 0; k < n; k++) {
		struct hart *h = dbg_cur(s);
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
	if (!dbg_parse_count(s, args, &n))
		return;
	for (uint64_t k = 0; k < n; k++) {
		struct hart *h = dbg_cur(s);
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
	struct hart *h = dbg_cur(s);
	struct rpl_stop st;
	fprintf(s->out, "Run till exit from 0x%016" PRIx64 "\n", h->pc);
	/* Returns to ra with the stack popped past the current sp. */
	rpl_run_to_pc(s->e, s->hart, h->x[1], h->x[2] + 1, 0, &st);
	report_step(s, &st, false);
}

static void cmd_rfinish(struct dbg_session *s, const char *args)
{
	(void)args;
	struct hart *h = dbg_cur(s);
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
	args = dbg_skip_ws(args);
	if (!*args)
		addr = dbg_cur(s)->pc;
	else if (!dbg_parse_loc(s, args, &addr))
		return;
	int id = rpl_break_add(s->e, addr, temporary);
	if (id < 0) {
		fprintf(s->out, "Too many breakpoints.\n");
		return;
	}
	char sym[160];
	fprintf(s->out, "%s %d at 0x%" PRIx64 "%s\n", temporary ? "Temporary breakpoint" :
		"Breakpoint", id, addr, dbg_symbolize(s, addr, sym, sizeof(sym)));
}

static void cmd_break(struct dbg_session *s, const char *args) { cmd_break_common(s, args, false); }
static void cmd_tbreak(struct dbg_session *s, const char *args) { cmd_break_common(s, args, true); }

static void watch_common(struct dbg_session *s, const char *args, enum rpl_watch_kind kind)
{
	char loc[256], lenw[64];
	uint64_t addr, len = 8;
	bool phys = false;
	args = dbg_skip_ws(args);
	if (!strncmp(args, "-p ", 3) || !strncmp(args, "-phys ", 6)) {
		phys = true;
		dbg_next_word(&args, loc, sizeof(loc));
	}
	if (!dbg_next_word(&args, loc, sizeof(loc))) {
		fprintf(s->out, "Argument required (expression to compute).\n");
		return;
	}
	if (!dbg_parse_loc(s, loc, &addr))
		return;
	if (dbg_next_word(&args, lenw, sizeof(lenw))) {
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
	if (!dbg_next_word(&args, w, sizeof(w))) {
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
	} while (dbg_next_word(&args, w, sizeof(w)));
}

static void cmd_when(struct dbg_session *s, const char *args)
{
	(void)args;
	struct rpl_pos p;
	rpl_position(s->e, &p);
	fprintf(s->out, "Current time t = %" PRIu64 " (instructions retired by all harts)\n",
		rpl_pos_time(&p));
	for (unsigned i = 0; i < p.nharts; i++) {
		fprintf(s->out, "  hart %u: icount %" PRIu64 ", event %" PRIu64, i, p.icount[i],
			p.seq[i]);
		unsigned on;
		uint64_t seq;
		if (rpl_hart_waiting(s->e, i, &on, &seq))
			fprintf(s->out, " (inside its next instruction, waiting for event %" PRIu64
				" of hart %u)", seq, on);
		fputc('\n', s->out);
	}
}

static void cmd_goto(struct dbg_session *s, const char *args)
{
	char w[64];
	struct rpl_stop st;
	if (!dbg_next_word(&args, w, sizeof(w))) {
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

static void cmd_last_write(struct dbg_session *s, const char *args)
{
	char loc[256], lenw[32];
	uint64_t addr, len = 8;
	const char *a = dbg_skip_ws(args);
	if (!*a) {
		if (!s->lw_valid) {
			fprintf(s->out, "Argument required (an address or symbol).\n");
			return;
		}
		addr = s->lw_addr;
		len = s->lw_len;
	} else {
		dbg_next_word(&a, loc, sizeof(loc));
		if (!dbg_parse_loc(s, loc, &addr))
			return;
		if (dbg_next_word(&a, lenw, sizeof(lenw))) {
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
		", pc 0x%" PRIx64 "%s\n", st.addr, dbg_symbolize(s, addr, sym, sizeof(sym)), st.hart,
		rpl_pos_time(&p), p.icount[st.hart], st.pc,
		dbg_symbolize(s, st.pc, (char[160]){ 0 }, 160));
	fprintf(s->out, "Was = 0x%" PRIx64 " (%" PRIu64 ")\nNow = 0x%" PRIx64 " (%" PRIu64 ")\n",
		st.old_val, st.old_val, st.new_val, st.new_val);
	dbg_print_location(s, s->hart);
}

static void cmd_atomics(struct dbg_session *s, const char *args)
{
	uint64_t addr, pa;
	if (!*dbg_skip_ws(args)) {
		fprintf(s->out, "Argument required (an address or symbol).\n");
		return;
	}
	if (!dbg_parse_loc(s, args, &addr))
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
	if (!dbg_next_word(&args, w, sizeof(w))) {
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
	{ "info", "i", dbg_repl_info, "info breakpoints|harts|threads|registers [REG...]|all-registers|checkpoints|line [LOC]", false },
	{ "hart", "thread", dbg_repl_hart, "hart N: make hart N the current one", false },
	{ "print", "p", dbg_repl_print, "print EXPR: $reg, a number, SYMBOL (its 8-byte value), *LOC", false },
	{ "x", NULL, dbg_repl_x, "x/NFU LOC: examine memory (F: x d u o t c i s; U: b h w g)", false },
	{ "disassemble", "disas", dbg_repl_disassemble, "disassemble [LOC [N]]: N instructions from LOC (default: pc)", false },
	{ "backtrace", "bt", dbg_repl_bt, "backtrace: the current hart's call chain (frame pointers)", false },
	{ "when", NULL, cmd_when, "when: the time t and every hart's icount and event", false },
	{ "goto", NULL, cmd_goto, "goto T|start|end|I0,I1,..: to time T on the canonical schedule, an end, or every hart's icount", false },
	{ "events", NULL, dbg_repl_events, "events [N]: the current hart's trace events around now", false },
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
	if (dbg_next_word(&args, w, sizeof(w))) {
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
	line = dbg_skip_ws(line);
	if (!*line || *line == '#')
		return true;
	size_t n = command_word(line);
	const struct dbg_cmd *c = n ? find_cmd(line, n) : NULL;
	if (!c) {
		fprintf(s->out, "Undefined command: \"%.*s\".  Try \"help\".\n",
			(int)(n ? n : strcspn(line, " \t")), line);
		return false;
	}
	c->fn(s, dbg_skip_ws(line + n));
	fflush(s->out);
	return true;
}

bool dbg_repeats(const char *line)
{
	line = dbg_skip_ws(line);
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
