/* loader.h: loading guest images (ELF by program headers, or raw) into RAM. */
#ifndef RRV_CORE_LOADER_H
#define RRV_CORE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loaded_image {
	uint64_t entry;      /* ELF entry, or the load address for raw */
	uint64_t low, high;  /* physical range written */
	bool is_elf;
	uint64_t tohost, fromhost; /* HTIF symbols (0 when absent) */
};

/*
 * Copy the image into guest memory [mem_base, mem_base + mem_size), which
 * the host sees at `mem`. Raw files go at `raw_addr`. Returns 0, or -1 with a
 * one-line message naming the file and the problem in err.
 */
int loader_load(const char *path, uint8_t *mem, uint64_t mem_base,
		uint64_t mem_size, uint64_t raw_addr, struct loaded_image *out,
		char *err, size_t errlen);

/* Load the file's bytes as they are at raw_addr (no ELF parsing). */
int loader_load_raw(const char *path, uint8_t *mem, uint64_t mem_base,
		    uint64_t mem_size, uint64_t raw_addr, struct loaded_image *out,
		    char *err, size_t errlen);

#endif /* RRV_CORE_LOADER_H */
