/* machine.h: the virt-compatible board: RAM, ROM, devices, harts, run/stop. */
#ifndef RRV_CORE_MACHINE_H
#define RRV_CORE_MACHINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/console.h"
#include "core/crash_text.h"
#include "core/hooks.h"
#include "core/verdict.h"
#include "devices/device.h"

#define MAX_HARTS 64
#define RAM_BASE 0x80000000ull
#define BOOTROM_BASE 0x1000ull
#define BOOTROM_SIZE 0x1000ull
#define KERNEL_BIOS_OFFSET 0x200000ull
#define MAX_DEVS 16

struct hart;
struct uart;
struct clint;
struct plic;
struct sifive_test;
struct rrv_ctl;
struct rr;

/*
 * Stopping every hart at an instruction boundary to take a snapshot
 * (DESIGN.md §7). Any thread may request it (a trigger: console output,
 * hart 0's icount, the guest's control device, Ctrl-A s); hart threads
 * park at their next safe point, and the last one to park calls `take`
 * with every hart stopped, then all go on (or the run ends when `take`
 * says so). A replay that drives the harts itself (hooks->thread) parks
 * them itself.
 */
struct machine;
typedef bool (*machine_pause_fn)(void *ctx, struct machine *m);
struct machine_pause {
	_Atomic int requested;       /* any thread sets, the taker clears */
	pthread_mutex_t lock;        /* parked, gen */
	pthread_cond_t cond;
	unsigned parked;
	unsigned draining;           /* harts yet to leave the last pause */
	uint64_t gen;                /* bumped when a pause ends */
	machine_pause_fn take;       /* NULL: triggers are ignored */
	void *ctx;
	/* Triggers (set before the run, then read-only except as noted). */
	uint64_t at_icount;          /* hart at_hart reaching it; 0 = none */
	unsigned at_hart;
	const char *on_output;       /* console text; NULL = none */
	size_t out_match;            /* bytes of on_output matched (io_lock) */
	bool on_guest;               /* the control device's request */
	bool fired;                  /* one snapshot per trigger spec */
};

struct machine_config {
	unsigned nharts;
	uint64_t ram_size;
	const char *bios;      /* M-mode firmware at RAM_BASE, or NULL */
	bool sbi_builtin;      /* --bios builtin: rrv is the SBI (core/sbi.h) */
	const char *kernel;    /* payload (RAM_BASE + 2 MiB with bios) */
	const char *initrd;    /* loaded high in RAM, announced in /chosen */
	const char *bootargs;  /* /chosen/bootargs */
	const char *dtb;       /* use this DTB instead of the generated one */
	uint64_t max_insns;    /* per hart; 0 = unlimited */
	int input_fd;          /* UART input source, -1 = none */
	int output_fd;         /* UART output sink */
	bool fpu_soft;         /* --fpu soft: no host-FPU fast path */
	unsigned jit;          /* --jit: enum jit_mode (core/jit.h), 0 = default */
	/* Hang watchdogs (seconds of host time, 0 = off): no progress (no
	 * hart retires an instruction or takes an interrupt), no console
	 * output. */
	double hang_timeout, hang_output;
	/* Fault injection (--inject): PLIC source raised spurious_rate times
	 * per second of guest time (spurious_src 0 = none); the UART's
	 * interrupt stuck asserted (devices/uart.h). */
	unsigned spurious_src;
	uint32_t spurious_rate;
	bool uart_stuck_irq;
	/* rrv chaos: perturb the hart threads' host scheduling from this
	 * seed (core/chaos.h); timing only, so not part of a trace's config. */
	bool chaos;
	uint64_t chaos_seed;
};

/* Why a run ended. Exit status mapping is documented in README.md. */
enum machine_exit {
	EXIT_NONE = 0,
	EXIT_GUEST,       /* finisher / HTIF: guest exit code */
	EXIT_RESET,       /* guest requested reset (treated as exit 0) */
	EXIT_TIMEOUT,     /* --timeout */
	EXIT_INSN_LIMIT,  /* --max-insns */
	EXIT_ERROR,       /* emulator error (message printed) */
	EXIT_USER,        /* Ctrl-A x on the console */
	EXIT_SNAPSHOT,    /* --stop-after-snapshot: the snapshot was taken */
	/* Added with verdicts (core/verdict.h); snapshots never hold them. */
	EXIT_TRAP_LOOP,   /* a hart in a trap loop (core/trap.c) */
	EXIT_HANG,        /* a hang watchdog fired */
	EXIT_SIGNAL,      /* SIGINT/SIGTERM/SIGHUP: code = the signal */
	EXIT_GUEST_CRASH, /* a kernel crash on the console, text complete */
	EXIT_RRV_CRASH,   /* rrv died of a signal (only ever in a trace's END) */
};

#define RRV_EXIT_USAGE 2
#define RRV_EXIT_TIMEOUT 124
#define RRV_EXIT_INSN_LIMIT 125

struct machine {
	struct machine_config cfg;
	uint8_t *ram;
	uint64_t ram_size;
	uint8_t rom[BOOTROM_SIZE];
	uint64_t entry;            /* where every hart starts after the ROM */
	uint64_t dtb_addr;         /* a1 at entry; 0 until a DTB exists */

	struct mmio_dev devs[MAX_DEVS];
	unsigned ndevs;
	/* The I/O domain: every device access and every device-state change
	 * (input arrival, timers) happens under this lock. */
	pthread_mutex_t io_lock;
	struct uart *uart;
	struct clint *clint;
	struct plic *plic;
	struct sifive_test *finisher;
	struct rrv_ctl *ctl;
	struct mmio_dev clint_raw;  /* the CLINT's own callbacks (wrapped) */

	/* HTIF (when the ELF defines tohost): physical address or 0. */
	uint64_t tohost, fromhost;

	struct hart *harts[MAX_HARTS];
	unsigned nharts;

	/* Recording or replay attached to this run (core/hooks.h), or NULL
	 * (`rrv run`); rr is the replay layer's state for it, opaque here. */
	const struct machine_hooks *hooks;
	struct rr *rr;
	/* An observer of this run (core/hooks.h), or NULL; and the hart
	 * inside the I/O domain while it has one (under io_lock). */
	const struct machine_observer *obs;
	struct hart *io_hart;

	/* Run state. `stop` is set once by whoever ends the run. */
	_Atomic int stop;
	pthread_mutex_t done_lock;
	pthread_cond_t done_cond;
	unsigned harts_running;    /* under done_lock */
	enum machine_exit exit_reason;
	int exit_code;
	/* Details of the first end requested with some (trap loop, hang). */
	struct verdict end_detail;

	/* Set by a signal handler (machine_signal_stop), acted on by the
	 * thread in machine_run at its next watchdog tick. */
	_Atomic int signal_stop;
	/* Console bytes printed (relaxed: only the watchdog reads it), and
	 * the crash watcher over them (under io_lock). */
	_Atomic uint64_t out_count;
	struct crash_text ctext;

	/* Host clock origin for mtime (10 MHz). */
	uint64_t t0_ns;

	/* The state came from a snapshot: machine_run must not reset it. */
	bool restored;
	struct machine_pause pause;

	/* UART input queue, filled by the I/O thread (under io_lock). */
	uint8_t inq[4096];
	size_t inq_head, inq_len;
	bool input_eof;
	struct console console;    /* owned by the I/O thread while running */
	/* Called first and last (start true, then false) by every host
	 * thread machine_run starts: the fatal-signal handler's alternate
	 * stacks (debugger/crash_handler.c). NULL = none. */
	void (*thread_hook)(bool start);
	int wake_pipe[2];          /* pokes the I/O thread */
	pthread_t io_thread;
	bool io_thread_started;

	/* --inject spurious-irq in a live run (not a replay; set before the
	 * harts start): any hart applies a raise owed by mtime at its safe
	 * points (machine_inject_owed), so their rate follows guest time, not
	 * host wake-ups, nor whether one host thread is on a CPU. inject_next
	 * is the mtime the next one is owed at: the hart that moves it on
	 * (compare-and-swap) owns that raise. inject_skipped counts the owed
	 * raises in a row that found the source pending (written by owners
	 * only; a stale value only moves the idle heuristic by a raise). */
	bool inject_live;
	_Atomic uint64_t inject_next;
	_Atomic unsigned inject_skipped;

	/* cfg.chaos: the scheduling perturbation's state, else NULL. */
	struct chaos *chaos;
};

/* Build the board; on error returns NULL and writes a message into err. */
struct machine *machine_new(const struct machine_config *cfg, char *err,
			    size_t errlen);
void machine_free(struct machine *m);

/* Load an image (ELF by its headers, else raw at addr). 0 or -1 + err. */
int machine_load(struct machine *m, const char *path, uint64_t addr,
		 bool set_entry, char *err, size_t errlen);

/* Load bios/kernel/initrd from the config and place the device tree
 * (generated, or cfg.dtb) at the top of RAM. 0, or -1 with err. */
int machine_load_boot(struct machine *m, char *err, size_t errlen);

/* The generated device tree for cfg (initrd at the given range), into buf.
 * Returns its size or -1 with err. */
int machine_build_dtb(const struct machine_config *cfg, uint64_t initrd_start,
		      uint64_t initrd_end, void *buf, size_t bufsize, char *err,
		      size_t errlen);

/* Put every hart at the boot ROM with the entry and DTB words in it (not
 * after a snapshot restore). machine_run does this first; a debugger that
 * drives the harts itself calls it. */
void machine_prepare(struct machine *m);

/* Run all harts until the guest exits, the limit or the timeout (seconds,
 * 0 = none) is reached: on core's hart loop, or on the threads the hooks
 * bring (a replay ends when they all return). Returns the process exit
 * status. */
int machine_run(struct machine *m, double timeout_s);

/* Is a replay attached (asynchronous sources muted)? */
static inline bool machine_replaying(const struct machine *m)
{
	return m->hooks && m->hooks->replaying;
}

/* End the run (first caller wins). Any thread. */
void machine_request_exit(struct machine *m, enum machine_exit why, int code);
/* The same with the verdict's details (kept only if this call wins). */
void machine_request_end(struct machine *m, enum machine_exit why, int code,
			 const struct verdict *detail);
/* How the run ended (after machine_run; in a replay, what the replayed
 * harts ran into). */
void machine_verdict(const struct machine *m, struct verdict *v);
/* Ask the run to stop because of signal sig: one atomic store, so a
 * signal handler may call it; the run ends at the next watchdog tick. */
void machine_signal_stop(struct machine *m, int sig);
/* A test build's injected rrv crash (RRV_TEST_HOOKS): a real SIGSEGV. */
void machine_test_crash(struct hart *h);

/* Guest console output (UART THR, HTIF): to output_fd, and hashed when
 * recording or replaying. Caller holds io_lock. */
void machine_console_out(struct machine *m, uint8_t byte);

/* Append bytes to the UART's input queue and let the UART take what it
 * can. Caller holds io_lock. */
void machine_input_push(struct machine *m, const uint8_t *buf, size_t n);

/* mtime: 10 MHz ticks since the machine started. */
uint64_t machine_mtime(struct machine *m);

/* Fault injection: raise PLIC source src as no device would (h: the hart
 * doing it). Caller holds io_lock. */
bool machine_inject_irq(struct machine *m, struct hart *h, unsigned src);

/* --inject spurious-irq live: is a raise owed by now? (One flag test when
 * nothing is injected.) Any hart. */
static inline bool machine_inject_due(struct machine *m)
{
	return m->inject_live &&
	       machine_mtime(m) >= atomic_load_explicit(&m->inject_next, memory_order_relaxed);
}
/* A hart at a safe point with a raise due: true when this hart took the
 * raise (no other hart did meanwhile) and it would take (the source
 * neither pending nor claimed; the caller then raises it with
 * machine_inject_irq, logged when recording); the next one is scheduled
 * either way. */
bool machine_inject_owed(struct machine *m);
/* Hart 0 in WFI (the one that wakes for raises while every hart idles):
 * mtime ticks until the next raise is owed (UINT64_MAX when
 * nothing is injected), so its sleep can end then. */
uint64_t machine_inject_wait(struct machine *m);

/* Make machine_mtime() continue from `ticks` (restoring a snapshot). */
void machine_set_mtime(struct machine *m, uint64_t ticks);

/* Wait on cond (lock held) at most ms milliseconds (a realtime-clock
 * condition): for waiters that must also notice what no one signals. */
void machine_cond_wait_ms(pthread_cond_t *cond, pthread_mutex_t *lock, unsigned ms);

/* Ask every hart to stop for a snapshot (a trigger fired). Any thread. */
void machine_request_pause(struct machine *m);
/* A hart thread at a safe point parks if a pause is requested; false if
 * the machine is stopping. */
bool machine_park(struct hart *h);

/* Physical memory: host pointer for [paddr, paddr+len) if it is RAM or ROM
 * (writable reports whether stores may go there directly), else NULL. */
uint8_t *machine_phys_ptr(struct machine *m, uint64_t paddr, uint64_t len,
			  bool *writable);
/* A debugger's read of guest memory: through h's address translation, or
 * of physical addresses when h is NULL; no side effects (no MMIO, no
 * accessed/dirty bits). False when some byte is not RAM or ROM. */
bool machine_debug_read(struct machine *m, const struct hart *h, uint64_t addr, void *buf,
			size_t len);
/* The physical address of a host pointer into RAM or ROM (the inverse of
 * machine_phys_ptr). */
uint64_t machine_host_phys(const struct machine *m, const uint8_t *host);
struct mmio_dev *machine_find_dev(struct machine *m, uint64_t paddr);

#endif /* RRV_CORE_MACHINE_H */
