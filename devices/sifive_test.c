/* sifive_test.c: the QEMU virt test finisher: a guest write requests exit. */
#include "devices/sifive_test.h"

#include <stdint.h>
#include <stdlib.h>

/* Low 16 bits of the written word select the request (QEMU sifive_test). */
enum {
	FINISHER_FAIL = 0x3333,
	FINISHER_PASS = 0x5555,
	FINISHER_RESET = 0x7777,
};

struct sifive_test {
	sifive_test_exit_fn on_exit;
	void *ctx;
};

static uint64_t finisher_read(void *opaque, uint64_t off, unsigned size)
{
	(void)opaque;
	(void)off;
	(void)size;
	return 0;
}

static void finisher_write(void *opaque, uint64_t off, uint64_t val,
			   unsigned size)
{
	struct sifive_test *t = opaque;
	/* Only the documented 32-bit store at offset 0 is a request; a stray
	 * byte store must not end the run. */
	if (off != 0 || size != 4 || !t->on_exit)
		return;
	uint32_t word = (uint32_t)val;
	switch (word & 0xffff) {
	case FINISHER_PASS:
		t->on_exit(t->ctx, TEST_EXIT_PASS, 0);
		break;
	case FINISHER_FAIL:
		t->on_exit(t->ctx, TEST_EXIT_FAIL, (int)(word >> 16));
		break;
	case FINISHER_RESET:
		t->on_exit(t->ctx, TEST_EXIT_RESET, 0);
		break;
	default:
		break;
	}
}

struct sifive_test *sifive_test_new(sifive_test_exit_fn on_exit, void *ctx)
{
	struct sifive_test *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->on_exit = on_exit;
	t->ctx = ctx;
	return t;
}

void sifive_test_free(struct sifive_test *t)
{
	free(t);
}

struct mmio_dev sifive_test_mmio(struct sifive_test *t)
{
	return (struct mmio_dev){
		.name = "sifive_test",
		.base = SIFIVE_TEST_BASE,
		.size = SIFIVE_TEST_SIZE,
		.opaque = t,
		.read = finisher_read,
		.write = finisher_write,
	};
}
