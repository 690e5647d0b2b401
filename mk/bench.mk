# bench.mk: the CPU benchmark guest and `make bench`'s cpu-bench target.
BENCH_OUT   := $(BUILD)/bench
BENCH_ELF   := $(BENCH_OUT)/cpubench.elf
BENCH_RUNS  ?= 5

$(BENCH_ELF): bench/cpubench.c $(wildcard tests/guests/common/*)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -o $@ $(GUEST_RUNTIME) $<

# The integer mix: cpubench without its floating-point kernel.
INTBENCH_ELF := $(BENCH_OUT)/intbench.elf
$(INTBENCH_ELF): bench/cpubench.c $(wildcard tests/guests/common/*)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -DBENCH_NO_FP -o $@ $(GUEST_RUNTIME) $<

.PHONY: cpu-bench
cpu-bench: $(RRV) $(BENCH_ELF) $(INTBENCH_ELF)
	@sh bench/run-bench.sh $(RRV) $(BENCH_ELF) $(BENCH_RUNS)
	@sh bench/run-bench.sh $(RRV) $(INTBENCH_ELF) $(BENCH_RUNS)

BENCH_TARGETS += cpu-bench

# Record/replay costs (rr-bench.sh): a low-sharing 2-hart guest, and the
# LR/SC lock and AMO counter guests for ownership transfer rates, and the
# same two on 8 harts for parallel against serialized replay.
LOWSHARE_ELF := $(BENCH_OUT)/lowshare.elf
$(LOWSHARE_ELF): bench/lowshare.c $(wildcard tests/guests/common/*)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -o $@ $(GUEST_RUNTIME) $<

.PHONY: rr-bench
rr-bench: $(RRV) $(LOWSHARE_ELF) guests
	@sh bench/rr-bench.sh $(RRV) $(LOWSHARE_ELF) \
	    "$(BUILD)/guests/lrsc_lock.elf $(BUILD)/guests/amo_counter.elf" $(BENCH_RUNS) \
	    "$(BUILD)/guests/amo_counter.elf $(BUILD)/guests/lrsc_lock.elf"

BENCH_TARGETS += rr-bench

