/* cmd_triage.c: `rrv triage TRACE [--json] [--symbols FILE]`: how a recorded run ended, where, and what happened just before. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/verdict.h"
#include "debugger/cli.h"
#include "debugger/dinfo.h"
#include "debugger/symbols.h"
#include "debugger/trace_symbols.h"
#include "debugger/triage.h"
#include "replay/engine.h"

static const char usage_triage[] =
"usage: rrv triage [--json] [--symbols FILE] TRACE\n"
"\n"
"Replay TRACE to its end and report how the run ended: the verdict, a\n"
"one-line title (\"load access fault in read_sensor\") and a signature for\n"
"grouping (the title with addresses and numbers normalised), the failing\n"
"hart with its pc, privilege, symbol and file:line, the guest backtrace,\n"
"every hart's state at the end, each hart's last events, the interrupts\n"
"taken, the console's last 50 lines, for a memory fault the last write to\n"
"the memory the bad pointer was loaded from, and the commands that\n"
"reproduce it.\n"
"\n"
"options:\n"
"  --json          one JSON object instead of text (README.md lists its\n"
"                  fields; \"schema\" is its version)\n"
"  --symbols FILE  more symbols: an ELF file or a System.map\n"
"  -h, --help      this text\n"
"\n"
"A damaged trace is replayed up to its first damaged chunk, a cut one up\n"
"to where it ends; the report says so.\n"
"\n"
"exit status: 0 for a report of the whole trace; 1 when the trace was\n"
"damaged, cut short or did not replay to its end (the report covers what\n"
"could be read); 2 for a bad option.\n";

/*
 * A trace trace_open refuses for a damaged chunk: its error ends "in chunk
 * N at offset X" (logs/trace_read.c), and the chunks before X are whole.
 * A copy of those bytes in memory opens as a trace cut short there.
 */
static int valid_prefix(const char *path, const char *err, char *fdpath, size_t len)
{
	const char *at = strstr(err, " at offset ");
	if (!at)
		return -1;
	uint64_t off = strtoull(at + 11, NULL, 10);
	if (!off)
		return -1;
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int fd = memfd_create("rrv-triage-prefix", MFD_CLOEXEC);
	char buf[65536];
	uint64_t done = 0;
	while (fd >= 0 && done < off) {
		size_t want = off - done < sizeof(buf) ? (size_t)(off - done) : sizeof(buf);
		ssize_t n = read(in, buf, want);
		if (n <= 0 || write(fd, buf, (size_t)n) != n) {
			close(fd);
			fd = -1;
			break;
		}
		done += (uint64_t)n;
	}
	close(in);
	if (fd >= 0)
		snprintf(fdpath, len, "/proc/self/fd/%d", fd);
	return fd;
}

/* Open path for triage, falling back to its readable part; NULL with
 * err when nothing of it replays. *problem says what was left out. */
static struct rpl *open_for_triage(const char *path, int *prefix_fd, char *problem,
				   size_t plen, char *err, size_t errlen)
{
	*prefix_fd = -1;
	problem[0] = 0;
	struct rpl *e = rpl_open(path, err, errlen);
	if (e)
		return e;
	char fdpath[64], err2[512];
	*prefix_fd = valid_prefix(path, err, fdpath, sizeof(fdpath));
	if (*prefix_fd < 0)
		return NULL;
	e = rpl_open(fdpath, err2, sizeof(err2));
	if (!e) {
		close(*prefix_fd);
		*prefix_fd = -1;
		return NULL;
	}
	snprintf(problem, plen, "%s: replayed what comes before it", err);
	return e;
}

static struct triage_report *triage_trace(const char *path, const char *symbols, bool quiet,
					  char *err, size_t errlen)
{
	char problem[700];
	int prefix_fd;
	struct rpl *e = open_for_triage(path, &prefix_fd, problem, sizeof(problem), err, errlen);
	if (!e)
		return NULL;
	struct sym_table *syms = sym_new();
	struct dinfo *dwarf = dinfo_new();
	struct triage_report *r = NULL;
	if (syms && dwarf) {
		dbg_load_symbols(syms, dwarf, rpl_trace(e), symbols, quiet);
		r = triage_build(e, syms, dwarf, path, problem[0] ? problem : NULL);
	}
	if (!r)
		snprintf(err, errlen, "out of memory");
	dinfo_free(dwarf);
	sym_free(syms);
	rpl_close(e);
	if (prefix_fd >= 0)
		close(prefix_fd);
	return r;
}

int dbg_triage_title(const char *path, char *title, size_t len)
{
	char err[512];
	struct triage_report *r = triage_trace(path, NULL, true, err, sizeof(err));
	if (!r) {
		snprintf(title, len, "unreadable trace (%s)", err);
		return -1;
	}
	snprintf(title, len, "%s", r->title);
	triage_free(r);
	return 0;
}

int dbg_cmd_triage(int argc, char **argv)
{
	const char *path = NULL, *symbols = NULL;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_triage, stdout);
			return 0;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--symbols") && i + 1 < argc) {
			symbols = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "rrv: %s '%s' (see `rrv triage --help`)\n",
				strcmp(a, "--symbols") ? "unknown option" : "missing value for", a);
			return RRV_EXIT_USAGE;
		} else if (path) {
			fprintf(stderr, "rrv: triage takes one trace file (see `rrv triage --help`)\n");
			return RRV_EXIT_USAGE;
		} else {
			path = a;
		}
	}
	if (!path) {
		fprintf(stderr, "rrv: triage needs a trace file (see `rrv triage --help`)\n");
		return RRV_EXIT_USAGE;
	}
	char err[512];
	struct triage_report *r = triage_trace(path, symbols, json, err, sizeof(err));
	if (!r) {
		fprintf(stderr, "rrv: %s\n", err);
		if (!(r = triage_unreadable(path, err)))
			return 1;
	}
	if (json)
		triage_print_json(r, stdout);
	else
		triage_print_text(r, stdout);
	int status = r->problem[0] ? 1 : 0;
	triage_free(r);
	return status;
}
