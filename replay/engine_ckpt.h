/* engine_ckpt.h: the time-travel engine's in-process checkpoints. */
#ifndef RRV_REPLAY_ENGINE_CKPT_H
#define RRV_REPLAY_ENGINE_CKPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "replay/engine.h"

struct machine;
struct rr;
struct rr_serial;
struct rpl_ckpts;

struct rpl_ckpts *ckpt_new(struct machine *m);
void ckpt_free(struct rpl_ckpts *c);

/*
 * A checkpoint at the current position p (every hart clean): the machine
 * without RAM, each hart's trace position, and RAM as pages shared with
 * the previous checkpoint where unchanged. user: numbered for `restart`.
 * Returns the user number (> 0), 0 for an automatic one, -1 when out of
 * memory. Old automatic checkpoints are thinned to keep O(log) of them.
 */
int ckpt_take(struct rpl_ckpts *c, struct machine *m, struct rr *rr,
	      const struct rpl_pos *p, bool user);
/* Restore the latest checkpoint at or before target in every component;
 * the harts' coroutines start afresh. 0, or -1. */
int ckpt_restore_before(struct rpl_ckpts *c, struct machine *m, struct rr *rr,
			struct rr_serial *ser, const struct rpl_pos *target);
/* The position of the latest checkpoint at or before upto in every
 * component and strictly earlier in time, or NULL. */
const struct rpl_pos *ckpt_before_pos(const struct rpl_ckpts *c, const struct rpl_pos *upto);
/* After a backward move to p: keep an automatic checkpoint a short way
 * before p when there is none, so repeated reverse steps stay quick. The
 * machine must be at p. */
void ckpt_keep_close(struct rpl_ckpts *c, struct machine *m, struct rr *rr,
		     const struct rpl_pos *p);
/* The checkpoint just taken lies on the canonical schedule (a continue
 * from the start passes through it). */
void ckpt_mark_canonical(struct rpl_ckpts *c);
/* The latest such checkpoint at time t or before, or NULL. */
const struct rpl_pos *ckpt_canonical_before(const struct rpl_ckpts *c, uint64_t t);
const struct rpl_pos *ckpt_user_pos(const struct rpl_ckpts *c, int n);
bool ckpt_describe(const struct rpl_ckpts *c, unsigned i, struct rpl_ckpt_desc *d);
size_t ckpt_total_bytes(const struct rpl_ckpts *c);
/* Fold every non-zero RAM page (index and contents) into d. */
uint64_t ckpt_ram_digest(struct machine *m, uint64_t d);

#endif /* RRV_REPLAY_ENGINE_CKPT_H */
