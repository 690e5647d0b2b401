/* triage_check_ready.c: a start-up check fails and reports it as test guests do: check_ready prints a FAIL line and exits with code 3 (verdict guest-fail; `rrv triage` names check_ready). */
#include "guest.h"

static volatile uint32_t device_status = 0x2;

#define STATUS_READY 0x1u

__attribute__((noipa)) static void check_ready(void)
{
	uint32_t s = device_status;
	if (!(s & STATUS_READY))
		g_fail("device ready", s, s | STATUS_READY, 3);
}

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__asm__ volatile("wfi");
	g_puts("triage_check_ready: checking the device\n");
	check_ready();
	g_puts("triage_check_ready: ready\n");
	return 0;
}
