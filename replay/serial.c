/*
 * serial.c: serialized replay: every hart on one host thread, in the
 * canonical order (DESIGN.md §6).
 *
 * Round-robin over the harts in quanta of RR_REPLAY_QUANTUM instructions;
 * a hart whose next ACQUIRE waits for another hart yields the rest of its
 * turn. A hart can have to wait in the middle of an instruction (after a
 * RELEASE it answered while it waited in the recording), and must then go
 * on from exactly there, so each hart runs as a coroutine on a stack of its
 * own (ucontext): one host thread, no locks, the order a function of the
 * log alone. Harts still waiting when the replay stops are abandoned with
 * their stacks; they hold no locks at a yield.
 */
#include "replay/rr_internal.h"

#include "core/hart.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>

#define SERIAL_STACK (1u << 20)
#define SERIAL_STACK_PAD (64u << 10)

/* ThreadSanitizer must be told about stack switches (fibers). */
#ifdef __SANITIZE_THREAD__
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#define FIBER_SELF() __tsan_get_current_fiber()
#define FIBER_NEW() __tsan_create_fiber(0)
#define FIBER_FREE(f) __tsan_destroy_fiber(f)
#define FIBER_ENTER(f) __tsan_switch_to_fiber((f), 0)
#else
#define FIBER_SELF() NULL
#define FIBER_NEW() NULL
#define FIBER_FREE(f) ((void)(f))
#define FIBER_ENTER(f) ((void)(f))
#endif

struct rr_serial {
	ucontext_t sched;
	void *sched_fiber;
	ucontext_t ctx[MAX_HARTS];
	void *fiber[MAX_HARTS];
	void *stack[MAX_HARTS];
};

void rr_serial_yield(struct rr_hart *rh)
{
	struct rr_serial *s = rh->rr->serial_ctx;
	FIBER_ENTER(s->sched_fiber);
	swapcontext(&s->ctx[rh->id], &s->sched);
}

/* makecontext passes ints only: the rr_hart pointer comes in two halves. */
static void hart_body(unsigned lo, unsigned hi)
{
	struct rr_hart *rh = (struct rr_hart *)(((uintptr_t)hi << 32) | lo);
	/* The quantum is read at every step: the debugger's engine sets it
	 * before each resume (0 = one stop at the current icount). */
	while (rr_replay_step(rh, rh->quantum))
		rr_serial_yield(rh);
	atomic_store_explicit(&rh->finished, 1, memory_order_release);
	/* Never return (through uc_link): the function's exit would run on
	 * the scheduler's fiber, which TSan would see as a broken stack. The
	 * scheduler does not resume a finished hart. */
	for (;;)
		rr_serial_yield(rh);
}

static void serial_free(struct rr_serial *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (s->stack[i])
			munmap(s->stack[i], SERIAL_STACK);
		if (s->fiber[i])
			FIBER_FREE(s->fiber[i]);
	}
	free(s);
}

/* A coroutine for rh on `stack`. getcontext only returns once here: the
 * context is entered through makecontext's function, never resumed here. */
static int make_coroutine(ucontext_t *c, ucontext_t *link, void *stack,
			  struct rr_hart *rh)
{
	if (getcontext(c) != 0)
		return -1;
	c->uc_stack.ss_sp = stack;
	/* Zeroed memory above the coroutine's first frame: a frame-pointer
	 * unwinder (sanitizers' stack traces) reads a little past it and
	 * must find a null frame there, not the end of the mapping. */
	c->uc_stack.ss_size = SERIAL_STACK - SERIAL_STACK_PAD;
	c->uc_link = link;
	uintptr_t p = (uintptr_t)rh;
	makecontext(c, (void (*)(void))hart_body, 2, (unsigned)p, (unsigned)(p >> 32));
	return 0;
}

struct rr_serial *rr_serial_new(struct rr *rr)
{
	struct rr_serial *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->sched_fiber = FIBER_SELF();
	rr->serial_ctx = s;
	for (unsigned i = 0; i < rr->nharts; i++) {
		rr->harts[i]->quantum = RR_REPLAY_QUANTUM;
		void *st = mmap(NULL, SERIAL_STACK, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (st == MAP_FAILED) {
			serial_free(s, i);
			return NULL;
		}
		s->stack[i] = st;
		s->fiber[i] = FIBER_NEW();
		if (make_coroutine(&s->ctx[i], &s->sched, st, rr->harts[i]) < 0) {
			serial_free(s, i + 1);
			return NULL;
		}
	}
	return s;
}

void rr_serial_resume(struct rr_serial *s, unsigned i)
{
	FIBER_ENTER(s->fiber[i]);
	swapcontext(&s->sched, &s->ctx[i]);
}

static void resume(struct rr_serial *s, unsigned i)
{
	rr_serial_resume(s, i);
}

void rr_serial_free(struct rr_serial *s, struct rr *rr)
{
	if (rr->serial_ctx == s)
		rr->serial_ctx = NULL;
	serial_free(s, rr->nharts);
}

int rr_serial_reset(struct rr_serial *s, struct rr *rr)
{
	/* Every hart is between two steps: abandon their stacks' contents
	 * and start each coroutine afresh (TSan: a fresh fiber too). */
	for (unsigned i = 0; i < rr->nharts; i++) {
		if (s->fiber[i])
			FIBER_FREE(s->fiber[i]);
		s->fiber[i] = FIBER_NEW();
		if (make_coroutine(&s->ctx[i], &s->sched, s->stack[i], rr->harts[i]) < 0)
			return -1;
	}
	return 0;
}

static bool finished(const struct rr_hart *rh)
{
	return atomic_load_explicit(&rh->finished, memory_order_relaxed);
}

/* The events some waiting hart needs hart i to have applied, or 0. */
static uint64_t needed_from(const struct rr *rr, unsigned i)
{
	uint64_t need = 0;
	for (unsigned j = 0; j < rr->nharts; j++) {
		const struct rr_hart *w = rr->harts[j];
		if (!finished(w) && w->waiting && w->waiting_on.hart == i &&
		    w->waiting_on.seq + 1 > need)
			need = w->waiting_on.seq + 1;
	}
	return need;
}

/*
 * A snapshot was requested: bring every hart to a boundary (parked), none
 * of them inside an instruction waiting for another. A parked hart that a
 * waiting one depends on runs just far enough to apply that event. Then
 * the snapshot is taken with every hart between two rr_replay_step calls,
 * which is where a replay restored from it starts them.
 */
static void pause_all(struct rr *rr, struct rr_serial *s)
{
	struct machine *m = rr->m;
	for (;;) {
		if (rr_stopping(rr))
			return;
		bool all_parked = true;
		for (unsigned i = 0; i < rr->nharts && !rr_stopping(rr); i++) {
			struct rr_hart *rh = rr->harts[i];
			if (finished(rh))
				continue;
			if (rh->parked) {
				uint64_t need = needed_from(rr, i);
				if (need <= rh->seq)
					continue;
				rh->run_to_seq = need;
				rh->parked = false;
			}
			all_parked = false;
			/* A hart inside an instruction finishes it and stops at
			 * the next boundary, instead of running on with the
			 * rest of its quantum (which would drag the cut far
			 * past the trigger in a contended loop). */
			if (rh->waiting && !rh->run_to_seq) {
				rh->stop_soon = true;
				atomic_store_explicit(&rh->h->exit_request, 1,
						      memory_order_relaxed);
			}
			resume(s, i);
		}
		if (all_parked)
			break;
	}
	bool go_on = m->pause.take(m->pause.ctx, m);
	for (unsigned i = 0; i < rr->nharts; i++) {
		rr->harts[i]->parked = false;
		rr->harts[i]->run_to_seq = 0;
	}
	atomic_store_explicit(&m->pause.requested, 0, memory_order_release);
	if (!go_on) {
		pthread_mutex_lock(&m->done_lock);
		m->exit_reason = EXIT_SNAPSHOT;
		pthread_mutex_unlock(&m->done_lock);
		atomic_store_explicit(&m->stop, 1, memory_order_release);
	}
}

void rr_replay_serial_run(struct machine *m)
{
	struct rr *rr = m->rr;
	struct rr_serial *s = rr_serial_new(rr);
	if (!s) {
		rr_replay_report(rr->harts[0], "no memory for the serialized "
				 "replay's hart stacks");
		return;
	}
	rr->serial_ctx = s;
	bool running = true;
	while (running && !rr_stopping(rr)) {
		running = false;
		for (unsigned i = 0; i < rr->nharts && !rr_stopping(rr); i++) {
			if (atomic_load_explicit(&rr->harts[i]->finished, memory_order_relaxed))
				continue;
			running = true;
			resume(s, i);
			if (atomic_load_explicit(&m->pause.requested, memory_order_acquire))
				pause_all(rr, s);
		}
	}
	rr->serial_ctx = NULL;
	serial_free(s, rr->nharts);
}

bool rr_replay_serialized(const struct machine *m)
{
	return m->rr && m->rr->replay && m->rr->serial;
}
