/* sbi_guest.c: an S-mode guest that exercises every SBI extension rrv's built-in SBI answers. */
#include <stdint.h>

/* SBI spec v2.0 extension IDs. */
#define EID_BASE 0x10
#define EID_TIME 0x54494D45
#define EID_IPI 0x735049
#define EID_RFENCE 0x52464E43
#define EID_HSM 0x48534D
#define EID_SRST 0x53525354
#define EID_DBCN 0x4442434E

#define ERR_INVALID_PARAM (-3)
#define ERR_ALREADY_AVAILABLE (-6)
#define HSM_STARTED 0
#define HSM_STOPPED 1

#define MAX_HARTS 8
#define SIP_SSIP (1ul << 1)
#define SIE_SSIE (1ul << 1)
#define SIE_STIE (1ul << 5)
#define SSTATUS_SIE (1ul << 1)

struct sbiret {
	long error, value;
};

static struct sbiret sbi(long eid, long fid, unsigned long a0, unsigned long a1,
			 unsigned long a2, unsigned long a3)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r6 __asm__("a6") = (unsigned long)fid;
	register unsigned long r7 __asm__("a7") = (unsigned long)eid;
	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbiret){ (long)r0, (long)r1 };
}

static long legacy(long eid, unsigned long a0)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r7 __asm__("a7") = (unsigned long)eid;
	__asm__ volatile("ecall" : "+r"(r0) : "r"(r7) : "memory", "a1");
	return (long)r0;
}

#define CSRR(csr) ({ unsigned long v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define CSRS(csr, v) __asm__ volatile("csrs " #csr ", %0" :: "r"(v) : "memory")
#define CSRC(csr, v) __asm__ volatile("csrc " #csr ", %0" :: "r"(v) : "memory")
#define CSRW(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "r"(v) : "memory")

static unsigned long hartid(void)
{
	unsigned long t;
	__asm__ volatile("mv %0, tp" : "=r"(t));
	return t;
}

static int have_dbcn;
/* The hart the firmware booted (OpenSBI picks any; rrv's is hart 0). */
static unsigned long boot;

static unsigned long slen(const char *s)
{
	unsigned long n = 0;
	while (s[n])
		n++;
	return n;
}

/* Only the boot hart prints, so the output is the same on every run. */
static void puts_(const char *s)
{
	if (have_dbcn)
		sbi(EID_DBCN, 0, slen(s), (unsigned long)s, 0, 0);
	else
		while (*s)
			legacy(1, (unsigned char)*s++);
}

static void puthex(unsigned long v)
{
	char b[19];
	b[0] = '0';
	b[1] = 'x';
	for (int i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	b[18] = 0;
	puts_(b);
}

__attribute__((noreturn)) static void fail(const char *what, long got, long want)
{
	puts_("FAIL ");
	puts_(what);
	puts_(": got ");
	puthex((unsigned long)got);
	puts_(" want ");
	puthex((unsigned long)want);
	puts_("\n");
	/* SRST shutdown, reason "system failure": exit status 1 on rrv. */
	sbi(EID_SRST, 0, 0, 1, 0, 0);
	for (;;)
		;
}

#define CHECK(what, got, want)                                             \
	do {                                                               \
		long g_ = (long)(got), w_ = (long)(want);                  \
		if (g_ != w_)                                              \
			fail(what, g_, w_);                                \
	} while (0)

static void ok(const char *what)
{
	puts_("ok ");
	puts_(what);
	puts_("\n");
}

/* ---- state shared between harts ---- */

static volatile unsigned long ticks;
static volatile unsigned long ipis[MAX_HARTS];
static volatile unsigned long alive[MAX_HARTS];
static volatile unsigned long cmd[MAX_HARTS], cmd_seq[MAX_HARTS], ack[MAX_HARTS];
static volatile long result[MAX_HARTS];

enum { CMD_IPI_BACK = 1, CMD_SUSPEND, CMD_CALL, CMD_PAGING_ON, CMD_READ_V,
       CMD_PAGING_OFF, CMD_STOP };

/* Code the harts run and hart 0 rewrites: li a0, N; ret. */
static uint32_t code[2] __attribute__((aligned(64))) = { 0x00100513, 0x00008067 };

/* Sv39: VA 0x40000000 maps page_a, then page_b; RAM is an identity
 * gigapage so everything else stays where it is. */
static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l0[512] __attribute__((aligned(4096)));
static volatile uint64_t page_a[512] __attribute__((aligned(4096)));
static volatile uint64_t page_b[512] __attribute__((aligned(4096)));
#define VA 0x40000000ul
#define PTE_V 1
#define PTE_RWXAD 0xce
#define PTE_RWAD 0xc6

void s_trap(unsigned long cause, unsigned long epc, unsigned long tval)
{
	if (cause == (1ul << 63 | 5)) {
		ticks++;
		sbi(EID_TIME, 0, ~0ul, 0, 0, 0);
		return;
	}
	if (cause == (1ul << 63 | 1)) {
		CSRC(sip, SIP_SSIP);
		ipis[hartid()]++;
		return;
	}
	puts_("unexpected trap at ");
	puthex(epc);
	puts_(" tval ");
	puthex(tval);
	fail("trap cause", (long)cause, 0);
}

static unsigned long rdtime(void)
{
	return CSRR(time);
}

static void wait_until(volatile unsigned long *p, unsigned long v, const char *what)
{
	unsigned long t0 = rdtime();
	while (*p != v)
		if (rdtime() - t0 > 50000000ul) /* 5 s at 10 MHz */
			fail(what, (long)*p, (long)v);
}

/* ---- the secondaries' command loop ---- */

static void run_cmd(unsigned long h, unsigned long c)
{
	switch (c) {
	case CMD_IPI_BACK:
		result[h] = sbi(EID_IPI, 0, 1ul << boot, 0, 0, 0).error;
		break;
	case CMD_SUSPEND:
		CSRC(sstatus, SSTATUS_SIE);
		result[h] = -100;
		alive[h] |= 1ul << 32; /* about to suspend */
		result[h] = sbi(EID_HSM, 3, 0, 0, 0, 0).error;
		CSRS(sstatus, SSTATUS_SIE);
		break;
	case CMD_CALL:
		result[h] = ((long (*)(void))(uintptr_t)code)();
		break;
	case CMD_PAGING_ON:
		CSRW(satp, (8ul << 60) | ((uintptr_t)root >> 12));
		__asm__ volatile("sfence.vma" ::: "memory");
		result[h] = (long)*(volatile uint64_t *)VA;
		break;
	case CMD_READ_V:
		result[h] = (long)*(volatile uint64_t *)VA;
		break;
	case CMD_PAGING_OFF:
		CSRW(satp, 0);
		__asm__ volatile("sfence.vma" ::: "memory");
		break;
	}
}

void secondary(unsigned long h, unsigned long opaque)
{
	alive[h] = opaque;
	CSRS(sie, SIE_SSIE);
	CSRS(sstatus, SSTATUS_SIE);
	unsigned long seen = ack[h];
	for (;;) {
		while (cmd_seq[h] == seen)
			;
		seen = cmd_seq[h];
		unsigned long c = cmd[h];
		if (c == CMD_STOP) {
			ack[h] = seen;
			CSRC(sstatus, SSTATUS_SIE);
			sbi(EID_HSM, 1, 0, 0, 0, 0);
			result[h] = -1; /* hart_stop returned: a failure */
			for (;;)
				;
		}
		run_cmd(h, c);
		__asm__ volatile("fence rw, rw" ::: "memory");
		ack[h] = seen;
	}
}

static long command(unsigned long h, unsigned long c, const char *what)
{
	cmd[h] = c;
	__asm__ volatile("fence rw, rw" ::: "memory");
	unsigned long s = cmd_seq[h] + 1;
	cmd_seq[h] = s;
	wait_until(&ack[h], s, what);
	__asm__ volatile("fence rw, rw" ::: "memory");
	return result[h];
}

extern char secondary_entry[];

/* ---- the tests, on the boot hart ---- */

static void test_base(void)
{
	long spec = sbi(EID_BASE, 0, 0, 0, 0, 0).value;
	if (spec < 2) /* at least v0.2 */
		fail("spec version", spec, 2);
	static const long eids[] = { EID_TIME, EID_IPI, EID_RFENCE, EID_HSM, EID_SRST };
	for (unsigned i = 0; i < sizeof(eids) / sizeof(eids[0]); i++)
		if (!sbi(EID_BASE, 3, (unsigned long)eids[i], 0, 0, 0).value)
			fail("probe_extension", eids[i], 1);
	CHECK("probe of no extension", sbi(EID_BASE, 3, 0x0badcafe, 0, 0, 0).value, 0);
	CHECK("unknown extension", sbi(0x0badcafe, 0, 0, 0, 0, 0).error, -2);
	have_dbcn = sbi(EID_BASE, 3, EID_DBCN, 0, 0, 0).value != 0;
	puts_("sbi: spec ");
	puthex((unsigned long)spec);
	puts_(" dbcn ");
	puts_(have_dbcn ? "yes\n" : "no\n");
	ok("base: spec version, probe_extension");
}

static void test_console(void)
{
	legacy(1, 'l');
	legacy(1, 'e');
	legacy(1, 'g');
	legacy(1, '\n');
	if (!have_dbcn)
		return;
	static const char s[] = "dbcn console_write\n";
	struct sbiret r = sbi(EID_DBCN, 0, sizeof(s) - 1, (unsigned long)s, 0, 0);
	CHECK("console_write error", r.error, 0);
	CHECK("console_write count", r.value, sizeof(s) - 1);
	CHECK("console_write_byte", sbi(EID_DBCN, 2, 'B', 0, 0, 0).error, 0);
	sbi(EID_DBCN, 2, '\n', 0, 0, 0);
	/* The spec says INVALID_PARAM (rrv); OpenSBI 1.6 says FAILED. */
	long e = sbi(EID_DBCN, 0, 4, 0, 1, 0).error;
	if (e != ERR_INVALID_PARAM && e != -1)
		fail("console_write above RAM", e, ERR_INVALID_PARAM);
	ok("console: legacy putchar, DBCN write and write_byte");
}

static void test_timer(void)
{
	CSRS(sie, SIE_STIE);
	CSRS(sstatus, SSTATUS_SIE);
	sbi(EID_TIME, 0, rdtime() + 20000, 0, 0, 0); /* 2 ms */
	while (ticks < 1)
		__asm__ volatile("wfi");
	CHECK("STIP after set_timer(-1)", CSRR(sip) & (1ul << 5), 0);
	legacy(0, rdtime() + 10000); /* the v0.1 set_timer */
	while (ticks < 2)
		__asm__ volatile("wfi");
	/* A deadline already past: the interrupt comes at once. */
	sbi(EID_TIME, 0, 0, 0, 0, 0);
	while (ticks < 3)
		__asm__ volatile("wfi");
	CSRC(sie, SIE_STIE);
	ok("time: set_timer, STIP taken in S-mode (3 ticks)");
}

static unsigned count_harts(void)
{
	unsigned n = 0;
	while (n < MAX_HARTS && sbi(EID_HSM, 2, n, 0, 0, 0).error == 0)
		n++;
	return n;
}

static void start_hart(unsigned long h, unsigned long opaque)
{
	CHECK("status before start", sbi(EID_HSM, 2, h, 0, 0, 0).value, HSM_STOPPED);
	CHECK("hart_start", sbi(EID_HSM, 0, h, (unsigned long)secondary_entry, opaque, 0).error, 0);
	wait_until(&alive[h], opaque, "started hart runs with a1 = opaque");
	CHECK("status after start", sbi(EID_HSM, 2, h, 0, 0, 0).value, HSM_STARTED);
	CHECK("hart_start of a started hart",
	      sbi(EID_HSM, 0, h, (unsigned long)secondary_entry, 0, 0).error,
	      ERR_ALREADY_AVAILABLE);
}

static void stop_hart(unsigned long h)
{
	command(h, CMD_STOP, "stop command");
	unsigned long t0 = rdtime();
	while (sbi(EID_HSM, 2, h, 0, 0, 0).value != HSM_STOPPED)
		if (rdtime() - t0 > 50000000ul)
			fail("hart_stop: status", sbi(EID_HSM, 2, h, 0, 0, 0).value, HSM_STOPPED);
}

static void test_ipi(unsigned long h)
{
	unsigned long before = ipis[h];
	CHECK("send_ipi", sbi(EID_IPI, 0, 1ul << h, 0, 0, 0).error, 0);
	wait_until(&ipis[h], before + 1, "IPI reaches the target as SSIP");
	unsigned long mine = ipis[boot];
	CHECK("send_ipi back", command(h, CMD_IPI_BACK, "IPI back"), 0);
	wait_until(&ipis[boot], mine + 1, "IPI back to the boot hart");
	/* Suspend until an IPI: hart_suspend (retentive) returns 0. */
	cmd[h] = CMD_SUSPEND;
	__asm__ volatile("fence rw, rw" ::: "memory");
	unsigned long s = cmd_seq[h] + 1;
	cmd_seq[h] = s;
	while (!(alive[h] >> 32))
		;
	sbi(EID_IPI, 0, 1ul << h, 0, 0, 0);
	wait_until(&ack[h], s, "suspended hart wakes on an IPI");
	CHECK("hart_suspend", result[h], 0);
	alive[h] &= 0xffffffffu;
}

static void test_rfence(unsigned long h)
{
	CHECK("code before", command(h, CMD_CALL, "call"), 1);
	code[0] = 0x00200513; /* li a0, 2 */
	__asm__ volatile("fence.i" ::: "memory");
	CHECK("remote_fence_i", sbi(EID_RFENCE, 0, 1ul << h, 0, 0, 0).error, 0);
	CHECK("code after remote_fence_i", command(h, CMD_CALL, "call"), 2);
	code[0] = 0x00100513;
	CHECK("remote_fence_i, every hart",
	      sbi(EID_RFENCE, 0, 0, ~0ul, 0, 0).error, 0);

	page_a[0] = 0x1111;
	page_b[0] = 0x2222;
	root[2] = (0x80000000ul >> 12) << 10 | PTE_RWXAD | PTE_V;
	root[1] = ((uintptr_t)l1 >> 12) << 10 | PTE_V;
	l1[0] = ((uintptr_t)l0 >> 12) << 10 | PTE_V;
	l0[0] = ((uintptr_t)page_a >> 12) << 10 | PTE_RWAD | PTE_V;
	__asm__ volatile("fence rw, rw" ::: "memory");
	CHECK("VA on page_a", command(h, CMD_PAGING_ON, "paging on"), 0x1111);
	l0[0] = ((uintptr_t)page_b >> 12) << 10 | PTE_RWAD | PTE_V;
	__asm__ volatile("fence rw, rw" ::: "memory");
	CHECK("remote_sfence_vma",
	      sbi(EID_RFENCE, 1, 1ul << h, 0, VA, 4096).error, 0);
	CHECK("VA on page_b after remote_sfence_vma", command(h, CMD_READ_V, "read"), 0x2222);
	l0[0] = ((uintptr_t)page_a >> 12) << 10 | PTE_RWAD | PTE_V;
	__asm__ volatile("fence rw, rw" ::: "memory");
	CHECK("remote_sfence_vma_asid",
	      sbi(EID_RFENCE, 2, 1ul << h, 0, 0, ~0ul).error, 0);
	CHECK("VA on page_a after remote_sfence_vma_asid", command(h, CMD_READ_V, "read"), 0x1111);
	command(h, CMD_PAGING_OFF, "paging off");
}

static void test_harts(unsigned n)
{
	CHECK("hart_start of no hart",
	      sbi(EID_HSM, 0, n, (unsigned long)secondary_entry, 0, 0).error,
	      ERR_INVALID_PARAM);
	/* SBI spec §7.1 says INVALID_PARAM (rrv); OpenSBI 1.6 ignores it. */
	long e = sbi(EID_IPI, 0, 1, n, 0, 0).error;
	if (e != ERR_INVALID_PARAM && e != 0)
		fail("send_ipi to no hart", e, ERR_INVALID_PARAM);
	if (n < 2) {
		ok("hsm, ipi, rfence: one hart, errors only");
		return;
	}
	unsigned long last = boot == n - 1 ? n - 2 : n - 1;
	for (unsigned long h = 0; h < n; h++)
		if (h != boot)
			start_hart(h, 0xa110 + h);
	ok("hsm: hart_start, hart_get_status");
	for (unsigned long h = 0; h < n; h++)
		if (h != boot)
			test_ipi(h);
	/* hart_mask_base = -1: every hart, this one too. */
	unsigned long mine = ipis[boot];
	CHECK("send_ipi to all", sbi(EID_IPI, 0, 0, ~0ul, 0, 0).error, 0);
	wait_until(&ipis[boot], mine + 1, "broadcast IPI to self");
	ok("ipi: send_ipi both ways, broadcast, hart_suspend until an IPI");
	for (unsigned long h = 0; h < n; h++)
		if (h != boot)
			test_rfence(h);
	ok("rfence: remote fence.i and sfence.vma seen by the target");
	for (unsigned long h = 0; h < n; h++)
		if (h != boot)
			stop_hart(h);
	start_hart(last, 0xbeef);
	stop_hart(last);
	ok("hsm: hart_stop, restart of a stopped hart");
}

void s_main(unsigned long h, unsigned long dtb)
{
	(void)dtb;
	boot = h;
	CSRS(sie, SIE_SSIE);
	test_base();
	puts_("sbi guest booted\n");
	test_console();
	test_timer();
	unsigned n = count_harts();
	CHECK("status of no hart", sbi(EID_HSM, 2, n, 0, 0, 0).error, ERR_INVALID_PARAM);
	test_harts(n);
	puts_("PASS sbi guest\n");
	/* SRST shutdown with a vendor reason: rrv exits with code 42 (its
	 * convention for reason 0xF0000000 + N); other firmware just ends. */
	sbi(EID_SRST, 0, 0, 0xF0000000ul + 42, 0, 0);
	sbi(EID_SRST, 0, 0, 0, 0, 0);
	fail("system_reset returned", 0, 0);
}
