/* cmd_snap.h: the snapshot options of `rrv run`, `record` and `replay`. */
#ifndef RRV_DEBUGGER_CMD_SNAP_H
#define RRV_DEBUGGER_CMD_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct rr;
struct run_opts;
struct rr_snap_file;

/* What a snapshot taken during this run records and where it goes. */
struct snap_session {
	const char *path;          /* --save-snapshot FILE */
	const char *when;          /* --snapshot-on WHEN, as given */
	bool stop_after;           /* --stop-after-snapshot */
	const char *source;        /* "run", "record", "replay" */
	struct rr *rr;             /* record or replay, else NULL */
	char trace_id[80];         /* replay: the trace's id */
	char origin[4096];         /* config lines describing the images */
	char on_output[256];       /* decoded output:TEXT */
	unsigned taken;
	bool failed;
};

/* Check --snapshot-on/--save-snapshot; 0 or an exit status after a
 * one-line message. */
int snap_cli_check(const char *path, const char *when, bool stop_after);

/* Arm the trigger on m (before machine_run): 0, or an exit status after
 * a one-line message. */
int snap_cli_arm(struct snap_session *s, struct machine *m);

/*
 * --restore FILE: open the snapshot and build the machine from it. The
 * machine options in o must not contradict it (harts, RAM, images): a
 * one-line message and RRV_EXIT_USAGE; a damaged file gives 1. On success
 * *out is a restored machine (not yet run) and f stays open for the
 * caller (its CONFIG, its blob for embedding in a trace).
 */
int snap_cli_restore(const char *path, struct run_opts *o, bool smp_given,
		     bool memory_given, struct rr_snap_file *f,
		     struct machine **out);

/* The images the machine came from, as "image.NAME=SHA-256" config lines
 * of the snapshots it takes: the files cfg names, or those recorded in
 * the snapshot it was restored from. */
struct machine_config;
void snap_cli_origin(struct snap_session *s, struct machine_config *cfg,
		     const struct rr_snap_file *restored);

/* After the run: say so when the trigger never fired. */
void snap_cli_report(const struct snap_session *s);

/* `rrv info` of a snapshot file. */
int snap_cli_info(const char *path);

#endif /* RRV_DEBUGGER_CMD_SNAP_H */
