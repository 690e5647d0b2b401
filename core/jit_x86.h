/* jit_x86.h: a small x86-64 instruction emitter for the JIT tier (core/jit.c). */
#ifndef RRV_CORE_JIT_X86_H
#define RRV_CORE_JIT_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Only the forms the JIT uses: 32/64-bit integer operations between a
 * register and a register or a [base + disp] operand, immediates, shifts,
 * multiply/divide, setcc, short and near jumps, calls through a register.
 * Encodings follow the Intel SDM vol. 2 (REX, ModRM, SIB).
 */

enum x86_reg { X_RAX, X_RCX, X_RDX, X_RBX, X_RSP, X_RBP, X_RSI, X_RDI,
	       X_R8, X_R9, X_R10, X_R11, X_R12, X_R13, X_R14, X_R15 };

/* Condition codes (the low nibble of Jcc / SETcc). */
enum x86_cc { CC_O, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A,
	      CC_S, CC_NS, CC_P, CC_NP, CC_L, CC_GE, CC_LE, CC_G };

/* The ModRM reg field as an opcode extension: group 1 (ALU with an
 * immediate; also the low bits of the reg <- r/m opcodes) and group 2/3. */
enum x86_alu { ALU_ADD = 0, ALU_OR = 1, ALU_AND = 4, ALU_SUB = 5,
	       ALU_XOR = 6, ALU_CMP = 7 };
enum x86_shift { SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };
enum x86_unary { UN_NOT = 2, UN_NEG = 3, UN_MUL = 4, UN_IMUL = 5,
		 UN_DIV = 6, UN_IDIV = 7 };

/* Opcodes: one byte, or 0x0fXX for the two-byte map. */
#define OPC_MOV_LOAD 0x8b    /* mov reg, r/m */
#define OPC_MOV_STORE 0x89   /* mov r/m, reg */
#define OPC_MOV_STORE8 0x88
#define OPC_MOVSXD 0x63
#define OPC_MOVSX8 0x0fbe
#define OPC_MOVSX16 0x0fbf
#define OPC_MOVZX8 0x0fb6
#define OPC_MOVZX16 0x0fb7
#define OPC_IMUL 0x0faf      /* imul reg, r/m */
#define OPC_TEST 0x85
#define OPC_UNARY 0xf7       /* group 3 */
#define OPC_LEA 0x8d

struct x86_buf {
	uint8_t *p, *start, *end;
	bool overflow;           /* ran past end: the code is discarded */
};

static inline void x86_byte(struct x86_buf *b, unsigned v)
{
	if (b->p >= b->end) {
		b->overflow = true;
		return;
	}
	*b->p++ = (uint8_t)v;
}

static inline void x86_u32(struct x86_buf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x86_byte(b, (v >> (8 * i)) & 0xff);
}

static inline void x86_u64(struct x86_buf *b, uint64_t v)
{
	x86_u32(b, (uint32_t)v);
	x86_u32(b, (uint32_t)(v >> 32));
}

static inline bool x86_fits8(int64_t v) { return v >= -128 && v <= 127; }
static inline bool x86_fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static inline size_t x86_pos(const struct x86_buf *b) { return (size_t)(b->p - b->start); }

/* REX prefix when any of W, ModRM.reg's or r/m's high bit is needed. */
static inline void x86_rex(struct x86_buf *b, bool w, unsigned reg, unsigned rm)
{
	unsigned r = 0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0) | (rm & 8 ? 1 : 0);
	if (r != 0x40)
		x86_byte(b, r);
}

static inline void x86_opcode(struct x86_buf *b, unsigned opc)
{
	if (opc > 0xff)
		x86_byte(b, opc >> 8);
	x86_byte(b, opc & 0xff);
}

/* ModRM (+SIB, +displacement) for [base + disp]. */
static inline void x86_modrm_mem(struct x86_buf *b, unsigned reg, unsigned base,
				 int32_t disp)
{
	unsigned mod = disp == 0 && (base & 7) != X_RBP ? 0 : x86_fits8(disp) ? 1 : 2;
	x86_byte(b, mod << 6 | (reg & 7) << 3 | (base & 7));
	if ((base & 7) == X_RSP)
		x86_byte(b, 0x24); /* SIB: no index, base */
	if (mod == 1)
		x86_byte(b, (uint8_t)disp);
	else if (mod == 2)
		x86_u32(b, (uint32_t)disp);
}

/* opc reg, [base + disp] (or opc [base + disp], reg: the opcode says). */
static inline void x86_mem(struct x86_buf *b, bool w, unsigned opc, unsigned reg,
			   unsigned base, int32_t disp)
{
	x86_rex(b, w, reg, base);
	x86_opcode(b, opc);
	x86_modrm_mem(b, reg, base, disp);
}

/* opc reg, rm with both operands registers. */
static inline void x86_rr(struct x86_buf *b, bool w, unsigned opc, unsigned reg,
			  unsigned rm)
{
	x86_rex(b, w, reg, rm);
	x86_opcode(b, opc);
	x86_byte(b, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

static inline void x86_load64(struct x86_buf *b, unsigned reg, unsigned base, int32_t disp)
{
	x86_mem(b, true, OPC_MOV_LOAD, reg, base, disp);
}

static inline void x86_load32(struct x86_buf *b, unsigned reg, unsigned base, int32_t disp)
{
	x86_mem(b, false, OPC_MOV_LOAD, reg, base, disp);
}

static inline void x86_store64(struct x86_buf *b, unsigned reg, unsigned base, int32_t disp)
{
	x86_mem(b, true, OPC_MOV_STORE, reg, base, disp);
}

static inline void x86_store32(struct x86_buf *b, unsigned reg, unsigned base, int32_t disp)
{
	x86_mem(b, false, OPC_MOV_STORE, reg, base, disp);
}

/* mov byte [base + disp], reg: SPL, BPL, SIL and DIL need a REX prefix
 * (without one, 4..7 name AH, CH, DH and BH). */
static inline void x86_store8(struct x86_buf *b, unsigned reg, unsigned base, int32_t disp)
{
	if (reg >= 4 && reg < 8 && base < 8)
		x86_byte(b, 0x40);
	x86_mem(b, false, OPC_MOV_STORE8, reg, base, disp);
}

/* Store the low `size` bytes of reg. */
static inline void x86_store_sized(struct x86_buf *b, unsigned size, unsigned reg,
				   unsigned base, int32_t disp)
{
	switch (size) {
	case 1: x86_store8(b, reg, base, disp); break;
	case 2: x86_byte(b, 0x66); x86_mem(b, false, OPC_MOV_STORE, reg, base, disp); break;
	case 4: x86_store32(b, reg, base, disp); break;
	default: x86_store64(b, reg, base, disp); break;
	}
}

static inline void x86_mov_rr(struct x86_buf *b, unsigned dst, unsigned src)
{
	x86_rr(b, true, OPC_MOV_LOAD, dst, src);
}

/* dst = base + disp (no flags changed). */
static inline void x86_lea(struct x86_buf *b, unsigned dst, unsigned base, int32_t disp)
{
	x86_mem(b, true, OPC_LEA, dst, base, disp);
}

/* dst = imm, in the shortest form. */
static inline void x86_mov_imm(struct x86_buf *b, unsigned dst, uint64_t imm)
{
	if (imm <= UINT32_MAX) {          /* mov r32, imm32 zero-extends */
		x86_rex(b, false, 0, dst);
		x86_byte(b, 0xb8 + (dst & 7));
		x86_u32(b, (uint32_t)imm);
	} else if (x86_fits32((int64_t)imm)) {  /* mov r/m64, imm32 sign-extends */
		x86_rr(b, true, 0xc7, 0, dst);
		x86_u32(b, (uint32_t)imm);
	} else {
		x86_rex(b, true, 0, dst);
		x86_byte(b, 0xb8 + (dst & 7));
		x86_u64(b, imm);
	}
}

/* reg op= [base + disp] (ADD, OR, AND, SUB, XOR, CMP). */
static inline void x86_alu_mem(struct x86_buf *b, bool w, enum x86_alu op, unsigned reg,
			       unsigned base, int32_t disp)
{
	x86_mem(b, w, (unsigned)op * 8 + 3, reg, base, disp);
}

static inline void x86_alu_rr(struct x86_buf *b, bool w, enum x86_alu op, unsigned dst,
			      unsigned src)
{
	x86_rr(b, w, (unsigned)op * 8 + 3, dst, src);
}

/* reg op= imm32 (sign-extended for 64-bit operations). */
static inline void x86_alu_imm(struct x86_buf *b, bool w, enum x86_alu op, unsigned reg,
			       int32_t imm)
{
	if (x86_fits8(imm)) {
		x86_rr(b, w, 0x83, op, reg);
		x86_byte(b, (uint8_t)imm);
	} else {
		x86_rr(b, w, 0x81, op, reg);
		x86_u32(b, (uint32_t)imm);
	}
}

/* [base + disp] op= imm (dword or qword). */
static inline void x86_alu_mem_imm(struct x86_buf *b, bool w, enum x86_alu op,
				   unsigned base, int32_t disp, int32_t imm)
{
	if (x86_fits8(imm)) {
		x86_mem(b, w, 0x83, op, base, disp);
		x86_byte(b, (uint8_t)imm);
	} else {
		x86_mem(b, w, 0x81, op, base, disp);
		x86_u32(b, (uint32_t)imm);
	}
}

static inline void x86_shift_imm(struct x86_buf *b, bool w, enum x86_shift op,
				 unsigned reg, unsigned n)
{
	x86_rr(b, w, 0xc1, op, reg);
	x86_byte(b, n);
}

/* reg op= cl (the hardware masks the count to 5 or 6 bits, as RISC-V does). */
static inline void x86_shift_cl(struct x86_buf *b, bool w, enum x86_shift op, unsigned reg)
{
	x86_rr(b, w, 0xd3, op, reg);
}

static inline void x86_unary(struct x86_buf *b, bool w, enum x86_unary op, unsigned reg)
{
	x86_rr(b, w, OPC_UNARY, op, reg);
}

/* dst = (cc) ? 1 : 0, 64-bit (dst must be RAX, RCX or RDX). */
static inline void x86_setcc64(struct x86_buf *b, enum x86_cc cc, unsigned dst)
{
	x86_rr(b, false, 0x0f90 + cc, 0, dst);
	x86_rr(b, false, OPC_MOVZX8, dst, dst);
}

static inline void x86_movsxd(struct x86_buf *b, unsigned dst, unsigned src)
{
	x86_rr(b, true, OPC_MOVSXD, dst, src);
}

static inline void x86_cqo(struct x86_buf *b) { x86_byte(b, 0x48); x86_byte(b, 0x99); }
static inline void x86_cdq(struct x86_buf *b) { x86_byte(b, 0x99); }
static inline void x86_mfence(struct x86_buf *b)
{
	x86_byte(b, 0x0f); x86_byte(b, 0xae); x86_byte(b, 0xf0);
}
static inline void x86_push(struct x86_buf *b, unsigned reg)
{
	x86_rex(b, false, 0, reg);
	x86_byte(b, 0x50 + (reg & 7));
}
static inline void x86_pop(struct x86_buf *b, unsigned reg)
{
	x86_rex(b, false, 0, reg);
	x86_byte(b, 0x58 + (reg & 7));
}
static inline void x86_ret(struct x86_buf *b) { x86_byte(b, 0xc3); }

static inline void x86_call_reg(struct x86_buf *b, unsigned reg)
{
	x86_rr(b, false, 0xff, 2, reg);
}

/* Scalar double SSE2: op xmm, [base + disp] (F2 0F op /r). */
enum x86_sse { SSE_MOVSD_LOAD = 0x10, SSE_SQRTSD = 0x51, SSE_ADDSD = 0x58,
	       SSE_MULSD = 0x59, SSE_SUBSD = 0x5c, SSE_DIVSD = 0x5e };

static inline void x86_sse_mem(struct x86_buf *b, enum x86_sse op, unsigned xmm,
			       unsigned base, int32_t disp)
{
	x86_byte(b, 0xf2);
	x86_rex(b, false, xmm, base);
	x86_byte(b, 0x0f);
	x86_byte(b, op);
	x86_modrm_mem(b, xmm, base, disp);
}

/* movq r64, xmm (66 REX.W 0F 7E /r). */
static inline void x86_movq_from_xmm(struct x86_buf *b, unsigned dst, unsigned xmm)
{
	x86_byte(b, 0x66);
	x86_rr(b, true, 0x0f7e, xmm, dst);
}

/* FMA3 on doubles, dst = xmm1 op [base + disp] accumulated into dst:
 * opc 0xb9 vfmadd231sd, 0xbb vfmsub231sd, 0xbd vfnmadd231sd, 0xbf
 * vfnmsub231sd (VEX.LIG.66.0F38.W1). Low registers only (no VEX.R/X/B). */
static inline void x86_fma231sd_mem(struct x86_buf *b, unsigned opc, unsigned dst,
				    unsigned src1, unsigned base, int32_t disp)
{
	x86_byte(b, 0xc4);
	x86_byte(b, 0xe0 | 0x02);                     /* ~R ~X ~B, map 0F38 */
	x86_byte(b, 0x80 | ((~src1 & 15) << 3) | 0x01); /* W1, ~vvvv, L0, pp 66 */
	x86_byte(b, opc);
	x86_modrm_mem(b, dst, base, disp);
}

/* Short forward jumps: return the position of the rel8 to patch. */
static inline size_t x86_jcc8(struct x86_buf *b, enum x86_cc cc)
{
	x86_byte(b, 0x70 + cc);
	x86_byte(b, 0);
	return x86_pos(b) - 1;
}

static inline size_t x86_jmp8(struct x86_buf *b)
{
	x86_byte(b, 0xeb);
	x86_byte(b, 0);
	return x86_pos(b) - 1;
}

/* Point the rel8 at `at` to here; false if too far (the code is dropped). */
static inline void x86_land8(struct x86_buf *b, size_t at)
{
	ptrdiff_t d = (ptrdiff_t)x86_pos(b) - (ptrdiff_t)(at + 1);
	if (d > 127 || b->overflow) {
		b->overflow = true;
		return;
	}
	b->start[at] = (uint8_t)d;
}

/* Near Jcc with a rel32 patched later: returns the rel32's position. */
static inline size_t x86_jcc32(struct x86_buf *b, enum x86_cc cc)
{
	x86_byte(b, 0x0f);
	x86_byte(b, 0x80 + cc);
	x86_u32(b, 0);
	return x86_pos(b) - 4;
}

static inline void x86_patch32(struct x86_buf *b, size_t at, size_t target)
{
	if (b->overflow)
		return;
	int32_t d = (int32_t)((ptrdiff_t)target - (ptrdiff_t)(at + 4));
	for (int i = 0; i < 4; i++)
		b->start[at + i] = (uint8_t)((uint32_t)d >> (8 * i));
}

#endif /* RRV_CORE_JIT_X86_H */
