/* rrv_ctl.c: rrv's control device: guest-requested snapshots. */
#include "devices/rrv_ctl.h"

#include <stdlib.h>

struct rrv_ctl {
	rrv_ctl_fn fn;
	void *ctx;
	uint32_t count;
};

struct rrv_ctl *rrv_ctl_new(rrv_ctl_fn fn, void *ctx)
{
	struct rrv_ctl *c = calloc(1, sizeof(*c));
	if (c) {
		c->fn = fn;
		c->ctx = ctx;
	}
	return c;
}

void rrv_ctl_free(struct rrv_ctl *c)
{
	free(c);
}

static uint64_t ctl_read(void *opaque, uint64_t off, unsigned size)
{
	struct rrv_ctl *c = opaque;
	if (size != 4)
		return 0;
	switch (off) {
	case 0x0: return RRV_CTL_ID;
	case 0x4: return 1;
	case 0xc: return c->count;
	default: return 0;
	}
}

static void ctl_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct rrv_ctl *c = opaque;
	if (size != 4 || off != 0x8)
		return;
	c->count++;
	if (c->fn)
		c->fn(c->ctx, (unsigned)val);
}

struct mmio_dev rrv_ctl_mmio(struct rrv_ctl *c)
{
	return (struct mmio_dev){
		.name = "rrv-control", .base = RRV_CTL_BASE, .size = RRV_CTL_SIZE,
		.opaque = c, .read = ctl_read, .write = ctl_write,
	};
}

uint32_t rrv_ctl_count(const struct rrv_ctl *c)
{
	return c->count;
}

void rrv_ctl_set_count(struct rrv_ctl *c, uint32_t count)
{
	c->count = count;
}
