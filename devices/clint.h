/* clint.h: SiFive CLINT (0x2000000): msip, mtimecmp, mtime at 10 MHz. */
#ifndef RRV_DEVICES_CLINT_H
#define RRV_DEVICES_CLINT_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/device.h"

#define CLINT_BASE 0x2000000ull
#define CLINT_SIZE 0x10000ull
#define CLINT_TIMEBASE_HZ 10000000ull
#define CLINT_MTIMECMP_OFF 0x4000u
#define CLINT_MTIME_OFF 0xbff8u
/* mtimecmp slots fit between 0x4000 and mtime at 0xBFF8. */
#define CLINT_MAX_HARTS 4095u

/* Raise or lower MSIP (bit 3) / MTIP (bit 7) of hart `hart`. */
typedef void (*clint_mip_fn)(void *ctx, unsigned hart, uint64_t bit, int level);

/* The current mtime value (10 MHz ticks); the machine supplies the clock. */
typedef uint64_t (*clint_time_fn)(void *ctx);

struct clint;

/* NULL when out of memory or nharts is 0 or above CLINT_MAX_HARTS. */
struct clint *clint_new(unsigned nharts, clint_time_fn now, clint_mip_fn mip,
			void *ctx);
void clint_free(struct clint *c);
struct mmio_dev clint_mmio(struct clint *c);

/*
 * Re-evaluate every hart's MTIP against mtime now; returns the earliest
 * mtimecmp still in the future (UINT64_MAX if none) so a timer thread knows
 * when to call again. The value is on the time callback's clock: it differs
 * from the guest's mtimecmp only after the guest has written mtime.
 */
uint64_t clint_update_timers(struct clint *c);

/*
 * The guest-visible mtime: the time callback plus the offset left by guest
 * writes to mtime. rdtime must read this too so both views agree. Safe to
 * call without the I/O lock (the offset is atomic) if the time callback is.
 */
uint64_t clint_mtime(struct clint *c);

/* Back to reset state: msip 0, mtimecmp UINT64_MAX, mtime offset 0. */
void clint_reset(struct clint *c);

/* Per-hart state, for snapshots (DESIGN.md §7). */
struct clint_hart_state {
	uint64_t mtimecmp;
	bool msip;
};

/* harts[] has clint's nharts entries; *mtime_offset = mtime - time callback. */
void clint_get_state(const struct clint *c, struct clint_hart_state *harts,
		     uint64_t *mtime_offset);
/* Restores, then signals every hart's MSIP and MTIP level afresh. */
void clint_set_state(struct clint *c, const struct clint_hart_state *harts,
		     uint64_t mtime_offset);

#endif /* RRV_DEVICES_CLINT_H */
