/* rv64mi_trigger.S: Sdtrig triggers as M-mode software sees them: probing, execute/load/store breakpoints, privilege rules; extra harts take breakpoints in a loop. */
#include "test_macros.h"

#define MSTATUS_MIE   0x8
#define MSTATUS_MPP   0x1800
#define CSR_TINFO     0x7a4
#define TYPE6         (6 << 60)
#define TYPE2         (2 << 60)
#define MC_LOAD       0x1
#define MC_STORE      0x2
#define MC_EXEC       0x4
#define MC_U          0x8
#define MC_S          0x10
#define MC_M          0x40
#define MC_GE         (2 << 7)                /* match = 2: address >= tdata2 */
#define MC6_HIT0      (1 << 22)
#define WORD0         0x1111222233334444
#define WORD1         0x5555666677778888
#define WORKER_ITERS  300

/*
 * Checks of what Sdtrig 1.0 (tinfo.version >= 1) requires but older drafts
 * left open, skipped on older trigger modules (QEMU 7.2 reports version
 * 0): only run when s7 != 0.
 */
#define V1_ONLY(checks...)                                                \
	beqz	s7, 9992f;                                                \
	checks;                                                           \
9992:

/* Disable the selected trigger: tdata1 = 0 (QEMU 7.2 ignores that write;
 * an mcontrol6 that matches nothing does it there). */
#define TRIG_OFF                                                          \
	csrw	tdata1, zero;                                             \
	bnez	s7, 9995f;                                                \
	li	t0, TYPE6;                                                \
	csrw	tdata1, t0;                                               \
9995:

/* The recorded mtval is REG (the privileged spec allows 0 as well: older
 * trigger modules, QEMU 7.2's among them, give 0). */
#define TVAL_OK(got, want)                                                \
	bnez	s7, 9993f;                                                \
	beqz	got, 9994f;                                               \
9993:	CHECK_R(got, want);                                               \
9994:
#define TVAL_IS(reg)                                                      \
	la	t0, t_trap_state;                                         \
	ld	a3, 24(t0);                                               \
	TVAL_OK(a3, reg)

/* Run the U-mode code at LABEL; the U-mode trap comes back to 1: with
 * s2 = mcause, s3 = mepc, s4 = mtval, s5 = mstatus. */
#define RUN_IN_U(label)                                                   \
	la	t0, u_trap;                                               \
	csrw	mtvec, t0;                                                \
	la	t0, label;                                                \
	csrw	mepc, t0;                                                 \
	li	t0, MSTATUS_MPP;                                          \
	csrc	mstatus, t0;                                              \
	la	s6, 1f;                                                   \
	mret;                                                             \
1:

	/* No compressed code: every label is 4-byte aligned without
	 * padding (mtvec needs it; padding reads as data to objdump). */
	.option	norvc
	.text
	.align	2
	.globl	main
main:
	bnez	a0, worker
	mv	s0, a1                          /* the DTB */
	TRAP_INSTALL
	csrw	mie, zero
	/* M-mode triggers fire only while MIE = 1 (Sdtrig "Native
	 * Triggers", for harts without tcontrol); mie = 0 keeps
	 * interrupts away. */
	csrsi	mstatus, MSTATUS_MIE
	/* PMP: U-mode may reach all memory (QEMU enforces PMP). */
	li	t0, -1
	srli	t0, t0, 10
	csrw	pmpaddr0, t0
	li	t0, 0x1f
	csrw	pmpcfg0, t0

	/* ---- probing (Sdtrig "Enumeration") ---- */
	TCASE                                   /* tselect exists and holds 0 */
	csrw	tselect, zero
	csrr	a3, tselect
	CHECK(a3, 0)
	TCASE                                   /* tinfo: mcontrol6 supported */
	csrr	a3, CSR_TINFO
	andi	a3, a3, 1 << 6
	CHECK(a3, 1 << 6)
	csrr	s7, CSR_TINFO
	srli	s7, s7, 24
	TCASE                                   /* at least 2 triggers, fewer than 64 */
	li	s1, 0
2:	csrw	tselect, s1
	csrr	a3, tselect
	bne	a3, s1, 3f
	csrr	a3, CSR_TINFO
	li	t0, 1
	beq	a3, t0, 3f
	addi	s1, s1, 1
	li	t0, 64
	bltu	s1, t0, 2b
3:	sltiu	a3, s1, 2
	CHECK(a3, 0)
	sltiu	a3, s1, 64
	CHECK(a3, 1)
	TCASE                                   /* writing tdata1 = 0 leaves it disabled */
	csrw	tselect, zero
	csrw	tdata1, zero
	csrr	a3, tdata1
	srli	a3, a3, 60
	V1_ONLY(CHECK(a3, 15))

	/* ---- execute trigger ---- */
	TCASE                                   /* fires before the instruction */
	la	a1, target
	csrw	tdata2, a1
	li	a1, TYPE6 | MC_M | MC_EXEC
	csrw	tdata1, a1
	li	a3, 0
	TRAP_ARM
	call	target
	CHECK(a3, 0)
	la	a5, target
	TRAP_CHECK(3, a5)
	TVAL_IS(a5)
	TCASE                                   /* and sets hit0 */
	csrr	a3, tdata1
	li	t0, MC6_HIT0
	and	a3, a3, t0
	V1_ONLY(CHECK(a3, MC6_HIT0))
	TCASE                                   /* tdata1 = 0 disables it */
	TRIG_OFF
	li	a3, 0
	call	target
	CHECK(a3, 1)
	TCASE                                   /* m = 0: does not fire in M-mode */
	li	a1, TYPE6 | MC_S | MC_U | MC_EXEC
	csrw	tdata1, a1
	li	a3, 0
	call	target
	CHECK(a3, 1)
	TCASE                                   /* m = 1 but MIE = 0: does not fire either */
	beqz	s7, 1f                          /* (QEMU 7.2 has no such rule) */
	li	a1, TYPE6 | MC_M | MC_EXEC
	csrw	tdata1, a1
	csrci	mstatus, MSTATUS_MIE
	li	a3, 0
	call	target
	csrsi	mstatus, MSTATUS_MIE
	CHECK(a3, 1)
1:
	TCASE                                   /* mcontrol (type 2) executes alike */
	la	a1, target
	csrw	tdata2, a1
	li	a1, TYPE2 | MC_M | MC_EXEC
	csrw	tdata1, a1
	csrr	a3, tdata1
	CHECK(a3, TYPE2 | MC_M | MC_EXEC)
	li	a3, 0
	TRAP_ARM
	call	target
	CHECK(a3, 0)
	la	a5, target
	TRAP_CHECK(3, a5)
	TRIG_OFF

	/* ---- load and store triggers ---- */
	TCASE                                   /* a load trigger fires before the load */
	la	a4, data
	csrw	tdata2, a4
	li	a1, TYPE6 | MC_M | MC_LOAD
	csrw	tdata1, a1
	li	a3, 7
	TRAP_ARM
	la	a5, 5f
5:	ld	a3, 0(a4)
	CHECK(a3, 7)
	TRAP_CHECK(3, a5)
	TVAL_IS(a4)
	TCASE                                   /* not on the next word, not on a store */
	ld	a3, 8(a4)
	CHECK(a3, WORD1)
	li	a2, WORD0
	sd	a2, 0(a4)
	TCASE                                   /* a store trigger: the store does not happen */
	csrw	tselect, 1
	csrw	tdata2, a4
	li	a1, TYPE6 | MC_M | MC_STORE
	csrw	tdata1, a1
	csrw	tselect, zero
	TRIG_OFF                                /* trigger 0 (the load) off */
	li	a2, 0x55
	TRAP_ARM
	la	a5, 6f
6:	sd	a2, 0(a4)
	TRAP_CHECK(3, a5)
	TVAL_IS(a4)
	ld	a3, 0(a4)                       /* loads do not match it */
	CHECK(a3, WORD0)
	TCASE                                   /* the next word is stored */
	sd	a2, 8(a4)
	ld	a3, 8(a4)
	CHECK(a3, 0x55)
	li	a2, WORD1
	sd	a2, 8(a4)
	TCASE                                   /* any byte of the access matches */
	csrw	tselect, 1
	addi	a1, a4, 3
	csrw	tdata2, a1
	TRAP_ARM
	la	a5, 7f
7:	sd	a2, 0(a4)
	TRAP_CHECK(3, a5)
	ld	a3, 0(a4)
	CHECK(a3, WORD0)
	TRIG_OFF
	csrw	tselect, zero

	/* ---- U-mode ---- */
	TCASE                                   /* an s/u execute trigger fires in U-mode */
	la	a1, u_target
	csrw	tdata2, a1
	li	a1, TYPE6 | MC_S | MC_U | MC_EXEC
	csrw	tdata1, a1
	li	a3, 0
	RUN_IN_U(u_code)
	CHECK(a3, 0)
	CHECK(s2, 3)
	la	a5, u_target
	CHECK_R(s3, a5)
	TVAL_OK(s4, a5)
	li	t0, MSTATUS_MPP
	and	a3, s5, t0
	CHECK(a3, 0)                            /* taken from U */
	TCASE                                   /* an M-only one does not */
	li	a1, TYPE6 | MC_M | MC_EXEC
	csrw	tdata1, a1
	li	a3, 0
	RUN_IN_U(u_code)
	CHECK(a3, 1)
	CHECK(s2, 8)                            /* the ecall after it */
	TCASE                                   /* a U load trigger fires in U-mode */
	la	a4, data
	csrw	tdata2, a4
	li	a1, TYPE6 | MC_U | MC_LOAD
	csrw	tdata1, a1
	li	a3, 9
	RUN_IN_U(u_load)
	CHECK(a3, 9)
	CHECK(s2, 3)
	la	a5, u_load
	CHECK_R(s3, a5)
	TVAL_OK(s4, a4)
	TRIG_OFF

	/* ---- the other harts ---- */
	TCASE                                   /* each took 2 breakpoints per iteration */
	mv	a0, s0
	call	smp_dtb_harts
	mv	s1, a0
	li	s2, 1
8:	bgeu	s2, s1, 10f
	slli	s3, s2, 3
	la	t0, w_done
	add	t0, t0, s3
9:	ld	a3, 0(t0)
	beqz	a3, 9b
	fence	rw, rw
	la	t0, w_count
	add	t0, t0, s3
	ld	a3, 0(t0)
	CHECK(a3, 2 * WORKER_ITERS)
	la	t0, w_shared
	add	t0, t0, s3
	ld	a3, 0(t0)
	CHECK(a3, 0)                            /* every store was stopped */
	addi	s2, s2, 1
	j	8b
10:	TEST_PASS

	.option push
	.option norvc
	.align	2
target:
	li	a3, 1
	ret

u_code:
	nop
u_target:
	li	a3, 1
	ecall
u_load:
	ld	a3, 0(a4)
	ecall
	.option pop

	/* A trap from U-mode: back to M-mode at s6 with what it saw. */
	.align	2
u_trap:
	csrr	s2, mcause
	csrr	s3, mepc
	csrr	s4, mtval
	csrr	s5, mstatus
	la	t0, t_trap
	csrw	mtvec, t0
	csrsi	mstatus, MSTATUS_MIE
	jr	s6

/*
 * Harts other than 0: an execute trigger on a loop instruction and a store
 * trigger on the hart's own w_shared slot, both taken WORKER_ITERS times
 * and counted by the handler in w_count (next to the data hart 0 uses, so
 * recording moves the page between harts).
 */
	.option push
	.option norvc
worker:
	li	t0, 16
	bgeu	a0, t0, 3f                      /* room for 16 harts */
	la	t0, w_trap
	csrw	mtvec, t0
	csrw	mie, zero
	csrsi	mstatus, MSTATUS_MIE
	slli	s1, a0, 3
	la	s2, w_shared
	add	s2, s2, s1
	csrw	tselect, zero
	la	t0, 2f
	csrw	tdata2, t0
	li	t0, TYPE6 | MC_M | MC_EXEC
	csrw	tdata1, t0
	csrw	tselect, 1
	csrw	tdata2, s2
	li	t0, TYPE6 | MC_M | MC_STORE
	csrw	tdata1, t0
	li	s3, WORKER_ITERS
1:	sd	s3, 0(s2)                       /* stopped by trigger 1 */
2:	addi	s4, s4, 1                       /* stopped by trigger 0 */
	addi	s3, s3, -1
	bnez	s3, 1b
	la	t0, w_done
	add	t0, t0, s1
	fence	rw, rw
	li	t1, 1
	sd	t1, 0(t0)
3:	wfi
	j	3b
	.option pop

	.align	2
w_trap:
	csrr	t5, mcause
	li	t6, 3
	bne	t5, t6, 1f
	csrr	t5, mhartid
	slli	t5, t5, 3
	la	t6, w_count
	add	t5, t5, t6
	ld	t6, 0(t5)
	addi	t6, t6, 1
	sd	t6, 0(t5)
	csrr	t5, mepc
	addi	t5, t5, 4
	csrw	mepc, t5
	mret
1:	j	crt_trap

	.data
	.align	3
data:
	.dword	WORD0, WORD1
w_count:
	.fill	16, 8, 0
w_shared:
	.fill	16, 8, 0
w_done:
	.fill	16, 8, 0
