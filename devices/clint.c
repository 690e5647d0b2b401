/* clint.c: SiFive CLINT: software interrupts (msip), timer compare, mtime. */
#include "devices/clint.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdlib.h>

/* Register map of the SiFive CLINT as QEMU virt places it. */
#define MSIP_BASE 0x0000u
#define MTIMECMP_BASE CLINT_MTIMECMP_OFF
#define MTIME_OFF CLINT_MTIME_OFF

#define MIP_MSIP (1ull << 3)
#define MIP_MTIP (1ull << 7)

struct clint_hart {
	uint64_t mtimecmp;
	bool msip;
	bool mtip; /* the MTIP level last signalled */
};

struct clint {
	unsigned nharts;
	clint_time_fn now;
	clint_mip_fn mip;
	void *ctx;
	/* mtime = now() + offset (mod 2^64). Atomic so clint_mtime() can run
	 * on hart threads while an mtime write holds the I/O lock. */
	_Atomic uint64_t offset;
	struct clint_hart hart[];
};

static uint64_t mtime_offset(const struct clint *c)
{
	return atomic_load_explicit(&c->offset, memory_order_relaxed);
}

uint64_t clint_mtime(struct clint *c)
{
	return c->now(c->ctx) + mtime_offset(c);
}

static void signal_mip(struct clint *c, unsigned h, uint64_t bit, bool level)
{
	if (c->mip)
		c->mip(c->ctx, h, bit, level);
}

static void set_mtip(struct clint *c, unsigned h, bool level, bool force)
{
	if (!force && c->hart[h].mtip == level)
		return;
	c->hart[h].mtip = level;
	signal_mip(c, h, MIP_MTIP, level);
}

static void set_msip(struct clint *c, unsigned h, bool level)
{
	if (h >= c->nharts)
		return;
	c->hart[h].msip = level;
	/* Signalled even when unchanged: an IPI write is cheap and this keeps
	 * the hart's view right after it was reset behind our back. */
	signal_mip(c, h, MIP_MSIP, level);
}

/*
 * The 64-bit value of the naturally aligned 8-byte slot at `slot`; smaller
 * accesses take their bytes out of it, so every access size works alike.
 */
static uint64_t slot_read(struct clint *c, uint64_t slot)
{
	if (slot < MTIMECMP_BASE) {
		uint64_t h = (slot - MSIP_BASE) / 4;
		uint64_t lo = h < c->nharts ? c->hart[h].msip : 0;
		uint64_t hi = h + 1 < c->nharts ? c->hart[h + 1].msip : 0;
		return lo | hi << 32;
	}
	if (slot < MTIME_OFF) {
		uint64_t h = (slot - MTIMECMP_BASE) / 8;
		return h < c->nharts ? c->hart[h].mtimecmp : 0;
	}
	if (slot == MTIME_OFF)
		return clint_mtime(c);
	return 0;
}

static void write_msip_pair(struct clint *c, uint64_t slot, uint64_t val,
			    uint64_t mask)
{
	uint64_t h = (slot - MSIP_BASE) / 4;
	/* Only bit 0 of each msip word is writable (SiFive CLINT). */
	if (mask & 0xffffffffull)
		set_msip(c, (unsigned)h, val & 1);
	if (mask >> 32)
		set_msip(c, (unsigned)(h + 1), (val >> 32) & 1);
}

static void write_mtimecmp(struct clint *c, uint64_t slot, uint64_t val,
			   uint64_t mask)
{
	uint64_t h = (slot - MTIMECMP_BASE) / 8;
	if (h >= c->nharts)
		return;
	struct clint_hart *ht = &c->hart[h];
	ht->mtimecmp = (ht->mtimecmp & ~mask) | (val & mask);
	/* MTIP is a level: mtime >= mtimecmp (privileged spec, 3.2.1). */
	set_mtip(c, (unsigned)h, clint_mtime(c) >= ht->mtimecmp, true);
}

static void write_mtime(struct clint *c, uint64_t val, uint64_t mask)
{
	uint64_t raw = c->now(c->ctx);
	uint64_t cur = raw + mtime_offset(c);
	uint64_t next = (cur & ~mask) | (val & mask);
	/* Later reads continue counting from the written value (as QEMU's
	 * aclint does with its time_delta). */
	atomic_store_explicit(&c->offset, next - raw, memory_order_relaxed);
	for (unsigned h = 0; h < c->nharts; h++)
		set_mtip(c, h, next >= c->hart[h].mtimecmp, false);
}

static uint64_t clint_mmio_read(void *opaque, uint64_t off, unsigned size)
{
	struct clint *c = opaque;
	unsigned shift = (unsigned)(off & 7) * 8;
	uint64_t v = slot_read(c, off & ~7ull) >> shift;
	return size >= 8 ? v : v & ((1ull << (size * 8)) - 1);
}

static void clint_mmio_write(void *opaque, uint64_t off, uint64_t val,
			     unsigned size)
{
	struct clint *c = opaque;
	uint64_t slot = off & ~7ull;
	unsigned shift = (unsigned)(off & 7) * 8;
	uint64_t bytes = size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
	uint64_t mask = bytes << shift;
	val = (val & bytes) << shift;
	if (slot < MTIMECMP_BASE)
		write_msip_pair(c, slot, val, mask);
	else if (slot < MTIME_OFF)
		write_mtimecmp(c, slot, val, mask);
	else if (slot == MTIME_OFF)
		write_mtime(c, val, mask);
}

uint64_t clint_update_timers(struct clint *c)
{
	uint64_t raw = c->now(c->ctx);
	uint64_t t = raw + mtime_offset(c);
	uint64_t earliest = UINT64_MAX;
	for (unsigned h = 0; h < c->nharts; h++) {
		uint64_t cmp = c->hart[h].mtimecmp;
		set_mtip(c, h, t >= cmp, false);
		if (t < cmp && cmp < earliest)
			earliest = cmp;
	}
	if (earliest == UINT64_MAX)
		return UINT64_MAX;
	/* Convert to the callback's clock; a deadline past its range is as
	 * good as none. */
	uint64_t deadline = raw + (earliest - t);
	return deadline < raw ? UINT64_MAX : deadline;
}

void clint_reset(struct clint *c)
{
	atomic_store_explicit(&c->offset, 0, memory_order_relaxed);
	for (unsigned h = 0; h < c->nharts; h++) {
		c->hart[h].mtimecmp = UINT64_MAX;
		set_msip(c, h, false);
		set_mtip(c, h, false, true);
	}
}

struct clint *clint_new(unsigned nharts, clint_time_fn now, clint_mip_fn mip,
			void *ctx)
{
	assert(now);
	if (nharts == 0 || nharts > CLINT_MAX_HARTS)
		return NULL;
	struct clint *c = calloc(1, sizeof(*c) + nharts * sizeof(c->hart[0]));
	if (!c)
		return NULL;
	c->nharts = nharts;
	c->now = now;
	c->mip = mip;
	c->ctx = ctx;
	atomic_init(&c->offset, 0);
	/* No callbacks here: every hart's MSIP and MTIP start low anyway. */
	for (unsigned h = 0; h < nharts; h++)
		c->hart[h].mtimecmp = UINT64_MAX;
	return c;
}

void clint_free(struct clint *c)
{
	free(c);
}

struct mmio_dev clint_mmio(struct clint *c)
{
	return (struct mmio_dev){
		.name = "clint",
		.base = CLINT_BASE,
		.size = CLINT_SIZE,
		.opaque = c,
		.read = clint_mmio_read,
		.write = clint_mmio_write,
	};
}

void clint_get_state(const struct clint *c, struct clint_hart_state *harts,
		     uint64_t *offset)
{
	for (unsigned h = 0; h < c->nharts; h++) {
		harts[h].mtimecmp = c->hart[h].mtimecmp;
		harts[h].msip = c->hart[h].msip;
	}
	*offset = mtime_offset(c);
}

void clint_set_state(struct clint *c, const struct clint_hart_state *harts,
		     uint64_t offset)
{
	atomic_store_explicit(&c->offset, offset, memory_order_relaxed);
	uint64_t t = clint_mtime(c);
	for (unsigned h = 0; h < c->nharts; h++) {
		c->hart[h].mtimecmp = harts[h].mtimecmp;
		set_msip(c, h, harts[h].msip);
		set_mtip(c, h, t >= harts[h].mtimecmp, true);
	}
}
