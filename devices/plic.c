/*
 * plic.c: SiFive Platform-Level Interrupt Controller (RISC-V PLIC spec 1.0).
 *
 * Register map (QEMU virt): priorities at 0x0 + 4*src, pending bits at
 * 0x1000, per-context enable bits at 0x2000 + 0x80*ctx, per-context
 * threshold at 0x200000 + 0x1000*ctx and claim/complete at +4.
 *
 * Locking: like every device, called under the machine's I/O lock
 * (device.h); the state is plain data.
 */
#include "devices/plic.h"

#include <stdlib.h>
#include <string.h>

#define WORDS (PLIC_NUM_SOURCES / 32)

#define PRIORITY_BASE 0x0u
#define PENDING_BASE 0x1000u
#define ENABLE_BASE 0x2000u
#define ENABLE_STRIDE 0x80u
#define CONTEXT_BASE 0x200000u
#define CONTEXT_STRIDE 0x1000u

struct plic {
	struct plic_state s;
	unsigned ncontexts;
	bool out_level[PLIC_MAX_CONTEXTS];
	plic_out_fn out;
	void *ctx;
};

static bool bit_get(const uint32_t *w, unsigned i)
{
	return (w[i / 32] >> (i % 32)) & 1;
}

static void bit_put(uint32_t *w, unsigned i, bool v)
{
	if (v)
		w[i / 32] |= 1u << (i % 32);
	else
		w[i / 32] &= ~(1u << (i % 32));
}

/*
 * The source a claim by `c` would return: the enabled pending source of
 * highest priority above the threshold, ties to the lowest ID; 0 if none.
 */
static unsigned best_source(const struct plic *p, unsigned c)
{
	unsigned best = 0, best_prio = p->s.threshold[c];
	for (unsigned w = 0; w < WORDS; w++) {
		uint32_t cand = p->s.pending[w] & p->s.enable[c][w];
		while (cand) {
			unsigned src = w * 32 + (unsigned)__builtin_ctz(cand);
			cand &= cand - 1;
			if (src && p->s.priority[src] > best_prio) {
				best = src;
				best_prio = p->s.priority[src];
			}
		}
	}
	return best;
}

static void update_outputs(struct plic *p)
{
	for (unsigned c = 0; c < p->ncontexts; c++) {
		bool level = best_source(p, c) != 0;
		if (level == p->out_level[c])
			continue;
		p->out_level[c] = level;
		if (p->out)
			p->out(p->ctx, c, level);
	}
}

void plic_set_irq(struct plic *p, unsigned src, int level)
{
	if (src == 0 || src >= PLIC_NUM_SOURCES)
		return;
	bit_put(p->s.level, src, level);
	if (!bit_get(p->s.claimed, src))
		bit_put(p->s.pending, src, level);
	update_outputs(p);
}

bool plic_can_inject(const struct plic *p, unsigned src)
{
	return src && src < PLIC_NUM_SOURCES && !bit_get(p->s.claimed, src) &&
	       !bit_get(p->s.pending, src);
}

bool plic_pending(const struct plic *p, unsigned src)
{
	return src < PLIC_NUM_SOURCES && bit_get(p->s.pending, src);
}

bool plic_inject(struct plic *p, unsigned src)
{
	if (!plic_can_inject(p, src))
		return false;
	bit_put(p->s.pending, src, true);
	update_outputs(p);
	return true;
}

static uint32_t claim(struct plic *p, unsigned c)
{
	unsigned src = best_source(p, c);
	if (src) {
		bit_put(p->s.pending, src, false);
		bit_put(p->s.claimed, src, true);
		update_outputs(p);
	}
	return src;
}

static void complete(struct plic *p, unsigned c, uint32_t src)
{
	/* The spec ignores completions of sources not enabled for the context. */
	if (src == 0 || src >= PLIC_NUM_SOURCES || !bit_get(p->s.enable[c], src))
		return;
	if (!bit_get(p->s.claimed, src))
		return;
	bit_put(p->s.claimed, src, false);
	bit_put(p->s.pending, src, bit_get(p->s.level, src));
	update_outputs(p);
}

/* Registers are 32-bit; a 64-bit access covers two adjacent ones. */
static uint32_t read32(struct plic *p, uint64_t off)
{
	if (off < PENDING_BASE) {
		unsigned src = (unsigned)(off / 4);
		return src < PLIC_NUM_SOURCES ? p->s.priority[src] : 0;
	}
	if (off < ENABLE_BASE) {
		unsigned w = (unsigned)((off - PENDING_BASE) / 4);
		return w < WORDS ? p->s.pending[w] : 0;
	}
	if (off < CONTEXT_BASE) {
		unsigned c = (unsigned)((off - ENABLE_BASE) / ENABLE_STRIDE);
		unsigned w = (unsigned)((off - ENABLE_BASE) % ENABLE_STRIDE / 4);
		return c < p->ncontexts && w < WORDS ? p->s.enable[c][w] : 0;
	}
	unsigned c = (unsigned)((off - CONTEXT_BASE) / CONTEXT_STRIDE);
	unsigned reg = (unsigned)((off - CONTEXT_BASE) % CONTEXT_STRIDE);
	if (c >= p->ncontexts)
		return 0;
	if (reg == 0)
		return p->s.threshold[c];
	if (reg == 4)
		return claim(p, c);
	return 0;
}

static void write32(struct plic *p, uint64_t off, uint32_t val)
{
	if (off < PENDING_BASE) {
		unsigned src = (unsigned)(off / 4);
		if (src && src < PLIC_NUM_SOURCES)
			p->s.priority[src] = val & PLIC_PRIO_MASK;
		update_outputs(p);
		return;
	}
	if (off < ENABLE_BASE)
		return; /* pending bits are read-only */
	if (off < CONTEXT_BASE) {
		unsigned c = (unsigned)((off - ENABLE_BASE) / ENABLE_STRIDE);
		unsigned w = (unsigned)((off - ENABLE_BASE) % ENABLE_STRIDE / 4);
		if (c < p->ncontexts && w < WORDS) {
			/* Source 0 does not exist: its enable bit is hardwired 0. */
			p->s.enable[c][w] = w == 0 ? val & ~1u : val;
			update_outputs(p);
		}
		return;
	}
	unsigned c = (unsigned)((off - CONTEXT_BASE) / CONTEXT_STRIDE);
	unsigned reg = (unsigned)((off - CONTEXT_BASE) % CONTEXT_STRIDE);
	if (c >= p->ncontexts)
		return;
	if (reg == 0) {
		p->s.threshold[c] = val & PLIC_PRIO_MASK;
		update_outputs(p);
	} else if (reg == 4) {
		complete(p, c, val);
	}
}

static uint64_t plic_read(void *opaque, uint64_t off, unsigned size)
{
	struct plic *p = opaque;
	if (size == 8)
		return read32(p, off) | (uint64_t)read32(p, off + 4) << 32;
	uint32_t v = read32(p, off & ~3ull);
	return (v >> ((off & 3) * 8)) & (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
}

static void plic_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct plic *p = opaque;
	if (size == 8) {
		write32(p, off, (uint32_t)val);
		write32(p, off + 4, (uint32_t)(val >> 32));
	} else if (size == 4) {
		write32(p, off, (uint32_t)val);
	}
	/* Narrower writes are not defined by the spec; ignored like QEMU. */
}

struct plic *plic_new(unsigned ncontexts, plic_out_fn out, void *ctx)
{
	if (ncontexts == 0 || ncontexts > PLIC_MAX_CONTEXTS)
		return NULL;
	struct plic *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->ncontexts = ncontexts;
	p->out = out;
	p->ctx = ctx;
	return p;
}

void plic_free(struct plic *p)
{
	free(p);
}

struct mmio_dev plic_mmio(struct plic *p)
{
	return (struct mmio_dev){
		.name = "plic",
		.base = PLIC_BASE,
		.size = PLIC_SIZE,
		.opaque = p,
		.read = plic_read,
		.write = plic_write,
	};
}

void plic_get_state(const struct plic *p, struct plic_state *s)
{
	*s = p->s;
}

void plic_set_state(struct plic *p, const struct plic_state *s)
{
	p->s = *s;
	update_outputs(p);
}
