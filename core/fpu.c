/*
 * fpu.c: RISC-V F/D arithmetic in software, bit-exact on every host.
 *
 * Why not the host FPU: RISC-V needs RMM (no host has it), canonical NaNs,
 * saturating conversions with its own flag rules and inf*0+qNaN raising NV,
 * and replay needs identical bits whatever the host does. So every operation
 * works on exact integers: an operand is unpacked to sign * sig * 2^e with sig
 * an unsigned __int128, the operation is computed exactly (or exactly up to a
 * "sticky" bit that says the true value lies strictly above sig), and one
 * function, round_pack(), rounds it into the destination format. Both formats
 * share all code through a small format descriptor.
 */
#include "core/fpu.h"

#include <assert.h>
#include <stddef.h>

typedef unsigned __int128 u128;

struct fmt {
	int mbits; /* stored fraction bits */
	int bias;  /* exponent bias; emax == bias, emin == 1 - bias */
	int ebits;
};

static const struct fmt F32 = {23, 127, 8};
static const struct fmt F64 = {52, 1023, 11};

enum cls { C_ZERO, C_FIN, C_INF, C_QNAN, C_SNAN };

/* An unpacked operand: value = (-1)^sign * sig * 2^e for C_FIN. */
struct unp {
	bool sign;
	enum cls cls;
	int e;
	u128 sig;
};

static uint64_t fmt_sign_bit(const struct fmt *f)
{
	return 1ull << (f->mbits + f->ebits);
}

static uint64_t fmt_emask(const struct fmt *f)
{
	return (1ull << f->ebits) - 1;
}

static uint64_t fmt_canon_nan(const struct fmt *f)
{
	return f == &F32 ? FPU_CANON_NAN_S : FPU_CANON_NAN_D;
}

static uint64_t fmt_inf(const struct fmt *f, bool sign)
{
	return (sign ? fmt_sign_bit(f) : 0) | fmt_emask(f) << f->mbits;
}

static uint64_t fmt_zero(const struct fmt *f, bool sign)
{
	return sign ? fmt_sign_bit(f) : 0;
}

static void unpack(const struct fmt *f, uint64_t bits, struct unp *u)
{
	uint64_t frac = bits & ((1ull << f->mbits) - 1);
	uint64_t exp = (bits >> f->mbits) & fmt_emask(f);

	u->sign = (bits & fmt_sign_bit(f)) != 0;
	u->e = 0;
	u->sig = 0;
	if (exp == fmt_emask(f)) {
		if (frac == 0)
			u->cls = C_INF;
		else if (frac >> (f->mbits - 1))
			u->cls = C_QNAN;
		else
			u->cls = C_SNAN;
		return;
	}
	if (exp == 0 && frac == 0) {
		u->cls = C_ZERO;
		return;
	}
	u->cls = C_FIN;
	if (exp == 0) { /* subnormal: no hidden bit, exponent of emin */
		u->sig = frac;
		u->e = 1 - f->bias - f->mbits;
	} else {
		u->sig = frac | 1ull << f->mbits;
		u->e = (int)exp - f->bias - f->mbits;
	}
}

static bool is_nan(const struct unp *u)
{
	return u->cls == C_QNAN || u->cls == C_SNAN;
}

static int bitlen(u128 x)
{
	uint64_t hi = (uint64_t)(x >> 64);

	if (hi)
		return 128 - __builtin_clzll(hi);
	uint64_t lo = (uint64_t)x;
	return lo ? 64 - __builtin_clzll(lo) : 0;
}

/*
 * Shifts the exact value (sig + f) right by shift > 0 bits, where f is in
 * (0, 1) when sticky is set and 0 otherwise, rounding per rm. Sets *inexact.
 */
static u128 shift_round(u128 sig, int shift, bool sticky, bool sign, int rm,
			bool *inexact)
{
	u128 q, rem, half;
	bool above, tie;

	assert(shift > 0);
	if (shift > 128) {
		q = 0;
		above = false;
		tie = false;
		rem = sig;
	} else {
		half = (u128)1 << (shift - 1);
		q = shift == 128 ? 0 : sig >> shift;
		rem = shift == 128 ? sig : sig & (((u128)1 << shift) - 1);
		above = rem > half || (rem == half && sticky);
		tie = rem == half && !sticky;
	}
	*inexact = rem != 0 || sticky;
	bool inc;
	switch (rm) {
	case FPU_RNE: inc = above || (tie && (q & 1)); break;
	case FPU_RMM: inc = above || tie; break;
	case FPU_RDN: inc = *inexact && sign; break;
	case FPU_RUP: inc = *inexact && !sign; break;
	default: inc = false; break; /* RTZ */
	}
	return q + inc;
}

/* Largest finite magnitude, for overflow in directed rounding modes. */
static uint64_t fmt_max_finite(const struct fmt *f, bool sign)
{
	return fmt_inf(f, sign) - 1;
}

/*
 * Rounds (-1)^sign * (sig + sticky_fraction) * 2^e (sig != 0) into format f.
 * Tininess is detected after rounding, as RISC-V specifies: the result is
 * tiny when, rounded to the format's precision with an unbounded exponent,
 * it is still below the smallest normal.
 */
static uint64_t round_pack(const struct fmt *f, bool sign, int e, u128 sig,
			   bool sticky, int rm, unsigned *flags)
{
	const int emin = 1 - f->bias;
	const u128 top = (u128)1 << (f->mbits + 1);
	int big_e, lsb, shift;
	bool inexact = false;
	u128 q;

	assert(sig != 0);
	big_e = e + bitlen(sig) - 1; /* value in [2^big_e, 2^(big_e+1)) */
	lsb = (big_e < emin ? emin : big_e) - f->mbits;
	shift = lsb - e;
	if (shift <= 0) {
		assert(!sticky);
		q = sig << -shift;
	} else {
		q = shift_round(sig, shift, sticky, sign, rm, &inexact);
	}
	if (q == top) { /* rounding carried into a new binade */
		q >>= 1;
		lsb++;
	}
	if (inexact)
		*flags |= FPU_NX;
	if (big_e < emin && inexact) {
		bool tiny = true, dummy;
		if (big_e == emin - 1) {
			int ushift = big_e - f->mbits - e;
			u128 uq = ushift <= 0 ? sig << -ushift :
				  shift_round(sig, ushift, sticky, sign, rm, &dummy);
			tiny = uq != top;
		}
		if (tiny)
			*flags |= FPU_UF;
	}
	if (q >> f->mbits == 0) /* subnormal or zero */
		return (sign ? fmt_sign_bit(f) : 0) | (uint64_t)q;
	int res_e = lsb + f->mbits;
	if (res_e > f->bias) {
		*flags |= FPU_OF | FPU_NX;
		bool to_inf = rm == FPU_RNE || rm == FPU_RMM ||
			      (rm == FPU_RDN && sign) || (rm == FPU_RUP && !sign);
		return to_inf ? fmt_inf(f, sign) : fmt_max_finite(f, sign);
	}
	return (sign ? fmt_sign_bit(f) : 0) |
	       (uint64_t)(res_e + f->bias) << f->mbits |
	       ((uint64_t)q & ((1ull << f->mbits) - 1));
}

/*
 * Exact sum of two nonzero finite values, then rounded. Both significands are
 * first normalized to bit 125 so the alignment shift only ever drops bits far
 * below any rounding point; what it drops becomes the sticky fraction.
 */
static uint64_t add_finite(const struct fmt *f, bool sa, int ea, u128 ma,
			   bool sb, int eb, u128 mb, int rm, unsigned *flags)
{
	int na = 125 - (bitlen(ma) - 1), nb = 125 - (bitlen(mb) - 1);
	ma <<= na;
	ea -= na;
	mb <<= nb;
	eb -= nb;
	if (eb > ea || (eb == ea && mb > ma)) { /* make a the larger magnitude */
		bool ts = sa; sa = sb; sb = ts;
		int te = ea; ea = eb; eb = te;
		u128 tm = ma; ma = mb; mb = tm;
	}
	int diff = ea - eb;
	bool sticky = false;
	if (diff >= 128) {
		mb = 0;
		sticky = true;
	} else if (diff > 0) {
		sticky = (mb & (((u128)1 << diff) - 1)) != 0;
		mb >>= diff;
	}
	u128 sum;
	if (sa == sb) {
		sum = ma + mb;
	} else {
		/* a - (mb + frac) == (a - mb - 1) + (1 - frac) */
		sum = ma - mb - (sticky ? 1 : 0);
		if (sum == 0 && !sticky)
			return fmt_zero(f, rm == FPU_RDN);
	}
	return round_pack(f, sa, ea, sum, sticky, rm, flags);
}

static uint64_t nan_result(const struct fmt *f, const struct unp *a,
			   const struct unp *b, unsigned *flags)
{
	if (a->cls == C_SNAN || (b && b->cls == C_SNAN))
		*flags |= FPU_NV;
	return fmt_canon_nan(f);
}

static uint64_t op_add(const struct fmt *f, uint64_t x, uint64_t y, bool negate_y,
		       int rm, unsigned *flags)
{
	struct unp a, b;

	unpack(f, x, &a);
	unpack(f, y, &b);
	if (is_nan(&a) || is_nan(&b))
		return nan_result(f, &a, &b, flags);
	b.sign ^= negate_y;
	if (a.cls == C_INF || b.cls == C_INF) {
		if (a.cls == C_INF && b.cls == C_INF && a.sign != b.sign) {
			*flags |= FPU_NV;
			return fmt_canon_nan(f);
		}
		return fmt_inf(f, a.cls == C_INF ? a.sign : b.sign);
	}
	if (a.cls == C_ZERO && b.cls == C_ZERO)
		return fmt_zero(f, a.sign == b.sign ? a.sign : rm == FPU_RDN);
	if (a.cls == C_ZERO)
		return round_pack(f, b.sign, b.e, b.sig, false, rm, flags);
	if (b.cls == C_ZERO)
		return round_pack(f, a.sign, a.e, a.sig, false, rm, flags);
	return add_finite(f, a.sign, a.e, a.sig, b.sign, b.e, b.sig, rm, flags);
}

static uint64_t op_mul(const struct fmt *f, uint64_t x, uint64_t y, int rm,
		       unsigned *flags)
{
	struct unp a, b;

	unpack(f, x, &a);
	unpack(f, y, &b);
	if (is_nan(&a) || is_nan(&b))
		return nan_result(f, &a, &b, flags);
	bool sign = a.sign ^ b.sign;
	if (a.cls == C_INF || b.cls == C_INF) {
		if (a.cls == C_ZERO || b.cls == C_ZERO) {
			*flags |= FPU_NV;
			return fmt_canon_nan(f);
		}
		return fmt_inf(f, sign);
	}
	if (a.cls == C_ZERO || b.cls == C_ZERO)
		return fmt_zero(f, sign);
	return round_pack(f, sign, a.e + b.e, a.sig * b.sig, false, rm, flags);
}

/* Shifts a nonzero significand so its leading one is at bit `pos`. */
static void normalize_to(struct unp *u, int pos)
{
	int n = pos - (bitlen(u->sig) - 1);
	u->sig <<= n;
	u->e -= n;
}

static uint64_t op_div(const struct fmt *f, uint64_t x, uint64_t y, int rm,
		       unsigned *flags)
{
	struct unp a, b;

	unpack(f, x, &a);
	unpack(f, y, &b);
	if (is_nan(&a) || is_nan(&b))
		return nan_result(f, &a, &b, flags);
	bool sign = a.sign ^ b.sign;
	if (a.cls == C_INF) {
		if (b.cls == C_INF) {
			*flags |= FPU_NV;
			return fmt_canon_nan(f);
		}
		return fmt_inf(f, sign);
	}
	if (b.cls == C_INF)
		return fmt_zero(f, sign);
	if (b.cls == C_ZERO) {
		if (a.cls == C_ZERO) {
			*flags |= FPU_NV;
			return fmt_canon_nan(f);
		}
		*flags |= FPU_DZ;
		return fmt_inf(f, sign);
	}
	if (a.cls == C_ZERO)
		return fmt_zero(f, sign);
	/* 53-bit significands; the quotient of (a << 64) / b has >= 63 bits. */
	normalize_to(&a, 52);
	normalize_to(&b, 52);
	u128 num = a.sig << 64;
	u128 q = num / b.sig;
	bool sticky = num % b.sig != 0;
	return round_pack(f, sign, a.e - 64 - b.e, q, sticky, rm, flags);
}

static u128 isqrt128(u128 n, bool *exact)
{
	u128 root = 0, bit = (u128)1 << 126;

	while (bit > n)
		bit >>= 2;
	while (bit) {
		if (n >= root + bit) {
			n -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	*exact = n == 0;
	return root;
}

static uint64_t op_sqrt(const struct fmt *f, uint64_t x, int rm, unsigned *flags)
{
	struct unp a;

	unpack(f, x, &a);
	if (is_nan(&a))
		return nan_result(f, &a, NULL, flags);
	if (a.cls == C_ZERO)
		return x;
	if (a.sign) {
		*flags |= FPU_NV;
		return fmt_canon_nan(f);
	}
	if (a.cls == C_INF)
		return x;
	/* Even exponent, then ~126-bit radicand: a 63-bit root plus sticky. */
	normalize_to(&a, 52);
	if (a.e & 1) {
		a.sig <<= 1;
		a.e -= 1;
	}
	a.sig <<= 72;
	a.e -= 72;
	bool exact;
	u128 r = isqrt128(a.sig, &exact);
	return round_pack(f, false, a.e / 2, r, !exact, rm, flags);
}

static uint64_t op_fma(const struct fmt *f, uint64_t x, uint64_t y, uint64_t z,
		       bool neg_prod, bool neg_add, int rm, unsigned *flags)
{
	struct unp a, b, c;

	unpack(f, x, &a);
	unpack(f, y, &b);
	unpack(f, z, &c);
	/* RISC-V: inf * 0 is invalid even when the addend is a quiet NaN. */
	if ((a.cls == C_INF && b.cls == C_ZERO) || (a.cls == C_ZERO && b.cls == C_INF)) {
		*flags |= FPU_NV;
		return fmt_canon_nan(f);
	}
	if (is_nan(&a) || is_nan(&b) || is_nan(&c)) {
		if (a.cls == C_SNAN || b.cls == C_SNAN || c.cls == C_SNAN)
			*flags |= FPU_NV;
		return fmt_canon_nan(f);
	}
	bool ps = a.sign ^ b.sign ^ neg_prod;
	c.sign ^= neg_add;
	if (a.cls == C_INF || b.cls == C_INF) {
		if (c.cls == C_INF && c.sign != ps) {
			*flags |= FPU_NV;
			return fmt_canon_nan(f);
		}
		return fmt_inf(f, ps);
	}
	if (c.cls == C_INF)
		return fmt_inf(f, c.sign);
	bool pzero = a.cls == C_ZERO || b.cls == C_ZERO;
	if (pzero && c.cls == C_ZERO)
		return fmt_zero(f, ps == c.sign ? ps : rm == FPU_RDN);
	if (pzero)
		return round_pack(f, c.sign, c.e, c.sig, false, rm, flags);
	if (c.cls == C_ZERO)
		return round_pack(f, ps, a.e + b.e, a.sig * b.sig, false, rm, flags);
	return add_finite(f, ps, a.e + b.e, a.sig * b.sig, c.sign, c.e, c.sig, rm,
			  flags);
}

/* FMIN/FMAX per the 2.2 spec (IEEE 754-2019 minimumNumber/maximumNumber). */
static bool less_total(const struct unp *a, uint64_t x, const struct unp *b,
		       uint64_t y, const struct fmt *f);

static uint64_t op_minmax(const struct fmt *f, uint64_t x, uint64_t y, bool max,
			  unsigned *flags)
{
	struct unp a, b;

	unpack(f, x, &a);
	unpack(f, y, &b);
	if (a.cls == C_SNAN || b.cls == C_SNAN)
		*flags |= FPU_NV;
	if (is_nan(&a) && is_nan(&b))
		return fmt_canon_nan(f);
	if (is_nan(&a))
		return y;
	if (is_nan(&b))
		return x;
	bool a_less = less_total(&a, x, &b, y, f);
	return (a_less != max) ? x : y;
}

/*
 * Ordering of two non-NaN values where -0 < +0 (what FMIN/FMAX need). For
 * the comparisons FLT/FLE, zeros are equal; see cmp_lt.
 */
static bool less_total(const struct unp *a, uint64_t x, const struct unp *b,
		       uint64_t y, const struct fmt *f)
{
	uint64_t mag_mask = fmt_sign_bit(f) - 1;
	uint64_t mx = x & mag_mask, my = y & mag_mask;

	if (a->sign != b->sign)
		return a->sign;
	return a->sign ? mx > my : mx < my;
}

/* a < b (or <=) for non-NaN values, +0 == -0. */
static bool cmp_lt(const struct fmt *f, uint64_t x, uint64_t y, bool or_equal)
{
	uint64_t mag_mask = fmt_sign_bit(f) - 1;
	uint64_t mx = x & mag_mask, my = y & mag_mask;
	bool sx = (x & fmt_sign_bit(f)) != 0, sy = (y & fmt_sign_bit(f)) != 0;

	if (mx == 0 && my == 0)
		return or_equal;
	if (sx != sy)
		return sx;
	if (mx == my)
		return or_equal;
	return sx ? mx > my : mx < my;
}

static bool op_cmp(const struct fmt *f, uint64_t x, uint64_t y, int kind,
		   unsigned *flags)
{
	struct unp a, b;

	unpack(f, x, &a);
	unpack(f, y, &b);
	if (is_nan(&a) || is_nan(&b)) {
		/* FEQ is quiet; FLT/FLE signal on any NaN. */
		if (kind != 0 || a.cls == C_SNAN || b.cls == C_SNAN)
			*flags |= FPU_NV;
		return false;
	}
	if (kind == 0)
		return cmp_lt(f, x, y, true) && cmp_lt(f, y, x, true);
	return cmp_lt(f, x, y, kind == 2);
}

static unsigned op_class(const struct fmt *f, uint64_t x)
{
	struct unp a;

	unpack(f, x, &a);
	switch (a.cls) {
	case C_SNAN: return 1u << 8;
	case C_QNAN: return 1u << 9;
	case C_INF: return a.sign ? 1u << 0 : 1u << 7;
	case C_ZERO: return a.sign ? 1u << 3 : 1u << 4;
	default: break;
	}
	bool sub = (x >> f->mbits & fmt_emask(f)) == 0;
	if (a.sign)
		return sub ? 1u << 2 : 1u << 1;
	return sub ? 1u << 5 : 1u << 6;
}

/*
 * Float -> integer: round to an integer with rm, then saturate. `bits` is the
 * destination width, `is_signed` its signedness. Out of range and NaN raise
 * NV only; in-range inexact raises NX.
 */
static uint64_t op_to_int(const struct fmt *f, uint64_t x, int rm, int bits,
			  bool is_signed, unsigned *flags)
{
	struct unp a;
	uint64_t maxpos = is_signed ? (1ull << (bits - 1)) - 1 :
			  (bits == 64 ? ~0ull : (1ull << bits) - 1);
	uint64_t minneg_mag = is_signed ? 1ull << (bits - 1) : 0;
	u128 mag = 0;
	bool inexact = false;

	unpack(f, x, &a);
	if (is_nan(&a) || (a.cls == C_INF && !a.sign)) {
		*flags |= FPU_NV;
		return maxpos;
	}
	if (a.cls == C_INF)
		goto neg_overflow;
	if (a.cls == C_FIN) {
		int big_e = a.e + bitlen(a.sig) - 1;
		if (big_e >= 65)
			goto overflow;
		if (a.e >= 0)
			mag = a.sig << a.e;
		else
			mag = shift_round(a.sig, -a.e, false, a.sign, rm, &inexact);
	}
	if (!a.sign) {
		if (mag > maxpos)
			goto overflow;
	} else if (mag > minneg_mag) {
		goto neg_overflow;
	}
	if (inexact)
		*flags |= FPU_NX;
	return a.sign ? -(uint64_t)mag : (uint64_t)mag;
overflow:
	if (!a.sign) {
		*flags |= FPU_NV;
		return maxpos;
	}
neg_overflow:
	*flags |= FPU_NV;
	return is_signed ? -minneg_mag : 0;
}

static uint64_t op_from_int(const struct fmt *f, bool sign, uint64_t mag, int rm,
			    unsigned *flags)
{
	if (mag == 0)
		return 0;
	return round_pack(f, sign, 0, mag, false, rm, flags);
}

static uint64_t op_convert(const struct fmt *to, const struct fmt *from,
			   uint64_t x, int rm, unsigned *flags)
{
	struct unp a;

	unpack(from, x, &a);
	if (is_nan(&a))
		return nan_result(to, &a, NULL, flags);
	if (a.cls == C_INF)
		return fmt_inf(to, a.sign);
	if (a.cls == C_ZERO)
		return fmt_zero(to, a.sign);
	return round_pack(to, a.sign, a.e, a.sig, false, rm, flags);
}

/* Public interface: thin wrappers binding the format. */

uint32_t fpu_add_s(uint32_t a, uint32_t b, int rm, unsigned *fl) { return (uint32_t)op_add(&F32, a, b, false, rm, fl); }
uint32_t fpu_sub_s(uint32_t a, uint32_t b, int rm, unsigned *fl) { return (uint32_t)op_add(&F32, a, b, true, rm, fl); }
uint32_t fpu_mul_s(uint32_t a, uint32_t b, int rm, unsigned *fl) { return (uint32_t)op_mul(&F32, a, b, rm, fl); }
uint32_t fpu_div_s(uint32_t a, uint32_t b, int rm, unsigned *fl) { return (uint32_t)op_div(&F32, a, b, rm, fl); }
uint32_t fpu_sqrt_s(uint32_t a, int rm, unsigned *fl) { return (uint32_t)op_sqrt(&F32, a, rm, fl); }
uint64_t fpu_add_d(uint64_t a, uint64_t b, int rm, unsigned *fl) { return op_add(&F64, a, b, false, rm, fl); }
uint64_t fpu_sub_d(uint64_t a, uint64_t b, int rm, unsigned *fl) { return op_add(&F64, a, b, true, rm, fl); }
uint64_t fpu_mul_d(uint64_t a, uint64_t b, int rm, unsigned *fl) { return op_mul(&F64, a, b, rm, fl); }
uint64_t fpu_div_d(uint64_t a, uint64_t b, int rm, unsigned *fl) { return op_div(&F64, a, b, rm, fl); }
uint64_t fpu_sqrt_d(uint64_t a, int rm, unsigned *fl) { return op_sqrt(&F64, a, rm, fl); }

uint32_t fpu_fma_s(uint32_t a, uint32_t b, uint32_t c, bool np, bool na, int rm, unsigned *fl)
{
	return (uint32_t)op_fma(&F32, a, b, c, np, na, rm, fl);
}

uint64_t fpu_fma_d(uint64_t a, uint64_t b, uint64_t c, bool np, bool na, int rm, unsigned *fl)
{
	return op_fma(&F64, a, b, c, np, na, rm, fl);
}

uint32_t fpu_min_s(uint32_t a, uint32_t b, unsigned *fl) { return (uint32_t)op_minmax(&F32, a, b, false, fl); }
uint32_t fpu_max_s(uint32_t a, uint32_t b, unsigned *fl) { return (uint32_t)op_minmax(&F32, a, b, true, fl); }
uint64_t fpu_min_d(uint64_t a, uint64_t b, unsigned *fl) { return op_minmax(&F64, a, b, false, fl); }
uint64_t fpu_max_d(uint64_t a, uint64_t b, unsigned *fl) { return op_minmax(&F64, a, b, true, fl); }

bool fpu_eq_s(uint32_t a, uint32_t b, unsigned *fl) { return op_cmp(&F32, a, b, 0, fl); }
bool fpu_lt_s(uint32_t a, uint32_t b, unsigned *fl) { return op_cmp(&F32, a, b, 1, fl); }
bool fpu_le_s(uint32_t a, uint32_t b, unsigned *fl) { return op_cmp(&F32, a, b, 2, fl); }
bool fpu_eq_d(uint64_t a, uint64_t b, unsigned *fl) { return op_cmp(&F64, a, b, 0, fl); }
bool fpu_lt_d(uint64_t a, uint64_t b, unsigned *fl) { return op_cmp(&F64, a, b, 1, fl); }
bool fpu_le_d(uint64_t a, uint64_t b, unsigned *fl) { return op_cmp(&F64, a, b, 2, fl); }

unsigned fpu_class_s(uint32_t a) { return op_class(&F32, a); }
unsigned fpu_class_d(uint64_t a) { return op_class(&F64, a); }

uint64_t fpu_cvt_d_s(uint32_t a, unsigned *fl) { return op_convert(&F64, &F32, a, FPU_RNE, fl); }
uint32_t fpu_cvt_s_d(uint64_t a, int rm, unsigned *fl) { return (uint32_t)op_convert(&F32, &F64, a, rm, fl); }

/* 32-bit results are sign-extended to 64 bits, as FCVT.W[U] write rd. */
int64_t fpu_cvt_w_s(uint32_t a, int rm, unsigned *fl) { return (int32_t)op_to_int(&F32, a, rm, 32, true, fl); }
int64_t fpu_cvt_wu_s(uint32_t a, int rm, unsigned *fl) { return (int32_t)op_to_int(&F32, a, rm, 32, false, fl); }
int64_t fpu_cvt_l_s(uint32_t a, int rm, unsigned *fl) { return (int64_t)op_to_int(&F32, a, rm, 64, true, fl); }
uint64_t fpu_cvt_lu_s(uint32_t a, int rm, unsigned *fl) { return op_to_int(&F32, a, rm, 64, false, fl); }
int64_t fpu_cvt_w_d(uint64_t a, int rm, unsigned *fl) { return (int32_t)op_to_int(&F64, a, rm, 32, true, fl); }
int64_t fpu_cvt_wu_d(uint64_t a, int rm, unsigned *fl) { return (int32_t)op_to_int(&F64, a, rm, 32, false, fl); }
int64_t fpu_cvt_l_d(uint64_t a, int rm, unsigned *fl) { return (int64_t)op_to_int(&F64, a, rm, 64, true, fl); }
uint64_t fpu_cvt_lu_d(uint64_t a, int rm, unsigned *fl) { return op_to_int(&F64, a, rm, 64, false, fl); }

static uint64_t abs64(int64_t v) { return v < 0 ? -(uint64_t)v : (uint64_t)v; }

uint32_t fpu_cvt_s_w(int32_t a, int rm, unsigned *fl) { return (uint32_t)op_from_int(&F32, a < 0, abs64(a), rm, fl); }
uint32_t fpu_cvt_s_wu(uint32_t a, int rm, unsigned *fl) { return (uint32_t)op_from_int(&F32, false, a, rm, fl); }
uint32_t fpu_cvt_s_l(int64_t a, int rm, unsigned *fl) { return (uint32_t)op_from_int(&F32, a < 0, abs64(a), rm, fl); }
uint32_t fpu_cvt_s_lu(uint64_t a, int rm, unsigned *fl) { return (uint32_t)op_from_int(&F32, false, a, rm, fl); }
uint64_t fpu_cvt_d_w(int32_t a, int rm, unsigned *fl) { return op_from_int(&F64, a < 0, abs64(a), rm, fl); }
uint64_t fpu_cvt_d_wu(uint32_t a, int rm, unsigned *fl) { return op_from_int(&F64, false, a, rm, fl); }
uint64_t fpu_cvt_d_l(int64_t a, int rm, unsigned *fl) { return op_from_int(&F64, a < 0, abs64(a), rm, fl); }
uint64_t fpu_cvt_d_lu(uint64_t a, int rm, unsigned *fl) { return op_from_int(&F64, false, a, rm, fl); }
