/* decode.h: RV64GC instruction decoding into pre-decoded ops (insn.def). */
#ifndef RRV_CORE_DECODE_H
#define RRV_CORE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

enum insn_id {
#define INSN(name, match, mask, fmt) INSN_##name,
#include "core/insn.def"
#undef INSN
	INSN_ILLEGAL,  /* traps with the instruction bits in tval */
	INSN_TB_END,   /* not an instruction: falls through to the next TB */
	INSN_STOP,     /* executor only: budget stop patched over an op */
	INSN_COUNT
};

enum insn_fmt { FMT_R, FMT_I, FMT_S, FMT_B, FMT_U, FMT_J, FMT_SH, FMT_R4,
		FMT_CSR, FMT_A, FMT_F };

/* Integer destination x0 is decoded as this sink register so that handlers
 * write unconditionally and x[0] stays zero. */
#define REG_SINK 32

/* One pre-decoded instruction, as stored in a translation block. */
struct op {
	uint16_t id;      /* enum insn_id */
	uint8_t rd, rs1, rs2, rs3;
	uint8_t rm;       /* funct3: rounding mode, or sub-operation */
	uint8_t len;      /* 2 or 4 */
	uint32_t raw;     /* the instruction bits, for tval and disassembly */
	int64_t imm;
	uint64_t pc;
};

/* Decode one instruction (raw holds 16 or 32 bits as its length says).
 * Unknown and reserved encodings decode as INSN_ILLEGAL. */
void decode_insn(uint32_t raw, uint64_t pc, struct op *op);

/* Instruction length from the low bits of its first halfword. */
static inline unsigned decode_len(uint16_t lo) { return (lo & 3) == 3 ? 4 : 2; }

const char *decode_name(unsigned id);
enum insn_fmt decode_fmt(unsigned id);
bool decode_is_fp(unsigned id);       /* needs mstatus.FS != Off */
bool decode_ends_tb(unsigned id);     /* control flow or system effect */

#endif /* RRV_CORE_DECODE_H */
