/* start.S: S-mode entry of the SBI guest (a0 = hartid, a1 = DTB or opaque), stacks, the trap vector. */
#define STACK_PER_HART 16384

	.section .text.init
	.globl _start
_start:
	/* The boot hart: clear bss, then main(hartid, dtb). */
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	mv	tp, a0
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	set_stack
	la	t0, s_trap_entry
	csrw	stvec, t0
	call	s_main
3:	j	3b

	/* A hart started by HSM hart_start: secondary(hartid, opaque). */
	.globl secondary_entry
secondary_entry:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	mv	tp, a0
	call	set_stack
	la	t0, s_trap_entry
	csrw	stvec, t0
	call	secondary
4:	j	4b

/* sp = top of hart tp's stack (hart 0 at the top); keeps a0/a1. */
set_stack:
	la	sp, __stack_top
	li	t0, STACK_PER_HART
	mul	t0, t0, tp
	sub	sp, sp, t0
	ret

	.align 2
s_trap_entry:
	addi	sp, sp, -144
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	a0, 32(sp)
	sd	a1, 40(sp)
	sd	a2, 48(sp)
	sd	a3, 56(sp)
	sd	a4, 64(sp)
	sd	a5, 72(sp)
	sd	a6, 80(sp)
	sd	a7, 88(sp)
	sd	t3, 96(sp)
	sd	t4, 104(sp)
	sd	t5, 112(sp)
	sd	t6, 120(sp)
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	call	s_trap
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	a0, 32(sp)
	ld	a1, 40(sp)
	ld	a2, 48(sp)
	ld	a3, 56(sp)
	ld	a4, 64(sp)
	ld	a5, 72(sp)
	ld	a6, 80(sp)
	ld	a7, 88(sp)
	ld	t3, 96(sp)
	ld	t4, 104(sp)
	ld	t5, 112(sp)
	ld	t6, 120(sp)
	addi	sp, sp, 144
	sret
