/* disasm.h: RV64GC disassembly for the debugger, driven by decode_insn() and insn.def. */
#ifndef RRV_DEBUGGER_DISASM_H
#define RRV_DEBUGGER_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Format the instruction at pc into buf as `objdump -d -M no-aliases` text
 * with a single space after the mnemonic: "addi sp,sp,-16", "sd ra,8(sp)",
 * "beq a0,a1,0x80000120", "csrrw zero,mtvec,t0", "fcvt.w.d a0,fa0,rtz".
 * raw may hold a full 32-bit fetch: the low two bits decide the length and a
 * compressed instruction only uses the low halfword. Compressed instructions
 * print as the 32-bit instruction they expand to ("c.addi sp,-16" prints as
 * "addi sp,sp,-16"). Encodings the decoder rejects print as objdump does,
 * ".4byte 0x..." or ".2byte 0x...". buf is always NUL-terminated (if len > 0)
 * and the text truncated to fit. Returns the instruction length, 2 or 4.
 */
unsigned dis_insn(uint32_t raw, uint64_t pc, char *buf, size_t len);

/*
 * Symbolizer for branch and jump targets: write the symbol for addr into buf
 * ("main+16") and return true, or return false to print the bare address.
 * dis_insn_sym() then prints "0x80000120 <main+16>".
 */
typedef bool (*dis_sym_fn)(void *ctx, uint64_t addr, char *buf, size_t len);
unsigned dis_insn_sym(uint32_t raw, uint64_t pc, dis_sym_fn fn, void *ctx,
		      char *buf, size_t len);

/* ABI register names ("zero", "ra", ..., "t6"; REG_SINK is "zero") or NULL. */
const char *dis_xreg_name(unsigned r);
/* FP ABI register names ("ft0", ..., "ft11") or NULL. */
const char *dis_freg_name(unsigned r);
/* Name of a CSR the privileged or unprivileged spec defines, or NULL. */
const char *dis_csr_name(unsigned csr);

/* Inverses: the number, or -1 when the name is unknown. */
int dis_csr_by_name(const char *name);
int dis_xreg_by_name(const char *name);   /* ABI names, x0..x31, fp */
int dis_freg_by_name(const char *name);   /* ABI names, f0..f31 */

#endif /* RRV_DEBUGGER_DISASM_H */
