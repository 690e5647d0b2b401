# gdb.mk: the GDB server (debugger/gdb_*.c) driven by Debian's gdb-multiarch,
# and its robustness against bad packets (run by `make asan` on an ASan+UBSan
# rrv).

.PHONY: gdb-test gdb-robust-test
gdb-test: $(RRV) guests
	@python3 tests/gdb/gdb_test.py $(RRV) $(BUILD)/guests $(BUILD)/gdb-test

TEST_TARGETS += gdb-test

# The threaded parts (live harts stopped and resumed by gdb's thread, the
# interrupt watcher) under ThreadSanitizer.
.PHONY: tsan-gdb-test
tsan-gdb-test: $(RRV) guests
	@GDB_TEST_ONLY=live python3 tests/gdb/gdb_test.py $(RRV) $(BUILD)/guests $(BUILD)/gdb-test

TSAN_TARGETS += tsan-gdb-test

gdb-robust-test: $(RRV) guests
	@mkdir -p $(BUILD)/gdb-robust
	@$(RRV) record -o $(BUILD)/gdb-robust/amo.rrv --smp 2 $(BUILD)/guests/amo_counter.elf >/dev/null
	@python3 tests/gdb/gdb_robust.py $(RRV) $(BUILD)/gdb-robust/amo.rrv 300
