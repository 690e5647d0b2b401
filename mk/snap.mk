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

# make tsan: snapshots while recording and replaying 4 harts, under TSan.
.PHONY: tsan-snap-test
tsan-snap-test: $(RRV) guests
	@st=0; d=$(BUILD)/tsan-snap; mkdir -p $$d; \
	$(RRV) record -o $$d/a.rrv --smp 4 --save-snapshot $$d/rec.rrs \
	    --snapshot-on icount:2:300000 $(BUILD)/guests/amo_counter.elf >/dev/null || st=1; \
	$(RRV) run --restore $$d/rec.rrs >/dev/null || st=1; \
	$(RRV) replay --quiet --save-snapshot $$d/rep.rrs --snapshot-on icount:1:200000 \
	    --stop-after-snapshot $$d/a.rrv || st=1; \
	$(RRV) replay --quiet --restore $$d/rep.rrs $$d/a.rrv || st=1; \
	exit $$st

TSAN_TARGETS += tsan-snap-test
