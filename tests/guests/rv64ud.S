/* rv64ud.S: double-precision D: rounding modes, fflags, FMA, min/max, compares, fclass, conversions (incl. S<->D), moves, loads/stores. */
#include "fp_macros.h"

#define ONE    0x3ff0000000000000
#define NONE   0xbff0000000000000
#define TWO    0x4000000000000000
#define THREE  0x4008000000000000
#define HALF   0x3fe0000000000000
#define P2M53  0x3ca0000000000000      /* half an ulp of 1.0 */
#define P3M54  0x3ca8000000000000      /* 1.5 * 2^-53 */
#define MAXD   0x7fefffffffffffff
#define NMAXD  0xffefffffffffffff
#define MINN   0x0010000000000000
#define MINS   0x0000000000000001
#define INF    0x7ff0000000000000
#define NINF   0xfff0000000000000
#define QNAN   0x7ff8000000000000
#define SNAN   0x7ff0000000000001
#define NZERO  0x8000000000000000

	.text
	.globl	main
main:
	TRAP_INSTALL

	/* ---- exact arithmetic ---- */
	TEST_F2(D, fadd.d, THREE, 0, ONE, TWO)
	TEST_F2(D, fsub.d, NONE, 0, ONE, TWO)
	TEST_F2(D, fmul.d, 0x4018000000000000, 0, TWO, THREE)
	TEST_F2(D, fdiv.d, 0x3ff8000000000000, 0, THREE, TWO)
	TEST_F1(D, fsqrt.d, THREE, 0, 0x4022000000000000)
	TEST_F2(D, fadd.d, 0, 0, ONE, NONE)
	TEST_F2(D, fadd.d, NZERO, 0, ONE, NONE, , rdn)
	TEST_F2(D, fadd.d, NZERO, 0, NZERO, NZERO)
	TEST_F2(D, fadd.d, NZERO, 0, 0, NZERO, , rdn)
	TEST_F2(D, fmul.d, 0x0008000000000000, 0, MINN, HALF)
	TEST_F1(D, fsqrt.d, NZERO, 0, NZERO)

	/* ---- rounding modes ---- */
	TEST_F2_RM(D, fadd.d, ONE, ONE, ONE, 0x3ff0000000000001, 0x3ff0000000000001, NX, ONE, P2M53)
	TEST_F2_DYN(D, fadd.d, ONE, ONE, ONE, 0x3ff0000000000001, 0x3ff0000000000001, NX, ONE, P2M53)
	TEST_F2_RM(D, fadd.d, 0x3ff0000000000001, ONE, ONE, 0x3ff0000000000001, 0x3ff0000000000001, NX, ONE, P3M54)
	TEST_F2_RM(D, fadd.d, 0x3ff0000000000002, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, 0x3ff0000000000002, NX, 0x3ff0000000000001, P2M53)
	TEST_F2_RM(D, fsub.d, NONE, NONE, 0xbff0000000000001, NONE, 0xbff0000000000001, NX, NONE, P2M53)
	TEST_F2_RM(D, fdiv.d, 0x3fd5555555555555, 0x3fd5555555555555, 0x3fd5555555555555, 0x3fd5555555555556, 0x3fd5555555555555, NX, ONE, THREE)
	TEST_F2_DYN(D, fdiv.d, 0xbfd5555555555555, 0xbfd5555555555555, 0xbfd5555555555556, 0xbfd5555555555555, 0xbfd5555555555555, NX, NONE, THREE)
	TEST_F2_RM(D, fmul.d, 0x3ff0000000000002, 0x3ff0000000000002, 0x3ff0000000000002, 0x3ff0000000000003, 0x3ff0000000000002, NX, 0x3ff0000000000001, 0x3ff0000000000001)
	TEST_F1(D, fsqrt.d, 0x3ff6a09e667f3bcd, NX, TWO, , rne)
	TEST_F1(D, fsqrt.d, 0x3ff6a09e667f3bcc, NX, TWO, , rtz)
	TEST_F1(D, fsqrt.d, 0x3ff6a09e667f3bcc, NX, TWO, , rdn)
	TEST_F1(D, fsqrt.d, 0x3ff6a09e667f3bcd, NX, TWO, , rup)
	TEST_F1(D, fsqrt.d, 0x3ff6a09e667f3bcd, NX, TWO, , rmm)

	/* ---- overflow / underflow ---- */
	TEST_F2_RM(D, fadd.d, INF, MAXD, MAXD, INF, INF, OF | NX, MAXD, MAXD)
	TEST_F2_RM(D, fmul.d, NINF, NMAXD, NINF, NMAXD, NINF, OF | NX, MAXD, 0xc000000000000000)
	TEST_F2_RM(D, fmul.d, 0, 0, 0, MINS, MINS, UF | NX, MINS, HALF)
	TEST_F2_RM(D, fmul.d, NZERO, NZERO, 0x8000000000000001, NZERO, 0x8000000000000001, UF | NX, 0x8000000000000001, HALF)
	TEST_F2_RM(D, fmul.d, 2, 1, 1, 2, 2, UF | NX, 3, HALF)
	TEST_F2(D, fsub.d, MINS, 0, 0x0010000000000001, MINN)

	/* ---- divide by zero, invalid, NaN operands ---- */
	TEST_F2(D, fdiv.d, INF, DZ, ONE, 0)
	TEST_F2(D, fdiv.d, NINF, DZ, ONE, NZERO)
	TEST_F2(D, fdiv.d, QNAN, NV, 0, 0)
	TEST_F2(D, fdiv.d, QNAN, NV, NINF, INF)
	TEST_F2(D, fsub.d, QNAN, NV, INF, INF)
	TEST_F2(D, fmul.d, QNAN, NV, 0, NINF)
	TEST_F1(D, fsqrt.d, QNAN, NV, NONE)
	TEST_F2(D, fadd.d, QNAN, 0, 0x7ff8000000012345, ONE)
	TEST_F2(D, fadd.d, QNAN, NV, SNAN, ONE)
	TEST_F2(D, fdiv.d, QNAN, NV, ONE, 0xfff0000000000123)

	/* ---- FMA: one rounding ---- */
	TEST_F3(D, fmadd.d, 0x3c90000000000000, 0, 0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000)
	TEST_F3(D, fmsub.d, 0x3c90000000000000, 0, 0x3ff0000002000000, 0x3ff0000002000000, 0x3ff0000004000000)
	TEST_F3(D, fnmsub.d, 0xbc90000000000000, 0, 0x3ff0000002000000, 0x3ff0000002000000, 0x3ff0000004000000)
	TEST_F3(D, fnmadd.d, 0xbc90000000000000, 0, 0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000)
	TEST_F3(D, fmadd.d, 0x401c000000000000, 0, TWO, THREE, ONE)
	TEST_F3(D, fnmadd.d, 0xc01c000000000000, 0, TWO, THREE, ONE)
	TEST_F3(D, fmsub.d, 0x4014000000000000, 0, TWO, THREE, ONE)
	TEST_F3(D, fnmsub.d, 0xc014000000000000, 0, TWO, THREE, ONE)
	TEST_F3(D, fmadd.d, 0x3ff0000000000001, NX, ONE, ONE, P2M53, , rup)
	TEST_F3(D, fmadd.d, ONE, NX, ONE, ONE, P2M53, , rtz)
	TEST_F3(D, fmadd.d, QNAN, NV, 0, INF, QNAN)
	TEST_F3(D, fmadd.d, QNAN, NV, SNAN, ONE, ONE)
	TEST_F3(D, fmadd.d, NZERO, 0, ONE, ONE, NONE, , rdn)

	/* ---- min / max ---- */
	TEST_F2(D, fmin.d, ONE, 0, ONE, TWO)
	TEST_F2(D, fmax.d, TWO, 0, ONE, TWO)
	TEST_F2(D, fmin.d, NZERO, 0, 0, NZERO)
	TEST_F2(D, fmax.d, 0, 0, NZERO, 0)
	TEST_F2(D, fmin.d, ONE, 0, QNAN, ONE)
	TEST_F2(D, fmax.d, ONE, NV, SNAN, ONE)
	TEST_F2(D, fmin.d, QNAN, 0, 0xfff8000000000001, 0x7ff8000000000002)
	TEST_F2(D, fmax.d, QNAN, NV, SNAN, QNAN)
	TEST_F2(D, fmin.d, NINF, 0, NINF, NMAXD)

	/* ---- compares ---- */
	TEST_FCMP(D, feq.d, 1, 0, ONE, ONE)
	TEST_FCMP(D, feq.d, 1, 0, NZERO, 0)
	TEST_FCMP(D, feq.d, 0, 0, QNAN, ONE)
	TEST_FCMP(D, feq.d, 0, NV, ONE, SNAN)
	TEST_FCMP(D, flt.d, 1, 0, NONE, ONE)
	TEST_FCMP(D, flt.d, 0, 0, ONE, ONE)
	TEST_FCMP(D, flt.d, 0, NV, QNAN, ONE)
	TEST_FCMP(D, fle.d, 1, 0, ONE, ONE)
	TEST_FCMP(D, fle.d, 0, 0, TWO, ONE)
	TEST_FCMP(D, fle.d, 0, NV, QNAN, QNAN)
	TEST_FCMP(D, fle.d, 1, 0, NINF, NINF)

	/* ---- fclass ---- */
	TEST_FTOI(D, fclass.d, 1 << 0, 0, NINF)
	TEST_FTOI(D, fclass.d, 1 << 1, 0, NONE)
	TEST_FTOI(D, fclass.d, 1 << 2, 0, 0x800fffffffffffff)
	TEST_FTOI(D, fclass.d, 1 << 3, 0, NZERO)
	TEST_FTOI(D, fclass.d, 1 << 4, 0, 0)
	TEST_FTOI(D, fclass.d, 1 << 5, 0, MINS)
	TEST_FTOI(D, fclass.d, 1 << 6, 0, MINN)
	TEST_FTOI(D, fclass.d, 1 << 7, 0, INF)
	TEST_FTOI(D, fclass.d, 1 << 8, 0, 0x7ff4000000000000)
	TEST_FTOI(D, fclass.d, 1 << 9, 0, QNAN)

	/* ---- double -> integer ---- */
	TEST_FTOI(D, fcvt.w.d, 2, NX, 0x3ff8000000000000, , rne)
	TEST_FTOI(D, fcvt.w.d, 2, NX, 0x4004000000000000, , rne)
	TEST_FTOI(D, fcvt.w.d, 3, NX, 0x4004000000000000, , rmm)
	TEST_FTOI(D, fcvt.w.d, 2, NX, 0x4004000000000000, , rtz)
	TEST_FTOI(D, fcvt.w.d, 2, NX, 0x4004000000000000, , rdn)
	TEST_FTOI(D, fcvt.w.d, 3, NX, 0x4004000000000000, , rup)
	TEST_FTOI(D, fcvt.w.d, -3, NX, 0xc004000000000000, , rdn)
	TEST_FTOI(D, fcvt.w.d, -2, NX, 0xc004000000000000, , rup)
	TEST_FTOI(D, fcvt.w.d, 0x7fffffff, 0, 0x41dfffffffc00000, , rtz)
	TEST_FTOI(D, fcvt.w.d, 0x7fffffff, NV, 0x41e0000000000000, , rtz)
	TEST_FTOI(D, fcvt.w.d, 0xffffffff80000000, NX, 0xc1e0000000100000, , rtz)  /* -2^31 - 0.5 */
	TEST_FTOI(D, fcvt.w.d, 0xffffffff80000000, NV, 0xc1e0000000200000, , rtz)  /* -2^31 - 1 */
	TEST_FTOI(D, fcvt.w.d, 0x7fffffff, NV, QNAN, , rtz)
	TEST_FTOI(D, fcvt.w.d, 0x7fffffff, NV, INF, , rtz)
	TEST_FTOI(D, fcvt.w.d, 0xffffffff80000000, NV, NINF, , rtz)
	TEST_FTOI(D, fcvt.wu.d, 0xffffffffee6b2800, 0, 0x41edcd6500000000, , rtz)
	TEST_FTOI(D, fcvt.wu.d, 0xffffffffffffffff, NV, 0x41f0000000000000, , rtz)
	TEST_FTOI(D, fcvt.wu.d, 0, NV, NONE, , rtz)
	TEST_FTOI(D, fcvt.wu.d, 0, NX, 0xbfe0000000000000, , rtz)
	TEST_FTOI(D, fcvt.wu.d, 0xffffffffffffffff, NV, SNAN, , rtz)
	TEST_FTOI(D, fcvt.l.d, 0x7fffffffffffffff, NV, 0x43e0000000000000, , rtz)
	TEST_FTOI(D, fcvt.l.d, 0x8000000000000000, 0, 0xc3e0000000000000, , rtz)
	TEST_FTOI(D, fcvt.l.d, 0x7fffffffffffffff, NV, QNAN, , rtz)
	TEST_FTOI(D, fcvt.l.d, 0x8000000000000000, NV, NINF, , rtz)
	TEST_FTOI(D, fcvt.l.d, 0x0020000000000002, 0, 0x4340000000000001, , rtz)
	TEST_FTOI(D, fcvt.l.d, -1, NX, 0xbfe0000000000000, , rdn)
	TEST_FTOI(D, fcvt.lu.d, 0xffffffffffffffff, NV, 0x43f0000000000000, , rtz)
	TEST_FTOI(D, fcvt.lu.d, 0x8000000000000000, 0, 0x43e0000000000000, , rtz)
	TEST_FTOI(D, fcvt.lu.d, 0, NV, NONE, , rtz)
	TEST_FTOI(D, fcvt.lu.d, 0xffffffffffffffff, NV, QNAN, , rtz)
	TEST_FTOI(D, fcvt.lu.d, 2, NX, 0x3ff8000000000000, , rmm)

	/* ---- integer -> double ---- */
	TEST_ITOF(D, fcvt.d.w, 0x41dfffffffc00000, 0, 0x7fffffff)
	TEST_ITOF(D, fcvt.d.w, 0xc1e0000000000000, 0, 0x80000000)
	TEST_ITOF(D, fcvt.d.w, ONE, 0, 0x1234567800000001)
	TEST_ITOF(D, fcvt.d.wu, 0x41efffffffe00000, 0, 0xffffffff)
	TEST_ITOF(D, fcvt.d.wu, ONE, 0, 0xffffffff00000001)
	TEST_ITOF(D, fcvt.d.l, 0x4340000000000000, NX, 0x20000000000001, , rne)
	TEST_ITOF(D, fcvt.d.l, 0x4340000000000001, NX, 0x20000000000001, , rup)
	TEST_ITOF(D, fcvt.d.l, 0x4340000000000000, NX, 0x20000000000001, , rdn)
	TEST_ITOF(D, fcvt.d.l, 0x4340000000000001, NX, 0x20000000000001, , rmm)
	TEST_ITOF(D, fcvt.d.l, 0xc3e0000000000000, 0, 0x8000000000000000, , rne)
	TEST_ITOF(D, fcvt.d.l, NONE, 0, -1, , rne)
	TEST_ITOF(D, fcvt.d.lu, 0x43f0000000000000, NX, 0xffffffffffffffff, , rne)
	TEST_ITOF(D, fcvt.d.lu, 0x43efffffffffffff, NX, 0xffffffffffffffff, , rtz)

	/* ---- double <-> single ---- */
#define TEST_D2S(want, flags, v, rm...)                                   \
	TCASE;                                                            \
	csrwi	fflags, 0;                                                \
	FP_LOAD(D, fa1, a1, v);                                           \
	fcvt.s.d fa3, fa1 rm;                                             \
	fmv.x.d	a3, fa3;                                                  \
	CHECK(a3, 0xffffffff00000000 | want);                             \
	FLAGS_ARE(flags)
#define TEST_S2D(want, flags, v)                                          \
	TCASE;                                                            \
	csrwi	fflags, 0;                                                \
	FP_LOAD(S, fa1, a1, v);                                           \
	fcvt.d.s fa3, fa1;                                                \
	FP_RESULT(D, fa3, want);                                          \
	FLAGS_ARE(flags)
	TEST_D2S(0x3fc00000, 0, 0x3ff8000000000000)
	TEST_D2S(0x3eaaaaab, NX, 0x3fd5555555555555, , rne)
	TEST_D2S(0x3eaaaaaa, NX, 0x3fd5555555555555, , rtz)
	TEST_D2S(0x7f800000, OF | NX, MAXD, , rne)
	TEST_D2S(0x7f7fffff, OF | NX, MAXD, , rtz)
	TEST_D2S(0xff800000, OF | NX, NMAXD, , rdn)
	TEST_D2S(0x00000000, UF | NX, MINS, , rne)
	TEST_D2S(0x00000001, UF | NX, MINS, , rup)
	TEST_D2S(0x7f800000, 0, INF)
	TEST_D2S(0x80000000, 0, NZERO)
	TEST_D2S(0x7fc00000, 0, 0xfff8000000000123)
	TEST_D2S(0x7fc00000, NV, SNAN)
	TEST_S2D(0x3ff8000000000000, 0, 0x3fc00000)
	TEST_S2D(0x36a0000000000000, 0, 0x00000001)      /* single subnormal is a double normal */
	TEST_S2D(NINF, 0, 0xff800000)
	TEST_S2D(NZERO, 0, 0x80000000)
	TEST_S2D(QNAN, 0, 0x7fc12345)
	TEST_S2D(QNAN, NV, 0x7f800001)
	TCASE                                           /* an unboxed single converts as the canonical NaN */
	csrwi	fflags, 0
	li	a1, 0x000000003f800000
	fmv.d.x	fa1, a1
	fcvt.d.s fa3, fa1
	FP_RESULT(D, fa3, QNAN)
	FLAGS_ARE(0)

	/* ---- sign injection, moves, loads and stores ---- */
	TEST_F2(D, fsgnj.d, NONE, 0, ONE, NONE)
	TEST_F2(D, fsgnjn.d, NONE, 0, ONE, ONE)
	TEST_F2(D, fsgnjx.d, ONE, 0, NONE, NONE)
	TEST_F2(D, fsgnjx.d, NONE, 0, ONE, NONE)
	TEST_F2(D, fsgnj.d, 0xfff0000000000001, 0, SNAN, NONE)
	TEST_F1(D, fabs.d, INF, 0, NINF)
	TEST_F1(D, fneg.d, NZERO, 0, 0)
	TCASE
	li	a1, 0x0123456789abcdef
	fmv.d.x	fa1, a1
	fmv.x.d	a3, fa1
	CHECK(a3, 0x0123456789abcdef)
	TCASE
	la	a1, ddata
	fld	fa1, 0(a1)
	fmv.x.d	a3, fa1
	CHECK(a3, 0x400921fb54442d18)
	fld	fa2, 8(a1)
	fmv.x.d	a3, fa2
	CHECK(a3, SNAN)                                /* loads do not quieten NaNs */
	fsd	fa2, 16(a1)
	ld	a3, 16(a1)
	CHECK(a3, SNAN)
	fsd	fa1, -8(a1)
	fld	fa3, -8(a1)
	feq.d	a3, fa1, fa3
	CHECK(a3, 1)
	TCASE                                           /* fsd of a boxed single stores all 64 bits */
	li	a2, 0x3f800000
	fmv.w.x	fa1, a2
	la	a1, ddata
	fsd	fa1, 16(a1)
	ld	a3, 16(a1)
	CHECK(a3, 0xffffffff3f800000)

	/* ---- invalid rounding modes ---- */
	li	a1, ONE
	fmv.d.x	fa1, a1
	fmv.d.x	fa2, a1
	TEST_TRAP_TVAL(2, 0x02c5d6d3, .word 0x02c5d6d3)    /* fadd.d fa3, fa1, fa2, rm = 5 */
	TEST_TRAP_TVAL(2, 0x02c5e6d3, .word 0x02c5e6d3)    /* rm = 6 */
	csrwi	frm, 7
	TEST_TRAP_TVAL(2, 0x02c5f6d3, fadd.d fa3, fa1, fa2, dyn)
	TEST_TRAP(2, fcvt.s.d fa3, fa1, dyn)
	csrwi	frm, 5
	TEST_TRAP(2, fsqrt.d fa3, fa1, dyn)
	csrwi	frm, 0

	/* ---- FS: a D load makes the state Dirty ---- */
	TCASE
	li	a1, 0x6000
	csrc	mstatus, a1
	li	a1, 0x2000
	csrs	mstatus, a1
	la	a1, ddata
	fld	fa1, 0(a1)
	csrr	a3, mstatus
	srli	a3, a3, 13
	andi	a3, a3, 3
	CHECK(a3, 3)

	TEST_PASS

	.data
	.align	3
	.dword	0
ddata:
	.dword	0x400921fb54442d18, SNAN, 0, 0
