# snap.mk: snapshot tests (tests/snap/snap-test.sh): completeness of replay
# snapshots on every SMP guest, run/record restores, damaged files.
.PHONY: snap-test
snap-test: $(RRV) guests
	@sh tests/snap/snap-test.sh $(RRV) $(BUILD)/guests $(BUILD)/snap-test

TEST_TARGETS += snap-test

# Debian's Linux (files from mk/linux.mk): boot skipped with a snapshot at
# the shell prompt, restored into run and record.
.PHONY: snap-linux-test
snap-linux-test: $(RRV) $(LINUX_FILES)
	@sh tests/snap/linux-snap.sh $(RRV) $(LINUX_OUT) $(BUILD)/snap-linux-test

TEST_TARGETS += snap-linux-test

# make bench: Linux prompt snapshot size and save time; time to a command's
# output after a full boot against after a restore, in one session.
.PHONY: snap-bench
snap-bench: $(RRV) $(LINUX_FILES)
	@python3 bench/snap_bench.py $(RRV) $(LINUX_OUT) $(BENCH_RUNS)

BENCH_TARGETS += snap-bench
