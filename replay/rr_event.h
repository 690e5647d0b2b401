/* rr_event.h: recorder names for the trace's event vocabulary. */
#ifndef RRV_REPLAY_RR_EVENT_H
#define RRV_REPLAY_RR_EVENT_H

#include "core/hooks.h"
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

/* INPUT's device (op): what its bytes went into. UART: console input.
 * PLIC: fault injection (--inject spurious-irq), one source number per
 * byte, each made pending as plic_inject() does. */
enum rr_input_device { RR_INPUT_UART = 0, RR_INPUT_PLIC = 1 };

/* ATOMIC ops. */
enum rr_atomic_op { RR_AT_AMO = 1, RR_AT_LR, RR_AT_SC };

/* The hooks pass core's own names for these, which the recorder logs as
 * they are: the two vocabularies must stay one. */
_Static_assert(HOOK_PAGE_ALL == RR_PAGE_ALL, "all pages");
_Static_assert((int)HOOK_CC_SMC == RR_CC_SMC &&
	       (int)HOOK_CC_FENCE_I == RR_CC_FENCE_I &&
	       (int)HOOK_CC_SFENCE == RR_CC_SFENCE &&
	       (int)HOOK_CC_REVOKE == RR_CC_REVOKE &&
	       (int)HOOK_CC_FULL == RR_CC_FULL, "code invalidation reasons");
_Static_assert((int)HOOK_AT_AMO == RR_AT_AMO && (int)HOOK_AT_LR == RR_AT_LR &&
	       (int)HOOK_AT_SC == RR_AT_SC, "atomic ops");

#endif /* RRV_REPLAY_RR_EVENT_H */
