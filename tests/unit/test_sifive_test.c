/* test_sifive_test.c: test finisher tests: pass, fail code, reset, ignored writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "devices/sifive_test.h"

struct fake {
	unsigned calls;
	enum sifive_test_kind kind;
	int code;
	struct sifive_test *t;
	struct mmio_dev d;
};

static void fake_exit(void *ctx, enum sifive_test_kind kind, int code)
{
	struct fake *f = ctx;
	f->calls++;
	f->kind = kind;
	f->code = code;
}

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->t = sifive_test_new(fake_exit, f);
	assert_non_null(f->t);
	f->d = sifive_test_mmio(f->t);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;
	sifive_test_free(f->t);
	free(f);
	return 0;
}

static void wr32(struct fake *f, uint64_t off, uint32_t val)
{
	f->d.write(f->d.opaque, off, val, 4);
}

static void test_mmio_region_is_qemu_virt(void **state)
{
	struct fake *f = *state;
	assert_int_equal(f->d.base, 0x100000);
	assert_int_equal(f->d.size, 0x1000);
}

static void test_pass_exits_with_code_zero(void **state)
{
	struct fake *f = *state;
	wr32(f, 0, 0x5555);
	assert_int_equal(f->calls, 1);
	assert_int_equal(f->kind, TEST_EXIT_PASS);
	assert_int_equal(f->code, 0);
}

static void test_pass_ignores_upper_half(void **state)
{
	struct fake *f = *state;
	wr32(f, 0, 0x12345555);
	assert_int_equal(f->kind, TEST_EXIT_PASS);
	assert_int_equal(f->code, 0);
}

static void test_fail_carries_exit_code_from_upper_half(void **state)
{
	struct fake *f = *state;
	wr32(f, 0, (42u << 16) | 0x3333);
	assert_int_equal(f->calls, 1);
	assert_int_equal(f->kind, TEST_EXIT_FAIL);
	assert_int_equal(f->code, 42);
}

static void test_fail_code_is_sixteen_bits(void **state)
{
	struct fake *f = *state;
	wr32(f, 0, 0xffff3333u);
	assert_int_equal(f->kind, TEST_EXIT_FAIL);
	assert_int_equal(f->code, 0xffff);
}

static void test_reset_request(void **state)
{
	struct fake *f = *state;
	wr32(f, 0, 0x7777);
	assert_int_equal(f->calls, 1);
	assert_int_equal(f->kind, TEST_EXIT_RESET);
}

static void test_unknown_value_is_ignored(void **state)
{
	struct fake *f = *state;
	wr32(f, 0, 0x1234);
	wr32(f, 0, 0);
	wr32(f, 0, 0x55550000u);
	assert_int_equal(f->calls, 0);
}

static void test_other_offsets_are_ignored(void **state)
{
	struct fake *f = *state;
	wr32(f, 4, 0x5555);
	wr32(f, 0xffc, 0x5555);
	assert_int_equal(f->calls, 0);
}

static void test_narrow_writes_are_ignored(void **state)
{
	struct fake *f = *state;
	f->d.write(f->d.opaque, 0, 0x5555, 2);
	f->d.write(f->d.opaque, 0, 0x55, 1);
	assert_int_equal(f->calls, 0);
}

static void test_reads_return_zero(void **state)
{
	struct fake *f = *state;
	wr32(f, 0, 0x1234);
	assert_int_equal(f->d.read(f->d.opaque, 0, 4), 0);
	assert_int_equal(f->d.read(f->d.opaque, 8, 8), 0);
	assert_int_equal(f->d.read(f->d.opaque, 3, 1), 0);
	assert_int_equal(f->calls, 0);
}

static void test_null_callback_never_crashes(void **state)
{
	(void)state;
	struct sifive_test *t = sifive_test_new(NULL, NULL);
	assert_non_null(t);
	struct mmio_dev d = sifive_test_mmio(t);
	d.write(d.opaque, 0, 0x5555, 4);
	sifive_test_free(t);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mmio_region_is_qemu_virt),
		T(test_pass_exits_with_code_zero),
		T(test_pass_ignores_upper_half),
		T(test_fail_carries_exit_code_from_upper_half),
		T(test_fail_code_is_sixteen_bits),
		T(test_reset_request),
		T(test_unknown_value_is_ignored),
		T(test_other_offsets_are_ignored),
		T(test_narrow_writes_are_ignored),
		T(test_reads_return_zero),
		T(test_null_callback_never_crashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
