/* rrv_ctl.h: rrv's control device (0x101000): the guest asks for a snapshot. */
#ifndef RRV_DEVICES_RRV_CTL_H
#define RRV_DEVICES_RRV_CTL_H

#include "devices/device.h"

/*
 * Registers (32-bit, little-endian), gem5's m5 checkpoint op in rrv's world:
 *   +0x0 ID       reads 0x52525643 ("CVRR" in memory: 'C','V','R','R')
 *   +0x4 VERSION  reads 1
 *   +0x8 COMMAND  write 1: take a snapshot now (when `rrv run|record|replay`
 *                 was given --snapshot-on guest; ignored otherwise)
 *   +0xc COUNT    reads how many commands were written
 * The device tree describes it as compatible "rrv,control".
 */
#define RRV_CTL_BASE 0x101000ull
#define RRV_CTL_SIZE 0x1000ull
#define RRV_CTL_ID 0x52525643u
#define RRV_CTL_CMD_SNAPSHOT 1u

typedef void (*rrv_ctl_fn)(void *ctx, unsigned command);

struct rrv_ctl;
struct rrv_ctl *rrv_ctl_new(rrv_ctl_fn fn, void *ctx);
void rrv_ctl_free(struct rrv_ctl *c);
struct mmio_dev rrv_ctl_mmio(struct rrv_ctl *c);
/* COUNT, for snapshots (the only state the device has). */
uint32_t rrv_ctl_count(const struct rrv_ctl *c);
void rrv_ctl_set_count(struct rrv_ctl *c, uint32_t count);

#endif /* RRV_DEVICES_RRV_CTL_H */
