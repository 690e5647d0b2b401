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

#endif /* RRV_REPLAY_ENGINE_INTERNAL_H */
