/* trap.h: exceptions, interrupts and xRET: privilege transitions. */
#ifndef RRV_CORE_TRAP_H
#define RRV_CORE_TRAP_H

#include <stdbool.h>
#include <stdint.h>

struct hart;

/* Take a trap at h->pc (the epc): cause has CAUSE_INTERRUPT for interrupts. */
void trap_take(struct hart *h, uint64_t cause, uint64_t tval);
/* Take the highest-priority pending and enabled interrupt, if any. */
bool trap_check_interrupt(struct hart *h);
/* Any interrupt pending and enabled in mie (WFI wake-up condition). */
bool trap_wfi_wakeup(const struct hart *h);
void trap_mret(struct hart *h);
void trap_sret(struct hart *h);
/* Change privilege (updates TLB regime). */
void trap_set_priv(struct hart *h, unsigned priv);

#endif /* RRV_CORE_TRAP_H */
