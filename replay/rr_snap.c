/* rr_snap.c: snapshot files and the replay positions inside them. */
#include "replay/rr_snap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hart.h"
#include "logs/trace.h"
#include "replay/rr_internal.h"

int rr_snap_write_file(const char *path, const char *config,
		       const struct snap_buf *blob, char *err, size_t errlen)
{
	struct trace_writer *w = trace_writer_open(path, 1, config, err, errlen);
	if (!w)
		return -1;
	int rc = trace_writer_snapshot(w, blob->p, blob->len, err, errlen);
	struct trace_end end = { 0 };
	char cerr[256];
	if (trace_writer_close(w, &end, cerr, sizeof(cerr)) < 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", path, cerr);
		rc = -1;
	}
	return rc;
}

int rr_snap_open(const char *path, struct rr_snap_file *f, char *err,
		 size_t errlen)
{
	memset(f, 0, sizeof(*f));
	char e[384];
	f->r = trace_open(path, err, errlen); /* its messages name the file */
	if (!f->r)
		return -1;
	char v[32];
	if (!trace_config_get(f->r, "file", v, sizeof(v)) || strcmp(v, "snapshot")) {
		snprintf(err, errlen, "%s: not a snapshot file (a trace? use `rrv replay`)", path);
		goto fail;
	}
	if (!trace_complete(f->r)) {
		snprintf(err, errlen, "%s: snapshot %s", path, trace_cut_message(f->r));
		goto fail;
	}
	if (trace_snapshot_blob(f->r, &f->blob, &f->len, e, sizeof(e)) <= 0) {
		snprintf(err, errlen, "%s: %s", path, f->len ? e : "no snapshot data");
		goto fail;
	}
	return 0;
fail:
	rr_snap_close(f);
	return -1;
}

void rr_snap_close(struct rr_snap_file *f)
{
	free(f->blob);
	if (f->r)
		trace_close(f->r);
	memset(f, 0, sizeof(*f));
}

bool rr_snap_config(const struct rr_snap_file *f, const char *key, char *buf,
		    size_t len)
{
	return trace_config_get(f->r, key, buf, len);
}

size_t rr_pending_input(struct rr *rr, uint8_t *buf, size_t max)
{
	pthread_mutex_lock(&rr->in_lock);
	size_t n = 0;
	for (; n < rr->in_len && n < max; n++)
		buf[n] = rr->inbuf[(rr->in_head + n) % sizeof(rr->inbuf)];
	pthread_mutex_unlock(&rr->in_lock);
	return n;
}

void rr_snap_save_positions(const struct rr *rr, const char *trace_id,
			    struct snap_buf *b)
{
	size_t mark = snap_begin(b, SNAP_REPLAY);
	size_t idlen = strlen(trace_id);
	snap_put32(b, (uint32_t)idlen);
	snap_put(b, trace_id, idlen);
	snap_put64(b, rr->out_hash);
	snap_put64(b, rr->out_bytes);
	snap_put32(b, rr->nharts);
	for (unsigned i = 0; i < rr->nharts; i++) {
		const struct rr_hart *rh = rr->harts[i];
		snap_put64(b, rh->seq);
		snap_put64(b, rh->h->icount);
		snap_put8(b, rh->ended);
		/* A TRAP marker partly counted off: how many are left. */
		bool trap = rh->have_ev && rh->ev.kind == TRACE_EV_TRAP;
		snap_put8(b, trap);
		snap_put32(b, trap ? rh->ev.len : 0);
		snap_put64(b, rh->obs_hash);
		uint64_t n = 0;
		for (uint64_t p = 0; p < rr->ndomains; p++)
			n += rh->rights[p] != 0;
		snap_put64(b, n);
		for (uint64_t p = 0; p < rr->ndomains; p++)
			if (rh->rights[p]) {
				snap_put64(b, p);
				snap_put8(b, rh->rights[p]);
			}
	}
	snap_end(b, mark);
}

bool rr_snap_has_positions(const uint8_t *blob, size_t len)
{
	struct snap_rd r;
	bool broken;
	return snap_section(blob, len, SNAP_REPLAY, 0, &r, &broken);
}

/* Decode one hart's position into rh; false when malformed. */
static bool load_position(struct snap_rd *r, struct rr_hart *rh, bool *trap,
			  uint32_t *trap_left)
{
	struct rr *rr = rh->rr;
	rh->seq = snap_get64(r);
	uint64_t icount = snap_get64(r);
	rh->ended = snap_get8(r);
	*trap = snap_get8(r);
	*trap_left = snap_get32(r);
	rh->obs_hash = snap_get64(r);
	uint64_t n = snap_get64(r);
	if (r->bad || icount != rh->h->icount || n > rr->ndomains)
		return false;
	memset(rh->rights, 0, rr->ndomains);
	for (uint64_t k = 0; k < n; k++) {
		uint64_t p = snap_get64(r);
		uint8_t v = snap_get8(r);
		if (r->bad || p >= rr->ndomains || (v & ~(RR_R | RR_W)) || !v)
			return false;
		rh->rights[p] = v;
	}
	atomic_store_explicit(&rh->applied, rh->seq, memory_order_relaxed);
	return true;
}

int rr_snap_restore_positions(struct rr *rr, const uint8_t *blob, size_t len,
			      const char *trace_id, char *err, size_t errlen)
{
	struct snap_rd r;
	bool broken;
	if (!snap_section(blob, len, SNAP_REPLAY, 0, &r, &broken)) {
		snprintf(err, errlen, "the snapshot was not taken during a replay "
			 "(no trace positions): restore it with `rrv run --restore`");
		return -1;
	}
	uint32_t idlen = snap_get32(&r);
	const uint8_t *id = snap_take(&r, idlen);
	if (!id || idlen != strlen(trace_id) || memcmp(id, trace_id, idlen)) {
		snprintf(err, errlen, "the snapshot was taken during a replay of "
			 "another trace (trace id %.*s, this one is %s)",
			 id ? (int)(idlen > 64 ? 64 : idlen) : 0, id ? (const char *)id : "",
			 trace_id);
		return -1;
	}
	rr->out_hash = snap_get64(&r);
	rr->out_bytes = snap_get64(&r);
	if (snap_get32(&r) != rr->nharts || r.bad) {
		snprintf(err, errlen, "damaged snapshot (replay positions)");
		return -1;
	}
	for (unsigned i = 0; i < rr->nharts; i++) {
		struct rr_hart *rh = rr->harts[i];
		bool trap;
		uint32_t left;
		/* Whatever the hart was doing is forgotten: it starts afresh
		 * between two steps at the snapshot's position. */
		rh->have_ev = false;
		rh->cut_short = false;
		rh->nhist = 0;
		rh->parked = false;
		rh->waiting = false;
		rh->run_to_seq = 0;
		atomic_store_explicit(&rh->finished, 0, memory_order_relaxed);
		if (!load_position(&r, rh, &trap, &left)) {
			snprintf(err, errlen, "damaged snapshot (replay position of hart %u)", i);
			return -1;
		}
		if (rr->ops->seek(rr->ops_ctx, i, rh->seq) < 0) {
			snprintf(err, errlen, "hart %u's stream has no event %llu: the "
				 "snapshot does not belong to this trace", i,
				 (unsigned long long)rh->seq);
			return -1;
		}
		if (!trap)
			continue;
		if (!rr->ops->next(rr->ops_ctx, i, &rh->ev) ||
		    rh->ev.kind != TRACE_EV_TRAP || !left || left > rh->ev.len) {
			snprintf(err, errlen, "hart %u: the snapshot's exception marker "
				 "is not in the trace", i);
			return -1;
		}
		rh->ev.len = left;
		rh->have_ev = true;
	}
	if (r.pos != r.len) {
		snprintf(err, errlen, "damaged snapshot (replay positions: trailing bytes)");
		return -1;
	}
	return 0;
}
