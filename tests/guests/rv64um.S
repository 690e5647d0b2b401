/* rv64um.S: RV64M multiply and divide, incl. division by zero, overflow and W-form sign extension. */
#include "test_macros.h"

#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff
#define MIN32 0xffffffff80000000

	.text
	.globl	main
main:
	TRAP_INSTALL

	/* ---- MUL: low 64 bits ---- */
	TEST_RR(mul, 0, 0, 0)
	TEST_RR(mul, 1, 1, 1)
	TEST_RR(mul, 21, 3, 7)
	TEST_RR(mul, -21, -3, 7)
	TEST_RR(mul, 21, -3, -7)
	TEST_RR(mul, 0, MIN64, 2)
	TEST_RR(mul, MIN64, MIN64, -1)
	TEST_RR(mul, 1, -1, -1)
	TEST_RR(mul, 0xfffffffe00000001, 0xffffffff, 0xffffffff)
	TEST_RR(mul, 0x0000000100000000, 0x10000, 0x10000)
	TEST_RR(mul, 0x8f5c28f5c28f58cf, 0x0123456789abcdef, 0x321)
	TEST_RR(mul, 1, 0xaaaaaaaaaaaaaaab, 3)      /* 3's inverse mod 2^64 */
	TEST_RR_SAMEALL(mul, 169, 13)
	TEST_RR_X0(mul, 3, 5)

	/* ---- MULH / MULHSU / MULHU: high 64 bits ---- */
	TEST_RR(mulh, 0, 0, 0)
	TEST_RR(mulh, 0, 1, 1)
	TEST_RR(mulh, -1, -1, 1)             /* -1 * 1 = -1: high half all ones */
	TEST_RR(mulh, 0, -1, -1)
	TEST_RR(mulh, 0x4000000000000000, MIN64, MIN64)
	TEST_RR(mulh, 0xc000000000000000, MIN64, MAX64)
	TEST_RR(mulh, 0x3fffffffffffffff, MAX64, MAX64)
	TEST_RR(mulh, 0xffffffffffffffff, 0xffffffff00000000, 0x00000000ffffffff)
	TEST_RR(mulhu, 0, 0, 0)
	TEST_RR(mulhu, 0xfffffffffffffffe, -1, -1)
	TEST_RR(mulhu, 0, -1, 1)
	TEST_RR(mulhu, 0x4000000000000000, MIN64, MIN64)
	TEST_RR(mulhu, 0x00000000fffffffe, 0xffffffff00000000, 0x00000000ffffffff)
	TEST_RR(mulhu, 0x7fffffffffffffff, MIN64, -2)
	TEST_RR(mulhsu, 0, 0, 0)
	TEST_RR(mulhsu, -1, -1, 1)           /* rs1 signed, rs2 unsigned */
	TEST_RR(mulhsu, -1, -1, -1)          /* -1 * (2^64-1): high = -1 */
	TEST_RR(mulhsu, 0xfffffffffffffffe, -2, -1)
	TEST_RR(mulhsu, 0xc000000000000000, MIN64, MIN64)
	TEST_RR(mulhsu, 0x7ffffffffffffffe, MAX64, -1)
	TEST_RR(mulhsu, 0, 1, -1)
	TEST_RR_X0(mulh, -1, -1)

	/* ---- MULW: low 32 bits, sign-extended ---- */
	TEST_RR(mulw, 21, 3, 7)
	TEST_RR(mulw, 0xffffffff80000000, 0x40000000, 2)
	TEST_RR(mulw, 0, 0x80000000, 2)
	TEST_RR(mulw, 1, 0xffffffffffffffff, 0x00000000ffffffff)
	TEST_RR(mulw, 0x0000000012345678, 0x1234567812345678, 0xabcdef0000000001)
	TEST_RR(mulw, 0xffffffff80000000, MIN32, 1)
	TEST_RR(mulw, 0xffffffff80000000, MIN32, -1)

	/* ---- DIV / DIVU ---- */
	TEST_RR(div, 3, 20, 6)
	TEST_RR(div, -3, -20, 6)             /* rounds towards zero */
	TEST_RR(div, -3, 20, -6)
	TEST_RR(div, 3, -20, -6)
	TEST_RR(div, MIN64, MIN64, 1)
	TEST_RR(div, MIN64, MIN64, -1)       /* overflow: quotient = dividend */
	TEST_RR(div, -1, MIN64, 0)           /* by zero: all ones */
	TEST_RR(div, -1, 1, 0)
	TEST_RR(div, -1, 0, 0)
	TEST_RR(div, -1, -7, 0)
	TEST_RR(div, 0, 5, 7)
	TEST_RR(div, 0x7fffffffffffffff, MAX64, 1)
	TEST_RR(divu, 3, 20, 6)
	TEST_RR(divu, 0x2aaaaaaaaaaaaaa7, -20, 6)
	TEST_RR(divu, 0, 20, -6)
	TEST_RR(divu, 1, -6, -20)
	TEST_RR(divu, 0, -20, -6)
	TEST_RR(divu, MIN64, MIN64, 1)
	TEST_RR(divu, 0, MIN64, -1)
	TEST_RR(divu, -1, MIN64, 0)
	TEST_RR(divu, -1, 1, 0)
	TEST_RR(divu, -1, 0, 0)
	TEST_RR_X0(div, 7, 0)

	/* ---- REM / REMU: sign of the dividend ---- */
	TEST_RR(rem, 2, 20, 6)
	TEST_RR(rem, -2, -20, 6)
	TEST_RR(rem, 2, 20, -6)
	TEST_RR(rem, -2, -20, -6)
	TEST_RR(rem, 0, MIN64, 1)
	TEST_RR(rem, 0, MIN64, -1)           /* overflow: remainder 0 */
	TEST_RR(rem, MIN64, MIN64, 0)        /* by zero: the dividend */
	TEST_RR(rem, 1, 1, 0)
	TEST_RR(rem, 0, 0, 0)
	TEST_RR(rem, -7, -7, 0)
	TEST_RR(rem, 5, 5, 7)
	TEST_RR(remu, 2, 20, 6)
	TEST_RR(remu, 2, -20, 6)
	TEST_RR(remu, 20, 20, -6)
	TEST_RR(remu, 0xffffffffffffffec, -20, -6)
	TEST_RR(remu, 0, MIN64, 1)
	TEST_RR(remu, MIN64, MIN64, -1)
	TEST_RR(remu, MIN64, MIN64, 0)
	TEST_RR(remu, 1, 1, 0)
	TEST_RR(remu, -1, -1, 0)

	/* ---- W forms: 32-bit operands, result sign-extended ---- */
	TEST_RR(divw, 3, 20, 6)
	TEST_RR(divw, -3, -20, 6)
	TEST_RR(divw, 3, -20, -6)
	TEST_RR(divw, MIN32, MIN32, 1)
	TEST_RR(divw, MIN32, MIN32, -1)      /* overflow */
	TEST_RR(divw, MIN32, 0x0000000080000000, -1)  /* operands are the low 32 bits */
	TEST_RR(divw, -1, MIN32, 0)
	TEST_RR(divw, -1, 1, 0x100000000)    /* rs2's low word is zero */
	TEST_RR(divw, 2, 0xffffffff00000004, 0x1234567800000002)
	TEST_RR(divw, -1, 0x00000000ffffffff, 1)
	TEST_RR(divuw, 3, 20, 6)
	TEST_RR(divuw, 0x000000002aaaaaa7, -20, 6)
	TEST_RR(divuw, 0, 20, -6)
	TEST_RR(divuw, 0, -20, -6)
	TEST_RR(divuw, 1, -6, -20)
	TEST_RR(divuw, MIN32, MIN32, 1)      /* 0x80000000 sign-extends */
	TEST_RR(divuw, 0, MIN32, -1)
	TEST_RR(divuw, -1, MIN32, 0)         /* by zero: all ones (64 bits) */
	TEST_RR(divuw, -1, 0, 0)
	TEST_RR(divuw, 0xffffffffffffffff, 0xffffffff, 1)
	TEST_RR(remw, 2, 20, 6)
	TEST_RR(remw, -2, -20, 6)
	TEST_RR(remw, 2, 20, -6)
	TEST_RR(remw, -2, -20, -6)
	TEST_RR(remw, 0, MIN32, -1)          /* overflow */
	TEST_RR(remw, MIN32, MIN32, 0)       /* by zero: dividend, sign-extended */
	TEST_RR(remw, MIN32, 0x1234567880000000, 0)
	TEST_RR(remw, 1, 1, 0)
	TEST_RR(remw, 0xffffffffffffffff, 0x00000000ffffffff, 0)
	TEST_RR(remuw, 2, 20, 6)
	TEST_RR(remuw, 2, -20, 6)
	TEST_RR(remuw, 20, 20, -6)
	TEST_RR(remuw, MIN32, MIN32, 0)      /* by zero: dividend, sign-extended */
	TEST_RR(remuw, 0xffffffffffffffff, -1, 0)
	TEST_RR(remuw, 0, MIN32, 1)
	TEST_RR(remuw, MIN32, MIN32, -1)
	TEST_RR(remuw, 1, 0x1234567800000001, 0x9abcdef000000000)
	TEST_RR_X0(remw, 7, 3)

	TEST_PASS
