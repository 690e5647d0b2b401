/* dinfo.c: the DWARF of the guest's ELF images (libdw): pc -> file:line, and CFI unwinding steps. */
#include "debugger/dinfo.h"

#include <assert.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dinfo_image {
	char *data;          /* our copy: libelf reads the sections in place */
	uint64_t bias;
	Elf *elf;
	Dwarf *dw;           /* NULL without .debug_* sections */
	Dwarf_CFI *debug_cfi; /* .debug_frame, owned by dw */
	Dwarf_CFI *eh_cfi;   /* .eh_frame, ours to end */
};

struct dinfo {
	struct dinfo_image *im;
	unsigned n, cap;
};

struct dinfo *dinfo_new(void)
{
	return calloc(1, sizeof(struct dinfo));
}

static void image_end(struct dinfo_image *im)
{
	if (im->eh_cfi)
		dwarf_cfi_end(im->eh_cfi);
	if (im->dw)
		dwarf_end(im->dw);
	if (im->elf)
		elf_end(im->elf);
	free(im->data);
}

void dinfo_free(struct dinfo *d)
{
	if (!d)
		return;
	for (unsigned i = 0; i < d->n; i++)
		image_end(&d->im[i]);
	free(d->im);
	free(d);
}

unsigned dinfo_count(const struct dinfo *d)
{
	return d->n;
}

int dinfo_add_elf(struct dinfo *d, const void *data, size_t len, uint64_t bias,
		  char *err, size_t errlen)
{
	struct dinfo_image im = { .bias = bias };
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		return -1;
	}
	if (d->n == d->cap) {
		unsigned cap = d->cap ? 2 * d->cap : 4;
		struct dinfo_image *p = realloc(d->im, cap * sizeof(*p));
		if (!p)
			goto out_nomem;
		d->im = p;
		d->cap = cap;
	}
	im.data = malloc(len ? len : 1);
	if (!im.data)
		goto out_nomem;
	if (len)
		memcpy(im.data, data, len);
	im.elf = elf_memory(im.data, len);
	if (!im.elf || elf_kind(im.elf) != ELF_K_ELF) {
		snprintf(err, errlen, "not an ELF file%s%s", im.elf ? "" : ": ",
			 im.elf ? "" : elf_errmsg(-1));
		image_end(&im);
		return -1;
	}
	/* No DWARF at all is not an error: a stripped image may still carry
	 * .eh_frame, and one with neither is simply not kept. */
	im.dw = dwarf_begin_elf(im.elf, DWARF_C_READ, NULL);
	im.debug_cfi = im.dw ? dwarf_getcfi(im.dw) : NULL;
	im.eh_cfi = dwarf_getcfi_elf(im.elf);
	if (!im.dw && !im.eh_cfi) {
		image_end(&im);
		return 0;
	}
	d->im[d->n++] = im;
	return 1;
out_nomem:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/* ---- lines ---- */

/* The file name gdb would show: below the CU's directory, relative to it. */
static const char *short_name(Dwarf_Die *cu, const char *file)
{
	Dwarf_Attribute a;
	const char *dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a));
	size_t n = dir ? strlen(dir) : 0;
	if (n && !strncmp(file, dir, n) && file[n] == '/' && file[n + 1])
		return file + n + 1;
	return file;
}

/* Where line-table row l starts and where the next address's row does. */
static void row_range(Dwarf_Die *cu, Dwarf_Line *l, uint64_t bias, struct dinfo_loc *loc)
{
	Dwarf_Lines *lines;
	size_t n, i = 0;
	Dwarf_Addr a = 0;
	loc->start = loc->end = 0;
	if (dwarf_lineaddr(l, &a) != 0)
		return;
	loc->start = a + bias;
	if (dwarf_getsrclines(cu, &lines, &n) != 0)
		return;
	while (i < n && dwarf_onesrcline(lines, i) != l)
		i++;
	for (i++; i < n; i++) {
		Dwarf_Addr b;
		if (dwarf_lineaddr(dwarf_onesrcline(lines, i), &b) == 0 && b > a) {
			loc->end = b + bias;
			return;
		}
	}
}

bool dinfo_line(struct dinfo *d, uint64_t pc, struct dinfo_loc *loc)
{
	for (unsigned i = 0; i < d->n; i++) {
		struct dinfo_image *im = &d->im[i];
		Dwarf_Die cu;
		if (!im->dw || !dwarf_addrdie(im->dw, pc - im->bias, &cu))
			continue;
		Dwarf_Line *l = dwarf_getsrc_die(&cu, pc - im->bias);
		int line;
		const char *file = l ? dwarf_linesrc(l, NULL, NULL) : NULL;
		if (!file || dwarf_lineno(l, &line) != 0 || line <= 0)
			continue;
		loc->file = short_name(&cu, file);
		loc->line = (unsigned)line;
		row_range(&cu, l, im->bias, loc);
		return true;
	}
	return false;
}

/* ---- call frames ---- */

/* The frame state libdw computes for addr (malloc'd), or NULL. */
static Dwarf_Frame *find_frame(struct dinfo *d, uint64_t addr)
{
	for (unsigned i = 0; i < d->n; i++) {
		struct dinfo_image *im = &d->im[i];
		Dwarf_CFI *cfi[2] = { im->debug_cfi, im->eh_cfi };
		for (unsigned k = 0; k < 2; k++) {
			Dwarf_Frame *fr = NULL;
			if (cfi[k] && dwarf_cfi_addrframe(cfi[k], addr - im->bias, &fr) == 0)
				return fr;
		}
	}
	return NULL;
}

bool dinfo_has_cfi(struct dinfo *d, uint64_t pc)
{
	Dwarf_Frame *fr = find_frame(d, pc);
	free(fr);
	return fr != NULL;
}

/* What evaluating an expression needs besides its ops. */
struct eval_env {
	const struct dinfo_regs *regs;
	uint64_t cfa;
	bool have_cfa;
	dinfo_read_fn read;
	void *ctx;
};

enum { EVAL_DEPTH = 16 };

static bool reg_value(const struct eval_env *env, uint64_t r, uint64_t *v)
{
	if (r >= 32 || !(env->regs->known & (1u << r)))
		return false;
	*v = env->regs->x[r];
	return true;
}

/*
 * One operation of the subset CFI uses (gcc's RISC-V rules and libdw's
 * renderings of them: register bases, the CFA, constants, arithmetic,
 * deref); false for anything else, an unknown register, unreadable memory
 * or a stack fault. Arithmetic wraps, as on the 64-bit target.
 */
static bool eval_op(const struct eval_env *env, const Dwarf_Op *op, uint64_t *st, unsigned *sp)
{
	uint64_t v, a, b;
	uint8_t at = op->atom;
	if (at >= DW_OP_lit0 && at <= DW_OP_lit31) {
		v = at - DW_OP_lit0;
	} else if (at >= DW_OP_breg0 && at <= DW_OP_breg31) {
		if (!reg_value(env, at - DW_OP_breg0, &v))
			return false;
		v += op->number;
	} else {
		switch (at) {
		case DW_OP_bregx:
			if (!reg_value(env, op->number, &v))
				return false;
			v += op->number2;
			break;
		case DW_OP_call_frame_cfa:
			if (!env->have_cfa)
				return false;
			v = env->cfa;
			break;
		case DW_OP_const1u: case DW_OP_const1s: case DW_OP_const2u:
		case DW_OP_const2s: case DW_OP_const4u: case DW_OP_const4s:
		case DW_OP_const8u: case DW_OP_const8s: case DW_OP_constu:
		case DW_OP_consts:
			v = op->number;
			break;
		case DW_OP_nop:
			return true;
		case DW_OP_dup:
			if (!*sp)
				return false;
			v = st[*sp - 1];
			break;
		case DW_OP_plus_uconst:
			if (!*sp)
				return false;
			st[*sp - 1] += op->number;
			return true;
		case DW_OP_deref:
			if (!*sp || !env->read(env->ctx, st[*sp - 1], &v, 8))
				return false;
			st[*sp - 1] = v;
			return true;
		case DW_OP_plus: case DW_OP_minus: case DW_OP_and:
		case DW_OP_or: case DW_OP_mul:
			if (*sp < 2)
				return false;
			b = st[--*sp];
			a = st[*sp - 1];
			st[*sp - 1] = at == DW_OP_plus ? a + b : at == DW_OP_minus ? a - b :
				      at == DW_OP_and ? (a & b) : at == DW_OP_or ? (a | b) : a * b;
			return true;
		default:
			return false;
		}
	}
	if (*sp == EVAL_DEPTH)
		return false;
	st[(*sp)++] = v;
	return true;
}

/* An expression's value: the top of the stack when the ops end. */
static bool eval(const struct eval_env *env, const Dwarf_Op *ops, size_t n, uint64_t *out)
{
	uint64_t st[EVAL_DEPTH];
	unsigned sp = 0;
	for (size_t i = 0; i < n; i++)
		if (!eval_op(env, &ops[i], st, &sp))
			return false;
	if (!sp)
		return false;
	*out = st[sp - 1];
	return true;
}

enum rule_result { RULE_KNOWN, RULE_UNDEFINED, RULE_UNKNOWN };

/*
 * The caller's value of register r: libdw renders every rule as a location
 * description: none with ops set = undefined, none without = same value,
 * DW_OP_regN alone = in that register, a trailing DW_OP_stack_value = the
 * value itself, otherwise the address it is saved at.
 */
static enum rule_result eval_rule(Dwarf_Frame *fr, int r, const struct eval_env *env,
				  uint64_t *v)
{
	Dwarf_Op mem[3], *ops = NULL;
	size_t n = 0;
	if (dwarf_frame_register(fr, r, mem, &ops, &n) != 0)
		return RULE_UNKNOWN;
	if (!n)
		return ops ? RULE_UNDEFINED : reg_value(env, (uint64_t)r, v) ? RULE_KNOWN : RULE_UNKNOWN;
	if (n == 1 && ops[0].atom >= DW_OP_reg0 && ops[0].atom <= DW_OP_reg31)
		return reg_value(env, ops[0].atom - DW_OP_reg0, v) ? RULE_KNOWN : RULE_UNKNOWN;
	if (n == 1 && ops[0].atom == DW_OP_regx)
		return reg_value(env, ops[0].number, v) ? RULE_KNOWN : RULE_UNKNOWN;
	bool value = ops[n - 1].atom == DW_OP_stack_value;
	uint64_t a;
	if (!eval(env, ops, value ? n - 1 : n, &a))
		return RULE_UNKNOWN;
	if (!value && !env->read(env->ctx, a, &a, 8))
		return RULE_UNKNOWN;
	*v = a;
	return RULE_KNOWN;
}

enum dinfo_step dinfo_unwind(struct dinfo *d, uint64_t pc, bool is_return,
			     const struct dinfo_regs *in, dinfo_read_fn read, void *ctx,
			     struct dinfo_regs *caller, uint64_t *ret, uint64_t *cfa)
{
	Dwarf_Frame *fr = find_frame(d, is_return ? pc - 1 : pc);
	if (!fr)
		return DINFO_NO_CFI;
	enum dinfo_step st = DINFO_FAILED;
	struct eval_env env = { .regs = in, .read = read, .ctx = ctx };
	Dwarf_Op *ops;
	size_t n;
	if (dwarf_frame_cfa(fr, &ops, &n) != 0 || !n || !eval(&env, ops, n, &env.cfa))
		goto out_free;
	env.have_cfa = true;
	*cfa = env.cfa;
	int ra = dwarf_frame_info(fr, NULL, NULL, NULL);
	if (ra <= 0 || ra >= 32)
		goto out_free;
	struct dinfo_regs c = { .known = 1 };  /* x0 is zero in every frame */
	enum rule_result rr = RULE_UNKNOWN;
	for (int r = 1; r < 32; r++) {
		uint64_t v = 0;
		enum rule_result res = eval_rule(fr, r, &env, &v);
		/* The CFA is by definition the sp at the call; CIEs leave it
		 * implicit when the ABI's initial rules are not applied. */
		if (r == 2 && res == RULE_UNDEFINED) {
			v = env.cfa;
			res = RULE_KNOWN;
		}
		if (res == RULE_KNOWN) {
			c.x[r] = v;
			c.known |= 1u << r;
		}
		if (r == ra)
			rr = res;
	}
	if (rr == RULE_UNDEFINED) {
		st = DINFO_OUTERMOST;
	} else if (rr == RULE_KNOWN) {
		*caller = c;
		*ret = c.x[ra];
		st = DINFO_CALLER;
	}
out_free:
	free(fr);
	return st;
}
