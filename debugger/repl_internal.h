/* repl_internal.h: what the REPL's two files share (debugger/ only). */
#ifndef RRV_DEBUGGER_REPL_INTERNAL_H
#define RRV_DEBUGGER_REPL_INTERNAL_H

#include "debugger/repl.h"

struct hart;

/* Parsing command arguments. */
const char *dbg_skip_ws(const char *p);
bool dbg_next_word(const char **p, char *buf, size_t len);
bool dbg_parse_count(struct dbg_session *s, const char *args, uint64_t *n);
/* A location: $reg, SYMBOL[+OFF], a number, *LOC (prints why not). */
bool dbg_parse_loc(struct dbg_session *s, const char *text, uint64_t *addr);

/* The current hart; a register, pc or CSR by name, without side effects. */
struct hart *dbg_cur(struct dbg_session *s);
bool dbg_reg_value(const struct hart *h, const char *name, uint64_t *v);

/* " <sym+off>" for addr, or "". */
const char *dbg_symbolize(struct dbg_session *s, uint64_t addr, char *buf, size_t len);
bool dbg_read_insn(struct dbg_session *s, unsigned hart, uint64_t pc, uint32_t *raw);
void dbg_print_insn_at(struct dbg_session *s, unsigned hart, uint64_t pc, bool arrow);

/* The looking commands (repl_inspect.c). */
void dbg_repl_info(struct dbg_session *s, const char *args);
void dbg_repl_hart(struct dbg_session *s, const char *args);
void dbg_repl_print(struct dbg_session *s, const char *args);
void dbg_repl_x(struct dbg_session *s, const char *args);
void dbg_repl_disassemble(struct dbg_session *s, const char *args);
void dbg_repl_bt(struct dbg_session *s, const char *args);
void dbg_repl_events(struct dbg_session *s, const char *args);

#endif /* RRV_DEBUGGER_REPL_INTERNAL_H */
