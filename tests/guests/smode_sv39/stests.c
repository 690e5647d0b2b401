/* stests.c: smode_sv39's S-mode checks: SUM, MXR, A/D updates, SFENCE.VMA, superpages, reserved PTEs, S interrupts. */
#include "guest.h"
#include "irq.h"
#include "kernel.h"

#define SIE_SIE (1ul << 1)

static void want_fault(const char *name, struct probe p, uint64_t cause,
		       uint64_t va, int code)
{
	if (!p.trapped) {
		g_puts("smode_sv39: no fault: ");
		g_fail(name, p.value, cause, code);
	}
	G_CHECK(name, p.cause, cause, code);
	G_CHECK(name, p.tval, va, code);
}

static void want_value(const char *name, struct probe p, uint64_t value,
		       int code)
{
	if (p.trapped) {
		g_puts("smode_sv39: unexpected fault (got = scause, want = stval): ");
		g_fail(name, p.cause, p.tval, code);
	}
	G_CHECK(name, p.value, value, code);
}

static void want_no_fault(const char *name, struct probe p, int code)
{
	want_value(name, p, p.value, code);
}

/* SUM (privileged spec 4.1.1.2): S touches U pages only with SUM = 1. */
static void check_sum(void)
{
	IRQ_CSR_CLEAR(sstatus, IRQ_MSTATUS_SUM);
	want_fault("SUM=0 S load from U page", probe_load(VA_UDATA),
		   SCAUSE_LOAD_PAGE, VA_UDATA, 30);
	want_fault("SUM=0 S store to U page", probe_store(VA_UDATA + 8, 1),
		   SCAUSE_STORE_PAGE, VA_UDATA + 8, 31);
	IRQ_CSR_SET(sstatus, IRQ_MSTATUS_SUM);
	want_no_fault("SUM=1 S store to U page", probe_store(VA_UDATA, 0xabc), 32);
	want_value("SUM=1 S load from U page", probe_load(VA_UDATA), 0xabc, 32);
	/* S never executes user pages, SUM or not. */
	want_fault("S fetch from U page", probe_exec(VA_KUX), SCAUSE_FETCH_PAGE,
		   VA_KUX, 33);
	IRQ_CSR_CLEAR(sstatus, IRQ_MSTATUS_SUM);
}

/* MXR: loads from execute-only pages succeed only with MXR = 1. */
static void check_mxr(void)
{
	want_no_fault("S fetch from X-only page", probe_exec(VA_KXO), 34);
	IRQ_CSR_CLEAR(sstatus, IRQ_MSTATUS_MXR);
	want_fault("MXR=0 load from X-only page", probe_load(VA_KXO),
		   SCAUSE_LOAD_PAGE, VA_KXO, 35);
	IRQ_CSR_SET(sstatus, IRQ_MSTATUS_MXR);
	want_value("MXR=1 load from X-only page", probe_load(VA_KXO + 8),
		   KXO_MAGIC, 36);
	want_fault("MXR=1 store to X-only page", probe_store(VA_KXO, 0),
		   SCAUSE_STORE_PAGE, VA_KXO, 37);
	IRQ_CSR_CLEAR(sstatus, IRQ_MSTATUS_MXR);
	want_fault("S fetch from RW page", probe_exec(VA_USUP),
		   SCAUSE_FETCH_PAGE, VA_USUP, 38);
}

/* Accessed / dirty bits: QEMU (and so rrv) sets them in the PTE itself
 * rather than raising a page fault (privileged spec 4.3.1, either is
 * allowed; Svadu behaviour). */
static void check_ad(void)
{
	volatile uint64_t *pte = kernel_leaf(VA_KAD);
	G_CHECK("A/D clear before access", *pte & (PTE_A | PTE_D), 0, 40);
	want_value("load from A=0 page", probe_load(VA_KAD), 0, 41);
	G_CHECK("A/D after load", *pte & (PTE_A | PTE_D), PTE_A, 42);
	want_no_fault("store to D=0 page", probe_store(VA_KAD, 7), 43);
	G_CHECK("A/D after store", *pte & (PTE_A | PTE_D), PTE_A | PTE_D, 44);
	want_value("load after store", probe_load(VA_KAD), 7, 45);
}

/* SFENCE.VMA makes a changed PTE take effect. */
static void check_sfence(void)
{
	volatile uint64_t *pte = kernel_leaf(VA_KSF);
	uint64_t flags = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
	want_value("KSF first page", probe_load(VA_KSF), 0x1111, 46);
	*pte = kernel_pte(kernel_pool_page(11), flags);
	sfence_vma(VA_KSF);
	want_value("KSF after remap + sfence.vma", probe_load(VA_KSF + 16),
		   0x2222, 47);
	*pte = 0;
	sfence_vma(VA_KSF);
	want_fault("KSF after unmap + sfence.vma", probe_load(VA_KSF),
		   SCAUSE_LOAD_PAGE, VA_KSF, 48);
	*pte = kernel_pte(kernel_pool_page(8), flags);
	/* The global form this time. */
	__asm__ volatile("sfence.vma" ::: "memory");
	want_value("KSF after remap back", probe_load(VA_KSF), 0x1111, 49);
}

/* Superpages: a leaf above level 0 whose PPN is not aligned to its size is
 * a page fault (privileged spec 4.3.2 step 6). */
static void check_superpages(void)
{
	uint64_t rw = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
	*kernel_l1(VA_MEGA_BAD) = kernel_pte(0x80001000, rw);
	*kernel_l1(VA_MEGA_OK) = kernel_pte(0x80000000, PTE_V | PTE_R | PTE_A);
	*kernel_root(VA_GIGA_BAD) = kernel_pte(0x80200000, rw);
	__asm__ volatile("sfence.vma" ::: "memory");
	want_fault("misaligned megapage load", probe_load(VA_MEGA_BAD + 8),
		   SCAUSE_LOAD_PAGE, VA_MEGA_BAD + 8, 50);
	want_fault("misaligned megapage store", probe_store(VA_MEGA_BAD, 1),
		   SCAUSE_STORE_PAGE, VA_MEGA_BAD, 51);
	want_fault("misaligned gigapage load", probe_load(VA_GIGA_BAD + 0x1000),
		   SCAUSE_LOAD_PAGE, VA_GIGA_BAD + 0x1000, 52);
	uint64_t offset = 0x1234 * 8;
	want_value("aligned megapage load", probe_load(VA_MEGA_OK + offset),
		   *(volatile uint64_t *)(0x80000000 + offset), 53);
	want_fault("store to read-only megapage", probe_store(VA_MEGA_OK, 1),
		   SCAUSE_STORE_PAGE, VA_MEGA_OK, 54);
}

/* Malformed addresses and PTEs. */
static void check_invalid(void)
{
	want_fault("non-canonical address", probe_load(VA_NONCANON),
		   SCAUSE_LOAD_PAGE, VA_NONCANON, 55);
	want_fault("reserved W-only PTE load", probe_load(VA_KRES),
		   SCAUSE_LOAD_PAGE, VA_KRES, 56);
	want_fault("reserved W-only PTE store", probe_store(VA_KRES, 1),
		   SCAUSE_STORE_PAGE, VA_KRES, 57);
	want_fault("unmapped page", probe_load(VA_PAGE(VA_TEST_PAGES)),
		   SCAUSE_LOAD_PAGE, VA_PAGE(VA_TEST_PAGES), 58);
}

/* Delegated interrupts: S software (set by S itself in sip) and S timer
 * (raised by M-mode on its timer interrupt, as SBI firmware does). */
static void check_interrupts(void)
{
	IRQ_CSR_WRITE(sie, 1ul << IRQ_SSI | 1ul << IRQ_STI);
	IRQ_CSR_SET(sstatus, SIE_SIE);
	IRQ_CSR_SET(sip, 1ul << IRQ_SSI);
	for (int i = 0; i < 100 && !kernel_ssi_count; i++)
		;
	G_CHECK("S software interrupts taken", kernel_ssi_count, 1, 70);

	uint64_t start = irq_mtime();
	kernel_set_timer(start + IRQ_MTIME_HZ / 1000);
	while (!kernel_sti_count && irq_mtime() - start < IRQ_MTIME_HZ)
		__asm__ volatile("wfi");
	uint64_t elapsed = irq_mtime() - start;
	G_CHECK("S timer interrupts taken", kernel_sti_count, 1, 71);
	if (elapsed < IRQ_MTIME_HZ / 1000)
		g_fail("S timer interrupt early", elapsed, IRQ_MTIME_HZ / 1000, 72);
	G_CHECK("sip after the S timer", IRQ_CSR_READ(sip), 0, 73);
	IRQ_CSR_CLEAR(sstatus, SIE_SIE);
	IRQ_CSR_WRITE(sie, 0);
}

void stests_run(void)
{
	check_sum();
	check_mxr();
	check_ad();
	check_sfence();
	check_superpages();
	check_invalid();
	check_interrupts();
}
