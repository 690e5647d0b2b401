/* guestmem.h: host accesses to guest RAM (relaxed atomics, naturally aligned). */
#ifndef RRV_CORE_GUESTMEM_H
#define RRV_CORE_GUESTMEM_H

#include <stdint.h>

/*
 * Guest RAM is shared by all hart threads without locks (DESIGN.md §4.1:
 * `run` mode lets harts share memory freely). Each aligned access is a relaxed
 * atomic so that concurrent guest accesses are not C data races (and TSan
 * checks rrv's own code, not the guest's races); on x86-64 and AArch64 these
 * compile to plain loads and stores. Callers guarantee natural alignment.
 */
static inline uint64_t gmem_read(const void *p, unsigned size)
{
	switch (size) {
	case 1: return __atomic_load_n((const uint8_t *)p, __ATOMIC_RELAXED);
	case 2: return __atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED);
	case 4: return __atomic_load_n((const uint32_t *)p, __ATOMIC_RELAXED);
	default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
	}
}

static inline void gmem_write(void *p, unsigned size, uint64_t v)
{
	switch (size) {
	case 1: __atomic_store_n((uint8_t *)p, (uint8_t)v, __ATOMIC_RELAXED); break;
	case 2: __atomic_store_n((uint16_t *)p, (uint16_t)v, __ATOMIC_RELAXED); break;
	case 4: __atomic_store_n((uint32_t *)p, (uint32_t)v, __ATOMIC_RELAXED); break;
	default: __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELAXED); break;
	}
}

#endif /* RRV_CORE_GUESTMEM_H */
