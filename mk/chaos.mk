# chaos.mk: `rrv chaos` (DESIGN.md §9): perturbed scheduling finds a bug
# that needs a starved hart at least 5x as often as plain recording, and
# chaos traces replay identically (tests/chaos/; ~1-2 minutes).

.PHONY: chaos-test
chaos-test: $(RRV) guests
	@sh tests/chaos/chaos-test.sh $(RRV) $(BUILD)/guests $(BUILD)/chaos-test

TEST_TARGETS += chaos-test
