/* inject.h: fault injection options (--inject), as given and as a trace's CONFIG keeps them. */
#ifndef RRV_CORE_INJECT_H
#define RRV_CORE_INJECT_H

#include <stddef.h>

struct machine_config;

/*
 * Without a rate, spurious-irq raises its source this often per second of
 * guest time (mtime, 10 MHz). Linux disables a line after 100,000
 * interrupts of which over 99,900 went unhandled, each unhandled one less
 * than 100 ms after the previous: at 50,000 per second that takes two
 * seconds of guest time once the driver has enabled the line, which a
 * Linux boot to its shell leaves room for.
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
