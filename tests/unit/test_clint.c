/* test_clint.c: CLINT tests: msip, mtimecmp/MTIP levels, mtime offset, timers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "devices/clint.h"

#define NHARTS 3
#define MSIP(h) (0x0000u + 4u * (h))
#define MTIMECMP(h) (0x4000u + 8u * (h))
#define MTIME 0xbff8u
#define BIT_MSIP (1ull << 3)
#define BIT_MTIP (1ull << 7)

/* Fake machine: a settable clock and each hart's mip bits as signalled. */
struct fake {
	uint64_t time;
	int msip[NHARTS];
	int mtip[NHARTS];
	unsigned calls;
	struct clint *c;
	struct mmio_dev d;
};

static uint64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->time;
}

static void fake_mip(void *ctx, unsigned hart, uint64_t bit, int level)
{
	struct fake *f = ctx;
	assert_true(hart < NHARTS);
	f->calls++;
	if (bit == BIT_MSIP)
		f->msip[hart] = level;
	else if (bit == BIT_MTIP)
		f->mtip[hart] = level;
	else
		fail_msg("unexpected mip bit %#llx", (unsigned long long)bit);
}

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->time = 1000;
	f->c = clint_new(NHARTS, fake_now, fake_mip, f);
	assert_non_null(f->c);
	f->d = clint_mmio(f->c);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;
	clint_free(f->c);
	free(f);
	return 0;
}

static uint64_t rd(struct fake *f, uint64_t off, unsigned size)
{
	return f->d.read(f->d.opaque, off, size);
}

static void wr(struct fake *f, uint64_t off, uint64_t val, unsigned size)
{
	f->d.write(f->d.opaque, off, val, size);
}

/* ---- creation and reset ---- */

static void test_mmio_region_is_qemu_virt(void **state)
{
	struct fake *f = *state;
	assert_int_equal(f->d.base, 0x2000000);
	assert_int_equal(f->d.size, 0x10000);
}

static void test_reset_mtimecmp_is_max_and_nothing_signalled(void **state)
{
	struct fake *f = *state;
	for (unsigned h = 0; h < NHARTS; h++) {
		assert_true(rd(f, MTIMECMP(h), 8) == UINT64_MAX);
		assert_int_equal(rd(f, MSIP(h), 4), 0);
	}
	assert_int_equal(f->calls, 0);
	assert_true(clint_update_timers(f->c) == UINT64_MAX);
	assert_int_equal(f->calls, 0);
}

static void test_new_rejects_bad_hart_counts(void **state)
{
	(void)state;
	assert_null(clint_new(0, fake_now, fake_mip, NULL));
	assert_null(clint_new(CLINT_MAX_HARTS + 1, fake_now, fake_mip, NULL));
}

/* ---- msip ---- */

static void test_msip_write_raises_and_lowers_msip(void **state)
{
	struct fake *f = *state;
	wr(f, MSIP(1), 1, 4);
	assert_int_equal(f->msip[1], 1);
	assert_int_equal(f->msip[0], 0);
	assert_int_equal(rd(f, MSIP(1), 4), 1);
	wr(f, MSIP(1), 0, 4);
	assert_int_equal(f->msip[1], 0);
	assert_int_equal(rd(f, MSIP(1), 4), 0);
}

static void test_msip_only_bit0_writable(void **state)
{
	struct fake *f = *state;
	wr(f, MSIP(0), 0xfffffffe, 4);
	assert_int_equal(rd(f, MSIP(0), 4), 0);
	assert_int_equal(f->msip[0], 0);
	wr(f, MSIP(0), 0xffffffff, 4);
	assert_int_equal(rd(f, MSIP(0), 4), 1);
}

static void test_msip_out_of_range_hart_ignored(void **state)
{
	struct fake *f = *state;
	wr(f, MSIP(NHARTS), 1, 4);
	wr(f, MSIP(4094), 1, 4);
	assert_int_equal(f->calls, 0);
	assert_int_equal(rd(f, MSIP(NHARTS), 4), 0);
}

static void test_msip_doubleword_access_covers_two_harts(void **state)
{
	struct fake *f = *state;
	wr(f, MSIP(0), 0x0000000100000001ull, 8);
	assert_int_equal(f->msip[0], 1);
	assert_int_equal(f->msip[1], 1);
	assert_true(rd(f, MSIP(0), 8) == 0x0000000100000001ull);
}

static void test_msip_word_write_leaves_neighbour_alone(void **state)
{
	struct fake *f = *state;
	wr(f, MSIP(0), 1, 4);
	unsigned calls = f->calls;
	wr(f, MSIP(1), 0, 4);
	assert_int_equal(f->calls, calls + 1);
	assert_int_equal(f->msip[0], 1);
}

/* ---- mtimecmp and MTIP ---- */

static void test_mtimecmp_past_value_raises_mtip(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(2), 500, 8);
	assert_int_equal(f->mtip[2], 1);
	assert_int_equal(f->mtip[0], 0);
}

static void test_mtimecmp_equal_to_mtime_raises_mtip(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(0), 1000, 8);
	assert_int_equal(f->mtip[0], 1);
}

static void test_mtimecmp_future_value_lowers_mtip(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(0), 0, 8);
	assert_int_equal(f->mtip[0], 1);
	wr(f, MTIMECMP(0), 2000, 8);
	assert_int_equal(f->mtip[0], 0);
}

static void test_mtip_stays_raised_until_mtimecmp_written(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(0), 1500, 8);
	f->time = 1600;
	clint_update_timers(f->c);
	assert_int_equal(f->mtip[0], 1);
	f->time = 1700;
	clint_update_timers(f->c);
	assert_int_equal(f->mtip[0], 1);
	wr(f, MTIMECMP(0), 5000, 8);
	assert_int_equal(f->mtip[0], 0);
}

static void test_mtimecmp_half_writes(void **state)
{
	struct fake *f = *state;
	/* The RV32 idiom: high = -1, low = new low, high = new high. */
	wr(f, MTIMECMP(1) + 4, 0xffffffff, 4);
	wr(f, MTIMECMP(1), 0x89abcdef, 4);
	wr(f, MTIMECMP(1) + 4, 0x01234567, 4);
	assert_true(rd(f, MTIMECMP(1), 8) == 0x0123456789abcdefull);
	assert_int_equal(rd(f, MTIMECMP(1), 4), 0x89abcdef);
	assert_int_equal(rd(f, MTIMECMP(1) + 4, 4), 0x01234567);
	assert_int_equal(f->mtip[1], 0);
}

static void test_mtimecmp_low_half_write_can_fire(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(0) + 4, 0, 4); /* now 0x00000000_ffffffff: future */
	assert_int_equal(f->mtip[0], 0);
	wr(f, MTIMECMP(0), 10, 4);
	assert_int_equal(f->mtip[0], 1);
}

static void test_mtimecmp_byte_access(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(0), 0x1122334455667788ull, 8);
	assert_int_equal(rd(f, MTIMECMP(0) + 3, 1), 0x55);
	assert_int_equal(rd(f, MTIMECMP(0) + 6, 2), 0x1122);
	wr(f, MTIMECMP(0) + 7, 0x00, 1);
	assert_true(rd(f, MTIMECMP(0), 8) == 0x0022334455667788ull);
}

static void test_mtimecmp_out_of_range_hart_ignored(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(NHARTS), 0, 8);
	assert_int_equal(f->calls, 0);
	assert_int_equal(rd(f, MTIMECMP(NHARTS), 8), 0);
	assert_int_equal(rd(f, MTIMECMP(4094), 8), 0);
}

/* ---- mtime ---- */

static void test_mtime_reads_time_callback(void **state)
{
	struct fake *f = *state;
	f->time = 0x0000000500000007ull;
	assert_true(rd(f, MTIME, 8) == 0x0000000500000007ull);
	assert_int_equal(rd(f, MTIME, 4), 7);
	assert_int_equal(rd(f, MTIME + 4, 4), 5);
	assert_true(clint_mtime(f->c) == 0x0000000500000007ull);
}

static void test_mtime_write_continues_from_written_value(void **state)
{
	struct fake *f = *state;
	wr(f, MTIME, 50, 8);
	assert_int_equal(rd(f, MTIME, 8), 50);
	f->time += 10;
	assert_int_equal(rd(f, MTIME, 8), 60);
	assert_int_equal(clint_mtime(f->c), 60);
}

static void test_mtime_high_half_write_keeps_low_half(void **state)
{
	struct fake *f = *state;
	wr(f, MTIME + 4, 2, 4);
	assert_true(rd(f, MTIME, 8) == (2ull << 32 | 1000));
}

static void test_mtime_write_reevaluates_mtip(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(0), 5000, 8);
	wr(f, MTIMECMP(1), 9000, 8);
	wr(f, MTIME, 6000, 8);
	assert_int_equal(f->mtip[0], 1);
	assert_int_equal(f->mtip[1], 0);
	wr(f, MTIME, 0, 8); /* moving mtime back lowers MTIP again */
	assert_int_equal(f->mtip[0], 0);
}

static void test_mtimecmp_compares_against_written_mtime(void **state)
{
	struct fake *f = *state;
	wr(f, MTIME, 100, 8);
	wr(f, MTIMECMP(0), 500, 8); /* future for the guest, past raw */
	assert_int_equal(f->mtip[0], 0);
}

/* ---- timer re-evaluation ---- */

static void test_update_timers_raises_due_harts(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(0), 1500, 8);
	wr(f, MTIMECMP(1), 2500, 8);
	f->time = 2000;
	clint_update_timers(f->c);
	assert_int_equal(f->mtip[0], 1);
	assert_int_equal(f->mtip[1], 0);
	assert_int_equal(f->mtip[2], 0);
}

static void test_update_timers_returns_earliest_future_mtimecmp(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(0), 1500, 8);
	wr(f, MTIMECMP(1), 1200, 8);
	wr(f, MTIMECMP(2), 900, 8); /* already due: not a future deadline */
	assert_int_equal(clint_update_timers(f->c), 1200);
	f->time = 1300;
	assert_int_equal(clint_update_timers(f->c), 1500);
	f->time = 1500;
	assert_true(clint_update_timers(f->c) == UINT64_MAX);
}

static void test_update_timers_signals_only_changes(void **state)
{
	struct fake *f = *state;
	wr(f, MTIMECMP(0), 1500, 8);
	unsigned calls = f->calls;
	clint_update_timers(f->c);
	assert_int_equal(f->calls, calls);
	f->time = 1600;
	clint_update_timers(f->c);
	clint_update_timers(f->c);
	assert_int_equal(f->calls, calls + 1);
}

static void test_update_timers_deadline_on_callback_clock(void **state)
{
	struct fake *f = *state;
	wr(f, MTIME, 100, 8);	    /* guest clock = raw - 900 */
	wr(f, MTIMECMP(0), 400, 8); /* due at raw 1300 */
	assert_int_equal(clint_update_timers(f->c), 1300);
}

static void test_update_timers_far_deadline_never_wraps(void **state)
{
	struct fake *f = *state;
	wr(f, MTIME, 0, 8); /* guest clock far behind raw */
	wr(f, MTIMECMP(0), UINT64_MAX - 1, 8);
	uint64_t next = clint_update_timers(f->c);
	assert_true(next > f->time);
}

/* ---- undecoded space, reset, snapshots ---- */

static void test_undecoded_offsets_read_zero(void **state)
{
	struct fake *f = *state;
	wr(f, 0xc000, 1, 8);
	wr(f, 0xfff8, 1, 8);
	assert_int_equal(rd(f, 0xc000, 8), 0);
	assert_int_equal(rd(f, 0xfffc, 4), 0);
	assert_int_equal(f->calls, 0);
}

static void test_reset_lowers_everything(void **state)
{
	struct fake *f = *state;
	wr(f, MSIP(0), 1, 4);
	wr(f, MTIMECMP(1), 0, 8);
	wr(f, MTIME, 5, 8);
	clint_reset(f->c);
	assert_int_equal(f->msip[0], 0);
	assert_int_equal(f->mtip[1], 0);
	assert_true(rd(f, MTIMECMP(1), 8) == UINT64_MAX);
	assert_int_equal(rd(f, MTIME, 8), 1000);
}

static void test_state_roundtrip(void **state)
{
	struct fake *f = *state;
	struct clint_hart_state hs[NHARTS];
	uint64_t off;
	wr(f, MSIP(2), 1, 4);
	wr(f, MTIMECMP(0), 1100, 8);
	wr(f, MTIMECMP(1), 10, 8);
	wr(f, MTIME, 300, 8);
	clint_get_state(f->c, hs, &off);

	struct fake *g = calloc(1, sizeof(*g));
	assert_non_null(g);
	g->time = 1000;
	g->c = clint_new(NHARTS, fake_now, fake_mip, g);
	g->d = clint_mmio(g->c);
	clint_set_state(g->c, hs, off);
	assert_int_equal(g->msip[2], 1);
	assert_int_equal(g->mtip[1], 1);
	assert_int_equal(g->mtip[0], 0);
	assert_int_equal(rd(g, MTIME, 8), 300);
	assert_int_equal(rd(g, MTIMECMP(0), 8), 1100);
	clint_free(g->c);
	free(g);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mmio_region_is_qemu_virt),
		T(test_reset_mtimecmp_is_max_and_nothing_signalled),
		T(test_new_rejects_bad_hart_counts),
		T(test_msip_write_raises_and_lowers_msip),
		T(test_msip_only_bit0_writable),
		T(test_msip_out_of_range_hart_ignored),
		T(test_msip_doubleword_access_covers_two_harts),
		T(test_msip_word_write_leaves_neighbour_alone),
		T(test_mtimecmp_past_value_raises_mtip),
		T(test_mtimecmp_equal_to_mtime_raises_mtip),
		T(test_mtimecmp_future_value_lowers_mtip),
		T(test_mtip_stays_raised_until_mtimecmp_written),
		T(test_mtimecmp_half_writes),
		T(test_mtimecmp_low_half_write_can_fire),
		T(test_mtimecmp_byte_access),
		T(test_mtimecmp_out_of_range_hart_ignored),
		T(test_mtime_reads_time_callback),
		T(test_mtime_write_continues_from_written_value),
		T(test_mtime_high_half_write_keeps_low_half),
		T(test_mtime_write_reevaluates_mtip),
		T(test_mtimecmp_compares_against_written_mtime),
		T(test_update_timers_raises_due_harts),
		T(test_update_timers_returns_earliest_future_mtimecmp),
		T(test_update_timers_signals_only_changes),
		T(test_update_timers_deadline_on_callback_clock),
		T(test_update_timers_far_deadline_never_wraps),
		T(test_undecoded_offsets_read_zero),
		T(test_reset_lowers_everything),
		T(test_state_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
