/* mmu.c: Sv39 translation, TLB refill and the load/store slow paths. */
#include "core/mmu.h"

#include <assert.h>
#include <string.h>
#include <unistd.h>

#include "core/guestmem.h"
#include "core/hart.h"
#include "core/hdbg.h"
#include "core/machine.h"
#include "core/tb.h"
#include "core/trigger.h"
#include "devices/clint.h"
#include "devices/device.h"

#define SATP_MODE_SHIFT 60
#define SATP_MODE_SV39 8ull
#define SATP_PPN_MASK ((1ull << 44) - 1)

#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK ((1ull << 44) - 1)

static int page_fault(enum access acc)
{
	return acc == ACC_FETCH ? EXC_INSN_PAGE :
	       acc == ACC_WRITE ? EXC_STORE_PAGE : EXC_LOAD_PAGE;
}

static int access_fault(enum access acc)
{
	return acc == ACC_FETCH ? EXC_INSN_ACCESS :
	       acc == ACC_WRITE ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS;
}

static unsigned effective_priv(const struct hart *h, enum access acc)
{
	if (acc != ACC_FETCH && (h->mstatus & MSTATUS_MPRV))
		return (unsigned)((h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
	return h->priv;
}

static bool leaf_allows(const struct hart *h, uint64_t pte, unsigned priv,
			enum access acc)
{
	if (pte & PTE_U) {
		/* S-mode never executes user pages; data needs SUM. */
		if (priv == PRV_S && (acc == ACC_FETCH || !(h->mstatus & MSTATUS_SUM)))
			return false;
	} else if (priv == PRV_U) {
		return false;
	}
	switch (acc) {
	case ACC_FETCH: return pte & PTE_X;
	case ACC_WRITE: return pte & PTE_W;
	default:
		return (pte & PTE_R) || ((h->mstatus & MSTATUS_MXR) && (pte & PTE_X));
	}
}

/* Sv39 walk (privileged spec §4.3.2 / §4.4), A/D updated by hardware as
 * QEMU does. PTE reads and writes are ordinary accesses to guest RAM. */
/* Record/replay: rights to the page of paddr (DESIGN.md §4.1). */
static int need(struct hart *h, uint64_t paddr, bool write)
{
	if (!h->rr)
		return 0;
	/* Code dropped while waiting (a revoked page) ends the block
	 * after this instruction. */
	h->tb_flush_pending = false;
	int r = h->m->hooks->need(h, paddr, write);
	if (r == HOOK_ABORT)
		return EXC_ABORT;
	if (h->tb_flush_pending)
		h->leave_tb = true;
	return 0;
}

static int walk_sv39(struct hart *h, uint64_t vaddr, unsigned priv,
		     enum access acc, uint64_t *paddr)
{
	if ((uint64_t)((int64_t)(vaddr << 25) >> 25) != vaddr)
		return page_fault(acc);
	uint64_t base = (h->satp & SATP_PPN_MASK) << PAGE_SHIFT;
	for (int level = 2; level >= 0; level--) {
		uint64_t vpn = (vaddr >> (PAGE_SHIFT + 9 * level)) & 0x1ff;
		uint64_t pte_addr = base + vpn * 8;
		bool wr;
		uint8_t *p = machine_phys_ptr(h->m, pte_addr, 8, &wr);
		if (!p)
			return access_fault(acc);
		int ab = need(h, pte_addr, false);
		if (ab)
			return ab;
		uint64_t pte = gmem_read(p, 8);
		if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)))
			return page_fault(acc);
		uint64_t ppn = (pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK;
		if (!(pte & (PTE_R | PTE_X))) {
			base = ppn << PAGE_SHIFT;
			continue;
		}
		if (!leaf_allows(h, pte, priv, acc))
			return page_fault(acc);
		uint64_t lowmask = (1ull << (9 * level)) - 1;
		if (ppn & lowmask) /* misaligned superpage */
			return page_fault(acc);
		uint64_t want = PTE_A | (acc == ACC_WRITE ? PTE_D : 0);
		if ((pte & want) != want) {
			if (!wr)
				return access_fault(acc);
			if ((ab = need(h, pte_addr, true)))
				return ab;
			uint64_t expect = pte;
			/* Another hart may update the same PTE: set A/D with a
			 * compare-and-swap and walk again if it changed. */
			if (!__atomic_compare_exchange_n((uint64_t *)p, &expect,
							 pte | want, false,
							 __ATOMIC_SEQ_CST,
							 __ATOMIC_RELAXED))
				return walk_sv39(h, vaddr, priv, acc, paddr);
		}
		uint64_t off_mask = (1ull << (PAGE_SHIFT + 9 * level)) - 1;
		*paddr = ((ppn << PAGE_SHIFT) & ~off_mask) | (vaddr & off_mask);
		return 0;
	}
	return page_fault(acc);
}

int mmu_translate(struct hart *h, uint64_t vaddr, enum access acc,
		  uint64_t *paddr)
{
	unsigned priv = effective_priv(h, acc);
	if (priv == PRV_M || (h->satp >> SATP_MODE_SHIFT) != SATP_MODE_SV39) {
		*paddr = vaddr;
		return 0;
	}
	return walk_sv39(h, vaddr, priv, acc, paddr);
}

static void raise(struct hart *h, int cause, uint64_t tval)
{
	h->exc_cause = (uint64_t)cause;
	h->exc_tval = tval;
}

/* Install a TLB entry for the page if its memory may be accessed directly. */
static void tlb_fill(struct hart *h, uint64_t vaddr, uint64_t paddr,
		     enum access acc)
{
	bool writable;
	uint8_t *host = machine_phys_ptr(h->m, paddr & PAGE_MASK, PAGE_SIZE,
					 &writable);
	if (!host)
		return;
	/* Entries grant no more than the hart's ownership (DESIGN.md §4.1). */
	if (h->rr && !h->m->hooks->allows(h, paddr, acc == ACC_WRITE))
		return;
	struct tlb_set *set = acc == ACC_FETCH ? h->tlb_fetch : h->tlb_data;
	struct tlb_entry *e;
	uint64_t slow = 0;
	if (acc == ACC_WRITE) {
		uint64_t ppage = paddr & PAGE_MASK;
		if (!writable || (h->m->tohost && (h->m->tohost & PAGE_MASK) == ppage))
			return;
		if (tb_page_has_code(h, paddr))
			slow = TLB_SLOW;
		e = &set->w[tlb_index(vaddr)];
	} else {
		e = acc == ACC_FETCH ? &set->x[tlb_index(vaddr)]
				     : &set->r[tlb_index(vaddr)];
	}
	/* A watched page's entries keep their translation but never hit the
	 * fast path, so the slow path sees every access (core/hdbg.h). */
	if (h->dbg && acc != ACC_FETCH && !hdbg_page_clear(h, vaddr, paddr))
		slow = TLB_SLOW;
	/* So do those of a page a guest load/store trigger covers. */
	if (h->trig.mem_armed && acc != ACC_FETCH && !trigger_page_clear(h, vaddr))
		slow = TLB_SLOW;
	mmu_tlb_note(h, paddr, e);
	e->tag = (vaddr & PAGE_MASK) | slow;
	e->addend = (uintptr_t)host - (uintptr_t)(vaddr & PAGE_MASK);
}

void mmu_debug_changed(struct hart *h)
{
	/* Entries filled before a watchpoint was set: keep them (a flush
	 * would make this replay walk where the recording did not), but
	 * send their accesses to the slow path; entries of pages no longer
	 * watched go back to the fast path (a write entry of a page with
	 * code keeps its own mark). */
	for (unsigned md = 0; md < TLB_NMODES; md++) {
		struct tlb_entry *arrs[2] = { h->tlbs[md].r, h->tlbs[md].w };
		for (unsigned a = 0; a < 2; a++)
			for (unsigned i = 0; i < TLB_SIZE; i++) {
				struct tlb_entry *e = &arrs[a][i];
				if (e->tag == TLB_INVALID)
					continue;
				uint64_t pa = machine_host_phys(h->m, (const uint8_t *)tlb_entry_host(e));
				uint64_t va = e->tag & PAGE_MASK;
				if ((h->dbg && !hdbg_page_clear(h, va, pa)) ||
				    (h->trig.mem_armed && !trigger_page_clear(h, va)))
					e->tag |= TLB_SLOW;
				else if (a == 0 || !tb_page_has_code(h, pa))
					e->tag &= ~TLB_SLOW;
			}
	}
}

/*
 * The translation a TLB entry of `set` caches for vaddr, if any (TLB_SLOW
 * entries included). Caching translations until SFENCE.VMA is what the
 * privileged spec allows; using the cache on the slow paths too keeps the
 * page-table reads (and so the ownership they need) a function of the
 * instruction stream alone.
 */
static bool tlb_cached(const struct hart *h, const struct tlb_entry *e,
		       uint64_t vaddr, uint64_t *paddr)
{
	if (e->tag == TLB_INVALID || (e->tag & PAGE_MASK) != (vaddr & PAGE_MASK))
		return false;
	*paddr = machine_host_phys(h->m, (const uint8_t *)(uintptr_t)(vaddr + e->addend));
	return true;
}

int mmu_fetch_translate(struct hart *h, uint64_t vpc, uint64_t *ppc)
{
	if (tlb_cached(h, &h->tlb_fetch->x[tlb_index(vpc)], vpc, ppc))
		return 0;
	int cause = mmu_translate(h, vpc, ACC_FETCH, ppc);
	if (cause)
		return cause;
	bool wr;
	if (!machine_phys_ptr(h->m, *ppc, 2, &wr))
		return EXC_INSN_ACCESS;
	/* Translating reads the code: it needs read rights to the page. */
	if (h->rr && h->m->hooks->need(h, *ppc, false) != HOOK_OK)
		return EXC_ABORT;
	tlb_fill(h, vpc, *ppc, ACC_FETCH);
	return 0;
}

static int mmio_access(struct hart *h, uint64_t vaddr, uint64_t paddr,
		       unsigned size, uint64_t *val, bool write)
{
	struct mmio_dev *d = machine_find_dev(h->m, paddr);
	if (!d || paddr + size > d->base + d->size) {
		raise(h, write ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS, vaddr);
		return MEM_EXC;
	}
	int ab = need(h, paddr, true); /* the I/O domain */
	if (ab) {
		raise(h, ab, vaddr);
		return MEM_EXC;
	}
	struct machine *m = h->m;
	pthread_mutex_lock(&m->io_lock);
	if (m->obs)
		m->io_hart = h;
	if (write)
		d->write(d->opaque, paddr - d->base, *val, size);
	else
		*val = d->read(d->opaque, paddr - d->base, size);
	if (m->obs && m->obs->mmio)
		m->obs->mmio(m->obs->ctx, h, paddr, size, *val, write);
	pthread_mutex_unlock(&m->io_lock);
	/* mtime reads observe the host clock: logged / replayed. */
	if (h->rr && !write && d->base == CLINT_BASE &&
	    paddr - d->base >= CLINT_MTIME_OFF && paddr - d->base < CLINT_MTIME_OFF + 8)
		*val = h->m->hooks->time(h, *val);
	return MEM_END_TB;
}

static int load_aligned(struct hart *h, uint64_t vaddr, unsigned size,
			uint64_t *val)
{
	uint64_t paddr;
	int cause = mmu_translate(h, vaddr, ACC_READ, &paddr);
	if (cause) {
		raise(h, cause, vaddr);
		return MEM_EXC;
	}
	bool wr;
	uint8_t *p = machine_phys_ptr(h->m, paddr, size, &wr);
	if (!p)
		return mmio_access(h, vaddr, paddr, size, val, false);
	if ((cause = need(h, paddr, false))) {
		raise(h, cause, vaddr);
		return MEM_EXC;
	}
	tlb_fill(h, vaddr, paddr, ACC_READ);
	*val = gmem_read(p, size);
	if (h->dbg)
		hdbg_access(h, vaddr, paddr, size, false, 0, p);
	return MEM_OK;
}

/*
 * A load the fast path would have served, but for the TLB_SLOW mark of a
 * watched page: done through the entry as the fast path does (no walk,
 * which the recording did not do either), and checked.
 */
static bool watched_hit(struct hart *h, uint64_t vaddr, unsigned size, bool write,
			uint64_t val, uint64_t *out)
{
	const struct tlb_entry *e = write ? &h->tlb_data->w[tlb_index(vaddr)]
					  : &h->tlb_data->r[tlb_index(vaddr)];
	if (!(e->tag & TLB_SLOW) || e->tag == TLB_INVALID ||
	    (vaddr & (PAGE_MASK | (size - 1))) != (e->tag & ~TLB_SLOW))
		return false;
	uint8_t *p = (uint8_t *)(uintptr_t)(vaddr + e->addend);
	uint64_t paddr = machine_host_phys(h->m, p);
	if (write) {
		/* Code pages carry the mark too: their stores must take the
		 * full path (code invalidation). */
		if (tb_code_overlaps(h, paddr, size) ||
		    (h->m->tohost && (paddr & PAGE_MASK) == (h->m->tohost & PAGE_MASK)))
			return false;
		if (h->dbg)
			hdbg_access(h, vaddr, paddr, size, true, val, p);
		gmem_write(p, size, val);
	} else {
		*out = gmem_read(p, size);
		if (h->dbg)
			hdbg_access(h, vaddr, paddr, size, false, 0, p);
	}
	return true;
}

/* A guest load/store trigger on this access fires before it is done:
 * memory and devices see nothing (timing "before"). */
static bool trigger_hit(struct hart *h, uint64_t vaddr, unsigned size,
			unsigned kinds)
{
	if (!h->trig.mem_armed || !trigger_mem_fire(h, vaddr, size, kinds))
		return false;
	raise(h, EXC_BREAKPOINT, vaddr);
	return true;
}

/* Misaligned accesses are performed byte by byte, as QEMU's RISC-V target
 * does for plain loads and stores (they never trap as misaligned). */
int mmu_load(struct hart *h, uint64_t vaddr, unsigned size, uint64_t *val)
{
	if (trigger_hit(h, vaddr, size, TRIG_LOAD))
		return MEM_EXC;
	if ((h->dbg || h->trig.mem_armed) &&
	    watched_hit(h, vaddr, size, false, 0, val))
		return MEM_OK;
	if (!(vaddr & (size - 1)))
		return load_aligned(h, vaddr, size, val);
	uint64_t v = 0;
	int ret = MEM_OK;
	for (unsigned i = 0; i < size; i++) {
		uint64_t b;
		int r = load_aligned(h, vaddr + i, 1, &b);
		if (r == MEM_EXC)
			return r;
		ret |= r;
		v |= b << (8 * i);
	}
	*val = v;
	return ret;
}

static int htif_write(struct hart *h, uint64_t paddr, uint64_t val);

static int store_aligned(struct hart *h, uint64_t vaddr, unsigned size,
			 uint64_t val)
{
	uint64_t paddr;
	int cause = 0;
	if (!tlb_cached(h, &h->tlb_data->w[tlb_index(vaddr)], vaddr, &paddr))
		cause = mmu_translate(h, vaddr, ACC_WRITE, &paddr);
	if (cause) {
		raise(h, cause, vaddr);
		return MEM_EXC;
	}
	bool wr;
	uint8_t *p = machine_phys_ptr(h->m, paddr, size, &wr);
	if (!p)
		return mmio_access(h, vaddr, paddr, size, &val, true);
	if (!wr) {
		raise(h, EXC_STORE_ACCESS, vaddr);
		return MEM_EXC;
	}
	if ((cause = need(h, paddr, true))) {
		raise(h, cause, vaddr);
		return MEM_EXC;
	}
	int ret = mmu_note_code_write(h, paddr, size);
	if (h->dbg)
		hdbg_access(h, vaddr, paddr, size, true, val, p);
	gmem_write(p, size, val);
	if (h->m->tohost && paddr == h->m->tohost)
		ret |= htif_write(h, paddr, val);
	tlb_fill(h, vaddr, paddr, ACC_WRITE);
	return ret;
}

int mmu_store(struct hart *h, uint64_t vaddr, unsigned size, uint64_t val)
{
	uint64_t unused;
	if (trigger_hit(h, vaddr, size, TRIG_STORE))
		return MEM_EXC;
	if ((h->dbg || h->trig.mem_armed) &&
	    watched_hit(h, vaddr, size, true, val, &unused))
		return MEM_OK;
	if (!(vaddr & (size - 1)))
		return store_aligned(h, vaddr, size, val);
	/* Check every byte's translation first so a fault leaves memory as
	 * it was (the instruction did not execute). */
	for (unsigned i = 0; i < size; i++) {
		uint64_t pa;
		int cause = mmu_translate(h, vaddr + i, ACC_WRITE, &pa);
		if (cause) {
			raise(h, cause, vaddr + i);
			return MEM_EXC;
		}
	}
	int ret = MEM_OK;
	for (unsigned i = 0; i < size; i++) {
		int r = store_aligned(h, vaddr + i, 1, val >> (8 * i));
		if (r == MEM_EXC)
			return r;
		ret |= r;
	}
	return ret;
}

int mmu_note_code_write(struct hart *h, uint64_t paddr, unsigned size)
{
	if (!tb_code_overlaps(h, paddr, size))
		return MEM_OK;
	tb_invalidate_page(h, paddr);
	if (h->rr)
		h->m->hooks->cc_inval(h, paddr >> PAGE_SHIFT, HOOK_CC_SMC);
	return MEM_END_TB;
}

void *mmu_atomic_ptr(struct hart *h, uint64_t vaddr, unsigned size,
		     enum mmu_atomic kind, uint64_t *paddr)
{
	bool lr = kind == MMU_AT_LR;
	/* Sdtrig: an LR is a load, an SC a store, an AMO both; a trigger
	 * outranks misalignment and translation faults ("Priority"). */
	if (trigger_hit(h, vaddr, size, lr ? TRIG_LOAD : kind == MMU_AT_SC ?
			TRIG_STORE : TRIG_LOAD | TRIG_STORE))
		return NULL;
	if (vaddr & (size - 1)) {
		raise(h, lr ? EXC_LOAD_MISALIGNED : EXC_STORE_MISALIGNED, vaddr);
		return NULL;
	}
	enum access acc = lr ? ACC_READ : ACC_WRITE;
	int cause = mmu_translate(h, vaddr, acc, paddr);
	if (cause) {
		raise(h, cause, vaddr);
		return NULL;
	}
	bool wr;
	uint8_t *p = machine_phys_ptr(h->m, *paddr, size, &wr);
	if (!p || (!lr && !wr)) {
		raise(h, lr ? EXC_LOAD_ACCESS : EXC_STORE_ACCESS, vaddr);
		return NULL;
	}
	/* An LR takes the page exclusively too: the reservation lives as
	 * long as the hart keeps it (DESIGN.md §4.1). */
	if ((cause = need(h, *paddr, true))) {
		raise(h, cause, vaddr);
		return NULL;
	}
	/* Watched: an AMO or SC writes, an LR reads (the debugger reads the
	 * value after the instruction). */
	if (h->dbg)
		hdbg_access(h, vaddr, *paddr, size, !lr, 0, p);
	return p;
}

/*
 * HTIF (riscv-tests / Spike convention): tohost = dev << 56 | cmd << 48 |
 * payload. dev 0 cmd 0 with payload bit 0 set ends the run with exit code
 * payload >> 1; dev 1 cmd 1 writes the payload's low byte to the console.
 */
static int htif_write(struct hart *h, uint64_t paddr, uint64_t val)
{
	struct machine *m = h->m;
	unsigned dev = (unsigned)(val >> 56), cmd = (unsigned)(val >> 48) & 0xff;
	uint64_t payload = val & ((1ull << 48) - 1);
	bool wr;
	if (dev == 0 && cmd == 0 && (payload & 1)) {
		machine_request_exit(m, EXIT_GUEST, (int)(payload >> 1));
		return MEM_END_TB;
	}
	if (dev == 1 && cmd == 1) {
		uint8_t c = (uint8_t)payload;
		pthread_mutex_lock(&m->io_lock);
		machine_console_out(m, c);
		pthread_mutex_unlock(&m->io_lock);
		uint8_t *p = machine_phys_ptr(m, paddr, 8, &wr);
		gmem_write(p, 8, 0);
		if (m->fromhost && (p = machine_phys_ptr(m, m->fromhost, 8, &wr)) &&
		    !need(h, m->fromhost, true))
			gmem_write(p, 8, (1ull << 56) | (1ull << 48));
	}
	return MEM_END_TB;
}

void mmu_flush_tlb(struct hart *h)
{
	/* All-ones tags never match a (page-aligned) lookup. */
	memset(h->tlbs, 0xff, sizeof(h->tlbs));
}

/* The hart's TLB entries as one array: r, w, x of each mode in turn. */
static struct tlb_entry *tlb_entries(struct hart *h)
{
	_Static_assert(sizeof(struct tlb_set) == 3 * TLB_SIZE * sizeof(struct tlb_entry),
		       "tlb sets are three arrays of entries, unpadded");
	return h->tlbs[0].r;
}
#define TLB_ENTRIES (TLB_NMODES * 3 * TLB_SIZE)
_Static_assert(TLB_ENTRIES <= UINT16_MAX, "rmap slots are 16-bit");

static bool slot_is_write(unsigned s) { return s / TLB_SIZE % 3 == 1; }

static struct tlb_rmap *rmap_of(struct hart *h, uint64_t paddr, uintptr_t *host)
{
	if (paddr < RAM_BASE || paddr - RAM_BASE >= h->m->ram_size)
		return NULL;
	bool wr;
	*host = (uintptr_t)machine_phys_ptr(h->m, paddr & PAGE_MASK, PAGE_SIZE, &wr);
	return *host ? &h->tlb_rmap[(paddr - RAM_BASE) >> PAGE_SHIFT] : NULL;
}

static bool slot_maps(struct hart *h, unsigned s, uintptr_t host)
{
	const struct tlb_entry *e = &tlb_entries(h)[s];
	return e->tag != TLB_INVALID && tlb_entry_host(e) == host;
}

void mmu_tlb_note(struct hart *h, uint64_t paddr, const struct tlb_entry *e)
{
	uintptr_t host;
	struct tlb_rmap *r = rmap_of(h, paddr, &host);
	if (!r || r->all)
		return;
	unsigned s = (unsigned)(e - tlb_entries(h));
	assert(s < TLB_ENTRIES);
	for (unsigned i = 0; i < r->n; i++)
		if (r->slot[i] == s)
			return;
	if (r->n == TLB_RMAP_SLOTS) {       /* keep the live ones */
		unsigned k = 0;
		for (unsigned i = 0; i < r->n; i++)
			if (slot_maps(h, r->slot[i], host))
				r->slot[k++] = r->slot[i];
		r->n = (uint8_t)k;
	}
	if (r->n == TLB_RMAP_SLOTS)
		r->all = true;
	else
		r->slot[r->n++] = (uint16_t)s;
}

void mmu_tlb_drop_page(struct hart *h, uint64_t paddr, bool writes_only)
{
	uintptr_t host = 0;
	struct tlb_rmap *r = rmap_of(h, paddr, &host);
	struct tlb_entry *t = tlb_entries(h);
	if (r && !r->all) {
		unsigned k = 0;
		for (unsigned i = 0; i < r->n; i++) {
			unsigned s = r->slot[i];
			if (writes_only && !slot_is_write(s))
				r->slot[k++] = (uint16_t)s;
			else if (slot_maps(h, s, host))
				t[s].tag = TLB_INVALID;
		}
		r->n = (uint8_t)k;
		return;
	}
	if (!r) {
		bool wr;
		host = (uintptr_t)machine_phys_ptr(h->m, paddr & PAGE_MASK, PAGE_SIZE, &wr);
		if (!host)
			return;
	}
	for (unsigned s = 0; s < TLB_ENTRIES; s++)
		if ((!writes_only || slot_is_write(s)) && slot_maps(h, s, host))
			t[s].tag = TLB_INVALID;
	if (r && !writes_only) {
		r->n = 0;
		r->all = false;
	}
}

void mmu_drop_write_page(struct hart *h, uint64_t paddr)
{
	bool wr;
	uintptr_t host = (uintptr_t)machine_phys_ptr(h->m, paddr & PAGE_MASK,
						     PAGE_SIZE, &wr);
	if (!host)
		return;
	/* Keep the translations, lose the fast path (see TLB_SLOW). */
	for (unsigned m = 0; m < TLB_NMODES; m++)
		for (unsigned i = 0; i < TLB_SIZE; i++) {
			struct tlb_entry *e = &h->tlbs[m].w[i];
			if (e->tag != TLB_INVALID && tlb_entry_host(e) == host)
				e->tag |= TLB_SLOW;
		}
}

bool mmu_debug_translate(const struct hart *h, uint64_t vaddr, uint64_t *paddr)
{
	unsigned priv = h->priv;
	if (h->mstatus & MSTATUS_MPRV)
		priv = (unsigned)((h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
	if (priv == PRV_M || (h->satp >> 60) != 8) {
		*paddr = vaddr;
		return true;
	}
	/* Sv39, read-only: the debugger sets no A/D bits. */
	if ((uint64_t)((int64_t)(vaddr << 25) >> 25) != vaddr)
		return false;
	uint64_t base = (h->satp & ((1ull << 44) - 1)) << PAGE_SHIFT;
	for (int level = 2; level >= 0; level--) {
		uint64_t idx = (vaddr >> (PAGE_SHIFT + 9 * level)) & 511;
		bool wr;
		const uint8_t *p = machine_phys_ptr(h->m, base + idx * 8, 8, &wr);
		if (!p)
			return false;
		uint64_t pte;
		memcpy(&pte, p, 8);
		if (!(pte & 1) || (!(pte & 2) && (pte & 4)))
			return false;
		uint64_t ppn = (pte >> 10) & ((1ull << 44) - 1);
		if (pte & (2 | 8)) {
			uint64_t off_mask = (1ull << (PAGE_SHIFT + 9 * level)) - 1;
			*paddr = ((ppn << PAGE_SHIFT) & ~off_mask) | (vaddr & off_mask);
			return true;
		}
		base = ppn << PAGE_SHIFT;
	}
	return false;
}

/* ---- accesses by physical address for rrv's own firmware (core/sbi.c) ---- */

int mmu_phys_need(struct hart *h, uint64_t paddr, bool write)
{
	return need(h, paddr, write);
}

int mmu_phys_load(struct hart *h, uint64_t paddr, unsigned size, uint64_t *val)
{
	bool wr;
	uint8_t *p = machine_phys_ptr(h->m, paddr, size, &wr);
	if (!p)
		return mmio_access(h, paddr, paddr, size, val, false);
	int cause = need(h, paddr, false);
	if (cause) {
		raise(h, cause, paddr);
		return MEM_EXC;
	}
	*val = gmem_read(p, size);
	return MEM_OK;
}

int mmu_phys_store(struct hart *h, uint64_t paddr, unsigned size, uint64_t val)
{
	void *p = mmu_phys_rmw_ptr(h, paddr, size);
	if (p) {
		gmem_write(p, size, val);
		return MEM_OK;
	}
	if (h->exc_cause == EXC_ABORT)
		return MEM_EXC;
	return mmio_access(h, paddr, paddr, size, &val, true);
}

void *mmu_phys_rmw_ptr(struct hart *h, uint64_t paddr, unsigned size)
{
	bool wr;
	uint8_t *p = machine_phys_ptr(h->m, paddr, size, &wr);
	if (!p || !wr) {
		raise(h, EXC_STORE_ACCESS, paddr);
		return NULL;
	}
	int cause = need(h, paddr, true);
	if (cause) {
		raise(h, cause, paddr);
		return NULL;
	}
	mmu_note_code_write(h, paddr, size);
	return p;
}
