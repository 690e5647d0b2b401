/* irq.h: CSR access, CLINT and PLIC helpers for the interrupt guests (header only). */
#ifndef RRV_GUESTS_IRQ_H
#define RRV_GUESTS_IRQ_H

#include <stdint.h>

#include "guest.h"

#define IRQ_CSR_READ(csr)                                                  \
	({                                                                 \
		uint64_t v__;                                              \
		__asm__ volatile("csrr %0, " #csr : "=r"(v__));            \
		v__;                                                       \
	})
#define IRQ_CSR_WRITE(csr, v)                                              \
	__asm__ volatile("csrw " #csr ", %0" : : "r"((uint64_t)(v)) : "memory")
#define IRQ_CSR_SET(csr, v)                                                \
	__asm__ volatile("csrs " #csr ", %0" : : "r"((uint64_t)(v)) : "memory")
#define IRQ_CSR_CLEAR(csr, v)                                              \
	__asm__ volatile("csrc " #csr ", %0" : : "r"((uint64_t)(v)) : "memory")

#define IRQ_MSTATUS_SIE (1ul << 1)
#define IRQ_MSTATUS_MIE (1ul << 3)
#define IRQ_MSTATUS_SPIE (1ul << 5)
#define IRQ_MSTATUS_MPIE (1ul << 7)
#define IRQ_MSTATUS_SPP (1ul << 8)
#define IRQ_MSTATUS_MPP (3ul << 11)
#define IRQ_MSTATUS_SUM (1ul << 18)
#define IRQ_MSTATUS_MXR (1ul << 19)

/* mip / mie bits and the matching interrupt mcause values. */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define IRQ_CAUSE(n) ((1ul << 63) | (n))

/* CLINT (SiFive layout, as on QEMU virt); mtime counts at 10 MHz there. */
#define IRQ_MTIME_HZ 10000000ul
#define IRQ_MSIP(h) ((volatile uint32_t *)(G_CLINT + 4 * (h)))
#define IRQ_MTIMECMP(h) ((volatile uint64_t *)(G_CLINT + 0x4000 + 8 * (h)))
#define IRQ_MTIME ((volatile uint64_t *)(G_CLINT + 0xbff8))

/* PLIC: context 2h is hart h's M-mode, 2h+1 its S-mode. */
#define G_PLIC 0x0c000000ul
#define IRQ_PLIC_PRIO(src) ((volatile uint32_t *)(G_PLIC + 4 * (src)))
#define IRQ_PLIC_PENDING(src) \
	((volatile uint32_t *)(G_PLIC + 0x1000 + 4 * ((src) / 32)))
#define IRQ_PLIC_ENABLE(ctx, src) \
	((volatile uint32_t *)(G_PLIC + 0x2000 + 0x80 * (ctx) + 4 * ((src) / 32)))
#define IRQ_PLIC_THRESHOLD(ctx) \
	((volatile uint32_t *)(G_PLIC + 0x200000 + 0x1000 * (ctx)))
#define IRQ_PLIC_CLAIM(ctx) \
	((volatile uint32_t *)(G_PLIC + 0x200004 + 0x1000 * (ctx)))
#define IRQ_UART_SRC 10

static inline uint64_t irq_mtime(void)
{
	return *IRQ_MTIME;
}

/* Sets mtvec to a direct-mode handler (which must be 4-byte aligned). */
static inline void irq_set_mtvec(void (*handler)(void))
{
	IRQ_CSR_WRITE(mtvec, (uint64_t)handler);
}

/*
 * Sleeps until an interrupt enabled in mie is pending, then lets it trap:
 * WFI runs with MIE clear so that the wake-up condition the caller tested
 * cannot be consumed by a handler between the test and the WFI (the lost
 * wake-up race); WFI still returns once the interrupt is pending.
 */
#define IRQ_WAIT_UNTIL(cond)                                               \
	do {                                                               \
		IRQ_CSR_CLEAR(mstatus, IRQ_MSTATUS_MIE);                   \
		while (!(cond)) {                                          \
			__asm__ volatile("wfi" ::: "memory");              \
			IRQ_CSR_SET(mstatus, IRQ_MSTATUS_MIE);             \
			IRQ_CSR_CLEAR(mstatus, IRQ_MSTATUS_MIE);           \
		}                                                          \
	} while (0)

/* The GCC attribute that makes a C function an M-mode trap handler (saves
 * what it uses, returns with mret); mtvec needs 4-byte alignment. */
#define IRQ_M_HANDLER __attribute__((interrupt("machine"), aligned(4)))

#endif /* RRV_GUESTS_IRQ_H */
