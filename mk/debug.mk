# debug.mk: `rrv debug` sessions with checked output (tests/debug/debug_test.py).
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
