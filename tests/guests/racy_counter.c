/*
 * racy_counter.c: every hart increments one shared counter with a plain
 * load, add, store (no atomics, no lock): a data race on purpose. With
 * several harts updates get lost; how many depends on the interleaving.
 * Prints the final value; exits 0 (the value is the result, not a check).
 */
#include "guest.h"
#include "smp.h"

#define ROUNDS 20000

static volatile uint64_t counter;

static uint32_t done;

int main(int hartid, const void *dtb)
{
	int n = smp_start(hartid, dtb);
	if (hartid >= n)
		smp_park();
	for (unsigned i = 0; i < ROUNDS; i++)
		counter = counter + 1;
	__atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
	if (hartid != 0)
		smp_park();
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < (uint32_t)n)
		;
	g_puts("racy_counter: ");
	g_putdec((int64_t)counter);
	g_puts(" of ");
	g_putdec((int64_t)n * ROUNDS);
	g_puts("\n");
	return 0;
}
