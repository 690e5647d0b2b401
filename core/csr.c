/* csr.c: the CSR file: privilege checks, WARL fields, side effects. */
#include "core/csr.h"

#include "core/hart.h"
#include "core/machine.h"
#include "core/mmu.h"
#include "core/riscv.h"
#include "core/tb.h"
#include "core/trap.h"
#include "core/trigger.h"
#include "devices/clint.h"

/* misa: RV64 (MXL = 2) with I M A F D C S U. */
#define MISA_VALUE ((2ull << 62) | (1u << 0) | (1u << 2) | (1u << 3) | \
		    (1u << 5) | (1u << 8) | (1u << 12) | (1u << 18) | (1u << 20))

#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE |       \
			  MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP |        \
			  MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM |         \
			  MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_VISIBLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP |        \
			 MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR |          \
			 MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP |       \
			  MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR)
/* Exceptions that may be delegated (not ECALL from M, not reserved). */
#define MEDELEG_WRITABLE 0xb3ffull
#define MIP_WRITABLE (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define SATP_MODE_SV39 8ull

uint64_t csr_mstatus_read(const struct hart *h)
{
	uint64_t s = h->mstatus | (2ull << 32) | (2ull << 34);
	if ((s & MSTATUS_FS) == MSTATUS_FS)
		s |= MSTATUS_SD;
	return s;
}

/* Counter access from S/U (privileged spec §3.1.11 mcounteren). */
static bool counter_allowed(const struct hart *h, unsigned idx)
{
	if (h->priv < PRV_M && !((h->mcounteren >> idx) & 1))
		return false;
	if (h->priv < PRV_S && !((h->scounteren >> idx) & 1))
		return false;
	return true;
}

static bool csr_read(struct hart *h, unsigned csr, uint64_t *v)
{
	switch (csr) {
	case CSR_FFLAGS: *v = h->fflags; return true;
	case CSR_FRM: *v = h->frm; return true;
	case CSR_FCSR: *v = h->frm << 5 | h->fflags; return true;
	case CSR_CYCLE: case CSR_INSTRET:
		if (!counter_allowed(h, csr & 31))
			return false;
		*v = csr == CSR_CYCLE ? h->icount + h->mcycle_off : hart_instret(h);
		return true;
	case CSR_TIME:
		if (!counter_allowed(h, 1))
			return false;
		*v = clint_mtime(h->m->clint);
		if (h->rr)
			*v = h->m->hooks->time(h, *v);
		return true;
	case CSR_SSTATUS: *v = csr_mstatus_read(h) & SSTATUS_VISIBLE; return true;
	case CSR_SIE: *v = h->mie & h->mideleg; return true;
	case CSR_STVEC: *v = h->stvec; return true;
	case CSR_SCOUNTEREN: *v = h->scounteren; return true;
	case CSR_SENVCFG: *v = h->senvcfg; return true;
	case CSR_SSCRATCH: *v = h->sscratch; return true;
	case CSR_SEPC: *v = h->sepc; return true;
	case CSR_SCAUSE: *v = h->scause; return true;
	case CSR_STVAL: *v = h->stval; return true;
	case CSR_SIP: *v = h->mip & h->mideleg; return true;
	case CSR_SATP:
		if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))
			return false;
		*v = h->satp;
		return true;
	case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID:
	case CSR_MCONFIGPTR:
		*v = 0;
		return true;
	case CSR_MHARTID: *v = h->id; return true;
	case CSR_MSTATUS: *v = csr_mstatus_read(h); return true;
	case CSR_MISA: *v = MISA_VALUE; return true;
	case CSR_MEDELEG: *v = h->medeleg; return true;
	case CSR_MIDELEG: *v = h->mideleg; return true;
	case CSR_MIE: *v = h->mie; return true;
	case CSR_MTVEC: *v = h->mtvec; return true;
	case CSR_MCOUNTEREN: *v = h->mcounteren; return true;
	case CSR_MENVCFG: *v = h->menvcfg; return true;
	case CSR_MCOUNTINHIBIT: *v = h->mcountinhibit; return true;
	case CSR_MSCRATCH: *v = h->mscratch; return true;
	case CSR_MEPC: *v = h->mepc; return true;
	case CSR_MCAUSE: *v = h->mcause; return true;
	case CSR_MTVAL: *v = h->mtval; return true;
	case CSR_MIP: *v = h->mip; return true;
	case CSR_MCYCLE: *v = h->icount + h->mcycle_off; return true;
	case CSR_MINSTRET: *v = hart_instret(h); return true;
	}
	if (csr >= CSR_TSELECT && csr <= CSR_TINFO)
		return trigger_csr_read(h, csr, v);
	if (csr >= CSR_HPMCOUNTER3 && csr <= CSR_HPMCOUNTER31) {
		if (!counter_allowed(h, csr & 31))
			return false;
		*v = 0;
		return true;
	}
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)) {
		*v = 0;
		return true;
	}
	if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
		if (csr & 1) /* odd pmpcfg registers do not exist on RV64 */
			return false;
		*v = h->pmpcfg[csr - CSR_PMPCFG0];
		return true;
	}
	if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
		*v = h->pmpaddr[csr - CSR_PMPADDR0];
		return true;
	}
	return false;
}

bool csr_peek(const struct hart *h, unsigned csr, uint64_t *v)
{
	switch (csr) {
	case CSR_TIME:
		return false;
	case CSR_CYCLE:
		*v = h->icount + h->mcycle_off;
		return true;
	case CSR_INSTRET:
		*v = hart_instret(h);
		return true;
	case CSR_SATP:
		*v = h->satp;
		return true;
	}
	if (csr >= CSR_HPMCOUNTER3 && csr <= CSR_HPMCOUNTER31) {
		*v = 0;
		return true;
	}
	/* The rest of csr_read only looks (the cast does not write). */
	return csr_read((struct hart *)h, csr, v);
}

/* Something that can make an interrupt deliverable changed: force a safe
 * point so it is taken before the next instruction. */
static void recheck_interrupts(struct hart *h)
{
	atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
}

static void write_mstatus(struct hart *h, uint64_t v, uint64_t mask)
{
	uint64_t old = h->mstatus;
	uint64_t n = (old & ~mask) | (v & mask);
	/* MPP is WARL: the reserved value 2 keeps the old mode. */
	if (((n & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2)
		n = (n & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
	h->mstatus = n;
	uint64_t vm = MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR;
	if ((old ^ n) & vm) {
		mmu_flush_tlb(h);
		hart_update_tlb_mode(h);
	}
	recheck_interrupts(h);
}

static bool csr_write(struct hart *h, unsigned csr, uint64_t v)
{
	switch (csr) {
	case CSR_FFLAGS: h->fflags = v & 31; break;
	case CSR_FRM: h->frm = v & 7; break;
	case CSR_FCSR: h->fflags = v & 31; h->frm = (v >> 5) & 7; break;
	case CSR_SSTATUS: write_mstatus(h, v, SSTATUS_WRITABLE); return true;
	case CSR_SIE:
		h->mie = (h->mie & ~h->mideleg) | (v & h->mideleg);
		recheck_interrupts(h);
		return true;
	case CSR_STVEC: h->stvec = v & ~2ull; return true;
	case CSR_SCOUNTEREN: h->scounteren = v & 0xffffffffu; return true;
	case CSR_SENVCFG: h->senvcfg = v & 1; return true;
	case CSR_SSCRATCH: h->sscratch = v; return true;
	case CSR_SEPC: h->sepc = v & ~1ull; return true;
	case CSR_SCAUSE: h->scause = v; return true;
	case CSR_STVAL: h->stval = v; return true;
	case CSR_SIP: {
		uint64_t m = MIP_SSIP & h->mideleg;
		h->mip = (h->mip & ~m) | (v & m);
		recheck_interrupts(h);
		return true;
	}
	case CSR_SATP: {
		if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))
			return false;
		uint64_t mode = v >> 60;
		/* WARL: only Bare and Sv39; other modes leave satp as is. */
		if (mode != 0 && mode != SATP_MODE_SV39)
			return true;
		h->satp = v & ((15ull << 60) | (0xffffull << 44) | ((1ull << 44) - 1));
		mmu_flush_tlb(h);
		tb_mappings_changed(h);
		return true;
	}
	case CSR_MSTATUS: write_mstatus(h, v, MSTATUS_WRITABLE); return true;
	case CSR_MISA: return true; /* WARL, fixed */
	case CSR_MEDELEG: h->medeleg = v & MEDELEG_WRITABLE; return true;
	case CSR_MIDELEG:
		h->mideleg = v & MIP_S_MASK;
		recheck_interrupts(h);
		return true;
	case CSR_MIE:
		h->mie = v & MIP_ALL;
		recheck_interrupts(h);
		return true;
	case CSR_MTVEC: h->mtvec = v & ~2ull; return true;
	case CSR_MCOUNTEREN: h->mcounteren = v & 0xffffffffu; return true;
	case CSR_MENVCFG: h->menvcfg = v & 1; return true;
	case CSR_MCOUNTINHIBIT: h->mcountinhibit = v & 0xfffffffdu; return true;
	case CSR_MSCRATCH: h->mscratch = v; return true;
	case CSR_MEPC: h->mepc = v & ~1ull; return true;
	case CSR_MCAUSE: h->mcause = v; return true;
	case CSR_MTVAL: h->mtval = v; return true;
	case CSR_MIP: {
		/* Keep the external SEIP line: a write cannot clear it. */
		h->mip_sw_seip = v & MIP_SEIP;
		h->mip = (h->mip & ~MIP_WRITABLE) | (v & MIP_WRITABLE) |
			 (h->mip_ext & MIP_SEIP);
		recheck_interrupts(h);
		return true;
	}
	/* The CSR instruction itself retires, so a write sets the value the
	 * counter shows after it (the +1 accounts for this instruction). */
	case CSR_MCYCLE: h->mcycle_off = v - h->icount - 1; return true;
	case CSR_MINSTRET: h->minstret_off = v - h->icount - 1; return true;
	default:
		if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
		    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31))
			return true;
		if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
			h->pmpcfg[csr - CSR_PMPCFG0] = v;
			return true;
		}
		if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
			h->pmpaddr[csr - CSR_PMPADDR0] = v & ((1ull << 54) - 1);
			return true;
		}
		return trigger_csr_write(h, csr, v);
	}
	/* FP CSR written. */
	h->mstatus |= MSTATUS_FS_DIRTY;
	return true;
}

bool csr_access(struct hart *h, unsigned csr, enum csr_op op, uint64_t operand,
		bool do_read, bool do_write, uint64_t *old)
{
	/* Privileged spec §2.1: csr[9:8] is the lowest privilege that may
	 * access it, csr[11:10] == 3 means read-only. */
	if (((csr >> 8) & 3) > h->priv)
		return false;
	if (do_write && (csr >> 10) == 3)
		return false;
	if (csr <= CSR_FCSR && !(h->mstatus & MSTATUS_FS))
		return false;
	uint64_t v = 0;
	/* Even a CSRRW with rd = x0 must exist: read to validate, but the
	 * value is not used (no read side effects exist here). */
	if (!csr_read(h, csr, &v))
		return false;
	(void)do_read;
	if (do_write) {
		/* Privileged spec 3.1.9: in a read-modify-write of mip, SEIP
		 * reads as the software-writable bit alone, so csrs/csrc of
		 * other bits can never latch the PLIC's line into it. */
		uint64_t base = v;
		if (csr == CSR_MIP)
			base = (v & ~MIP_SEIP) | h->mip_sw_seip;
		uint64_t n = op == CSR_OP_W ? operand :
			     op == CSR_OP_S ? base | operand : base & ~operand;
		if (!csr_write(h, csr, n))
			return false;
	}
	*old = v;
	return true;
}
