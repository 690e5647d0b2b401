/* inject.h: fault injection options (--inject), as given and as a trace's CONFIG keeps them. */
#ifndef RRV_CORE_INJECT_H
#define RRV_CORE_INJECT_H

#include <stddef.h>

struct machine_config;

/*
 * Without a rate, spurious-irq owes its source this many raises per second
 * of guest time (mtime, 10 MHz); hart 0 applies them at its safe points,
 * and one that finds the source pending or claimed is skipped. Linux
 * disables a line after 100,000 interrupts of which over 99,900 went
 * unhandled, each unhandled one less than 100 ms of jiffies after the
 * previous. Its claim, 8250 handler and completion take ~2,600 guest
 * instructions, so 50,000 a second (one owed every 20 us) keeps a raise
 * owed whenever the last one completes: the storm runs as fast as the
 * guest takes it (15-20k/s on 4-hart Debian on a loaded 2-core host, 100,000
 * in 5-7 s), not at a host thread's wake-up rate.
 */
#define INJECT_DEFAULT_RATE 50000u
/* At most one raise per mtime tick. */
#define INJECT_MAX_RATE 10000000u

/*
 * One --inject spec into cfg: "spurious-irq:SOURCE[:RATE]" (SOURCE 1..95,
 * RATE 1..10,000,000 per second) or "uart-stuck-irq". 0, or -1 with a
 * one-line message in err.
 */
int inject_parse(const char *spec, struct machine_config *cfg, char *err,
		 size_t errlen);

/* cfg's injections as comma-separated specs inject_parse takes back
 * ("" when none). */
void inject_format(const struct machine_config *cfg, char *buf, size_t len);

/* The same list read back (a trace's CONFIG): 0, or -1 with err. */
int inject_parse_list(const char *list, struct machine_config *cfg, char *err,
		      size_t errlen);

#endif /* RRV_CORE_INJECT_H */
