/*
 * trace_write.c: the trace writer.
 *
 * Each hart appends encoded events to its own buffer and publishes how far
 * it got with one release store (`committed`): the append path takes no
 * lock. A writer thread wakes every ~50 ms (or when a hart filled a
 * buffer), takes the bytes committed since it last looked, compresses them
 * into an EVENTS chunk and writes it. So a recorder that dies loses at most
 * the last ~100 ms, and every chunk on disk is complete and checksummed.
 *
 * Ownership: struct wbuf data and `pos` belong to the appending hart until
 * `committed` publishes them; `flushed` and the chunk list belong to the
 * writer thread; the per-hart buffer lists are linked under `lock`.
 */
#include <errno.h>
#include <fcntl.h>
#include <lz4.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "logs/chunk.h"
#include "logs/trace.h"

#define WBUF_SIZE (256u << 10)
#define FLUSH_MS 50

struct wbuf {
	uint8_t *data;
	_Atomic size_t committed;  /* hart: release after each event */
	_Atomic int sealed;        /* hart: no more appends to this buffer */
	size_t flushed;            /* writer thread */
	struct wbuf *next;         /* under lock */
};

struct whart {
	/* Appending hart's. */
	struct wbuf *cur;
	size_t pos;
	uint64_t last_icount, time_base;
	_Atomic uint64_t raw_bytes;
	/* Writer thread's. */
	struct wbuf *head;         /* oldest buffer not yet freed (under lock) */
	uint64_t seq, icount, time;
};

struct trace_writer {
	FILE *f;
	int fd;                    /* f's descriptor, for trace_writer_crash */
	unsigned nharts;
	struct whart h[TRACE_MAX_HARTS];
	pthread_mutex_t lock;      /* buffer lists, wakeups, the file */
	pthread_cond_t wake;
	bool stop, kick;
	pthread_t thread;
	bool io_error;
	char io_msg[256];
	uint64_t offset;           /* file bytes written */
	struct trace_chunk_info *chunks;
	unsigned nchunks, cap;
	uint8_t *zbuf;
	size_t zcap;
};

/* Write one chunk (under lock). */
static int write_chunk(struct trace_writer *w, uint8_t type, const uint8_t *raw,
		       size_t rawlen, bool compress, struct trace_chunk_info *info)
{
	const uint8_t *stored = raw;
	size_t slen = rawlen;
	uint8_t flags = 0;
	if (compress && rawlen > 64) {
		size_t bound = (size_t)LZ4_compressBound((int)rawlen);
		if (bound > w->zcap) {
			uint8_t *z = realloc(w->zbuf, bound);
			if (!z)
				goto fail_mem;
			w->zbuf = z;
			w->zcap = bound;
		}
		int n = LZ4_compress_default((const char *)raw, (char *)w->zbuf,
					     (int)rawlen, (int)bound);
		if (n > 0 && (size_t)n < rawlen) {
			stored = w->zbuf;
			slen = (size_t)n;
			flags = CHUNK_LZ4;
		}
	}
	uint8_t hdr[CHUNK_HDR] = { 0 };
	put32(hdr, CHUNK_MAGIC);
	hdr[4] = type;
	hdr[5] = flags;
	put32(hdr + 8, (uint32_t)slen);
	put32(hdr + 12, (uint32_t)rawlen);
	put32(hdr + 16, trace_crc32(0, stored, slen));
	put32(hdr + 20, trace_crc32(0, hdr, 20));
	if (w->nchunks == w->cap) {
		unsigned cap = w->cap ? 2 * w->cap : 256;
		struct trace_chunk_info *c = realloc(w->chunks, cap * sizeof(*c));
		if (!c)
			goto fail_mem;
		w->chunks = c;
		w->cap = cap;
	}
	struct trace_chunk_info ci = { 0 };
	if (info)
		ci = *info;
	ci.offset = w->offset;
	ci.type = type;
	ci.stored = (uint32_t)slen;
	ci.raw = (uint32_t)rawlen;
	if (fwrite(hdr, 1, sizeof(hdr), w->f) != sizeof(hdr) ||
	    fwrite(stored, 1, slen, w->f) != slen || fflush(w->f) != 0) {
		if (!w->io_error)
			snprintf(w->io_msg, sizeof(w->io_msg), "write failed at offset %llu: %s",
				 (unsigned long long)w->offset, strerror(errno));
		w->io_error = true;
		return -1;
	}
	w->chunks[w->nchunks++] = ci;
	w->offset += sizeof(hdr) + slen;
	return 0;
fail_mem:
	if (!w->io_error)
		snprintf(w->io_msg, sizeof(w->io_msg), "out of memory writing a chunk");
	w->io_error = true;
	return -1;
}

/* Write bytes [from, to) of hart's buffer as one EVENTS chunk (under lock). */
static void flush_slice(struct trace_writer *w, unsigned hart, const uint8_t *p,
			size_t len)
{
	struct whart *wh = &w->h[hart];
	struct trace_chunk_info ci = { .hart = hart, .first_seq = wh->seq,
				       .base_icount = wh->icount, .time_base = wh->time };
	/* Walk the events: the chunk header needs their count and range. */
	const uint8_t *q = p, *end = p + len;
	uint64_t icount = wh->icount, time = wh->time;
	uint32_t count = 0;
	struct trace_event ev;
	while (q < end) {
		unsigned n = trace_event_decode(q, end, icount, &time, &ev);
		if (!n)
			break; /* cannot happen: we encoded these bytes */
		icount = ev.icount;
		q += n;
		count++;
	}
	ci.count = count;
	ci.last_icount = icount;
	uint8_t *raw = malloc(EVENTS_HDR + len);
	if (!raw) {
		w->io_error = true;
		snprintf(w->io_msg, sizeof(w->io_msg), "out of memory");
		return;
	}
	put32(raw, hart);
	put64(raw + 4, ci.first_seq);
	put32(raw + 12, count);
	put64(raw + 16, ci.base_icount);
	put64(raw + 24, ci.time_base);
	put64(raw + 32, ci.last_icount);
	put32(raw + 40, 0);
	memcpy(raw + EVENTS_HDR, p, len);
	write_chunk(w, TRACE_CHUNK_EVENTS, raw, EVENTS_HDR + len, true, &ci);
	free(raw);
	wh->seq += count;
	wh->icount = icount;
	wh->time = time;
}

/* Flush what every hart committed; free sealed, drained buffers (under lock). */
static void flush_all(struct trace_writer *w)
{
	for (unsigned i = 0; i < w->nharts; i++) {
		struct whart *wh = &w->h[i];
		while (wh->head) {
			struct wbuf *b = wh->head;
			int sealed = atomic_load_explicit(&b->sealed, memory_order_acquire);
			size_t c = atomic_load_explicit(&b->committed, memory_order_acquire);
			if (c > b->flushed) {
				flush_slice(w, i, b->data + b->flushed, c - b->flushed);
				b->flushed = c;
			}
			if (!sealed || !b->next)
				break;
			wh->head = b->next;
			free(b->data);
			free(b);
		}
	}
}

static void *writer_thread(void *arg)
{
	struct trace_writer *w = arg;
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += FLUSH_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (!w->kick)
			pthread_cond_timedwait(&w->wake, &w->lock, &ts);
		w->kick = false;
		flush_all(w);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static struct wbuf *wbuf_new(void)
{
	struct wbuf *b = calloc(1, sizeof(*b));
	if (b && !(b->data = malloc(WBUF_SIZE))) {
		free(b);
		return NULL;
	}
	return b;
}

void trace_append(struct trace_writer *w, unsigned hart,
		  const struct trace_event *ev)
{
	struct whart *wh = &w->h[hart];
	/* Room for the largest event, so it is encoded in place. */
	if (wh->pos + TRACE_EVENT_MAX > WBUF_SIZE) {
		/* Rare: hand the full buffer over and start a new one. */
		struct wbuf *nb = wbuf_new();
		if (!nb)
			abort(); /* losing events silently would corrupt the trace */
		pthread_mutex_lock(&w->lock);
		wh->cur->next = nb;
		atomic_store_explicit(&wh->cur->sealed, 1, memory_order_release);
		w->kick = true;
		pthread_cond_signal(&w->wake);
		pthread_mutex_unlock(&w->lock);
		wh->cur = nb;
		wh->pos = 0;
	}
	unsigned n = trace_event_encode(ev, wh->last_icount, &wh->time_base,
					wh->cur->data + wh->pos);
	wh->pos += n;
	wh->last_icount = ev->icount;
	atomic_store_explicit(&wh->cur->committed, wh->pos, memory_order_release);
	/* Only this thread writes it: a plain add published relaxed, no
	 * read-modify-write on the append path. */
	atomic_store_explicit(&wh->raw_bytes,
			      atomic_load_explicit(&wh->raw_bytes, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

struct trace_writer *trace_writer_open(const char *path, unsigned nharts,
				       const char *config, char *err,
				       size_t errlen)
{
	if (nharts == 0 || nharts > TRACE_MAX_HARTS) {
		snprintf(err, errlen, "%s: bad hart count %u", path, nharts);
		return NULL;
	}
	struct trace_writer *w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->nharts = nharts;
	/* Locked before it is emptied: a second recorder given the same
	 * path (a test run twice at once, a stray process) is refused
	 * instead of interleaving its chunks into this one's file. */
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		close(fd);
		if (e == EWOULDBLOCK)
			snprintf(err, errlen, "%s: another process is writing this trace", path);
		else
			snprintf(err, errlen, "%s: cannot lock: %s", path, strerror(e));
		free(w);
		return NULL;
	}
	struct stat st;
	bool emptied = fd >= 0 && fstat(fd, &st) == 0 &&
		       (!S_ISREG(st.st_mode) || ftruncate(fd, 0) == 0);
	w->f = emptied ? fdopen(fd, "wb") : NULL;
	if (!w->f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(w);
		return NULL;
	}
	w->fd = fileno(w->f);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	for (unsigned i = 0; i < nharts; i++) {
		w->h[i].cur = w->h[i].head = wbuf_new();
		if (!w->h[i].cur) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	size_t clen = strlen(config);
	uint8_t *cfg = malloc(4 + clen);
	if (!cfg) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	put16(cfg, TRACE_VERSION_MAJOR);
	put16(cfg + 2, TRACE_VERSION_MINOR);
	memcpy(cfg + 4, config, clen);
	int r = write_chunk(w, TRACE_CHUNK_CONFIG, cfg, 4 + clen, false, NULL);
	free(cfg);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, w->io_msg);
		goto fail;
	}
	if (pthread_create(&w->thread, NULL, writer_thread, w) != 0) {
		snprintf(err, errlen, "cannot start the trace writer thread");
		goto fail;
	}
	return w;
fail:
	for (unsigned i = 0; i < nharts; i++)
		if (w->h[i].cur) {
			free(w->h[i].cur->data);
			free(w->h[i].cur);
		}
	fclose(w->f);
	free(w);
	return NULL;
}

int trace_writer_image(struct trace_writer *w, const char *name, uint64_t addr,
		       const void *data, size_t len, char *err, size_t errlen)
{
	size_t nlen = strlen(name);
	if (nlen > 4096 || len > CHUNK_MAX_RAW - 64 - nlen) {
		snprintf(err, errlen, "image %s too large for a trace chunk", name);
		return -1;
	}
	uint8_t *raw = malloc(8 + 32 + 2 + nlen + len);
	if (!raw) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	put64(raw, addr);
	trace_sha256(data, len, raw + 8);
	put16(raw + 40, (uint16_t)nlen);
	memcpy(raw + 42, name, nlen);
	memcpy(raw + 42 + nlen, data, len);
	pthread_mutex_lock(&w->lock);
	int r = write_chunk(w, TRACE_CHUNK_IMAGE, raw, 42 + nlen + len, true, NULL);
	if (r < 0)
		snprintf(err, errlen, "%s", w->io_msg);
	pthread_mutex_unlock(&w->lock);
	free(raw);
	return r;
}

#define SNAPSHOT_PIECE (16u << 20)

int trace_writer_snapshot(struct trace_writer *w, const void *blob, size_t len,
			  char *err, size_t errlen)
{
	const uint8_t *p = blob;
	int r = 0;
	pthread_mutex_lock(&w->lock);
	for (size_t off = 0; off < len && r == 0; off += SNAPSHOT_PIECE) {
		size_t n = len - off < SNAPSHOT_PIECE ? len - off : SNAPSHOT_PIECE;
		r = write_chunk(w, TRACE_CHUNK_SNAPSHOT, p + off, n, true, NULL);
	}
	if (r < 0)
		snprintf(err, errlen, "%s", w->io_msg);
	pthread_mutex_unlock(&w->lock);
	return r;
}

void trace_writer_sizes(const struct trace_writer *w, uint64_t *file_bytes,
			uint64_t *raw_event_bytes)
{
	uint64_t raw = 0;
	for (unsigned i = 0; i < w->nharts; i++)
		raw += atomic_load_explicit(&w->h[i].raw_bytes, memory_order_relaxed);
	*raw_event_bytes = raw;
	pthread_mutex_lock((pthread_mutex_t *)&w->lock);
	*file_bytes = w->offset;
	pthread_mutex_unlock((pthread_mutex_t *)&w->lock);
}

/* END's payload: the fixed fields, then the verdict text. */
static size_t end_payload(const struct trace_end *end, uint8_t *e)
{
	e[0] = end->reason;
	put32(e + 1, (uint32_t)end->exit_code);
	put64(e + 5, end->output_hash);
	put64(e + 13, end->output_bytes);
	size_t n = strnlen(end->verdict, TRACE_END_TEXT_MAX - 1);
	memcpy(e + 21, end->verdict, n);
	return 21 + n;
}

/* ---- the dying recorder (trace_writer_crash): signal context ----
 *
 * Everything below runs in a fatal-signal handler, so it uses only what
 * is safe there: pwrite/write (async-signal-safe), nanosleep, arithmetic
 * on memory that no other thread changes while we hold the writer's lock
 * (the chunk list's end, the per-hart stream positions), and the
 * committed counts the harts publish with release stores. The one call
 * POSIX does not list is pthread_mutex_trylock: in glibc it is a single
 * compare-and-swap on the mutex word, which cannot deadlock or take
 * another lock, and the process exits right after.
 */
struct crash_out {
	int fd;
	uint64_t off;     /* where the next chunk goes: after the last complete one */
	bool seq_write;   /* not seekable (a pipe): plain writes */
};

static int crash_put(struct crash_out *o, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n) {
		ssize_t k = o->seq_write ? write(o->fd, b, n)
					 : pwrite(o->fd, b, n, (off_t)o->off);
		if (k < 0 && errno == ESPIPE && !o->seq_write) {
			o->seq_write = true;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		b += k;
		n -= (size_t)k;
		o->off += (uint64_t)k;
	}
	return 0;
}

/* One uncompressed chunk whose payload is a then b. */
static int crash_chunk(struct crash_out *o, uint8_t type, const uint8_t *a,
		       size_t alen, const uint8_t *b, size_t blen)
{
	uint8_t hdr[CHUNK_HDR] = { 0 };
	uint32_t len = (uint32_t)(alen + blen);
	put32(hdr, CHUNK_MAGIC);
	hdr[4] = type;
	put32(hdr + 8, len);
	put32(hdr + 12, len);
	put32(hdr + 16, trace_crc32(trace_crc32(0, a, alen), b, blen));
	put32(hdr + 20, trace_crc32(0, hdr, 20));
	if (crash_put(o, hdr, sizeof(hdr)) < 0 || crash_put(o, a, alen) < 0)
		return -1;
	return blen ? crash_put(o, b, blen) : 0;
}

/* The events hart i committed after what the writer thread flushed, one
 * chunk per buffer, continuing the writer's sequence and icount. */
static int crash_flush_hart(struct trace_writer *w, struct crash_out *o, unsigned i)
{
	struct whart *wh = &w->h[i];
	uint64_t seq = wh->seq, icount = wh->icount, time = wh->time;
	for (struct wbuf *b = wh->head; b; b = b->next) {
		size_t c = atomic_load_explicit(&b->committed, memory_order_acquire);
		if (c <= b->flushed)
			continue;
		const uint8_t *p = b->data + b->flushed, *end = b->data + c;
		uint64_t base = icount, tbase = time;
		uint32_t count = 0;
		struct trace_event ev;
		while (p < end) {
			unsigned n = trace_event_decode(p, end, icount, &time, &ev);
			if (!n)
				return -1; /* cannot happen: the hart encoded these */
			icount = ev.icount;
			p += n;
			count++;
		}
		uint8_t eh[EVENTS_HDR] = { 0 };
		put32(eh, i);
		put64(eh + 4, seq);
		put32(eh + 12, count);
		put64(eh + 16, base);
		put64(eh + 24, tbase);
		put64(eh + 32, icount);
		if (crash_chunk(o, TRACE_CHUNK_EVENTS, eh, sizeof(eh),
				b->data + b->flushed, c - b->flushed) < 0)
			return -1;
		seq += count;
	}
	return 0;
}

int trace_writer_crash(struct trace_writer *w, const struct trace_end *end)
{
	/* The writer thread waits with the lock released; a holder that
	 * keeps it for a second is stuck (or is this very thread). */
	bool locked = false;
	for (int i = 0; i < 100 && !locked; i++) {
		locked = pthread_mutex_trylock(&w->lock) == 0;
		if (!locked)
			nanosleep(&(struct timespec){ .tv_nsec = 10000000L }, NULL);
	}
	if (!locked || w->io_error)
		return -1;
	struct crash_out o = { .fd = w->fd, .off = w->offset };
	for (unsigned i = 0; i < w->nharts; i++)
		if (crash_flush_hart(w, &o, i) < 0)
			return -1;
	uint8_t e[21 + TRACE_END_TEXT_MAX];
	size_t elen = end_payload(end, e);
	/* The lock stays taken: nothing may be written after this END. */
	return crash_chunk(&o, TRACE_CHUNK_END, e, elen, NULL, 0);
}

int trace_writer_close(struct trace_writer *w, const struct trace_end *end,
		       char *err, size_t errlen)
{
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_lock(&w->lock);
	flush_all(w);
	/* INDEX: every chunk so far, then the (empty) snapshot list. */
	size_t ilen = 4 + (size_t)w->nchunks * 57 + 4;
	uint8_t *idx = malloc(ilen);
	if (idx) {
		uint8_t *p = idx;
		put32(p, w->nchunks);
		p += 4;
		for (unsigned i = 0; i < w->nchunks; i++) {
			const struct trace_chunk_info *c = &w->chunks[i];
			put64(p, c->offset); p[8] = c->type; put32(p + 9, c->hart);
			put64(p + 13, c->first_seq); put32(p + 21, c->count);
			put64(p + 25, c->base_icount); put64(p + 33, c->last_icount);
			put64(p + 41, c->time_base); put64(p + 49, 0);
			p += 57;
		}
		put32(p, 0);
		write_chunk(w, TRACE_CHUNK_INDEX, idx, ilen, true, NULL);
		free(idx);
	}
	uint8_t e[21 + TRACE_END_TEXT_MAX];
	size_t elen = end_payload(end, e);
	write_chunk(w, TRACE_CHUNK_END, e, elen, false, NULL);
	int r = 0;
	if (fclose(w->f) != 0 && !w->io_error) {
		w->io_error = true;
		snprintf(w->io_msg, sizeof(w->io_msg), "close: %s", strerror(errno));
	}
	if (w->io_error) {
		snprintf(err, errlen, "%s", w->io_msg);
		r = -1;
	}
	pthread_mutex_unlock(&w->lock);
	for (unsigned i = 0; i < w->nharts; i++) {
		struct wbuf *b = w->h[i].head;
		while (b) {
			struct wbuf *n = b->next;
			free(b->data);
			free(b);
			b = n;
		}
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w->chunks);
	free(w->zbuf);
	free(w);
	return r;
}
