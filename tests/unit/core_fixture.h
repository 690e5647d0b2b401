/* core_fixture.h: a one-hart machine for unit tests that execute code. */
#ifndef RRV_TESTS_CORE_FIXTURE_H
#define RRV_TESTS_CORE_FIXTURE_H

#include <string.h>

#include "core/exec.h"
#include "core/hart.h"
#include "core/machine.h"

static inline struct machine *fixture_machine(void)
{
	struct machine_config cfg = { .nharts = 1, .ram_size = 1u << 20,
				      .input_fd = -1, .output_fd = 1 };
	char err[256];
	return machine_new(&cfg, err, sizeof(err));
}

/* Put code at the start of RAM and reset hart 0 there, in M-mode. */
static inline struct hart *fixture_load(struct machine *m, const uint32_t *code,
					size_t n)
{
	memcpy(m->ram, code, n * sizeof(*code));
	struct hart *h = m->harts[0];
	hart_reset(h, RAM_BASE, 0);
	h->mtvec = RAM_BASE + 0x800;  /* traps land on a known address */
	return h;
}

#endif /* RRV_TESTS_CORE_FIXTURE_H */
