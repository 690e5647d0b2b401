/* trap_storm.c: SMP: harts 1.. take ECALL exceptions in a tight loop while hart 0 toggles their msip and reads their counters, so safe points often fall right after an exception (record/replay's TRAP markers). */
#include "guest.h"
#include "irq.h"
#include "smp.h"

#define ECALLS 100000
#define MAX_HARTS 64
#define CAUSE_ECALL_M 11

/* One line per hart: written by its own handler, read by hart 0. */
static struct storm {
	uint64_t ecalls;
	uint64_t bad_cause; /* first unexpected mcause, 0 if none */
} __attribute__((aligned(64))) storms[MAX_HARTS];
static uint32_t finished;

/* mie is 0 on the ecall harts: msip changes are only observed (the
 * recorder logs each one it folds), never taken. */
IRQ_M_HANDLER static void on_trap(void)
{
	struct storm *s = &storms[g_hartid()];
	uint64_t cause = IRQ_CSR_READ(mcause);
	if (cause != CAUSE_ECALL_M && !s->bad_cause)
		s->bad_cause = cause;
	IRQ_CSR_WRITE(mepc, IRQ_CSR_READ(mepc) + 4);
	s->ecalls++;
}

static void storm(void)
{
	for (int i = 0; i < ECALLS; i++)
		__asm__ volatile("ecall" ::: "memory");
}

/* Hart 0: keep kicking the others until they are done. */
static void stir(int n)
{
	uint64_t seen = 0;
	uint32_t bit = 0;
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < (uint32_t)n - 1) {
		bit ^= 1;
		for (int h = 1; h < n; h++) {
			*IRQ_MSIP(h) = bit;
			seen += __atomic_load_n(&storms[h].ecalls, __ATOMIC_RELAXED);
		}
	}
	for (int h = 1; h < n; h++)
		*IRQ_MSIP(h) = 0;
	(void)seen;
}

int main(int hartid, const void *dtb)
{
	irq_set_mtvec(on_trap);
	IRQ_CSR_WRITE(mie, 0);
	int n = smp_start(hartid, dtb);
	if (hartid >= n || hartid >= MAX_HARTS)
		smp_park();
	smp_barrier(n);
	if (hartid != 0) {
		storm();
		__atomic_fetch_add(&finished, 1, __ATOMIC_ACQ_REL);
		smp_park();
	}
	if (n > 1)
		stir(n);
	else
		storm();
	for (int h = n > 1 ? 1 : 0; h < n; h++) {
		G_CHECK("trap_storm mcause", storms[h].bad_cause, 0, 10 + h % 10);
		G_CHECK("trap_storm ecalls", storms[h].ecalls, ECALLS, 20 + h % 10);
	}
	g_puts("trap_storm: ");
	g_putdec(n);
	g_puts(" harts, ");
	g_putdec(ECALLS);
	g_puts(" ecalls each ok\n");
	return 0;
}
