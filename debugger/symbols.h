/* symbols.h: the guest symbol table (ELF, System.map, kallsyms) behind the debugger's names. */
#ifndef RRV_DEBUGGER_SYMBOLS_H
#define RRV_DEBUGGER_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One table per debugged machine. Adds may come from several sources; the
 * sorted views behind the lookups are rebuilt on the first lookup after an
 * add, so a table is not safe to share between threads while it changes.
 * Names returned by lookups stay valid until sym_free().
 */
struct sym_table;

enum sym_kind { SYM_NOTYPE = 1, SYM_OBJECT = 2, SYM_FUNC = 3 };

struct sym_table *sym_new(void);
void sym_free(struct sym_table *t);

/*
 * One symbol; size 0 means unknown (the symbol then reaches the next one).
 * Empty names, mapping symbols ("$x", "$d", "$xrv64i2p1...") and assembler
 * locals (".L...") are dropped and still count as success. 0, or -1 when
 * out of memory.
 */
int sym_add(struct sym_table *t, const char *name, uint64_t addr, uint64_t size,
	    enum sym_kind kind, bool global);

/*
 * The FUNC and OBJECT symbols of an ELF file in memory (.symtab, else
 * .dynsym), with their sizes, and NOTYPE labels in allocated sections (asm
 * entry points and data labels such as _start, crt_boot_done). bias is added
 * to each address. 0, or -1 with a one-line message in err.
 */
int sym_add_elf(struct sym_table *t, const void *data, size_t len, uint64_t bias,
		char *err, size_t errlen);

/*
 * A System.map or /proc/kallsyms text: "ffffffff80000000 T _start" lines, an
 * optional "\t[module]" after the name. Undefined, absolute and debugging
 * symbols (U, A, N) are skipped. 0, or -1 with the line number in err.
 */
int sym_add_system_map(struct sym_table *t, const char *text, size_t len,
		       char *err, size_t errlen);

/*
 * The kernel's own kallsyms tables, found by scanning a Linux Image (or a
 * dump of the RAM it was loaded into) for a self-consistent table set; the
 * addresses come from kallsyms_relative_base, no symbol file needed. Sizes
 * are the distance to the next symbol. 0 with *nadded set, or -1 with err.
 */
int sym_add_kallsyms(struct sym_table *t, const void *image, size_t len,
		     size_t *nadded, char *err, size_t errlen);

/* Address of a symbol by exact name (a global one when several share it). */
bool sym_lookup_name(const struct sym_table *t, const char *name, uint64_t *addr);

/*
 * The symbol containing addr: the largest start <= addr, within its size
 * when the size is known, up to the next symbol otherwise. Among symbols at
 * one address, as gdb does, a sized FUNC/OBJECT beats a bare label, then
 * global beats local.
 */
bool sym_lookup_addr(const struct sym_table *t, uint64_t addr, const char **name,
		     uint64_t *off);

/* "name", "name+0x10", or "0x80001234" when no symbol contains addr. */
const char *sym_format(const struct sym_table *t, uint64_t addr, char *buf, size_t len);

/*
 * A dis_sym_fn (disasm.h) for dis_insn_sym(): ctx is the table, the text is
 * gdb's "main+16"; false when no symbol contains addr.
 */
bool sym_symbolize(void *ctx, uint64_t addr, char *buf, size_t len);

/*
 * A location as gdb takes it: "SYMBOL", "SYMBOL+OFF", "SYMBOL-OFF", "0xADDR",
 * "*0xADDR", "*SYMBOL+OFF" (numbers in C syntax). 0, or -1 with gdb's
 * message in err: `No symbol "foo" in current context.`
 */
int sym_parse_addr(const struct sym_table *t, const char *text, uint64_t *addr,
		   char *err, size_t errlen);

/*
 * Names starting with prefix, in sorted order, each once: set *state to 0,
 * then call until NULL (a readline completion generator's loop).
 */
const char *sym_complete(const struct sym_table *t, const char *prefix, size_t *state);

/* Symbols held, aliases included. */
size_t sym_count(const struct sym_table *t);

#endif /* RRV_DEBUGGER_SYMBOLS_H */
