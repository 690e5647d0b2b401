/* test_csr.c: CSR access rules, WARL fields and the S-mode views. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/csr.h"
#include "core/riscv.h"
#include "tests/unit/core_fixture.h"

static int setup(void **state)
{
	struct machine *m = fixture_machine();
	if (!m)
		return -1;
	hart_reset(m->harts[0], RAM_BASE, 0);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	machine_free(*state);
	return 0;
}

static struct hart *H(void **state)
{
	return ((struct machine *)*state)->harts[0];
}

static uint64_t rd(struct hart *h, unsigned csr)
{
	uint64_t v = 0xdead;
	assert_true(csr_access(h, csr, CSR_OP_S, 0, true, false, &v));
	return v;
}

static bool wr(struct hart *h, unsigned csr, uint64_t v)
{
	uint64_t old;
	return csr_access(h, csr, CSR_OP_W, v, true, true, &old);
}

static void test_misa_reports_rv64imafdcsu(void **state)
{
	uint64_t v = rd(H(state), CSR_MISA);
	assert_int_equal(v >> 62, 2);
	const char *ext = "IMAFDCSU";
	for (const char *e = ext; *e; e++)
		assert_true(v & (1ull << (*e - 'A')));
	assert_false(v & (1ull << ('H' - 'A')));
}

static void test_unimplemented_csr_is_illegal(void **state)
{
	uint64_t v;
	assert_false(csr_access(H(state), 0x7c0, CSR_OP_S, 0, true, false, &v));
	assert_false(csr_access(H(state), CSR_PMPCFG0 + 1, CSR_OP_S, 0, true, false, &v));
}

static void test_write_to_read_only_csr_is_illegal(void **state)
{
	uint64_t v;
	assert_false(csr_access(H(state), CSR_MHARTID, CSR_OP_W, 1, true, true, &v));
	/* Reading it (csrrs with rs1 = x0) is fine. */
	assert_true(csr_access(H(state), CSR_MHARTID, CSR_OP_S, 0, true, false, &v));
	assert_int_equal(v, 0);
}

static void test_s_mode_cannot_access_m_csrs(void **state)
{
	struct hart *h = H(state);
	h->priv = PRV_S;
	uint64_t v;
	assert_false(csr_access(h, CSR_MSTATUS, CSR_OP_S, 0, true, false, &v));
	assert_true(csr_access(h, CSR_SSTATUS, CSR_OP_S, 0, true, false, &v));
}

static void test_mpp_reserved_value_is_not_stored(void **state)
{
	struct hart *h = H(state);
	assert_true(wr(h, CSR_MSTATUS, 1ull << 11)); /* MPP = S */
	assert_true(wr(h, CSR_MSTATUS, 2ull << 11)); /* MPP = 2: reserved */
	assert_int_equal((rd(h, CSR_MSTATUS) >> 11) & 3, 1);
}

static void test_sd_reflects_dirty_fs(void **state)
{
	struct hart *h = H(state);
	assert_true(wr(h, CSR_MSTATUS, MSTATUS_FS));
	assert_true(rd(h, CSR_MSTATUS) & MSTATUS_SD);
	assert_int_equal(rd(h, CSR_MSTATUS) >> 32 & 0xf, 0xa); /* UXL=SXL=2 */
	assert_true(wr(h, CSR_MSTATUS, 1ull << 13));
	assert_false(rd(h, CSR_MSTATUS) & MSTATUS_SD);
}

static void test_fp_csrs_illegal_with_fs_off(void **state)
{
	uint64_t v;
	assert_false(csr_access(H(state), CSR_FFLAGS, CSR_OP_S, 0, true, false, &v));
}

static void test_fcsr_composes_frm_and_fflags(void **state)
{
	struct hart *h = H(state);
	assert_true(wr(h, CSR_MSTATUS, 1ull << 13));
	assert_true(wr(h, CSR_FCSR, 0xff));
	assert_int_equal(rd(h, CSR_FFLAGS), 0x1f);
	assert_int_equal(rd(h, CSR_FRM), 7);
	assert_int_equal(rd(h, CSR_FCSR), 0xff);
	/* Writing an FP CSR dirties FS. */
	assert_int_equal(rd(h, CSR_MSTATUS) & MSTATUS_FS, MSTATUS_FS);
}

static void test_sstatus_is_a_view_of_mstatus(void **state)
{
	struct hart *h = H(state);
	assert_true(wr(h, CSR_MSTATUS, MSTATUS_MIE | MSTATUS_SIE));
	uint64_t s = rd(h, CSR_SSTATUS);
	assert_true(s & MSTATUS_SIE);
	assert_false(s & MSTATUS_MIE);
	assert_true(wr(h, CSR_SSTATUS, 0));
	assert_true(rd(h, CSR_MSTATUS) & MSTATUS_MIE);
	assert_false(rd(h, CSR_MSTATUS) & MSTATUS_SIE);
}

static void test_sie_and_sip_masked_by_mideleg(void **state)
{
	struct hart *h = H(state);
	assert_true(wr(h, CSR_MIE, MIP_ALL));
	assert_int_equal(rd(h, CSR_SIE), 0);
	assert_true(wr(h, CSR_MIDELEG, MIP_S_MASK | MIP_MTIP));
	assert_int_equal(rd(h, CSR_MIDELEG), MIP_S_MASK);
	assert_int_equal(rd(h, CSR_SIE), MIP_S_MASK);
}

static void test_satp_accepts_only_bare_and_sv39(void **state)
{
	struct hart *h = H(state);
	assert_true(wr(h, CSR_SATP, 8ull << 60 | 0x1234));
	assert_int_equal(rd(h, CSR_SATP), 8ull << 60 | 0x1234);
	assert_true(wr(h, CSR_SATP, 9ull << 60 | 0x1)); /* Sv48: ignored */
	assert_int_equal(rd(h, CSR_SATP), 8ull << 60 | 0x1234);
}

static void test_counters_gated_by_mcounteren(void **state)
{
	struct hart *h = H(state);
	uint64_t v;
	h->priv = PRV_S;
	assert_false(csr_access(h, CSR_CYCLE, CSR_OP_S, 0, true, false, &v));
	h->priv = PRV_M;
	assert_true(wr(h, CSR_MCOUNTEREN, 7));
	h->priv = PRV_S;
	assert_true(csr_access(h, CSR_TIME, CSR_OP_S, 0, true, false, &v));
	h->priv = PRV_U;
	assert_false(csr_access(h, CSR_INSTRET, CSR_OP_S, 0, true, false, &v));
}

static void test_mepc_clears_bit_zero(void **state)
{
	struct hart *h = H(state);
	assert_true(wr(h, CSR_MEPC, 0x80000003));
	assert_int_equal(rd(h, CSR_MEPC), 0x80000002);
}

static void test_medeleg_cannot_delegate_m_ecall(void **state)
{
	struct hart *h = H(state);
	assert_true(wr(h, CSR_MEDELEG, ~0ull));
	assert_false(rd(h, CSR_MEDELEG) & (1ull << EXC_ECALL_M));
	assert_true(rd(h, CSR_MEDELEG) & (1ull << EXC_ECALL_U));
}

static void test_mip_rmw_keeps_external_seip_out_of_software_bit(void **state)
{
	struct hart *h = H(state);
	uint64_t v;
	/* The PLIC raises the S-context line; a safe point folds it in. */
	h->mip_ext = MIP_SEIP;
	h->mip |= MIP_SEIP;
	assert_true(rd(h, CSR_MIP) & MIP_SEIP);
	/* csrs mip, SSIP (as OpenSBI does) must not latch SEIP as software's. */
	assert_true(csr_access(h, CSR_MIP, CSR_OP_S, MIP_SSIP, true, true, &v));
	assert_int_equal(h->mip_sw_seip, 0);
	/* The line drops: SEIP is gone, SSIP stays. */
	h->mip_ext = 0;
	h->mip &= ~MIP_SEIP;
	assert_int_equal(rd(h, CSR_MIP) & (MIP_SEIP | MIP_SSIP), MIP_SSIP);
	/* A software write of SEIP is its own and survives the line. */
	assert_true(csr_access(h, CSR_MIP, CSR_OP_S, MIP_SEIP, true, true, &v));
	assert_int_equal(h->mip_sw_seip, MIP_SEIP);
	assert_true(rd(h, CSR_MIP) & MIP_SEIP);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_misa_reports_rv64imafdcsu),
		T(test_mip_rmw_keeps_external_seip_out_of_software_bit),
		T(test_unimplemented_csr_is_illegal),
		T(test_write_to_read_only_csr_is_illegal),
		T(test_s_mode_cannot_access_m_csrs),
		T(test_mpp_reserved_value_is_not_stored),
		T(test_sd_reflects_dirty_fs),
		T(test_fp_csrs_illegal_with_fs_off),
		T(test_fcsr_composes_frm_and_fflags),
		T(test_sstatus_is_a_view_of_mstatus),
		T(test_sie_and_sip_masked_by_mideleg),
		T(test_satp_accepts_only_bare_and_sv39),
		T(test_counters_gated_by_mcounteren),
		T(test_mepc_clears_bit_zero),
		T(test_medeleg_cannot_delegate_m_ecall),
	};
	return cmocka_run_group_tests_name("csr", tests, NULL, NULL);
}
