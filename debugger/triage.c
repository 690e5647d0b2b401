/*
 * triage.c: building the `rrv triage` report from a replay of the trace.
 *
 * The replay goes to the end of the recording first (the console output
 * on the way is kept, every hart's state at the end is read), then back
 * to where the failure happened, when the verdict leaves that open:
 *
 * - a trap loop: the verdict names the hart and pc; the report stands at
 *   the last time that hart reached the pc (a reverse continue to a
 *   breakpoint there).
 * - a guest failure exit: the exiting hart is the one holding the I/O
 *   ownership for writing at the end (every finisher or HTIF store needs
 *   it, and the run stops right after one). When that hart's backtrace
 *   passes through its trap vector (mtvec), the exit came from a trap
 *   handler: a reverse continue to a breakpoint at the vector stops the
 *   hart just before the instruction that trapped, whose registers the
 *   backtrace then walks; mcause and mtval at the end say which trap.
 *   Otherwise the guilty frame is the first that is not an exit or report
 *   helper (triage_is_report_helper).
 * - a Linux crash: the crash text names the function; the failing hart
 *   is the one whose backtrace holds it (or panic), else the one running.
 *
 * For a memory fault, the bad pointer's origin: the faulting instruction's
 * base register (for a fetch fault, the register of the jump that got
 * there) is traced back over the last ORIGIN_WINDOW instructions of that
 * hart, stepping them forward one by one, through register moves and
 * additions of constants, to the load that brought it; the last write to
 * the memory that load read, before the load, names the hart and code
 * that stored the bad value. It stops (and says why) at a pointer older
 * than the window, one computed rather than loaded, or memory never
 * written since the trace began (the loaded image's own value).
 */
#include "debugger/triage.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/decode.h"
#include "core/hart.h"
#include "core/riscv.h"
#include "core/verdict.h"
#include "debugger/cli.h"
#include "debugger/disasm.h"
#include "debugger/symbols.h"
#include "devices/plic.h"
#include "logs/trace.h"
#include "replay/irq_observer.h"
#include "replay/rr_trace.h"

/* Instructions of the faulting hart searched for the pointer's origin. */
#define ORIGIN_WINDOW 512
/* Reverse continues tried to find the failing hart at a pc (other harts
 * may reach the same breakpoint in between). */
#define BACK_TRIES 16

struct ctx {
	struct rpl *e;
	const struct sym_table *syms;
	struct dinfo *dw;
	struct triage_report *r;
	int io_writer;              /* the hart holding I/O for writing, or -1 */
	int boot_hart;              /* OpenSBI's "Boot HART ID", or -1 */
};

static void note(struct triage_report *r, const char *what)
{
	size_t n = strlen(r->problem);
	if (n + 3 < sizeof(r->problem))
		snprintf(r->problem + n, sizeof(r->problem) - n, "%s%s", n ? "; " : "", what);
}

/* addr named as a frame of a walk names it (i > 0: a return address). */
static void place(const struct ctx *c, uint64_t addr, unsigned i, struct triage_place *out)
{
	struct bt_frame fr = { .pc = addr };
	struct bt_loc loc;
	bt_locate(c->syms, c->dw, &fr, i, &loc);
	memset(out, 0, sizeof(*out));
	out->addr = addr;
	if (loc.sym) {
		snprintf(out->sym, sizeof(out->sym), "%s", loc.sym);
		out->off = loc.off;
	}
	if (loc.file) {
		snprintf(out->file, sizeof(out->file), "%s", loc.file);
		out->line = loc.line;
	}
}

static struct hart *hart_of(const struct ctx *c, unsigned i)
{
	return rpl_machine(c->e)->harts[i];
}

/* ---- the end of the run ---- */

static void read_harts(struct ctx *c)
{
	struct triage_report *r = c->r;
	for (unsigned i = 0; i < r->nharts; i++) {
		const struct hart *h = hart_of(c, i);
		struct triage_hart *t = &r->harts[i];
		place(c, h->pc, 0, &t->pc);
		t->icount = h->icount;
		t->priv = h->priv;
		t->state = rpl_hart_state(c->e, i);
		t->wfi = h->in_wfi;
		t->mcause = h->mcause;
		t->mepc = h->mepc;
		t->mtval = h->mtval;
		t->scause = h->scause;
		t->sepc = h->sepc;
		t->stval = h->stval;
		t->mip = h->mip;
		t->mie = h->mie;
	}
	struct plic_state ps;
	plic_get_state(rpl_machine(c->e)->plic, &ps);
	memcpy(r->plic_pending, ps.pending, sizeof(r->plic_pending));
	memcpy(r->plic_claimed, ps.claimed, sizeof(r->plic_claimed));
}

/* What the interrupt observer saw on the way to the end. */
static void read_irqs(struct ctx *c, const struct irqo *o)
{
	struct triage_report *r = c->r;
	for (unsigned h = 0; h < r->nharts && h < irqo_nharts(o); h++)
		for (unsigned k = 0; k < 16 && k < IRQO_CAUSES; k++)
			r->harts[h].irqs[k] = irqo_hart(o, h)->irqs[k];
	for (unsigned src = 1; src < PLIC_NUM_SOURCES; src++) {
		if (!irqo_source_used(o, src))
			continue;
		const struct irqo_src *s = irqo_source(o, src);
		/* Linux sets every source's priority: that alone is no use. */
		if (!s->device_rises && !s->injected && !s->claims_total && !s->completes)
			continue;
		r->irq_sources[r->nirq_sources++] = (struct triage_irq_source){
			.src = src, .raised = s->device_rises, .injected = s->injected,
			.claims = s->claims_total, .completes = s->completes, .unhandled = s->unhandled,
		};
	}
}

/* Each hart's events: the last few, and who holds
 * the I/O ownership for writing when the stream ends. */
static void read_events(struct ctx *c)
{
	struct triage_report *r = c->r;
	struct trace_event *ev = malloc(sizeof(*ev));
	if (!ev)
		return;
	for (unsigned i = 0; i < r->nharts; i++) {
		struct triage_hart *t = &r->harts[i];
		struct trace_iter *it = trace_iter_new(rpl_trace(c->e), i);
		if (!it)
			break;
		bool io_write = false;
		uint64_t seq;
		char err[256];
		int rc;
		while ((rc = trace_iter_next(it, ev, &seq, err, sizeof(err))) == 1) {
			if (ev->page == TRACE_PAGE_IO && ev->kind == TRACE_EV_ACQUIRE)
				io_write = ev->mode == 2;
			else if (ev->page == TRACE_PAGE_IO && ev->kind == TRACE_EV_RELEASE)
				io_write = false;
			struct triage_event *le = &t->last[t->nevents % TRIAGE_LAST_EVENTS];
			le->seq = seq;
			le->icount = ev->icount;
			size_t n = (size_t)snprintf(le->text, sizeof(le->text), "%s%s",
						    trace_kind_name(ev->kind), ev->insn ? " [insn]" : "");
			if (n < sizeof(le->text))
				cli_event_text(ev, le->text + n, sizeof(le->text) - n);
			t->nevents++;
		}
		if (rc < 0) {
			char m[400];
			snprintf(m, sizeof(m), "hart %u's events: %s", i, err);
			note(r, m);
		}
		trace_iter_free(it);
		/* Oldest first. */
		unsigned n = t->nevents < TRIAGE_LAST_EVENTS ? (unsigned)t->nevents : TRIAGE_LAST_EVENTS;
		struct triage_event tmp[TRIAGE_LAST_EVENTS];
		for (unsigned k = 0; k < n; k++)
			tmp[k] = t->last[(t->nevents - n + k) % TRIAGE_LAST_EVENTS];
		memcpy(t->last, tmp, n * sizeof(tmp[0]));
		t->nlast = n;
		if (io_write)
			c->io_writer = (int)i;
	}
	free(ev);
}

/* The last TRIAGE_CONSOLE_LINES lines of the console output in fd. */
static void read_console(struct ctx *c, int fd)
{
	struct triage_report *r = c->r;
	struct stat sb;
	if (fstat(fd, &sb) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return;
	size_t len = (size_t)sb.st_size;
	char *buf = malloc(len + 1);
	if (!buf)
		return;
	size_t got = 0;
	ssize_t k;
	while (got < len && (k = read(fd, buf + got, len - got)) > 0)
		got += (size_t)k;
	buf[got] = 0;
	const char *boot = strstr(buf, "Boot HART ID");
	if (boot && (boot = strchr(boot, ':')))
		c->boot_hart = atoi(boot + 1);
	size_t start = got, lines = 0;
	/* A last line without its newline counts as a line. */
	if (start && buf[start - 1] == '\n')
		start--;
	while (start > 0) {
		if (buf[start - 1] == '\n' && ++lines == TRIAGE_CONSOLE_LINES)
			break;
		start--;
	}
	memmove(buf, buf + start, got - start + 1);
	r->console = buf;
}

/* ---- where the failure is ---- */

/* Go back to the last time hart stood at pc (for a trap vector: just
 * before the instruction that trapped to it). */
static bool back_to_pc(struct ctx *c, unsigned hart, uint64_t pc)
{
	int id = rpl_break_add(c->e, pc, false);
	if (id <= 0)
		return false;
	struct rpl_stop st;
	bool ok = false;
	for (int tries = 0; tries < BACK_TRIES; tries++) {
		rpl_reverse_continue(c->e, &st);
		if (st.why != RPL_STOP_BREAK)
			break;
		if (st.hart == hart) {
			ok = true;
			break;
		}
	}
	rpl_stop_delete(c->e, id);
	return ok;
}

static void walk(struct ctx *c, unsigned hart)
{
	struct bt_frame fr[TRIAGE_MAX_FRAMES];
	unsigned n = bt_walk(c->e, hart, c->dw, c->syms, fr, TRIAGE_MAX_FRAMES);
	for (unsigned i = 0; i < n; i++) {
		place(c, fr[i].pc, i, &c->r->frames[i].at);
		c->r->frames[i].how = fr[i].how;
	}
	c->r->nframes = n;
}

/* The failing hart as it is now. */
static void fail_here(struct ctx *c, unsigned hart, bool at_fault)
{
	struct triage_failure *f = &c->r->fail;
	const struct hart *h = hart_of(c, hart);
	f->known = true;
	f->hart = hart;
	place(c, h->pc, 0, &f->pc);
	f->priv = h->priv;
	f->at_fault = at_fault;
	rpl_position(c->e, &f->pos);
	walk(c, hart);
}

/* The first frame's function that is not a report helper, or NULL. */
static const char *guilty_frame(const struct triage_report *r)
{
	for (unsigned i = 0; i < r->nframes; i++)
		if (r->frames[i].at.sym[0] && !triage_is_report_helper(r->frames[i].at.sym))
			return r->frames[i].at.sym;
	return NULL;
}

static const char *interrupt_name(uint64_t cause)
{
	static const char *const n[16] = {
		NULL, "supervisor software interrupt", NULL, "machine software interrupt",
		NULL, "supervisor timer interrupt", NULL, "machine timer interrupt",
		NULL, "supervisor external interrupt", NULL, "machine external interrupt",
	};
	return cause < 16 && n[cause] ? n[cause] : "interrupt";
}

static bool is_fetch_fault(uint64_t cause)
{
	return cause == EXC_INSN_MISALIGNED || cause == EXC_INSN_ACCESS || cause == EXC_INSN_PAGE;
}

static bool is_data_fault(uint64_t cause)
{
	return cause == EXC_LOAD_ACCESS || cause == EXC_STORE_ACCESS ||
	       cause == EXC_LOAD_PAGE || cause == EXC_STORE_PAGE ||
	       cause == EXC_LOAD_MISALIGNED || cause == EXC_STORE_MISALIGNED;
}

/* "load access fault in read_sensor", "instruction access fault at 0x0
 * called from dispatch_event", "illegal instruction in main". */
static void trap_title(struct triage_report *r)
{
	const struct triage_failure *f = &r->fail;
	bool irq = f->cause >> 63;
	uint64_t code = f->cause & ~(1ull << 63);
	char what[128];
	if (irq)
		snprintf(what, sizeof(what), "unexpected %s", interrupt_name(code));
	else
		snprintf(what, sizeof(what), "%s", verdict_exception_name(code));
	size_t n = strlen(what);
	if (!irq && is_fetch_fault(code))
		snprintf(what + n, sizeof(what) - n, " at 0x%" PRIx64, f->tval);
	if (f->pc.sym[0])
		snprintf(r->title, sizeof(r->title), "%s in %.100s", what, f->pc.sym);
	else if (r->nframes > 1 && r->frames[1].at.sym[0])
		snprintf(r->title, sizeof(r->title), "%s called from %.100s", what, r->frames[1].at.sym);
	else
		snprintf(r->title, sizeof(r->title), "%s at 0x%" PRIx64, what, f->pc.addr);
}

static bool frames_hold(const struct triage_report *r, const char *name)
{
	for (unsigned i = 0; i < r->nframes; i++)
		if (!strcmp(r->frames[i].at.sym, name))
			return true;
	return false;
}

static void origin(struct ctx *c);

static void guest_fail(struct ctx *c)
{
	struct triage_report *r = c->r;
	const struct verdict *v = r->verdict;
	unsigned hart = c->io_writer >= 0 ? (unsigned)c->io_writer : 0;
	fail_here(c, hart, false);
	/* The function the hart's trap vector is in: an exit from inside it
	 * reports a trap. */
	const struct triage_hart *t = &r->harts[hart];
	uint64_t vec = hart_of(c, hart)->mtvec & ~3ull;
	const char *vname;
	uint64_t voff;
	bool from_trap = !(t->mcause >> 63) && vec &&
			 sym_lookup_addr(c->syms, vec, &vname, &voff) && frames_hold(r, vname);
	if (from_trap && back_to_pc(c, hart, vec)) {
		fail_here(c, hart, true);
		r->fail.trap = true;
		r->fail.cause = t->mcause;
		r->fail.tval = t->mtval;
		if (hart_of(c, hart)->pc != t->mepc)
			note(r, "the trap found does not match mepc at the end");
		trap_title(r);
		origin(c);
		return;
	}
	if (from_trap)
		note(r, "the trap that led to the exit was not found again");
	const char *f = guilty_frame(r);
	if (f)
		snprintf(r->title, sizeof(r->title), "guest exit %d in %s", v->code, f);
	else
		snprintf(r->title, sizeof(r->title), "guest exit %d", v->code);
}

static void trap_loop(struct ctx *c)
{
	struct triage_report *r = c->r;
	const struct verdict *v = r->verdict;
	if (v->hart >= r->nharts) {
		snprintf(r->title, sizeof(r->title), "trap loop");
		return;
	}
	if (hart_of(c, v->hart)->pc != v->pc && !back_to_pc(c, v->hart, v->pc))
		note(r, "the trap loop's pc was not found again");
	fail_here(c, v->hart, hart_of(c, v->hart)->pc == v->pc);
	r->fail.trap = true;
	r->fail.cause = v->cause;
	r->fail.tval = v->tval;
	if (r->fail.pc.sym[0])
		snprintf(r->title, sizeof(r->title), "trap loop in %s", r->fail.pc.sym);
	else
		snprintf(r->title, sizeof(r->title), "trap loop at 0x%" PRIx64, v->pc);
}

/* The hart Linux calls CPU n: CPU 0 is the boot hart, the others follow
 * in hart order (the device tree's), as riscv's smpboot numbers them.
 * -1 when n is not a hart. */
static int linux_cpu_hart(const struct ctx *c, int n)
{
	int boot = c->boot_hart >= 0 && (unsigned)c->boot_hart < c->r->nharts ? c->boot_hart : 0;
	if (n == 0)
		return boot;
	for (int h = 0, k = 0; (unsigned)h < c->r->nharts; h++)
		if (h != boot && ++k == n)
			return h;
	return -1;
}

static void kernel_crash(struct ctx *c)
{
	struct triage_report *r = c->r;
	const struct verdict *v = r->verdict;
	char func[128];
	triage_crash_title(v->crash, v->text, c->syms, r->title, sizeof(r->title), func, sizeof(func));
	/* The hart whose stack holds the guilty function, else panic (an
	 * interrupt frame in between stops the walk), else the report's
	 * "CPU: N", else one not asleep (the kernel parks the others). */
	int best = -1, score = 0;
	for (unsigned i = 0; i < r->nharts; i++) {
		fail_here(c, i, false);
		int s = func[0] && frames_hold(r, func) ? 3 : frames_hold(r, "panic") ? 2 :
			!r->harts[i].wfi ? 1 : 0;
		if (s > score) {
			score = s;
			best = (int)i;
		}
	}
	const char *cpu = strstr(v->text, "CPU: ");
	int h = cpu ? linux_cpu_hart(c, atoi(cpu + 5)) : -1;
	if (score < 2 && h >= 0)
		best = h;
	unsigned hart = best >= 0 ? (unsigned)best : 0;
	fail_here(c, hart, false);
	/* At the end the panicking hart may be inside an interrupt, whose
	 * frames the walk does not cross: the call into panic() has the
	 * whole chain. */
	uint64_t entry;
	if (score < 3 && !strcmp(v->crash, "panic") && sym_lookup_name(c->syms, "panic", &entry) &&
	    back_to_pc(c, hart, entry))
		fail_here(c, hart, true);
}

static void hang(struct ctx *c)
{
	struct triage_report *r = c->r;
	int running = -1;
	bool pending = false;
	for (unsigned i = 0; i < r->nharts; i++) {
		if (!r->harts[i].wfi && running < 0)
			running = (int)i;
		pending |= (r->harts[i].mip & r->harts[i].mie) != 0;
	}
	if (running >= 0) {
		fail_here(c, (unsigned)running, false);
		const char *f = guilty_frame(r);
		snprintf(r->title, sizeof(r->title), "hang: %s%s%s",
			 !strcmp(r->verdict->what, "output") ? "no console output" : "no progress",
			 f ? " in " : "", f ? f : "");
		return;
	}
	snprintf(r->title, sizeof(r->title), "hang: all harts idle, %s",
		 pending ? "an interrupt pending but masked" : "no interrupt pending");
}

static void find_failure(struct ctx *c)
{
	struct triage_report *r = c->r;
	const struct verdict *v = r->verdict;
	switch (v->kind) {
	case VERDICT_GUEST_FAIL: guest_fail(c); break;
	case VERDICT_TRAP_LOOP: trap_loop(c); break;
	case VERDICT_CRASH: kernel_crash(c); break;
	case VERDICT_HANG: hang(c); break;
	case VERDICT_RRV_CRASH:
		snprintf(r->title, sizeof(r->title), "emulator crash (SIG%s)",
			 verdict_signal_name(v->signal));
		break;
	case VERDICT_INTERRUPTED:
		snprintf(r->title, sizeof(r->title), "interrupted by SIG%s",
			 verdict_signal_name(v->signal));
		break;
	case VERDICT_EXIT: snprintf(r->title, sizeof(r->title), "clean exit"); break;
	case VERDICT_TIMEOUT: snprintf(r->title, sizeof(r->title), "timeout"); break;
	case VERDICT_INSN_LIMIT:
		snprintf(r->title, sizeof(r->title), "instruction limit reached");
		break;
	case VERDICT_UNKNOWN:
		snprintf(r->title, sizeof(r->title), "no verdict (%s)",
			 trace_complete(rpl_trace(c->e)) ? "the trace records none"
							 : "the trace is cut short");
		break;
	default:
		snprintf(r->title, sizeof(r->title), "%s", verdict_name(v->kind));
		break;
	}
}

/* ---- the bad pointer's origin ---- */

struct step {
	uint64_t pc;
	struct op op;
	uint64_t rs1;               /* x[rs1] before the instruction */
	struct rpl_pos before;
};

static bool read_op(struct ctx *c, unsigned hart, uint64_t pc, struct op *op)
{
	uint16_t lo, hi = 0;
	if (!rpl_read(c->e, hart, pc, &lo, 2, false))
		return false;
	if ((lo & 3) == 3 && !rpl_read(c->e, hart, pc + 2, &hi, 2, false))
		return false;
	decode_insn(lo | (uint32_t)hi << 16, pc, op);
	return true;
}

/* Bytes a load reads (0: not a load). */
static unsigned load_size(unsigned id)
{
	switch (id) {
	case INSN_LB: case INSN_LBU: return 1;
	case INSN_LH: case INSN_LHU: return 2;
	case INSN_LW: case INSN_LWU: case INSN_FLW: return 4;
	case INSN_LD: case INSN_FLD: return 8;
	default: return 0;
	}
}

/* Whether op reads or writes memory through x[rs1]. */
static bool accesses_memory(const struct op *op)
{
	enum insn_fmt f = decode_fmt(op->id);
	return load_size(op->id) || f == FMT_S || f == FMT_A;
}

/* The instructions of hart from ORIGIN_WINDOW back up to now, replayed
 * forward one at a time. Returns how many (0 on failure). */
static unsigned replay_window(struct ctx *c, unsigned hart, struct step *s)
{
	struct rpl_pos now;
	rpl_position(c->e, &now);
	uint64_t target = now.icount[hart];
	struct rpl_stop st;
	rpl_reverse_stepi(c->e, hart, ORIGIN_WINDOW, &st);
	unsigned n = 0;
	while (n < ORIGIN_WINDOW) {
		struct rpl_pos p;
		rpl_position(c->e, &p);
		if (p.icount[hart] >= target)
			break;
		const struct hart *h = hart_of(c, hart);
		s[n].pc = h->pc;
		s[n].before = p;
		if (!read_op(c, hart, h->pc, &s[n].op))
			return 0;
		s[n].rs1 = h->x[s[n].op.rs1 < 32 ? s[n].op.rs1 : 0];
		n++;
		rpl_stepi(c->e, hart, 1, &st);
		if (st.why != RPL_STOP_DONE)
			return 0;
	}
	return n;
}

static void origin(struct ctx *c)
{
	struct triage_report *r = c->r;
	struct triage_origin *o = &r->origin;
	uint64_t code = r->fail.cause;
	if ((code >> 63) || !(is_fetch_fault(code) || is_data_fault(code)))
		return;
	o->tried = true;
	unsigned hart = r->fail.hart;
	uint64_t fault_pc = hart_of(c, hart)->pc;
	struct step *s = calloc(ORIGIN_WINDOW, sizeof(*s));
	if (!s) {
		snprintf(o->note, sizeof(o->note), "out of memory");
		return;
	}
	unsigned n = replay_window(c, hart, s);
	if (!n || hart_of(c, hart)->pc != fault_pc) {
		snprintf(o->note, sizeof(o->note), "the instructions before the fault could not be replayed");
		goto out;
	}
	/* The pointer register: the faulting access's base, or the jump's
	 * target register for a fetch. */
	unsigned reg, k = n;
	struct op fop;
	if (is_fetch_fault(code)) {
		k = n - 1;
		if (s[k].op.id != INSN_JALR) {
			snprintf(o->note, sizeof(o->note), "the jump to %#" PRIx64 " has a constant target",
				 fault_pc);
			goto out;
		}
		reg = s[k].op.rs1;
		o->pointer = s[k].rs1;
	} else {
		if (!read_op(c, hart, fault_pc, &fop) || !accesses_memory(&fop)) {
			snprintf(o->note, sizeof(o->note), "the faulting instruction is not a memory access");
			goto out;
		}
		reg = fop.rs1;
		o->pointer = hart_of(c, hart)->x[reg];
	}
	snprintf(o->reg, sizeof(o->reg), "%s", dis_xreg_name(reg));
	/* Back through moves and constant additions to the load. */
	while (k-- > 0) {
		const struct op *op = &s[k].op;
		if (op->rd != reg || reg == 0)
			continue;
		if (op->id == INSN_ADDI) {
			reg = op->rs1;
			continue;
		}
		if (op->id == INSN_ADD && (op->rs1 == 0 || op->rs2 == 0)) {
			reg = op->rs1 ? op->rs1 : op->rs2;
			continue;
		}
		break;
	}
	if (k == (unsigned)-1 || reg == 0) {
		snprintf(o->note, sizeof(o->note), reg ? "the pointer is older than the last %d instructions"
			 : "the pointer is a constant", ORIGIN_WINDOW);
		goto out;
	}
	if (!load_size(s[k].op.id) || s[k].op.id == INSN_FLW || s[k].op.id == INSN_FLD) {
		place(c, s[k].pc, 0, &o->load);
		snprintf(o->note, sizeof(o->note), "the pointer was computed, not loaded, at %#" PRIx64,
			 s[k].pc);
		goto out;
	}
	o->loaded = true;
	o->size = load_size(s[k].op.id);
	place(c, s[k].pc, 0, &o->load);
	place(c, s[k].rs1 + (uint64_t)s[k].op.imm, 0, &o->from);
	struct rpl_stop st;
	if (rpl_goto(c->e, &s[k].before, &st) < 0) {
		snprintf(o->note, sizeof(o->note), "the load could not be revisited");
		goto out;
	}
	rpl_last_write(c->e, o->from.addr, o->size, false, &st);
	if (st.why == RPL_STOP_WATCH) {
		o->written = true;
		o->hart = st.hart;
		place(c, st.pc, 0, &o->by);
		struct rpl_pos p;
		rpl_position(c->e, &p);
		o->t = rpl_pos_time(&p);
		o->old_val = st.old_val;
		o->new_val = st.new_val;
	} else if (st.why == RPL_STOP_START) {
		snprintf(o->note, sizeof(o->note), "never written since the trace began (the loaded "
			 "image's value)");
	} else {
		snprintf(o->note, sizeof(o->note), "the last write was not found: %.200s", st.detail);
	}
out:
	free(s);
}

/* ---- the report ---- */

/* path quoted for a POSIX shell when it needs it. */
static void shell_quote(const char *path, char *buf, size_t len)
{
	if (path[strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			"_-./+,:@%")] == 0) {
		snprintf(buf, len, "%s", path);
		return;
	}
	size_t o = 0;
	if (len < 3)
		return;
	buf[o++] = '\'';
	for (const char *p = path; *p && o + 6 < len; p++) {
		if (*p == '\'') {
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o++] = '\'';
	buf[o] = 0;
}

static void reproduce(struct triage_report *r)
{
	char q[1100];
	shell_quote(r->trace, q, sizeof(q));
	snprintf(r->reproduce[0], sizeof(r->reproduce[0]), "rrv replay %s", q);
	snprintf(r->reproduce[1], sizeof(r->reproduce[1]), "rrv debug %s -ex 'goto end'", q);
	r->nreproduce = 2;
	if (!r->fail.known || !r->fail.at_fault)
		return;
	char pos[MAX_HARTS * 21 + 1];
	size_t o = 0;
	for (unsigned i = 0; i < r->fail.pos.nharts && o + 24 < sizeof(pos); i++)
		o += (size_t)snprintf(pos + o, sizeof(pos) - o, "%s%" PRIu64, i ? "," : "",
				      r->fail.pos.icount[i]);
	snprintf(r->reproduce[2], sizeof(r->reproduce[2]),
		 "rrv debug %s -ex 'goto %s' -ex 'hart %u' -ex bt", q, pos, r->fail.hart);
	r->nreproduce = 3;
}

struct triage_report *triage_build(struct rpl *e, const struct sym_table *syms,
				   struct dinfo *dwarf, const char *path, const char *problem)
{
	struct triage_report *r = calloc(1, sizeof(*r));
	if (!r || !(r->verdict = calloc(1, sizeof(*r->verdict)))) {
		free(r);
		return NULL;
	}
	struct ctx c = { .e = e, .syms = syms, .dw = dwarf, .r = r, .io_writer = -1,
			.boot_hart = -1 };
	snprintf(r->trace, sizeof(r->trace), "%s", path);
	if (problem)
		note(r, problem);
	struct trace_reader *tr = rpl_trace(e);
	if (!trace_complete(tr))
		note(r, trace_cut_message(tr));
	rr_trace_verdict(tr, r->verdict);
	verdict_describe(r->verdict, r->verdict_text, sizeof(r->verdict_text));
	r->exit_status = verdict_exit_status(r->verdict);
	r->nharts = rpl_nharts(e);

	/* The console output of the way to the end is the console tail;
	 * going back later must not add to it. */
	int fd = memfd_create("rrv-triage-console", MFD_CLOEXEC);
	struct irqo *obs = irqo_new(rpl_machine(e));
	rpl_capture_console(e, fd);
	struct rpl_pos end;
	struct rpl_stop st;
	rpl_end_position(e, &end);
	rpl_goto(e, &end, &st);
	rpl_capture_console(e, -1);
	if (fd >= 0) {
		read_console(&c, fd);
		close(fd);
	}
	if (obs)
		irqo_finish(obs, tr);
	else
		note(r, "out of memory for the interrupt counts");
	if (st.why == RPL_STOP_DIVERGED) {
		char m[600];
		snprintf(m, sizeof(m), "the replay stopped before the end: %s", st.detail);
		note(r, m);
	}
	read_harts(&c);
	if (obs)
		read_irqs(&c, obs);
	/* Going back replays interrupts again: the counts are taken. */
	irqo_free(obs);
	read_events(&c);
	find_failure(&c);
	triage_signature(r->title, r->signature, sizeof(r->signature));
	reproduce(r);
	return r;
}

struct triage_report *triage_unreadable(const char *path, const char *err)
{
	struct triage_report *r = calloc(1, sizeof(*r));
	if (!r || !(r->verdict = calloc(1, sizeof(*r->verdict)))) {
		free(r);
		return NULL;
	}
	snprintf(r->trace, sizeof(r->trace), "%s", path);
	snprintf(r->problem, sizeof(r->problem), "%s", err);
	verdict_describe(r->verdict, r->verdict_text, sizeof(r->verdict_text));
	snprintf(r->title, sizeof(r->title), "unreadable trace");
	triage_signature(r->title, r->signature, sizeof(r->signature));
	return r;
}

void triage_free(struct triage_report *r)
{
	if (!r)
		return;
	free(r->console);
	free(r->verdict);
	free(r);
}
