/* device.h: the MMIO device interface every device in devices/ implements. */
#ifndef RRV_DEVICES_DEVICE_H
#define RRV_DEVICES_DEVICE_H

#include <stdint.h>

/*
 * A memory-mapped device as the core's physical memory map sees it.
 *
 * Concurrency: the core serializes every access to every device through one
 * lock (the I/O domain, DESIGN.md §4.1), so read/write never run concurrently
 * with each other or with any other device function that takes the device
 * pointer, unless that function's comment says otherwise. Devices therefore
 * hold plain (non-atomic) state.
 *
 * Accesses are naturally aligned, size 1, 2, 4 or 8, offset < size of the
 * region. A device ignores writes and returns 0 for reads it does not decode
 * (as QEMU does), never aborts.
 */
struct mmio_dev {
	const char *name;
	uint64_t base;
	uint64_t size;
	void *opaque;
	uint64_t (*read)(void *opaque, uint64_t off, unsigned size);
	void (*write)(void *opaque, uint64_t off, uint64_t val, unsigned size);
};

/* Level-triggered interrupt output of a device (level 0 or 1). */
typedef void (*dev_irq_fn)(void *ctx, int level);

#endif /* RRV_DEVICES_DEVICE_H */
