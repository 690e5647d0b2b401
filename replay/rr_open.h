/* rr_open.h: the machine a trace replays on, built from the trace alone. */
#ifndef RRV_REPLAY_RR_OPEN_H
#define RRV_REPLAY_RR_OPEN_H

#include <stddef.h>

#include "core/machine.h"

struct trace_reader;

/* The images a machine config loads, by the names the trace stores
 * them under ("bios", "kernel", "initrd", "dtb"). */
struct rr_image_ref {
	const char *name;
	const char **path;
};
#define RR_NIMAGES 4
unsigned rr_image_refs(struct machine_config *cfg, struct rr_image_ref *refs);

/* What rr_trace_machine() made besides the machine (temporary files). */
struct rr_trace_files {
	char dir[64];
	char paths[4][512];
	char bootargs[4096];
};

/*
 * The machine configuration recorded in tr (harts, RAM, bootargs, limit)
 * into cfg, with no input and output to output_fd.
 */
void rr_trace_config(struct trace_reader *tr, struct rr_trace_files *f,
		     int output_fd, struct machine_config *cfg);

/*
 * Build the machine tr starts from: its boot images (written to a
 * temporary directory for the loader) or the snapshot the recording
 * started from. NULL with err on failure. rr_trace_files_cleanup()
 * removes the temporary files (at once is fine: they are loaded).
 */
struct machine *rr_trace_machine(struct trace_reader *tr, struct machine_config *cfg,
				 struct rr_trace_files *f, char *err, size_t errlen);
void rr_trace_files_cleanup(struct rr_trace_files *f);

/* The trace's identity, which snapshots taken while replaying it carry:
 * its recorded trace_id, or (older traces) a hash of its CONFIG. */
void rr_trace_identity(struct trace_reader *tr, char *buf, size_t len);

#endif /* RRV_REPLAY_RR_OPEN_H */
