/* snap_request.c: asks rrv for a snapshot through its control device (0x101000). */
#include "guest.h"

#define CTL ((volatile uint32_t *)0x101000)

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__asm__ volatile("wfi");
	if (CTL[0] != 0x52525643u || CTL[1] != 1) {
		g_puts("no rrv control device\n");
		return 1;
	}
	g_puts("before the snapshot\n");
	CTL[2] = 1;
	g_puts("after the snapshot, requests: ");
	g_putdec(CTL[3]);
	g_puts("\n");
	return 0;
}
