/* hart.h: one RISC-V hart: architectural state, soft TLB, code cache, thread. */
#ifndef RRV_CORE_HART_H
#define RRV_CORE_HART_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/riscv.h"
#include "core/trigger.h"

/* The mip bits devices and other harts set (async_mip). */
#define HART_ASYNC_MIP (MIP_MSIP | MIP_MTIP | MIP_MEIP | MIP_SEIP)

struct machine;
struct tb_cache;
struct hdbg;
struct rr_hart;

/*
 * Soft TLB entry. `tag` is the virtual page address of the mapping (low 12 bits
 * zero) or TLB_INVALID; host address = vaddr + addend. A fast-path access of
 * size s hits when (vaddr & (PAGE_MASK | (s-1))) == tag, which checks the page
 * and natural alignment with one compare. Entries only ever map RAM or ROM
 * that may be accessed directly; MMIO, watched pages (HTIF tohost) and pages
 * holding this hart's translated code (for writes) always take the slow path.
 */
struct tlb_entry {
	uint64_t tag;
	uintptr_t addend;
};

/*
 * A write entry with TLB_SLOW in its tag keeps the translation of a page
 * that holds translated code but never hits the fast path (the compare
 * includes bit 11, which no page-aligned address has): stores to the page
 * take the slow path to invalidate code, without walking the page table
 * again. Whether a page holds code depends on where blocks were cut, which
 * record and replay do differently; whether a walk happens must not.
 */
#define TLB_SLOW 0x800ull

static inline uintptr_t tlb_entry_host(const struct tlb_entry *e)
{
	return (uintptr_t)((e->tag & PAGE_MASK) + e->addend);
}

#define TLB_BITS 8
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_INVALID (~0ull)

/*
 * The TLB entries (indices into a hart's tlbs, as one array) filled for a
 * RAM page since its entries were last dropped, so that dropping one page
 * (a revocation) looks at those instead of every entry. An index may be
 * stale (its entry refilled since, or flushed): it is checked. `all`: more
 * than fit were filled, every entry is looked at.
 */
#define TLB_RMAP_SLOTS 3
struct tlb_rmap {
	uint16_t slot[TLB_RMAP_SLOTS];
	uint8_t n;
	bool all;
};

struct tlb_set {
	struct tlb_entry r[TLB_SIZE], w[TLB_SIZE], x[TLB_SIZE];
};

/* One TLB set per translation regime so privilege changes need no flush. */
enum tlb_mode { TLB_M, TLB_S, TLB_U, TLB_NMODES };

static inline unsigned tlb_index(uint64_t vaddr)
{
	return (unsigned)(vaddr >> PAGE_SHIFT) & (TLB_SIZE - 1);
}

/*
 * Ownership: everything in struct hart belongs to the hart's own thread,
 * except the fields marked "shared", which other threads touch only through
 * the atomics and the WFI mutex.
 */
struct hart {
	/* Hot state first: registers, pc, TLB pointers. x[32] is the x0 sink. */
	uint64_t x[33];
	uint64_t pc;
	uint64_t f[32];
	struct tlb_set *tlb_data;   /* set for loads/stores (MPRV-aware) */
	struct tlb_set *tlb_fetch;  /* set for instruction fetch */
	uint64_t icount;            /* instructions retired */

	/* shared: set by any thread to make this hart reach a safe point. */
	_Atomic uint32_t exit_request;
	/* shared: levels of the externally driven mip bits (CLINT, PLIC),
	 * folded into mip only at a safe point (DESIGN.md §4.2). */
	_Atomic uint64_t async_mip;

	unsigned id;
	unsigned priv;
	struct machine *m;

	/* CSRs. */
	uint64_t mstatus, medeleg, mideleg, mie, mip, mtvec, mscratch, mepc,
		 mcause, mtval, stvec, sscratch, sepc, scause, stval, satp,
		 mcounteren, scounteren, menvcfg, senvcfg, mcountinhibit;
	uint64_t mcycle_off, minstret_off; /* counter = icount + offset */
	/* mip.SEIP as M-mode software last wrote it; the visible bit is this
	 * OR the PLIC's S-context line (privileged spec, 3.1.9). */
	uint64_t mip_sw_seip;
	uint64_t mip_ext; /* async_mip as folded at the last safe point */
	uint64_t pmpcfg[16], pmpaddr[64];
	uint32_t fflags, frm;

	/* Record/replay (NULL in `rrv run`): the recorder's or replayer's
	 * state for this hart, opaque here (set with m->hooks, which every
	 * call site reaches only after testing this pointer); the icount of
	 * the instruction in progress (what events inside it are logged
	 * at); and "leave the block after this instruction". */
	struct rr_hart *rr;
	uint64_t insn_icount;
	uint64_t insn_pc;     /* its pc, for observers (set with it on slow paths) */
	bool leave_tb;

	/* Every FP operation through fpu.c, none through the host-FPU fast
	 * path (--fpu soft, or a host FPU unfit for it): same results. */
	bool fpu_soft;

	/* The exception a slow path raised, for the executor to take. */
	uint64_t exc_cause, exc_tval;

	/* LR/SC reservation (physical address). */
	bool resv_valid;
	uint64_t resv_addr, resv_val;

	/* WFI: the hart sleeps on cond until kicked (shared: under wfi_lock). */
	bool in_wfi;
	/* Recording: the block just run executed a PAUSE (a spin loop's
	 * hint); the recorder's boundary hook reads and clears it. */
	bool spin_hint;
	pthread_mutex_t wfi_lock;
	pthread_cond_t wfi_cond;

	/* Translation: per-hart code cache (share-nothing). */
	struct tb_cache *tbc;
	bool tb_flush_pending;    /* executor must leave the current TB */
	/* JIT tier (core/jit.h): its code buffer, NULL = interpreter only;
	 * entries before a block is compiled. */
	struct jit *jit;
	uint16_t jit_threshold;

	/* Debugger stop conditions (core/hdbg.h), NULL when not debugging. */
	struct hdbg *dbg;

	/* The guest's own triggers (Sdtrig, core/trigger.h). */
	struct trig_state trig;

	/* Instruction budget: stop after this icount (UINT64_MAX = none). */
	uint64_t icount_limit;

	/* shared: icount plus interrupts taken, published by the hart's
	 * thread after each exec_run for the hang watchdog (relaxed both
	 * ways: it only needs to see the number move, eventually). */
	_Atomic uint64_t progress;
	uint64_t irqs_taken;
	/* Trap-loop detection (core/trap.c): the last exception, how many
	 * times in a row it repeated, and where the last xRET since then
	 * went (at which icount). */
	struct trap_watch {
		uint64_t cause, epc, tval, icount, repeats;
		uint64_t ret_pc, ret_icount;
		bool ret_valid;
	} tw;
	/* A test build's injected crash at this icount (0 = none). */
	uint64_t test_crash_at;

	pthread_t thread;
	struct tlb_set tlbs[TLB_NMODES];
	/* Per RAM page, the TLB entries filled for it (core/mmu.c). */
	struct tlb_rmap *tlb_rmap;
};

struct hart *hart_new(struct machine *m, unsigned id);
void hart_free(struct hart *h);
void hart_reset(struct hart *h, uint64_t entry, uint64_t a1);

/* Make the hart reach a safe point soon; wakes it from WFI. Any thread. */
void hart_kick(struct hart *h);
/* The hart's own thread: sleep until a kick (exit_request set) or ns
 * pass (UINT64_MAX: no limit); true when the time ran out. */
bool hart_nap(struct hart *h, uint64_t ns);

/* Raise or lower externally driven mip bits and kick. Any thread. */
void hart_set_async_mip(struct hart *h, uint64_t bits, bool level);

/* The hart's host thread body: runs until the machine stops. */
void *hart_thread(void *arg);

/* Recompute tlb_data/tlb_fetch after priv, MPRV or MPP changed. */
void hart_update_tlb_mode(struct hart *h);

/* Safe-point work (mailbox, async fold, interrupts); false = stop the hart. */
bool hart_safe_point(struct hart *h);

/* Instruction counters as the CSRs show them. */
static inline uint64_t hart_instret(const struct hart *h)
{
	return h->icount + h->minstret_off;
}

#endif /* RRV_CORE_HART_H */
