/* cmd_trace.c: `rrv info` and `rrv events`: reading a trace file. */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debugger/cli.h"
#include "debugger/cmd_snap.h"
#include "core/machine.h"
#include "core/verdict.h"
#include "logs/trace.h"
#include "replay/rr_event.h"
#include "replay/rr_trace.h"

static struct trace_reader *open_or_say(const char *path)
{
	char err[512];
	struct trace_reader *r = trace_open(path, err, sizeof(err));
	if (!r)
		fprintf(stderr, "rrv: %s\n", err);
	return r;
}

/* snprintf at buf + *o, never past len (a full buffer stays terminated). */
static void add(char *buf, size_t len, size_t *o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t len, size_t *o, const char *fmt, ...)
{
	if (*o >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *o, len - *o, fmt, ap);
	va_end(ap);
	if (n > 0)
		*o = *o + (size_t)n < len ? *o + (size_t)n : len - 1;
}

size_t cli_event_text(const struct trace_event *e, char *buf, size_t len)
{
	size_t o = 0;
	if (len)
		buf[0] = 0;
	char pg[32];
	switch (e->kind) {
	case TRACE_EV_ACQUIRE:
		add(buf, len, &o, " %s%s %s", trace_page_is_ram(e->page) ? "page " : "",
		    trace_page_name(e->page, pg, sizeof(pg)), e->mode == 2 ? "W" : "R");
		for (uint32_t i = 0; i < e->ndeps; i++)
			add(buf, len, &o, "%s%u:%" PRIu64, i ? "," : " after ", e->deps[i].hart,
			    e->deps[i].seq);
		break;
	case TRACE_EV_RELEASE:
		add(buf, len, &o, " %s%s keep %s", trace_page_is_ram(e->page) ? "page " : "",
		    trace_page_name(e->page, pg, sizeof(pg)), e->mode ? "R" : "none");
		break;
	case TRACE_EV_ATOMIC:
		add(buf, len, &o, " %s at %#" PRIx64 " %s",
		    e->op == 1 ? "amo" : e->op == 2 ? "lr" : "sc", e->addr, e->success ? "ok" : "failed");
		break;
	case TRACE_EV_MIP: add(buf, len, &o, " mip %#" PRIx64, e->value); break;
	case TRACE_EV_IRQ:
		add(buf, len, &o, " cause %#" PRIx64 " pc %#" PRIx64, e->value, e->addr);
		break;
	case TRACE_EV_TIME: add(buf, len, &o, " %" PRIu64, e->value); break;
	case TRACE_EV_INPUT:
		if (e->op == RR_INPUT_PLIC) {
			add(buf, len, &o, " injected PLIC source");
			for (uint32_t i = 0; i < e->len && i < TRACE_MAX_INPUT; i++)
				add(buf, len, &o, "%s%u", i ? "," : " ", e->bytes[i]);
			break;
		}
		add(buf, len, &o, " %u bytes \"", e->len);
		for (uint32_t i = 0; i < e->len && i < TRACE_MAX_INPUT; i++)
			add(buf, len, &o, e->bytes[i] >= 32 && e->bytes[i] < 127 && e->bytes[i] != '"' &&
			    e->bytes[i] != '\\' ? "%c" : "\\x%02x", e->bytes[i]);
		add(buf, len, &o, "\"");
		break;
	case TRACE_EV_CC_INVAL: {
		static const char *const why[] = { "?", "store", "fence.i", "sfence.vma", "revoked", "cache full" };
		if (e->page == TRACE_PAGE_ALL)
			add(buf, len, &o, " all");
		else
			add(buf, len, &o, " page %#" PRIx64, e->page << 12);
		add(buf, len, &o, " (%s)", e->op < 6 ? why[e->op] : "?");
		break;
	}
	case TRACE_EV_DIGEST: add(buf, len, &o, " %#018" PRIx64, e->value); break;
	case TRACE_EV_END:
		add(buf, len, &o, " reason %u exit %" PRId64, e->op, (int64_t)e->value);
		break;
	case TRACE_EV_TRAP:
		add(buf, len, &o, " cause %#" PRIx64 " pc %#" PRIx64 " x%u", e->value, e->addr, e->len);
		break;
	default: break;
	}
	return o;
}

static void print_event(unsigned hart, uint64_t seq, const struct trace_event *e)
{
	char text[1600];
	cli_event_text(e, text, sizeof(text));
	printf("hart %u seq %" PRIu64 " icount %" PRIu64 " %-8s%s%s\n", hart, seq,
	       e->icount, trace_kind_name(e->kind), e->insn ? " [insn]" : "", text);
}

/* The machine's end reasons (core/machine.h's enum machine_exit, END's
 * reason byte) in words. */
static const char *end_reason_name(unsigned reason)
{
	static const char *const names[] = {
		[EXIT_NONE] = "none", [EXIT_GUEST] = "guest exit", [EXIT_RESET] = "guest reset",
		[EXIT_TIMEOUT] = "timeout", [EXIT_INSN_LIMIT] = "instruction limit",
		[EXIT_ERROR] = "emulator error", [EXIT_USER] = "user quit (Ctrl-A x)",
		[EXIT_SNAPSHOT] = "stopped after a snapshot", [EXIT_TRAP_LOOP] = "trap loop",
		[EXIT_HANG] = "hang", [EXIT_SIGNAL] = "interrupted by a signal",
		[EXIT_GUEST_CRASH] = "guest kernel crash", [EXIT_RRV_CRASH] = "rrv crashed",
	};
	return reason < sizeof(names) / sizeof(names[0]) && names[reason] ? names[reason] : "unknown";
}

/* "verdict: <name>: <description>", then a crash's text, indented. */
static void print_verdict(const struct trace_reader *r)
{
	struct verdict *v = malloc(sizeof(*v));
	if (!v)
		return;
	rr_trace_verdict(r, v);
	char d[512];
	verdict_describe(v, d, sizeof(d));
	printf("verdict: %s: %s\n", verdict_name(v->kind), d);
	for (const char *p = v->kind == VERDICT_CRASH ? v->text : ""; *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		printf("  | %.*s\n", n, p);
		p += n + (nl ? 1 : 0);
	}
	free(v);
}

int dbg_cmd_info(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: rrv info TRACE\n\nSummarize a trace: machine configuration, "
		       "images, per-hart instructions and events by kind, sizes, and "
		       "whether it is complete.\n");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "rrv: info takes one trace file (see `rrv info --help`)\n");
		return RRV_EXIT_USAGE;
	}
	struct trace_reader *r = open_or_say(argv[1]);
	if (!r)
		return 1;
	char kind[32];
	if (trace_config_get(r, "file", kind, sizeof(kind)) && !strcmp(kind, "snapshot")) {
		trace_close(r);
		return snap_cli_info(argv[1]);
	}
	printf("trace %s: %" PRIu64 " bytes, %u chunks, %s\n", argv[1], trace_file_size(r),
	       trace_nchunks(r), trace_complete(r) ? "complete" : trace_cut_message(r));
	printf("config:\n");
	const char *cfg = trace_config(r);
	for (const char *p = cfg; *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		printf("  %.*s\n", n, p);
		p += n + (nl ? 1 : 0);
	}
	char inj[128];
	if (trace_config_get(r, "inject", inj, sizeof(inj)) && inj[0])
		printf("injected faults: %s\n", inj);
	for (unsigned i = 0; i < trace_nimages(r); i++) {
		const struct trace_image *im = trace_image(r, i);
		printf("image %s: %zu bytes, sha256 ", im->name, im->len);
		for (int k = 0; k < 32; k++)
			printf("%02x", im->sha256[k]);
		printf("\n");
	}
	uint64_t stored = 0, raw = 0;
	for (unsigned i = 0; i < trace_nchunks(r); i++) {
		const struct trace_chunk_info *c = trace_chunk(r, i);
		if (c->type == TRACE_CHUNK_EVENTS) {
			stored += c->stored;
			raw += c->raw;
		}
	}
	printf("events: %" PRIu64 " bytes raw, %" PRIu64 " compressed\n", raw, stored);
	int status = 0;
	for (unsigned h = 0; h < trace_nharts(r); h++) {
		uint64_t counts[TRACE_EV_KINDS] = { 0 }, total = 0, last = 0;
		struct trace_iter *it = trace_iter_new(r, h);
		struct trace_event e;
		char err[256];
		int rc;
		while ((rc = trace_iter_next(it, &e, NULL, err, sizeof(err))) == 1) {
			counts[e.kind]++;
			total++;
			last = e.icount;
		}
		trace_iter_free(it);
		printf("hart %u: %" PRIu64 " instructions, %" PRIu64 " events:", h, last, total);
		for (unsigned k = 1; k < TRACE_EV_KINDS; k++)
			if (counts[k])
				printf(" %s %" PRIu64, trace_kind_name(k), counts[k]);
		printf("\n");
		if (rc < 0) {
			fprintf(stderr, "rrv: %s: %s\n", argv[1], err);
			status = 1;
		}
	}
	struct trace_end end;
	if (trace_end_info(r, &end))
		printf("end: %s (reason %u), exit status %d, %" PRIu64 " bytes of output "
		       "(hash %#" PRIx64 ")\n", end_reason_name(end.reason), end.reason,
		       end.exit_code, end.output_bytes, end.output_hash);
	print_verdict(r);
	trace_close(r);
	return status;
}

int dbg_cmd_events(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "hart", required_argument, NULL, 'H' },
		{ "kind", required_argument, NULL, 'k' },
		{ "from", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long hart = -1;
	unsigned kind = 0;
	uint64_t from = 0, limit = UINT64_MAX;
	int c;
	char *end;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case 'H':
			hart = strtol(optarg, &end, 10);
			if (*end || hart < 0 || hart >= TRACE_MAX_HARTS)
				goto bad;
			break;
		case 'k':
			if (!(kind = trace_kind_by_name(optarg)))
				goto bad;
			break;
		case 'f':
			from = strtoull(optarg, &end, 0);
			if (*end || *optarg == '-')
				goto bad;
			break;
		case 'l':
			limit = strtoull(optarg, &end, 0);
			if (*end || *optarg == '-')
				goto bad;
			break;
		case 'h':
			printf("usage: rrv events TRACE [--hart N] [--kind K] [--from ICOUNT] [--limit N]\n\n"
			       "One line per event, hart by hart. K is one of ACQUIRE RELEASE ATOMIC MIP\n"
			       "IRQ TIME INPUT CC_INVAL DIGEST END.\n");
			return 0;
		default:
			goto bad;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "rrv: events takes one trace file (see `rrv events --help`)\n");
		return RRV_EXIT_USAGE;
	}
	struct trace_reader *r = open_or_say(argv[optind]);
	if (!r)
		return 1;
	if (hart >= (long)trace_nharts(r)) {
		fprintf(stderr, "rrv: the trace has %u harts, no hart %ld\n", trace_nharts(r), hart);
		trace_close(r);
		return RRV_EXIT_USAGE;
	}
	if (!trace_complete(r))
		fprintf(stderr, "rrv: %s: %s\n", argv[optind], trace_cut_message(r));
	int status = 0;
	uint64_t shown = 0;
	for (unsigned h = 0; h < trace_nharts(r) && shown < limit; h++) {
		if (hart >= 0 && (unsigned)hart != h)
			continue;
		struct trace_iter *it = trace_iter_new(r, h);
		trace_iter_seek_icount(it, from);
		struct trace_event e;
		uint64_t seq;
		char err[256];
		int rc = 0;
		while (shown < limit && (rc = trace_iter_next(it, &e, &seq, err, sizeof(err))) == 1) {
			if (kind && e.kind != kind)
				continue;
			print_event(h, seq, &e);
			shown++;
		}
		if (rc < 0) {
			fprintf(stderr, "rrv: %s: %s\n", argv[optind], err);
			status = 1;
		}
		trace_iter_free(it);
	}
	trace_close(r);
	return status;
bad:
	fprintf(stderr, "rrv: bad option '%s' (see `rrv events --help`)\n", argv[optind - 1]);
	return RRV_EXIT_USAGE;
}
