/* fpu_fast.c: whether the host FPU is fit for the fast path (fpu_fast.h). */
#include "core/fpu_fast.h"

#include <fenv.h>

/*
 * The fast path relies on round-to-nearest-even and on gradual underflow:
 * its error terms (Fast2Sum, TwoProduct) may be subnormal, and a host that
 * flushes them to zero (x86 MXCSR.FTZ, Arm FPCR.FZ) or reads subnormal
 * operands as zero (MXCSR.DAZ) would call inexact results exact. The
 * operands are volatile so the compiler computes these at run time in the
 * thread's current FP environment instead of folding them.
 */
bool fpu_fast_host_ok(void)
{
	volatile double tiny = 0x1p-1022, half = 0.5, sub = 0x1p-1074, one = 1.0;
	volatile double third = 1.0 / 3.0, three = 3.0;
	volatile float tiny_s = 0x1p-126f, half_s = 0.5f;

	if (fegetround() != FE_TONEAREST)
		return false;
	if (tiny * half != 0x1p-1023 || sub * one != 0x1p-1074)
		return false;
	if (tiny_s * half_s != 0x1p-127f)
		return false;
	/* 3 * RN(1/3) = 1 - 2^-54 exactly; RNE gives 1 (a tie, to even). */
	return third * three == 1.0;
}
