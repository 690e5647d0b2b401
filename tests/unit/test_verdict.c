/* test_verdict.c: the console crash watcher and the verdict's END text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/crash_text.h"
#include "core/verdict.h"

static struct crash_text *fed(const char *out)
{
	static struct crash_text c;
	crash_text_init(&c);
	for (const char *p = out; *p; p++)
		crash_text_feed(&c, (uint8_t)*p);
	return &c;
}

static void test_ordinary_boot_output_is_no_crash(void **state)
{
	(void)state;
	struct crash_text *c = fed("[    0.000000] Linux version 6.1\r\n"
				   "[    0.1] rcu: Hierarchical RCU implementation.\n"
				   "Warning: not a kernel line\nWARNING without colon\n");
	assert_false(c->seen);
	crash_text_finish(c);
	assert_false(c->done);
}

static void test_each_linux_crash_line_names_its_kind(void **state)
{
	(void)state;
	static const struct { const char *line, *kind; } cases[] = {
		{ "[   12.345678] Kernel panic - not syncing: VFS\n", "panic" },
		{ "[    1.0] Oops [#1]\n", "oops" },
		{ "Oops - illegal instruction [#1]\n", "oops" },
		{ "[    2.0] BUG: spinlock lockup suspected on CPU#0\n", "bug" },
		{ "kernel BUG at mm/slub.c:42!\n", "bug" },
		{ "[    3.0][    T1] WARNING: CPU: 0 PID: 1 at kernel/x.c:9 f+0x1/0x2\n", "warning" },
		{ "[ 4.0] rcu: INFO: rcu_sched self-detected stall on CPU\n", "rcu-stall" },
		{ "[ 5.0] irq 10: nobody cared (try booting with the \"irqpoll\" option)\n",
		  "nobody-cared" },
		{ "[ 6.0] Unable to handle kernel NULL pointer dereference at virtual "
		  "address 0000000000000000\n", "kernel-fault" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crash_text *c = fed(cases[i].line);
		assert_true(c->seen);
		assert_string_equal(c->kind, cases[i].kind);
	}
}

static void test_text_is_the_crash_line_and_what_follows(void **state)
{
	(void)state;
	struct crash_text *c = fed("booting\nKernel panic - not syncing: x\nCPU: 0\tPID: 1\n"
				   "---[ end Kernel panic - not syncing: x ]---\nafter\n");
	assert_true(c->done);
	assert_string_equal(c->text, "Kernel panic - not syncing: x\nCPU: 0 PID: 1\n"
			    "---[ end Kernel panic - not syncing: x ]---");
}

static void test_text_stops_at_the_line_limit(void **state)
{
	(void)state;
	struct crash_text c;
	crash_text_init(&c);
	const char *first = "BUG: soft lockup\n";
	for (const char *p = first; *p; p++)
		crash_text_feed(&c, (uint8_t)*p);
	bool done = false;
	for (int i = 0; i < 100 && !done; i++)
		for (const char *p = "more\n"; *p; p++)
			done |= crash_text_feed(&c, (uint8_t)*p);
	assert_true(c.done);
	assert_int_equal(c.lines, CRASH_TEXT_LINES);
}

static void test_an_unfinished_last_line_joins_at_the_end(void **state)
{
	(void)state;
	struct crash_text *c = fed("Oops [#1]\nno newline");
	assert_false(c->done);
	crash_text_finish(c);
	assert_true(c->done);
	assert_string_equal(c->text, "Oops [#1]\nno newline");
}

static void test_control_bytes_do_not_reach_the_text(void **state)
{
	(void)state;
	struct crash_text *c = fed("BUG: a\x1b[0mb\n");
	assert_string_equal(c->text, "BUG: a?[0mb");
}

static void round_trip(const struct verdict *v, struct verdict *out)
{
	char buf[8192];
	verdict_format(v, buf, sizeof(buf));
	assert_int_equal(strncmp(buf, "end=", 4), 0);
	verdict_parse(buf, out);
}

static void test_every_kind_round_trips_through_end_text(void **state)
{
	(void)state;
	struct verdict *v = calloc(1, sizeof(*v)), *w = calloc(1, sizeof(*w));
	assert_non_null(v);
	assert_non_null(w);
	for (unsigned k = 1; k < VERDICT_KINDS; k++) {
		memset(v, 0, sizeof(*v));
		v->kind = (enum verdict_kind)k;
		round_trip(v, w);
		assert_int_equal(w->kind, k);
	}
	*v = (struct verdict){ .kind = VERDICT_TRAP_LOOP, .hart = 3, .cause = 2,
			       .pc = 0x80001234, .tval = 0x73, .icount = 99, .repeats = 10000 };
	round_trip(v, w);
	assert_int_equal(w->hart, 3);
	assert_int_equal(w->cause, 2);
	assert_int_equal(w->pc, 0x80001234);
	assert_int_equal(w->tval, 0x73);
	assert_int_equal(w->icount, 99);
	assert_int_equal(w->repeats, 10000);
	*v = (struct verdict){ .kind = VERDICT_INTERRUPTED, .signal = 15 };
	round_trip(v, w);
	assert_int_equal(w->signal, 15);
	*v = (struct verdict){ .kind = VERDICT_CRASH };
	strcpy(v->crash, "panic");
	strcpy(v->text, "Kernel panic - not syncing: x\nline two");
	round_trip(v, w);
	assert_string_equal(w->crash, "panic");
	assert_string_equal(w->text, v->text);
	free(v);
	free(w);
}

static void test_no_text_and_unknown_keys_read_as_unknown_or_skipped(void **state)
{
	(void)state;
	struct verdict v;
	verdict_parse(NULL, &v);
	assert_int_equal(v.kind, VERDICT_UNKNOWN);
	verdict_parse("", &v);
	assert_int_equal(v.kind, VERDICT_UNKNOWN);
	verdict_parse("end=guest-fail\nfuture=1\ncode=3\n", &v);
	assert_int_equal(v.kind, VERDICT_GUEST_FAIL);
	assert_int_equal(v.code, 3);
	verdict_parse("end=something-new\n", &v);
	assert_int_equal(v.kind, VERDICT_UNKNOWN);
}

static void test_exit_statuses_are_distinct_per_verdict(void **state)
{
	(void)state;
	struct verdict v = { .kind = VERDICT_GUEST_FAIL, .code = 3 };
	assert_int_equal(verdict_exit_status(&v), 3);
	v.code = 4000;
	assert_int_equal(verdict_exit_status(&v), 255);
	const enum verdict_kind own[] = { VERDICT_HANG, VERDICT_CRASH, VERDICT_TRAP_LOOP,
					  VERDICT_TIMEOUT, VERDICT_INSN_LIMIT };
	int seen[256] = { 0 };
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		struct verdict o = { .kind = own[i] };
		int st = verdict_exit_status(&o);
		assert_true(st > 2 && st < 128);
		assert_int_equal(seen[st]++, 0);
	}
	struct verdict t = { .kind = VERDICT_INTERRUPTED, .signal = 15 };
	assert_int_equal(verdict_exit_status(&t), 143);
	struct verdict s = { .kind = VERDICT_RRV_CRASH, .signal = 11 };
	assert_int_equal(verdict_exit_status(&s), 139);
}

#define T(f) cmocka_unit_test(f)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ordinary_boot_output_is_no_crash),
		T(test_each_linux_crash_line_names_its_kind),
		T(test_text_is_the_crash_line_and_what_follows),
		T(test_text_stops_at_the_line_limit),
		T(test_an_unfinished_last_line_joins_at_the_end),
		T(test_control_bytes_do_not_reach_the_text),
		T(test_every_kind_round_trips_through_end_text),
		T(test_no_text_and_unknown_keys_read_as_unknown_or_skipped),
		T(test_exit_statuses_are_distinct_per_verdict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
