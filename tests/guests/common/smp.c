/* smp.c: hart-count discovery from the device tree and start barrier for the SMP guests. */
#include "smp.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

/* Shared between harts, accessed only through atomics; in .bss, which
 * hart 0 clears before releasing the others. */
static uint32_t arrived;
static uint32_t hart_count;
static uint32_t barrier_count;
static uint32_t barrier_gen;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int has_prefix(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int smp_dtb_harts(const void *dtb)
{
	const uint8_t *base = dtb;
	uint64_t addr = (uint64_t)dtb;
	/* Only trust a pointer into RAM (QEMU and rrv put the DTB there). */
	if (addr < 0x80000000ul || (addr & 3) || be32(base) != FDT_MAGIC)
		return 0;
	uint32_t size = be32(base + 4);
	const uint8_t *p = base + be32(base + 8);
	const uint8_t *end = base + size;
	int depth = 0, in_cpus = 0, n = 0;
	while (p + 4 <= end) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			depth++;
			if (depth == 2 && str_eq(name, "cpus"))
				in_cpus = 1;
			else if (depth == 3 && in_cpus && has_prefix(name, "cpu@"))
				n++;
			while (*p)
				p++;
			p = (const uint8_t *)(((uint64_t)p + 4) & ~3ul);
		} else if (tok == FDT_END_NODE) {
			if (depth == 2)
				in_cpus = 0;
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p);
			p += 8 + ((len + 3) & ~3u);
		} else if (tok == FDT_NOP) {
			continue;
		} else {
			break; /* FDT_END or garbage */
		}
	}
	return n;
}

int smp_start(int hartid, const void *dtb)
{
	uint32_t n;
	__atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
	if (hartid != 0) {
		while (!(n = __atomic_load_n(&hart_count, __ATOMIC_ACQUIRE)))
			;
		return (int)n;
	}
	n = (uint32_t)smp_dtb_harts(dtb);
	if (n) {
		while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < n)
			;
	} else {
		uint32_t last = __atomic_load_n(&arrived, __ATOMIC_ACQUIRE);
		for (uint32_t i = 0; i < 4000000; i++) {
			uint32_t now = __atomic_load_n(&arrived, __ATOMIC_ACQUIRE);
			if (now != last) {
				last = now;
				i = 0;
			}
		}
		n = last;
	}
	__atomic_store_n(&hart_count, n, __ATOMIC_RELEASE);
	return (int)n;
}

void smp_park(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

void smp_barrier(int n)
{
	uint32_t gen = __atomic_load_n(&barrier_gen, __ATOMIC_ACQUIRE);
	if (__atomic_add_fetch(&barrier_count, 1, __ATOMIC_ACQ_REL) ==
	    (uint32_t)n) {
		__atomic_store_n(&barrier_count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&barrier_gen, gen + 1, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&barrier_gen, __ATOMIC_ACQUIRE) == gen)
		;
}
