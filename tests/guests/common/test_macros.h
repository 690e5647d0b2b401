/* test_macros.h: assembly check macros for the ISA conformance guests. */
#ifndef RRV_GUESTS_TEST_MACROS_H
#define RRV_GUESTS_TEST_MACROS_H

/*
 * Conventions (assembly guests only):
 *  - tp holds the number of the current case; nothing in the guest runtime
 *    uses tp (no TLS), so it survives calls into lib.c.
 *  - every case starts with TCASE, which numbers cases automatically with an
 *    assembler counter; a failing check jumps to t_fail_asm with a1 = got,
 *    a2 = want and ra = the address of the failing check, so
 *    `addr2line -e X.elf PC` names the source line.
 *  - scratch registers: a1..a7, t0..t6 (t6 holds the wanted value).
 *  - the guest's exit code is derived from the case number (see check.c).
 */

	.set	t_case_no, 0

#define TCASE                                                             \
	.set	t_case_no, t_case_no + 1;                                 \
	li	tp, t_case_no

/* Check register REG against the constant VAL (any 64-bit value). */
#define CHECK(reg, val)                                                   \
	li	t6, val;                                                  \
	CHECK_R(reg, t6)

/* Check register REG against register WANT. */
#define CHECK_R(reg, want)                                                \
	beq	reg, want, 9990f;                                         \
	mv	a1, reg;                                                  \
	mv	a2, want;                                                 \
	jal	ra, t_fail_asm;                                           \
9990:

/* rd = op(rs1, rs2) with rs1, rs2 given as constants. */
#define TEST_RR(op, want, v1, v2)                                         \
	TCASE;                                                            \
	li	a1, v1;                                                   \
	li	a2, v2;                                                   \
	op	a3, a1, a2;                                               \
	CHECK(a3, want)

/* rd = op(rs1, imm). */
#define TEST_RI(op, want, v1, imm)                                        \
	TCASE;                                                            \
	li	a1, v1;                                                   \
	op	a3, a1, imm;                                              \
	CHECK(a3, want)

/* Same with rd == rs1 (the source is overwritten by the result). */
#define TEST_RI_SAME(op, want, v1, imm)                                   \
	TCASE;                                                            \
	li	a1, v1;                                                   \
	op	a1, a1, imm;                                              \
	CHECK(a1, want)

/* rd == rs1 and rd == rs2 forms. */
#define TEST_RR_SAME1(op, want, v1, v2)                                   \
	TCASE;                                                            \
	li	a1, v1;                                                   \
	li	a2, v2;                                                   \
	op	a1, a1, a2;                                               \
	CHECK(a1, want)
#define TEST_RR_SAME2(op, want, v1, v2)                                   \
	TCASE;                                                            \
	li	a1, v1;                                                   \
	li	a2, v2;                                                   \
	op	a2, a1, a2;                                               \
	CHECK(a2, want)
#define TEST_RR_SAMEALL(op, want, v)                                      \
	TCASE;                                                            \
	li	a1, v;                                                    \
	op	a1, a1, a1;                                               \
	CHECK(a1, want)

/* Writes to x0 are discarded. */
#define TEST_RR_X0(op, v1, v2)                                            \
	TCASE;                                                            \
	li	a1, v1;                                                   \
	li	a2, v2;                                                   \
	op	x0, a1, a2;                                               \
	CHECK(x0, 0)

/* rd = op(rs1) (unary: fclass-like or c.* forms use their own macros). */
#define TEST_R(op, want, v1)                                              \
	TCASE;                                                            \
	li	a1, v1;                                                   \
	op	a3, a1;                                                   \
	CHECK(a3, want)

/*
 * Expected traps. common/trap.S provides t_trap, a handler that, when armed,
 * records mcause/mepc/mtval and resumes after the trapping instruction
 * (or at t_trap_resume when that is non-zero); when not armed it reports an
 * unexpected trap exactly like crt0's handler. The guest installs it once
 * with TRAP_INSTALL.
 */
#define TRAP_INSTALL                                                      \
	la	t0, t_trap;                                               \
	csrw	mtvec, t0

/* Arm the handler; the next trap is the expected one. */
#define TRAP_ARM                                                          \
	la	t0, t_trap_state;                                         \
	li	t1, -1;                                                   \
	sd	t1, 8(t0);                                                \
	sd	t1, 16(t0);                                               \
	sd	t1, 24(t0);                                               \
	li	t1, 1;                                                    \
	sd	t1, 0(t0)

/* Check the recorded trap: cause, and that mepc equals register EPCREG. */
#define TRAP_CHECK(cause, epcreg)                                         \
	la	t0, t_trap_state;                                         \
	ld	a3, 0(t0);                                                \
	CHECK(a3, 0);                                                     \
	la	t0, t_trap_state;                                         \
	ld	a3, 8(t0);                                                \
	CHECK(a3, cause);                                                 \
	la	t0, t_trap_state;                                         \
	ld	a3, 16(t0);                                               \
	CHECK_R(a3, epcreg)

/* Check the recorded mtval against a constant / a register. */
#define TRAP_CHECK_TVAL(val)                                              \
	la	t0, t_trap_state;                                         \
	ld	a3, 24(t0);                                               \
	CHECK(a3, val)
#define TRAP_CHECK_TVAL_R(reg)                                            \
	la	t0, t_trap_state;                                         \
	ld	a3, 24(t0);                                               \
	CHECK_R(a3, reg)

/*
 * One case: the instruction(s) INSN... must trap with CAUSE at their first
 * instruction. a5 holds the address of the trapping instruction afterwards.
 */
#define TEST_TRAP(cause, insn...)                                         \
	TCASE;                                                            \
	TRAP_ARM;                                                         \
	la	a5, 9991f;                                                \
9991:	insn;                                                             \
	TRAP_CHECK(cause, a5)

/* Like TEST_TRAP, also checking mtval. */
#define TEST_TRAP_TVAL(cause, tval, insn...)                              \
	TEST_TRAP(cause, insn);                                           \
	TRAP_CHECK_TVAL(tval)

/* Finish an assembly guest's main successfully. */
#define TEST_PASS                                                         \
	li	a0, 0;                                                    \
	call	g_exit

#endif /* RRV_GUESTS_TEST_MACROS_H */
