/*
 * trace.h: the trace file (DESIGN.md §5): chunks, writer, reader.
 *
 * File = sequence of chunks. Chunk header, 24 bytes little-endian:
 *   u32 magic "RRVC", u8 type, u8 flags (bit 0: payload is LZ4),
 *   u16 reserved (0), u32 stored length, u32 raw length,
 *   u32 crc32 of the stored payload, u32 crc32 of the header's first 20
 *   bytes (so a damaged length is told apart from a cut-off file)
 * The first chunk is CONFIG, whose payload starts with the format version
 * (u16 major, u16 minor) followed by "key=value\n" text. IMAGE: u64 load
 * address, 32-byte SHA-256, u16 name length, name, data. EVENTS: a header
 * (u32 hart, u64 first sequence number, u32 event count, u64 icount and
 * u64 TIME value of the stream just before the chunk, u64 last icount)
 * then the encoded events (trace_event.h). INDEX: every chunk's offset,
 * type and hart, and the snapshot list. END: u8 reason, i32 exit code,
 * u64 output hash, u64 output bytes, then (format 1.1) the verdict as
 * "key=value\n" text (core/verdict.h; none in a 1.0 trace). Format 1.2
 * gives every hart's CLINT mtimecmp register an ownership domain of its
 * own (TRACE_PAGE_TIMECMP0, trace_event.h); before, it was in the I/O
 * domain, and a replay of such a trace keeps it there.
 */
#ifndef RRV_LOGS_TRACE_H
#define RRV_LOGS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logs/trace_event.h"

#define TRACE_VERSION_MAJOR 1
#define TRACE_VERSION_MINOR 2
#define TRACE_MAX_HARTS 64

enum trace_chunk_type {
	TRACE_CHUNK_CONFIG = 1,
	TRACE_CHUNK_IMAGE,
	TRACE_CHUNK_EVENTS,
	TRACE_CHUNK_SNAPSHOT,
	TRACE_CHUNK_INDEX,
	TRACE_CHUNK_END,
};

#define TRACE_END_TEXT_MAX 8192

struct trace_end {
	uint8_t reason;
	int32_t exit_code;
	uint64_t output_hash, output_bytes;
	char verdict[TRACE_END_TEXT_MAX];  /* "" when the trace has none */
};

/* ---- writer ---- */

struct trace_writer;

/*
 * Create path and write the CONFIG chunk (config: "key=value\n" lines).
 * NULL + err on failure. A writer thread compresses and writes EVENTS
 * chunks; buffers are flushed at least every ~100 ms.
 */
struct trace_writer *trace_writer_open(const char *path, unsigned nharts,
				       const char *config, char *err,
				       size_t errlen);
/* Store a loaded file (before events start). 0, or -1 + err. */
int trace_writer_image(struct trace_writer *w, const char *name,
		       uint64_t addr, const void *data, size_t len, char *err,
		       size_t errlen);
/* Append to hart's stream. Only hart's own thread calls this; no locks. */
void trace_append(struct trace_writer *w, unsigned hart,
		  const struct trace_event *ev);
/* Store a snapshot blob (before events start), split into SNAPSHOT
 * chunks of at most 16 MiB each, compressed. 0, or -1 + err. */
int trace_writer_snapshot(struct trace_writer *w, const void *blob, size_t len,
			  char *err, size_t errlen);
/* Flush everything, write INDEX and END, close. 0, or -1 + err (the
 * trace is still readable up to its last complete chunk). */
int trace_writer_close(struct trace_writer *w, const struct trace_end *end,
		       char *err, size_t errlen);
/*
 * The recorder is dying (a fatal signal in rrv itself): write every event
 * the harts have committed as EVENTS chunks, then END, without compressing
 * and without allocating, locking stdio or waiting for the writer thread.
 * Only the fatal-signal handler calls this, once, and the process exits
 * right after. It writes only if it can take the writer's lock within
 * about a second (the writer thread writes a chunk under that lock, so
 * holding it means no chunk is half written); otherwise the trace is left
 * as it is, readable up to its last complete chunk. 0, or -1.
 */
int trace_writer_crash(struct trace_writer *w, const struct trace_end *end);
/* Bytes written so far (compressed) and appended (raw event bytes). */
void trace_writer_sizes(const struct trace_writer *w, uint64_t *file_bytes,
			uint64_t *raw_event_bytes);

/* ---- reader ---- */

struct trace_image {
	const char *name;
	uint64_t addr;
	uint8_t sha256[32];
	const uint8_t *data;
	size_t len;
};

struct trace_chunk_info {
	uint64_t offset;
	uint8_t type;
	uint32_t hart;            /* EVENTS */
	uint64_t first_seq;       /* EVENTS */
	uint32_t count;           /* EVENTS */
	uint64_t base_icount, last_icount, time_base;
	uint32_t stored, raw;
};

struct trace_reader;

/*
 * Open and validate a trace: every chunk's header and CRC, the version,
 * the per-hart sequence continuity. A trace without END (the recorder
 * died) opens with *cut_short set and cut_msg saying where; a damaged one
 * fails with err naming the chunk and offset.
 */
struct trace_reader *trace_open(const char *path, char *err, size_t errlen);
/* The same from memory (the buffer must outlive the reader). */
struct trace_reader *trace_open_mem(const uint8_t *buf, size_t len, char *err,
				    size_t errlen);
void trace_close(struct trace_reader *r);

bool trace_complete(const struct trace_reader *r);
/* "" when complete, else "trace cut short at offset N (...)". */
const char *trace_cut_message(const struct trace_reader *r);
unsigned trace_nharts(const struct trace_reader *r);
const char *trace_config(const struct trace_reader *r);
/* Value of `key` in the CONFIG text (copied into buf), false if absent. */
bool trace_config_get(const struct trace_reader *r, const char *key, char *buf,
		      size_t len);
unsigned trace_nimages(const struct trace_reader *r);
const struct trace_image *trace_image(const struct trace_reader *r, unsigned i);
bool trace_end_info(const struct trace_reader *r, struct trace_end *end);
unsigned trace_nchunks(const struct trace_reader *r);
const struct trace_chunk_info *trace_chunk(const struct trace_reader *r,
					   unsigned i);
uint64_t trace_file_size(const struct trace_reader *r);
/* The SNAPSHOT chunks' payloads joined (malloc'd into *blob), in order.
 * 1 when there are some, 0 when none, -1 + err on damage. */
int trace_snapshot_blob(const struct trace_reader *r, uint8_t **blob,
			size_t *len, char *err, size_t errlen);

/* Iterating one hart's stream. */
struct trace_iter;
struct trace_iter *trace_iter_new(struct trace_reader *r, unsigned hart);
void trace_iter_free(struct trace_iter *it);
/* Next event: 1, 0 at the end of the stream, -1 on a damaged chunk (err). */
int trace_iter_next(struct trace_iter *it, struct trace_event *ev,
		    uint64_t *seq, char *err, size_t errlen);
/* Position so the next event is the first with icount >= icount (or with
 * sequence number >= seq), using the chunk index. */
int trace_iter_seek_icount(struct trace_iter *it, uint64_t icount);
int trace_iter_seek_seq(struct trace_iter *it, uint64_t seq);

/* The minor format version the trace was written with. */
unsigned trace_format_minor(const struct trace_reader *r);

/* Checksums (also used by tests). */
uint32_t trace_crc32(uint32_t crc, const void *data, size_t len);
void trace_sha256(const void *data, size_t len, uint8_t out[32]);
/* Whether the host has SHA instructions trace_sha256 uses; and the hash
 * computed with them (hw, only if they exist) or portably, for the test
 * that compares the two. */
bool trace_sha256_hw(void);
void trace_sha256_with(const void *data, size_t len, uint8_t out[32], bool hw);

#endif /* RRV_LOGS_TRACE_H */
