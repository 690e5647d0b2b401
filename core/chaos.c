/* chaos.c: random hart priorities, CPU affinity, starvation and stalls for `rrv chaos`. */
#include "core/chaos.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/hart.h"
#include "core/machine.h"

#define MS 1000000ull

/* One hart's view, touched only by that hart's thread (a cache line of
 * its own, so the harts do not slow each other down through it). */
struct chaos_hart {
	alignas(64) uint64_t rng;
	/* Its own starvation windows, from its first safe point on: the
	 * harts draw them apart, so two may overlap (for a while nobody
	 * runs), as two low-priority threads would be starved together. */
	uint64_t wrng, wstart, wend;
	bool started;
};

struct chaos {
	uint64_t seed;
	unsigned nharts;
	int pin_cpu;               /* all harts on this CPU, or -1 */
	struct chaos_hart *h;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* splitmix64: a good stream from any seed, including 0. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static uint64_t between(uint64_t *s, uint64_t lo, uint64_t hi)
{
	return lo + next(s) % (hi - lo + 1);
}

/* The first window comes early (start-up races are the common ones);
 * each later one after a gap of 2 to 8 times the last, so a hart is
 * starved at most a third of the run. Half the harts start with none. */
static void next_window(struct chaos_hart *ch, uint64_t now)
{
	uint64_t gap = ch->wend ? (ch->wend - ch->wstart) * between(&ch->wrng, 2, 8)
				: between(&ch->wrng, 0, 20 * MS);
	if (!ch->wend && next(&ch->wrng) & 1)
		gap += between(&ch->wrng, 200 * MS, 2000 * MS);
	ch->wstart = (ch->wend ? ch->wend : now) + gap;
	ch->wend = ch->wstart + between(&ch->wrng, 20 * MS, 1000 * MS);
}

struct chaos *chaos_new(uint64_t seed, unsigned nharts)
{
	struct chaos *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->h = aligned_alloc(64, sizeof(*c->h) * (nharts ? nharts : 1));
	if (!c->h) {
		free(c);
		return NULL;
	}
	c->seed = seed;
	c->nharts = nharts ? nharts : 1;
	uint64_t s = seed;
	c->pin_cpu = -1;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (next(&s) & 1 && ncpu > 0)
		c->pin_cpu = (int)(next(&s) % (uint64_t)ncpu);
	for (unsigned i = 0; i < c->nharts; i++) {
		c->h[i] = (struct chaos_hart){ .rng = seed ^ (0x5851f42d4c957f2dull * (i + 1)),
					       .wrng = seed ^ (0x243f6a8885a308d3ull * (i + 1)) };
	}
	return c;
}

void chaos_free(struct chaos *c)
{
	if (!c)
		return;
	free(c->h);
	free(c);
}

/* Once, on the hart's own thread: its priority and CPU. Best effort: a
 * host that refuses (a container without the CPU, a nice limit) only
 * makes the chaos milder. */
static void start_hart(struct chaos *c, struct chaos_hart *ch)
{
	ch->started = true;
	if (next(&ch->rng) % 10 < 3)
		(void)setpriority(PRIO_PROCESS, (id_t)gettid(), (int)between(&ch->rng, 1, 19));
	if (c->pin_cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(c->pin_cpu, &set);
		(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
}

/* Starved: wait a millisecond, or less if someone kicks the hart (a
 * revocation to answer, the run stopping): its loop answers, then asks
 * again. Its guest instructions wait; the protocol does not. */
static void starve(struct hart *h)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&h->wfi_lock);
	while (!atomic_load_explicit(&h->exit_request, memory_order_acquire))
		if (pthread_cond_clockwait(&h->wfi_cond, &h->wfi_lock, CLOCK_MONOTONIC, &ts) ==
		    ETIMEDOUT)
			break;
	pthread_mutex_unlock(&h->wfi_lock);
}

uint64_t chaos_point(struct hart *h, uint64_t budget)
{
	struct chaos *c = h->m->chaos;
	struct chaos_hart *ch = &c->h[h->id < c->nharts ? h->id : 0];
	uint64_t now = now_ns();
	if (!ch->started) {
		start_hart(c, ch);
		next_window(ch, now);
	}
	while (now >= ch->wend)
		next_window(ch, now);
	if (now >= ch->wstart) {
		starve(h);
		return 0;
	}
	uint64_t r = next(&ch->rng);
	if (r % 32 == 0) {
		if (r & 32) {
			sched_yield();
		} else {
			struct timespec d = { 0, (long)between(&ch->rng, 1000, 500000) };
			nanosleep(&d, NULL);
		}
	}
	/* Short slices move the stalls (and the other harts' view of this
	 * one) inside what would have been one stretch of execution. */
	unsigned k = (unsigned)((r >> 8) % 10);
	uint64_t cap = k == 0 ? between(&ch->rng, 1, 100)
		     : k == 1 ? between(&ch->rng, 1, 10000) : budget;
	return cap < budget ? cap : budget;
}
