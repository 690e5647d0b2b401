/* smc_local.c: self-modifying code on one hart: rewrite, FENCE.I, re-execute; also a store into its own block. */
#include "guest.h"

#define ENC_ADDI(rd, rs1, imm)                                               \
	((uint32_t)((imm) & 0xfff) << 20 | (uint32_t)(rs1) << 15 |           \
	 (uint32_t)(rd) << 7 | 0x13u)
#define ENC_SW(rs2, rs1, imm)                                                \
	((uint32_t)(((imm) >> 5) & 0x7f) << 25 | (uint32_t)(rs2) << 20 |     \
	 (uint32_t)(rs1) << 15 | 2u << 12 | (uint32_t)((imm) & 0x1f) << 7 |  \
	 0x23u)
#define ENC_BNE(rs1, rs2, off)                                               \
	((uint32_t)(((off) >> 12) & 1) << 31 |                               \
	 (uint32_t)(((off) >> 5) & 0x3f) << 25 | (uint32_t)(rs2) << 20 |     \
	 (uint32_t)(rs1) << 15 | 1u << 12 | (uint32_t)(((off) >> 1) & 0xf) << 8 | \
	 (uint32_t)(((off) >> 11) & 1) << 7 | 0x63u)
#define ENC_RET 0x00008067u
#define ENC_FENCE_I 0x0000100fu
#define ZERO 0
#define T0 5
#define T1 6
#define A0 10
#define A1 11

/* Code lives in RAM with data next to it in the same page. */
static struct {
	uint32_t code[64];
	volatile uint32_t neighbour[64];
} page __attribute__((aligned(4096)));
#define code page.code
#define neighbour page.neighbour

typedef long (*fn0_t)(void);
typedef long (*fn2_t)(long, long);

static void fence_i(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}

static void put(int at, uint32_t insn)
{
	((volatile uint32_t *)code)[at] = insn;
}

/* li a0, K; ret */
static void write_const(int at, long k)
{
	put(at, ENC_ADDI(A0, ZERO, k));
	put(at + 1, ENC_RET);
}

/* a loop: a0 = a1 * STEP by repeated addition (a1 > 0) */
static void write_loop(long step)
{
	put(0, ENC_ADDI(A0, ZERO, 0));
	put(1, ENC_ADDI(A0, A0, step));     /* loop: */
	put(2, ENC_ADDI(A1, A1, -1));
	put(3, ENC_BNE(A1, ZERO, -8));
	put(4, ENC_RET);
}

/*
 * sw a1, 16(a0): overwrites the instruction at +16 of this very block
 * fence.i
 * addi a0, zero, 0
 * nop
 * +16: addi a0, zero, 7   (replaced by the stored word)
 * ret
 */
static void write_self_patch(void)
{
	put(8, ENC_SW(A1, A0, 16));
	put(9, ENC_FENCE_I);
	put(10, ENC_ADDI(A0, ZERO, 0));
	put(11, ENC_ADDI(ZERO, ZERO, 0));
	put(12, ENC_ADDI(A0, ZERO, 7));
	put(13, ENC_RET);
}

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__asm__ volatile("wfi");
	fn0_t f0 = (fn0_t)(uintptr_t)code;
	fn2_t f2 = (fn2_t)(uintptr_t)code;

	/* 1. write, fence.i, run; rewrite in place, fence.i, run again */
	write_const(0, 1);
	fence_i();
	G_CHECK("first code", f0(), 1, 1);
	for (long k = 2; k < 40; k++) {
		write_const(0, k);
		fence_i();
		for (int i = 0; i < 3; i++)
			G_CHECK("rewritten code", f0(), k, 2);
	}

	/* 2. a hot loop (surely translated and cached) is changed */
	write_loop(3);
	fence_i();
	for (int i = 0; i < 200; i++)
		G_CHECK("loop x3", f2(0, 100), 300, 3);
	put(1, ENC_ADDI(A0, A0, -5));
	fence_i();
	G_CHECK("loop patched to -5", f2(0, 100), (uint64_t)-500, 4);
	put(1, ENC_ADDI(A0, A0, 2047));
	fence_i();
	G_CHECK("loop patched to 2047", f2(0, 10), 20470, 5);

	/* 3. stores to data in the same page leave the code alone */
	for (int i = 0; i < 64; i++)
		neighbour[i] = (uint32_t)i;
	G_CHECK("code after neighbour stores", f2(0, 10), 20470, 6);
	code[63] = 0xdeadbeef;  /* unused word in the code page */
	fence_i();
	G_CHECK("code after store in its page", f2(0, 10), 20470, 7);

	/* 4. a store in the block patches a later instruction of the block */
	write_self_patch();
	fence_i();
	fn2_t patcher = (fn2_t)(uintptr_t)&code[8];
	G_CHECK("self patch", patcher((long)&code[8], ENC_ADDI(A0, ZERO, 42)),
		42, 8);
	G_CHECK("self patch stored", code[12], ENC_ADDI(A0, ZERO, 42), 9);
	/* the block has now run: reset the target to 7 and patch again */
	put(12, ENC_ADDI(A0, ZERO, 7));
	fence_i();
	for (long k = 100; k < 110; k++) {
		G_CHECK("self patch again",
			patcher((long)&code[8], ENC_ADDI(A0, ZERO, k)), k, 10);
	}
	/* without a new patch value the last one stays */
	fn0_t tail = (fn0_t)(uintptr_t)&code[10];
	fence_i();
	G_CHECK("patched tail", tail(), 109, 11);

	g_puts("smc_local ok\n");
	return 0;
}
