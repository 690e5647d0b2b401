/* kernel.h: smode_sv39's S-mode kernel: page tables, fault probes and the S-mode checks. */
#ifndef RRV_GUESTS_SMODE_SV39_KERNEL_H
#define RRV_GUESTS_SMODE_SV39_KERNEL_H

#include <stdint.h>

#include "sv39.h"

#define SCAUSE_FETCH_PAGE 12
#define SCAUSE_LOAD_PAGE 13
#define SCAUSE_STORE_PAGE 15

/* Result of a probe: whether it trapped, and with what. */
struct probe {
	int trapped;
	uint64_t cause;
	uint64_t tval;
	uint64_t value; /* loaded value (loads that did not trap) */
};

/* Page-table entries the checks edit; the caller then runs sfence_vma. */
uint64_t *kernel_leaf(uint64_t va);     /* 4 KiB test page PTE */
uint64_t *kernel_l1(uint64_t va);       /* megapage slot in gigapage 1 */
uint64_t *kernel_root(uint64_t va);     /* gigapage slot */
uint64_t kernel_pool_page(int i);       /* physical address of pool page i */
uint64_t kernel_pte(uint64_t pa, uint64_t flags);

static inline void sfence_vma(uint64_t va)
{
	__asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}

/* The M-mode timer call: STI at mtime >= deadline, a pending one cleared. */
void kernel_set_timer(uint64_t deadline);

struct probe probe_load(uint64_t va);
struct probe probe_store(uint64_t va, uint64_t value);
/* Calls va (as a function): faults come back as a trapped probe. */
struct probe probe_exec(uint64_t va);

/* S-mode interrupts taken so far, by the trap handler. */
extern volatile uint64_t kernel_ssi_count, kernel_sti_count;

/* S-mode checks on translation and interrupts, run before the U program. */
void stests_run(void);

#endif /* RRV_GUESTS_SMODE_SV39_KERNEL_H */
