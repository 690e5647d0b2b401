/* chaos.h: perturbing the host scheduling of the hart threads (`rrv chaos`, DESIGN.md §9). */
#ifndef RRV_CORE_CHAOS_H
#define RRV_CORE_CHAOS_H

#include <stdint.h>

struct hart;
struct machine;

/*
 * In the spirit of rr's chaos mode (src/Scheduler.cc): the hart threads
 * get random nice values and, half the time, all one CPU; one hart at a
 * time is starved (runs no guest instruction) for a random while, the
 * first time early in the run; time slices are sometimes cut to 100 or
 * 10,000 instructions and the hart sometimes stalls for up to half a
 * millisecond. Everything is drawn from the seed and the host clock, and
 * all of it only moves *when* a hart runs: what the guest observes of it
 * (time reads, the order of shared accesses) is recorded as always, so a
 * chaos trace replays like any other.
 *
 * A machine has chaos state only when config asks for it (m->chaos is
 * NULL otherwise): the hart loop's one extra branch.
 */
struct chaos;

/* NULL when out of memory. */
struct chaos *chaos_new(uint64_t seed, unsigned nharts);
void chaos_free(struct chaos *c);

/*
 * At the hart loop's safe point, before it runs `budget` instructions (by
 * h's own thread): may sleep, and returns the budget to run now, 0 when
 * the hart is starved (it goes round its loop, answering revocations and
 * stops, and asks again).
 */
uint64_t chaos_point(struct hart *h, uint64_t budget);

#endif /* RRV_CORE_CHAOS_H */
