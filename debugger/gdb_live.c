/* gdb_live.c: a live machine as a gdb target: every hart stopped at a boundary while gdb looks; continue runs them in parallel. */
#include "debugger/gdb_live.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/exec.h"
#include "core/hart.h"
#include "core/hdbg.h"
#include "core/machine.h"
#include "core/mmu.h"
#include "debugger/gdb_rsp.h"
#include "debugger/gdb_server.h"

/*
 * Who owns what: while the machine runs, each hart belongs to its thread.
 * gdb's thread may touch harts and their stop conditions only while
 * `stopped` is true: every hart parked (machine_park) and the last one
 * blocked in take() until gdb resumes; the pause mutexes order what both
 * sides wrote. The fields below `lock` are shared under it.
 */
struct gdb_live {
	struct machine *m;
	struct gdb_listener l;
	pthread_t thread;
	bool thread_started;
	struct hdbg dbg[MAX_HARTS];
	int next_id;
	unsigned nstops;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stopped;       /* the machine is paused, take() waits */
	bool resume;        /* gdb lets it go */
	bool exited;        /* machine_run() returned */
	bool in_move;       /* gdb waits for a stop reply */
	uint64_t resumes;   /* take() returns counted: the machine may stop
			     * again before a resumer sees `stopped` drop */
	int conn_fd;        /* the connection being served, or -1 */
};

/* ---- stopping and resuming (any thread, under lock) ---- */

static bool machine_stopping(const struct gdb_live *g)
{
	return atomic_load_explicit(&g->m->stop, memory_order_acquire) != 0;
}

/* Called by the last hart to park: the machine is stopped until gdb
 * resumes it (or the run ends: a timeout, the I/O thread). */
static bool take(void *ctx, struct machine *m)
{
	(void)m;
	struct gdb_live *g = ctx;
	pthread_mutex_lock(&g->lock);
	g->stopped = true;
	pthread_cond_broadcast(&g->cond);
	/* Timed: the run may end (a timeout) with no one signalling. */
	while (!g->resume && !machine_stopping(g))
		machine_cond_wait_ms(&g->cond, &g->lock, 20);
	g->resume = false;
	g->stopped = false;
	g->resumes++;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	return true;
}

/* Wait (lock held) until the machine is stopped or gone. */
static void wait_stopped(struct gdb_live *g)
{
	while (!g->stopped && !g->exited)
		machine_cond_wait_ms(&g->cond, &g->lock, 20);
}

static void stop_machine(struct gdb_live *g)
{
	pthread_mutex_lock(&g->lock);
	if (!g->stopped && !g->exited)
		machine_request_pause(g->m);
	wait_stopped(g);
	pthread_mutex_unlock(&g->lock);
}

/* Let the harts go; returns once take() has seen it. */
static void resume_machine(struct gdb_live *g)
{
	pthread_mutex_lock(&g->lock);
	if (g->stopped) {
		uint64_t n = g->resumes;
		g->resume = true;
		pthread_cond_broadcast(&g->cond);
		while (g->resumes == n && !g->exited)
			pthread_cond_wait(&g->cond, &g->lock);
	}
	pthread_mutex_unlock(&g->lock);
}

/* ---- stop conditions ---- */

static void sync_dbg(struct gdb_live *g)
{
	for (unsigned i = 0; i < g->m->nharts; i++) {
		struct hart *h = g->m->harts[i];
		struct hdbg *d = &g->dbg[i];
		/* No stop conditions: no debugger checks on the hot paths. */
		h->dbg = d->nbp || d->nw ? d : NULL;
		hdbg_changed(h);
	}
}

static int t_break(void *ctx, uint64_t pc)
{
	struct gdb_live *g = ctx;
	if (g->dbg[0].nbp >= HDBG_MAX_BREAK)
		return -1;
	int id = ++g->next_id;
	for (unsigned i = 0; i < g->m->nharts; i++) {
		struct hdbg *d = &g->dbg[i];
		d->bp[d->nbp] = pc;
		d->bp_id[d->nbp++] = id;
	}
	sync_dbg(g);
	return id;
}

static int t_watch(void *ctx, uint64_t addr, unsigned len, enum rpl_watch_kind kind)
{
	struct gdb_live *g = ctx;
	if (g->dbg[0].nw >= HDBG_MAX_WATCH)
		return -1;
	int id = ++g->next_id;
	uint8_t k = (kind & RPL_WATCH_W ? HDBG_W : 0) | (kind & RPL_WATCH_R ? HDBG_R : 0);
	for (unsigned i = 0; i < g->m->nharts; i++) {
		struct hdbg *d = &g->dbg[i];
		d->w[d->nw++] = (struct hdbg_watch){ .addr = addr, .len = len, .kind = k, .id = id };
	}
	sync_dbg(g);
	return id;
}

static bool t_delete(void *ctx, int id)
{
	struct gdb_live *g = ctx;
	bool found = false;
	for (unsigned i = 0; i < g->m->nharts; i++) {
		struct hdbg *d = &g->dbg[i];
		for (unsigned k = 0; k < d->nbp; k++)
			if (d->bp_id[k] == id) {
				d->bp[k] = d->bp[--d->nbp];
				d->bp_id[k] = d->bp_id[d->nbp];
				found = true;
				break;
			}
		for (unsigned k = 0; k < d->nw; k++)
			if (d->w[k].id == id) {
				d->w[k] = d->w[--d->nw];
				found = true;
				break;
			}
	}
	sync_dbg(g);
	return found;
}

/* The first hart with a hit (lowest number), reported; the others' hits
 * are forgotten: their breakpoint hits again when they resume. */
static bool take_hit(struct gdb_live *g, struct rpl_stop *st)
{
	bool found = false;
	for (unsigned i = 0; i < g->m->nharts; i++) {
		struct hdbg *d = &g->dbg[i];
		struct hart *h = g->m->harts[i];
		if (!d->hit)
			continue;
		if (!found) {
			found = true;
			st->hart = i;
			st->id = d->hit_id;
			st->pc = h->pc;
			st->why = d->hit_watch ? RPL_STOP_WATCH : RPL_STOP_BREAK;
			st->addr = d->hit_addr;
			st->old_val = d->old_val;
			st->new_val = d->new_val;
			st->size = d->hit_size;
			st->is_write = d->hit_write;
		}
		d->hit = d->hit_watch = false;
	}
	return found;
}

/* Resuming steps over a breakpoint at the pc each hart stands on. */
static void skip_current(struct gdb_live *g)
{
	for (unsigned i = 0; i < g->m->nharts; i++) {
		g->dbg[i].skip = true;
		g->dbg[i].skip_pc = g->m->harts[i]->pc;
		g->dbg[i].armed = true;
	}
}

/* ---- the target ---- */

static unsigned t_nharts(void *ctx)
{
	struct gdb_live *g = ctx;
	return g->m->nharts;
}

static struct hart *t_hart(void *ctx, unsigned i)
{
	struct gdb_live *g = ctx;
	return g->m->harts[i];
}

static const char *t_hart_state(void *ctx, unsigned i)
{
	struct gdb_live *g = ctx;
	return g->m->harts[i]->in_wfi ? "WFI" : "running";
}

/* Guest memory through hart's translation; each page by itself. */
static bool access_mem(struct gdb_live *g, unsigned hart, uint64_t addr, void *buf,
		       size_t len, bool write)
{
	struct hart *h = g->m->harts[hart];
	uint8_t *b = buf;
	while (len) {
		uint64_t pa;
		if (!mmu_debug_translate(h, addr, &pa))
			return false;
		size_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		bool writable;
		uint8_t *p = machine_phys_ptr(g->m, pa, chunk, &writable);
		if (!p || (write && !writable))
			return false;
		if (write) {
			memcpy(p, b, chunk);
			/* gdb may patch code: translated blocks of it go. */
			mmu_note_code_write(h, pa, (unsigned)chunk);
		} else {
			memcpy(b, p, chunk);
		}
		b += chunk;
		addr += chunk;
		len -= chunk;
	}
	return true;
}

static bool t_read(void *ctx, unsigned hart, uint64_t addr, void *buf, size_t len)
{
	return access_mem(ctx, hart, addr, buf, len, false);
}

static bool t_write(void *ctx, unsigned hart, uint64_t addr, const void *buf, size_t len)
{
	return access_mem(ctx, hart, addr, (void *)buf, len, true);
}

/*
 * One instruction of one hart, on gdb's thread while every hart is
 * parked. A pending interrupt is taken first (the step then stops at the
 * handler's first instruction); a hart in WFI stays there until one.
 */
static void t_step(void *ctx, unsigned hart, struct rpl_stop *st)
{
	struct gdb_live *g = ctx;
	struct hart *h = g->m->harts[hart];
	memset(st, 0, sizeof(*st));
	st->hart = hart;
	skip_current(g);
	/* The pause kicked every hart: its safe point comes first (pending
	 * interrupts, a WFI that ends), or exec_run would not start. */
	if (atomic_load_explicit(&h->exit_request, memory_order_relaxed) && !hart_safe_point(h)) {
		st->why = RPL_STOP_DONE;
		return;
	}
	if (!h->in_wfi) {
		h->insn_icount = h->icount;
		exec_run(h, 1);
	}
	if (!take_hit(g, st))
		st->why = RPL_STOP_DONE;
	st->hart = hart;
	st->pc = h->pc;
}

static void t_cont(void *ctx, struct rpl_stop *st)
{
	struct gdb_live *g = ctx;
	memset(st, 0, sizeof(*st));
	skip_current(g);
	pthread_mutex_lock(&g->lock);
	g->in_move = true;
	pthread_mutex_unlock(&g->lock);
	resume_machine(g);
	pthread_mutex_lock(&g->lock);
	wait_stopped(g);
	g->in_move = false;
	bool exited = g->exited && !g->stopped;
	pthread_mutex_unlock(&g->lock);
	if (exited) {
		st->why = RPL_STOP_END;
		return;
	}
	if (!take_hit(g, st))
		st->why = RPL_STOP_INTERRUPT;
}

static void t_interrupt(void *ctx)
{
	struct gdb_live *g = ctx;
	machine_request_pause(g->m);
}

static bool t_exited(void *ctx, int *code)
{
	struct gdb_live *g = ctx;
	pthread_mutex_lock(&g->lock);
	bool ex = g->exited;
	pthread_mutex_unlock(&g->lock);
	if (ex)
		*code = g->m->exit_reason == EXIT_GUEST ? g->m->exit_code : 0;
	return ex;
}

static const struct gdb_target_ops live_ops = {
	.nharts = t_nharts,
	.hart = t_hart,
	.hart_state = t_hart_state,
	.read_mem = t_read,
	.write_mem = t_write,
	.write_regs = true,
	.break_add = t_break,
	.watch_add = t_watch,
	.stop_delete = t_delete,
	.step = t_step,
	.cont = t_cont,
	.interrupt = t_interrupt,
	.exited = t_exited,
};

/* ---- serving ---- */

static void *serve_main(void *arg)
{
	struct gdb_live *g = arg;
	char err[256];
	for (;;) {
		int in, out;
		if (gdb_accept(&g->l, &in, &out, err, sizeof(err)) < 0)
			break; /* the listener was shut: the run is over */
		pthread_mutex_lock(&g->lock);
		bool over = g->exited;
		if (!over)
			g->conn_fd = in;
		pthread_mutex_unlock(&g->lock);
		if (over) {
			close(in);
			break;
		}
		fprintf(stderr, "rrv: gdb connected; every hart stops\n");
		stop_machine(g);
		struct gdb_conn *c = malloc(sizeof(*c));
		enum gdb_end end = GDB_END_DISCONNECTED;
		if (c) {
			gdb_conn_init(c, in, out);
			end = gdb_serve(c, &live_ops, g);
			gdb_conn_free(c);
			free(c);
		}
		pthread_mutex_lock(&g->lock);
		g->conn_fd = -1;
		pthread_mutex_unlock(&g->lock);
		close(in);
		if (end == GDB_END_EXITED)
			break;
		if (end == GDB_END_KILLED) {
			fprintf(stderr, "rrv: gdb killed the machine\n");
			machine_request_exit(g->m, EXIT_USER, 0);
		} else {
			fprintf(stderr, "rrv: gdb %s; the machine runs on (port %u)\n",
				end == GDB_END_DETACHED ? "detached" : "disconnected", g->l.port);
		}
		resume_machine(g);
		if (end == GDB_END_KILLED)
			break;
	}
	return NULL;
}

struct gdb_live *gdb_live_start(struct machine *m, const char *spec, bool wait,
				char *err, size_t errlen)
{
	if (!strcmp(spec, "-")) {
		snprintf(err, errlen, "--gdb - is for `rrv debug` (the guest's console is on stdio)");
		return NULL;
	}
	struct gdb_live *g = calloc(1, sizeof(*g));
	if (!g) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->m = m;
	g->conn_fd = -1;
	for (unsigned i = 0; i < MAX_HARTS; i++)
		g->dbg[i].armed = true;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	if (gdb_listen(&g->l, spec, err, errlen) < 0)
		goto fail;
	signal(SIGPIPE, SIG_IGN);
	m->pause.take = take;
	m->pause.ctx = g;
	/* --wait: the harts park before their first instruction. */
	if (wait)
		machine_request_pause(m);
	if (pthread_create(&g->thread, NULL, serve_main, g) != 0) {
		snprintf(err, errlen, "cannot start the gdb server thread");
		goto fail;
	}
	g->thread_started = true;
	return g;
fail:
	gdb_listener_close(&g->l);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->cond);
	free(g);
	return NULL;
}

void gdb_live_finish(struct gdb_live *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->exited = true;
	pthread_cond_broadcast(&g->cond);
	/* A gdb that waits for a stop reply gets W; one that is looking at
	 * a machine that ended anyway (a timeout) loses the connection. */
	if (g->conn_fd >= 0 && !g->in_move)
		shutdown(g->conn_fd, SHUT_RDWR);
	pthread_mutex_unlock(&g->lock);
	if (g->l.fd >= 0)
		shutdown(g->l.fd, SHUT_RDWR);
	if (g->thread_started)
		pthread_join(g->thread, NULL);
	for (unsigned i = 0; i < g->m->nharts; i++)
		g->m->harts[i]->dbg = NULL;
	g->m->pause.take = NULL;
	gdb_listener_close(&g->l);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->cond);
	free(g);
}
