# rr-debug.mk: `rrv debug` tests (incl. DWARF backtraces) and benchmark. (Named to come after
# linux.mk, whose LINUX_FILES the rules below use as prerequisites.)
# dwarf_test.py also needs deep_calls built with frame pointers (the
# fallback when its CFI is stripped); the other guests are built without.
DEEP_FP_ELF := $(BUILD)/dwarf-test/deep_calls-fp.elf
$(DEEP_FP_ELF): $(GUEST_DIR)/deep_calls.c $(GUEST_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -fno-omit-frame-pointer -o $@ $(GUEST_RUNTIME) $<

.PHONY: debug-test
debug-test: $(RRV) guests $(DEEP_FP_ELF)
	@st=0; \
	python3 tests/debug/debug_test.py $(RRV) $(BUILD)/guests $(BUILD)/debug-test || st=1; \
	python3 tests/debug/dwarf_test.py $(RRV) $(BUILD)/guests $(DEEP_FP_ELF) \
	    $(BUILD)/dwarf-test || st=1; \
	python3 tests/debug/repl_tty.py $(RRV) $(BUILD)/guests $(BUILD)/debug-tty || st=1; \
	exit $$st

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
