/* sv39.h: layout shared by the smode_sv39 guest's M-mode part, S-mode kernel and U-mode program. */
#ifndef RRV_GUESTS_SMODE_SV39_SV39_H
#define RRV_GUESTS_SMODE_SV39_SV39_H

/* Sv39 PTE bits (privileged spec 4.3.1 / 4.4.1). */
#define PTE_V 0x001
#define PTE_R 0x002
#define PTE_W 0x004
#define PTE_X 0x008
#define PTE_U 0x010
#define PTE_G 0x020
#define PTE_A 0x040
#define PTE_D 0x080

/*
 * Virtual layout. Gigapage 0 maps the devices and gigapage 2 the RAM the
 * guest runs in (identity, supervisor only). Gigapage 1 (0x40000000) holds
 * the 4 KiB test pages, one per purpose, and two megapages.
 */
#define VA_PAGE(i) (0x40000000 + (i) * 0x1000)
#define VA_UCODE VA_PAGE(0)   /* user program: R X U */
#define VA_UDATA VA_PAGE(1)   /* user stack and data: R W U */
#define VA_URO VA_PAGE(2)     /* read-only user page: R U */
#define VA_UNX VA_PAGE(3)     /* non-executable user page: R W U */
#define VA_USUP VA_PAGE(4)    /* supervisor-only page: R W */
#define VA_UDEMAND VA_PAGE(5) /* unmapped until the user touches it */
#define VA_KXO VA_PAGE(6)     /* execute-only supervisor page (MXR) */
#define VA_KAD VA_PAGE(7)     /* A and D clear until accessed */
#define VA_KSF VA_PAGE(8)     /* remapped to test SFENCE.VMA */
#define VA_KRES VA_PAGE(9)    /* reserved encoding W without R */
#define VA_KUX VA_PAGE(10)    /* user R X page S tries to execute */
#define VA_TEST_PAGES 11
#define VA_MEGA_BAD 0x40200000  /* megapage leaf with a misaligned PPN */
#define VA_MEGA_OK 0x40400000   /* megapage leaf mapping RAM start */
#define VA_GIGA_BAD 0xc0000000  /* gigapage leaf with a misaligned PPN */
#define VA_NONCANON 0x0000004000000000 /* bits 63:39 differ from bit 38 */

/* Values the pages hold where the program checks them. */
#define RO_MAGIC 0x5eed
#define DEMAND_MAGIC 0xd00d
#define KXO_MAGIC 0x0000806700008067 /* two "jalr x0, 0(ra)" */

/* System calls: number in a7, arguments in a0, a1. */
#define SYS_PUTC 1   /* a0 = character */
#define SYS_EXIT 2   /* a0 = status, 0 when every user check passed */
#define SYS_EXPECT 3 /* the next trap is page fault a0 at address a1 */

/* Calls from the kernel to M-mode (ecall from S): number in a7. */
#define MCALL_SET_TIMER 0 /* a0 = mtime deadline; clears a pending STIP */

#define TRAP_FRAME 256 /* x0..x31, x0's slot unused */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trap_frame {
	uint64_t x[32];
};

void m_enter_s(uint64_t pc, uint64_t sp, uint64_t arg);
void s_enter_user(uint64_t pc, uint64_t sp);
void m_trapvec(void);
void s_trapvec(void);
void m_trap(struct trap_frame *f);
void s_trap(struct trap_frame *f);
void s_main(uint64_t hartid);
extern char user_start[], user_end[];
#endif

#endif /* RRV_GUESTS_SMODE_SV39_SV39_H */
