/*
 * test_fpu_fast.c: the host-FPU fast path (core/fpu_fast.h) against the soft
 * path (core/fpu.c), bit for bit in results and flags, on random and edge
 * operands for every operation it covers. Each operation also checks that
 * the fast path was taken often enough for the comparison to mean something.
 *
 * The unit run does RRV_FPU_FUZZ_N operations per operation and rounding
 * mode (default 200000, about a second in all); `make fpu-fuzz` runs many
 * more, with RRV_FPU_FUZZ_SEED to vary the operands.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/fpu_fast.h"

static uint64_t n_per_op = 200000;
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/* splitmix64 */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rnd_below(unsigned n) { return (unsigned)(rnd() % n); }
/* A uniform integer in [-k, k]. */
static int rnd_delta(int k) { return (int)rnd_below(2u * (unsigned)k + 1) - k; }
static uint64_t d2u(double d) { return fpuf_ud(d); }
static double u2d(uint64_t u) { return fpuf_d(u); }

/* ---- operand generators ---- */

/* A binary64 with the given biased exponent, random sign and fraction whose
 * low bits are often zero (short significands make exact results). */
static uint64_t with_exp_d(unsigned e)
{
	uint64_t frac = rnd() & FPUF_FRAC_D;
	switch (rnd_below(4)) {
	case 0: frac &= ~0ull << (20 + rnd_below(33)); break; /* short */
	case 1: frac = rnd_below(2) ? 0 : FPUF_FRAC_D; break; /* 1.0, 1.111.. */
	default: break;
	}
	return (rnd() & FPUF_SIGN_D) | (uint64_t)e << 52 | frac;
}

/* An exponent from the interesting places: anywhere, near 1.0, the edges
 * of the normal range, and the subnormal/special encodings. */
static unsigned pick_exp_d(void)
{
	switch (rnd_below(8)) {
	case 0: return rnd_below(0x800);
	case 1: case 2: return 1023 - 30 + rnd_below(60);
	case 3: return rnd_below(64);                     /* near underflow */
	case 4: return 0x7ff - rnd_below(64);             /* near overflow */
	case 5: return rnd_below(2) ? 0 : 0x7ff;          /* sub/zero, inf/NaN */
	case 6: return 511 + rnd_below(3);                /* squares near 2^-1022 */
	default: return 1023 + 511 + rnd_below(3) - rnd_below(2) * 1022;
	}
}

static uint64_t gen_d(void)
{
	switch (rnd_below(16)) {
	case 0: return rnd();
	case 1: return rnd() & FPUF_SIGN_D;               /* signed zero */
	case 2: return (rnd() & FPUF_SIGN_D) | FPUF_MINN_D; /* +-min normal */
	case 3: return (rnd() & FPUF_SIGN_D) | (FPUF_INF_D - 1); /* +-max */
	case 4: return d2u((double)rnd_delta(1000)); /* small ints */
	default: return with_exp_d(pick_exp_d());
	}
}

/* A second operand related to the first: its negation (exact zero sums),
 * one or two units away, shifted to a halfway point, or unrelated. */
static uint64_t gen_related_d(uint64_t a)
{
	uint64_t s = rnd() & FPUF_SIGN_D;
	unsigned e = fpuf_exp_d(a);

	switch (rnd_below(8)) {
	case 0: return a ^ FPUF_SIGN_D;
	case 1: return (a ^ FPUF_SIGN_D) + (uint64_t)(int64_t)rnd_delta(2);
	case 2: /* half an ulp of a, or a little more or less: ties */
		if (e > 54)
			return s | (uint64_t)(e - 53) << 52 | (rnd_below(3) == 0 ? rnd() & 7 : 0);
		return gen_d();
	case 3: /* exponent within the significand's reach: partial overlap */
		if (e > 60 && e < 0x7ff)
			return with_exp_d(e - rnd_below(56));
		return gen_d();
	default: return gen_d();
	}
}

static uint32_t with_exp_s(unsigned e)
{
	uint32_t frac = (uint32_t)rnd() & 0x7fffff;
	switch (rnd_below(4)) {
	case 0: frac &= ~0u << (8 + rnd_below(16)); break;
	case 1: frac = rnd_below(2) ? 0 : 0x7fffff; break;
	default: break;
	}
	return ((uint32_t)rnd() & FPUF_SIGN_S) | e << 23 | frac;
}

static uint32_t gen_s(void)
{
	switch (rnd_below(16)) {
	case 0: return (uint32_t)rnd();
	case 1: return (uint32_t)rnd() & FPUF_SIGN_S;
	case 2: return ((uint32_t)rnd() & FPUF_SIGN_S) | FPUF_MINN_S;
	case 3: return ((uint32_t)rnd() & FPUF_SIGN_S) | (FPUF_INF_S - 1);
	case 4: return fpuf_us((float)rnd_delta(1000));
	default:
		switch (rnd_below(7)) {
		case 0: return with_exp_s(rnd_below(0x100));
		case 1: case 2: return with_exp_s(127 - 12 + rnd_below(24));
		case 3: return with_exp_s(rnd_below(30));
		case 4: return with_exp_s(0xff - rnd_below(30));
		case 5: return with_exp_s(63 + rnd_below(3));
		default: return with_exp_s(127 + 63 + rnd_below(3) - rnd_below(2) * 126);
		}
	}
}

static uint32_t gen_related_s(uint32_t a)
{
	unsigned e = fpuf_exp_s(a);

	switch (rnd_below(8)) {
	case 0: return a ^ FPUF_SIGN_S;
	case 1: return (a ^ FPUF_SIGN_S) + (uint32_t)rnd_delta(2);
	case 2:
		if (e > 25)
			return ((uint32_t)rnd() & FPUF_SIGN_S) | (e - 24) << 23 |
			       (rnd_below(3) == 0 ? (uint32_t)rnd() & 7 : 0);
		return gen_s();
	case 3:
		if (e > 30 && e < 0xff)
			return with_exp_s(e - rnd_below(27));
		return gen_s();
	default: return gen_s();
	}
}

/* FMA addends: unrelated, or -(a*b) rounded, nudged by a few units, so the
 * sum cancels to (nearly) nothing and the low product bits decide. */
static uint64_t gen_addend_d(uint64_t a, uint64_t b)
{
	if (rnd_below(2))
		return gen_related_d(a);
	uint64_t p = d2u(u2d(a) * u2d(b));
	return (p ^ FPUF_SIGN_D) + (rnd_below(3) ? 0 : (uint64_t)(int64_t)rnd_delta(2));
}

static uint32_t gen_addend_s(uint32_t a, uint32_t b)
{
	if (rnd_below(2))
		return gen_related_s(a);
	uint32_t p = fpuf_us(fpuf_s(a) * fpuf_s(b));
	return (p ^ FPUF_SIGN_S) + (rnd_below(3) ? 0 : (uint32_t)rnd_delta(2));
}

/* Exactly representable roots and quotients: a = r*r or a = q*b with short
 * significands, so the exact cases are not left to chance. */
static uint64_t gen_square_d(void)
{
	double r = (double)(rnd() >> (38 + rnd_below(12))) * u2d((uint64_t)(1023 - 40 + rnd_below(80)) << 52);
	return d2u(r * r);
}

static uint32_t gen_square_s(void)
{
	float r = (float)(rnd() >> (52 + rnd_below(6))) * fpuf_s((uint32_t)(127 - 20 + rnd_below(40)) << 23);
	return fpuf_us(r * r);
}

/* Integers for the conversions: all bit lengths, often a short significand. */
static uint64_t gen_int(void)
{
	uint64_t v = rnd() >> rnd_below(64);
	if (rnd_below(2))
		v &= ~0ull << rnd_below(64);
	return rnd_below(2) ? v : -v;
}

/* Floats for to-integer conversions: near integers, halves and the range
 * limits of each width, both signs. */
static uint64_t gen_toint_d(void)
{
	static const double edges[] = { 0x1p31, 0x1p32, 0x1p63, 0x1p64, 0x1p52, 0x1p53, 1.0 };
	double base;
	switch (rnd_below(4)) {
	case 0: return gen_d();
	case 1: base = edges[rnd_below(7)]; break;
	default: base = (double)(int64_t)(rnd() >> rnd_below(64)); break;
	}
	double x = base + rnd_delta(2) * 0.5;
	uint64_t u = d2u(rnd_below(2) ? -x : x);
	return u + (rnd_below(3) ? 0 : (uint64_t)(int64_t)rnd_delta(2));
}

/* ---- the comparison loop ---- */

/* One operation: run it on fresh operands both ways, into got/want. */
struct res { uint64_t v; unsigned fl; };
typedef void (*op_fn)(int rm, uint64_t *ops, struct res *soft, struct res *fast);

struct op {
	const char *name;
	op_fn fn;
	void (*gen)(uint64_t *ops);
	int nops;
	bool rne_only;          /* the fast path only exists for RNE */
	unsigned min_fast_pct;  /* at least this share of RNE cases fast */
	bool (*taken)(int rm, const uint64_t *ops);
};

static void gen2_d(uint64_t *o) { o[0] = gen_d(); o[1] = gen_related_d(o[0]); }
static void gen2_s(uint64_t *o) { o[0] = gen_s(); o[1] = gen_related_s((uint32_t)o[0]); }
static void gen3_d(uint64_t *o)
{
	o[0] = gen_d(); o[1] = gen_d();
	if (rnd_below(8) == 0) {
		/* A product near or past the largest finite value against an
		 * addend near it: where a careless error term overflows. */
		unsigned ea = 1534 + rnd_below(500);
		o[0] = with_exp_d(ea);
		o[1] = with_exp_d(3069 - ea - rnd_below(2));
		uint64_t sign = ((o[0] ^ o[1]) & FPUF_SIGN_D) ^ FPUF_SIGN_D;
		if (rnd_below(2))
			o[2] = sign | (FPUF_INF_D - 1 - (rnd() >> rnd_below(64)) % (1ull << 53));
		else
			o[2] = sign | (with_exp_d(0x7f8 + rnd_below(7)) & ~FPUF_SIGN_D);
	} else {
		o[2] = gen_addend_d(o[0], o[1]);
	}
	o[3] = rnd_below(4);
}
static void gen3_s(uint64_t *o)
{
	o[0] = gen_s(); o[1] = gen_s(); o[2] = gen_addend_s((uint32_t)o[0], (uint32_t)o[1]);
	o[3] = rnd_below(4);
}
static void gendiv_d(uint64_t *o)
{
	gen2_d(o);
	if (rnd_below(3) == 0) { /* an exact quotient: a = q*b */
		o[0] = d2u(u2d(gen_square_d()) * u2d(o[1] & 0xfffff00000000000ull));
		o[0] += (uint64_t)(int64_t)rnd_delta(1);
		o[1] &= 0xfffff00000000000ull;
	}
}
static void gendiv_s(uint64_t *o)
{
	gen2_s(o);
	if (rnd_below(3) == 0) {
		o[1] &= 0xfffff000u;
		o[0] = fpuf_us(fpuf_s(gen_square_s()) * fpuf_s((uint32_t)o[1]));
		o[0] += (uint32_t)rnd_delta(1);
	}
}
/* Squares, exact or a unit or two off (whose roots may round to a short
 * number whose square is not the operand). */
static void gensq_d(uint64_t *o)
{
	o[0] = rnd_below(3) ? gen_d() : gen_square_d() + (uint64_t)(int64_t)rnd_delta(2);
}
static void gensq_s(uint64_t *o)
{
	o[0] = rnd_below(3) ? gen_s() : gen_square_s() + (uint32_t)rnd_delta(2);
}
static void gen1_d(uint64_t *o) { o[0] = gen_d(); }
static void gen1_s(uint64_t *o) { o[0] = gen_s(); }
static void gentoint_d(uint64_t *o) { o[0] = gen_toint_d(); }
static void gentoint_s(uint64_t *o)
{
	/* Through binary64's edge cases, rounded to binary32 (both kinds). */
	o[0] = rnd_below(4) ? fpuf_us((float)u2d(gen_toint_d())) : gen_s();
	o[0] += rnd_below(3) ? 0 : (uint64_t)(int64_t)rnd_delta(2);
	o[0] &= 0xffffffffu;
}
static void genint(uint64_t *o) { o[0] = gen_int(); }

#define SOFT_FAST(call_soft, call_fast)                                        \
	do {                                                                   \
		s->fl = 0; f->fl = 0;                                          \
		s->v = (call_soft);                                            \
		f->v = (call_fast);                                            \
	} while (0)

#define A32 ((uint32_t)o[0])
#define B32 ((uint32_t)o[1])
#define C32 ((uint32_t)o[2])
#define NP ((o[3] & 1) != 0)
#define NA ((o[3] & 2) != 0)

#define OP2(name, W)                                                           \
	static void run_##name(int rm, uint64_t *o, struct res *s, struct res *f) \
	{                                                                      \
		SOFT_FAST(fpu_##name((W)o[0], (W)o[1], rm, &s->fl),            \
			  fpu_fast_##name((W)o[0], (W)o[1], rm, &f->fl));      \
	}
OP2(add_d, uint64_t) OP2(sub_d, uint64_t) OP2(mul_d, uint64_t) OP2(div_d, uint64_t)
OP2(add_s, uint32_t) OP2(sub_s, uint32_t) OP2(mul_s, uint32_t) OP2(div_s, uint32_t)

#define OP1(name, W, R)                                                        \
	static void run_##name(int rm, uint64_t *o, struct res *s, struct res *f) \
	{                                                                      \
		SOFT_FAST((uint64_t)(R)fpu_##name((W)o[0], rm, &s->fl),        \
			  (uint64_t)(R)fpu_fast_##name((W)o[0], rm, &f->fl));  \
	}
OP1(sqrt_d, uint64_t, uint64_t) OP1(sqrt_s, uint32_t, uint32_t)
OP1(cvt_s_d, uint64_t, uint32_t)
OP1(cvt_w_d, uint64_t, int64_t) OP1(cvt_wu_d, uint64_t, int64_t)
OP1(cvt_l_d, uint64_t, int64_t) OP1(cvt_lu_d, uint64_t, uint64_t)
OP1(cvt_w_s, uint32_t, int64_t) OP1(cvt_wu_s, uint32_t, int64_t)
OP1(cvt_l_s, uint32_t, int64_t) OP1(cvt_lu_s, uint32_t, uint64_t)
OP1(cvt_s_w, int32_t, uint32_t) OP1(cvt_s_wu, uint32_t, uint32_t)
OP1(cvt_s_l, int64_t, uint32_t) OP1(cvt_s_lu, uint64_t, uint32_t)
OP1(cvt_d_w, int32_t, uint64_t) OP1(cvt_d_wu, uint32_t, uint64_t)
OP1(cvt_d_l, int64_t, uint64_t) OP1(cvt_d_lu, uint64_t, uint64_t)

static void run_cvt_d_s(int rm, uint64_t *o, struct res *s, struct res *f)
{
	(void)rm;
	SOFT_FAST(fpu_cvt_d_s(A32, &s->fl), fpu_fast_cvt_d_s(A32, &f->fl));
}

static void run_fma_d(int rm, uint64_t *o, struct res *s, struct res *f)
{
	SOFT_FAST(fpu_fma_d(o[0], o[1], o[2], NP, NA, rm, &s->fl),
		  fpu_fast_fma_d(o[0], o[1], o[2], NP, NA, rm, &f->fl));
}

static void run_fma_s(int rm, uint64_t *o, struct res *s, struct res *f)
{
	SOFT_FAST(fpu_fma_s(A32, B32, C32, NP, NA, rm, &s->fl),
		  fpu_fast_fma_s(A32, B32, C32, NP, NA, rm, &f->fl));
}

#define OPCMP(name, W)                                                         \
	static void run_##name(int rm, uint64_t *o, struct res *s, struct res *f) \
	{                                                                      \
		(void)rm;                                                      \
		SOFT_FAST(fpu_##name((W)o[0], (W)o[1], &s->fl),                \
			  fpu_fast_##name((W)o[0], (W)o[1], &f->fl));          \
	}
OPCMP(eq_d, uint64_t) OPCMP(lt_d, uint64_t) OPCMP(le_d, uint64_t)
OPCMP(eq_s, uint32_t) OPCMP(lt_s, uint32_t) OPCMP(le_s, uint32_t)

/* Whether the fast path decided (for the coverage check). */
static bool t_add_d(int rm, const uint64_t *o) { uint64_t r; unsigned fl = 0; return !rm && fpu_try_add_d(o[0], o[1], &r, &fl); }
static bool t_sub_d(int rm, const uint64_t *o) { uint64_t r; unsigned fl = 0; return !rm && fpu_try_add_d(o[0], o[1] ^ FPUF_SIGN_D, &r, &fl); }
static bool t_mul_d(int rm, const uint64_t *o) { uint64_t r; unsigned fl = 0; return !rm && fpu_try_mul_d(o[0], o[1], &r, &fl); }
static bool t_div_d(int rm, const uint64_t *o) { uint64_t r; unsigned fl = 0; return !rm && fpu_try_div_d(o[0], o[1], &r, &fl); }
static bool t_sqrt_d(int rm, const uint64_t *o) { uint64_t r; unsigned fl = 0; return !rm && fpu_try_sqrt_d(o[0], &r, &fl); }
static bool t_fma_d(int rm, const uint64_t *o) { uint64_t r; unsigned fl = 0; return !rm && fpu_try_fma_d(o[0], o[1], o[2], NP, NA, &r, &fl); }
static bool t_add_s(int rm, const uint64_t *o) { uint32_t r; unsigned fl = 0; return !rm && fpu_try_add_s(A32, B32, &r, &fl); }
static bool t_sub_s(int rm, const uint64_t *o) { uint32_t r; unsigned fl = 0; return !rm && fpu_try_add_s(A32, B32 ^ FPUF_SIGN_S, &r, &fl); }
static bool t_mul_s(int rm, const uint64_t *o) { uint32_t r; unsigned fl = 0; return !rm && fpu_try_mul_s(A32, B32, &r, &fl); }
static bool t_div_s(int rm, const uint64_t *o) { uint32_t r; unsigned fl = 0; return !rm && fpu_try_div_s(A32, B32, &r, &fl); }
static bool t_sqrt_s(int rm, const uint64_t *o) { uint32_t r; unsigned fl = 0; return !rm && fpu_try_sqrt_s(A32, &r, &fl); }
static bool t_fma_s(int rm, const uint64_t *o) { uint32_t r; unsigned fl = 0; return !rm && fpu_try_fma_s(A32, B32, C32, NP, NA, &r, &fl); }
static bool t_cvt_s_d(int rm, const uint64_t *o) { uint32_t r; unsigned fl = 0; return !rm && fpu_try_cvt_s_d(o[0], &r, &fl); }

static const struct op ops[] = {
	{ "add.d", run_add_d, gen2_d, 2, true, 40, t_add_d },
	{ "sub.d", run_sub_d, gen2_d, 2, true, 40, t_sub_d },
	{ "mul.d", run_mul_d, gen2_d, 2, true, 30, t_mul_d },
	{ "div.d", run_div_d, gendiv_d, 2, true, 30, t_div_d },
	{ "sqrt.d", run_sqrt_d, gensq_d, 1, true, 30, t_sqrt_d },
	{ "fma.d", run_fma_d, gen3_d, 3, true, 15, t_fma_d },
	{ "add.s", run_add_s, gen2_s, 2, true, 40, t_add_s },
	{ "sub.s", run_sub_s, gen2_s, 2, true, 40, t_sub_s },
	{ "mul.s", run_mul_s, gen2_s, 2, true, 30, t_mul_s },
	{ "div.s", run_div_s, gendiv_s, 2, true, 30, t_div_s },
	{ "sqrt.s", run_sqrt_s, gensq_s, 1, true, 30, t_sqrt_s },
	{ "fma.s", run_fma_s, gen3_s, 3, true, 15, t_fma_s },
	{ "cvt.s.d", run_cvt_s_d, gen1_d, 1, true, 10, t_cvt_s_d },
	{ "cvt.d.s", run_cvt_d_s, gen1_s, 1, false, 0, NULL },
	{ "cvt.w.d", run_cvt_w_d, gentoint_d, 1, false, 0, NULL },
	{ "cvt.wu.d", run_cvt_wu_d, gentoint_d, 1, false, 0, NULL },
	{ "cvt.l.d", run_cvt_l_d, gentoint_d, 1, false, 0, NULL },
	{ "cvt.lu.d", run_cvt_lu_d, gentoint_d, 1, false, 0, NULL },
	{ "cvt.w.s", run_cvt_w_s, gentoint_s, 1, false, 0, NULL },
	{ "cvt.wu.s", run_cvt_wu_s, gentoint_s, 1, false, 0, NULL },
	{ "cvt.l.s", run_cvt_l_s, gentoint_s, 1, false, 0, NULL },
	{ "cvt.lu.s", run_cvt_lu_s, gentoint_s, 1, false, 0, NULL },
	{ "cvt.s.w", run_cvt_s_w, genint, 1, false, 0, NULL },
	{ "cvt.s.wu", run_cvt_s_wu, genint, 1, false, 0, NULL },
	{ "cvt.s.l", run_cvt_s_l, genint, 1, false, 0, NULL },
	{ "cvt.s.lu", run_cvt_s_lu, genint, 1, false, 0, NULL },
	{ "cvt.d.w", run_cvt_d_w, genint, 1, false, 0, NULL },
	{ "cvt.d.wu", run_cvt_d_wu, genint, 1, false, 0, NULL },
	{ "cvt.d.l", run_cvt_d_l, genint, 1, false, 0, NULL },
	{ "cvt.d.lu", run_cvt_d_lu, genint, 1, false, 0, NULL },
	{ "feq.d", run_eq_d, gen2_d, 2, false, 0, NULL },
	{ "flt.d", run_lt_d, gen2_d, 2, false, 0, NULL },
	{ "fle.d", run_le_d, gen2_d, 2, false, 0, NULL },
	{ "feq.s", run_eq_s, gen2_s, 2, false, 0, NULL },
	{ "flt.s", run_lt_s, gen2_s, 2, false, 0, NULL },
	{ "fle.s", run_le_s, gen2_s, 2, false, 0, NULL },
};

/* Runs one operation n times in RNE and n/4 times in each other mode. */
static void run_op(const struct op *op)
{
	uint64_t fast = 0, rne = 0, exact = 0;
	int bad = 0;

	for (int rm = FPU_RNE; rm <= FPU_RMM; rm++) {
		uint64_t n = rm == FPU_RNE ? n_per_op : n_per_op / 4;
		for (uint64_t i = 0; i < n && bad < 5; i++) {
			uint64_t o[4] = { 0, 0, 0, 0 };
			struct res s, f;
			op->gen(o);
			op->fn(rm, o, &s, &f);
			if (rm == FPU_RNE) {
				rne++;
				bool t = op->taken && op->taken(rm, o);
				fast += t;
				exact += t && !(f.fl & FPU_NX);
			}
			if (s.v == f.v && s.fl == f.fl)
				continue;
			bad++;
			print_error("%s rm=%d ops %#llx %#llx %#llx neg=%llu: soft %#llx "
				    "flags %#x, fast %#llx flags %#x\n", op->name, rm,
				    (unsigned long long)o[0], (unsigned long long)o[1],
				    (unsigned long long)o[2], (unsigned long long)o[3],
				    (unsigned long long)s.v, s.fl,
				    (unsigned long long)f.v, f.fl);
		}
	}
	if (op->taken)
		print_message("  %-8s %5.1f%% of RNE cases on the fast path, "
			      "%4.1f%% of those exact\n", op->name,
			      100.0 * (double)fast / (double)rne,
			      100.0 * (double)exact / (double)(fast ? fast : 1));
	assert_int_equal(bad, 0);
	if (op->taken)
		assert_true(fast * 100 >= rne * op->min_fast_pct);
}

static void test_fast_path_matches_soft_path(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		run_op(&ops[i]);
}

/* ---- hand-picked cases the proofs in fpu_fast.h turn on ---- */

struct case2 { uint64_t a, b; };

static void expect_same_d(const char *what, uint64_t (*soft)(uint64_t, uint64_t, int, unsigned *),
			  uint64_t (*fast)(uint64_t, uint64_t, int, unsigned *),
			  const struct case2 *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned fs = 0, ff = 0;
		uint64_t rs = soft(c[i].a, c[i].b, FPU_RNE, &fs);
		uint64_t rf = fast(c[i].a, c[i].b, FPU_RNE, &ff);
		if (rs != rf || fs != ff)
			fail_msg("%s %#llx %#llx: soft %#llx/%#x fast %#llx/%#x", what,
				 (unsigned long long)c[i].a, (unsigned long long)c[i].b,
				 (unsigned long long)rs, fs, (unsigned long long)rf, ff);
	}
}

/* A product just below 2^-1022 that rounds up to it: the host's result is
 * the smallest normal but RISC-V (tininess after rounding) raises UF. */
static void test_min_normal_result_goes_soft(void **state)
{
	(void)state;
	/* (2^35 + 257)(2^35 - 257) = 2^70 - 66049, and 2^16 < 66049 < 2^17: the
	 * product lies strictly between the binade's last midpoint below 2^-1022
	 * and the last number below it, so only unbounded rounding keeps it
	 * under 2^-1022. */
	double a = (0x1p35 + 257) * 0x1p-600, b = (0x1p35 - 257) * 0x1p-492;
	uint64_t r;
	unsigned fl = 0;
	assert_false(fpu_try_mul_d(d2u(a), d2u(b), &r, &fl));
	fl = 0;
	r = fpu_fast_mul_d(d2u(a), d2u(b), FPU_RNE, &fl);
	assert_int_equal(r, FPUF_MINN_D);
	assert_int_equal(fl, FPU_NX | FPU_UF);
}

static void test_exact_zero_sums_are_plus_zero(void **state)
{
	(void)state;
	const struct case2 c[] = {
		{ d2u(1.5), d2u(-1.5) }, { d2u(-0.0), d2u(-0.0) }, { d2u(0.0), d2u(-0.0) },
		{ d2u(-0.0), d2u(0.0) }, { FPUF_MINN_D, FPUF_MINN_D | FPUF_SIGN_D },
	};
	expect_same_d("add.d", fpu_add_d, fpu_fast_add_d, c, sizeof(c) / sizeof(c[0]));
	unsigned fl = 0;
	assert_int_equal(fpu_fast_add_d(d2u(2.0), d2u(-2.0), FPU_RNE, &fl), 0);
	assert_int_equal(fpu_fast_sub_d(d2u(-0.0), d2u(0.0), FPU_RNE, &fl), FPUF_SIGN_D);
	assert_int_equal(fl, 0);
}

/* Ties to even at a halfway point, and a sum whose error is subnormal. */
static void test_ties_and_tiny_errors(void **state)
{
	(void)state;
	const struct case2 c[] = {
		{ d2u(1.0), d2u(0x1p-53) }, { d2u(1.0 + 0x1p-52), d2u(0x1p-53) },
		{ d2u(0x1p-1000), d2u(0x1p-1060) }, { d2u(0x1p-969), d2u(-0x1p-1022) },
		{ d2u(0x1.0000000000001p-1021), d2u(-0x1p-1022) },
	};
	expect_same_d("add.d", fpu_add_d, fpu_fast_add_d, c, sizeof(c) / sizeof(c[0]));
	expect_same_d("mul.d", fpu_mul_d, fpu_fast_mul_d, c, sizeof(c) / sizeof(c[0]));
	expect_same_d("div.d", fpu_div_d, fpu_fast_div_d, c, sizeof(c) / sizeof(c[0]));
}

/* An FMA whose product's low half is far below the subnormal range: its
 * TwoProduct error would round to 0, so the fast path must not decide. */
static void test_fma_tiny_product_error_goes_soft(void **state)
{
	(void)state;
	uint64_t a = d2u((1 + 0x1p-52) * 0x1p-600), b = d2u((1 + 0x1p-52) * 0x1p-400);
	uint64_t c = d2u(-0x1p-1000);
	uint64_t r;
	unsigned fl = 0;
	assert_false(fpu_try_fma_d(a, b, c, false, false, &r, &fl));
	unsigned fs = 0, ff = 0;
	assert_int_equal(fpu_fma_d(a, b, c, false, false, FPU_RNE, &fs),
			 fpu_fast_fma_d(a, b, c, false, false, FPU_RNE, &ff));
	assert_int_equal(fs, ff);
}

static void test_host_fpu_is_fit(void **state)
{
	(void)state;
	assert_true(fpu_fast_host_ok());
}

int main(void)
{
	const char *n = getenv("RRV_FPU_FUZZ_N"), *seed = getenv("RRV_FPU_FUZZ_SEED");
	if (n)
		n_per_op = strtoull(n, NULL, 0);
	if (seed)
		rng_state ^= strtoull(seed, NULL, 0) * 0x2545f4914f6cdd1dull;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_fpu_is_fit),
		cmocka_unit_test(test_min_normal_result_goes_soft),
		cmocka_unit_test(test_exact_zero_sums_are_plus_zero),
		cmocka_unit_test(test_ties_and_tiny_errors),
		cmocka_unit_test(test_fma_tiny_product_error_goes_soft),
		cmocka_unit_test(test_fast_path_matches_soft_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
