/* rv64uf.S: single-precision F: rounding modes, fflags, FMA, min/max, compares, fclass, conversions, moves, NaN boxing, fcsr, FS. */
#include "fp_macros.h"

#define ONE    0x3f800000
#define NONE   0xbf800000
#define TWO    0x40000000
#define THREE  0x40400000
#define HALF   0x3f000000
#define P2M24  0x33800000      /* 2^-24: half an ulp of 1.0 */
#define P3M25  0x33c00000      /* 1.5 * 2^-24 */
#define MAXF   0x7f7fffff
#define NMAXF  0xff7fffff
#define MINN   0x00800000      /* smallest normal */
#define MINS   0x00000001      /* smallest subnormal */
#define INF    0x7f800000
#define NINF   0xff800000
#define QNAN   0x7fc00000      /* the canonical NaN */
#define SNAN   0x7f800001
#define NZERO  0x80000000

	.text
	.globl	main
main:
	TRAP_INSTALL

	/* ---- exact arithmetic: no flags ---- */
	TEST_F2(S, fadd.s, THREE, 0, ONE, TWO)
	TEST_F2(S, fsub.s, NONE, 0, ONE, TWO)
	TEST_F2(S, fmul.s, 0x40c00000, 0, TWO, THREE)
	TEST_F2(S, fdiv.s, 0x3fc00000, 0, THREE, TWO)
	TEST_F1(S, fsqrt.s, 0x40400000, 0, 0x41100000)     /* sqrt 9 = 3 */
	TEST_F2(S, fadd.s, 0x00000000, 0, ONE, NONE)        /* x - x = +0 ... */
	TEST_F2(S, fadd.s, NZERO, 0, ONE, NONE, , rdn)      /* ... but -0 rounding down */
	TEST_F2(S, fadd.s, NZERO, 0, NZERO, NZERO)
	TEST_F2(S, fadd.s, 0, 0, 0, NZERO)
	TEST_F2(S, fadd.s, NZERO, 0, 0, NZERO, , rdn)
	TEST_F2(S, fmul.s, NZERO, 0, NZERO, ONE)
	TEST_F2(S, fmul.s, 0x00400000, 0, MINN, HALF)       /* exact subnormal: no UF */
	TEST_F1(S, fsqrt.s, NZERO, 0, NZERO)                /* sqrt(-0) = -0 */
	TEST_F1(S, fsqrt.s, INF, 0, INF)

	/* ---- the five rounding modes, static and dynamic ---- */
	/* 1 + 2^-24: a tie between 1 and 1 + ulp */
	TEST_F2_RM(S, fadd.s, ONE, ONE, ONE, 0x3f800001, 0x3f800001, NX, ONE, P2M24)
	TEST_F2_DYN(S, fadd.s, ONE, ONE, ONE, 0x3f800001, 0x3f800001, NX, ONE, P2M24)
	/* 1 + 1.5 * 2^-24: above the tie */
	TEST_F2_RM(S, fadd.s, 0x3f800001, ONE, ONE, 0x3f800001, 0x3f800001, NX, ONE, P3M25)
	/* (1 + ulp) + 2^-24: a tie with an odd lower neighbour */
	TEST_F2_RM(S, fadd.s, 0x3f800002, 0x3f800001, 0x3f800001, 0x3f800002, 0x3f800002, NX, 0x3f800001, P2M24)
	/* negative tie: directions flip */
	TEST_F2_RM(S, fadd.s, NONE, NONE, 0xbf800001, NONE, 0xbf800001, NX, NONE, 0xb3800000)
	TEST_F2_DYN(S, fsub.s, NONE, NONE, 0xbf800001, NONE, 0xbf800001, NX, NONE, P2M24)
	/* 1/3 */
	TEST_F2_RM(S, fdiv.s, 0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa, 0x3eaaaaab, 0x3eaaaaab, NX, ONE, THREE)
	TEST_F2_DYN(S, fdiv.s, 0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa, 0x3eaaaaab, 0x3eaaaaab, NX, ONE, THREE)
	TEST_F2_RM(S, fdiv.s, 0xbeaaaaab, 0xbeaaaaaa, 0xbeaaaaab, 0xbeaaaaaa, 0xbeaaaaab, NX, NONE, THREE)
	/* product rounding: (1 + 2^-23)^2 = 1 + 2^-22 + 2^-46 */
	TEST_F2_RM(S, fmul.s, 0x3f800002, 0x3f800002, 0x3f800002, 0x3f800003, 0x3f800002, NX, 0x3f800001, 0x3f800001)
	/* sqrt 2 */
	TEST_F1(S, fsqrt.s, 0x3fb504f3, NX, TWO, , rne)
	TEST_F1(S, fsqrt.s, 0x3fb504f3, NX, TWO, , rtz)
	TEST_F1(S, fsqrt.s, 0x3fb504f3, NX, TWO, , rdn)
	TEST_F1(S, fsqrt.s, 0x3fb504f4, NX, TWO, , rup)
	TEST_F1(S, fsqrt.s, 0x3fb504f3, NX, TWO, , rmm)

	/* ---- overflow: OF | NX; the result depends on the rounding mode ---- */
	TEST_F2_RM(S, fadd.s, INF, MAXF, MAXF, INF, INF, OF | NX, MAXF, MAXF)
	TEST_F2_RM(S, fadd.s, NINF, NMAXF, NINF, NMAXF, NINF, OF | NX, NMAXF, NMAXF)
	TEST_F2_RM(S, fmul.s, INF, MAXF, MAXF, INF, INF, OF | NX, MAXF, TWO)
	TEST_F2(S, fdiv.s, INF, OF | NX, MAXF, HALF)

	/* ---- underflow: UF | NX when tiny and inexact ---- */
	TEST_F2_RM(S, fmul.s, 0, 0, 0, MINS, MINS, UF | NX, MINS, HALF)
	TEST_F2_RM(S, fmul.s, NZERO, NZERO, 0x80000001, NZERO, 0x80000001, UF | NX, 0x80000001, HALF)
	TEST_F2_RM(S, fmul.s, 0x00000002, 0x00000001, 0x00000001, 0x00000002, 0x00000002, UF | NX, 0x00000003, HALF)
	TEST_F2(S, fdiv.s, 0x00000000, UF | NX, MINS, THREE)
	TEST_F2(S, fsub.s, 0x00000001, 0, 0x00800001, MINN)   /* exact subnormal difference */

	/* ---- divide by zero and invalid ---- */
	TEST_F2(S, fdiv.s, INF, DZ, ONE, 0)
	TEST_F2(S, fdiv.s, NINF, DZ, NONE, 0)
	TEST_F2(S, fdiv.s, NINF, DZ, ONE, NZERO)
	TEST_F2(S, fdiv.s, QNAN, NV, 0, 0)
	TEST_F2(S, fdiv.s, QNAN, NV, INF, INF)
	TEST_F2(S, fdiv.s, 0, 0, ONE, INF)
	TEST_F2(S, fsub.s, QNAN, NV, INF, INF)
	TEST_F2(S, fadd.s, QNAN, NV, INF, NINF)
	TEST_F2(S, fadd.s, INF, 0, INF, INF)
	TEST_F2(S, fmul.s, QNAN, NV, INF, 0)
	TEST_F1(S, fsqrt.s, QNAN, NV, NONE)
	TEST_F1(S, fsqrt.s, QNAN, NV, NINF)
	/* NaN operands: the result is the canonical NaN; signalling ones raise NV */
	TEST_F2(S, fadd.s, QNAN, 0, 0x7fc12345, ONE)
	TEST_F2(S, fadd.s, QNAN, 0, 0xffc00000, ONE)
	TEST_F2(S, fadd.s, QNAN, NV, SNAN, ONE)
	TEST_F2(S, fmul.s, QNAN, NV, ONE, 0xff800123)
	TEST_F1(S, fsqrt.s, QNAN, NV, SNAN)
	TEST_F1(S, fsqrt.s, QNAN, 0, 0x7fd00000)

	/* ---- fused multiply-add: one rounding ---- */
	/* (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 exactly; rounding the product first would give 0 */
	TEST_F3(S, fmadd.s, 0x33800000, 0, 0x3f800800, 0x3f800800, 0xbf801000)
	TEST_F3(S, fmsub.s, 0x33800000, 0, 0x3f800800, 0x3f800800, 0x3f801000)
	TEST_F3(S, fnmsub.s, 0xb3800000, 0, 0x3f800800, 0x3f800800, 0x3f801000)
	TEST_F3(S, fnmadd.s, 0xb3800000, 0, 0x3f800800, 0x3f800800, 0xbf801000)
	TEST_F3(S, fmadd.s, 0x40e00000, 0, TWO, THREE, ONE)           /* 7 */
	TEST_F3(S, fmsub.s, 0x40a00000, 0, TWO, THREE, ONE)           /* 5 */
	TEST_F3(S, fnmadd.s, 0xc0e00000, 0, TWO, THREE, ONE)          /* -7 */
	TEST_F3(S, fnmsub.s, 0xc0a00000, 0, TWO, THREE, ONE)          /* -5 */
	TEST_F3(S, fmadd.s, 0x3f800001, NX, ONE, ONE, P2M24, , rup)
	TEST_F3(S, fmadd.s, ONE, NX, ONE, ONE, P2M24, , rne)
	TEST_F3(S, fmadd.s, QNAN, NV, INF, 0, QNAN)   /* inf * 0 is invalid even with a quiet NaN addend */
	TEST_F3(S, fmadd.s, QNAN, NV, INF, ONE, NINF)
	TEST_F3(S, fmadd.s, INF, OF | NX, MAXF, TWO, ONE)
	TEST_F3(S, fmadd.s, NZERO, 0, NZERO, ONE, NZERO)
	TEST_F3(S, fmadd.s, 0, 0, ONE, NZERO, 0)
	TEST_F3(S, fmadd.s, NZERO, 0, ONE, ONE, NONE, , rdn)

	/* ---- min / max: NaN and signed zeros ---- */
	TEST_F2(S, fmin.s, ONE, 0, ONE, TWO)
	TEST_F2(S, fmin.s, NONE, 0, TWO, NONE)
	TEST_F2(S, fmax.s, TWO, 0, ONE, TWO)
	TEST_F2(S, fmin.s, NZERO, 0, 0, NZERO)
	TEST_F2(S, fmin.s, NZERO, 0, NZERO, 0)
	TEST_F2(S, fmax.s, 0, 0, NZERO, 0)
	TEST_F2(S, fmax.s, 0, 0, 0, NZERO)
	TEST_F2(S, fmin.s, ONE, 0, QNAN, ONE)          /* one NaN: the other operand */
	TEST_F2(S, fmax.s, NINF, 0, NINF, 0x7fc00001)
	TEST_F2(S, fmin.s, ONE, NV, SNAN, ONE)         /* signalling: NV as well */
	TEST_F2(S, fmax.s, TWO, NV, TWO, SNAN)
	TEST_F2(S, fmin.s, QNAN, 0, 0x7fc00123, 0xffc00000)   /* both NaN: canonical */
	TEST_F2(S, fmax.s, QNAN, NV, SNAN, SNAN)
	TEST_F2(S, fmax.s, INF, 0, INF, MAXF)

	/* ---- compares ---- */
	TEST_FCMP(S, feq.s, 1, 0, ONE, ONE)
	TEST_FCMP(S, feq.s, 0, 0, ONE, TWO)
	TEST_FCMP(S, feq.s, 1, 0, 0, NZERO)
	TEST_FCMP(S, feq.s, 0, 0, QNAN, QNAN)          /* quiet NaN: no flag for FEQ */
	TEST_FCMP(S, feq.s, 0, NV, SNAN, ONE)
	TEST_FCMP(S, flt.s, 1, 0, ONE, TWO)
	TEST_FCMP(S, flt.s, 0, 0, TWO, ONE)
	TEST_FCMP(S, flt.s, 0, 0, NZERO, 0)
	TEST_FCMP(S, flt.s, 1, 0, NINF, NMAXF)
	TEST_FCMP(S, flt.s, 0, NV, QNAN, ONE)          /* FLT/FLE signal on any NaN */
	TEST_FCMP(S, flt.s, 0, NV, ONE, SNAN)
	TEST_FCMP(S, fle.s, 1, 0, ONE, ONE)
	TEST_FCMP(S, fle.s, 1, 0, NZERO, 0)
	TEST_FCMP(S, fle.s, 0, 0, TWO, ONE)
	TEST_FCMP(S, fle.s, 0, NV, ONE, QNAN)
	TEST_FCMP(S, fle.s, 0, NV, SNAN, SNAN)

	/* ---- fclass ---- */
	TEST_FTOI(S, fclass.s, 1 << 0, 0, NINF)
	TEST_FTOI(S, fclass.s, 1 << 1, 0, NONE)
	TEST_FTOI(S, fclass.s, 1 << 2, 0, 0x807fffff)
	TEST_FTOI(S, fclass.s, 1 << 3, 0, NZERO)
	TEST_FTOI(S, fclass.s, 1 << 4, 0, 0)
	TEST_FTOI(S, fclass.s, 1 << 5, 0, MINS)
	TEST_FTOI(S, fclass.s, 1 << 6, 0, MINN)
	TEST_FTOI(S, fclass.s, 1 << 7, 0, INF)
	TEST_FTOI(S, fclass.s, 1 << 8, 0, SNAN)
	TEST_FTOI(S, fclass.s, 1 << 8, 0, 0xffbfffff)
	TEST_FTOI(S, fclass.s, 1 << 9, 0, QNAN)
	TEST_FTOI(S, fclass.s, 1 << 9, 0, 0xffc00001)

	/* ---- float -> integer: rounding, saturation, NaN -> max ---- */
	TEST_FTOI(S, fcvt.w.s, 2, NX, 0x3fc00000, , rne)          /* 1.5 */
	TEST_FTOI(S, fcvt.w.s, 2, NX, 0x40200000, , rne)          /* 2.5 -> even */
	TEST_FTOI(S, fcvt.w.s, 3, NX, 0x40200000, , rmm)
	TEST_FTOI(S, fcvt.w.s, 2, NX, 0x40200000, , rtz)
	TEST_FTOI(S, fcvt.w.s, 2, NX, 0x40200000, , rdn)
	TEST_FTOI(S, fcvt.w.s, 3, NX, 0x40200000, , rup)
	TEST_FTOI(S, fcvt.w.s, -2, NX, 0xc0200000, , rne)         /* -2.5 */
	TEST_FTOI(S, fcvt.w.s, -3, NX, 0xc0200000, , rmm)
	TEST_FTOI(S, fcvt.w.s, -2, NX, 0xc0200000, , rtz)
	TEST_FTOI(S, fcvt.w.s, -3, NX, 0xc0200000, , rdn)
	TEST_FTOI(S, fcvt.w.s, -2, NX, 0xc0200000, , rup)
	TEST_FTOI(S, fcvt.w.s, -1, 0, NONE, , rtz)
	TEST_FTOI(S, fcvt.w.s, 0, 0, NZERO, , rtz)
	TEST_FTOI(S, fcvt.w.s, 0, NX, 0x3e800000, , rne)          /* 0.25 */
	TEST_FTOI(S, fcvt.w.s, 0xffffffff80000000, 0, 0xcf000000, , rtz)   /* -2^31 exact */
	TEST_FTOI(S, fcvt.w.s, 0x7fffffff, NV, 0x4f000000, , rtz)  /* 2^31 */
	TEST_FTOI(S, fcvt.w.s, 0xffffffff80000000, NV, 0xcf000001, , rtz)
	TEST_FTOI(S, fcvt.w.s, 0x7fffffff, NV, INF, , rtz)
	TEST_FTOI(S, fcvt.w.s, 0xffffffff80000000, NV, NINF, , rtz)
	TEST_FTOI(S, fcvt.w.s, 0x7fffffff, NV, QNAN, , rtz)
	TEST_FTOI(S, fcvt.w.s, 0x7fffffff, NV, 0xffc00000, , rtz)  /* negative NaN too */
	TEST_FTOI(S, fcvt.wu.s, 0xffffffffee6b2800, 0, 0x4f6e6b28, , rtz)  /* 4e9: sign-extended */
	TEST_FTOI(S, fcvt.wu.s, 0, NV, NONE, , rtz)
	TEST_FTOI(S, fcvt.wu.s, 0, NX, 0xbf000000, , rtz)          /* -0.5 -> 0 is representable */
	TEST_FTOI(S, fcvt.wu.s, 0xffffffffffffffff, NV, 0x4f800000, , rtz)  /* 2^32 */
	TEST_FTOI(S, fcvt.wu.s, 0xffffffffffffffff, NV, QNAN, , rtz)
	TEST_FTOI(S, fcvt.wu.s, 0, NV, NINF, , rtz)
	TEST_FTOI(S, fcvt.l.s, 0x7fffffffffffffff, NV, 0x5f000000, , rtz)  /* 2^63 */
	TEST_FTOI(S, fcvt.l.s, 0x8000000000000000, 0, 0xdf000000, , rtz)   /* -2^63 exact */
	TEST_FTOI(S, fcvt.l.s, 0x8000000000000000, NV, NINF, , rtz)
	TEST_FTOI(S, fcvt.l.s, 0x7fffffffffffffff, NV, QNAN, , rtz)
	TEST_FTOI(S, fcvt.l.s, 0x0000000100000000, 0, 0x4f800000, , rtz)
	TEST_FTOI(S, fcvt.l.s, -3, NX, 0xc0200000, , rdn)
	TEST_FTOI(S, fcvt.lu.s, 0, NV, NONE, , rtz)
	TEST_FTOI(S, fcvt.lu.s, 0xffffffffffffffff, NV, 0x5f800000, , rtz) /* 2^64 */
	TEST_FTOI(S, fcvt.lu.s, 0x8000000000000000, 0, 0x5f000000, , rtz)
	TEST_FTOI(S, fcvt.lu.s, 0xffffffffffffffff, NV, SNAN, , rtz)
	TEST_FTOI(S, fcvt.lu.s, 1, NX, 0x3fc00000, , rtz)
	TCASE                                           /* dynamic rounding for conversions */
	csrwi	frm, 4
	csrwi	fflags, 0
	li	a1, 0x40200000
	fmv.w.x	fa1, a1
	fcvt.w.s a3, fa1, dyn
	csrwi	frm, 0
	CHECK(a3, 3)
	FLAGS_ARE(NX)

	/* ---- integer -> float ---- */
	TEST_ITOF(S, fcvt.s.w, ONE, 0, 1, , rne)
	TEST_ITOF(S, fcvt.s.w, NONE, 0, -1, , rne)
	TEST_ITOF(S, fcvt.s.w, ONE, 0, 0xffffffff00000001, , rne)   /* upper 32 bits ignored */
	TEST_ITOF(S, fcvt.s.w, 0x4f000000, NX, 0x7fffffff, , rne)
	TEST_ITOF(S, fcvt.s.w, 0x4effffff, NX, 0x7fffffff, , rtz)
	TEST_ITOF(S, fcvt.s.w, 0xcf000000, 0, 0x80000000, , rne)
	TEST_ITOF(S, fcvt.s.w, 0, 0, 0, , rne)
	TEST_ITOF(S, fcvt.s.wu, 0x4f800000, NX, 0xffffffff, , rne)
	TEST_ITOF(S, fcvt.s.wu, 0x4f7fffff, NX, 0xffffffff, , rtz)
	TEST_ITOF(S, fcvt.s.wu, 0x4f000000, 0, 0x80000000, , rne)
	TEST_ITOF(S, fcvt.s.l, NONE, 0, -1, , rne)
	TEST_ITOF(S, fcvt.s.l, 0xdf000000, 0, 0x8000000000000000, , rne)
	TEST_ITOF(S, fcvt.s.l, 0x4b800001, NX, 0x1000003, , rdn)     /* 2^24 + 3 -> 2^24 + 2 */
	TEST_ITOF(S, fcvt.s.l, 0x4b800002, NX, 0x1000003, , rup)
	TEST_ITOF(S, fcvt.s.l, 0x4b800002, NX, 0x1000003, , rne)
	TEST_ITOF(S, fcvt.s.lu, 0x5f800000, NX, 0xffffffffffffffff, , rne)
	TEST_ITOF(S, fcvt.s.lu, 0x5f7fffff, NX, 0xffffffffffffffff, , rtz)
	TEST_ITOF(S, fcvt.s.lu, 0x5f000000, 0, 0x8000000000000000, , rne)

	/* ---- sign injection ---- */
	TEST_F2(S, fsgnj.s, NONE, 0, ONE, NONE)
	TEST_F2(S, fsgnj.s, TWO, 0, 0xc0000000, ONE)
	TEST_F2(S, fsgnjn.s, NONE, 0, ONE, ONE)
	TEST_F2(S, fsgnjn.s, ONE, 0, ONE, NONE)
	TEST_F2(S, fsgnjx.s, NONE, 0, NONE, ONE)
	TEST_F2(S, fsgnjx.s, ONE, 0, NONE, NONE)
	TEST_F2(S, fsgnjx.s, NONE, 0, ONE, NONE)
	TEST_F2(S, fsgnj.s, 0xffc00001, 0, 0x7fc00001, NONE)  /* NaN payloads pass untouched, no flags */
	TEST_F2(S, fsgnjn.s, 0xff800001, 0, SNAN, ONE)
	TEST_F1(S, fabs.s, ONE, 0, NONE)
	TEST_F1(S, fneg.s, NONE, 0, ONE)
	TEST_F1(S, fmv.s, SNAN, 0, SNAN)

	/* ---- moves, loads, stores and NaN boxing ---- */
	TCASE                                           /* fmv.x.w sign-extends */
	li	a1, 0x80000000
	fmv.w.x	fa1, a1
	fmv.x.w	a3, fa1
	CHECK(a3, 0xffffffff80000000)
	TCASE                                           /* fmv.w.x takes the low word and NaN-boxes it */
	li	a1, 0x123456789abcdef0
	fmv.w.x	fa1, a1
	fmv.x.d	a3, fa1
	CHECK(a3, 0xffffffff9abcdef0)
	TCASE                                           /* flw NaN-boxes */
	la	a1, fdata
	flw	fa1, 0(a1)
	fmv.x.d	a3, fa1
	CHECK(a3, 0xffffffff3fc00000)
	flw	fa2, 4(a1)
	fmv.x.d	a3, fa2
	CHECK(a3, 0xffffffff7f800001)                  /* even a signalling NaN, unchanged */
	TCASE                                           /* fsw stores the low word */
	la	a1, fscratch
	li	a2, -1
	sd	a2, 0(a1)
	li	a2, 0x40490fdb
	fmv.w.x	fa1, a2
	fsw	fa1, 0(a1)
	ld	a3, 0(a1)
	CHECK(a3, 0xffffffff40490fdb)
	fsw	fa1, 4(a1)
	ld	a3, 0(a1)
	CHECK(a3, 0x40490fdb40490fdb)
	TCASE                                           /* an unboxed value reads as the canonical NaN ... */
	csrwi	fflags, 0
	li	a1, 0x000000003f800000
	fmv.d.x	fa1, a1
	fadd.s	fa3, fa1, fa1
	fmv.x.w	a3, fa3
	CHECK(a3, QNAN)
	fclass.s a3, fa1
	CHECK(a3, 1 << 9)
	FLAGS_ARE(0)
	TCASE
	li	a1, 0x7fffffff3f800000                  /* upper word almost all ones */
	fmv.d.x	fa1, a1
	li	a2, ONE
	fmv.w.x	fa2, a2
	fmul.s	fa3, fa2, fa1
	fmv.x.w	a3, fa3
	CHECK(a3, QNAN)
	feq.s	a3, fa1, fa1
	CHECK(a3, 0)
	fsgnj.s	fa3, fa1, fa2                            /* sign injection sees the NaN as well */
	fmv.x.d	a3, fa3
	CHECK(a3, 0xffffffff7fc00000)
	fcvt.w.s a3, fa1, rtz
	CHECK(a3, 0x7fffffff)
	TCASE                                           /* ... but moves and stores ignore the upper bits */
	li	a1, 0x123456783f800000
	fmv.d.x	fa1, a1
	fmv.x.w	a3, fa1
	CHECK(a3, ONE)
	la	a2, fscratch
	fsw	fa1, 0(a2)
	lwu	a3, 0(a2)
	CHECK(a3, ONE)
	TCASE                                           /* single results are boxed */
	li	a1, 0x0123456789abcdef
	fmv.d.x	fa3, a1
	li	a1, ONE
	fmv.w.x	fa1, a1
	fadd.s	fa3, fa1, fa1
	fmv.x.d	a3, fa3
	CHECK(a3, 0xffffffff40000000)
	fcvt.s.w fa3, zero
	fmv.x.d	a3, fa3
	CHECK(a3, 0xffffffff00000000)

	/* ---- fcsr, frm, fflags ---- */
	TCASE
	li	a1, 0xff
	fscsr	a1
	frcsr	a3
	CHECK(a3, 0xff)
	frrm	a3
	CHECK(a3, 7)
	frflags	a3
	CHECK(a3, 0x1f)
	TCASE                                           /* bits above 7 are not kept */
	li	a1, 0xfffffffffffff0a5
	csrw	fcsr, a1
	csrr	a3, fcsr
	CHECK(a3, 0xa5)
	TCASE
	li	a1, 2
	fsrm	a3, a1                                  /* swaps: returns the old frm */
	CHECK(a3, 5)
	csrr	a3, fcsr
	CHECK(a3, 0x45)
	li	a1, 0x3a
	fsflags	a3, a1
	CHECK(a3, 5)
	csrr	a3, fcsr
	CHECK(a3, 0x5a)
	csrwi	fflags, 0
	csrwi	frm, 0
	csrr	a3, fcsr
	CHECK(a3, 0)
	TCASE                                           /* flags accrue */
	li	a1, ONE
	fmv.w.x	fa1, a1
	fmv.w.x	fa2, zero
	fdiv.s	fa3, fa1, fa2
	li	a1, MINS
	fmv.w.x	fa1, a1
	li	a1, HALF
	fmv.w.x	fa2, a1
	fmul.s	fa3, fa1, fa2
	FLAGS_ARE(DZ | UF | NX)
	fadd.s	fa3, fa2, fa2
	FLAGS_ARE(DZ | UF | NX)

	/* ---- invalid rounding modes trap as illegal instructions ---- */
	li	a1, ONE
	fmv.w.x	fa1, a1
	fmv.w.x	fa2, a1
	TEST_TRAP_TVAL(2, 0x00c5d6d3, .word 0x00c5d6d3)    /* fadd.s fa3, fa1, fa2, rm = 5 */
	TEST_TRAP_TVAL(2, 0x00c5e6d3, .word 0x00c5e6d3)    /* rm = 6 */
	TEST_TRAP_TVAL(2, 0x5805e6d3, .word 0x5805e6d3)    /* fsqrt.s fa3, fa1, rm = 6 */
	TCASE                                           /* frm = 5..7 with DYN */
	csrwi	frm, 5
	csrr	a3, frm
	CHECK(a3, 5)
	TEST_TRAP_TVAL(2, 0x00c5f6d3, fadd.s fa3, fa1, fa2, dyn)
	csrwi	frm, 6
	TEST_TRAP_TVAL(2, 0x00c5f6d3, fadd.s fa3, fa1, fa2, dyn)
	csrwi	frm, 7
	TEST_TRAP(2, fmadd.s fa4, fa1, fa2, fa3, dyn)
	TEST_TRAP(2, fcvt.w.s a3, fa1, dyn)
	TCASE                                           /* instructions without a rounding mode still run */
	fmin.s	fa3, fa1, fa2
	fsgnj.s	fa3, fa1, fa2
	feq.s	a3, fa1, fa2
	CHECK(a3, 1)
	TCASE                                           /* a static mode is fine with a bad frm */
	fadd.s	fa3, fa1, fa2, rne
	fmv.x.w	a3, fa3
	CHECK(a3, TWO)
	csrwi	frm, 0

	/* ---- mstatus.FS ---- */
#define FS_MASK 0x6000
	TCASE                                           /* Initial -> Dirty (and SD) on an FP register write */
	li	a1, FS_MASK
	csrc	mstatus, a1
	li	a1, 0x2000
	csrs	mstatus, a1
	csrr	a3, mstatus
	srli	a3, a3, 63
	CHECK(a3, 0)
	li	a1, ONE
	fmv.w.x	fa1, a1
	csrr	a3, mstatus
	li	a4, FS_MASK
	and	a4, a3, a4
	CHECK(a4, FS_MASK)
	srli	a3, a3, 63
	CHECK(a3, 1)
	TCASE                                           /* Clean -> Dirty on an fflags write */
	li	a1, FS_MASK
	csrc	mstatus, a1
	li	a1, 0x4000
	csrs	mstatus, a1
	csrwi	fflags, 1
	csrr	a3, mstatus
	li	a4, FS_MASK
	and	a3, a3, a4
	CHECK(a3, FS_MASK)
	TCASE                                           /* FS = Off: FP instructions and CSRs trap */
	li	a1, FS_MASK
	csrc	mstatus, a1
	TEST_TRAP_TVAL(2, 0x00c5f6d3, fadd.s fa3, fa1, fa2)
	TEST_TRAP(2, flw fa1, 0(sp))
	TEST_TRAP(2, fsw fa1, 0(sp))
	TEST_TRAP(2, fmv.x.w a3, fa1)
	TEST_TRAP(2, fmv.w.x fa1, a3)
	TEST_TRAP(2, frcsr a3)
	TEST_TRAP(2, csrwi fflags, 0)
	TEST_TRAP(2, csrr a3, frm)
	TEST_TRAP(2, c.fldsp fa1, 0(sp))
	TCASE                                           /* FS still Off after the traps; back on */
	csrr	a3, mstatus
	li	a4, FS_MASK
	and	a3, a3, a4
	CHECK(a3, 0)
	li	a1, 0x2000
	csrs	mstatus, a1
	fmv.w.x	fa1, zero

	TEST_PASS

	.data
	.align	3
fdata:
	.word	0x3fc00000, 0x7f800001
fscratch:
	.dword	0, 0
