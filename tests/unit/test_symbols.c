/* test_symbols.c: symbol table tests: lookups, locations, ELF, System.map, kallsyms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "debugger/kallsyms.h"
#include "debugger/symbols.h"

/* Test inputs: override with RRV_SYMBOLS_IMAGE / RRV_SYMBOLS_ELF; with
 * RRV_SYMBOLS_REQUIRE=1 (make symbols-test) a missing one fails instead of
 * skipping. */
#define IMAGE_PATH "build/linux/Image"
#define ELF_PATH   "build/guests/racy_counter.elf"
#define NM         "riscv64-unknown-elf-nm"
#define KBASE      0xffffffff80000000ull

static char err[256];

static void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *d = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (d = malloc((size_t)n + 1)) && fread(d, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(d);
		d = NULL;
	}
	fclose(f);
	return d;
}

/* The input file, or a skip (a failure under RRV_SYMBOLS_REQUIRE=1). */
static void *input(const char *env, const char *def, size_t *len)
{
	const char *path = getenv(env) ? getenv(env) : def;
	void *d = read_file(path, len);
	if (!d) {
		const char *req = getenv("RRV_SYMBOLS_REQUIRE");
		print_message("%s missing\n", path);
		if (req && *req == '1')
			fail_msg("%s is required (RRV_SYMBOLS_REQUIRE=1)", path);
		skip();
	}
	return d;
}

static uint64_t addr_of(const struct sym_table *t, const char *name)
{
	uint64_t a = 0;
	if (!sym_lookup_name(t, name, &a))
		fail_msg("no symbol %s", name);
	return a;
}

static const char *fmt(const struct sym_table *t, uint64_t addr)
{
	static char buf[128];
	return sym_format(t, addr, buf, sizeof(buf));
}

/* ---- table ---- */

static void test_lookup_by_name_and_address(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	assert_int_equal(sym_add(t, "main", 0x80000100, 0x40, SYM_FUNC, true), 0);
	assert_int_equal(sym_add(t, "helper", 0x80000140, 0x20, SYM_FUNC, false), 0);
	assert_int_equal(sym_count(t), 2);
	assert_int_equal(addr_of(t, "helper"), 0x80000140);
	uint64_t a, off;
	const char *name;
	assert_false(sym_lookup_name(t, "mai", &a));
	assert_false(sym_lookup_name(t, "mainx", &a));
	assert_true(sym_lookup_addr(t, 0x8000013f, &name, &off));
	assert_string_equal(name, "main");
	assert_int_equal(off, 0x3f);
	sym_free(t);
}

static void test_duplicate_address_prefers_global_func(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	sym_add(t, "label", 0x1000, 0, SYM_NOTYPE, false);
	sym_add(t, "obj", 0x1000, 8, SYM_OBJECT, true);
	sym_add(t, "local_fn", 0x1000, 0x10, SYM_FUNC, false);
	sym_add(t, "entry", 0x1000, 0x10, SYM_FUNC, true);
	sym_add(t, "__entry", 0x1000, 0x10, SYM_FUNC, true);
	sym_add(t, "__bss_start", 0x2000, 0, SYM_NOTYPE, true);
	sym_add(t, "counter", 0x2000, 8, SYM_OBJECT, false);
	assert_string_equal(fmt(t, 0x1004), "entry+0x4");
	/* A sized object names its bytes better than a global bare label. */
	assert_string_equal(fmt(t, 0x2004), "counter+0x4");
	/* Every alias stays reachable by name. */
	assert_int_equal(addr_of(t, "label"), 0x1000);
	assert_int_equal(addr_of(t, "__entry"), 0x1000);
	assert_int_equal(sym_count(t), 7);
	sym_free(t);
}

static void test_mapping_symbols_and_empty_names_are_skipped(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	assert_int_equal(sym_add(t, "$x", 0x1000, 0, SYM_NOTYPE, false), 0);
	assert_int_equal(sym_add(t, "$xrv64i2p1_m2p0_a2p1", 0x1000, 0, SYM_NOTYPE, false), 0);
	assert_int_equal(sym_add(t, "$d", 0x1008, 0, SYM_NOTYPE, false), 0);
	assert_int_equal(sym_add(t, "", 0x1010, 0, SYM_NOTYPE, false), 0);
	assert_int_equal(sym_add(t, ".L42", 0x1018, 0, SYM_NOTYPE, false), 0);
	assert_int_equal(sym_count(t), 0);
	uint64_t off;
	const char *name;
	assert_false(sym_lookup_addr(t, 0x1000, &name, &off));
	sym_add(t, "__global_pointer$", 0x1800, 0, SYM_NOTYPE, true);
	assert_int_equal(addr_of(t, "__global_pointer$"), 0x1800);
	sym_free(t);
}

static void test_sized_symbol_ends_at_its_size(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	sym_add(t, "a", 0x1000, 0x10, SYM_FUNC, true);
	sym_add(t, "b", 0x1020, 0x10, SYM_FUNC, true);
	assert_string_equal(fmt(t, 0x100f), "a+0xf");
	assert_string_equal(fmt(t, 0x1010), "0x1010");   /* padding between */
	assert_string_equal(fmt(t, 0x1020), "b");
	assert_string_equal(fmt(t, 0x1030), "0x1030");
	assert_string_equal(fmt(t, 0xfff), "0xfff");      /* before the first */
	sym_free(t);
}

static void test_unsized_symbol_reaches_the_next_one(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	sym_add(t, "_start", 0x80000000, 0, SYM_NOTYPE, true);
	sym_add(t, "trap", 0x80000088, 0, SYM_FUNC, true);
	assert_string_equal(fmt(t, 0x80000087), "_start+0x87");
	assert_string_equal(fmt(t, 0x80000088), "trap");
	assert_string_equal(fmt(t, 0x80010000), "trap+0xff78");   /* the last one has no end */
	sym_free(t);
}

static void test_sized_symbol_inside_a_bigger_one(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	sym_add(t, "table", 0x3000, 0x100, SYM_OBJECT, true);
	sym_add(t, "table_head", 0x3010, 8, SYM_OBJECT, true);
	assert_string_equal(fmt(t, 0x3014), "table_head+0x4");
	assert_string_equal(fmt(t, 0x3020), "table+0x20");
	assert_string_equal(fmt(t, 0x3100), "0x3100");
	sym_free(t);
}

static void test_lookups_see_symbols_added_after_them(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	uint64_t a;
	sym_add(t, "one", 0x100, 0, SYM_FUNC, true);
	assert_false(sym_lookup_name(t, "two", &a));
	assert_string_equal(fmt(t, 0x250), "one+0x150");
	sym_add(t, "two", 0x200, 0, SYM_FUNC, true);
	assert_int_equal(addr_of(t, "two"), 0x200);
	assert_string_equal(fmt(t, 0x250), "two+0x50");
	sym_free(t);
}

static void test_namesakes_resolve_to_the_global_one(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	sym_add(t, "init_once", 0x100, 4, SYM_FUNC, false);
	sym_add(t, "init_once", 0x200, 4, SYM_FUNC, true);
	sym_add(t, "init_once", 0x300, 4, SYM_FUNC, false);
	assert_int_equal(addr_of(t, "init_once"), 0x200);
	assert_string_equal(fmt(t, 0x302), "init_once+0x2");
	sym_free(t);
}

static void test_format_truncates_and_symbolize_is_gdb_style(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	char buf[8];
	sym_add(t, "a_long_function_name", 0x1000, 0x100, SYM_FUNC, true);
	assert_string_equal(sym_format(t, 0x1010, buf, sizeof(buf)), "a_long_");
	assert_true(sym_symbolize(t, 0x1010, buf, sizeof(buf)));
	char wide[64];
	assert_true(sym_symbolize(t, 0x1010, wide, sizeof(wide)));
	assert_string_equal(wide, "a_long_function_name+16");
	assert_true(sym_symbolize(t, 0x1000, wide, sizeof(wide)));
	assert_string_equal(wide, "a_long_function_name");
	assert_false(sym_symbolize(t, 0x2000, wide, sizeof(wide)));
	sym_free(t);
}

static void test_parse_addr_takes_gdb_locations(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	sym_add(t, "main", 0x80000100, 0x40, SYM_FUNC, true);
	sym_add(t, "__global_pointer$", 0x80001800, 0, SYM_NOTYPE, true);
	static const struct { const char *text; uint64_t addr; } ok[] = {
		{ "main", 0x80000100 }, { "  main ", 0x80000100 }, { "main+0x10", 0x80000110 },
		{ "main+16", 0x80000110 }, { "main + 0x10", 0x80000110 }, { "main-4", 0x800000fc },
		{ "0x80000000", 0x80000000 }, { "*0x80000004", 0x80000004 },
		{ "* 0x80000004", 0x80000004 }, { "*main+8", 0x80000108 }, { "0x1000+0x20", 0x1020 },
		{ "4096", 4096 }, { "__global_pointer$", 0x80001800 },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint64_t a = 0;
		if (sym_parse_addr(t, ok[i].text, &a, err, sizeof(err)))
			fail_msg("\"%s\": %s", ok[i].text, err);
		assert_int_equal(a, ok[i].addr);
	}
	static const struct { const char *text, *msg; } bad[] = {
		{ "foo", "No symbol \"foo\" in current context." },
		{ "*foo+4", "No symbol \"foo\" in current context." },
		{ "main+zz", "Invalid number \"zz\"." },
		{ "main+", "Invalid number \"\"." },
		{ "0x12g", "Invalid number \"0x12g\"." },
		{ "0x1ffffffffffffffff", "Invalid number \"0x1ffffffffffffffff\"." },
		{ "", "Argument required (expression to compute)." },
		{ "*", "Argument required (expression to compute)." },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t a = 0x1234;
		assert_int_equal(sym_parse_addr(t, bad[i].text, &a, err, sizeof(err)), -1);
		assert_string_equal(err, bad[i].msg);
		assert_int_equal(a, 0x1234);
	}
	sym_free(t);
}

static void test_complete_lists_each_name_once_in_order(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	const char *names[] = { "sched_tick", "schedule", "init_once", "sched_fork",
				"init_once", "schedule_timeout", "panic" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		sym_add(t, names[i], 0x1000 + 0x10 * i, 0, SYM_FUNC, false);
	size_t st = 0;
	assert_string_equal(sym_complete(t, "sched", &st), "sched_fork");
	assert_string_equal(sym_complete(t, "sched", &st), "sched_tick");
	assert_string_equal(sym_complete(t, "sched", &st), "schedule");
	assert_string_equal(sym_complete(t, "sched", &st), "schedule_timeout");
	assert_null(sym_complete(t, "sched", &st));
	size_t n = 0;
	for (st = 0; sym_complete(t, "", &st);)
		n++;
	assert_int_equal(n, 6);
	st = 0;
	assert_null(sym_complete(t, "zz", &st));
	sym_free(t);
}

/* ---- System.map ---- */

static void test_system_map_lines(void **state)
{
	(void)state;
	static const char map[] =
		"ffffffff80000000 T _start\n"
		"FFFFFFFF80002000 T _stext\r\n"
		"\n"
		"ffffffff80a660fa T panic\n"
		"ffffffff80077770 t do_idle\n"
		"ffffffff81e00000 D jiffies\n"
		"0000000000000000 A __crc_foo\n"
		"                 U undefined_thing\n"
		"ffffffff81000000 b some_bss\t[some_module]\n"
		"ffffffff81e6c000 B _end";
	struct sym_table *t = sym_new();
	assert_int_equal(sym_add_system_map(t, map, strlen(map), err, sizeof(err)), 0);
	assert_int_equal(sym_count(t), 7);
	assert_int_equal(addr_of(t, "_stext"), 0xffffffff80002000);
	assert_int_equal(addr_of(t, "some_bss"), 0xffffffff81000000);
	assert_int_equal(addr_of(t, "_end"), 0xffffffff81e6c000);
	uint64_t a;
	assert_false(sym_lookup_name(t, "__crc_foo", &a));
	assert_string_equal(fmt(t, 0xffffffff80a66100), "panic+0x6");
	sym_free(t);
}

static void test_system_map_bad_line_changes_nothing(void **state)
{
	(void)state;
	static const char map[] = "ffffffff80000000 T _start\nffffffff80000010 T ok\nhello world\n";
	struct sym_table *t = sym_new();
	sym_add(t, "before", 0x10, 0, SYM_FUNC, true);
	assert_int_equal(sym_add_system_map(t, map, strlen(map), err, sizeof(err)), -1);
	assert_string_equal(err, "System.map line 3: not \"ADDRESS TYPE NAME\"");
	assert_int_equal(sym_count(t), 1);
	uint64_t a;
	assert_false(sym_lookup_name(t, "_start", &a));
	static const char hidden[] = "0000000000000000 T _start\n0000000000000000 t foo\n";
	assert_int_equal(sym_add_system_map(t, hidden, strlen(hidden), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "every address is 0"));
	assert_int_equal(sym_count(t), 1);
	sym_free(t);
}

/* ---- ELF ---- */

static void test_elf_symbols_match_nm(void **state)
{
	(void)state;
	size_t len;
	void *elf = input("RRV_SYMBOLS_ELF", ELF_PATH, &len);
	struct sym_table *t = sym_new();
	if (sym_add_elf(t, elf, len, 0, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(sym_count(t) > 20);
	uint64_t main_addr = addr_of(t, "main"), a;
	addr_of(t, "counter");
	assert_true(sym_lookup_name(t, "_start", &a));
	assert_false(sym_lookup_name(t, "racy_counter.c", &a));   /* STT_FILE */

	char cmd[512], line[512], f[4][256], type, *name;
	unsigned long long addr, size;
	unsigned checked = 0;
	snprintf(cmd, sizeof(cmd), "%s -S --defined-only %s 2>/dev/null",
		 NM, getenv("RRV_SYMBOLS_ELF") ? getenv("RRV_SYMBOLS_ELF") : ELF_PATH);
	FILE *nm = popen(cmd, "r");
	while (nm && fgets(line, sizeof(line), nm)) {
		/* "ADDR [SIZE] TYPE NAME": fields, since B and D are hex digits too */
		int n = sscanf(line, "%255s %255s %255s %255s", f[0], f[1], f[2], f[3]);
		if (n < 3 || strlen(f[n - 2]) != 1)
			continue;
		addr = strtoull(f[0], NULL, 16);
		size = n == 4 ? strtoull(f[1], NULL, 16) : 0;
		type = f[n - 2][0];
		name = f[n - 1];
		if (!strchr("TtDdBbRrWwVvGgSs", type) || name[0] == '$')
			continue;
		if (!sym_lookup_name(t, name, &a) || a != addr)
			fail_msg("nm: %s at %llx, table: %s", name, addr, fmt(t, addr));
		const char *at;
		uint64_t off;
		if (size && (!sym_lookup_addr(t, addr + size - 1, &at, &off) || off != size - 1))
			fail_msg("nm: %s [%llx,+%llx) but %llx is %s", name, addr, size,
				 addr + size - 1, fmt(t, addr + size - 1));
		checked++;
	}
	int rc = nm ? pclose(nm) : -1;
	if (rc != 0 || checked == 0) {
		print_message("%s unusable (status %d); checked main only\n", NM, rc);
	} else {
		print_message("%u symbols agree with %s\n", checked, NM);
	}
	assert_string_equal(fmt(t, main_addr + 2), "main+0x2");

	struct sym_table *biased = sym_new();
	assert_int_equal(sym_add_elf(biased, elf, len, 0x1000, err, sizeof(err)), 0);
	assert_int_equal(addr_of(biased, "main"), main_addr + 0x1000);
	sym_free(biased);
	sym_free(t);
	free(elf);
}

static void test_elf_rejects_what_is_not_one(void **state)
{
	(void)state;
	struct sym_table *t = sym_new();
	char junk[256];
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 37 + 11);
	assert_int_equal(sym_add_elf(t, junk, sizeof(junk), 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not an ELF file"));
	assert_int_equal(sym_add_elf(t, NULL, 0, 0, err, sizeof(err)), -1);
	size_t len;
	void *elf = read_file(ELF_PATH, &len);
	if (elf) {
		/* Headers only: the section table is past the end. */
		for (size_t cut = 16; cut < len; cut += len / 23)
			if (sym_add_elf(t, elf, cut, 0, err, sizeof(err)) == 0)
				assert_true(sym_count(t) > 0);
		free(elf);
	}
	sym_free(t);
}

/* ---- kallsyms: a synthetic kernel ---- */

/* Multi-character tokens in unused byte values, as scripts/kallsyms.c makes. */
static const char *const syn_tokens[] = { "sched_", "irq_", "_do_", "tick", "sym_", "T", "t" };

struct blob {
	uint8_t *d;
	size_t len, cap;
};

static void put(struct blob *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->d = realloc(b->d, b->cap);
		assert_non_null(b->d);
	}
	memcpy(b->d + b->len, p, n);
	b->len += n;
}

static void put_le(struct blob *b, uint64_t v, unsigned n)
{
	uint8_t x[8];
	for (unsigned i = 0; i < n; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	put(b, x, n);
}

static void align8(struct blob *b)
{
	while (b->len % 8)
		put_le(b, 0, 1);
}

static const char *syn_token(unsigned i)
{
	static char one[2];
	if (i >= 1 && i <= sizeof(syn_tokens) / sizeof(syn_tokens[0]))
		return syn_tokens[i - 1];
	one[0] = (char)(i > 0x20 && i < 0x7f ? i : 0);
	return one;
}

/* Greedy encoding: the longest token that matches, else the character. */
static void put_name(struct blob *b, const char *s)
{
	uint8_t code[KSYM_NAME_MAX];
	size_t n = 0;
	while (*s) {
		unsigned best = (unsigned char)*s;
		for (unsigned i = 1; i <= sizeof(syn_tokens) / sizeof(syn_tokens[0]); i++)
			if (!strncmp(s, syn_tokens[i - 1], strlen(syn_tokens[i - 1])) &&
			    strlen(syn_tokens[i - 1]) > strlen(syn_token(best)))
				best = i;
		s += strlen(syn_token(best));
		code[n++] = (uint8_t)best;
	}
	if (n > 0x7f) {
		put_le(b, (n & 0x7f) | 0x80, 1);
		put_le(b, n >> 7, 1);
	} else {
		put_le(b, n, 1);
	}
	put(b, code, n);
}

enum { SYN_N = 700, SYN_LONG = 333 };

/* Symbol i of the synthetic kernel: type letter first, as kallsyms stores it. */
static void syn_name(unsigned i, char *buf, size_t len)
{
	static const char types[] = "TtDdrBbW";
	if (i == SYN_LONG) {
		int n = snprintf(buf, len, "T");
		while (n < 200)
			n += snprintf(buf + n, len - (size_t)n, "_very_long");
		return;
	}
	snprintf(buf, len, "%csym_%s%u", types[i % 8], i % 3 ? "sched_tick" : "irq_do_", i);
}

static uint64_t syn_addr(unsigned i)
{
	return KBASE + 0x40ull * (i - i / 50);   /* every 50th shares its address */
}

/* A kernel image with the 6.12 table order, or the pre-6.2 one (addresses first). */
static struct blob syn_image(bool addrs_first)
{
	struct blob b = { 0 }, names = { 0 }, offs = { 0 };
	uint32_t markers[(SYN_N + 255) / 256];
	char name[KSYM_NAME_MAX];
	for (unsigned i = 0; i < 4096; i++)   /* text before the tables */
		put_le(&b, i * 2654435761u >> 13, 1);
	for (unsigned i = 0; i < SYN_N; i++) {
		if (i % 256 == 0)
			markers[i / 256] = (uint32_t)names.len;
		syn_name(i, name, sizeof(name));
		put_name(&names, name);
		put_le(&offs, syn_addr(i) - KBASE, 4);
	}
	if (addrs_first) {
		put(&b, offs.d, offs.len);
		align8(&b);
		put_le(&b, KBASE, 8);
	}
	put_le(&b, SYN_N, 4);
	align8(&b);
	put(&b, names.d, names.len);
	align8(&b);
	for (unsigned i = 0; i < (SYN_N + 255) / 256; i++)
		put_le(&b, markers[i], 4);
	align8(&b);
	uint16_t idx[256], off = 0;
	for (unsigned i = 0; i < 256; i++) {
		idx[i] = off;
		put(&b, syn_token(i), strlen(syn_token(i)) + 1);
		off = (uint16_t)(off + strlen(syn_token(i)) + 1);
	}
	align8(&b);
	for (unsigned i = 0; i < 256; i++)
		put_le(&b, idx[i], 2);
	align8(&b);
	if (!addrs_first) {
		put(&b, offs.d, offs.len);
		align8(&b);
		put_le(&b, KBASE, 8);
		align8(&b);
		for (unsigned i = 0; i < 3 * SYN_N; i++)
			put_le(&b, 0, 1);
	}
	for (unsigned i = 0; i < 1000; i++)   /* data after them */
		put_le(&b, i * 40503u >> 7, 1);
	free(names.d);
	free(offs.d);
	return b;
}

static void check_synthetic(bool addrs_first)
{
	struct blob b = syn_image(addrs_first);
	struct sym_table *t = sym_new();
	size_t n = 0;
	char name[KSYM_NAME_MAX];
	if (sym_add_kallsyms(t, b.d, b.len, &n, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(n, SYN_N);
	for (unsigned i = 0; i < SYN_N; i++) {
		syn_name(i, name, sizeof(name));
		assert_int_equal(addr_of(t, name + 1), syn_addr(i));
	}
	syn_name(SYN_LONG, name, sizeof(name));
	assert_true(strlen(name) > 0x7f);
	/* Sizes reach the next address; the last symbol has none. */
	char want[KSYM_NAME_MAX + 16];
	syn_name(10, name, sizeof(name));
	snprintf(want, sizeof(want), "%s+0x3f", name + 1);
	assert_string_equal(fmt(t, syn_addr(10) + 0x3f), want);
	syn_name(SYN_N - 1, name, sizeof(name));
	snprintf(want, sizeof(want), "%s+0x1000", name + 1);
	assert_string_equal(fmt(t, syn_addr(SYN_N - 1) + 0x1000), want);
	struct ksym_layout l;
	assert_int_equal(ksym_find(b.d, b.len, &l, err, sizeof(err)), 0);
	assert_int_equal(l.addrs_first, addrs_first);
	assert_int_equal(l.relative_base, KBASE);
	sym_free(t);
	free(b.d);
}

static void test_kallsyms_synthetic_612_layout(void **state)
{
	(void)state;
	check_synthetic(false);
}

static void test_kallsyms_synthetic_pre62_layout(void **state)
{
	(void)state;
	check_synthetic(true);
}

static void expect_no_kallsyms(const void *d, size_t len)
{
	struct sym_table *t = sym_new();
	size_t n = 99;
	assert_int_equal(sym_add_kallsyms(t, d, len, &n, err, sizeof(err)), -1);
	assert_int_equal(n, 0);
	assert_int_equal(sym_count(t), 0);
	assert_non_null(strstr(err, "no kallsyms tables"));
	sym_free(t);
}

static void test_kallsyms_garbage_is_refused(void **state)
{
	(void)state;
	size_t len = 1 << 20;
	uint8_t *d = malloc(len);
	uint64_t x = 88172645463325252ull;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		d[i] = (uint8_t)x;
	}
	expect_no_kallsyms(d, len);
	expect_no_kallsyms(NULL, 0);
	expect_no_kallsyms(d, 511);
	memset(d, 0, len);
	expect_no_kallsyms(d, len);
	memset(d, 0xff, len);
	expect_no_kallsyms(d, len);
	free(d);

	/* Truncated anywhere before its last address, the synthetic kernel is
	 * refused; past it (in kallsyms_seqs_of_names) it still decodes. */
	struct blob b = syn_image(false);
	struct ksym_layout l;
	assert_int_equal(ksym_find(b.d, b.len, &l, err, sizeof(err)), 0);
	for (size_t cut = 0; cut < b.len; cut += 61) {
		struct sym_table *t = sym_new();
		size_t n;
		int rc = sym_add_kallsyms(t, b.d, cut, &n, err, sizeof(err));
		size_t rb = (l.addrs + 4 * SYN_N + 7) & ~(size_t)7;
		assert_int_equal(rc, cut < rb + 8 ? -1 : 0);
		sym_free(t);
	}
	free(b.d);
}

/* Damaged tables are refused or decode into sane names; ASan checks the rest. */
static void test_kallsyms_damaged_tables_never_misread(void **state)
{
	(void)state;
	struct blob b = syn_image(false);
	struct ksym_layout l;
	assert_int_equal(ksym_find(b.d, b.len, &l, err, sizeof(err)), 0);
	size_t lo = l.names - 8, span = l.seqs - lo, found = 0;
	uint8_t *copy = malloc(b.len);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (unsigned iter = 0; iter < 3000; iter++) {
		memcpy(copy, b.d, b.len);
		for (unsigned k = 0; k < 1 + iter % 4; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			copy[lo + x % span] ^= (uint8_t)(1u << (x >> 32) % 8);
		}
		struct sym_table *t = sym_new();
		size_t n;
		if (sym_add_kallsyms(t, copy, b.len, &n, err, sizeof(err)) == 0) {
			found++;
			assert_true(n > 0);
			const char *s;
			for (size_t st = 0; (s = sym_complete(t, "", &st));)
				for (; *s; s++)
					assert_true(*s > 0x20 && *s < 0x7f);
		}
		sym_free(t);
	}
	print_message("%zu of 3000 damaged images still decoded\n", found);
	free(copy);
	free(b.d);
}

/* ---- kallsyms: Debian's kernel ---- */

struct walk {
	uint64_t prev;
	size_t n, bad;
};

static int walk_one(void *ctx, char type, const char *name, uint64_t addr, uint64_t size)
{
	struct walk *w = ctx;
	(void)size;
	if (addr < w->prev || !strchr("TtDdBbRrWwVv", type) || !*name)
		w->bad++;
	w->prev = addr;
	w->n++;
	return 0;
}

static double ms_since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

/* kallsyms_seqs_of_names orders the symbols by name: decoding must agree. */
static void check_seqs_of_names(const struct ksym_layout *l)
{
	char **names = malloc(l->nsyms * sizeof(*names)), buf[KSYM_NAME_MAX];
	size_t pos = l->names;
	for (uint32_t i = 0; i < l->nsyms; i++) {
		assert_true(ksym_decode(l, &pos, buf));
		names[i] = strdup(buf);
	}
	assert_int_equal(pos, l->names_end);
	assert_true(l->seqs != 0);
	const uint8_t *s = l->img + l->seqs;
	uint32_t prev = 0;
	for (uint32_t i = 0; i < l->nsyms; i++, s += 3) {
		uint32_t seq = (uint32_t)s[0] << 16 | (uint32_t)s[1] << 8 | s[2];
		assert_true(seq < l->nsyms);
		if (i && strcmp(names[prev] + 1, names[seq] + 1) > 0)
			fail_msg("seqs_of_names: %s before %s", names[prev], names[seq]);
		prev = seq;
	}
	for (uint32_t i = 0; i < l->nsyms; i++)
		free(names[i]);
	free(names);
}

static void test_kallsyms_debian_image(void **state)
{
	(void)state;
	size_t len, n = 0;
	void *img = input("RRV_SYMBOLS_IMAGE", IMAGE_PATH, &len);
	struct sym_table *t = sym_new();
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sym_add_kallsyms(t, img, len, &n, err, sizeof(err)))
		fail_msg("%s", err);
	double found = ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t a;
	sym_lookup_name(t, "start_kernel", &a);
	double sorted = ms_since(&t0);
	print_message("%zu kernel symbols: found and decoded in %.1f ms, sorted in %.1f ms\n",
		      n, found, sorted);
	assert_true(n >= 20000 && n < 2000000);
	assert_int_equal(sym_count(t), n);

	static const char *const known[] = { "start_kernel", "do_idle", "schedule", "panic",
		"handle_exception", "serial8250_interrupt", "note_interrupt", "_start" };
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		a = addr_of(t, known[i]);
		assert_true(a >= KBASE);
		assert_string_equal(fmt(t, a), known[i]);
	}
	/* 6.8 turned sbi_ecall() into a macro around __sbi_ecall(). */
	assert_true(sym_lookup_name(t, "sbi_ecall", &a) || sym_lookup_name(t, "__sbi_ecall", &a));
	assert_true(sym_lookup_name(t, "plic_irq_disable", &a) ||
		    sym_lookup_name(t, "plic_irq_mask", &a));
	assert_int_equal(addr_of(t, "_start"), KBASE);

	struct ksym_layout l;
	assert_int_equal(ksym_find(img, len, &l, err, sizeof(err)), 0);
	assert_int_equal(l.nsyms, n);
	assert_false(l.absolute);
	assert_false(l.addrs_first);
	assert_int_equal(l.relative_base, KBASE);
	/* The Image starts at _start: the tables sit at their own addresses. */
	if (sym_lookup_name(t, "kallsyms_token_table", &a))
		assert_int_equal(a - KBASE, l.token_table);
	struct walk w = { 0 };
	assert_int_equal(ksym_each(&l, walk_one, &w), 0);
	assert_int_equal(w.n, n);
	assert_int_equal(w.bad, 0);
	check_seqs_of_names(&l);
	sym_free(t);

	/* Cut inside the names, or between the index and the offsets: refused. */
	expect_no_kallsyms(img, l.names + (l.names_end - l.names) / 2);
	expect_no_kallsyms(img, l.addrs + 4 * (size_t)l.nsyms / 2);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_by_name_and_address),
		cmocka_unit_test(test_duplicate_address_prefers_global_func),
		cmocka_unit_test(test_mapping_symbols_and_empty_names_are_skipped),
		cmocka_unit_test(test_sized_symbol_ends_at_its_size),
		cmocka_unit_test(test_unsized_symbol_reaches_the_next_one),
		cmocka_unit_test(test_sized_symbol_inside_a_bigger_one),
		cmocka_unit_test(test_lookups_see_symbols_added_after_them),
		cmocka_unit_test(test_namesakes_resolve_to_the_global_one),
		cmocka_unit_test(test_format_truncates_and_symbolize_is_gdb_style),
		cmocka_unit_test(test_parse_addr_takes_gdb_locations),
		cmocka_unit_test(test_complete_lists_each_name_once_in_order),
		cmocka_unit_test(test_system_map_lines),
		cmocka_unit_test(test_system_map_bad_line_changes_nothing),
		cmocka_unit_test(test_elf_symbols_match_nm),
		cmocka_unit_test(test_elf_rejects_what_is_not_one),
		cmocka_unit_test(test_kallsyms_synthetic_612_layout),
		cmocka_unit_test(test_kallsyms_synthetic_pre62_layout),
		cmocka_unit_test(test_kallsyms_garbage_is_refused),
		cmocka_unit_test(test_kallsyms_damaged_tables_never_misread),
		cmocka_unit_test(test_kallsyms_debian_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
