/*
 * gdb_rsp.h: the GDB Remote Serial Protocol's wire: packets, checksums,
 * acknowledgements, escapes, the interrupt byte. Nothing about debugging
 * (that is debugger/gdb_server.c), in rr's split of the two.
 *
 * A connection reads from one file descriptor and writes to another (a
 * socket twice, or stdin and stdout for `target remote | rrv ...`).
 */
#ifndef RRV_DEBUGGER_GDB_RSP_H
#define RRV_DEBUGGER_GDB_RSP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What gdb may send in one packet (we say so in qSupported's PacketSize);
 * a longer packet is answered with an error, never a crash. */
#define GDB_PACKET_MAX 16384

struct gdb_conn {
	int in_fd, out_fd;
	bool no_ack;           /* after QStartNoAckMode */
	bool closed;           /* the peer went away (or a write failed) */
	/* Bytes read and not yet consumed. */
	uint8_t in[4096];
	size_t in_head, in_len;
	/* The packet being received, unescaped, NUL-terminated. */
	char pkt[GDB_PACKET_MAX + 1];
	size_t pkt_len;
	/* An output packet is built here before framing. */
	char *out;
	size_t out_len, out_cap;
	bool out_oom;
	/* While a movement runs, a watcher thread reads the connection for
	 * the interrupt byte (gdb sends nothing else then); it owns `in` until
	 * gdb_conn_watch_end() joins it. */
	pthread_t watcher;
	bool watching;
	_Atomic int watch_stop;
	_Atomic int interrupted;
	void (*on_interrupt)(void *ctx);
	void *ctx;
	/* Counts for tests and messages. */
	uint64_t bad_checksums, oversized;
};

enum gdb_read {
	GDB_READ_PACKET,       /* a packet is in c->pkt */
	GDB_READ_INTERRUPT,    /* a 0x03 byte outside a packet */
	GDB_READ_EOF,          /* the peer closed the connection */
};

void gdb_conn_init(struct gdb_conn *c, int in_fd, int out_fd);
void gdb_conn_free(struct gdb_conn *c);

/* The next packet (acknowledged, in ack mode) or interrupt. Bad checksums
 * are NAKed and skipped; an oversized packet arrives as one "E" packet of
 * length 0 with c->oversized counted, so the server answers it. */
enum gdb_read gdb_conn_read(struct gdb_conn *c);

/* Build a reply: reset, append text or bytes (hex-encoded or raw), send
 * it framed (escaping, checksum; waiting for '+' in ack mode, resending
 * on '-'). 0, or -1 when the peer is gone. */
void gdb_out_reset(struct gdb_conn *c);
void gdb_out_str(struct gdb_conn *c, const char *s);
void gdb_out_fmt(struct gdb_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void gdb_out_hex(struct gdb_conn *c, const void *data, size_t len);
void gdb_out_bin(struct gdb_conn *c, const void *data, size_t len);
int gdb_out_send(struct gdb_conn *c);
/* A whole reply in one call. */
int gdb_send_str(struct gdb_conn *c, const char *s);

/* Watch for the interrupt byte (and a vanished peer) while the caller
 * runs something long; on_interrupt is called from the watcher thread. */
int gdb_conn_watch_begin(struct gdb_conn *c, void (*on_interrupt)(void *), void *ctx);
/* Stop watching; true when an interrupt (or EOF) arrived meanwhile. */
bool gdb_conn_watch_end(struct gdb_conn *c);

/* Hex helpers for the server's parsers. */
int gdb_hex_digit(int ch);
/* Parse hex digits at *p (at most 16); false when there are none. */
bool gdb_parse_hex(const char **p, uint64_t *v);
/* Decode len bytes of hex text into out; false on a bad digit. */
bool gdb_unhex(const char *text, size_t nbytes, uint8_t *out);

#endif /* RRV_DEBUGGER_GDB_RSP_H */
