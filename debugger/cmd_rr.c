/* cmd_rr.c: `rrv record` and `rrv replay`. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/hart.h"
#include "core/inject.h"
#include "core/jit.h"
#include "core/snap.h"
#include "debugger/cli.h"
#include "debugger/cmd_snap.h"
#include "debugger/crash_handler.h"
#include "debugger/record_stats.h"
#include "replay/rr_open.h"
#include "replay/rr_snap.h"
#include "replay/rr.h"
#include "replay/rr_trace.h"

uint8_t *cli_read_file(const char *path, size_t *len, char *err, size_t errlen)
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
	char inject[128];
	inject_format(c, inject, sizeof(inject));
	uint64_t id[2] = { 0, 0 };
	if (getrandom(id, sizeof(id), 0) != sizeof(id))
		id[0] = (uint64_t)(cli_now() * 1e9) ^ ((uint64_t)getpid() << 32);
	int n = snprintf(buf, len,
		"harts=%u\nram=%" PRIu64 "\nbios=%s\nkernel=%s\ninitrd=%s\ndtb=%s\n"
		"bootargs=%s\nmax_insns=%" PRIu64 "\ninput=%s\nsbi=%s\nrrv=record\n"
		"trace_id=%016" PRIx64 "%016" PRIx64 "\nrestored=%s\ninject=%s\ncommand=",
		c->nharts, c->ram_size, c->bios ? "yes" : "", c->kernel ? "yes" : "",
		c->initrd ? "yes" : "", c->dtb ? "yes" : "",
		c->bootargs ? c->bootargs : "", c->max_insns,
		o->input ? o->input : "stdin", c->sbi_builtin ? "builtin" : "",
		id[0], id[1],
		o->restore ? o->restore : "", inject);
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

/* record --on-failure-only: a clean run (status 0) leaves no trace; a
 * failed one says what failed and where its trace is. */
static void keep_on_failure(const char *path, int status)
{
	if (!status) {
		if (unlink(path) < 0)
			fprintf(stderr, "rrv: %s: %s\n", path, strerror(errno));
		return;
	}
	char title[512];
	dbg_triage_title(path, title, sizeof(title));
	fprintf(stderr, "rrv: failure: %s\nrrv: trace kept: %s (rrv triage %s)\n", title, path,
		path);
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
	struct machine *m = NULL;
	struct rr_snap_file snapf = { 0 };
	if (o.restore) {
		int st = snap_cli_restore(o.restore, &o, o.smp_given, o.memory_given,
					  &snapf, &m);
		if (st)
			return st;
		/* The recorder starts with no page rights: no TLB entry may
		 * grant access before an ACQUIRE (its replay does the same). */
		snap_forget_tlbs(m);
	} else if (!(m = machine_new(&o.cfg, err, sizeof(err)))) {
		fprintf(stderr, "rrv: %s\n", err);
		return 1;
	} else if (machine_load_boot(m, err, sizeof(err)) < 0) {
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
	/* A recording from a snapshot starts from the machine it holds. */
	if (snapf.blob && trace_writer_snapshot(w, snapf.blob, snapf.len, err,
						sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s: %s\n", o.output, err);
		struct trace_end e = { 0 };
		trace_writer_close(w, &e, err, sizeof(err));
		rr_snap_close(&snapf);
		machine_free(m);
		return 1;
	}
	struct rr_image_ref refs[RR_NIMAGES];
	unsigned nrefs = rr_image_refs(&o.cfg, refs);
	for (unsigned i = 0; i < nrefs; i++) {
		if (!*refs[i].path)
			continue;
		size_t len;
		uint8_t *data = cli_read_file(*refs[i].path, &len, err, sizeof(err));
		if (!data || trace_writer_image(w, refs[i].name, 0, data, len, err,
						sizeof(err)) < 0) {
			fprintf(stderr, "rrv: %s\n", err);
			free(data);
			struct trace_end e = { 0 };
			trace_writer_close(w, &e, err, sizeof(err));
			rr_snap_close(&snapf);
			machine_free(m);
			return 1;
		}
		free(data);
	}
	struct rr_options ropt = { .digest_every = 1000000, .stats = o.stats };
	struct rr *rr = rr_new(m, &ropt, &rr_trace_write_ops, w, err, sizeof(err));
	if (!rr) {
		fprintf(stderr, "rrv: %s\n", err);
		struct trace_end e = { 0 };
		trace_writer_close(w, &e, err, sizeof(err));
		rr_snap_close(&snapf);
		machine_free(m);
		return 1;
	}
	struct snap_session snap = {
		.path = o.save_snapshot, .when = o.snapshot_on,
		.stop_after = o.stop_after_snapshot, .source = "record", .rr = rr,
	};
	snap_cli_origin(&snap, &o.cfg, o.restore ? &snapf : NULL);
	rr_snap_close(&snapf);
	if ((r = snap_cli_arm(&snap, m)) != 0) {
		struct trace_end e = { 0 };
		trace_writer_close(w, &e, err, sizeof(err));
		unlink(o.output);
		rr_free(rr);
		machine_free(m);
		return r;
	}
	if ((r = cli_arm_signals(m, w, rr)) != 0) {
		struct trace_end e = { 0 };
		trace_writer_close(w, &e, err, sizeof(err));
		unlink(o.output);
		rr_free(rr);
		machine_free(m);
		return r;
	}
	double t0 = cli_now();
	int status = machine_run(m, o.timeout);
	double dt = cli_now() - t0;
	snap_cli_report(&snap);
	if (snap.failed)
		status = 1;
	/* Both hold 6-8 KiB of crash text: on the heap. */
	struct verdict *v = calloc(1, sizeof(*v));
	struct trace_end *end = calloc(1, sizeof(*end));
	if (!v || !end) {
		fprintf(stderr, "rrv: out of memory\n");
		exit(1);
	}
	machine_verdict(m, v);
	cli_report_verdict(v, &o);
	*end = (struct trace_end){
		.reason = (uint8_t)m->exit_reason, .exit_code = status,
		.output_hash = rr_output_hash(rr), .output_bytes = rr_output_bytes(rr),
	};
	verdict_format(v, end->verdict, sizeof(end->verdict));
	uint64_t file_bytes, raw_bytes;
	trace_writer_sizes(w, &file_bytes, &raw_bytes);
	crash_handlers_forget_trace();
	if (trace_writer_close(w, end, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s: %s\n", o.output, err);
		status = 1;
	}
	crash_handlers_remove();
	/* The writer's count stops before the last flush, INDEX and END:
	 * the file's own size is what a user sees. */
	struct stat sb;
	if (stat(o.output, &sb) == 0)
		file_bytes = (uint64_t)sb.st_size;
	free(end);
	free(v);
	uint64_t insns = 0;
	for (unsigned i = 0; i < m->nharts; i++)
		insns += m->harts[i]->icount;
	if (o.stats) {
		cli_print_stats(m, dt);
		fprintf(stderr, "rrv: stats: trace_bytes=%" PRIu64 " raw_event_bytes=%"
			PRIu64 " bytes_per_minsn=%.1f\n", file_bytes, raw_bytes,
			insns ? (double)file_bytes * 1e6 / (double)insns : 0.0);
		dbg_print_record_stats(rr, o.output);
	}
	rr_free(rr);
	machine_free(m);
	if (o.input)
		close(o.cfg.input_fd);
	if (o.on_failure_only)
		keep_on_failure(o.output, status);
	return status;
}

static const char usage_replay[] =
"usage: rrv replay [--serial] [--quiet] [--stats] [--jit on|off]\n"
"                  [snapshot options] TRACE\n"
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
"  --jit on|off\n"
"             compile hot blocks to x86-64 code, or interpret only (as\n"
"             `rrv run`; a trace replays the same either way)\n"
"  --save-snapshot FILE, --snapshot-on WHEN, --stop-after-snapshot\n"
"             save the machine and each hart's trace position when WHEN\n"
"             fires (output:TEXT, icount:N for hart 0, guest); implies\n"
"             --serial, which stops every hart at a boundary the trace's\n"
"             dependencies allow\n"
"  --restore FILE\n"
"             continue the replay from a snapshot taken while replaying\n"
"             this same trace, checking everything to the end\n"
"\n"
"exit status: the recorded one when the replay is identical; 120 on a\n"
"divergence (reported with hart, icount, pc and the last events); 121 when\n"
"the trace was cut short (replayed up to its end); 1 for an unreadable or\n"
"damaged trace or snapshot; 2 for a bad option or a snapshot that does not\n"
"belong to the trace.\n";


/*
 * The end a replay reached against the verdict the recording stored, where
 * the replay can tell: a trap loop is found again on the same hart at the
 * same exception and pc, a console crash with the same kind and text.
 * (Hangs, signals and limits leave nothing in the guest to find again:
 * reaching every hart's END is the check.) True with a message if not.
 */
static bool verdict_mismatch(const struct verdict *rec, const struct verdict *rep,
			     char *msg, size_t len)
{
	char a[512], b[512];
	verdict_describe(rec, a, sizeof(a));
	verdict_describe(rep, b, sizeof(b));
	bool bad = false;
	if (rec->kind == VERDICT_TRAP_LOOP)
		bad = rep->kind != VERDICT_TRAP_LOOP || rep->hart != rec->hart ||
		      rep->cause != rec->cause || rep->pc != rec->pc ||
		      rep->tval != rec->tval || rep->icount != rec->icount;
	else if (rec->kind == VERDICT_CRASH)
		bad = rep->kind != VERDICT_CRASH || strcmp(rep->crash, rec->crash) ||
		      strcmp(rep->text, rec->text);
	else if (rep->kind == VERDICT_CRASH || rep->kind == VERDICT_TRAP_LOOP)
		bad = rec->kind != VERDICT_UNKNOWN; /* found one the recording did not */
	if (bad)
		snprintf(msg, len, "the recording ended with \"%.400s\", the replay with \"%.400s\"",
			 a, rep->kind == VERDICT_UNKNOWN ? "nothing to tell" : b);
	return bad;
}

/* Config lines naming the trace's images, for snapshots taken from it. */
static void image_origin(struct trace_reader *tr, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < trace_nimages(tr) && o + 80 < len; i++) {
		const struct trace_image *im = trace_image(tr, i);
		o += (size_t)snprintf(buf + o, len - o, "image.%s=", im->name);
		for (int k = 0; k < 32; k++)
			o += (size_t)snprintf(buf + o, len - o, "%02x", im->sha256[k]);
		o += (size_t)snprintf(buf + o, len - o, "\n");
	}
}

/* Build the machine a replay starts from: what the trace starts from
 * (replay/rr_open.c), or a snapshot taken during a replay of this trace
 * (--restore). 0, or an exit status after a message. */
static int replay_machine(struct trace_reader *tr, const char *path,
			  const char *restore, struct run_opts *o,
			  struct rr_trace_files *files, struct rr_snap_file *snapf,
			  struct machine **out)
{
	char err[512];
	if (restore) {
		/* The snapshot holds memory: no images, and the trace's own
		 * harts and RAM size are what it must match. */
		o->cfg.bootargs = NULL;
		return snap_cli_restore(restore, o, true, true, snapf, out);
	}
	*out = rr_trace_machine(tr, &o->cfg, files, err, sizeof(err));
	rr_trace_files_cleanup(files);
	if (!*out) {
		fprintf(stderr, "rrv: %s: %s\n", path, err);
		return 1;
	}
	return 0;
}

/* --restore: the snapshot must come from a replay of this very trace. */
static int check_restore_origin(struct rr_snap_file *f, struct trace_reader *tr,
				const char *restore, const char *id)
{
	char v[128], origin[4096];
	image_origin(tr, origin, sizeof(origin));
	if (!rr_snap_config(f, "source", v, sizeof(v)) || strcmp(v, "replay")) {
		fprintf(stderr, "rrv: %s: not taken during a replay (it comes from `rrv %s`); "
			"use `rrv run --restore` or `rrv record --restore`\n", restore, v);
		return RRV_EXIT_USAGE;
	}
	if (!rr_snap_config(f, "trace_id", v, sizeof(v)) || strcmp(v, id)) {
		fprintf(stderr, "rrv: %s: taken while replaying another trace (id %s; "
			"this trace is %s)\n", restore, v, id);
		return RRV_EXIT_USAGE;
	}
	for (const char *p = origin; *p;) {
		const char *eq = strchr(p, '='), *nl = strchr(p, '\n');
		char key[64];
		snprintf(key, sizeof(key), "%.*s", (int)(eq - p), p);
		if (!rr_snap_config(f, key, v, sizeof(v)) ||
		    strncmp(v, eq + 1, (size_t)(nl - eq - 1))) {
			fprintf(stderr, "rrv: %s: the snapshot's %s differs from the trace's\n",
				restore, key);
			return RRV_EXIT_USAGE;
		}
		p = nl + 1;
	}
	return 0;
}

int dbg_cmd_replay(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "serial", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "stats", no_argument, NULL, 'S' },
		{ "save-snapshot", required_argument, NULL, 'o' },
		{ "snapshot-on", required_argument, NULL, 'w' },
		{ "stop-after-snapshot", no_argument, NULL, 'x' },
		{ "restore", required_argument, NULL, 'r' },
		{ "jit", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool serial = false, quiet = false, stats = false, stop_after = false;
	const char *save = NULL, *when = NULL, *restore = NULL;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 's': serial = true; break;
		case 'q': quiet = true; break;
		case 'S': stats = true; break;
		case 'h': fputs(usage_replay, stdout); return 0;
		case 'o': save = optarg; break;
		case 'w': when = optarg; break;
		case 'x': stop_after = true; break;
		case 'r': restore = optarg; break;
		case 'j':
			if (jit_parse_mode(optarg) < 0) {
				fprintf(stderr, "rrv: --jit takes on or off, not '%s' "
					"(see `rrv replay --help`)\n", optarg);
				return RRV_EXIT_USAGE;
			}
			jit_set_default(jit_parse_mode(optarg));
			break;
		default:
			return cli_option_error("replay", c, argv);
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "rrv: replay takes one trace file (see `rrv replay --help`)\n");
		return RRV_EXIT_USAGE;
	}
	int st = snap_cli_check(save, when, stop_after);
	if (st)
		return st;
	if (save)
		serial = true; /* the serialized scheduler parks every hart */
	const char *path = argv[optind];
	char err[512];
	struct trace_reader *tr = trace_open(path, err, sizeof(err));
	if (!tr) {
		fprintf(stderr, "rrv: %s\n", err);
		return 1;
	}
	struct run_opts o;
	cli_default_opts(&o);
	struct rr_trace_files files = { 0 };
	rr_trace_config(tr, &files, 1, &o.cfg);
	int status = 1;
	struct machine *m = NULL;
	struct rr *rr = NULL;
	struct rr_trace_play *play = NULL;
	struct rr_snap_file snapf = { 0 };
	struct snap_session snap = {
		.path = save, .when = when, .stop_after = stop_after, .source = "replay",
	};
	rr_trace_identity(tr, snap.trace_id, sizeof(snap.trace_id));
	image_origin(tr, snap.origin, sizeof(snap.origin));
	if ((st = replay_machine(tr, path, restore, &o, &files, &snapf, &m)) != 0) {
		status = st;
		goto out;
	}
	if (restore && (st = check_restore_origin(&snapf, tr, restore, snap.trace_id))) {
		status = st;
		goto out;
	}
	play = rr_trace_play_new(tr);
	struct rr_options ropt = { .replay = true, .serial = serial, .quiet = quiet };
	if (!play || !(rr = rr_new(m, &ropt, &rr_trace_read_ops, play, err, sizeof(err)))) {
		fprintf(stderr, "rrv: %s\n", play ? err : "out of memory");
		goto out;
	}
	if (restore && rr_snap_restore_positions(rr, snapf.blob, snapf.len, snap.trace_id,
						 err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s: %s\n", restore, err);
		status = RRV_EXIT_USAGE;
		goto out;
	}
	snap.rr = rr;
	if ((st = snap_cli_arm(&snap, m)) != 0) {
		status = st;
		goto out;
	}
	double t0 = cli_now();
	machine_run(m, 0);
	double dt = cli_now() - t0;
	snap_cli_report(&snap);
	if (stats)
		cli_print_stats(m, dt);
	struct trace_end end;
	bool have_end = trace_end_info(tr, &end);
	const char *div = rr_divergence(rr);
	const char *damage = rr_trace_play_error(play);
	struct verdict *rec_v = calloc(1, sizeof(*rec_v)), *rep_v = calloc(1, sizeof(*rep_v));
	if (!rec_v || !rep_v) {
		fprintf(stderr, "rrv: out of memory\n");
		free(rec_v);
		free(rep_v);
		goto out;
	}
	rr_trace_verdict(tr, rec_v);
	machine_verdict(m, rep_v);
	char vdesc[512], mismatch[1024];
	verdict_describe(rec_v, vdesc, sizeof(vdesc));
	if (snap.failed) {
		status = 1;
	} else if (div) {
		fprintf(stderr, "rrv: %s\n", div);
		status = RRV_EXIT_DIVERGENCE;
	} else if (m->exit_reason == EXIT_SNAPSHOT) {
		fprintf(stderr, "rrv: replay stopped after the snapshot\n");
		status = 0;
	} else if (damage) {
		fprintf(stderr, "rrv: %s: %s\n", path, damage);
		status = 1;
	} else if (trace_complete(tr) && rec_v->kind == VERDICT_RRV_CRASH) {
		/* The recorder died: each hart's stream ends where its last
		 * committed event was, without END. That is where it ends. */
		fprintf(stderr, "rrv: replay reached the end of the recording: %s\n", vdesc);
		status = end.exit_code;
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
	} else if (!restore && verdict_mismatch(rec_v, rep_v, mismatch, sizeof(mismatch))) {
		fprintf(stderr, "rrv: divergence at the end: %s\n", mismatch);
		status = RRV_EXIT_DIVERGENCE;
	} else {
		uint64_t insns = 0;
		for (unsigned i = 0; i < m->nharts; i++)
			insns += m->harts[i]->icount;
		fprintf(stderr, "rrv: replay identical (%s): %" PRIu64 " instructions on %u harts; "
			"the recording ended with %s: %s\n", serial ? "serialized" : "parallel",
			insns, m->nharts, verdict_name(rec_v->kind), vdesc);
		status = end.exit_code;
	}
	free(rec_v);
	free(rep_v);
out:
	rr_snap_close(&snapf);
	rr_free(rr);
	rr_trace_play_free(play);
	machine_free(m);
	trace_close(tr);
	return status;
}
