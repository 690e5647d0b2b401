/* rv64uc.S: RVC: every compressed instruction (explicit c. mnemonics) and the reserved encodings that must trap. */
#include "test_macros.h"

/* Run a compressed two-register op: a0 = v1, a1 = v2, op a0, a1. */
#define TEST_C_RR(op, want, v1, v2)                                       \
	TCASE;                                                            \
	li	a0, v1;                                                   \
	li	a1, v2;                                                   \
	op	a0, a1;                                                   \
	CHECK(a0, want)
/* a0 = v1, op a0, imm. */
#define TEST_C_RI(op, want, v1, imm)                                      \
	TCASE;                                                            \
	li	a0, v1;                                                   \
	op	a0, imm;                                                  \
	CHECK(a0, want)
/* A reserved 16-bit encoding traps as illegal with mtval = its bits (QEMU). */
#define TEST_C_ILLEGAL(bits)                                              \
	TEST_TRAP_TVAL(2, bits, .2byte bits)

	.option	rvc
	.text
	.globl	main
main:
	TRAP_INSTALL
	mv	s11, sp                         /* cases below move sp */

	/* ---- C.ADDI4SPN ---- */
	TCASE
	li	sp, 0x1000
	c.addi4spn a0, sp, 4
	mv	sp, s11
	CHECK(a0, 0x1004)
	TCASE
	li	sp, -8
	c.addi4spn s1, sp, 1020
	mv	sp, s11
	CHECK(s1, 0x3f4)
	TCASE
	li	sp, 0x80000000
	c.addi4spn a5, sp, 512
	mv	sp, s11
	CHECK(a5, 0x80000200)

	/* ---- C.LW / C.LD / C.FLD ---- */
	TCASE
	la	a1, cdata
	c.lw	a0, 0(a1)
	CHECK(a0, 0xffffffff80000001)          /* sign-extends */
	TCASE
	c.lw	a0, 4(a1)
	CHECK(a0, 0x7ffffffe)
	TCASE
	la	a1, cdata + 128 - 124
	c.lw	a0, 124(a1)                     /* largest offset */
	CHECK(a0, 0x11223344)
	TCASE
	la	a1, cdata
	c.ld	a0, 0(a1)
	CHECK(a0, 0x7ffffffe80000001)
	TCASE
	la	a1, cdata + 128 - 248
	c.ld	s0, 248(a1)
	CHECK(s0, 0x5566778811223344)
	TCASE
	la	a1, cdata
	c.fld	fa0, 8(a1)
	fmv.x.d	a0, fa0
	CHECK(a0, 0x400921fb54442d18)
	TCASE
	la	a1, cdata + 8 - 248 + 8
	c.fld	fs1, 240(a1)
	fmv.x.d	a0, fs1
	CHECK(a0, 0x400921fb54442d18)

	/* ---- C.SW / C.SD / C.FSD ---- */
	TCASE
	la	a1, cscratch
	li	a0, -1
	sd	a0, 0(a1)
	li	a0, 0x1234567887654321
	c.sw	a0, 0(a1)
	ld	a2, 0(a1)
	CHECK(a2, 0xffffffff87654321)
	TCASE
	la	a1, cscratch - 120
	li	a0, 0xabcdef01
	c.sw	a0, 124(a1)
	la	a1, cscratch
	lwu	a2, 4(a1)
	CHECK(a2, 0xabcdef01)
	TCASE
	la	a1, cscratch
	li	a0, 0x0102030405060708
	c.sd	a0, 8(a1)
	ld	a2, 8(a1)
	CHECK(a2, 0x0102030405060708)
	TCASE
	la	a1, cscratch - 240
	li	a0, 0x8877665544332211
	c.sd	a0, 248(a1)
	la	a1, cscratch
	ld	a2, 8(a1)
	CHECK(a2, 0x8877665544332211)
	TCASE
	la	a1, cscratch
	li	a0, 0x3ff0000000000000
	fmv.d.x	fa5, a0
	c.fsd	fa5, 16(a1)
	ld	a2, 16(a1)
	CHECK(a2, 0x3ff0000000000000)

	/* ---- C.ADDI / C.NOP / C.ADDIW / C.LI ---- */
	TEST_C_RI(c.addi, 0, -1, 1)
	TEST_C_RI(c.addi, 0x7fffffffffffffe1, 0x8000000000000000, -31)
	TEST_C_RI(c.addi, 31 + 5, 5, 31)
	TEST_C_RI(c.addi, -27, 5, -32)
	TCASE
	li	a0, 9
	c.nop
	CHECK(a0, 9)
	TEST_C_RI(c.addiw, 0xffffffff80000000, 0x7fffffff, 1)
	TEST_C_RI(c.addiw, 0x0000000012345678, 0xabcdef0012345678, 0)   /* sext.w */
	TEST_C_RI(c.addiw, 0xffffffffffffffe0, 0x1234567800000000, -32)
	TEST_C_RI(c.addiw, 0x7fffffff, 0xffffffff80000000, -1)
	TCASE
	c.li	a0, 0
	CHECK(a0, 0)
	TCASE
	c.li	t3, -32
	CHECK(t3, -32)
	TCASE
	c.li	s11, 31
	CHECK(s11, 31)
	mv	s11, sp

	/* ---- C.ADDI16SP / C.LUI ---- */
	TCASE
	li	sp, 0x1000
	c.addi16sp sp, 16
	mv	a0, sp
	mv	sp, s11
	CHECK(a0, 0x1010)
	TCASE
	li	sp, 0x1000
	c.addi16sp sp, -512
	mv	a0, sp
	mv	sp, s11
	CHECK(a0, 0xe00)
	TCASE
	li	sp, 0x1000
	c.addi16sp sp, 496
	mv	a0, sp
	mv	sp, s11
	CHECK(a0, 0x11f0)
	TCASE
	c.lui	a0, 1
	CHECK(a0, 0x1000)
	TCASE
	c.lui	a0, 0x1f
	CHECK(a0, 0x1f000)
	TCASE
	c.lui	t5, 0xfffe0                     /* most negative: -0x20000 */
	CHECK(t5, 0xfffffffffffe0000)
	TCASE
	c.lui	a0, 0xfffff
	CHECK(a0, 0xfffffffffffff000)

	/* ---- C.SRLI / C.SRAI / C.ANDI / C.SLLI ---- */
	TEST_C_RI(c.srli, 0x4000000000000000, 0x8000000000000000, 1)
	TEST_C_RI(c.srli, 0x0000000100000000, 0x8000000000000000, 31)
	TEST_C_RI(c.srli, 0x0000000080000000, 0x8000000000000000, 32)
	TEST_C_RI(c.srli, 1, 0x8000000000000000, 63)
	TEST_C_RI(c.srai, 0xc000000000000000, 0x8000000000000000, 1)
	TEST_C_RI(c.srai, 0xffffffff80000000, 0x8000000000000000, 32)
	TEST_C_RI(c.srai, 0xffffffffffffffff, 0x8000000000000000, 63)
	TEST_C_RI(c.srai, 0x0000000000000000, 0x7fffffffffffffff, 63)
	TEST_C_RI(c.andi, 0x000000000000000f, 0xff0f, 0x1f)
	TEST_C_RI(c.andi, 0x123456789abcdee0, 0x123456789abcdeff, -32)
	TEST_C_RI(c.andi, 0, 0xff, 0)
	TEST_C_RI(c.andi, 0x8000000000000001, 0x8000000000000001, -1)
	TEST_C_RI(c.slli, 2, 1, 1)
	TEST_C_RI(c.slli, 0x0000000100000000, 1, 32)
	TEST_C_RI(c.slli, 0x8000000000000000, 1, 63)
	TEST_C_RI(c.slli, 0xffffffff80000000, 0xffffffffffffffff, 31)
	TCASE
	li	t4, 3
	c.slli	t4, 4                           /* full register range */
	CHECK(t4, 48)

	/* ---- C.SUB / C.XOR / C.OR / C.AND / C.SUBW / C.ADDW ---- */
	TEST_C_RR(c.sub, -4, 3, 7)
	TEST_C_RR(c.sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
	TEST_C_RR(c.xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
	TEST_C_RR(c.or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
	TEST_C_RR(c.and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
	TEST_C_RR(c.subw, 0xffffffff80000000, 0x7fffffff, -1)
	TEST_C_RR(c.subw, 0x7fffffff, 0x80000000, 1)
	TEST_C_RR(c.subw, 0, 0xabcdef0000000000, 0x1234560000000000)
	TEST_C_RR(c.addw, 0xffffffff80000000, 0x7fffffff, 1)
	TEST_C_RR(c.addw, 0, 0xffffffff, 1)
	TEST_C_RR(c.addw, 0x12345678, 0xabcdef0012345678, 0x1234567800000000)
	TCASE
	li	s0, 10
	li	s1, 3
	c.subw	s0, s1
	CHECK(s0, 7)

	/* ---- C.MV / C.ADD ---- */
	TCASE
	li	a1, 0x123456789
	c.mv	a0, a1
	CHECK(a0, 0x123456789)
	TCASE
	li	t6, -5
	c.mv	t0, t6
	CHECK(t0, -5)
	TEST_C_RR(c.add, 10, 3, 7)
	TEST_C_RR(c.add, 0x8000000000000000, 0x7fffffffffffffff, 1)
	TEST_C_RR(c.add, 0x100000000, 0xffffffff, 1)
	TCASE
	li	t1, 100
	li	s10, 23
	c.add	t1, s10
	CHECK(t1, 123)

	/* ---- C.J / C.BEQZ / C.BNEZ ---- */
	TCASE
	li	a0, 0
	c.j	1f
	li	a0, 1
1:	CHECK(a0, 0)
	TCASE                                   /* backward c.j */
	li	a0, 0
	c.j	3f
2:	addi	a0, a0, 5
	c.j	4f
3:	c.j	2b
4:	CHECK(a0, 5)
	TCASE
	li	a0, 0
	li	a1, 0
	c.beqz	a1, 5f
	li	a0, 1
5:	CHECK(a0, 0)
	TCASE
	li	a0, 0
	li	a1, 0x100000000                 /* all 64 bits compared */
	c.beqz	a1, 6f
	li	a0, 1
6:	CHECK(a0, 1)
	TCASE
	li	a0, 0
	li	a1, 0x8000000000000000
	c.bnez	a1, 7f
	li	a0, 1
7:	CHECK(a0, 0)
	TCASE
	li	a0, 0
	li	a1, 0
	c.bnez	a1, 8f
	li	a0, 1
8:	CHECK(a0, 1)
	TCASE                                   /* backward conditional branches */
	li	a0, 3
	li	a1, 0
9:	addi	a1, a1, 1
	c.addi	a0, -1
	c.bnez	a0, 9b
	CHECK(a1, 3)
	TCASE
	li	a0, 0
	li	a1, 0
10:	addi	a1, a1, 1
	c.beqz	a0, 11f
	c.j	12f
11:	li	a0, 1
	c.j	10b
12:	CHECK(a1, 2)

	/* ---- C.JR / C.JALR ---- */
	TCASE
	la	a1, 13f
	li	a0, 0
	c.jr	a1
	li	a0, 1
13:	CHECK(a0, 0)
	TCASE
	la	t0, 14f
	li	a0, 0
15:	c.jalr	t0                              /* ra = pc + 2 */
	li	a0, 1
14:	la	a2, 15b + 2
	CHECK(a0, 0)
	CHECK_R(ra, a2)
	TCASE                                   /* c.jalr through ra itself */
	la	ra, t_inc
	li	a0, 4
16:	c.jalr	ra
	CHECK(a0, 5)
	TCASE
	la	a1, t_inc
	li	a0, 1
	c.jalr	a1
	c.jalr	a1
	CHECK(a0, 3)

	/* ---- SP-relative loads and stores ---- */
	TCASE
	la	sp, cdata
	c.lwsp	a0, 0(sp)
	c.ldsp	a2, 0(sp)
	c.fldsp	fa1, 8(sp)
	mv	sp, s11
	CHECK(a0, 0xffffffff80000001)
	CHECK(a2, 0x7ffffffe80000001)
	fmv.x.d	a3, fa1
	CHECK(a3, 0x400921fb54442d18)
	TCASE
	la	sp, cdata + 128 - 252
	c.lwsp	t2, 252(sp)                     /* largest offsets */
	mv	sp, s11
	CHECK(t2, 0x11223344)
	TCASE
	la	sp, cdata + 128 - 504
	c.ldsp	t2, 504(sp)
	c.fldsp	ft3, 504(sp)
	mv	sp, s11
	CHECK(t2, 0x5566778811223344)
	fmv.x.d	t3, ft3
	CHECK(t3, 0x5566778811223344)
	TCASE
	la	sp, cscratch
	li	a0, -1
	sd	a0, 0(sp)
	sd	a0, 8(sp)
	li	a0, 0x1111222233334444
	c.swsp	a0, 0(sp)
	c.sdsp	a0, 8(sp)
	li	a1, 0x4000000000000000
	fmv.d.x	fa2, a1
	c.fsdsp	fa2, 16(sp)
	mv	sp, s11
	la	a1, cscratch
	ld	a2, 0(a1)
	CHECK(a2, 0xffffffff33334444)
	ld	a2, 8(a1)
	CHECK(a2, 0x1111222233334444)
	ld	a2, 16(a1)
	CHECK(a2, 0x4000000000000000)
	TCASE
	la	sp, cscratch - 240
	li	t5, 0x0badcafe
	c.swsp	t5, 252(sp)
	c.sdsp	t5, 504(sp)
	mv	sp, s11
	la	a1, cscratch
	lwu	a2, 12(a1)
	CHECK(a2, 0x0badcafe)
	ld	a2, 264(a1)
	CHECK(a2, 0x0badcafe)
	TCASE
	la	sp, cscratch - 480
	li	a0, 0x3ff8000000000000
	fmv.d.x	ft9, a0
	c.fsdsp	ft9, 504(sp)
	mv	sp, s11
	la	a1, cscratch
	ld	a2, 24(a1)
	CHECK(a2, 0x3ff8000000000000)

	/* ---- C.EBREAK: breakpoint, mepc = its address, 2-byte skip ---- */
	TEST_TRAP(3, c.ebreak)
	TRAP_CHECK_TVAL(0)

	/* ---- reserved encodings: illegal instruction, mtval = the bits ---- */
	TEST_C_ILLEGAL(0x0000)                  /* defined illegal instruction */
	TEST_C_ILLEGAL(0x0004)                  /* C.ADDI4SPN, nzuimm = 0 */
	TEST_C_ILLEGAL(0x001c)
	TEST_C_ILLEGAL(0x6501)                  /* C.LUI a0, 0 */
	TEST_C_ILLEGAL(0x6081)                  /* C.LUI ra, 0 */
	TEST_C_ILLEGAL(0x6101)                  /* C.ADDI16SP, nzimm = 0 */
	TEST_C_ILLEGAL(0x2005)                  /* C.ADDIW with rd = 0 */
	TEST_C_ILLEGAL(0x307d)                  /* ... imm = -1 */
	TEST_C_ILLEGAL(0x4002)                  /* C.LWSP with rd = 0 */
	TEST_C_ILLEGAL(0x4012)
	TEST_C_ILLEGAL(0x6002)                  /* C.LDSP with rd = 0 */
	TEST_C_ILLEGAL(0x707e)                  /* ... with an offset */
	TEST_C_ILLEGAL(0x8002)                  /* C.JR with rs1 = 0 */
	TCASE                                   /* registers untouched by the traps */
	CHECK(x0, 0)
	mv	a0, sp
	CHECK_R(a0, s11)

	TEST_PASS

t_inc:
	c.addi	a0, 1
	c.jr	ra

	.data
	.align	4
cdata:
	.word	0x80000001, 0x7ffffffe
	.dword	0x400921fb54442d18
	.fill	112, 1, 0
	.word	0x11223344, 0x55667788          /* at cdata + 128 */
	.align	4
cscratch:
	.fill	512, 1, 0
