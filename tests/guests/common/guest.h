/* guest.h: the tiny runtime every bare-metal test guest links with. */
#ifndef RRV_GUEST_H
#define RRV_GUEST_H

#include <stdint.h>

#define G_UART0 0x10000000ul
#define G_FINISHER 0x100000ul
#define G_CLINT 0x2000000ul

void g_putc(char c);
void g_puts(const char *s);
void g_puthex(uint64_t v);
void g_putdec(int64_t v);
/* Exit the whole machine through the sifive_test finisher (0 = pass). */
__attribute__((noreturn)) void g_exit(int code);
/* Report a failed check: "FAIL name: got X want Y" and exit(code). */
__attribute__((noreturn)) void g_fail(const char *name, uint64_t got,
				      uint64_t want, int code);
void g_unexpected_trap(uint64_t cause, uint64_t epc, uint64_t tval);

static inline uint64_t g_hartid(void)
{
	uint64_t h;
	__asm__ volatile("csrr %0, mhartid" : "=r"(h));
	return h;
}

#define G_CHECK(name, got, want, code)                                     \
	do {                                                               \
		uint64_t g__ = (uint64_t)(got), w__ = (uint64_t)(want);    \
		if (g__ != w__)                                            \
			g_fail(name, g__, w__, code);                      \
	} while (0)

#endif /* RRV_GUEST_H */
