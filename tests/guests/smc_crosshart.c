/* smc_crosshart.c: SMP: hart 0 rewrites a function each round; the others FENCE.I and must run the new code. */
#include "guest.h"
#include "smp.h"

#define ROUNDS 64

#define ENC_ADDI(rd, rs1, imm)                                               \
	((uint32_t)(imm) << 20 | (uint32_t)(rs1) << 15 | (uint32_t)(rd) << 7 | \
	 0x13u)
#define ENC_RET 0x00008067u
#define A0 10

static uint32_t code[16] __attribute__((aligned(64)));
static uint32_t round_no;
static uint32_t acks;

typedef long (*fn_t)(void);

static long want_for(uint32_t r)
{
	return (long)(r * 13 + 5);
}

/* Even rounds: li a0, K; ret. Odd rounds: li a0, K-3; addi a0, a0, 3; ret. */
static void write_code(uint32_t r)
{
	long k = want_for(r);
	volatile uint32_t *c = code;
	if (r & 1) {
		c[0] = ENC_ADDI(A0, 0, k - 3);
		c[1] = ENC_ADDI(A0, A0, 3);
		c[2] = ENC_RET;
	} else {
		c[0] = ENC_ADDI(A0, 0, k);
		c[1] = ENC_RET;
	}
}

static void run_and_check(uint32_t r, int code_base)
{
	/* The spec requires the executing hart itself to FENCE.I after it has
	 * synchronized with the writer. */
	__asm__ volatile("fence.i" ::: "memory");
	fn_t f = (fn_t)(uintptr_t)code;
	for (int i = 0; i < 3; i++)
		G_CHECK("new code result", f(), want_for(r), code_base);
}

int main(int hartid, const void *dtb)
{
	int n = smp_start(hartid, dtb);
	if (hartid >= n)
		smp_park();
	if (hartid != 0) {
		uint32_t seen = 0;
		while (seen < ROUNDS) {
			uint32_t r;
			while ((r = __atomic_load_n(&round_no, __ATOMIC_ACQUIRE))
			       == seen)
				;
			run_and_check(r, 10 + hartid);
			seen = r;
			__atomic_fetch_add(&acks, 1, __ATOMIC_RELEASE);
		}
		smp_park();
	}
	for (uint32_t r = 1; r <= ROUNDS; r++) {
		write_code(r);
		__atomic_store_n(&round_no, r, __ATOMIC_RELEASE);
		run_and_check(r, 2);
		while (__atomic_load_n(&acks, __ATOMIC_ACQUIRE) <
		       r * (uint32_t)(n - 1))
			;
	}
	g_puts("smc_crosshart: ");
	g_putdec(n);
	g_puts(" harts ok\n");
	return 0;
}
