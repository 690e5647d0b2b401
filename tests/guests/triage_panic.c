/* triage_panic.c: prints a few boot lines and then a Linux-style kernel panic report, and spins as Linux does after a panic (verdict crash, kind panic). */
#include "guest.h"

static const char *const lines[] = {
	"[    0.000000] Linux version 6.1.0-rrv (triage test guest)",
	"[    0.104211] Run /init as init process",
	"[    0.231876] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100",
	"[    0.231901] CPU: 0 PID: 1 Comm: init Not tainted 6.1.0-rrv #1",
	"[    0.231922] Hardware name: riscv-virtio,qemu (DT)",
	"[    0.231940] Call Trace:",
	"[    0.231958] [<ffffffff80005a4c>] dump_backtrace+0x1c/0x24",
	"[    0.231990] [<ffffffff807d1a2e>] panic+0x11a/0x2e2",
	"[    0.232010] [<ffffffff8000f1b8>] do_exit+0x7a4/0x7b8",
	"[    0.232031] ---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100 ]---",
};

static volatile uint64_t spins;

int main(int hartid)
{
	if (hartid == 0)
		for (unsigned i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
			g_puts(lines[i]);
			g_putc('\n');
		}
	for (;;)
		spins++;
}
