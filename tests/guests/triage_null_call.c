/*
 * triage_null_call.c: events are dispatched through a table of handlers;
 * hart 1 unregisters one (stores NULL into its slot) while hart 0 still
 * dispatches it, so hart 0 calls a NULL function pointer: an instruction
 * access fault at 0x0 in dispatch_event's call, reported by the runtime's
 * unexpected-trap handler (guest exit 0x7e). For `rrv triage`: the title
 * names dispatch_event, and the last write to the table slot names hart 1
 * in unregister_handler.
 */
#include "guest.h"
#include "smp.h"

typedef void (*handler_fn)(int event);

#define NEVENTS 4

static handler_fn handlers[NEVENTS];
static volatile uint64_t handled[NEVENTS];
static volatile uint32_t unregistered;

__attribute__((noipa)) static void count_event(int event)
{
	handled[event]++;
}

__attribute__((noipa)) static void register_handler(int event, handler_fn fn)
{
	handlers[event] = fn;
}

/* The bug: the slot is cleared while hart 0 may still dispatch to it. */
__attribute__((noipa)) static void unregister_handler(int event)
{
	((volatile handler_fn *)handlers)[event] = 0;
}

__attribute__((noipa)) static void dispatch_event(int event)
{
	handlers[event](event);
	handled[0]++;
}

int main(int hartid, const void *dtb)
{
	int n = smp_start(hartid, dtb);
	if (hartid >= n || hartid > 1)
		smp_park();
	if (hartid == 0)
		for (int e = 0; e < NEVENTS; e++)
			register_handler(e, count_event);
	smp_barrier(n < 2 ? n : 2);
	if (hartid == 1) {
		unregister_handler(2);
		__atomic_store_n(&unregistered, 1, __ATOMIC_RELEASE);
		smp_park();
	}
	g_puts("triage_null_call: dispatching events\n");
	while (n > 1 && !__atomic_load_n(&unregistered, __ATOMIC_ACQUIRE))
		;
	if (n < 2)
		unregister_handler(2);
	for (int e = 0; e < NEVENTS; e++)
		dispatch_event(e);
	g_puts("triage_null_call: every event dispatched?\n");
	return 1;
}
