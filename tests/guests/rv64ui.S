/* rv64ui.S: RV64I user-level instructions: ALU, shifts, compares, branches, jumps, loads, stores. */
#include "test_macros.h"

/* Branch cases: TAKEN(op, a, b) must branch, NOT_TAKEN must fall through. */
#define TAKEN(op, v1, v2)                                                 \
	TCASE;                                                            \
	li	a1, v1;                                                   \
	li	a2, v2;                                                   \
	li	a3, 0;                                                    \
	op	a1, a2, 9992f;                                            \
	li	a3, 1;                                                    \
9992:	CHECK(a3, 0)
#define NOT_TAKEN(op, v1, v2)                                             \
	TCASE;                                                            \
	li	a1, v1;                                                   \
	li	a2, v2;                                                   \
	li	a3, 0;                                                    \
	op	a1, a2, 9993f;                                            \
	li	a3, 1;                                                    \
9993:	CHECK(a3, 1)
/* Backward branch: taken exactly COUNT times around a loop. */
#define BACKWARD(op, v1, v2)                                              \
	TCASE;                                                            \
	li	a1, v1;                                                   \
	li	a2, v2;                                                   \
	li	a3, 0;                                                    \
	j	9995f;                                                    \
9994:	addi	a3, a3, 1;                                                \
	li	a1, 0x7ff;                                                \
	li	a2, 0x7ff;                                                \
	addi	a2, a2, -1;                                               \
9995:	op	a1, a2, 9996f;                                            \
	j	9997f;                                                    \
9996:	beqz	a3, 9994b;                                                \
9997:	CHECK(a3, 1)

/* Load LD from DATA+OFF must give WANT (base register points at DATA+BASE). */
#define TEST_LD(ld, want, base, off)                                      \
	TCASE;                                                            \
	la	a1, ldata + base;                                         \
	ld	a3, off(a1);                                              \
	CHECK(a3, want)
/* Store V with ST at DATA+OFF, read back the doubleword with LDW. */
#define TEST_ST(st, v, off, ldw, want)                                    \
	TCASE;                                                            \
	la	a1, sdata;                                                \
	li	a2, 0x5555555555555555;                                   \
	sd	a2, 0(a1);                                                \
	sd	a2, 8(a1);                                                \
	li	a2, v;                                                    \
	addi	a4, a1, 8;                                                \
	st	a2, off(a4);                                              \
	ld	a3, 8(a1);                                                \
	CHECK(a3, want);                                                  \
	ld	a3, 0(a1);                                                \
	CHECK(a3, 0x5555555555555555)

	.text
	.globl	main
main:
	TRAP_INSTALL

	/* ---- ADD / ADDI / ADDW / ADDIW ---- */
	TEST_RR(add, 0, 0, 0)
	TEST_RR(add, 2, 1, 1)
	TEST_RR(add, 10, 3, 7)
	TEST_RR(add, 0xffffffff80000000, 0, 0xffffffff80000000)
	TEST_RR(add, 0x000000007fff8000, 0x7fffffff, 0xffffffffffff8001)
	TEST_RR(add, 0x8000000000000000, 0x7fffffffffffffff, 1)
	TEST_RR(add, 0x7fffffffffffffff, 0x8000000000000000, -1)
	TEST_RR(add, 0, -1, 1)
	TEST_RR(add, -2, -1, -1)
	TEST_RR(add, 0x0000000100000000, 0xffffffff, 1)
	TEST_RR_SAME1(add, 24, 13, 11)
	TEST_RR_SAME2(add, 25, 14, 11)
	TEST_RR_SAMEALL(add, 26, 13)
	TEST_RR_X0(add, 1, 2)
	TEST_RI(addi, 0, 0, 0)
	TEST_RI(addi, 2, 1, 1)
	TEST_RI(addi, 0xfffffffffffff800, 0, -2048)
	TEST_RI(addi, 0x7ff, 0, 2047)
	TEST_RI(addi, 0x80000000000007fe, 0x7fffffffffffffff, 2047)
	TEST_RI(addi, 0x7fffffffffffffff, 0x8000000000000000, -1)
	TEST_RI(addi, 0, -1, 1)
	TEST_RI_SAME(addi, 24, 13, 11)
	TEST_RR(addw, 0, 0, 0)
	TEST_RR(addw, 0xffffffff80000000, 0x7fffffff, 1)
	TEST_RR(addw, 0x7fffffff, 0x80000000, -1)
	TEST_RR(addw, 0, 0xffffffff, 1)
	TEST_RR(addw, 0x12345678, 0xabcdef0012345678, 0)
	TEST_RR(addw, 0xffffffff89abcdef, 0x89abcdef, 0x1234567800000000)
	TEST_RR(addw, -2, -1, -1)
	TEST_RI(addiw, 0xffffffff80000000, 0x7fffffff, 1)
	TEST_RI(addiw, 0x7fe, 0x80000000ffffffff, 0x7ff)
	TEST_RI(addiw, 0xfffffffffffff800, 0, -2048)
	TEST_RI(addiw, 0x7fffffff, 0xffffffff80000000, -1)
	TEST_RI(addiw, 5, 0x1234567800000005, 0)

	/* ---- SUB / SUBW ---- */
	TEST_RR(sub, 0, 0, 0)
	TEST_RR(sub, 0, 1, 1)
	TEST_RR(sub, -4, 3, 7)
	TEST_RR(sub, 0x8000000000000000, 0, 0x8000000000000000)
	TEST_RR(sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
	TEST_RR(sub, 0x8000000000000001, 0x7fffffffffffffff, -2)
	TEST_RR(sub, -1, 0, 1)
	TEST_RR_SAME1(sub, 2, 13, 11)
	TEST_RR_SAMEALL(sub, 0, 13)
	TEST_RR(subw, 0xffffffff80000000, 0x7fffffff, -1)
	TEST_RR(subw, 0x7fffffff, 0x80000000, 1)
	TEST_RR(subw, -1, 0, 1)
	TEST_RR(subw, 0, 0xabcdef0000000000, 0x1234560000000000)
	TEST_RR(subw, 0xfffffffffffffffe, 0x100000000, 2)

	/* ---- logic ---- */
	TEST_RR(and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
	TEST_RR(and, 0x00f000f0, 0x0ff00ff0, 0xf0f0f0f0)
	TEST_RR(and, 0xf000f000f000f000, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0)
	TEST_RR_SAMEALL(and, 0xff00ff00, 0xff00ff00)
	TEST_RI(andi, 0xffffffffff00ff00, 0xffffffffff00ff00, -256)
	TEST_RI(andi, 0x000000f0, 0x0ff00ff0, 0x0f0)
	TEST_RI(andi, 0xfffffffffffff800, 0xffffffffffffffff, -2048)
	TEST_RI(andi, 0x7ff, 0xffffffffffffffff, 0x7ff)
	TEST_RR(or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
	TEST_RR(or, 0xfff0fff0fff0fff0, 0xf0f0f0f0f0f0f0f0, 0x0ff00ff00ff00ff0)
	TEST_RI(ori, 0xffffffffffffff0f, 0xff00ff00, -241)
	TEST_RI(ori, 0x0ff00ff0, 0x0ff00ff0, 0x0f0)
	TEST_RI(ori, 0xfffffffffffff800, 0, -2048)
	TEST_RR(xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
	TEST_RR(xor, 0xff00ff00ff00ff00, 0x00ff00ff00ff00ff, -1)
	TEST_RR_SAMEALL(xor, 0, 0x1234)
	TEST_RI(xori, 0xffffffffff00f00f, 0x0000000000ff0f00, -241)
	TEST_RI(xori, 0xfffffffffffff800, 0x7ff, -1)
	TEST_RI(xori, 0x0ff00f00, 0x0ff00ff0, 0x0f0)

	/* ---- SLT / SLTU / SLTI / SLTIU ---- */
	TEST_RR(slt, 0, 0, 0)
	TEST_RR(slt, 0, 1, 1)
	TEST_RR(slt, 1, 3, 7)
	TEST_RR(slt, 0, 7, 3)
	TEST_RR(slt, 1, 0x8000000000000000, 0)
	TEST_RR(slt, 0, 0, 0x8000000000000000)
	TEST_RR(slt, 1, 0x8000000000000000, 0x7fffffffffffffff)
	TEST_RR(slt, 0, 0x7fffffffffffffff, 0x8000000000000000)
	TEST_RR(slt, 1, -1, 0)
	TEST_RR(slt, 1, -2, -1)
	TEST_RR(slt, 0, -1, -2)
	TEST_RR(sltu, 0, 0, 0)
	TEST_RR(sltu, 1, 3, 7)
	TEST_RR(sltu, 0, 7, 3)
	TEST_RR(sltu, 0, 0x8000000000000000, 0)
	TEST_RR(sltu, 1, 0, 0x8000000000000000)
	TEST_RR(sltu, 1, 0, -1)
	TEST_RR(sltu, 0, -1, 0)
	TEST_RR(sltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
	TEST_RR(sltu, 1, -2, -1)
	TEST_RR(sltu, 1, 0, 1)
	TEST_RR_X0(sltu, 0, 1)
	TEST_RI(slti, 0, 0, 0)
	TEST_RI(slti, 1, -1, 0)
	TEST_RI(slti, 0, 0, -1)
	TEST_RI(slti, 1, 0x8000000000000000, -2048)
	TEST_RI(slti, 0, 0x7ff, 0x7ff)
	TEST_RI(slti, 1, 0x7fe, 0x7ff)
	TEST_RI(slti, 0, 0x7fffffffffffffff, -1)
	TEST_RI(sltiu, 0, 0, 0)
	TEST_RI(sltiu, 1, 0, 1)
	TEST_RI(sltiu, 1, 0, -1)            /* imm sign-extends, then compares unsigned */
	TEST_RI(sltiu, 1, 0xfffffffffffffffe, -1)
	TEST_RI(sltiu, 0, -1, -1)
	TEST_RI(sltiu, 0, 0x8000000000000000, 0x7ff)
	TEST_RI(sltiu, 1, 0x7ff, -2048)
	TEST_RI(sltiu, 0, 5, 1)

	/* ---- shifts ---- */
	TEST_RR(sll, 0x0000000000000001, 1, 0)
	TEST_RR(sll, 0x0000000000000002, 1, 1)
	TEST_RR(sll, 0x0000000080000000, 1, 31)
	TEST_RR(sll, 0x0000000100000000, 1, 32)
	TEST_RR(sll, 0x8000000000000000, 1, 63)
	TEST_RR(sll, 0x8000000000000000, 1, 127)   /* only the low 6 bits count */
	TEST_RR(sll, 0x0000000000000002, 1, 0xffffffffffffffc1)
	TEST_RR(sll, 0x2121212190909090, 0x2121212190909090, 0)
	TEST_RR(sll, 0x4242424242424242, 0x2121212121212121, 1)
	TEST_RR(sll, 0x9090909080000000, 0x2121212121212121, 31)
	TEST_RR(sll, 0x2121212100000000, 0x2121212121212121, 32)
	TEST_RI(slli, 0x0000000080000000, 1, 31)
	TEST_RI(slli, 0x0000000100000000, 1, 32)
	TEST_RI(slli, 0x8000000000000000, 1, 63)
	TEST_RI(slli, 0xffffffffffffffff, -1, 0)
	TEST_RI(slli, 0x8000000000000000, -1, 63)
	TEST_RR(srl, 0x8000000000000000, 0x8000000000000000, 0)
	TEST_RR(srl, 0x4000000000000000, 0x8000000000000000, 1)
	TEST_RR(srl, 0x0000000100000000, 0x8000000000000000, 31)
	TEST_RR(srl, 0x0000000080000000, 0x8000000000000000, 32)
	TEST_RR(srl, 1, 0x8000000000000000, 63)
	TEST_RR(srl, 1, 0x8000000000000000, 0xffffffffffffffff)
	TEST_RR(srl, 0x01ffffffffffffff, -1, 7)
	TEST_RI(srli, 0x00000001ffffffff, -1, 31)
	TEST_RI(srli, 0x00000000ffffffff, -1, 32)
	TEST_RI(srli, 1, -1, 63)
	TEST_RI(srli, 0x2121212121212121, 0x2121212121212121, 0)
	TEST_RR(sra, 0x8000000000000000, 0x8000000000000000, 0)
	TEST_RR(sra, 0xc000000000000000, 0x8000000000000000, 1)
	TEST_RR(sra, 0xffffffff00000000, 0x8000000000000000, 31)
	TEST_RR(sra, 0xffffffff80000000, 0x8000000000000000, 32)
	TEST_RR(sra, 0xffffffffffffffff, 0x8000000000000000, 63)
	TEST_RR(sra, 0x0000000000ffffff, 0x7fffffffffffffff, 39)
	TEST_RR(sra, 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
	TEST_RI(srai, 0xffffffffffffffff, 0x8000000000000000, 63)
	TEST_RI(srai, 0, 0x7fffffffffffffff, 63)
	TEST_RI(srai, 0xffffffff80000000, 0x8000000000000000, 32)
	TEST_RI(srai, 0x8181818181818181, 0x8181818181818181, 0)
	TEST_RI(srai, 0xffffff0303030303, 0x8181818181818181, 23)

	/* W shifts: 5-bit amounts, 32-bit result sign-extended */
	TEST_RR(sllw, 0xffffffff80000000, 1, 31)
	TEST_RR(sllw, 1, 1, 32)                 /* amount taken mod 32 */
	TEST_RR(sllw, 0xffffffff80000000, 0xffffffffffffffff, 63)
	TEST_RR(sllw, 0x0000000042424242, 0xffffffff21212121, 1)
	TEST_RR(sllw, 0xffffffff90909090, 0x1234567890909090, 0)
	TEST_RI(slliw, 0xffffffff80000000, 1, 31)
	TEST_RI(slliw, 0x0000000012345678, 0xabcdef0012345678, 0)
	TEST_RI(slliw, 0xffffffffabcd0000, 0x000000000000abcd, 16)
	TEST_RR(srlw, 0x0000000000000001, 0x80000000, 31)
	TEST_RR(srlw, 0xffffffff80000000, 0x80000000, 0)
	TEST_RR(srlw, 0xffffffff80000000, 0x80000000, 32)
	TEST_RR(srlw, 0x0000000040000000, 0xffffffff80000000, 1)
	TEST_RR(srlw, 0x00000000000000ff, 0x12345678ff000000, 24)
	TEST_RI(srliw, 0x000000007fffffff, -1, 1)
	TEST_RI(srliw, 0xffffffffffffffff, -1, 0)
	TEST_RI(srliw, 1, -1, 31)
	TEST_RR(sraw, 0xffffffffffffffff, 0x80000000, 31)
	TEST_RR(sraw, 0xffffffffc0000000, 0x80000000, 1)
	TEST_RR(sraw, 0xffffffff80000000, 0x80000000, 32)
	TEST_RR(sraw, 0x000000003fffffff, 0xffffffff7fffffff, 1)
	TEST_RR(sraw, 0x0000000000000000, 0x8000000000000000, 7)
	TEST_RI(sraiw, 0xffffffffffffffff, 0x80000000, 31)
	TEST_RI(sraiw, 0x0000000000000001, 0x40000000, 30)
	TEST_RI(sraiw, 0xffffffff80000000, 0x0000000080000000, 0)
	TEST_RI(sraiw, 0x0000000000000000, 0xffffffff00000001, 1)
	TEST_RR_X0(sll, 1, 5)

	/* ---- LUI / AUIPC ---- */
	TCASE
	lui	a3, 0
	CHECK(a3, 0)
	TCASE
	lui	a3, 0xfffff
	CHECK(a3, 0xfffffffffffff000)
	TCASE
	lui	a3, 0x7ffff
	CHECK(a3, 0x7ffff000)
	TCASE
	lui	a3, 0x80000              /* bit 31 sign-extends on RV64 */
	CHECK(a3, 0xffffffff80000000)
	TCASE
	lui	x0, 0x12345
	CHECK(x0, 0)
	TCASE
	.option push
	.option norvc
1:	auipc	a3, 0
	la	a4, 1b
	CHECK_R(a3, a4)
	TCASE
2:	auipc	a3, 1
	la	a4, 2b
	li	a2, 0x1000
	add	a4, a4, a2
	CHECK_R(a3, a4)
	TCASE
3:	auipc	a3, 0xfffff            /* pc - 4096 */
	la	a4, 3b
	li	a2, -0x1000
	add	a4, a4, a2
	CHECK_R(a3, a4)
	.option pop

	/* ---- branches ---- */
	TAKEN(beq, 0, 0)
	TAKEN(beq, -1, -1)
	TAKEN(beq, 0x8000000000000000, 0x8000000000000000)
	NOT_TAKEN(beq, 0, 1)
	NOT_TAKEN(beq, 1, 0x8000000000000001)
	NOT_TAKEN(beq, 0x100000000, 0)
	TAKEN(bne, 0, 1)
	TAKEN(bne, 0x100000000, 0)
	NOT_TAKEN(bne, -1, -1)
	NOT_TAKEN(bne, 0, 0)
	TAKEN(blt, 0, 1)
	TAKEN(blt, -1, 1)
	TAKEN(blt, -2, -1)
	TAKEN(blt, 0x8000000000000000, 0x7fffffffffffffff)
	NOT_TAKEN(blt, 1, 0)
	NOT_TAKEN(blt, 1, -1)
	NOT_TAKEN(blt, -1, -2)
	NOT_TAKEN(blt, 5, 5)
	NOT_TAKEN(blt, 0x7fffffffffffffff, 0x8000000000000000)
	TAKEN(bge, 0, 0)
	TAKEN(bge, 1, 0)
	TAKEN(bge, 1, -1)
	TAKEN(bge, -1, -2)
	TAKEN(bge, 0x7fffffffffffffff, 0x8000000000000000)
	NOT_TAKEN(bge, 0, 1)
	NOT_TAKEN(bge, -1, 1)
	NOT_TAKEN(bge, -2, -1)
	TAKEN(bltu, 0, 1)
	TAKEN(bltu, 1, -1)
	TAKEN(bltu, 0x7fffffffffffffff, 0x8000000000000000)
	NOT_TAKEN(bltu, -1, 1)
	NOT_TAKEN(bltu, 3, 3)
	NOT_TAKEN(bltu, 0x8000000000000000, 0)
	TAKEN(bgeu, 3, 3)
	TAKEN(bgeu, -1, 1)
	TAKEN(bgeu, 0x8000000000000000, 0x7fffffffffffffff)
	NOT_TAKEN(bgeu, 0, 1)
	NOT_TAKEN(bgeu, 1, -1)
	BACKWARD(beq, 0, 0)
	BACKWARD(bne, 1, 0)
	BACKWARD(blt, -1, 0)
	BACKWARD(bge, 0, -1)
	BACKWARD(bltu, 0, -1)
	BACKWARD(bgeu, -1, 0)

	/* ---- JAL / JALR ---- */
	TCASE
	.option push
	.option norvc
	li	a3, 0
	jal	a4, 1f
	li	a3, 1
1:	la	a2, 1b - 4                /* link = address of the jal + 4 */
	CHECK(a3, 0)
	CHECK_R(a4, a2)
	TCASE
	li	a3, 0
	jal	x0, 2f                    /* j: no link */
	li	a3, 1
2:	CHECK(a3, 0)
	TCASE                             /* backward jal */
	li	a3, 0
	j	4f
3:	addi	a3, a3, 7
	j	5f
4:	jal	a4, 3b
	li	a3, 99
5:	CHECK(a3, 7)
	TCASE
	la	a1, 6f
	li	a3, 0
	jalr	a4, 0(a1)
	li	a3, 1
6:	la	a2, 6b - 4
	CHECK(a3, 0)
	CHECK_R(a4, a2)
	TCASE                             /* jalr adds the offset */
	la	a1, 7f - 12
	li	a3, 0
	jalr	a4, 12(a1)
	li	a3, 1
7:	CHECK(a3, 0)
	TCASE                             /* negative offset */
	la	a1, 8f + 16
	li	a3, 0
	jalr	x0, -16(a1)
	li	a3, 1
8:	CHECK(a3, 0)
	TCASE                             /* jalr clears bit 0 of the target */
	la	a1, 9f
	addi	a1, a1, 1
	li	a3, 0
	jalr	a4, 0(a1)
	li	a3, 1
9:	CHECK(a3, 0)
	TCASE                             /* ... also when bit 0 comes from the offset */
	la	a1, 10f
	li	a3, 0
	jalr	a4, 1(a1)
	li	a3, 1
10:	CHECK(a3, 0)
	TCASE                             /* rd == rs1: target read before the link is written */
	la	a1, 11f
	li	a3, 0
	jalr	a1, 0(a1)
	li	a3, 1
11:	la	a2, 11b - 4
	CHECK(a3, 0)
	CHECK_R(a1, a2)
	TCASE                             /* call/ret through a function */
	li	a1, 5
	call	t_double
	CHECK(a1, 10)
	.option pop

	/* ---- loads ---- */
	TEST_LD(lb, 0xffffffffffffff81, 0, 0)
	TEST_LD(lb, 0x0000000000000002, 0, 1)
	TEST_LD(lb, 0x000000000000007f, 0, 7)
	TEST_LD(lb, 0xfffffffffffffff0, 16, -1)
	TEST_LD(lbu, 0x81, 0, 0)
	TEST_LD(lbu, 0xf0, 0, 15)
	TEST_LD(lbu, 0xf0, 16, -1)
	TEST_LD(lh, 0x0000000000000281, 0, 0)
	TEST_LD(lh, 0xffffffffffff8483, 0, 2)
	TEST_LD(lh, 0x0000000000007f86, 0, 6)
	TEST_LD(lh, 0xfffffffffffff0e1, 8, 6)
	TEST_LD(lh, 0xfffffffffffff0e1, 16, -2)
	TEST_LD(lhu, 0x8483, 0, 2)
	TEST_LD(lhu, 0xf0e1, 0, 14)
	TEST_LD(lw, 0xffffffff84830281, 0, 0)
	TEST_LD(lw, 0x7f860585, 0, 4)
	TEST_LD(lw, 0xfffffffff0e1d2c3, 0, 12)
	TEST_LD(lw, 0xfffffffff0e1d2c3, 32, -20)
	TEST_LD(lwu, 0x84830281, 0, 0)
	TEST_LD(lwu, 0xf0e1d2c3, 0, 12)
	TEST_LD(lwu, 0x7f860585, 0, 4)
	TEST_LD(ld, 0x7f86058584830281, 0, 0)
	TEST_LD(ld, 0xf0e1d2c3b4a59687, 0, 8)
	TEST_LD(ld, 0xf0e1d2c3b4a59687, 2048, -2040)
	TEST_LD(ld, 0x7f86058584830281, -2047, 2047)
	TCASE                             /* load into x0 is discarded */
	la	a1, ldata
	ld	x0, 0(a1)
	CHECK(x0, 0)
	TCASE                             /* rd == base */
	la	a1, ldata
	ld	a1, 8(a1)
	CHECK(a1, 0xf0e1d2c3b4a59687)

	/* ---- stores ---- */
	TEST_ST(sb, 0xaa, 0, ld, 0x55555555555555aa)
	TEST_ST(sb, 0x1234567812345600, 7, ld, 0x0055555555555555)
	TEST_ST(sb, -1, 3, ld, 0x55555555ff555555)
	TEST_ST(sh, 0xbeef, 0, ld, 0x555555555555beef)
	TEST_ST(sh, 0x12345678abcd, 6, ld, 0xabcd555555555555)
	TEST_ST(sh, -1, 2, ld, 0x55555555ffff5555)
	TEST_ST(sw, 0xdeadbeef, 0, ld, 0x55555555deadbeef)
	TEST_ST(sw, 0x1234567800000001, 4, ld, 0x0000000155555555)
	TEST_ST(sd, 0x0123456789abcdef, 0, ld, 0x0123456789abcdef)
	TEST_ST(sd, 0, 0, ld, 0)
	TCASE                             /* store then load of each width round trips */
	la	a1, sdata
	li	a2, 0x8182838485868788
	sd	a2, 0(a1)
	lb	a3, 0(a1)
	CHECK(a3, 0xffffffffffffff88)
	lhu	a3, 6(a1)
	CHECK(a3, 0x8182)
	lw	a3, 4(a1)
	CHECK(a3, 0xffffffff81828384)
	TCASE                             /* stores with a negative offset */
	la	a1, sdata + 16
	li	a2, 0x1122334455667788
	sd	a2, -16(a1)
	sw	a2, -8(a1)
	ld	a3, -16(a1)
	CHECK(a3, 0x1122334455667788)
	lwu	a3, -8(a1)
	CHECK(a3, 0x55667788)

	/* ---- x0, NOP, FENCE ---- */
	TCASE
	li	a1, 5
	addi	x0, a1, 1
	CHECK(x0, 0)
	TCASE
	li	a3, 3
	nop
	fence
	fence	rw, rw
	fence	r, r
	fence	w, w
	fence	iorw, iorw
	fence.tso
	fence.i
	CHECK(a3, 3)
	TCASE                             /* fence orders a store before a load of it */
	la	a1, sdata
	li	a2, 42
	sw	a2, 0(a1)
	fence	w, r
	lw	a3, 0(a1)
	CHECK(a3, 42)

	TEST_PASS

t_double:
	add	a1, a1, a1
	ret

	.data
	.align	4
ldata:
	.byte	0x81, 0x02, 0x83, 0x84, 0x85, 0x05, 0x86, 0x7f
	.byte	0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0
	.dword	0, 0
	.dword	0, 0
	.align	4
sdata:
	.dword	0, 0, 0, 0
