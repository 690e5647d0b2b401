/* machine.c: board assembly (RAM, boot ROM, devices), run loop, I/O thread. */
#include "core/machine.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/chaos.h"
#include "core/dtb.h"
#include "core/hart.h"
#include "core/loader.h"
#include "core/mmu.h"
#include "core/riscv.h"
#include "core/sbi.h"
#include "devices/clint.h"
#include "devices/plic.h"
#include "devices/rrv_ctl.h"
#include "devices/sifive_test.h"
#include "devices/uart.h"

/* Boot ROM (QEMU virt's reset vector layout): a0 = mhartid, a1 = DTB,
 * a2 = ROM + 40 (fw_dynamic info slot), jump to the entry at ROM + 24. */
static const uint32_t bootrom_code[] = {
	0x00000297, /* auipc t0, 0       */
	0x02828613, /* addi  a2, t0, 40  */
	0xf1402573, /* csrr  a0, mhartid */
	0x0202b583, /* ld    a1, 32(t0)  */
	0x0182b283, /* ld    t0, 24(t0)  */
	0x00028067, /* jr    t0          */
};

static uint64_t host_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#define NS_PER_TICK (1000000000ull / CLINT_TIMEBASE_HZ)

uint64_t machine_mtime(struct machine *m)
{
	return (host_ns() - m->t0_ns) / NS_PER_TICK;
}

void machine_set_mtime(struct machine *m, uint64_t ticks)
{
	/* t0 may lie before the host clock's origin: unsigned wrap-around
	 * keeps the difference right. */
	m->t0_ns = host_ns() - ticks * NS_PER_TICK;
}

static void poke_io_thread(struct machine *m)
{
	char c = 1;
	/* A full pipe already means "wake up": nothing to do on EAGAIN. */
	if (write(m->wake_pipe[1], &c, 1) < 0 && errno != EAGAIN) {
	}
}

/* ---- device callbacks (all run under io_lock) ---- */

/* The --snapshot-on output:TEXT trigger: a running match (the text is a
 * short literal; on a mismatch the match restarts, which is exact for
 * texts whose prefix does not recur, like "~ # " or "login:"). */
static void match_output(struct machine *m, uint8_t byte)
{
	struct machine_pause *p = &m->pause;
	if (!p->on_output || p->fired)
		return;
	if ((uint8_t)p->on_output[p->out_match] != byte)
		p->out_match = (uint8_t)p->on_output[0] == byte;
	else
		p->out_match++;
	if (!p->on_output[p->out_match]) {
		p->out_match = 0;
		p->fired = true;
		machine_request_pause(m);
	}
}

void machine_console_out(struct machine *m, uint8_t byte)
{
	match_output(m, byte);
	/* Under io_lock: a plain increment published relaxed, for the
	 * --hang-output watchdog (which only needs to see it move). */
	atomic_store_explicit(&m->out_count,
			      atomic_load_explicit(&m->out_count, memory_order_relaxed) + 1,
			      memory_order_relaxed);
	crash_text_feed(&m->ctext, byte);
	if (m->hooks) {
		m->hooks->output(m->hooks->ctx, byte);
		if (m->hooks->mute_output)
			return;
	}
	if (write(m->cfg.output_fd, &byte, 1) < 0) {
		/* A closed stdout loses output, like an unplugged UART. */
	}
}

static void uart_tx(void *ctx, uint8_t byte)
{
	machine_console_out(ctx, byte);
}

void machine_input_push(struct machine *m, const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n && m->inq_len < sizeof(m->inq); i++) {
		size_t tail = (m->inq_head + m->inq_len) % sizeof(m->inq);
		m->inq[tail] = buf[i];
		m->inq_len++;
	}
	uart_poll_input(m->uart);
}

static size_t uart_rx(void *ctx, uint8_t *buf, size_t max)
{
	struct machine *m = ctx;
	size_t n = 0;
	while (n < max && m->inq_len) {
		buf[n++] = m->inq[m->inq_head];
		m->inq_head = (m->inq_head + 1) % sizeof(m->inq);
		m->inq_len--;
	}
	if (n)
		poke_io_thread(m); /* room again: resume reading input */
	return n;
}

static void uart_rx_return(void *ctx, const uint8_t *buf, size_t n)
{
	struct machine *m = ctx;
	for (size_t i = n; i-- > 0;) {
		/* input_room() keeps a FIFO's worth free for exactly this. */
		assert(m->inq_len < sizeof(m->inq));
		m->inq_head = (m->inq_head + sizeof(m->inq) - 1) % sizeof(m->inq);
		m->inq[m->inq_head] = buf[i];
		m->inq_len++;
	}
}

static void uart_irq(void *ctx, int level)
{
	struct machine *m = ctx;
	plic_set_irq(m->plic, UART_IRQ, level);
	if (m->obs && m->obs->line)
		m->obs->line(m->obs->ctx, m->io_hart, UART_IRQ, level, false);
}

bool machine_inject_irq(struct machine *m, struct hart *h, unsigned src)
{
	bool took = plic_inject(m->plic, src);
	if (took && m->obs && m->obs->line)
		m->obs->line(m->obs->ctx, h, src, true, true);
	return took;
}

/* PLIC context 2h drives hart h's MEIP, context 2h+1 its SEIP. */
static void plic_out(void *ctx, unsigned context, int level)
{
	struct machine *m = ctx;
	unsigned hart = context / 2;
	if (hart < m->nharts && m->harts[hart])
		hart_set_async_mip(m->harts[hart],
				   context & 1 ? MIP_SEIP : MIP_MEIP, level);
}

static void clint_mip(void *ctx, unsigned hart, uint64_t bit, int level)
{
	struct machine *m = ctx;
	if (hart < m->nharts)
		hart_set_async_mip(m->harts[hart], bit, level);
}

static uint64_t clint_now(void *ctx)
{
	return machine_mtime(ctx);
}

static void finisher_exit(void *ctx, enum sifive_test_kind kind, int code)
{
	struct machine *m = ctx;
	machine_request_exit(m, kind == TEST_EXIT_RESET ? EXIT_RESET : EXIT_GUEST,
			     kind == TEST_EXIT_FAIL ? code : 0);
}

/* CLINT writes can move a timer deadline: wrap them to wake the I/O
 * thread, which owns the host timer. */
static void clint_write_wrapped(void *opaque, uint64_t off, uint64_t val,
				unsigned size)
{
	struct machine *m = opaque;
	m->clint_raw.write(m->clint_raw.opaque, off, val, size);
	poke_io_thread(m);
}

static uint64_t clint_read_wrapped(void *opaque, uint64_t off, unsigned size)
{
	struct machine *m = opaque;
	return m->clint_raw.read(m->clint_raw.opaque, off, size);
}

static void ctl_command(void *ctx, unsigned command)
{
	struct machine *m = ctx;
	if (command == RRV_CTL_CMD_SNAPSHOT && m->pause.on_guest)
		machine_request_pause(m);
}

static void add_dev(struct machine *m, struct mmio_dev d)
{
	m->devs[m->ndevs++] = d;
}

struct machine *machine_new(const struct machine_config *cfg, char *err,
			    size_t errlen)
{
	struct machine *m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->cfg = *cfg;
	m->ram_size = cfg->ram_size;
	m->nharts = cfg->nharts;
	m->ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m->ram == MAP_FAILED) {
		m->ram = NULL;
		snprintf(err, errlen, "cannot allocate %llu bytes of guest RAM",
			 (unsigned long long)m->ram_size);
		goto out_free;
	}
	pthread_mutex_init(&m->io_lock, NULL);
	pthread_mutex_init(&m->done_lock, NULL);
	pthread_cond_init(&m->done_cond, NULL);
	pthread_mutex_init(&m->pause.lock, NULL);
	pthread_cond_init(&m->pause.cond, NULL);
	if (pipe2(m->wake_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto out_free;
	}
	m->t0_ns = host_ns();
	crash_text_init(&m->ctext);
	m->plic = plic_new(2 * m->nharts, plic_out, m);
	m->uart = uart_new(uart_tx, uart_rx, m, uart_irq, m);
	m->clint = clint_new(m->nharts, clint_now, clint_mip, m);
	m->finisher = sifive_test_new(finisher_exit, m);
	m->ctl = rrv_ctl_new(ctl_command, m);
	if (!m->plic || !m->uart || !m->clint || !m->finisher || !m->ctl) {
		snprintf(err, errlen, "out of memory");
		goto out_free;
	}
	uart_set_rx_return(m->uart, uart_rx_return);
	add_dev(m, uart_mmio(m->uart));
	add_dev(m, sifive_test_mmio(m->finisher));
	add_dev(m, rrv_ctl_mmio(m->ctl));
	add_dev(m, plic_mmio(m->plic));
	m->clint_raw = clint_mmio(m->clint);
	struct mmio_dev cd = m->clint_raw;
	cd.opaque = m;
	cd.read = clint_read_wrapped;
	cd.write = clint_write_wrapped;
	add_dev(m, cd);
	for (unsigned i = 0; i < m->nharts; i++) {
		m->harts[i] = hart_new(m, i);
		if (!m->harts[i]) {
			snprintf(err, errlen, "out of memory for hart %u", i);
			goto out_free;
		}
		if (cfg->max_insns)
			m->harts[i]->icount_limit = cfg->max_insns;
	}
	if (cfg->uart_stuck_irq)
		uart_set_stuck_irq(m->uart, true);
	if (cfg->chaos && !(m->chaos = chaos_new(cfg->chaos_seed, m->nharts))) {
		snprintf(err, errlen, "out of memory");
		goto out_free;
	}
	memcpy(m->rom, bootrom_code, sizeof(bootrom_code));
	if (cfg->sbi_builtin)
		sbi_rom_build(m->rom, sizeof(m->rom));
	return m;
out_free:
	machine_free(m);
	return NULL;
}

void machine_free(struct machine *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->nharts; i++)
		hart_free(m->harts[i]);
	if (m->uart)
		uart_free(m->uart);
	if (m->clint)
		clint_free(m->clint);
	plic_free(m->plic);
	if (m->finisher)
		sifive_test_free(m->finisher);
	rrv_ctl_free(m->ctl);
	chaos_free(m->chaos);
	if (m->ram)
		munmap(m->ram, m->ram_size);
	if (m->wake_pipe[0] > 0) {
		close(m->wake_pipe[0]);
		close(m->wake_pipe[1]);
	}
	free(m);
}

int machine_load(struct machine *m, const char *path, uint64_t addr,
		 bool set_entry, char *err, size_t errlen)
{
	struct loaded_image li;
	if (loader_load(path, m->ram, RAM_BASE, m->ram_size, addr, &li, err,
			errlen) < 0)
		return -1;
	if (set_entry)
		m->entry = li.entry;
	if (li.tohost && !m->tohost) {
		m->tohost = li.tohost;
		m->fromhost = li.fromhost;
	}
	return 0;
}

#define DTB_MAX_SIZE (1u << 20)
#define DTB_ALIGN (2ull << 20)

int machine_build_dtb(const struct machine_config *cfg, uint64_t initrd_start,
		      uint64_t initrd_end, void *buf, size_t bufsize, char *err,
		      size_t errlen)
{
	struct dtb_params p = {
		.nharts = cfg->nharts, .ram_base = RAM_BASE,
		.ram_size = cfg->ram_size, .bootargs = cfg->bootargs,
		.initrd_start = initrd_start, .initrd_end = initrd_end,
	};
	/* The built-in SBI's mailboxes are firmware memory (core/sbi.h). */
	if (cfg->sbi_builtin) {
		p.resv_base = SBI_MBOX_BASE;
		p.resv_size = cfg->nharts * SBI_MBOX_STRIDE;
	}
	return dtb_build(&p, buf, bufsize, err, errlen);
}

/* QEMU's placement: the initrd at half of RAM (at most 128 MiB in).
 * limit: the RAM offset where the initrd must end by (the DTB's place). */
static int load_initrd(struct machine *m, uint64_t *start, uint64_t *end,
		       uint64_t limit, char *err, size_t errlen)
{
	struct stat st;
	if (stat(m->cfg.initrd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", m->cfg.initrd, strerror(errno));
		return -1;
	}
	uint64_t half = m->ram_size / 2;
	*start = RAM_BASE + (half < (128ull << 20) ? half : (128ull << 20));
	*start = (*start + PAGE_SIZE - 1) & PAGE_MASK;
	if ((uint64_t)st.st_size > limit ||
	    *start - RAM_BASE > limit - (uint64_t)st.st_size) {
		snprintf(err, errlen, "%s: %lld bytes do not fit in RAM above 0x%llx",
			 m->cfg.initrd, (long long)st.st_size,
			 (unsigned long long)*start);
		return -1;
	}
	struct loaded_image li;
	/* A raw load even if it happens to be an ELF: initrds are data. */
	if (loader_load_raw(m->cfg.initrd, m->ram, RAM_BASE, m->ram_size,
			    *start, &li, err, errlen) < 0)
		return -1;
	*end = li.high;
	return 0;
}

static int read_dtb_file(const char *path, void *buf, size_t bufsize,
			 char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ssize_t n = read(fd, buf, bufsize);
	close(fd);
	if (n < 0 || fdt_check_header(buf) != 0 ||
	    fdt_totalsize(buf) > (size_t)n) {
		snprintf(err, errlen, "%s: not a valid device tree blob", path);
		return -1;
	}
	return (int)fdt_totalsize(buf);
}

int machine_load_boot(struct machine *m, char *err, size_t errlen)
{
	const struct machine_config *cfg = &m->cfg;
	if (cfg->bios && machine_load(m, cfg->bios, RAM_BASE, true, err, errlen) < 0)
		return -1;
	/* With builtin SBI the kernel goes where fw_jump would jump to. */
	bool fw = cfg->bios || cfg->sbi_builtin;
	if (cfg->kernel) {
		uint64_t at = fw ? RAM_BASE + KERNEL_BIOS_OFFSET : RAM_BASE;
		if (machine_load(m, cfg->kernel, at, !cfg->bios, err, errlen) < 0)
			return -1;
	}
	if (cfg->sbi_builtin && m->entry < RAM_BASE + m->nharts * SBI_MBOX_STRIDE) {
		snprintf(err, errlen, "%s: entry 0x%llx is in the built-in SBI's "
			 "mailboxes (the kernel must start above 0x%llx)",
			 cfg->kernel ? cfg->kernel : "kernel",
			 (unsigned long long)m->entry,
			 (unsigned long long)(RAM_BASE + m->nharts * SBI_MBOX_STRIDE));
		return -1;
	}
	static_assert(DTB_MAX_SIZE <= DTB_ALIGN, "DTB must fit in its slot");
	if (m->ram_size < 2 * DTB_ALIGN) {
		snprintf(err, errlen, "RAM too small for the device tree");
		return -1;
	}
	m->dtb_addr = (RAM_BASE + m->ram_size - DTB_MAX_SIZE) & ~(DTB_ALIGN - 1);
	uint64_t istart = 0, iend = 0;
	if (cfg->initrd && load_initrd(m, &istart, &iend, m->dtb_addr - RAM_BASE,
				       err, errlen) < 0)
		return -1;
	uint8_t *slot = m->ram + (m->dtb_addr - RAM_BASE);
	int n = cfg->dtb ? read_dtb_file(cfg->dtb, slot, DTB_MAX_SIZE, err, errlen)
			 : machine_build_dtb(cfg, istart, iend, slot, DTB_MAX_SIZE,
					     err, errlen);
	return n < 0 ? -1 : 0;
}

uint8_t *machine_phys_ptr(struct machine *m, uint64_t paddr, uint64_t len,
			  bool *writable)
{
	if (paddr >= RAM_BASE && paddr - RAM_BASE < m->ram_size &&
	    len <= m->ram_size - (paddr - RAM_BASE)) {
		*writable = true;
		return m->ram + (paddr - RAM_BASE);
	}
	if (paddr >= BOOTROM_BASE && paddr - BOOTROM_BASE < BOOTROM_SIZE &&
	    len <= BOOTROM_SIZE - (paddr - BOOTROM_BASE)) {
		*writable = false;
		return m->rom + (paddr - BOOTROM_BASE);
	}
	return NULL;
}

bool machine_debug_read(struct machine *m, const struct hart *h, uint64_t addr, void *buf,
			size_t len)
{
	uint8_t *out = buf;
	while (len) {
		uint64_t pa = addr;
		if (h && !mmu_debug_translate(h, addr, &pa))
			return false;
		size_t chunk = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		bool wr;
		const uint8_t *p = machine_phys_ptr(m, pa, chunk, &wr);
		if (!p)
			return false;
		memcpy(out, p, chunk);
		out += chunk;
		addr += chunk;
		len -= chunk;
	}
	return true;
}

uint64_t machine_host_phys(const struct machine *m, const uint8_t *host)
{
	if (host >= m->ram && host < m->ram + m->ram_size)
		return RAM_BASE + (uint64_t)(host - m->ram);
	assert(host >= m->rom && host < m->rom + BOOTROM_SIZE);
	return BOOTROM_BASE + (uint64_t)(host - m->rom);
}

struct mmio_dev *machine_find_dev(struct machine *m, uint64_t paddr)
{
	for (unsigned i = 0; i < m->ndevs; i++)
		if (paddr >= m->devs[i].base &&
		    paddr - m->devs[i].base < m->devs[i].size)
			return &m->devs[i];
	return NULL;
}

void machine_request_exit(struct machine *m, enum machine_exit why, int code)
{
	machine_request_end(m, why, code, NULL);
}

void machine_request_end(struct machine *m, enum machine_exit why, int code,
			 const struct verdict *detail)
{
	pthread_mutex_lock(&m->done_lock);
	if (m->exit_reason == EXIT_NONE) {
		m->exit_reason = why;
		m->exit_code = code;
		if (detail)
			m->end_detail = *detail;
	}
	/* A replay ends where each hart's log ends, not when the guest
	 * asks: the other harts still have recorded work to do. */
	if (machine_replaying(m)) {
		pthread_mutex_unlock(&m->done_lock);
		return;
	}
	atomic_store_explicit(&m->stop, 1, memory_order_release);
	pthread_cond_broadcast(&m->done_cond);
	pthread_mutex_unlock(&m->done_lock);
	for (unsigned i = 0; i < m->nharts; i++)
		hart_kick(m->harts[i]);
	poke_io_thread(m);
}

/* ---- snapshots: stopping every hart at an instruction boundary ---- */

void machine_request_pause(struct machine *m)
{
	if (!m->pause.take)
		return;
	atomic_store_explicit(&m->pause.requested, 1, memory_order_release);
	for (unsigned i = 0; i < m->nharts; i++)
		hart_kick(m->harts[i]);
}

static bool stopping(const struct machine *m)
{
	return atomic_load_explicit(&m->stop, memory_order_acquire);
}

void machine_cond_wait_ms(pthread_cond_t *cond, pthread_mutex_t *lock, unsigned ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	while (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(cond, lock, &ts);
}

/* A short wait on the pause's condition (lock held). */
static void park_wait(struct machine_pause *p)
{
	machine_cond_wait_ms(&p->cond, &p->lock, 1);
}

/*
 * Park at this safe point until the pause ends. The last hart to park
 * takes the snapshot. A recording hart keeps answering revocations while
 * parked (a hart still inside an instruction may be waiting for one before
 * it can reach its own safe point), hence the short timed waits.
 */
bool machine_park(struct hart *h)
{
	struct machine *m = h->m;
	struct machine_pause *p = &m->pause;
	pthread_mutex_lock(&p->lock);
	/* A new pause waits until every hart has left the last one: a hart
	 * let go first could otherwise park again, count the ones still on
	 * their way out as parked, and take while they run (gdb's breakpoint
	 * hits pause again at once). */
	while (p->draining && !stopping(m))
		park_wait(p);
	uint64_t gen = p->gen;
	if (++p->parked == m->nharts) {
		pthread_mutex_unlock(&p->lock);
		/* Ending the run comes before anyone is let go: not one more
		 * instruction after a --stop-after-snapshot snapshot. */
		if (!stopping(m) && !p->take(p->ctx, m))
			machine_request_exit(m, EXIT_SNAPSHOT, 0);
		pthread_mutex_lock(&p->lock);
		atomic_store_explicit(&p->requested, 0, memory_order_release);
		p->gen++;
		p->draining = m->nharts;
		pthread_cond_broadcast(&p->cond);
	}
	while (p->gen == gen && !stopping(m)) {
		park_wait(p);
		if (h->rr && p->gen == gen) {
			pthread_mutex_unlock(&p->lock);
			m->hooks->parked(h);
			pthread_mutex_lock(&p->lock);
		}
	}
	p->parked--;
	if (p->draining && --p->draining == 0)
		pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return !stopping(m);
}

/* ---- the I/O thread: host input and the CLINT timer ---- */

/*
 * Room the I/O thread may fill. A FIFO's worth stays free so bytes the UART
 * hands back on a FIFO reset (uart_rx_return) always fit: input is never
 * dropped.
 */
static size_t input_room(const struct machine *m)
{
	size_t cap = sizeof(m->inq) - UART_FIFO_SIZE;
	return m->inq_len < cap ? cap - m->inq_len : 0;
}

static void read_input(struct machine *m)
{
	uint8_t buf[1024];
	pthread_mutex_lock(&m->io_lock);
	size_t room = m->hooks ? m->hooks->host_input_room(m->hooks->ctx)
			       : input_room(m);
	pthread_mutex_unlock(&m->io_lock);
	if (!room)
		return; /* a read of 0 bytes would look like end of input */
	if (room > sizeof(buf))
		room = sizeof(buf);
	ssize_t n = read(m->cfg.input_fd, buf, room);
	if (n > 0) {
		size_t len = (size_t)n;
		enum console_action act = console_filter(&m->console, buf, &len);
		if (act == CONSOLE_QUIT)
			machine_request_exit(m, EXIT_USER, 0);
		else if (act == CONSOLE_SNAPSHOT)
			machine_request_pause(m);
		n = (ssize_t)len;
		if (!n)
			return;
	}
	pthread_mutex_lock(&m->io_lock);
	if (n <= 0) {
		m->input_eof = true;
	} else if (m->hooks) {
		/* Recording: a hart injects it at a safe point and logs it. */
		pthread_mutex_unlock(&m->io_lock);
		m->hooks->host_input(m->hooks->ctx, buf, (size_t)n);
		return;
	} else {
		machine_input_push(m, buf, (size_t)n);
	}
	pthread_mutex_unlock(&m->io_lock);
}

/*
 * --inject spurious-irq: the k-th raise is owed at mtime k * HZ / rate (no
 * drift). The first hart at a safe point after one is owed applies it: in
 * a recording that is where it can log the raise (INPUT to the PLIC,
 * replayed at the same instruction), and it makes the rate follow guest
 * time, not the wake-ups of some other thread. Any hart, not hart 0 alone:
 * Linux forgets the unhandled count after 100 ms of guest time without an
 * unhandled interrupt, and guest time is the host clock, so one hart's
 * thread kept off a CPU must not stop the storm for the hart that takes
 * it. Raises owed since the last safe point collapse into one: all but the
 * first would find the source pending.
 */

/* After this many owed raises found the source still pending (the guest
 * has not enabled it yet), owe one only every millisecond: a boot must not
 * pay for safe points and WFI wake-ups that change nothing. */
#define INJECT_IDLE_RAISES 100
#define INJECT_IDLE_TICKS (CLINT_TIMEBASE_HZ / 1000)

/* The first raise owed after mtime t. */
static uint64_t inject_after(const struct machine *m, uint64_t t)
{
	uint32_t rate = m->cfg.spurious_rate;
	uint64_t k = (uint64_t)((unsigned __int128)t * rate / CLINT_TIMEBASE_HZ) + 1;
	return (uint64_t)(((unsigned __int128)k * CLINT_TIMEBASE_HZ + rate - 1) / rate);
}

bool machine_inject_owed(struct machine *m)
{
	uint64_t now = machine_mtime(m);
	uint64_t owed = atomic_load_explicit(&m->inject_next, memory_order_relaxed);
	if (now < owed)
		return false;
	unsigned src = m->cfg.spurious_src;
	pthread_mutex_lock(&m->io_lock);
	bool can = plic_can_inject(m->plic, src);
	bool pending = plic_pending(m->plic, src);
	pthread_mutex_unlock(&m->io_lock);
	unsigned skipped = pending ? atomic_load_explicit(&m->inject_skipped,
							  memory_order_relaxed) + 1 : 0;
	uint64_t from = skipped >= INJECT_IDLE_RAISES ? now + INJECT_IDLE_TICKS : now;
	/* Relaxed: the raise itself is ordered by io_lock (or, recording, by
	 * the PLIC's I/O domain); this only decides who makes it. */
	if (!atomic_compare_exchange_strong_explicit(&m->inject_next, &owed,
						     inject_after(m, from),
						     memory_order_relaxed,
						     memory_order_relaxed))
		return false;
	atomic_store_explicit(&m->inject_skipped, skipped, memory_order_relaxed);
	return can;
}

uint64_t machine_inject_wait(struct machine *m)
{
	if (!m->inject_live)
		return UINT64_MAX;
	uint64_t now = machine_mtime(m);
	uint64_t next = atomic_load_explicit(&m->inject_next, memory_order_relaxed);
	return next > now ? next - now : 0;
}

static void *io_thread(void *arg)
{
	struct machine *m = arg;
	if (m->thread_hook)
		m->thread_hook(true);
	while (!atomic_load_explicit(&m->stop, memory_order_acquire)) {
		pthread_mutex_lock(&m->io_lock);
		uint64_t next = clint_update_timers(m->clint);
		bool want_input = m->cfg.input_fd >= 0 && !m->input_eof &&
				  (m->hooks ? m->hooks->host_input_room(m->hooks->ctx)
					    : input_room(m)) > 0;
		pthread_mutex_unlock(&m->io_lock);
		/* At most a second, so a stop is noticed. */
		struct timespec ts = { .tv_sec = 1 };
		if (next != UINT64_MAX) {
			uint64_t now = machine_mtime(m);
			uint64_t ticks = next > now ? next - now : 0;
			if (ticks < CLINT_TIMEBASE_HZ)
				ts = (struct timespec){ .tv_nsec = (long)(ticks * NS_PER_TICK) };
		}
		struct pollfd p[2] = {
			{ .fd = m->wake_pipe[0], .events = POLLIN },
			{ .fd = want_input ? m->cfg.input_fd : -1, .events = POLLIN },
		};
		int r = ppoll(p, 2, next == UINT64_MAX ? NULL : &ts, NULL);
		if (r < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN) {
			char buf[64];
			while (read(m->wake_pipe[0], buf, sizeof(buf)) > 0)
				;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
			read_input(m);
	}
	if (m->thread_hook)
		m->thread_hook(false);
	return NULL;
}

/* Host thread i of the run: hart i on core's loop, or what the hooks run
 * there instead (a replay's scheduler may run every hart on thread 0). */
static void *run_thread(void *arg)
{
	struct hart *h = arg;
	struct machine *m = h->m;
	const struct machine_hooks *hk = m->hooks;
	if (m->thread_hook)
		m->thread_hook(true);
	if (hk && hk->thread) {
		hk->thread(m, h->id);
	} else {
		hart_thread(h);
		if (h->rr) {
			pthread_mutex_lock(&m->done_lock);
			int why = m->exit_reason, code = m->exit_code;
			pthread_mutex_unlock(&m->done_lock);
			hk->end(h, why, code);
		}
	}
	if (m->thread_hook)
		m->thread_hook(false);
	pthread_mutex_lock(&m->done_lock);
	m->harts_running--;
	pthread_cond_broadcast(&m->done_cond);
	pthread_mutex_unlock(&m->done_lock);
	return NULL;
}

void machine_verdict(const struct machine *m, struct verdict *v)
{
	static const enum verdict_kind by_reason[] = {
		[EXIT_NONE] = VERDICT_UNKNOWN, [EXIT_RESET] = VERDICT_RESET,
		[EXIT_TIMEOUT] = VERDICT_TIMEOUT, [EXIT_INSN_LIMIT] = VERDICT_INSN_LIMIT,
		[EXIT_ERROR] = VERDICT_ERROR, [EXIT_USER] = VERDICT_USER_QUIT,
		[EXIT_SNAPSHOT] = VERDICT_SNAPSHOT, [EXIT_SIGNAL] = VERDICT_INTERRUPTED,
		[EXIT_GUEST_CRASH] = VERDICT_CRASH, [EXIT_RRV_CRASH] = VERDICT_RRV_CRASH,
	};
	memset(v, 0, sizeof(*v));
	/* A crash on the console decides, whatever stopped the run after it
	 * (its own stop rule, a reboot, a timeout, a signal): it is the
	 * first thing that went wrong. */
	if (m->ctext.seen) {
		v->kind = VERDICT_CRASH;
		snprintf(v->crash, sizeof(v->crash), "%s", m->ctext.kind);
		snprintf(v->text, sizeof(v->text), "%s", m->ctext.text);
		return;
	}
	switch (m->exit_reason) {
	case EXIT_GUEST:
		v->kind = m->exit_code ? VERDICT_GUEST_FAIL : VERDICT_EXIT;
		v->code = m->exit_code;
		break;
	case EXIT_TRAP_LOOP:
	case EXIT_HANG:
		*v = m->end_detail;
		break;
	case EXIT_SIGNAL:
		v->kind = VERDICT_INTERRUPTED;
		v->signal = m->exit_code;
		break;
	default:
		if ((unsigned)m->exit_reason < sizeof(by_reason) / sizeof(by_reason[0]))
			v->kind = by_reason[m->exit_reason];
		break;
	}
}

static int exit_status(const struct machine *m)
{
	struct verdict v;
	machine_verdict(m, &v);
	return verdict_exit_status(&v);
}

void machine_signal_stop(struct machine *m, int sig)
{
	atomic_store_explicit(&m->signal_stop, sig, memory_order_relaxed);
}

void machine_test_crash(struct hart *h)
{
	/* A real invalid access rather than raise(): the crash handler must
	 * cope with a fault in a hart thread in the middle of a run. */
	volatile int *volatile p = NULL;
	*p = (int)h->id;
}

/* ---- the watchdog: signals, hangs, the end of a console crash ---- */

#define WATCH_TICK_NS 50000000ull
/* After a crash line whose text is not complete yet (no "---[ end Kernel
 * panic" line, fewer than CRASH_TEXT_LINES lines), the run ends once the
 * console has been quiet this long: Linux then spins, reboots or goes on
 * after an Oops or a WARNING, and the report is over. */
#define CRASH_QUIET_NS 2000000000ull

struct watchdog {
	uint64_t progress, out;        /* as last seen */
	uint64_t progress_ns, out_ns;  /* when they last moved */
};

static void hang(struct machine *m, const char *what, double seconds)
{
	struct verdict v = { .kind = VERDICT_HANG, .seconds = seconds };
	snprintf(v.what, sizeof(v.what), "%s", what);
	machine_request_end(m, EXIT_HANG, 0, &v);
}

/* The run loop's thread, every WATCH_TICK_NS. The counters are relaxed
 * atomics: a stale value only delays a verdict by a tick, and nothing
 * else is read on their strength. */
static void watchdog_tick(struct machine *m, struct watchdog *w)
{
	uint64_t now = host_ns();
	int sig = atomic_load_explicit(&m->signal_stop, memory_order_relaxed);
	if (sig) {
		machine_request_end(m, EXIT_SIGNAL, sig, NULL);
		return;
	}
	/* Harts parked for a snapshot make no progress on purpose. */
	bool paused = atomic_load_explicit(&m->pause.requested, memory_order_acquire);
	uint64_t progress = 0;
	for (unsigned i = 0; i < m->nharts; i++)
		progress += atomic_load_explicit(&m->harts[i]->progress, memory_order_relaxed);
	uint64_t out = atomic_load_explicit(&m->out_count, memory_order_relaxed);
	if (progress != w->progress || paused) {
		w->progress = progress;
		w->progress_ns = now;
	}
	if (out != w->out || paused) {
		w->out = out;
		w->out_ns = now;
	}
	const struct machine_config *c = &m->cfg;
	double still = (double)(now - w->progress_ns);
	if (c->hang_timeout > 0 && still >= c->hang_timeout * 1e9) {
		hang(m, "progress", c->hang_timeout);
	} else if (c->hang_timeout > 0 && still >= c->hang_timeout * 0.5e9) {
		/* A hart publishes its progress after each exec_run, which
		 * may run a million instructions: on a slow host (sanitizers)
		 * that can take longer than the timeout. A kick makes a
		 * running hart return at its next block boundary and publish;
		 * a hart asleep in WFI wakes, finds nothing, sleeps again. */
		for (unsigned i = 0; i < m->nharts; i++)
			hart_kick(m->harts[i]);
	}
	else if (c->hang_output > 0 && (double)(now - w->out_ns) >= c->hang_output * 1e9)
		hang(m, "output", c->hang_output);
	pthread_mutex_lock(&m->io_lock);
	bool seen = m->ctext.seen, done = m->ctext.done;
	pthread_mutex_unlock(&m->io_lock);
	if (done || (seen && now - w->out_ns >= CRASH_QUIET_NS))
		machine_request_exit(m, EXIT_GUEST_CRASH, 0);
}

void machine_prepare(struct machine *m)
{
	if (m->restored)
		return;
	uint64_t rom_words[2] = { m->entry, m->dtb_addr };
	memcpy(m->rom + 24, rom_words, sizeof(rom_words));
	for (unsigned i = 0; i < m->nharts; i++)
		hart_reset(m->harts[i], BOOTROM_BASE, m->dtb_addr);
	if (m->cfg.sbi_builtin)
		sbi_prepare(m);
	/* Prepared once: the state is the machine's from now on. */
	m->restored = true;
}

int machine_run(struct machine *m, double timeout_s)
{
	machine_prepare(m);
	bool replay = machine_replaying(m);
	console_init(&m->console, replay ? -1 : m->cfg.input_fd);
	/* Replay has no asynchronous sources: no input, no timers. */
	m->inject_live = m->cfg.spurious_src && !replay;
	if (m->inject_live)
		atomic_store_explicit(&m->inject_next, inject_after(m, machine_mtime(m)),
				      memory_order_relaxed);
	if (!replay && pthread_create(&m->io_thread, NULL, io_thread, m) == 0)
		m->io_thread_started = true;
	const struct machine_hooks *hk = m->hooks;
	unsigned nthreads = hk && hk->thread ? hk->nthreads : m->nharts;
	assert(nthreads >= 1 && nthreads <= m->nharts);
	m->harts_running = nthreads;
	for (unsigned i = 0; i < nthreads; i++)
		pthread_create(&m->harts[i]->thread, NULL, run_thread, m->harts[i]);

	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	if (timeout_s > 0) {
		double whole = (double)(long long)timeout_s;
		deadline.tv_sec += (time_t)whole;
		deadline.tv_nsec += (long)((timeout_s - whole) * 1e9);
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
	}
	uint64_t start = host_ns();
	struct watchdog wd = { .progress_ns = start, .out_ns = start };
	pthread_mutex_lock(&m->done_lock);
	while (m->harts_running > 0 && (replay || m->exit_reason == EXIT_NONE)) {
		/* A replay ends where its log does: no watchdog. */
		if (replay && timeout_s <= 0) {
			pthread_cond_wait(&m->done_cond, &m->done_lock);
			continue;
		}
		struct timespec tick;
		clock_gettime(CLOCK_REALTIME, &tick);
		tick.tv_nsec += (long)WATCH_TICK_NS;
		if (tick.tv_nsec >= 1000000000L) {
			tick.tv_sec++;
			tick.tv_nsec -= 1000000000L;
		}
		bool last = timeout_s > 0 &&
			    (deadline.tv_sec < tick.tv_sec ||
			     (deadline.tv_sec == tick.tv_sec && deadline.tv_nsec <= tick.tv_nsec));
		if (pthread_cond_timedwait(&m->done_cond, &m->done_lock,
					   last ? &deadline : &tick) != ETIMEDOUT)
			continue;
		if (last)
			break;
		if (replay)
			continue;
		pthread_mutex_unlock(&m->done_lock);
		watchdog_tick(m, &wd);
		pthread_mutex_lock(&m->done_lock);
	}
	pthread_mutex_unlock(&m->done_lock);
	if (!replay)
		machine_request_exit(m, EXIT_TIMEOUT, 0);
	for (unsigned i = 0; i < nthreads; i++)
		pthread_join(m->harts[i]->thread, NULL);
	if (m->io_thread_started)
		pthread_join(m->io_thread, NULL);
	console_restore(&m->console);
	/* Every hart is done: the output is final. */
	crash_text_finish(&m->ctext);
	return exit_status(m);
}
