/* test_decode.c: decoder tests: 32-bit formats, RVC expansion, reserved codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/decode.h"
#include "tests/unit/rv_asm.h"

static struct op dec(uint32_t raw)
{
	struct op op;
	decode_insn(raw, 0x80000000, &op);
	return op;
}

static void test_i_type_immediate_is_sign_extended(void **s)
{
	(void)s;
	struct op op = dec(RV_ADDI(5, 6, -1));
	assert_int_equal(op.id, INSN_ADDI);
	assert_int_equal(op.rd, 5);
	assert_int_equal(op.rs1, 6);
	assert_int_equal(op.imm, -1);
	assert_int_equal(op.len, 4);
}

static void test_branch_offset_decodes_all_bits(void **s)
{
	(void)s;
	struct op op = dec(rv_b(-4096, 2, 1, 0));
	assert_int_equal(op.id, INSN_BEQ);
	assert_int_equal(op.imm, -4096);
	op = dec(rv_b(4094, 2, 1, 1));
	assert_int_equal(op.id, INSN_BNE);
	assert_int_equal(op.imm, 4094);
}

static void test_jal_offset_decodes_all_bits(void **s)
{
	(void)s;
	struct op op = dec(rv_jal(-(1 << 20), 1));
	assert_int_equal(op.id, INSN_JAL);
	assert_int_equal(op.imm, -(1 << 20));
	op = dec(rv_jal((1 << 20) - 2, 0));
	assert_int_equal(op.imm, (1 << 20) - 2);
	assert_int_equal(op.rd, REG_SINK);
}

static void test_store_immediate_split_fields(void **s)
{
	(void)s;
	struct op op = dec(RV_SD(7, 8, -2048));
	assert_int_equal(op.id, INSN_SD);
	assert_int_equal(op.rs2, 7);
	assert_int_equal(op.rs1, 8);
	assert_int_equal(op.imm, -2048);
}

static void test_x0_destination_goes_to_sink(void **s)
{
	(void)s;
	assert_int_equal(dec(RV_ADDI(0, 1, 1)).rd, REG_SINK);
	/* FP destinations are real registers, f0 included. */
	assert_int_equal(dec(0x00007053 /* fadd.s f0,f0,f0,dyn */).rd, 0);
}

static void test_shift_amount_six_bits_on_rv64(void **s)
{
	(void)s;
	struct op op = dec(0x03f01093); /* slli x1, x0, 63 */
	assert_int_equal(op.id, INSN_SLLI);
	assert_int_equal(op.imm, 63);
	/* slliw with shamt[5] set is reserved */
	assert_int_equal(dec(0x0200109b).id, INSN_ILLEGAL);
}

static void test_unknown_opcode_is_illegal(void **s)
{
	(void)s;
	assert_int_equal(dec(0xffffffff).id, INSN_ILLEGAL);
	assert_int_equal(dec(0x0000007f).id, INSN_ILLEGAL);
	/* FENCE with funct3 = 2 does not exist */
	assert_int_equal(dec(0x0000200f).id, INSN_ILLEGAL);
}

static void test_system_instructions(void **s)
{
	(void)s;
	assert_int_equal(dec(0x00000073).id, INSN_ECALL);
	assert_int_equal(dec(0x00100073).id, INSN_EBREAK);
	assert_int_equal(dec(0x30200073).id, INSN_MRET);
	assert_int_equal(dec(0x10200073).id, INSN_SRET);
	assert_int_equal(dec(0x10500073).id, INSN_WFI);
	assert_int_equal(dec(0x12000073).id, INSN_SFENCE_VMA);
	struct op op = dec(RV_CSRRS(3, 0x300, 0));
	assert_int_equal(op.id, INSN_CSRRS);
	assert_int_equal(op.imm, 0x300);
}

static void test_amo_aq_rl_ignored_lr_requires_rs2_zero(void **s)
{
	(void)s;
	assert_int_equal(dec(0x0460a1af).id, INSN_AMOADD_W); /* amoadd.w.aqrl */
	assert_int_equal(dec(0x1000b2af).id, INSN_LR_D);
	assert_int_equal(dec(0x1010b2af).id, INSN_ILLEGAL); /* lr.d, rs2=1 */
}

/* ---- RVC ---- */

static void test_c_addi4spn_expands(void **s)
{
	(void)s;
	struct op op = dec(0x0040); /* c.addi4spn x8, sp, 4 */
	assert_int_equal(op.id, INSN_ADDI);
	assert_int_equal(op.rd, 8);
	assert_int_equal(op.rs1, 2);
	assert_int_equal(op.imm, 4);
	assert_int_equal(op.len, 2);
}

static void test_c_all_zero_halfword_is_illegal(void **s)
{
	(void)s;
	struct op op = dec(0x0000);
	assert_int_equal(op.id, INSN_ILLEGAL);
	assert_int_equal(op.len, 2);
	assert_int_equal(op.raw, 0);
}

static void test_c_reserved_encodings_are_illegal(void **s)
{
	(void)s;
	assert_int_equal(dec(0x6141).id, INSN_ADDI);      /* c.addi16sp 16 */
	assert_int_equal(dec(0x6141 & ~0x107c).id, INSN_ILLEGAL); /* imm 0 */
	assert_int_equal(dec(0x6085).id, INSN_LUI);       /* c.lui x1, 1 */
	assert_int_equal(dec(0x6081).id, INSN_ILLEGAL);   /* c.lui x1, 0 */
	assert_int_equal(dec(0x2001).id, INSN_ILLEGAL);   /* c.addiw x0 */
	assert_int_equal(dec(0x4002).id, INSN_ILLEGAL);   /* c.lwsp x0 */
	assert_int_equal(dec(0x6002).id, INSN_ILLEGAL);   /* c.ldsp x0 */
	assert_int_equal(dec(0x8002).id, INSN_ILLEGAL);   /* c.jr x0 */
	assert_int_equal(dec(0x9c41).id, INSN_ILLEGAL);   /* reserved ALU */
	assert_int_equal(dec(0x8000 | 0x0000).id, INSN_ILLEGAL); /* Q0 100 */
}

static void test_c_load_store_offsets(void **s)
{
	(void)s;
	struct op op = dec(0x5ffc); /* c.lw x15, 124(x15) */
	assert_int_equal(op.id, INSN_LW);
	assert_int_equal(op.rd, 15);
	assert_int_equal(op.rs1, 15);
	assert_int_equal(op.imm, 124);
	op = dec(0xfffc); /* c.sd x15, 248(x15) */
	assert_int_equal(op.id, INSN_SD);
	assert_int_equal(op.imm, 248);
	op = dec(0x70fe); /* c.ldsp x1, 504(sp) */
	assert_int_equal(op.id, INSN_LD);
	assert_int_equal(op.rd, 1);
	assert_int_equal(op.imm, 504);
	op = dec(0xbffe); /* c.fsdsp f31, 504(sp) */
	assert_int_equal(op.id, INSN_FSD);
	assert_int_equal(op.rs2, 31);
	assert_int_equal(op.imm, 504);
}

static void test_c_jumps_and_branches(void **s)
{
	(void)s;
	struct op op = dec(0xbffd); /* c.j -2 */
	assert_int_equal(op.id, INSN_JAL);
	assert_int_equal(op.rd, REG_SINK);
	assert_int_equal(op.imm, -2);
	op = dec(0xdc7d); /* c.beqz x8, -2 */
	assert_int_equal(op.id, INSN_BEQ);
	assert_int_equal(op.rs1, 8);
	assert_int_equal(op.rs2, 0);
	assert_int_equal(op.imm, -2);
	op = dec(0x9082); /* c.jalr x1 */
	assert_int_equal(op.id, INSN_JALR);
	assert_int_equal(op.rd, 1);
	assert_int_equal(op.rs1, 1);
	assert_int_equal(dec(0x9002).id, INSN_EBREAK);
}

static void test_c_alu_ops(void **s)
{
	(void)s;
	struct op op = dec(0x8c05); /* c.sub x8, x9 */
	assert_int_equal(op.id, INSN_SUB);
	assert_int_equal(op.rd, 8);
	assert_int_equal(op.rs2, 9);
	assert_int_equal(dec(0x9c25).id, INSN_ADDW);
	op = dec(0x9501); /* c.srai x10, 32 */
	assert_int_equal(op.id, INSN_SRAI);
	assert_int_equal(op.imm, 32);
	op = dec(0x987d); /* c.andi x8, -1 */
	assert_int_equal(op.id, INSN_ANDI);
	assert_int_equal(op.imm, -1);
	op = dec(0x852e); /* c.mv x10, x11 */
	assert_int_equal(op.id, INSN_ADD);
	assert_int_equal(op.rs1, 0);
	assert_int_equal(op.rs2, 11);
}

static void test_ends_tb_classification(void **s)
{
	(void)s;
	assert_true(decode_ends_tb(INSN_BEQ));
	assert_true(decode_ends_tb(INSN_JALR));
	assert_true(decode_ends_tb(INSN_CSRRW));
	assert_true(decode_ends_tb(INSN_FENCE_I));
	assert_false(decode_ends_tb(INSN_ADD));
	assert_false(decode_ends_tb(INSN_SD));
	assert_false(decode_ends_tb(INSN_FENCE));
	assert_true(decode_is_fp(INSN_FLW));
	assert_true(decode_is_fp(INSN_FMV_D_X));
	assert_false(decode_is_fp(INSN_AMOMAXU_D));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_i_type_immediate_is_sign_extended),
		cmocka_unit_test(test_branch_offset_decodes_all_bits),
		cmocka_unit_test(test_jal_offset_decodes_all_bits),
		cmocka_unit_test(test_store_immediate_split_fields),
		cmocka_unit_test(test_x0_destination_goes_to_sink),
		cmocka_unit_test(test_shift_amount_six_bits_on_rv64),
		cmocka_unit_test(test_unknown_opcode_is_illegal),
		cmocka_unit_test(test_system_instructions),
		cmocka_unit_test(test_amo_aq_rl_ignored_lr_requires_rs2_zero),
		cmocka_unit_test(test_c_addi4spn_expands),
		cmocka_unit_test(test_c_all_zero_halfword_is_illegal),
		cmocka_unit_test(test_c_reserved_encodings_are_illegal),
		cmocka_unit_test(test_c_load_store_offsets),
		cmocka_unit_test(test_c_jumps_and_branches),
		cmocka_unit_test(test_c_alu_ops),
		cmocka_unit_test(test_ends_tb_classification),
	};
	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
