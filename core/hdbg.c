/* hdbg.c: breakpoint and watchpoint checks for the executor and the MMU. */
#include "core/hdbg.h"

#include <string.h>

#include "core/hart.h"
#include "core/mmu.h"
#include "core/tb.h"

bool hdbg_check_break(struct hart *h, uint64_t pc)
{
	struct hdbg *d = h->dbg;
	if (!d->armed || d->hit)
		return false;
	if (d->skip) {
		d->skip = false;
		if (d->skip_pc == pc)
			return false;
	}
	for (unsigned i = 0; i < d->nbp; i++)
		if (d->bp[i] == pc) {
			d->hit = true;
			d->hit_watch = false;
			d->hit_id = d->bp_id[i];
			d->hit_pc = pc;
			return true;
		}
	return false;
}

void hdbg_changed(struct hart *h)
{
	tb_flush_all(h);
	mmu_debug_changed(h);
}

bool hdbg_is_break(const struct hart *h, uint64_t pc)
{
	const struct hdbg *d = h->dbg;
	for (unsigned i = 0; i < d->nbp; i++)
		if (d->bp[i] == pc)
			return true;
	return false;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

bool hdbg_page_clear(const struct hart *h, uint64_t vpage, uint64_t ppage)
{
	const struct hdbg *d = h->dbg;
	for (unsigned i = 0; i < d->nw; i++) {
		uint64_t page = d->w[i].physical ? ppage : vpage;
		if (overlaps(d->w[i].addr, d->w[i].len, page & PAGE_MASK, PAGE_SIZE))
			return false;
	}
	return true;
}

static uint64_t host_value(const void *host, unsigned size)
{
	uint64_t v = 0;
	memcpy(&v, host, size > 8 ? 8 : size);
	return v;
}

void hdbg_access(struct hart *h, uint64_t vaddr, uint64_t paddr, unsigned size,
		 bool write, uint64_t val, const void *host)
{
	struct hdbg *d = h->dbg;
	if (!d->armed || d->hit)
		return;
	for (unsigned i = 0; i < d->nw; i++) {
		const struct hdbg_watch *w = &d->w[i];
		if (!(w->kind & (write ? HDBG_W : HDBG_R)))
			continue;
		if (!overlaps(w->addr, w->len, w->physical ? paddr : vaddr, size))
			continue;
		uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
		d->hit = true;
		d->hit_watch = true;
		d->hit_write = write;
		d->hit_id = w->id;
		d->hit_pc = 0; /* the executor's pc is not synced here */
		d->hit_addr = w->physical ? paddr : vaddr;
		d->hit_size = size;
		d->old_val = host ? host_value(host, size) : 0;
		d->new_val = write ? val & mask : d->old_val;
		/* Stop right after this instruction (it completes first). */
		h->leave_tb = true;
		atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
		return;
	}
}
