/* sbi.h: rrv's built-in SBI (`--bios builtin`): ECALLs from S-mode answered by rrv. */
#ifndef RRV_CORE_SBI_H
#define RRV_CORE_SBI_H

#include <stdint.h>

#include "core/machine.h"

struct hart;

/*
 * The Transkernel rule: emulate the stateless services, translate the
 * stateful code. An S-mode ECALL is answered here, in C, inside the ECALL
 * instruction (Base, TIME, DBCN, SRST, the legacy console, HSM status):
 * what it touches outside the hart goes through the same paths a guest
 * access would (the CLINT's mtimecmp as an MMIO store, console bytes in
 * the I/O domain, mailbox words in RAM with ownership), so a recording
 * needs nothing new. What must happen on *another* hart at a point of
 * that hart's own instruction stream (an IPI's SSIP, a remote fence, a
 * hart start) is real guest code: a small M-mode firmware in the boot ROM
 * (core/sbi_rom.c) that the target runs when the caller raises its CLINT
 * msip, reading requests from a per-hart mailbox page in RAM. The
 * timer works as with real firmware: MTIP traps to the ROM, which sets
 * STIP and masks MTIE until the next set_timer.
 */

/* One 4 KiB mailbox page per hart at the start of RAM (reserved in the
 * device tree, no-map): nothing else is loaded there with builtin SBI. */
#define SBI_MBOX_BASE RAM_BASE
#define SBI_MBOX_STRIDE 0x1000ull
static inline uint64_t sbi_mbox(unsigned hart)
{
	return SBI_MBOX_BASE + (uint64_t)hart * SBI_MBOX_STRIDE;
}

/* Mailbox words (byte offsets), shared by sbi.c and the ROM. */
enum {
	SBI_MB_STATE = 0x00,  /* HSM state (SBI spec §9: 0 STARTED, 1 STOPPED,
	                       * 2 START_PENDING) or SBI_HSM_CLAIMED */
	SBI_MB_START = 0x08,  /* hart_start's start_addr */
	SBI_MB_OPAQUE = 0x10, /* and its opaque, a1 at start */
	SBI_MB_REQ = 0x18,    /* requested work, SBI_REQ_* bits (AMO OR) */
	SBI_MB_SEQ = 0x20,    /* requests counted (AMO ADD: a ticket) */
	SBI_MB_DONE = 0x28,   /* the SEQ value the hart last served */
	SBI_MB_SAVE = 0x30,   /* t1..t6 while the ROM runs (6 words) */
	SBI_MB_WAITN = 0x60,  /* remote fence: how many entries to wait for */
	SBI_MB_WAIT = 0x100,  /* ... (mailbox address, ticket) pairs */
};

enum { SBI_REQ_IPI = 1, SBI_REQ_FENCE_I = 2, SBI_REQ_SFENCE = 4 };

/* A hart_start in progress (the caller claimed the hart, has not yet
 * written its start address): reads as START_PENDING. */
#define SBI_HSM_CLAIMED 0x100

/* ROM entry points (core/sbi_rom.c). */
#define SBI_ROM_TRAP (BOOTROM_BASE + 0x100)
#define SBI_ROM_PARK (BOOTROM_BASE + 0x200)
#define SBI_ROM_RFWAIT (BOOTROM_BASE + 0x300)

/* What the ECALL did. */
enum sbi_outcome {
	SBI_RETIRED,  /* answered: pc and privilege set, the ECALL retires */
	SBI_SUSPEND,  /* hart_suspend: in WFI at the ECALL, retires on wake-up */
	SBI_ABORT,    /* the run stopped while it waited for ownership */
};

/* An ECALL from S-mode with builtin SBI (EID in a7, FID in a6, result in
 * a0/a1). Called by the hart's thread with h->insn_icount set. */
enum sbi_outcome sbi_ecall(struct hart *h);

/* The firmware in the boot ROM (m->rom, past the reset stub). */
void sbi_rom_build(uint8_t *rom, size_t size);

/* After every hart was reset: the state an M-mode firmware leaves for an
 * S-mode kernel; hart 0 at the kernel entry, the others stopped. */
void sbi_prepare(struct machine *m);

#endif /* RRV_CORE_SBI_H */
