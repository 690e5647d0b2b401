# snap.mk: snapshot tests (tests/snap/snap-test.sh): completeness of replay
# snapshots on every SMP guest, run/record restores, damaged files.
.PHONY: snap-test
snap-test: $(RRV) guests
	@sh tests/snap/snap-test.sh $(RRV) $(BUILD)/guests $(BUILD)/snap-test

TEST_TARGETS += snap-test
