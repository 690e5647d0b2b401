/* symbols.c: the guest symbol table: loaders, sorted views, lookups, gdb-style locations. */
#include <ctype.h>
#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debugger/kallsyms.h"
#include "debugger/symbols.h"

struct sym {
	const char *name;
	uint64_t addr;
	uint64_t size;          /* 0: unknown, reaches the next symbol */
	uint32_t seq;           /* order of adding: the last tie-break */
	uint8_t kind;           /* enum sym_kind */
	bool global;
};

/* Names live in blocks that never move, so lookups can hand out pointers. */
struct sym_block {
	struct sym_block *next;
	size_t used, cap;
	char data[];
};

enum { SYM_BLOCK_SIZE = 64 * 1024, SYM_NEST_MAX = 8 };

struct sym_table {
	struct sym *v;
	size_t n, cap;
	struct sym_block *blocks;
	/* Sorted views, rebuilt on the first lookup after an add. */
	const struct sym **by_addr;   /* the preferred symbol of each address */
	size_t n_addr;
	const struct sym **by_name;   /* every symbol */
	bool stale;
};

struct sym_table *sym_new(void)
{
	struct sym_table *t = calloc(1, sizeof(*t));
	if (t)
		t->stale = true;
	return t;
}

static void drop_views(struct sym_table *t)
{
	free(t->by_addr);
	free(t->by_name);
	t->by_addr = NULL;
	t->by_name = NULL;
	t->n_addr = 0;
	t->stale = true;
}

void sym_free(struct sym_table *t)
{
	if (!t)
		return;
	drop_views(t);
	for (struct sym_block *b = t->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(t->v);
	free(t);
}

static const char *intern(struct sym_table *t, const char *name)
{
	size_t n = strlen(name) + 1;
	struct sym_block *b = t->blocks;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > SYM_BLOCK_SIZE ? n : SYM_BLOCK_SIZE;
		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = t->blocks;
		t->blocks = b;
	}
	char *s = memcpy(b->data + b->used, name, n);
	b->used += n;
	return s;
}

/* Mapping symbols ($x, $d, $xrv64i2p1_...) and .L labels name no object. */
static bool ignored_name(const char *name)
{
	return !name[0] || name[0] == '$' || (name[0] == '.' && name[1] == 'L');
}

int sym_add(struct sym_table *t, const char *name, uint64_t addr, uint64_t size,
	    enum sym_kind kind, bool global)
{
	if (ignored_name(name))
		return 0;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		struct sym *v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	const char *s = intern(t, name);
	if (!s)
		return -1;
	t->v[t->n] = (struct sym){ .name = s, .addr = addr, .size = size,
				   .seq = (uint32_t)t->n, .kind = (uint8_t)kind,
				   .global = global };
	t->n++;
	t->stale = true;
	return 0;
}

/* A failed load leaves the table as it was (names stay in their blocks). */
static void roll_back(struct sym_table *t, size_t n)
{
	t->n = n;
	t->stale = true;
}

static unsigned leading_underscores(const char *s)
{
	unsigned n = 0;
	while (s[n] == '_')
		n++;
	return n;
}

/*
 * Which of two symbols at one address names it, as gdb's minimal symbols
 * do: a FUNC, then an OBJECT, over a bare label; a sized one; a global one;
 * the one with fewer leading underscores (foo over __foo, _text over
 * __efistub__text); the first added.
 */
static int cmp_preference(const struct sym *a, const struct sym *b)
{
	if (a->kind != b->kind)
		return a->kind > b->kind ? -1 : 1;
	if (!a->size != !b->size)
		return a->size ? -1 : 1;
	if (a->global != b->global)
		return a->global ? -1 : 1;
	unsigned ua = leading_underscores(a->name), ub = leading_underscores(b->name);
	if (ua != ub)
		return ua < ub ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_addr(const void *pa, const void *pb)
{
	const struct sym *a = *(const struct sym *const *)pa;
	const struct sym *b = *(const struct sym *const *)pb;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return cmp_preference(a, b);
}

/* By name; among namesakes (static functions of several files) globals first. */
static int cmp_name(const void *pa, const void *pb)
{
	const struct sym *a = *(const struct sym *const *)pa;
	const struct sym *b = *(const struct sym *const *)pb;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->global != b->global)
		return a->global ? -1 : 1;
	return cmp_preference(a, b);
}

static bool build(struct sym_table *t)
{
	if (!t->stale)
		return true;
	drop_views(t);
	size_t n = t->n ? t->n : 1;
	t->by_addr = malloc(n * sizeof(*t->by_addr));
	t->by_name = malloc(n * sizeof(*t->by_name));
	if (!t->by_addr || !t->by_name) {
		drop_views(t);
		return false;
	}
	for (size_t i = 0; i < t->n; i++)
		t->by_addr[i] = t->by_name[i] = &t->v[i];
	qsort(t->by_addr, t->n, sizeof(*t->by_addr), cmp_addr);
	qsort(t->by_name, t->n, sizeof(*t->by_name), cmp_name);
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++)
		if (k == 0 || t->by_addr[k - 1]->addr != t->by_addr[i]->addr)
			t->by_addr[k++] = t->by_addr[i];
	t->n_addr = k;
	t->stale = false;
	return true;
}

/* The views are a cache: the lookups fill it in through a const table. */
static struct sym_table *views(const struct sym_table *t)
{
	struct sym_table *m = (struct sym_table *)t;
	return build(m) ? m : NULL;
}

/* First index in by_name whose name is >= key (or, with n, whose n-prefix is). */
static size_t name_lower_bound(const struct sym_table *t, const char *key)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(t->by_name[mid]->name, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool sym_lookup_name(const struct sym_table *t, const char *name, uint64_t *addr)
{
	const struct sym_table *m = views(t);
	if (!m)
		return false;
	size_t i = name_lower_bound(m, name);
	if (i == m->n || strcmp(m->by_name[i]->name, name))
		return false;
	*addr = m->by_name[i]->addr;
	return true;
}

static bool covers(const struct sym *s, uint64_t addr)
{
	return addr - s->addr < s->size;
}

bool sym_lookup_addr(const struct sym_table *t, uint64_t addr, const char **name,
		     uint64_t *off)
{
	const struct sym_table *m = views(t);
	if (!m)
		return false;
	size_t lo = 0, hi = m->n_addr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->by_addr[mid]->addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	const struct sym *s = m->by_addr[lo - 1];
	/* Past a sized symbol's end, a bigger one before it may still hold addr
	 * (an array with a named element inside it); look a few back. */
	for (size_t back = 1; s->size && !covers(s, addr); back++) {
		if (back > SYM_NEST_MAX || back >= lo)
			return false;
		s = m->by_addr[lo - 1 - back];
		if (!s->size)
			return false;
	}
	*name = s->name;
	*off = addr - s->addr;
	return true;
}

const char *sym_format(const struct sym_table *t, uint64_t addr, char *buf, size_t len)
{
	const char *name;
	uint64_t off;
	if (!sym_lookup_addr(t, addr, &name, &off))
		snprintf(buf, len, "0x%" PRIx64, addr);
	else if (off)
		snprintf(buf, len, "%s+0x%" PRIx64, name, off);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

bool sym_symbolize(void *ctx, uint64_t addr, char *buf, size_t len)
{
	const char *name;
	uint64_t off;
	if (!sym_lookup_addr(ctx, addr, &name, &off))
		return false;
	if (off)
		snprintf(buf, len, "%s+%" PRIu64, name, off);
	else
		snprintf(buf, len, "%s", name);
	return true;
}

const char *sym_complete(const struct sym_table *t, const char *prefix, size_t *state)
{
	const struct sym_table *m = views(t);
	if (!m)
		return NULL;
	size_t i = *state ? *state - 1 : name_lower_bound(m, prefix);
	if (i >= m->n || strncmp(m->by_name[i]->name, prefix, strlen(prefix)))
		return NULL;
	const char *name = m->by_name[i]->name;
	while (i < m->n && !strcmp(m->by_name[i]->name, name))
		i++;
	*state = i + 1;
	return name;
}

size_t sym_count(const struct sym_table *t)
{
	return t->n;
}

/* ---- gdb-style locations ---- */

static int say(char *err, size_t errlen, const char *fmt, const char *s, size_t n)
{
	snprintf(err, errlen, fmt, (int)n, s);
	return -1;
}

/* A C number (0x.., 0.., decimal) filling exactly s[0..n). */
static bool parse_number(const char *s, size_t n, uint64_t *v)
{
	char buf[32], *end;
	if (n == 0 || n >= sizeof(buf) || !isdigit((unsigned char)s[0]))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	unsigned long long x = strtoull(buf, &end, 0);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* A number or a symbol name. */
static int parse_term(const struct sym_table *t, const char *s, size_t n, uint64_t *v,
		      char *err, size_t errlen)
{
	char name[KSYM_NAME_MAX];
	if (n && isdigit((unsigned char)s[0]))
		return parse_number(s, n, v) ? 0 : say(err, errlen, "Invalid number \"%.*s\".", s, n);
	if (n >= sizeof(name))
		return say(err, errlen, "No symbol \"%.*s\" in current context.", s, n);
	memcpy(name, s, n);
	name[n] = '\0';
	if (!sym_lookup_name(t, name, v))
		return say(err, errlen, "No symbol \"%.*s\" in current context.", s, n);
	return 0;
}

int sym_parse_addr(const struct sym_table *t, const char *text, uint64_t *addr,
		   char *err, size_t errlen)
{
	const char *s = text;
	size_t n = strlen(text);
	trim(&s, &n);
	if (n && s[0] == '*') {
		s++;
		n--;
		trim(&s, &n);
	}
	if (!n) {
		snprintf(err, errlen, "Argument required (expression to compute).");
		return -1;
	}
	/* Names hold no '+' or '-', so the first one after the start splits. */
	size_t op = 1;
	while (op < n && s[op] != '+' && s[op] != '-')
		op++;
	const char *base = s, *rest = s + op + 1;
	size_t nbase = op, nrest = op < n ? n - op - 1 : 0;
	uint64_t v, off = 0;
	trim(&base, &nbase);
	trim(&rest, &nrest);
	if (parse_term(t, base, nbase, &v, err, errlen))
		return -1;
	if (op < n && !parse_number(rest, nrest, &off))
		return say(err, errlen, "Invalid number \"%.*s\".", rest, nrest);
	*addr = op < n && s[op] == '-' ? v - off : v + off;
	return 0;
}

/* ---- loaders ---- */

/* nm's type letters: text, data, and what names no location. */
static int kind_of_type(char type, enum sym_kind *kind)
{
	switch (type) {
	case 'T': case 't': case 'W': case 'w': case 'I': case 'i':
		*kind = SYM_FUNC;
		return 0;
	case 'D': case 'd': case 'B': case 'b': case 'R': case 'r':
	case 'G': case 'g': case 'S': case 's': case 'V': case 'v':
	case 'C': case 'u':
		*kind = SYM_OBJECT;
		return 0;
	default:   /* U undefined, A absolute, N debugging, ? unknown */
		return -1;
	}
}

static int add_typed(struct sym_table *t, char type, const char *name, uint64_t addr,
		     uint64_t size, bool *added)
{
	enum sym_kind kind;
	*added = false;
	if (kind_of_type(type, &kind) || ignored_name(name))
		return 0;
	*added = true;
	return sym_add(t, name, addr, size, kind, isupper((unsigned char)type) || type == 'u');
}

/* One "ADDRESS TYPE NAME [module]" line; false when it is not one. */
static bool parse_map_line(const char *s, const char *end, uint64_t *addr, char *type,
			   char *name, size_t namelen)
{
	size_t nd = 0;
	*addr = 0;
	for (; s < end && isxdigit((unsigned char)*s); s++, nd++) {
		int c = tolower((unsigned char)*s);
		*addr = *addr << 4 | (uint64_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
	}
	if (nd == 0 || nd > 16 || s == end || !isblank((unsigned char)*s))
		return false;
	while (s < end && isblank((unsigned char)*s))
		s++;
	if (s == end || !isgraph((unsigned char)*s))
		return false;
	*type = *s++;
	if (s == end || !isblank((unsigned char)*s))
		return false;
	while (s < end && isblank((unsigned char)*s))
		s++;
	const char *n0 = s;
	while (s < end && isgraph((unsigned char)*s))
		s++;
	if (s == n0 || (size_t)(s - n0) >= namelen)
		return false;
	memcpy(name, n0, (size_t)(s - n0));
	name[s - n0] = '\0';
	return true;
}

/* One line into the table: 0 (added, blank or skipped), -1 malformed, -2 no memory. */
static int map_line(struct sym_table *t, const char *s, const char *eol, size_t *added,
		    size_t *nonzero)
{
	char name[KSYM_NAME_MAX], type;
	uint64_t addr;
	bool one;
	while (s < eol && isspace((unsigned char)*s))
		s++;
	/* nm prints undefined symbols without an address: "U name". */
	if (s == eol || (eol - s > 2 && *s && strchr("Uwv", *s) && isblank((unsigned char)s[1])))
		return 0;
	if (!parse_map_line(s, eol, &addr, &type, name, sizeof(name)))
		return -1;
	if (add_typed(t, type, name, addr, 0, &one))
		return -2;
	*added += one;
	*nonzero += one && addr;
	return 0;
}

int sym_add_system_map(struct sym_table *t, const char *text, size_t len,
		       char *err, size_t errlen)
{
	size_t n0 = t->n, line = 0, nonzero = 0, added = 0;
	for (const char *s = text, *end = text + len, *next; s < end; s = next) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		eol = eol ? eol : end;
		next = eol < end ? eol + 1 : end;
		line++;
		int rc = map_line(t, s, eol, &added, &nonzero);
		if (rc == -2)
			goto out_no_memory;
		if (rc) {
			snprintf(err, errlen, "System.map line %zu: not \"ADDRESS TYPE NAME\"", line);
			goto out_roll_back;
		}
	}
	if (added && !nonzero) {
		snprintf(err, errlen, "System.map: every address is 0 (hidden by kptr_restrict?)");
		goto out_roll_back;
	}
	return 0;
out_no_memory:
	snprintf(err, errlen, "System.map: out of memory");
out_roll_back:
	roll_back(t, n0);
	return -1;
}

struct ksym_ctx {
	struct sym_table *t;
	size_t added;
};

static int add_kallsym(void *ctx, char type, const char *name, uint64_t addr, uint64_t size)
{
	struct ksym_ctx *k = ctx;
	bool one;
	if (add_typed(k->t, type, name, addr, size, &one))
		return -1;
	k->added += one;
	return 0;
}

int sym_add_kallsyms(struct sym_table *t, const void *image, size_t len,
		     size_t *nadded, char *err, size_t errlen)
{
	struct ksym_layout l;
	struct ksym_ctx k = { .t = t };
	size_t n0 = t->n;
	*nadded = 0;
	if (ksym_find(image, len, &l, err, errlen))
		return -1;
	if (ksym_each(&l, add_kallsym, &k)) {
		snprintf(err, errlen, "kallsyms: out of memory");
		roll_back(t, n0);
		return -1;
	}
	*nadded = k.added;
	return 0;
}

/* NOTYPE symbols count when they label something loaded (text or data). */
static bool in_alloc_section(Elf *e, size_t shndx)
{
	GElf_Shdr sh;
	Elf_Scn *scn = shndx < SHN_LORESERVE ? elf_getscn(e, shndx) : NULL;
	return scn && gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_ALLOC);
}

static bool elf_kind_of(Elf *e, const GElf_Sym *s, enum sym_kind *kind)
{
	if (s->st_shndx == SHN_UNDEF || s->st_shndx == SHN_COMMON)
		return false;
	switch (GELF_ST_TYPE(s->st_info)) {
	case STT_FUNC:
	case STT_GNU_IFUNC:
		*kind = SYM_FUNC;
		return true;
	case STT_OBJECT:
		*kind = SYM_OBJECT;
		return true;
	case STT_NOTYPE:
		*kind = SYM_NOTYPE;
		return in_alloc_section(e, s->st_shndx);
	default:   /* sections, files, TLS offsets */
		return false;
	}
}

static Elf_Scn *find_symtab(Elf *e, GElf_Shdr *sh)
{
	Elf_Scn *dyn = NULL;
	GElf_Shdr dsh;
	for (Elf_Scn *scn = elf_nextscn(e, NULL); scn; scn = elf_nextscn(e, scn)) {
		if (!gelf_getshdr(scn, sh))
			continue;
		if (sh->sh_type == SHT_SYMTAB)
			return scn;
		if (sh->sh_type == SHT_DYNSYM && !dyn) {
			dyn = scn;
			dsh = *sh;
		}
	}
	if (dyn)
		*sh = dsh;
	return dyn;
}

static int add_elf_symbols(struct sym_table *t, Elf *e, uint64_t bias, char *err,
			   size_t errlen)
{
	GElf_Shdr sh;
	Elf_Scn *scn = find_symtab(e, &sh);
	if (!scn) {
		snprintf(err, errlen, "ELF file has no symbol table (stripped?)");
		return -1;
	}
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t count = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
	if (!data) {
		snprintf(err, errlen, "ELF symbol table unreadable: %s", elf_errmsg(-1));
		return -1;
	}
	for (size_t i = 1; i < count; i++) {
		GElf_Sym s;
		enum sym_kind kind;
		if (!gelf_getsym(data, (int)i, &s) || !elf_kind_of(e, &s, &kind))
			continue;
		const char *name = elf_strptr(e, sh.sh_link, s.st_name);
		if (name && sym_add(t, name, s.st_value + bias, s.st_size, kind,
				    GELF_ST_BIND(s.st_info) != STB_LOCAL)) {
			snprintf(err, errlen, "ELF symbols: out of memory");
			return -1;
		}
	}
	return 0;
}

int sym_add_elf(struct sym_table *t, const void *data, size_t len, uint64_t bias,
		char *err, size_t errlen)
{
	size_t n0 = t->n;
	int rc = -1;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		return -1;
	}
	/* libelf may convert a foreign-endian image in place: give it a copy,
	 * the caller's buffer may be a read-only mapping. */
	char *copy = malloc(len ? len : 1);
	if (!copy) {
		snprintf(err, errlen, "ELF: out of memory");
		return -1;
	}
	if (len)
		memcpy(copy, data, len);
	Elf *e = elf_memory(copy, len);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		snprintf(err, errlen, "not an ELF file%s%s", e ? "" : ": ",
			 e ? "" : elf_errmsg(-1));
		goto out_end;
	}
	rc = add_elf_symbols(t, e, bias, err, errlen);
out_end:
	if (e)
		elf_end(e);
	free(copy);
	if (rc)
		roll_back(t, n0);
	return rc;
}
