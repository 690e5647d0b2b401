/* irq_count.c: a known number of UART interrupts through the PLIC (claims, completions, empty claims, enable changes) for `rrv irqs`. */
#include "guest.h"
#include "irq.h"
#include "smp.h"

/*
 * What `rrv irqs` must count (tests/irqs/irqs-test.sh checks it): source
 * 10 rises RISES times, each claimed once on context 0 (hart 0 M-mode),
 * completed, and handled (IIR names THRE); EMPTY claims find nothing (0);
 * priority 0 -> 1 once, enable on context 0 once, disable once at the end.
 */
#define RISES 25
#define EMPTY 7
#define UART_IER ((volatile uint8_t *)0x10000001ul)
#define UART_IIR ((volatile uint8_t *)0x10000002ul)
#define IER_ETBEI 0x02

static volatile uint32_t taken, handled, wrong;

IRQ_M_HANDLER static void on_irq(void)
{
	if (IRQ_CSR_READ(mcause) != IRQ_CAUSE(IRQ_MEI)) {
		wrong++;
		IRQ_CSR_CLEAR(mie, ~0ul);
		return;
	}
	uint32_t src = *IRQ_PLIC_CLAIM(0);
	/* Reading IIR while it reports THRE clears the condition, so the
	 * UART's line falls before the completion re-arms the source. */
	if ((*UART_IIR & 0x0f) == 0x02)
		handled++;
	*UART_IER = 0;
	*IRQ_PLIC_CLAIM(0) = src;
	if (src == IRQ_UART_SRC)
		taken++;
	else
		wrong++;
}

int main(int hartid, const void *dtb)
{
	smp_start(hartid, dtb);
	if (hartid != 0)
		smp_park();
	irq_set_mtvec(on_irq);
	*IRQ_PLIC_PRIO(IRQ_UART_SRC) = 1;
	*IRQ_PLIC_THRESHOLD(0) = 0;
	uint32_t empty = 0;
	for (int i = 0; i < EMPTY; i++)
		empty += *IRQ_PLIC_CLAIM(0) == 0;
	*IRQ_PLIC_ENABLE(0, IRQ_UART_SRC) = 1u << (IRQ_UART_SRC % 32);
	IRQ_CSR_WRITE(mie, 1ul << IRQ_MEI);
	for (uint32_t i = 0; i < RISES; i++) {
		/* Enabling ETBEI with the holding register empty raises THRE. */
		*UART_IER = IER_ETBEI;
		IRQ_WAIT_UNTIL(taken > i || wrong);
	}
	IRQ_CSR_WRITE(mie, 0);
	*IRQ_PLIC_ENABLE(0, IRQ_UART_SRC) = 0;
	G_CHECK("irq_count wrong interrupts", wrong, 0, 1);
	G_CHECK("irq_count interrupts", taken, RISES, 2);
	G_CHECK("irq_count handled", handled, RISES, 3);
	G_CHECK("irq_count empty claims", empty, EMPTY, 4);
	g_puts("irq_count: ");
	g_putdec(RISES);
	g_puts(" UART interrupts ok\n");
	return 0;
}
