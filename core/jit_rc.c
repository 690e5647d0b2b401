/* jit_rc.c: the JIT's guest-register cache (write-back within a block). */
#include "core/jit_rc.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "core/hart.h"

static const uint8_t rc_pool[] = { X_RSI, X_RDI, X_R8, X_R9, X_R10, X_R11,
				   X_RBP, X_R14, X_R15 };

static int32_t rc_xoff(unsigned r)
{
	return (int32_t)(offsetof(struct hart, x) + 8 * r);
}

void rc_reset(struct rcache *rc, struct x86_buf *b)
{
	rc->b = b;
	memset(rc->host, -1, sizeof(rc->host));
	memset(rc->guest, -1, sizeof(rc->guest));
	rc->dirty = 0;
}

/* The mapping of host register hr goes; a value not stored yet is lost
 * (the caller stores it first or knows it is dead). */
static void rc_drop(struct rcache *rc, unsigned hr)
{
	if (rc->guest[hr] >= 0)
		rc->host[rc->guest[hr]] = -1;
	rc->guest[hr] = -1;
	rc->dirty &= ~rc_bit(hr);
}

static void rc_store(struct rcache *rc, unsigned hr)
{
	if (rc->dirty >> hr & 1) {
		x86_store64(rc->b, hr, X_RBX, rc_xoff((unsigned)rc->guest[hr]));
		rc->dirty &= ~rc_bit(hr);
	}
}

static void rc_map(struct rcache *rc, unsigned r, unsigned hr)
{
	assert(r < REG_SINK && rc->guest[hr] < 0 && rc->host[r] < 0);
	rc->host[r] = (int8_t)hr;
	rc->guest[hr] = (int8_t)r;
	rc->stamp[hr] = ++rc->clock;
}

void rc_flush(struct rcache *rc)
{
	for (unsigned i = 0; i < sizeof(rc_pool); i++)
		rc_store(rc, rc_pool[i]);
	assert(rc->dirty == 0);
}

void rc_after_call(struct rcache *rc, unsigned rd)
{
	assert(rc->dirty == 0);
	for (unsigned i = 0; i < sizeof(rc_pool); i++)
		if (RC_CALLER_SAVED >> rc_pool[i] & 1)
			rc_drop(rc, rc_pool[i]);
	if (rd < REG_SINK && rc->host[rd] >= 0)
		rc_drop(rc, (unsigned)rc->host[rd]);
}

/* A pool register for a new mapping, none of `avoid`: a free one, else the
 * least recently used, stored first if dirty and read from memory again
 * when needed. */
static unsigned rc_pick(struct rcache *rc, unsigned avoid)
{
	int best = -1;
	for (unsigned i = 0; i < sizeof(rc_pool); i++) {
		unsigned hr = rc_pool[i];
		if (avoid >> hr & 1)
			continue;
		if (rc->guest[hr] < 0)
			return hr;
		if (best < 0 || rc->stamp[hr] < rc->stamp[best])
			best = (int)hr;
	}
	assert(best >= 0);
	rc_store(rc, (unsigned)best);
	rc_drop(rc, (unsigned)best);
	return (unsigned)best;
}

unsigned rc_src(struct rcache *rc, unsigned r)
{
	assert(r < REG_SINK);
	if (rc->host[r] >= 0) {
		unsigned hr = (unsigned)rc->host[r];
		rc->stamp[hr] = ++rc->clock;
		return hr;
	}
	unsigned hr = rc_pick(rc, 0);
	if (r == 0)
		x86_alu_rr(rc->b, false, ALU_XOR, hr, hr);
	else
		x86_load64(rc->b, hr, X_RBX, rc_xoff(r));
	rc_map(rc, r, hr);
	return hr;
}

unsigned rc_dst(struct rcache *rc, unsigned rd, unsigned avoid)
{
	if (rd == 0 || rd >= REG_SINK)
		return X_RAX;
	if (rc->host[rd] >= 0 && !(avoid >> rc->host[rd] & 1))
		return (unsigned)rc->host[rd];
	return rc_pick(rc, avoid | (rc->host[rd] >= 0 ? rc_bit((unsigned)rc->host[rd]) : 0));
}

unsigned rc_dst_from(struct rcache *rc, unsigned rd, unsigned rs1, unsigned hs1,
		     unsigned avoid)
{
	if (rd == rs1)
		return hs1;
	unsigned d = rc_dst(rc, rd, avoid | rc_bit(hs1));
	x86_mov_rr(rc->b, d, hs1);
	return d;
}

void rc_def(struct rcache *rc, unsigned rd, unsigned hr)
{
	assert(rd != 0);
	if (rd >= REG_SINK)
		return;
	if (rc->host[rd] == (int8_t)hr) {
		rc->stamp[hr] = ++rc->clock;
		rc->dirty |= rc_bit(hr);
		return;
	}
	/* rd's old value, in another register, is dead: not stored. */
	if (rc->host[rd] >= 0)
		rc_drop(rc, (unsigned)rc->host[rd]);
	if (!(RC_POOL >> hr & 1)) {
		unsigned d = rc_pick(rc, 0);    /* a scratch register: copy */
		x86_mov_rr(rc->b, d, hr);
		hr = d;
	}
	assert(rc->guest[hr] < 0);
	rc_map(rc, rd, hr);
	rc->dirty |= rc_bit(hr);
}
