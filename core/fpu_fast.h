/* fpu_fast.h: the host-FPU fast path in front of fpu.c, bit-exact with it. */
#ifndef RRV_CORE_FPU_FAST_H
#define RRV_CORE_FPU_FAST_H

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/fpu.h"

/*
 * Each fpu_fast_X has the signature and the exact results (bits and flags)
 * of fpu_X. It computes on the host FPU when it can prove the host's answer
 * is the soft path's, and calls fpu_X otherwise. fpu_try_X is the proof
 * alone: it returns false (and writes nothing) when it cannot decide.
 *
 * What makes the host's answer the soft path's (§ numbers are IEEE
 * 754-2008's unless they name the RISC-V spec):
 * - IEEE 754-2008 §4.3, §5.4.1: +, -, *, /, sqrt and fusedMultiplyAdd are
 *   correctly rounded, so in round-to-nearest-even (the host's mode; checked
 *   by fpu_fast_host_ok) the host computes the value round_pack() does, as
 *   long as the result lies in the normal range. Only RNE is taken: the
 *   host's mode is never changed, and RMM does not exist there.
 * - Operands must be zero or normal (no NaN, infinity or subnormal): every
 *   invalid case (inf-inf, 0*inf, x/0, sqrt of a negative) and the NaN rules
 *   of RISC-V (canonical NaN: unprivileged spec 20191213 §11.3) stay in
 *   fpu.c.
 * - Results must be zero, from a case shown exact below, or have a
 *   magnitude strictly between the smallest normal and infinity. A finite
 *   RNE result never overflowed (§7.4: overflow rounds to infinity in RNE).
 *   A result of exactly the smallest normal may still be tiny: RISC-V
 *   detects tininess after rounding (same spec §11.4; IEEE §7.5), i.e.
 *   rounding to the precision with an unbounded exponent, where a value
 *   just below 2^emin rounds to a number below it while the host rounds it
 *   up to 2^emin. Any larger result is not tiny either way, so UF cannot
 *   be raised.
 * - Inexact (NX) is decided exactly, by an error-free transformation or an
 *   integer product of significands, so the fast path works whatever the
 *   accrued flags are. OF/UF/DZ/NV are excluded by the checks above.
 *
 * The file must be compiled with strict host FP (the Makefile's CFLAGS):
 * no -ffast-math, no contraction of a*b+c into an FMA (-ffp-contract=off;
 * GCC's gnu11 default would contract on hosts with FMA), no excess precision
 * (FLT_EVAL_METHOD 0: SSE2 on x86-64, any AArch64). Constant folding is safe
 * without -frounding-math because the host runs in RNE, the mode GCC folds
 * in, and the operands here are run-time values anyway.
 */
_Static_assert(FLT_EVAL_METHOD == 0, "fpu_fast needs float/double evaluation "
	       "without excess precision");

/* Whether the host FPU behaves as assumed: RNE, subnormals neither flushed
 * on output nor treated as zero on input (the error terms below may be
 * subnormal). False sends every operation to the soft path. */
bool fpu_fast_host_ok(void);

#define FPUF_SIGN_D 0x8000000000000000ull
#define FPUF_INF_D 0x7ff0000000000000ull
#define FPUF_MINN_D 0x0010000000000000ull
#define FPUF_FRAC_D 0x000fffffffffffffull
#define FPUF_SIGN_S 0x80000000u
#define FPUF_INF_S 0x7f800000u
#define FPUF_MINN_S 0x00800000u

static inline double fpuf_d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static inline uint64_t fpuf_ud(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static inline float fpuf_s(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint32_t fpuf_us(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static inline unsigned fpuf_exp_d(uint64_t x) { return (unsigned)(x >> 52) & 0x7ff; }
static inline unsigned fpuf_exp_s(uint32_t x) { return (x >> 23) & 0xff; }
static inline bool fpuf_zero_d(uint64_t x) { return (x << 1) == 0; }
static inline bool fpuf_zero_s(uint32_t x) { return (uint32_t)(x << 1) == 0; }

/* Zero or normal. */
static inline bool fpuf_zn_d(uint64_t x)
{
	return fpuf_exp_d(x) - 1u < 0x7feu || fpuf_zero_d(x);
}

static inline bool fpuf_zn_s(uint32_t x)
{
	return fpuf_exp_s(x) - 1u < 0xfeu || fpuf_zero_s(x);
}

/* Finite and of magnitude strictly above the smallest normal (see top). */
static inline bool fpuf_safe_d(uint64_t r)
{
	return (r & ~FPUF_SIGN_D) - (FPUF_MINN_D + 1) < FPUF_INF_D - (FPUF_MINN_D + 1);
}

static inline bool fpuf_safe_s(uint32_t r)
{
	return (r & ~FPUF_SIGN_S) - (FPUF_MINN_S + 1) < FPUF_INF_S - (FPUF_MINN_S + 1);
}

/* The 53-bit significand of a normal binary64. */
static inline uint64_t fpuf_sig_d(uint64_t x) { return (x & FPUF_FRAC_D) | (FPUF_FRAC_D + 1); }

/*
 * Whether the product of two 53-bit significands (each in [2^52, 2^53)) is
 * itself a 53-bit number, i.e. the product of two normals is exact when its
 * rounded result is normal; with want != 0, whether it also equals want's
 * significand (then x*y == w exactly: the exponents cannot differ, since
 * x*y is within a relative 2^-52 of w in the callers).
 */
static inline bool fpuf_sig_product_exact(uint64_t mx, uint64_t my, uint64_t want)
{
	unsigned __int128 p = (unsigned __int128)mx * my; /* in [2^104, 2^106) */
	int drop = (p >> 105) ? 53 : 52;

	if ((uint64_t)p & ((1ull << drop) - 1))
		return false;
	return !want || (uint64_t)(p >> drop) == want;
}

/*
 * Fast2Sum (Dekker 1971; Muller et al., Handbook of FP Arithmetic, Thm 4.3):
 * in radix 2 with RNE and |x| >= |y|, s = RN(x + y) and the returned error
 * e = y - (s - x) satisfy s + e == x + y exactly, with no overflow when s
 * is finite. The caller orders the operands (by magnitude bits).
 */
static inline double fpuf_fast2sum_err_d(double x, double y, double s)
{
	return y - (s - x);
}

static inline float fpuf_fast2sum_err_s(float x, float y, float s)
{
	return y - (s - x);
}

/* ---- add, sub ---- */

/*
 * A zero sum of zero/normal operands is exact (the exact sum is a multiple
 * of the smallest subnormal, so a nonzero one never rounds to 0), and the
 * host gives it the sign IEEE §6.3 and fpu.c give: +0 for x + (-x) in RNE,
 * the common sign when both operands are zeros of one sign.
 */
static inline bool fpu_try_add_d(uint64_t a, uint64_t b, uint64_t *r, unsigned *fl)
{
	if (!fpuf_zn_d(a) || !fpuf_zn_d(b))
		return false;
	double x = fpuf_d(a), y = fpuf_d(b), s = x + y;
	uint64_t sb = fpuf_ud(s);

	if (fpuf_zero_d(sb)) {
		*r = sb;
		return true;
	}
	if (!fpuf_safe_d(sb))
		return false;
	bool x_big = (a & ~FPUF_SIGN_D) >= (b & ~FPUF_SIGN_D);
	double e = x_big ? fpuf_fast2sum_err_d(x, y, s) : fpuf_fast2sum_err_d(y, x, s);
	if (e != 0)
		*fl |= FPU_NX;
	*r = sb;
	return true;
}

static inline bool fpu_try_add_s(uint32_t a, uint32_t b, uint32_t *r, unsigned *fl)
{
	if (!fpuf_zn_s(a) || !fpuf_zn_s(b))
		return false;
	float x = fpuf_s(a), y = fpuf_s(b), s = x + y;
	uint32_t sb = fpuf_us(s);

	if (fpuf_zero_s(sb)) {
		*r = sb;
		return true;
	}
	if (!fpuf_safe_s(sb))
		return false;
	bool x_big = (a & ~FPUF_SIGN_S) >= (b & ~FPUF_SIGN_S);
	float e = x_big ? fpuf_fast2sum_err_s(x, y, s) : fpuf_fast2sum_err_s(y, x, s);
	if (e != 0)
		*fl |= FPU_NX;
	*r = sb;
	return true;
}

/* ---- mul ---- */

/* A zero factor gives the exact signed zero (IEEE §6.3: sign is the XOR);
 * a zero product of nonzero factors underflowed and goes to fpu.c. */
static inline bool fpu_try_mul_d(uint64_t a, uint64_t b, uint64_t *r, unsigned *fl)
{
	if (!fpuf_zn_d(a) || !fpuf_zn_d(b))
		return false;
	uint64_t pb = fpuf_ud(fpuf_d(a) * fpuf_d(b));

	if (fpuf_zero_d(a) || fpuf_zero_d(b)) {
		*r = pb;
		return true;
	}
	if (!fpuf_safe_d(pb))
		return false;
	if (!fpuf_sig_product_exact(fpuf_sig_d(a), fpuf_sig_d(b), 0))
		*fl |= FPU_NX;
	*r = pb;
	return true;
}

/* The product of two binary32 values is exact in binary64 (48 bits, and
 * exponents within binary64's normal range), so rounding it once to
 * binary32 is the correctly rounded product, and NX is a compare. */
static inline bool fpu_try_mul_s(uint32_t a, uint32_t b, uint32_t *r, unsigned *fl)
{
	if (!fpuf_zn_s(a) || !fpuf_zn_s(b))
		return false;
	double p = (double)fpuf_s(a) * (double)fpuf_s(b);
	float q = (float)p;
	uint32_t qb = fpuf_us(q);

	if (fpuf_zero_s(a) || fpuf_zero_s(b)) {
		*r = qb;
		return true;
	}
	if (!fpuf_safe_s(qb))
		return false;
	if ((double)q != p)
		*fl |= FPU_NX;
	*r = qb;
	return true;
}

/* ---- div ---- */

/* q = a/b is exact iff q*b == a exactly, checked on the significands. A
 * zero dividend gives the exact signed zero; a zero divisor (DZ or NV) and
 * a zero quotient of a nonzero dividend (underflow) go to fpu.c. */
static inline bool fpu_try_div_d(uint64_t a, uint64_t b, uint64_t *r, unsigned *fl)
{
	if (!fpuf_zn_d(a) || !fpuf_zn_d(b) || fpuf_zero_d(b))
		return false;
	uint64_t qb = fpuf_ud(fpuf_d(a) / fpuf_d(b));

	if (fpuf_zero_d(a)) {
		*r = qb;
		return true;
	}
	if (!fpuf_safe_d(qb))
		return false;
	if (!fpuf_sig_product_exact(fpuf_sig_d(qb), fpuf_sig_d(b), fpuf_sig_d(a)))
		*fl |= FPU_NX;
	*r = qb;
	return true;
}

/* binary32: q*b is exact in binary64, so the check is one compare. */
static inline bool fpu_try_div_s(uint32_t a, uint32_t b, uint32_t *r, unsigned *fl)
{
	if (!fpuf_zn_s(a) || !fpuf_zn_s(b) || fpuf_zero_s(b))
		return false;
	float x = fpuf_s(a), y = fpuf_s(b), q = x / y;
	uint32_t qb = fpuf_us(q);

	if (fpuf_zero_s(a)) {
		*r = qb;
		return true;
	}
	if (!fpuf_safe_s(qb))
		return false;
	if ((double)q * (double)y != (double)x)
		*fl |= FPU_NX;
	*r = qb;
	return true;
}

/* ---- sqrt ---- */

/* sqrt(+-0) = +-0 (IEEE §5.4.1); a negative operand (NV) goes to fpu.c.
 * The root of a positive normal is normal; it is exact iff r*r == a. */
static inline bool fpu_try_sqrt_d(uint64_t a, uint64_t *r, unsigned *fl)
{
	if (fpuf_zero_d(a)) {
		*r = a;
		return true;
	}
	if (!fpuf_zn_d(a) || (a & FPUF_SIGN_D))
		return false;
	uint64_t rb = fpuf_ud(__builtin_sqrt(fpuf_d(a)));

	if (!fpuf_safe_d(rb))
		return false;
	if (!fpuf_sig_product_exact(fpuf_sig_d(rb), fpuf_sig_d(rb), fpuf_sig_d(a)))
		*fl |= FPU_NX;
	*r = rb;
	return true;
}

static inline bool fpu_try_sqrt_s(uint32_t a, uint32_t *r, unsigned *fl)
{
	if (fpuf_zero_s(a)) {
		*r = a;
		return true;
	}
	if (!fpuf_zn_s(a) || (a & FPUF_SIGN_S))
		return false;
	float q = __builtin_sqrtf(fpuf_s(a));
	uint32_t qb = fpuf_us(q);

	if (!fpuf_safe_s(qb))
		return false;
	if ((double)q * (double)q != (double)fpuf_s(a))
		*fl |= FPU_NX;
	*r = qb;
	return true;
}

/* ---- fused multiply-add ---- */

/*
 * (+-a*b) +- c with one rounding. Negating an operand is exact, so the four
 * RISC-V forms are one host fma (fpu.c's sign rules are IEEE's, §6.3).
 *
 * NX: with r = RN(a*b + c), r is exact iff a*b == r - c. Both sides are
 * split into (RN(v), v - RN(v)) pairs, which are unique for a value v:
 * TwoProduct ph = RN(a*b), pl = fma(a, b, -ph) (exact when the product of
 * the operands' last-place units, 2^(Ea+Eb-2150) for biased exponents, is
 * at least 2^-1074, so pl is representable) and Fast2Sum of r and -c (no
 * overflow when |r|, |c| < 2^1022, which also keeps |a*b| and ph finite).
 * Then a*b == r - c iff ph == d and pl == ed.
 *
 * A zero factor makes the product an exact signed zero, so r is c (zero
 * or normal: no flag) or the zero IEEE's sign rules give, exactly. Under
 * the exponent condition a*b and c are multiples of 2^-1074, so a nonzero
 * a*b + c is at least that and never rounds to 0: a zero r is an exact
 * cancellation, +0 in RNE on the host and in fpu.c (IEEE §6.3).
 */
static inline bool fpu_try_fma_d(uint64_t a, uint64_t b, uint64_t c, bool neg_prod,
				 bool neg_add, uint64_t *r, unsigned *fl)
{
	if (!fpuf_zn_d(a) || !fpuf_zn_d(b) || !fpuf_zn_d(c))
		return false;
	double x = fpuf_d(a ^ (neg_prod ? FPUF_SIGN_D : 0)), y = fpuf_d(b);
	double z = fpuf_d(c ^ (neg_add ? FPUF_SIGN_D : 0));
	double v = fma(x, y, z);
	uint64_t vb = fpuf_ud(v);

	if (fpuf_zero_d(a) || fpuf_zero_d(b)) {
		*r = vb;
		return true;
	}
	if (fpuf_exp_d(a) + fpuf_exp_d(b) < 1076 || fpuf_exp_d(c) > 0x7fc)
		return false;
	if ((!fpuf_zero_d(vb) && !fpuf_safe_d(vb)) || fpuf_exp_d(vb) > 0x7fc)
		return false;
	double ph = x * y, d = v - z;
	bool v_big = (vb & ~FPUF_SIGN_D) >= (c & ~FPUF_SIGN_D);
	double ed = v_big ? fpuf_fast2sum_err_d(v, -z, d) : fpuf_fast2sum_err_d(-z, v, d);

	/* pl = fma(x, y, -ph) only when the high parts leave it open. */
	if (ph != d || fma(x, y, -ph) != ed)
		*fl |= FPU_NX;
	*r = vb;
	return true;
}

/*
 * binary32: a*b is exact in binary64, and so is the Fast2Sum of it and c:
 * a*b + c == s + e. Rounding s to binary32 gives RN(a*b + c) unless
 * e != 0 and s is a binary32 rounding boundary (a midpoint): RN is
 * monotone and every binary32 midpoint is a binary64 number, so otherwise s
 * and the exact sum lie strictly between the same two midpoints. Those
 * rare midpoints go to fpu.c. Exact iff e == 0 and s fits binary32; an
 * exact zero sum has the sign binary64 addition gives it, IEEE's.
 */
static inline bool fpu_try_fma_s(uint32_t a, uint32_t b, uint32_t c, bool neg_prod,
				 bool neg_add, uint32_t *r, unsigned *fl)
{
	if (!fpuf_zn_s(a) || !fpuf_zn_s(b) || !fpuf_zn_s(c))
		return false;
	double p = (double)fpuf_s(a ^ (neg_prod ? FPUF_SIGN_S : 0)) * (double)fpuf_s(b);
	double z = (double)fpuf_s(c ^ (neg_add ? FPUF_SIGN_S : 0));
	double s = p + z;
	bool p_big = (fpuf_ud(p) & ~FPUF_SIGN_D) >= (fpuf_ud(z) & ~FPUF_SIGN_D);
	double e = p_big ? fpuf_fast2sum_err_d(p, z, s) : fpuf_fast2sum_err_d(z, p, s);
	float q = (float)s;
	uint32_t qb = fpuf_us(q);

	if (fpuf_zero_s(qb)) {
		if (s != 0 || e != 0)
			return false;
		*r = qb;
		return true;
	}
	if (!fpuf_safe_s(qb))
		return false;
	/* In binary32's normal range a binary64 has 29 bits below binary32's
	 * last place; a midpoint has exactly the top one of them set. */
	if (e != 0 && (fpuf_ud(s) & 0x1fffffffu) == 0x10000000u)
		return false;
	if (e != 0 || (double)q != s)
		*fl |= FPU_NX;
	*r = qb;
	return true;
}

/* ---- comparisons ---- */

/* No NaN operand: no flag, and the host's ordered compares are IEEE's
 * (§5.11: -0 == +0), which is what fpu.c's cmp_lt implements. */
static inline bool fpuf_nonan_d(uint64_t x) { return (x & ~FPUF_SIGN_D) <= FPUF_INF_D; }
static inline bool fpuf_nonan_s(uint32_t x) { return (x & ~FPUF_SIGN_S) <= FPUF_INF_S; }

/* ---- conversions ---- */

/*
 * binary64 -> binary32 in RNE: one correctly rounded conversion on the host
 * (IEEE §5.4.2), exact iff it converts back to the operand. A zero result
 * of a nonzero operand underflowed.
 */
static inline bool fpu_try_cvt_s_d(uint64_t a, uint32_t *r, unsigned *fl)
{
	if (!fpuf_zn_d(a))
		return false;
	double x = fpuf_d(a);
	float q = (float)x;
	uint32_t qb = fpuf_us(q);

	if (fpuf_zero_d(a)) {
		*r = qb;
		return true;
	}
	if (!fpuf_safe_s(qb))
		return false;
	if ((double)q != x)
		*fl |= FPU_NX;
	*r = qb;
	return true;
}

/*
 * Float -> integer, RTZ or RNE, when the result is in range (out-of-range
 * saturation and NV stay in fpu.c). x is a zero or normal binary64 (a
 * binary32 operand widens exactly). lo and hi are the binary64 numbers just
 * outside the range that truncates to a representable integer (e.g. for W:
 * -2^31 - 1 and 2^31; for L the binary64 below -2^63 is -2^63 - 2^11); for
 * RNE they move in by a half, which excludes the halfway cases that would
 * round out of range and a few that would not (those go to fpu.c). NX iff
 * the integer differs from x: both convert exactly (|x| >= 2^52 is already
 * an integer).
 */
static inline bool fpuf_to_int(double x, int rm, double lo, double hi, int64_t *out,
			       unsigned *fl)
{
	double t = x;

	if (rm == FPU_RNE) {
		if (!(x > lo + 0.5 && x < hi - 0.5))
			return false;
		/* 2^52 + |x| (< 2^53) rounds to an integer in RNE, and taking
		 * 2^52 off again is exact; |x| >= 2^52 is an integer already. */
		double m = __builtin_fabs(x);
		if (m < 0x1p52)
			t = __builtin_copysign((m + 0x1p52) - 0x1p52, x);
	} else if (rm != FPU_RTZ || !(x > lo && x < hi)) {
		return false;
	}
	/* C's conversion truncates (C11 6.3.1.4), which is RTZ, and t is in
	 * range; only LU reaches 2^63 and above. */
	bool big = t >= 0x1p63;
	int64_t v = big ? (int64_t)(uint64_t)t : (int64_t)t;
	double back = big ? (double)(uint64_t)v : (double)v;
	if (back != x)
		*fl |= FPU_NX;
	*out = v;
	return true;
}

/*
 * Integer -> float when the integer has at most `prec` significant bits:
 * the conversion is exact in every rounding mode, so the host's (in RNE)
 * is the soft path's, with no flag. Zero converts to +0 on both.
 */
static inline bool fpuf_int_fits(uint64_t mag, int prec)
{
	return mag == 0 || (mag >> __builtin_ctzll(mag)) < (1ull << prec);
}

/* ---- the entry points exec.c calls ---- */

#define FPUF_ARITH2(name, T)                                                  \
	static inline T fpu_fast_##name(T a, T b, int rm, unsigned *fl)        \
	{                                                                      \
		T r;                                                           \
		if (rm == FPU_RNE && fpu_try_##name(a, b, &r, fl))             \
			return r;                                              \
		return fpu_##name(a, b, rm, fl);                               \
	}
FPUF_ARITH2(add_s, uint32_t)
FPUF_ARITH2(mul_s, uint32_t)
FPUF_ARITH2(div_s, uint32_t)
FPUF_ARITH2(add_d, uint64_t)
FPUF_ARITH2(mul_d, uint64_t)
FPUF_ARITH2(div_d, uint64_t)
#undef FPUF_ARITH2

static inline uint32_t fpu_fast_sub_s(uint32_t a, uint32_t b, int rm, unsigned *fl)
{
	uint32_t r;
	if (rm == FPU_RNE && fpu_try_add_s(a, b ^ FPUF_SIGN_S, &r, fl))
		return r;
	return fpu_sub_s(a, b, rm, fl);
}

static inline uint64_t fpu_fast_sub_d(uint64_t a, uint64_t b, int rm, unsigned *fl)
{
	uint64_t r;
	if (rm == FPU_RNE && fpu_try_add_d(a, b ^ FPUF_SIGN_D, &r, fl))
		return r;
	return fpu_sub_d(a, b, rm, fl);
}

static inline uint32_t fpu_fast_sqrt_s(uint32_t a, int rm, unsigned *fl)
{
	uint32_t r;
	if (rm == FPU_RNE && fpu_try_sqrt_s(a, &r, fl))
		return r;
	return fpu_sqrt_s(a, rm, fl);
}

static inline uint64_t fpu_fast_sqrt_d(uint64_t a, int rm, unsigned *fl)
{
	uint64_t r;
	if (rm == FPU_RNE && fpu_try_sqrt_d(a, &r, fl))
		return r;
	return fpu_sqrt_d(a, rm, fl);
}

static inline uint32_t fpu_fast_fma_s(uint32_t a, uint32_t b, uint32_t c, bool np,
				      bool na, int rm, unsigned *fl)
{
	uint32_t r;
	if (rm == FPU_RNE && fpu_try_fma_s(a, b, c, np, na, &r, fl))
		return r;
	return fpu_fma_s(a, b, c, np, na, rm, fl);
}

static inline uint64_t fpu_fast_fma_d(uint64_t a, uint64_t b, uint64_t c, bool np,
				      bool na, int rm, unsigned *fl)
{
	uint64_t r;
	if (rm == FPU_RNE && fpu_try_fma_d(a, b, c, np, na, &r, fl))
		return r;
	return fpu_fma_d(a, b, c, np, na, rm, fl);
}

#define FPUF_CMP(name, T, nonan, conv, op)                                    \
	static inline bool fpu_fast_##name(T a, T b, unsigned *fl)             \
	{                                                                      \
		if (nonan(a) && nonan(b))                                      \
			return conv(a) op conv(b);                             \
		return fpu_##name(a, b, fl);                                   \
	}
FPUF_CMP(eq_s, uint32_t, fpuf_nonan_s, fpuf_s, ==)
FPUF_CMP(lt_s, uint32_t, fpuf_nonan_s, fpuf_s, <)
FPUF_CMP(le_s, uint32_t, fpuf_nonan_s, fpuf_s, <=)
FPUF_CMP(eq_d, uint64_t, fpuf_nonan_d, fpuf_d, ==)
FPUF_CMP(lt_d, uint64_t, fpuf_nonan_d, fpuf_d, <)
FPUF_CMP(le_d, uint64_t, fpuf_nonan_d, fpuf_d, <=)
#undef FPUF_CMP

static inline uint64_t fpu_fast_cvt_d_s(uint32_t a, unsigned *fl)
{
	if (fpuf_zn_s(a)) /* exact: binary64 holds every binary32 */
		return fpuf_ud((double)fpuf_s(a));
	return fpu_cvt_d_s(a, fl);
}

static inline uint32_t fpu_fast_cvt_s_d(uint64_t a, int rm, unsigned *fl)
{
	uint32_t r;
	if (rm == FPU_RNE && fpu_try_cvt_s_d(a, &r, fl))
		return r;
	return fpu_cvt_s_d(a, rm, fl);
}

/* Float -> integer: (name, operand type, bits to double, range lo, hi,
 * result type). 32-bit results are sign-extended, as fpu_cvt_w* return. */
#define FPUF_TOINT(name, T, zn, conv, lo, hi, R, narrow)                      \
	static inline R fpu_fast_##name(T a, int rm, unsigned *fl)             \
	{                                                                      \
		int64_t v;                                                     \
		if (zn(a) && fpuf_to_int(conv(a), rm, lo, hi, &v, fl))         \
			return (R)narrow(v);                                   \
		return fpu_##name(a, rm, fl);                                  \
	}
#define FPUF_W(v) (int32_t)(v)
#define FPUF_ID(v) (v)
FPUF_TOINT(cvt_w_s, uint32_t, fpuf_zn_s, fpuf_s, -0x1p31 - 1, 0x1p31, int64_t, FPUF_W)
FPUF_TOINT(cvt_wu_s, uint32_t, fpuf_zn_s, fpuf_s, -1.0, 0x1p32, int64_t, FPUF_W)
FPUF_TOINT(cvt_l_s, uint32_t, fpuf_zn_s, fpuf_s, -0x1p63 - 0x1p11, 0x1p63, int64_t, FPUF_ID)
FPUF_TOINT(cvt_lu_s, uint32_t, fpuf_zn_s, fpuf_s, -1.0, 0x1p64, uint64_t, FPUF_ID)
FPUF_TOINT(cvt_w_d, uint64_t, fpuf_zn_d, fpuf_d, -0x1p31 - 1, 0x1p31, int64_t, FPUF_W)
FPUF_TOINT(cvt_wu_d, uint64_t, fpuf_zn_d, fpuf_d, -1.0, 0x1p32, int64_t, FPUF_W)
FPUF_TOINT(cvt_l_d, uint64_t, fpuf_zn_d, fpuf_d, -0x1p63 - 0x1p11, 0x1p63, int64_t, FPUF_ID)
FPUF_TOINT(cvt_lu_d, uint64_t, fpuf_zn_d, fpuf_d, -1.0, 0x1p64, uint64_t, FPUF_ID)
#undef FPUF_TOINT
#undef FPUF_W
#undef FPUF_ID

/* Integer -> float: (name, operand type, magnitude, precision, result). */
#define FPUF_FROMINT(name, T, mag, prec, R, conv)                             \
	static inline R fpu_fast_##name(T a, int rm, unsigned *fl)             \
	{                                                                      \
		if (fpuf_int_fits(mag, prec))                                  \
			return conv(a);                                        \
		return fpu_##name(a, rm, fl);                                  \
	}
#define FPUF_MAG(a) ((a) < 0 ? -(uint64_t)(a) : (uint64_t)(a))
#define FPUF_TO_S(a) fpuf_us((float)(a))
#define FPUF_TO_D(a) fpuf_ud((double)(a))
FPUF_FROMINT(cvt_s_w, int32_t, FPUF_MAG((int64_t)a), 24, uint32_t, FPUF_TO_S)
FPUF_FROMINT(cvt_s_wu, uint32_t, (uint64_t)a, 24, uint32_t, FPUF_TO_S)
FPUF_FROMINT(cvt_s_l, int64_t, FPUF_MAG(a), 24, uint32_t, FPUF_TO_S)
FPUF_FROMINT(cvt_s_lu, uint64_t, a, 24, uint32_t, FPUF_TO_S)
FPUF_FROMINT(cvt_d_w, int32_t, FPUF_MAG((int64_t)a), 53, uint64_t, FPUF_TO_D)
FPUF_FROMINT(cvt_d_wu, uint32_t, (uint64_t)a, 53, uint64_t, FPUF_TO_D)
FPUF_FROMINT(cvt_d_l, int64_t, FPUF_MAG(a), 53, uint64_t, FPUF_TO_D)
FPUF_FROMINT(cvt_d_lu, uint64_t, a, 53, uint64_t, FPUF_TO_D)
#undef FPUF_FROMINT
#undef FPUF_MAG
#undef FPUF_TO_S
#undef FPUF_TO_D

#endif /* RRV_CORE_FPU_FAST_H */
