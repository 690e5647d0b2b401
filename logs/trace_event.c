/* trace_event.c: the compact encoding of events (see trace_event.h). */
#include "logs/trace_event.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[TRACE_EV_KINDS] = {
	[TRACE_EV_ACQUIRE] = "ACQUIRE", [TRACE_EV_RELEASE] = "RELEASE",
	[TRACE_EV_ATOMIC] = "ATOMIC",   [TRACE_EV_MIP] = "MIP",
	[TRACE_EV_IRQ] = "IRQ",         [TRACE_EV_TIME] = "TIME",
	[TRACE_EV_INPUT] = "INPUT",     [TRACE_EV_CC_INVAL] = "CC_INVAL",
	[TRACE_EV_DIGEST] = "DIGEST",   [TRACE_EV_END] = "END",
	[TRACE_EV_TRAP] = "TRAP",
};

const char *trace_page_name(uint64_t page, char *buf, size_t len)
{
	if (page == TRACE_PAGE_IO)
		snprintf(buf, len, "io");
	else if (trace_page_timecmp_hart(page) >= 0)
		snprintf(buf, len, "mtimecmp %d", trace_page_timecmp_hart(page));
	else
		snprintf(buf, len, "%#" PRIx64, page << 12);
	return buf;
}

const char *trace_kind_name(unsigned kind)
{
	return kind < TRACE_EV_KINDS && kind_names[kind] ? kind_names[kind] : "?";
}

unsigned trace_kind_by_name(const char *name)
{
	for (unsigned k = 1; k < TRACE_EV_KINDS; k++)
		if (!strcasecmp(name, kind_names[k]))
			return k;
	return 0;
}

static unsigned put_varint(uint8_t *out, uint64_t v)
{
	unsigned n = 0;
	while (v >= 0x80) {
		out[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (uint8_t)v;
	return n;
}

/* 0 on a malformed varint (too long or past end). */
static unsigned get_varint(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	uint64_t r = 0;
	for (unsigned i = 0; i < 10 && p + i < end; i++) {
		r |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			if (i == 9 && p[i] > 1)
				return 0; /* more than 64 bits */
			*v = r;
			return i + 1;
		}
	}
	return 0;
}

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

unsigned trace_event_encode(const struct trace_event *ev, uint64_t prev_icount,
			    uint64_t *time_base, uint8_t *out)
{
	unsigned n = put_varint(out, ev->icount - prev_icount);
	out[n++] = (uint8_t)(ev->kind | (ev->insn ? 0x80 : 0));
	switch (ev->kind) {
	case TRACE_EV_ACQUIRE:
		n += put_varint(out + n, ev->page);
		out[n++] = ev->mode;
		n += put_varint(out + n, ev->ndeps);
		for (uint32_t i = 0; i < ev->ndeps && i < TRACE_MAX_DEPS; i++) {
			n += put_varint(out + n, ev->deps[i].hart);
			n += put_varint(out + n, ev->deps[i].seq);
		}
		break;
	case TRACE_EV_RELEASE:
		n += put_varint(out + n, ev->page);
		out[n++] = ev->mode;
		break;
	case TRACE_EV_ATOMIC:
		n += put_varint(out + n, ev->addr);
		out[n++] = ev->op;
		out[n++] = ev->success;
		break;
	case TRACE_EV_MIP:
		n += put_varint(out + n, ev->value);
		break;
	case TRACE_EV_IRQ:
		n += put_varint(out + n, ev->value);
		n += put_varint(out + n, ev->addr);
		break;
	case TRACE_EV_TIME:
		n += put_varint(out + n, zigzag((int64_t)(ev->value - *time_base)));
		*time_base = ev->value;
		break;
	case TRACE_EV_INPUT: {
		uint32_t len = ev->len < TRACE_MAX_INPUT ? ev->len : TRACE_MAX_INPUT;
		out[n++] = ev->op;
		n += put_varint(out + n, len);
		memcpy(out + n, ev->bytes, len);
		n += len;
		break;
	}
	case TRACE_EV_CC_INVAL:
		n += put_varint(out + n, ev->page == TRACE_PAGE_ALL ? 0 : ev->page + 1);
		out[n++] = ev->op;
		break;
	case TRACE_EV_DIGEST:
		for (int i = 0; i < 8; i++)
			out[n++] = (uint8_t)(ev->value >> (8 * i));
		break;
	case TRACE_EV_END:
		out[n++] = ev->op;
		n += put_varint(out + n, zigzag((int64_t)ev->value));
		break;
	case TRACE_EV_TRAP:
		n += put_varint(out + n, ev->value);
		n += put_varint(out + n, ev->addr);
		n += put_varint(out + n, ev->len);
		break;
	default:
		break;
	}
	return n;
}

#define GET(var)                                                        \
	do {                                                            \
		unsigned k_ = get_varint(p + n, end, &(var));           \
		if (!k_)                                                \
			return 0;                                       \
		n += k_;                                                \
	} while (0)
#define GET8(var)                                                       \
	do {                                                            \
		if (p + n >= end)                                       \
			return 0;                                       \
		(var) = p[n++];                                         \
	} while (0)

unsigned trace_event_decode(const uint8_t *p, const uint8_t *end,
			    uint64_t prev_icount, uint64_t *time_base,
			    struct trace_event *ev)
{
	unsigned n = 0;
	uint64_t v, w;
	uint8_t b;
	GET(v);
	if (v > UINT64_MAX - prev_icount)
		return 0;
	ev->icount = prev_icount + v;
	GET8(b);
	ev->kind = b & 0x7f;
	ev->insn = b & 0x80;
	ev->ndeps = ev->len = 0;
	ev->mode = ev->op = 0;
	ev->success = false;
	ev->page = ev->addr = ev->value = 0;
	switch (ev->kind) {
	case TRACE_EV_ACQUIRE:
		GET(ev->page);
		GET8(ev->mode);
		GET(v);
		if (v > TRACE_MAX_DEPS)
			return 0;
		ev->ndeps = (uint32_t)v;
		for (uint32_t i = 0; i < ev->ndeps; i++) {
			GET(w);
			if (w > UINT32_MAX)
				return 0;
			ev->deps[i].hart = (uint32_t)w;
			GET(ev->deps[i].seq);
		}
		break;
	case TRACE_EV_RELEASE:
		GET(ev->page);
		GET8(ev->mode);
		break;
	case TRACE_EV_ATOMIC:
		GET(ev->addr);
		GET8(ev->op);
		GET8(b);
		if (b > 1)
			return 0;
		ev->success = b;
		break;
	case TRACE_EV_MIP:
		GET(ev->value);
		break;
	case TRACE_EV_IRQ:
		GET(ev->value);
		GET(ev->addr);
		break;
	case TRACE_EV_TIME:
		GET(v);
		ev->value = *time_base + (uint64_t)unzigzag(v);
		*time_base = ev->value;
		break;
	case TRACE_EV_INPUT:
		GET8(ev->op);
		GET(v);
		if (v > TRACE_MAX_INPUT || (uint64_t)(end - (p + n)) < v)
			return 0;
		ev->len = (uint32_t)v;
		memcpy(ev->bytes, p + n, ev->len);
		n += ev->len;
		break;
	case TRACE_EV_CC_INVAL:
		GET(v);
		ev->page = v ? v - 1 : TRACE_PAGE_ALL;
		GET8(ev->op);
		break;
	case TRACE_EV_DIGEST:
		if (end - (p + n) < 8)
			return 0;
		for (int i = 0; i < 8; i++)
			ev->value |= (uint64_t)p[n++] << (8 * i);
		break;
	case TRACE_EV_END:
		GET8(ev->op);
		GET(v);
		ev->value = (uint64_t)unzigzag(v);
		break;
	case TRACE_EV_TRAP:
		GET(ev->value);
		GET(ev->addr);
		GET(v);
		if (v == 0 || v > UINT32_MAX)
			return 0;
		ev->len = (uint32_t)v;
		break;
	default:
		return 0;
	}
	return n;
}
