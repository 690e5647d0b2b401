# bench.mk: the CPU benchmark guest and `make bench`'s cpu-bench target.
BENCH_OUT   := $(BUILD)/bench
BENCH_ELF   := $(BENCH_OUT)/cpubench.elf
BENCH_RUNS  ?= 5

$(BENCH_ELF): bench/cpubench.c $(wildcard tests/guests/common/*)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -o $@ $(GUEST_RUNTIME) $<

.PHONY: cpu-bench
cpu-bench: $(RRV) $(BENCH_ELF)
	@sh bench/run-bench.sh $(RRV) $(BENCH_ELF) $(BENCH_RUNS)

BENCH_TARGETS += cpu-bench
