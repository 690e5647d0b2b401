/* record_stats.h: `rrv record --stats`' ownership handshake report, named with the trace's symbols. */
#ifndef RRV_DEBUGGER_RECORD_STATS_H
#define RRV_DEBUGGER_RECORD_STATS_H

struct rr;

/* After the recording (trace closed): rr_stats_print with the symbols of
 * the images in the trace at path (kallsyms for a raw kernel image). */
void dbg_print_record_stats(const struct rr *rr, const char *path);

#endif /* RRV_DEBUGGER_RECORD_STATS_H */
