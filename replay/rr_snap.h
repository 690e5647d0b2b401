/*
 * rr_snap.h: snapshot files, and the replay positions a snapshot taken
 * during a replay holds (DESIGN.md §7).
 *
 * A snapshot file is a chunk file (logs/trace.h): CONFIG ("file=snapshot"
 * and key=value lines describing the machine and where the snapshot came
 * from), SNAPSHOT chunks holding the blob (core/snap.h), INDEX and END. A
 * trace recorded from a snapshot holds the same SNAPSHOT chunks.
 */
#ifndef RRV_REPLAY_RR_SNAP_H
#define RRV_REPLAY_RR_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/snap.h"

struct rr;
struct trace_reader;

/* Write blob to path with this CONFIG text. 0, or -1 + err. */
int rr_snap_write_file(const char *path, const char *config,
		       const struct snap_buf *blob, char *err, size_t errlen);

/* An open snapshot file. */
struct rr_snap_file {
	struct trace_reader *r;
	uint8_t *blob;
	size_t len;
};
/* 0, or -1 + err ("damaged …", "cut short …", "not a snapshot …"). */
int rr_snap_open(const char *path, struct rr_snap_file *f, char *err,
		 size_t errlen);
void rr_snap_close(struct rr_snap_file *f);
/* A key of its CONFIG text (copied into buf); false if absent. */
bool rr_snap_config(const struct rr_snap_file *f, const char *key, char *buf,
		    size_t len);

/* Record: host input the recorder holds but has not injected yet. */
size_t rr_pending_input(struct rr *rr, uint8_t *buf, size_t max);

/* Replay: append each hart's trace position (SNAP_REPLAY) to blob. Only
 * with every hart parked between two rr_replay_step calls. */
void rr_snap_save_positions(const struct rr *rr, const char *trace_id,
			    struct snap_buf *blob);
/* Replay: continue from the positions in blob (after the machine was
 * restored from it, before the run). The blob must come from a replay of
 * the trace named trace_id. 0, or -1 + err. */
int rr_snap_restore_positions(struct rr *rr, const uint8_t *blob, size_t len,
			      const char *trace_id, char *err, size_t errlen);
/* Whether blob holds replay positions. */
bool rr_snap_has_positions(const uint8_t *blob, size_t len);

#endif /* RRV_REPLAY_RR_SNAP_H */
