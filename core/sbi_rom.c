/* sbi_rom.c: the built-in SBI's M-mode firmware in the boot ROM, assembled here. */
#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "core/riscv.h"
#include "core/sbi.h"
#include "devices/clint.h"
#include "devices/sifive_test.h"

/*
 * The stateful part of the built-in SBI is guest code, so recording and
 * replay see nothing but ordinary instructions, interrupts and memory
 * accesses (core/sbi.h). Three routines, each entered in M-mode with
 * MIE = 0 and mscratch = this hart's mailbox (core/sbi.h's layout):
 *
 *  trap (mtvec): the only M-mode traps a kernel on builtin SBI causes are
 *   MTIP (set STIP, mask MTIE until the next set_timer: what firmware
 *   does for SBI TIME, SBI spec §6.1) and MSIP (serve the mailbox: SSIP
 *   for an IPI, FENCE.I, SFENCE.VMA). Anything else is a firmware
 *   error: exit through the finisher with code SBI_ROM_FATAL.
 *  park: a stopped hart (HSM, SBI spec §9) waits in WFI for MSIP, serves
 *   its mailbox (remote fences to stopped harts complete too) and starts
 *   in S-mode at the mailbox's start address once its state is
 *   START_PENDING, with a0 = hartid, a1 = opaque, satp = 0, SIE = 0.
 *  rfwait: the caller of a remote fence waits until every target served
 *   its ticket (the fence is done when the call returns), serving its own
 *   mailbox meanwhile, so two harts fencing each other both finish.
 *
 * serve (a subroutine, return address t6, uses t3..t5): clear our msip
 * first (a request posted after that raises it again), then read SEQ,
 * then take the REQ bits: a caller that added its bits before its SEQ
 * ticket finds DONE >= ticket only after a serve that read SEQ after the
 * ticket, so after its bits were taken and its fence executed.
 */

/* Exit code of a firmware error (README: built-in SBI). */
#define SBI_ROM_FATAL 0xfb

enum { ZERO = 0, T0 = 5, T1 = 6, T2 = 7, A0 = 10, A1 = 11, T3 = 28, T4 = 29,
       T5 = 30, T6 = 31 };
enum { CSR_SATP_ = 0x180, CSR_MSTATUS_ = 0x300, CSR_MIE_ = 0x304,
       CSR_MSCRATCH_ = 0x340, CSR_MEPC_ = 0x341, CSR_MCAUSE_ = 0x342,
       CSR_MIP_ = 0x344, CSR_MHARTID_ = 0xf14 };

#define MAX_LABELS 16
#define MAX_FIXUPS 32

struct rasm {
	uint32_t *code;
	unsigned n, cap;
	int label[MAX_LABELS];                  /* word index, -1 = unset */
	struct { unsigned at, label; bool jal; } fix[MAX_FIXUPS];
	unsigned nfix;
};

static void emit(struct rasm *a, uint32_t w)
{
	assert(a->n < a->cap);
	a->code[a->n++] = w;
}

static uint32_t i_type(int32_t imm, unsigned rs1, unsigned f3, unsigned rd,
		       unsigned opc)
{
	assert(imm >= -2048 && imm < 2048);
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t s_type(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3)
{
	assert(imm >= -2048 && imm < 2048);
	uint32_t u = (uint32_t)imm & 0xfff;
	return (u >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 31) << 7 | 0x23;
}

static uint32_t b_bits(int32_t off)
{
	uint32_t u = (uint32_t)off;
	return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 |
	       ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7;
}

static uint32_t j_bits(int32_t off)
{
	uint32_t u = (uint32_t)off;
	return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 |
	       ((u >> 11) & 1) << 20 | ((u >> 12) & 0xff) << 12;
}

static void label(struct rasm *a, unsigned l)
{
	assert(l < MAX_LABELS && a->label[l] < 0);
	a->label[l] = (int)a->n;
}

static void branch(struct rasm *a, unsigned f3, unsigned rs1, unsigned rs2,
		   unsigned l)
{
	assert(a->nfix < MAX_FIXUPS);
	a->fix[a->nfix].at = a->n;
	a->fix[a->nfix].label = l;
	a->fix[a->nfix++].jal = false;
	emit(a, rs2 << 20 | rs1 << 15 | f3 << 12 | 0x63);
}

static void jal(struct rasm *a, unsigned rd, unsigned l)
{
	assert(a->nfix < MAX_FIXUPS);
	a->fix[a->nfix].at = a->n;
	a->fix[a->nfix].label = l;
	a->fix[a->nfix++].jal = true;
	emit(a, rd << 7 | 0x6f);
}

static void resolve(struct rasm *a)
{
	for (unsigned i = 0; i < a->nfix; i++) {
		int to = a->label[a->fix[i].label];
		assert(to >= 0);
		int32_t off = (to - (int)a->fix[i].at) * 4;
		a->code[a->fix[i].at] |= a->fix[i].jal ? j_bits(off) : b_bits(off);
	}
	a->nfix = 0;
	for (unsigned l = 0; l < MAX_LABELS; l++)
		a->label[l] = -1;
}

#define BEQ(a, r1, r2, l) branch(a, 0, r1, r2, l)
#define BNE(a, r1, r2, l) branch(a, 1, r1, r2, l)
#define BGE(a, r1, r2, l) branch(a, 5, r1, r2, l)
#define BGEU(a, r1, r2, l) branch(a, 7, r1, r2, l)
#define J(a, l) jal(a, ZERO, l)

static void addi(struct rasm *a, unsigned rd, unsigned rs, int32_t imm)
{
	emit(a, i_type(imm, rs, 0, rd, 0x13));
}

static void andi(struct rasm *a, unsigned rd, unsigned rs, int32_t imm)
{
	emit(a, i_type(imm, rs, 7, rd, 0x13));
}

static void slli(struct rasm *a, unsigned rd, unsigned rs, unsigned sh)
{
	emit(a, i_type((int32_t)sh, rs, 1, rd, 0x13));
}

static void add(struct rasm *a, unsigned rd, unsigned rs1, unsigned rs2)
{
	emit(a, rs2 << 20 | rs1 << 15 | rd << 7 | 0x33);
}

static void lui(struct rasm *a, unsigned rd, uint32_t value)
{
	assert(!(value & 0xfff));
	emit(a, value | rd << 7 | 0x37);
}

static void ld(struct rasm *a, unsigned rd, unsigned rs, int32_t off)
{
	emit(a, i_type(off, rs, 3, rd, 0x03));
}

static void sd(struct rasm *a, unsigned rs2, unsigned rs1, int32_t off)
{
	emit(a, s_type(off, rs2, rs1, 3));
}

static void sw(struct rasm *a, unsigned rs2, unsigned rs1, int32_t off)
{
	emit(a, s_type(off, rs2, rs1, 2));
}

/* csrrw/csrrs/csrrc (f3 1..3) and their immediate forms (5..7). */
static void csr(struct rasm *a, unsigned f3, unsigned rd, unsigned c, unsigned rs)
{
	emit(a, c << 20 | rs << 15 | f3 << 12 | rd << 7 | 0x73);
}

#define CSRR(a, rd, c) csr(a, 2, rd, c, ZERO)
#define CSRW(a, c, rs) csr(a, 1, ZERO, c, rs)
#define CSRS(a, c, rs) csr(a, 2, ZERO, c, rs)
#define CSRC(a, c, rs) csr(a, 3, ZERO, c, rs)
#define CSRSI(a, c, imm) csr(a, 6, ZERO, c, imm)
#define CSRCI(a, c, imm) csr(a, 7, ZERO, c, imm)
#define CSRSWAP(a, rd, c, rs) csr(a, 1, rd, c, rs)

/* amoswap.d.aqrl rd, rs2, (rs1) */
static void amoswap_d(struct rasm *a, unsigned rd, unsigned rs2, unsigned rs1)
{
	emit(a, (0x01u << 27) | (3u << 25) | rs2 << 20 | rs1 << 15 | 3u << 12 |
		rd << 7 | 0x2f);
}

#define FENCE_ALL 0x0ff0000fu  /* fence iorw, iorw */
#define FENCE_I 0x0000100fu
#define SFENCE_VMA_ALL 0x12000073u
#define WFI 0x10500073u
#define MRET 0x30200073u

static void save_regs(struct rasm *a)
{
	static const unsigned r[6] = { T1, T2, T3, T4, T5, T6 };
	CSRSWAP(a, T0, CSR_MSCRATCH_, T0);
	for (unsigned i = 0; i < 6; i++)
		sd(a, r[i], T0, SBI_MB_SAVE + 8 * (int32_t)i);
}

static void restore_regs_mret(struct rasm *a)
{
	static const unsigned r[6] = { T1, T2, T3, T4, T5, T6 };
	for (unsigned i = 0; i < 6; i++)
		ld(a, r[i], T0, SBI_MB_SAVE + 8 * (int32_t)i);
	CSRSWAP(a, T0, CSR_MSCRATCH_, T0);
	emit(a, MRET);
}

enum { L_SERVE, L_S1, L_S2, L_S3, L_TIMER, L_FATAL, L_OUT, L_WAIT, L_NEXT,
       L_POLL, L_OK, L_DONE };

/* serve: t0 = our mailbox; clobbers t3..t5; returns through t6. */
static void emit_serve(struct rasm *a)
{
	label(a, L_SERVE);
	CSRR(a, T3, CSR_MHARTID_);
	slli(a, T3, T3, 2);
	lui(a, T4, (uint32_t)CLINT_BASE);
	add(a, T4, T4, T3);
	sw(a, ZERO, T4, 0);
	emit(a, FENCE_ALL);
	ld(a, T5, T0, SBI_MB_SEQ);
	emit(a, FENCE_ALL);
	addi(a, T4, T0, SBI_MB_REQ);
	amoswap_d(a, T3, ZERO, T4);
	andi(a, T4, T3, SBI_REQ_IPI);
	BEQ(a, T4, ZERO, L_S1);
	CSRSI(a, CSR_MIP_, MIP_SSIP);
	label(a, L_S1);
	andi(a, T4, T3, SBI_REQ_FENCE_I);
	BEQ(a, T4, ZERO, L_S2);
	emit(a, FENCE_I);
	label(a, L_S2);
	andi(a, T4, T3, SBI_REQ_SFENCE);
	BEQ(a, T4, ZERO, L_S3);
	emit(a, SFENCE_VMA_ALL);
	label(a, L_S3);
	emit(a, FENCE_ALL);
	sd(a, T5, T0, SBI_MB_DONE);
	emit(a, 0x000f8067u); /* jr t6 */
}

static void emit_fatal(struct rasm *a)
{
	label(a, L_FATAL);
	lui(a, T1, (uint32_t)SIFIVE_TEST_BASE);
	lui(a, T2, (uint32_t)SBI_ROM_FATAL << 16 | 0x3000);
	addi(a, T2, T2, 0x333);              /* (code << 16) | 0x3333: fail */
	sw(a, T2, T1, 0);
	J(a, L_FATAL);
}

static void emit_trap(struct rasm *a)
{
	save_regs(a);
	CSRR(a, T1, CSR_MCAUSE_);
	BGE(a, T1, ZERO, L_FATAL);           /* an exception */
	andi(a, T1, T1, 63);
	addi(a, T2, ZERO, 7);
	BEQ(a, T1, T2, L_TIMER);
	addi(a, T2, ZERO, 3);
	BNE(a, T1, T2, L_FATAL);
	jal(a, T6, L_SERVE);
	J(a, L_OUT);
	label(a, L_TIMER);
	addi(a, T1, ZERO, MIP_MTIP);
	CSRC(a, CSR_MIE_, T1);
	addi(a, T1, ZERO, MIP_STIP);
	CSRS(a, CSR_MIP_, T1);
	label(a, L_OUT);
	restore_regs_mret(a);
	emit_serve(a);
	emit_fatal(a);
}

static void emit_park(struct rasm *a)
{
	CSRR(a, T0, CSR_MSCRATCH_);
	label(a, L_WAIT);
	emit(a, WFI);
	jal(a, T6, L_SERVE);
	ld(a, T1, T0, SBI_MB_STATE);
	addi(a, T2, ZERO, 2);                /* START_PENDING */
	BNE(a, T1, T2, L_WAIT);
	ld(a, T1, T0, SBI_MB_START);
	CSRW(a, CSR_MEPC_, T1);
	ld(a, A1, T0, SBI_MB_OPAQUE);
	CSRR(a, A0, CSR_MHARTID_);
	/* MPP = S, MPIE = 0, SIE = 0; no leftover SSIP/STIP. */
	lui(a, T1, 0x2000);
	addi(a, T1, T1, -0x7fe);             /* 0x1802: MPP | SIE */
	addi(a, T1, T1, 0x80);               /* | MPIE */
	CSRC(a, CSR_MSTATUS_, T1);
	lui(a, T1, 0x1000);
	addi(a, T1, T1, -0x800);             /* 0x800: MPP = S */
	CSRS(a, CSR_MSTATUS_, T1);
	addi(a, T1, ZERO, MIP_SSIP | MIP_STIP);
	CSRC(a, CSR_MIP_, T1);
	CSRW(a, CSR_SATP_, ZERO);
	emit(a, SFENCE_VMA_ALL);
	emit(a, FENCE_I);
	emit(a, FENCE_ALL);
	sd(a, ZERO, T0, SBI_MB_STATE);       /* STARTED */
	emit(a, MRET);
	emit_serve(a);
}

static void emit_rfwait(struct rasm *a)
{
	save_regs(a);
	ld(a, T1, T0, SBI_MB_WAITN);
	addi(a, T2, T0, SBI_MB_WAIT);
	label(a, L_NEXT);
	BEQ(a, T1, ZERO, L_DONE);
	label(a, L_POLL);
	ld(a, T3, T2, 0);
	ld(a, T3, T3, SBI_MB_DONE);
	ld(a, T4, T2, 8);
	BGEU(a, T3, T4, L_OK);
	CSRR(a, T3, CSR_MIP_);
	andi(a, T3, T3, MIP_MSIP);
	BEQ(a, T3, ZERO, L_POLL);
	jal(a, T6, L_SERVE);
	J(a, L_POLL);
	label(a, L_OK);
	addi(a, T2, T2, 16);
	addi(a, T1, T1, -1);
	J(a, L_NEXT);
	label(a, L_DONE);
	emit(a, FENCE_ALL);
	restore_regs_mret(a);
	emit_serve(a);
}

static void place(uint8_t *rom, size_t size, uint64_t at,
		  void (*gen)(struct rasm *))
{
	uint32_t buf[64];
	struct rasm a = { .code = buf, .cap = 64 };
	for (unsigned l = 0; l < MAX_LABELS; l++)
		a.label[l] = -1;
	gen(&a);
	resolve(&a);
	uint64_t off = at - BOOTROM_BASE;
	assert(off + a.n * 4 <= size && a.n * 4 <= 0x100);
	memcpy(rom + off, buf, a.n * 4);
}

void sbi_rom_build(uint8_t *rom, size_t size)
{
	static_assert(SBI_ROM_PARK - SBI_ROM_TRAP == 0x100 &&
		      SBI_ROM_RFWAIT - SBI_ROM_PARK == 0x100,
		      "each routine has 64 instructions of room");
	static_assert(SBI_MB_WAIT + 16 * MAX_HARTS <= SBI_MBOX_STRIDE,
		      "a wait entry per hart fits in the mailbox");
	place(rom, size, SBI_ROM_TRAP, emit_trap);
	place(rom, size, SBI_ROM_PARK, emit_park);
	place(rom, size, SBI_ROM_RFWAIT, emit_rfwait);
}
