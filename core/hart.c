/* hart.c: hart lifecycle, its host thread loop, safe points, WFI sleep. */
#include "core/hart.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/chaos.h"
#include "core/exec.h"
#include "core/fpu_fast.h"
#include "core/hdbg.h"
#include "core/jit.h"
#include "core/machine.h"
#include "core/mmu.h"
#include "core/tb.h"
#include "core/trap.h"
#include "devices/clint.h"

/* Instructions per exec_run call when nothing else bounds it; only affects
 * how often the loop below re-checks limits, not correctness. */
#define HART_QUANTUM 1000000ull
/* A hart's quantum while --inject spurious-irq is live: it looks at mtime
 * for an owed raise after each (a few microseconds of guest code; 50,000
 * raises a second are 20 us apart). */
#define HART_INJECT_QUANTUM 1000ull

struct hart *hart_new(struct machine *m, unsigned id)
{
	struct hart *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->m = m;
	h->id = id;
	h->tbc = tb_cache_new(m->ram_size);
	h->tlb_rmap = calloc(m->ram_size >> PAGE_SHIFT, sizeof(*h->tlb_rmap));
	if (!h->tbc || !h->tlb_rmap) {
		tb_cache_free(h->tbc);
		free(h->tlb_rmap);
		free(h);
		return NULL;
	}
	pthread_mutex_init(&h->wfi_lock, NULL);
	/* Monotonic, the clock mtime runs on: hart_nap's timed wait. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->wfi_cond, &ca);
	pthread_condattr_destroy(&ca);
	h->icount_limit = UINT64_MAX;
	h->fpu_soft = m->cfg.fpu_soft || !fpu_fast_host_ok();
	h->jit = jit_new(m->cfg.jit);
	h->jit_threshold = h->jit ? (uint16_t)jit_threshold(h->jit) : 0;
	trigger_reset(&h->trig);
	return h;
}

void hart_free(struct hart *h)
{
	if (!h)
		return;
	tb_cache_free(h->tbc);
	free(h->tlb_rmap);
	jit_free(h->jit);
	pthread_mutex_destroy(&h->wfi_lock);
	pthread_cond_destroy(&h->wfi_cond);
	free(h);
}

void hart_reset(struct hart *h, uint64_t entry, uint64_t a1)
{
	memset(h->x, 0, sizeof(h->x));
	memset(h->f, 0, sizeof(h->f));
	h->pc = entry;
	h->x[10] = h->id;
	h->x[11] = a1;
	h->priv = PRV_M;
	h->mstatus = 0;
	h->icount = 0;
	h->resv_valid = false;
	h->in_wfi = false;
	memset(&h->tw, 0, sizeof(h->tw));
	trigger_reset(&h->trig);
	mmu_flush_tlb(h);
	hart_update_tlb_mode(h);
	tb_flush_all(h);
}

void hart_update_tlb_mode(struct hart *h)
{
	static const enum tlb_mode by_priv[4] = { TLB_U, TLB_S, TLB_M, TLB_M };
	unsigned dpriv = h->priv;
	if (h->mstatus & MSTATUS_MPRV)
		dpriv = (unsigned)((h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
	h->tlb_fetch = &h->tlbs[by_priv[h->priv & 3]];
	h->tlb_data = &h->tlbs[by_priv[dpriv & 3]];
}

void hart_kick(struct hart *h)
{
	atomic_store_explicit(&h->exit_request, 1, memory_order_release);
	/* Taking the lock orders the store before a sleeper's re-check. */
	pthread_mutex_lock(&h->wfi_lock);
	pthread_cond_signal(&h->wfi_cond);
	pthread_mutex_unlock(&h->wfi_lock);
}

void hart_set_async_mip(struct hart *h, uint64_t bits, bool level)
{
	/* Replay mutes asynchronous sources: MIP changes come from the log. */
	if (h->rr && h->m->hooks->replaying)
		return;
	if (level)
		atomic_fetch_or_explicit(&h->async_mip, bits, memory_order_release);
	else
		atomic_fetch_and_explicit(&h->async_mip, ~bits, memory_order_release);
	hart_kick(h);
}

bool hart_safe_point(struct hart *h)
{
	atomic_exchange_explicit(&h->exit_request, 0, memory_order_acquire);
	if (atomic_load_explicit(&h->m->stop, memory_order_acquire))
		return false;
	if (h->rr && !h->m->hooks->safe_point(h))
		return false;
	/* `rrv run`: the first hart here raises what --inject spurious-irq
	 * owes (a recording's safe_point hook does, and logs it). */
	if (!h->rr && machine_inject_due(h->m) &&
	    machine_inject_owed(h->m)) {
		pthread_mutex_lock(&h->m->io_lock);
		machine_inject_irq(h->m, h, h->m->cfg.spurious_src);
		pthread_mutex_unlock(&h->m->io_lock);
	}
	uint64_t async = atomic_load_explicit(&h->async_mip, memory_order_acquire);
	if (h->rr && (async & HART_ASYNC_MIP) != h->mip_ext)
		h->m->hooks->mip(h, async & HART_ASYNC_MIP);
	h->mip_ext = async & HART_ASYNC_MIP;
	h->mip = (h->mip & ~HART_ASYNC_MIP) | h->mip_ext | h->mip_sw_seip;
	if (h->in_wfi) {
		if (!trap_wfi_wakeup(h))
			return true;
		/* WFI retires now; the interrupt (if enabled) comes after it. */
		h->in_wfi = false;
		h->pc += 4;
		h->icount++;
	}
	trap_check_interrupt(h);
	return true;
}

bool hart_nap(struct hart *h, uint64_t ns)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (ns != UINT64_MAX) {
		uint64_t t = (uint64_t)ts.tv_nsec + ns;
		ts.tv_sec += (time_t)(t / 1000000000ull);
		ts.tv_nsec = (long)(t % 1000000000ull);
	}
	bool timed_out = false;
	pthread_mutex_lock(&h->wfi_lock);
	while (!atomic_load_explicit(&h->exit_request, memory_order_acquire)) {
		if (ns == UINT64_MAX) {
			pthread_cond_wait(&h->wfi_cond, &h->wfi_lock);
		} else if (pthread_cond_timedwait(&h->wfi_cond, &h->wfi_lock, &ts) == ETIMEDOUT) {
			timed_out = true;
			break;
		}
	}
	pthread_mutex_unlock(&h->wfi_lock);
	return timed_out;
}

static void wfi_sleep(struct hart *h)
{
	/* Hart 0 owes spurious raises by guest time even while the guest
	 * idles (--inject): it wakes itself for the next, which then takes
	 * it out of WFI if the guest enabled the source. */
	uint64_t ticks = h->id == 0 ? machine_inject_wait(h->m) : UINT64_MAX;
	uint64_t ns = ticks == UINT64_MAX ? UINT64_MAX :
		      ticks * (1000000000ull / CLINT_TIMEBASE_HZ);
	if (hart_nap(h, ns))
		atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
}

void *hart_thread(void *arg)
{
	struct hart *h = arg;
	struct machine *m = h->m;
	for (;;) {
		if (atomic_load_explicit(&h->exit_request, memory_order_relaxed) &&
		    !hart_safe_point(h))
			break;
		if (atomic_load_explicit(&m->pause.requested, memory_order_acquire) &&
		    !machine_park(h))
			break;
		if (h->in_wfi) {
			wfi_sleep(h);
			continue;
		}
		if (h->icount >= h->icount_limit) {
			machine_request_exit(m, EXIT_INSN_LIMIT, 0);
			break;
		}
		uint64_t budget = h->icount_limit - h->icount;
		if (budget > HART_QUANTUM)
			budget = HART_QUANTUM;
		if (m->inject_live && budget > HART_INJECT_QUANTUM)
			budget = HART_INJECT_QUANTUM;
		if (h->rr)
			budget = m->hooks->budget(h, budget);
		/* rrv chaos: maybe stall, cut the slice, or starve (0: round the
		 * loop again, answering revocations and stops meanwhile). */
		if (m->chaos && !(budget = chaos_point(h, budget)))
			continue;
		struct machine_pause *p = &m->pause;
		bool icount_trigger = h->id == p->at_hart && p->at_icount && !p->fired;
		if (icount_trigger && p->at_icount - h->icount < budget)
			budget = p->at_icount - h->icount;
		if (h->test_crash_at > h->icount && h->test_crash_at - h->icount < budget)
			budget = h->test_crash_at - h->icount;
		h->insn_icount = h->icount;
		exec_run(h, budget);
		if (h->rr)
			m->hooks->boundary(h);
		if (machine_inject_due(m))
			atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
		atomic_store_explicit(&h->progress, h->icount + h->irqs_taken,
				      memory_order_relaxed);
		if (h->test_crash_at && h->icount >= h->test_crash_at)
			machine_test_crash(h);
		if (icount_trigger && h->icount >= p->at_icount) {
			p->fired = true;
			machine_request_pause(m);
		}
		/* A debugger's breakpoint or watchpoint (rrv run --gdb): every
		 * hart stops, this one before anything else happens to it. */
		if (h->dbg && h->dbg->hit) {
			machine_request_pause(m);
			if (!machine_park(h))
				break;
		}
	}
	return NULL;
}
