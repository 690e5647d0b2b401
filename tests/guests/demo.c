/*
 * demo.c: the built-in demo for `make demo`, on 4 harts: a spinlock
 * (amoswap) guarding a counter and the UART, a racy counter updated with
 * plain loads and stores, and an IPI token passed round the harts through
 * CLINT msip while each sleeps in WFI. The racy total differs from run to
 * run; a recording replays to exactly its own.
 */
#include "guest.h"
#include "irq.h"
#include "smp.h"

#define ROUNDS 5000

static volatile uint32_t lock;
static volatile uint64_t locked_count, racy_count;
static uint32_t done;

static void spin_lock(void)
{
	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
		while (lock)
			;
}

static void spin_unlock(void)
{
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

static void say(int hart, const char *what, int64_t v)
{
	spin_lock();
	g_puts("hart ");
	g_putdec(hart);
	g_puts(": ");
	g_puts(what);
	g_putdec(v);
	g_puts("\n");
	spin_unlock();
}

int main(int hartid, const void *dtb)
{
	int n = smp_start(hartid, dtb);
	if (hartid >= n)
		smp_park();
	if (hartid == 0)
		say(0, "rrv demo, harts: ", n);
	for (unsigned i = 0; i < ROUNDS; i++) {
		spin_lock();
		locked_count = locked_count + 1;
		spin_unlock();
		racy_count = racy_count + 1; /* a data race, on purpose */
	}
	/* The IPI token: wait in WFI for msip (interrupts stay disabled
	 * globally; WFI still wakes on a pending enabled one). */
	IRQ_CSR_SET(mie, 1ul << IRQ_MSI);
	if (hartid == 0 && n > 1)
		*IRQ_MSIP(1) = 1;
	if (n > 1) {
		while (!(IRQ_CSR_READ(mip) & (1ul << IRQ_MSI)))
			__asm__ volatile("wfi");
		*IRQ_MSIP(hartid) = 0;
		say(hartid, "got the IPI token at mtime ", (int64_t)*IRQ_MTIME);
		if (hartid != 0)
			*IRQ_MSIP((hartid + 1) % n) = 1;
	}
	__atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
	if (hartid != 0)
		smp_park();
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < (uint32_t)n)
		;
	uint64_t want = (uint64_t)n * ROUNDS;
	G_CHECK("spinlock counter", locked_count, want, 1);
	g_puts("spinlock counter: ");
	g_putdec((int64_t)locked_count);
	g_puts(" of ");
	g_putdec((int64_t)want);
	g_puts(" (exact)\nracy counter:     ");
	g_putdec((int64_t)racy_count);
	g_puts(" of ");
	g_putdec((int64_t)want);
	g_puts(" (");
	g_putdec((int64_t)(want - racy_count));
	g_puts(" updates lost to the race)\n");
	return 0;
}
