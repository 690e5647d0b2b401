/*
 * gdb_server.h: what gdb's packets mean for rrv (DESIGN.md §8): harts as
 * threads, registers with a RISC-V target description, memory, break and
 * watchpoints, stepping one hart, continuing all, and — over a trace —
 * reverse step and continue. The wire is debugger/gdb_rsp.c; the machine
 * behind it is a target: the time-travel engine (`rrv debug --gdb`) or a
 * live machine (`rrv run --gdb`).
 */
#ifndef RRV_DEBUGGER_GDB_SERVER_H
#define RRV_DEBUGGER_GDB_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "replay/engine.h"

struct gdb_conn;
struct hart;

/* A machine gdb can drive. Movements fill a struct rpl_stop (the engine's
 * stop report; a live target uses the same words). NULL operations are
 * not offered: write_mem/write_regs on a trace, reverse_* live. */
struct gdb_target_ops {
	unsigned (*nharts)(void *ctx);
	struct hart *(*hart)(void *ctx, unsigned i);
	/* "running", "WFI", "ended": qThreadExtraInfo. */
	const char *(*hart_state)(void *ctx, unsigned i);
	bool (*read_mem)(void *ctx, unsigned hart, uint64_t addr, void *buf, size_t len);
	bool (*write_mem)(void *ctx, unsigned hart, uint64_t addr, const void *buf, size_t len);
	bool write_regs;
	int (*break_add)(void *ctx, uint64_t pc);
	int (*watch_add)(void *ctx, uint64_t addr, unsigned len, enum rpl_watch_kind kind);
	bool (*stop_delete)(void *ctx, int id);
	void (*step)(void *ctx, unsigned hart, struct rpl_stop *st);
	void (*cont)(void *ctx, struct rpl_stop *st);
	void (*reverse_step)(void *ctx, unsigned hart, struct rpl_stop *st);
	void (*reverse_cont)(void *ctx, struct rpl_stop *st);
	/* Stop a running movement soon (called from another thread). */
	void (*interrupt)(void *ctx);
	/* The guest ended a live run (after a movement stopped at the end):
	 * its exit code. NULL on a trace, whose end is replaylog:end. */
	bool (*exited)(void *ctx, int *code);
	/* `monitor CMD` for gdb's current thread, output to out; NULL when
	 * there are no monitor commands. */
	void (*monitor)(void *ctx, unsigned hart, const char *cmd, FILE *out);
};

enum gdb_end { GDB_END_DISCONNECTED, GDB_END_DETACHED, GDB_END_KILLED, GDB_END_EXITED };

/* Serve one connection until gdb detaches, kills, disconnects or (live)
 * the guest exits. Stop conditions gdb set are removed at the end. */
enum gdb_end gdb_serve(struct gdb_conn *c, const struct gdb_target_ops *ops, void *ctx);

/*
 * The listening side: "-" serves stdin/stdout once; "[HOST:]PORT" listens
 * (127.0.0.1 unless HOST is given; PORT 0 picks one) and says where on
 * stderr. 0 or -1 with err.
 */
struct gdb_listener {
	bool stdio;
	int fd;
	unsigned port;
};
int gdb_listen(struct gdb_listener *l, const char *spec, char *err, size_t errlen);
/* The next connection's fds (both the same socket, or 0 and 1). -1 + err. */
int gdb_accept(struct gdb_listener *l, int *in_fd, int *out_fd, char *err, size_t errlen);
void gdb_listener_close(struct gdb_listener *l);

#endif /* RRV_DEBUGGER_GDB_SERVER_H */
