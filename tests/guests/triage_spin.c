/* triage_spin.c: prints one line, then every hart increments one shared counter forever: a long run with cross-hart traffic (for --hang-output, signals and an injected rrv crash). */
#include "guest.h"

static volatile uint64_t counter;

int main(int hartid)
{
	if (hartid == 0)
		g_puts("triage_spin: spinning forever\n");
	for (;;)
		__atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
}
