/* disasm.c: RV64GC disassembler: objdump-style text from decode_insn() and insn.def. */
#include "debugger/disasm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/decode.h"

/* The encoding of every instruction, from the one table. An instruction
 * field that the mask covers is part of the opcode, so it is not printed as
 * an operand; a floating-point funct3 the mask leaves free is a rounding
 * mode. */
static const struct { uint32_t match, mask; } insn_bits[INSN_ILLEGAL] = {
#define INSN(n, ma, mk, f) [INSN_##n] = { ma, mk },
#include "core/insn.def"
#undef INSN
};

#define FIELD_RD     0x00000f80u
#define FIELD_FUNCT3 0x00007000u
#define FIELD_RS1    0x000f8000u
#define FIELD_RS2    0x01f00000u
#define OPCODE(id)   (insn_bits[id].match & 0x7f)
#define FUNCT5(id)   (insn_bits[id].match >> 27)

static const char *const xreg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
	"s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
	"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
	"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const freg_names[32] = {
	"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
	"fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
	"fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
	"fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* objdump prints reserved rounding modes and empty fence sets as "unknown". */
static const char *const rm_names[8] = {
	"rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn",
};

static const char *const fence_sets[16] = {
	"unknown", "w", "r", "rw", "o", "ow", "or", "orw",
	"i", "iw", "ir", "irw", "io", "iow", "ior", "iorw",
};

/* Numbered CSR families: CSR_U is a one-digit index, CSR_T a two-digit one
 * (t##d pastes the digits into the number). */
#define CSR_U(b, p, s, d)    [(b) + d] = p #d s
#define CSR_T(b, p, s, t, d) [(b) + t##d] = p #t #d s
#define CSR_U3_9(b, p, s) CSR_U(b, p, s, 3), CSR_U(b, p, s, 4), \
	CSR_U(b, p, s, 5), CSR_U(b, p, s, 6), CSR_U(b, p, s, 7), \
	CSR_U(b, p, s, 8), CSR_U(b, p, s, 9)
#define CSR_U0_9(b, p, s) CSR_U(b, p, s, 0), CSR_U(b, p, s, 1), \
	CSR_U(b, p, s, 2), CSR_U3_9(b, p, s)
#define CSR_T0_3(b, p, s, t) CSR_T(b, p, s, t, 0), CSR_T(b, p, s, t, 1), \
	CSR_T(b, p, s, t, 2), CSR_T(b, p, s, t, 3)
#define CSR_T0_5(b, p, s, t) CSR_T0_3(b, p, s, t), CSR_T(b, p, s, t, 4), \
	CSR_T(b, p, s, t, 5)
#define CSR_T0_9(b, p, s, t) CSR_T0_5(b, p, s, t), CSR_T(b, p, s, t, 6), \
	CSR_T(b, p, s, t, 7), CSR_T(b, p, s, t, 8), CSR_T(b, p, s, t, 9)
#define CSR_3_31(b, p, s) CSR_U3_9(b, p, s), CSR_T0_9(b, p, s, 1), \
	CSR_T0_9(b, p, s, 2), CSR_T(b, p, s, 3, 0), CSR_T(b, p, s, 3, 1)

/* Unprivileged spec (Zicsr, F, V, Zicntr, Zihpm, Zkr) and privileged spec
 * 1.12 (S, H and M modes, Sstc, Sscofpmf, Smepmp, Smstateen, Smaia/Ssaia)
 * plus the debug and trigger CSRs: the names binutils 2.40 prints, so a
 * Linux image with vector or AIA code reads as objdump shows it. */
static const char *const csr_names[4096] = {
	[0x001] = "fflags", [0x002] = "frm", [0x003] = "fcsr",
	[0xc00] = "cycle", [0xc01] = "time", [0xc02] = "instret",
	CSR_3_31(0xc00, "hpmcounter", ""),
	[0xc80] = "cycleh", [0xc81] = "timeh", [0xc82] = "instreth",
	CSR_3_31(0xc80, "hpmcounter", "h"),
	[0x100] = "sstatus", [0x104] = "sie", [0x105] = "stvec",
	[0x106] = "scounteren", [0x10a] = "senvcfg", [0x140] = "sscratch",
	[0x141] = "sepc", [0x142] = "scause", [0x143] = "stval",
	[0x144] = "sip", [0x14d] = "stimecmp", [0x15d] = "stimecmph",
	[0x180] = "satp", [0x5a8] = "scontext", [0xda0] = "scountovf",
	[0x600] = "hstatus", [0x602] = "hedeleg", [0x603] = "hideleg",
	[0x604] = "hie", [0x605] = "htimedelta", [0x606] = "hcounteren",
	[0x607] = "hgeie", [0x60a] = "henvcfg", [0x615] = "htimedeltah",
	[0x61a] = "henvcfgh", [0x643] = "htval", [0x644] = "hip",
	[0x645] = "hvip", [0x64a] = "htinst", [0x680] = "hgatp",
	[0x6a8] = "hcontext", [0xe12] = "hgeip",
	[0x200] = "vsstatus", [0x204] = "vsie", [0x205] = "vstvec",
	[0x240] = "vsscratch", [0x241] = "vsepc", [0x242] = "vscause",
	[0x243] = "vstval", [0x244] = "vsip", [0x24d] = "vstimecmp",
	[0x25d] = "vstimecmph", [0x280] = "vsatp",
	[0xf11] = "mvendorid", [0xf12] = "marchid", [0xf13] = "mimpid",
	[0xf14] = "mhartid", [0xf15] = "mconfigptr",
	[0x300] = "mstatus", [0x301] = "misa", [0x302] = "medeleg",
	[0x303] = "mideleg", [0x304] = "mie", [0x305] = "mtvec",
	[0x306] = "mcounteren", [0x30a] = "menvcfg", [0x310] = "mstatush",
	[0x31a] = "menvcfgh", [0x320] = "mcountinhibit",
	CSR_3_31(0x320, "mhpmevent", ""),
	CSR_3_31(0x720, "mhpmevent", "h"),
	[0x340] = "mscratch", [0x341] = "mepc", [0x342] = "mcause",
	[0x343] = "mtval", [0x344] = "mip", [0x34a] = "mtinst",
	[0x34b] = "mtval2",
	CSR_U0_9(0x3a0, "pmpcfg", ""), CSR_T0_5(0x3a0, "pmpcfg", "", 1),
	CSR_U0_9(0x3b0, "pmpaddr", ""), CSR_T0_9(0x3b0, "pmpaddr", "", 1),
	CSR_T0_9(0x3b0, "pmpaddr", "", 2), CSR_T0_9(0x3b0, "pmpaddr", "", 3),
	CSR_T0_9(0x3b0, "pmpaddr", "", 4), CSR_T0_9(0x3b0, "pmpaddr", "", 5),
	CSR_T0_3(0x3b0, "pmpaddr", "", 6),
	[0x747] = "mseccfg", [0x757] = "mseccfgh",
	[0xb00] = "mcycle", [0xb02] = "minstret",
	CSR_3_31(0xb00, "mhpmcounter", ""),
	[0xb80] = "mcycleh", [0xb82] = "minstreth",
	CSR_3_31(0xb80, "mhpmcounter", "h"),
	[0x7a0] = "tselect", [0x7a1] = "tdata1", [0x7a2] = "tdata2",
	[0x7a3] = "tdata3", [0x7a4] = "tinfo", [0x7a5] = "tcontrol",
	[0x7a8] = "mcontext", [0x7aa] = "mscontext",
	[0x7b0] = "dcsr", [0x7b1] = "dpc", [0x7b2] = "dscratch0",
	[0x7b3] = "dscratch1",
	/* V */
	[0x008] = "vstart", [0x009] = "vxsat", [0x00a] = "vxrm",
	[0x00f] = "vcsr", [0xc20] = "vl", [0xc21] = "vtype", [0xc22] = "vlenb",
	/* Zkr */
	[0x015] = "seed",
	/* Smstateen */
	CSR_U(0x10c, "sstateen", "", 0), CSR_U(0x10c, "sstateen", "", 1),
	CSR_U(0x10c, "sstateen", "", 2), CSR_U(0x10c, "sstateen", "", 3),
	CSR_U(0x30c, "mstateen", "", 0), CSR_U(0x30c, "mstateen", "", 1),
	CSR_U(0x30c, "mstateen", "", 2), CSR_U(0x30c, "mstateen", "", 3),
	CSR_U(0x31c, "mstateen", "h", 0), CSR_U(0x31c, "mstateen", "h", 1),
	CSR_U(0x31c, "mstateen", "h", 2), CSR_U(0x31c, "mstateen", "h", 3),
	CSR_U(0x60c, "hstateen", "", 0), CSR_U(0x60c, "hstateen", "", 1),
	CSR_U(0x60c, "hstateen", "", 2), CSR_U(0x60c, "hstateen", "", 3),
	CSR_U(0x61c, "hstateen", "h", 0), CSR_U(0x61c, "hstateen", "h", 1),
	CSR_U(0x61c, "hstateen", "h", 2), CSR_U(0x61c, "hstateen", "h", 3),
	/* Smaia, Ssaia */
	[0x350] = "miselect", [0x351] = "mireg", [0x35c] = "mtopei",
	[0xfb0] = "mtopi", [0x308] = "mvien", [0x309] = "mvip",
	[0x313] = "midelegh", [0x314] = "mieh", [0x318] = "mvienh",
	[0x319] = "mviph", [0x354] = "miph",
	[0x150] = "siselect", [0x151] = "sireg", [0x15c] = "stopei",
	[0xdb0] = "stopi", [0x114] = "sieh", [0x154] = "siph",
	[0x608] = "hvien", [0x609] = "hvictl", [0x613] = "hidelegh",
	[0x618] = "hvienh", [0x646] = "hviprio1", [0x647] = "hviprio2",
	[0x655] = "hviph", [0x656] = "hviprio1h", [0x657] = "hviprio2h",
	[0x250] = "vsiselect", [0x251] = "vsireg", [0x25c] = "vstopei",
	[0xeb0] = "vstopi", [0x214] = "vsieh", [0x254] = "vsiph",
};

/* Text being built: snprintf-style, truncating, always NUL-terminated. */
struct text {
	char *buf;
	size_t len, pos;
	dis_sym_fn sym;
	void *ctx;
};

static void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	if (t->pos + 1 >= t->len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->pos, t->len - t->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->pos = t->pos + (size_t)n < t->len ? t->pos + (size_t)n : t->len - 1;
}

const char *dis_xreg_name(unsigned r)
{
	if (r == REG_SINK)
		return xreg_names[0];
	return r < 32 ? xreg_names[r] : NULL;
}

const char *dis_freg_name(unsigned r)
{
	return r < 32 ? freg_names[r] : NULL;
}

const char *dis_csr_name(unsigned csr)
{
	return csr < 4096 ? csr_names[csr] : NULL;
}

int dis_csr_by_name(const char *name)
{
	if (!name)
		return -1;
	for (unsigned i = 0; i < 4096; i++)
		if (csr_names[i] && !strcmp(csr_names[i], name))
			return (int)i;
	return -1;
}

/* "0".."31" exactly: no sign, no leading zeros. */
static int reg_index(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1]))
		return -1;
	if (!s[1])
		return s[0] - '0';
	if (s[1] < '0' || s[1] > '9' || s[2])
		return -1;
	int n = (s[0] - '0') * 10 + (s[1] - '0');
	return n < 32 ? n : -1;
}

static int name_index(const char *const names[32], const char *name)
{
	for (int i = 0; i < 32; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

int dis_xreg_by_name(const char *name)
{
	if (!name)
		return -1;
	if (!strcmp(name, "fp"))
		return 8;
	if (name[0] == 'x')
		return reg_index(name + 1);
	return name_index(xreg_names, name);
}

int dis_freg_by_name(const char *name)
{
	if (!name)
		return -1;
	if (name[0] == 'f' && name[1] >= '0' && name[1] <= '9')
		return reg_index(name + 1);
	return name_index(freg_names, name);
}

/* Decoded fields are 5 bits wide, or REG_SINK for an x0 destination. */
static const char *xr(unsigned r) { return xreg_names[r == REG_SINK ? 0 : r & 31]; }
static const char *fr(unsigned r) { return freg_names[r & 31]; }

/* OP-FP groups that write an integer register (compares, fcvt to integer,
 * fmv.x/fclass) or read one (fcvt from integer, fmv from x). */
static bool fp_rd_is_x(unsigned id)
{
	unsigned f5 = FUNCT5(id);
	return OPCODE(id) == 0x53 && (f5 == 0x14 || f5 == 0x18 || f5 == 0x1c);
}

static bool fp_rs1_is_x(unsigned id)
{
	unsigned f5 = FUNCT5(id);
	return OPCODE(id) != 0x53 || f5 == 0x1a || f5 == 0x1e;
}

/* Exact conversions: gas encodes them with rm = rne, and objdump omits
 * that instead of dyn. */
static unsigned default_rm(unsigned id)
{
	return id == INSN_FCVT_D_W || id == INSN_FCVT_D_WU || id == INSN_FCVT_D_S ? 0 : 7;
}

static void put_rm(struct text *t, const struct op *op)
{
	if (op->rm != default_rm(op->id))
		put(t, ",%s", rm_names[op->rm & 7]);
}

static void put_target(struct text *t, const struct op *op)
{
	uint64_t addr = op->pc + (uint64_t)op->imm;
	char sym[256];
	put(t, "0x%" PRIx64, addr);
	sym[0] = '\0';
	if (t->sym && t->sym(t->ctx, addr, sym, sizeof(sym))) {
		sym[sizeof(sym) - 1] = '\0';
		put(t, " <%s>", sym);
	}
}

/* LOAD, LOAD-FP and JALR take their base as "imm(rs1)". */
static bool mem_form(unsigned id)
{
	return OPCODE(id) == 0x03 || OPCODE(id) == 0x07 || OPCODE(id) == 0x67;
}

static void put_r(struct text *t, const struct op *op)
{
	unsigned id = op->id;
	uint32_t mask = insn_bits[id].mask;
	bool fp = decode_is_fp(id);
	const char *sep = "";
	if (!(mask & FIELD_RD)) {
		put(t, "%s", fp && !fp_rd_is_x(id) ? fr(op->rd) : xr(op->rd));
		sep = ",";
	}
	if (!(mask & FIELD_RS1))
		put(t, "%s%s", sep, fp && !fp_rs1_is_x(id) ? fr(op->rs1) : xr(op->rs1));
	if (!(mask & FIELD_RS2))
		put(t, ",%s", fp ? fr(op->rs2) : xr(op->rs2));
	if (fp && !(mask & FIELD_FUNCT3))
		put_rm(t, op);
}

static void put_i(struct text *t, const struct op *op)
{
	unsigned id = op->id;
	const char *rd = decode_is_fp(id) ? fr(op->rd) : xr(op->rd);
	if (id == INSN_FENCE)
		put(t, "%s,%s", fence_sets[(uint64_t)op->imm >> 4 & 15],
		    fence_sets[op->imm & 15]);
	else if (mem_form(id))
		put(t, "%s,%" PRId64 "(%s)", rd, op->imm, xr(op->rs1));
	else
		put(t, "%s,%s,%" PRId64, rd, xr(op->rs1), op->imm);
}

static void put_csr(struct text *t, const struct op *op)
{
	const char *name = dis_csr_name((unsigned)op->imm);
	put(t, "%s,", xr(op->rd));
	if (name)
		put(t, "%s", name);
	else
		put(t, "0x%x", (unsigned)op->imm);
	/* funct3 bit 2 selects the 5-bit immediate forms (csrrwi...). */
	if (insn_bits[op->id].match & 0x4000)
		put(t, ",%u", op->rs1);
	else
		put(t, ",%s", xr(op->rs1));
}

static void put_operands(struct text *t, const struct op *op)
{
	unsigned id = op->id;
	bool fp = decode_is_fp(id);
	switch (decode_fmt(id)) {
	case FMT_R:
		put_r(t, op);
		break;
	case FMT_I:
		put_i(t, op);
		break;
	case FMT_S:
		put(t, "%s,%" PRId64 "(%s)", fp ? fr(op->rs2) : xr(op->rs2),
		    op->imm, xr(op->rs1));
		break;
	case FMT_B:
		put(t, "%s,%s,", xr(op->rs1), xr(op->rs2));
		put_target(t, op);
		break;
	case FMT_U:
		put(t, "%s,0x%" PRIx64, xr(op->rd), ((uint64_t)op->imm >> 12) & 0xfffff);
		break;
	case FMT_J:
		put(t, "%s,", xr(op->rd));
		put_target(t, op);
		break;
	case FMT_SH:
		put(t, "%s,%s,0x%" PRIx64, xr(op->rd), xr(op->rs1), (uint64_t)op->imm);
		break;
	case FMT_R4:
		put(t, "%s,%s,%s,%s", fr(op->rd), fr(op->rs1), fr(op->rs2), fr(op->rs3));
		put_rm(t, op);
		break;
	case FMT_CSR:
		put_csr(t, op);
		break;
	case FMT_A:
		if (insn_bits[id].mask & FIELD_RS2)
			put(t, "%s,(%s)", xr(op->rd), xr(op->rs1));
		else
			put(t, "%s,%s,(%s)", xr(op->rd), xr(op->rs2), xr(op->rs1));
		break;
	case FMT_F:
		break;
	}
}

/* FENCE with fm = TSO and pred = succ = rw is FENCE.TSO, which insn.def
 * does not list separately. */
static bool is_fence_tso(const struct op *op)
{
	return op->id == INSN_FENCE && (op->imm & 0xfff) == 0x833;
}

/* insn.def spells FADD_D; objdump spells fadd.d. AMOs carry their ordering
 * bits (aq = bit 26, rl = bit 25) as a suffix. */
static void put_mnemonic(struct text *t, const struct op *op)
{
	static const char *const aqrl[4] = { "", ".rl", ".aq", ".aqrl" };
	const char *name = is_fence_tso(op) ? "FENCE_TSO" : decode_name(op->id);
	char mn[24];
	size_t i;
	for (i = 0; name[i] && i < sizeof(mn) - 1; i++)
		mn[i] = name[i] == '_' ? '.' : (char)(name[i] | 0x20);
	mn[i] = '\0';
	put(t, "%s", mn);
	if (decode_fmt(op->id) == FMT_A)
		put(t, "%s", aqrl[op->raw >> 25 & 3]);
}

static bool has_operands(const struct op *op)
{
	return op->id != INSN_FENCE_I && decode_fmt(op->id) != FMT_F &&
	       !is_fence_tso(op);
}

unsigned dis_insn_sym(uint32_t raw, uint64_t pc, dis_sym_fn fn, void *ctx,
		      char *buf, size_t len)
{
	struct text t = { buf, len, 0, fn, ctx };
	struct op op;
	if (len)
		buf[0] = '\0';
	decode_insn(raw, pc, &op);
	if (op.id >= INSN_ILLEGAL) {
		put(&t, ".%ubyte 0x%x", (unsigned)op.len, (unsigned)op.raw);
		return op.len;
	}
	put_mnemonic(&t, &op);
	if (has_operands(&op)) {
		put(&t, " ");
		put_operands(&t, &op);
	}
	return op.len;
}

unsigned dis_insn(uint32_t raw, uint64_t pc, char *buf, size_t len)
{
	return dis_insn_sym(raw, pc, NULL, NULL, buf, len);
}
