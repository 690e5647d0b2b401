/* gdb_rsp.c: GDB Remote Serial Protocol framing over a pair of file descriptors. */
#include "debugger/gdb_rsp.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void gdb_conn_init(struct gdb_conn *c, int in_fd, int out_fd)
{
	memset(c, 0, sizeof(*c));
	c->in_fd = in_fd;
	c->out_fd = out_fd;
}

void gdb_conn_free(struct gdb_conn *c)
{
	if (c->watching)
		gdb_conn_watch_end(c);
	free(c->out);
	c->out = NULL;
}

/* ---- reading ---- */

static void compact(struct gdb_conn *c)
{
	if (c->in_head) {
		memmove(c->in, c->in + c->in_head, c->in_len - c->in_head);
		c->in_len -= c->in_head;
		c->in_head = 0;
	}
}

/* Read what the peer has sent (blocking). false at EOF or error. */
static bool fill(struct gdb_conn *c)
{
	compact(c);
	for (;;) {
		ssize_t n = read(c->in_fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
		if (n > 0) {
			c->in_len += (size_t)n;
			return true;
		}
		if (n < 0 && errno == EINTR)
			continue;
		c->closed = true;
		return false;
	}
}

static int next_byte(struct gdb_conn *c)
{
	if (c->in_head == c->in_len && (c->closed || !fill(c)))
		return -1;
	return c->in[c->in_head++];
}

int gdb_hex_digit(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static void put_raw(struct gdb_conn *c, const void *p, size_t n);

enum gdb_read gdb_conn_read(struct gdb_conn *c)
{
	for (;;) {
		int ch = next_byte(c);
		if (ch < 0)
			return GDB_READ_EOF;
		if (ch == 0x03)
			return GDB_READ_INTERRUPT;
		if (ch != '$')
			continue; /* stray acks and noise between packets */
		size_t len = 0;
		bool oversized = false;
		uint8_t sum = 0;
		while ((ch = next_byte(c)) >= 0 && ch != '#') {
			sum += (uint8_t)ch;
			if (ch == '}') {
				int e = next_byte(c);
				if (e < 0)
					return GDB_READ_EOF;
				sum += (uint8_t)e;
				ch = e ^ 0x20;
			}
			if (len < GDB_PACKET_MAX)
				c->pkt[len++] = (char)ch;
			else
				oversized = true;
		}
		if (ch < 0)
			return GDB_READ_EOF;
		int h1 = next_byte(c), h2 = h1 < 0 ? -1 : next_byte(c);
		if (h2 < 0)
			return GDB_READ_EOF;
		int d1 = gdb_hex_digit(h1), d2 = gdb_hex_digit(h2);
		if (d1 < 0 || d2 < 0 || (uint8_t)(d1 << 4 | d2) != sum) {
			c->bad_checksums++;
			if (!c->no_ack)
				put_raw(c, "-", 1);
			continue;
		}
		if (!c->no_ack)
			put_raw(c, "+", 1);
		c->pkt[len] = 0;
		c->pkt_len = len;
		if (oversized) {
			/* The server sees an empty packet it answers with an
			 * error; the count says why. */
			c->oversized++;
			c->pkt[0] = 0;
			c->pkt_len = 0;
		}
		return GDB_READ_PACKET;
	}
}

/* ---- writing ---- */

static void put_raw(struct gdb_conn *c, const void *p, size_t n)
{
	const char *b = p;
	while (n && !c->closed) {
		/* MSG_NOSIGNAL: a vanished peer is an error, not a SIGPIPE;
		 * a pipe (stdout) is not a socket and takes write(). */
		ssize_t w = send(c->out_fd, b, n, MSG_NOSIGNAL);
		if (w < 0 && errno == ENOTSOCK)
			w = write(c->out_fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			c->closed = true;
			return;
		}
		b += w;
		n -= (size_t)w;
	}
}

static void out_grow(struct gdb_conn *c, size_t more)
{
	if (c->out_oom || c->out_len + more + 1 <= c->out_cap)
		return;
	size_t cap = c->out_cap ? c->out_cap : 1024;
	while (cap < c->out_len + more + 1)
		cap *= 2;
	char *n = realloc(c->out, cap);
	if (!n) {
		c->out_oom = true;
		return;
	}
	c->out = n;
	c->out_cap = cap;
}

void gdb_out_reset(struct gdb_conn *c)
{
	c->out_len = 0;
	c->out_oom = false;
}

void gdb_out_bin(struct gdb_conn *c, const void *data, size_t len)
{
	out_grow(c, len);
	if (c->out_oom)
		return;
	memcpy(c->out + c->out_len, data, len);
	c->out_len += len;
}

void gdb_out_str(struct gdb_conn *c, const char *s)
{
	gdb_out_bin(c, s, strlen(s));
}

void gdb_out_fmt(struct gdb_conn *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		gdb_out_bin(c, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void gdb_out_hex(struct gdb_conn *c, const void *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = data;
	out_grow(c, 2 * len);
	if (c->out_oom)
		return;
	for (size_t i = 0; i < len; i++) {
		c->out[c->out_len++] = digits[b[i] >> 4];
		c->out[c->out_len++] = digits[b[i] & 15];
	}
}

/* Wait for gdb's '+'; true to resend ('-'). A packet gdb sends instead
 * stays in the input: gdb sends one only after taking ours. */
static bool await_ack(struct gdb_conn *c)
{
	for (;;) {
		int ch = next_byte(c);
		if (ch < 0 || ch == '+')
			return false;
		if (ch == '-')
			return true;
		if (ch == '$') {
			c->in_head--;
			return false;
		}
		if (ch == 0x03)
			atomic_store_explicit(&c->interrupted, 1, memory_order_relaxed);
	}
}

int gdb_out_send(struct gdb_conn *c)
{
	if (c->out_oom) {
		/* The reply did not fit in memory: say so rather than send
		 * half of it. */
		gdb_out_reset(c);
		gdb_out_str(c, "E0c");
	}
	static const char digits[] = "0123456789abcdef";
	size_t n = c->out_len;
	/* Framed: '$', the escaped payload, '#', two checksum digits. */
	char *f = malloc(2 * n + 4);
	if (!f)
		return -1;
	size_t k = 0;
	uint8_t sum = 0;
	f[k++] = '$';
	for (size_t i = 0; i < n; i++) {
		char ch = c->out[i];
		if (ch == '$' || ch == '#' || ch == '}' || ch == '*') {
			f[k++] = '}';
			sum += '}';
			ch ^= 0x20;
		}
		f[k++] = ch;
		sum += (uint8_t)ch;
	}
	f[k++] = '#';
	f[k++] = digits[sum >> 4];
	f[k++] = digits[sum & 15];
	for (int tries = 0; tries < 8; tries++) {
		put_raw(c, f, k);
		if (c->closed || c->no_ack || !await_ack(c))
			break;
	}
	free(f);
	gdb_out_reset(c);
	return c->closed ? -1 : 0;
}

int gdb_send_str(struct gdb_conn *c, const char *s)
{
	gdb_out_reset(c);
	gdb_out_str(c, s);
	return gdb_out_send(c);
}

/* ---- interrupt watching ---- */

static void *watch_main(void *arg)
{
	struct gdb_conn *c = arg;
	while (!atomic_load_explicit(&c->watch_stop, memory_order_acquire)) {
		struct pollfd p = { .fd = c->in_fd, .events = POLLIN };
		int r = poll(&p, 1, 20);
		if (r <= 0)
			continue;
		compact(c);
		if (c->in_len == sizeof(c->in)) {
			usleep(10000); /* gdb is talking past a stop; wait for it */
			continue;
		}
		ssize_t n = read(c->in_fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			c->closed = true;
			atomic_store_explicit(&c->interrupted, 1, memory_order_relaxed);
			c->on_interrupt(c->ctx);
			return NULL;
		}
		/* The interrupt byte is consumed here; anything else waits for
		 * the packet reader. */
		size_t k = c->in_len;
		for (ssize_t i = 0; i < n; i++) {
			uint8_t b = c->in[c->in_len + (size_t)i];
			if (b == 0x03) {
				atomic_store_explicit(&c->interrupted, 1, memory_order_relaxed);
				c->on_interrupt(c->ctx);
			} else {
				c->in[k++] = b;
			}
		}
		c->in_len = k;
	}
	return NULL;
}

int gdb_conn_watch_begin(struct gdb_conn *c, void (*on_interrupt)(void *), void *ctx)
{
	if (c->watching)
		return 0;
	c->on_interrupt = on_interrupt;
	c->ctx = ctx;
	atomic_store_explicit(&c->watch_stop, 0, memory_order_relaxed);
	if (c->closed)
		return -1;
	if (pthread_create(&c->watcher, NULL, watch_main, c) != 0)
		return -1;
	c->watching = true;
	return 0;
}

bool gdb_conn_watch_end(struct gdb_conn *c)
{
	if (c->watching) {
		atomic_store_explicit(&c->watch_stop, 1, memory_order_release);
		pthread_join(c->watcher, NULL);
		c->watching = false;
	}
	return atomic_exchange_explicit(&c->interrupted, 0, memory_order_relaxed) != 0;
}

/* ---- parsing helpers ---- */

bool gdb_parse_hex(const char **p, uint64_t *v)
{
	uint64_t x = 0;
	unsigned n = 0;
	int d;
	while (n < 16 && (d = gdb_hex_digit((unsigned char)**p)) >= 0) {
		x = x << 4 | (uint64_t)d;
		(*p)++;
		n++;
	}
	*v = x;
	return n > 0 && gdb_hex_digit((unsigned char)**p) < 0;
}

bool gdb_unhex(const char *text, size_t nbytes, uint8_t *out)
{
	for (size_t i = 0; i < nbytes; i++) {
		int a = gdb_hex_digit((unsigned char)text[2 * i]);
		int b = a < 0 ? -1 : gdb_hex_digit((unsigned char)text[2 * i + 1]);
		if (b < 0)
			return false;
		out[i] = (uint8_t)(a << 4 | b);
	}
	return true;
}
