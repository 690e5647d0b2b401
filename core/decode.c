/* decode.c: 32-bit and compressed (RVC) decoding into struct op. */
#include "core/decode.h"

#include <stddef.h>

struct insn_desc {
	const char *name;
	uint32_t match, mask;
	enum insn_fmt fmt;
};

static const struct insn_desc insn_table[INSN_ILLEGAL] = {
#define INSN(n, ma, mk, f) [INSN_##n] = { #n, ma, mk, FMT_##f },
#include "core/insn.def"
#undef INSN
};

static inline uint32_t bits(uint32_t x, int hi, int lo)
{
	return (x >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline int64_t sext(uint64_t x, int width)
{
	return (int64_t)(x << (64 - width)) >> (64 - width);
}

const char *decode_name(unsigned id)
{
	if (id < INSN_ILLEGAL)
		return insn_table[id].name;
	return id == INSN_ILLEGAL ? "ILLEGAL" : "TB_END";
}

enum insn_fmt decode_fmt(unsigned id)
{
	return id < INSN_ILLEGAL ? insn_table[id].fmt : FMT_F;
}

bool decode_is_fp(unsigned id)
{
	return id >= INSN_FLW && id <= INSN_FMV_D_X;
}

bool decode_ends_tb(unsigned id)
{
	if (id >= INSN_JAL && id <= INSN_BGEU)
		return true;
	if (id >= INSN_FENCE_I && id <= INSN_CSRRCI)
		return true;
	return id == INSN_ILLEGAL || id == INSN_TB_END;
}

/* FP instructions whose rd is an integer register. */
static bool fp_int_rd(unsigned id)
{
	switch (id) {
	case INSN_FCVT_W_S: case INSN_FCVT_WU_S: case INSN_FCVT_L_S:
	case INSN_FCVT_LU_S: case INSN_FMV_X_W: case INSN_FCLASS_S:
	case INSN_FEQ_S: case INSN_FLT_S: case INSN_FLE_S:
	case INSN_FCVT_W_D: case INSN_FCVT_WU_D: case INSN_FCVT_L_D:
	case INSN_FCVT_LU_D: case INSN_FMV_X_D: case INSN_FCLASS_D:
	case INSN_FEQ_D: case INSN_FLT_D: case INSN_FLE_D:
		return true;
	}
	return false;
}

static bool int_rd(unsigned id)
{
	if (decode_is_fp(id))
		return fp_int_rd(id);
	switch (decode_fmt(id)) {
	case FMT_S: case FMT_B: case FMT_F:
		return false;
	default:
		return id != INSN_FENCE && id != INSN_FENCE_I &&
		       id != INSN_SFENCE_VMA;
	}
}

/* Linear search over a few hundred entries: decoding runs once per
 * instruction per translation, never on the execution path. */
static unsigned lookup(uint32_t raw)
{
	for (unsigned i = 0; i < INSN_ILLEGAL; i++)
		if ((raw & insn_table[i].mask) == insn_table[i].match)
			return i;
	return INSN_ILLEGAL;
}

static void decode32(uint32_t raw, struct op *op)
{
	unsigned id = lookup(raw);
	op->id = (uint16_t)id;
	op->rd = (uint8_t)bits(raw, 11, 7);
	op->rs1 = (uint8_t)bits(raw, 19, 15);
	op->rs2 = (uint8_t)bits(raw, 24, 20);
	op->rs3 = (uint8_t)bits(raw, 31, 27);
	op->rm = (uint8_t)bits(raw, 14, 12);
	switch (decode_fmt(id)) {
	case FMT_I:
		op->imm = sext(bits(raw, 31, 20), 12);
		break;
	case FMT_S:
		op->imm = sext(bits(raw, 31, 25) << 5 | bits(raw, 11, 7), 12);
		break;
	case FMT_B:
		op->imm = sext(bits(raw, 31, 31) << 12 | bits(raw, 7, 7) << 11 |
			       bits(raw, 30, 25) << 5 | bits(raw, 11, 8) << 1, 13);
		break;
	case FMT_U:
		op->imm = sext(raw & 0xfffff000u, 32);
		break;
	case FMT_J:
		op->imm = sext(bits(raw, 31, 31) << 20 | bits(raw, 19, 12) << 12 |
			       bits(raw, 20, 20) << 11 | bits(raw, 30, 21) << 1, 21);
		break;
	case FMT_SH:
		op->imm = bits(raw, 25, 20);
		break;
	case FMT_CSR:
		op->imm = bits(raw, 31, 20);
		break;
	default:
		op->imm = 0;
	}
}

/* Fill op as the 32-bit instruction `id` with the given operands. */
static void expand(struct op *op, unsigned id, unsigned rd, unsigned rs1,
		   unsigned rs2, int64_t imm)
{
	op->id = (uint16_t)id;
	op->rd = (uint8_t)rd;
	op->rs1 = (uint8_t)rs1;
	op->rs2 = (uint8_t)rs2;
	op->imm = imm;
	op->rm = id == INSN_FLD || id == INSN_FSD ? 3 : 0;
}

#define ILLEGAL() do { op->id = INSN_ILLEGAL; return; } while (0)

static void decode_rvc_q0(uint32_t c, struct op *op)
{
	unsigned rdp = 8 + bits(c, 4, 2), rs1p = 8 + bits(c, 9, 7);
	uint32_t uimm_w = bits(c, 12, 10) << 3 | bits(c, 6, 6) << 2 | bits(c, 5, 5) << 6;
	uint32_t uimm_d = bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6;
	switch (bits(c, 15, 13)) {
	case 0: { /* C.ADDI4SPN; nzuimm = 0 (incl. all-zero) is reserved */
		uint32_t nz = bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 |
			      bits(c, 6, 6) << 2 | bits(c, 5, 5) << 3;
		if (!nz)
			ILLEGAL();
		return expand(op, INSN_ADDI, rdp, 2, 0, nz);
	}
	case 1: return expand(op, INSN_FLD, rdp, rs1p, 0, uimm_d);
	case 2: return expand(op, INSN_LW, rdp, rs1p, 0, uimm_w);
	case 3: return expand(op, INSN_LD, rdp, rs1p, 0, uimm_d);
	case 5: return expand(op, INSN_FSD, 0, rs1p, rdp, uimm_d);
	case 6: return expand(op, INSN_SW, 0, rs1p, rdp, uimm_w);
	case 7: return expand(op, INSN_SD, 0, rs1p, rdp, uimm_d);
	}
	ILLEGAL();
}

static void decode_rvc_alu(uint32_t c, struct op *op)
{
	unsigned rd = 8 + bits(c, 9, 7), rs2 = 8 + bits(c, 4, 2);
	uint32_t shamt = bits(c, 12, 12) << 5 | bits(c, 6, 2);
	static const uint16_t reg_ops[8] = {
		INSN_SUB, INSN_XOR, INSN_OR, INSN_AND,
		INSN_SUBW, INSN_ADDW, INSN_ILLEGAL, INSN_ILLEGAL };
	switch (bits(c, 11, 10)) {
	case 0: return expand(op, INSN_SRLI, rd, rd, 0, shamt);
	case 1: return expand(op, INSN_SRAI, rd, rd, 0, shamt);
	case 2: return expand(op, INSN_ANDI, rd, rd, 0, sext(shamt, 6));
	}
	unsigned id = reg_ops[bits(c, 12, 12) << 2 | bits(c, 6, 5)];
	if (id == INSN_ILLEGAL)
		ILLEGAL();
	expand(op, id, rd, rd, rs2, 0);
}

static void decode_rvc_q1(uint32_t c, struct op *op)
{
	unsigned rd = bits(c, 11, 7), rs1p = 8 + bits(c, 9, 7);
	int64_t imm6 = sext(bits(c, 12, 12) << 5 | bits(c, 6, 2), 6);
	int64_t boff = sext(bits(c, 12, 12) << 8 | bits(c, 11, 10) << 3 |
			    bits(c, 6, 5) << 6 | bits(c, 4, 3) << 1 |
			    bits(c, 2, 2) << 5, 9);
	int64_t joff = sext(bits(c, 12, 12) << 11 | bits(c, 11, 11) << 4 |
			    bits(c, 10, 9) << 8 | bits(c, 8, 8) << 10 |
			    bits(c, 7, 7) << 6 | bits(c, 6, 6) << 7 |
			    bits(c, 5, 3) << 1 | bits(c, 2, 2) << 5, 12);
	switch (bits(c, 15, 13)) {
	case 0: return expand(op, INSN_ADDI, rd, rd, 0, imm6);
	case 1:
		if (!rd)
			ILLEGAL();
		return expand(op, INSN_ADDIW, rd, rd, 0, imm6);
	case 2: return expand(op, INSN_ADDI, rd, 0, 0, imm6);
	case 3:
		if (rd == 2) {
			int64_t nz = sext(bits(c, 12, 12) << 9 | bits(c, 6, 6) << 4 |
					  bits(c, 5, 5) << 6 | bits(c, 4, 3) << 7 |
					  bits(c, 2, 2) << 5, 10);
			if (!nz)
				ILLEGAL();
			return expand(op, INSN_ADDI, 2, 2, 0, nz);
		}
		if (!imm6)
			ILLEGAL();
		/* Through uint64_t: a left shift of a negative value is undefined. */
		return expand(op, INSN_LUI, rd, 0, 0, (int64_t)((uint64_t)imm6 << 12));
	case 4: return decode_rvc_alu(c, op);
	case 5: return expand(op, INSN_JAL, 0, 0, 0, joff);
	case 6: return expand(op, INSN_BEQ, 0, rs1p, 0, boff);
	case 7: return expand(op, INSN_BNE, 0, rs1p, 0, boff);
	}
}

static void decode_rvc_q2(uint32_t c, struct op *op)
{
	unsigned rd = bits(c, 11, 7), rs2 = bits(c, 6, 2);
	uint32_t shamt = bits(c, 12, 12) << 5 | bits(c, 6, 2);
	uint32_t lwsp = bits(c, 12, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6;
	uint32_t ldsp = bits(c, 12, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6;
	uint32_t swsp = bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6;
	uint32_t sdsp = bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6;
	switch (bits(c, 15, 13)) {
	case 0: return expand(op, INSN_SLLI, rd, rd, 0, shamt);
	case 1: return expand(op, INSN_FLD, rd, 2, 0, ldsp);
	case 2:
		if (!rd)
			ILLEGAL();
		return expand(op, INSN_LW, rd, 2, 0, lwsp);
	case 3:
		if (!rd)
			ILLEGAL();
		return expand(op, INSN_LD, rd, 2, 0, ldsp);
	case 4:
		if (!bits(c, 12, 12)) {
			if (rs2)
				return expand(op, INSN_ADD, rd, 0, rs2, 0);
			if (!rd)
				ILLEGAL();
			return expand(op, INSN_JALR, 0, rd, 0, 0);
		}
		if (rs2)
			return expand(op, INSN_ADD, rd, rd, rs2, 0);
		if (!rd) {
			expand(op, INSN_EBREAK, 0, 0, 0, 0);
			return;
		}
		return expand(op, INSN_JALR, 1, rd, 0, 0);
	case 5: return expand(op, INSN_FSD, 0, 2, rs2, sdsp);
	case 6: return expand(op, INSN_SW, 0, 2, rs2, swsp);
	case 7: return expand(op, INSN_SD, 0, 2, rs2, sdsp);
	}
}

void decode_insn(uint32_t raw, uint64_t pc, struct op *op)
{
	op->pc = pc;
	op->rs3 = 0;
	if ((raw & 3) == 3) {
		op->raw = raw;
		op->len = 4;
		decode32(raw, op);
	} else {
		raw &= 0xffff;
		op->raw = raw;
		op->len = 2;
		op->rd = op->rs1 = op->rs2 = 0;
		op->rm = 0;
		op->imm = 0;
		switch (raw & 3) {
		case 0: decode_rvc_q0(raw, op); break;
		case 1: decode_rvc_q1(raw, op); break;
		default: decode_rvc_q2(raw, op); break;
		}
	}
	if (op->id < INSN_ILLEGAL && op->rd == 0 && int_rd(op->id))
		op->rd = REG_SINK;
}
