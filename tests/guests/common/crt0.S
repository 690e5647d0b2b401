/* crt0.S: start-up for bare-metal test guests: stacks, bss, FPU, traps, main. */
#define STACK_PER_HART 16384

	.section .text.init
	.globl _start
_start:
	csrr	s0, mhartid
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	t0, crt_trap
	csrw	mtvec, t0
	/* One 16 KiB stack per hart, hart 0 at the top. */
	la	sp, __stack_top
	li	t0, STACK_PER_HART
	mul	t0, t0, s0
	sub	sp, sp, t0
	/* FS = Initial so F/D instructions work. */
	li	t0, (1 << 13)
	csrs	mstatus, t0
	csrwi	fcsr, 0
	bnez	s0, 2f
	/* Hart 0 clears bss, then releases the others. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 3f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
3:	fence	rw, rw
	li	t0, 1
	la	t1, crt_boot_done
	sw	t0, 0(t1)
	j	4f
2:	la	t1, crt_boot_done
	lw	t0, 0(t1)
	beqz	t0, 2b
	fence	rw, rw
4:	mv	a0, s0
	call	main
	call	g_exit
5:	j	5b

	/* Unexpected trap: print cause/epc/tval and fail with code 0x7e. */
	.align 2
	.globl crt_trap
crt_trap:
	la	sp, __stack_top
	csrr	t0, mhartid
	li	t1, STACK_PER_HART
	mul	t1, t1, t0
	sub	sp, sp, t1
	csrr	a0, mcause
	csrr	a1, mepc
	csrr	a2, mtval
	call	g_unexpected_trap
6:	j	6b

	.data
	.align 2
	.globl crt_boot_done
crt_boot_done:
	.word 0
