# export.mk: `rrv export --chrome` (DESIGN.md §9): Chrome trace-event JSON
# of 4-hart guest traces checked with Python's json parser (tests/export/).

.PHONY: export-test
export-test: $(RRV) guests
	@sh tests/export/export-test.sh $(RRV) $(BUILD)/guests $(BUILD)/export-test

TEST_TARGETS += export-test
