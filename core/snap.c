/* snap.c: serializing and restoring the whole machine (DESIGN.md §7). */
#include "core/snap.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/hart.h"
#include "core/machine.h"
#include "core/mmu.h"
#include "core/tb.h"
#include "devices/clint.h"
#include "devices/plic.h"
#include "devices/rrv_ctl.h"
#include "devices/uart.h"

/* Bumped whenever a section's layout changes: an older rrv refuses it.
 * 2: a TRIGGER section per hart. Layout 1 still loads: its rrv had no
 * trigger CSRs, so its harts' triggers were all disabled. */
#define SNAP_LAYOUT 2
#define SNAP_LAYOUT_OLDEST 1

/* ---- buffers ---- */

void snap_buf_free(struct snap_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static bool reserve(struct snap_buf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->len + more <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 1 << 16;
	while (cap < b->len + more)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void snap_put(struct snap_buf *b, const void *data, size_t len)
{
	/* Empty sections pass NULL: memcpy must not see it. */
	if (!len || !reserve(b, len))
		return;
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

void snap_put8(struct snap_buf *b, uint8_t v) { snap_put(b, &v, 1); }

void snap_put32(struct snap_buf *b, uint32_t v)
{
	uint8_t x[4];
	for (int i = 0; i < 4; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	snap_put(b, x, 4);
}

void snap_put64(struct snap_buf *b, uint64_t v)
{
	uint8_t x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	snap_put(b, x, 8);
}

size_t snap_begin(struct snap_buf *b, uint32_t tag)
{
	snap_put32(b, tag);
	snap_put32(b, 0);
	size_t mark = b->len;
	snap_put64(b, 0);
	return mark;
}

void snap_end(struct snap_buf *b, size_t mark)
{
	if (b->oom)
		return;
	uint64_t len = b->len - mark - 8;
	for (int i = 0; i < 8; i++)
		b->p[mark + (size_t)i] = (uint8_t)(len >> (8 * i));
}

const uint8_t *snap_take(struct snap_rd *r, size_t len)
{
	if (r->bad || r->len - r->pos < len) {
		r->bad = true;
		return NULL;
	}
	const uint8_t *p = r->p + r->pos;
	r->pos += len;
	return p;
}

void snap_get(struct snap_rd *r, void *out, size_t len)
{
	const uint8_t *p = snap_take(r, len);
	if (p)
		memcpy(out, p, len);
	else
		memset(out, 0, len);
}

uint8_t snap_get8(struct snap_rd *r)
{
	const uint8_t *p = snap_take(r, 1);
	return p ? p[0] : 0;
}

uint32_t snap_get32(struct snap_rd *r)
{
	const uint8_t *p = snap_take(r, 4);
	uint32_t v = 0;
	for (int i = 0; p && i < 4; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

uint64_t snap_get64(struct snap_rd *r)
{
	const uint8_t *p = snap_take(r, 8);
	uint64_t v = 0;
	for (int i = 0; p && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

bool snap_section(const uint8_t *blob, size_t len, uint32_t tag, unsigned nth,
		  struct snap_rd *out, bool *broken)
{
	struct snap_rd r = { .p = blob, .len = len };
	*broken = false;
	while (r.pos < r.len) {
		uint32_t t = snap_get32(&r);
		snap_get32(&r);
		uint64_t n = snap_get64(&r);
		if (r.bad || n > r.len - r.pos) {
			*broken = true;
			return false;
		}
		if (t == tag && nth-- == 0) {
			*out = (struct snap_rd){ .p = r.p + r.pos, .len = (size_t)n };
			return true;
		}
		r.pos += (size_t)n;
	}
	return false;
}

/* ---- harts ---- */

/*
 * Every 64-bit field of the architectural state, in file order. The
 * async_mip word is not here: it is the devices' output, re-derived when
 * their state is restored (and muted in replay).
 */
#define HART_U64_FIELDS(X) \
	X(pc) X(icount) X(mstatus) X(medeleg) X(mideleg) X(mie) X(mip) \
	X(mtvec) X(mscratch) X(mepc) X(mcause) X(mtval) X(stvec) X(sscratch) \
	X(sepc) X(scause) X(stval) X(satp) X(mcounteren) X(scounteren) \
	X(menvcfg) X(senvcfg) X(mcountinhibit) X(mcycle_off) X(minstret_off) \
	X(mip_sw_seip) X(mip_ext) X(resv_addr) X(resv_val)

static void save_hart(struct snap_buf *b, const struct hart *h)
{
	size_t mark = snap_begin(b, SNAP_HART);
	snap_put32(b, h->id);
	for (unsigned i = 1; i < 32; i++)
		snap_put64(b, h->x[i]);
	for (unsigned i = 0; i < 32; i++)
		snap_put64(b, h->f[i]);
#define PUT(f) snap_put64(b, h->f);
	HART_U64_FIELDS(PUT)
#undef PUT
	snap_put8(b, (uint8_t)h->priv);
	snap_put32(b, h->fflags);
	snap_put32(b, h->frm);
	snap_put8(b, h->resv_valid);
	snap_put8(b, h->in_wfi);
	for (unsigned i = 0; i < 16; i++)
		snap_put64(b, h->pmpcfg[i]);
	for (unsigned i = 0; i < 64; i++)
		snap_put64(b, h->pmpaddr[i]);
	snap_end(b, mark);
}

/* Read into a scratch hart first, so a bad section changes nothing. */
static bool load_hart(struct snap_rd *r, struct hart *h)
{
	h->id = snap_get32(r);
	h->x[0] = 0;
	for (unsigned i = 1; i < 32; i++)
		h->x[i] = snap_get64(r);
	for (unsigned i = 0; i < 32; i++)
		h->f[i] = snap_get64(r);
#define GET(f) h->f = snap_get64(r);
	HART_U64_FIELDS(GET)
#undef GET
	h->priv = snap_get8(r);
	h->fflags = snap_get32(r);
	h->frm = snap_get32(r);
	h->resv_valid = snap_get8(r);
	h->in_wfi = snap_get8(r);
	for (unsigned i = 0; i < 16; i++)
		h->pmpcfg[i] = snap_get64(r);
	for (unsigned i = 0; i < 64; i++)
		h->pmpaddr[i] = snap_get64(r);
	return !r->bad && r->pos == r->len && h->priv <= PRV_M && h->priv != 2;
}

static void apply_hart(struct hart *dst, const struct hart *src)
{
	memcpy(dst->x, src->x, sizeof(dst->x));
	memcpy(dst->f, src->f, sizeof(dst->f));
#define COPY(f) dst->f = src->f;
	HART_U64_FIELDS(COPY)
#undef COPY
	dst->priv = src->priv;
	dst->fflags = src->fflags;
	dst->frm = src->frm;
	dst->resv_valid = src->resv_valid;
	dst->in_wfi = src->in_wfi;
	memcpy(dst->pmpcfg, src->pmpcfg, sizeof(dst->pmpcfg));
	memcpy(dst->pmpaddr, src->pmpaddr, sizeof(dst->pmpaddr));
	dst->trig = src->trig;
	dst->insn_icount = dst->icount;
	mmu_flush_tlb(dst);
	hart_update_tlb_mode(dst);
	tb_flush_all(dst);
}

/* The trigger module: its size first, so a different one is refused. */
static void save_trig(struct snap_buf *b, const struct hart *h)
{
	size_t mark = snap_begin(b, SNAP_TRIGGER);
	snap_put32(b, h->id);
	snap_put32(b, TRIG_COUNT);
	snap_put32(b, h->trig.tselect);
	for (unsigned i = 0; i < TRIG_COUNT; i++) {
		snap_put64(b, h->trig.tdata1[i]);
		snap_put64(b, h->trig.tdata2[i]);
	}
	snap_end(b, mark);
}

static bool load_trig(struct snap_rd r, struct hart *h)
{
	struct trig_state *t = &h->trig;
	if (snap_get32(&r) != h->id || snap_get32(&r) != TRIG_COUNT)
		return false;
	t->tselect = snap_get32(&r);
	bool legal = t->tselect < TRIG_COUNT;
	for (unsigned i = 0; i < TRIG_COUNT; i++) {
		t->tdata1[i] = snap_get64(&r);
		t->tdata2[i] = snap_get64(&r);
		legal = legal && trigger_legal_tdata1(t->tdata1[i]) == t->tdata1[i];
	}
	trigger_refresh(t);
	return legal && !r.bad && r.pos == r.len;
}

/*
 * The soft TLB is saved too: a translation it caches may be stale (the
 * guest changed the PTE without SFENCE.VMA, which RISC-V allows), and a
 * replay must use the same translation the recording used, not walk again.
 * Entries are stored as (tag, physical page), the host address rebuilt.
 */
static void save_tlb(struct snap_buf *b, struct machine *m, const struct hart *h)
{
	size_t mark = snap_begin(b, SNAP_TLB);
	snap_put32(b, h->id);
	for (unsigned md = 0; md < TLB_NMODES; md++) {
		const struct tlb_entry *arrs[3] = { h->tlbs[md].r, h->tlbs[md].w, h->tlbs[md].x };
		for (unsigned a = 0; a < 3; a++)
			for (unsigned i = 0; i < TLB_SIZE; i++) {
				const struct tlb_entry *e = &arrs[a][i];
				snap_put64(b, e->tag);
				snap_put64(b, e->tag == TLB_INVALID ? 0 :
					   machine_host_phys(m, (const uint8_t *)tlb_entry_host(e)));
			}
	}
	snap_end(b, mark);
}

/* Rebuild hart h's TLB from its section; false when malformed. */
static bool load_tlb(struct snap_rd r, struct machine *m, struct hart *h, bool apply)
{
	if (snap_get32(&r) != h->id)
		return false;
	for (unsigned md = 0; md < TLB_NMODES; md++) {
		struct tlb_entry *arrs[3] = { h->tlbs[md].r, h->tlbs[md].w, h->tlbs[md].x };
		for (unsigned a = 0; a < 3; a++)
			for (unsigned i = 0; i < TLB_SIZE; i++) {
				uint64_t tag = snap_get64(&r), pa = snap_get64(&r);
				if (r.bad)
					return false;
				if (!apply)
					continue;
				bool wr;
				uint8_t *host = tag == TLB_INVALID ? NULL :
						machine_phys_ptr(m, pa & PAGE_MASK, PAGE_SIZE, &wr);
				struct tlb_entry *e = &arrs[a][i];
				if (host)
					mmu_tlb_note(h, pa, e);
				e->tag = host ? tag : TLB_INVALID;
				e->addend = host ? (uintptr_t)host - (uintptr_t)(tag & PAGE_MASK) : 0;
			}
	}
	return r.pos == r.len;
}

void snap_forget_tlbs(struct machine *m)
{
	for (unsigned i = 0; i < m->nharts; i++)
		mmu_flush_tlb(m->harts[i]);
}

/* ---- devices ---- */

static void save_devices(struct snap_buf *b, struct machine *m)
{
	size_t mark = snap_begin(b, SNAP_DEVICES);
	struct uart_state us;
	uart_get_state(m->uart, &us);
	snap_put32(b, sizeof(us));
	snap_put(b, &us, sizeof(us));
	struct plic_state ps;
	plic_get_state(m->plic, &ps);
	snap_put32(b, sizeof(ps));
	snap_put(b, &ps, sizeof(ps));
	struct clint_hart_state ch[MAX_HARTS];
	uint64_t off;
	clint_get_state(m->clint, ch, &off);
	snap_put64(b, off);
	snap_put64(b, machine_mtime(m));
	for (unsigned i = 0; i < m->nharts; i++) {
		snap_put64(b, ch[i].mtimecmp);
		snap_put8(b, ch[i].msip);
	}
	snap_put32(b, rrv_ctl_count(m->ctl));
	snap_end(b, mark);
}

struct dev_state {
	struct uart_state uart;
	struct plic_state plic;
	struct clint_hart_state clint[MAX_HARTS];
	uint64_t mtime_offset, mtime;
	uint32_t ctl_count;
};

static bool load_devices(struct snap_rd *r, unsigned nharts, struct dev_state *d)
{
	if (snap_get32(r) != sizeof(d->uart))
		return false;
	snap_get(r, &d->uart, sizeof(d->uart));
	if (snap_get32(r) != sizeof(d->plic))
		return false;
	snap_get(r, &d->plic, sizeof(d->plic));
	d->mtime_offset = snap_get64(r);
	d->mtime = snap_get64(r);
	for (unsigned i = 0; i < nharts; i++) {
		d->clint[i].mtimecmp = snap_get64(r);
		d->clint[i].msip = snap_get8(r) != 0;
	}
	d->ctl_count = snap_get32(r);
	return !r->bad && r->pos == r->len && d->uart.rx_head < UART_FIFO_SIZE &&
	       d->uart.rx_count <= UART_FIFO_SIZE;
}

/* ---- RAM: runs of non-zero pages ---- */

bool snap_page_is_zero(const uint8_t *p)
{
	const uint64_t *w = (const uint64_t *)p;
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		if (w[i])
			return false;
	return true;
}

static void save_ram(struct snap_buf *b, const struct machine *m)
{
	size_t mark = snap_begin(b, SNAP_RAM);
	uint64_t npages = m->ram_size >> PAGE_SHIFT;
	for (uint64_t p = 0; p < npages;) {
		if (snap_page_is_zero(m->ram + (p << PAGE_SHIFT))) {
			p++;
			continue;
		}
		uint64_t q = p + 1;
		while (q < npages && !snap_page_is_zero(m->ram + (q << PAGE_SHIFT)))
			q++;
		snap_put64(b, p);
		snap_put64(b, q - p);
		snap_put(b, m->ram + (p << PAGE_SHIFT), (size_t)(q - p) << PAGE_SHIFT);
		p = q;
	}
	snap_end(b, mark);
}

/* Walk the runs; with ram set, copy them in. Pages stored, or -1. */
static int64_t walk_ram(struct snap_rd r, uint64_t npages, uint8_t *ram)
{
	int64_t total = 0;
	uint64_t next = 0;
	while (r.pos < r.len) {
		uint64_t first = snap_get64(&r), count = snap_get64(&r);
		if (r.bad || first < next || count == 0 || first >= npages ||
		    count > npages - first)
			return -1;
		const uint8_t *data = snap_take(&r, (size_t)count << PAGE_SHIFT);
		if (!data)
			return -1;
		if (ram)
			memcpy(ram + (first << PAGE_SHIFT), data, (size_t)count << PAGE_SHIFT);
		next = first + count;
		total += (int64_t)count;
	}
	return total;
}

/* ---- the whole machine ---- */

int snap_save_machine(struct machine *m, const uint8_t *extra_input,
		      size_t extra_len, struct snap_buf *b)
{
	return snap_save_state(m, extra_input, extra_len, true, b);
}

int snap_save_state(struct machine *m, const uint8_t *extra_input,
		    size_t extra_len, bool with_ram, struct snap_buf *b)
{
	pthread_mutex_lock(&m->io_lock);
	size_t mark = snap_begin(b, SNAP_MACHINE);
	snap_put32(b, SNAP_LAYOUT);
	snap_put32(b, m->nharts);
	snap_put64(b, m->ram_size);
	snap_put64(b, m->entry);
	snap_put64(b, m->dtb_addr);
	snap_put64(b, m->tohost);
	snap_put64(b, m->fromhost);
	/* A replay goes on after the guest asked to exit (the other harts
	 * still have logged work): that request is part of the state. */
	pthread_mutex_lock(&m->done_lock);
	snap_put32(b, (uint32_t)m->exit_reason);
	snap_put32(b, (uint32_t)m->exit_code);
	pthread_mutex_unlock(&m->done_lock);
	snap_end(b, mark);
	mark = snap_begin(b, SNAP_ROM);
	snap_put(b, m->rom, sizeof(m->rom));
	snap_end(b, mark);
	/* --bios builtin is part of the machine (its firmware is in the
	 * ROM and RAM, its ECALLs in core/sbi.c): no payload. */
	if (m->cfg.sbi_builtin) {
		mark = snap_begin(b, SNAP_SBI);
		snap_end(b, mark);
	}
	for (unsigned i = 0; i < m->nharts; i++) {
		save_hart(b, m->harts[i]);
		save_trig(b, m->harts[i]);
		save_tlb(b, m, m->harts[i]);
	}
	save_devices(b, m);
	mark = snap_begin(b, SNAP_INPUT);
	for (size_t i = 0; i < m->inq_len; i++)
		snap_put8(b, m->inq[(m->inq_head + i) % sizeof(m->inq)]);
	snap_put(b, extra_input, extra_len);
	snap_end(b, mark);
	if (with_ram)
		save_ram(b, m);
	pthread_mutex_unlock(&m->io_lock);
	return b->oom ? -1 : 0;
}

struct machine_sec {
	uint32_t layout, nharts;
	uint64_t ram_size, entry, dtb_addr, tohost, fromhost;
	uint32_t exit_reason, exit_code;
};

static int read_machine_sec(const uint8_t *blob, size_t len, struct machine_sec *ms,
			    char *err, size_t errlen)
{
	struct snap_rd r;
	bool broken;
	if (!snap_section(blob, len, SNAP_MACHINE, 0, &r, &broken)) {
		snprintf(err, errlen, broken ? "damaged snapshot (section framing)"
					     : "not a machine snapshot (no MACHINE section)");
		return -1;
	}
	ms->layout = snap_get32(&r);
	if (!r.bad && ms->layout > SNAP_LAYOUT) {
		snprintf(err, errlen, "snapshot layout %u is newer than this rrv reads (%u)",
			 ms->layout, SNAP_LAYOUT);
		return -1;
	}
	ms->nharts = snap_get32(&r);
	ms->ram_size = snap_get64(&r);
	ms->entry = snap_get64(&r);
	ms->dtb_addr = snap_get64(&r);
	ms->tohost = snap_get64(&r);
	ms->fromhost = snap_get64(&r);
	ms->exit_reason = snap_get32(&r);
	ms->exit_code = snap_get32(&r);
	if (ms->exit_reason > EXIT_SNAPSHOT)
		r.bad = true;
	if (r.bad || ms->layout < SNAP_LAYOUT_OLDEST || ms->nharts < 1 ||
	    ms->nharts > MAX_HARTS || !ms->ram_size || (ms->ram_size & (PAGE_SIZE - 1))) {
		snprintf(err, errlen, "damaged snapshot (MACHINE section)");
		return -1;
	}
	return 0;
}

int snap_describe(const uint8_t *blob, size_t len, struct snap_summary *s,
		  char *err, size_t errlen)
{
	struct machine_sec ms;
	if (read_machine_sec(blob, len, &ms, err, errlen) < 0)
		return -1;
	memset(s, 0, sizeof(*s));
	s->nharts = ms.nharts;
	s->ram_size = ms.ram_size;
	struct hart *tmp = calloc(1, sizeof(*tmp));
	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct snap_rd r;
	bool broken;
	int rc = -1;
	for (unsigned i = 0; i < ms.nharts; i++) {
		if (!snap_section(blob, len, SNAP_HART, i, &r, &broken) ||
		    !load_hart(&r, tmp) || tmp->id != i) {
			snprintf(err, errlen, "damaged snapshot (hart %u)", i);
			goto out;
		}
		s->hart[i].pc = tmp->pc;
		s->hart[i].icount = tmp->icount;
		s->hart[i].priv = tmp->priv;
		s->hart[i].wfi = tmp->in_wfi;
		s->hart[i].resv = tmp->resv_valid;
	}
	int64_t pages;
	if (!snap_section(blob, len, SNAP_RAM, 0, &r, &broken) ||
	    (pages = walk_ram(r, ms.ram_size >> PAGE_SHIFT, NULL)) < 0) {
		snprintf(err, errlen, "damaged snapshot (RAM)");
		goto out;
	}
	s->ram_pages = (uint64_t)pages;
	if (snap_section(blob, len, SNAP_INPUT, 0, &r, &broken))
		s->input_bytes = r.len;
	rc = 0;
out:
	free(tmp);
	return rc;
}

/* Check and decode every section into scratch state first. */
struct restore_plan {
	struct machine_sec ms;
	struct hart *harts;        /* nharts scratch harts */
	struct dev_state dev;
	struct snap_rd rom, input, ram;
};

static int plan_restore(const struct machine *m, const uint8_t *blob, size_t len,
			bool with_ram, struct restore_plan *pl, char *err, size_t errlen)
{
	if (read_machine_sec(blob, len, &pl->ms, err, errlen) < 0)
		return -1;
	if (pl->ms.nharts != m->nharts || pl->ms.ram_size != m->ram_size) {
		snprintf(err, errlen, "the snapshot is of a machine with %u harts and "
			 "%llu MiB of RAM, not %u and %llu MiB", pl->ms.nharts,
			 (unsigned long long)(pl->ms.ram_size >> 20), m->nharts,
			 (unsigned long long)(m->ram_size >> 20));
		return -1;
	}
	bool broken;
	struct snap_rd r;
	for (unsigned i = 0; i < m->nharts; i++)
		if (!snap_section(blob, len, SNAP_HART, i, &r, &broken) ||
		    !load_hart(&r, &pl->harts[i]) || pl->harts[i].id != i) {
			snprintf(err, errlen, "damaged snapshot (hart %u)", i);
			return -1;
		}
	for (unsigned i = 0; i < m->nharts; i++) {
		trigger_reset(&pl->harts[i].trig);
		if (pl->ms.layout < 2)
			continue;
		if (!snap_section(blob, len, SNAP_TRIGGER, i, &r, &broken) ||
		    !load_trig(r, &pl->harts[i])) {
			snprintf(err, errlen, "damaged snapshot (triggers of hart %u)", i);
			return -1;
		}
	}
	/* No TLB section: the TLBs start empty (a snapshot taken where
	 * none were filled yet, e.g. by a test tool). */
	for (unsigned i = 0; i < m->nharts; i++)
		if ((snap_section(blob, len, SNAP_TLB, i, &r, &broken) &&
		     !load_tlb(r, NULL, &pl->harts[i], false)) || broken) {
			snprintf(err, errlen, "damaged snapshot (TLB of hart %u)", i);
			return -1;
		}
	if (!snap_section(blob, len, SNAP_DEVICES, 0, &r, &broken) ||
	    !load_devices(&r, m->nharts, &pl->dev)) {
		snprintf(err, errlen, "damaged snapshot (devices)");
		return -1;
	}
	if (!snap_section(blob, len, SNAP_ROM, 0, &pl->rom, &broken) ||
	    pl->rom.len != BOOTROM_SIZE) {
		snprintf(err, errlen, "damaged snapshot (boot ROM)");
		return -1;
	}
	if (!snap_section(blob, len, SNAP_INPUT, 0, &pl->input, &broken) ||
	    pl->input.len > sizeof(m->inq) - UART_FIFO_SIZE) {
		snprintf(err, errlen, "damaged snapshot (input queue)");
		return -1;
	}
	if (with_ram && (!snap_section(blob, len, SNAP_RAM, 0, &pl->ram, &broken) ||
			 walk_ram(pl->ram, m->ram_size >> PAGE_SHIFT, NULL) < 0)) {
		snprintf(err, errlen, "damaged snapshot (RAM)");
		return -1;
	}
	return 0;
}

int snap_restore_machine(struct machine *m, const uint8_t *blob, size_t len,
			 char *err, size_t errlen)
{
	if (snap_restore_state(m, blob, len, true, err, errlen) < 0)
		return -1;
	m->restored = true;
	return 0;
}

int snap_restore_state(struct machine *m, const uint8_t *blob, size_t len,
		       bool with_ram, char *err, size_t errlen)
{
	struct restore_plan pl = { 0 };
	pl.harts = calloc(m->nharts, sizeof(*pl.harts));
	if (!pl.harts) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = plan_restore(m, blob, len, with_ram, &pl, err, errlen);
	if (rc < 0)
		goto out;
	m->entry = pl.ms.entry;
	m->dtb_addr = pl.ms.dtb_addr;
	m->tohost = pl.ms.tohost;
	m->fromhost = pl.ms.fromhost;
	/* Only an exit the guest asked for carries over (a replay's). */
	bool guest_exit = pl.ms.exit_reason == EXIT_GUEST || pl.ms.exit_reason == EXIT_RESET;
	m->exit_reason = guest_exit ? (enum machine_exit)pl.ms.exit_reason : EXIT_NONE;
	m->exit_code = guest_exit ? (int)pl.ms.exit_code : 0;
	memcpy(m->rom, pl.rom.p, BOOTROM_SIZE);
	{
		struct snap_rd r;
		bool broken;
		m->cfg.sbi_builtin = snap_section(blob, len, SNAP_SBI, 0, &r, &broken);
	}
	if (with_ram) {
		/* Zero pages without touching them (a fresh mapping reads
		 * as zero). */
		madvise(m->ram, m->ram_size, MADV_DONTNEED);
		walk_ram(pl.ram, m->ram_size >> PAGE_SHIFT, m->ram);
	}
	for (unsigned i = 0; i < m->nharts; i++) {
		struct snap_rd r;
		bool broken;
		apply_hart(m->harts[i], &pl.harts[i]);
		if (snap_section(blob, len, SNAP_TLB, i, &r, &broken))
			load_tlb(r, m, m->harts[i], true);
		/* The saved entries carry the source's slow marks; make
		 * sure those of pages a trigger covers are there. */
		if (m->harts[i]->trig.mem_armed)
			mmu_debug_changed(m->harts[i]);
	}
	pthread_mutex_lock(&m->io_lock);
	machine_set_mtime(m, pl.dev.mtime);
	/* The UART's line goes to the PLIC, whose own state comes after. */
	uart_set_state(m->uart, &pl.dev.uart);
	plic_set_state(m->plic, &pl.dev.plic);
	clint_set_state(m->clint, pl.dev.clint, pl.dev.mtime_offset);
	rrv_ctl_set_count(m->ctl, pl.dev.ctl_count);
	m->inq_head = 0;
	m->inq_len = pl.input.len;
	memcpy(m->inq, pl.input.p, pl.input.len);
	pthread_mutex_unlock(&m->io_lock);
out:
	free(pl.harts);
	return rc;
}
