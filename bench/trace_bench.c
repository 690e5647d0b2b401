/*
 * trace_bench.c: trace writer throughput. Several threads (one per hart)
 * append a realistic event mix (mostly ACQUIRE/RELEASE with a dependency
 * or two, some ATOMIC, TIME, MIP/IRQ, periodic DIGEST) while the writer
 * thread compresses and writes; reports the append cost per event, events
 * per second per hart, and compressed bytes per event. Medians of 5 runs.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "logs/trace.h"

#define HARTS 2
#define EVENTS 2000000
#define RUNS 5

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct job {
	struct trace_writer *w;   /* NULL: generate events only (baseline) */
	unsigned hart;
	double seconds;
};

static volatile uint64_t sink;

static void *run(void *arg)
{
	struct job *j = arg;
	struct trace_event e;
	memset(&e, 0, sizeof(e));
	uint64_t ic = 0, t = 1000000, seq = 0, s = 0x1234567 + j->hart;
	/* CPU time of this thread: on 2 shared cores the writer thread and
	 * the other hart preempt it, which is not append cost. */
	double t0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	for (unsigned i = 0; i < EVENTS; i++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		unsigned r = (unsigned)(s >> 33) % 100;
		ic += 20 + (s >> 40) % 400;
		e.icount = ic;
		e.insn = true;
		e.ndeps = 0;
		if (r < 40) {
			e.kind = TRACE_EV_ACQUIRE;
			e.page = 0x80000 + (s >> 20) % 2048;
			e.mode = 1 + (r & 1);
			e.ndeps = 1 + (r % 7 == 0);
			e.deps[0].hart = (j->hart + 1) % HARTS;
			e.deps[0].seq = seq;
			e.deps[1].hart = (j->hart + 1) % HARTS;
			e.deps[1].seq = seq + 1;
		} else if (r < 78) {
			e.kind = TRACE_EV_RELEASE;
			e.page = 0x80000 + (s >> 20) % 2048;
			e.mode = r & 1;
			e.insn = false;
		} else if (r < 88) {
			e.kind = TRACE_EV_ATOMIC;
			e.addr = 0x80001000 + (s >> 30) % 64 * 8;
			e.op = 1;
			e.success = true;
		} else if (r < 94) {
			e.kind = TRACE_EV_TIME;
			t += 100 + (s >> 50) % 50;
			e.value = t;
		} else if (r < 97) {
			e.kind = TRACE_EV_MIP;
			e.value = (r & 1) ? 0x80 : 0;
			e.insn = false;
		} else if (r < 99) {
			e.kind = TRACE_EV_IRQ;
			e.value = (1ull << 63) | 7;
			e.addr = 0x80000400 + (s >> 40) % 256 * 4;
			e.insn = false;
		} else {
			e.kind = TRACE_EV_DIGEST;
			e.value = s;
			e.insn = false;
		}
		if (j->w)
			trace_append(j->w, j->hart, &e);
		else
			sink += e.icount + e.kind;
		seq++;
	}
	j->seconds = clock_s(CLOCK_THREAD_CPUTIME_ID) - t0;
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	double append_ns[RUNS], per_sec[RUNS], bytes_ev[RUNS], total_s[RUNS];
	char path[64], err[256];
	snprintf(path, sizeof(path), "/tmp/trace_bench.%d.rrv", getpid());
	for (int k = 0; k < RUNS; k++) {
		struct trace_writer *w = trace_writer_open(path, HARTS, "harts=2\n", err, sizeof(err));
		if (!w) {
			fprintf(stderr, "trace_bench: %s\n", err);
			return 1;
		}
		pthread_t th[HARTS];
		struct job jobs[HARTS];
		double t0 = now();
		for (unsigned h = 0; h < HARTS; h++) {
			jobs[h] = (struct job){ .w = w, .hart = h };
			pthread_create(&th[h], NULL, run, &jobs[h]);
		}
		double worst = 0;
		for (unsigned h = 0; h < HARTS; h++) {
			pthread_join(th[h], NULL);
			if (jobs[h].seconds > worst)
				worst = jobs[h].seconds;
		}
		struct trace_end end = { 0 };
		if (trace_writer_close(w, &end, err, sizeof(err)) < 0) {
			fprintf(stderr, "trace_bench: %s\n", err);
			return 1;
		}
		total_s[k] = now() - t0;
		struct stat st;
		stat(path, &st);
		append_ns[k] = worst / EVENTS * 1e9;
		per_sec[k] = EVENTS / total_s[k];
		bytes_ev[k] = (double)st.st_size / ((double)EVENTS * HARTS);
	}
	unlink(path);
	double gen_ns[RUNS];
	for (int k = 0; k < RUNS; k++) {
		struct job j = { .w = NULL, .hart = 0 };
		run(&j);
		gen_ns[k] = j.seconds / EVENTS * 1e9;
	}
	qsort(gen_ns, RUNS, sizeof(double), cmp);
	qsort(append_ns, RUNS, sizeof(double), cmp);
	qsort(per_sec, RUNS, sizeof(double), cmp);
	qsort(bytes_ev, RUNS, sizeof(double), cmp);
	qsort(total_s, RUNS, sizeof(double), cmp);
	printf("trace-bench: %d harts x %d events, realistic mix, median of %d runs\n",
	       HARTS, EVENTS, RUNS);
	printf("  append path          %6.1f ns/event (hart thread CPU time: encode + publish,\n"
	       "                                   after %.1f ns of generating the event)\n",
	       append_ns[RUNS / 2] - gen_ns[RUNS / 2], gen_ns[RUNS / 2]);
	printf("  sustained throughput %6.2f M events/s per hart (until the file is closed)\n",
	       per_sec[RUNS / 2] / 1e6);
	printf("  compressed size      %6.2f bytes/event (LZ4 on the writer thread)\n", bytes_ev[RUNS / 2]);
	return 0;
}
