/* verdict.h: how a run ended (DESIGN.md §9): kinds, END text, exit statuses. */
#ifndef RRV_CORE_VERDICT_H
#define RRV_CORE_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every end of `rrv run` / `rrv record` is one of these. A recording
 * stores it in its END chunk as "key=value\n" text (verdict_format), the
 * first line always "end=<name>"; a trace from before verdicts has none
 * and reads as VERDICT_UNKNOWN. Unknown keys are skipped when parsing, so
 * later versions may add some.
 */
enum verdict_kind {
	VERDICT_UNKNOWN = 0,
	VERDICT_EXIT,         /* the guest exited with code 0 */
	VERDICT_GUEST_FAIL,   /* finisher / HTIF code != 0 */
	VERDICT_RESET,        /* the guest asked for a reset (ends the run) */
	VERDICT_CRASH,        /* a kernel crash recognised on the console */
	VERDICT_TRAP_LOOP,    /* the same exception over and over, nothing retired */
	VERDICT_HANG,         /* --hang-timeout / --hang-output */
	VERDICT_INTERRUPTED,  /* SIGINT, SIGTERM, SIGHUP */
	VERDICT_RRV_CRASH,    /* rrv itself died of a signal */
	VERDICT_TIMEOUT,      /* --timeout */
	VERDICT_INSN_LIMIT,   /* --max-insns */
	VERDICT_USER_QUIT,    /* Ctrl-A x */
	VERDICT_SNAPSHOT,     /* --stop-after-snapshot */
	VERDICT_ERROR,        /* an emulator error (message printed) */
	VERDICT_KINDS
};

/* Exit statuses of `rrv run` and `rrv record` besides the guest's own code
 * (README.md, "Exit status"). A signal ends with 128 + its number, as a
 * shell reports a process the signal killed. */
#define RRV_EXIT_HANG 119
#define RRV_EXIT_GUEST_CRASH 122
#define RRV_EXIT_TRAP_LOOP 123
#define RRV_EXIT_SIGNAL_BASE 128

/* Crash text kept after a recognised crash line (core/crash_text.h). */
#define VERDICT_TEXT_MAX 6144

struct verdict {
	enum verdict_kind kind;
	int code;               /* EXIT/GUEST_FAIL: the guest's code */
	int signal;             /* INTERRUPTED, RRV_CRASH: the signal number */
	/* TRAP_LOOP: the hart, the exception, its pc and tval, the icount it
	 * stays at and how many times in a row it was taken. */
	unsigned hart;
	uint64_t cause, pc, tval, icount, repeats;
	/* HANG: which watchdog fired ("progress" or "output") after how long. */
	char what[16];
	double seconds;
	/* CRASH: the kind ("panic", "oops", "bug", "warning", "rcu-stall",
	 * "nobody-cared", "kernel-fault") and the text: the line that was
	 * recognised and the ones after it, '\n'-separated. */
	char crash[16];
	char text[VERDICT_TEXT_MAX];
};

/* "exit", "guest-fail", ... (the END text's name); "unknown" for others. */
const char *verdict_name(enum verdict_kind k);
/* The kind named s, or VERDICT_UNKNOWN. */
enum verdict_kind verdict_by_name(const char *s);

/* The END text of v into buf (always terminated; lines that do not fit
 * are dropped whole). Returns its length. */
size_t verdict_format(const struct verdict *v, char *buf, size_t len);
/* Parse END text (NULL or "" = a trace without a verdict: UNKNOWN). */
void verdict_parse(const char *text, struct verdict *v);

/* One human line (no newline), e.g. "trap loop on hart 0: exception 2
 * (illegal instruction) at pc 0x80000010 taken 10000 times in a row". */
void verdict_describe(const struct verdict *v, char *buf, size_t len);

/* "illegal instruction", "load access fault", ... for an exception cause
 * (mcause without the interrupt bit); "exception" for causes without one. */
const char *verdict_exception_name(uint64_t cause);

/* The exit status of `rrv run` / `rrv record` for v. */
int verdict_exit_status(const struct verdict *v);

/* "SEGV", "TERM", ... for a signal number (async-signal-safe: a table). */
const char *verdict_signal_name(int sig);

#endif /* RRV_CORE_VERDICT_H */
