/* entry.S: smode_sv39's privilege switches, M and S trap vectors, and the U-mode program. */
#include "sv39.h"

/* Save / restore every register but x0 and sp in the frame at sp. */
.macro SAVE_REGS
	.irp r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\r, (\r * 8)(sp)
	.endr
.endm
.macro RESTORE_REGS
	.irp r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\r, (\r * 8)(sp)
	.endr
.endm
.macro LOAD_GP
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
.endm

	.section .text
	.align	2

/* m_enter_s(pc, sp, arg): mret into S-mode at pc with sp, a0 = arg. */
	.globl	m_enter_s
m_enter_s:
	csrw	mepc, a0
	li	t0, (3 << 11) | (1 << 7)	/* MPP, MPIE */
	csrc	mstatus, t0
	li	t0, (1 << 11)			/* MPP = S */
	csrs	mstatus, t0
	mv	sp, a1
	mv	a0, a2
	mret

/* s_enter_user(pc, sp): sret into U-mode; traps from U land on this stack. */
	.globl	s_enter_user
s_enter_user:
	csrw	sepc, a0
	li	t0, (1 << 8) | (1 << 5)		/* SPP = U, SPIE = 0 */
	csrc	sstatus, t0
	csrw	sscratch, sp
	mv	sp, a1
	sret

/* M-mode traps (only from S or U): mscratch holds the M stack's top. */
	.align	2
	.globl	m_trapvec
m_trapvec:
	csrrw	sp, mscratch, sp
	addi	sp, sp, -TRAP_FRAME
	SAVE_REGS
	csrr	t0, mscratch
	sd	t0, 16(sp)
	LOAD_GP
	mv	a0, sp
	call	m_trap
	RESTORE_REGS
	addi	sp, sp, TRAP_FRAME
	csrrw	sp, mscratch, sp
	mret

/*
 * S-mode traps. sscratch is 0 while the kernel runs and the kernel stack's
 * top while U-mode runs, so the first swap tells where the trap came from.
 */
	.align	2
	.globl	s_trapvec
s_trapvec:
	csrrw	sp, sscratch, sp
	bnez	sp, 1f
	/* From S: undo the swap and push on the current stack. */
	csrrw	sp, sscratch, sp
	addi	sp, sp, -TRAP_FRAME
	SAVE_REGS
	addi	t0, sp, TRAP_FRAME
	sd	t0, 16(sp)
	j	2f
1:	/* From U: sp is the kernel stack, sscratch the user's sp. */
	addi	sp, sp, -TRAP_FRAME
	SAVE_REGS
	csrr	t0, sscratch
	sd	t0, 16(sp)
	csrw	sscratch, zero
	LOAD_GP
2:	mv	a0, sp
	call	s_trap
	/* Returning to U: the next trap from U starts at this stack's top. */
	csrr	t0, sstatus
	andi	t0, t0, (1 << 8)
	bnez	t0, 3f
	addi	t0, sp, TRAP_FRAME
	csrw	sscratch, t0
3:	RESTORE_REGS
	ld	sp, 16(sp)
	sret

/*
 * The U-mode program, alone in its page(s), mapped at VA_UCODE. It only uses
 * registers, its stack and the test pages, and only 4-byte instructions, so
 * the kernel skips a faulting one by adding 4 to sepc.
 */
.macro SYSCALL n
	li	a7, \n
	ecall
.endm
.macro EXPECT cause, addr
	li	a0, \cause
	li	a1, \addr
	SYSCALL	SYS_EXPECT
.endm

	.balign	4096
	.globl	user_start
user_start:
	.option	push
	.option	norvc
	li	a0, 'U'
	SYSCALL	SYS_PUTC
	/* Demand paging: the load faults once, is mapped, then re-executes. */
	EXPECT	13, VA_UDEMAND
	li	t0, VA_UDEMAND
	ld	t1, 0(t0)
	li	t2, DEMAND_MAGIC
	li	s1, 1
	bne	t1, t2, user_fail
	/* Store to a read-only page: skipped, the page keeps its value. */
	EXPECT	15, VA_URO + 8
	li	t0, VA_URO + 8
	li	t1, 0x77
	sd	t1, 0(t0)
	ld	t1, 0(t0)
	li	t2, RO_MAGIC
	li	s1, 2
	bne	t1, t2, user_fail
	/* Fetch from a non-executable page: resumes after the call. */
	EXPECT	12, VA_UNX
	li	t0, VA_UNX
	jalr	ra, 0(t0)
	/* Supervisor-only page: neither load nor store from U. */
	EXPECT	13, VA_USUP + 16
	li	t0, VA_USUP + 16
	li	t1, 0x55
	ld	t1, 0(t0)
	li	t2, 0x55
	li	s1, 3
	bne	t1, t2, user_fail
	EXPECT	15, VA_USUP + 16
	sd	t1, 0(t0)
	/* The user's own pages work: data page and stack. */
	li	t0, VA_UDATA + 64
	li	t1, 0x1234
	sd	t1, 0(t0)
	ld	t2, 0(t0)
	li	s1, 4
	bne	t1, t2, user_fail
	addi	sp, sp, -16
	sd	t1, 8(sp)
	ld	t2, 8(sp)
	addi	sp, sp, 16
	li	s1, 5
	bne	t1, t2, user_fail
	li	a0, 'u'
	SYSCALL	SYS_PUTC
	li	a0, 0
	SYSCALL	SYS_EXIT
user_fail:
	mv	a0, s1
	SYSCALL	SYS_EXIT
1:	j	1b
	.option	pop
	.balign	4096
	.globl	user_end
user_end:
