/* trap.S: expected-trap handler for the ISA guests (see test_macros.h). */

/*
 * t_trap_state layout (8-byte fields):
 *   0 armed   1 while a trap is expected; the handler clears it
 *   8 mcause  16 mepc  24 mtval  (recorded by the handler)
 *  32 resume  if non-zero, mepc is set here (and the field cleared) instead
 *             of skipping the trapping instruction: for faults whose mepc
 *             cannot be read as an instruction (fetch faults)
 *  40, 48     t1/t2 save slots; t0 is kept in mscratch
 *  56 count   number of expected traps taken
 */
	.section .text
	.align	2
	.globl	t_trap
t_trap:
	csrw	mscratch, t0
	la	t0, t_trap_state
	sd	t1, 40(t0)
	sd	t2, 48(t0)
	ld	t1, 0(t0)
	beqz	t1, 3f
	sd	zero, 0(t0)
	csrr	t1, mcause
	sd	t1, 8(t0)
	csrr	t1, mtval
	sd	t1, 24(t0)
	csrr	t1, mepc
	sd	t1, 16(t0)
	ld	t2, 56(t0)
	addi	t2, t2, 1
	sd	t2, 56(t0)
	/* Interrupts resume with MIE left clear (MPIE = 0), so a
	 * level-triggered source the test has not silenced yet cannot trap
	 * again right after the MRET. */
	csrr	t2, mcause
	bgez	t2, 4f
	li	t2, 0x80
	csrc	mstatus, t2
4:	ld	t2, 32(t0)
	beqz	t2, 1f
	sd	zero, 32(t0)
	mv	t1, t2
	j	2f
1:	/* Exceptions skip the instruction; interrupts resume at mepc. */
	csrr	t2, mcause
	bltz	t2, 2f
	lhu	t2, 0(t1)
	andi	t2, t2, 3
	addi	t1, t1, 2
	addi	t2, t2, -3
	bnez	t2, 2f
	addi	t1, t1, 2
2:	csrw	mepc, t1
	ld	t1, 40(t0)
	ld	t2, 48(t0)
	csrr	t0, mscratch
	mret
3:	/* Not armed: this trap is a failure. */
	j	crt_trap

	.data
	.align	3
	.globl	t_trap_state
t_trap_state:
	.dword	0, 0, 0, 0, 0, 0, 0, 0

/*
 * t_fail_asm: a check failed; tp = case number, a1 = got, a2 = want,
 * ra = just after the failing check's jal. Restores a usable stack (the case
 * may have moved sp) and reports through check.c.
 */
	.section .text
	.globl	t_fail_asm
t_fail_asm:
	mv	a3, ra
	mv	a0, tp
	la	sp, __stack_top
	csrr	t0, mhartid
	li	t1, 16384
	mul	t1, t1, t0
	sub	sp, sp, t1
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	call	t_fail_case
1:	j	1b
