/* ipi_pingpong.c: SMP: a token travels round a ring of harts by CLINT msip IPIs, each hart sleeping in WFI. */
#include "guest.h"
#include "irq.h"
#include "smp.h"

#define LAPS 1000
#define MAX_HARTS 64

/* Per-hart state: the flags are set by the hart's handler and consumed by
 * the same hart's main loop; the counters are read by hart 0 at the end. */
static struct hart_ipi {
	uint32_t token;     /* an IPI arrived and was not yet passed on */
	uint32_t doubled;   /* an IPI arrived while the token was still held */
	uint64_t received;  /* IPIs taken */
	uint64_t bad_cause; /* first unexpected mcause, 0 if none */
	uint64_t msip_left; /* msip read back non-zero after clearing it */
} ipis[MAX_HARTS];
static uint32_t finished;

IRQ_M_HANDLER static void on_ipi(void)
{
	uint64_t h = g_hartid();
	struct hart_ipi *s = &ipis[h];
	uint64_t cause = IRQ_CSR_READ(mcause);
	if (cause != IRQ_CAUSE(IRQ_MSI)) {
		if (!s->bad_cause)
			s->bad_cause = cause;
		IRQ_CSR_CLEAR(mie, ~0ul);
		return;
	}
	*IRQ_MSIP(h) = 0;
	/* The clear must be visible before returning, or the same IPI traps
	 * again (msip is level-sensitive). */
	if (*IRQ_MSIP(h) != 0 || (IRQ_CSR_READ(mip) & (1ul << IRQ_MSI)))
		s->msip_left++;
	if (__atomic_load_n(&s->token, __ATOMIC_RELAXED))
		s->doubled++;
	s->received++;
	__atomic_store_n(&s->token, 1, __ATOMIC_RELEASE);
}

static void send_token(int to)
{
	/* Everything before the IPI (the counters) is visible to the target
	 * before it can see the interrupt. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*IRQ_MSIP(to) = 1;
}

/* Passes the token on LAPS times; hart 0 starts each lap. */
static void ring(int hartid, int n)
{
	struct hart_ipi *s = &ipis[hartid];
	int next = (hartid + 1) % n;
	for (int lap = 0; lap < LAPS; lap++) {
		if (hartid == 0)
			send_token(next);
		IRQ_WAIT_UNTIL(__atomic_load_n(&s->token, __ATOMIC_ACQUIRE) ||
			       s->bad_cause);
		if (s->bad_cause)
			return;
		__atomic_store_n(&s->token, 0, __ATOMIC_RELAXED);
		if (hartid != 0)
			send_token(next);
	}
}

static void check(int n)
{
	for (int h = 0; h < n; h++) {
		struct hart_ipi *s = &ipis[h];
		G_CHECK("ipi_pingpong mcause", s->bad_cause, 0, 10 + h % 10);
		G_CHECK("ipi_pingpong IPIs taken", s->received, LAPS, 20 + h % 10);
		G_CHECK("ipi_pingpong doubled IPIs", s->doubled, 0, 30 + h % 10);
		G_CHECK("ipi_pingpong msip after clear", s->msip_left, 0,
			40 + h % 10);
	}
}

int main(int hartid, const void *dtb)
{
	irq_set_mtvec(on_ipi);
	*IRQ_MSIP(hartid) = 0;
	IRQ_CSR_WRITE(mie, 1ul << IRQ_MSI);
	int n = smp_start(hartid, dtb);
	if (hartid >= n || hartid >= MAX_HARTS) {
		IRQ_CSR_WRITE(mie, 0);
		smp_park();
	}
	smp_barrier(n);
	ring(hartid, n);
	IRQ_CSR_WRITE(mie, 0);
	__atomic_fetch_add(&finished, 1, __ATOMIC_ACQ_REL);
	if (hartid != 0)
		smp_park();
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < (uint32_t)n)
		;
	check(n);
	g_puts("ipi_pingpong: ");
	g_putdec(n);
	g_puts(" harts, ");
	g_putdec(LAPS);
	g_puts(" laps ok\n");
	return 0;
}
