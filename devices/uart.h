/* uart.h: NS16550A UART (QEMU virt: 0x10000000, reg-shift 0, IRQ 10). */
#ifndef RRV_DEVICES_UART_H
#define RRV_DEVICES_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/device.h"

#define UART_BASE 0x10000000ull
#define UART_SIZE 0x100ull
#define UART_IRQ 10
#define UART_CLOCK_HZ 3686400u
#define UART_FIFO_SIZE 16

/* Where transmitted bytes go: called once per byte the guest writes to THR. */
typedef void (*uart_tx_fn)(void *ctx, uint8_t byte);

/*
 * Where received bytes come from. The UART asks for at most `max` bytes when
 * its receive buffer has room (FIFO enabled: up to 16; disabled: 1), and only
 * then: host input waits in the caller's queue until the guest drains the
 * UART, so no byte is ever dropped (unlike QEMU, whose 16550 overruns).
 * Returns the number of bytes written into buf (0 = nothing available now).
 */
typedef size_t (*uart_rx_fn)(void *ctx, uint8_t *buf, size_t max);

/* Give back bytes that were pulled but never read (RX FIFO reset): they
 * go to the front of the caller's queue, in order. */
typedef void (*uart_rx_return_fn)(void *ctx, const uint8_t *buf, size_t n);

struct uart;

struct uart *uart_new(uart_tx_fn tx, uart_rx_fn rx, void *io_ctx,
		      dev_irq_fn irq, void *irq_ctx);
void uart_free(struct uart *u);
struct mmio_dev uart_mmio(struct uart *u);

void uart_set_rx_return(struct uart *u, uart_rx_return_fn fn);

/*
 * Pull pending host input into the receive buffer if it has room and update
 * the interrupt line. Called (under the I/O lock) by whoever learns that input
 * arrived; register reads of RBR/LSR/IIR also pull on their own.
 */
void uart_poll_input(struct uart *u);

/*
 * Fault injection (--inject uart-stuck-irq): the buggy pseudo-UART whose
 * interrupt output stays asserted while any interrupt is enabled in IER,
 * whether or not IIR has one to report ("no interrupt pending"). A
 * function of IER alone, so snapshots and replay need no state for it.
 */
void uart_set_stuck_irq(struct uart *u, bool stuck);

/* Back to the datasheet's master-reset state (guest reset request). */
void uart_reset(struct uart *u);

/*
 * Everything guest-visible about the UART, as plain data, for snapshots
 * (DESIGN.md §7). The interrupt output is not stored: it is a function of
 * this state, and uart_set_state() signals it through the irq callback if it
 * differs from the current output.
 */
struct uart_state {
	uint8_t rx[UART_FIFO_SIZE];	/* receive buffer (ring) */
	uint8_t rx_err[UART_FIFO_SIZE];	/* per byte: LSR BI/FE/PE bits */
	uint8_t rx_head, rx_count;
	uint8_t ier, lcr, mcr, fcr, scr, dll, dlm, msr;
	uint8_t lsr_err;	/* sticky LSR OE/PE/FE/BI, cleared by LSR read */
	bool fifo_err;		/* LSR bit 7 */
	bool thre_pending;	/* THRE interrupt condition (before IER) */
	bool rx_dry;		/* last pull got less than it asked for */
};

void uart_get_state(const struct uart *u, struct uart_state *s);
void uart_set_state(struct uart *u, const struct uart_state *s);

#endif /* RRV_DEVICES_UART_H */
