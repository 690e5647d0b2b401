/* triage_exit3.c: reports failure the way a test guest does: prints a line and exits with code 3 (verdict guest-fail). */
#include "guest.h"

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__asm__ volatile("wfi");
	g_puts("triage_exit3: failing on purpose with code 3\n");
	return 3;
}
