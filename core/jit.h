/* jit.h: the x86-64 template JIT tier under the interpreter (DESIGN.md §3). */
#ifndef RRV_CORE_JIT_H
#define RRV_CORE_JIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/hart.h"
#include "core/tb.h"

/*
 * A hot translation block is compiled to native code that runs its ops from
 * the first on and returns where the interpreter (core/exec.c) goes on:
 *   k < JIT_DONE           continue at tb->ops[k] (an op the JIT does not
 *                          translate, a TLB miss or misalignment, or
 *                          exit_request seen before a memory access: the
 *                          interpreter executes that op as it always does);
 *   JIT_DONE + 1 + slot    the block's last instruction retired and set
 *                          h->pc; follow exit `slot` (-1 = indirect).
 * Both refer to *tbp, the block native code was in when it returned: a
 * direct exit whose link the interpreter made is followed natively under
 * the interpreter's own chaining conditions.
 * The interpreter counted the whole block at entry, so resuming at any op
 * keeps icount and the budget exact; native code never calls mmu_* and
 * never takes a trap, so every fault and safe point happens in the
 * interpreter, exactly where it would without the JIT.
 */
#define JIT_DONE 0x100u

/* left: the interpreter's budget; *tbp: the block it resumes in, which
 * native chaining moves on (counting each block it enters, as exec.c does). */
typedef unsigned (*jit_fn)(struct hart *h, uint64_t *left, struct tb **tbp);

/* --jit on|off; AUTO = the process default (jit_default). */
enum jit_mode { JIT_AUTO, JIT_ON, JIT_OFF };

/* The default for JIT_AUTO: jit_set_default's, else $RRV_JIT (on|off),
 * else on for x86-64 hosts. */
bool jit_default(void);
void jit_set_default(bool on);
/* Parse "on"/"off"; -1 for anything else. */
int jit_parse_mode(const char *s);

struct jit;

/* Per-hart JIT state (code buffer); NULL when the host cannot run it or
 * the mode says off. */
struct jit *jit_new(enum jit_mode mode);
void jit_free(struct jit *j);
/* Every block is gone (tb_flush_all): the code buffer starts over. */
void jit_reset(struct jit *j);
/* Entries of a block before it is compiled ($RRV_JIT_THRESHOLD, >= 1). */
unsigned jit_threshold(const struct jit *j);

/* Compile tb now; false if it has no native part or no room was left.
 * With $RRV_JIT_DUMP=FILE, each block's code is appended to FILE. */
bool jit_compile(struct hart *h, struct tb *tb);

struct jit_stats {
	uint64_t blocks;      /* compiled */
	uint64_t bytes;       /* native code */
	uint64_t ns;          /* host time compiling */
	uint64_t ops_native;  /* ops translated natively */
	uint64_t ops_total;   /* ops of compiled blocks */
	uint64_t resets;      /* code buffer restarts (tb cache flushes) */
	uint64_t links;       /* exits compiled with a direct jump to a block */
};
void jit_get_stats(const struct jit *j, struct jit_stats *s);

/* The block's native code, compiling it on its threshold-th entry; NULL
 * while it is cold or when it has no native part. */
static inline jit_fn jit_code(struct hart *h, struct tb *tb)
{
	if (tb->jit)
		return (jit_fn)tb->jit;
	if (tb->jit_hits >= h->jit_threshold)
		return NULL;
	if (++tb->jit_hits < h->jit_threshold)
		return NULL;
	jit_compile(h, tb);
	return (jit_fn)tb->jit;
}

#endif /* RRV_CORE_JIT_H */
