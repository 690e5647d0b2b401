/* triage_title.c: titles and signatures of failures (syzbot's "<what> in <function>"), from Linux crash text and the guest's frames. */
#include "debugger/triage.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "debugger/symbols.h"

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '$';
}

void triage_signature(const char *title, char *buf, size_t len)
{
	size_t o = 0;
	if (!len)
		return;
	for (const char *p = title; *p && o + 1 < len;) {
		bool starts = p == title || !ident_char(p[-1]);
		const char *q = p;
		const char *word = NULL;
		if (starts && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
			for (q = p + 2; isxdigit((unsigned char)*q); q++)
				;
			word = "ADDR";
		} else if (starts && isxdigit((unsigned char)*p)) {
			bool digit = false;
			for (q = p; isxdigit((unsigned char)*q); q++)
				digit |= isdigit((unsigned char)*q) != 0;
			/* A run of 8+ hex digits is an address printed without
			 * 0x (a kernel's [<ffffffff8000...>]); a shorter run of
			 * decimal digits a count, a code, a CPU number. */
			if (ident_char(*q) || !digit)
				word = NULL;
			else if (q - p >= 8)
				word = "ADDR";
			else if (strspn(p, "0123456789") == (size_t)(q - p))
				word = "N";
		}
		if (!word) {
			/* Copy one identifier (or one other character) whole. */
			q = p + 1;
			if (ident_char(*p))
				while (ident_char(*q))
					q++;
			while (p < q && o + 1 < len)
				buf[o++] = *p++;
			continue;
		}
		for (const char *w = word; *w && o + 1 < len; w++)
			buf[o++] = *w;
		p = q;
	}
	buf[o] = 0;
}

bool triage_is_report_helper(const char *name)
{
	/* The guest runtime's (tests/guests/common), libc's and Linux's
	 * failure reporting: they print and stop, the failure is their
	 * caller's. */
	static const char *const helpers[] = {
		"g_exit", "g_fail", "t_fail_case", "t_fail_asm", "g_unexpected_trap",
		"exit", "_exit", "_Exit", "abort", "__assert_fail", "__assert_func",
		"__stack_chk_fail", "panic", "vpanic", "nmi_panic", "dump_backtrace",
		"show_stack", "dump_stack", "dump_stack_lvl", "__dump_stack",
		"sbi_shutdown", "show_regs", "die", "do_trap", "do_trap_insn_illegal",
		"do_trap_ebreak", "do_page_fault", "handle_exception",
		"ret_from_exception", "__warn", "warn_slowpath_fmt", "report_bug",
		"_printk", "printk", "vprintk", "vprintk_emit", "rcu_dump_cpu_stacks",
		"print_cpu_stall", "check_cpu_stall", "rcu_sched_clock_irq",
		"__report_bad_irq", "note_interrupt", "kernelmode_fixup",
		"no_context", "die_kernel_fault", "oops_end",
	};
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		if (!strcmp(name, helpers[i]))
			return true;
	return false;
}

/* The function named at p ("name+0x1c/0x24"), into buf; false if none. */
static bool name_at(const char *p, char *buf, size_t len)
{
	size_t n = 0;
	while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.'))
		n++;
	if (!n || isdigit((unsigned char)p[0]) || n >= len)
		return false;
	memcpy(buf, p, n);
	buf[n] = 0;
	/* gcc's clones keep their origin's name first: foo.constprop.0. */
	char *dot = strchr(buf, '.');
	if (dot && dot != buf)
		*dot = 0;
	return true;
}

/*
 * The function of a Call Trace entry "[<ffffffff806f7f90>] name+0x1c/0x7e".
 * The kernel prints return addresses as they are, so a call that ends a
 * function (a noreturn panic() call) shows as the next function at offset
 * 0: such an entry is named after the byte before (pc-1) when syms has
 * it. Other entries keep the kernel's own name.
 */
static bool trace_entry(const char *l, const struct sym_table *syms, char *name, size_t len)
{
	const char *at = strstr(l, "[<");
	const char *close = at ? strstr(at, ">] ") : NULL;
	if (!close || !name_at(close + 3, name, len))
		return false;
	const char *plus = strchr(close + 3, '+');
	if (!plus || strncmp(plus, "+0x0/", 5))
		return plus != NULL;
	char *end;
	uint64_t addr = strtoull(at + 2, &end, 16);
	const char *sym;
	uint64_t off;
	if (syms && end == close && addr && sym_lookup_addr(syms, addr - 1, &sym, &off))
		name_at(sym, name, len);
	return true;
}

/* The first function of the report that is not reporting machinery: the
 * faulting epc (" epc : foo+0x12/0x40") when prefer_epc, else the first
 * non-helper Call Trace entry. */
static bool guilty_function(const char *text, bool prefer_epc, const struct sym_table *syms,
			    char *func, size_t flen)
{
	char name[128];
	bool found = false;
	for (int pass = prefer_epc ? 0 : 1; pass < 2 && !found; pass++) {
		for (const char *line = text; *line && !found;) {
			const char *nl = strchr(line, '\n');
			size_t ll = nl ? (size_t)(nl - line) : strlen(line);
			char l[512];
			snprintf(l, sizeof(l), "%.*s", (int)ll, line);
			const char *epc = strstr(l, "epc : ");
			bool got = pass == 0 ? epc && strchr(epc, '+') && name_at(epc + 6, name, sizeof(name))
					     : trace_entry(l, syms, name, sizeof(name));
			if (got && !triage_is_report_helper(name)) {
				snprintf(func, flen, "%s", name);
				found = true;
			}
			line += ll + (nl ? 1 : 0);
		}
	}
	return found;
}

/* The report's first line without the printk timestamp "[    0.231876] ". */
static void first_line(const char *text, char *buf, size_t len)
{
	const char *p = text;
	if (*p == '[') {
		const char *close = strchr(p, ']');
		const char *nl = strchr(p, '\n');
		if (close && (!nl || close < nl))
			p = close + 1;
	}
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, "\n");
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	snprintf(buf, len, "%.*s", (int)n, p);
}

/* The part of s before the first of the stop strings (s itself if none). */
static void cut_before(char *s, const char *const *stops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *c = strstr(s, stops[i]);
		if (c)
			*c = 0;
	}
	size_t l = strlen(s);
	while (l && (s[l - 1] == ' ' || s[l - 1] == ':' || s[l - 1] == ','))
		s[--l] = 0;
}

void triage_crash_title(const char *kind, const char *text, const struct sym_table *syms,
			char *title, size_t len, char *func, size_t flen)
{
	char line[512], what[512];
	first_line(text, line, sizeof(line));
	func[0] = 0;
	bool fault = !strcmp(kind, "kernel-fault") || !strcmp(kind, "oops") || !strcmp(kind, "bug");
	bool have = guilty_function(text, fault, syms, func, flen);
	if (!strcmp(kind, "panic")) {
		snprintf(what, sizeof(what), "Kernel panic");
	} else if (!strcmp(kind, "kernel-fault") && !strncmp(line, "Unable to handle kernel ", 24)) {
		static const char *const stops[] = { " at virtual address", " at ", "," };
		snprintf(what, sizeof(what), "%s", line);
		cut_before(what, stops, 3);
	} else if (!strcmp(kind, "warning")) {
		snprintf(what, sizeof(what), "WARNING");
	} else if (!strcmp(kind, "rcu-stall")) {
		snprintf(what, sizeof(what), "INFO: rcu detected stall");
	} else if (!strcmp(kind, "bug") && !strncmp(line, "kernel BUG", 10)) {
		snprintf(what, sizeof(what), "kernel BUG");
	} else if (!strcmp(kind, "bug") && !strncmp(line, "BUG: ", 5)) {
		static const char *const stops[] = { " on CPU", " at ", ":", ",", " (" };
		snprintf(what, sizeof(what), "BUG: %s", line + 5);
		cut_before(what + 5, stops, 5);
	} else if (!strcmp(kind, "oops")) {
		snprintf(what, sizeof(what), "Oops");
	} else {
		/* "irq 10: nobody cared" and the like: the line says it all. */
		snprintf(title, len, "%s", line);
		return;
	}
	if (have)
		snprintf(title, len, "%s in %s", what, func);
	else if (!strcmp(kind, "panic") && strstr(line, "not syncing: "))
		snprintf(title, len, "Kernel panic: %s", strstr(line, "not syncing: ") + 13);
	else
		snprintf(title, len, "%s", what);
}
