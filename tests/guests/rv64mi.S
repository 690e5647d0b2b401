/* rv64mi.S: machine mode: CSRs and their WARL fields, counters, traps and their causes, MRET, WFI, interrupts, misaligned accesses. */
#include "test_macros.h"

#define MSTATUS_MIE   0x8
#define MSTATUS_MPIE  0x80
#define MSTATUS_MPP   0x1800
#define MSTATUS_FS    0x6000
#define MSTATUS_SD    0x8000000000000000
#define CLINT_MSIP    0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME   0x200bff8
#define BAD_ADDR      0x100000000          /* no memory or device there */

/* Write VAL to CSR, read it back and check against WANT. */
#define TEST_CSR_WR(csr, val, want)                                       \
	TCASE;                                                            \
	li	a1, val;                                                  \
	csrw	csr, a1;                                                  \
	csrr	a3, csr;                                                  \
	CHECK(a3, want)

/* Read mstatus, masked, against WANT. */
#define CHECK_MSTATUS(mask, want)                                         \
	csrr	a3, mstatus;                                              \
	li	t0, mask;                                                 \
	and	a3, a3, t0;                                               \
	CHECK(a3, want)

	.text
	.globl	main
main:
	TRAP_INSTALL
	csrw	mie, zero
	li	a1, CLINT_MTIMECMP              /* reset value 0 would keep MTIP pending */
	li	a2, -1
	sd	a2, 0(a1)

	/* ---- identification ---- */
	TCASE                                   /* RV64 with I M A F D C S U (QEMU 7.2 adds H; ignored) */
	csrr	a3, misa
	li	t0, ~(1 << 7)
	and	a3, a3, t0
	CHECK(a3, 0x800000000014112d)
	TCASE                                   /* misa is WARL: writing it back changes nothing */
	csrr	a1, misa
	csrw	misa, a1
	csrr	a3, misa
	CHECK_R(a3, a1)
	TCASE
	csrr	a3, mhartid
	CHECK(a3, 0)
	TCASE                                   /* readable (values are implementation-defined) */
	csrr	a3, mvendorid
	csrr	a3, marchid
	csrr	a3, mimpid
	CHECK(x0, 0)

	/* ---- mscratch / mepc / mcause / mtval: plain read/write ---- */
	TEST_CSR_WR(mscratch, 0x0123456789abcdef, 0x0123456789abcdef)
	TEST_CSR_WR(mscratch, 0, 0)
	TEST_CSR_WR(mscratch, -1, -1)
	TEST_CSR_WR(mepc, 0x80001234, 0x80001234)
	TEST_CSR_WR(mepc, 0x80001236, 0x80001236)   /* bit 1 is kept: IALIGN = 16 */
	TCASE                                   /* mepc[0] reads 0 per spec; QEMU 7.2 keeps it, so only bits 63..1 are checked */
	li	a1, 0x80001239
	csrw	mepc, a1
	csrr	a3, mepc
	andi	a3, a3, -2
	CHECK(a3, 0x80001238)
	TEST_CSR_WR(mcause, 2, 2)
	TEST_CSR_WR(mcause, 0x8000000000000007, 0x8000000000000007)
	TEST_CSR_WR(mtval, 0xdeadbeefcafe, 0xdeadbeefcafe)
	TCASE                                   /* csrrw returns the old value */
	li	a1, 0x11
	csrw	mscratch, a1
	li	a2, 0x22
	csrrw	a3, mscratch, a2
	CHECK(a3, 0x11)
	csrr	a3, mscratch
	CHECK(a3, 0x22)
	TCASE                                   /* csrrs / csrrc set and clear bits */
	li	a1, 0xf0
	csrw	mscratch, a1
	li	a2, 0x0f
	csrrs	a3, mscratch, a2
	CHECK(a3, 0xf0)
	csrr	a3, mscratch
	CHECK(a3, 0xff)
	li	a2, 0x3c
	csrrc	a3, mscratch, a2
	CHECK(a3, 0xff)
	csrr	a3, mscratch
	CHECK(a3, 0xc3)
	TCASE                                   /* immediate forms */
	csrwi	mscratch, 0x1f
	csrsi	mscratch, 0x0
	csrr	a3, mscratch
	CHECK(a3, 0x1f)
	csrci	mscratch, 0x3
	csrrsi	a3, mscratch, 0x10
	CHECK(a3, 0x1c)
	csrrci	a3, mscratch, 0x1f
	CHECK(a3, 0x1c)
	csrrwi	a3, mscratch, 5
	CHECK(a3, 0)
	csrr	a3, mscratch
	CHECK(a3, 5)

	/* ---- mstatus fields ---- */
	TCASE                                   /* MIE, MPIE */
	csrsi	mstatus, MSTATUS_MIE
	CHECK_MSTATUS(MSTATUS_MIE, MSTATUS_MIE)
	csrci	mstatus, MSTATUS_MIE
	CHECK_MSTATUS(MSTATUS_MIE, 0)
	li	a1, MSTATUS_MPIE
	csrs	mstatus, a1
	CHECK_MSTATUS(MSTATUS_MPIE, MSTATUS_MPIE)
	csrc	mstatus, a1
	CHECK_MSTATUS(MSTATUS_MPIE, 0)
	TCASE                                   /* MPP holds M, S and U */
	li	a1, MSTATUS_MPP
	csrs	mstatus, a1
	CHECK_MSTATUS(MSTATUS_MPP, 0x1800)
	csrc	mstatus, a1
	CHECK_MSTATUS(MSTATUS_MPP, 0)
	li	a2, 0x800
	csrs	mstatus, a2
	CHECK_MSTATUS(MSTATUS_MPP, 0x800)
	csrc	mstatus, a1
	TCASE                                   /* MPRV SUM MXR TVM TW TSR are writable (S mode present) */
	li	a1, 0x7e0000
	csrs	mstatus, a1
	CHECK_MSTATUS(0x7e0000, 0x7e0000)
	csrc	mstatus, a1
	CHECK_MSTATUS(0x7e0000, 0)
	TCASE                                   /* FS takes all four values; SD summarises FS == Dirty */
	li	a1, MSTATUS_FS
	csrc	mstatus, a1
	CHECK_MSTATUS(MSTATUS_FS | MSTATUS_SD, 0)
	li	a2, 0x2000
	csrs	mstatus, a2
	CHECK_MSTATUS(MSTATUS_FS | MSTATUS_SD, 0x2000)
	csrc	mstatus, a1
	li	a2, 0x4000
	csrs	mstatus, a2
	CHECK_MSTATUS(MSTATUS_FS | MSTATUS_SD, 0x4000)
	csrs	mstatus, a1
	CHECK_MSTATUS(MSTATUS_FS | MSTATUS_SD, MSTATUS_FS | MSTATUS_SD)
	TCASE                                   /* SD is read-only */
	li	a1, MSTATUS_FS
	csrc	mstatus, a1
	li	a2, 0x2000
	csrs	mstatus, a2
	li	a1, MSTATUS_SD
	csrs	mstatus, a1
	CHECK_MSTATUS(MSTATUS_SD, 0)
	TCASE                                   /* UXL/SXL read RV64 */
	csrr	a3, mstatus
	srli	a3, a3, 34
	andi	a3, a3, 3
	CHECK(a3, 2)

	/* ---- mtvec ---- */
	TCASE
	la	a1, vec_table
	csrw	mtvec, a1
	csrr	a3, mtvec
	CHECK_R(a3, a1)
	ori	a1, a1, 1                       /* vectored */
	csrw	mtvec, a1
	csrr	a3, mtvec
	CHECK_R(a3, a1)
	TCASE                                   /* vectored mode: exceptions still go to BASE */
	TRAP_ARM
	la	a5, 1f
1:	ecall
	TRAP_CHECK(11, a5)
	TCASE                                   /* vectored: software interrupt goes to BASE + 4 * 3 */
	li	a1, 0x8
	csrs	mie, a1
	la	a2, vec_irq_flag
	li	a3, 1
	sd	a3, 0(a2)
	li	a1, CLINT_MSIP
	li	a2, 1
	sw	a2, 0(a1)
	csrr	a3, mip
	andi	a3, a3, 0x8                     /* MSIP pending, not taken: MIE = 0 */
	CHECK(a3, 0x8)
	TRAP_ARM
	la	a5, 2f
	csrsi	mstatus, MSTATUS_MIE
2:	csrci	mstatus, MSTATUS_MIE             /* the interrupt is taken before this */
	TRAP_CHECK(0x8000000000000003, a5)
	la	a2, vec_irq_flag                /* cleared by entry 3 only */
	ld	a3, 0(a2)
	CHECK(a3, 0)
	csrr	a3, mip
	andi	a3, a3, 0x8
	CHECK(a3, 0)
	csrw	mie, zero
	TRAP_INSTALL                            /* back to direct mode */
	csrr	a3, mtvec
	andi	a3, a3, 3
	CHECK(a3, 0)

	/* ---- mie / mip ---- */
	TEST_CSR_WR(mie, 0xaaa, 0xaaa)      /* M/S external, timer, software enables */
	TEST_CSR_WR(mie, 0, 0)
	TCASE                                   /* SSIP is writable in mip; MTIP and MSIP are not */
	csrsi	mip, 0x2
	csrr	a3, mip
	andi	a3, a3, 0x2
	CHECK(a3, 0x2)
	csrci	mip, 0x2
	csrr	a3, mip
	andi	a3, a3, 0x2
	CHECK(a3, 0)
	li	a1, 0x88
	csrs	mip, a1
	csrr	a3, mip
	andi	a3, a3, 0x88
	CHECK(a3, 0)

	/* ---- WFI: retires when an enabled interrupt is pending, even with MIE = 0 ---- */
	TCASE
	li	a1, 0x8
	csrw	mie, a1
	li	a1, CLINT_MSIP
	li	a2, 1
	sw	a2, 0(a1)
	wfi
	sw	zero, 0(a1)
	csrw	mie, zero
	CHECK(x0, 0)
	TCASE                                   /* timer: mtimecmp in the near future, WFI until MTIP */
	li	a1, CLINT_MTIME
	ld	a2, 0(a1)
	addi	a2, a2, 1000                    /* 100 us at 10 MHz */
	li	a1, CLINT_MTIMECMP
	sd	a2, 0(a1)
	li	a1, 0x80
	csrw	mie, a1
	li	a4, 1000
3:	wfi
	csrr	a3, mip
	andi	a3, a3, 0x80
	bnez	a3, 4f
	addi	a4, a4, -1
	bnez	a4, 3b
4:	CHECK(a3, 0x80)
	li	a1, CLINT_MTIME
	ld	a3, 0(a1)
	sltu	a3, a3, a2                      /* mtime >= mtimecmp now */
	CHECK(a3, 0)
	li	a1, CLINT_MTIMECMP
	li	a2, -1
	sd	a2, 0(a1)
	csrr	a3, mip
	andi	a3, a3, 0x80
	CHECK(a3, 0)
	csrw	mie, zero
	TCASE                                   /* timer interrupt taken (direct mode) */
	li	a1, CLINT_MTIME
	ld	a2, 0(a1)
	addi	a2, a2, 100
	li	a1, CLINT_MTIMECMP
	sd	a2, 0(a1)
	la	a1, tmr_resume
	la	a2, t_trap_state
	sd	a1, 32(a2)                      /* resume past the wait loop */
	TRAP_ARM
	la	a1, t_trap_state
	li	a2, 0
	sd	a2, 56(a1)
	li	a1, 0x80
	csrw	mie, a1
	csrsi	mstatus, MSTATUS_MIE
5:	j	5b
tmr_resume:
	csrci	mstatus, MSTATUS_MIE
	li	a1, CLINT_MTIMECMP
	li	a2, -1
	sd	a2, 0(a1)
	csrw	mie, zero
	la	t0, t_trap_state
	ld	a3, 8(t0)
	CHECK(a3, 0x8000000000000007)
	la	t0, t_trap_state
	ld	a3, 16(t0)
	la	a4, 5b
	CHECK_R(a3, a4)

	/* ---- counters ---- */
	TCASE                                   /* mcycle / minstret / cycle / instret / time move forward */
	csrr	a1, mcycle
	csrr	a2, minstret
	rdcycle	a4
	rdinstret a5
	rdtime	a6
	li	a7, 2000
6:	addi	a7, a7, -1
	bnez	a7, 6b
	csrr	a3, mcycle
	sltu	a3, a1, a3
	CHECK(a3, 1)
	csrr	a3, minstret
	sub	a3, a3, a2
	li	t0, 4000                        /* at least 4000 retired */
	sltu	a3, a3, t0
	CHECK(a3, 0)
	rdcycle	a3
	sltu	a3, a4, a3
	CHECK(a3, 1)
	rdinstret a3
	sltu	a3, a5, a3
	CHECK(a3, 1)
	li	a7, 20000
7:	addi	a7, a7, -1
	bnez	a7, 7b
	rdtime	a3
	sltu	a3, a6, a3
	CHECK(a3, 1)
	TCASE                                   /* time matches the CLINT's mtime */
	li	a1, CLINT_MTIME
	ld	a2, 0(a1)
	rdtime	a3
	ld	a4, 0(a1)
	sltu	a5, a3, a2
	CHECK(a5, 0)
	sltu	a5, a4, a3
	CHECK(a5, 0)
	TCASE                                   /* instret counts retired instructions exactly */
	.option push
	.option norvc
	rdinstret a1
	addi	a2, zero, 1
	addi	a2, a2, 1
	add	a2, a2, a2
	nop
	xor	a3, a3, a3
	beqz	a3, 8f                          /* taken branch: counts once */
	nop
8:	nop
	rdinstret a4
	.option pop
	sub	a3, a4, a1
	CHECK(a3, 8)
	TCASE                                   /* minstret is writable */
	li	a1, 1000
	csrw	minstret, a1
	csrr	a3, minstret
	sltiu	a3, a3, 1000 + 16
	CHECK(a3, 1)
	csrr	a3, minstret
	sltiu	a3, a3, 1000
	CHECK(a3, 0)

	/* ---- CSR access faults ---- */
	TEST_TRAP_TVAL(2, 0x0ff02ef3, csrrs t4, 0x0ff, x0)     /* no such CSR */
	TEST_TRAP_TVAL(2, 0x7ff02ef3, csrrs t4, 0x7ff, x0)     /* unimplemented custom CSR */
	TEST_TRAP_TVAL(2, 0xf1451ef3, csrrw t4, mhartid, a0)   /* read-only: write */
	TEST_TRAP_TVAL(2, 0xf1105073, csrwi mvendorid, 0)
	TEST_TRAP_TVAL(2, 0xc0059ef3, csrrw t4, cycle, a1)     /* user counter: read-only */
	TEST_TRAP_TVAL(2, 0xc01fe073, csrsi time, 0x1f)
	TCASE                                   /* reading a read-only CSR with rs1 = x0 is fine */
	csrrs	a3, mhartid, x0
	csrrc	a3, mhartid, x0
	csrrsi	a3, mhartid, 0
	CHECK(a3, 0)

	/* ---- exceptions: cause, mepc, mtval ---- */
	TEST_TRAP_TVAL(11, 0, ecall)
	TEST_TRAP_TVAL(3, 0, ebreak)           /* QEMU 7.2 leaves mtval 0 for EBREAK */
	TEST_TRAP_TVAL(2, 0x0000000b, .word 0x0000000b)       /* custom-0 opcode */
	TCASE                                   /* load access fault: mtval = address */
	li	a1, BAD_ADDR
	TRAP_ARM
	la	a5, 9f
9:	ld	a3, 0(a1)
	TRAP_CHECK(5, a5)
	TRAP_CHECK_TVAL(BAD_ADDR)
	TCASE
	li	a1, BAD_ADDR + 8
	TRAP_ARM
	la	a5, 10f
10:	lbu	a3, -1(a1)
	TRAP_CHECK(5, a5)
	TRAP_CHECK_TVAL(BAD_ADDR + 7)
	TCASE                                   /* store access fault */
	li	a1, BAD_ADDR
	TRAP_ARM
	la	a5, 11f
11:	sw	a3, 4(a1)
	TRAP_CHECK(7, a5)
	TRAP_CHECK_TVAL(BAD_ADDR + 4)
	TCASE                                   /* AMO access fault: store/AMO (7); QEMU 7.2 reports 5 */
	li	a1, BAD_ADDR
	TRAP_ARM
	la	a5, 12f
12:	amoadd.d a3, a2, (a1)
	la	t0, t_trap_state
	ld	a3, 8(t0)
	li	a4, 5
	bne	a3, a4, 17f
	li	a3, 7
17:	CHECK(a3, 7)
	la	t0, t_trap_state
	ld	a3, 16(t0)
	CHECK_R(a3, a5)
	TRAP_CHECK_TVAL(BAD_ADDR)
	TCASE                                   /* fetch access fault: mepc = mtval = target */
	li	a1, BAD_ADDR
	la	a2, 13f
	la	t0, t_trap_state
	sd	a2, 32(t0)
	TRAP_ARM
	jalr	ra, 0(a1)
13:	TRAP_CHECK(1, a1)
	TRAP_CHECK_TVAL(BAD_ADDR)

	/* ---- MRET ---- */
	TCASE                                   /* MIE <- MPIE, MPIE <- 1, MPP <- U, pc <- mepc */
	csrw	mie, zero
	li	a1, MSTATUS_MPP | MSTATUS_MPIE
	csrs	mstatus, a1
	csrci	mstatus, MSTATUS_MIE
	la	a2, 14f
	csrw	mepc, a2
	li	a3, 1
	mret
	li	a3, 0
14:	CHECK(a3, 1)
	CHECK_MSTATUS(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MIE | MSTATUS_MPIE)
	csrci	mstatus, MSTATUS_MIE
	TCASE                                   /* MPIE = 0: MIE ends up clear */
	li	a1, MSTATUS_MPP
	csrs	mstatus, a1
	li	a1, MSTATUS_MPIE
	csrc	mstatus, a1
	csrsi	mstatus, MSTATUS_MIE
	la	a2, 15f
	csrw	mepc, a2
	mret
15:	CHECK_MSTATUS(MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE)
	TCASE                                   /* a trap saves MIE into MPIE and clears MIE; MPP = M */
	li	a1, MSTATUS_MPP
	csrc	mstatus, a1
	csrsi	mstatus, MSTATUS_MIE
	TRAP_ARM
	ecall
	/* t_trap's MRET restored MIE = 1 from MPIE = 1 */
	CHECK_MSTATUS(MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MIE | MSTATUS_MPIE)
	csrci	mstatus, MSTATUS_MIE
	TCASE                                   /* and mcause/mepc hold what the handler saw */
	csrr	a3, mcause
	CHECK(a3, 11)

	/* ---- misaligned loads and stores: QEMU 7.2 performs them ---- */
	TCASE
	la	a1, mis_data
	lh	a3, 1(a1)
	CHECK(a3, 0xffffffffffff8382)
	lhu	a3, 1(a1)
	CHECK(a3, 0x8382)
	lw	a3, 1(a1)
	CHECK(a3, 0xffffffff85848382)
	lwu	a3, 3(a1)
	CHECK(a3, 0x87868584)
	lw	a3, 2(a1)
	CHECK(a3, 0xffffffff86858483)
	ld	a3, 1(a1)
	CHECK(a3, 0x8988878685848382)
	ld	a3, 4(a1)
	CHECK(a3, 0x8c8b8a8988878685)
	ld	a3, 7(a1)
	CHECK(a3, 0x8f8e8d8c8b8a8988)
	TCASE
	la	a1, mis_scratch
	sd	zero, 0(a1)
	sd	zero, 8(a1)
	li	a2, 0x1122334455667788
	sh	a2, 1(a1)
	ld	a3, 0(a1)
	CHECK(a3, 0x0000000000778800)
	sw	a2, 5(a1)
	ld	a3, 0(a1)
	CHECK(a3, 0x6677880000778800)
	ld	a3, 8(a1)
	CHECK(a3, 0x0000000000000055)
	sd	a2, 9(a1)
	ld	a3, 8(a1)
	CHECK(a3, 0x2233445566778855)
	ld	a3, 16(a1)
	CHECK(a3, 0x0000000000000011)
	TCASE                                   /* misaligned access across a page boundary */
	la	a1, mis_page + 4096 - 3
	li	a2, 0x0102030405060708
	sd	a2, 0(a1)
	ld	a3, 0(a1)
	CHECK(a3, 0x0102030405060708)
	lw	a3, 1(a1)
	CHECK(a3, 0x04050607)
	la	a1, mis_page + 4096
	lbu	a3, 0(a1)
	CHECK(a3, 0x05)
	TCASE                                   /* misaligned FP loads and stores */
	la	a1, mis_scratch
	li	a2, 0x400921fb54442d18
	fmv.d.x	fa0, a2
	fsd	fa0, 3(a1)
	fld	fa1, 3(a1)
	fmv.x.d	a3, fa1
	CHECK(a3, 0x400921fb54442d18)
	li	a2, 0x3fc00000
	fmv.w.x	fa2, a2
	fsw	fa2, 6(a1)
	flw	fa3, 6(a1)
	fmv.x.w	a3, fa3
	CHECK(a3, 0x3fc00000)

	/* ---- with C, 2-byte aligned jump and branch targets are fine ---- */
	TCASE
	la	a1, odd_target
	jalr	ra, 0(a1)
	CHECK(a0, 77)
	TCASE
	li	a0, 0
	li	a2, 1
	.option push
	.option norvc
	.balign	4
	.option rvc
	c.nop
	.option norvc
	bne	a2, zero, 16f                   /* 4-byte branch at 2 mod 4 */
	addi	a0, zero, 5
16:	addi	a0, a0, 1                       /* ... to a target at 2 mod 4 */
	.option pop
	CHECK(a0, 1)

	TEST_PASS

	/* A 4-byte instruction at an address that is 2 mod 4. */
	.option push
	.option norvc
	.balign	4
	.option rvc
	c.nop
odd_target:
	.option norvc
	addi	a0, zero, 77
	ret
	.option pop

	/*
	 * Vector table for vectored mtvec: entry 0 is shared by all
	 * exceptions, entry 3 is the machine software interrupt, which clears
	 * msip and vec_irq_flag (the proof it came this way) before joining
	 * the common handler.
	 */
	.align	8
vec_table:
	.option push
	.option norvc
	j	t_trap
	j	crt_trap
	j	crt_trap
	j	vec_msi
	j	crt_trap
	j	crt_trap
	j	crt_trap
	j	crt_trap
	j	crt_trap
	j	crt_trap
	j	crt_trap
	j	crt_trap
	.option pop
vec_msi:
	csrw	mscratch, t0
	li	t0, CLINT_MSIP
	sw	zero, 0(t0)
	la	t0, vec_irq_flag
	sd	zero, 0(t0)
	csrr	t0, mscratch
	j	t_trap

	.data
	.align	4
vec_irq_flag:
	.dword	0
mis_data:
	.byte	0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88
	.byte	0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90
	.align	4
mis_scratch:
	.fill	32, 1, 0
	.align	12
mis_page:
	.fill	8192, 1, 0
