/* dinfo.h: the DWARF of the guest's ELF images (libdw): pc -> file:line, and CFI unwinding steps. */
#ifndef RRV_DEBUGGER_DINFO_H
#define RRV_DEBUGGER_DINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One set per debugged machine: the images a trace embeds plus --symbols.
 * libdw caches what it decodes inside the handles, so lookups change the
 * set (no const) and it must not be shared between threads.
 */
struct dinfo;

struct dinfo *dinfo_new(void);
void dinfo_free(struct dinfo *d);

/*
 * An ELF file in memory (copied), loaded at its link addresses plus bias.
 * What it holds of line tables (.debug_line through .debug_info),
 * .debug_frame and .eh_frame is kept; an image with none of them is
 * dropped. 1 when something was kept, 0 when nothing, -1 with a one-line
 * message in err (not an ELF file, out of memory).
 */
int dinfo_add_elf(struct dinfo *d, const void *data, size_t len, uint64_t bias,
		  char *err, size_t errlen);

/* Images kept. */
unsigned dinfo_count(const struct dinfo *d);

/*
 * The source line of the instruction at pc: the file as the compiler named
 * it (relative to the compilation directory when it lies below it), the
 * line number, and the addresses [start, end) of its line-table row (end
 * is 0 when the row is the last). The name stays valid until dinfo_free().
 */
struct dinfo_loc {
	const char *file;
	unsigned line;
	uint64_t start, end;
};
bool dinfo_line(struct dinfo *d, uint64_t pc, struct dinfo_loc *loc);

/* Whether a loaded image's CFI (.debug_frame or .eh_frame) covers pc. */
bool dinfo_has_cfi(struct dinfo *d, uint64_t pc);

/*
 * The integer registers of one frame (DWARF numbers 0-31 are x0-x31 in the
 * RISC-V psABI); bit r of known says x[r] holds the frame's value.
 */
struct dinfo_regs {
	uint64_t x[32];
	uint32_t known;
};

/* Reads guest memory as the unwound hart sees it; false when unreadable. */
typedef bool (*dinfo_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

enum dinfo_step {
	DINFO_NO_CFI,     /* no loaded CFI covers the pc */
	DINFO_OUTERMOST,  /* CFI says the return address is undefined: the first frame */
	DINFO_FAILED,     /* covered, but a rule needs an unknown register or unreadable memory */
	DINFO_CALLER,     /* *caller holds the caller's registers, *ret its pc */
};

/*
 * One step up the stack by CFI: from the registers of the frame running at
 * pc to the registers of its caller at the call. is_return says pc is a
 * return address, so the rules are looked up at pc-1 (a call that ends a
 * function returns past its last byte). The caller's sp is the CFA unless
 * the CFI says otherwise; registers the rules leave undefined are unknown.
 * *cfa is set on DINFO_CALLER and DINFO_OUTERMOST.
 */
enum dinfo_step dinfo_unwind(struct dinfo *d, uint64_t pc, bool is_return,
			     const struct dinfo_regs *in, dinfo_read_fn read, void *ctx,
			     struct dinfo_regs *caller, uint64_t *ret, uint64_t *cfa);

#endif /* RRV_DEBUGGER_DINFO_H */
