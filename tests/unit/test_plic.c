/* test_plic.c: PLIC tests: priorities, thresholds, enables, claim/complete, levels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "devices/plic.h"

#define NCTX 4 /* two harts: contexts 0 (M0), 1 (S0), 2 (M1), 3 (S1) */
#define PRIO(s) (0x0u + 4u * (s))
#define PENDING 0x1000u
#define ENABLE(c) (0x2000u + 0x80u * (c))
#define THRESH(c) (0x200000u + 0x1000u * (c))
#define CLAIM(c) (0x200004u + 0x1000u * (c))

struct fake {
	int out[NCTX];
	unsigned calls;
	struct plic *p;
	struct mmio_dev d;
};

static void fake_out(void *ctx, unsigned c, int level)
{
	struct fake *f = ctx;
	assert_true(c < NCTX);
	assert_int_not_equal(f->out[c], level); /* only changes are signalled */
	f->out[c] = level;
	f->calls++;
}

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	f->p = plic_new(NCTX, fake_out, f);
	assert_non_null(f->p);
	f->d = plic_mmio(f->p);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;
	plic_free(f->p);
	free(f);
	return 0;
}

static uint32_t rd(struct fake *f, uint64_t off)
{
	return (uint32_t)f->d.read(f->d.opaque, off, 4);
}

static void wr(struct fake *f, uint64_t off, uint32_t v)
{
	f->d.write(f->d.opaque, off, v, 4);
}

static void test_new_rejects_bad_counts(void **state)
{
	(void)state;
	assert_null(plic_new(0, fake_out, NULL));
	assert_null(plic_new(PLIC_MAX_CONTEXTS + 1, fake_out, NULL));
}

static void test_map(void **state)
{
	struct fake *f = *state;
	assert_int_equal(f->d.base, 0x0c000000);
	assert_int_equal(f->d.size, 0x4000000);
}

static void test_priority_masked_and_source0_fixed(void **state)
{
	struct fake *f = *state;
	wr(f, PRIO(10), 0xffffffff);
	assert_int_equal(rd(f, PRIO(10)), PLIC_PRIO_MASK);
	wr(f, PRIO(0), 5);
	assert_int_equal(rd(f, PRIO(0)), 0);
	wr(f, ENABLE(0), 0xffffffff);
	assert_int_equal(rd(f, ENABLE(0)) & 1, 0);
	/* Out-of-range sources and contexts read 0 and ignore writes. */
	wr(f, PRIO(200), 3);
	assert_int_equal(rd(f, PRIO(200)), 0);
	wr(f, THRESH(NCTX), 3);
	assert_int_equal(rd(f, THRESH(NCTX)), 0);
}

static void test_pending_needs_priority_enable_threshold(void **state)
{
	struct fake *f = *state;
	plic_set_irq(f->p, 10, 1);
	assert_int_equal(rd(f, PENDING) & (1u << 10), 1u << 10);
	assert_int_equal(f->out[1], 0); /* priority 0 never interrupts */
	wr(f, PRIO(10), 1);
	assert_int_equal(f->out[1], 0); /* not enabled */
	wr(f, ENABLE(1), 1u << 10);
	assert_int_equal(f->out[1], 1);
	assert_int_equal(f->out[0], 0);
	wr(f, THRESH(1), 1); /* priority must exceed the threshold */
	assert_int_equal(f->out[1], 0);
	wr(f, THRESH(1), 0);
	assert_int_equal(f->out[1], 1);
	/* Writes to the pending array are ignored. */
	wr(f, PENDING, 0);
	assert_int_equal(rd(f, PENDING) & (1u << 10), 1u << 10);
}

static void test_claim_complete_level(void **state)
{
	struct fake *f = *state;
	wr(f, PRIO(10), 2);
	wr(f, ENABLE(1), 1u << 10);
	plic_set_irq(f->p, 10, 1);
	assert_int_equal(f->out[1], 1);
	assert_int_equal(rd(f, CLAIM(1)), 10);
	assert_int_equal(f->out[1], 0);
	assert_int_equal(rd(f, PENDING) & (1u << 10), 0);
	/* While claimed, the line cannot pend again. */
	assert_int_equal(rd(f, CLAIM(1)), 0);
	/* Completion with the line still high re-arms it. */
	wr(f, CLAIM(1), 10);
	assert_int_equal(f->out[1], 1);
	assert_int_equal(rd(f, CLAIM(1)), 10);
	plic_set_irq(f->p, 10, 0);
	wr(f, CLAIM(1), 10);
	assert_int_equal(f->out[1], 0);
	assert_int_equal(rd(f, CLAIM(1)), 0);
}

static void test_level_drop_clears_unclaimed_pending(void **state)
{
	struct fake *f = *state;
	wr(f, PRIO(3), 1);
	wr(f, ENABLE(0), 1u << 3);
	plic_set_irq(f->p, 3, 1);
	assert_int_equal(f->out[0], 1);
	plic_set_irq(f->p, 3, 0);
	assert_int_equal(f->out[0], 0);
	assert_int_equal(rd(f, CLAIM(0)), 0);
}

static void test_claim_order_priority_then_lowest_id(void **state)
{
	struct fake *f = *state;
	wr(f, PRIO(5), 1);
	wr(f, PRIO(40), 3);
	wr(f, PRIO(41), 3);
	wr(f, ENABLE(2), 1u << 5);
	wr(f, ENABLE(2) + 4, (1u << (40 - 32)) | (1u << (41 - 32)));
	plic_set_irq(f->p, 5, 1);
	plic_set_irq(f->p, 41, 1);
	plic_set_irq(f->p, 40, 1);
	assert_int_equal(rd(f, CLAIM(2)), 40);
	assert_int_equal(rd(f, CLAIM(2)), 41);
	assert_int_equal(rd(f, CLAIM(2)), 5);
	assert_int_equal(rd(f, CLAIM(2)), 0);
}

static void test_complete_ignored_when_not_enabled(void **state)
{
	struct fake *f = *state;
	wr(f, PRIO(7), 1);
	wr(f, ENABLE(0), 1u << 7);
	plic_set_irq(f->p, 7, 1);
	assert_int_equal(rd(f, CLAIM(0)), 7);
	wr(f, CLAIM(1), 7); /* context 1 does not enable source 7 */
	assert_int_equal(rd(f, CLAIM(0)), 0);
	wr(f, CLAIM(0), 7);
	assert_int_equal(rd(f, CLAIM(0)), 7);
}

static void test_two_contexts_share_a_source(void **state)
{
	struct fake *f = *state;
	wr(f, PRIO(10), 1);
	wr(f, ENABLE(1), 1u << 10);
	wr(f, ENABLE(3), 1u << 10);
	plic_set_irq(f->p, 10, 1);
	assert_int_equal(f->out[1], 1);
	assert_int_equal(f->out[3], 1);
	/* The first claim wins; the other context's line drops. */
	assert_int_equal(rd(f, CLAIM(3)), 10);
	assert_int_equal(f->out[1], 0);
	assert_int_equal(rd(f, CLAIM(1)), 0);
}

static void test_state_roundtrip(void **state)
{
	struct fake *f = *state;
	wr(f, PRIO(10), 4);
	wr(f, ENABLE(1), 1u << 10);
	wr(f, THRESH(1), 2);
	plic_set_irq(f->p, 10, 1);
	struct plic_state *s = malloc(sizeof(*s));
	plic_get_state(f->p, s);
	plic_set_irq(f->p, 10, 0);
	wr(f, THRESH(1), 7);
	assert_int_equal(f->out[1], 0);
	plic_set_state(f->p, s);
	assert_int_equal(f->out[1], 1);
	assert_int_equal(rd(f, THRESH(1)), 2);
	assert_int_equal(rd(f, CLAIM(1)), 10);
	free(s);
}

static void test_wide_access(void **state)
{
	struct fake *f = *state;
	f->d.write(f->d.opaque, PRIO(2), 0x0000000500000003ull, 8);
	assert_int_equal(rd(f, PRIO(2)), 3);
	assert_int_equal(rd(f, PRIO(3)), 5);
	assert_int_equal(f->d.read(f->d.opaque, PRIO(2), 8), 0x0000000500000003ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_rejects_bad_counts),
		cmocka_unit_test_setup_teardown(test_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_masked_and_source0_fixed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_needs_priority_enable_threshold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_complete_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_drop_clears_unclaimed_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_order_priority_then_lowest_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_ignored_when_not_enabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_contexts_share_a_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wide_access, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
