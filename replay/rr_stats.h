/* rr_stats.h: where a recording's ownership handshakes go (`rrv record --stats`). */
#ifndef RRV_REPLAY_RR_STATS_H
#define RRV_REPLAY_RR_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct rr;

/*
 * Names a guest address ("do_idle+0x1c"); false when no symbol has it.
 * The shape of dis_sym_fn and sym_symbolize, so a symbol table plugs in.
 */
typedef bool (*rr_stats_sym_fn)(void *ctx, uint64_t addr, char *buf, size_t len);

struct rr_stats_names {
	rr_stats_sym_fn sym;  /* NULL: addresses only */
	void *ctx;
	/* Physical [data_lo, data_hi) is the kernel image, linked at
	 * data_lo + data_bias: pages there are named by their data symbol. */
	uint64_t data_lo, data_hi, data_bias;
};

/*
 * After a recording made with rr_options.stats, every hart's thread
 * joined: per hart, ACQUIREs, handshakes (ACQUIREs that revoked another
 * holder), RELEASEs answered, time spent waiting for answers and for page
 * locks; the pages that changed hands most; the code that caused the most
 * handshakes and the longest waits. Lines start with "rrv: stats:".
 */
void rr_stats_print(const struct rr *rr, FILE *f, const struct rr_stats_names *names);

#endif /* RRV_REPLAY_RR_STATS_H */
