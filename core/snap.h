/*
 * snap.h: the whole machine as bytes, for snapshots (DESIGN.md §7).
 *
 * A snapshot blob is a sequence of sections {u32 tag, u32 reserved,
 * u64 length, payload}, little-endian. core/ writes and reads the machine's
 * sections (configuration, boot ROM, every hart, devices, input queue, RAM);
 * the replay layer adds its own (each hart's position in a trace) with the
 * same helpers. Translation caches are rebuilt, not saved; the soft TLB
 * is saved (it may hold a stale translation the replay must reuse). The replay layer stores the blob in a chunk file (the trace
 * container does the framing).
 */
#ifndef RRV_CORE_SNAP_H
#define RRV_CORE_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

/* Growable output buffer; `oom` is sticky. */
struct snap_buf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

void snap_buf_free(struct snap_buf *b);
void snap_put(struct snap_buf *b, const void *data, size_t len);
void snap_put8(struct snap_buf *b, uint8_t v);
void snap_put32(struct snap_buf *b, uint32_t v);
void snap_put64(struct snap_buf *b, uint64_t v);
/* Open a section; snap_end() fills in its length. */
size_t snap_begin(struct snap_buf *b, uint32_t tag);
void snap_end(struct snap_buf *b, size_t mark);

/* Bounds-checked reader; `bad` is sticky and reads past the end give 0. */
struct snap_rd {
	const uint8_t *p;
	size_t len, pos;
	bool bad;
};

void snap_get(struct snap_rd *r, void *out, size_t len);
uint8_t snap_get8(struct snap_rd *r);
uint32_t snap_get32(struct snap_rd *r);
uint64_t snap_get64(struct snap_rd *r);
/* A pointer to the next len bytes (NULL and bad when they are not there). */
const uint8_t *snap_take(struct snap_rd *r, size_t len);

/* Section tags. */
enum snap_tag {
	SNAP_MACHINE = 1,   /* harts, RAM size, entry, DTB address, HTIF */
	SNAP_ROM,
	SNAP_HART,          /* one per hart, in hart order */
	SNAP_TLB,           /* one per hart: its soft TLB's translations */
	SNAP_DEVICES,       /* UART, PLIC, CLINT, mtime */
	SNAP_INPUT,         /* UART input queued on the host side */
	SNAP_RAM,           /* runs of non-zero pages */
	SNAP_TRIGGER,       /* one per hart: its Sdtrig triggers (layout 2) */
	SNAP_SBI,           /* present: rrv's built-in SBI answers ECALLs */
	SNAP_REPLAY = 16,   /* the replay layer's: trace positions */
};

/* The nth section with this tag (0-based); false if there is none or the
 * framing is broken (*broken set then). */
bool snap_section(const uint8_t *blob, size_t len, uint32_t tag, unsigned nth,
		  struct snap_rd *out, bool *broken);

/*
 * Serialize machine m. Every hart must be stopped at an instruction
 * boundary (a safe point) and stay there; the I/O thread is held off with
 * io_lock, which this takes. extra_input: host input not yet handed to
 * the UART's queue (a recorder's pending bytes), stored after the queue.
 * 0, or -1 when out of memory.
 */
int snap_save_machine(struct machine *m, const uint8_t *extra_input,
		      size_t extra_len, struct snap_buf *out);

/* The same, RAM left out when !with_ram (the debugger's checkpoints keep
 * RAM themselves, as pages shared between checkpoints). */
int snap_save_state(struct machine *m, const uint8_t *extra_input,
		    size_t extra_len, bool with_ram, struct snap_buf *out);

/* What a blob says about the machine it came from, without restoring. */
struct snap_summary {
	unsigned nharts;
	uint64_t ram_size;
	uint64_t ram_pages;        /* pages stored */
	uint64_t input_bytes;
	struct {
		uint64_t pc, icount;
		unsigned priv;
		bool wfi, resv;
	} hart[64];
};
int snap_describe(const uint8_t *blob, size_t len, struct snap_summary *s,
		  char *err, size_t errlen);

/*
 * Restore a blob into m, a machine built with the same hart count and RAM
 * size that has not run (machine_new without machine_load_boot). Checks
 * everything before changing anything that could half-restore m: a
 * failure leaves m unusable only in that the caller must free it.
 * 0, or -1 with err.
 */
int snap_restore_machine(struct machine *m, const uint8_t *blob, size_t len,
			 char *err, size_t errlen);
/* Restore into a machine that may have run (every hart stopped at a
 * boundary): harts, devices, input queue, and RAM when with_ram. */
int snap_restore_state(struct machine *m, const uint8_t *blob, size_t len,
		       bool with_ram, char *err, size_t errlen);

/*
 * Empty every hart's TLB. A recording (and its replay) that starts from a
 * snapshot starts with no page rights, and a TLB entry must never grant
 * more than the rights held (DESIGN.md §4.1): both sides forget the
 * snapshot's cached translations alike.
 */
void snap_forget_tlbs(struct machine *m);

/* Whether a 4 KiB page of host memory is all zero. */
bool snap_page_is_zero(const uint8_t *page);

#endif /* RRV_CORE_SNAP_H */
