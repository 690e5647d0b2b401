/* exec.c: the interpreter: computed-goto dispatch over translation blocks. */
#include "core/exec.h"

#include <stdatomic.h>

#include "core/csr.h"
#include "core/decode.h"
#include "core/fp_exec.h"
#include "core/guestmem.h"
#include "core/hart.h"
#include "core/hdbg.h"
#include "core/jit.h"
#include "core/machine.h"
#include "core/mmu.h"
#include "core/sbi.h"
#include "core/tb.h"
#include "core/trap.h"
#include "core/trigger.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * Dispatch is hidden behind these macros (as Lua's vmcase/vmbreak) so the
 * handlers read as a list of cases.
 */
#define CASE(name) L_##name:
#define NEXT do { op++; goto *dispatch[op->id]; } while (0)

#define X(r) x[r]
#define RS1 x[op->rs1]
#define RS2 x[op->rs2]
#define RD x[op->rd]

static inline uint64_t sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)v; }

static int64_t div64(int64_t a, int64_t b)
{
	if (b == 0)
		return -1;
	if (a == INT64_MIN && b == -1)
		return a;
	return a / b;
}

static int64_t rem64(int64_t a, int64_t b)
{
	if (b == 0)
		return a;
	if (a == INT64_MIN && b == -1)
		return 0;
	return a % b;
}

static int32_t div32(int32_t a, int32_t b)
{
	if (b == 0)
		return -1;
	if (a == INT32_MIN && b == -1)
		return a;
	return a / b;
}

static int32_t rem32(int32_t a, int32_t b)
{
	if (b == 0)
		return a;
	if (a == INT32_MIN && b == -1)
		return 0;
	return a % b;
}

enum amo_kind { AMO_SWAP, AMO_ADD, AMO_XOR, AMO_AND, AMO_OR, AMO_MIN,
		AMO_MAX, AMO_MINU, AMO_MAXU };

static uint64_t amo_apply(enum amo_kind k, uint64_t a, uint64_t b, unsigned size)
{
	if (size == 4) {
		a = sext32(a);
		b = sext32(b);
	}
	switch (k) {
	case AMO_SWAP: return b;
	case AMO_ADD: return a + b;
	case AMO_XOR: return a ^ b;
	case AMO_AND: return a & b;
	case AMO_OR: return a | b;
	case AMO_MIN: return (int64_t)a < (int64_t)b ? a : b;
	case AMO_MAX: return (int64_t)a > (int64_t)b ? a : b;
	case AMO_MINU:
		if (size == 4)
			return (uint32_t)a < (uint32_t)b ? a : b;
		return a < b ? a : b;
	default:
		if (size == 4)
			return (uint32_t)a > (uint32_t)b ? a : b;
		return a > b ? a : b;
	}
}

/* Host-atomic read-modify-write (plain `run` mode: harts share RAM freely,
 * DESIGN.md §4.1); returns the old value. */
static uint64_t amo_host(void *p, unsigned size, enum amo_kind k, uint64_t v)
{
	if (size == 4) {
		uint32_t *q = p, old = __atomic_load_n(q, __ATOMIC_RELAXED);
		uint32_t nv;
		do {
			nv = (uint32_t)amo_apply(k, old, v, 4);
		} while (!__atomic_compare_exchange_n(q, &old, nv, true,
						      __ATOMIC_SEQ_CST,
						      __ATOMIC_RELAXED));
		return old;
	}
	uint64_t *q = p, old = __atomic_load_n(q, __ATOMIC_RELAXED), nv;
	do {
		nv = amo_apply(k, old, v, 8);
	} while (!__atomic_compare_exchange_n(q, &old, nv, true,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return old;
}

void exec_run(struct hart *h, uint64_t budget)
{
	static const void *const dispatch[INSN_COUNT] = {
#define INSN(name, match, mask, fmt) [INSN_##name] = &&L_##name,
#include "core/insn.def"
#undef INSN
		[INSN_ILLEGAL] = &&L_ILLEGAL,
		[INSN_TB_END] = &&L_TB_END,
		[INSN_STOP] = &&L_STOP,
	};
	uint64_t *const x = h->x;
	uint64_t left = budget;
	struct tb *tb = NULL, *prev = NULL;
	const struct op *op;
	struct op *patched = NULL;
	uint16_t patched_id = 0;
	unsigned entered = 0;     /* instructions of tb counted at entry */
	int slot = -1;
	uint64_t gen0 = 0;
	int memr;

	/* Un-count the instructions of tb from `o` on (they did not retire)
	 * and make `o` the current pc. */
#define UNWIND(o)                                                           \
	do {                                                                \
		unsigned un_ = entered - (unsigned)((o) - tb->ops);         \
		h->icount -= un_;                                           \
		left += un_;                                                \
		entered -= un_;                                             \
		h->pc = (o)->pc;                                            \
	} while (0)
	/* The current op retired and the block must end after it. */
#define END_AFTER()                                                         \
	do {                                                                \
		UNWIND(op + 1);                                             \
		h->pc = op->pc + op->len;                                   \
		goto next_tb;                                               \
	} while (0)
	/* An exception retires nothing, so it ends the call: a guest stuck
	 * in a trap loop must still return to the hart loop. */
#define EXCEPTION(cause, tval)                                              \
	do {                                                                \
		UNWIND(op);                                                 \
		trap_take(h, (cause), (tval));                              \
		goto out;                                                   \
	} while (0)
	/* EXC_ABORT: the run stops while this instruction waited for
	 * ownership; it does not retire and takes no trap. */
#define TAKE_MEM_EXC()                                                      \
	do {                                                                \
		if (h->exc_cause == EXC_ABORT) {                            \
			UNWIND(op);                                         \
			goto out;                                           \
		}                                                           \
		EXCEPTION(h->exc_cause, h->exc_tval);                       \
	} while (0)
	/* Before a slow path: the icount this instruction starts at, which
	 * record/replay events inside it carry, and its pc (inside a block
	 * h->pc is otherwise the block's start; a hart that waits in the slow
	 * path, for a replayed event or another hart, shows where it is). */
#define SYNC_IC() (h->insn_icount = h->icount - (entered - (unsigned)(op - tb->ops)), \
		   h->insn_pc = h->pc = op->pc)
#define ILLEGAL_INSN() EXCEPTION(EXC_ILLEGAL, op->raw)
	/* DESIGN.md §3: with exit_request set, the boundary before a memory
	 * access is a safe point (one relaxed load beside the TLB lookup). */
#define SAFE_POINT_BEFORE_MEM()                                             \
	do {                                                                \
		if (unlikely(atomic_load_explicit(&h->exit_request,         \
						  memory_order_relaxed))) { \
			UNWIND(op);                                         \
			goto next_tb;                                       \
		}                                                           \
	} while (0)
#define BRANCH(cond)                                                        \
	do {                                                                \
		if (cond) {                                                 \
			h->pc = op->pc + (uint64_t)op->imm;                 \
			slot = 0;                                           \
		} else {                                                    \
			h->pc = op->pc + op->len;                           \
			slot = 1;                                           \
		}                                                           \
		goto chain;                                                 \
	} while (0)
#define LOAD(type, size)                                                    \
	do {                                                                \
		uint64_t a_ = RS1 + (uint64_t)op->imm;                      \
		const struct tlb_entry *e_ = &h->tlb_data->r[tlb_index(a_)];\
		SAFE_POINT_BEFORE_MEM();                                    \
		if (likely((a_ & (PAGE_MASK | (size - 1))) == e_->tag)) {   \
			RD = (uint64_t)(type)gmem_read(                     \
				(void *)(uintptr_t)(a_ + e_->addend), size);\
		} else {                                                    \
			uint64_t v_;                                        \
			SYNC_IC();                                          \
			memr = mmu_load(h, a_, size, &v_);                  \
			if (memr == MEM_EXC)                                \
				TAKE_MEM_EXC();                             \
			RD = (uint64_t)(type)v_;                            \
			if (memr || unlikely(h->leave_tb))                  \
				END_AFTER();                                \
		}                                                           \
		NEXT;                                                       \
	} while (0)
#define STORE_VAL(size, val)                                                \
	do {                                                                \
		uint64_t a_ = RS1 + (uint64_t)op->imm;                      \
		const struct tlb_entry *e_ = &h->tlb_data->w[tlb_index(a_)];\
		SAFE_POINT_BEFORE_MEM();                                    \
		if (likely((a_ & (PAGE_MASK | (size - 1))) == e_->tag)) {   \
			gmem_write((void *)(uintptr_t)(a_ + e_->addend),    \
				   size, (val));                            \
		} else {                                                    \
			SYNC_IC();                                          \
			memr = mmu_store(h, a_, size, (val));               \
			if (memr == MEM_EXC)                                \
				TAKE_MEM_EXC();                             \
			if (memr || unlikely(h->leave_tb))                  \
				END_AFTER();                                \
		}                                                           \
		NEXT;                                                       \
	} while (0)
#define FP_DIRTY() (h->mstatus |= MSTATUS_FS_DIRTY)
#define AMO(size, kind)                                                     \
	do {                                                                \
		uint64_t pa_;                                               \
		SAFE_POINT_BEFORE_MEM();                                    \
		SYNC_IC();                                                  \
		void *p_ = mmu_atomic_ptr(h, RS1, size, MMU_AT_AMO, &pa_);  \
		if (!p_)                                                    \
			TAKE_MEM_EXC();                                     \
		uint64_t old_ = amo_host(p_, size, kind, RS2);              \
		RD = size == 4 ? sext32(old_) : old_;                       \
		if (h->rr)                                                  \
			h->m->hooks->atomic(h, pa_, HOOK_AT_AMO, true);     \
		if (mmu_note_code_write(h, pa_, size) || h->leave_tb)       \
			END_AFTER();                                        \
		NEXT;                                                       \
	} while (0)
#define LR(size)                                                            \
	do {                                                                \
		uint64_t pa_;                                               \
		SAFE_POINT_BEFORE_MEM();                                    \
		SYNC_IC();                                                  \
		void *p_ = mmu_atomic_ptr(h, RS1, size, MMU_AT_LR, &pa_);   \
		if (!p_)                                                    \
			TAKE_MEM_EXC();                                     \
		uint64_t v_ = size == 4 ? __atomic_load_n((uint32_t *)p_,   \
					__ATOMIC_SEQ_CST)                   \
				: __atomic_load_n((uint64_t *)p_,           \
					__ATOMIC_SEQ_CST);                  \
		h->resv_valid = true;                                       \
		h->resv_addr = pa_;                                         \
		h->resv_val = v_;                                           \
		RD = size == 4 ? sext32(v_) : v_;                           \
		if (h->rr)                                                  \
			h->m->hooks->atomic(h, pa_, HOOK_AT_LR, true);      \
		if (unlikely(h->leave_tb))                                  \
			END_AFTER();                                        \
		NEXT;                                                       \
	} while (0)
	/* SC succeeds if the reservation is for this address and memory
	 * still holds the value LR saw (compare-and-swap, as QEMU does). */
#define SC(size)                                                            \
	do {                                                                \
		uint64_t pa_;                                               \
		SAFE_POINT_BEFORE_MEM();                                    \
		SYNC_IC();                                                  \
		void *p_ = mmu_atomic_ptr(h, RS1, size, MMU_AT_SC, &pa_);   \
		if (!p_)                                                    \
			TAKE_MEM_EXC();                                     \
		bool ok_ = h->resv_valid && h->resv_addr == pa_;            \
		h->resv_valid = false;                                      \
		if (h->rr) {                                                \
			/* The hart held the page since its LR (a RELEASE   \
			 * would have broken the reservation): no other    \
			 * hart wrote it. */                                \
			if (ok_)                                            \
				gmem_write(p_, size, RS2);                  \
			h->m->hooks->atomic(h, pa_, HOOK_AT_SC, ok_);       \
		} else if (ok_ && size == 4) {                                     \
			uint32_t exp_ = (uint32_t)h->resv_val;              \
			ok_ = __atomic_compare_exchange_n((uint32_t *)p_,   \
				&exp_, (uint32_t)RS2, false,                \
				__ATOMIC_SEQ_CST, __ATOMIC_RELAXED);        \
		} else if (ok_) {                                           \
			uint64_t exp_ = h->resv_val;                        \
			ok_ = __atomic_compare_exchange_n((uint64_t *)p_,   \
				&exp_, RS2, false, __ATOMIC_SEQ_CST,        \
				__ATOMIC_RELAXED);                          \
		}                                                           \
		RD = !ok_;                                                  \
		if (ok_ && mmu_note_code_write(h, pa_, size))                     \
			END_AFTER();                                        \
		NEXT;                                                       \
	} while (0)

next_tb:
	h->leave_tb = false;
	if (patched) {
		patched->id = patched_id;
		patched = NULL;
	}
	prev = NULL;
lookup:
	if (atomic_load_explicit(&h->exit_request, memory_order_relaxed) ||
	    left == 0 || h->in_wfi)
		goto out;
	/* Debugger breakpoints start blocks (tb.c cuts them there) and
	 * blocks are not chained while any is set: checked before running. */
	if (unlikely(h->dbg) && h->dbg->nbp && hdbg_check_break(h, h->pc))
		goto out;
	{
		h->insn_icount = h->icount;
		/* Guest execute triggers: their addresses start blocks that
		 * are not chained into, so each is checked here, before the
		 * fetch (an execute address breakpoint outranks fetch faults,
		 * Sdtrig "Priority"). */
		if (unlikely(h->trig.exec_armed) && trigger_exec_fire(h, h->pc)) {
			trap_take(h, EXC_BREAKPOINT, h->pc);
			goto out;
		}
		struct tb *nt = tb_lookup(h, h->pc);
		if (!nt) {
			if (h->exc_cause != EXC_ABORT)
				trap_take(h, h->exc_cause, h->exc_tval);
			goto out;
		}
		if (prev && slot >= 0 && tb_gen(h) == gen0 &&
		    tb_may_chain(h, prev, nt)) {
			prev->link[slot] = nt;
			prev->link_gen[slot] = gen0;
		}
		tb = nt;
	}
enter:
	op = tb->ops;
	if (likely(tb->n <= left)) {
		entered = tb->n;
		h->icount += entered;
		left -= entered;
		/* The JIT tier (core/jit.h) runs the block, or its first ops,
		 * natively; breakpoints, watchpoints and execute triggers keep
		 * the interpreter. */
		jit_fn fn;
		if (h->jit && likely(!h->dbg && !h->trig.exec_armed) &&
		    (fn = jit_code(h, tb)) != NULL) {
			uint64_t jl = left;
			struct tb *jt = tb;
			unsigned r = fn(h, &jl, &jt);
			/* Native chaining may have entered (and counted) more
			 * blocks: r refers to the last one, which fit whole. */
			left = jl;
			tb = jt;
			entered = tb->n;
			if (r >= JIT_DONE) {
				slot = (int)(r - JIT_DONE) - 1;
				goto chain;
			}
			op = tb->ops + r;
		}
		goto *dispatch[op->id];
	} else {
		/* Budget ends inside this block: stop before op[left]. The
		 * block is this hart's own, so patching it is race-free. */
		entered = (unsigned)left;
		patched = &tb->ops[left];
		patched_id = patched->id;
		patched->id = INSN_STOP;
	}
	h->icount += entered;
	left -= entered;
	goto *dispatch[op->id];

chain:
	/* A block's last instruction retired and set h->pc; follow or
	 * record the direct link of exit `slot` (-1 = indirect). */
	if (patched || atomic_load_explicit(&h->exit_request,
					    memory_order_relaxed) || left == 0)
		goto next_tb;
	if (slot >= 0 && likely(!h->dbg || !h->dbg->nbp)) {
		struct tb *nt = tb->link[slot];
		if (nt && tb->link_gen[slot] == tb_gen(h) && nt->n <= left) {
			tb = nt;
			goto enter;
		}
	}
	prev = tb;
	gen0 = tb_gen(h);
	goto lookup;

out:
	if (patched) {
		patched->id = patched_id;
		patched = NULL;
	}
	return;

CASE(STOP) {
	h->pc = op->pc;
	goto next_tb;
}
CASE(TB_END) {
	h->pc = op->pc;
	slot = 1;
	goto chain;
}
CASE(ILLEGAL) ILLEGAL_INSN();

CASE(LUI) { RD = (uint64_t)op->imm; NEXT; }
CASE(AUIPC) { RD = op->pc + (uint64_t)op->imm; NEXT; }
CASE(JAL) {
	RD = op->pc + op->len;
	h->pc = op->pc + (uint64_t)op->imm;
	slot = 0;
	goto chain;
}
CASE(JALR) {
	uint64_t t = (RS1 + (uint64_t)op->imm) & ~1ull;
	RD = op->pc + op->len;
	h->pc = t;
	slot = -1;
	goto chain;
}
CASE(BEQ) BRANCH(RS1 == RS2);
CASE(BNE) BRANCH(RS1 != RS2);
CASE(BLT) BRANCH((int64_t)RS1 < (int64_t)RS2);
CASE(BGE) BRANCH((int64_t)RS1 >= (int64_t)RS2);
CASE(BLTU) BRANCH(RS1 < RS2);
CASE(BGEU) BRANCH(RS1 >= RS2);
CASE(LB) LOAD(int8_t, 1);
CASE(LH) LOAD(int16_t, 2);
CASE(LW) LOAD(int32_t, 4);
CASE(LD) LOAD(uint64_t, 8);
CASE(LBU) LOAD(uint8_t, 1);
CASE(LHU) LOAD(uint16_t, 2);
CASE(LWU) LOAD(uint32_t, 4);
CASE(SB) STORE_VAL(1, RS2);
CASE(SH) STORE_VAL(2, RS2);
CASE(SW) STORE_VAL(4, RS2);
CASE(SD) STORE_VAL(8, RS2);
CASE(ADDI) { RD = RS1 + (uint64_t)op->imm; NEXT; }
CASE(SLTI) { RD = (int64_t)RS1 < op->imm; NEXT; }
CASE(SLTIU) { RD = RS1 < (uint64_t)op->imm; NEXT; }
CASE(XORI) { RD = RS1 ^ (uint64_t)op->imm; NEXT; }
CASE(ORI) { RD = RS1 | (uint64_t)op->imm; NEXT; }
CASE(ANDI) { RD = RS1 & (uint64_t)op->imm; NEXT; }
CASE(SLLI) { RD = RS1 << op->imm; NEXT; }
CASE(SRLI) { RD = RS1 >> op->imm; NEXT; }
CASE(SRAI) { RD = (uint64_t)((int64_t)RS1 >> op->imm); NEXT; }
CASE(ADD) { RD = RS1 + RS2; NEXT; }
CASE(SUB) { RD = RS1 - RS2; NEXT; }
CASE(SLL) { RD = RS1 << (RS2 & 63); NEXT; }
CASE(SLT) { RD = (int64_t)RS1 < (int64_t)RS2; NEXT; }
CASE(SLTU) { RD = RS1 < RS2; NEXT; }
CASE(XOR) { RD = RS1 ^ RS2; NEXT; }
CASE(SRL) { RD = RS1 >> (RS2 & 63); NEXT; }
CASE(SRA) { RD = (uint64_t)((int64_t)RS1 >> (RS2 & 63)); NEXT; }
CASE(OR) { RD = RS1 | RS2; NEXT; }
CASE(AND) { RD = RS1 & RS2; NEXT; }
CASE(ADDIW) { RD = sext32(RS1 + (uint64_t)op->imm); NEXT; }
CASE(SLLIW) { RD = sext32((uint32_t)RS1 << op->imm); NEXT; }
CASE(SRLIW) { RD = sext32((uint32_t)RS1 >> op->imm); NEXT; }
CASE(SRAIW) { RD = (uint64_t)(int64_t)((int32_t)RS1 >> op->imm); NEXT; }
CASE(ADDW) { RD = sext32(RS1 + RS2); NEXT; }
CASE(SUBW) { RD = sext32(RS1 - RS2); NEXT; }
CASE(SLLW) { RD = sext32((uint32_t)RS1 << (RS2 & 31)); NEXT; }
CASE(SRLW) { RD = sext32((uint32_t)RS1 >> (RS2 & 31)); NEXT; }
CASE(SRAW) { RD = (uint64_t)(int64_t)((int32_t)RS1 >> (RS2 & 31)); NEXT; }
CASE(FENCE) {
	atomic_thread_fence(memory_order_seq_cst);
	NEXT;
}
CASE(PAUSE) {
	/* A hint that the hart spins (Linux's cpu_relax): a recording
	 * leaves exec_run after it, and the recorder may let the host CPU
	 * go to a hart that is not running (rr.c spin_sleep). */
	atomic_thread_fence(memory_order_seq_cst);
	if (h->rr && !machine_replaying(h->m)) {
		h->spin_hint = true;
		atomic_store_explicit(&h->exit_request, 1, memory_order_relaxed);
		END_AFTER();
	}
	NEXT;
}
CASE(FENCE_I) {
	tb_fence_i(h);
	if (h->rr) {
		SYNC_IC();
		h->m->hooks->cc_inval(h, HOOK_PAGE_ALL, HOOK_CC_FENCE_I);
	}
	END_AFTER();
}
CASE(ECALL) {
	/* --bios builtin: rrv answers S-mode's SBI calls (core/sbi.h); the
	 * ECALL retires like a CSR instruction. */
	if (h->priv == PRV_S && h->m->cfg.sbi_builtin) {
		UNWIND(op);
		h->insn_icount = h->icount;
		enum sbi_outcome r_ = sbi_ecall(h);
		if (r_ == SBI_ABORT)
			goto out;
		if (r_ == SBI_RETIRED) {
			h->icount++;
			left--;
		}
		goto next_tb;
	}
	EXCEPTION(h->priv == PRV_M ? EXC_ECALL_M :
		  h->priv == PRV_S ? EXC_ECALL_S : EXC_ECALL_U, 0);
}
/* mtval = 0 as QEMU 7.2 reports (the spec also allows the pc). */
CASE(EBREAK) EXCEPTION(EXC_BREAKPOINT, 0);
CASE(SRET) {
	if (h->priv < PRV_S || (h->priv == PRV_S && (h->mstatus & MSTATUS_TSR)))
		ILLEGAL_INSN();
	UNWIND(op + 1);
	trap_sret(h);
	goto next_tb;
}
CASE(MRET) {
	if (h->priv < PRV_M)
		ILLEGAL_INSN();
	UNWIND(op + 1);
	trap_mret(h);
	goto next_tb;
}
CASE(WFI) {
	if (h->priv == PRV_U ||
	    (h->priv == PRV_S && (h->mstatus & MSTATUS_TW)))
		ILLEGAL_INSN();
	if (trap_wfi_wakeup(h))
		END_AFTER();
	/* Not retired yet: it retires when an interrupt wakes the hart. */
	UNWIND(op);
	h->in_wfi = true;
	if (h->m->obs && h->m->obs->wfi)
		h->m->obs->wfi(h->m->obs->ctx, h);
	goto next_tb;
}
CASE(SFENCE_VMA) {
	if (h->priv == PRV_U ||
	    (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM)))
		ILLEGAL_INSN();
	mmu_flush_tlb(h);
	tb_mappings_changed(h);
	if (h->rr) {
		SYNC_IC();
		h->m->hooks->cc_inval(h, HOOK_PAGE_ALL, HOOK_CC_SFENCE);
	}
	END_AFTER();
}
#define CSR_INSN(kind, operand, reads, writes)                              \
	do {                                                                \
		uint64_t old_ = 0;                                          \
		UNWIND(op);                                                 \
		h->insn_icount = h->icount;                                 \
		if (!csr_access(h, (unsigned)op->imm, kind, operand, reads, \
				writes, &old_))                             \
			ILLEGAL_INSN();                                     \
		RD = old_;                                                  \
		h->icount++;                                                \
		left--;                                                     \
		h->pc = op->pc + op->len;                                   \
		goto next_tb;                                               \
	} while (0)
CASE(CSRRW) CSR_INSN(CSR_OP_W, RS1, op->rd != REG_SINK, true);
CASE(CSRRS) CSR_INSN(CSR_OP_S, RS1, true, op->rs1 != 0);
CASE(CSRRC) CSR_INSN(CSR_OP_C, RS1, true, op->rs1 != 0);
CASE(CSRRWI) CSR_INSN(CSR_OP_W, op->rs1, op->rd != REG_SINK, true);
CASE(CSRRSI) CSR_INSN(CSR_OP_S, op->rs1, true, op->rs1 != 0);
CASE(CSRRCI) CSR_INSN(CSR_OP_C, op->rs1, true, op->rs1 != 0);

CASE(MUL) { RD = RS1 * RS2; NEXT; }
CASE(MULH) { RD = (uint64_t)(((__int128)(int64_t)RS1 * (int64_t)RS2) >> 64); NEXT; }
CASE(MULHSU) { RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)RS2) >> 64); NEXT; }
CASE(MULHU) { RD = (uint64_t)(((unsigned __int128)RS1 * RS2) >> 64); NEXT; }
CASE(DIV) { RD = (uint64_t)div64((int64_t)RS1, (int64_t)RS2); NEXT; }
CASE(DIVU) { RD = RS2 ? RS1 / RS2 : ~0ull; NEXT; }
CASE(REM) { RD = (uint64_t)rem64((int64_t)RS1, (int64_t)RS2); NEXT; }
CASE(REMU) { RD = RS2 ? RS1 % RS2 : RS1; NEXT; }
CASE(MULW) { RD = sext32(RS1 * RS2); NEXT; }
CASE(DIVW) { RD = (uint64_t)(int64_t)div32((int32_t)RS1, (int32_t)RS2); NEXT; }
CASE(DIVUW) {
	uint32_t a = (uint32_t)RS1, b = (uint32_t)RS2;
	RD = sext32(b ? a / b : ~0u);
	NEXT;
}
CASE(REMW) { RD = (uint64_t)(int64_t)rem32((int32_t)RS1, (int32_t)RS2); NEXT; }
CASE(REMUW) {
	uint32_t a = (uint32_t)RS1, b = (uint32_t)RS2;
	RD = sext32(b ? a % b : a);
	NEXT;
}

CASE(LR_W) LR(4);
CASE(SC_W) SC(4);
CASE(AMOSWAP_W) AMO(4, AMO_SWAP);
CASE(AMOADD_W) AMO(4, AMO_ADD);
CASE(AMOXOR_W) AMO(4, AMO_XOR);
CASE(AMOAND_W) AMO(4, AMO_AND);
CASE(AMOOR_W) AMO(4, AMO_OR);
CASE(AMOMIN_W) AMO(4, AMO_MIN);
CASE(AMOMAX_W) AMO(4, AMO_MAX);
CASE(AMOMINU_W) AMO(4, AMO_MINU);
CASE(AMOMAXU_W) AMO(4, AMO_MAXU);
CASE(LR_D) LR(8);
CASE(SC_D) SC(8);
CASE(AMOSWAP_D) AMO(8, AMO_SWAP);
CASE(AMOADD_D) AMO(8, AMO_ADD);
CASE(AMOXOR_D) AMO(8, AMO_XOR);
CASE(AMOAND_D) AMO(8, AMO_AND);
CASE(AMOOR_D) AMO(8, AMO_OR);
CASE(AMOMIN_D) AMO(8, AMO_MIN);
CASE(AMOMAX_D) AMO(8, AMO_MAX);
CASE(AMOMINU_D) AMO(8, AMO_MINU);
CASE(AMOMAXU_D) AMO(8, AMO_MAXU);

/* FP loads and stores write/read the raw register (FLW boxes; FSW stores
 * the low 32 bits without unboxing, per the F spec). */
#define FLOAD(size, boxit)                                                  \
	do {                                                                \
		uint64_t a_ = RS1 + (uint64_t)op->imm, v_;                  \
		const struct tlb_entry *e_ = &h->tlb_data->r[tlb_index(a_)];\
		SAFE_POINT_BEFORE_MEM();                                    \
		memr = MEM_OK;                                              \
		if (likely((a_ & (PAGE_MASK | (size - 1))) == e_->tag))     \
			v_ = gmem_read((void *)(uintptr_t)(a_ + e_->addend),\
				       size);                               \
		else if ((SYNC_IC(), memr = mmu_load(h, a_, size, &v_)) == MEM_EXC) \
			TAKE_MEM_EXC();                                     \
		h->f[op->rd] = boxit ? fp_box_s((uint32_t)v_) : v_;         \
		FP_DIRTY();                                                 \
		if (memr || unlikely(h->leave_tb))                          \
			END_AFTER();                                        \
		NEXT;                                                       \
	} while (0)
CASE(FLW) FLOAD(4, true);
CASE(FLD) FLOAD(8, false);
CASE(FSW) STORE_VAL(4, (uint32_t)h->f[op->rs2]);
CASE(FSD) STORE_VAL(8, h->f[op->rs2]);

/* F and D arithmetic, conversions, moves (core/fp_ops.def, shared with the
 * JIT's helper calls): false is a reserved rounding mode. */
#define FP_OP(name, body)                                                   \
	CASE(name) {                                                        \
		if (!fp_exec_##name(h, op))                                 \
			ILLEGAL_INSN();                                     \
		NEXT;                                                       \
	}
#include "core/fp_ops.def"
#undef FP_OP
}
