/* test_exec.c: executor semantics: exact budgets, traps, SMC, M edge cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/mmu.h"
#include "core/riscv.h"
#include "core/tb.h"
#include "tests/unit/core_fixture.h"
#include "tests/unit/rv_asm.h"

static int setup(void **state)
{
	*state = fixture_machine();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	machine_free(*state);
	return 0;
}

#define STRAIGHT_CODE                                                      \
	RV_ADDI(1, 1, 1), RV_ADDI(1, 1, 1), RV_ADDI(1, 1, 1), RV_ADDI(1, 1, 1), \
	RV_ADDI(1, 1, 1), RV_ADDI(1, 1, 1), RV_ADDI(1, 1, 1), RV_ADDI(1, 1, 1), \
	rv_jal(0, 0) /* spin */

static void test_budget_stops_inside_a_block(void **state)
{
	const uint32_t straight[] = { STRAIGHT_CODE };
	struct hart *h = fixture_load(*state, straight, 9);
	exec_run(h, 5);
	assert_int_equal(h->icount, 5);
	assert_int_equal(h->x[1], 5);
	assert_int_equal(h->pc, RAM_BASE + 20);
	/* The patched stop is undone: running on finishes the block. */
	exec_run(h, 3);
	assert_int_equal(h->icount, 8);
	assert_int_equal(h->x[1], 8);
	assert_int_equal(h->pc, RAM_BASE + 32);
}

static void test_budget_one_at_a_time_matches_full_run(void **state)
{
	const uint32_t straight[] = { STRAIGHT_CODE };
	struct hart *h = fixture_load(*state, straight, 9);
	for (int i = 0; i < 20; i++)
		exec_run(h, 1);
	assert_int_equal(h->icount, 20);
	assert_int_equal(h->x[1], 8);
	assert_int_equal(h->pc, RAM_BASE + 32);
}

static void test_trapping_instruction_does_not_retire(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 0, 7), RV_ADDI(2, 0, 9),
				  RV_ILLEGAL, RV_ADDI(3, 0, 1) };
	struct hart *h = fixture_load(*state, code, 4);
	exec_run(h, 3);
	assert_int_equal(h->icount, 2);
	assert_int_equal(h->mcause, EXC_ILLEGAL);
	assert_int_equal(h->mepc, RAM_BASE + 8);
	assert_int_equal(h->mtval, 0);
	assert_int_equal(h->pc, RAM_BASE + 0x800);
	assert_int_equal(h->x[3], 0);
}

static void test_ecall_from_m_mode(void **state)
{
	const uint32_t code[] = { RV_ECALL };
	struct hart *h = fixture_load(*state, code, 1);
	exec_run(h, 1);
	assert_int_equal(h->mcause, EXC_ECALL_M);
	assert_int_equal(h->icount, 0);
	assert_int_equal(h->mstatus & MSTATUS_MPP, MSTATUS_MPP);
}

static void test_store_into_translated_code_takes_effect(void **state)
{
	/* x5 = address of insn 5; store a new instruction there (no fence.i):
	 * rrv invalidates precisely, as QEMU does. */
	const uint32_t code[] = {
		RV_ADDI(5, 0, 1), RV_SLLI(5, 5, 31), RV_ADDI(5, 5, 20),
		RV_LW(6, 5, 4), RV_SW(6, 5, 0),
		RV_ADDI(7, 0, 1),  /* overwritten by the next word */
		RV_ADDI(7, 0, 2),
		rv_jal(0, 0),
	};
	struct hart *h = fixture_load(*state, code, 8);
	exec_run(h, 6);
	assert_int_equal(h->x[7], 2);
	assert_int_equal(h->icount, 6);
}

static void test_store_next_to_code_keeps_translation_valid(void **state)
{
	const uint32_t code[] = {
		RV_ADDI(5, 0, 1), RV_SLLI(5, 5, 31), RV_SD(0, 5, 64),
		RV_ADDI(7, 7, 1), rv_jal(-8, 0),
	};
	struct hart *h = fixture_load(*state, code, 5);
	exec_run(h, 2 + 3 * 50);
	assert_int_equal(h->x[7], 50);
}

/*
 * FENCE.I keeps blocks whose code memory still holds and drops the ones
 * whose code another hart changed (a write this hart's store path did not
 * see: made here straight into RAM).
 */
static void test_fence_i_keeps_unchanged_and_drops_changed_code(void **state)
{
	struct machine *m = *state;
	const uint32_t code[] = { RV_ADDI(7, 7, 1), RV_FENCE_I, rv_jal(-8, 0) };
	struct hart *h = fixture_load(m, code, 3);
	exec_run(h, 3 * 10);
	assert_int_equal(h->x[7], 10);
	assert_int_equal(h->pc, RAM_BASE);
	struct tb *before = tb_lookup(h, RAM_BASE);
	assert_non_null(before);
	uint64_t translated = tb_translated(h);
	exec_run(h, 3 * 10);   /* ten more FENCE.Is */
	assert_int_equal(h->x[7], 20);
	assert_ptr_equal(tb_lookup(h, RAM_BASE), before);
	assert_true(before->valid);
	assert_int_equal(tb_translated(h), translated);
	const uint32_t add100 = RV_ADDI(7, 7, 100);
	memcpy(m->ram, &add100, sizeof(add100));
	/* No FENCE.I since the block was last looked up: the old code may
	 * run (and does: it is the same block); after the next, the new. */
	exec_run(h, 3);
	assert_int_equal(h->x[7], 21);
	exec_run(h, 3);
	assert_int_equal(h->x[7], 121);
	assert_int_equal(h->icount, 66);
	assert_false(before->valid);
	struct tb *after = tb_lookup(h, RAM_BASE);
	assert_ptr_not_equal(after, before);
	assert_int_equal(after->ops[0].raw, add100);
	assert_int_equal(tb_translated(h), translated + 1);
}

static void test_division_edge_cases(void **state)
{
	const uint32_t code[] = {
		RV_ADDI(1, 0, -1), RV_ADDI(2, 0, 1), rv_i(63, 2, 1, 2, 0x13), /* slli x2,x2,63 */
		RV_DIV(3, 2, 1),   /* INT64_MIN / -1 = INT64_MIN */
		RV_REM(4, 2, 1),   /* = 0 */
		RV_DIV(5, 2, 0),   /* / 0 = -1 */
		RV_REM(6, 2, 0),   /* % 0 = dividend */
		RV_DIVW(8, 1, 0),  /* 32-bit / 0 = -1 */
	};
	struct hart *h = fixture_load(*state, code, 8);
	exec_run(h, 8);
	assert_int_equal(h->x[3], 0x8000000000000000ull);
	assert_int_equal(h->x[4], 0);
	assert_int_equal(h->x[5], ~0ull);
	assert_int_equal(h->x[6], 0x8000000000000000ull);
	assert_int_equal(h->x[8], ~0ull);
}

static void test_x0_stays_zero(void **state)
{
	const uint32_t code[] = { RV_ADDI(0, 0, 5), RV_ADD(1, 0, 0) };
	struct hart *h = fixture_load(*state, code, 2);
	exec_run(h, 2);
	assert_int_equal(h->x[0], 0);
	assert_int_equal(h->x[1], 0);
}

static void test_instret_read_is_exact_mid_block(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 0, 1), RV_ADDI(1, 0, 1),
				  RV_ADDI(1, 0, 1), RV_CSRRS(2, 0xb02, 0) };
	struct hart *h = fixture_load(*state, code, 4);
	exec_run(h, 4);
	assert_int_equal(h->x[2], 3);
	assert_int_equal(h->icount, 4);
}

static void test_fp_instruction_illegal_when_fs_off(void **state)
{
	const uint32_t code[] = { 0x00007053 /* fadd.s f0,f0,f0 */ };
	struct hart *h = fixture_load(*state, code, 1);
	exec_run(h, 1);
	assert_int_equal(h->mcause, EXC_ILLEGAL);
	assert_int_equal(h->mtval, 0x00007053);
}

static void test_access_fault_on_unmapped_load(void **state)
{
	const uint32_t code[] = { RV_LD(1, 0, 0x100) /* 0x100: nothing there */ };
	struct hart *h = fixture_load(*state, code, 1);
	exec_run(h, 1);
	assert_int_equal(h->mcause, EXC_LOAD_ACCESS);
	assert_int_equal(h->mtval, 0x100);
	assert_int_equal(h->icount, 0);
}

/* The icount an access is made at, as its record/replay event carries it
 * (h->insn_icount), seen by a machine observer on an MMIO read. */
static void note_insn_icount(void *ctx, struct hart *h, uint64_t paddr, unsigned size,
			     uint64_t val, bool write)
{
	(void)paddr, (void)size, (void)val, (void)write;
	*(uint64_t *)ctx = h->insn_icount;
}

/* Loads' slow paths carry their own icount, not the block's start: an
 * FLD's once carried a stale one, so a recording's ACQUIRE inside an FLD
 * named an earlier instruction and its replay diverged. */
static void test_slow_path_loads_carry_their_icount(void **state)
{
	struct machine *m = *state;
	uint64_t seen = ~0ull;
	struct machine_observer obs = { .mmio = note_insn_icount, .ctx = &seen };
	m->obs = &obs;
	/* x5 = CLINT + 0xc000; mtime is at -8 from it. */
	const uint32_t code[] = { RV_ADDI(1, 1, 1), RV_ADDI(1, 1, 1), RV_ADDI(1, 1, 1),
				  RV_LUI(5, 0x200c), RV_FLD(0, 5, -8), RV_LD(6, 5, -8),
				  rv_jal(0, 0) };
	struct hart *h = fixture_load(m, code, 7);
	h->mstatus |= MSTATUS_FS;
	exec_run(h, 5);
	assert_int_equal(h->icount, 5);
	assert_int_equal(seen, 4);
	exec_run(h, 1);
	assert_int_equal(seen, 5);
	m->obs = NULL;
}

/* Fill TLB entry `e` as tlb_fill does: virtual page va to physical pa. */
static void fill_entry(struct hart *h, struct tlb_entry *e, uint64_t va, uint64_t pa)
{
	bool wr;
	uint8_t *host = machine_phys_ptr(h->m, pa, PAGE_SIZE, &wr);
	assert_non_null(host);
	mmu_tlb_note(h, pa, e);
	e->tag = va;
	e->addend = (uintptr_t)host - (uintptr_t)va;
}

/*
 * Dropping one page's TLB entries (a revocation, core/mmu.h) finds them
 * through the page's list of filled entries: all of them, also when more
 * were filled than the list holds or the page has aliases in several
 * modes; an entry refilled for another page since is left alone; write
 * entries only when asked.
 */
static void test_tlb_drop_page_finds_every_entry_of_the_page(void **state)
{
	/* auipc x5, 0x10 (x5 = RAM_BASE + 0x10000); ld x1, 8(x5); sd x1, 16(x5) */
	const uint32_t code[] = { 0x10u << 12 | 5u << 7 | 0x17u, RV_LD(1, 5, 8),
				  RV_SD(1, 5, 16), rv_jal(0, 0) };
	struct hart *h = fixture_load(*state, code, 4);
	const uint64_t data = RAM_BASE + 0x10000, other = RAM_BASE + 0x20000;
	exec_run(h, 3);
	assert_int_equal(h->icount, 3);
	struct tlb_entry *r = &h->tlbs[TLB_M].r[tlb_index(data)];
	struct tlb_entry *w = &h->tlbs[TLB_M].w[tlb_index(data)];
	assert_int_equal(r->tag, data);
	assert_int_equal(w->tag, data);
	mmu_tlb_drop_page(h, data + 0x40, true);
	assert_int_equal(w->tag, TLB_INVALID);
	assert_int_equal(r->tag, data);
	mmu_tlb_drop_page(h, data, false);
	assert_int_equal(r->tag, TLB_INVALID);
	assert_int_equal(h->tlbs[TLB_M].x[tlb_index(RAM_BASE)].tag, RAM_BASE); /* code stays */

	/* Six aliases of one page in three modes: more than the list holds. */
	struct tlb_entry *alias[6];
	for (unsigned i = 0; i < 6; i++) {
		alias[i] = &h->tlbs[i % TLB_NMODES].r[40 + i];
		fill_entry(h, alias[i], (uint64_t)(40 + i) << PAGE_SHIFT, data);
	}
	struct tlb_entry *keep = &h->tlbs[TLB_S].r[99];
	fill_entry(h, keep, 99ull << PAGE_SHIFT, other);
	mmu_tlb_drop_page(h, data, false);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(alias[i]->tag, TLB_INVALID);
	assert_int_equal(keep->tag, 99ull << PAGE_SHIFT);

	/* An entry of the page refilled for another: the other's stays. */
	struct tlb_entry *e = &h->tlbs[TLB_U].w[7];
	fill_entry(h, e, 7ull << PAGE_SHIFT, data);
	fill_entry(h, e, 7ull << PAGE_SHIFT, other);
	mmu_tlb_drop_page(h, data, false);
	assert_int_equal(e->tag, 7ull << PAGE_SHIFT);
	mmu_tlb_drop_page(h, other, true);
	assert_int_equal(e->tag, TLB_INVALID);
	assert_int_equal(keep->tag, 99ull << PAGE_SHIFT);
	mmu_tlb_drop_page(h, other, false);
	assert_int_equal(keep->tag, TLB_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_budget_stops_inside_a_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fence_i_keeps_unchanged_and_drops_changed_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget_one_at_a_time_matches_full_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trapping_instruction_does_not_retire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ecall_from_m_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_into_translated_code_takes_effect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_next_to_code_keeps_translation_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_division_edge_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_x0_stays_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_instret_read_is_exact_mid_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fp_instruction_illegal_when_fs_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_fault_on_unmapped_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_path_loads_carry_their_icount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlb_drop_page_finds_every_entry_of_the_page, setup, teardown),
	};
	return cmocka_run_group_tests_name("exec", tests, NULL, NULL);
}
