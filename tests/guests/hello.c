/* hello.c: smoke-test guest: prints one line from hart 0 and exits 0. */
#include "guest.h"

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__asm__ volatile("wfi");
	g_puts("hello from rrv guest\n");
	return 0;
}
