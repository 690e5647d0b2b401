/* jit.c: block translation to x86-64 (template JIT), code buffer, W^X. */
#include "core/jit.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/decode.h"
#include "core/fp_exec.h"
#include "core/machine.h"
#include "core/riscv.h"

#if defined(__x86_64__) && defined(__linux__)
#define JIT_HOST 1
#include <sys/mman.h>
#include <unistd.h>

#include "core/jit_rc.h"
#include "core/jit_x86.h"
#else
#define JIT_HOST 0
#endif

/* Per hart; a block is a few hundred bytes, the arena holds some 15,000. */
#define JIT_BUF_SIZE (16u << 20)
/* Room a block may need at most (64 ops and their side exits). */
#define JIT_BLOCK_MAX (24u << 10)
#define JIT_THRESHOLD_DEFAULT 16u

struct jit {
	uint8_t *rw, *rx;     /* two views of one memfd: never W and X at once */
	size_t size, used;
	size_t epilogue_len;  /* the shared epilogue at the start of the buffer */
	bool full;            /* no room: compile nothing until the next reset */
	bool fma3;            /* host FMA3, for the fused multiply-adds */
	unsigned threshold;
	const char *dump;     /* $RRV_JIT_DUMP: a file to append code to */
	struct jit_stats st;
};

static int default_mode = -1; /* jit_set_default: 1 on, 0 off */

void jit_set_default(bool on) { default_mode = on; }

int jit_parse_mode(const char *s)
{
	if (!strcmp(s, "on"))
		return 1;
	if (!strcmp(s, "off"))
		return 0;
	return -1;
}

bool jit_default(void)
{
	if (default_mode >= 0)
		return default_mode;
	const char *e = getenv("RRV_JIT");
	if (e && jit_parse_mode(e) >= 0)
		return jit_parse_mode(e);
	return JIT_HOST;
}

unsigned jit_threshold(const struct jit *j) { return j->threshold; }

void jit_get_stats(const struct jit *j, struct jit_stats *s) { *s = j->st; }

void jit_reset(struct jit *j)
{
	if (!j)
		return;
	j->used = j->epilogue_len;   /* the epilogue stays */
	j->full = false;
	j->st.resets++;
}

#if JIT_HOST

static void emit_epilogue(struct x86_buf *b);

struct jit *jit_new(enum jit_mode mode)
{
	if (mode == JIT_OFF || (mode == JIT_AUTO && !jit_default()))
		return NULL;
	struct jit *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->size = JIT_BUF_SIZE;
	j->fma3 = __builtin_cpu_supports("fma");
	j->threshold = JIT_THRESHOLD_DEFAULT;
	const char *t = getenv("RRV_JIT_THRESHOLD");
	if (t && atoi(t) >= 1 && atoi(t) <= 65535)
		j->threshold = (unsigned)atoi(t);
	j->dump = getenv("RRV_JIT_DUMP");
	int fd = memfd_create("rrv-jit", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)j->size) < 0)
		goto out_close;
	j->rw = mmap(NULL, j->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	j->rx = mmap(NULL, j->size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	if (j->rw == MAP_FAILED || j->rx == MAP_FAILED)
		goto out_unmap;
	close(fd);
	struct x86_buf eb = { .p = j->rw, .start = j->rw, .end = j->rw + 256 };
	emit_epilogue(&eb);
	j->epilogue_len = (x86_pos(&eb) + 15) & ~(size_t)15;
	j->used = j->epilogue_len;
	return j;

out_unmap:
	if (j->rw != MAP_FAILED)
		munmap(j->rw, j->size);
	if (j->rx != MAP_FAILED)
		munmap(j->rx, j->size);
out_close:
	if (fd >= 0)
		close(fd);
	free(j);
	return NULL;
}

void jit_free(struct jit *j)
{
	if (!j)
		return;
	munmap(j->rw, j->size);
	munmap(j->rx, j->size);
	free(j);
}

/* ---- translation ---- */

#define HX(r) ((int32_t)(offsetof(struct hart, x) + 8 * (r)))
#define HOFF(field) ((int32_t)offsetof(struct hart, field))
#define HF(r) ((int32_t)(offsetof(struct hart, f) + 8 * (r)))

_Static_assert(sizeof(struct tlb_entry) == 16, "tlb index scaling below");
_Static_assert(offsetof(struct tlb_entry, tag) == 0 &&
	       offsetof(struct tlb_entry, addend) == 8, "tlb entry layout");

/* A side exit: a jump to a stub returning the op index. */
struct fixup {
	size_t at;
	unsigned k;
};

struct cx {
	struct x86_buf b;
	struct rcache rc;
	const struct tb *tb;          /* the block being compiled */
	const uint64_t *gen;          /* the tb cache's generation */
	const uint8_t *rx;            /* b.start's address in the rx view */
	const uint8_t *epilogue;      /* emit_epilogue's, in the rx view */
	bool fp_fast;                 /* the hart may use the host FPU */
	bool recording;               /* PAUSE ends the block (exec.c) */
	bool fma3;                    /* the host has FMA3 */
	struct fixup fix[2 * (TB_MAX_INSNS + 1)];
	unsigned nfix;
	unsigned links;               /* emit_static_link's, for jit_stats */
};

enum emit_result { EM_NEXT, EM_END, EM_NO };

/*
 * Native code is called as fn(h, &left, &tb) (core/jit.h): RBX = h, R12 =
 * the budget left (written back to *left on return), R13 = tbp; RBP, R14
 * and R15 are saved for the register cache; [RSP] = &left. The prologue
 * has a fixed length so that a chained jump enters a block right after
 * it, in the frame every block shares. Chaining only subtracts each
 * entered block from R12: the shared epilogue adds what chaining counted
 * to h->icount, and stores the block it left from to *tbp, so that
 * h->icount and the budget are what exec.c's enter: would have made them.
 * Native code reads neither (a helper call is an FP op, which does not).
 */
#define JIT_PROLOGUE_LEN 20

static void emit_prologue(struct cx *c)
{
	struct x86_buf *b = &c->b;
	size_t p0 = x86_pos(b);
	x86_push(b, X_RBX);
	x86_push(b, X_R12);
	x86_push(b, X_R13);
	x86_push(b, X_RBP);
	x86_push(b, X_R14);
	x86_push(b, X_R15);
	x86_push(b, X_RSI);                   /* &left; aligned for calls */
	x86_mov_rr(b, X_RBX, X_RDI);
	x86_load64(b, X_R12, X_RSI, 0);
	x86_mov_rr(b, X_R13, X_RDX);
	if (x86_pos(b) - p0 != JIT_PROLOGUE_LEN)
		b->overflow = true;
}

/* The epilogue every block leaves through, at the start of the code
 * buffer: EAX = the result, RDX = the block. */
static void emit_epilogue(struct x86_buf *b)
{
	x86_store64(b, X_RDX, X_R13, 0);              /* *tbp = block */
	x86_load64(b, X_RCX, X_RSP, 0);               /* &left */
	x86_load64(b, X_RDX, X_RCX, 0);               /* left at entry */
	x86_alu_rr(b, true, ALU_SUB, X_RDX, X_R12);   /* counted by chaining */
	x86_mem(b, true, 0x01, X_RDX, X_RBX, HOFF(icount)); /* add [icount], rdx */
	x86_store64(b, X_R12, X_RCX, 0);
	x86_alu_imm(b, true, ALU_ADD, X_RSP, 8);
	x86_pop(b, X_R15);
	x86_pop(b, X_R14);
	x86_pop(b, X_RBP);
	x86_pop(b, X_R13);
	x86_pop(b, X_R12);
	x86_pop(b, X_RBX);
	x86_ret(b);
}

/* jmp rel32 to the native address `to` (in the rx view). */
static void emit_jmp_rx(struct cx *c, const uint8_t *to)
{
	x86_byte(&c->b, 0xe9);
	ptrdiff_t d = to - (c->rx + x86_pos(&c->b) + 4);
	if (!x86_fits32(d))
		c->b.overflow = true;
	x86_u32(&c->b, (uint32_t)(int32_t)d);
}

/* Leave with eax = v (every dirty register stored before). */
static void emit_return(struct cx *c, unsigned v)
{
	assert(c->rc.dirty == 0);
	x86_mov_imm(&c->b, X_RAX, v);
	x86_mov_imm(&c->b, X_RDX, (uint64_t)(uintptr_t)c->tb);
	emit_jmp_rx(c, c->epilogue);
}

/* Jcc to the side exit at op k; the registers are stored first (only
 * stores: the flags the Jcc tests survive). */
static void exit_if(struct cx *c, enum x86_cc cc, unsigned k)
{
	rc_flush(&c->rc);
	size_t at = x86_jcc32(&c->b, cc);
	if (c->nfix < sizeof(c->fix) / sizeof(c->fix[0]))
		c->fix[c->nfix++] = (struct fixup){ at, k };
	else
		c->b.overflow = true;
}

/*
 * Exit `slot`'s link as compiled in: when the interpreter had linked it
 * already (exec.c's chain:, tb_may_chain) to a block with native code (or
 * to this block), the jump goes straight there while the cache's
 * generation is still the one the link was made in — the only thing that
 * could have undone the link. The budget test is the interpreter's.
 * `out` collects the jumps to the return; false when there is no such link.
 */
static bool emit_static_link(struct cx *c, int slot, size_t *out, unsigned *n)
{
	struct x86_buf *b = &c->b;
	const struct tb *t = c->tb->link[slot];
	uint64_t gen = *c->gen;
	if (!t || c->tb->link_gen[slot] != gen || gen > INT32_MAX ||
	    (t != c->tb && !t->jit))
		return false;
	const uint8_t *code = t == c->tb ? c->rx : (const uint8_t *)t->jit;
	x86_mov_imm(b, X_RCX, (uint64_t)(uintptr_t)c->gen);
	x86_mem(b, true, 0x81, ALU_CMP, X_RCX, 0);    /* cmp qword [rcx], imm32 */
	x86_u32(b, (uint32_t)gen);
	size_t dyn = x86_jcc8(b, CC_NE);
	x86_alu_imm(b, true, ALU_CMP, X_R12, t->n);
	out[(*n)++] = x86_jcc8(b, CC_B);
	x86_alu_imm(b, true, ALU_SUB, X_R12, t->n);
	emit_jmp_rx(c, code + JIT_PROLOGUE_LEN);
	x86_land8(b, dyn);
	c->links++;
	return true;
}

/*
 * The block is done: h->pc = RAX, follow exit `slot`. A direct exit whose
 * link the interpreter made (exec.c's chain:, with tb_may_chain) is
 * followed natively under exactly the interpreter's conditions: no
 * exit_request, the link of this generation, the next block fits the
 * budget, and it has native code. Otherwise the interpreter chains.
 */
static void emit_done(struct cx *c, int slot)
{
	struct x86_buf *b = &c->b;
	rc_flush(&c->rc);
	x86_store64(b, X_RAX, X_RBX, HOFF(pc));
	if (slot >= 0) {
		size_t out[7];
		unsigned n = 0;
		x86_alu_mem_imm(b, false, ALU_CMP, X_RBX, HOFF(exit_request), 0);
		out[n++] = x86_jcc8(b, CC_NE);
		emit_static_link(c, slot, out, &n);
		x86_mov_imm(b, X_RSI, (uint64_t)(uintptr_t)c->tb);
		x86_load64(b, X_RCX, X_RSI, (int32_t)offsetof(struct tb, link[slot]));
		x86_rr(b, true, OPC_TEST, X_RCX, X_RCX);
		out[n++] = x86_jcc8(b, CC_E);
		x86_load64(b, X_RDX, X_RSI, (int32_t)offsetof(struct tb, link_gen[slot]));
		x86_mov_imm(b, X_RSI, (uint64_t)(uintptr_t)c->gen);
		x86_alu_mem(b, true, ALU_CMP, X_RDX, X_RSI, 0);
		out[n++] = x86_jcc8(b, CC_NE);
		x86_mem(b, false, OPC_MOVZX16, X_RDX, X_RCX, (int32_t)offsetof(struct tb, n));
		x86_alu_rr(b, true, ALU_CMP, X_R12, X_RDX);
		out[n++] = x86_jcc8(b, CC_B);
		x86_load64(b, X_RSI, X_RCX, (int32_t)offsetof(struct tb, jit));
		x86_rr(b, true, OPC_TEST, X_RSI, X_RSI);
		out[n++] = x86_jcc8(b, CC_E);
		x86_alu_rr(b, true, ALU_SUB, X_R12, X_RDX);
		x86_alu_imm(b, true, ALU_ADD, X_RSI, JIT_PROLOGUE_LEN);
		x86_rr(b, false, 0xff, 4, X_RSI);                        /* jmp rsi */
		for (unsigned i = 0; i < n; i++)
			x86_land8(b, out[i]);
	}
	emit_return(c, JIT_DONE + (unsigned)(1 + slot));
}

/*
 * A load's or store's fast path up to the host address in RAX: the
 * interpreter's SAFE_POINT_BEFORE_MEM (exit_request) and soft-TLB hit test,
 * with everything else (miss, misalignment, safe point) a side exit to the
 * op, which the interpreter then executes from the start.
 */
static void emit_mem_addr(struct cx *c, const struct op *op, unsigned k,
			  unsigned size, bool store)
{
	struct x86_buf *b = &c->b;
	int32_t set = store ? (int32_t)offsetof(struct tlb_set, w) :
			      (int32_t)offsetof(struct tlb_set, r);
	unsigned hs1 = rc_src(&c->rc, op->rs1);
	x86_alu_mem_imm(b, false, ALU_CMP, X_RBX, HOFF(exit_request), 0);
	exit_if(c, CC_NE, k);
	x86_lea(b, X_RAX, hs1, (int32_t)op->imm);
	x86_mov_rr(b, X_RCX, X_RAX);
	x86_shift_imm(b, false, SH_SHR, X_RCX, PAGE_SHIFT);
	x86_alu_imm(b, false, ALU_AND, X_RCX, TLB_SIZE - 1);
	x86_shift_imm(b, false, SH_SHL, X_RCX, 4);
	x86_alu_mem(b, true, ALU_ADD, X_RCX, X_RBX, HOFF(tlb_data));
	x86_mov_rr(b, X_RDX, X_RAX);
	x86_alu_imm(b, true, ALU_AND, X_RDX, (int32_t)(PAGE_MASK | (size - 1)));
	x86_alu_mem(b, true, ALU_CMP, X_RDX, X_RCX, set);
	exit_if(c, CC_NE, k);
	x86_alu_mem(b, true, ALU_ADD, X_RAX, X_RCX, set + 8);
}

static void emit_load(struct cx *c, const struct op *op, unsigned k,
		      unsigned size, bool sign)
{
	static const unsigned sx[9] = { [1] = OPC_MOVSX8, [2] = OPC_MOVSX16,
					[4] = OPC_MOVSXD, [8] = OPC_MOV_LOAD };
	static const unsigned zx[9] = { [1] = OPC_MOVZX8, [2] = OPC_MOVZX16,
					[4] = OPC_MOV_LOAD, [8] = OPC_MOV_LOAD };
	emit_mem_addr(c, op, k, size, false);
	unsigned d = rc_dst(&c->rc, op->rd, 0);
	/* movzx and a 32-bit mov zero-extend to 64 bits by themselves. */
	x86_mem(&c->b, sign || size == 8, sign ? sx[size] : zx[size], d, X_RAX, 0);
	rc_def(&c->rc, op->rd, d);
}

static void emit_store(struct cx *c, const struct op *op, unsigned k, unsigned size)
{
	unsigned hs2 = rc_src(&c->rc, op->rs2);
	emit_mem_addr(c, op, k, size, true);
	x86_store_sized(&c->b, size, hs2, X_RAX, 0);
}

/*
 * FLW/FLD and FSW/FSD: the same fast path; FLW NaN-boxes, loads dirty FS
 * (exec.c's FLOAD), FSW stores the low 32 bits without unboxing.
 */
static void emit_fload(struct cx *c, const struct op *op, unsigned k, unsigned size)
{
	struct x86_buf *b = &c->b;
	emit_mem_addr(c, op, k, size, false);
	if (size == 4) {
		x86_load32(b, X_RAX, X_RAX, 0);
		x86_mov_imm(b, X_RCX, 0xffffffff00000000ull);
		x86_alu_rr(b, true, ALU_OR, X_RAX, X_RCX);
	} else {
		x86_load64(b, X_RAX, X_RAX, 0);
	}
	x86_store64(b, X_RAX, X_RBX, HF(op->rd));
	x86_alu_mem_imm(b, true, ALU_OR, X_RBX, HOFF(mstatus), (int32_t)MSTATUS_FS_DIRTY);
}

static void emit_fstore(struct cx *c, const struct op *op, unsigned k, unsigned size)
{
	emit_mem_addr(c, op, k, size, true);
	x86_load64(&c->b, X_RDX, X_RBX, HF(op->rs2));
	x86_store_sized(&c->b, size, X_RDX, X_RAX, 0);
}

/*
 * Moves and sign injection, natively (fp_ops.def's FMV_*, FSGNJ*_D: no
 * rounding, no flags; a write to an f register dirties FS).
 */
static void emit_fp_dirty(struct cx *c)
{
	x86_alu_mem_imm(&c->b, true, ALU_OR, X_RBX, HOFF(mstatus), (int32_t)MSTATUS_FS_DIRTY);
}

static void emit_fsgnj_d(struct cx *c, const struct op *op, unsigned id)
{
	struct x86_buf *b = &c->b;
	x86_load64(b, X_RAX, X_RBX, HF(op->rs1));
	x86_load64(b, X_RCX, X_RBX, HF(op->rs2));
	if (id == INSN_FSGNJX_D) {
		x86_shift_imm(b, true, SH_SHR, X_RCX, 63);
		x86_shift_imm(b, true, SH_SHL, X_RCX, 63);   /* sign of b */
		x86_alu_rr(b, true, ALU_XOR, X_RAX, X_RCX);
	} else {
		if (id == INSN_FSGNJN_D)
			x86_unary(b, true, UN_NOT, X_RCX);
		x86_shift_imm(b, true, SH_SHR, X_RCX, 63);
		x86_shift_imm(b, true, SH_SHL, X_RCX, 63);   /* sign to inject */
		x86_shift_imm(b, true, SH_SHL, X_RAX, 1);
		x86_shift_imm(b, true, SH_SHR, X_RAX, 1);    /* |a| */
		x86_alu_rr(b, true, ALU_OR, X_RAX, X_RCX);
	}
	x86_store64(b, X_RAX, X_RBX, HF(op->rd));
	emit_fp_dirty(c);
}

static void emit_fmv(struct cx *c, const struct op *op, unsigned id)
{
	struct x86_buf *b = &c->b;
	switch (id) {
	case INSN_FMV_X_D: {
		unsigned d = rc_dst(&c->rc, op->rd, 0);
		x86_load64(b, d, X_RBX, HF(op->rs1));
		rc_def(&c->rc, op->rd, d);
		return;
	}
	case INSN_FMV_X_W: {
		unsigned d = rc_dst(&c->rc, op->rd, 0);
		x86_mem(b, true, OPC_MOVSXD, d, X_RBX, HF(op->rs1));
		rc_def(&c->rc, op->rd, d);
		return;
	}
	case INSN_FMV_D_X:
		x86_mov_rr(b, X_RAX, rc_src(&c->rc, op->rs1));
		break;
	default: /* FMV_W_X: the low 32 bits, NaN-boxed */
		x86_rr(b, false, OPC_MOV_LOAD, X_RAX, rc_src(&c->rc, op->rs1));
		x86_mov_imm(b, X_RCX, 0xffffffff00000000ull);
		x86_alu_rr(b, true, ALU_OR, X_RAX, X_RCX);
		break;
	}
	x86_store64(b, X_RAX, X_RBX, HF(op->rd));
	emit_fp_dirty(c);
}

/*
 * The other F and D instructions call their one definition (core/fp_ops.def)
 * through a helper: 0 = retired, 1 = illegal (a reserved rounding mode,
 * nothing changed), which exits to the op for the interpreter to trap.
 */
typedef unsigned (*fp_helper_fn)(struct hart *h, const struct op *op);
#define FP_OP(name, body)                                                   \
	static unsigned jit_fp_##name(struct hart *h, const struct op *op)  \
	{                                                                   \
		return fp_exec_##name(h, op) ? 0 : 1;                       \
	}
#include "core/fp_ops.def"
#undef FP_OP
static const fp_helper_fn fp_helper[INSN_COUNT] = {
#define FP_OP(name, body) [INSN_##name] = jit_fp_##name,
#include "core/fp_ops.def"
#undef FP_OP
};

/*
 * A native fast path in front of the helper for the double-precision
 * arithmetic (QEMU's "hardfloat" rule, issue 15): taken when the rounding
 * mode resolves to RNE, fflags.NX is already set and the host result is
 * finite with a magnitude strictly above the smallest normal. Then the
 * exact result rounded once (SSE2/FMA3, RNE, no DAZ/FTZ as fpu_fast.c
 * checks at start) is what fpu.c computes, and it raises no flag but NX:
 * invalid operations give NaN, division by zero and overflow infinity,
 * and an underflow a magnitude at most the smallest normal, all refused
 * here. Anything else calls the helper, which starts from the same
 * unchanged registers.
 */
static bool fp_fast_op(unsigned id, int *sse, int *fma)
{
	*sse = *fma = -1;
	switch (id) {
	case INSN_FADD_D: *sse = SSE_ADDSD; return true;
	case INSN_FSUB_D: *sse = SSE_SUBSD; return true;
	case INSN_FMUL_D: *sse = SSE_MULSD; return true;
	case INSN_FDIV_D: *sse = SSE_DIVSD; return true;
	case INSN_FSQRT_D: *sse = SSE_SQRTSD; return true;
	case INSN_FMADD_D: *fma = 0xb9; return true;
	case INSN_FMSUB_D: *fma = 0xbb; return true;
	case INSN_FNMSUB_D: *fma = 0xbd; return true;
	case INSN_FNMADD_D: *fma = 0xbf; return true;
	default: return false;
	}
}

/* Returns the positions of the jumps to the helper call, *n of them. */
static void emit_fp_fast(struct cx *c, const struct op *op, int sse, int fma,
			 size_t *slow, unsigned *n)
{
	struct x86_buf *b = &c->b;
	*n = 0;
	x86_mem(b, false, 0xf6, 0, X_RBX, HOFF(fflags));   /* test byte, imm8 */
	x86_byte(b, FPU_NX);
	slow[(*n)++] = x86_jcc32(b, CC_E);
	if (op->rm == FPU_DYN) {
		x86_alu_mem_imm(b, false, ALU_CMP, X_RBX, HOFF(frm), FPU_RNE);
		slow[(*n)++] = x86_jcc32(b, CC_NE);
	}
	if (fma >= 0) {
		x86_sse_mem(b, SSE_MOVSD_LOAD, 0, X_RBX, HF(op->rs3));
		x86_sse_mem(b, SSE_MOVSD_LOAD, 1, X_RBX, HF(op->rs1));
		x86_fma231sd_mem(b, (unsigned)fma, 0, 1, X_RBX, HF(op->rs2));
	} else if (sse == SSE_SQRTSD) {
		x86_sse_mem(b, SSE_SQRTSD, 0, X_RBX, HF(op->rs1));
	} else {
		x86_sse_mem(b, SSE_MOVSD_LOAD, 0, X_RBX, HF(op->rs1));
		x86_sse_mem(b, (enum x86_sse)sse, 0, X_RBX, HF(op->rs2));
	}
	/* fpuf_safe_d: (r & ~sign) - (MINN + 1) < INF - (MINN + 1). */
	x86_movq_from_xmm(b, X_RAX, 0);
	x86_mov_rr(b, X_RCX, X_RAX);
	x86_shift_imm(b, true, SH_SHL, X_RCX, 1);
	x86_shift_imm(b, true, SH_SHR, X_RCX, 1);
	x86_mov_imm(b, X_RDX, FPUF_MINN_D + 1);
	x86_alu_rr(b, true, ALU_SUB, X_RCX, X_RDX);
	x86_mov_imm(b, X_RDX, FPUF_INF_D - (FPUF_MINN_D + 1));
	x86_alu_rr(b, true, ALU_CMP, X_RCX, X_RDX);
	slow[(*n)++] = x86_jcc32(b, CC_AE);
	x86_store64(b, X_RAX, X_RBX, HF(op->rd));
	emit_fp_dirty(c);
}

static void emit_fp_call(struct cx *c, const struct op *op, unsigned k)
{
	struct x86_buf *b = &c->b;
	size_t slow[3], done = 0;
	unsigned nslow = 0;
	int sse, fma;
	rc_flush(&c->rc);     /* the helper reads h->x (and so may the stub) */
	if (c->fp_fast && fp_fast_op(op->id, &sse, &fma) &&
	    (op->rm == FPU_RNE || op->rm == FPU_DYN) && (fma < 0 || c->fma3)) {
		emit_fp_fast(c, op, sse, fma, slow, &nslow);
		x86_byte(b, 0xe9);                 /* jmp rel32 over the call */
		x86_u32(b, 0);
		done = x86_pos(b) - 4;
		for (unsigned i = 0; i < nslow; i++)
			x86_patch32(b, slow[i], x86_pos(b));
	}
	x86_mov_rr(b, X_RDI, X_RBX);
	x86_mov_imm(b, X_RSI, (uint64_t)(uintptr_t)op);
	x86_mov_imm(b, X_RAX, (uint64_t)(uintptr_t)fp_helper[op->id]);
	x86_call_reg(b, X_RAX);
	x86_rr(b, false, OPC_TEST, X_RAX, X_RAX);
	exit_if(c, CC_NE, k);
	if (nslow)
		x86_patch32(b, done, x86_pos(b));
	rc_after_call(&c->rc, op->rd);
}

/* rd = rs1 op rs2, 64- or 32-bit (W forms sign-extend the result). */
static void emit_alu_rr(struct cx *c, const struct op *op, enum x86_alu alu, bool w)
{
	struct x86_buf *b = &c->b;
	unsigned hs1 = rc_src(&c->rc, op->rs1), hs2 = rc_src(&c->rc, op->rs2);
	unsigned d = rc_dst_from(&c->rc, op->rd, op->rs1, hs1, rc_bit(hs2));
	x86_alu_rr(b, w, alu, d, hs2);
	if (!w)
		x86_movsxd(b, d, d);
	rc_def(&c->rc, op->rd, d);
}

/* The value of rs1 op imm when rs1 is x0 (li and friends). */
static int64_t alu_const(enum x86_alu alu, bool w, int64_t imm)
{
	int64_t v = alu == ALU_AND ? 0 : imm;
	return w ? v : (int64_t)(int32_t)v;
}

static void emit_alu_ri(struct cx *c, const struct op *op, enum x86_alu alu, bool w)
{
	struct x86_buf *b = &c->b;
	if (op->rs1 == 0) {
		unsigned d = rc_dst(&c->rc, op->rd, 0);
		x86_mov_imm(b, d, (uint64_t)alu_const(alu, w, op->imm));
		rc_def(&c->rc, op->rd, d);
		return;
	}
	unsigned d = rc_dst_from(&c->rc, op->rd, op->rs1, rc_src(&c->rc, op->rs1), 0);
	if (op->imm || alu == ALU_AND)
		x86_alu_imm(b, w, alu, d, (int32_t)op->imm);
	if (!w)
		x86_movsxd(b, d, d);
	rc_def(&c->rc, op->rd, d);
}

static void emit_shift_r(struct cx *c, const struct op *op, enum x86_shift sh, bool w)
{
	struct x86_buf *b = &c->b;
	unsigned hs1 = rc_src(&c->rc, op->rs1);
	x86_mov_rr(b, X_RCX, rc_src(&c->rc, op->rs2));
	unsigned d = rc_dst_from(&c->rc, op->rd, op->rs1, hs1, 0);
	x86_shift_cl(b, w, sh, d);
	if (!w)
		x86_movsxd(b, d, d);
	rc_def(&c->rc, op->rd, d);
}

static void emit_shift_i(struct cx *c, const struct op *op, enum x86_shift sh, bool w)
{
	struct x86_buf *b = &c->b;
	unsigned d = rc_dst_from(&c->rc, op->rd, op->rs1, rc_src(&c->rc, op->rs1), 0);
	if (op->imm)
		x86_shift_imm(b, w, sh, d, (unsigned)op->imm);
	if (!w)
		x86_movsxd(b, d, d);
	rc_def(&c->rc, op->rd, d);
}

static void emit_set(struct cx *c, const struct op *op, enum x86_cc cc, bool imm)
{
	struct x86_buf *b = &c->b;
	unsigned hs1 = rc_src(&c->rc, op->rs1);
	if (imm)
		x86_alu_imm(b, true, ALU_CMP, hs1, (int32_t)op->imm);
	else
		x86_alu_rr(b, true, ALU_CMP, hs1, rc_src(&c->rc, op->rs2));
	x86_setcc64(b, cc, X_RAX);
	rc_def(&c->rc, op->rd, X_RAX);
}

/* High half of the 128-bit product (MULH, MULHU, MULHSU). */
static void emit_mulh(struct cx *c, const struct op *op, unsigned id)
{
	struct x86_buf *b = &c->b;
	unsigned hs1 = rc_src(&c->rc, op->rs1), hs2 = rc_src(&c->rc, op->rs2);
	x86_mov_rr(b, X_RAX, hs1);
	x86_unary(b, true, id == INSN_MULH ? UN_IMUL : UN_MUL, hs2);
	if (id == INSN_MULHSU) {
		/* signed a times unsigned b: the unsigned product's high half
		 * minus b when a is negative. */
		x86_mov_rr(b, X_RCX, hs1);
		x86_shift_imm(b, true, SH_SAR, X_RCX, 63);
		x86_alu_rr(b, true, ALU_AND, X_RCX, hs2);
		x86_alu_rr(b, true, ALU_SUB, X_RDX, X_RCX);
	}
	rc_def(&c->rc, op->rd, X_RDX);
}

/*
 * DIV[U][W] and REM[U][W] with the M spec's results for a zero divisor
 * (quotient all ones, remainder the dividend) and for signed overflow
 * (most negative / -1: quotient the dividend, remainder 0), as exec.c's
 * div64/rem64/div32/rem32; x86 would raise #DE for both.
 */
static void emit_div(struct cx *c, const struct op *op, bool sign, bool rem, bool w64)
{
	struct x86_buf *b = &c->b;
	bool w = w64;
	unsigned hs1 = rc_src(&c->rc, op->rs1), hs2 = rc_src(&c->rc, op->rs2);
	x86_rr(b, w, OPC_MOV_LOAD, X_RAX, hs1);
	x86_rr(b, w, OPC_MOV_LOAD, X_RCX, hs2);
	x86_rr(b, w, OPC_TEST, X_RCX, X_RCX);
	size_t to_zero = x86_jcc8(b, CC_E);
	size_t to_done1 = 0, to_norm = 0;
	if (sign) {
		x86_alu_imm(b, w, ALU_CMP, X_RCX, -1);
		to_norm = x86_jcc8(b, CC_NE);
		if (rem)
			x86_alu_rr(b, false, ALU_XOR, X_RAX, X_RAX);
		else
			x86_unary(b, w, UN_NEG, X_RAX); /* wraps for the most negative */
		to_done1 = x86_jmp8(b);
		x86_land8(b, to_norm);
		if (w)
			x86_cqo(b);
		else
			x86_cdq(b);
	} else {
		x86_alu_rr(b, false, ALU_XOR, X_RDX, X_RDX);
	}
	x86_unary(b, w, sign ? UN_IDIV : UN_DIV, X_RCX);
	if (rem)
		x86_rr(b, w, OPC_MOV_LOAD, X_RAX, X_RDX);
	size_t to_done2 = x86_jmp8(b);
	x86_land8(b, to_zero);
	if (!rem)
		x86_mov_imm(b, X_RAX, w ? ~0ull : 0xffffffffu);
	x86_land8(b, to_done2);
	if (sign)
		x86_land8(b, to_done1);
	if (!w)
		x86_movsxd(b, X_RAX, X_RAX);
	rc_def(&c->rc, op->rd, X_RAX);
}

static void emit_branch(struct cx *c, const struct op *op, enum x86_cc cc)
{
	struct x86_buf *b = &c->b;
	unsigned hs1 = rc_src(&c->rc, op->rs1);
	if (op->rs2 != 0)
		rc_src(&c->rc, op->rs2);
	rc_flush(&c->rc);     /* before the paths split */
	if (op->rs2 == 0)   /* the same flags as cmp with 0 */
		x86_rr(b, true, OPC_TEST, hs1, hs1);
	else
		x86_alu_rr(b, true, ALU_CMP, hs1, rc_src(&c->rc, op->rs2));
	size_t taken = x86_jcc32(b, cc);
	x86_mov_imm(b, X_RAX, op->pc + op->len);
	emit_done(c, 1);
	x86_patch32(b, taken, x86_pos(b));
	x86_mov_imm(b, X_RAX, op->pc + (uint64_t)op->imm);
	emit_done(c, 0);
}

static bool imm32_ok(const struct op *op) { return x86_fits32(op->imm); }

/* Native code for op k (ops[k] of the block), or EM_NO. */
static enum emit_result emit_op(struct cx *c, const struct op *op, unsigned k)
{
	struct x86_buf *b = &c->b;
	unsigned id = op->id;
	if (!imm32_ok(op) && id != INSN_AUIPC && id != INSN_JAL &&
	    id != INSN_BEQ && id != INSN_BNE && id != INSN_BLT &&
	    id != INSN_BGE && id != INSN_BLTU && id != INSN_BGEU)
		return EM_NO;
	switch (id) {
	case INSN_LUI: case INSN_AUIPC: {
		unsigned d = rc_dst(&c->rc, op->rd, 0);
		x86_mov_imm(b, d, (id == INSN_AUIPC ? op->pc : 0) + (uint64_t)op->imm);
		rc_def(&c->rc, op->rd, d);
		return EM_NEXT;
	}
	case INSN_JAL:     /* the block ends: the link is not cached */
		rc_flush(&c->rc);
		x86_mov_imm(b, X_RAX, op->pc + op->len);
		x86_store64(b, X_RAX, X_RBX, HX(op->rd));
		x86_mov_imm(b, X_RAX, op->pc + (uint64_t)op->imm);
		emit_done(c, 0);
		return EM_END;
	case INSN_JALR:
		/* The target before rd is written (rd may be rs1). */
		x86_mov_rr(b, X_RCX, rc_src(&c->rc, op->rs1));
		if (op->imm)
			x86_alu_imm(b, true, ALU_ADD, X_RCX, (int32_t)op->imm);
		x86_alu_imm(b, true, ALU_AND, X_RCX, -2);
		rc_flush(&c->rc);
		x86_mov_imm(b, X_RAX, op->pc + op->len);
		x86_store64(b, X_RAX, X_RBX, HX(op->rd));
		x86_mov_rr(b, X_RAX, X_RCX);
		emit_done(c, -1);
		return EM_END;
	case INSN_BEQ: emit_branch(c, op, CC_E); return EM_END;
	case INSN_BNE: emit_branch(c, op, CC_NE); return EM_END;
	case INSN_BLT: emit_branch(c, op, CC_L); return EM_END;
	case INSN_BGE: emit_branch(c, op, CC_GE); return EM_END;
	case INSN_BLTU: emit_branch(c, op, CC_B); return EM_END;
	case INSN_BGEU: emit_branch(c, op, CC_AE); return EM_END;
	case INSN_TB_END:
		x86_mov_imm(b, X_RAX, op->pc);
		emit_done(c, 1);
		return EM_END;
	case INSN_LB: emit_load(c, op, k, 1, true); return EM_NEXT;
	case INSN_LH: emit_load(c, op, k, 2, true); return EM_NEXT;
	case INSN_LW: emit_load(c, op, k, 4, true); return EM_NEXT;
	case INSN_LD: emit_load(c, op, k, 8, true); return EM_NEXT;
	case INSN_LBU: emit_load(c, op, k, 1, false); return EM_NEXT;
	case INSN_LHU: emit_load(c, op, k, 2, false); return EM_NEXT;
	case INSN_LWU: emit_load(c, op, k, 4, false); return EM_NEXT;
	case INSN_SB: emit_store(c, op, k, 1); return EM_NEXT;
	case INSN_SH: emit_store(c, op, k, 2); return EM_NEXT;
	case INSN_SW: emit_store(c, op, k, 4); return EM_NEXT;
	case INSN_SD: emit_store(c, op, k, 8); return EM_NEXT;
	case INSN_ADDI: emit_alu_ri(c, op, ALU_ADD, true); return EM_NEXT;
	case INSN_XORI: emit_alu_ri(c, op, ALU_XOR, true); return EM_NEXT;
	case INSN_ORI: emit_alu_ri(c, op, ALU_OR, true); return EM_NEXT;
	case INSN_ANDI: emit_alu_ri(c, op, ALU_AND, true); return EM_NEXT;
	case INSN_ADDIW: emit_alu_ri(c, op, ALU_ADD, false); return EM_NEXT;
	case INSN_SLTI: emit_set(c, op, CC_L, true); return EM_NEXT;
	case INSN_SLTIU: emit_set(c, op, CC_B, true); return EM_NEXT;
	case INSN_SLT: emit_set(c, op, CC_L, false); return EM_NEXT;
	case INSN_SLTU: emit_set(c, op, CC_B, false); return EM_NEXT;
	case INSN_SLLI: case INSN_SRLI: case INSN_SRAI:
		if (op->imm < 0 || op->imm > 63)
			return EM_NO;
		emit_shift_i(c, op, id == INSN_SLLI ? SH_SHL : id == INSN_SRLI ?
			     SH_SHR : SH_SAR, true);
		return EM_NEXT;
	case INSN_SLLIW: case INSN_SRLIW: case INSN_SRAIW:
		if (op->imm < 0 || op->imm > 31)
			return EM_NO;
		emit_shift_i(c, op, id == INSN_SLLIW ? SH_SHL : id == INSN_SRLIW ?
			     SH_SHR : SH_SAR, false);
		return EM_NEXT;
	case INSN_ADD: emit_alu_rr(c, op, ALU_ADD, true); return EM_NEXT;
	case INSN_SUB: emit_alu_rr(c, op, ALU_SUB, true); return EM_NEXT;
	case INSN_XOR: emit_alu_rr(c, op, ALU_XOR, true); return EM_NEXT;
	case INSN_OR: emit_alu_rr(c, op, ALU_OR, true); return EM_NEXT;
	case INSN_AND: emit_alu_rr(c, op, ALU_AND, true); return EM_NEXT;
	case INSN_ADDW: emit_alu_rr(c, op, ALU_ADD, false); return EM_NEXT;
	case INSN_SUBW: emit_alu_rr(c, op, ALU_SUB, false); return EM_NEXT;
	case INSN_SLL: emit_shift_r(c, op, SH_SHL, true); return EM_NEXT;
	case INSN_SRL: emit_shift_r(c, op, SH_SHR, true); return EM_NEXT;
	case INSN_SRA: emit_shift_r(c, op, SH_SAR, true); return EM_NEXT;
	case INSN_SLLW: emit_shift_r(c, op, SH_SHL, false); return EM_NEXT;
	case INSN_SRLW: emit_shift_r(c, op, SH_SHR, false); return EM_NEXT;
	case INSN_SRAW: emit_shift_r(c, op, SH_SAR, false); return EM_NEXT;
	case INSN_FENCE: x86_mfence(b); return EM_NEXT;
	case INSN_PAUSE:
		if (c->recording)
			return EM_NO; /* the interpreter ends the block (exec.c) */
		x86_mfence(b);
		return EM_NEXT;
	case INSN_FLW: emit_fload(c, op, k, 4); return EM_NEXT;
	case INSN_FLD: emit_fload(c, op, k, 8); return EM_NEXT;
	case INSN_FSW: emit_fstore(c, op, k, 4); return EM_NEXT;
	case INSN_FSD: emit_fstore(c, op, k, 8); return EM_NEXT;
	case INSN_FSGNJ_D: case INSN_FSGNJN_D: case INSN_FSGNJX_D:
		emit_fsgnj_d(c, op, id);
		return EM_NEXT;
	case INSN_FMV_X_D: case INSN_FMV_X_W: case INSN_FMV_D_X: case INSN_FMV_W_X:
		emit_fmv(c, op, id);
		return EM_NEXT;
	case INSN_MUL: case INSN_MULW: {
		bool w = id == INSN_MUL;
		unsigned hs1 = rc_src(&c->rc, op->rs1), hs2 = rc_src(&c->rc, op->rs2);
		unsigned d = rc_dst_from(&c->rc, op->rd, op->rs1, hs1, rc_bit(hs2));
		x86_rr(b, w, OPC_IMUL, d, hs2);
		if (!w)
			x86_movsxd(b, d, d);
		rc_def(&c->rc, op->rd, d);
		return EM_NEXT;
	}
	case INSN_MULH: case INSN_MULHU: case INSN_MULHSU:
		emit_mulh(c, op, id);
		return EM_NEXT;
	case INSN_DIV: emit_div(c, op, true, false, true); return EM_NEXT;
	case INSN_DIVU: emit_div(c, op, false, false, true); return EM_NEXT;
	case INSN_REM: emit_div(c, op, true, true, true); return EM_NEXT;
	case INSN_REMU: emit_div(c, op, false, true, true); return EM_NEXT;
	case INSN_DIVW: emit_div(c, op, true, false, false); return EM_NEXT;
	case INSN_DIVUW: emit_div(c, op, false, false, false); return EM_NEXT;
	case INSN_REMW: emit_div(c, op, true, true, false); return EM_NEXT;
	case INSN_REMUW: emit_div(c, op, false, true, false); return EM_NEXT;
	default:
		if (id < INSN_COUNT && fp_helper[id]) {
			emit_fp_call(c, op, k);
			return EM_NEXT;
		}
		return EM_NO;
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* For reading the code a block became (profiles name offsets in the
 * memfd): a line "B vpc offset length" and a line of hex bytes, which
 * `xxd -r -p | objdump -D -b binary -mi386:x86-64` disassembles. */
static void jit_dump(const struct jit *j, const struct tb *tb, const uint8_t *code,
		     size_t len)
{
	FILE *f = fopen(j->dump, "a");
	if (!f)
		return;
	fprintf(f, "B %llx %zx %zx\n", (unsigned long long)tb->vpc,
		(size_t)((const uint8_t *)tb->jit - j->rx), len);
	for (size_t i = 0; i < len; i++)
		fprintf(f, "%02x", code[i]);
	fprintf(f, "\n");
	fclose(f);
}

bool jit_compile(struct hart *h, struct tb *tb)
{
	struct jit *j = h->jit;
	if (!j || j->full)
		return false;
	if (j->size - j->used < JIT_BLOCK_MAX) {
		j->full = true;
		return false;
	}
	uint64_t t0 = now_ns();
	struct cx c = { .b = { .p = j->rw + j->used, .start = j->rw + j->used,
			       .end = j->rw + j->used + JIT_BLOCK_MAX } };
	c.tb = tb;
	c.gen = tb_gen_ptr(h);
	c.rx = j->rx + j->used;
	c.epilogue = j->rx;
	c.fp_fast = !h->fpu_soft;
	c.recording = h->rr && !machine_replaying(h->m);
	c.fma3 = j->fma3;
	rc_reset(&c.rc, &c.b);
	emit_prologue(&c);
	/* ops[n] is the TB_END op when the block ends without control flow. */
	unsigned nops = decode_ends_tb(tb->ops[tb->n - 1].id) ? tb->n : tb->n + 1u;
	unsigned k;
	enum emit_result r = EM_NO;
	for (k = 0; k < nops; k++) {
		r = emit_op(&c, &tb->ops[k], k);
		if (r != EM_NEXT)
			break;
	}
	if (r == EM_NO) {
		rc_flush(&c.rc);
		emit_return(&c, k);       /* the interpreter goes on at op k */
	}
	/* Side-exit stubs, one per op that needs one. */
	size_t stub[TB_MAX_INSNS + 1];
	memset(stub, 0xff, sizeof(stub));
	for (unsigned i = 0; i < c.nfix; i++) {
		unsigned fk = c.fix[i].k;
		if (stub[fk] == (size_t)-1) {
			stub[fk] = x86_pos(&c.b);
			emit_return(&c, fk);
		}
		x86_patch32(&c.b, c.fix[i].at, stub[fk]);
	}
	if (c.b.overflow || (k == 0 && r == EM_NO))
		return false;             /* nothing native: stays interpreted */
	j->st.ops_total += tb->n;
	size_t len = x86_pos(&c.b);
	tb->jit = j->rx + j->used;
	j->used = (j->used + len + 15) & ~(size_t)15;
	j->st.blocks++;
	j->st.bytes += len;
	j->st.ops_native += k < tb->n ? k : tb->n;
	j->st.links += c.links;
	j->st.ns += now_ns() - t0;
	if (j->dump)
		jit_dump(j, tb, c.b.start, len);
	return true;
}

#else /* !JIT_HOST */

struct jit *jit_new(enum jit_mode mode)
{
	(void)mode;
	return NULL;
}

void jit_free(struct jit *j) { (void)j; }

bool jit_compile(struct hart *h, struct tb *tb)
{
	(void)h;
	(void)tb;
	return false;
}

#endif
