/* pause_lock.c: SMP: a ticket lock whose waiters spin with PAUSE (as Linux's cpu_relax), and a delay loop on the time with PAUSE; the total must be exact. */
#include "guest.h"
#include "smp.h"

#define ROUNDS 2000
#define DELAY_TICKS 2000 /* 200 us at the board's 10 MHz timebase */

/* Each on a page of its own: the lock holder's writes to the data do not
 * take the page the waiters spin on from them. */
static uint32_t next_ticket __attribute__((aligned(4096)));
static volatile uint32_t now_serving __attribute__((aligned(4096)));
static volatile uint64_t counter __attribute__((aligned(4096)));
static volatile uint64_t delays;
static uint32_t done;

/* Zihintpause: encoded as a FENCE that orders nothing (older assemblers). */
static inline void pause(void)
{
	__asm__ volatile(".4byte 0x0100000f" ::: "memory");
}

static inline uint64_t rdtime(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static void lock(void)
{
	uint32_t me = __atomic_fetch_add(&next_ticket, 1, __ATOMIC_RELAXED);
	while (now_serving != me)
		pause();
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static void unlock(void)
{
	__atomic_store_n(&now_serving, now_serving + 1, __ATOMIC_RELEASE);
}

/* Waits on nothing another hart does: only the time ends it (a recorder
 * that sleeps on PAUSE until a page changes must still let it end). */
static void delay(void)
{
	uint64_t t0 = rdtime();
	while (rdtime() - t0 < DELAY_TICKS)
		pause();
}

int main(int hartid, const void *dtb)
{
	int n = smp_start(hartid, dtb);
	if (hartid >= n)
		smp_park();
	for (int i = 0; i < ROUNDS; i++) {
		lock();
		counter = counter + 1;
		if (i % 500 == 0) {
			delay();
			delays = delays + 1;
		}
		unlock();
	}
	__atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
	if (hartid != 0)
		smp_park();
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < (uint32_t)n)
		pause();
	G_CHECK("counter", counter, (uint64_t)ROUNDS * (uint64_t)n, 2);
	G_CHECK("delays", delays, (uint64_t)(ROUNDS / 500) * (uint64_t)n, 3);
	G_CHECK("tickets", next_ticket, now_serving, 4);
	g_puts("pause_lock: ");
	g_putdec(n);
	g_puts(" harts ok\n");
	return 0;
}
