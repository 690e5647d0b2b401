/* make-seeds.c: a few small valid traces as the fuzzer's starting corpus. */
#include <stdio.h>
#include <string.h>

#include "logs/trace.h"

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	for (unsigned t = 0; t < 3; t++) {
		char path[512], err[256];
		snprintf(path, sizeof(path), "%s/seed%u.rrv", argv[1], t);
		unsigned nh = 1 + t;
		char cfg[64];
		snprintf(cfg, sizeof(cfg), "harts=%u\n", nh);
		struct trace_writer *w = trace_writer_open(path, nh, cfg, err, sizeof(err));
		if (!w) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		trace_writer_image(w, "kernel", 0x80000000, "img", 3, err, sizeof(err));
		for (unsigned h = 0; h < nh; h++)
			for (unsigned i = 0; i < 20; i++) {
				struct trace_event e;
				memset(&e, 0, sizeof(e));
				e.icount = i * 7;
				/* Every kind but END, which closes a stream. */
				e.kind = (uint8_t)(1 + (i + t) % (TRACE_EV_KINDS - 1));
				if (e.kind == TRACE_EV_END)
					e.kind = TRACE_EV_TRAP;
				e.page = 0x80000 + i;
				e.mode = 1 + (i & 1);
				e.value = i * 12345;
				e.ndeps = e.kind == TRACE_EV_ACQUIRE ? 1 : 0;
				e.deps[0].hart = 0;
				e.deps[0].seq = i;
				e.len = e.kind == TRACE_EV_INPUT ? 3 : e.kind == TRACE_EV_TRAP ? 1 : 0;
				memcpy(e.bytes, "abc", 3);
				trace_append(w, h, &e);
			}
		struct trace_end end = { .reason = 1 };
		trace_writer_close(w, &end, err, sizeof(err));
	}
	return 0;
}
