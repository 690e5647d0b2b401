/* engine_internal.h: the time-travel engine's state, shared by its files (replay/ only). */
#ifndef RRV_REPLAY_ENGINE_INTERNAL_H
#define RRV_REPLAY_ENGINE_INTERNAL_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/hdbg.h"
#include "replay/engine.h"
#include "replay/rr_open.h"

struct rr;
struct rr_serial;
struct rr_trace_play;
struct rpl_ckpts;
struct trace_iter;
struct trace_reader;

/* Instructions per hart per round of the canonical schedule. */
#define ROUND 100000ull
/* Instructions between automatic checkpoints (all harts together). */
#define CKPT_EVERY 20000000ull
/* reach() leaves a checkpoint this many instructions before its target. */
#define CLOSE 200000ull

enum run_result { RUN_OK, RUN_HIT, RUN_END, RUN_BLOCKED, RUN_DIVERGED, RUN_INTERRUPTED };

#define MAX_STOPS 64
#define JOURNAL 256

struct rpl {
	struct trace_reader *tr;
	struct rr_trace_play *play;
	struct rr_trace_files files;
	struct machine *m;
	struct rr *rr;
	struct rr_serial *ser;
	unsigned n;
	struct trace_iter *look[MAX_HARTS];   /* event lookups by seq */
	struct evcache *evc[MAX_HARTS];
	struct rpl_pos end;
	struct hdbg dbg[MAX_HARTS];
	struct rpl_stop_desc stops[MAX_STOPS];
	unsigned nstops;
	int next_id;
	struct rpl_ckpts *ck;
	uint64_t ckpt_every;
	/* Going back: no hart may move past its limit. */
	uint64_t limit[MAX_HARTS];
	unsigned blocked_hart;
	uint64_t blocked_at;
	uint64_t pulled;
	/* Set by rpl_interrupt from any thread or a signal handler (a
	 * lock-free atomic is async-signal-safe); relaxed: it only asks the
	 * movement to stop soon and orders nothing else. */
	_Atomic int interrupt;
	bool scanning;              /* reverse scan: record hits, go on */
	/* The machine is on the canonical schedule (`continue` from the
	 * start), at a round's end: checkpoints taken now are on it. */
	bool on_canonical;
	/* reach(): harts lowered to an instruction they waited inside, whose
	 * events given away while waiting others may still need: they may
	 * start that instruction and stay waiting inside it. */
	bool inside_ok[MAX_HARTS];
	int blocked_inside;         /* the hart that would have to, or -1 */
	struct rpl_pos last_hit;
	struct rpl_stop last_stop;
	bool have_hit;
	/* Forward moves of one hart, newest last: where every hart was
	 * before, and which harts it pulled. A reverse step of that hart
	 * takes the pulled harts back with it. */
	struct journal {
		unsigned hart;
		uint64_t pulled;
		struct rpl_pos before, after;
	} journal[JOURNAL];
	unsigned njournal;
	rpl_progress_fn progress;
	void *progress_ctx;
	double move_start;         /* when the current movement began */
};

#define EVCACHE 4096
struct evcache {
	uint64_t first;
	unsigned n;
	uint64_t icount[EVCACHE];
	bool insn[EVCACHE];
};

/* Copy the stop conditions into every hart's core/hdbg lists. */
void engine_sync_stops(struct rpl *e);
/* Every hart is between two steps (none waits inside an instruction). */
bool engine_all_clean(const struct rpl *e);

/*
 * Running the harts (engine.c), what the movements (engine_move.c) are
 * made of. Results are enum run_result.
 */
bool engine_finished(const struct rpl *e, unsigned i);
/* The icount of hart's event seq, and whether it is consumed inside an
 * instruction. */
bool engine_event_at(struct rpl *e, unsigned hart, uint64_t seq, uint64_t *icount,
		     bool *insn);
/* Forget hart i's hit (resuming over a breakpoint just reported). */
void engine_clear_hit(struct rpl *e, unsigned i);
/* Hart i0 to target0 (zero0: one stop at its icount), pulling the harts
 * it waits for, none past its limit. */
int engine_run_pulls(struct rpl *e, unsigned i0, uint64_t target0, bool zero0,
		     struct rpl_stop *st);
int engine_run_hart_to(struct rpl *e, unsigned i, uint64_t target, struct rpl_stop *st);
/* The canonical schedule, none past lim (NULL: the end), until Σ icount
 * reaches tlim (0: none). */
int engine_run_rounds_until(struct rpl *e, const struct rpl_pos *lim, bool checkpoints,
			    uint64_t tlim, struct rpl_stop *st);
int engine_run_rounds(struct rpl *e, const struct rpl_pos *lim, bool checkpoints,
		      struct rpl_stop *st);
void engine_step_over_breakpoints(struct rpl *e);
void engine_set_armed(struct rpl *e, bool armed);
/* After a forward stop: harts waiting inside an instruction finish it
 * (stopped: the hart that stays exactly where it is, or -1). */
void engine_settle(struct rpl *e, int stopped);
void engine_stop_at_result(struct rpl *e, int r, struct rpl_stop *st);
/* The latest checkpoint at or before target, restored. */
int engine_restore(struct rpl *e, const struct rpl_pos *target);
/* Restore and run to target, lowering harts whose waits cannot be met. */
int engine_reach(struct rpl *e, struct rpl_pos *target, const struct rpl_pos *from,
		 struct rpl_stop *st);
int engine_goto_pos(struct rpl *e, const struct rpl_pos *target, struct rpl_stop *st);

#endif /* RRV_REPLAY_ENGINE_INTERNAL_H */
