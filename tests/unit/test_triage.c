/* test_triage.c: triage titles from Linux crash text, and the signature that groups them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "debugger/symbols.h"
#include "debugger/triage.h"

static void check_signature(const char *title, const char *want)
{
	char sig[256];
	triage_signature(title, sig, sizeof(sig));
	assert_string_equal(sig, want);
}

static void test_signature_normalises_addresses_and_numbers(void **state)
{
	(void)state;
	check_signature("instruction access fault at 0x0 called from dispatch_event",
			"instruction access fault at ADDR called from dispatch_event");
	check_signature("guest exit 3 in check_ready", "guest exit N in check_ready");
	check_signature("irq 10: nobody cared", "irq N: nobody cared");
	check_signature("BUG: spinlock bad magic on CPU#12", "BUG: spinlock bad magic on CPU#N");
	check_signature("fault at ffffffff80a65192 in x", "fault at ADDR in x");
	check_signature("Kernel panic: exitcode=0x00000100", "Kernel panic: exitcode=ADDR");
}

static void test_signature_keeps_digits_inside_names(void **state)
{
	(void)state;
	check_signature("load access fault in sha256_update", "load access fault in sha256_update");
	check_signature("trap loop in x86_64_entry2", "trap loop in x86_64_entry2");
	check_signature("hang: all harts idle, no interrupt pending",
			"hang: all harts idle, no interrupt pending");
	check_signature("emulator crash (SIGSEGV)", "emulator crash (SIGSEGV)");
	check_signature("in deadbeef", "in deadbeef");
}

static const char sysrq_panic[] =
	"[   47.834101] Kernel panic - not syncing: sysrq triggered crash\n"
	"[   47.834289] CPU: 2 UID: 0 PID: 161 Comm: sh Not tainted 6.12.117+deb13-riscv64 #1\n"
	"[   47.834627] Call Trace:\n"
	"[   47.834722] [<ffffffff80007020>] dump_backtrace+0x28/0x30\n"
	"[   47.834909] [<ffffffff80a65ed2>] show_stack+0x38/0x44\n"
	"[   47.835057] [<ffffffff80a73ede>] dump_stack_lvl+0x5a/0x7c\n"
	"[   47.835202] [<ffffffff80a73f18>] dump_stack+0x18/0x20\n"
	"[   47.835453] [<ffffffff80a66214>] panic+0x11a/0x35a\n"
	"[   47.835655] [<ffffffff806f7f90>] sysrq_reset_seq_param_set+0x0/0x7e\n"
	"[   47.835821] [<ffffffff806f864c>] __handle_sysrq+0xa4/0x188\n";

static void test_panic_names_the_caller_of_panic_at_pc_minus_1(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	assert_int_equal(sym_add(t, "sysrq_handle_crash", 0xffffffff806f7f70ull, 0x20, SYM_FUNC, true), 0);
	assert_int_equal(sym_add(t, "sysrq_reset_seq_param_set", 0xffffffff806f7f90ull, 0x7e,
				 SYM_FUNC, true), 0);
	char title[256], func[128];
	triage_crash_title("panic", sysrq_panic, t, title, sizeof(title), func, sizeof(func));
	assert_string_equal(title, "Kernel panic in sysrq_handle_crash");
	assert_string_equal(func, "sysrq_handle_crash");
	/* Without symbols the kernel's own (misleading) name is all there is. */
	triage_crash_title("panic", sysrq_panic, NULL, title, sizeof(title), func, sizeof(func));
	assert_string_equal(title, "Kernel panic in sysrq_reset_seq_param_set");
	sym_free(t);
}

static void test_other_crash_kinds_get_syzbot_titles(void **state)
{
	(void)state;
	char title[256], func[128];
	triage_crash_title("kernel-fault",
			   "[    3.1] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008\n"
			   "[    3.2] Oops [#1]\n"
			   "[    3.3]  epc : my_driver_probe+0x1a/0x40\n"
			   "[    3.4]  ra : really_probe+0x10/0x300\n", NULL,
			   title, sizeof(title), func, sizeof(func));
	assert_string_equal(title, "Unable to handle kernel NULL pointer dereference in my_driver_probe");
	triage_crash_title("warning",
			   "[    1.0] WARNING: CPU: 0 PID: 1 at kernel/foo.c:12 foo+0x10/0x20\n"
			   "[    1.1] Call Trace:\n"
			   "[    1.2] [<ffffffff80001000>] dump_backtrace+0x1c/0x24\n"
			   "[    1.3] [<ffffffff80002000>] __warn+0x80/0x100\n"
			   "[    1.4] [<ffffffff80003000>] foo.constprop.0+0x10/0x20\n", NULL,
			   title, sizeof(title), func, sizeof(func));
	assert_string_equal(title, "WARNING in foo");
	triage_crash_title("nobody-cared", "[    9.0] irq 10: nobody cared (try booting with the \"irqpoll\" option)\n",
			   NULL, title, sizeof(title), func, sizeof(func));
	assert_string_equal(title, "irq 10: nobody cared (try booting with the \"irqpoll\" option)");
	triage_crash_title("bug", "BUG: spinlock bad magic on CPU#0, swapper/0\n", NULL,
			   title, sizeof(title), func, sizeof(func));
	assert_string_equal(title, "BUG: spinlock bad magic");
	triage_crash_title("panic", "Kernel panic - not syncing: VFS: Unable to mount root fs\n", NULL,
			   title, sizeof(title), func, sizeof(func));
	assert_string_equal(title, "Kernel panic: VFS: Unable to mount root fs");
	assert_string_equal(func, "");
}

static void test_report_helpers_are_skipped(void **state)
{
	(void)state;
	assert_true(triage_is_report_helper("g_exit"));
	assert_true(triage_is_report_helper("dump_stack_lvl"));
	assert_true(triage_is_report_helper("panic"));
	assert_false(triage_is_report_helper("check_ready"));
	assert_false(triage_is_report_helper("sysrq_handle_crash"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_normalises_addresses_and_numbers),
		cmocka_unit_test(test_signature_keeps_digits_inside_names),
		cmocka_unit_test(test_panic_names_the_caller_of_panic_at_pc_minus_1),
		cmocka_unit_test(test_other_crash_kinds_get_syzbot_titles),
		cmocka_unit_test(test_report_helpers_are_skipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
