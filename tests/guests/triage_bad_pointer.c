/*
 * triage_bad_pointer.c: hart 0 reads a sensor through a pointer kept in a
 * shared config struct; hart 1 overwrites that pointer with garbage
 * (corrupt_config), and hart 0's next read_sensor loads through it: a load
 * access fault in read_sensor, reported by the runtime's unexpected-trap
 * handler (guest exit 0x7e). For `rrv triage`: the title names
 * read_sensor, and the last write to the pointer's memory names hart 1 in
 * corrupt_config.
 */
#include "guest.h"
#include "smp.h"

struct sensor {
	uint32_t id;
	volatile uint32_t value;
};

struct config {
	uint64_t flags;
	struct sensor *sensor;
};

static struct sensor thermometer = { .id = 7, .value = 21 };
static struct config shared_config;
static volatile uint32_t first_read, corrupted;

/* Nothing answers at this physical address: loads through it fault. */
#define GARBAGE_POINTER 0xdead0000ul

__attribute__((noipa)) static uint32_t read_sensor(struct config *c)
{
	return c->sensor->value;
}

__attribute__((noipa)) static void corrupt_config(struct config *c)
{
	((volatile struct config *)c)->sensor = (struct sensor *)GARBAGE_POINTER;
}

int main(int hartid, const void *dtb)
{
	int n = smp_start(hartid, dtb);
	if (hartid >= n || hartid > 1)
		smp_park();
	if (hartid == 1) {
		while (!__atomic_load_n(&first_read, __ATOMIC_ACQUIRE))
			;
		corrupt_config(&shared_config);
		__atomic_store_n(&corrupted, 1, __ATOMIC_RELEASE);
		smp_park();
	}
	shared_config.sensor = &thermometer;
	uint64_t sum = read_sensor(&shared_config);
	__atomic_store_n(&first_read, 1, __ATOMIC_RELEASE);
	if (n < 2)
		corrupt_config(&shared_config);
	while (n > 1 && !__atomic_load_n(&corrupted, __ATOMIC_ACQUIRE))
		;
	g_puts("triage_bad_pointer: reading the sensor again\n");
	sum += read_sensor(&shared_config);
	g_putdec((int64_t)sum);
	g_puts("\n");
	return 1;
}
