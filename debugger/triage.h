/*
 * triage.h: what `rrv triage` says about how a recorded run ended
 * (DESIGN.md §9): a report built by replaying the trace with the
 * time-travel engine, printed as text or as one JSON object.
 *
 * The report follows syzbot's: a one-line title ("<what> in <function>")
 * and a signature (the title with addresses and numbers normalised, so two
 * recordings of one bug group together), the failing hart and where it
 * was, the guest backtrace, every hart at the end, their last events, the
 * interrupts taken, the console tail, for a memory fault the last write
 * to the memory the bad pointer came from, and the commands that
 * reproduce it.
 */
#ifndef RRV_DEBUGGER_TRIAGE_H
#define RRV_DEBUGGER_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/machine.h"
#include "debugger/backtrace.h"
#include "replay/engine.h"

struct dinfo;
struct sym_table;
struct verdict;

/* The JSON's "schema": bumped when a field changes meaning or goes away
 * (new fields may appear without it). */
#define TRIAGE_SCHEMA 1

#define TRIAGE_MAX_FRAMES 32
#define TRIAGE_LAST_EVENTS 8
#define TRIAGE_CONSOLE_LINES 50
#define TRIAGE_NAME 160
#define TRIAGE_FILE 256

/* An address as the report names it: symbol+offset, file:line. */
struct triage_place {
	uint64_t addr;
	char sym[TRIAGE_NAME];      /* "" when no symbol contains it */
	uint64_t off;
	char file[TRIAGE_FILE];     /* "" without line information */
	unsigned line;
};

struct triage_frame {
	struct triage_place at;
	enum bt_how how;
};

struct triage_event {
	uint64_t seq, icount;
	char text[192];             /* "ACQUIRE page 0x80001000 W after 1:4" */
};

struct triage_hart {
	struct triage_place pc;
	uint64_t icount;
	unsigned priv;
	enum rpl_hart_state state;
	bool wfi;                   /* asleep in WFI (also when its stream ended) */
	/* The last trap each mode took (its CSRs at the end), and what is
	 * pending and enabled now. */
	uint64_t mcause, mepc, mtval, scause, sepc, stval, mip, mie;
	/* Interrupts taken, by cause (the replay's interrupt observer). */
	uint64_t irqs[16];
	uint64_t nevents;
	struct triage_event last[TRIAGE_LAST_EVENTS];
	unsigned nlast;
};

/* Where the failure happened. */
struct triage_failure {
	bool known;
	unsigned hart;
	struct triage_place pc;
	unsigned priv;
	bool trap;                  /* an exception or interrupt, below */
	uint64_t cause, tval;
	bool at_fault;              /* pos is the moment of the trap, not the end */
	struct rpl_pos pos;
};

/* For a memory fault: where the bad pointer came from (triage.c says how
 * it is found and where that stops). */
struct triage_origin {
	bool tried;
	char note[256];             /* why it stops, when it does */
	char reg[8];                /* the register holding the pointer */
	uint64_t pointer;
	bool loaded;                /* it was loaded from memory ... */
	struct triage_place load;   /* ... by this instruction */
	struct triage_place from;   /* ... from this address */
	unsigned size;
	bool written;               /* that memory's last write before the load */
	unsigned hart;
	struct triage_place by;
	uint64_t t, old_val, new_val;
};

struct triage_report {
	char trace[1024];
	/* "" when the trace was complete and replayed to its end; else what
	 * could not be read, and the report covers what could. */
	char problem[1024];
	struct verdict *verdict;
	char verdict_text[512];
	int exit_status;            /* the recording's */
	char title[256], signature[256];
	struct triage_failure fail;
	struct triage_frame frames[TRIAGE_MAX_FRAMES];
	unsigned nframes;
	struct triage_origin origin;
	unsigned nharts;
	struct triage_hart harts[MAX_HARTS];
	/* Per PLIC source that was used, from the replay's interrupt
	 * observer (replay/irq_observer.h, as `rrv irqs` counts). */
	struct triage_irq_source {
		unsigned src;
		uint64_t raised, injected, claims, completes, unhandled;
	} irq_sources[96];
	unsigned nirq_sources;
	/* PLIC sources pending and claimed (in service) at the end. */
	uint32_t plic_pending[3], plic_claimed[3];
	char *console;              /* the last TRIAGE_CONSOLE_LINES lines */
	char reproduce[3][2800];
	unsigned nreproduce;
};

/*
 * Replay e (just opened, at its start) to its end and build the report.
 * path names the trace in the report and its commands; problem is what
 * the caller already knows is missing (NULL: nothing). The guest's
 * console output during the replay is captured, not printed. Moves e.
 * NULL only when out of memory.
 */
struct triage_report *triage_build(struct rpl *e, const struct sym_table *syms,
				   struct dinfo *dwarf, const char *path, const char *problem);
/* The report of a trace nothing of which replays: err is why. */
struct triage_report *triage_unreadable(const char *path, const char *err);
void triage_free(struct triage_report *r);

void triage_print_text(const struct triage_report *r, FILE *out);
void triage_print_json(const struct triage_report *r, FILE *out);

/* ---- titles (triage_title.c) ---- */

/* The signature of a title: 0x... and long hex runs become ADDR, other
 * numbers N (digits inside names stay). */
void triage_signature(const char *title, char *buf, size_t len);

/*
 * A Linux crash report's title from its text (struct verdict's text and
 * crash kind): "Kernel panic in sysrq_handle_crash", "WARNING in foo",
 * "Unable to handle kernel paging request in bar", ... The guilty
 * function is the first Call Trace entry (or the faulting epc) that is not
 * the reporting machinery (dump_stack, panic, ...), its return address
 * looked up at pc-1 in syms when given (NULL: the names as printed); into
 * func, "" when none is named. The title falls back to the report's first
 * line.
 */
void triage_crash_title(const char *kind, const char *text, const struct sym_table *syms,
			char *title, size_t len, char *func, size_t flen);

/* Whether a function only reports or ends a failure (g_exit, g_fail,
 * abort, panic, ...): the guilty frame is the first one that is not. */
bool triage_is_report_helper(const char *name);

#endif /* RRV_DEBUGGER_TRIAGE_H */
