/* trace_symbols.h: the symbols and DWARF of a trace's images (+ --symbols), as `rrv debug` and `rrv triage` load them. */
#ifndef RRV_DEBUGGER_TRACE_SYMBOLS_H
#define RRV_DEBUGGER_TRACE_SYMBOLS_H

#include <stdbool.h>

struct dinfo;
struct sym_table;
struct trace_reader;

/*
 * Into t: every ELF image the trace embeds, a raw Linux kernel image's
 * own kallsyms tables, then extra (an ELF file or a System.map; NULL for
 * none). The ELF images' DWARF (lines, CFI) goes into d when d is not
 * NULL. What cannot be read is said on stderr in one line and skipped;
 * quiet leaves out the line counting kallsyms symbols.
 */
void dbg_load_symbols(struct sym_table *t, struct dinfo *d, struct trace_reader *tr,
		      const char *extra, bool quiet);

#endif /* RRV_DEBUGGER_TRACE_SYMBOLS_H */
