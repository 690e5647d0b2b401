/* fuzz_trace.c: libFuzzer target for the trace reader: open, iterate every
 * hart, seek. Any input must give a clean error or clean events. */
#include <stddef.h>
#include <stdint.h>

#include "logs/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct trace_reader *r = trace_open_mem(data, size, err, sizeof(err));
	if (!r)
		return 0;
	for (unsigned h = 0; h < trace_nharts(r); h++) {
		struct trace_iter *it = trace_iter_new(r, h);
		struct trace_event ev;
		uint64_t seq;
		int n = 0;
		while (n++ < 100000 && trace_iter_next(it, &ev, &seq, err, sizeof(err)) == 1)
			;
		trace_iter_seek_icount(it, 1000);
		trace_iter_seek_seq(it, 3);
		trace_iter_next(it, &ev, &seq, err, sizeof(err));
		trace_iter_free(it);
	}
	char v[64];
	trace_config_get(r, "harts", v, sizeof(v));
	struct trace_end end;
	trace_end_info(r, &end);
	trace_close(r);
	return 0;
}
