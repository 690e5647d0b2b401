/*
 * lowshare.c: a low-sharing SMP benchmark guest: every hart computes on its
 * own page-separated data (integer mixing, CRC, a little FP) and only meets
 * the others at a final barrier, so recording costs only what it costs
 * without sharing.
 */
#include "guest.h"
#include "smp.h"

#define WORK 20000000u

struct priv {
	uint8_t buf[8192];
	double v[64];
	uint64_t result;
} __attribute__((aligned(4096)));

static struct priv priv[4];
static uint32_t done;

static uint64_t work(struct priv *p, unsigned seed)
{
	uint64_t a = 0x9e3779b97f4a7c15ull ^ seed, acc = 0;
	for (unsigned i = 0; i < sizeof(p->buf); i++)
		p->buf[i] = (uint8_t)(a >> (i & 31));
	for (unsigned i = 0; i < 64; i++)
		p->v[i] = (double)(i + seed);
	for (unsigned i = 0; i < WORK; i++) {
		a = a * 6364136223846793005ull + i;
		unsigned k = (unsigned)(a >> 40) % sizeof(p->buf);
		p->buf[k] ^= (uint8_t)a;
		acc += p->buf[(k * 7) % sizeof(p->buf)] + (a >> 61);
		if ((i & 63) == 0)
			p->v[i % 64] = p->v[(i + 1) % 64] * 0.5 + 1.0;
	}
	return acc + (uint64_t)p->v[3];
}

int main(int hartid, const void *dtb)
{
	int n = smp_start(hartid, dtb);
	if (hartid >= n || hartid >= 4)
		smp_park();
	priv[hartid].result = work(&priv[hartid], (unsigned)hartid);
	__atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
	if (hartid != 0)
		smp_park();
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < (uint32_t)(n < 4 ? n : 4))
		;
	uint64_t x = 0;
	for (int i = 0; i < (n < 4 ? n : 4); i++)
		x ^= priv[i].result;
	g_puts("lowshare ");
	g_puthex(x);
	g_puts("\n");
	return 0;
}
