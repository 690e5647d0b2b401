/* triage_hang.c: every hart waits in WFI with every interrupt disabled: nothing can ever wake them (verdict hang under --hang-timeout). */
#include "guest.h"

int main(int hartid)
{
	if (hartid == 0)
		g_puts("triage_hang: every hart waits with interrupts off\n");
	__asm__ volatile("csrw mie, zero");
	__asm__ volatile("csrci mstatus, 8");
	for (;;)
		__asm__ volatile("wfi");
}
