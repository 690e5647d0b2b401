/* regs.c: the debugger's view of a hart's registers, by name and by gdb number. */
#include "debugger/regs.h"

#include <string.h>

#include "core/csr.h"
#include "core/hart.h"
#include "debugger/disasm.h"

static bool make(enum dbg_reg_kind kind, unsigned idx, struct dbg_reg *out)
{
	switch (kind) {
	case DBG_REG_X:
		*out = (struct dbg_reg){ dis_xreg_name(idx), kind, idx, idx };
		return idx < 32;
	case DBG_REG_PC:
		*out = (struct dbg_reg){ "pc", kind, 0, DBG_GDB_PC };
		return true;
	case DBG_REG_F:
		*out = (struct dbg_reg){ dis_freg_name(idx), kind, idx, DBG_GDB_F0 + idx };
		return idx < 32;
	case DBG_REG_CSR:
		*out = (struct dbg_reg){ dis_csr_name(idx), kind, idx, DBG_GDB_CSR0 + idx };
		return idx < 4096 && out->name;
	case DBG_REG_PRIV:
		*out = (struct dbg_reg){ "priv", kind, 0, DBG_GDB_PRIV };
		return true;
	}
	return false;
}

bool dbg_reg_by_gdb(unsigned n, struct dbg_reg *out)
{
	if (n < 32)
		return make(DBG_REG_X, n, out);
	if (n == DBG_GDB_PC)
		return make(DBG_REG_PC, 0, out);
	if (n >= DBG_GDB_F0 && n < DBG_GDB_F0 + 32)
		return make(DBG_REG_F, n - DBG_GDB_F0, out);
	if (n >= DBG_GDB_CSR0 && n < DBG_GDB_CSR0 + 4096)
		return make(DBG_REG_CSR, n - DBG_GDB_CSR0, out);
	if (n == DBG_GDB_PRIV)
		return make(DBG_REG_PRIV, 0, out);
	return false;
}

bool dbg_reg_next(const struct hart *h, unsigned *cursor, struct dbg_reg *out)
{
	uint64_t v;
	while (*cursor <= DBG_GDB_PRIV) {
		unsigned n = (*cursor)++;
		if (n == DBG_GDB_CSR0)
			continue; /* CSR 0 (ustatus) is gone from the spec */
		if (dbg_reg_by_gdb(n, out) &&
		    (out->kind != DBG_REG_CSR || dbg_reg_read(h, out, &v)))
			return true;
	}
	return false;
}

bool dbg_reg_find(const char *name, struct dbg_reg *out)
{
	if (*name == '$')
		name++;
	if (!strcmp(name, "pc"))
		return make(DBG_REG_PC, 0, out);
	if (!strcmp(name, "priv"))
		return make(DBG_REG_PRIV, 0, out);
	int r = dis_xreg_by_name(name);
	if (r >= 0)
		return make(DBG_REG_X, (unsigned)r, out);
	if ((r = dis_freg_by_name(name)) >= 0)
		return make(DBG_REG_F, (unsigned)r, out);
	if ((r = dis_csr_by_name(name)) >= 0)
		return make(DBG_REG_CSR, (unsigned)r, out);
	return false;
}

bool dbg_reg_read(const struct hart *h, const struct dbg_reg *r, uint64_t *v)
{
	switch (r->kind) {
	case DBG_REG_X:
		*v = r->idx ? h->x[r->idx] : 0;
		return true;
	case DBG_REG_PC:
		*v = h->pc;
		return true;
	case DBG_REG_F:
		*v = h->f[r->idx];
		return true;
	case DBG_REG_CSR:
		return csr_peek(h, r->idx, v);
	case DBG_REG_PRIV:
		*v = h->priv;
		return true;
	}
	return false;
}

bool dbg_reg_write(struct hart *h, const struct dbg_reg *r, uint64_t v)
{
	switch (r->kind) {
	case DBG_REG_X:
		if (r->idx)
			h->x[r->idx] = v;
		return true;
	case DBG_REG_PC:
		h->pc = v & ~1ull;
		return true;
	case DBG_REG_F:
		h->f[r->idx] = v;
		return true;
	default:
		return false;
	}
}
