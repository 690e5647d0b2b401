/* trap.c: trap entry (delegation, vectoring), interrupt selection, xRET. */
#include "core/trap.h"

#include "core/hart.h"
#include "core/machine.h"
#include "core/riscv.h"
#include "core/verdict.h"

/*
 * Trap loops (DESIGN.md §9). An exception *repeats* the previous one when
 * it has the same cause, pc and tval and the instruction at that pc did
 * not retire in between: either nothing retired at all since the previous
 * exception (the trap vector itself faults, e.g. mtvec pointing at no
 * memory), or the handler's last xRET went back to this very pc and the
 * exception came before anything retired after it (a handler that returns
 * to the faulting instruction without fixing the cause). Interrupts taken
 * in between do not break the chain; any other exception does. At
 * TRAP_LOOP_REPEATS repeats in a row the run ends with a trap-loop verdict.
 *
 * What this leaves alone: a repeated ECALL (the handler returns past it,
 * so its xRET goes elsewhere), Linux's page faults (the handler fixes the
 * mapping and the instruction retires; a store loop that faults on each
 * new page has a new tval each time), emulated instructions (skipped).
 * 10,000 repeats cost a guest with a 5,000-instruction handler about 50M
 * instructions (well under a second) and leave room for any retry a
 * kernel makes on purpose. Everything here happens on the trap path only,
 * in the hart's own instruction stream: replay detects the same loop at
 * the same icount.
 */
#define TRAP_LOOP_REPEATS 10000

static void watch_exception(struct hart *h, uint64_t cause, uint64_t tval)
{
	struct trap_watch *w = &h->tw;
	bool same = w->repeats && w->cause == cause && w->epc == h->pc &&
		    w->tval == tval;
	bool unretired = h->icount == w->icount ||
			 (w->ret_valid && w->ret_pc == h->pc &&
			  w->ret_icount == h->icount);
	w->repeats = same && unretired ? w->repeats + 1 : 1;
	w->cause = cause;
	w->epc = h->pc;
	w->tval = tval;
	w->icount = h->icount;
	w->ret_valid = false;
	if (w->repeats != TRAP_LOOP_REPEATS)
		return;
	struct verdict v = {
		.kind = VERDICT_TRAP_LOOP, .hart = h->id, .cause = cause,
		.pc = h->pc, .tval = tval, .icount = h->icount,
		.repeats = w->repeats,
	};
	machine_request_end(h->m, EXIT_TRAP_LOOP, 0, &v);
}

/* The xRET's target: a trap loop's handler returns to the faulting pc. */
static void watch_return(struct hart *h)
{
	h->tw.ret_pc = h->pc;
	h->tw.ret_icount = h->icount;
	h->tw.ret_valid = true;
}

void trap_set_priv(struct hart *h, unsigned priv)
{
	h->priv = priv;
	hart_update_tlb_mode(h);
}

void trap_take(struct hart *h, uint64_t cause, uint64_t tval)
{
	bool irq = cause & CAUSE_INTERRUPT;
	unsigned code = (unsigned)(cause & 63);
	unsigned from = h->priv;
	uint64_t deleg = irq ? h->mideleg : h->medeleg;
	if (!irq && h->rr)
		h->m->hooks->exception(h, cause);
	if (!irq)
		watch_exception(h, cause, tval);
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
	if (h->m->obs && h->m->obs->trap)
		h->m->obs->trap(h->m->obs->ctx, h, cause, from);
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
			h->irqs_taken++;
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
	if (h->m->obs && h->m->obs->xret)
		h->m->obs->xret(h->m->obs->ctx, h, PRV_M);
	trap_set_priv(h, mpp);
	watch_return(h);
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
	if (h->m->obs && h->m->obs->xret)
		h->m->obs->xret(h->m->obs->ctx, h, h->priv);
	trap_set_priv(h, spp);
	watch_return(h);
	atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
}
