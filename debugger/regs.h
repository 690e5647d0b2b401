/* regs.h: the registers a debugger shows (names, gdb numbers, values), one table for the REPL and the GDB server. */
#ifndef RRV_DEBUGGER_REGS_H
#define RRV_DEBUGGER_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hart;

enum dbg_reg_kind { DBG_REG_X, DBG_REG_PC, DBG_REG_F, DBG_REG_CSR, DBG_REG_PRIV };

/*
 * gdb's RISC-V numbering, as QEMU's gdbstub uses it: x0-x31 are 0-31, pc
 * 32, f0-f31 33-64, CSR n is 65 + n (so fflags, frm, fcsr are 66-68) and
 * the privilege level is 4161.
 */
#define DBG_GDB_PC 32
#define DBG_GDB_F0 33
#define DBG_GDB_CSR0 65
#define DBG_GDB_PRIV 4161

struct dbg_reg {
	const char *name;     /* ABI name for x and f registers */
	enum dbg_reg_kind kind;
	unsigned idx;         /* register or CSR number */
	unsigned gdb_regnum;
};

/* Registers one by one in gdb number order, starting with *cursor = 0:
 * x, pc, f, the CSRs the core implements for h, priv. false at the end. */
bool dbg_reg_next(const struct hart *h, unsigned *cursor, struct dbg_reg *out);
/* By name: ABI names, x0..x31, f0..f31, fp, pc, CSR names and priv;
 * false when unknown. */
bool dbg_reg_find(const char *name, struct dbg_reg *out);
bool dbg_reg_by_gdb(unsigned regnum, struct dbg_reg *out);

/* Read without side effects; false when not available (time). */
bool dbg_reg_read(const struct hart *h, const struct dbg_reg *r, uint64_t *v);
/* Write x, f and pc registers (a live machine); false for the others. */
bool dbg_reg_write(struct hart *h, const struct dbg_reg *r, uint64_t v);

#endif /* RRV_DEBUGGER_REGS_H */
