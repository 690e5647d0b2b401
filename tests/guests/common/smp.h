/* smp.h: hart-count discovery and start barrier for the SMP guests. */
#ifndef RRV_GUESTS_SMP_H
#define RRV_GUESTS_SMP_H

#include <stdint.h>

/* Harts described under /cpus in the device tree at DTB, 0 if none found. */
int smp_dtb_harts(const void *dtb);

/*
 * Every hart calls this first with its id and the a1 it was started with.
 * Returns the number of participating harts once all of them have arrived.
 * The count comes from the device tree; without one, hart 0 waits until no
 * hart has arrived for a few million iterations and takes what arrived.
 * Harts whose id is not below the count must park (smp_park).
 */
int smp_start(int hartid, const void *dtb);

/* Never returns: for harts that have nothing left to do. */
__attribute__((noreturn)) void smp_park(void);

/* Every participating hart calls it; returns when all N have. */
void smp_barrier(int n);

#endif /* RRV_GUESTS_SMP_H */
