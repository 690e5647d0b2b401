/* kernel.c: smode_sv39's S-mode mini kernel: Sv39 tables, trap handling, system calls, demand paging. */
#include "guest.h"
#include "irq.h"
#include "kernel.h"

#define PAGE 4096
#define POOL_PAGES 12 /* pool page i backs test page i; 11 is KSF's second */
#define KSF_SECOND 11

#define SCAUSE_ECALL_U 8
#define SSTATUS_SPP (1ul << 8)
#define SATP_SV39 (8ul << 60)

#define U_FAULTS 5 /* the faults the U program announces with SYS_EXPECT */

static uint64_t root[512] __attribute__((aligned(PAGE)));
static uint64_t l1[512] __attribute__((aligned(PAGE)));
static uint64_t l0[512] __attribute__((aligned(PAGE)));
static uint8_t pool[POOL_PAGES][PAGE] __attribute__((aligned(PAGE)));

volatile uint64_t kernel_ssi_count, kernel_sti_count;

/* The S-mode probe in progress, if any. */
static volatile struct {
	int armed;
	int taken;
	uint64_t cause, tval;
} sx;

/* The fault the U program said comes next (SYS_EXPECT). */
static struct {
	int armed;
	uint64_t cause, addr;
	int handled;
} ux;

uint64_t kernel_pte(uint64_t pa, uint64_t flags)
{
	return (pa >> 12) << 10 | flags;
}

uint64_t *kernel_leaf(uint64_t va)
{
	return &l0[(va >> 12) & 511];
}

uint64_t *kernel_l1(uint64_t va)
{
	return &l1[(va >> 21) & 511];
}

uint64_t *kernel_root(uint64_t va)
{
	return &root[(va >> 30) & 511];
}

uint64_t kernel_pool_page(int i)
{
	return (uint64_t)pool[i];
}

void kernel_set_timer(uint64_t deadline)
{
	register uint64_t a0 __asm__("a0") = deadline;
	register uint64_t a7 __asm__("a7") = MCALL_SET_TIMER;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
}

static void probe_arm(void)
{
	sx.taken = 0;
	sx.armed = 1;
}

static struct probe probe_done(uint64_t value)
{
	struct probe p = { sx.taken, sx.cause, sx.tval, value };
	sx.armed = 0;
	return p;
}

struct probe probe_load(uint64_t va)
{
	uint64_t v = 0;
	probe_arm();
	__asm__ volatile(".option push\n.option norvc\n"
			 "ld %0, 0(%1)\n.option pop"
			 : "+r"(v) : "r"(va) : "memory");
	return probe_done(v);
}

struct probe probe_store(uint64_t va, uint64_t value)
{
	probe_arm();
	__asm__ volatile(".option push\n.option norvc\n"
			 "sd %0, 0(%1)\n.option pop"
			 : : "r"(value), "r"(va) : "memory");
	return probe_done(0);
}

struct probe probe_exec(uint64_t va)
{
	probe_arm();
	__asm__ volatile("jalr ra, 0(%0)" : : "r"(va) : "ra", "memory");
	return probe_done(0);
}

static void fill(int page, uint64_t value)
{
	uint64_t *p = (uint64_t *)pool[page];
	for (int i = 0; i < PAGE / 8; i++)
		p[i] = value;
}

static void build_tables(void)
{
	uint64_t ad = PTE_A | PTE_D;
	*kernel_root(0) = kernel_pte(0, PTE_V | PTE_R | PTE_W | PTE_G | ad);
	*kernel_root(0x40000000) = kernel_pte((uint64_t)l1, PTE_V);
	*kernel_root(0x80000000) =
		kernel_pte(0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_G | ad);
	*kernel_l1(0x40000000) = kernel_pte((uint64_t)l0, PTE_V);

	uint64_t u = PTE_V | PTE_U | PTE_A;
	l0[0] = kernel_pte((uint64_t)user_start, u | PTE_R | PTE_X);
	l0[1] = kernel_pte(kernel_pool_page(1), u | PTE_R | PTE_W | PTE_D);
	l0[2] = kernel_pte(kernel_pool_page(2), u | PTE_R);
	l0[3] = kernel_pte(kernel_pool_page(3), u | PTE_R | PTE_W | PTE_D);
	l0[4] = kernel_pte(kernel_pool_page(4), PTE_V | PTE_R | PTE_W | ad);
	l0[5] = 0; /* VA_UDEMAND: mapped on the first fault */
	l0[6] = kernel_pte(kernel_pool_page(6), PTE_V | PTE_X | PTE_A);
	l0[7] = kernel_pte(kernel_pool_page(7), PTE_V | PTE_R | PTE_W);
	l0[8] = kernel_pte(kernel_pool_page(8), PTE_V | PTE_R | PTE_W | ad);
	l0[9] = kernel_pte(kernel_pool_page(9), PTE_V | PTE_W | ad);
	l0[10] = kernel_pte(kernel_pool_page(10), u | PTE_R | PTE_X);

	fill(2, RO_MAGIC);
	fill(5, DEMAND_MAGIC);
	fill(6, KXO_MAGIC);
	fill(8, 0x1111);
	fill(KSF_SECOND, 0x2222);
	fill(10, KXO_MAGIC);
	/* Pages 6 and 10 hold code now. */
	__asm__ volatile("fence.i" ::: "memory");
}

static uint64_t insn_len(uint64_t pc)
{
	return (*(volatile uint16_t *)pc & 3) == 3 ? 4 : 2;
}

__attribute__((noreturn)) static void bad_trap(const char *from, int code)
{
	g_puts("\nsmode_sv39: unexpected trap from ");
	g_puts(from);
	g_puts(": scause=");
	g_puthex(IRQ_CSR_READ(scause));
	g_puts(" sepc=");
	g_puthex(IRQ_CSR_READ(sepc));
	g_puts(" stval=");
	g_puthex(IRQ_CSR_READ(stval));
	g_putc('\n');
	g_exit(code);
}

static void trap_from_s(struct trap_frame *f, uint64_t cause)
{
	if (cause == IRQ_CAUSE(IRQ_SSI)) {
		IRQ_CSR_CLEAR(sip, 1ul << IRQ_SSI);
		kernel_ssi_count++;
		return;
	}
	if (cause == IRQ_CAUSE(IRQ_STI)) {
		kernel_set_timer(UINT64_MAX);
		kernel_sti_count++;
		return;
	}
	if (!sx.armed || (int64_t)cause < 0)
		bad_trap("S", 0x70);
	sx.armed = 0;
	sx.taken = 1;
	sx.cause = cause;
	sx.tval = IRQ_CSR_READ(stval);
	/* A fetch fault's sepc is the target: go back to the caller. */
	uint64_t epc = IRQ_CSR_READ(sepc);
	if (cause == SCAUSE_FETCH_PAGE)
		IRQ_CSR_WRITE(sepc, f->x[1]);
	else
		IRQ_CSR_WRITE(sepc, epc + insn_len(epc));
}

__attribute__((noreturn)) static void user_exit(uint64_t status)
{
	g_puts("\n");
	G_CHECK("smode_sv39 U program status", status, 0, 60);
	G_CHECK("smode_sv39 U faults handled", ux.handled, U_FAULTS, 61);
	G_CHECK("smode_sv39 U fault left pending", ux.armed, 0, 62);
	g_puts("smode_sv39: kernel, user program and ");
	g_putdec(U_FAULTS);
	g_puts(" user faults ok\n");
	g_exit(0);
}

static void syscall(struct trap_frame *f)
{
	IRQ_CSR_WRITE(sepc, IRQ_CSR_READ(sepc) + 4);
	switch (f->x[17]) {
	case SYS_PUTC:
		g_putc((char)f->x[10]);
		break;
	case SYS_EXPECT:
		G_CHECK("smode_sv39 U fault announced twice", ux.armed, 0, 63);
		ux.armed = 1;
		ux.cause = f->x[10];
		ux.addr = f->x[11];
		break;
	case SYS_EXIT:
		user_exit(f->x[10]);
	default:
		G_CHECK("smode_sv39 system call number", f->x[17], 0, 64);
	}
}

static void user_fault(struct trap_frame *f, uint64_t cause)
{
	uint64_t tval = IRQ_CSR_READ(stval);
	if (!ux.armed)
		bad_trap("U", 0x71);
	G_CHECK("smode_sv39 U fault scause", cause, ux.cause, 65);
	G_CHECK("smode_sv39 U fault stval", tval, ux.addr, 66);
	ux.armed = 0;
	ux.handled++;
	if (cause == SCAUSE_LOAD_PAGE && tval == VA_UDEMAND) {
		/* Demand paging: map and let the load run again. */
		*kernel_leaf(VA_UDEMAND) = kernel_pte(
			kernel_pool_page(5), PTE_V | PTE_U | PTE_R | PTE_A);
		sfence_vma(VA_UDEMAND);
	} else if (cause == SCAUSE_FETCH_PAGE) {
		IRQ_CSR_WRITE(sepc, f->x[1]);
	} else {
		IRQ_CSR_WRITE(sepc, IRQ_CSR_READ(sepc) + 4);
	}
}

void s_trap(struct trap_frame *f)
{
	uint64_t cause = IRQ_CSR_READ(scause);
	if (IRQ_CSR_READ(sstatus) & SSTATUS_SPP) {
		trap_from_s(f, cause);
		return;
	}
	/* The user's stack pointer came through sscratch into the frame. */
	if (f->x[2] < VA_UDATA || f->x[2] > VA_UDATA + PAGE)
		g_fail("smode_sv39 U sp in trap frame", f->x[2], VA_UDATA + PAGE, 67);
	if (cause == SCAUSE_ECALL_U)
		syscall(f);
	else if (cause == SCAUSE_FETCH_PAGE || cause == SCAUSE_LOAD_PAGE ||
		 cause == SCAUSE_STORE_PAGE)
		user_fault(f, cause);
	else
		bad_trap("U", 0x72);
}

void s_main(uint64_t hartid)
{
	(void)hartid;
	IRQ_CSR_WRITE(stvec, (uint64_t)s_trapvec);
	IRQ_CSR_WRITE(sscratch, 0);
	G_CHECK("smode_sv39 U program size",
		(uint64_t)(user_end - user_start) <= PAGE, 1, 20);
	build_tables();
	uint64_t satp = SATP_SV39 | (uint64_t)root >> 12;
	IRQ_CSR_WRITE(satp, satp);
	__asm__ volatile("sfence.vma" ::: "memory");
	G_CHECK("smode_sv39 satp", IRQ_CSR_READ(satp), satp, 21);
	g_puts("smode_sv39: Sv39 on in S-mode\n");
	stests_run();
	g_puts("smode_sv39: S-mode checks ok, entering U-mode: ");
	s_enter_user(VA_UCODE, VA_UDATA + PAGE);
}
