/*
 * rr_sched.c: run tokens for recording harts (rr_sched.h says why).
 *
 * Threads: a hart's `tok` goes NONE -> WANT and WANT -> NONE only by the
 * hart itself, WANT -> HAVE by whoever grants it a token (compare and
 * swap, so one grant wins), HAVE -> NONE by the hart itself. `free`
 * counts tokens held by nobody. The lost-wakeup race (a hart announcing
 * WANT while a giver puts its token back in `free`) is a store-buffer
 * pattern closed with seq_cst on both sides: the wanting hart stores WANT
 * then reads `free`; the giver adds to `free` then reads every `tok`.
 */
#include "replay/rr_sched.h"

#include <stdlib.h>

#include "replay/rr_internal.h"

/* A slice: long enough that handing over costs little (a futex wake and
 * sleep, some microseconds), short against the kernel's own (~3 ms with
 * 4 threads on 2 CPUs), since guest harts spin that long on a lock held
 * by a hart that is not running. */
#define RR_SCHED_SLICE_NS 1000000ull
#define RR_SCHED_SLEEP_NS 1000000L

/* RRV_RECORD_CPUS=N: N tokens; unset or 0: none (rr_sched.h says why
 * that is the default). */
static unsigned token_count(void)
{
	const char *env = getenv("RRV_RECORD_CPUS");
	if (env && *env)
		return (unsigned)strtoul(env, NULL, 10);
	return 0;
}

void rr_sched_init(struct rr *rr)
{
	struct rr_sched *s = &rr->sched;
	unsigned cpus = token_count();
	s->on = !rr->replay && cpus && rr->nharts > cpus;
	s->tokens = cpus;
	s->slice_ns = RR_SCHED_SLICE_NS;
	atomic_init(&s->free, (int)cpus);
	atomic_init(&s->wanting, 0);
}

static bool try_grant(struct rr *rr, unsigned j)
{
	struct rr_hart *t = rr->harts[j];
	int want = RR_TOK_WANT;
	if (!atomic_compare_exchange_strong_explicit(&t->tok, &want, RR_TOK_HAVE,
						     memory_order_seq_cst,
						     memory_order_seq_cst))
		return false;
	atomic_fetch_sub_explicit(&rr->sched.wanting, 1, memory_order_relaxed);
	rr_wait_wake(&t->bell);
	return true;
}

/* Grant a token held by the caller to `prefer`, else to the next hart
 * after `from` that wants one. */
static bool grant_one(struct rr *rr, int prefer, unsigned from)
{
	if (prefer >= 0 && (unsigned)prefer < rr->nharts && try_grant(rr, (unsigned)prefer))
		return true;
	for (unsigned k = 1; k <= rr->nharts; k++)
		if (try_grant(rr, (from + k) % rr->nharts))
			return true;
	return false;
}

static bool take_free(struct rr_sched *s)
{
	int f = atomic_load_explicit(&s->free, memory_order_seq_cst);
	while (f > 0)
		if (atomic_compare_exchange_weak_explicit(&s->free, &f, f - 1,
							  memory_order_seq_cst,
							  memory_order_seq_cst))
			return true;
	return false;
}

void rr_sched_give(struct rr_hart *rh, int prefer)
{
	struct rr *rr = rh->rr;
	struct rr_sched *s = &rr->sched;
	if (!s->on || atomic_load_explicit(&rh->tok, memory_order_relaxed) != RR_TOK_HAVE)
		return;
	atomic_store_explicit(&rh->tok, RR_TOK_NONE, memory_order_relaxed);
	if (grant_one(rr, prefer, rh->id))
		return;
	atomic_fetch_add_explicit(&s->free, 1, memory_order_seq_cst);
	/* A hart may have announced WANT after our scan and before the
	 * add, and gone to sleep without seeing the free token. */
	while (atomic_load_explicit(&s->wanting, memory_order_seq_cst) && take_free(s))
		if (!grant_one(rr, -1, rh->id)) {
			atomic_fetch_add_explicit(&s->free, 1, memory_order_seq_cst);
			break;
		}
}

/* Withdraw rh's WANT; false when a grant came first (rh has a token). */
static bool withdraw(struct rr_hart *rh)
{
	int want = RR_TOK_WANT;
	if (!atomic_compare_exchange_strong_explicit(&rh->tok, &want, RR_TOK_NONE,
						     memory_order_seq_cst,
						     memory_order_seq_cst))
		return false;
	atomic_fetch_sub_explicit(&rh->rr->sched.wanting, 1, memory_order_relaxed);
	return true;
}

static bool must_leave(const struct rr *rr)
{
	return rr_stopping(rr) ||
	       atomic_load_explicit(&rr->m->pause.requested, memory_order_acquire);
}

void rr_sched_take(struct rr_hart *rh, bool answer)
{
	struct rr *rr = rh->rr;
	struct rr_sched *s = &rr->sched;
	if (!s->on || atomic_load_explicit(&rh->tok, memory_order_relaxed) == RR_TOK_HAVE)
		return;
	uint64_t t0 = rr_stats_now();
	bool waited = false;
	for (;;) {
		if (take_free(s)) {
			atomic_store_explicit(&rh->tok, RR_TOK_HAVE, memory_order_relaxed);
			break;
		}
		atomic_fetch_add_explicit(&s->wanting, 1, memory_order_relaxed);
		atomic_store_explicit(&rh->tok, RR_TOK_WANT, memory_order_seq_cst);
		if (atomic_load_explicit(&s->free, memory_order_seq_cst) > 0) {
			if (withdraw(rh))
				continue;
			break;
		}
		waited = true;
		while (atomic_load_explicit(&rh->tok, memory_order_seq_cst) != RR_TOK_HAVE) {
			if (answer)
				rr_service_mailbox(rh, false);
			if (must_leave(rr) || atomic_load_explicit(&s->free, memory_order_seq_cst) > 0) {
				if (withdraw(rh)) {
					if (must_leave(rr))
						return;
					break; /* take the free token */
				}
				continue;
			}
			uint32_t gen = rr_wait_prepare(&rh->bell);
			if (atomic_load_explicit(&rh->tok, memory_order_seq_cst) == RR_TOK_HAVE ||
			    (answer && atomic_load_explicit(&rh->mail, memory_order_seq_cst))) {
				rr_wait_cancel(&rh->bell);
			} else if (answer) {
				rr_park(rh);
				rr_wait_sleep(&rh->bell, gen, RR_SCHED_SLEEP_NS);
				rr_unpark(rh);
			} else {
				rr_wait_sleep(&rh->bell, gen, RR_SCHED_SLEEP_NS);
			}
		}
		if (atomic_load_explicit(&rh->tok, memory_order_relaxed) == RR_TOK_HAVE)
			break;
	}
	rh->slice_start = rr_stats_now();
	if (waited) {
		rh->stats.tok_waits++;
		rh->stats.tok_ns += rh->slice_start - t0;
	}
}

void rr_sched_slice(struct rr_hart *rh)
{
	struct rr_sched *s = &rh->rr->sched;
	if (!s->on)
		return;
	if (atomic_load_explicit(&rh->tok, memory_order_relaxed) == RR_TOK_HAVE &&
	    atomic_load_explicit(&s->wanting, memory_order_relaxed) &&
	    rr_stats_now() - rh->slice_start >= s->slice_ns) {
		rh->stats.tok_slices++;
		rr_sched_give(rh, -1);
	}
	rr_sched_take(rh, true);
}
