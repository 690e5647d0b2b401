/* amo_counter.c: SMP: every hart hammers shared counters with AMOs; the totals must be exact. */
#include "guest.h"
#include "smp.h"

#define ROUNDS 100000

static uint32_t count_w;     /* amoadd.w, starts near the 32-bit wrap */
static uint64_t count_d;     /* amoadd.d */
static uint64_t hart_mask;   /* amoor.d of 1 << hartid */
static int64_t max_seen;     /* amomax.d */
static uint64_t min_seen;    /* amominu.d */
static uint32_t done;

static void hammer(int hartid)
{
	uint64_t old;
	uint64_t one = 1, two = 2;
	for (int i = 0; i < ROUNDS; i++) {
		__asm__ volatile("amoadd.w %0, %1, (%2)"
				 : "=&r"(old) : "r"(one), "r"(&count_w)
				 : "memory");
		__asm__ volatile("amoadd.d.aqrl %0, %1, (%2)"
				 : "=&r"(old) : "r"(two), "r"(&count_d)
				 : "memory");
	}
	uint64_t bit = 1ul << hartid;
	int64_t mine = 1000 - hartid;
	uint64_t small = 50 + (uint64_t)hartid;
	__asm__ volatile("amoor.d %0, %1, (%2)"
			 : "=&r"(old) : "r"(bit), "r"(&hart_mask) : "memory");
	__asm__ volatile("amomax.d %0, %1, (%2)"
			 : "=&r"(old) : "r"(mine), "r"(&max_seen) : "memory");
	__asm__ volatile("amominu.d %0, %1, (%2)"
			 : "=&r"(old) : "r"(small), "r"(&min_seen) : "memory");
}

int main(int hartid, const void *dtb)
{
	if (hartid == 0) {
		/* Set up before the others are let through smp_start. */
		__atomic_store_n(&count_w, 0xffff0000u, __ATOMIC_RELAXED);
		__atomic_store_n(&max_seen, INT64_MIN, __ATOMIC_RELAXED);
		__atomic_store_n(&min_seen, UINT64_MAX, __ATOMIC_RELAXED);
	}
	int n = smp_start(hartid, dtb);
	if (hartid >= n)
		smp_park();
	hammer(hartid);
	__atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
	if (hartid != 0)
		smp_park();
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < (uint32_t)n)
		;
	uint64_t total = (uint64_t)ROUNDS * (uint64_t)n;
	G_CHECK("amoadd.w total", count_w, (uint32_t)(0xffff0000u + total), 1);
	G_CHECK("amoadd.d total", count_d, 2 * total, 2);
	G_CHECK("amoor.d mask", hart_mask, (1ul << n) - 1, 3);
	G_CHECK("amomax.d", max_seen, 1000, 4);
	G_CHECK("amominu.d", min_seen, 50, 5);
	g_puts("amo_counter: ");
	g_putdec(n);
	g_puts(" harts ok\n");
	return 0;
}
