/* fpu.h: IEEE 754 binary32/binary64 arithmetic exactly as RISC-V F/D specify. */
#ifndef RRV_CORE_FPU_H
#define RRV_CORE_FPU_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Every operation takes raw bit patterns (uint32_t for binary32, uint64_t for
 * binary64), a *resolved* rounding mode (never FPU_DYN: the executor replaces
 * DYN by frm and traps on invalid modes before calling), and ORs the IEEE
 * exception flags it raises into *flags (fflags bit layout). Results follow the
 * RISC-V rules: NaN results are the canonical NaN (0x7fc00000 /
 * 0x7ff8000000000000), tininess is detected after rounding, FMIN/FMAX follow
 * the 2.2 spec (minimumNumber: one NaN input gives the other operand, -0 < +0,
 * signaling NaN raises NV), conversions to integer saturate and raise NV.
 *
 * No global state: callable from any hart thread at once. Deterministic
 * bit-for-bit on every host (replay relies on it).
 */

enum fpu_rm {
	FPU_RNE = 0, /* to nearest, ties to even */
	FPU_RTZ = 1, /* toward zero */
	FPU_RDN = 2, /* down (toward -inf) */
	FPU_RUP = 3, /* up (toward +inf) */
	FPU_RMM = 4, /* to nearest, ties to max magnitude */
	FPU_DYN = 7, /* instruction field only: use frm */
};

enum fpu_flag {
	FPU_NX = 1 << 0, /* inexact */
	FPU_UF = 1 << 1, /* underflow */
	FPU_OF = 1 << 2, /* overflow */
	FPU_DZ = 1 << 3, /* divide by zero */
	FPU_NV = 1 << 4, /* invalid */
};

#define FPU_CANON_NAN_S 0x7fc00000u
#define FPU_CANON_NAN_D 0x7ff8000000000000ull

/* Arithmetic. */
uint32_t fpu_add_s(uint32_t a, uint32_t b, int rm, unsigned *flags);
uint32_t fpu_sub_s(uint32_t a, uint32_t b, int rm, unsigned *flags);
uint32_t fpu_mul_s(uint32_t a, uint32_t b, int rm, unsigned *flags);
uint32_t fpu_div_s(uint32_t a, uint32_t b, int rm, unsigned *flags);
uint32_t fpu_sqrt_s(uint32_t a, int rm, unsigned *flags);
uint64_t fpu_add_d(uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t fpu_sub_d(uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t fpu_mul_d(uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t fpu_div_d(uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t fpu_sqrt_d(uint64_t a, int rm, unsigned *flags);

/*
 * Fused multiply-add with a single rounding: (a*b)+c with the product and/or
 * the addend negated as the instruction says. FMADD: neg_prod=0, neg_add=0;
 * FMSUB: 0,1; FNMSUB: 1,0; FNMADD: 1,1. inf*0 raises NV even when c is a quiet
 * NaN (RISC-V, unlike some hosts).
 */
uint32_t fpu_fma_s(uint32_t a, uint32_t b, uint32_t c, bool neg_prod,
		   bool neg_add, int rm, unsigned *flags);
uint64_t fpu_fma_d(uint64_t a, uint64_t b, uint64_t c, bool neg_prod,
		   bool neg_add, int rm, unsigned *flags);

/* FMIN/FMAX (no rounding). */
uint32_t fpu_min_s(uint32_t a, uint32_t b, unsigned *flags);
uint32_t fpu_max_s(uint32_t a, uint32_t b, unsigned *flags);
uint64_t fpu_min_d(uint64_t a, uint64_t b, unsigned *flags);
uint64_t fpu_max_d(uint64_t a, uint64_t b, unsigned *flags);

/* Comparisons: FEQ is quiet (NV only for sNaN), FLT/FLE signal on any NaN. */
bool fpu_eq_s(uint32_t a, uint32_t b, unsigned *flags);
bool fpu_lt_s(uint32_t a, uint32_t b, unsigned *flags);
bool fpu_le_s(uint32_t a, uint32_t b, unsigned *flags);
bool fpu_eq_d(uint64_t a, uint64_t b, unsigned *flags);
bool fpu_lt_d(uint64_t a, uint64_t b, unsigned *flags);
bool fpu_le_d(uint64_t a, uint64_t b, unsigned *flags);

/* FCLASS: the one-hot 10-bit mask of the spec. */
unsigned fpu_class_s(uint32_t a);
unsigned fpu_class_d(uint64_t a);

/* Conversions between formats. */
uint64_t fpu_cvt_d_s(uint32_t a, unsigned *flags);          /* exact */
uint32_t fpu_cvt_s_d(uint64_t a, int rm, unsigned *flags);

/*
 * Float -> integer, saturating: NaN and +overflow give the maximum, -overflow
 * the minimum (0 for unsigned), all with NV; in-range inexact gives NX.
 * 32-bit results are returned sign-extended to 64 bits as FCVT.W[U] writes rd.
 */
int64_t  fpu_cvt_w_s(uint32_t a, int rm, unsigned *flags);
int64_t  fpu_cvt_wu_s(uint32_t a, int rm, unsigned *flags);
int64_t  fpu_cvt_l_s(uint32_t a, int rm, unsigned *flags);
uint64_t fpu_cvt_lu_s(uint32_t a, int rm, unsigned *flags);
int64_t  fpu_cvt_w_d(uint64_t a, int rm, unsigned *flags);
int64_t  fpu_cvt_wu_d(uint64_t a, int rm, unsigned *flags);
int64_t  fpu_cvt_l_d(uint64_t a, int rm, unsigned *flags);
uint64_t fpu_cvt_lu_d(uint64_t a, int rm, unsigned *flags);

/* Integer -> float. */
uint32_t fpu_cvt_s_w(int32_t a, int rm, unsigned *flags);
uint32_t fpu_cvt_s_wu(uint32_t a, int rm, unsigned *flags);
uint32_t fpu_cvt_s_l(int64_t a, int rm, unsigned *flags);
uint32_t fpu_cvt_s_lu(uint64_t a, int rm, unsigned *flags);
uint64_t fpu_cvt_d_w(int32_t a, int rm, unsigned *flags);
uint64_t fpu_cvt_d_wu(uint32_t a, int rm, unsigned *flags);
uint64_t fpu_cvt_d_l(int64_t a, int rm, unsigned *flags);
uint64_t fpu_cvt_d_lu(uint64_t a, int rm, unsigned *flags);

#endif /* RRV_CORE_FPU_H */
