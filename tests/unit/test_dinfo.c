/* test_dinfo.c: DWARF CFI unwinding steps and backtraces over a small hand-built RISC-V ELF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <elf.h>

#include "debugger/backtrace.h"
#include "debugger/dinfo.h"

/* DWARF call-frame opcodes and expression ops the test CFI uses. */
enum {
	CFA_advance_loc = 0x40, CFA_offset = 0x80, CFA_nop = 0x00,
	CFA_undefined = 0x07, CFA_def_cfa = 0x0c, CFA_def_cfa_offset = 0x0e,
	CFA_def_cfa_expression = 0x0f, CFA_expression = 0x10,
	CFA_val_expression = 0x16,
	OP_breg2 = 0x72, OP_lit4 = 0x34, OP_plus = 0x22,
};

enum { RA = 1, SP = 2, S0 = 8, S1 = 9, T0 = 5 };

/* The functions the test CFI describes (their code is never read). */
#define F_FRAME   0x1000ull  /* sp -= 32 at +2, saves ra/s0 at +6, CFA = s0 from +10 */
#define F_EXPR    0x1100ull  /* CFA, ra and s1 as DWARF expressions */
#define F_OUTER   0x1200ull  /* ra undefined: the outermost frame */
#define F_SAME    0x1300ull  /* CFA = sp, ra same value: a leaf */
#define F_UNKNOWN 0x1400ull  /* CFA = t0 + 16 */
#define F_SIZE    0x20

struct buf {
	uint8_t b[1024];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->b));
	if (n)
		memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void u8(struct buf *b, uint8_t v) { put(b, &v, 1); }
static void u32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void u64(struct buf *b, uint64_t v) { put(b, &v, 8); }

/* An entry's 4-byte length, patched once its end is known (padded to 8). */
static size_t begin_entry(struct buf *b)
{
	size_t at = b->n;
	u32(b, 0);
	return at;
}

static void end_entry(struct buf *b, size_t at)
{
	while ((b->n - at) % 8)
		u8(b, CFA_nop);
	uint32_t len = (uint32_t)(b->n - at - 4);
	memcpy(b->b + at, &len, 4);
}

static void fde(struct buf *b, uint64_t start, const uint8_t *ins, size_t n)
{
	size_t at = begin_entry(b);
	u32(b, 0);  /* the CIE at offset 0 */
	u64(b, start);
	u64(b, F_SIZE);
	put(b, ins, n);
	end_entry(b, at);
}

/* .debug_frame: one CIE (code alignment 1, data alignment -8, ra in x1,
 * CFA = sp) and the FDEs of the functions above. */
static void debug_frame(struct buf *b)
{
	size_t at = begin_entry(b);
	u32(b, 0xffffffffu);
	u8(b, 3);       /* version */
	u8(b, 0);       /* augmentation "" */
	u8(b, 1);       /* code alignment */
	u8(b, 0x78);    /* data alignment -8 (SLEB128) */
	u8(b, RA);
	const uint8_t init[] = { CFA_def_cfa, SP, 0 };
	put(b, init, sizeof(init));
	end_entry(b, at);

	const uint8_t frame[] = {
		CFA_advance_loc | 2, CFA_def_cfa_offset, 32,
		CFA_advance_loc | 4, CFA_offset | RA, 1, CFA_offset | S0, 2,
		CFA_advance_loc | 4, CFA_def_cfa, S0, 0,
	};
	fde(b, F_FRAME, frame, sizeof(frame));
	const uint8_t expr[] = {
		CFA_def_cfa_expression, 2, OP_breg2, 16,
		CFA_expression, RA, 2, OP_breg2, 8,
		CFA_val_expression, S1, 4, OP_breg2, 0, OP_lit4, OP_plus,
	};
	fde(b, F_EXPR, expr, sizeof(expr));
	const uint8_t outer[] = { CFA_undefined, RA };
	fde(b, F_OUTER, outer, sizeof(outer));
	fde(b, F_SAME, NULL, 0);
	const uint8_t unknown[] = { CFA_def_cfa, T0, 16 };
	fde(b, F_UNKNOWN, unknown, sizeof(unknown));
}

/* A RISC-V ELF holding .debug_frame (whose bytes may be replaced). */
static uint8_t *make_elf(const uint8_t *frame, size_t frame_len, size_t *len)
{
	static const char shstr[] = "\0.debug_frame\0.shstrtab";
	size_t off_frame = sizeof(Elf64_Ehdr);
	size_t off_str = off_frame + frame_len;
	size_t off_sh = (off_str + sizeof(shstr) + 7) & ~(size_t)7;
	*len = off_sh + 3 * sizeof(Elf64_Shdr);
	uint8_t *e = calloc(1, *len);
	assert_non_null(e);
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC, .e_machine = EM_RISCV, .e_version = EV_CURRENT,
		.e_entry = F_FRAME, .e_shoff = off_sh, .e_ehsize = sizeof(Elf64_Ehdr),
		.e_shentsize = sizeof(Elf64_Shdr), .e_shnum = 3, .e_shstrndx = 2,
	};
	Elf64_Shdr sh[3] = {
		{ 0 },
		{ .sh_name = 1, .sh_type = SHT_PROGBITS, .sh_offset = off_frame,
		  .sh_size = frame_len, .sh_addralign = 8 },
		{ .sh_name = 14, .sh_type = SHT_STRTAB, .sh_offset = off_str,
		  .sh_size = sizeof(shstr), .sh_addralign = 1 },
	};
	memcpy(e, &eh, sizeof(eh));
	memcpy(e + off_frame, frame, frame_len);
	memcpy(e + off_str, shstr, sizeof(shstr));
	memcpy(e + off_sh, sh, sizeof(sh));
	return e;
}

static struct dinfo *load(void)
{
	struct buf b = { .n = 0 };
	size_t len;
	char err[128];
	debug_frame(&b);
	uint8_t *e = make_elf(b.b, b.n, &len);
	struct dinfo *d = dinfo_new();
	assert_non_null(d);
	assert_int_equal(dinfo_add_elf(d, e, len, 0, err, sizeof(err)), 1);
	free(e);  /* the set keeps its own copy */
	return d;
}

/* Guest memory: a stack of 64 words at STACK. */
#define STACK 0x8000ull
struct mem {
	uint64_t w[64];
	unsigned reads;
};

static bool mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct mem *m = ctx;
	m->reads++;
	if (addr < STACK || addr + len > STACK + sizeof(m->w) || addr + len < addr)
		return false;
	memcpy(buf, (uint8_t *)m->w + (addr - STACK), len);
	return true;
}

static void set(struct mem *m, uint64_t addr, uint64_t v)
{
	m->w[(addr - STACK) / 8] = v;
}

static struct dinfo_regs regs(uint64_t sp, uint64_t ra, uint64_t s0)
{
	struct dinfo_regs r = { .known = ~0u };
	r.x[SP] = sp;
	r.x[RA] = ra;
	r.x[S0] = s0;
	return r;
}

static void test_entry_of_a_function_keeps_ra_in_its_register(void **state)
{
	(void)state;
	struct dinfo *d = load();
	struct mem m = { .reads = 0 };
	struct dinfo_regs in = regs(STACK + 0x100, 0x2004, 0x77), c;
	uint64_t ret, cfa;
	assert_int_equal(dinfo_unwind(d, F_FRAME, false, &in, mem_read, &m, &c, &ret, &cfa),
			 DINFO_CALLER);
	assert_int_equal(ret, 0x2004);
	assert_int_equal(cfa, STACK + 0x100);
	assert_int_equal(c.x[SP], STACK + 0x100);
	assert_int_equal(c.x[S0], 0x77);          /* callee-saved: same value */
	assert_false(c.known & (1u << T0));       /* caller-saved: undefined */
	dinfo_free(d);
}

static void test_saved_ra_is_read_at_its_cfa_offset(void **state)
{
	(void)state;
	struct dinfo *d = load();
	struct mem m = { .reads = 0 };
	uint64_t sp = STACK + 0x40;
	set(&m, sp + 32 - 8, 0x2010);   /* ra at CFA-8 */
	set(&m, sp + 32 - 16, 0x1234);  /* s0 at CFA-16 */
	struct dinfo_regs in = regs(sp, 0x9999, 0x5555), c;
	uint64_t ret, cfa;
	assert_int_equal(dinfo_unwind(d, F_FRAME + 6, false, &in, mem_read, &m, &c, &ret, &cfa),
			 DINFO_CALLER);
	assert_int_equal(cfa, sp + 32);
	assert_int_equal(ret, 0x2010);
	assert_int_equal(c.x[RA], 0x2010);
	assert_int_equal(c.x[S0], 0x1234);
	assert_int_equal(c.x[SP], sp + 32);
	/* Mid-prologue: sp moved, ra not saved yet. */
	assert_int_equal(dinfo_unwind(d, F_FRAME + 4, false, &in, mem_read, &m, &c, &ret, &cfa),
			 DINFO_CALLER);
	assert_int_equal(cfa, sp + 32);
	assert_int_equal(ret, 0x9999);
	dinfo_free(d);
}

static void test_cfa_from_the_frame_pointer(void **state)
{
	(void)state;
	struct dinfo *d = load();
	struct mem m = { .reads = 0 };
	uint64_t fp = STACK + 0x80;
	set(&m, fp - 8, 0x2020);
	set(&m, fp - 16, STACK + 0xc0);
	struct dinfo_regs in = regs(0x1 /* sp is not used */, 0, fp), c;
	uint64_t ret, cfa;
	assert_int_equal(dinfo_unwind(d, F_FRAME + 12, false, &in, mem_read, &m, &c, &ret, &cfa),
			 DINFO_CALLER);
	assert_int_equal(cfa, fp);
	assert_int_equal(ret, 0x2020);
	assert_int_equal(c.x[S0], STACK + 0xc0);
	dinfo_free(d);
}

static void test_return_addresses_are_looked_up_before_themselves(void **state)
{
	(void)state;
	struct dinfo *d = load();
	struct mem m = { .reads = 0 };
	struct dinfo_regs in = regs(STACK + 0x100, 0x2004, 0), c;
	uint64_t ret, cfa;
	/* F_FRAME + F_SIZE is past its FDE: a call ending the function. */
	assert_int_equal(dinfo_unwind(d, F_FRAME + F_SIZE, false, &in, mem_read, &m, &c, &ret, &cfa),
			 DINFO_NO_CFI);
	set(&m, STACK + 0x100 - 8, 0x2030);
	set(&m, STACK + 0x100 - 16, 0);
	in.x[S0] = STACK + 0x100;
	assert_int_equal(dinfo_unwind(d, F_FRAME + F_SIZE, true, &in, mem_read, &m, &c, &ret, &cfa),
			 DINFO_CALLER);
	assert_int_equal(ret, 0x2030);
	dinfo_free(d);
}

static void test_expression_rules(void **state)
{
	(void)state;
	struct dinfo *d = load();
	struct mem m = { .reads = 0 };
	uint64_t sp = STACK + 0x20;
	set(&m, sp + 8, 0x2040);
	struct dinfo_regs in = regs(sp, 0, 0), c;
	uint64_t ret, cfa;
	assert_int_equal(dinfo_unwind(d, F_EXPR + 2, false, &in, mem_read, &m, &c, &ret, &cfa),
			 DINFO_CALLER);
	assert_int_equal(cfa, sp + 16);
	assert_int_equal(ret, 0x2040);
	assert_true(c.known & (1u << S1));
	assert_int_equal(c.x[S1], sp + 4);
	dinfo_free(d);
}

static void test_undefined_ra_is_the_outermost_frame(void **state)
{
	(void)state;
	struct dinfo *d = load();
	struct mem m = { .reads = 0 };
	struct dinfo_regs in = regs(STACK + 0x100, 0x2004, 0), c;
	uint64_t ret, cfa;
	assert_int_equal(dinfo_unwind(d, F_OUTER, false, &in, mem_read, &m, &c, &ret, &cfa),
			 DINFO_OUTERMOST);
	dinfo_free(d);
}

static void test_unknown_register_or_memory_fails_the_step(void **state)
{
	(void)state;
	struct dinfo *d = load();
	struct mem m = { .reads = 0 };
	struct dinfo_regs in = regs(STACK + 0x100, 0x2004, 0), c;
	uint64_t ret, cfa;
	in.known &= ~(1u << T0);
	assert_int_equal(dinfo_unwind(d, F_UNKNOWN, false, &in, mem_read, &m, &c, &ret, &cfa),
			 DINFO_FAILED);
	/* ra saved at CFA-8, but the stack is not readable there. */
	in = regs(0x100000, 0, 0);
	assert_int_equal(dinfo_unwind(d, F_FRAME + 6, false, &in, mem_read, &m, &c, &ret, &cfa),
			 DINFO_FAILED);
	dinfo_free(d);
}

static void test_backtrace_by_cfi_ends_at_the_outermost_frame(void **state)
{
	(void)state;
	struct dinfo *d = load();
	struct mem m = { .reads = 0 };
	/* F_SAME (leaf, ra live) <- F_FRAME+6 (ra saved) <- F_OUTER. */
	uint64_t sp = STACK + 0x40;
	set(&m, sp + 32 - 8, F_OUTER + 4);
	struct dinfo_regs in = regs(sp, F_FRAME + 8, 0);
	struct bt_frame fr[8];
	unsigned n = bt_unwind(d, NULL, &in, F_SAME + 2, mem_read, &m, fr, 8);
	assert_int_equal(n, 3);
	assert_int_equal(fr[0].how, BT_PC);
	assert_int_equal(fr[1].pc, F_FRAME + 8);
	assert_int_equal(fr[1].how, BT_CFI);
	assert_int_equal(fr[1].sp, sp);
	assert_int_equal(fr[2].pc, F_OUTER + 4);
	assert_int_equal(fr[2].sp, sp + 32);
	dinfo_free(d);
}

static void test_backtrace_stops_when_cfi_loops(void **state)
{
	(void)state;
	struct dinfo *d = load();
	struct mem m = { .reads = 0 };
	/* A leaf whose ra points back into itself: the same frame forever. */
	struct dinfo_regs in = regs(STACK + 0x40, F_SAME + 4, 0);
	struct bt_frame fr[64];
	unsigned n = bt_unwind(d, NULL, &in, F_SAME + 2, mem_read, &m, fr, 64);
	assert_int_equal(n, 2);
	dinfo_free(d);
}

static void test_backtrace_by_frame_pointers_without_cfi(void **state)
{
	(void)state;
	struct mem m = { .reads = 0 };
	/* frame 0 is a leaf (record at fp is its caller's): ra, then records. */
	uint64_t fp1 = STACK + 0x80, fp2 = STACK + 0xc0;
	set(&m, fp1 - 8, 0x3010);
	set(&m, fp1 - 16, fp2);
	set(&m, fp2 - 8, 0x3020);
	set(&m, fp2 - 16, 0);
	struct dinfo_regs in = regs(STACK + 0x40, 0x3004, fp1);
	struct bt_frame fr[8];
	unsigned n = bt_unwind(NULL, NULL, &in, 0x5000, mem_read, &m, fr, 8);
	assert_int_equal(n, 4);
	assert_int_equal(fr[1].pc, 0x3004);
	assert_int_equal(fr[1].how, BT_RA);
	assert_int_equal(fr[2].pc, 0x3010);
	assert_int_equal(fr[2].how, BT_FP);
	assert_int_equal(fr[3].pc, 0x3020);
	/* A record whose ra slot holds the ra register: not a leaf. */
	set(&m, fp1 - 8, 0x3004);
	n = bt_unwind(NULL, NULL, &in, 0x5000, mem_read, &m, fr, 8);
	assert_int_equal(n, 3);
	assert_int_equal(fr[1].pc, 0x3004);
	assert_int_equal(fr[1].how, BT_FP);
}

static void test_backtrace_stops_at_a_cyclic_or_wild_frame_chain(void **state)
{
	(void)state;
	struct mem m = { .reads = 0 };
	uint64_t fp = STACK + 0x80;
	set(&m, fp - 8, 0x3010);
	set(&m, fp - 16, fp);  /* points at itself */
	struct dinfo_regs in = regs(STACK + 0x40, 0, fp);
	in.known &= ~(1u << RA);
	struct bt_frame fr[64];
	assert_int_equal(bt_unwind(NULL, NULL, &in, 0x5000, mem_read, &m, fr, 64), 2);
	in.x[S0] = 0xdeadbeef;  /* misaligned */
	assert_int_equal(bt_unwind(NULL, NULL, &in, 0x5000, mem_read, &m, fr, 64), 1);
	in.x[S0] = STACK + 0x40 + (2u << 20);  /* far above sp */
	assert_int_equal(bt_unwind(NULL, NULL, &in, 0x5000, mem_read, &m, fr, 64), 1);
	assert_int_equal(bt_unwind(NULL, NULL, &in, 0x5000, mem_read, &m, fr, 0), 0);
}

static void test_garbage_cfi_and_images_do_not_crash(void **state)
{
	(void)state;
	char err[128];
	size_t len;
	struct buf b = { .n = 0 };
	debug_frame(&b);
	srand(7);
	for (int round = 0; round < 200; round++) {
		struct buf g = b;
		for (int k = 0; k < 8; k++)
			g.b[(size_t)rand() % g.n] = (uint8_t)rand();
		uint8_t *e = make_elf(g.b, g.n, &len);
		struct dinfo *d = dinfo_new();
		if (round % 10 == 0)
			len = (size_t)rand() % len;  /* truncated */
		if (dinfo_add_elf(d, e, len, 0, err, sizeof(err)) >= 0) {
			struct mem m = { .reads = 0 };
			struct dinfo_regs in = regs(STACK + 0x40, F_SAME + 4, STACK + 0x80);
			struct bt_frame fr[16];
			for (uint64_t pc = F_FRAME; pc < F_UNKNOWN + F_SIZE; pc += 2) {
				unsigned n = bt_unwind(d, NULL, &in, pc, mem_read, &m, fr, 16);
				assert_true(n >= 1 && n <= 16);
			}
		}
		dinfo_free(d);
		free(e);
	}
	struct dinfo *d = dinfo_new();
	assert_int_equal(dinfo_add_elf(d, "not an elf", 10, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "not an ELF file");
	assert_int_equal(dinfo_count(d), 0);
	dinfo_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_of_a_function_keeps_ra_in_its_register),
		cmocka_unit_test(test_saved_ra_is_read_at_its_cfa_offset),
		cmocka_unit_test(test_cfa_from_the_frame_pointer),
		cmocka_unit_test(test_return_addresses_are_looked_up_before_themselves),
		cmocka_unit_test(test_expression_rules),
		cmocka_unit_test(test_undefined_ra_is_the_outermost_frame),
		cmocka_unit_test(test_unknown_register_or_memory_fails_the_step),
		cmocka_unit_test(test_backtrace_by_cfi_ends_at_the_outermost_frame),
		cmocka_unit_test(test_backtrace_stops_when_cfi_loops),
		cmocka_unit_test(test_backtrace_by_frame_pointers_without_cfi),
		cmocka_unit_test(test_backtrace_stops_at_a_cyclic_or_wild_frame_chain),
		cmocka_unit_test(test_garbage_cfi_and_images_do_not_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
