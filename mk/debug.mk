# debug.mk: `rrv debug` sessions with checked output (tests/debug/debug_test.py).
.PHONY: debug-test
debug-test: $(RRV) guests
	@python3 tests/debug/debug_test.py $(RRV) $(BUILD)/guests $(BUILD)/debug-test

TEST_TARGETS += debug-test
