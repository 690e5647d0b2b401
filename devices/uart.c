/* uart.c: NS16550A UART with PC16550D register, FIFO and interrupt semantics. */
#include "devices/uart.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Register offsets (reg-shift 0). */
enum {
	REG_RBR_THR_DLL = 0,
	REG_IER_DLM = 1,
	REG_IIR_FCR = 2,
	REG_LCR = 3,
	REG_MCR = 4,
	REG_LSR = 5,
	REG_MSR = 6,
	REG_SCR = 7,
};

enum {
	IER_ERBFI = 0x01, /* received data available (and timeout) */
	IER_ETBEI = 0x02, /* transmitter holding register empty */
	IER_ELSI = 0x04,  /* receiver line status */
	IER_EDSSI = 0x08, /* modem status */
	IER_MASK = 0x0f,  /* bits 7:4 are always 0 (datasheet table 2) */

	IIR_NONE = 0x01,
	IIR_MSI = 0x00,
	IIR_THRE = 0x02,
	IIR_RDA = 0x04,
	IIR_RLS = 0x06,
	IIR_TIMEOUT = 0x0c,
	IIR_FIFO_ON = 0xc0,

	FCR_ENABLE = 0x01,
	FCR_RX_CLEAR = 0x02,
	FCR_TX_CLEAR = 0x04,
	FCR_STORED = 0xc9, /* enable, DMA mode, trigger level */

	LCR_BREAK = 0x40,
	LCR_DLAB = 0x80,

	MCR_DTR = 0x01,
	MCR_RTS = 0x02,
	MCR_OUT1 = 0x04,
	MCR_OUT2 = 0x08,
	MCR_LOOP = 0x10,
	MCR_MASK = 0x1f,

	LSR_DR = 0x01,
	LSR_OE = 0x02,
	LSR_PE = 0x04,
	LSR_FE = 0x08,
	LSR_BI = 0x10,
	LSR_THRE = 0x20,
	LSR_TEMT = 0x40,
	LSR_FIFO_ERR = 0x80,
	LSR_ERRORS = LSR_OE | LSR_PE | LSR_FE | LSR_BI,

	MSR_DCTS = 0x01,
	MSR_DDSR = 0x02,
	MSR_TERI = 0x04,
	MSR_DDCD = 0x08,
	MSR_DELTAS = 0x0f,
	MSR_CTS = 0x10,
	MSR_DSR = 0x20,
	MSR_RI = 0x40,
	MSR_DCD = 0x80,
};

/*
 * The modem inputs when not in loopback: nothing drives them on a virtual
 * board, so present a connected, ready peer (CTS, DSR, DCD asserted, no ring),
 * as QEMU's 16550 does, so drivers honouring flow control still transmit.
 */
#define MSR_EXTERNAL (MSR_CTS | MSR_DSR | MSR_DCD)

struct uart {
	struct uart_state s;
	int irq_level;
	uart_tx_fn tx;
	uart_rx_fn rx;
	void *io_ctx;
	dev_irq_fn irq;
	void *irq_ctx;
	uart_rx_return_fn rx_return;
	bool stuck_irq;
};

static bool fifo_on(const struct uart *u)
{
	return u->s.fcr & FCR_ENABLE;
}

static unsigned rx_capacity(const struct uart *u)
{
	return fifo_on(u) ? UART_FIFO_SIZE : 1;
}

static unsigned rx_trigger(const struct uart *u)
{
	static const unsigned level[4] = { 1, 4, 8, 14 };
	return level[u->s.fcr >> 6];
}

static bool loopback(const struct uart *u)
{
	return u->s.mcr & MCR_LOOP;
}

static void rx_clear(struct uart *u)
{
	/* Host bytes the guest never read go back to the host queue: a FIFO
	 * reset at driver start-up must not eat a script that was waiting
	 * (input is never lost). Loopback bytes are the guest's own: dropped. */
	if (u->rx_return && !loopback(u) && u->s.rx_count) {
		uint8_t buf[UART_FIFO_SIZE];
		for (unsigned i = 0; i < u->s.rx_count; i++)
			buf[i] = u->s.rx[(u->s.rx_head + i) % UART_FIFO_SIZE];
		u->rx_return(u->io_ctx, buf, u->s.rx_count);
	}
	u->s.rx_head = 0;
	u->s.rx_count = 0;
	memset(u->s.rx_err, 0, sizeof(u->s.rx_err));
	u->s.fifo_err = false;
}

/*
 * In FIFO mode a byte's PE/FE/BI show in LSR only once it reaches the top of
 * the FIFO (datasheet, LSR bits 2-4), so errors are revealed at that moment.
 */
static void reveal_top(struct uart *u)
{
	if (u->s.rx_count)
		u->s.lsr_err |= u->s.rx_err[u->s.rx_head];
}

/* A character completed by the receiver (host input or loopback). */
static void rx_push(struct uart *u, uint8_t byte, uint8_t err)
{
	struct uart_state *s = &u->s;
	if (s->rx_count == rx_capacity(u)) {
		/* Overrun: in FIFO mode the new character is lost; without a
		 * FIFO it overwrites the unread RBR (datasheet, LSR bit 1). */
		s->lsr_err |= LSR_OE;
		if (fifo_on(u))
			return;
		s->rx_count = 0;
	}
	unsigned tail = (s->rx_head + s->rx_count) % UART_FIFO_SIZE;
	s->rx[tail] = byte;
	s->rx_err[tail] = err;
	s->rx_count++;
	if (err && fifo_on(u))
		s->fifo_err = true;
	if (s->rx_count == 1)
		reveal_top(u);
}

/*
 * Ask the input source for as much as the receive buffer can hold. In
 * loopback the receiver is cut off from the outside (datasheet, MCR bit 4),
 * so host input keeps waiting in the caller's queue.
 */
static void rx_pull(struct uart *u)
{
	uint8_t buf[UART_FIFO_SIZE];
	unsigned room = rx_capacity(u) - u->s.rx_count;
	if (!room)
		return;
	size_t n = 0;
	if (!loopback(u) && u->rx)
		n = u->rx(u->io_ctx, buf, room);
	assert(n <= room);
	if (n > room)
		n = room;
	for (size_t i = 0; i < n; i++)
		rx_push(u, buf[i], 0);
	/* The character-timeout indication with zero delay: the line has
	 * gone quiet the moment the source has nothing more to give. */
	u->s.rx_dry = n < room;
}

static uint8_t rx_pop(struct uart *u)
{
	struct uart_state *s = &u->s;
	if (!s->rx_count)
		return 0;
	uint8_t byte = s->rx[s->rx_head];
	s->rx_err[s->rx_head] = 0;
	s->rx_head = (s->rx_head + 1) % UART_FIFO_SIZE;
	s->rx_count--;
	reveal_top(u);
	return byte;
}

static bool rx_data_ready(const struct uart *u)
{
	if (fifo_on(u))
		return u->s.rx_count >= rx_trigger(u);
	return u->s.rx_count > 0;
}

static bool rx_timeout(const struct uart *u)
{
	return fifo_on(u) && u->s.rx_dry && u->s.rx_count > 0 &&
	       u->s.rx_count < rx_trigger(u);
}

/* Highest-priority enabled pending interrupt (datasheet table 4). */
static uint8_t iir_id(const struct uart *u)
{
	const struct uart_state *s = &u->s;
	if ((s->ier & IER_ELSI) && (s->lsr_err & LSR_ERRORS))
		return IIR_RLS;
	if ((s->ier & IER_ERBFI) && rx_data_ready(u))
		return IIR_RDA;
	if ((s->ier & IER_ERBFI) && rx_timeout(u))
		return IIR_TIMEOUT;
	if ((s->ier & IER_ETBEI) && s->thre_pending)
		return IIR_THRE;
	if ((s->ier & IER_EDSSI) && (s->msr & MSR_DELTAS))
		return IIR_MSI;
	return IIR_NONE;
}

static void update_irq(struct uart *u)
{
	int level = iir_id(u) != IIR_NONE || (u->stuck_irq && u->s.ier);
	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->irq)
		u->irq(u->irq_ctx, level);
}

/* Modem status inputs as the MSR sees them now. */
static uint8_t modem_inputs(const struct uart *u)
{
	uint8_t mcr = u->s.mcr;
	if (!loopback(u))
		return MSR_EXTERNAL;
	/* Loopback wiring: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
	return (mcr & MCR_RTS ? MSR_CTS : 0) | (mcr & MCR_DTR ? MSR_DSR : 0) |
	       (mcr & MCR_OUT1 ? MSR_RI : 0) | (mcr & MCR_OUT2 ? MSR_DCD : 0);
}

static void update_msr(struct uart *u)
{
	uint8_t old = u->s.msr & ~MSR_DELTAS;
	uint8_t now = modem_inputs(u);
	uint8_t diff = old ^ now;
	uint8_t delta = 0;
	if (diff & MSR_CTS)
		delta |= MSR_DCTS;
	if (diff & MSR_DSR)
		delta |= MSR_DDSR;
	if (diff & MSR_DCD)
		delta |= MSR_DDCD;
	/* TERI flags only the trailing edge of RI (datasheet, MSR bit 2). */
	if ((old & MSR_RI) && !(now & MSR_RI))
		delta |= MSR_TERI;
	u->s.msr = now | (u->s.msr & MSR_DELTAS) | delta;
}

static void transmit(struct uart *u, uint8_t byte)
{
	if (loopback(u)) {
		rx_push(u, byte, 0);
		/* Nothing follows this byte until the next THR write. */
		u->s.rx_dry = true;
	} else if (u->tx) {
		u->tx(u->io_ctx, byte);
	}
	/* Writing THR clears the THRE interrupt; the byte leaves at once, so
	 * the holding register is empty again and THRE is pending anew, as
	 * on hardware once the character has moved to the shift register. */
	u->s.thre_pending = true;
}

static void write_fcr(struct uart *u, uint8_t val)
{
	/* Switching the FIFOs on or off clears them (datasheet, FCR bit 0). */
	if ((val ^ u->s.fcr) & FCR_ENABLE)
		rx_clear(u);
	/* The other bits are programmed only together with FCR0 = 1. */
	if (!(val & FCR_ENABLE)) {
		u->s.fcr = 0;
		rx_pull(u);
		return;
	}
	u->s.fcr = val & FCR_STORED;
	if (val & FCR_RX_CLEAR)
		rx_clear(u);
	/* FCR_TX_CLEAR: the transmitter never holds anything. Cleared bytes
	 * went back to the source; fetch them (and more) again now, or a
	 * guest that only waits for an interrupt would never see them. */
	rx_pull(u);
}

static void write_lcr(struct uart *u, uint8_t val)
{
	bool break_on = (val & LCR_BREAK) && !(u->s.lcr & LCR_BREAK);
	u->s.lcr = val;
	/* In loopback a break on SOUT reaches our own receiver: one zero
	 * character flagged BI (datasheet, LSR bit 4). */
	if (break_on && loopback(u)) {
		rx_push(u, 0, LSR_BI);
		u->s.rx_dry = true;
	}
}

static void write_ier(struct uart *u, uint8_t val)
{
	uint8_t old = u->s.ier;
	u->s.ier = val & IER_MASK;
	/* Enabling ETBEI while THR is empty raises THRE (Linux's 8250 driver
	 * probes for exactly this in serial8250_do_startup). */
	if ((u->s.ier & IER_ETBEI) && !(old & IER_ETBEI))
		u->s.thre_pending = true;
}

static uint8_t read_lsr(struct uart *u)
{
	struct uart_state *s = &u->s;
	uint8_t v = LSR_THRE | LSR_TEMT | (s->lsr_err & LSR_ERRORS);
	if (s->rx_count)
		v |= LSR_DR;
	if (s->fifo_err)
		v |= LSR_FIFO_ERR;
	s->lsr_err = 0;
	/* Bit 7 clears unless an error byte follows the top of the FIFO. */
	s->fifo_err = false;
	for (unsigned i = 1; i < s->rx_count; i++)
		if (s->rx_err[(s->rx_head + i) % UART_FIFO_SIZE])
			s->fifo_err = true;
	return v;
}

static uint8_t read_iir(struct uart *u)
{
	uint8_t id = iir_id(u);
	/* Reading IIR clears THRE only when THRE is what it reports. */
	if (id == IIR_THRE)
		u->s.thre_pending = false;
	return id | (fifo_on(u) ? IIR_FIFO_ON : 0);
}

static uint8_t read_reg(struct uart *u, unsigned reg)
{
	struct uart_state *s = &u->s;
	bool dlab = s->lcr & LCR_DLAB;
	uint8_t v;
	switch (reg) {
	case REG_RBR_THR_DLL:
		if (dlab)
			return s->dll;
		rx_pull(u);
		v = rx_pop(u);
		/* Reading RBR resets the character-timeout indication. */
		s->rx_dry = false;
		return v;
	case REG_IER_DLM:
		return dlab ? s->dlm : s->ier;
	case REG_IIR_FCR:
		rx_pull(u);
		return read_iir(u);
	case REG_LCR:
		return s->lcr;
	case REG_MCR:
		return s->mcr;
	case REG_LSR:
		rx_pull(u);
		return read_lsr(u);
	case REG_MSR:
		v = s->msr;
		s->msr &= ~MSR_DELTAS;
		return v;
	case REG_SCR:
		return s->scr;
	}
	return 0;
}

static void write_reg(struct uart *u, unsigned reg, uint8_t val)
{
	struct uart_state *s = &u->s;
	bool dlab = s->lcr & LCR_DLAB;
	switch (reg) {
	case REG_RBR_THR_DLL:
		if (dlab)
			s->dll = val;
		else
			transmit(u, val);
		break;
	case REG_IER_DLM:
		if (dlab)
			s->dlm = val;
		else
			write_ier(u, val);
		break;
	case REG_IIR_FCR:
		write_fcr(u, val);
		break;
	case REG_LCR:
		write_lcr(u, val);
		break;
	case REG_MCR:
		s->mcr = val & MCR_MASK;
		update_msr(u);
		break;
	case REG_SCR:
		s->scr = val;
		break;
	default:
		/* LSR and MSR writes are factory-test only: ignored. */
		break;
	}
}

/* Wider accesses use their low byte: QEMU virt's UART is 1 byte wide. */
static uint64_t uart_mmio_read(void *opaque, uint64_t off, unsigned size)
{
	struct uart *u = opaque;
	(void)size;
	if (off > REG_SCR)
		return 0;
	uint8_t v = read_reg(u, (unsigned)off);
	update_irq(u);
	return v;
}

static void uart_mmio_write(void *opaque, uint64_t off, uint64_t val,
			    unsigned size)
{
	struct uart *u = opaque;
	(void)size;
	if (off > REG_SCR)
		return;
	write_reg(u, (unsigned)off, (uint8_t)val);
	update_irq(u);
}

void uart_reset(struct uart *u)
{
	/* Master reset (datasheet table 9): IER, FCR, LCR, MCR, SCR and the
	 * sticky status clear; LSR reads 0x60 and IIR 0x01. */
	memset(&u->s, 0, sizeof(u->s));
	u->s.msr = modem_inputs(u);
	update_irq(u);
}

struct uart *uart_new(uart_tx_fn tx, uart_rx_fn rx, void *io_ctx,
		      dev_irq_fn irq, void *irq_ctx)
{
	struct uart *u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->tx = tx;
	u->rx = rx;
	u->io_ctx = io_ctx;
	u->irq = irq;
	u->irq_ctx = irq_ctx;
	uart_reset(u);
	return u;
}

void uart_free(struct uart *u)
{
	free(u);
}

struct mmio_dev uart_mmio(struct uart *u)
{
	return (struct mmio_dev){
		.name = "uart",
		.base = UART_BASE,
		.size = UART_SIZE,
		.opaque = u,
		.read = uart_mmio_read,
		.write = uart_mmio_write,
	};
}

void uart_set_rx_return(struct uart *u, uart_rx_return_fn fn)
{
	u->rx_return = fn;
}

void uart_set_stuck_irq(struct uart *u, bool stuck)
{
	u->stuck_irq = stuck;
	update_irq(u);
}

void uart_poll_input(struct uart *u)
{
	rx_pull(u);
	update_irq(u);
}

void uart_get_state(const struct uart *u, struct uart_state *s)
{
	*s = u->s;
}

void uart_set_state(struct uart *u, const struct uart_state *s)
{
	u->s = *s;
	/* Never trust a snapshot's indices to be in range. */
	u->s.rx_head %= UART_FIFO_SIZE;
	if (u->s.rx_count > rx_capacity(u))
		u->s.rx_count = (uint8_t)rx_capacity(u);
	u->s.ier &= IER_MASK;
	u->s.mcr &= MCR_MASK;
	update_irq(u);
}
