/*
 * longrun.c: a single-hart guest that runs for as long as it is let (the
 * debugger benchmark records it with --max-insns): calls, loads and stores
 * over a 64 KiB table, and a store to `marker` at the start only, so a
 * reverse-continue to a watchpoint on it crosses the whole trace.
 */
#include "guest.h"

static uint32_t table[16384];
volatile uint64_t marker;
volatile uint64_t progress;

static __attribute__((noinline)) uint32_t mix(uint32_t a, uint32_t i)
{
	a ^= table[(a >> 7) & 16383] + i;
	table[i & 16383] = a * 2654435761u;
	return a;
}

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__asm__ volatile("wfi");
	marker = 1;
	uint32_t a = 12345;
	for (uint64_t round = 0;; round++) {
		for (uint32_t i = 0; i < 65536; i++)
			a = mix(a, i);
		progress = round;
	}
	return (int)a;
}
