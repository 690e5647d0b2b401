/* gdb_live.h: `rrv run --gdb`: the GDB server over a live machine (forward only, QEMU's -s -S). */
#ifndef RRV_DEBUGGER_GDB_LIVE_H
#define RRV_DEBUGGER_GDB_LIVE_H

#include <stdbool.h>
#include <stddef.h>

struct machine;
struct gdb_live;

/*
 * Listen at spec ([HOST:]PORT) and serve gdb on a thread of its own while
 * machine_run() runs the harts. When gdb connects the machine stops (every
 * hart parked at an instruction boundary); continue runs them all in
 * parallel, stepping runs one hart one instruction. With wait, no hart
 * starts before gdb says so. Call before machine_run(). NULL + err.
 */
struct gdb_live *gdb_live_start(struct machine *m, const char *spec, bool wait,
				char *err, size_t errlen);
/* After machine_run() returned: tell gdb the guest exited, stop serving. */
void gdb_live_finish(struct gdb_live *g);

#endif /* RRV_DEBUGGER_GDB_LIVE_H */
