/*
 * trigger.h: the Sdtrig trigger module (RISC-V Debug Specification 1.0,
 * chapter "Sdtrig"): tselect, tdata1-3 and tinfo, and the checks the
 * executor and the MMU make while a guest trigger is armed.
 *
 * Each hart has TRIG_COUNT triggers. Each one is an address match trigger,
 * type 6 (mcontrol6) or the deprecated type 2 (mcontrol), or disabled
 * (type 15, what writing tdata1 = 0 or an unsupported type gives). What
 * they support: execute, load and store matches on the virtual address
 * (select = 0, any size), match = 0 (equal), 2 (>=) and 3 (<), privilege
 * bits m, s and u, action 0 (breakpoint exception), timing "before". No
 * chaining, no data (select = 1) or NAPOT matches, no tcontrol, no
 * textra context matches (tdata3 reads 0): those fields are WARL and read
 * back 0.
 *
 * Cost when nothing is armed: none on the fast paths. Like core/hdbg.h's
 * debugger stops, but guest-visible and deterministic (a function of
 * architectural state, so record and replay fire at the same icount):
 *  - an execute trigger's address always starts a block that nothing
 *    chains into (tb.c cuts blocks there), so the executor checks it at
 *    block lookup (exec_armed), before the instruction and its fetch;
 *  - pages a load/store trigger covers keep their TLB entries marked
 *    TLB_SLOW (mem_armed), so the MMU's slow path checks every access to
 *    them before performing it.
 */
#ifndef RRV_CORE_TRIGGER_H
#define RRV_CORE_TRIGGER_H

#include <stdbool.h>
#include <stdint.h>

struct hart;

/* Four: enough for a debugger's usual mix (two breakpoints, a read and a
 * write watchpoint); checks loop over all of them, so few is faster. */
#define TRIG_COUNT 4

/* What an access is, as mcontrol's load/store/execute bits (0..2). */
enum trig_kind { TRIG_LOAD = 1, TRIG_STORE = 2, TRIG_EXEC = 4 };

struct trig_state {
	uint64_t tdata1[TRIG_COUNT];  /* always a legal value */
	uint64_t tdata2[TRIG_COUNT];
	uint32_t tselect;
	/* Derived from tdata1 by trigger_refresh: some trigger matches
	 * executed pcs / loads or stores in some privilege mode. */
	bool exec_armed, mem_armed;
};

/* Every trigger disabled, tselect 0. */
void trigger_reset(struct trig_state *t);

/* tselect..tinfo (0x7a0..0x7a4). false: not a trigger CSR (illegal). */
bool trigger_csr_read(const struct hart *h, unsigned csr, uint64_t *v);
bool trigger_csr_write(struct hart *h, unsigned csr, uint64_t v);

/* The value a write of v to tdata1 leaves (WARL). */
uint64_t trigger_legal_tdata1(uint64_t v);

/* Recompute exec_armed/mem_armed (after a restore; no flush). */
void trigger_refresh(struct trig_state *t);

/*
 * An instruction at pc is about to execute (h->trig.exec_armed): the
 * triggers that fire are marked hit; true when any did (the caller raises
 * a breakpoint exception, tval = pc).
 */
bool trigger_exec_fire(struct hart *h, uint64_t pc);
/* Whether an execute trigger matches pc in any mode (for cutting blocks
 * and refusing chains into them). */
bool trigger_exec_addr(const struct hart *h, uint64_t pc);

/*
 * A load or store (kinds: TRIG_LOAD and/or TRIG_STORE; an AMO is both) of
 * size bytes at vaddr is about to happen (h->trig.mem_armed): as
 * trigger_exec_fire, tval = vaddr. Every byte of the access is a compare
 * value (the spec's recommendation).
 */
bool trigger_mem_fire(struct hart *h, uint64_t vaddr, unsigned size,
		      unsigned kinds);
/* Whether no load/store trigger can match an access to this virtual page
 * (its TLB entries may hit the fast path). */
bool trigger_page_clear(const struct hart *h, uint64_t vaddr);

#endif /* RRV_CORE_TRIGGER_H */
