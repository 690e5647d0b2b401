/* sbi.c: the built-in SBI's ECALL handler (RISC-V SBI spec v2.0) and boot state. */
#include "core/sbi.h"

#include <string.h>

#include "core/guestmem.h"
#include "core/hart.h"
#include "core/mmu.h"
#include "core/riscv.h"
#include "core/trap.h"
#include "devices/clint.h"
#include "devices/sifive_test.h"
#include "devices/uart.h"

/* SBI spec §3.2: standard error codes. */
enum {
	SBI_SUCCESS = 0, SBI_ERR_FAILED = -1, SBI_ERR_NOT_SUPPORTED = -2,
	SBI_ERR_INVALID_PARAM = -3, SBI_ERR_INVALID_ADDRESS = -5,
	SBI_ERR_ALREADY_AVAILABLE = -6,
};

/* Extension IDs (SBI spec §4-§12) and the legacy ones (§5). */
enum {
	EID_LEGACY_SET_TIMER = 0x00, EID_LEGACY_PUTCHAR = 0x01,
	EID_LEGACY_GETCHAR = 0x02, EID_LEGACY_CLEAR_IPI = 0x03,
	EID_LEGACY_SHUTDOWN = 0x08,
	EID_BASE = 0x10, EID_TIME = 0x54494D45, EID_IPI = 0x735049,
	EID_RFENCE = 0x52464E43, EID_HSM = 0x48534D, EID_SRST = 0x53525354,
	EID_DBCN = 0x4442434E,
};

enum { HSM_STARTED = 0, HSM_STOPPED = 1, HSM_START_PENDING = 2 };

/* §4: spec version 2.0 (major in bits 30:24). The implementation ID is
 * not one the SBI spec assigns: "rrv" in ASCII. */
#define SBI_SPEC_VERSION (2u << 24)
#define SBI_IMPL_ID 0x727276
#define SBI_IMPL_VERSION 1

/* The call's argument registers a0..a7. */
#define A(i) (c->h->x[10 + (i)])

struct call {
	struct hart *h;
	long error;
	uint64_t value;
	bool legacy;      /* v0.1 calls return in a0 only */
	bool aborted;     /* the run stopped inside an access */
	uint64_t next_pc; /* where the hart goes after the ECALL */
	unsigned next_priv;
};

static bool ok(struct call *c, int r)
{
	if (r == MEM_EXC) {
		c->aborted = c->h->exc_cause == EXC_ABORT;
		if (!c->aborted)
			c->error = SBI_ERR_FAILED;
		return false;
	}
	return true;
}

static bool load(struct call *c, uint64_t pa, unsigned size, uint64_t *v)
{
	return ok(c, mmu_phys_load(c->h, pa, size, v));
}

static bool store(struct call *c, uint64_t pa, unsigned size, uint64_t v)
{
	return ok(c, mmu_phys_store(c->h, pa, size, v));
}

static uint64_t *rmw(struct call *c, uint64_t pa)
{
	uint64_t *p = mmu_phys_rmw_ptr(c->h, pa, 8);
	if (!p)
		ok(c, MEM_EXC);
	return p;
}

/* Console bytes in the I/O domain, as a UART THR write would be. */
static bool console_out(struct call *c, const uint8_t *b, size_t n)
{
	if (!ok(c, mmu_phys_need(c->h, UART_BASE, true) ? MEM_EXC : MEM_OK))
		return false;
	struct machine *m = c->h->m;
	pthread_mutex_lock(&m->io_lock);
	for (size_t i = 0; i < n; i++)
		machine_console_out(m, b[i]);
	pthread_mutex_unlock(&m->io_lock);
	return true;
}

/* One received byte through the UART's registers (what firmware's 8250
 * driver does), or -1 when none is waiting. */
static long console_in(struct call *c)
{
	uint64_t lsr, rbr;
	if (!load(c, UART_BASE + 5, 1, &lsr) || !(lsr & 1))
		return -1;
	if (!load(c, UART_BASE, 1, &rbr))
		return -1;
	return (long)(rbr & 0xff);
}

static void set_timer(struct call *c, uint64_t when)
{
	struct hart *h = c->h;
	if (!store(c, CLINT_BASE + CLINT_MTIMECMP_OFF + 8ull * h->id, 8, when))
		return;
	/* §6.1: the pending timer interrupt is cleared; MTIP (folded at the
	 * next safe point) traps to the ROM, which sets STIP again. */
	h->mip &= ~MIP_STIP;
	h->mie |= MIP_MTIP;
	atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
}

/* ---- hart masks (§3.1: hart_mask_base = -1 means every hart) ---- */

static bool mask_valid(struct call *c, uint64_t mask, uint64_t base)
{
	unsigned n = c->h->m->nharts;
	if (base == ~0ull)
		return true;
	for (unsigned i = 0; i < 64; i++)
		if (((mask >> i) & 1) && (base >= n || i >= n - base)) {
			c->error = SBI_ERR_INVALID_PARAM;
			return false;
		}
	return true;
}

static bool in_mask(uint64_t mask, uint64_t base, unsigned hart)
{
	if (base == ~0ull)
		return true;
	return hart >= base && hart - base < 64 && ((mask >> (hart - base)) & 1);
}

/* Post request bits to hart t's mailbox and raise its msip; *ticket: its
 * SEQ count after this request (0 = none wanted). */
static bool post(struct call *c, unsigned t, uint64_t bits, uint64_t *ticket)
{
	uint64_t *req = rmw(c, sbi_mbox(t) + SBI_MB_REQ);
	if (!req)
		return false;
	__atomic_fetch_or(req, bits, __ATOMIC_SEQ_CST);
	if (ticket) {
		uint64_t *seq = rmw(c, sbi_mbox(t) + SBI_MB_SEQ);
		if (!seq)
			return false;
		*ticket = __atomic_add_fetch(seq, 1, __ATOMIC_SEQ_CST);
	}
	return store(c, CLINT_BASE + 4ull * t, 4, 1);
}

static void send_ipi(struct call *c, uint64_t mask, uint64_t base)
{
	if (!mask_valid(c, mask, base))
		return;
	for (unsigned t = 0; t < c->h->m->nharts; t++)
		if (in_mask(mask, base, t) && !post(c, t, SBI_REQ_IPI, NULL))
			return;
}

/* Enter the ROM as a trap from S-mode would (mepc = the return address,
 * MPP = S, MIE = 0), at rom. */
static void enter_rom(struct call *c, uint64_t rom)
{
	struct hart *h = c->h;
	h->mepc = h->pc + 4;
	uint64_t s = h->mstatus & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE);
	if (h->mstatus & MSTATUS_MIE)
		s |= MSTATUS_MPIE;
	h->mstatus = s | (uint64_t)h->priv << MSTATUS_MPP_SHIFT;
	c->next_pc = rom;
	c->next_priv = PRV_M;
}

/* §8: the fence is done on every target when the call returns: the ROM
 * waits for each target's DONE to reach the ticket. */
static void remote_fence(struct call *c, uint64_t mask, uint64_t base,
			 uint64_t bits)
{
	struct hart *h = c->h;
	if (!mask_valid(c, mask, base))
		return;
	uint64_t own = sbi_mbox(h->id), n = 0;
	for (unsigned t = 0; t < h->m->nharts; t++) {
		uint64_t ticket;
		if (!in_mask(mask, base, t))
			continue;
		if (!post(c, t, bits, &ticket) ||
		    !store(c, own + SBI_MB_WAIT + 16 * n, 8, sbi_mbox(t)) ||
		    !store(c, own + SBI_MB_WAIT + 16 * n + 8, 8, ticket))
			return;
		n++;
	}
	if (n && store(c, own + SBI_MB_WAITN, 8, n))
		enter_rom(c, SBI_ROM_RFWAIT);
}

static void call_rfence(struct call *c, uint64_t fid)
{
	switch (fid) {
	case 0: remote_fence(c, A(0), A(1), SBI_REQ_FENCE_I); break;
	/* A whole SFENCE.VMA covers any range and ASID asked for. */
	case 1: case 2: remote_fence(c, A(0), A(1), SBI_REQ_SFENCE); break;
	default: c->error = SBI_ERR_NOT_SUPPORTED; break; /* no H extension */
	}
}

/* ---- HSM (§9) ---- */

static void hart_start(struct call *c, uint64_t t, uint64_t addr, uint64_t opaque)
{
	struct machine *m = c->h->m;
	if (t >= m->nharts) {
		c->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	if (addr < RAM_BASE || addr - RAM_BASE >= m->ram_size) {
		c->error = SBI_ERR_INVALID_ADDRESS;
		return;
	}
	uint64_t mb = sbi_mbox((unsigned)t);
	uint64_t *state = rmw(c, mb + SBI_MB_STATE);
	if (!state)
		return;
	/* Claimed first, so a racing hart_start fails and the target never
	 * sees START_PENDING before the address is written. */
	uint64_t want = HSM_STOPPED;
	if (!__atomic_compare_exchange_n(state, &want, SBI_HSM_CLAIMED, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		c->error = SBI_ERR_ALREADY_AVAILABLE;
		return;
	}
	if (store(c, mb + SBI_MB_START, 8, addr) &&
	    store(c, mb + SBI_MB_OPAQUE, 8, opaque) &&
	    (state = rmw(c, mb + SBI_MB_STATE))) {
		__atomic_store_n(state, HSM_START_PENDING, __ATOMIC_SEQ_CST);
		store(c, CLINT_BASE + 4 * t, 4, 1);
	}
}

static void hart_stop(struct call *c)
{
	struct hart *h = c->h;
	if (!store(c, sbi_mbox(h->id) + SBI_MB_STATE, 8, HSM_STOPPED))
		return;
	/* Only MSIP may wake the parked hart. */
	h->mie = MIP_MSIP;
	h->mip &= ~(MIP_SSIP | MIP_STIP);
	h->mstatus &= ~MSTATUS_MIE;
	c->next_pc = SBI_ROM_PARK;
	c->next_priv = PRV_M;
}

static void hart_status(struct call *c, uint64_t t)
{
	uint64_t v;
	if (t >= c->h->m->nharts) {
		c->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	if (load(c, sbi_mbox((unsigned)t) + SBI_MB_STATE, 8, &v))
		c->value = v == SBI_HSM_CLAIMED ? HSM_START_PENDING : v;
}

/* Retentive suspend is WFI (§9.4: it resumes, as from WFI, when an
 * interrupt is pending); non-retentive ones are not implemented. */
static bool hart_suspend(struct call *c, uint64_t type)
{
	if (type == 0)
		return !trap_wfi_wakeup(c->h);
	bool reserved = (type > 0 && type < 0x10000000) ||
			(type > 0x80000000 && type < 0x90000000) || type >> 32;
	c->error = reserved ? SBI_ERR_INVALID_PARAM : SBI_ERR_NOT_SUPPORTED;
	return false;
}

static void call_hsm(struct call *c, uint64_t fid, bool *suspend)
{
	switch (fid) {
	case 0: hart_start(c, A(0), A(1), A(2)); break;
	case 1: hart_stop(c); break;
	case 2: hart_status(c, A(0)); break;
	case 3: *suspend = hart_suspend(c, A(0)); break;
	default: c->error = SBI_ERR_NOT_SUPPORTED; break;
	}
}

/* ---- SRST (§10) and the legacy shutdown ---- */

static void system_reset(struct call *c, uint64_t type, uint64_t reason)
{
	if (type > 2) {
		c->error = type >= 0xF0000000 && type <= 0xFFFFFFFF ?
			   SBI_ERR_NOT_SUPPORTED : SBI_ERR_INVALID_PARAM;
		return;
	}
	/* Ordered with every other end of the run, as a finisher write is. */
	if (!ok(c, mmu_phys_need(c->h, SIFIVE_TEST_BASE, true) ? MEM_EXC : MEM_OK))
		return;
	/* rrv's convention: no reason = exit 0, system failure = 1, a
	 * vendor reason 0xF0000000 + N = exit code N (§10.1 leaves them to
	 * the implementation). */
	int code = reason == 0 ? 0 : reason == 1 ? 1 :
		   reason >= 0xF0000000 && reason <= 0xF00000FF ? (int)(reason & 0xff) : 1;
	if (type == 0)
		machine_request_exit(c->h->m, EXIT_GUEST, code);
	else
		machine_request_exit(c->h->m, EXIT_RESET, 0);
}

/* ---- DBCN (§12) ---- */

static bool dbcn_range(struct call *c, uint64_t n, uint64_t lo, uint64_t hi)
{
	struct machine *m = c->h->m;
	if (hi || lo < RAM_BASE || lo - RAM_BASE > m->ram_size ||
	    n > m->ram_size - (lo - RAM_BASE)) {
		c->error = SBI_ERR_INVALID_PARAM;
		return false;
	}
	return true;
}

static void dbcn_write(struct call *c, uint64_t n, uint64_t lo, uint64_t hi)
{
	if (!dbcn_range(c, n, lo, hi))
		return;
	uint8_t buf[256];
	uint64_t done = 0;
	while (done < n) {
		uint64_t pa = lo + done;
		uint64_t k = PAGE_SIZE - (pa & (PAGE_SIZE - 1));
		if (k > sizeof(buf))
			k = sizeof(buf);
		if (k > n - done)
			k = n - done;
		if (!ok(c, mmu_phys_need(c->h, pa, false) ? MEM_EXC : MEM_OK))
			return;
		/* Byte by byte: another hart may be writing it (relaxed
		 * atomics, as every host access to guest RAM). */
		const uint8_t *src = c->h->m->ram + (pa - RAM_BASE);
		for (uint64_t i = 0; i < k; i++)
			buf[i] = (uint8_t)gmem_read(src + i, 1);
		if (!console_out(c, buf, k))
			return;
		done += k;
	}
	c->value = n;
}

static void dbcn_read(struct call *c, uint64_t n, uint64_t lo, uint64_t hi)
{
	if (!dbcn_range(c, n, lo, hi))
		return;
	uint64_t k = 0;
	for (long b; k < n && (b = console_in(c)) >= 0; k++)
		if (!store(c, lo + k, 1, (uint64_t)b))
			return;
	if (!c->aborted)
		c->value = k;
}

static void call_dbcn(struct call *c, uint64_t fid)
{
	uint8_t b = (uint8_t)A(0);
	switch (fid) {
	case 0: dbcn_write(c, A(0), A(1), A(2)); break;
	case 1: dbcn_read(c, A(0), A(1), A(2)); break;
	case 2: console_out(c, &b, 1); break;
	default: c->error = SBI_ERR_NOT_SUPPORTED; break;
	}
}

/* ---- Base (§4) ---- */

static bool implemented(uint64_t eid)
{
	switch (eid) {
	case EID_LEGACY_SET_TIMER: case EID_LEGACY_PUTCHAR:
	case EID_LEGACY_GETCHAR: case EID_LEGACY_CLEAR_IPI:
	case EID_LEGACY_SHUTDOWN:
	case EID_BASE: case EID_TIME: case EID_IPI: case EID_RFENCE:
	case EID_HSM: case EID_SRST: case EID_DBCN:
		return true;
	default:
		return false;
	}
}

static void call_base(struct call *c, uint64_t fid)
{
	switch (fid) {
	case 0: c->value = SBI_SPEC_VERSION; break;
	case 1: c->value = SBI_IMPL_ID; break;
	case 2: c->value = SBI_IMPL_VERSION; break;
	case 3: c->value = implemented(A(0)); break;
	/* mvendorid, marchid, mimpid: rrv's CSRs read 0. */
	case 4: case 5: case 6: c->value = 0; break;
	default: c->error = SBI_ERR_NOT_SUPPORTED; break;
	}
}

/* The v0.1 calls (§5): a0 is the result, a1 stays. */
static void call_legacy(struct call *c, uint64_t eid)
{
	c->legacy = true;
	uint8_t b = (uint8_t)A(0);
	switch (eid) {
	case EID_LEGACY_SET_TIMER: set_timer(c, A(0)); break;
	case EID_LEGACY_PUTCHAR: console_out(c, &b, 1); break;
	case EID_LEGACY_GETCHAR: c->error = console_in(c); break;
	case EID_LEGACY_CLEAR_IPI: c->h->mip &= ~MIP_SSIP; break;
	case EID_LEGACY_SHUTDOWN: system_reset(c, 0, 0); break;
	default: c->error = SBI_ERR_NOT_SUPPORTED; break;
	}
}

enum sbi_outcome sbi_ecall(struct hart *h)
{
	struct call call = { .h = h, .next_pc = h->pc + 4, .next_priv = h->priv };
	struct call *c = &call;
	/* Binary encoding chapter: EID and FID are signed 32-bit values. */
	uint64_t eid = (uint32_t)A(7), fid = (uint32_t)A(6);
	bool suspend = false;
	switch (eid) {
	case EID_BASE: call_base(c, fid); break;
	case EID_TIME:
		if (fid == 0)
			set_timer(c, A(0));
		else
			c->error = SBI_ERR_NOT_SUPPORTED;
		break;
	case EID_IPI:
		if (fid == 0)
			send_ipi(c, A(0), A(1));
		else
			c->error = SBI_ERR_NOT_SUPPORTED;
		break;
	case EID_RFENCE: call_rfence(c, fid); break;
	case EID_HSM: call_hsm(c, fid, &suspend); break;
	case EID_SRST:
		if (fid == 0)
			system_reset(c, A(0), A(1));
		else
			c->error = SBI_ERR_NOT_SUPPORTED;
		break;
	case EID_DBCN: call_dbcn(c, fid); break;
	default:
		if (eid <= EID_LEGACY_SHUTDOWN)
			call_legacy(c, eid);
		else
			c->error = SBI_ERR_NOT_SUPPORTED;
		break;
	}
	if (c->aborted)
		return SBI_ABORT;
	A(0) = (uint64_t)c->error;
	if (!c->legacy)
		A(1) = c->value;
	if (suspend) {
		h->in_wfi = true;
		return SBI_SUSPEND;
	}
	h->pc = c->next_pc;
	if (c->next_priv != h->priv)
		trap_set_priv(h, c->next_priv);
	return SBI_RETIRED;
}

/* ---- boot: what firmware leaves an S-mode kernel ---- */

/* Every exception but the ECALLs from S and M (and the reserved causes)
 * goes to the kernel; its interrupts too. */
#define SBI_MEDELEG 0xb1ffull
#define SBI_MIDELEG (MIP_SSIP | MIP_STIP | MIP_SEIP)

void sbi_prepare(struct machine *m)
{
	for (unsigned i = 0; i < m->nharts; i++) {
		struct hart *h = m->harts[i];
		h->medeleg = SBI_MEDELEG;
		h->mideleg = SBI_MIDELEG;
		h->mie = MIP_MSIP;
		h->mtvec = SBI_ROM_TRAP;
		h->mscratch = sbi_mbox(i);
		/* cycle, time and instret readable in S-mode (§6: the time
		 * CSR is how a kernel reads what set_timer compares with). */
		h->mcounteren = 7;
		h->mstatus = (h->mstatus & ~MSTATUS_FS) | (1ull << 13); /* FS = Initial */
		uint8_t *mb = m->ram + (sbi_mbox(i) - RAM_BASE);
		memset(mb, 0, SBI_MBOX_STRIDE);
		uint64_t state = i == 0 ? HSM_STARTED : HSM_STOPPED;
		memcpy(mb + SBI_MB_STATE, &state, 8);
		if (i == 0) {
			h->pc = m->entry;
			h->x[10] = 0;
			h->x[11] = m->dtb_addr;
			trap_set_priv(h, PRV_S);
		} else {
			h->pc = SBI_ROM_PARK;
		}
	}
}
