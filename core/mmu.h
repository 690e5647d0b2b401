/* mmu.h: address translation (bare, Sv39), soft-TLB refill, memory slow paths. */
#ifndef RRV_CORE_MMU_H
#define RRV_CORE_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "core/riscv.h"

struct hart;
struct tlb_entry;

/* Slow-path results. MEM_END_TB: the access worked but the block must end
 * after this instruction (MMIO, code invalidated, HTIF). MEM_EXC: exception
 * (h->exc_cause, h->exc_tval set), instruction not executed. */
enum { MEM_OK = 0, MEM_END_TB = 1, MEM_EXC = -1 };

/*
 * Not an exception: the record/replay layer stopped the run while this
 * instruction waited (or replay found a divergence). The instruction does
 * not retire and no trap is taken; the hart leaves exec_run.
 */
#define EXC_ABORT 0x7fffu

/* Translate; 0 and *paddr, or the exception cause (page/access fault). */
int mmu_translate(struct hart *h, uint64_t vaddr, enum access acc,
		  uint64_t *paddr);

/*
 * Instruction-fetch translation through the fetch TLB: a hit reads no page
 * table; a miss walks, takes read rights to the code page (record/replay)
 * and fills. 0 and *ppc, the exception cause, or EXC_ABORT.
 */
int mmu_fetch_translate(struct hart *h, uint64_t vpc, uint64_t *ppc);

int mmu_load(struct hart *h, uint64_t vaddr, unsigned size, uint64_t *val);
int mmu_store(struct hart *h, uint64_t vaddr, unsigned size, uint64_t val);

/* What an atomic instruction does to memory (guest triggers tell apart
 * a load, a store and an AMO, which is both). */
enum mmu_atomic { MMU_AT_AMO, MMU_AT_LR, MMU_AT_SC };

/*
 * For AMO, LR and SC: translate (as a store unless LR) and return a host
 * pointer to naturally aligned RAM. NULL with the exception set otherwise.
 * *paddr receives the physical address (reservations are physical).
 */
void *mmu_atomic_ptr(struct hart *h, uint64_t vaddr, unsigned size,
		     enum mmu_atomic kind, uint64_t *paddr);

/* A write of size bytes at paddr: invalidate translated code it touches. */
int mmu_note_code_write(struct hart *h, uint64_t paddr, unsigned size);

/*
 * Accesses by physical address that are no instruction's own (rrv's
 * built-in SBI, core/sbi.c, inside an ECALL): ownership is taken as for
 * a guest access; MMIO goes to the device. Rights taken hold only until
 * the hart's next need, so each access takes its own. need: 0 or
 * EXC_ABORT. load/store: MEM_OK, MEM_END_TB or MEM_EXC (h->exc_cause set:
 * an access fault or EXC_ABORT). rmw_ptr: a host pointer to RAM with
 * write rights taken (for an atomic update), or NULL with h->exc_cause.
 */
int mmu_phys_need(struct hart *h, uint64_t paddr, bool write);
int mmu_phys_load(struct hart *h, uint64_t paddr, unsigned size, uint64_t *val);
int mmu_phys_store(struct hart *h, uint64_t paddr, unsigned size, uint64_t val);
void *mmu_phys_rmw_ptr(struct hart *h, uint64_t paddr, unsigned size);

void mmu_flush_tlb(struct hart *h);
/* TLB entry e is being filled with a translation to the page of paddr
 * (tlb_fill, snapshots). */
void mmu_tlb_note(struct hart *h, uint64_t paddr, const struct tlb_entry *e);
/* Invalidate the entries that map the physical page of paddr: its write
 * entries only, or all of them. */
void mmu_tlb_drop_page(struct hart *h, uint64_t paddr, bool writes_only);
/* A debugger's translation of vaddr for h's current data accesses (MPRV
 * honoured, Sv39): no A/D bits set, no TLB filled, no trap. */
bool mmu_debug_translate(const struct hart *h, uint64_t vaddr, uint64_t *paddr);
/* The debugger's watchpoints or the guest's load/store triggers changed:
 * mark the entries of the pages they cover slow (kept, not flushed). */
void mmu_debug_changed(struct hart *h);
/* Write entries mapping the physical page of paddr (code was translated)
 * stop hitting the fast path; their translations stay. */
void mmu_drop_write_page(struct hart *h, uint64_t paddr);

#endif /* RRV_CORE_MMU_H */
