/* timer_irq.c: periodic M timer interrupts through mtimecmp on every hart; tick count, period and mcause must be exact. */
#include "guest.h"
#include "irq.h"
#include "smp.h"

#define TICKS 200
#define PERIOD (IRQ_MTIME_HZ / 1000) /* 1 ms */
#define MAX_HARTS 64

/* Per-hart state, written by that hart's handler only. */
static struct hart_timer {
	uint64_t deadline; /* the mtimecmp value now programmed */
	uint64_t ticks;
	uint64_t bad_cause; /* first unexpected mcause, 0 if none */
	uint64_t early;     /* mtime seen below the deadline in the handler */
} timers[MAX_HARTS];
static uint32_t done;

IRQ_M_HANDLER static void on_timer(void)
{
	struct hart_timer *t = &timers[g_hartid()];
	uint64_t cause = IRQ_CSR_READ(mcause);
	if (cause != IRQ_CAUSE(IRQ_MTI)) {
		if (!t->bad_cause)
			t->bad_cause = cause;
		/* Nothing to silence for an unknown cause: stop the test. */
		IRQ_CSR_CLEAR(mie, ~0ul);
		return;
	}
	if (irq_mtime() < t->deadline)
		t->early++;
	t->ticks++;
	/* Next deadline from the previous one, not from now: the ticks then
	 * cover at least TICKS * PERIOD whatever the handler's latency. */
	t->deadline = t->ticks < TICKS ? t->deadline + PERIOD : UINT64_MAX;
	*IRQ_MTIMECMP(g_hartid()) = t->deadline;
}

static void run_timer(int hartid)
{
	struct hart_timer *t = &timers[hartid];
	irq_set_mtvec(on_timer);
	uint64_t start = irq_mtime();
	t->deadline = start + PERIOD;
	*IRQ_MTIMECMP(hartid) = t->deadline;
	IRQ_CSR_WRITE(mie, 1ul << IRQ_MTI);
	IRQ_WAIT_UNTIL(t->ticks >= TICKS || t->bad_cause);
	uint64_t elapsed = irq_mtime() - start;
	/* mtimecmp is now all ones: no tick may follow the last one. */
	uint64_t quiet_until = irq_mtime() + 5 * PERIOD;
	IRQ_CSR_SET(mstatus, IRQ_MSTATUS_MIE);
	while (irq_mtime() < quiet_until)
		;
	IRQ_CSR_CLEAR(mstatus, IRQ_MSTATUS_MIE);
	IRQ_CSR_WRITE(mie, 0);
	G_CHECK("timer_irq mcause", t->bad_cause, 0, 1);
	G_CHECK("timer_irq tick count", t->ticks, TICKS, 2);
	G_CHECK("timer_irq early ticks", t->early, 0, 3);
	if (elapsed < TICKS * PERIOD)
		g_fail("timer_irq elapsed mtime", elapsed, TICKS * PERIOD, 4);
	G_CHECK("timer_irq mip.MTIP after stop",
		IRQ_CSR_READ(mip) & (1ul << IRQ_MTI), 0, 5);
}

int main(int hartid, const void *dtb)
{
	int n = smp_start(hartid, dtb);
	if (hartid >= n || hartid >= MAX_HARTS)
		smp_park();
	run_timer(hartid);
	__atomic_fetch_add(&done, 1, __ATOMIC_RELEASE);
	if (hartid != 0)
		smp_park();
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < (uint32_t)n)
		;
	g_puts("timer_irq: ");
	g_putdec(n);
	g_puts(" harts x ");
	g_putdec(TICKS);
	g_puts(" ticks ok\n");
	return 0;
}
