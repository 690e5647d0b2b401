/* rr_wait.h: sleeping until another hart's thread publishes (Linux futex). */
#ifndef RRV_REPLAY_RR_WAIT_H
#define RRV_REPLAY_RR_WAIT_H

#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/*
 * A wait word: `gen` is bumped (release) by its owner on every publish a
 * sleeper may care about; `sleepers` counts the threads that may be inside
 * rr_wait_sleep on it, so a publish nobody waits for costs one RMW and a
 * load, no system call.
 *
 * The lost-wakeup race is a store-buffer pattern, closed by making both
 * sides' two accesses seq_cst (no fences: TSan does not model them): the
 * sleeper counts itself, then reads gen and re-checks its condition; the
 * publisher changes its state, bumps gen, then reads sleepers. In the
 * single order of seq_cst operations either the publisher's read comes
 * after the sleeper's count (it wakes the sleeper), or the sleeper's read
 * of gen comes after the bump (it sees the new state, or FUTEX_WAIT
 * returns at once because the value changed). gen is 32 bits because futex words are;
 * it only ever has to differ from the value read just before the wait, so
 * wrapping is harmless. Every wake may be spurious: callers loop on their
 * own condition.
 */
struct rr_wait {
	_Atomic uint32_t gen;
	_Atomic uint32_t sleepers;
};

static inline void rr_wait_wake(struct rr_wait *w)
{
	atomic_fetch_add_explicit(&w->gen, 1, memory_order_seq_cst);
	if (atomic_load_explicit(&w->sleepers, memory_order_seq_cst))
		syscall(SYS_futex, (uint32_t *)&w->gen, FUTEX_WAKE_PRIVATE, INT32_MAX,
			NULL, NULL, 0);
}

/* Announce a sleeper; returns the gen to pass to rr_wait_sleep. Check the
 * condition after this and before sleeping. */
static inline uint32_t rr_wait_prepare(struct rr_wait *w)
{
	atomic_fetch_add_explicit(&w->sleepers, 1, memory_order_seq_cst);
	return atomic_load_explicit(&w->gen, memory_order_seq_cst);
}

/* Sleep until gen moves past `seen`, a wake, or `ns` pass (the caller's
 * own deadlines: a stuck replay, a stopping machine); then un-announce. */
static inline void rr_wait_sleep(struct rr_wait *w, uint32_t seen, long ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000L, .tv_nsec = ns % 1000000000L };
	syscall(SYS_futex, (uint32_t *)&w->gen, FUTEX_WAIT_PRIVATE, seen, &ts, NULL, 0);
	atomic_fetch_sub_explicit(&w->sleepers, 1, memory_order_relaxed);
}

/* Un-announce without sleeping (the condition held after prepare). */
static inline void rr_wait_cancel(struct rr_wait *w)
{
	atomic_fetch_sub_explicit(&w->sleepers, 1, memory_order_relaxed);
}

#endif /* RRV_REPLAY_RR_WAIT_H */
