/* dtb.c: generate the device tree for the virt-compatible board with libfdt. */
#include "core/dtb.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "core/machine.h"
#include "devices/clint.h"
#include "devices/rrv_ctl.h"
#include "devices/sifive_test.h"
#include "devices/uart.h"

#define PLIC_ADDR 0x0c000000ull
#define PLIC_LEN 0x4000000ull
#define PLIC_NDEV 95
#define UART_PATH "/soc/serial@10000000"

/* phandles: 1..nharts for the per-hart interrupt controllers, then these. */
enum { PH_PLIC = MAX_HARTS + 1, PH_TEST };

static int prop_reg(void *fdt, uint64_t addr, uint64_t size)
{
	fdt32_t r[4] = { cpu_to_fdt32(addr >> 32), cpu_to_fdt32((uint32_t)addr),
			 cpu_to_fdt32(size >> 32), cpu_to_fdt32((uint32_t)size) };
	return fdt_property(fdt, "reg", r, sizeof(r));
}

/* interrupts-extended = <&intc_h irq_a &intc_h irq_b ...> for every hart. */
static int prop_irqs_ext(void *fdt, unsigned nharts, uint32_t a, int b)
{
	fdt32_t cells[MAX_HARTS * 4];
	unsigned n = 0;
	for (unsigned h = 0; h < nharts; h++) {
		cells[n++] = cpu_to_fdt32(h + 1);
		cells[n++] = cpu_to_fdt32(a);
		if (b >= 0) {
			cells[n++] = cpu_to_fdt32(h + 1);
			cells[n++] = cpu_to_fdt32((uint32_t)b);
		}
	}
	return fdt_property(fdt, "interrupts-extended", cells,
			    (int)(n * sizeof(fdt32_t)));
}

static int build_cpus(void *fdt, const struct dtb_params *p)
{
	int e = 0;
	e |= fdt_begin_node(fdt, "cpus");
	e |= fdt_property_u32(fdt, "#address-cells", 1);
	e |= fdt_property_u32(fdt, "#size-cells", 0);
	e |= fdt_property_u32(fdt, "timebase-frequency", CLINT_TIMEBASE_HZ);
	for (unsigned h = 0; h < p->nharts; h++) {
		char name[32];
		snprintf(name, sizeof(name), "cpu@%u", h);
		e |= fdt_begin_node(fdt, name);
		e |= fdt_property_string(fdt, "device_type", "cpu");
		e |= fdt_property_u32(fdt, "reg", h);
		e |= fdt_property_string(fdt, "status", "okay");
		e |= fdt_property_string(fdt, "compatible", "riscv");
		e |= fdt_property_string(fdt, "riscv,isa",
					 "rv64imafdc_zicsr_zifencei");
		e |= fdt_property_string(fdt, "mmu-type", "riscv,sv39");
		e |= fdt_begin_node(fdt, "interrupt-controller");
		e |= fdt_property_u32(fdt, "#interrupt-cells", 1);
		e |= fdt_property_u32(fdt, "#address-cells", 0);
		e |= fdt_property(fdt, "interrupt-controller", NULL, 0);
		e |= fdt_property_string(fdt, "compatible", "riscv,cpu-intc");
		e |= fdt_property_u32(fdt, "phandle", h + 1);
		e |= fdt_end_node(fdt);
		e |= fdt_end_node(fdt);
	}
	e |= fdt_end_node(fdt);
	return e;
}

static int build_soc(void *fdt, const struct dtb_params *p)
{
	int e = 0;
	char name[64];
	e |= fdt_begin_node(fdt, "soc");
	e |= fdt_property_u32(fdt, "#address-cells", 2);
	e |= fdt_property_u32(fdt, "#size-cells", 2);
	e |= fdt_property_string(fdt, "compatible", "simple-bus");
	e |= fdt_property(fdt, "ranges", NULL, 0);

	snprintf(name, sizeof(name), "clint@%llx", (unsigned long long)CLINT_BASE);
	e |= fdt_begin_node(fdt, name);
	static const char clint_compat[] = "sifive,clint0\0riscv,clint0";
	e |= fdt_property(fdt, "compatible", clint_compat, sizeof(clint_compat));
	e |= prop_reg(fdt, CLINT_BASE, CLINT_SIZE);
	e |= prop_irqs_ext(fdt, p->nharts, 3, 7);
	e |= fdt_end_node(fdt);

	snprintf(name, sizeof(name), "plic@%llx", (unsigned long long)PLIC_ADDR);
	e |= fdt_begin_node(fdt, name);
	static const char plic_compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	e |= fdt_property(fdt, "compatible", plic_compat, sizeof(plic_compat));
	e |= prop_reg(fdt, PLIC_ADDR, PLIC_LEN);
	e |= fdt_property_u32(fdt, "#interrupt-cells", 1);
	e |= fdt_property_u32(fdt, "#address-cells", 0);
	e |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	e |= fdt_property_u32(fdt, "riscv,ndev", PLIC_NDEV);
	e |= prop_irqs_ext(fdt, p->nharts, 11, 9);
	e |= fdt_property_u32(fdt, "phandle", PH_PLIC);
	e |= fdt_end_node(fdt);

	snprintf(name, sizeof(name), "serial@%llx", (unsigned long long)UART_BASE);
	e |= fdt_begin_node(fdt, name);
	e |= fdt_property_string(fdt, "compatible", "ns16550a");
	e |= prop_reg(fdt, UART_BASE, UART_SIZE);
	e |= fdt_property_u32(fdt, "clock-frequency", UART_CLOCK_HZ);
	e |= fdt_property_u32(fdt, "interrupts", UART_IRQ);
	e |= fdt_property_u32(fdt, "interrupt-parent", PH_PLIC);
	e |= fdt_end_node(fdt);

	snprintf(name, sizeof(name), "test@%llx", (unsigned long long)SIFIVE_TEST_BASE);
	e |= fdt_begin_node(fdt, name);
	static const char test_compat[] = "sifive,test1\0sifive,test0\0syscon";
	e |= fdt_property(fdt, "compatible", test_compat, sizeof(test_compat));
	e |= prop_reg(fdt, SIFIVE_TEST_BASE, SIFIVE_TEST_SIZE);
	e |= fdt_property_u32(fdt, "phandle", PH_TEST);
	e |= fdt_end_node(fdt);

	/* rrv's control device (devices/rrv_ctl.h): snapshot requests. */
	snprintf(name, sizeof(name), "rrv-control@%llx", (unsigned long long)RRV_CTL_BASE);
	e |= fdt_begin_node(fdt, name);
	e |= fdt_property_string(fdt, "compatible", "rrv,control");
	e |= prop_reg(fdt, RRV_CTL_BASE, RRV_CTL_SIZE);
	e |= fdt_end_node(fdt);

	e |= fdt_end_node(fdt);
	return e;
}

/* Linux's poweroff/reboot drivers write these values to the test device
 * (the same nodes QEMU's virt board has). */
static int build_syscon(void *fdt)
{
	static const struct { const char *node, *compat; uint32_t value; } sys[] = {
		{ "poweroff", "syscon-poweroff", 0x5555 },
		{ "reboot", "syscon-reboot", 0x7777 },
	};
	int e = 0;
	for (unsigned i = 0; i < 2; i++) {
		e |= fdt_begin_node(fdt, sys[i].node);
		e |= fdt_property_string(fdt, "compatible", sys[i].compat);
		e |= fdt_property_u32(fdt, "regmap", PH_TEST);
		e |= fdt_property_u32(fdt, "offset", 0);
		e |= fdt_property_u32(fdt, "value", sys[i].value);
		e |= fdt_end_node(fdt);
	}
	return e;
}

static int build_chosen(void *fdt, const struct dtb_params *p)
{
	int e = fdt_begin_node(fdt, "chosen");
	if (p->bootargs)
		e |= fdt_property_string(fdt, "bootargs", p->bootargs);
	e |= fdt_property_string(fdt, "stdout-path", UART_PATH);
	if (p->initrd_end > p->initrd_start) {
		e |= fdt_property_u64(fdt, "linux,initrd-start", p->initrd_start);
		e |= fdt_property_u64(fdt, "linux,initrd-end", p->initrd_end);
	}
	e |= fdt_end_node(fdt);
	return e;
}

/* Firmware memory the kernel must leave alone and not even map (the
 * reserved-memory binding's no-map, as OpenSBI marks its own). */
static int build_reserved(void *fdt, const struct dtb_params *p)
{
	if (!p->resv_size)
		return 0;
	char name[64];
	int e = fdt_begin_node(fdt, "reserved-memory");
	e |= fdt_property_u32(fdt, "#address-cells", 2);
	e |= fdt_property_u32(fdt, "#size-cells", 2);
	e |= fdt_property(fdt, "ranges", NULL, 0);
	snprintf(name, sizeof(name), "rrv-sbi@%llx", (unsigned long long)p->resv_base);
	e |= fdt_begin_node(fdt, name);
	e |= prop_reg(fdt, p->resv_base, p->resv_size);
	e |= fdt_property(fdt, "no-map", NULL, 0);
	e |= fdt_end_node(fdt);
	e |= fdt_end_node(fdt);
	return e;
}

int dtb_build(const struct dtb_params *p, void *buf, size_t bufsize, char *err,
	      size_t errlen)
{
	void *fdt = buf;
	int e = fdt_create(fdt, (int)bufsize);
	e |= fdt_finish_reservemap(fdt);
	e |= fdt_begin_node(fdt, "");
	e |= fdt_property_u32(fdt, "#address-cells", 2);
	e |= fdt_property_u32(fdt, "#size-cells", 2);
	e |= fdt_property_string(fdt, "compatible", "riscv-virtio");
	e |= fdt_property_string(fdt, "model", "riscv-virtio,qemu");
	e |= build_chosen(fdt, p);
	char name[64];
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)p->ram_base);
	e |= fdt_begin_node(fdt, name);
	e |= fdt_property_string(fdt, "device_type", "memory");
	e |= prop_reg(fdt, p->ram_base, p->ram_size);
	e |= fdt_end_node(fdt);
	e |= build_reserved(fdt, p);
	e |= build_cpus(fdt, p);
	e |= build_soc(fdt, p);
	e |= build_syscon(fdt);
	e |= fdt_end_node(fdt);
	e |= fdt_finish(fdt);
	if (e) {
		snprintf(err, errlen, "cannot build the device tree (%s)",
			 fdt_strerror(e < 0 ? e : -FDT_ERR_INTERNAL));
		return -1;
	}
	return (int)fdt_totalsize(fdt);
}
