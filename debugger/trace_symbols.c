/* trace_symbols.c: the symbols and DWARF of a trace's images (+ --symbols), as `rrv debug` and `rrv triage` load them. */
#include "debugger/trace_symbols.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debugger/cli.h"
#include "debugger/dinfo.h"
#include "debugger/symbols.h"
#include "logs/trace.h"

static bool is_elf(const void *data, size_t len)
{
	return len >= 4 && !memcmp(data, "\177ELF", 4);
}

void dbg_load_symbols(struct sym_table *t, struct dinfo *d, struct trace_reader *tr,
		      const char *extra, bool quiet)
{
	char err[256];
	for (unsigned i = 0; i < trace_nimages(tr); i++) {
		const struct trace_image *im = trace_image(tr, i);
		if (is_elf(im->data, im->len)) {
			if (sym_add_elf(t, im->data, im->len, 0, err, sizeof(err)) < 0)
				fprintf(stderr, "rrv: symbols of %s: %s\n", im->name, err);
			if (d && dinfo_add_elf(d, im->data, im->len, 0, err, sizeof(err)) < 0)
				fprintf(stderr, "rrv: DWARF of %s: %s\n", im->name, err);
			continue;
		}
		size_t n;
		if (!strcmp(im->name, "kernel") &&
		    sym_add_kallsyms(t, im->data, im->len, &n, err, sizeof(err)) == 0 && !quiet)
			fprintf(stderr, "rrv: %zu kernel symbols from the image's kallsyms\n", n);
	}
	if (!extra)
		return;
	size_t len;
	char *buf = (char *)cli_read_file(extra, &len, err, sizeof(err));
	if (!buf) {
		fprintf(stderr, "rrv: %s\n", err);
		return;
	}
	int r = is_elf(buf, len) ? sym_add_elf(t, buf, len, 0, err, sizeof(err)) :
		sym_add_system_map(t, buf, len, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "rrv: %s: %s\n", extra, err);
	if (r == 0 && d && is_elf(buf, len) && dinfo_add_elf(d, buf, len, 0, err, sizeof(err)) < 0)
		fprintf(stderr, "rrv: DWARF of %s: %s\n", extra, err);
	free(buf);
}
