/* trigger.c: Sdtrig triggers: the CSRs' WARL rules, matching, firing. */
#include "core/trigger.h"

#include <assert.h>

#include "core/hart.h"
#include "core/mmu.h"
#include "core/riscv.h"
#include "core/tb.h"

/* tdata1.type (bits 63:60, XLEN = 64) and the types implemented. */
#define TYPE_SHIFT 60
#define TYPE_MCONTROL 2ull
#define TYPE_MCONTROL6 6ull
#define TYPE_DISABLED 15ull
#define TDATA1_DISABLED (TYPE_DISABLED << TYPE_SHIFT)

/* Fields mcontrol and mcontrol6 share (same bits in both). */
#define MC_LOAD (1ull << 0)
#define MC_STORE (1ull << 1)
#define MC_EXEC (1ull << 2)
#define MC_U (1ull << 3)
#define MC_S (1ull << 4)
#define MC_M (1ull << 6)
#define MC_MATCH_SHIFT 7
#define MC_MATCH_MASK 15u
#define MC_MODES (MC_M | MC_S | MC_U)
#define MC_KEEP (MC_MODES | MC_EXEC | MC_STORE | MC_LOAD)
/* mcontrol.hit; mcontrol6.hit0 and hit1 ({hit1, hit0} = 1: fired before
 * the instruction, the only timing here). */
#define MC2_HIT (1ull << 20)
#define MC6_HIT0 (1ull << 22)
#define MC6_HIT1 (1ull << 25)

enum { MATCH_EQ = 0, MATCH_GE = 2, MATCH_LT = 3 };

/* tinfo: version 1 (Sdtrig as ratified, 1.0) in bits 31:24, and the
 * types every trigger supports in info (15:0). */
#define TINFO_VALUE ((1ull << 24) | (1ull << TYPE_DISABLED) | \
		     (1ull << TYPE_MCONTROL6) | (1ull << TYPE_MCONTROL))

void trigger_reset(struct trig_state *t)
{
	for (unsigned i = 0; i < TRIG_COUNT; i++) {
		t->tdata1[i] = TDATA1_DISABLED;
		t->tdata2[i] = 0;
	}
	t->tselect = 0;
	t->exec_armed = t->mem_armed = false;
}

uint64_t trigger_legal_tdata1(uint64_t v)
{
	uint64_t type = v >> TYPE_SHIFT;
	uint64_t keep = MC_KEEP;
	if (type == TYPE_MCONTROL)
		keep |= MC2_HIT;
	else if (type == TYPE_MCONTROL6)
		keep |= MC6_HIT0 | MC6_HIT1;
	else
		/* Writing 0 disables a trigger; so does asking for a type it
		 * does not support (tdata1.type is WARL). */
		return TDATA1_DISABLED;
	/* dmode (no Debug Mode), action (only 0), chain, select, timing,
	 * size and maskmax keep their only value, 0; vs/vu are hard-wired
	 * 0 without the H extension. */
	uint64_t n = (type << TYPE_SHIFT) | (v & keep);
	unsigned match = (unsigned)(v >> MC_MATCH_SHIFT) & MC_MATCH_MASK;
	if (match == MATCH_GE || match == MATCH_LT)
		n |= (uint64_t)match << MC_MATCH_SHIFT;
	return n;
}

/* The accesses a trigger matches (0 when it can never match). */
static unsigned kinds_of(uint64_t t1)
{
	uint64_t type = t1 >> TYPE_SHIFT;
	if ((type != TYPE_MCONTROL && type != TYPE_MCONTROL6) || !(t1 & MC_MODES))
		return 0;
	return (unsigned)(t1 & (MC_EXEC | MC_STORE | MC_LOAD));
}

void trigger_refresh(struct trig_state *t)
{
	unsigned k = 0;
	for (unsigned i = 0; i < TRIG_COUNT; i++)
		k |= kinds_of(t->tdata1[i]);
	t->exec_armed = (k & TRIG_EXEC) != 0;
	t->mem_armed = (k & (TRIG_LOAD | TRIG_STORE)) != 0;
}

/* Does any byte of [a, a + len) compare as tdata1.match asks with t2? */
static bool addr_match(uint64_t t1, uint64_t t2, uint64_t a, uint64_t len)
{
	uint64_t last = a + (len - 1);
	bool wraps = last < a; /* the range holds both ~0 and 0 */
	switch ((t1 >> MC_MATCH_SHIFT) & MC_MATCH_MASK) {
	case MATCH_GE: return last >= t2 || wraps;
	case MATCH_LT: return a < t2 || (wraps && t2 != 0);
	default: return t2 - a < len;
	}
}

/*
 * The privilege bit for the current mode, and Sdtrig's reentrancy rule
 * ("Native Triggers"): without tcontrol, a hart must keep action = 0
 * triggers from matching or firing in M-mode while mstatus.MIE = 0, and,
 * when breakpoints are delegated (medeleg[3] = 1), in S-mode while
 * sstatus.SIE = 0, so a trigger cannot fire inside the trap handler that
 * would take it and overwrite its xepc/xcause.
 */
static bool mode_allows(const struct hart *h, uint64_t t1)
{
	switch (h->priv) {
	case PRV_M:
		return (t1 & MC_M) && (h->mstatus & MSTATUS_MIE);
	case PRV_S:
		if ((h->medeleg >> EXC_BREAKPOINT & 1) && !(h->mstatus & MSTATUS_SIE))
			return false;
		return (t1 & MC_S) != 0;
	default:
		return (t1 & MC_U) != 0;
	}
}

static uint64_t with_hit(uint64_t t1)
{
	if (t1 >> TYPE_SHIFT == TYPE_MCONTROL)
		return t1 | MC2_HIT;
	return (t1 & ~MC6_HIT1) | MC6_HIT0;
}

/* Every trigger that matches fires and is marked (Sdtrig "Priority":
 * hit is set for all the triggers of one priority that fire at once). */
static bool fire(struct hart *h, unsigned kinds, uint64_t a, unsigned len)
{
	struct trig_state *t = &h->trig;
	bool fired = false;
	for (unsigned i = 0; i < TRIG_COUNT; i++) {
		uint64_t t1 = t->tdata1[i];
		if (!(kinds_of(t1) & kinds) || !mode_allows(h, t1) ||
		    !addr_match(t1, t->tdata2[i], a, len))
			continue;
		t->tdata1[i] = with_hit(t1);
		fired = true;
	}
	return fired;
}

bool trigger_exec_fire(struct hart *h, uint64_t pc)
{
	/* The compare value is the instruction's address alone (its other
	 * bytes are only recommended, and unknown before the fetch). */
	return fire(h, TRIG_EXEC, pc, 1);
}

bool trigger_mem_fire(struct hart *h, uint64_t vaddr, unsigned size,
		      unsigned kinds)
{
	return fire(h, kinds, vaddr, size);
}

static bool any_match(const struct hart *h, unsigned kinds, uint64_t a,
		      uint64_t len)
{
	const struct trig_state *t = &h->trig;
	for (unsigned i = 0; i < TRIG_COUNT; i++)
		if ((kinds_of(t->tdata1[i]) & kinds) &&
		    addr_match(t->tdata1[i], t->tdata2[i], a, len))
			return true;
	return false;
}

bool trigger_exec_addr(const struct hart *h, uint64_t pc)
{
	return any_match(h, TRIG_EXEC, pc, 1);
}

bool trigger_page_clear(const struct hart *h, uint64_t vaddr)
{
	return !any_match(h, TRIG_LOAD | TRIG_STORE, vaddr & PAGE_MASK, PAGE_SIZE);
}

/* A trigger changed: drop what was built for the old ones. */
static void changed(struct hart *h)
{
	bool exec = h->trig.exec_armed, mem = h->trig.mem_armed;
	trigger_refresh(&h->trig);
	/* Blocks were cut and chained for the old execute addresses. */
	if (exec || h->trig.exec_armed)
		tb_flush_all(h);
	/* Entries of pages a load/store trigger covers go slow (kept, not
	 * flushed: core/hdbg.h's watchpoints do the same). */
	if (mem || h->trig.mem_armed)
		mmu_debug_changed(h);
}

bool trigger_csr_read(const struct hart *h, unsigned csr, uint64_t *v)
{
	const struct trig_state *t = &h->trig;
	assert(t->tselect < TRIG_COUNT);
	switch (csr) {
	case CSR_TSELECT: *v = t->tselect; return true;
	case CSR_TDATA1: *v = t->tdata1[t->tselect]; return true;
	case CSR_TDATA2: *v = t->tdata2[t->tselect]; return true;
	case CSR_TDATA3: *v = 0; return true; /* textra: no context match */
	case CSR_TINFO: *v = TINFO_VALUE; return true;
	}
	return false;
}

bool trigger_csr_write(struct hart *h, unsigned csr, uint64_t v)
{
	struct trig_state *t = &h->trig;
	switch (csr) {
	case CSR_TSELECT:
		/* WARL: an index with no trigger leaves tselect as it was,
		 * so reading back tells software how many there are. */
		if (v < TRIG_COUNT)
			t->tselect = (uint32_t)v;
		return true;
	case CSR_TDATA1:
		t->tdata1[t->tselect] = trigger_legal_tdata1(v);
		changed(h);
		return true;
	case CSR_TDATA2:
		t->tdata2[t->tselect] = v;
		if (kinds_of(t->tdata1[t->tselect]))
			changed(h);
		return true;
	case CSR_TDATA3: /* all of textra's fields are hard-wired 0 */
	case CSR_TINFO:  /* read-only fields: writes are ignored */
		return true;
	}
	return false;
}
