/* mmode.c: smode_sv39's M-mode part: PMP, trap delegation, a timer call for S, then mret into the kernel. */
#include "guest.h"
#include "irq.h"
#include "sv39.h"

#define EXC_ECALL_U 8
#define EXC_ECALL_S 9
#define EXC_FETCH_PAGE 12
#define EXC_LOAD_PAGE 13
#define EXC_STORE_PAGE 15

#define STACK_BYTES 16384

static uint8_t m_stack[STACK_BYTES] __attribute__((aligned(16)));
static uint8_t s_stack[STACK_BYTES] __attribute__((aligned(16)));

static void mcall_set_timer(uint64_t deadline)
{
	*IRQ_MTIMECMP(g_hartid()) = deadline;
	/* Like SBI set_timer: the new deadline retires the old interrupt. */
	IRQ_CSR_CLEAR(mip, 1ul << IRQ_STI);
	if (deadline != UINT64_MAX)
		IRQ_CSR_SET(mie, 1ul << IRQ_MTI);
	else
		IRQ_CSR_CLEAR(mie, 1ul << IRQ_MTI);
}

void m_trap(struct trap_frame *f)
{
	uint64_t cause = IRQ_CSR_READ(mcause);
	if (cause == IRQ_CAUSE(IRQ_MTI)) {
		/* Hand the tick to S: MTIP stays until mtimecmp moves, so
		 * mask it here and let S's set_timer call re-arm it. */
		IRQ_CSR_CLEAR(mie, 1ul << IRQ_MTI);
		IRQ_CSR_SET(mip, 1ul << IRQ_STI);
		return;
	}
	if (cause == EXC_ECALL_S && f->x[17] == MCALL_SET_TIMER) {
		mcall_set_timer(f->x[10]);
		IRQ_CSR_WRITE(mepc, IRQ_CSR_READ(mepc) + 4);
		return;
	}
	g_puts("smode_sv39: M-mode trap from ");
	g_puts((IRQ_CSR_READ(mstatus) & IRQ_MSTATUS_MPP) ? "S" : "U");
	g_puts("-mode\n");
	g_unexpected_trap(cause, IRQ_CSR_READ(mepc), IRQ_CSR_READ(mtval));
}

/* The whole address space for S and U: without a matching PMP entry their
 * accesses fail (privileged spec 3.7.1). */
static void pmp_open(void)
{
	IRQ_CSR_WRITE(pmpaddr0, ~0ul >> 10);
	IRQ_CSR_WRITE(pmpcfg0, 0x1f); /* NAPOT, R W X */
}

static void delegate(void)
{
	uint64_t exc = 1ul << EXC_ECALL_U | 1ul << EXC_FETCH_PAGE |
		       1ul << EXC_LOAD_PAGE | 1ul << EXC_STORE_PAGE;
	uint64_t irq = 1ul << IRQ_SSI | 1ul << IRQ_STI;
	IRQ_CSR_WRITE(medeleg, exc);
	IRQ_CSR_WRITE(mideleg, irq);
	G_CHECK("smode_sv39 medeleg", IRQ_CSR_READ(medeleg), exc, 1);
	/* Only the S bits: QEMU's CPU has the H extension, whose VS and
	 * SGEI bits in mideleg read as one. */
	uint64_t s_irqs = 1ul << IRQ_SSI | 1ul << IRQ_STI | 1ul << IRQ_SEI;
	G_CHECK("smode_sv39 mideleg", IRQ_CSR_READ(mideleg) & s_irqs, irq, 2);
}

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__asm__ volatile("wfi");
	pmp_open();
	delegate();
	*IRQ_MTIMECMP(hartid) = UINT64_MAX;
	IRQ_CSR_WRITE(mie, 0);
	IRQ_CSR_WRITE(mscratch, (uint64_t)(m_stack + STACK_BYTES));
	irq_set_mtvec(m_trapvec);
	g_puts("smode_sv39: entering S-mode\n");
	m_enter_s((uint64_t)s_main, (uint64_t)(s_stack + STACK_BYTES),
		  (uint64_t)hartid);
	return 0x7f; /* not reached */
}
