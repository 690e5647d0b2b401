/* fp_macros.h: F/D check macros for rv64uf and rv64ud (on top of test_macros.h). */
#ifndef RRV_GUESTS_FP_MACROS_H
#define RRV_GUESTS_FP_MACROS_H

#include "test_macros.h"

#define NX 0x01
#define UF 0x02
#define OF 0x04
#define DZ 0x08
#define NV 0x10

/*
 * PREC is S or D. Values are bit patterns; single results are compared as
 * 32-bit patterns (upper bits dropped), doubles as 64-bit ones. Every case
 * clears fflags first and checks the exact flags it accrued.
 */
#define FMV_TO_S fmv.w.x
#define FMV_TO_D fmv.d.x
#define FMV_FROM_S fmv.x.w
#define FMV_FROM_D fmv.x.d
#define FP_NARROW_S(r) slli r, r, 32; srli r, r, 32
#define FP_NARROW_D(r) mv r, r

#define FP_LOAD(prec, freg, ireg, v)                                      \
	li	ireg, v;                                                  \
	FMV_TO_##prec freg, ireg
#define FP_RESULT(prec, freg, want)                                       \
	FMV_FROM_##prec a3, freg;                                         \
	FP_NARROW_##prec(a3);                                             \
	CHECK(a3, want)
#define FLAGS_ARE(f)                                                      \
	frflags	a4;                                                       \
	CHECK(a4, f)

/* fa3 = op(fa1, fa2[, rm]) */
#define TEST_F2(prec, op, want, flags, v1, v2, rm...)                     \
	TCASE;                                                            \
	csrwi	fflags, 0;                                                \
	FP_LOAD(prec, fa1, a1, v1);                                       \
	FP_LOAD(prec, fa2, a2, v2);                                       \
	op	fa3, fa1, fa2 rm;                                         \
	FP_RESULT(prec, fa3, want);                                       \
	FLAGS_ARE(flags)
/* fa3 = op(fa1[, rm]) */
#define TEST_F1(prec, op, want, flags, v1, rm...)                         \
	TCASE;                                                            \
	csrwi	fflags, 0;                                                \
	FP_LOAD(prec, fa1, a1, v1);                                       \
	op	fa3, fa1 rm;                                              \
	FP_RESULT(prec, fa3, want);                                       \
	FLAGS_ARE(flags)
/* fa4 = op(fa1, fa2, fa3[, rm]) */
#define TEST_F3(prec, op, want, flags, v1, v2, v3, rm...)                 \
	TCASE;                                                            \
	csrwi	fflags, 0;                                                \
	FP_LOAD(prec, fa1, a1, v1);                                       \
	FP_LOAD(prec, fa2, a2, v2);                                       \
	FP_LOAD(prec, fa3, a3, v3);                                       \
	op	fa4, fa1, fa2, fa3 rm;                                    \
	FP_RESULT(prec, fa4, want);                                       \
	FLAGS_ARE(flags)
/* a3 = op(fa1, fa2): compares */
#define TEST_FCMP(prec, op, want, flags, v1, v2)                          \
	TCASE;                                                            \
	csrwi	fflags, 0;                                                \
	FP_LOAD(prec, fa1, a1, v1);                                       \
	FP_LOAD(prec, fa2, a2, v2);                                       \
	op	a3, fa1, fa2;                                             \
	CHECK(a3, want);                                                  \
	FLAGS_ARE(flags)
/* a3 = op(fa1[, rm]): fclass, fcvt to integer (full 64-bit result) */
#define TEST_FTOI(prec, op, want, flags, v1, rm...)                       \
	TCASE;                                                            \
	csrwi	fflags, 0;                                                \
	FP_LOAD(prec, fa1, a1, v1);                                       \
	op	a3, fa1 rm;                                               \
	CHECK(a3, want);                                                  \
	FLAGS_ARE(flags)
/* fa3 = op(a1[, rm]): fcvt from integer */
#define TEST_ITOF(prec, op, want, flags, v1, rm...)                       \
	TCASE;                                                            \
	csrwi	fflags, 0;                                                \
	li	a1, v1;                                                   \
	op	fa3, a1 rm;                                               \
	FP_RESULT(prec, fa3, want);                                       \
	FLAGS_ARE(flags)

/* The same binary op in all five static rounding modes. */
#define TEST_F2_RM(prec, op, rne_, rtz_, rdn_, rup_, rmm_, flags, v1, v2) \
	TEST_F2(prec, op, rne_, flags, v1, v2, , rne);                    \
	TEST_F2(prec, op, rtz_, flags, v1, v2, , rtz);                    \
	TEST_F2(prec, op, rdn_, flags, v1, v2, , rdn);                    \
	TEST_F2(prec, op, rup_, flags, v1, v2, , rup);                    \
	TEST_F2(prec, op, rmm_, flags, v1, v2, , rmm)

/* ... and through frm with the dynamic rounding mode. */
#define TEST_F2_DYN(prec, op, rne_, rtz_, rdn_, rup_, rmm_, flags, v1, v2) \
	csrwi	frm, 0;                                                   \
	TEST_F2(prec, op, rne_, flags, v1, v2, , dyn);                    \
	csrwi	frm, 1;                                                   \
	TEST_F2(prec, op, rtz_, flags, v1, v2, , dyn);                    \
	csrwi	frm, 2;                                                   \
	TEST_F2(prec, op, rdn_, flags, v1, v2, , dyn);                    \
	csrwi	frm, 3;                                                   \
	TEST_F2(prec, op, rup_, flags, v1, v2, , dyn);                    \
	csrwi	frm, 4;                                                   \
	TEST_F2(prec, op, rmm_, flags, v1, v2, , dyn);                    \
	csrwi	frm, 0

#endif /* RRV_GUESTS_FP_MACROS_H */
