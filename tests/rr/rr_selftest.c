/*
 * rr_selftest.c: record a guest with the event streams in memory, replay it
 * in parallel and serialized, and compare output, exit status and digests;
 * then tamper with the streams and check the replay reports it.
 *
 * usage: rr_selftest [--smp N] [--input FILE] [--bios F] [--tamper] IMAGE
 * Exit 0 when every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/machine.h"
#include "replay/rr.h"
#include "replay/rr_mem.h"

struct result {
	int status;
	char *out;
	size_t outlen;
	char divergence[2048];
	bool cut_short;
};

static char *slurp(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	lseek(fd, 0, SEEK_SET);
	ssize_t r;
	while (buf && (r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	*len = n;
	return buf;
}

static int run_once(const struct machine_config *base, const char *input,
		    struct rr_mem *mm, const struct rr_options *opt,
		    struct result *res)
{
	struct machine_config cfg = *base;
	char tmpl[] = "/tmp/rr_selftest.XXXXXX";
	cfg.output_fd = mkstemp(tmpl);
	unlink(tmpl);
	cfg.input_fd = -1;
	if (input && !opt->replay)
		cfg.input_fd = open(input, O_RDONLY);
	char err[512];
	struct machine *m = machine_new(&cfg, err, sizeof(err));
	if (!m || machine_load_boot(m, err, sizeof(err)) < 0) {
		fprintf(stderr, "rr_selftest: %s\n", err);
		return -1;
	}
	struct rr *rr = rr_new(m, opt, &rr_mem_ops, mm, err, sizeof(err));
	if (!rr) {
		fprintf(stderr, "rr_selftest: %s\n", err);
		return -1;
	}
	res->status = machine_run(m, opt->replay ? 0 : (getenv("RR_TIMEOUT") ? atof(getenv("RR_TIMEOUT")) : 60));
	const char *d = rr_divergence(rr);
	snprintf(res->divergence, sizeof(res->divergence), "%s", d ? d : "");
	res->cut_short = rr_cut_short(rr);
	rr_free(rr);
	machine_free(m);
	res->out = slurp(cfg.output_fd, &res->outlen);
	close(cfg.output_fd);
	if (cfg.input_fd >= 0)
		close(cfg.input_fd);
	return 0;
}

static int check_same(const char *what, const struct result *rec,
		      const struct result *rep)
{
	int bad = 0;
	if (rep->divergence[0]) {
		printf("FAIL %s: %s\n", what, rep->divergence);
		return 1;
	}
	if (rep->cut_short) {
		printf("FAIL %s: stream cut short\n", what);
		bad = 1;
	}
	if (rep->outlen != rec->outlen || memcmp(rep->out, rec->out, rec->outlen)) {
		printf("FAIL %s: output differs (%zu vs %zu bytes)\n", what,
		       rep->outlen, rec->outlen);
		bad = 1;
	}
	if (!bad)
		printf("PASS %s (%zu bytes of output)\n", what, rep->outlen);
	return bad;
}

/* Replay expecting a divergence or a cut-short report. */
static int check_detected(const char *what, const struct machine_config *cfg,
			  struct rr_mem *mm)
{
	struct rr_options opt = { .replay = true, .quiet = true };
	struct result r = { 0 };
	rr_mem_rewind(mm);
	if (run_once(cfg, NULL, mm, &opt, &r) < 0)
		return 1;
	free(r.out);
	if (r.divergence[0] || r.cut_short) {
		const char *nl = strchr(r.divergence, '\n');
		printf("PASS %s detected: %.*s\n", what,
		       nl ? (int)(nl - r.divergence) : (int)strlen(r.divergence),
		       r.divergence[0] ? r.divergence : "cut short");
		return 0;
	}
	printf("FAIL %s: replay accepted a tampered log\n", what);
	return 1;
}

/* RR_DUMP=N: print the first N events of every stream (debugging aid). */
static void dump_streams(struct rr_mem *mm, unsigned nharts, uint64_t limit)
{
	for (unsigned h = 0; h < nharts; h++)
		for (uint64_t i = 0; i < rr_mem_count(mm, h) && i < limit; i++) {
			const struct trace_event *e = rr_mem_event(mm, h, i);
			fprintf(stderr, "hart %u seq %llu %s icount %llu%s page %#llx "
				"mode %u value %#llx deps %u\n", h,
				(unsigned long long)i, trace_kind_name(e->kind),
				(unsigned long long)e->icount, e->insn ? " insn" : "",
				(unsigned long long)e->page, e->mode,
				(unsigned long long)e->value, e->ndeps);
		}
}

int main(int argc, char **argv)
{
	struct machine_config cfg = { .nharts = 1, .ram_size = 256ull << 20 };
	const char *input = NULL;
	bool tamper = false;
	int replays = 3;
	static const struct option lo[] = {
		{ "smp", required_argument, NULL, 's' },
		{ "input", required_argument, NULL, 'i' },
		{ "bios", required_argument, NULL, 'b' },
		{ "memory", required_argument, NULL, 'm' },
		{ "tamper", no_argument, NULL, 't' },
		{ "replays", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's': cfg.nharts = (unsigned)atoi(optarg); break;
		case 'i': input = optarg; break;
		case 'b': cfg.bios = optarg; break;
		case 'm': cfg.ram_size = strtoull(optarg, NULL, 0) << 20; break;
		case 't': tamper = true; break;
		case 'r': replays = atoi(optarg); break;
		default: return 2;
		}
	}
	if (optind < argc)
		cfg.kernel = argv[optind];
	struct rr_mem *mm = rr_mem_new(cfg.nharts);
	struct rr_options rec_opt = { .digest_every = 100000 };
	struct result rec = { 0 };
	if (run_once(&cfg, input, mm, &rec_opt, &rec) < 0)
		return 2;
	uint64_t total = 0;
	for (unsigned i = 0; i < cfg.nharts; i++)
		total += rr_mem_count(mm, i);
	if (getenv("RR_DUMP"))
		dump_streams(mm, cfg.nharts, strtoull(getenv("RR_DUMP"), NULL, 0));
	printf("recorded: status %d, %zu bytes of output, %llu events\n",
	       rec.status, rec.outlen, (unsigned long long)total);
	int bad = 0;
	for (int k = 0; k < replays + 1; k++) {
		bool serial = k == replays;
		struct rr_options opt = { .replay = true, .serial = serial };
		struct result rep = { 0 };
		rr_mem_rewind(mm);
		if (run_once(&cfg, NULL, mm, &opt, &rep) < 0)
			return 2;
		char what[64];
		snprintf(what, sizeof(what), "%s replay %d", serial ? "serialized" : "parallel", k + 1);
		bad |= check_same(what, &rec, &rep);
		free(rep.out);
	}
	if (tamper) {
		for (unsigned hh = 0; hh < cfg.nharts; hh++)
			for (uint64_t i = 0; i < rr_mem_count(mm, hh); i++) {
				struct trace_event *e = rr_mem_event(mm, hh, i);
				if (e->kind == TRACE_EV_TIME) {
					e->value += 12345;
					bad |= check_detected("changed TIME", &cfg, mm);
					e->value -= 12345;
					goto timed;
				}
			}
timed:
		/* Drop the first ACQUIRE with a dependency, if any. */
		for (unsigned hh = 0; hh < cfg.nharts; hh++)
			for (uint64_t i = 0; i < rr_mem_count(mm, hh); i++) {
				struct trace_event *e = rr_mem_event(mm, hh, i);
				if (e->kind == TRACE_EV_ACQUIRE && e->insn) {
					struct trace_event saved = *e;
					rr_mem_drop(mm, hh, i);
					bad |= check_detected("dropped ACQUIRE", &cfg, mm);
					(void)saved;
					goto dropped;
				}
			}
dropped:
		rr_mem_truncate(mm, 0, rr_mem_count(mm, 0) / 2);
		bad |= check_detected("truncated stream", &cfg, mm);
	}
	free(rec.out);
	rr_mem_free(mm);
	return bad;
}
