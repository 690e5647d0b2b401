/* rr_event.h: the events of one hart's stream, as the recorder sees them. */
#ifndef RRV_REPLAY_RR_EVENT_H
#define RRV_REPLAY_RR_EVENT_H

#include <stdbool.h>
#include <stdint.h>

/* The I/O domain's page number (physical page 0 is never RAM). */
#define RR_PAGE_IO 0ull
#define RR_PAGE_ALL (~0ull)

#define RR_MAX_DEPS 64
#define RR_MAX_INPUT 64

enum rr_kind {
	RR_EV_ACQUIRE = 1, /* page, mode (RR_R/RR_W), deps */
	RR_EV_RELEASE,     /* page, mode = rights kept (0 or RR_R) */
	RR_EV_ATOMIC,      /* addr = paddr, op, success */
	RR_EV_MIP,         /* value = the async mip bits now */
	RR_EV_IRQ,         /* value = cause, addr = pc */
	RR_EV_TIME,        /* value */
	RR_EV_INPUT,       /* len bytes */
	RR_EV_CC_INVAL,    /* page (or RR_PAGE_ALL), op = reason */
	RR_EV_DIGEST,      /* value = hash of the architectural state */
	RR_EV_END,         /* op = exit reason, value = exit code */
	RR_EV_KINDS
};

/* Why code was dropped. */
enum rr_cc_reason {
	RR_CC_SMC = 1,     /* a store into translated code */
	RR_CC_FENCE_I,
	RR_CC_SFENCE,      /* mappings changed: jump cache only */
	RR_CC_REVOKE,      /* lost read rights to the page */
	RR_CC_FULL,        /* the code cache filled up */
};

/* ATOMIC ops. */
enum rr_atomic_op { RR_AT_AMO = 1, RR_AT_LR, RR_AT_SC };

struct rr_dep {
	uint32_t hart;
	uint64_t seq;      /* position of the RELEASE in that hart's stream */
};

struct rr_event {
	uint64_t icount;
	uint8_t kind;
	/* Logged inside an instruction (consumed by it in replay) rather than
	 * at the instruction boundary before it. */
	bool insn;
	uint8_t mode, op;
	bool success;
	uint64_t page, addr, value;
	uint32_t ndeps, len;
	struct rr_dep deps[RR_MAX_DEPS];
	uint8_t bytes[RR_MAX_INPUT];
};

const char *rr_kind_name(unsigned kind);

#endif /* RRV_REPLAY_RR_EVENT_H */
