/* idle_wfi.c: every hart sleeps in WFI, interrupts on, timer a minute away; never exits (for the idle-CPU test). */
#include "guest.h"
#include "irq.h"

#define IDLE_TICKS (60 * IRQ_MTIME_HZ)

IRQ_M_HANDLER static void on_timer(void)
{
	/* Only reached after a minute of idling: just sleep another one. */
	*IRQ_MTIMECMP(g_hartid()) = irq_mtime() + IDLE_TICKS;
}

int main(int hartid)
{
	irq_set_mtvec(on_timer);
	*IRQ_MTIMECMP(hartid) = irq_mtime() + IDLE_TICKS;
	IRQ_CSR_WRITE(mie, 1ul << IRQ_MTI);
	IRQ_CSR_SET(mstatus, IRQ_MSTATUS_MIE);
	if (hartid == 0)
		g_puts("idle_wfi: all harts idle\n");
	for (;;)
		__asm__ volatile("wfi");
}
