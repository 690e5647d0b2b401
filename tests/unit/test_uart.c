/* test_uart.c: NS16550A tests: registers, FIFO, input pulling, interrupts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/uart.h"

enum { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2,
       LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

/* Fake host side: a transmit log, an input queue and the interrupt line. */
struct fake {
	uint8_t out[256];
	size_t nout;
	uint8_t in[256];
	size_t in_head, in_len;
	unsigned rx_calls;
	size_t last_max;
	int irq_level;
	unsigned irq_calls;
	struct uart *u;
	struct mmio_dev d;
};

static void fake_tx(void *ctx, uint8_t byte)
{
	struct fake *f = ctx;
	if (f->nout < sizeof(f->out))
		f->out[f->nout++] = byte;
}

static size_t fake_rx(void *ctx, uint8_t *buf, size_t max)
{
	struct fake *f = ctx;
	size_t n = 0;
	f->rx_calls++;
	f->last_max = max;
	while (n < max && f->in_head < f->in_len)
		buf[n++] = f->in[f->in_head++];
	return n;
}

static void fake_irq(void *ctx, int level)
{
	struct fake *f = ctx;
	f->irq_level = level;
	f->irq_calls++;
}

static void fake_rx_return(void *ctx, const uint8_t *buf, size_t n)
{
	struct fake *f = ctx;
	assert_true(n <= f->in_head);
	f->in_head -= n;
	assert_memory_equal(f->in + f->in_head, buf, n);
}

static void queue_input(struct fake *f, const char *s)
{
	size_t n = strlen(s);
	assert_true(f->in_len + n <= sizeof(f->in));
	memcpy(f->in + f->in_len, s, n);
	f->in_len += n;
}

static uint8_t rd(struct fake *f, uint64_t off)
{
	return (uint8_t)f->d.read(f->d.opaque, off, 1);
}

static void wr(struct fake *f, uint64_t off, uint8_t val)
{
	f->d.write(f->d.opaque, off, val, 1);
}

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->u = uart_new(fake_tx, fake_rx, f, fake_irq, f);
	assert_non_null(f->u);
	f->d = uart_mmio(f->u);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;
	uart_free(f->u);
	free(f);
	return 0;
}

/* ---- reset and plain registers ---- */

static void test_reset_values_match_datasheet(void **state)
{
	struct fake *f = *state;
	assert_int_equal(rd(f, LSR), 0x60);
	assert_int_equal(rd(f, IIR), 0x01);
	assert_int_equal(rd(f, IER), 0);
	assert_int_equal(rd(f, LCR), 0);
	assert_int_equal(rd(f, MCR), 0);
	assert_int_equal(rd(f, MSR), 0xb0);
	assert_int_equal(f->irq_calls, 0);
}

static void test_mmio_region_is_qemu_virt(void **state)
{
	struct fake *f = *state;
	assert_int_equal(f->d.base, 0x10000000);
	assert_int_equal(f->d.size, 0x100);
	assert_ptr_equal(f->d.opaque, f->u);
}

static void test_scr_is_plain_read_write(void **state)
{
	struct fake *f = *state;
	wr(f, SCR, 0xa5);
	assert_int_equal(rd(f, SCR), 0xa5);
	assert_int_equal(f->rx_calls, 0);
}

static void test_ier_upper_bits_read_zero(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0xff);
	assert_int_equal(rd(f, IER), 0x0f);
}

static void test_mcr_upper_bits_read_zero(void **state)
{
	struct fake *f = *state;
	wr(f, MCR, 0xff);
	assert_int_equal(rd(f, MCR), 0x1f);
}

static void test_dlab_selects_divisor_latch(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x05);
	wr(f, LCR, 0x83);
	wr(f, DLL, 0x12);
	wr(f, DLM, 0x34);
	assert_int_equal(rd(f, DLL), 0x12);
	assert_int_equal(rd(f, DLM), 0x34);
	assert_int_equal(f->nout, 0); /* DLL write is not a THR write */
	wr(f, LCR, 0x03);
	assert_int_equal(rd(f, IER), 0x05);
	wr(f, LCR, 0x83);
	assert_int_equal(rd(f, DLL), 0x12);
}

static void test_dll_read_does_not_consume_input(void **state)
{
	struct fake *f = *state;
	queue_input(f, "x");
	wr(f, LCR, 0x80);
	rd(f, DLL);
	assert_int_equal(f->rx_calls, 0);
	wr(f, LCR, 0x00);
	assert_int_equal(rd(f, RBR), 'x');
}

static void test_wide_access_uses_low_byte(void **state)
{
	struct fake *f = *state;
	f->d.write(f->d.opaque, SCR, 0xdeadbe42, 4);
	assert_int_equal(f->d.read(f->d.opaque, SCR, 4), 0x42);
	f->d.write(f->d.opaque, THR, 0x1122334455667741ull, 8);
	assert_int_equal(f->nout, 1);
	assert_int_equal(f->out[0], 0x41);
	assert_int_equal(f->d.read(f->d.opaque, LSR, 2), 0x60);
}

static void test_undecoded_offset_reads_zero_and_ignores_writes(void **state)
{
	struct fake *f = *state;
	f->d.write(f->d.opaque, 0x10, 0x55, 1);
	f->d.write(f->d.opaque, 0xf8, 0x55, 8);
	assert_int_equal(f->d.read(f->d.opaque, 0x10, 1), 0);
	assert_int_equal(f->d.read(f->d.opaque, 0xf8, 8), 0);
	assert_int_equal(f->nout, 0);
	assert_int_equal(rd(f, LSR), 0x60);
}

/* ---- transmit and the THRE interrupt ---- */

static void test_thr_write_transmits_byte(void **state)
{
	struct fake *f = *state;
	wr(f, THR, 'h');
	wr(f, THR, 'i');
	assert_int_equal(f->nout, 2);
	assert_memory_equal(f->out, "hi", 2);
}

static void test_thre_and_temt_set_right_after_transmit(void **state)
{
	struct fake *f = *state;
	wr(f, THR, 'a');
	assert_int_equal(rd(f, LSR) & 0x60, 0x60);
}

static void test_thre_interrupt_raised_when_etbei_enabled(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x02);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0x02);
}

static void test_iir_read_clears_thre_interrupt(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x02);
	assert_int_equal(rd(f, IIR), 0x02);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0x01);
}

static void test_thr_write_rearms_thre_interrupt(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x02);
	rd(f, IIR);
	wr(f, THR, 'x');
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0x02);
}

static void test_etbei_reenable_raises_thre_again(void **state)
{
	struct fake *f = *state;
	/* The sequence Linux's serial8250_do_startup uses to probe. */
	wr(f, IER, 0x02);
	assert_int_equal(rd(f, IIR) & 0x0f, 0x02);
	wr(f, IER, 0x00);
	wr(f, IER, 0x02);
	assert_int_equal(rd(f, IIR) & 0x0f, 0x02);
}

static void test_etbei_rewrite_without_change_does_not_rearm(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x02);
	rd(f, IIR);
	wr(f, IER, 0x02);
	assert_int_equal(rd(f, IIR), 0x01);
}

static void test_thre_masked_when_etbei_disabled(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x02);
	wr(f, IER, 0x00);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0x01);
}

static void test_iir_read_keeps_thre_when_rx_reported(void **state)
{
	struct fake *f = *state;
	queue_input(f, "a");
	wr(f, IER, 0x03);
	assert_int_equal(rd(f, IIR), 0x04);
	assert_int_equal(rd(f, RBR), 'a');
	assert_int_equal(rd(f, IIR), 0x02);
}

/* ---- receive ---- */

static void test_rx_pulls_only_on_rbr_lsr_iir_reads(void **state)
{
	struct fake *f = *state;
	queue_input(f, "q");
	rd(f, SCR);
	rd(f, IER);
	rd(f, LCR);
	rd(f, MCR);
	rd(f, MSR);
	wr(f, SCR, 1);
	wr(f, IER, 0x01);
	assert_int_equal(f->rx_calls, 0);
	assert_int_equal(f->irq_level, 0);
	rd(f, LSR);
	assert_int_equal(f->rx_calls, 1);
	rd(f, IIR);
	assert_int_equal(f->rx_calls, 1); /* holding register full: no ask */
}

static void test_lsr_dr_set_while_byte_held(void **state)
{
	struct fake *f = *state;
	assert_int_equal(rd(f, LSR) & 0x01, 0);
	queue_input(f, "z");
	assert_int_equal(rd(f, LSR) & 0x01, 1);
	assert_int_equal(rd(f, LSR) & 0x01, 1);
	assert_int_equal(rd(f, RBR), 'z');
	assert_int_equal(rd(f, LSR) & 0x01, 0);
}

static void test_rx_asks_one_byte_with_fifo_disabled(void **state)
{
	struct fake *f = *state;
	queue_input(f, "abc");
	rd(f, LSR);
	assert_int_equal(f->last_max, 1);
	assert_int_equal(f->in_head, 1);
}

static void test_rx_never_drops_input_with_fifo_disabled(void **state)
{
	struct fake *f = *state;
	const char *msg = "hello, world";
	char got[32] = { 0 };
	size_t n = 0;
	queue_input(f, msg);
	for (int i = 0; i < 100 && n < strlen(msg); i++) {
		uart_poll_input(f->u); /* extra polls must not overrun */
		if (rd(f, LSR) & 0x01)
			got[n++] = (char)rd(f, RBR);
	}
	assert_string_equal(got, msg);
	assert_int_equal(rd(f, LSR) & 0x02, 0);
}

static void test_rx_fifo_asks_for_free_space(void **state)
{
	struct fake *f = *state;
	wr(f, FCR, 0x01);
	queue_input(f, "0123456789");
	rd(f, LSR);
	assert_int_equal(f->last_max, 16);
	rd(f, RBR);
	rd(f, RBR);
	rd(f, LSR);
	assert_int_equal(f->last_max, 16 - 8);
}

static void test_rx_never_drops_input_with_fifo_enabled(void **state)
{
	struct fake *f = *state;
	char msg[41];
	char got[41] = { 0 };
	size_t n = 0;
	for (int i = 0; i < 40; i++)
		msg[i] = (char)('A' + i % 26);
	msg[40] = 0;
	wr(f, FCR, 0xc1);
	queue_input(f, msg);
	for (int i = 0; i < 5; i++)
		uart_poll_input(f->u);
	while (n < 40 && (rd(f, LSR) & 0x01))
		got[n++] = (char)rd(f, RBR);
	assert_string_equal(got, msg);
}

static void test_rbr_read_on_empty_returns_zero(void **state)
{
	struct fake *f = *state;
	assert_int_equal(rd(f, RBR), 0);
	assert_int_equal(rd(f, LSR), 0x60);
}

static void test_rx_interrupt_without_fifo_when_data_ready(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x01);
	queue_input(f, "k");
	uart_poll_input(f->u);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0x04);
	rd(f, RBR);
	assert_int_equal(f->irq_level, 0);
}

static void test_rx_interrupt_masked_without_erbfi(void **state)
{
	struct fake *f = *state;
	queue_input(f, "k");
	uart_poll_input(f->u);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0x01);
}

static void test_rda_interrupt_at_trigger_level(void **state)
{
	struct fake *f = *state;
	wr(f, FCR, 0x41); /* trigger 4 */
	wr(f, IER, 0x01);
	queue_input(f, "abcd");
	uart_poll_input(f->u);
	assert_int_equal(rd(f, IIR), 0xc4);
}

static void test_trigger_levels_are_1_4_8_14(void **state)
{
	struct fake *f = *state;
	static const uint8_t fcr[4] = { 0x01, 0x41, 0x81, 0xc1 };
	static const unsigned level[4] = { 1, 4, 8, 14 };
	wr(f, IER, 0x01);
	for (int i = 0; i < 4; i++) {
		wr(f, FCR, fcr[i] | 0x02);
		f->in_head = f->in_len = 0;
		for (unsigned k = 0; k < level[i]; k++)
			queue_input(f, "x");
		uart_poll_input(f->u);
		assert_int_equal(rd(f, IIR), 0xc4);
		rd(f, RBR); /* one below the trigger: timeout instead */
		assert_int_equal(rd(f, IIR), level[i] > 1 ? 0xcc : 0xc1);
	}
}

static void test_timeout_indication_below_trigger(void **state)
{
	struct fake *f = *state;
	wr(f, FCR, 0x81); /* trigger 8 */
	wr(f, IER, 0x01);
	queue_input(f, "abc");
	uart_poll_input(f->u);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0xcc);
}

static void test_rbr_read_clears_timeout(void **state)
{
	struct fake *f = *state;
	wr(f, FCR, 0x81);
	wr(f, IER, 0x01);
	queue_input(f, "abc");
	uart_poll_input(f->u);
	assert_int_equal(rd(f, RBR), 'a');
	assert_int_equal(f->irq_level, 0);
	/* The source is still dry at the next pull: timeout again. */
	assert_int_equal(rd(f, IIR), 0xcc);
}

static void test_timeout_ends_when_fifo_drained(void **state)
{
	struct fake *f = *state;
	wr(f, FCR, 0x81);
	wr(f, IER, 0x01);
	queue_input(f, "ab");
	uart_poll_input(f->u);
	while (rd(f, LSR) & 0x01)
		rd(f, RBR);
	assert_int_equal(rd(f, IIR), 0xc1);
	assert_int_equal(f->irq_level, 0);
}

static void test_fcr_clears_rx_fifo(void **state)
{
	struct fake *f = *state;
	wr(f, FCR, 0x01);
	queue_input(f, "abc");
	uart_poll_input(f->u);
	wr(f, FCR, 0x03);
	assert_int_equal(f->in_head, 3);
	/* Cleared, then refilled at once: the source is empty now. */
	assert_int_equal(f->rx_calls, 3); /* FIFO on, poll, reset */
	assert_int_equal(rd(f, LSR) & 0x01, 0);
}

static void test_fifo_enable_toggle_clears_rx(void **state)
{
	struct fake *f = *state;
	queue_input(f, "a");
	uart_poll_input(f->u);
	wr(f, FCR, 0x01);
	assert_int_equal(rd(f, LSR) & 0x01, 0);
}

static void test_iir_fifo_bits_reflect_fcr(void **state)
{
	struct fake *f = *state;
	wr(f, FCR, 0x01);
	assert_int_equal(rd(f, IIR), 0xc1);
	wr(f, FCR, 0x00);
	assert_int_equal(rd(f, IIR), 0x01);
}

static void test_fcr_other_bits_need_fifo_enable(void **state)
{
	struct fake *f = *state;
	wr(f, FCR, 0xc0); /* trigger 14 without FCR0: not programmed */
	wr(f, FCR, 0x01);
	wr(f, IER, 0x01);
	queue_input(f, "a");
	uart_poll_input(f->u);
	assert_int_equal(rd(f, IIR), 0xc4); /* trigger still 1 */
}

static void test_poll_input_raises_irq(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x01);
	assert_int_equal(f->irq_calls, 0);
	queue_input(f, "p");
	uart_poll_input(f->u);
	assert_int_equal(f->irq_calls, 1);
	assert_int_equal(f->irq_level, 1);
}

static void test_irq_callback_only_on_change(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x02);
	assert_int_equal(f->irq_calls, 1);
	wr(f, THR, 'a');
	wr(f, THR, 'b');
	wr(f, SCR, 3);
	rd(f, LSR);
	assert_int_equal(f->irq_calls, 1);
	rd(f, IIR);
	assert_int_equal(f->irq_calls, 2);
	assert_int_equal(f->irq_level, 0);
}

/* ---- line status ---- */

static void test_lsr_read_clears_overrun(void **state)
{
	struct fake *f = *state;
	wr(f, MCR, 0x10);
	wr(f, THR, '1');
	wr(f, THR, '2'); /* no FIFO: overwrites the unread byte */
	uint8_t lsr = rd(f, LSR);
	assert_int_equal(lsr & 0x03, 0x03);
	assert_int_equal(rd(f, LSR) & 0x02, 0);
	assert_int_equal(rd(f, RBR), '2');
}

static void test_overrun_in_fifo_mode_keeps_fifo_contents(void **state)
{
	struct fake *f = *state;
	wr(f, FCR, 0x01);
	wr(f, MCR, 0x10);
	for (int i = 0; i < 17; i++)
		wr(f, THR, (uint8_t)i);
	assert_int_equal(rd(f, LSR) & 0x02, 0x02);
	for (int i = 0; i < 16; i++)
		assert_int_equal(rd(f, RBR), i);
	assert_int_equal(rd(f, LSR) & 0x01, 0);
}

static void test_line_status_interrupt_has_top_priority(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x0f);
	wr(f, MCR, 0x10 | 0x02); /* loopback; RTS change: modem delta */
	wr(f, THR, 'a');
	wr(f, THR, 'b');
	assert_int_equal(rd(f, IIR), 0x06);
	rd(f, LSR);
	assert_int_equal(rd(f, IIR), 0x04);
	rd(f, RBR);
	assert_int_equal(rd(f, IIR), 0x02);
	assert_int_equal(rd(f, IIR), 0x00);
	rd(f, MSR);
	assert_int_equal(rd(f, IIR), 0x01);
	assert_int_equal(f->irq_level, 0);
}

static void test_loopback_break_sets_bi_and_fifo_error(void **state)
{
	struct fake *f = *state;
	wr(f, FCR, 0x01);
	wr(f, MCR, 0x10);
	wr(f, THR, 'a');
	wr(f, LCR, 0x43);
	uint8_t lsr = rd(f, LSR);
	assert_int_equal(lsr & 0x10, 0); /* BI not yet at the top */
	assert_int_equal(lsr & 0x80, 0x80);
	assert_int_equal(rd(f, RBR), 'a');
	lsr = rd(f, LSR);
	assert_int_equal(lsr & 0x11, 0x11);
	assert_int_equal(lsr & 0x80, 0x80); /* sticky until this read */
	assert_int_equal(rd(f, RBR), 0);
	assert_int_equal(rd(f, LSR), 0x60);
}

/* ---- modem control / status and loopback ---- */

static void test_loopback_routes_tx_to_rx(void **state)
{
	struct fake *f = *state;
	wr(f, MCR, 0x10);
	wr(f, THR, 'L');
	assert_int_equal(f->nout, 0);
	assert_int_equal(rd(f, LSR) & 0x01, 1);
	assert_int_equal(rd(f, RBR), 'L');
	wr(f, MCR, 0x00);
	wr(f, THR, 'T');
	assert_int_equal(f->nout, 1);
	assert_int_equal(f->out[0], 'T');
}

static void test_loopback_leaves_host_input_queued(void **state)
{
	struct fake *f = *state;
	queue_input(f, "h");
	wr(f, MCR, 0x10);
	rd(f, LSR);
	rd(f, IIR);
	uart_poll_input(f->u);
	assert_int_equal(f->rx_calls, 0);
	wr(f, MCR, 0x00);
	assert_int_equal(rd(f, LSR) & 0x01, 1);
	assert_int_equal(rd(f, RBR), 'h');
}

static void test_loopback_msr_reflects_mcr(void **state)
{
	struct fake *f = *state;
	wr(f, MCR, 0x10 | 0x02); /* RTS -> CTS */
	assert_int_equal(rd(f, MSR) & 0xf0, 0x10);
	wr(f, MCR, 0x10 | 0x01); /* DTR -> DSR */
	assert_int_equal(rd(f, MSR) & 0xf0, 0x20);
	wr(f, MCR, 0x10 | 0x04); /* OUT1 -> RI */
	assert_int_equal(rd(f, MSR) & 0xf0, 0x40);
	wr(f, MCR, 0x10 | 0x08); /* OUT2 -> DCD */
	assert_int_equal(rd(f, MSR) & 0xf0, 0x80);
	wr(f, MCR, 0x00);
	assert_int_equal(rd(f, MSR) & 0xf0, 0xb0);
}

static void test_msr_deltas_set_and_cleared_by_read(void **state)
{
	struct fake *f = *state;
	wr(f, MCR, 0x10 | 0x0f); /* CTS DSR RI DCD all asserted */
	assert_int_equal(rd(f, MSR), 0xf0); /* only RI changed: it rose */
	wr(f, MCR, 0x10); /* all drop */
	assert_int_equal(rd(f, MSR), 0x0f);
	assert_int_equal(rd(f, MSR), 0x00);
}

static void test_teri_only_on_ri_trailing_edge(void **state)
{
	struct fake *f = *state;
	wr(f, MCR, 0x10);
	rd(f, MSR);
	wr(f, MCR, 0x14); /* RI rises */
	assert_int_equal(rd(f, MSR) & 0x0f, 0);
	wr(f, MCR, 0x10); /* RI falls */
	assert_int_equal(rd(f, MSR) & 0x0f, 0x04);
}

static void test_modem_status_interrupt(void **state)
{
	struct fake *f = *state;
	wr(f, IER, 0x08);
	wr(f, MCR, 0x10);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, IIR), 0x00);
	rd(f, MSR);
	assert_int_equal(f->irq_level, 0);
}

/* ---- reset and snapshots ---- */

static void test_reset_restores_defaults(void **state)
{
	struct fake *f = *state;
	wr(f, LCR, 0x83);
	wr(f, FCR, 0x01);
	wr(f, MCR, 0x1f);
	wr(f, LCR, 0x03);
	wr(f, IER, 0x02);
	assert_int_equal(f->irq_level, 1);
	uart_reset(f->u);
	assert_int_equal(f->irq_level, 0);
	assert_int_equal(rd(f, IIR), 0x01);
	assert_int_equal(rd(f, LCR), 0);
	assert_int_equal(rd(f, MCR), 0);
	assert_int_equal(rd(f, MSR), 0xb0);
}

static void test_state_roundtrip(void **state)
{
	struct fake *f = *state;
	struct uart_state s;
	wr(f, FCR, 0x81);
	wr(f, IER, 0x01);
	queue_input(f, "snap");
	uart_poll_input(f->u);
	uart_get_state(f->u, &s);

	struct fake *g = calloc(1, sizeof(*g));
	assert_non_null(g);
	g->u = uart_new(fake_tx, fake_rx, g, fake_irq, g);
	g->d = uart_mmio(g->u);
	uart_set_state(g->u, &s);
	assert_int_equal(g->irq_level, 1);
	assert_int_equal(rd(g, IIR), 0xcc);
	assert_int_equal(rd(g, RBR), 's');
	assert_int_equal(rd(g, RBR), 'n');
	assert_int_equal(rd(g, RBR), 'a');
	assert_int_equal(rd(g, RBR), 'p');
	uart_free(g->u);
	free(g);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

static void test_fifo_reset_gives_unread_input_back(void **state)
{
	struct fake *f = *state;
	uart_set_rx_return(f->u, fake_rx_return);
	wr(f, FCR, 0x01);
	queue_input(f, "hello");
	(void)rd(f, LSR);          /* pulls all five bytes */
	assert_int_equal(rd(f, RBR), 'h');
	wr(f, FCR, 0x03);          /* driver start-up: reset the RX FIFO */
	/* "ello" was never read: it is received again, nothing is lost. */
	assert_int_equal(rd(f, RBR), 'e');
	assert_int_equal(rd(f, RBR), 'l');
	assert_int_equal(rd(f, RBR), 'l');
	assert_int_equal(rd(f, RBR), 'o');
	assert_int_equal(rd(f, LSR) & 1, 0);
}

static void test_fifo_reset_refills_and_interrupts_without_a_read(void **state)
{
	struct fake *f = *state;
	uart_set_rx_return(f->u, fake_rx_return);
	wr(f, IER, 0x01);
	queue_input(f, "x");
	uart_poll_input(f->u);
	assert_int_equal(f->irq_level, 1);
	/* An interrupt-driven guest resets the FIFO and only then waits for
	 * the interrupt: the byte given back must come in again by itself. */
	wr(f, FCR, 0x07);
	assert_int_equal(f->irq_level, 1);
	assert_int_equal(rd(f, RBR), 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_values_match_datasheet),
		T(test_fifo_reset_gives_unread_input_back),
		T(test_fifo_reset_refills_and_interrupts_without_a_read),
		T(test_mmio_region_is_qemu_virt),
		T(test_scr_is_plain_read_write),
		T(test_ier_upper_bits_read_zero),
		T(test_mcr_upper_bits_read_zero),
		T(test_dlab_selects_divisor_latch),
		T(test_dll_read_does_not_consume_input),
		T(test_wide_access_uses_low_byte),
		T(test_undecoded_offset_reads_zero_and_ignores_writes),
		T(test_thr_write_transmits_byte),
		T(test_thre_and_temt_set_right_after_transmit),
		T(test_thre_interrupt_raised_when_etbei_enabled),
		T(test_iir_read_clears_thre_interrupt),
		T(test_thr_write_rearms_thre_interrupt),
		T(test_etbei_reenable_raises_thre_again),
		T(test_etbei_rewrite_without_change_does_not_rearm),
		T(test_thre_masked_when_etbei_disabled),
		T(test_iir_read_keeps_thre_when_rx_reported),
		T(test_rx_pulls_only_on_rbr_lsr_iir_reads),
		T(test_lsr_dr_set_while_byte_held),
		T(test_rx_asks_one_byte_with_fifo_disabled),
		T(test_rx_never_drops_input_with_fifo_disabled),
		T(test_rx_fifo_asks_for_free_space),
		T(test_rx_never_drops_input_with_fifo_enabled),
		T(test_rbr_read_on_empty_returns_zero),
		T(test_rx_interrupt_without_fifo_when_data_ready),
		T(test_rx_interrupt_masked_without_erbfi),
		T(test_rda_interrupt_at_trigger_level),
		T(test_trigger_levels_are_1_4_8_14),
		T(test_timeout_indication_below_trigger),
		T(test_rbr_read_clears_timeout),
		T(test_timeout_ends_when_fifo_drained),
		T(test_fcr_clears_rx_fifo),
		T(test_fifo_enable_toggle_clears_rx),
		T(test_iir_fifo_bits_reflect_fcr),
		T(test_fcr_other_bits_need_fifo_enable),
		T(test_poll_input_raises_irq),
		T(test_irq_callback_only_on_change),
		T(test_lsr_read_clears_overrun),
		T(test_overrun_in_fifo_mode_keeps_fifo_contents),
		T(test_line_status_interrupt_has_top_priority),
		T(test_loopback_break_sets_bi_and_fifo_error),
		T(test_loopback_routes_tx_to_rx),
		T(test_loopback_leaves_host_input_queued),
		T(test_loopback_msr_reflects_mcr),
		T(test_msr_deltas_set_and_cleared_by_read),
		T(test_teri_only_on_ri_trailing_edge),
		T(test_modem_status_interrupt),
		T(test_reset_restores_defaults),
		T(test_state_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
