/* cli.h: what the rrv subcommands share (option parsing, defaults). */
#ifndef RRV_DEBUGGER_CLI_H
#define RRV_DEBUGGER_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/machine.h"

struct run_opts {
	struct machine_config cfg;
	const char *input;
	const char *output;   /* record: -o TRACE */
	double timeout;
	bool stats;
	/* Snapshots (DESIGN.md §7). */
	const char *save_snapshot, *snapshot_on, *restore;
	bool stop_after_snapshot;
	bool smp_given, memory_given;
	/* record --on-failure-only: keep the trace only if the run failed. */
	bool on_failure_only;
	/* run --gdb [HOST:]PORT [--wait] */
	const char *gdb;
	bool gdb_wait;
};

enum parse_mode { PARSE_RUN, PARSE_DUMP, PARSE_RECORD };

/* Machine options as `rrv run` takes them (record also takes -o). Returns
 * 0, -1 when help was shown, or an exit status after a one-line error. */
int cli_parse_machine(int argc, char **argv, struct run_opts *o,
		      enum parse_mode mode, const char **out);
void cli_default_opts(struct run_opts *o);
double cli_now(void);
/* getopt_long returned ':' (a missing value) or '?' for `rrv CMD`: the
 * one-line message; returns the usage exit status. */
int cli_option_error(const char *cmd, int c, char **argv);
void cli_print_stats(const struct machine *m, double seconds);

/* A whole file into a malloc'd buffer; NULL with err ("path: reason"). */
uint8_t *cli_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* The verdict of a run on stderr, one line (nothing for a clean end). */
struct verdict;
void cli_report_verdict(const struct verdict *v, const struct run_opts *o);
/* Signal handlers (and a test build's injected crash) for one run of m,
 * recording into w (NULL: `rrv run`). 0, or an exit status after a
 * message. crash_handlers_remove() ends them. */
struct trace_writer;
struct rr;
int cli_arm_signals(struct machine *m, struct trace_writer *w, const struct rr *rr);

/* A trace event's details as `rrv events` prints them after its kind
 * (" page 0x80001000 W after 1:12"); returns the length. */
struct trace_event;
size_t cli_event_text(const struct trace_event *e, char *buf, size_t len);

/* Usage text lines for the snapshot options (run, record). */
extern const char cli_snapshot_usage[];

int dbg_cmd_record(int argc, char **argv);
int dbg_cmd_replay(int argc, char **argv);
int dbg_cmd_info(int argc, char **argv);
int dbg_cmd_events(int argc, char **argv);
int dbg_cmd_debug(int argc, char **argv);
int dbg_cmd_triage(int argc, char **argv);
int dbg_cmd_irqs(int argc, char **argv);
int dbg_cmd_chaos(int argc, char **argv);
int dbg_cmd_export(int argc, char **argv);
/* The triage title of a trace (rrv record --on-failure-only); -1 when it
 * cannot be read (the title then says why). */
int dbg_triage_title(const char *path, char *title, size_t len);

#endif /* RRV_DEBUGGER_CLI_H */
