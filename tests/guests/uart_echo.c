/* uart_echo.c: interrupt-driven UART input through the PLIC; echoes a scripted session and checks every byte arrived. */
#include "guest.h"
#include "irq.h"

/*
 * The script (uart_echo.in, given with input= in the manifest) is lines of:
 *   mode fifo1|fifo4|fifo8|fifo14|nofifo   reprogram FCR, start a section;
 *                   the last section should have a trigger level above one
 *                   so that the end of the input needs a character timeout
 *   dNNNN PAYLOAD   data line NNNN (1, 2, ... per section); PAYLOAD is the
 *                   PAYLOAD_LEN letters line_payload() computes for NNNN
 *   count N         the section had N data lines
 *   total N         N bytes arrived before this line
 *   quit            print the summary and exit 0
 * Empty lines and lines starting with '#' are ignored. Everything received
 * is echoed from the handler.
 * A lost, duplicated or reordered byte breaks a line number or payload.
 */

#define PAYLOAD_LEN 40
#define LINE_MAX 128
#define RING 8192 /* power of two */

#define UART ((volatile uint8_t *)G_UART0)
enum { RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5 };
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define IIR_ID 0x0f
#define IIR_TIMEOUT 0x0c
#define IER_ERBFI 0x01
#define MCR_DTR_RTS_OUT2 0x0b

/* Interrupt-side state: written by the handler, read by main. */
static struct {
	uint8_t ring[RING];
	uint32_t head;       /* bytes pushed (main pops up to here) */
	uint32_t throttled;  /* a line is complete (or the ring full): ERBFI off */
	uint64_t irqs;       /* UART interrupts claimed */
	uint64_t timeouts;   /* of which IIR said character timeout */
	uint64_t spurious;   /* claims that returned 0 */
	uint64_t bad_source; /* last claimed id other than the UART */
	uint64_t bad_cause;  /* first unexpected mcause */
} rx;

/* Main-side state. */
static struct {
	uint32_t tail;
	uint64_t bytes; /* bytes popped */
	char line[LINE_MAX];
	int len;
	int lines;           /* data lines in the current section */
	uint64_t irqs_at;    /* rx.irqs when the section started */
	uint64_t timeouts_at;
	int wants_timeout;   /* a section's trigger level was above one */
	int sections;
} in;

static int ctx(void)
{
	return 2 * (int)g_hartid(); /* this hart's M-mode PLIC context */
}

static void echo(uint8_t c)
{
	while (!(UART[LSR] & LSR_THRE))
		;
	UART[RBR] = c;
}

/*
 * Moves the bytes the UART holds into the ring, up to the end of a line.
 * Runs with MIE clear. An emulator may refill the receiver as fast as it is
 * read (rrv's --input does), so reading until LSR.DR clears could swallow
 * the whole script in one interrupt, before main has seen a "mode" line.
 * So at a line end (or a full ring) the receive interrupt goes off and the
 * rest waits in the UART until main has handled the line (flow control,
 * as a line discipline would do). Masking the source rather than returning
 * with it pending avoids an interrupt storm that would starve main.
 */
static void drain(void)
{
	while (UART[LSR] & LSR_DR) {
		if (rx.head - __atomic_load_n(&in.tail, __ATOMIC_ACQUIRE) >= RING) {
			UART[IER] = 0;
			rx.throttled = 1;
			return;
		}
		uint8_t c = UART[RBR];
		echo(c);
		rx.ring[rx.head % RING] = c;
		__atomic_store_n(&rx.head, rx.head + 1, __ATOMIC_RELEASE);
		if (c == '\n') {
			UART[IER] = 0;
			rx.throttled = 1;
			return;
		}
	}
}

IRQ_M_HANDLER static void on_external(void)
{
	uint64_t cause = IRQ_CSR_READ(mcause);
	if (cause != IRQ_CAUSE(IRQ_MEI)) {
		if (!rx.bad_cause)
			rx.bad_cause = cause;
		IRQ_CSR_CLEAR(mie, ~0ul);
		return;
	}
	uint32_t id = *IRQ_PLIC_CLAIM(ctx());
	if (id == 0) {
		rx.spurious++;
		return;
	}
	if (id == IRQ_UART_SRC) {
		if ((UART[IIR] & IIR_ID) == IIR_TIMEOUT)
			rx.timeouts++;
		rx.irqs++;
		drain();
	} else {
		rx.bad_source = id;
	}
	*IRQ_PLIC_CLAIM(ctx()) = id;
}

static int starts_with(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Decimal number at S, -1 if S is not all digits. */
static int64_t parse_dec(const char *s)
{
	int64_t v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static char line_payload(int64_t no, int i)
{
	return (char)('a' + (no * 7 + i * 3) % 26);
}

static void print_mode_stats(void)
{
	g_puts("\nuart_echo: section ");
	g_putdec(in.sections);
	g_puts(": ");
	g_putdec(in.lines);
	g_puts(" lines, ");
	g_putdec((int64_t)(rx.irqs - in.irqs_at));
	g_puts(" interrupts, ");
	g_putdec((int64_t)(rx.timeouts - in.timeouts_at));
	g_puts(" timeouts\n");
}

static void set_mode(const char *mode)
{
	static const struct { const char *name; uint8_t fcr; } modes[] = {
		{ "fifo1", 0x07 }, { "fifo4", 0x47 }, { "fifo8", 0x87 },
		{ "fifo14", 0xc7 }, { "nofifo", 0x00 },
	};
	unsigned i = 0;
	while (i < sizeof(modes) / sizeof(modes[0]) && !str_eq(mode, modes[i].name))
		i++;
	if (i == sizeof(modes) / sizeof(modes[0]))
		g_fail("uart_echo unknown mode line", 0, 0, 10);
	/* Switching FCR0 clears the FIFOs: take what they hold first (the
	 * script pauses after a mode line, so nothing more is on its way). */
	IRQ_CSR_CLEAR(mstatus, IRQ_MSTATUS_MIE);
	drain();
	UART[FCR] = modes[i].fcr;
	in.lines = 0;
	in.irqs_at = rx.irqs;
	in.timeouts_at = rx.timeouts;
	in.wants_timeout |= modes[i].fcr > 0x07;
	in.sections++;
}

static void end_section(int64_t want)
{
	print_mode_stats();
	G_CHECK("uart_echo data lines in section", in.lines, want, 11);
	if (rx.irqs == in.irqs_at)
		g_fail("uart_echo section took no interrupt", 0, 1, 12);
}

static void data_line(const char *s)
{
	char num[5];
	for (int i = 0; i < 4; i++)
		num[i] = s[1 + i];
	num[4] = 0;
	int64_t no = parse_dec(num);
	G_CHECK("uart_echo data line number", no, in.lines + 1, 14);
	G_CHECK("uart_echo data line separator", s[5], ' ', 15);
	for (int i = 0; i < PAYLOAD_LEN; i++)
		G_CHECK("uart_echo payload byte", s[6 + i], line_payload(no, i), 16);
	G_CHECK("uart_echo payload length", s[6 + PAYLOAD_LEN], 0, 17);
	in.lines++;
}

/* Handles one complete line; returns 1 for quit. */
static int handle_line(const char *s, uint64_t bytes_before)
{
	if (!*s || *s == '#')
		return 0;
	if (starts_with(s, "mode "))
		set_mode(s + 5);
	else if (starts_with(s, "count "))
		end_section(parse_dec(s + 6));
	else if (starts_with(s, "total "))
		G_CHECK("uart_echo total bytes", bytes_before, parse_dec(s + 6), 18);
	else if (s[0] == 'd')
		data_line(s);
	else if (str_eq(s, "quit"))
		return 1;
	else {
		g_puts("\nuart_echo: unknown line: ");
		g_puts(s);
		g_fail("uart_echo unknown line, length", (uint64_t)in.len, 0, 19);
	}
	return 0;
}

static void check_handler(void)
{
	G_CHECK("uart_echo mcause", rx.bad_cause, 0, 20);
	G_CHECK("uart_echo claimed source", rx.bad_source, 0, 21);
}

/* Pops bytes into lines until quit. */
static void session(void)
{
	uint64_t line_start = 0;
	for (;;) {
		/* Everything received is handled: let the UART go on. */
		IRQ_CSR_CLEAR(mstatus, IRQ_MSTATUS_MIE);
		if (rx.throttled && rx.head == in.tail) {
			rx.throttled = 0;
			UART[IER] = IER_ERBFI;
		}
		IRQ_WAIT_UNTIL(__atomic_load_n(&rx.head, __ATOMIC_ACQUIRE) != in.tail ||
			       rx.bad_cause);
		IRQ_CSR_SET(mstatus, IRQ_MSTATUS_MIE);
		check_handler();
		uint8_t c = rx.ring[in.tail % RING];
		__atomic_store_n(&in.tail, in.tail + 1, __ATOMIC_RELEASE);
		in.bytes++;
		if (c == '\r')
			continue;
		if (c != '\n') {
			if (in.len == LINE_MAX - 1)
				g_fail("uart_echo line too long", in.len, 0, 23);
			in.line[in.len++] = (char)c;
			continue;
		}
		in.line[in.len] = 0;
		if (handle_line(in.line, line_start))
			return;
		in.len = 0;
		line_start = in.bytes;
	}
}

static void uart_init(void)
{
	int c = ctx();
	UART[IER] = 0;
	UART[LCR] = 0x03; /* 8N1, DLAB off */
	UART[MCR] = MCR_DTR_RTS_OUT2;
	UART[FCR] = 0x07; /* FIFO on, both cleared, trigger 1 */
	*IRQ_PLIC_PRIO(IRQ_UART_SRC) = 1;
	*IRQ_PLIC_ENABLE(c, IRQ_UART_SRC) = 1u << (IRQ_UART_SRC % 32);
	*IRQ_PLIC_THRESHOLD(c) = 0;
	irq_set_mtvec(on_external);
	IRQ_CSR_WRITE(mie, 1ul << IRQ_MEI);
	UART[IER] = IER_ERBFI;
}

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__asm__ volatile("wfi");
	uart_init();
	g_puts("uart_echo: ready\n");
	session();
	IRQ_CSR_CLEAR(mstatus, IRQ_MSTATUS_MIE);
	check_handler();
	if (rx.irqs == 0)
		g_fail("uart_echo took no interrupt", 0, 1, 24);
	/* Lines are not multiples of the trigger levels, and the script ends
	 * in a section with a high one: its tail (at least) needs the
	 * character timeout. */
	if (in.wants_timeout && rx.timeouts == 0)
		g_fail("uart_echo no character timeout", 0, 1, 13);
	g_puts("\nuart_echo: ");
	g_putdec((int64_t)in.bytes);
	g_puts(" bytes received, ");
	g_putdec((int64_t)rx.irqs);
	g_puts(" interrupts (");
	g_putdec((int64_t)rx.timeouts);
	g_puts(" character timeouts, ");
	g_putdec((int64_t)rx.spurious);
	g_puts(" spurious), ");
	g_putdec(in.sections);
	g_puts(" sections ok\n");
	return 0;
}
