/* gdb_replay.h: `rrv debug --gdb`: the GDB server over the time-travel engine. */
#ifndef RRV_DEBUGGER_GDB_REPLAY_H
#define RRV_DEBUGGER_GDB_REPLAY_H

struct dbg_session;

/*
 * Serve gdb at spec ("-" or [HOST:]PORT) over the session's trace until
 * gdb kills or detaches (a TCP peer that just disconnects may be followed
 * by another). `monitor CMD` runs the REPL's commands. Returns the exit
 * status of `rrv debug`.
 */
int dbg_gdb_serve_trace(struct dbg_session *s, const char *spec);

#endif /* RRV_DEBUGGER_GDB_REPLAY_H */
