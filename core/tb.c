/* tb.c: translation-block cache: translate, look up, chain, invalidate. */
#include "core/tb.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/guestmem.h"
#include "core/hart.h"
#include "core/hdbg.h"
#include "core/jit.h"
#include "core/machine.h"
#include "core/mmu.h"
#include "core/trigger.h"

#define TB_ARENA_SIZE (32u << 20)
#define TB_HASH_BITS 15
#define TB_JC_BITS 12

/* Everything here belongs to the owning hart's thread (share-nothing). */
struct tb_cache {
	uint8_t *arena;
	size_t used;
	uint64_t gen;
	/* Bumped by FENCE.I: a block checked in an older epoch is compared
	 * with memory at its next lookup (tb_fence_i). */
	uint32_t fence_epoch;
	uint64_t translated;               /* blocks translated, ever */
	struct tb *hash[1u << TB_HASH_BITS];
	struct tb *jc[1u << TB_JC_BITS];   /* virtual-pc jump cache */
	uint64_t npages;                   /* RAM pages + 1 slot for the ROM */
	struct tb **page_heads;            /* per physical page */
	/* Which 8-byte granules of each page hold translated code, so that a
	 * store next to code (data sharing a page with it) does not throw the
	 * page's blocks away. Valid only for pages in code_pages. */
	uint64_t (*code_bits)[PAGE_SIZE / 8 / 64];
	uint8_t *listed;                   /* page is in code_pages */
	uint32_t *code_pages;              /* pages with code since last flush */
	size_t ncode_pages;
};

struct tb_cache *tb_cache_new(uint64_t ram_size)
{
	struct tb_cache *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->arena = malloc(TB_ARENA_SIZE);
	c->npages = (ram_size >> PAGE_SHIFT) + 1;
	/* calloc of a large array costs nothing until pages are touched. */
	c->page_heads = calloc(c->npages, sizeof(*c->page_heads));
	c->code_bits = calloc(c->npages, sizeof(*c->code_bits));
	c->listed = calloc(c->npages, 1);
	c->code_pages = calloc(c->npages, sizeof(*c->code_pages));
	if (!c->arena || !c->page_heads || !c->code_bits || !c->listed ||
	    !c->code_pages) {
		tb_cache_free(c);
		return NULL;
	}
	return c;
}

void tb_cache_free(struct tb_cache *c)
{
	if (!c)
		return;
	free(c->arena);
	free(c->page_heads);
	free(c->code_bits);
	free(c->listed);
	free(c->code_pages);
	free(c);
}

/* Page slot for a physical address holding code, or -1. */
static int64_t page_slot(const struct hart *h, uint64_t paddr)
{
	const struct tb_cache *c = h->tbc;
	if (paddr >= RAM_BASE && paddr - RAM_BASE < h->m->ram_size)
		return (int64_t)((paddr - RAM_BASE) >> PAGE_SHIFT);
	if (paddr >= BOOTROM_BASE && paddr < BOOTROM_BASE + BOOTROM_SIZE)
		return (int64_t)c->npages - 1;
	return -1;
}

uint32_t tb_flags(const struct hart *h)
{
	bool fs_on = (h->mstatus & MSTATUS_FS) != 0;
	return h->priv | (fs_on ? 4u : 0u);
}

uint64_t tb_gen(const struct hart *h)
{
	return h->tbc->gen;
}

uint64_t tb_translated(const struct hart *h)
{
	return h->tbc->translated;
}

const uint64_t *tb_gen_ptr(const struct hart *h)
{
	return &h->tbc->gen;
}

static unsigned hash_of(uint64_t ppc, uint32_t flags)
{
	uint64_t k = (ppc >> 1) ^ ((uint64_t)flags << 40);
	k *= 0x9e3779b97f4a7c15ull;
	return (unsigned)(k >> (64 - TB_HASH_BITS));
}

static unsigned jc_of(uint64_t vpc)
{
	return (unsigned)(vpc >> 1) & ((1u << TB_JC_BITS) - 1);
}

void tb_flush_all(struct hart *h)
{
	struct tb_cache *c = h->tbc;
	c->used = 0;
	c->gen++;
	memset(c->hash, 0, sizeof(c->hash));
	memset(c->jc, 0, sizeof(c->jc));
	for (size_t i = 0; i < c->ncode_pages; i++) {
		uint32_t s = c->code_pages[i];
		c->page_heads[s] = NULL;
		memset(c->code_bits[s], 0, sizeof(c->code_bits[s]));
		c->listed[s] = 0;
	}
	c->ncode_pages = 0;
	h->tb_flush_pending = true;
	/* No block is reachable any more: neither is their native code. */
	jit_reset(h->jit);
}

void tb_fence_i(struct hart *h)
{
	struct tb_cache *c = h->tbc;
	c->fence_epoch++;
	/* No chain may skip the lookup's check (the jump cache does not:
	 * its hits are checked too). */
	c->gen++;
	h->tb_flush_pending = true;
}

void tb_mappings_changed(struct hart *h)
{
	/* Chains skip the fetch translation, so they go; the jump cache
	 * stays: tb_lookup translates pc and checks every hit's ppc. */
	h->tbc->gen++;
}

bool tb_page_has_code(const struct hart *h, uint64_t paddr)
{
	int64_t s = page_slot(h, paddr);
	return s >= 0 && h->tbc->page_heads[s] != NULL;
}

static void hash_remove(struct tb_cache *c, struct tb *tb)
{
	struct tb **pp = &c->hash[hash_of(tb->ppc, tb->flags)];
	while (*pp && *pp != tb)
		pp = &(*pp)->hash_next;
	if (*pp)
		*pp = tb->hash_next;
}

bool tb_invalidate_page(struct hart *h, uint64_t paddr)
{
	struct tb_cache *c = h->tbc;
	int64_t s = page_slot(h, paddr);
	if (s < 0 || !c->page_heads[s])
		return false;
	uint64_t page = paddr >> PAGE_SHIFT;
	struct tb *tb = c->page_heads[s];
	c->page_heads[s] = NULL;
	memset(c->code_bits[s], 0, sizeof(c->code_bits[s]));
	while (tb) {
		unsigned which = tb->page[0] == page ? 0 : 1;
		struct tb *next = tb->page_next[which];
		if (tb->valid) {
			tb->valid = false;
			hash_remove(c, tb);
		}
		tb = next;
	}
	/* Blocks on two pages may still be listed on the other page; they are
	 * invalid now and are skipped there. Chains into them die with the
	 * generation bump. */
	c->gen++;
	h->tb_flush_pending = true;
	return true;
}

bool tb_code_overlaps(const struct hart *h, uint64_t paddr, unsigned size)
{
	int64_t s = page_slot(h, paddr);
	if (s < 0 || !h->tbc->page_heads[s])
		return false;
	const uint64_t *bits = h->tbc->code_bits[s];
	unsigned first = (unsigned)(paddr & ~PAGE_MASK) / 8;
	unsigned last = (unsigned)((paddr & ~PAGE_MASK) + size - 1) / 8;
	if (last >= PAGE_SIZE / 8)
		last = PAGE_SIZE / 8 - 1;
	for (unsigned g = first; g <= last; g++)
		if (bits[g / 64] >> (g % 64) & 1)
			return true;
	return false;
}

/* Mark the granules of [start, end) (physical, one page) as code. */
static void mark_code(struct tb_cache *c, int64_t s, uint64_t start,
		      uint64_t end)
{
	for (uint64_t g = (start & ~PAGE_MASK) / 8;
	     g <= ((end - 1) & ~PAGE_MASK) / 8; g++)
		c->code_bits[s][g / 64] |= 1ull << (g % 64);
}

static void page_add(struct hart *h, struct tb *tb, unsigned which,
		     uint64_t start, uint64_t end)
{
	struct tb_cache *c = h->tbc;
	int64_t s = page_slot(h, tb->page[which] << PAGE_SHIFT);
	assert(s >= 0);
	if (!c->page_heads[s])
		/* First code on this page: stores to it must now take the slow
		 * path so they can invalidate what we translate. */
		mmu_drop_write_page(h, tb->page[which] << PAGE_SHIFT);
	if (!c->listed[s]) {
		c->listed[s] = 1;
		c->code_pages[c->ncode_pages++] = (uint32_t)s;
	}
	mark_code(c, s, start, end);
	tb->page_next[which] = c->page_heads[s];
	c->page_heads[s] = tb;
}

/* Translate vpc for fetching; false with the exception set on a fault. */
static bool fetch_translate(struct hart *h, uint64_t vpc, uint64_t *ppc)
{
	int cause = mmu_fetch_translate(h, vpc, ppc);
	if (cause) {
		h->exc_cause = (uint64_t)cause;
		h->exc_tval = vpc;
		return false;
	}
	return true;
}

/* The code at a physical pc fetch_translate gave (RAM or ROM). */
static const uint8_t *code_ptr(struct hart *h, uint64_t ppc)
{
	bool wr;
	const uint8_t *p = machine_phys_ptr(h->m, ppc, 2, &wr);
	assert(p); /* the fetch TLB maps only RAM and ROM */
	return p;
}

static struct tb *tb_alloc(struct hart *h)
{
	struct tb_cache *c = h->tbc;
	size_t need = sizeof(struct tb) + (TB_MAX_INSNS + 1) * sizeof(struct op);
	if (c->used + need > TB_ARENA_SIZE) {
		tb_flush_all(h);
		if (h->rr)
			h->m->hooks->cc_inval(h, HOOK_PAGE_ALL, HOOK_CC_FULL);
	}
	struct tb *tb = (struct tb *)(c->arena + c->used);
	return tb;
}

static struct tb *tb_translate(struct hart *h, uint64_t vpc, uint64_t ppc,
				uint32_t flags)
{
	const uint8_t *p = code_ptr(h, ppc);
	struct tb *tb = tb_alloc(h);
	memset(tb, 0, sizeof(*tb));
	tb->vpc = vpc;
	tb->ppc = ppc;
	tb->flags = flags;
	tb->fence_epoch = h->tbc->fence_epoch;
	tb->page[0] = ppc >> PAGE_SHIFT;
	tb->page[1] = TB_NO_PAGE;
	bool fs_on = flags & 4;
	uint64_t pc = vpc;
	unsigned n = 0;
	for (;;) {
		/* A debugger breakpoint starts a block of its own. */
		if (n && h->dbg && hdbg_is_break(h, pc))
			break;
		/* So does a guest execute trigger's address (core/trigger.h). */
		if (n && h->trig.exec_armed && trigger_exec_addr(h, pc))
			break;
		uint32_t raw = (uint32_t)gmem_read(p, 2);
		if (decode_len((uint16_t)raw) == 4) {
			if (((pc + 2) & ~PAGE_MASK) == 0) {
				/* Straddles a page: only as a block's sole insn. */
				if (n)
					break;
				uint64_t ppc2;
				if (!fetch_translate(h, pc + 2, &ppc2))
					return NULL;
				raw |= (uint32_t)gmem_read(code_ptr(h, ppc2), 2) << 16;
				tb->page[1] = ppc2 >> PAGE_SHIFT;
			} else {
				raw |= (uint32_t)gmem_read(p + 2, 2) << 16;
			}
		}
		struct op *op = &tb->ops[n++];
		decode_insn(raw, pc, op);
		if (!fs_on && decode_is_fp(op->id))
			op->id = INSN_ILLEGAL;
		pc += op->len;
		p += op->len;
		if (decode_ends_tb(op->id) || n == TB_MAX_INSNS ||
		    tb->page[1] != TB_NO_PAGE || (pc & ~PAGE_MASK) == 0)
			break;
	}
	tb->n = (uint16_t)n;
	if (!decode_ends_tb(tb->ops[n - 1].id)) {
		struct op *end = &tb->ops[n];
		memset(end, 0, sizeof(*end));
		end->id = INSN_TB_END;
		end->pc = pc;
	}
	h->tbc->translated++;
	h->tbc->used += sizeof(struct tb) + (n + 1) * sizeof(struct op);
	h->tbc->used = (h->tbc->used + 15) & ~(size_t)15;
	tb->valid = true;
	uint64_t code_end = ppc + (pc - vpc);
	if (tb->page[1] == TB_NO_PAGE) {
		page_add(h, tb, 0, ppc, code_end);
	} else {
		page_add(h, tb, 0, ppc, ppc + 2);
		uint64_t p2 = tb->page[1] << PAGE_SHIFT;
		page_add(h, tb, 1, p2, p2 + 2);
	}
	unsigned hi = hash_of(ppc, flags);
	tb->hash_next = h->tbc->hash[hi];
	h->tbc->hash[hi] = tb;
	return tb;
}

/*
 * A straddling block depends on the second page's mapping too. Its pc is
 * looked up every time it runs (nothing chains into it under record and
 * replay), so this consults the fetch TLB at the same points in both.
 */
static bool second_page_ok(struct hart *h, const struct tb *tb, bool *fault)
{
	uint64_t ppc2;
	*fault = false;
	if (tb->page[1] == TB_NO_PAGE)
		return true;
	if (!fetch_translate(h, tb->vpc + 2, &ppc2)) {
		*fault = true;
		return false;
	}
	return ppc2 >> PAGE_SHIFT == tb->page[1];
}

/*
 * Does memory still hold the instructions tb was translated from? Then a
 * translation now would give the same block: decoding and the cut points
 * depend on the bits, vpc and flags only (breakpoints and triggers, which
 * also cut blocks, flush the whole cache when they change). The caller
 * holds the rights to read both pages (its fetch translations).
 */
static bool code_unchanged(struct hart *h, const struct tb *tb)
{
	const uint8_t *p = code_ptr(h, tb->ppc);
	if (tb->page[1] != TB_NO_PAGE) {
		/* A straddling block is one instruction, its halves on two
		 * pages. */
		const uint8_t *p2 = code_ptr(h, tb->page[1] << PAGE_SHIFT);
		uint32_t raw = (uint32_t)gmem_read(p, 2) |
			       (uint32_t)gmem_read(p2, 2) << 16;
		return raw == tb->ops[0].raw;
	}
	for (unsigned i = 0; i < tb->n; i++) {
		const struct op *op = &tb->ops[i];
		uint32_t raw = (uint32_t)gmem_read(p, op->len);
		if (raw != op->raw)
			return false;
		p += op->len;
	}
	return true;
}

struct tb *tb_lookup(struct hart *h, uint64_t pc)
{
	struct tb_cache *c = h->tbc;
	uint32_t flags = tb_flags(h);
	uint64_t ppc;
	/* Every lookup translates pc through the fetch TLB, so the jump
	 * cache below is only a cache of blocks, never of translations. */
	if (!fetch_translate(h, pc, &ppc))
		return NULL;
	struct tb **jce = &c->jc[jc_of(pc)];
	struct tb *tb = *jce;
	if (!tb || tb->vpc != pc || tb->ppc != ppc || tb->flags != flags || !tb->valid)
		for (tb = c->hash[hash_of(ppc, flags)]; tb; tb = tb->hash_next)
			if (tb->ppc == ppc && tb->flags == flags && tb->valid &&
			    tb->vpc == pc)
				break;
	bool fault;
	if (tb && !second_page_ok(h, tb, &fault)) {
		if (fault)
			return NULL;
		tb->valid = false; /* its second page is mapped elsewhere now */
		hash_remove(c, tb);
		c->gen++;
		tb = NULL;
	}
	if (tb && tb->fence_epoch != c->fence_epoch) {
		if (code_unchanged(h, tb)) {
			tb->fence_epoch = c->fence_epoch;
		} else {
			tb->valid = false; /* stale since a FENCE.I */
			hash_remove(c, tb);
			c->gen++;
			tb = NULL;
		}
	}
	if (!tb) {
		tb = tb_translate(h, pc, ppc, flags);
		if (!tb)
			return NULL;
	}
	*jce = tb;
	return tb;
}

bool tb_may_chain(const struct hart *h, const struct tb *from, const struct tb *to)
{
	if (from->flags != to->flags)
		return false;
	/* A block at an execute trigger's address is entered only through
	 * the lookup, which checks the trigger. */
	if (h->trig.exec_armed && trigger_exec_addr(h, to->vpc))
		return false;
	/* Record and replay cut blocks at different places, so a page change
	 * must consult the fetch TLB whether or not a chain exists: only
	 * same-page, single-page edges are chained there. */
	if (h->rr)
		return ((from->vpc ^ to->vpc) & PAGE_MASK) == 0 &&
		       to->page[1] == TB_NO_PAGE;
	return true;
}
