/*
 * repl.h: the debugger's commands over the time-travel engine (`rrv debug`).
 *
 * One table of named commands with gdb's names and abbreviations; the
 * readline loop (debugger/cmd_debug.c) and, later, the GDB server's
 * `monitor` share it. Every command writes to the session's output stream
 * and never ends the session on bad input: it prints one line and returns.
 */
#ifndef RRV_DEBUGGER_REPL_H
#define RRV_DEBUGGER_REPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct dinfo;
struct rpl;
struct sym_table;

struct dbg_session {
	struct rpl *e;
	struct sym_table *syms;
	struct dinfo *dwarf;     /* file:line and CFI; may be NULL */
	unsigned hart;           /* the current hart */
	FILE *out;
	bool quit;
	/* last-write repeats: the range of the previous query. */
	bool lw_valid;
	uint64_t lw_addr;
	unsigned lw_len;
	bool lw_physical;
};

/* Run one command line. Returns false when the line was not a known
 * command (after saying so). */
bool dbg_exec(struct dbg_session *s, const char *line);

/* Whether a command line is one Enter repeats (stepping commands). */
bool dbg_repeats(const char *line);

/* Readline completion: command names, then symbols. */
const char *dbg_complete_command(const char *prefix, size_t *state);

/* Where the current hart is, as the prompt's preamble shows it. */
void dbg_print_location(struct dbg_session *s, unsigned hart);

#endif /* RRV_DEBUGGER_REPL_H */
