/* crash_handler.h: signals during `rrv run` / `rrv record`: interruption and rrv's own crashes. */
#ifndef RRV_DEBUGGER_CRASH_HANDLER_H
#define RRV_DEBUGGER_CRASH_HANDLER_H

#include <stdbool.h>
#include <stddef.h>

struct machine;
struct rr;
struct trace_writer;

/*
 * While a run is on:
 * - SIGINT, SIGTERM, SIGHUP ask it to stop (machine_signal_stop): the
 *   harts stop at safe points and a recording is finished with END
 *   (verdict "interrupted"), exit status 128 + the signal. A second one
 *   while that happens kills rrv the default way.
 * - SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL in rrv itself: the handler
 *   (on an alternate signal stack) prints the host backtrace (libunwind)
 *   and every hart's pc and icount, writes the events the harts have
 *   committed and an END chunk with verdict "rrv-crash" (so the trace
 *   replays up to there), and exits with 128 + the signal.
 * w and rr are NULL for `rrv run`. 0, or -1 with err.
 */
int crash_handlers_install(struct machine *m, struct trace_writer *w,
			   const struct rr *rr, char *err, size_t errlen);
/* The trace is being closed (and then freed): a crash from now on is
 * reported but writes nothing more; stop signals are ignored (the run is
 * over and its END is being written). */
void crash_handlers_forget_trace(void);
/* Back to the previous dispositions. */
void crash_handlers_remove(void);

/*
 * A test build (-DRRV_TEST_HOOKS) reads RRV_TEST_CRASH_AT=HART:ICOUNT and
 * makes that hart crash rrv (a real SIGSEGV) when it reaches ICOUNT; other
 * builds ignore the variable. 0, or -1 with err (a malformed value).
 */
int crash_test_hooks(struct machine *m, char *err, size_t errlen);

#endif /* RRV_DEBUGGER_CRASH_HANDLER_H */
