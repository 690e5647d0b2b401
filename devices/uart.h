/* uart.h: NS16550A UART (QEMU virt: 0x10000000, reg-shift 0, IRQ 10). */
#ifndef RRV_DEVICES_UART_H
#define RRV_DEVICES_UART_H

#include <stddef.h>
#include <stdint.h>

#include "devices/device.h"

#define UART_BASE 0x10000000ull
#define UART_SIZE 0x100ull
#define UART_IRQ 10
#define UART_CLOCK_HZ 3686400u

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

struct uart;

struct uart *uart_new(uart_tx_fn tx, uart_rx_fn rx, void *io_ctx,
		      dev_irq_fn irq, void *irq_ctx);
void uart_free(struct uart *u);
struct mmio_dev uart_mmio(struct uart *u);

/*
 * Pull pending host input into the receive buffer if it has room and update
 * the interrupt line. Called (under the I/O lock) by whoever learns that input
 * arrived; register reads of RBR/LSR/IIR also pull on their own.
 */
void uart_poll_input(struct uart *u);

#endif /* RRV_DEVICES_UART_H */
