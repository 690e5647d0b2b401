/*
 * trace_event.h: the events of one hart's stream (DESIGN.md §4, §5).
 *
 * logs/ stores and retrieves these; it does not interpret them. Each event
 * has an implicit sequence number: its position in its hart's stream, which
 * ACQUIRE dependencies name.
 *
 * Encoding inside an EVENTS chunk (all varints are LEB128, unsigned):
 *   varint  icount delta from the stream's previous event
 *   u8      kind | 0x80 when logged inside an instruction (`insn`)
 *   then, by kind:
 *   ACQUIRE  varint page, u8 mode, varint ndeps, ndeps x (varint hart, varint seq)
 *   RELEASE  varint page, u8 mode
 *   ATOMIC   varint addr, u8 op, u8 success
 *   MIP      varint value
 *   IRQ      varint value (cause), varint addr (pc)
 *   TIME     zigzag varint delta from the stream's previous TIME value
 *   INPUT    u8 device (op), varint len, len bytes
 *   CC_INVAL varint page + 1 (0 = all pages), u8 reason (op)
 *   DIGEST   8 bytes little-endian value
 *   END      u8 reason (op), zigzag varint exit code (value)
 *   TRAP     varint value (cause), varint addr (pc), varint len (count)
 */
#ifndef RRV_LOGS_TRACE_EVENT_H
#define RRV_LOGS_TRACE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_PAGE_IO 0ull
/* Format 1.2: pages 1..64 name hart N-1's CLINT mtimecmp register, an
 * ownership domain of its own (no RAM page is that low). */
#define TRACE_PAGE_TIMECMP0 1ull
#define TRACE_PAGE_TIMECMP_N 64u
#define TRACE_PAGE_ALL (~0ull)
#define TRACE_MAX_DEPS 64
#define TRACE_MAX_INPUT 64

enum trace_kind {
	TRACE_EV_ACQUIRE = 1, /* page, mode (1 = R, 2 = W), deps */
	TRACE_EV_RELEASE,     /* page, mode = rights kept (0 or R) */
	TRACE_EV_ATOMIC,      /* addr = paddr, op, success */
	TRACE_EV_MIP,         /* value = the async mip bits now */
	TRACE_EV_IRQ,         /* value = cause, addr = pc */
	TRACE_EV_TIME,        /* value */
	TRACE_EV_INPUT,       /* op = device, len bytes */
	TRACE_EV_CC_INVAL,    /* page (or TRACE_PAGE_ALL), op = reason */
	TRACE_EV_DIGEST,      /* value = hash of the architectural state */
	TRACE_EV_END,         /* op = exit reason, value = exit code */
	/* A position marker: `len` exceptions were taken at this icount
	 * since the stream's previous event, the last with cause `value` at
	 * pc `addr`. An exception retires nothing, so without it the events
	 * that follow at the same icount could not be told from events
	 * before the trapping instruction. Logged only when such events
	 * follow (always with insn set). */
	TRACE_EV_TRAP,
	TRACE_EV_KINDS
};

struct trace_dep {
	uint32_t hart;
	uint64_t seq;
};

struct trace_event {
	uint64_t icount;
	uint8_t kind;
	bool insn;       /* logged inside an instruction, not at a boundary */
	uint8_t mode, op;
	bool success;
	uint64_t page, addr, value;
	uint32_t ndeps, len;
	struct trace_dep deps[TRACE_MAX_DEPS];
	uint8_t bytes[TRACE_MAX_INPUT];
};

const char *trace_kind_name(unsigned kind);
/* How logs and tools name an event's page: "io", "mtimecmp N" or the
 * physical address of the page. Returns buf. */
const char *trace_page_name(uint64_t page, char *buf, size_t len);
/* The hart whose mtimecmp domain an event's page names, or -1. */
static inline int trace_page_timecmp_hart(uint64_t page)
{
	return page - TRACE_PAGE_TIMECMP0 < TRACE_PAGE_TIMECMP_N ?
	       (int)(page - TRACE_PAGE_TIMECMP0) : -1;
}
/* Whether an event's page is a RAM page (not a device domain). */
static inline bool trace_page_is_ram(uint64_t page)
{
	return page != TRACE_PAGE_IO && page != TRACE_PAGE_ALL &&
	       trace_page_timecmp_hart(page) < 0;
}
/* Kind by name (case-insensitive), 0 if unknown. */
unsigned trace_kind_by_name(const char *name);

/* Encode ev after an event at prev_icount (and previous TIME *time_base,
 * updated). Returns bytes written into out (at most TRACE_EVENT_MAX). */
#define TRACE_EVENT_MAX (32 + TRACE_MAX_DEPS * 20 + TRACE_MAX_INPUT)
unsigned trace_event_encode(const struct trace_event *ev, uint64_t prev_icount,
			    uint64_t *time_base, uint8_t *out);
/* Decode one event from [p, end): bytes consumed, or 0 if malformed. */
unsigned trace_event_decode(const uint8_t *p, const uint8_t *end,
			    uint64_t prev_icount, uint64_t *time_base,
			    struct trace_event *ev);

#endif /* RRV_LOGS_TRACE_EVENT_H */
