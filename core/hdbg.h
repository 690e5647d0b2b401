/*
 * hdbg.h: debugger stop conditions inside the core (breakpoints on pcs,
 * watchpoints on guest memory), the part a debugger needs from the
 * executor and the MMU. The debugger (replay/engine.c) owns the lists and
 * reads the hit; the core only checks.
 *
 * A hart with h->dbg set:
 *  - builds translation blocks that end before every breakpoint address and
 *    does not chain them, so every breakpoint pc starts a block and is
 *    checked at block entry: exec_run returns *before* executing it;
 *  - never fills TLB entries for pages that hold a watched range, so every
 *    access to them takes the slow path, which checks the range; a hit ends
 *    exec_run right *after* the accessing instruction.
 * In both cases `hit` is set and the hart is at an instruction boundary.
 */
#ifndef RRV_CORE_HDBG_H
#define RRV_CORE_HDBG_H

#include <stdbool.h>
#include <stdint.h>

struct hart;

#define HDBG_MAX_BREAK 64
#define HDBG_MAX_WATCH 16

enum hdbg_kind { HDBG_W = 1, HDBG_R = 2 };

struct hdbg_watch {
	uint64_t addr, len;
	uint8_t kind;       /* HDBG_W | HDBG_R */
	bool physical;
	int id;
};

struct hdbg {
	uint64_t bp[HDBG_MAX_BREAK];
	int bp_id[HDBG_MAX_BREAK];
	unsigned nbp;
	struct hdbg_watch w[HDBG_MAX_WATCH];
	unsigned nw;
	bool armed;         /* false: lists kept but nothing stops */
	/* Resume over a breakpoint at this pc once (the one just reported). */
	bool skip;
	uint64_t skip_pc;
	/* The hit (set by the core, cleared by the debugger). */
	bool hit;
	bool hit_watch, hit_write;
	int hit_id;
	uint64_t hit_pc, hit_addr, old_val, new_val;
	unsigned hit_size;
};

/* A breakpoint at pc (honouring armed and skip): records the hit. */
bool hdbg_check_break(struct hart *h, uint64_t pc);
/* Whether pc is a breakpoint address (for cutting blocks). */
bool hdbg_is_break(const struct hart *h, uint64_t pc);
/* Whether a TLB entry for this page may be filled (no watch on it). */
bool hdbg_page_clear(const struct hart *h, uint64_t vpage, uint64_t ppage);
/*
 * A slow-path access of size bytes at vaddr/paddr (a store of val when
 * write). On a hit records it (old value read from host memory at host,
 * when not NULL) and asks the executor to stop after this instruction.
 */
void hdbg_access(struct hart *h, uint64_t vaddr, uint64_t paddr, unsigned size,
		 bool write, uint64_t val, const void *host);

/* h->dbg was set, cleared or its lists changed: drop the blocks cut for
 * the old breakpoints, mark the entries of watched pages slow. */
void hdbg_changed(struct hart *h);

#endif /* RRV_CORE_HDBG_H */
