/* rr_sched.h: run tokens: at most one recording hart per host CPU runs guest code. */
#ifndef RRV_REPLAY_RR_SCHED_H
#define RRV_REPLAY_RR_SCHED_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct rr;
struct rr_hart;

/*
 * With more harts than host CPUs, the kernel preempts hart threads
 * anywhere, in the middle of guest code: a hart that then asks the
 * preempted one for a page waits until the kernel runs it again
 * (milliseconds), and the guest spins meanwhile. Run tokens keep the
 * harts that run guest code to one per host CPU; a hart without a token
 * parks at a safe point or inside a page request, asleep on its bell,
 * and wakes to answer revocations at once. A hart gives its token away
 * when it sleeps (waiting for an answer or a lock: to the hart it waits
 * for if that one wants a token; in WFI), when its slice is over and
 * another hart wants one, and when its loop ends.
 *
 * Tokens decide only who runs when, never what a hart observes: the
 * trace, and exactness, are unchanged.
 */
struct rr_sched {
	bool on;
	unsigned tokens;          /* host CPUs = tokens in all */
	_Atomic int free;         /* tokens nobody holds */
	_Atomic unsigned wanting; /* harts in RR_TOK_WANT */
	uint64_t slice_ns;
};

enum { RR_TOK_NONE, RR_TOK_WANT, RR_TOK_HAVE };

/* Record only: on when the harts outnumber the host CPUs this process may
 * run on (RRV_RECORD_CPUS=N overrides the count; 0 turns tokens off). */
void rr_sched_init(struct rr *rr);
/* Give up rh's token, if it has one, to `prefer` (a hart index, or -1:
 * the next hart after rh that wants one). */
void rr_sched_give(struct rr_hart *rh, int prefer);
/* Get a token; gives up without one when the machine stops or pauses.
 * answer: keep answering rh's mailbox while waiting, and let others answer
 * it while rh sleeps (at a boundary; not inside an instruction that has
 * already acquired what it needs). */
void rr_sched_take(struct rr_hart *rh, bool answer);
/* At a boundary: hand the token on if rh's slice is over and someone
 * waits for one. */
void rr_sched_slice(struct rr_hart *rh);

#endif /* RRV_REPLAY_RR_SCHED_H */
