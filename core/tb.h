/* tb.h: per-hart translation-block cache: lookup, translation, invalidation. */
#ifndef RRV_CORE_TB_H
#define RRV_CORE_TB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/decode.h"

struct hart;

#define TB_MAX_INSNS 64
#define TB_NO_PAGE (~0ull)

/*
 * A translation block: a run of pre-decoded instructions starting at a
 * physical pc, translated under `flags` (privilege, FS on/off). ops[n] is a
 * TB_END op when the block ends without a control-flow instruction.
 * Chaining: link[i] is the block that exit i (0 = taken / direct, 1 =
 * fall-through) went to last time; valid while link_gen[i] == the cache's
 * generation, which every invalidation and mapping change bumps. Blocks are
 * never freed individually (an invalid one stays in the arena until a full
 * flush), so a stale pointer is never dangling.
 */
struct tb {
	uint64_t vpc, ppc;
	uint32_t flags;
	uint16_t n;          /* instructions (ops[0..n-1]) */
	bool valid;
	uint16_t jit_hits;   /* entries so far, until jit_threshold (core/jit.h) */
	uint32_t fence_epoch; /* the cache's FENCE.I epoch its code was checked in */
	void *jit;           /* native code (core/jit.h), NULL if none */
	uint64_t page[2];    /* physical pages holding the code (or TB_NO_PAGE) */
	struct tb *hash_next;
	struct tb *page_next[2];
	struct tb *link[2];
	uint64_t link_gen[2];
	struct op ops[];
};

struct tb_cache;

struct tb_cache *tb_cache_new(uint64_t ram_size);
void tb_cache_free(struct tb_cache *c);

/* The flags a TB must have been translated with to run now. */
uint32_t tb_flags(const struct hart *h);

/* Find or translate the block at pc. NULL when fetching raised an exception
 * (h->exc_cause/exc_tval are set; the caller takes the trap). */
struct tb *tb_lookup(struct hart *h, uint64_t pc);

/* May exit `from` be linked directly to `to`? */
bool tb_may_chain(const struct hart *h, const struct tb *from, const struct tb *to);

/* Current generation, for chaining validity; where it is kept (for the
 * JIT's native chaining, core/jit.c). */
uint64_t tb_gen(const struct hart *h);
const uint64_t *tb_gen_ptr(const struct hart *h);

/* Blocks this hart has translated since it was created (--stats). */
uint64_t tb_translated(const struct hart *h);

/* Invalidate every block with code on physical page (paddr >> 12). Returns
 * true if anything was invalidated. */
bool tb_invalidate_page(struct hart *h, uint64_t paddr);
/* Full flushes (a full arena, breakpoints, triggers, reset, snapshots). */
void tb_flush_all(struct hart *h);
/*
 * FENCE.I: from now on this hart runs the code memory holds. Blocks are
 * kept and each is checked against memory (its instruction bits) when it
 * is next looked up, so that only code that changed is translated again.
 */
void tb_fence_i(struct hart *h);
/* Virtual-to-physical mappings changed (satp, SFENCE.VMA). */
void tb_mappings_changed(struct hart *h);
/* Does a store of size bytes at paddr touch this hart's translated code? */
bool tb_code_overlaps(const struct hart *h, uint64_t paddr, unsigned size);
/* Does this hart hold translated code from the page of paddr? */
bool tb_page_has_code(const struct hart *h, uint64_t paddr);

#endif /* RRV_CORE_TB_H */
