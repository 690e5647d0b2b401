/* lrsc_lock.c: SMP: an LR/SC spinlock guards plain load-add-store increments; the total must be exact. */
#include "guest.h"
#include "smp.h"

#define ROUNDS 20000

static uint32_t lock;
/* Plain data, only touched with the lock held; on another cache line. */
static volatile uint64_t counter __attribute__((aligned(64)));
static volatile uint64_t owner_checks __attribute__((aligned(64)));
static volatile int64_t owner = -1;
static uint32_t done;

/* Acquire with LR/SC only (no AMO), retrying while the lock is held. */
static void lock_acquire(uint32_t *l)
{
	uint32_t tmp, fail;
	__asm__ volatile(
		"1:	lr.w.aq	%0, (%2)\n"
		"	bnez	%0, 1b\n"
		"	li	%1, 1\n"
		"	sc.w	%1, %1, (%2)\n"
		"	bnez	%1, 1b\n"
		: "=&r"(tmp), "=&r"(fail)
		: "r"(l)
		: "memory");
}

static void lock_release(uint32_t *l)
{
	__asm__ volatile("fence rw, w\n\tsw zero, 0(%0)" : : "r"(l) : "memory");
}

int main(int hartid, const void *dtb)
{
	int n = smp_start(hartid, dtb);
	if (hartid >= n)
		smp_park();
	for (int i = 0; i < ROUNDS; i++) {
		lock_acquire(&lock);
		/* Mutual exclusion: nobody else may be inside. */
		if (owner != -1)
			g_fail("lock held twice", (uint64_t)owner,
			       (uint64_t)-1, 1);
		owner = hartid;
		uint64_t v = counter;
		counter = v + 1;
		owner_checks = owner_checks + 1;
		owner = -1;
		lock_release(&lock);
	}
	__atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
	if (hartid != 0)
		smp_park();
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < (uint32_t)n)
		;
	G_CHECK("counter", counter, (uint64_t)ROUNDS * (uint64_t)n, 2);
	G_CHECK("owner checks", owner_checks, (uint64_t)ROUNDS * (uint64_t)n, 3);
	G_CHECK("lock word", lock, 0, 4);
	g_puts("lrsc_lock: ");
	g_putdec(n);
	g_puts(" harts ok\n");
	return 0;
}
