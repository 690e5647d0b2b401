/* fp_exec.h: F/D instruction semantics shared by the interpreter and the JIT. */
#ifndef RRV_CORE_FP_EXEC_H
#define RRV_CORE_FP_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/decode.h"
#include "core/fpu.h"
#include "core/fpu_fast.h"
#include "core/hart.h"

/* NaN boxing (F spec §"NaN Boxing of Narrower Values"). */
static inline uint32_t fp_unbox_s(uint64_t v)
{
	return (v >> 32) == 0xffffffffu ? (uint32_t)v : FPU_CANON_NAN_S;
}
static inline uint64_t fp_box_s(uint32_t v) { return 0xffffffff00000000ull | v; }

static inline bool fp_resolve_rm(const struct hart *h, unsigned rm, int *out)
{
	if (rm == FPU_DYN)
		rm = h->frm;
	*out = (int)rm;
	return rm <= FPU_RMM;
}

#define FPX_RD h->x[op->rd]
#define FPX_RS1 h->x[op->rs1]
#define FPX_DIRTY() (h->mstatus |= MSTATUS_FS_DIRTY)
#define FRS_S(r) fp_unbox_s(h->f[r])
#define FRS_D(r) (h->f[r])
#define FWR_S(v) do { h->f[op->rd] = fp_box_s(v); FPX_DIRTY(); } while (0)
#define FWR_D(v) do { h->f[op->rd] = (v); FPX_DIRTY(); } while (0)
/* fpu_X, or its host-FPU fast path (core/fpu_fast.h: same bits and
 * flags) unless the hart was told not to (--fpu soft). */
#define FPU(name, ...) (__builtin_expect(h->fpu_soft, 0) ?                  \
			fpu_##name(__VA_ARGS__) : fpu_fast_##name(__VA_ARGS__))
/* Run an FPU call with a resolved rounding mode, accrue flags. */
/* Accrue the flags an operation raised (writing fflags dirties FS). */
#define FP_ACCRUE(fl)                                                       \
	do {                                                                \
		if (fl) {                                                   \
			h->fflags |= (fl);                                  \
			FPX_DIRTY();                                        \
		}                                                           \
	} while (0)
#define FP_RM(stmt)                                                         \
	do {                                                                \
		int rm;                                                     \
		unsigned fl = 0;                                            \
		if (!fp_resolve_rm(h, op->rm, &rm))                         \
			return false;                                       \
		stmt;                                                       \
		FP_ACCRUE(fl);                                              \
		return true;                                                \
	} while (0)
#define FP_NORM(stmt)                                                       \
	do {                                                                \
		unsigned fl = 0;                                            \
		stmt;                                                       \
		FP_ACCRUE(fl);                                              \
		return true;                                                \
	} while (0)
#define RD FPX_RD
#define RS1 FPX_RS1

/* fp_exec_NAME(h, op): false = illegal instruction, nothing changed. */
#define FP_OP(name, body)                                                   \
	static inline bool fp_exec_##name(struct hart *h, const struct op *op) \
	{                                                                   \
		body;                                                       \
	}
#include "core/fp_ops.def"
#undef FP_OP

#undef RD
#undef RS1
#undef FPX_RD
#undef FPX_RS1
#undef FPX_DIRTY
#undef FRS_S
#undef FRS_D
#undef FWR_S
#undef FWR_D
#undef FPU
#undef FP_RM
#undef FP_NORM
#undef FP_ACCRUE

#endif /* RRV_CORE_FP_EXEC_H */
