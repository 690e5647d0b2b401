/* jit_rc.h: the JIT's guest-register cache: x registers in host registers within a block (core/jit.c). */
#ifndef RRV_CORE_JIT_RC_H
#define RRV_CORE_JIT_RC_H

#include <stdint.h>

#include "core/decode.h"
#include "core/jit_x86.h"

/*
 * Guest x registers live in host registers within a block, write-back:
 * a result stays in its host register only (dirty) until the code reaches
 * a point where anything else may read h->x — a side exit, a helper call,
 * a block exit — where rc_flush stores every dirty one, or until its host
 * register is taken for another mapping. A result the block overwrites
 * before such a point is never stored. Mappings start empty at every
 * block entry (also after a native chained jump, which follows a flush);
 * x0 may be mapped, to a register holding 0 (writes to x0 go to
 * REG_SINK, which nothing reads and nothing stores).
 */
#define RC_NHOST 16

/* Lost at a helper call (SysV): the rest of the pool is callee-saved. */
#define RC_CALLER_SAVED (1u << X_RSI | 1u << X_RDI | 1u << X_R8 | 1u << X_R9 | \
			 1u << X_R10 | 1u << X_R11)
#define RC_POOL (RC_CALLER_SAVED | 1u << X_RBP | 1u << X_R14 | 1u << X_R15)

/* RBX holds the hart; h->x[r] is at [RBX + rc_xoff(r)]. */
struct rcache {
	struct x86_buf *b;            /* where loads and stores are emitted */
	int8_t host[REG_SINK];        /* guest x register -> host register, -1 */
	int8_t guest[RC_NHOST];       /* host register -> guest x register, -1 */
	uint32_t stamp[RC_NHOST];     /* last use, for LRU eviction */
	uint32_t clock;
	uint32_t dirty;               /* host registers not yet stored */
};

static inline unsigned rc_bit(unsigned hr) { return 1u << hr; }

/* Empty, emitting into b. */
void rc_reset(struct rcache *rc, struct x86_buf *b);
/* The host register holding guest x register r, loaded on first use. */
unsigned rc_src(struct rcache *rc, unsigned r);
/* The register to compute rd's new value in: rd's own mapping unless the
 * op still reads it (`avoid`, a mask of host registers), else a fresh pool
 * register; RAX for the sink. The mapping changes in rc_def. */
unsigned rc_dst(struct rcache *rc, unsigned rd, unsigned avoid);
/* For rd = rs1 op ...: in place in rs1's register hs1 when rd is rs1
 * (x86's two-operand forms), else in rd's register loaded with hs1. */
unsigned rc_dst_from(struct rcache *rc, unsigned rd, unsigned rs1, unsigned hs1,
		     unsigned avoid);
/* rd = hr (any host register): kept, dirty, in a pool register. */
void rc_def(struct rcache *rc, unsigned rd, unsigned hr);
/* Store every dirty register (emits only stores: flags survive). */
void rc_flush(struct rcache *rc);
/* After a call (made with nothing dirty): the caller-saved registers are
 * lost, and the helper may have written x[rd] in memory. */
void rc_after_call(struct rcache *rc, unsigned rd);

#endif
