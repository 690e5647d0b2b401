/* cmd_chaos.c: `rrv chaos`: record again and again with perturbed host scheduling until the guest fails. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/verdict.h"
#include "debugger/cli.h"
#include "logs/trace.h"
#include "replay/rr_trace.h"

static const char usage_chaos[] =
"usage: rrv chaos [--runs N] [-o TRACE] [--keep-going] [--no-chaos]\n"
"                 [--seed S] [--verbose] [record options] IMAGE\n"
"\n"
"Record IMAGE again and again (`rrv record` with the same options), each\n"
"time with the host scheduling of the hart threads perturbed, until the\n"
"guest fails: it exits with a code other than 0, or the run ends in a\n"
"recognised crash, trap loop or hang (the verdicts of `rrv triage`). The\n"
"failing run's trace is kept as TRACE, the passing ones are deleted, and\n"
"the run count and the triage title are printed.\n"
"\n"
"The perturbation (core/chaos.h, after rr's chaos mode): random nice\n"
"values for the hart threads and, half the time, all of them on one CPU;\n"
"one hart at a time starved of guest instructions for 20 ms to 1 s, the\n"
"first time within 20 ms of the start, then after gaps of 2-8 times as\n"
"long; slices sometimes cut to 100 or 10,000 instructions, and short\n"
"stalls (a yield, or up to 0.5 ms) at the hart's safe points. Only the\n"
"timing changes: every chaos trace replays like any other.\n"
"\n"
"options:\n"
"  --runs N      at most N recordings (default 100)\n"
"  -o TRACE      where the failing run's trace is kept (default chaos.rrv)\n"
"  --keep-going  do all N runs and count the failures (the first failing\n"
"                trace is kept)\n"
"  --no-chaos    plain `rrv record` runs, no perturbation (to compare)\n"
"  --seed S      the first run's seed (run i uses S+i; default random);\n"
"                `rrv record --chaos-seed S` perturbs one recording alike\n"
"                (the host's own timing still differs)\n"
"  --verbose     show the guest's console output (default: discarded; it\n"
"                is in the trace)\n"
"  -h, --help    this text\n"
"\n"
"exit status: 1 when a run failed (its trace kept), 0 when all passed,\n"
"2 for a bad option.\n";

struct chaos_opts {
	unsigned long runs;
	const char *out;
	bool keep_going, plain, verbose, seed_given;
	uint64_t seed;
	int nfwd;
	char **fwd;        /* the record options and IMAGE */
};

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "rrv: %s%s%s (see `rrv chaos --help`)\n", msg, arg ? " " : "",
		arg ? arg : "");
	return RRV_EXIT_USAGE;
}

/* Our options out of argv, the rest kept for `rrv record`. 0, -1 after
 * help, or an exit status. */
static int parse(int argc, char **argv, struct chaos_opts *o)
{
	*o = (struct chaos_opts){ .runs = 100, .out = "chaos.rrv" };
	o->fwd = calloc((size_t)argc + 1, sizeof(*o->fwd));
	if (!o->fwd)
		return 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_chaos, stdout);
			return -1;
		} else if (!strcmp(a, "--runs") && i + 1 < argc) {
			o->runs = strtoul(argv[++i], &end, 10);
			if (*end || !o->runs || *argv[i] == '-')
				return usage_error("--runs takes a count above 0, not", argv[i]);
		} else if (!strcmp(a, "--seed") && i + 1 < argc) {
			o->seed = strtoull(argv[++i], &end, 0);
			if (*end || *argv[i] == '-')
				return usage_error("--seed takes a number, not", argv[i]);
			o->seed_given = true;
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			o->out = argv[++i];
		} else if (!strcmp(a, "--keep-going")) {
			o->keep_going = true;
		} else if (!strcmp(a, "--no-chaos")) {
			o->plain = true;
		} else if (!strcmp(a, "--verbose")) {
			o->verbose = true;
		} else if (!strcmp(a, "--runs") || !strcmp(a, "--seed") || !strcmp(a, "-o") ||
			   !strcmp(a, "--output")) {
			return usage_error("missing value after", a);
		} else if (!strcmp(a, "--chaos-seed") || !strcmp(a, "--on-failure-only")) {
			return usage_error("rrv chaos sets this itself:", a);
		} else {
			o->fwd[o->nfwd++] = argv[i];
		}
	}
	/* The record options checked once here, not N times in children. */
	int n = o->nfwd + 3;
	char **check = calloc((size_t)n + 1, sizeof(*check));
	if (!check)
		return 1;
	check[0] = "chaos";
	check[1] = "-o";
	check[2] = (char *)o->out;
	memcpy(check + 3, o->fwd, sizeof(*check) * (size_t)o->nfwd);
	struct run_opts ro;
	cli_default_opts(&ro);
	const char *image = NULL;
	int r = cli_parse_machine(n, check, &ro, PARSE_RECORD, &image);
	free(check);
	if (r)
		return r < 0 ? usage_error("no --help among the record options", NULL) : r;
	if (!ro.cfg.kernel && !ro.restore)
		return usage_error("chaos needs an IMAGE to record", NULL);
	if (ro.save_snapshot)
		return usage_error("no snapshots in chaos runs:", "--save-snapshot");
	return 0;
}

/* One `rrv record` of the image into path: its wait status, or -1. */
static int record_once(const struct chaos_opts *o, const char *path, uint64_t seed)
{
	char seedtxt[32];
	snprintf(seedtxt, sizeof(seedtxt), "%" PRIu64, seed);
	char **av = calloc((size_t)o->nfwd + 8, sizeof(*av));
	if (!av)
		return -1;
	int n = 0;
	av[n++] = "rrv";
	av[n++] = "record";
	if (!o->plain) {
		av[n++] = "--chaos-seed";
		av[n++] = seedtxt;
	}
	av[n++] = "-o";
	av[n++] = (char *)path;
	memcpy(av + n, o->fwd, sizeof(*av) * (size_t)o->nfwd);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		/* The recording reads no terminal (input comes with --input) and,
		 * unless asked, prints no guest output: N runs of it would bury
		 * the one that matters, which the trace holds anyway. */
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			if (!o->verbose)
				dup2(null, 1);
		}
		execv("/proc/self/exe", av);
		fprintf(stderr, "rrv: chaos: cannot run rrv record: %s\n", strerror(errno));
		_exit(127);
	}
	free(av);
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0) {
		fprintf(stderr, "rrv: chaos: %s\n", strerror(errno));
		return -1;
	}
	return st;
}

enum outcome { RUN_PASSED, RUN_FAILED, RUN_STOP, RUN_BROKEN };

/* What a finished recording says: its verdict first (a recognised crash
 * may still exit 0), else its exit status. */
static enum outcome judge(const char *path, int st, char *why, size_t len)
{
	char err[512];
	struct trace_reader *r = trace_open(path, err, sizeof(err));
	if (!r) {
		snprintf(why, len, "rrv record left no readable trace (%s; %s %d)", err,
			 WIFSIGNALED(st) ? "signal" : "exit status",
			 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		return RUN_BROKEN;
	}
	struct verdict *v = malloc(sizeof(*v));
	if (!v) {
		trace_close(r);
		snprintf(why, len, "out of memory");
		return RUN_BROKEN;
	}
	rr_trace_verdict(r, v);
	trace_close(r);
	char d[512];
	verdict_describe(v, d, sizeof(d));
	snprintf(why, len, "%s: %s", verdict_name(v->kind), d);
	enum verdict_kind k = v->kind;
	free(v);
	switch (k) {
	case VERDICT_GUEST_FAIL: case VERDICT_CRASH: case VERDICT_TRAP_LOOP:
	case VERDICT_HANG: case VERDICT_RRV_CRASH: case VERDICT_ERROR:
		return RUN_FAILED;
	case VERDICT_INTERRUPTED: case VERDICT_USER_QUIT:
		return RUN_STOP;
	case VERDICT_TIMEOUT: case VERDICT_INSN_LIMIT: case VERDICT_SNAPSHOT:
	case VERDICT_RESET:
		return RUN_PASSED;   /* the user's own bounds, not the guest's failure */
	default:
		return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? RUN_PASSED : RUN_FAILED;
	}
}

int dbg_cmd_chaos(int argc, char **argv)
{
	struct chaos_opts o;
	int r = parse(argc, argv, &o);
	if (r) {
		free(o.fwd);
		return r < 0 ? 0 : r;
	}
	if (!o.seed_given && getrandom(&o.seed, sizeof(o.seed), 0) != sizeof(o.seed))
		o.seed = (uint64_t)getpid() * 0x9e3779b97f4a7c15ull;
	size_t plen = strlen(o.out) + 32;
	char *tmp = malloc(plen);
	if (!tmp) {
		free(o.fwd);
		return 1;
	}
	snprintf(tmp, plen, "%s.run%ld", o.out, (long)getpid());
	unsigned long run, failures = 0, first_fail = 0;
	char why[1024], first_why[1024] = "";
	int status = 0;
	for (run = 1; run <= o.runs; run++) {
		uint64_t seed = o.seed + run - 1;
		int st = record_once(&o, tmp, seed);
		enum outcome out = st < 0 ? RUN_BROKEN : judge(tmp, st, why, sizeof(why));
		if (out == RUN_BROKEN || out == RUN_STOP) {
			fprintf(stderr, "rrv: chaos: run %lu: %s; stopping\n", run, why);
			unlink(tmp);
			status = 1;
			break;
		}
		if (out == RUN_PASSED || first_fail) {
			failures += out == RUN_FAILED;
			unlink(tmp);
			continue;
		}
		failures++;
		first_fail = run;
		snprintf(first_why, sizeof(first_why), "%s", why);
		if (rename(tmp, o.out) < 0) {
			fprintf(stderr, "rrv: chaos: %s: %s\n", o.out, strerror(errno));
			status = 1;
			break;
		}
		if (o.plain)
			fprintf(stderr, "rrv: chaos: run %lu failed: %s\n", run, why);
		else
			fprintf(stderr, "rrv: chaos: run %lu failed (seed %" PRIu64 "): %s\n",
				run, seed, why);
		if (!o.keep_going)
			break;
	}
	if (run > o.runs)
		run = o.runs;
	if (first_fail) {
		char title[512];
		dbg_triage_title(o.out, title, sizeof(title));
		printf("rrv chaos: %lu of %lu runs failed, the first at run %lu%s\n", failures, run,
		       first_fail, o.plain ? " (no chaos)" : "");
		printf("title: %s\n", title);
		printf("verdict: %s\n", first_why);
		printf("trace: %s (rrv triage %s; rrv replay %s)\n", o.out, o.out, o.out);
		status = 1;
	} else if (!status) {
		printf("rrv chaos: no failure in %lu runs%s\n", run, o.plain ? " (no chaos)" : "");
	}
	free(tmp);
	free(o.fwd);
	return status;
}
