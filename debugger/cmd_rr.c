/* cmd_rr.c: `rrv record` and `rrv replay`. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/hart.h"
#include "debugger/cli.h"
#include "replay/rr.h"
#include "replay/rr_trace.h"

/* The images a machine config loads, by the names the trace stores. */
struct image_ref {
	const char *name;
	const char **path;
};

static unsigned image_refs(struct machine_config *cfg, struct image_ref *refs)
{
	unsigned n = 0;
	refs[n++] = (struct image_ref){ "bios", &cfg->bios };
	refs[n++] = (struct image_ref){ "kernel", &cfg->kernel };
	refs[n++] = (struct image_ref){ "initrd", &cfg->initrd };
	refs[n++] = (struct image_ref){ "dtb", &cfg->dtb };
	return n;
}

static uint8_t *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 16, n = 0, k;
	uint8_t *buf = malloc(cap);
	while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	if (!buf)
		snprintf(err, errlen, "%s: out of memory", path);
	*len = n;
	return buf;
}

/* CONFIG text: everything replay needs to rebuild the same machine. */
static void config_text(const struct run_opts *o, int argc, char **argv,
			char *buf, size_t len)
{
	const struct machine_config *c = &o->cfg;
	int n = snprintf(buf, len,
		"harts=%u\nram=%" PRIu64 "\nbios=%s\nkernel=%s\ninitrd=%s\ndtb=%s\n"
		"bootargs=%s\nmax_insns=%" PRIu64 "\ninput=%s\nrrv=record\ncommand=",
		c->nharts, c->ram_size, c->bios ? "yes" : "", c->kernel ? "yes" : "",
		c->initrd ? "yes" : "", c->dtb ? "yes" : "",
		c->bootargs ? c->bootargs : "", c->max_insns,
		o->input ? o->input : "stdin");
	for (int i = 0; i < argc && n > 0 && (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, "%s%s", i ? " " : "rrv ", argv[i]);
	if (n > 0 && (size_t)n < len - 1) {
		buf[n++] = '\n';
		buf[n] = 0;
	}
	/* Newlines inside values (bootargs) would break the format. */
	for (char *p = buf; *p; p++)
		if (*p == '\r')
			*p = ' ';
}

int dbg_cmd_record(int argc, char **argv)
{
	struct run_opts o;
	cli_default_opts(&o);
	int r = cli_parse_machine(argc, argv, &o, PARSE_RECORD, NULL);
	if (r)
		return r < 0 ? 0 : r;
	if (!o.output) {
		fprintf(stderr, "rrv: record needs -o TRACE (see `rrv record --help`)\n");
		return RRV_EXIT_USAGE;
	}
	if (o.cfg.bootargs && strchr(o.cfg.bootargs, '\n')) {
		fprintf(stderr, "rrv: --append must be one line\n");
		return RRV_EXIT_USAGE;
	}
	if (o.input) {
		o.cfg.input_fd = open(o.input, O_RDONLY | O_CLOEXEC);
		if (o.cfg.input_fd < 0) {
			fprintf(stderr, "rrv: %s: %s\n", o.input, strerror(errno));
			return RRV_EXIT_USAGE;
		}
	}
	char err[512];
	struct machine *m = machine_new(&o.cfg, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "rrv: %s\n", err);
		return 1;
	}
	if (machine_load_boot(m, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s\n", err);
		machine_free(m);
		return RRV_EXIT_USAGE;
	}
	char config[8192];
	config_text(&o, argc, argv, config, sizeof(config));
	struct trace_writer *w = trace_writer_open(o.output, o.cfg.nharts, config,
						   err, sizeof(err));
	if (!w) {
		fprintf(stderr, "rrv: %s\n", err);
		machine_free(m);
		return 1;
	}
	struct image_ref refs[4];
	unsigned nrefs = image_refs(&o.cfg, refs);
	for (unsigned i = 0; i < nrefs; i++) {
		if (!*refs[i].path)
			continue;
		size_t len;
		uint8_t *data = read_file(*refs[i].path, &len, err, sizeof(err));
		if (!data || trace_writer_image(w, refs[i].name, 0, data, len, err,
						sizeof(err)) < 0) {
			fprintf(stderr, "rrv: %s\n", err);
			free(data);
			struct trace_end e = { 0 };
			trace_writer_close(w, &e, err, sizeof(err));
			machine_free(m);
			return 1;
		}
		free(data);
	}
	struct rr_options ropt = { .digest_every = 1000000 };
	struct rr *rr = rr_new(m, &ropt, &rr_trace_write_ops, w, err, sizeof(err));
	if (!rr) {
		fprintf(stderr, "rrv: %s\n", err);
		struct trace_end e = { 0 };
		trace_writer_close(w, &e, err, sizeof(err));
		machine_free(m);
		return 1;
	}
	double t0 = cli_now();
	int status = machine_run(m, o.timeout);
	double dt = cli_now() - t0;
	if (m->exit_reason == EXIT_TIMEOUT)
		fprintf(stderr, "rrv: timeout after %.3g s\n", o.timeout);
	else if (m->exit_reason == EXIT_INSN_LIMIT)
		fprintf(stderr, "rrv: instruction limit %" PRIu64 " reached\n", o.cfg.max_insns);
	struct trace_end end = {
		.reason = (uint8_t)m->exit_reason, .exit_code = status,
		.output_hash = rr_output_hash(rr), .output_bytes = rr_output_bytes(rr),
	};
	uint64_t file_bytes, raw_bytes;
	trace_writer_sizes(w, &file_bytes, &raw_bytes);
	if (trace_writer_close(w, &end, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s: %s\n", o.output, err);
		status = 1;
	}
	uint64_t insns = 0;
	for (unsigned i = 0; i < m->nharts; i++)
		insns += m->harts[i]->icount;
	if (o.stats) {
		cli_print_stats(m, dt);
		fprintf(stderr, "rrv: stats: trace_bytes=%" PRIu64 " raw_event_bytes=%"
			PRIu64 " bytes_per_minsn=%.1f\n", file_bytes, raw_bytes,
			insns ? (double)file_bytes * 1e6 / (double)insns : 0.0);
	}
	rr_free(rr);
	machine_free(m);
	if (o.input)
		close(o.cfg.input_fd);
	return status;
}

static const char usage_replay[] =
"usage: rrv replay [--serial] [--quiet] [--stats] TRACE\n"
"\n"
"Replay a recorded run exactly, from the trace alone (it never reads\n"
"stdin), print the guest's output again and exit with the recorded exit\n"
"status. Every state digest, interrupt point, code invalidation and the\n"
"end of the run are checked; a memory access the log never authorized is\n"
"a divergence.\n"
"\n"
"options:\n"
"  --serial   one hart at a time in the canonical order (round-robin\n"
"             quanta, a hart waiting on another yields) instead of one\n"
"             host thread per hart running in parallel\n"
"  --quiet    do not print the guest's output\n"
"  --stats    print instruction counts and speed at the end\n"
"\n"
"exit status: the recorded one when the replay is identical; 120 on a\n"
"divergence (reported with hart, icount, pc and the last events); 121 when\n"
"the trace was cut short (replayed up to its end); 1 for an unreadable or\n"
"damaged trace; 2 for a bad option.\n";

/* Write the trace's images to files in dir and point cfg at them. */
static int extract_images(struct trace_reader *tr, const char *dir,
			  struct machine_config *cfg, char paths[4][512],
			  char *err, size_t errlen)
{
	struct image_ref refs[4];
	unsigned nrefs = image_refs(cfg, refs);
	for (unsigned i = 0; i < trace_nimages(tr); i++) {
		const struct trace_image *im = trace_image(tr, i);
		for (unsigned k = 0; k < nrefs; k++) {
			if (strcmp(im->name, refs[k].name))
				continue;
			snprintf(paths[k], 512, "%s/%s", dir, im->name);
			FILE *f = fopen(paths[k], "wb");
			if (!f || fwrite(im->data, 1, im->len, f) != im->len) {
				snprintf(err, errlen, "%s: %s", paths[k], strerror(errno));
				if (f)
					fclose(f);
				return -1;
			}
			if (fclose(f) != 0) {
				snprintf(err, errlen, "%s: %s", paths[k], strerror(errno));
				return -1;
			}
			*refs[k].path = paths[k];
		}
	}
	return 0;
}

int dbg_cmd_replay(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "serial", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "stats", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool serial = false, quiet = false, stats = false;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 's': serial = true; break;
		case 'q': quiet = true; break;
		case 'S': stats = true; break;
		case 'h': fputs(usage_replay, stdout); return 0;
		default:
			fprintf(stderr, "rrv: unknown option '%s' (see `rrv replay --help`)\n",
				argv[optind - 1]);
			return RRV_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "rrv: replay takes one trace file (see `rrv replay --help`)\n");
		return RRV_EXIT_USAGE;
	}
	const char *path = argv[optind];
	char err[512];
	struct trace_reader *tr = trace_open(path, err, sizeof(err));
	if (!tr) {
		fprintf(stderr, "rrv: %s\n", err);
		return 1;
	}
	struct run_opts o;
	cli_default_opts(&o);
	char v[4096];
	o.cfg.nharts = trace_nharts(tr);
	if (trace_config_get(tr, "ram", v, sizeof(v)))
		o.cfg.ram_size = strtoull(v, NULL, 10);
	if (trace_config_get(tr, "max_insns", v, sizeof(v)))
		o.cfg.max_insns = strtoull(v, NULL, 10);
	static char bootargs[4096];
	if (trace_config_get(tr, "bootargs", bootargs, sizeof(bootargs)) && bootargs[0])
		o.cfg.bootargs = bootargs;
	o.cfg.input_fd = -1;
	char dir[] = "/tmp/rrv-replay.XXXXXX";
	char paths[4][512] = { { 0 } };
	int status = 1;
	if (!mkdtemp(dir)) {
		fprintf(stderr, "rrv: cannot create a temporary directory: %s\n", strerror(errno));
		trace_close(tr);
		return 1;
	}
	struct machine *m = NULL;
	struct rr *rr = NULL;
	struct rr_trace_play *play = NULL;
	if (extract_images(tr, dir, &o.cfg, paths, err, sizeof(err)) < 0 ||
	    !(m = machine_new(&o.cfg, err, sizeof(err))) ||
	    machine_load_boot(m, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s: %s\n", path, err);
		goto out;
	}
	play = rr_trace_play_new(tr);
	struct rr_options ropt = { .replay = true, .serial = serial, .quiet = quiet };
	if (!play || !(rr = rr_new(m, &ropt, &rr_trace_read_ops, play, err, sizeof(err)))) {
		fprintf(stderr, "rrv: %s\n", play ? err : "out of memory");
		goto out;
	}
	double t0 = cli_now();
	machine_run(m, 0);
	double dt = cli_now() - t0;
	if (stats)
		cli_print_stats(m, dt);
	struct trace_end end;
	bool have_end = trace_end_info(tr, &end);
	const char *div = rr_divergence(rr);
	const char *damage = rr_trace_play_error(play);
	if (div) {
		fprintf(stderr, "rrv: %s\n", div);
		status = RRV_EXIT_DIVERGENCE;
	} else if (damage) {
		fprintf(stderr, "rrv: %s: %s\n", path, damage);
		status = 1;
	} else if (!trace_complete(tr) || rr_cut_short(rr)) {
		fprintf(stderr, "rrv: %s: %s; replayed up to there\n", path,
			trace_complete(tr) ? "a hart's stream ends without END"
					   : trace_cut_message(tr));
		status = RRV_EXIT_CUT_SHORT;
	} else if (!have_end) {
		fprintf(stderr, "rrv: %s: no END chunk\n", path);
		status = RRV_EXIT_CUT_SHORT;
	} else if (end.output_hash != rr_output_hash(rr) ||
		   end.output_bytes != rr_output_bytes(rr)) {
		fprintf(stderr, "rrv: divergence at the end: the guest printed %" PRIu64
			" bytes (hash %#" PRIx64 "), the recording %" PRIu64 " (hash %#" PRIx64 ")\n",
			rr_output_bytes(rr), rr_output_hash(rr), end.output_bytes, end.output_hash);
		status = RRV_EXIT_DIVERGENCE;
	} else if ((end.reason == EXIT_GUEST || end.reason == EXIT_RESET) &&
		   (m->exit_reason != end.reason ||
		    (end.reason == EXIT_GUEST &&
		     (m->exit_code > 255 ? 255 : m->exit_code) != end.exit_code))) {
		fprintf(stderr, "rrv: divergence at the end: the guest exited with %d "
			"(reason %d), the recording with %d (reason %d)\n",
			m->exit_code, m->exit_reason, end.exit_code, end.reason);
		status = RRV_EXIT_DIVERGENCE;
	} else {
		uint64_t insns = 0;
		for (unsigned i = 0; i < m->nharts; i++)
			insns += m->harts[i]->icount;
		fprintf(stderr, "rrv: replay identical (%s): %" PRIu64 " instructions on %u harts\n",
			serial ? "serialized" : "parallel", insns, m->nharts);
		status = end.exit_code;
	}
out:
	rr_free(rr);
	rr_trace_play_free(play);
	machine_free(m);
	for (unsigned k = 0; k < 4; k++)
		if (paths[k][0])
			unlink(paths[k]);
	rmdir(dir);
	trace_close(tr);
	return status;
}
