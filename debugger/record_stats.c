/* record_stats.c: `rrv record --stats`' ownership handshake report, named with the trace's symbols. */
#include "debugger/record_stats.h"

#include <stdio.h>
#include <string.h>

#include "core/machine.h"
#include "debugger/symbols.h"
#include "debugger/trace_symbols.h"
#include "logs/trace.h"
#include "replay/rr_stats.h"

void dbg_print_record_stats(const struct rr *rr, const char *path)
{
	char err[256];
	struct rr_stats_names names = { 0 };
	struct sym_table *t = sym_new();
	struct trace_reader *tr = t ? trace_open(path, err, sizeof(err)) : NULL;
	if (tr) {
		dbg_load_symbols(t, NULL, tr, NULL, true);
		names.sym = sym_symbolize;
		names.ctx = t;
		/* A raw kernel image (kallsyms) is linked at its _start:
		 * its pages are named by the kernel's data symbols. Raw
		 * images carry no address; core/machine.h places them. */
		uint64_t start, end, base = RAM_BASE;
		for (unsigned i = 0; i < trace_nimages(tr); i++)
			if (!strcmp(trace_image(tr, i)->name, "bios"))
				base += KERNEL_BIOS_OFFSET;
		for (unsigned i = 0; i < trace_nimages(tr); i++) {
			const struct trace_image *im = trace_image(tr, i);
			if (strcmp(im->name, "kernel") || im->len < 4 ||
			    (im->data[0] == 0x7f && im->data[1] == 'E') ||
			    !sym_lookup_name(t, "_start", &start))
				continue;
			if (im->addr)
				base = im->addr;
			names.data_lo = base;
			names.data_hi = base + im->len;
			names.data_bias = start - base;
			/* Up to _end: the BSS the file leaves out. */
			if (sym_lookup_name(t, "_end", &end) && end > start &&
			    end - start > im->len)
				names.data_hi = base + (end - start);
		}
	}
	rr_stats_print(rr, stderr, &names);
	if (tr)
		trace_close(tr);
	sym_free(t);
}
