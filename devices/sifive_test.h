/* sifive_test.h: the QEMU virt test finisher (0x100000): guest-requested exit. */
#ifndef RRV_DEVICES_SIFIVE_TEST_H
#define RRV_DEVICES_SIFIVE_TEST_H

#include "devices/device.h"

#define SIFIVE_TEST_BASE 0x100000ull
#define SIFIVE_TEST_SIZE 0x1000ull

enum sifive_test_kind { TEST_EXIT_PASS, TEST_EXIT_FAIL, TEST_EXIT_RESET };

/* Called on a recognised 32-bit write at offset 0; code is the exit code. */
typedef void (*sifive_test_exit_fn)(void *ctx, enum sifive_test_kind kind,
				    int code);

struct sifive_test;

struct sifive_test *sifive_test_new(sifive_test_exit_fn on_exit, void *ctx);
void sifive_test_free(struct sifive_test *t);
struct mmio_dev sifive_test_mmio(struct sifive_test *t);

#endif /* RRV_DEVICES_SIFIVE_TEST_H */
