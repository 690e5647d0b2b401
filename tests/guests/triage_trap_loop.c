/* triage_trap_loop.c: hart 0 runs an illegal instruction whose handler returns to it unchanged (it forgets mepc += 4): a trap loop (verdict trap-loop); other harts count on a shared word meanwhile. */
#include "guest.h"

/* Counts the traps in s1 and goes back to the same mepc. */
__asm__(".section .text\n"
	".align 2\n"
	".globl forgetful_handler\n"
	"forgetful_handler:\n"
	"	addi s1, s1, 1\n"
	"	mret\n");
void forgetful_handler(void);

static volatile uint64_t busy;

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__atomic_fetch_add(&busy, 1, __ATOMIC_RELAXED);
	g_puts("triage_trap_loop: hart 0 takes an illegal instruction forever\n");
	__asm__ volatile("csrw mtvec, %0" : : "r"(forgetful_handler));
	__asm__ volatile("unimp");
	g_puts("triage_trap_loop: the loop ended?\n");
	return 1;
}
