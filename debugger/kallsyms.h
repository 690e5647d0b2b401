/* kallsyms.h: finding and decoding a Linux kernel's compressed kallsyms tables in a raw image. */
#ifndef RRV_DEBUGGER_KALLSYMS_H
#define RRV_DEBUGGER_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Where the tables sit in the image (byte offsets), as scripts/kallsyms.c
 * lays them out for a 64-bit kernel: every table starts 8-aligned;
 * kallsyms_num_syms (u32), kallsyms_names (per symbol: a length byte, a
 * second one when the first has bit 7 set (Linux >= 6.1), then that many
 * token numbers), kallsyms_markers (u32 offset of every 256th name),
 * kallsyms_token_table (256 NUL-terminated strings), kallsyms_token_index
 * (256 u16), then kallsyms_offsets (u32 per symbol, sorted by address) and
 * kallsyms_relative_base (u64) and kallsyms_seqs_of_names. Linux >= 6.5
 * puts the addresses after the token index; kernels before 6.2 put them
 * before kallsyms_num_syms (6.2 to 6.4, with kallsyms_seqs_of_names between
 * the markers and the token table, are not recognised); kernels without
 * KALLSYMS_BASE_RELATIVE store u64 kallsyms_addresses instead. The decoded
 * name's first character is nm's type letter (T, t, D, ...).
 */
struct ksym_layout {
	const uint8_t *img;
	size_t len;
	uint32_t nsyms;
	size_t names;          /* kallsyms_names; kallsyms_num_syms is 8 before */
	size_t names_end;
	size_t markers;
	size_t token_table;
	size_t token_index;
	size_t addrs;          /* kallsyms_offsets, or kallsyms_addresses */
	size_t seqs;           /* kallsyms_seqs_of_names, or 0 when absent */
	bool absolute;         /* u64 kallsyms_addresses, no relative base */
	bool addrs_first;      /* the pre-6.2 order */
	uint64_t relative_base;
	uint16_t tok_index[256];
	uint16_t tok_len[256];
};

/* Longest decoded name, type letter included (the kernel's KSYM_NAME_LEN). */
enum { KSYM_NAME_MAX = 512 };

/* Find the tables in img. 0, or -1 with a one-line message in err. */
int ksym_find(const void *img, size_t len, struct ksym_layout *l, char *err, size_t errlen);

/*
 * Decode the name at *pos in kallsyms_names into name (KSYM_NAME_MAX bytes,
 * type letter first) and advance *pos. false when the entry runs out of
 * the table or does not decode into a plausible symbol name.
 */
bool ksym_decode(const struct ksym_layout *l, size_t *pos, char *name);

/* Address of symbol i (< nsyms). */
uint64_t ksym_addr(const struct ksym_layout *l, uint32_t i);

/*
 * Call fn for every symbol in address order; size is the distance to the
 * next symbol with a higher address (0 for the last ones). A non-zero return
 * from fn stops the walk and is returned.
 */
typedef int (*ksym_fn)(void *ctx, char type, const char *name, uint64_t addr,
		       uint64_t size);
int ksym_each(const struct ksym_layout *l, ksym_fn fn, void *ctx);

#endif /* RRV_DEBUGGER_KALLSYMS_H */
