/*
 * deep_calls.c: a known call chain for the debugger's backtraces
 * (tests/debug/dwarf_test.py): main -> outer -> middle -> inner -> leaf,
 * and outer -> finish. Built like every guest (-O2, so without frame
 * pointers): only the DWARF CFI in .debug_frame can unwind it. leaf saves
 * no ra; outer and main end in a call to a noreturn function, so their
 * return addresses lie past their last instruction (the pc-1 rule).
 * noipa keeps each function a real call with its own name (no inlining,
 * cloning or sibling calls between them). Prints one line, exits 0.
 */
#include "guest.h"

static volatile uint64_t sink;

__attribute__((noipa)) uint64_t dc_leaf(uint64_t x)
{
	return x * 3 + 1;
}

__attribute__((noipa)) uint64_t dc_inner(uint64_t x)
{
	uint64_t a = dc_leaf(x);
	uint64_t b = dc_leaf(a ^ 5);
	return a + b;
}

__attribute__((noipa)) uint64_t dc_middle(uint64_t x)
{
	uint64_t r = dc_inner(x + 1);
	sink = r;
	return r * 2;
}

__attribute__((noipa, noreturn)) void dc_finish(uint64_t v)
{
	g_puts("deep_calls: ");
	g_putdec((int64_t)v);
	g_puts("\n");
	g_exit(0);
}

__attribute__((noipa, noreturn)) void dc_outer(uint64_t x)
{
	uint64_t r = dc_middle(x);
	dc_finish(r + sink);
}

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__asm__ volatile("wfi");
	dc_outer(7);
}
