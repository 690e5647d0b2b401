/* clint.h: SiFive CLINT (0x2000000): msip, mtimecmp, mtime at 10 MHz. */
#ifndef RRV_DEVICES_CLINT_H
#define RRV_DEVICES_CLINT_H

#include <stdint.h>

#include "devices/device.h"

#define CLINT_BASE 0x2000000ull
#define CLINT_SIZE 0x10000ull
#define CLINT_TIMEBASE_HZ 10000000ull

/* Raise or lower MSIP (bit 3) / MTIP (bit 7) of hart `hart`. */
typedef void (*clint_mip_fn)(void *ctx, unsigned hart, uint64_t bit, int level);

/* The current mtime value (10 MHz ticks); the machine supplies the clock. */
typedef uint64_t (*clint_time_fn)(void *ctx);

struct clint;

struct clint *clint_new(unsigned nharts, clint_time_fn now, clint_mip_fn mip,
			void *ctx);
void clint_free(struct clint *c);
struct mmio_dev clint_mmio(struct clint *c);

/*
 * Re-evaluate every hart's MTIP against mtime now; returns the earliest
 * mtimecmp still in the future (UINT64_MAX if none) so a timer thread knows
 * when to call again.
 */
uint64_t clint_update_timers(struct clint *c);

#endif /* RRV_DEVICES_CLINT_H */
