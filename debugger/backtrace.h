/* backtrace.h: the guest call chain of one hart, from its frame pointers. */
#ifndef RRV_DEBUGGER_BACKTRACE_H
#define RRV_DEBUGGER_BACKTRACE_H

#include <stdint.h>

struct rpl;

struct bt_frame {
	uint64_t pc;   /* frame 0: the pc; then return addresses */
	uint64_t fp;
};

/*
 * Walk the frame-pointer chain (the RISC-V psABI frame record: return
 * address at fp-8, the caller's fp at fp-16). A leaf saves no ra, so when
 * the chain's first return address is not the ra register, ra is taken as
 * frame 1. Stops at an unreadable, misaligned or non-increasing fp.
 * Returns the number of frames (at least 1).
 */
unsigned bt_walk(struct rpl *e, unsigned hart, struct bt_frame *out, unsigned max);

#endif /* RRV_DEBUGGER_BACKTRACE_H */
