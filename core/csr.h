/* csr.h: control and status registers: access checks, reads, writes. */
#ifndef RRV_CORE_CSR_H
#define RRV_CORE_CSR_H

#include <stdbool.h>
#include <stdint.h>

struct hart;

enum csr_op { CSR_OP_W, CSR_OP_S, CSR_OP_C };

/*
 * Execute a Zicsr instruction's effect: read the old value (unless !do_read,
 * as for CSRRW with rd = x0, which must have no read side effects), then
 * write/set/clear with `operand` (unless !do_write, as for CSRRS/C with
 * rs1 = x0). Returns false when the access is illegal (nonexistent CSR,
 * insufficient privilege, write to a read-only CSR, FS off for FP CSRs):
 * the caller raises an illegal-instruction exception.
 */
bool csr_access(struct hart *h, unsigned csr, enum csr_op op, uint64_t operand,
		bool do_read, bool do_write, uint64_t *old);

/*
 * A debugger's read of a CSR: no privilege checks and no side effects. The
 * time CSR is an input (recorded, not derived from the state), so it is not
 * available here. false when the CSR does not exist.
 */
bool csr_peek(const struct hart *h, unsigned csr, uint64_t *v);

/* mstatus as read (SD derived from FS). */
uint64_t csr_mstatus_read(const struct hart *h);

#endif /* RRV_CORE_CSR_H */
