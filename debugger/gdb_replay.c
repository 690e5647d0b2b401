/* gdb_replay.c: the time-travel engine as a gdb target (harts as threads, reverse execution, monitor = REPL). */
#include "debugger/gdb_replay.h"

#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/machine.h"
#include "debugger/gdb_rsp.h"
#include "debugger/gdb_server.h"
#include "debugger/repl.h"
#include "replay/engine.h"

static unsigned t_nharts(void *ctx)
{
	struct dbg_session *s = ctx;
	return rpl_nharts(s->e);
}

static struct hart *t_hart(void *ctx, unsigned i)
{
	struct dbg_session *s = ctx;
	return rpl_machine(s->e)->harts[i];
}

static const char *t_hart_state(void *ctx, unsigned i)
{
	struct dbg_session *s = ctx;
	switch (rpl_hart_state(s->e, i)) {
	case RPL_WFI: return "WFI";
	case RPL_ENDED: return "ended";
	default: return "running";
	}
}

static bool t_read(void *ctx, unsigned hart, uint64_t addr, void *buf, size_t len)
{
	struct dbg_session *s = ctx;
	return rpl_read(s->e, hart, addr, buf, len, false);
}

static int t_break(void *ctx, uint64_t pc)
{
	struct dbg_session *s = ctx;
	return rpl_break_add(s->e, pc, false);
}

static int t_watch(void *ctx, uint64_t addr, unsigned len, enum rpl_watch_kind kind)
{
	struct dbg_session *s = ctx;
	return rpl_watch_add(s->e, addr, len, kind, false);
}

static bool t_delete(void *ctx, int id)
{
	struct dbg_session *s = ctx;
	return rpl_stop_delete(s->e, id);
}

static void t_step(void *ctx, unsigned hart, struct rpl_stop *st)
{
	struct dbg_session *s = ctx;
	rpl_stepi(s->e, hart, 1, st);
	s->hart = hart;
}

static void t_cont(void *ctx, struct rpl_stop *st)
{
	struct dbg_session *s = ctx;
	rpl_continue(s->e, st);
}

static void t_rstep(void *ctx, unsigned hart, struct rpl_stop *st)
{
	struct dbg_session *s = ctx;
	rpl_reverse_stepi(s->e, hart, 1, st);
	s->hart = hart;
}

static void t_rcont(void *ctx, struct rpl_stop *st)
{
	struct dbg_session *s = ctx;
	rpl_reverse_continue(s->e, st);
}

static void t_interrupt(void *ctx)
{
	struct dbg_session *s = ctx;
	rpl_interrupt(s->e);
}

/* The REPL's command on gdb's current thread; its output goes to gdb. */
static void t_monitor(void *ctx, unsigned hart, const char *cmd, FILE *out)
{
	struct dbg_session *s = ctx;
	FILE *keep = s->out;
	s->out = out;
	s->hart = hart;
	if (!strcmp(cmd, "quit") || !strcmp(cmd, "q"))
		fputs("use gdb's `kill` or `detach` to end the session\n", out);
	else
		dbg_exec(s, cmd);
	s->quit = false;
	s->out = keep;
}

static const struct gdb_target_ops replay_ops = {
	.nharts = t_nharts,
	.hart = t_hart,
	.hart_state = t_hart_state,
	.read_mem = t_read,
	.break_add = t_break,
	.watch_add = t_watch,
	.stop_delete = t_delete,
	.step = t_step,
	.cont = t_cont,
	.reverse_step = t_rstep,
	.reverse_cont = t_rcont,
	.interrupt = t_interrupt,
	.monitor = t_monitor,
};

int dbg_gdb_serve_trace(struct dbg_session *s, const char *spec)
{
	char err[512];
	struct gdb_listener l;
	if (gdb_listen(&l, spec, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s\n", err);
		return RRV_EXIT_USAGE;
	}
	/* gdb may vanish mid-reply: a write error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	int status = 0;
	for (;;) {
		int in, out;
		if (gdb_accept(&l, &in, &out, err, sizeof(err)) < 0) {
			fprintf(stderr, "rrv: %s\n", err);
			status = 1;
			break;
		}
		struct gdb_conn *c = malloc(sizeof(*c));
		if (!c) {
			fprintf(stderr, "rrv: out of memory\n");
			status = 1;
			break;
		}
		gdb_conn_init(c, in, out);
		enum gdb_end end = gdb_serve(c, &replay_ops, s);
		if (c->bad_checksums || c->oversized)
			fprintf(stderr, "rrv: gdb connection: %llu bad checksums, %llu oversized packets\n",
				(unsigned long long)c->bad_checksums, (unsigned long long)c->oversized);
		gdb_conn_free(c);
		free(c);
		if (!l.stdio)
			close(in);
		if (end == GDB_END_KILLED || end == GDB_END_DETACHED) {
			fprintf(stderr, "rrv: gdb %s; the debugging session ends\n",
				end == GDB_END_KILLED ? "killed the target" : "detached");
			break;
		}
		if (l.stdio)
			break;
		fprintf(stderr, "rrv: gdb disconnected; waiting for the next connection on port %u\n", l.port);
	}
	gdb_listener_close(&l);
	return status;
}
