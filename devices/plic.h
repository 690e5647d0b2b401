/* plic.h: SiFive PLIC as on QEMU's virt board (0x0c000000). */
#ifndef RRV_DEVICES_PLIC_H
#define RRV_DEVICES_PLIC_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/device.h"

#define PLIC_BASE 0x0c000000ull
#define PLIC_SIZE 0x4000000ull
/* Source 0 means "no interrupt"; sources 1..95 exist (DTB riscv,ndev). */
#define PLIC_NUM_SOURCES 96u
#define PLIC_PRIO_MASK 7u /* 3 priority bits, as QEMU virt */
/* Contexts 2h (M-mode) and 2h+1 (S-mode) of hart h. */
#define PLIC_MAX_CONTEXTS 128u

/* Raise or lower the interrupt output of `context` (MEIP/SEIP of a hart). */
typedef void (*plic_out_fn)(void *ctx, unsigned context, int level);

struct plic;

/* NULL when out of memory or ncontexts is 0 or above PLIC_MAX_CONTEXTS. */
struct plic *plic_new(unsigned ncontexts, plic_out_fn out, void *ctx);
void plic_free(struct plic *p);
struct mmio_dev plic_mmio(struct plic *p);

/*
 * Level of interrupt source `src` (1..95). Sources are level-triggered: the
 * pending bit follows the line while the source is not claimed, and a
 * completion re-arms it from the current level, as QEMU's model does.
 */
void plic_set_irq(struct plic *p, unsigned src, int level);

/*
 * Fault injection (--inject spurious-irq): make source `src` pending with
 * no change of its line, as an edge no device explains would. Ignored
 * (false) while the source is claimed or already pending, as a real
 * gateway forwards no second request before the completion; the next
 * completion re-arms pending from the line, so the raise is one-shot.
 */
bool plic_inject(struct plic *p, unsigned src);
/* Whether plic_inject(p, src) would take effect now; whether src is
 * pending (raised, not claimed yet). */
bool plic_can_inject(const struct plic *p, unsigned src);
bool plic_pending(const struct plic *p, unsigned src);

/* Plain-data state, for snapshots (DESIGN.md §7). */
struct plic_state {
	uint8_t priority[PLIC_NUM_SOURCES];
	uint32_t pending[PLIC_NUM_SOURCES / 32];
	uint32_t claimed[PLIC_NUM_SOURCES / 32];
	uint32_t level[PLIC_NUM_SOURCES / 32];
	uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_NUM_SOURCES / 32];
	uint8_t threshold[PLIC_MAX_CONTEXTS];
};

void plic_get_state(const struct plic *p, struct plic_state *s);
/* Restores, then signals every context output whose level changed. */
void plic_set_state(struct plic *p, const struct plic_state *s);

#endif /* RRV_DEVICES_PLIC_H */
