/* test_trigger.c: Sdtrig triggers: CSR WARL rules, firing, privilege rules, snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/csr.h"
#include "core/riscv.h"
#include "core/snap.h"
#include "core/trap.h"
#include "core/trigger.h"
#include "tests/unit/core_fixture.h"
#include "tests/unit/rv_asm.h"

#define TYPE(t) ((uint64_t)(t) << 60)
#define MC_LOAD (1u << 0)
#define MC_STORE (1u << 1)
#define MC_EXEC (1u << 2)
#define MC_U (1u << 3)
#define MC_S (1u << 4)
#define MC_M (1u << 6)
#define MATCH(n) ((uint64_t)(n) << 7)
#define MC2_HIT (1ull << 20)
#define MC6_HIT0 (1ull << 22)
#define DISABLED TYPE(15)
/* Data on a page of its own (stores to the code's page are always slow). */
#define DATA_OFF 0x2000
#define DATA (RAM_BASE + DATA_OFF)
#define TRAP_PC (RAM_BASE + 0x800)

static int setup(void **state)
{
	struct machine *m = fixture_machine();
	if (!m)
		return -1;
	hart_reset(m->harts[0], RAM_BASE, 0);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	machine_free(*state);
	return 0;
}

static struct hart *H(void **state)
{
	return ((struct machine *)*state)->harts[0];
}

static uint64_t rd(struct hart *h, unsigned csr)
{
	uint64_t v = 0xdead;
	assert_true(csr_access(h, csr, CSR_OP_S, 0, true, false, &v));
	return v;
}

static bool wr(struct hart *h, unsigned csr, uint64_t v)
{
	uint64_t old;
	return csr_access(h, csr, CSR_OP_W, v, true, true, &old);
}

/* Program trigger idx (tdata2 first, as a debugger would). */
static void set_trigger(struct hart *h, unsigned idx, uint64_t tdata1, uint64_t tdata2)
{
	assert_true(wr(h, CSR_TSELECT, idx));
	assert_true(wr(h, CSR_TDATA2, tdata2));
	assert_true(wr(h, CSR_TDATA1, tdata1));
}

static uint64_t tdata1_of(struct hart *h, unsigned idx)
{
	assert_true(wr(h, CSR_TSELECT, idx));
	return rd(h, CSR_TDATA1);
}

/* ---- the CSRs ---- */

static void test_tinfo_reports_mcontrol_mcontrol6_disabled_version_1(void **state)
{
	uint64_t v = rd(H(state), CSR_TINFO);
	assert_int_equal(v & 0xffff, (1u << 2) | (1u << 6) | (1u << 15));
	assert_int_equal(v >> 24 & 0xff, 1);
	assert_int_equal(v >> 32, 0);
}

static void test_tselect_reads_back_every_trigger_index(void **state)
{
	struct hart *h = H(state);
	for (unsigned i = 0; i < TRIG_COUNT; i++) {
		assert_true(wr(h, CSR_TSELECT, i));
		assert_int_equal(rd(h, CSR_TSELECT), i);
	}
}

static void test_tselect_beyond_the_count_reads_back_a_legal_index(void **state)
{
	struct hart *h = H(state);
	const uint64_t bad[] = { TRIG_COUNT, TRIG_COUNT + 1, 64, ~0ull };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(wr(h, CSR_TSELECT, 1));
		assert_true(wr(h, CSR_TSELECT, bad[i]));
		uint64_t v = rd(h, CSR_TSELECT);
		assert_true(v < TRIG_COUNT);
		assert_int_not_equal(v, bad[i]);
	}
}

/* The spec's enumeration loop (Sdtrig "Enumeration") finds TRIG_COUNT. */
static void test_enumeration_finds_every_trigger(void **state)
{
	struct hart *h = H(state);
	unsigned n = 0;
	for (uint64_t i = 0; i < 64; i++) {
		assert_true(wr(h, CSR_TSELECT, i));
		if (rd(h, CSR_TSELECT) != i)
			break;
		if ((rd(h, CSR_TINFO) & 0xffff) == 1)
			break;
		n++;
	}
	assert_int_equal(n, TRIG_COUNT);
}

static void test_triggers_reset_disabled(void **state)
{
	struct hart *h = H(state);
	for (unsigned i = 0; i < TRIG_COUNT; i++)
		assert_int_equal(tdata1_of(h, i), DISABLED);
	assert_false(h->trig.exec_armed);
	assert_false(h->trig.mem_armed);
}

static void test_tdata1_zero_disables(void **state)
{
	struct hart *h = H(state);
	set_trigger(h, 1, TYPE(6) | MC_M | MC_EXEC, RAM_BASE);
	assert_true(h->trig.exec_armed);
	assert_true(wr(h, CSR_TDATA1, 0));
	assert_int_equal(rd(h, CSR_TDATA1), DISABLED);
	assert_false(h->trig.exec_armed);
}

static void test_unsupported_types_read_back_disabled(void **state)
{
	struct hart *h = H(state);
	const unsigned types[] = { 1, 3, 4, 5, 7, 12, 15 };
	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		assert_true(wr(h, CSR_TDATA1, TYPE(types[i]) | MC_M | MC_EXEC));
		assert_int_equal(rd(h, CSR_TDATA1), DISABLED);
	}
}

static void test_mcontrol6_keeps_only_supported_fields(void **state)
{
	struct hart *h = H(state);
	/* Every bit set: dmode, uncertain, hit1, vs, vu, select, size,
	 * action, chain, match = 15 and uncertainen are not kept. */
	assert_true(wr(h, CSR_TDATA1, TYPE(6) | ((1ull << 60) - 1)));
	assert_int_equal(rd(h, CSR_TDATA1),
			 TYPE(6) | MC6_HIT0 | (1ull << 25) | MC_M | MC_S | MC_U |
			 MC_EXEC | MC_STORE | MC_LOAD);
	/* action = 1 (Debug Mode) needs dmode: it reads back 0. */
	assert_true(wr(h, CSR_TDATA1, TYPE(6) | (1u << 12) | MC_M | MC_EXEC));
	assert_int_equal(rd(h, CSR_TDATA1), TYPE(6) | MC_M | MC_EXEC);
}

static void test_mcontrol_keeps_only_supported_fields(void **state)
{
	struct hart *h = H(state);
	assert_true(wr(h, CSR_TDATA1, TYPE(2) | ((1ull << 60) - 1)));
	/* maskmax 0 (no NAPOT), timing/select/size 0. */
	assert_int_equal(rd(h, CSR_TDATA1),
			 TYPE(2) | MC2_HIT | MC_M | MC_S | MC_U | MC_EXEC |
			 MC_STORE | MC_LOAD);
}

static void test_match_keeps_equal_ge_lt_only(void **state)
{
	struct hart *h = H(state);
	for (unsigned m = 0; m < 16; m++) {
		assert_true(wr(h, CSR_TDATA1, TYPE(6) | MATCH(m) | MC_M | MC_LOAD));
		uint64_t want = (m == 2 || m == 3) ? m : 0;
		assert_int_equal(rd(h, CSR_TDATA1) >> 7 & 15, want);
	}
}

static void test_tdata2_holds_any_value_tdata3_reads_zero(void **state)
{
	struct hart *h = H(state);
	assert_true(wr(h, CSR_TDATA2, 0xfedcba9876543210ull));
	assert_int_equal(rd(h, CSR_TDATA2), 0xfedcba9876543210ull);
	assert_true(wr(h, CSR_TDATA3, ~0ull));
	assert_int_equal(rd(h, CSR_TDATA3), 0);
	/* tinfo's fields are read-only: a write changes nothing. */
	uint64_t tinfo = rd(h, CSR_TINFO);
	assert_true(wr(h, CSR_TINFO, 0));
	assert_int_equal(rd(h, CSR_TINFO), tinfo);
}

static void test_triggers_are_independent(void **state)
{
	struct hart *h = H(state);
	set_trigger(h, 0, TYPE(6) | MC_M | MC_LOAD, 0x1000);
	set_trigger(h, 3, TYPE(2) | MC_U | MC_STORE, 0x2000);
	assert_int_equal(tdata1_of(h, 0), TYPE(6) | MC_M | MC_LOAD);
	assert_int_equal(rd(h, CSR_TDATA2), 0x1000);
	assert_int_equal(tdata1_of(h, 3), TYPE(2) | MC_U | MC_STORE);
	assert_int_equal(rd(h, CSR_TDATA2), 0x2000);
	assert_int_equal(tdata1_of(h, 1), DISABLED);
}

static void test_no_tcontrol_mcontext_or_debug_csrs(void **state)
{
	uint64_t v;
	const unsigned csrs[] = { 0x7a5, 0x7a8, 0x7aa, 0x5a8, 0x7b0 };
	for (unsigned i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++)
		assert_false(csr_access(H(state), csrs[i], CSR_OP_S, 0, true, false, &v));
}

static void test_s_mode_cannot_access_triggers(void **state)
{
	struct hart *h = H(state);
	h->priv = PRV_S;
	uint64_t v;
	assert_false(csr_access(h, CSR_TSELECT, CSR_OP_S, 0, true, false, &v));
	assert_false(csr_access(h, CSR_TDATA1, CSR_OP_W, 0, true, true, &v));
}

/* ---- firing ---- */

static struct hart *load(void **state, const uint32_t *code, size_t n)
{
	struct hart *h = fixture_load(*state, code, n);
	h->mstatus |= MSTATUS_MIE; /* mie = 0: no interrupt is taken */
	h->x[5] = DATA;
	return h;
}

/* Back to pc after a trap (which cleared MIE, saving it in MPIE). */
static void resume_at(struct hart *h, uint64_t pc)
{
	h->pc = pc;
	h->mstatus |= MSTATUS_MIE;
}

static void test_execute_trigger_fires_before_the_instruction(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 0, 1), RV_ADDI(2, 0, 2),
				  RV_ADDI(3, 0, 3) };
	struct hart *h = load(state, code, 3);
	set_trigger(h, 0, TYPE(6) | MC_M | MC_EXEC, RAM_BASE + 4);
	exec_run(h, 3);
	assert_int_equal(h->x[1], 1);
	assert_int_equal(h->x[2], 0);
	assert_int_equal(h->icount, 1);
	assert_int_equal(h->mcause, EXC_BREAKPOINT);
	assert_int_equal(h->mepc, RAM_BASE + 4);
	assert_int_equal(h->mtval, RAM_BASE + 4);
	assert_int_equal(h->pc, TRAP_PC);
	assert_true(tdata1_of(h, 0) & MC6_HIT0);
}

static void test_mcontrol_execute_trigger_sets_its_hit_bit(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 0, 1), RV_ADDI(2, 0, 2) };
	struct hart *h = load(state, code, 2);
	set_trigger(h, 2, TYPE(2) | MC_M | MC_EXEC, RAM_BASE + 4);
	exec_run(h, 2);
	assert_int_equal(h->mcause, EXC_BREAKPOINT);
	assert_int_equal(h->mepc, RAM_BASE + 4);
	assert_int_equal(tdata1_of(h, 2), TYPE(2) | MC2_HIT | MC_M | MC_EXEC);
}

/* Armed after the loop's blocks were chained: the chain must not skip
 * the check. */
static void test_execute_trigger_fires_inside_a_chained_loop(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 1, 1), rv_jal(4, 0),
				  RV_ADDI(2, 2, 1), rv_jal(-12, 0) };
	struct hart *h = load(state, code, 4);
	exec_run(h, 400);
	assert_int_equal(h->icount, 400);
	uint64_t x2 = h->x[2];
	set_trigger(h, 0, TYPE(6) | MC_M | MC_EXEC, RAM_BASE + 8);
	exec_run(h, 400);
	assert_int_equal(h->mcause, EXC_BREAKPOINT);
	assert_int_equal(h->mepc, RAM_BASE + 8);
	assert_int_equal(h->x[2], x2);
	assert_true(h->icount <= 402);
}

static void test_m_mode_trigger_needs_mie(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 0, 1), RV_ADDI(2, 0, 2) };
	struct hart *h = load(state, code, 2);
	h->mstatus &= ~MSTATUS_MIE;
	set_trigger(h, 0, TYPE(6) | MC_M | MC_EXEC, RAM_BASE + 4);
	exec_run(h, 2);
	assert_int_equal(h->icount, 2);
	assert_int_equal(h->x[2], 2);
	assert_false(tdata1_of(h, 0) & MC6_HIT0);
}

static void test_trigger_without_m_does_not_fire_in_m_mode(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 0, 1), RV_ADDI(2, 0, 2) };
	struct hart *h = load(state, code, 2);
	set_trigger(h, 0, TYPE(6) | MC_S | MC_U | MC_EXEC, RAM_BASE + 4);
	exec_run(h, 2);
	assert_int_equal(h->icount, 2);
	assert_int_equal(h->x[2], 2);
}

static void test_u_mode_trigger_fires_in_u_mode_only(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 0, 1), RV_ADDI(2, 0, 2) };
	struct hart *h = load(state, code, 2);
	set_trigger(h, 0, TYPE(6) | MC_U | MC_EXEC, RAM_BASE + 4);
	trap_set_priv(h, PRV_U);
	exec_run(h, 2);
	assert_int_equal(h->mcause, EXC_BREAKPOINT);
	assert_int_equal(h->mepc, RAM_BASE + 4);
	assert_int_equal(h->mstatus & MSTATUS_MPP, 0); /* from U */
	assert_int_equal(h->priv, PRV_M);
}

static void test_delegated_s_mode_trigger_needs_sie(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 0, 1), RV_ADDI(2, 0, 2) };
	struct hart *h = load(state, code, 2);
	h->medeleg = 1u << EXC_BREAKPOINT;
	h->stvec = RAM_BASE + 0xc00;
	set_trigger(h, 0, TYPE(6) | MC_S | MC_EXEC, RAM_BASE + 4);
	trap_set_priv(h, PRV_S);
	exec_run(h, 2);
	assert_int_equal(h->icount, 2); /* SIE = 0 */
	h->pc = RAM_BASE;
	h->mstatus |= MSTATUS_SIE;
	exec_run(h, 2);
	assert_int_equal(h->scause, EXC_BREAKPOINT);
	assert_int_equal(h->sepc, RAM_BASE + 4);
	assert_int_equal(h->stval, RAM_BASE + 4);
	assert_int_equal(h->pc, RAM_BASE + 0xc00);
}

static void test_load_trigger_fires_before_the_load(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 0, 7), RV_LD(1, 5, 8),
				  RV_ADDI(2, 0, 2) };
	struct hart *h = load(state, code, 3);
	uint64_t v = 0x1122334455667788ull;
	memcpy(h->m->ram + DATA_OFF + 8, &v, 8);
	set_trigger(h, 1, TYPE(6) | MC_M | MC_LOAD, DATA + 8);
	exec_run(h, 3);
	assert_int_equal(h->mcause, EXC_BREAKPOINT);
	assert_int_equal(h->mepc, RAM_BASE + 4);
	assert_int_equal(h->mtval, DATA + 8);
	assert_int_equal(h->x[1], 7); /* not loaded */
	assert_int_equal(h->icount, 1);
}

static void test_load_trigger_matches_any_byte_of_the_access(void **state)
{
	const uint32_t code[] = { RV_LD(1, 5, 8) };
	struct hart *h = load(state, code, 1);
	set_trigger(h, 1, TYPE(6) | MC_M | MC_LOAD, DATA + 15);
	exec_run(h, 1);
	assert_int_equal(h->mcause, EXC_BREAKPOINT);
	assert_int_equal(h->mtval, DATA + 8);
}

static void test_store_trigger_leaves_memory_unchanged(void **state)
{
	const uint32_t code[] = { RV_SW(6, 5, 0x18), RV_SW(6, 5, 0x10) };
	struct hart *h = load(state, code, 2);
	h->x[6] = 0x55;
	/* The first store fills a fast-path TLB entry for the page. */
	exec_run(h, 1);
	set_trigger(h, 0, TYPE(6) | MC_M | MC_STORE, DATA + 0x10);
	exec_run(h, 1);
	assert_int_equal(h->mcause, EXC_BREAKPOINT);
	assert_int_equal(h->mepc, RAM_BASE + 4);
	assert_int_equal(h->mtval, DATA + 0x10);
	uint32_t w;
	memcpy(&w, h->m->ram + DATA_OFF + 0x18, 4);
	assert_int_equal(w, 0x55);
	memcpy(&w, h->m->ram + DATA_OFF + 0x10, 4);
	assert_int_equal(w, 0);
}

static void test_load_trigger_ignores_stores_and_other_addresses(void **state)
{
	const uint32_t code[] = { RV_SD(5, 5, 0), RV_LD(1, 5, 8), RV_ADDI(2, 0, 2) };
	struct hart *h = load(state, code, 3);
	set_trigger(h, 0, TYPE(6) | MC_M | MC_LOAD, DATA);
	exec_run(h, 3);
	assert_int_equal(h->icount, 3);
	uint64_t v;
	memcpy(&v, h->m->ram + DATA_OFF, 8);
	assert_int_equal(v, DATA);
}

/* The TLB entry was filled before the trigger was armed: marking it slow
 * is what makes the access visible. */
static void test_load_trigger_armed_after_the_page_was_used(void **state)
{
	const uint32_t code[] = { RV_LD(1, 5, 0), RV_LD(2, 5, 0x20), rv_jal(-8, 0) };
	struct hart *h = load(state, code, 3);
	exec_run(h, 30);
	set_trigger(h, 0, TYPE(6) | MC_M | MC_LOAD, DATA + 0x20);
	exec_run(h, 30);
	assert_int_equal(h->mcause, EXC_BREAKPOINT);
	assert_int_equal(h->mepc, RAM_BASE + 4);
	assert_int_equal(h->mtval, DATA + 0x20);
}

static void test_ge_and_lt_matches(void **state)
{
	const uint32_t code[] = { RV_LD(1, 5, 0), RV_LD(2, 5, 0x100), RV_ADDI(3, 0, 3) };
	struct hart *h = load(state, code, 3);
	/* Loads at or above DATA + 0x80 fire: the second one. */
	set_trigger(h, 0, TYPE(6) | MATCH(2) | MC_M | MC_LOAD, DATA + 0x80);
	exec_run(h, 3);
	assert_int_equal(h->mepc, RAM_BASE + 4);
	assert_int_equal(h->mtval, DATA + 0x100);
	/* Loads below DATA + 0x80 fire: the first one. */
	resume_at(h, RAM_BASE);
	set_trigger(h, 0, TYPE(6) | MATCH(3) | MC_M | MC_LOAD, DATA + 0x80);
	exec_run(h, 3);
	assert_int_equal(h->mepc, RAM_BASE);
	assert_int_equal(h->mtval, DATA);
}

static void test_disabled_trigger_stops_firing(void **state)
{
	const uint32_t code[] = { RV_ADDI(1, 0, 1), RV_ADDI(2, 0, 2) };
	struct hart *h = load(state, code, 2);
	set_trigger(h, 0, TYPE(6) | MC_M | MC_EXEC, RAM_BASE + 4);
	exec_run(h, 2);
	assert_int_equal(h->mcause, EXC_BREAKPOINT);
	assert_true(wr(h, CSR_TDATA1, 0));
	resume_at(h, RAM_BASE);
	exec_run(h, 2);
	assert_int_equal(h->x[2], 2);
}

static void test_amo_and_lr_sc_match_as_load_and_store(void **state)
{
	/* amoadd.d x1, x6, (x5); lr.d x1, (x5); sc.d x1, x6, (x5) */
	const uint32_t amo = rv_r(0x01, 6, 5, 3, 1, 0x2f);
	const uint32_t lr = rv_r(0x08, 0, 5, 3, 1, 0x2f);
	const uint32_t sc = rv_r(0x0c, 6, 5, 3, 1, 0x2f);
	const uint32_t code[] = { amo, lr, sc };
	struct hart *h = load(state, code, 3);
	set_trigger(h, 0, TYPE(6) | MC_M | MC_STORE, DATA);
	exec_run(h, 3);
	assert_int_equal(h->mepc, RAM_BASE); /* the AMO stores */
	resume_at(h, RAM_BASE + 4);
	exec_run(h, 3);
	assert_int_equal(h->mepc, RAM_BASE + 8); /* LR does not, SC does */
	set_trigger(h, 0, TYPE(6) | MC_M | MC_LOAD, DATA);
	resume_at(h, RAM_BASE + 4);
	exec_run(h, 3);
	assert_int_equal(h->mepc, RAM_BASE + 4); /* LR loads */
}

/* ---- snapshots ---- */

static void test_snapshot_keeps_triggers(void **state)
{
	struct machine *m = *state;
	struct hart *h = H(state);
	set_trigger(h, 2, TYPE(6) | MC_U | MC_STORE, DATA);
	set_trigger(h, 1, TYPE(2) | MC_M | MC_EXEC, RAM_BASE + 4);
	struct snap_buf b = { 0 };
	assert_int_equal(snap_save_state(m, (const uint8_t *)"", 0, false, &b), 0);
	trigger_reset(&h->trig);
	char err[256];
	assert_int_equal(snap_restore_state(m, b.p, b.len, false, err, sizeof(err)), 0);
	assert_int_equal(rd(h, CSR_TSELECT), 1);
	assert_int_equal(tdata1_of(h, 2), TYPE(6) | MC_U | MC_STORE);
	assert_int_equal(rd(h, CSR_TDATA2), DATA);
	assert_int_equal(tdata1_of(h, 1), TYPE(2) | MC_M | MC_EXEC);
	assert_true(h->trig.exec_armed);
	assert_true(h->trig.mem_armed);
	snap_buf_free(&b);
}

/* Layout 1 (before triggers existed) loads with every trigger disabled;
 * a layout from a newer rrv is refused by name. */
static void test_snapshot_layouts(void **state)
{
	struct machine *m = *state;
	struct hart *h = H(state);
	set_trigger(h, 0, TYPE(6) | MC_M | MC_EXEC, RAM_BASE);
	struct snap_buf b = { 0 };
	assert_int_equal(snap_save_state(m, (const uint8_t *)"", 0, false, &b), 0);
	/* The MACHINE section comes first; its payload starts with the
	 * layout, after the 16-byte section header. */
	uint32_t layout;
	memcpy(&layout, b.p + 16, 4);
	assert_int_equal(layout, 2);
	layout = 1;
	memcpy(b.p + 16, &layout, 4);
	char err[256];
	assert_int_equal(snap_restore_state(m, b.p, b.len, false, err, sizeof(err)), 0);
	assert_int_equal(tdata1_of(h, 0), DISABLED);
	assert_false(h->trig.exec_armed);
	layout = 3;
	memcpy(b.p + 16, &layout, 4);
	assert_int_equal(snap_restore_state(m, b.p, b.len, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "newer"));
	snap_buf_free(&b);
}

static void test_snapshot_with_an_illegal_tdata1_is_refused(void **state)
{
	struct machine *m = *state;
	struct hart *h = H(state);
	set_trigger(h, 0, TYPE(6) | MC_M | MC_EXEC, 0x1234567);
	struct snap_buf b = { 0 };
	assert_int_equal(snap_save_state(m, (const uint8_t *)"", 0, false, &b), 0);
	/* Find tdata1 = the value above in the blob and give it dmode. */
	uint64_t want = TYPE(6) | MC_M | MC_EXEC, got = 0;
	size_t at = 0;
	for (size_t i = 0; i + 16 <= b.len; i++) {
		uint64_t a, c;
		memcpy(&a, b.p + i, 8);
		memcpy(&c, b.p + i + 8, 8);
		if (a == want && c == 0x1234567) {
			at = i;
			got = a;
			break;
		}
	}
	assert_int_equal(got, want);
	want |= 1ull << 59;
	memcpy(b.p + at, &want, 8);
	char err[256];
	assert_int_equal(snap_restore_state(m, b.p, b.len, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "triggers"));
	snap_buf_free(&b);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_tinfo_reports_mcontrol_mcontrol6_disabled_version_1),
		T(test_tselect_reads_back_every_trigger_index),
		T(test_tselect_beyond_the_count_reads_back_a_legal_index),
		T(test_enumeration_finds_every_trigger),
		T(test_triggers_reset_disabled),
		T(test_tdata1_zero_disables),
		T(test_unsupported_types_read_back_disabled),
		T(test_mcontrol6_keeps_only_supported_fields),
		T(test_mcontrol_keeps_only_supported_fields),
		T(test_match_keeps_equal_ge_lt_only),
		T(test_tdata2_holds_any_value_tdata3_reads_zero),
		T(test_triggers_are_independent),
		T(test_no_tcontrol_mcontext_or_debug_csrs),
		T(test_s_mode_cannot_access_triggers),
		T(test_execute_trigger_fires_before_the_instruction),
		T(test_mcontrol_execute_trigger_sets_its_hit_bit),
		T(test_execute_trigger_fires_inside_a_chained_loop),
		T(test_m_mode_trigger_needs_mie),
		T(test_trigger_without_m_does_not_fire_in_m_mode),
		T(test_u_mode_trigger_fires_in_u_mode_only),
		T(test_delegated_s_mode_trigger_needs_sie),
		T(test_load_trigger_fires_before_the_load),
		T(test_load_trigger_matches_any_byte_of_the_access),
		T(test_store_trigger_leaves_memory_unchanged),
		T(test_load_trigger_ignores_stores_and_other_addresses),
		T(test_load_trigger_armed_after_the_page_was_used),
		T(test_ge_and_lt_matches),
		T(test_disabled_trigger_stops_firing),
		T(test_amo_and_lr_sc_match_as_load_and_store),
		T(test_snapshot_keeps_triggers),
		T(test_snapshot_layouts),
		T(test_snapshot_with_an_illegal_tdata1_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
