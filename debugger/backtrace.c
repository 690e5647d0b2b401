/* backtrace.c: the guest call chain of one hart, by DWARF CFI where an ELF has it, frame pointers otherwise. */
#include "debugger/backtrace.h"

#include <stdbool.h>
#include <string.h>

#include "core/hart.h"
#include "core/machine.h"
#include "debugger/symbols.h"
#include "replay/engine.h"

enum { REG_RA = 1, REG_SP = 2, REG_FP = 8 };

/* Registers a call leaves as they were (zero, sp, gp, tp, s0-s11): what a
 * frame found without rules still knows of its caller. */
#define PRESERVED (1u | 1u << 2 | 1u << 3 | 1u << 4 | 1u << 8 | 1u << 9 | 0x3ffu << 18)

/* How far above sp a frame record may lie. Code built without frame
 * pointers keeps any value in s0; most of them fail this test. */
#define FP_SPAN (1u << 20)

struct walk {
	struct dinfo *di;
	const struct sym_table *syms;
	dinfo_read_fn read;
	void *ctx;
	struct bt_frame *out;
	unsigned n;
	uint64_t pc;            /* the innermost frame found so far */
	struct dinfo_regs r;
};

static bool known(const struct dinfo_regs *r, unsigned i)
{
	return r->known & (1u << i);
}

static void push(struct walk *w, uint64_t pc, const struct dinfo_regs *r, enum bt_how how)
{
	w->out[w->n++] = (struct bt_frame){
		.pc = pc, .how = how,
		.fp = known(r, REG_FP) ? r->x[REG_FP] : 0,
		.sp = known(r, REG_SP) ? r->x[REG_SP] : 0,
	};
	w->pc = pc;
	w->r = *r;
}

/*
 * Whether a caller found at pc with registers c is progress: a plausible
 * code address, not below the callee on the stack, and no (pc, sp) seen
 * before (corrupt or looping CFI, a cyclic frame chain).
 */
static bool moves_up(const struct walk *w, uint64_t pc, const struct dinfo_regs *c)
{
	uint64_t sp = known(c, REG_SP) ? c->x[REG_SP] : 0;
	if (!pc || (pc & 1))
		return false;
	if (sp && known(&w->r, REG_SP) && sp < w->r.x[REG_SP])
		return false;
	for (unsigned i = 0; i < w->n; i++)
		if (w->out[i].pc == pc && w->out[i].sp == sp)
			return false;
	return true;
}

/* One frame up by CFI: 1 found, 0 no CFI covers the pc, -1 the walk ends. */
static int step_cfi(struct walk *w)
{
	struct dinfo_regs c;
	uint64_t ret, cfa;
	if (!w->di)
		return 0;
	switch (dinfo_unwind(w->di, w->pc, w->n > 1, &w->r, w->read, w->ctx, &c, &ret, &cfa)) {
	case DINFO_NO_CFI:
		return 0;
	case DINFO_CALLER:
		if (!moves_up(w, ret, &c))
			return -1;
		push(w, ret, &c, BT_CFI);
		return 1;
	default:
		return -1;
	}
}

/* Whether v can be a frame pointer above fp. */
static bool fp_above(uint64_t v, uint64_t fp)
{
	return v && !(v & 7) && v > fp && v - fp <= FP_SPAN;
}

/* Whether return address ra lies in the function pc is in (so it is where
 * a call made from there came back to, not the caller). */
static bool same_function(const struct walk *w, uint64_t pc, uint64_t ra)
{
	const char *n1, *n2;
	uint64_t o1, o2;
	return w->syms && sym_lookup_addr(w->syms, pc, &n1, &o1) &&
	       sym_lookup_addr(w->syms, ra - 1, &n2, &o2) && pc - o1 == ra - 1 - o2;
}

/*
 * Frame 0 by its ra register, when the record at fp is not its own: a
 * leaf that saved no ra, or any function before its prologue. gcc gives a
 * leaf built with frame pointers a frame holding only the caller's fp, at
 * fp-8 where a record keeps ra. 1 found, 0 not a leaf, -1 the walk ends.
 */
static int step_leaf(struct walk *w, bool have, const uint64_t rec[2])
{
	const struct dinfo_regs *r = &w->r;
	uint64_t ra = r->x[REG_RA], fp = r->x[REG_FP];
	struct dinfo_regs c = *r;
	/* Only in frame 0 is ra still the live register, not a used one. */
	if (w->n != 1 || !known(r, REG_RA) || ra == w->pc)
		return 0;
	c.known &= PRESERVED;
	if (have && fp_above(rec[1], fp)) {
		c.x[REG_SP] = fp;
		c.x[REG_FP] = rec[1];
	} else if ((have && rec[1] == ra) || same_function(w, w->pc, ra)) {
		return 0;
	}
	if (!moves_up(w, ra, &c))
		return -1;
	push(w, ra, &c, BT_RA);
	return 1;
}

/* One frame up by the frame record at fp, or ra for a leaf frame 0. */
static int step_fp(struct walk *w)
{
	const struct dinfo_regs *r = &w->r;
	uint64_t fp = known(r, REG_FP) ? r->x[REG_FP] : 0, sp = r->x[REG_SP], rec[2] = { 0, 0 };
	bool have = fp && !(fp & 7) &&
		    (!known(r, REG_SP) || (fp > sp && fp - sp >= 16 && fp - sp <= FP_SPAN)) &&
		    w->read(w->ctx, fp - 16, rec, 16);
	struct dinfo_regs c = { .known = 1 };
	int s = step_leaf(w, have, rec);
	if (s)
		return s;
	if (!have)
		return -1;
	/* The psABI's fp is the CFA: the caller's sp at the call. */
	c.known |= 1u << REG_SP | 1u << REG_FP;
	c.x[REG_SP] = fp;
	c.x[REG_FP] = rec[0];
	if (!moves_up(w, rec[1], &c))
		return -1;
	push(w, rec[1], &c, BT_FP);
	return 1;
}

unsigned bt_unwind(struct dinfo *di, const struct sym_table *syms, const struct dinfo_regs *regs,
		   uint64_t pc, dinfo_read_fn read, void *ctx, struct bt_frame *out, unsigned max)
{
	struct walk w = { .di = di, .syms = syms, .read = read, .ctx = ctx, .out = out };
	struct dinfo_regs r = *regs;
	if (!max)
		return 0;
	r.x[0] = 0;
	r.known |= 1;
	push(&w, pc, &r, BT_PC);
	while (w.n < max) {
		int s = step_cfi(&w);
		if (!s)
			s = step_fp(&w);
		if (s < 0)
			break;
	}
	return w.n;
}

struct hart_mem {
	struct machine *m;
	const struct hart *h;
};

static bool read_hart(void *ctx, uint64_t addr, void *buf, size_t len)
{
	const struct hart_mem *hm = ctx;
	return machine_debug_read(hm->m, hm->h, addr, buf, len);
}

unsigned bt_walk_hart(struct hart *h, uint64_t pc, struct dinfo *di,
		      const struct sym_table *syms, struct bt_frame *out, unsigned max)
{
	struct dinfo_regs r = { .known = ~0u };
	struct hart_mem hm = { .m = h->m, .h = h };
	memcpy(r.x, h->x, sizeof(r.x));
	return bt_unwind(di, syms, &r, pc, read_hart, &hm, out, max);
}

unsigned bt_walk(struct rpl *e, unsigned hart, struct dinfo *di, const struct sym_table *syms,
		 struct bt_frame *out, unsigned max)
{
	struct hart *h = rpl_machine(e)->harts[hart];
	return bt_walk_hart(h, h->pc, di, syms, out, max);
}

void bt_locate(const struct sym_table *syms, struct dinfo *di, const struct bt_frame *fr,
	       unsigned i, struct bt_loc *out)
{
	uint64_t at = i ? fr->pc - 1 : fr->pc;
	struct dinfo_loc loc;
	*out = (struct bt_loc){ 0 };
	if (syms && sym_lookup_addr(syms, at, &out->sym, &out->off))
		out->off += fr->pc - at;
	else
		out->sym = NULL;
	if (di && dinfo_line(di, at, &loc)) {
		out->file = loc.file;
		out->line = loc.line;
	}
}

const char *bt_how_name(enum bt_how how)
{
	static const char *const names[] = { "pc", "cfi", "fp", "ra" };
	return (unsigned)how < sizeof(names) / sizeof(names[0]) ? names[how] : "?";
}
