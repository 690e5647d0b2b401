/* inject.c: parsing and printing the --inject specs (the injectors live in devices/ and machine.c). */
#include "core/inject.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/machine.h"
#include "devices/plic.h"

/* A decimal number in [lo, hi] filling all of s. */
static bool parse_num(const char *s, size_t n, unsigned long lo, unsigned long hi,
		      unsigned long *out)
{
	char buf[24];
	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	for (size_t i = 0; i < n; i++)
		if (buf[i] < '0' || buf[i] > '9')
			return false;
	errno = 0;
	unsigned long v = strtoul(buf, NULL, 10);
	if (errno || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int parse_spurious(const char *arg, struct machine_config *cfg, char *err,
			  size_t errlen)
{
	const char *colon = strchr(arg, ':');
	size_t srclen = colon ? (size_t)(colon - arg) : strlen(arg);
	unsigned long src, rate = INJECT_DEFAULT_RATE;
	if (!parse_num(arg, srclen, 1, PLIC_NUM_SOURCES - 1, &src)) {
		snprintf(err, errlen, "spurious-irq takes a PLIC source 1..%u, not '%.*s'",
			 PLIC_NUM_SOURCES - 1, (int)srclen, arg);
		return -1;
	}
	if (colon && !parse_num(colon + 1, strlen(colon + 1), 1, INJECT_MAX_RATE, &rate)) {
		snprintf(err, errlen, "spurious-irq's rate is raises per second of "
			 "guest time, 1..%u, not '%s'", INJECT_MAX_RATE, colon + 1);
		return -1;
	}
	if (cfg->spurious_src && cfg->spurious_src != src) {
		snprintf(err, errlen, "spurious-irq is already injected on source %u "
			 "(one source per run)", cfg->spurious_src);
		return -1;
	}
	cfg->spurious_src = (unsigned)src;
	cfg->spurious_rate = (uint32_t)rate;
	return 0;
}

int inject_parse(const char *spec, struct machine_config *cfg, char *err,
		 size_t errlen)
{
	static const char spurious[] = "spurious-irq:";
	if (!strcmp(spec, "uart-stuck-irq")) {
		cfg->uart_stuck_irq = true;
		return 0;
	}
	if (!strncmp(spec, spurious, sizeof(spurious) - 1))
		return parse_spurious(spec + sizeof(spurious) - 1, cfg, err, errlen);
	snprintf(err, errlen, "--inject takes spurious-irq:SOURCE[:RATE] or "
		 "uart-stuck-irq, not '%s'", spec);
	return -1;
}

void inject_format(const struct machine_config *cfg, char *buf, size_t len)
{
	int n = 0;
	buf[0] = 0;
	if (cfg->spurious_src)
		n = snprintf(buf, len, "spurious-irq:%u:%" PRIu32, cfg->spurious_src,
			     cfg->spurious_rate);
	if (cfg->uart_stuck_irq && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "%suart-stuck-irq", n ? "," : "");
}

int inject_parse_list(const char *list, struct machine_config *cfg, char *err,
		      size_t errlen)
{
	char spec[64];
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		snprintf(spec, sizeof(spec), "%.*s", (int)n, p);
		if (inject_parse(spec, cfg, err, errlen) < 0)
			return -1;
		p += n + (comma ? 1 : 0);
	}
	return 0;
}
