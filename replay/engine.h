/*
 * engine.h: the time-travel engine over a trace (DESIGN.md §6, §8).
 *
 * One host thread replays every hart as a coroutine (replay/serial.c). A
 * position is a vector of per-hart instruction counts that the trace's
 * dependencies allow; the machine state is a function of it alone. Going
 * forward runs harts (a hart that needs another's RELEASE makes that hart
 * run just far enough); going backward restores the nearest checkpoint at
 * or before the target in every component and runs forward to it,
 * remembering the last stop condition met on the way (rr's and QEMU's
 * method). Checkpoints are in-process: the machine state without RAM, plus
 * RAM as page references shared with the previous checkpoint.
 *
 * The REPL (debugger/repl.c) and the GDB server are front ends of this API.
 */
#ifndef RRV_REPLAY_ENGINE_H
#define RRV_REPLAY_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/machine.h"

struct rpl;
struct trace_reader;

/* Per hart: instructions retired and events applied (0 in a target: as
 * many as the first stop at that icount applies). */
struct rpl_pos {
	unsigned nharts;
	uint64_t icount[MAX_HARTS];
	uint64_t seq[MAX_HARTS];
};

/* Σ icount: the canonical time t of a position. */
uint64_t rpl_pos_time(const struct rpl_pos *p);

/* Open a trace for debugging, positioned at its start. NULL + err. */
struct rpl *rpl_open(const char *path, char *err, size_t errlen);
void rpl_close(struct rpl *e);

struct machine *rpl_machine(struct rpl *e);
struct trace_reader *rpl_trace(struct rpl *e);
unsigned rpl_nharts(const struct rpl *e);
void rpl_position(const struct rpl *e, struct rpl_pos *out);
/* The last position of each hart (where its stream ends). */
void rpl_end_position(const struct rpl *e, struct rpl_pos *out);
/* Per-hart state words for `info harts`. */
enum rpl_hart_state { RPL_RUNNING, RPL_WFI, RPL_ENDED };
enum rpl_hart_state rpl_hart_state(const struct rpl *e, unsigned hart);
/* Whether the hart stands inside an instruction, waiting for event *seq of
 * hart *on (a reverse move may leave one there; see engine.c). */
bool rpl_hart_waiting(const struct rpl *e, unsigned hart, unsigned *on, uint64_t *seq);
/* The engine mutes the console (going back replays output again): fd >= 0
 * prints it to fd from now on, -1 mutes it again. */
void rpl_capture_console(struct rpl *e, int fd);
/* A digest of the whole machine: every hart's registers and all of RAM. */
uint64_t rpl_state_digest(struct rpl *e);

/* ---- stop conditions ---- */

enum rpl_watch_kind { RPL_WATCH_W = 1, RPL_WATCH_R = 2, RPL_WATCH_RW = 3 };

/* Breakpoints at virtual pcs (any hart); watchpoints on guest ranges
 * (virtual through each hart's translation, or physical). Ids are > 0. */
int rpl_break_add(struct rpl *e, uint64_t pc, bool temporary);
int rpl_watch_add(struct rpl *e, uint64_t addr, unsigned len,
		  enum rpl_watch_kind kind, bool physical);
bool rpl_stop_delete(struct rpl *e, int id);
void rpl_stop_delete_all(struct rpl *e);

struct rpl_stop_desc {
	int id;
	bool is_watch, temporary, physical;
	uint64_t addr;
	unsigned len;
	enum rpl_watch_kind kind;
	uint64_t hits;
};
/* The i-th stop condition (0-based), false past the last. */
bool rpl_stop_get(const struct rpl *e, unsigned i, struct rpl_stop_desc *d);

/* Why a movement stopped. */
enum rpl_why {
	RPL_STOP_DONE,        /* the step count or target was reached */
	RPL_STOP_BREAK,       /* breakpoint `id` at hart's pc */
	RPL_STOP_WATCH,       /* watchpoint `id`: access at addr */
	RPL_STOP_END,         /* end of the recording */
	RPL_STOP_START,       /* start of the recording (going backwards) */
	RPL_STOP_INTERRUPT,   /* the user interrupted (rpl_interrupt) */
	RPL_STOP_DIVERGED,    /* the replay diverged: message in detail */
};

struct rpl_stop {
	enum rpl_why why;
	unsigned hart;
	int id;
	uint64_t pc, addr, old_val, new_val;
	unsigned size;
	bool is_write;
	/* Harts that had to move besides the one asked for (bit per hart). */
	uint64_t pulled;
	char detail[512];
};

/* ---- movement ---- */

/* Forward: run `hart` n instructions (others only as far as it needs). */
void rpl_stepi(struct rpl *e, unsigned hart, uint64_t n, struct rpl_stop *st);
/* Backward n instructions of `hart`; harts whose later state depended on
 * the undone instructions go back too (reported in st->pulled). */
void rpl_reverse_stepi(struct rpl *e, unsigned hart, uint64_t n,
		       struct rpl_stop *st);
/* All harts in the canonical order until a stop condition or the end. */
void rpl_continue(struct rpl *e, struct rpl_stop *st);
/* Backward to the last stop condition met before the current position. */
void rpl_reverse_continue(struct rpl *e, struct rpl_stop *st);
/* To a position (every component; must be consistent) or a time t. */
int rpl_goto(struct rpl *e, const struct rpl_pos *target, struct rpl_stop *st);
int rpl_goto_time(struct rpl *e, uint64_t t, struct rpl_stop *st);
/* Run hart forward until pc == target (next/finish helpers); max bounds
 * the instructions; 0 = none. */
void rpl_run_to_pc(struct rpl *e, unsigned hart, uint64_t pc, uint64_t sp_min,
		   uint64_t max, struct rpl_stop *st);

/* Ask a running movement to stop at the next consistent position (any
 * thread, e.g. a SIGINT handler). */
void rpl_interrupt(struct rpl *e);

/* Called about every round of a movement that has run for over a second:
 * the time t reached, and the time it is heading for (0 if unknown). */
typedef void (*rpl_progress_fn)(void *ctx, uint64_t t, uint64_t goal);
void rpl_set_progress(struct rpl *e, rpl_progress_fn fn, void *ctx);

/* ---- checkpoints ---- */

/* A user checkpoint at the current position; its number (> 0). */
int rpl_checkpoint(struct rpl *e);
/* Go to user checkpoint n. 0, or -1 when there is none. */
int rpl_restart(struct rpl *e, int n, struct rpl_stop *st);
struct rpl_ckpt_desc {
	int id;               /* > 0 user checkpoint, 0 automatic */
	uint64_t t;
	size_t bytes;         /* memory it holds of its own */
};
bool rpl_ckpt_get(const struct rpl *e, unsigned i, struct rpl_ckpt_desc *d);
/* Memory all checkpoints hold (shared pages counted once). */
size_t rpl_ckpt_bytes(const struct rpl *e);

/* ---- memory ---- */

/* Read guest memory through hart's current translation (or physical).
 * false when an address is not mapped or not RAM. */
bool rpl_read(struct rpl *e, unsigned hart, uint64_t addr, void *buf,
	      size_t len, bool physical);
/* Translate a virtual address for hart; false when unmapped. */
bool rpl_translate(struct rpl *e, unsigned hart, uint64_t vaddr, uint64_t *paddr);

/* ---- history queries ---- */

/*
 * The last write to [addr, addr+len) before the current position: moves
 * there (just before the writing instruction) and fills st (hart, pc, old
 * and new value). RPL_STOP_START when there is none.
 */
void rpl_last_write(struct rpl *e, uint64_t addr, unsigned len, bool physical,
		    struct rpl_stop *st);

/* Atomic commits on the physical address's 8-byte word, in trace order
 * (each hart's ATOMIC events merged by canonical time). */
struct rpl_atomic {
	unsigned hart;
	uint64_t icount;
	unsigned op;
	bool success;
};
size_t rpl_atomics(struct rpl *e, uint64_t paddr, struct rpl_atomic *out,
		   size_t max);

#endif /* RRV_REPLAY_ENGINE_H */
