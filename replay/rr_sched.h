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

/*
 * Record only, and off unless RRV_RECORD_CPUS=N asks for N tokens (then on
 * when the harts outnumber N). Measured on 2 host CPUs (Debian's Linux,
 * 2026-12-02, after the JIT's write-back registers): with 2 tokens a
 * 4-hart boot with four shell loops recorded in 9.7-15.5 s, without in
 * 9.2-11.7 s; an 8-hart boot in 31.3-37.5 s against 17.7-18.1 s. Harts
 * that wait sleep on their bells either way, which leaves the host CPUs to
 * the runnable ones; the tokens' hand-overs cost more than the kernel's
 * preemption they avoid.
 */
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
