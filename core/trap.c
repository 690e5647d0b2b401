/* trap.c: trap entry (delegation, vectoring), interrupt selection, xRET. */
#include "core/trap.h"

#include "core/hart.h"
#include "core/machine.h"
#include "core/riscv.h"

void trap_set_priv(struct hart *h, unsigned priv)
{
	h->priv = priv;
	hart_update_tlb_mode(h);
}

void trap_take(struct hart *h, uint64_t cause, uint64_t tval)
{
	bool irq = cause & CAUSE_INTERRUPT;
	unsigned code = (unsigned)(cause & 63);
	uint64_t deleg = irq ? h->mideleg : h->medeleg;
	if (!irq && h->rr)
		h->m->hooks->exception(h, cause);
	/* Privileged spec §3.1.8: traps never go to a less-privileged mode. */
	if (h->priv <= PRV_S && ((deleg >> code) & 1)) {
		h->scause = cause;
		h->sepc = h->pc;
		h->stval = tval;
		uint64_t s = h->mstatus & ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE);
		if (h->mstatus & MSTATUS_SIE)
			s |= MSTATUS_SPIE;
		if (h->priv == PRV_S)
			s |= MSTATUS_SPP;
		h->mstatus = s;
		uint64_t base = h->stvec & ~3ull;
		h->pc = (irq && (h->stvec & 1)) ? base + 4 * code : base;
		trap_set_priv(h, PRV_S);
	} else {
		h->mcause = cause;
		h->mepc = h->pc;
		h->mtval = tval;
		uint64_t s = h->mstatus & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE);
		if (h->mstatus & MSTATUS_MIE)
			s |= MSTATUS_MPIE;
		s |= (uint64_t)h->priv << MSTATUS_MPP_SHIFT;
		h->mstatus = s;
		uint64_t base = h->mtvec & ~3ull;
		h->pc = (irq && (h->mtvec & 1)) ? base + 4 * code : base;
		trap_set_priv(h, PRV_M);
	}
}

/* Privileged spec §3.1.9: MEI, MSI, MTI, SEI, SSI, STI. */
static const unsigned irq_order[] = { 11, 3, 7, 9, 1, 5 };

bool trap_check_interrupt(struct hart *h)
{
	uint64_t pending = h->mip & h->mie;
	if (!pending)
		return false;
	bool m_on = h->priv < PRV_M || (h->mstatus & MSTATUS_MIE);
	bool s_on = h->priv < PRV_S ||
		    (h->priv == PRV_S && (h->mstatus & MSTATUS_SIE));
	uint64_t m_irqs = m_on ? pending & ~h->mideleg : 0;
	uint64_t s_irqs = s_on ? pending & h->mideleg : 0;
	/* M-level interrupts win over S-level ones regardless of number. */
	uint64_t take = m_irqs ? m_irqs : s_irqs;
	if (!take)
		return false;
	for (unsigned i = 0; i < sizeof(irq_order) / sizeof(irq_order[0]); i++)
		if (take & (1ull << irq_order[i])) {
			if (h->rr)
				h->m->hooks->irq(h, CAUSE_INTERRUPT | irq_order[i]);
			trap_take(h, CAUSE_INTERRUPT | irq_order[i], 0);
			return true;
		}
	return false;
}

bool trap_wfi_wakeup(const struct hart *h)
{
	return (h->mip & h->mie) != 0;
}

void trap_mret(struct hart *h)
{
	unsigned mpp = (unsigned)((h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
	uint64_t s = h->mstatus & ~(MSTATUS_MIE | MSTATUS_MPP);
	if (h->mstatus & MSTATUS_MPIE)
		s |= MSTATUS_MIE;
	s |= MSTATUS_MPIE;
	if (mpp != PRV_M)
		s &= ~MSTATUS_MPRV;
	h->mstatus = s;
	h->pc = h->mepc;
	trap_set_priv(h, mpp);
	/* MIE may have become 1 with an interrupt pending. */
	atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
}

void trap_sret(struct hart *h)
{
	unsigned spp = (h->mstatus & MSTATUS_SPP) ? PRV_S : PRV_U;
	uint64_t s = h->mstatus & ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV);
	if (h->mstatus & MSTATUS_SPIE)
		s |= MSTATUS_SIE;
	s |= MSTATUS_SPIE;
	h->mstatus = s;
	h->pc = h->sepc;
	trap_set_priv(h, spp);
	atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
}
