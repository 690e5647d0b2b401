/* rr_event.h: recorder names for the trace's event vocabulary. */
#ifndef RRV_REPLAY_RR_EVENT_H
#define RRV_REPLAY_RR_EVENT_H

#include "logs/trace_event.h"

#define RR_PAGE_IO TRACE_PAGE_IO
#define RR_PAGE_ALL TRACE_PAGE_ALL

/* Why code was dropped (CC_INVAL's op). */
enum rr_cc_reason {
	RR_CC_SMC = 1,     /* a store into translated code */
	RR_CC_FENCE_I,
	RR_CC_SFENCE,      /* mappings changed: jump cache only */
	RR_CC_REVOKE,      /* lost read rights to the page */
	RR_CC_FULL,        /* the code cache filled up */
};

/* ATOMIC ops. */
enum rr_atomic_op { RR_AT_AMO = 1, RR_AT_LR, RR_AT_SC };

#endif /* RRV_REPLAY_RR_EVENT_H */
