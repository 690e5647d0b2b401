/*
 * trace_tamper.c: rewrite a trace with one deliberate change, checksums
 * made valid again, so replay must find it by meaning, not by CRC.
 *
 * usage: trace_tamper IN OUT drop-acquire|time|input|trap|timecmp
 * Prints the hart and sequence number it changed; exit 3 if the trace has
 * no event of that kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs/trace.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: trace_tamper IN OUT drop-acquire|time|input|trap|timecmp\n");
		return 2;
	}
	const char *mode = argv[3];
	char err[512];
	struct trace_reader *r = trace_open(argv[1], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "trace_tamper: %s\n", err);
		return 1;
	}
	struct trace_writer *w = trace_writer_open(argv[2], trace_nharts(r), trace_config(r),
						   err, sizeof(err));
	if (!w) {
		fprintf(stderr, "trace_tamper: %s\n", err);
		return 1;
	}
	for (unsigned i = 0; i < trace_nimages(r); i++) {
		const struct trace_image *im = trace_image(r, i);
		trace_writer_image(w, im->name, im->addr, im->data, im->len, err, sizeof(err));
	}
	bool done = false;
	for (unsigned h = 0; h < trace_nharts(r); h++) {
		struct trace_iter *it = trace_iter_new(r, h);
		struct trace_event e;
		uint64_t seq;
		while (trace_iter_next(it, &e, &seq, err, sizeof(err)) == 1) {
			/* Hart 0's page acquisitions in its first instructions may
			 * be redundant for nothing; take one with a dependency. */
			if (!done && !strcmp(mode, "drop-acquire") && e.kind == TRACE_EV_ACQUIRE &&
			    e.ndeps > 0) {
				printf("dropped ACQUIRE: hart %u seq %llu icount %llu\n", h,
				       (unsigned long long)seq, (unsigned long long)e.icount);
				done = true;
				continue;
			}
			if (!done && !strcmp(mode, "time") && e.kind == TRACE_EV_TIME) {
				e.value += 1000;
				printf("changed TIME: hart %u seq %llu icount %llu\n", h,
				       (unsigned long long)seq, (unsigned long long)e.icount);
				done = true;
			}
			if (!done && !strcmp(mode, "input") && e.kind == TRACE_EV_INPUT && e.len) {
				e.bytes[0] ^= 0x20;
				printf("changed INPUT: hart %u seq %llu icount %llu\n", h,
				       (unsigned long long)seq, (unsigned long long)e.icount);
				done = true;
			}
			/* One exception more than the recording took: the
			 * events after it must then never be reached. */
			if (!done && !strcmp(mode, "trap") && e.kind == TRACE_EV_TRAP) {
				e.len++;
				printf("changed TRAP: hart %u seq %llu icount %llu\n", h,
				       (unsigned long long)seq, (unsigned long long)e.icount);
				done = true;
			}
			/* A hart's acquisition of its own mtimecmp domain made
			 * the next hart's: the timer write then is one the log
			 * never authorized. */
			int t = trace_page_timecmp_hart(e.page);
			if (!done && !strcmp(mode, "timecmp") && e.kind == TRACE_EV_ACQUIRE &&
			    t >= 0 && (unsigned)t < trace_nharts(r)) {
				e.page = TRACE_PAGE_TIMECMP0 + ((unsigned)t + 1) % trace_nharts(r);
				printf("changed mtimecmp ACQUIRE: hart %u seq %llu icount %llu\n", h,
				       (unsigned long long)seq, (unsigned long long)e.icount);
				done = true;
			}
			trace_append(w, h, &e);
		}
		trace_iter_free(it);
	}
	struct trace_end end = { 0 };
	trace_end_info(r, &end);
	trace_writer_close(w, &end, err, sizeof(err));
	trace_close(r);
	return done ? 0 : 3;
}
