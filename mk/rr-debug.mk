# rr-debug.mk: `rrv debug` tests and benchmark. (Named to come after
# linux.mk, whose LINUX_FILES the rules below use as prerequisites.)
.PHONY: debug-test
debug-test: $(RRV) guests
	@python3 tests/debug/debug_test.py $(RRV) $(BUILD)/guests $(BUILD)/debug-test

TEST_TARGETS += debug-test

# On Debian's Linux (files from mk/linux.mk): kernel symbols with no
# symbol file, a breakpoint every hart reaches, backtraces.
.PHONY: debug-linux-test
debug-linux-test: $(RRV) $(LINUX_FILES)
	@python3 tests/debug/linux_debug.py $(RRV) $(LINUX_OUT) $(BUILD)/debug-linux-test

TEST_TARGETS += debug-linux-test

# The debugger's costs (bench/debug_bench.py): reverse-stepi latency at the
# end of a 10^9-instruction single-hart trace and of a 4-hart Linux trace,
# reverse-continue over the whole single-hart trace against replaying it
# forward, and the memory the checkpoints hold.
LONGRUN_ELF := $(BENCH_OUT)/longrun.elf
$(LONGRUN_ELF): bench/longrun.c $(wildcard tests/guests/common/*)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -o $@ $(GUEST_RUNTIME) $<

.PHONY: debug-bench
debug-bench: $(RRV) $(LONGRUN_ELF) $(LINUX_FILES)
	@python3 bench/debug_bench.py $(RRV) $(LONGRUN_ELF) $(LINUX_OUT) $(BENCH_RUNS)

BENCH_TARGETS += debug-bench
