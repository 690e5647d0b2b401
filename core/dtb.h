/* dtb.h: the flattened device tree describing this machine (libfdt). */
#ifndef RRV_CORE_DTB_H
#define RRV_CORE_DTB_H

#include <stddef.h>
#include <stdint.h>

struct dtb_params {
	unsigned nharts;
	uint64_t ram_base, ram_size;
	const char *bootargs;          /* NULL: no /chosen/bootargs */
	uint64_t initrd_start, initrd_end; /* both 0: no initrd */
	uint64_t resv_base, resv_size;     /* firmware memory (size 0: none) */
};

/* Build the DTB into buf. Returns its size, or -1 with a message in err. */
int dtb_build(const struct dtb_params *p, void *buf, size_t bufsize, char *err,
	      size_t errlen);

#endif /* RRV_CORE_DTB_H */
