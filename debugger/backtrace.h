/* backtrace.h: the guest call chain of one hart, by DWARF CFI where an ELF has it, frame pointers otherwise. */
#ifndef RRV_DEBUGGER_BACKTRACE_H
#define RRV_DEBUGGER_BACKTRACE_H

#include <stdint.h>

#include "debugger/dinfo.h"

struct hart;
struct rpl;
struct sym_table;

/* How a frame's pc was found. */
enum bt_how {
	BT_PC,   /* frame 0: the hart's pc */
	BT_CFI,  /* the callee's CFI rules (a saved or still live ra) */
	BT_FP,   /* the callee's frame record (ra at fp-8) */
	BT_RA,   /* the ra register, guessed: frame 0 had neither CFI nor a record of its own */
};

struct bt_frame {
	uint64_t pc;   /* frame 0: the pc; then return addresses */
	uint64_t fp;   /* the frame's s0, 0 when unknown */
	uint64_t sp;   /* the frame's sp, 0 when unknown */
	enum bt_how how;
};

/*
 * Unwind from a register file (x[0..31] and pc) through read(), per frame:
 * by CFI when a loaded image's CFI covers the frame's pc (di may be NULL),
 * else by the RISC-V psABI frame record (return address at fp-8, the
 * caller's fp at fp-16; fp must lie above sp, within 1 MiB). CFI knows
 * when a function has not saved ra yet; without it, frame 0 is taken as a
 * leaf, and ra as frame 1, when the record at fp is not its own: it does
 * not hold ra, and ra is not inside frame 0's function (by syms, which may
 * be NULL), or it holds an fp where ra belongs (gcc's leaf frames). The
 * walk ends at the outermost frame, an unreadable or implausible frame, a
 * frame that does not move up the stack, or max. Returns the number of
 * frames (at least 1 when max is).
 */
unsigned bt_unwind(struct dinfo *di, const struct sym_table *syms, const struct dinfo_regs *regs,
		   uint64_t pc, dinfo_read_fn read, void *ctx, struct bt_frame *out, unsigned max);

/* bt_unwind over a live hart from pc (its pc, or the pc of the instruction
 * it is in the middle of), reading memory as the hart sees it. */
unsigned bt_walk_hart(struct hart *h, uint64_t pc, struct dinfo *di,
		      const struct sym_table *syms, struct bt_frame *out, unsigned max);

/* bt_unwind over a hart of the replay, reading memory as the hart sees it. */
unsigned bt_walk(struct rpl *e, unsigned hart, struct dinfo *di, const struct sym_table *syms,
		 struct bt_frame *out, unsigned max);

/*
 * Where frame i of a walk is: its symbol and offset, and file:line when
 * the DWARF has it. A return address (i > 0) is looked up at pc-1, so a
 * call that ends a function is not blamed on the next one; off is still
 * counted from the symbol to the pc itself. sym is NULL when no symbol
 * contains the address, file NULL without line information.
 */
struct bt_loc {
	const char *sym;
	uint64_t off;
	const char *file;
	unsigned line;
};
void bt_locate(const struct sym_table *syms, struct dinfo *di, const struct bt_frame *fr,
	       unsigned i, struct bt_loc *out);

/* "pc", "cfi", "fp", "ra". */
const char *bt_how_name(enum bt_how how);

#endif /* RRV_DEBUGGER_BACKTRACE_H */
