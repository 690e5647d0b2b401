/*
 * chaos_starve.c: a bug that needs a starved hart (`make chaos-test`).
 * ROUNDS times: after a common start, hart 1 does a piece of work and then
 * raises the round's flag; hart 0 polls the flag and gives up after POLLS
 * polls, which take over ten times as long as hart 1's work when both run
 * (measured: ~30,000 polls per ms against ~3M instructions of work in
 * ~40 ms, so hart 0 normally sees the flag after 1-2M polls). Two harts
 * running side by side do not get there; it fails (exit 3, "FAIL hart 1
 * ready") only when hart 1 is held off the CPU for a long while in the
 * middle of its work, as `rrv chaos` does on purpose. Not in
 * manifest.txt: failing is what it is for.
 */
#include "guest.h"
#include "smp.h"

#ifndef ROUNDS
#define ROUNDS 20u
#endif
#ifndef WORK
#define WORK 1000000u      /* hart 1's loop: ~3 instructions each */
#endif
#ifndef POLLS
#define POLLS 12000000u    /* hart 0's polls: ~5 instructions each */
#endif

/* On a page of its own, so that nothing else makes the harts trade
 * ownership of it while hart 1 works: hart 0 keeps read rights on it
 * from the first poll to hart 1's store. */
static volatile uint32_t ready __attribute__((aligned(4096)));

__attribute__((noipa)) static uint64_t work(uint64_t x)
{
	for (uint32_t i = 0; i < WORK; i++)
		x = x * 3 + 1;
	return x;
}

static uint64_t now(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

int main(int hartid, const void *dtb)
{
	int n = smp_start(hartid, dtb);
	if (hartid >= 2 || n < 2)
		smp_park();
	uint64_t x = 7;
	for (uint32_t round = 1; round <= ROUNDS; round++) {
		smp_barrier(2);
		if (hartid == 1) {
			x = work(x);
			ready = round + (uint32_t)(x & 0);
			continue;
		}
		uint64_t t0 = now();
		uint32_t i;
		for (i = 0; i < POLLS && ready != round; i++)
			;
		if (i == POLLS) {
			g_puts("chaos_starve: round ");
			g_putdec(round);
			g_puts(": hart 1 not ready after ");
			g_putdec((int64_t)((now() - t0) / 10));
			g_puts(" us of polling\n");
			g_fail("hart 1 ready", 0, 1, 3);
		}
	}
	if (hartid == 1)
		smp_park();
	g_puts("chaos_starve: hart 1 was ready in every round\n");
	return 0;
}
