/* check.c: failure reporting for the assembly ISA guests. */
#include "guest.h"

/*
 * Exit codes are 1..123: the finisher and the host only keep 8 bits, 0 would
 * read as a pass, 124/125 mean timeout/instruction limit to rrv and 126 (0x7e)
 * is crt0's unexpected trap. Cases past 123 wrap; the FAIL line carries the
 * full case number and the pc of the check.
 */
static int case_exit_code(uint64_t no)
{
	return (int)((no - 1) % 123) + 1;
}

__attribute__((noreturn)) void t_fail_case(uint64_t no, uint64_t got,
					   uint64_t want, uint64_t pc)
{
	g_puts("FAIL case ");
	g_putdec((int64_t)no);
	g_puts(" at pc ");
	g_puthex(pc - 4);
	g_puts(": got ");
	g_puthex(got);
	g_puts(" want ");
	g_puthex(want);
	g_putc('\n');
	g_exit(case_exit_code(no));
}
