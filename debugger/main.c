/* main.c: the rrv command line: subcommand dispatch and `rrv run`. */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <getopt.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/hart.h"
#include "core/inject.h"
#include "core/jit.h"
#include "core/machine.h"
#include "core/tb.h"
#include "debugger/cli.h"
#include "debugger/gdb_live.h"
#include "debugger/cmd_snap.h"
#include "debugger/crash_handler.h"
#include "replay/rr_snap.h"
#include "replay/rr.h"

#define RRV_VERSION "0.1.0"

static const char usage_main[] =
"usage: rrv <command> [options] [args]\n"
"\n"
"rrv is a parallel full-system RISC-V emulator (RV64GC, QEMU virt board).\n"
"\n"
"commands:\n"
"  run       run a guest, one host thread per hart\n"
"  record    run a guest and record it into a trace file\n"
"  replay    replay a trace, in parallel or serialized, checking it\n"
"  debug     step and continue forwards and backwards through a trace\n"
"  triage    report how a recorded run ended, where, and what came before\n"
"  info      summarize a trace file\n"
"  events    list the events of a trace file\n"
"  irqs      interrupts per PLIC source, context and hart, from a replay\n"
"  export    a trace as Chrome trace-event JSON (Perfetto, chrome://tracing)\n"
"  chaos     record again and again with perturbed scheduling until it fails\n"
"  dumpdtb   write the generated device tree blob to a file\n"
"  help      show this text, or `rrv help <command>`\n"
"  version   print the version\n"
"\n"
"Run `rrv <command> --help` for a command's options.\n";

static const char usage_run[] =
"usage: rrv run [options] [IMAGE]\n"
"\n"
"Run a guest on the virt-compatible board. Each hart runs on its own host\n"
"thread. IMAGE (or --kernel) is an ELF, loaded by its program headers, or a\n"
"raw binary, loaded at 0x80000000 (0x80200000 when --bios is given).\n"
"\n"
"options:\n"
"  --smp N            number of harts, 1..64 (default 1)\n"
"  --memory SIZE      RAM size, e.g. 256M, 1G (default 256M; K/M/G suffixes)\n"
"  --bios FILE        M-mode firmware loaded at 0x80000000; execution starts\n"
"                     there and the kernel goes at 0x80200000\n"
"  --bios builtin     no firmware: rrv answers the S-mode kernel's SBI calls\n"
"                     (Base, TIME, IPI, RFENCE, HSM, SRST, DBCN, legacy\n"
"                     console); hart 0 starts in S-mode at 0x80200000 (or\n"
"                     the ELF's entry), the others wait for HSM hart_start\n"
"  --kernel FILE      the payload (same as IMAGE)\n"
"  --initrd FILE      initial ramdisk, loaded high in RAM and announced in\n"
"                     /chosen (linux,initrd-start/end)\n"
"  --append ARGS      kernel command line (/chosen/bootargs)\n"
"  --dtb FILE         use this device tree blob instead of the generated one\n"
"  --input FILE       feed the UART from FILE instead of stdin; input ends\n"
"                     at the end of the file\n"
"  --max-insns N      stop when a hart has retired N instructions\n"
"  --timeout SECONDS  stop after this much host time (fractions allowed)\n"
"  --hang-timeout S   stop as a hang when for S seconds no hart retires an\n"
"                     instruction (WFI waits do not count) or takes an\n"
"                     interrupt\n"
"  --hang-output S    stop as a hang after S seconds without console output\n"
"  --stats            print instruction counts and speed on stderr at exit\n"
"  --fpu soft|fast    FP arithmetic in software only, or on the host FPU\n"
"                     where provably identical (default fast; same results)\n"
"  --jit on|off       compile hot blocks to x86-64 code, or interpret only\n"
"                     (default on for x86-64 hosts, or $RRV_JIT; same\n"
"                     results and instruction counts either way)\n"
"  --inject FAULT     fault injection (repeatable; recorded and replayed):\n"
"                     spurious-irq:SOURCE[:RATE] raises PLIC source SOURCE\n"
"                     RATE times per second of guest time with no device\n"
"                     condition behind it (default 50000); uart-stuck-irq\n"
"                     keeps the UART's interrupt asserted while any is\n"
"                     enabled in IER, even when IIR says none is pending\n"
"  --gdb [HOST:]PORT  serve gdb (127.0.0.1 unless HOST is given): every hart\n"
"                     stops when gdb connects; forward debugging only\n"
"  --wait             with --gdb: no instruction before gdb continues\n"
"  -h, --help         show this text\n"
"\n"
"exit status (how the run ended; README.md, \"Exit status\"):\n"
"  the guest's exit code (sifive_test finisher or HTIF tohost; codes above\n"
"  255 are reported as 255), 119 a hang, 122 a kernel crash seen on the\n"
"  console (\"Kernel panic\", \"Oops\", \"BUG:\", ...), 123 a trap loop,\n"
"  124 when --timeout expired, 125 when --max-insns was reached, 128+N\n"
"  when signal N interrupted the run or crashed rrv, 2 for a bad option or\n"
"  unusable image, 1 for an internal emulator error.\n";

static const char usage_record[] =
"usage: rrv record -o TRACE [machine options] [IMAGE]\n"
"\n"
"Run a guest exactly as `rrv run` does (same options, one host thread per\n"
"hart, truly in parallel) and record everything that makes the run\n"
"nondeterministic into TRACE: page-ownership transfers between harts,\n"
"atomic commits, interrupt-pending changes and delivery points, time reads,\n"
"UART input, code-cache invalidations and periodic state digests. The\n"
"trace holds the loaded images too: `rrv replay TRACE` needs nothing else.\n"
"\n"
"options: -o, --output TRACE (required), and every `rrv run` option\n"
"(see `rrv run --help`), and:\n"
"  --on-failure-only  keep TRACE only when the run fails (exit status not\n"
"                     0): then print its `rrv triage` title and path on\n"
"                     stderr; a clean run's trace is deleted (for CI)\n"
"\n"
"exit status: as `rrv run`; the trace's END records the same verdict\n"
"(`rrv info TRACE` shows it).\n";

static const char usage_dumpdtb[] =
"usage: rrv dumpdtb [--smp N] [--memory SIZE] [--append ARGS] [--initrd FILE] FILE\n"
"\n"
"Write the device tree rrv generates for these machine options to FILE\n"
"(inspect it with `dtc -I dtb -O dts FILE`).\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "rrv: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see `rrv run --help`)\n");
	return RRV_EXIT_USAGE;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case '\0': break;
	default: return false;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end || v > (UINT64_MAX >> shift))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

int cli_option_error(const char *cmd, int c, char **argv)
{
	if (c == ':')
		fprintf(stderr, "rrv: option '%s' needs a value (see `rrv %s --help`)\n",
			argv[optind - 1], cmd);
	else
		fprintf(stderr, "rrv: unknown option '%s' (see `rrv %s --help`)\n",
			argv[optind - 1], cmd);
	return RRV_EXIT_USAGE;
}

double cli_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

enum { OPT_SMP = 256, OPT_MEMORY, OPT_BIOS, OPT_KERNEL, OPT_INPUT,
       OPT_MAX_INSNS, OPT_TIMEOUT, OPT_STATS, OPT_INITRD, OPT_APPEND,
       OPT_DTB, OPT_OUTPUT, OPT_SAVE_SNAP, OPT_SNAP_ON, OPT_STOP_AFTER,
       OPT_RESTORE, OPT_FPU, OPT_JIT, OPT_GDB, OPT_WAIT };

/* Apart from the list above: other helpers add options there. */
enum { OPT_HANG_TIMEOUT = 512, OPT_HANG_OUTPUT };
enum { OPT_INJECT = 640 };
enum { OPT_ON_FAILURE_ONLY = 768 };
enum { OPT_CHAOS_SEED = 896 };

const char cli_snapshot_usage[] =
"  --save-snapshot FILE   save the whole machine to FILE when --snapshot-on\n"
"                     fires (all harts stopped at instruction boundaries),\n"
"                     then go on; Ctrl-A s on a terminal saves one too\n"
"  --snapshot-on WHEN output:TEXT (the guest printed TEXT; C escapes such as\n"
"                     \\n allowed), icount:[HART:]N (the hart, 0 if not\n"
"                     given, retired N instructions)\n"
"                     or guest (a write of 1 to the control device at\n"
"                     0x101008)\n"
"  --stop-after-snapshot  end the run once the snapshot is saved (exit 0)\n"
"  --restore FILE     continue the machine saved in FILE (no image options;\n"
"                     --smp/--memory, if given, must match it)\n";


/* Parse `run` options; with dump, the positional argument is dumpdtb's
 * output file instead of an image. Returns 0, -1 (help shown) or a status. */
int cli_parse_machine(int argc, char **argv, struct run_opts *o,
		      enum parse_mode mode, const char **out)
{
	bool dump = mode == PARSE_DUMP;
	static const struct option longopts[] = {
		{ "smp", required_argument, NULL, OPT_SMP },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "bios", required_argument, NULL, OPT_BIOS },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "input", required_argument, NULL, OPT_INPUT },
		{ "initrd", required_argument, NULL, OPT_INITRD },
		{ "append", required_argument, NULL, OPT_APPEND },
		{ "dtb", required_argument, NULL, OPT_DTB },
		{ "max-insns", required_argument, NULL, OPT_MAX_INSNS },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "hang-timeout", required_argument, NULL, OPT_HANG_TIMEOUT },
		{ "hang-output", required_argument, NULL, OPT_HANG_OUTPUT },
		{ "inject", required_argument, NULL, OPT_INJECT },
		{ "on-failure-only", no_argument, NULL, OPT_ON_FAILURE_ONLY },
		/* Not in the usage text: `rrv chaos` passes it to each record. */
		{ "chaos-seed", required_argument, NULL, OPT_CHAOS_SEED },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "save-snapshot", required_argument, NULL, OPT_SAVE_SNAP },
		{ "snapshot-on", required_argument, NULL, OPT_SNAP_ON },
		{ "stop-after-snapshot", no_argument, NULL, OPT_STOP_AFTER },
		{ "restore", required_argument, NULL, OPT_RESTORE },
		{ "fpu", required_argument, NULL, OPT_FPU },
		{ "jit", required_argument, NULL, OPT_JIT },
		{ "gdb", required_argument, NULL, OPT_GDB },
		{ "wait", no_argument, NULL, OPT_WAIT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, mode == PARSE_RECORD ? ":ho:" : ":h",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
		case OPT_OUTPUT:
			if (mode != PARSE_RECORD)
				return usage_error("%s", "-o/--output is for `rrv record`");
			o->output = optarg;
			break;
		case OPT_SMP:
			if (!parse_u64(optarg, &v) || v < 1 || v > MAX_HARTS)
				return usage_error("--smp takes 1..64, not '%s'", optarg);
			o->cfg.nharts = (unsigned)v;
			o->smp_given = true;
			break;
		case OPT_MEMORY:
			if (!parse_size(optarg, &v) || v < (1u << 20) ||
			    v > (64ull << 30) || (v & (PAGE_SIZE - 1)))
				return usage_error("--memory takes a size from 1M to 64G "
						   "in whole pages, not '%s'", optarg);
			o->cfg.ram_size = v;
			o->memory_given = true;
			break;
		case OPT_BIOS:
			/* "builtin": rrv answers the SBI calls itself (a file
			 * of that name is ./builtin). */
			o->cfg.sbi_builtin = !strcmp(optarg, "builtin");
			o->cfg.bios = o->cfg.sbi_builtin ? NULL : optarg;
			break;
		case OPT_KERNEL:
			if (o->cfg.kernel)
				return usage_error("more than one kernel image ('%s')", optarg);
			o->cfg.kernel = optarg;
			break;
		case OPT_INPUT: o->input = optarg; break;
		case OPT_INITRD: o->cfg.initrd = optarg; break;
		case OPT_APPEND: o->cfg.bootargs = optarg; break;
		case OPT_DTB: o->cfg.dtb = optarg; break;
		case OPT_MAX_INSNS:
			if (!parse_u64(optarg, &v) || v == 0)
				return usage_error("--max-insns takes a positive count, "
						   "not '%s'", optarg);
			o->cfg.max_insns = v;
			break;
		case OPT_TIMEOUT: {
			char *end;
			errno = 0;
			o->timeout = strtod(optarg, &end);
			if (errno || *end || !(o->timeout > 0) || o->timeout > 1e9)
				return usage_error("--timeout takes positive seconds, "
						   "not '%s'", optarg);
			break;
		}
		case OPT_STATS: o->stats = true; break;
		case OPT_HANG_TIMEOUT:
		case OPT_HANG_OUTPUT: {
			char *end;
			errno = 0;
			double s = strtod(optarg, &end);
			if (errno || *end || !(s > 0) || s > 1e9)
				return usage_error("--hang-timeout/--hang-output take positive "
						   "seconds, not '%s'", optarg);
			*(c == OPT_HANG_TIMEOUT ? &o->cfg.hang_timeout : &o->cfg.hang_output) = s;
			break;
		}
		case OPT_INJECT: {
			char e[160];
			if (inject_parse(optarg, &o->cfg, e, sizeof(e)) < 0)
				return usage_error("%s", e);
			break;
		}
		case OPT_ON_FAILURE_ONLY:
			if (mode != PARSE_RECORD)
				return usage_error("%s", "--on-failure-only is for `rrv record`");
			o->on_failure_only = true;
			break;
		case OPT_CHAOS_SEED:
			if (mode != PARSE_RECORD || !parse_u64(optarg, &v))
				return usage_error("%s", "--chaos-seed N is for `rrv record` "
						   "(see `rrv chaos`)");
			o->cfg.chaos = true;
			o->cfg.chaos_seed = v;
			break;
		case OPT_SAVE_SNAP: o->save_snapshot = optarg; break;
		case OPT_SNAP_ON: o->snapshot_on = optarg; break;
		case OPT_STOP_AFTER: o->stop_after_snapshot = true; break;
		case OPT_RESTORE: o->restore = optarg; break;
		case OPT_FPU:
			if (strcmp(optarg, "soft") && strcmp(optarg, "fast"))
				return usage_error("--fpu takes soft or fast, not '%s'",
						   optarg);
			o->cfg.fpu_soft = !strcmp(optarg, "soft");
			break;
		case OPT_JIT:
			if (jit_parse_mode(optarg) < 0)
				return usage_error("--jit takes on or off, not '%s'", optarg);
			o->cfg.jit = jit_parse_mode(optarg) ? JIT_ON : JIT_OFF;
			break;
		case OPT_GDB:
		case OPT_WAIT:
			if (mode != PARSE_RUN)
				return usage_error("%s", "--gdb/--wait are for `rrv run` "
						   "(a trace is debugged with `rrv debug --gdb`)");
			if (c == OPT_GDB)
				o->gdb = optarg;
			else
				o->gdb_wait = true;
			break;
		case 'h':
			fputs(dump ? usage_dumpdtb : mode == PARSE_RECORD ?
			      usage_record : usage_run, stdout);
			if (!dump)
				fputs(cli_snapshot_usage, stdout);
			return -1;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (dump) {
		if (optind + 1 != argc)
			return usage_error("%s", "dumpdtb takes one output file");
		*out = argv[optind];
		return 0;
	}
	if (optind < argc) {
		if (o->cfg.kernel)
			return usage_error("image '%s' given besides --kernel", argv[optind]);
		o->cfg.kernel = argv[optind++];
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!o->cfg.kernel && !o->cfg.bios && !o->restore)
		return usage_error("%s", "no image to run");
	if (o->cfg.sbi_builtin && !o->cfg.kernel && !o->restore)
		return usage_error("%s", "--bios builtin needs a kernel (--kernel FILE)");
	return snap_cli_check(o->save_snapshot, o->snapshot_on, o->stop_after_snapshot);
}

static const struct machine_config default_cfg = {
	.nharts = 1, .ram_size = 256ull << 20, .input_fd = 0, .output_fd = 1,
};

void cli_default_opts(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cfg = default_cfg;
}

static int cmd_dumpdtb(int argc, char **argv)
{
	struct run_opts o = { .cfg = default_cfg };
	const char *out = NULL;
	int r = cli_parse_machine(argc, argv, &o, PARSE_DUMP, &out);
	if (r)
		return r < 0 ? 0 : r;
	char err[512];
	o.cfg.input_fd = -1;
	struct machine *m = machine_new(&o.cfg, err, sizeof(err));
	if (!m || machine_load_boot(m, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s\n", err);
		machine_free(m);
		return RRV_EXIT_USAGE;
	}
	const uint8_t *blob = m->ram + (m->dtb_addr - RAM_BASE);
	FILE *f = fopen(out, "wb");
	size_t n = fdt_totalsize(blob);
	int status = 0;
	if (!f || fwrite(blob, 1, n, f) != n) {
		fprintf(stderr, "rrv: %s: %s\n", out, strerror(errno));
		status = 1;
	}
	if (f && fclose(f) != 0 && !status) {
		fprintf(stderr, "rrv: %s: %s\n", out, strerror(errno));
		status = 1;
	}
	machine_free(m);
	return status;
}

void cli_print_stats(const struct machine *m, double seconds)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < m->nharts; i++)
		total += m->harts[i]->icount;
	fprintf(stderr, "rrv: stats: insns=%llu seconds=%.3f mips=%.1f\n",
		(unsigned long long)total, seconds,
		seconds > 0 ? (double)total / seconds / 1e6 : 0.0);
	for (unsigned i = 0; i < m->nharts; i++)
		fprintf(stderr, "rrv: stats: hart %u insns=%llu pc=0x%llx ra=0x%llx priv=%u\n", i,
			(unsigned long long)m->harts[i]->icount,
			(unsigned long long)m->harts[i]->pc,
			(unsigned long long)m->harts[i]->x[1], m->harts[i]->priv);
	uint64_t translated = 0;
	for (unsigned i = 0; i < m->nharts; i++)
		translated += tb_translated(m->harts[i]);
	fprintf(stderr, "rrv: stats: blocks translated=%llu\n",
		(unsigned long long)translated);
	struct jit_stats js = { 0 };
	bool jit = false;
	for (unsigned i = 0; i < m->nharts; i++) {
		struct jit_stats hs;
		if (!m->harts[i]->jit)
			continue;
		jit = true;
		jit_get_stats(m->harts[i]->jit, &hs);
		js.blocks += hs.blocks;
		js.bytes += hs.bytes;
		js.ns += hs.ns;
		js.ops_native += hs.ops_native;
		js.ops_total += hs.ops_total;
		js.resets += hs.resets;
		js.links += hs.links;
	}
	if (jit)
		fprintf(stderr, "rrv: stats: jit blocks=%llu native_ops=%llu/%llu "
			"bytes=%llu compile_ms=%.3f us_per_block=%.2f resets=%llu links=%llu\n",
			(unsigned long long)js.blocks,
			(unsigned long long)js.ops_native,
			(unsigned long long)js.ops_total,
			(unsigned long long)js.bytes, (double)js.ns / 1e6,
			js.blocks ? (double)js.ns / 1e3 / (double)js.blocks : 0.0,
			(unsigned long long)js.resets, (unsigned long long)js.links);
}

void cli_report_verdict(const struct verdict *v, const struct run_opts *o)
{
	char d[512];
	switch (v->kind) {
	case VERDICT_TIMEOUT:
		fprintf(stderr, "rrv: timeout after %.3g s\n", o->timeout);
		break;
	case VERDICT_INSN_LIMIT:
		fprintf(stderr, "rrv: instruction limit %llu reached\n",
			(unsigned long long)o->cfg.max_insns);
		break;
	case VERDICT_EXIT:
	case VERDICT_RESET:
	case VERDICT_USER_QUIT:
	case VERDICT_SNAPSHOT:
	case VERDICT_ERROR:
		break; /* said already, or nothing to say */
	default:
		verdict_describe(v, d, sizeof(d));
		fprintf(stderr, "rrv: %s%s\n", v->kind == VERDICT_HANG ? "hang: " : "", d);
		break;
	}
}

/* Handlers for stop and fatal signals, and a test build's injected
 * crash, around one run. 0, or an exit status after a message. */
int cli_arm_signals(struct machine *m, struct trace_writer *w, const struct rr *rr)
{
	char err[256];
	if (crash_test_hooks(m, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s\n", err);
		return RRV_EXIT_USAGE;
	}
	if (crash_handlers_install(m, w, rr, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s\n", err);
		return 1;
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .cfg = default_cfg };
	int r = cli_parse_machine(argc, argv, &o, PARSE_RUN, NULL);
	if (r)
		return r < 0 ? 0 : r;
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
		if (st) {
			if (o.input)
				close(o.cfg.input_fd);
			return st;
		}
	} else if (!(m = machine_new(&o.cfg, err, sizeof(err)))) {
		fprintf(stderr, "rrv: %s\n", err);
		return 1;
	} else if (machine_load_boot(m, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s\n", err);
		machine_free(m);
		return RRV_EXIT_USAGE;
	}
	struct snap_session snap = {
		.path = o.save_snapshot, .when = o.snapshot_on,
		.stop_after = o.stop_after_snapshot, .source = "run",
	};
	snap_cli_origin(&snap, &o.cfg, o.restore ? &snapf : NULL);
	rr_snap_close(&snapf);
	if ((r = snap_cli_arm(&snap, m)) != 0) {
		machine_free(m);
		return r;
	}
	if ((r = cli_arm_signals(m, NULL, NULL)) != 0) {
		machine_free(m);
		return r;
	}
	struct gdb_live *gdb = NULL;
	if (o.gdb && (o.save_snapshot || o.snapshot_on)) {
		fprintf(stderr, "rrv: --gdb and snapshots do not go together\n");
		machine_free(m);
		return RRV_EXIT_USAGE;
	}
	if (o.gdb_wait && !o.gdb) {
		fprintf(stderr, "rrv: --wait is for --gdb\n");
		machine_free(m);
		return RRV_EXIT_USAGE;
	}
	if (o.gdb && !(gdb = gdb_live_start(m, o.gdb, o.gdb_wait, err, sizeof(err)))) {
		fprintf(stderr, "rrv: %s\n", err);
		machine_free(m);
		return RRV_EXIT_USAGE;
	}
	double t0 = cli_now();
	int status = machine_run(m, o.timeout);
	gdb_live_finish(gdb);
	crash_handlers_remove();
	snap_cli_report(&snap);
	if (snap.failed)
		status = 1;
	double dt = cli_now() - t0;
	struct verdict *v = malloc(sizeof(*v));
	if (v) {
		machine_verdict(m, v);
		cli_report_verdict(v, &o);
		free(v);
	}
	if (o.stats)
		cli_print_stats(m, dt);
	machine_free(m);
	if (o.input)
		close(o.cfg.input_fd);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "rrv: no command given (see `rrv --help`)\n");
		return RRV_EXIT_USAGE;
	}
	/* A closed output pipe (`rrv run ... | head`) must not kill rrv
	 * mid-run: guest output is then dropped like an unplugged UART. */
	signal(SIGPIPE, SIG_IGN);
	const char *cmd = argv[1];
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "dumpdtb"))
		return cmd_dumpdtb(argc - 1, argv + 1);
	if (!strcmp(cmd, "record"))
		return dbg_cmd_record(argc - 1, argv + 1);
	if (!strcmp(cmd, "replay"))
		return dbg_cmd_replay(argc - 1, argv + 1);
	if (!strcmp(cmd, "info"))
		return dbg_cmd_info(argc - 1, argv + 1);
	if (!strcmp(cmd, "events"))
		return dbg_cmd_events(argc - 1, argv + 1);
	if (!strcmp(cmd, "debug"))
		return dbg_cmd_debug(argc - 1, argv + 1);
	if (!strcmp(cmd, "triage"))
		return dbg_cmd_triage(argc - 1, argv + 1);
	if (!strcmp(cmd, "irqs"))
		return dbg_cmd_irqs(argc - 1, argv + 1);
	if (!strcmp(cmd, "export"))
		return dbg_cmd_export(argc - 1, argv + 1);
	if (!strcmp(cmd, "chaos"))
		return dbg_cmd_chaos(argc - 1, argv + 1);
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		if (argc > 2 && !strcmp(argv[2], "run"))
			fputs(usage_run, stdout);
		else if (argc > 2 && !strcmp(argv[2], "dumpdtb"))
			fputs(usage_dumpdtb, stdout);
		else if (argc > 2 && !strcmp(argv[2], "record"))
			fputs(usage_record, stdout);
		else
			fputs(usage_main, stdout);
		return 0;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("rrv %s\n", RRV_VERSION);
		return 0;
	}
	fprintf(stderr, "rrv: unknown command '%s' (see `rrv --help`)\n", cmd);
	return RRV_EXIT_USAGE;
}
