/*
 * test_jit.c: the JIT tier against the interpreter: random blocks of
 * integer, M, F, D and memory instructions run on two machines, one compiling
 * every block on its first entry, one interpreting; registers, memory, pc
 * and icount must be the same after every run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/decode.h"
#include "core/jit.h"
#include "core/riscv.h"
#include "core/tb.h"
#include "tests/unit/core_fixture.h"
#include "tests/unit/rv_asm.h"

#define DATA_OFF 0x80000u     /* x31 points here, in the middle of 1 MiB */
#define DATA_SPAN 0x2000u     /* bytes compared around it */
#define REG_BASE 31           /* data pointer: never written */
#define REG_START 30          /* the block's address, for JALR */

struct pair {
	struct machine *jit, *interp;
};

static struct machine *machine_with(enum jit_mode mode)
{
	struct machine_config cfg = { .nharts = 1, .ram_size = 1u << 20,
				      .input_fd = -1, .output_fd = 1,
				      .jit = mode };
	char err[256];
	return machine_new(&cfg, err, sizeof(err));
}

static int setup(void **state)
{
	static struct pair p;
	setenv("RRV_JIT_THRESHOLD", "1", 1);
	p.jit = machine_with(JIT_ON);
	p.interp = machine_with(JIT_OFF);
	if (!p.jit || !p.interp)
		return -1;
	*state = &p;
	return 0;
}

static int teardown(void **state)
{
	struct pair *p = *state;
	machine_free(p->jit);
	machine_free(p->interp);
	return 0;
}

static uint64_t rng;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

/* Values that hit the edges of division, shifts and sign extension. */
static uint64_t interesting(void)
{
	static const uint64_t v[] = { 0, 1, 2, ~0ull, 0x8000000000000000ull,
				      0x7fffffffffffffffull, 0xffffffff80000000ull,
				      0x7fffffff, 0x80000000, 0xffffffff, 63, 64, 31, 32 };
	return pick(3) ? v[pick(sizeof(v) / sizeof(v[0]))] : rnd();
}

/* Registers random instructions use: x0..x(reg_pool - 1), all 32 when 0.
 * A small pool makes most reads hit a register written earlier in the
 * block (the JIT's register cache); one above the cache's nine host
 * registers makes it evict. */
static unsigned reg_pool;
static uint32_t rd_any(void)
{
	unsigned n = reg_pool ? reg_pool - 1 : 29;
	return pick(8) ? 1 + pick(n) : 0;
}
static uint32_t rs_any(void) { return pick(reg_pool ? reg_pool : 32); }

/* One random straight-line instruction the JIT translates natively. */
static uint32_t random_insn(void)
{
	static const uint8_t r_f3[] = { 0, 0, 1, 2, 3, 4, 5, 5, 6, 7 };
	static const uint8_t r_f7[] = { 0, 0x20, 0, 0, 0, 0, 0, 0x20, 0, 0 };
	static const uint8_t w_f3[] = { 0, 0, 1, 5, 5 };
	static const uint8_t w_f7[] = { 0, 0x20, 0, 0, 0x20 };
	static const uint8_t i_f3[] = { 0, 2, 3, 4, 6, 7 };
	static const uint8_t mw_f3[] = { 0, 4, 5, 6, 7 };
	uint32_t rd = rd_any(), rs1 = rs_any(), rs2 = rs_any();
	int32_t imm = (int32_t)(rnd() % 4096) - 2048;
	unsigned k = pick(12);
	switch (k) {
	case 0: {
		unsigned i = pick(sizeof(r_f3));
		return rv_r(r_f7[i], rs2, rs1, r_f3[i], rd, 0x33);
	}
	case 1: {
		unsigned i = pick(sizeof(w_f3));
		return rv_r(w_f7[i], rs2, rs1, w_f3[i], rd, 0x3b);
	}
	case 2: return rv_r(1, rs2, rs1, pick(8), rd, 0x33);            /* M */
	case 3: return rv_r(1, rs2, rs1, mw_f3[pick(5)], rd, 0x3b);     /* M, W */
	case 4: return rv_i(imm, rs1, i_f3[pick(sizeof(i_f3))], rd, 0x13);
	case 5: {
		unsigned sh = pick(64), f = pick(3);
		return rv_i((int32_t)(sh | (f == 2 ? 0x400 : 0)), rs1,
			    f == 0 ? 1 : 5, rd, 0x13);
	}
	case 6: {
		unsigned sh = pick(32), f = pick(4);
		if (f == 3)
			return rv_i(imm, rs1, 0, rd, 0x1b);              /* ADDIW */
		return rv_i((int32_t)(sh | (f == 2 ? 0x400 : 0)), rs1,
			    f == 0 ? 1 : 5, rd, 0x1b);
	}
	case 7: return (uint32_t)(rnd() & 0xfffff000u) | rd << 7 |
		       (pick(2) ? 0x37u : 0x17u);                       /* LUI, AUIPC */
	case 8: case 9: {
		unsigned f3 = pick(7), size = 1u << (f3 & 3);
		return rv_i(imm & ~(int32_t)(size - 1), REG_BASE, f3, rd, 0x03);
	}
	case 10: {
		unsigned f3 = pick(4), size = 1u << f3;
		return rv_s(imm & ~(int32_t)(size - 1), rs2, REG_BASE, f3, 0x23);
	}
	default:
		return pick(4) ? RV_ADDI(rd, rs1, imm) : 0x0ff0000fu; /* FENCE */
	}
}

/* Values for f registers: zeros, infinities, NaNs, subnormals, boxed and
 * unboxed singles, random bits. */
static uint64_t interesting_fp(void)
{
	static const uint64_t v[] = {
		0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
		0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
		0x7ff4000000000000ull, 0x0000000000000001ull, 0x000fffffffffffffull,
		0x7fefffffffffffffull, 0x4340000000000000ull, 0x41dfffffffc00000ull,
		0xffffffff3f800000ull, 0xffffffff7f800000ull, 0xffffffff7fc00000ull,
		0xffffffff00000001ull, 0xffffffff80000000ull, 0x000000003f800000ull,
		0xffffffff4f000000ull, 0xffffffff7f7fffffull,
		/* around the smallest normal, and factors that reach it */
		0x0010000000000000ull, 0x0010000000000001ull, 0x001fffffffffffffull,
		0x8010000000000000ull, 0x2000000000000000ull, 0x1ff0000000000000ull,
		0x3ca0000000000000ull, 0x3fe0000000000000ull, 0x7fe0000000000000ull,
	};
	if (pick(4) == 0)
		return rnd();
	if (pick(4) == 0)
		return 0xffffffff00000000ull | (uint32_t)rnd();
	return v[pick(sizeof(v) / sizeof(v[0]))];
}

/* A rounding mode field: mostly valid or DYN, rarely reserved (5, 6). */
static uint32_t random_rm(void)
{
	static const uint8_t rm[] = { 0, 1, 2, 3, 4, 7, 7, 7 };
	return pick(60) ? rm[pick(8)] : 5 + pick(2);
}

/* One random F or D instruction (every kind the decoder knows). */
static uint32_t random_fp_insn(void)
{
	uint32_t rd = pick(32), rs1 = pick(32), rs2 = pick(32), fmt = pick(2);
	uint32_t xrd = rd_any();
	if (reg_pool)   /* f registers as few as the x ones */
		rd = pick(reg_pool), rs1 = pick(reg_pool), rs2 = pick(reg_pool);
	int32_t imm = (int32_t)(rnd() % 4096) - 2048;
	switch (pick(14)) {
	case 0: case 1: { /* add sub mul div */
		static const uint8_t f5[] = { 0x00, 0x01, 0x02, 0x03 };
		return rv_r((uint32_t)f5[pick(4)] << 2 | fmt, rs2, rs1, random_rm(), rd, 0x53);
	}
	case 2: /* fmadd fmsub fnmsub fnmadd */
		return pick(32) << 27 | fmt << 25 | rs2 << 20 | rs1 << 15 |
		       random_rm() << 12 | rd << 7 | (0x43u + 4 * pick(4));
	case 3: return rv_r(0x0bu << 2 | fmt, 0, rs1, random_rm(), rd, 0x53);  /* sqrt */
	case 4: return rv_r(0x04u << 2 | fmt, rs2, rs1, pick(3), rd, 0x53);    /* sgnj */
	case 5: return rv_r(0x05u << 2 | fmt, rs2, rs1, pick(2), rd, 0x53);    /* min max */
	case 6: return rv_r(0x14u << 2 | fmt, rs2, rs1, pick(3), xrd, 0x53);   /* cmp */
	case 7: return rv_r(0x18u << 2 | fmt, pick(4), rs1, random_rm(), xrd, 0x53); /* fcvt.int.f */
	case 8: return rv_r(0x1au << 2 | fmt, pick(4), rs_any(), random_rm(), rd, 0x53); /* fcvt.f.int */
	case 9: return rv_r(0x08u << 2 | fmt, 1 - fmt, rs1, random_rm(), rd, 0x53); /* fcvt.s.d, d.s */
	case 10: return rv_r(0x1cu << 2 | fmt, 0, rs1, pick(2), xrd, 0x53);    /* fmv.x, fclass */
	case 11: return rv_r(0x1eu << 2 | fmt, 0, rs_any(), 0, rd, 0x53);      /* fmv.f.x */
	case 12: {
		unsigned size = fmt ? 8 : 4;
		return rv_i(imm & ~(int32_t)(size - 1), REG_BASE, fmt ? 3 : 2, rd, 0x07);
	}
	default: {
		unsigned size = fmt ? 8 : 4;
		return rv_s(imm & ~(int32_t)(size - 1), rs2, REG_BASE, fmt ? 3 : 2, 0x27);
	}
	}
}

/* The block's last instruction: a jump or branch back to its start (a
 * branch falls through to a JAL back). Returns the words written. */
static unsigned random_end(uint32_t *code, unsigned n)
{
	int32_t back = -4 * (int32_t)n;
	switch (pick(3)) {
	case 0:
		code[n] = rv_jal(back, rd_any());
		return 1;
	case 1:
		code[n] = rv_i(0, REG_START, 0, rd_any(), 0x67);    /* JALR */
		return 1;
	default: {
		static const uint8_t f3[] = { 0, 1, 4, 5, 6, 7 };
		code[n] = rv_b(back, rs_any(), rs_any(), f3[pick(6)]);
		code[n + 1] = rv_jal(back - 4, 0);
		return 2;
	}
	}
}

static void load(struct machine *m, const uint32_t *code, unsigned n,
		 const uint64_t *regs, const uint8_t *data)
{
	struct hart *h = fixture_load(m, code, n);
	for (unsigned r = 1; r < 30; r++)
		h->x[r] = regs[r];
	for (unsigned r = 0; r < 32; r++)
		h->f[r] = regs[32 + r];
	h->mstatus |= (regs[64] & 3) == 3 ? MSTATUS_FS_DIRTY : (1ull << 13); /* FS on */
	h->frm = (uint32_t)(regs[64] >> 1) % 8;   /* 5..7: DYN is reserved */
	h->x[REG_START] = RAM_BASE;
	h->x[REG_BASE] = RAM_BASE + DATA_OFF;
	memcpy(m->ram + DATA_OFF - DATA_SPAN / 2, data, DATA_SPAN);
}

static void print_block(const uint32_t *code, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct op op;
		decode_insn(code[i], RAM_BASE + 4 * i, &op);
		fprintf(stderr, "  %08x %-8s rd=%u rs1=%u rs2=%u imm=%lld\n", code[i],
			decode_name(op.id), op.rd, op.rs1, op.rs2, (long long)op.imm);
	}
}

static bool same_state(const struct machine *a, const struct machine *b)
{
	const struct hart *x = a->harts[0], *y = b->harts[0];
	bool ok = x->pc == y->pc && x->icount == y->icount &&
		  x->mcause == y->mcause && x->fflags == y->fflags &&
		  x->mstatus == y->mstatus;
	for (unsigned r = 0; r < 32; r++)
		if (x->f[r] != y->f[r]) {
			fprintf(stderr, "f%u: jit 0x%llx interp 0x%llx\n", r,
				(unsigned long long)x->f[r], (unsigned long long)y->f[r]);
			ok = false;
		}
	for (unsigned r = 0; r < 32; r++)
		if (x->x[r] != y->x[r]) {
			fprintf(stderr, "x%u: jit 0x%llx interp 0x%llx\n", r,
				(unsigned long long)x->x[r], (unsigned long long)y->x[r]);
			ok = false;
		}
	if (memcmp(a->ram + DATA_OFF - DATA_SPAN / 2, b->ram + DATA_OFF - DATA_SPAN / 2,
		   DATA_SPAN)) {
		fprintf(stderr, "data memory differs\n");
		ok = false;
	}
	if (!ok)
		fprintf(stderr, "pc 0x%llx/0x%llx icount %llu/%llu\n",
			(unsigned long long)x->pc, (unsigned long long)y->pc,
			(unsigned long long)x->icount, (unsigned long long)y->icount);
	return ok;
}

/* Random blocks (fp: half of them F/D instructions) on both machines. */
static void run_random_blocks(struct pair *p, bool fp, unsigned seed0)
{
	static uint8_t data[DATA_SPAN];
	unsigned blocks = 3000;
	const char *e = getenv("RRV_JIT_TEST_BLOCKS");
	if (e)
		blocks = (unsigned)atoi(e);
	for (unsigned seed = seed0; seed < seed0 + blocks; seed++) {
		rng = 0x9e3779b97f4a7c15ull * seed;
		uint32_t code[TB_MAX_INSNS + 2];
		uint64_t regs[65];
		unsigned n = 1 + pick(TB_MAX_INSNS - 2);
		/* Some blocks only load and store f registers: nothing else
		 * sets FS dirty there. */
		bool fmem_only = pick(4) == 0;
		for (unsigned i = 0; i < n; i++) {
			code[i] = fp && pick(2) ? random_fp_insn() : random_insn();
			while (fmem_only && (code[i] & 0x7f) == 0x53)
				code[i] = random_fp_insn();
			while (fmem_only && (code[i] & 0x73) == 0x43)
				code[i] = random_fp_insn();
		}
		unsigned total = n + random_end(code, n);
		for (unsigned r = 0; r < 32; r++)
			regs[r] = interesting();
		for (unsigned r = 32; r < 64; r++)
			regs[r] = interesting_fp();
		regs[64] = pick(10) ? (rnd() % 10) & ~4ull : rnd(); /* frm mostly valid */
		for (unsigned i = 0; i < DATA_SPAN; i += 8) {
			uint64_t v = fp && pick(2) ? interesting_fp() : interesting();
			memcpy(data + i, &v, 8);
		}
		load(p->jit, code, total, regs, data);
		load(p->interp, code, total, regs, data);
		/* Several calls: the first misses the TLB (side exits), the
		 * later ones run natively; odd budgets end inside blocks. */
		uint64_t budget = 1 + pick(8 * (n + 2));
		for (unsigned run = 0; run < 4; run++) {
			/* FS back to Initial (the TLB stays warm): a native
			 * FP load must dirty it again. */
			if (fp && run && pick(2)) {
				struct hart *a = p->jit->harts[0], *b = p->interp->harts[0];
				a->mstatus = (a->mstatus & ~MSTATUS_FS) | (1ull << 13);
				b->mstatus = (b->mstatus & ~MSTATUS_FS) | (1ull << 13);
			}
			exec_run(p->jit->harts[0], budget);
			exec_run(p->interp->harts[0], budget);
			if (!same_state(p->jit, p->interp)) {
				fprintf(stderr, "seed %u, run %u, budget %llu:\n", seed, run,
					(unsigned long long)budget);
				print_block(code, total);
				fail();
			}
		}
	}
}

static void test_random_blocks_match_the_interpreter(void **state)
{
	struct pair *p = *state;
	if (!p->jit->harts[0]->jit)
		skip(); /* not an x86-64 host */
	run_random_blocks(p, false, 1);
	struct jit_stats js;
	jit_get_stats(p->jit->harts[0]->jit, &js);
	assert_true(js.blocks > 0);
	assert_true(js.ops_native > js.ops_total / 2);
}

static void test_random_fp_blocks_match_the_interpreter(void **state)
{
	struct pair *p = *state;
	if (!p->jit->harts[0]->jit)
		skip();
	run_random_blocks(p, true, 1000000);
}

/* Random integer and F/D blocks drawing their registers from x0..x(n-1). */
static void run_random_blocks_on(void **state, unsigned n, unsigned seed)
{
	struct pair *p = *state;
	if (!p->jit->harts[0]->jit)
		skip();
	reg_pool = n;
	run_random_blocks(p, false, seed);
	run_random_blocks(p, true, seed + 1000000);
	reg_pool = 0;
}

/* Six registers: nearly every read is of a register the block wrote
 * (rd == rs1, rd == rs2, x0 on both sides), also around helper calls. */
static void test_random_blocks_on_few_registers_match(void **state)
{
	run_random_blocks_on(state, 6, 2000000);
}

/* Fourteen registers: more than the cache holds, so mappings are evicted
 * and reloaded. */
static void test_random_blocks_on_more_registers_than_cached_match(void **state)
{
	run_random_blocks_on(state, 14, 4000000);
}

/*
 * Compiled on the third entry, after the interpreter linked the block's
 * exits (to itself, to the JAL after a branch): those exits are compiled
 * as direct jumps (emit_static_link), which random budgets then end
 * inside and between.
 */
static void test_random_blocks_compiled_after_linking_match(void **state)
{
	struct pair *p = *state;
	struct hart *h = p->jit->harts[0];
	if (!h->jit)
		skip();
	struct jit_stats s0, s1;
	jit_get_stats(h->jit, &s0);
	h->jit_threshold = 3;
	run_random_blocks(p, false, 6000000);
	run_random_blocks(p, true, 7000000);
	h->jit_threshold = 1;
	jit_get_stats(h->jit, &s1);
	assert_true(s1.links > s0.links);
}

/*
 * A loop compiled with a direct link to itself counts every iteration
 * (x1 counts them too) under budgets that end anywhere; after the tb
 * cache's generation moves on (a mapping change), the direct jump is not
 * taken any more and the interpreter links the block again.
 */
static void test_direct_link_follows_the_generation(void **state)
{
	struct pair *p = *state;
	struct hart *h = p->jit->harts[0], *hi = p->interp->harts[0];
	if (!h->jit)
		skip();
	uint32_t code[8];
	for (unsigned i = 0; i < 7; i++)
		code[i] = RV_ADDI(1, 1, 1);
	code[7] = rv_jal(-28, 0);
	uint64_t regs[65] = { 0 };
	static uint8_t data[DATA_SPAN];
	load(p->jit, code, 8, regs, data);
	load(p->interp, code, 8, regs, data);
	struct jit_stats s0, s1;
	jit_get_stats(h->jit, &s0);
	h->jit_threshold = 3;
	for (unsigned i = 0; i < 12; i++) {
		unsigned budget = 5 + 37 * i;
		exec_run(h, budget);
		exec_run(hi, budget);
		assert_true(same_state(p->jit, p->interp));
		if (i == 5) {
			tb_mappings_changed(h);
			tb_mappings_changed(hi);
		}
	}
	h->jit_threshold = 1;
	jit_get_stats(h->jit, &s1);
	assert_int_equal(s1.blocks - s0.blocks, 1);
	assert_int_equal(s1.links - s0.links, 1);
	assert_int_equal(h->x[1], h->icount - h->icount / 8);
}

/* One pass over a block on both machines (budget = its instructions). */
static void run_once_both(struct pair *p, const uint32_t *code, unsigned n,
			  const uint64_t *regs)
{
	static uint8_t data[DATA_SPAN];
	load(p->jit, code, n, regs, data);
	load(p->interp, code, n, regs, data);
	exec_run(p->jit->harts[0], n);
	exec_run(p->interp->harts[0], n);
	assert_true(same_state(p->jit, p->interp));
}

/*
 * Registers the block wrote and then read (rd == rs1, rd == rs2, x0 as
 * destination and source) are in memory at a side exit: the cold TLB
 * stops the code before the load, with everything before it stored.
 */
static void test_cached_writes_are_in_memory_at_a_side_exit(void **state)
{
	struct pair *p = *state;
	struct hart *h = p->jit->harts[0];
	if (!h->jit)
		skip();
	const uint32_t code[] = {
		RV_ADDI(1, 1, 1),          /* x1 = 8 */
		RV_ADD(2, 1, 1),           /* x2 = 16 */
		RV_ADD(1, 1, 2),           /* x1 = 24: rd == rs1 */
		RV_ADD(3, 2, 3),           /* x3 = 16 + 100: rd == rs2 */
		RV_ADDI(0, 1, 5),          /* to x0: nothing */
		RV_ADD(4, 0, 1),           /* x4 = 0 + 24 */
		RV_ADDI(5, 0, -7),         /* li */
		RV_LD(6, REG_BASE, 8),     /* side exit: TLB cold */
		RV_ADD(7, 6, 1),
		rv_jal(-36, 0),
	};
	uint64_t regs[65] = { 0 };
	regs[1] = 7;
	regs[3] = 100;
	static uint8_t data[DATA_SPAN];
	load(p->jit, code, 10, regs, data);
	struct tb *tb = tb_lookup(h, RAM_BASE);
	assert_non_null(tb);
	assert_true(tb->jit || jit_compile(h, tb));
	uint64_t left = 1000;
	struct tb *at = tb;
	assert_int_equal(((jit_fn)tb->jit)(h, &left, &at), 7);
	assert_int_equal(h->x[0], 0);
	assert_int_equal(h->x[1], 24);
	assert_int_equal(h->x[2], 16);
	assert_int_equal(h->x[3], 116);
	assert_int_equal(h->x[4], 24);
	assert_int_equal(h->x[5], (uint64_t)-7);
	assert_int_equal(h->x[6], 0);
	run_once_both(p, code, 10, regs);
	run_once_both(p, code, 10, regs);   /* the same, with the TLB warm */
}

/*
 * Helper calls (the F/D instructions without a native form) in the middle
 * of a block, with every host register of the cache in use: the register
 * each writes (FCVT's and FCLASS's rd) and the ones the calls clobber on
 * the host are read right after them and at the end.
 */
static void test_reads_after_a_helper_call_see_its_writes(void **state)
{
	struct pair *p = *state;
	if (!p->jit->harts[0]->jit)
		skip();
	uint32_t code[60];
	unsigned n = 0;
	for (unsigned r = 1; r <= 12; r++)     /* more than the cache holds */
		code[n++] = RV_ADDI(r, r, (int32_t)r);
	for (unsigned r = 12; r >= 4; r--) {   /* the nine cached last */
		if (r & 1)
			code[n++] = rv_r(0x61, 2, 1, 1, r, 0x53); /* fcvt.l.d xr, f1, rtz */
		else
			code[n++] = rv_r(0x71, 0, 1, 1, r, 0x53); /* fclass.d xr, f1 */
		code[n++] = RV_ADD(20, 20, r);
	}
	code[n++] = rv_r(0x00, 4, 3, 0, 2, 0x53);  /* fadd.s f2, f3, f4 */
	for (unsigned r = 1; r <= 12; r++)
		code[n++] = RV_ADD(21, 21, r);
	code[n] = rv_jal(-4 * (int32_t)n, 0);
	n++;
	uint64_t regs[65] = { 0 };
	for (unsigned r = 1; r <= 12; r++)
		regs[r] = 1000 * r;
	regs[32 + 1] = 0x4008000000000000ull;      /* f1 = 3.0 */
	run_once_both(p, code, n, regs);
	const struct hart *h = p->jit->harts[0];
	/* fclass.d 3.0 = bit 6, positive normal */
	assert_int_equal(h->x[20], 4 * 3 + 5 * 64);
	assert_int_equal(h->x[21], 1001 + 2002 + 3003 + 4 * 3 + 5 * 64);
	run_once_both(p, code, n, regs);
}

/* A long block that fits the budget runs natively: icount and pc are
 * the interpreter's, also when the budget stops inside the next one. */
static void test_exact_budget_across_native_blocks(void **state)
{
	struct pair *p = *state;
	uint32_t code[16];
	for (unsigned i = 0; i < 15; i++)
		code[i] = RV_ADDI(1, 1, 1);
	code[15] = rv_jal(-60, 0);
	uint64_t regs[65] = { 0 };
	static uint8_t data[DATA_SPAN];
	load(p->jit, code, 16, regs, data);
	load(p->interp, code, 16, regs, data);
	for (unsigned budget = 1; budget < 100; budget += 7) {
		exec_run(p->jit->harts[0], budget);
		exec_run(p->interp->harts[0], budget);
		assert_true(same_state(p->jit, p->interp));
	}
	assert_int_equal(p->jit->harts[0]->icount, p->interp->harts[0]->icount);
}

/*
 * The native code's contract (core/jit.h) on one block: it stops before a
 * load when exit_request is set or the TLB misses, returning the load's
 * index with the instructions before it done, and the load not; with the
 * TLB warm and no request it runs to the block's end.
 */
static void test_side_exits_stop_before_the_load(void **state)
{
	struct pair *p = *state;
	struct hart *h = p->jit->harts[0];
	if (!h->jit)
		skip();
	const uint32_t code[] = { RV_ADDI(1, 1, 1), RV_ADDI(2, 2, 2), RV_ADDI(3, 3, 3),
				  RV_LD(5, REG_BASE, 8), RV_ADDI(4, 4, 4), rv_jal(-20, 0) };
	uint64_t regs[65] = { 0 };
	static uint8_t data[DATA_SPAN];
	uint64_t v = 0x1122334455667788ull;
	memcpy(data + DATA_SPAN / 2 + 8, &v, 8);
	load(p->jit, code, 6, regs, data);
	struct tb *tb = tb_lookup(h, RAM_BASE);
	assert_non_null(tb);
	assert_int_equal(tb->n, 6);
	assert_true(tb->jit || jit_compile(h, tb));
	jit_fn fn = (jit_fn)tb->jit;
	uint64_t left = 1000;
	struct tb *at = tb;

	/* A cold TLB: a side exit at op 3, ops 0..2 done. */
	assert_int_equal(fn(h, &left, &at), 3);
	assert_ptr_equal(at, tb);
	assert_int_equal(h->x[1] + h->x[2] + h->x[3], 6);
	assert_int_equal(h->x[5], 0);

	/* The interpreter's load fills the TLB; then a safe point: the
	 * request stops the code before the load again. */
	exec_run(h, 6);
	assert_int_equal(h->x[5], v);
	h->x[5] = 0;
	atomic_store(&h->exit_request, 1);
	assert_int_equal(fn(h, &left, &at), 3);
	assert_int_equal(h->x[5], 0);
	atomic_store(&h->exit_request, 0);

	/* Warm and unrequested: the whole block, ending at its JAL (exit 0;
	 * chaining would need the link the interpreter made, and left). */
	uint64_t x4 = h->x[4];
	left = 0;   /* no block fits: no native chaining */
	unsigned r = fn(h, &left, &at);
	assert_int_equal(r, JIT_DONE + 1);
	assert_ptr_equal(at, tb);
	assert_int_equal(h->x[5], v);
	assert_int_equal(h->x[4], x4 + 4);
	assert_int_equal(h->pc, RAM_BASE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_budget_across_native_blocks),
		cmocka_unit_test(test_side_exits_stop_before_the_load),
		cmocka_unit_test(test_random_blocks_match_the_interpreter),
		cmocka_unit_test(test_random_fp_blocks_match_the_interpreter),
		cmocka_unit_test(test_random_blocks_on_few_registers_match),
		cmocka_unit_test(test_random_blocks_on_more_registers_than_cached_match),
		cmocka_unit_test(test_cached_writes_are_in_memory_at_a_side_exit),
		cmocka_unit_test(test_reads_after_a_helper_call_see_its_writes),
		cmocka_unit_test(test_random_blocks_compiled_after_linking_match),
		cmocka_unit_test(test_direct_link_follows_the_generation),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
