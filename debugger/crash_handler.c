/* crash_handler.c: SIGINT/SIGTERM/SIGHUP end a run cleanly; a crash of rrv itself is reported and its trace kept. */
#define UNW_LOCAL_ONLY
#include "debugger/crash_handler.h"

#include <errno.h>
#include <libunwind.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/hart.h"
#include "core/machine.h"
#include "core/verdict.h"
#include "logs/trace.h"
#include "replay/rr_session.h"

/* Big enough for libunwind's walk, the END payload (8 KiB) and the
 * chunk writes; SIGSTKSZ is far too small for that. */
#define ALTSTACK_SIZE (256u << 10)
#define BACKTRACE_MAX 64

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

struct crash_state {
	struct machine *m;
	_Atomic(struct trace_writer *) w;  /* NULL once the trace is closing */
	const struct rr *rr;
	_Atomic int stop_seen;        /* a stop signal came already */
	_Atomic pid_t fatal_tid;      /* the thread handling a fatal signal */
	struct sigaction old_stop[NSTOP], old_fatal[NFATAL];
	stack_t main_stack;           /* this thread's alternate stack */
	void *main_stack_mem;
	struct trace_end end;         /* built by the fatal handler (8 KiB) */
};

/*
 * The one piece of global mutable state: a signal handler receives no
 * argument, so it finds the run through this pointer. It is set before
 * the handlers are installed and cleared after they are removed, by the
 * thread that owns the run; handlers only load it.
 */
static _Atomic(struct crash_state *) active;

/* ---- output without stdio (async-signal-safe) ---- */

static void put(const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t k = write(STDERR_FILENO, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

static void put_num(uint64_t v, unsigned base)
{
	char buf[24];
	size_t i = sizeof(buf) - 1;
	buf[i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && i > 2);
	if (base == 16) {
		buf[--i] = 'x';
		buf[--i] = '0';
	}
	put(buf + i);
}

/* ---- the stop signals ---- */

static void on_stop(int sig)
{
	struct crash_state *cs = atomic_load_explicit(&active, memory_order_relaxed);
	int saved = errno;
	if (!cs || atomic_exchange_explicit(&cs->stop_seen, 1, memory_order_relaxed)) {
		/* Asked twice: the user means it. */
		signal(sig, SIG_DFL);
		raise(sig);
	} else {
		machine_signal_stop(cs->m, sig);
	}
	errno = saved;
}

/* ---- the fatal signals ---- */

static void print_backtrace(ucontext_t *uc)
{
	unw_cursor_t cur;
	/* Start at the interrupted frame (the fault), not in this handler:
	 * on x86-64 Linux a ucontext_t is libunwind's context type. */
	if (unw_init_local2(&cur, (unw_context_t *)uc, UNW_INIT_SIGNAL_FRAME) < 0) {
		put("  (no backtrace: libunwind cannot start)\n");
		return;
	}
	for (int i = 0; i < BACKTRACE_MAX; i++) {
		unw_word_t ip = 0, off = 0;
		char name[256];
		unw_get_reg(&cur, UNW_REG_IP, &ip);
		put("  #");
		put_num((uint64_t)i, 10);
		put(" ");
		put_num((uint64_t)ip, 16);
		if (unw_get_proc_name(&cur, name, sizeof(name), &off) == 0) {
			put(" ");
			put(name);
			put("+");
			put_num((uint64_t)off, 16);
		}
		put("\n");
		if (unw_step(&cur) <= 0)
			break;
	}
}

/* Racy reads: the other harts go on running while this handler runs, and
 * pc is updated at block ends. A dying process may show slightly stale
 * positions; the trace holds the exact ones. */
static void print_harts(const struct machine *m)
{
	for (unsigned i = 0; i < m->nharts; i++) {
		const struct hart *h = m->harts[i];
		put("  hart ");
		put_num(i, 10);
		put(": pc ");
		put_num(h->pc, 16);
		put(" icount ");
		put_num(h->icount, 10);
		put(h->in_wfi ? " (in WFI)\n" : "\n");
	}
}

static void append(char *buf, size_t len, size_t *o, const char *s)
{
	while (*s && *o + 1 < len)
		buf[(*o)++] = *s++;
	buf[*o] = 0;
}

/* The events the harts committed, then END "rrv-crash": the verdict text
 * is built by hand (no snprintf here). */
static void finish_trace(struct crash_state *cs, int sig)
{
	struct trace_end *e = &cs->end; /* only the one handling thread */
	size_t o = 0;
	e->reason = EXIT_RRV_CRASH;
	e->exit_code = RRV_EXIT_SIGNAL_BASE + sig;
	if (cs->rr) {
		e->output_hash = rr_output_hash(cs->rr);
		e->output_bytes = rr_output_bytes(cs->rr);
	}
	append(e->verdict, sizeof(e->verdict), &o, "end=rrv-crash\nsignal=");
	append(e->verdict, sizeof(e->verdict), &o, verdict_signal_name(sig));
	append(e->verdict, sizeof(e->verdict), &o, "\n");
	if (trace_writer_crash(atomic_load_explicit(&cs->w, memory_order_acquire), e) == 0)
		put("rrv: the trace holds every event committed before the crash and "
		    "ends with verdict rrv-crash; it replays up to here\n");
	else
		put("rrv: could not finish the trace (its writer was busy); it is "
		    "readable up to its last complete chunk\n");
}

static void on_fatal(int sig, siginfo_t *si, void *ucv)
{
	struct crash_state *cs = atomic_load_explicit(&active, memory_order_relaxed);
	pid_t me = gettid(), none = 0;
	if (!cs)
		goto die;
	if (!atomic_compare_exchange_strong_explicit(&cs->fatal_tid, &none, me,
						     memory_order_acq_rel,
						     memory_order_acquire)) {
		if (none == me)
			goto die; /* crashed again inside this handler */
		for (;;)
			pause(); /* the first crashing thread finishes and exits */
	}
	if (cs->m->console.raw)
		tcsetattr(cs->m->console.fd, TCSANOW, &cs->m->console.saved);
	put("\nrrv: crashed: SIG");
	put(verdict_signal_name(sig));
	if (sig == SIGSEGV || sig == SIGBUS) {
		put(" at address ");
		put_num((uint64_t)(uintptr_t)si->si_addr, 16);
	}
	put(" in rrv itself (an rrv bug, not the guest's); host backtrace:\n");
	print_backtrace(ucv);
	put("rrv: harts:\n");
	print_harts(cs->m);
	if (atomic_load_explicit(&cs->w, memory_order_acquire))
		finish_trace(cs, sig);
	_exit(RRV_EXIT_SIGNAL_BASE + sig);
die:
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ---- alternate stacks: one per thread that runs the machine ---- */

/* Each host thread machine_run starts gets its own stack for the fatal
 * handler (a stack overflow leaves none on the thread's own). */
static void thread_stack(bool start)
{
	stack_t ss = { .ss_flags = SS_DISABLE };
	if (start) {
		ss.ss_sp = malloc(ALTSTACK_SIZE);
		ss.ss_size = ALTSTACK_SIZE;
		ss.ss_flags = 0;
		if (ss.ss_sp && sigaltstack(&ss, NULL) != 0)
			free(ss.ss_sp);
		return;
	}
	stack_t old;
	if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE) &&
	    sigaltstack(&ss, NULL) == 0)
		free(old.ss_sp);
}

int crash_handlers_install(struct machine *m, struct trace_writer *w,
			   const struct rr *rr, char *err, size_t errlen)
{
	struct crash_state *cs = calloc(1, sizeof(*cs));
	if (!cs || !(cs->main_stack_mem = malloc(ALTSTACK_SIZE))) {
		free(cs);
		snprintf(err, errlen, "out of memory for the signal handlers");
		return -1;
	}
	cs->m = m;
	atomic_init(&cs->w, w);
	cs->rr = rr;
	stack_t ss = { .ss_sp = cs->main_stack_mem, .ss_size = ALTSTACK_SIZE };
	sigaltstack(&ss, &cs->main_stack);
	m->thread_hook = thread_stack;
	atomic_store_explicit(&active, cs, memory_order_release);
	struct sigaction sa = { .sa_handler = on_stop, .sa_flags = SA_RESTART };
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NSTOP; i++) {
		/* A signal ignored from the start (nohup, a shell's background
		 * job) stays ignored, as the caller asked. */
		sigaction(stop_signals[i], NULL, &cs->old_stop[i]);
		if (cs->old_stop[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &sa, NULL);
	}
	struct sigaction fa = { .sa_sigaction = on_fatal,
				.sa_flags = SA_SIGINFO | SA_ONSTACK };
	sigemptyset(&fa.sa_mask);
	/* The stop signals wait while the trace is being finished. */
	for (size_t i = 0; i < NSTOP; i++)
		sigaddset(&fa.sa_mask, stop_signals[i]);
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &fa, &cs->old_fatal[i]);
	return 0;
}

void crash_handlers_forget_trace(void)
{
	struct crash_state *cs = atomic_load_explicit(&active, memory_order_acquire);
	if (cs)
		atomic_store_explicit(&cs->w, NULL, memory_order_release);
}

void crash_handlers_remove(void)
{
	struct crash_state *cs = atomic_load_explicit(&active, memory_order_acquire);
	if (!cs)
		return;
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &cs->old_stop[i], NULL);
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &cs->old_fatal[i], NULL);
	atomic_store_explicit(&active, NULL, memory_order_release);
	sigaltstack(&cs->main_stack, NULL);
	cs->m->thread_hook = NULL;
	free(cs->main_stack_mem);
	free(cs);
}

#ifdef RRV_TEST_HOOKS
int crash_test_hooks(struct machine *m, char *err, size_t errlen)
{
	const char *v = getenv("RRV_TEST_CRASH_AT");
	if (!v || !*v)
		return 0;
	char *end;
	unsigned long hart = strtoul(v, &end, 10);
	unsigned long long at = *end == ':' ? strtoull(end + 1, &end, 0) : 0;
	if (*end || hart >= m->nharts || !at) {
		snprintf(err, errlen, "RRV_TEST_CRASH_AT takes HART:ICOUNT (a hart of "
			 "this machine, a positive count), not '%s'", v);
		return -1;
	}
	m->harts[hart]->test_crash_at = at;
	return 0;
}
#else
int crash_test_hooks(struct machine *m, char *err, size_t errlen)
{
	(void)m;
	(void)err;
	(void)errlen;
	return 0;
}
#endif
