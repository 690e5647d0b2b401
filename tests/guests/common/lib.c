/* lib.c: UART output, finisher exit and failure reporting for test guests. */
#include "guest.h"

static volatile uint8_t *const uart = (volatile uint8_t *)G_UART0;

void g_putc(char c)
{
	while (!(uart[5] & 0x20)) /* LSR.THRE */
		;
	uart[0] = (uint8_t)c;
}

void g_puts(const char *s)
{
	while (*s)
		g_putc(*s++);
}

void g_puthex(uint64_t v)
{
	g_puts("0x");
	for (int i = 60; i >= 0; i -= 4)
		g_putc("0123456789abcdef"[(v >> i) & 15]);
}

void g_putdec(int64_t v)
{
	char buf[24];
	int n = 0;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	if (v < 0)
		g_putc('-');
	do {
		buf[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		g_putc(buf[--n]);
}

void g_exit(int code)
{
	volatile uint32_t *fin = (volatile uint32_t *)G_FINISHER;
	*fin = code == 0 ? 0x5555u : (((uint32_t)code << 16) | 0x3333u);
	for (;;)
		__asm__ volatile("wfi");
}

void g_fail(const char *name, uint64_t got, uint64_t want, int code)
{
	g_puts("FAIL ");
	g_puts(name);
	g_puts(": got ");
	g_puthex(got);
	g_puts(" want ");
	g_puthex(want);
	g_putc('\n');
	g_exit(code);
}

void g_unexpected_trap(uint64_t cause, uint64_t epc, uint64_t tval)
{
	g_puts("unexpected trap: mcause=");
	g_puthex(cause);
	g_puts(" mepc=");
	g_puthex(epc);
	g_puts(" mtval=");
	g_puthex(tval);
	g_putc('\n');
	g_exit(0x7e);
}
