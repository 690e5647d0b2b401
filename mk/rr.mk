# rr.mk: record/replay engine tests with in-memory event streams.
RR_SELFTEST := $(BUILD)/tests/rr_selftest

$(RR_SELFTEST): tests/rr/rr_selftest.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

.PHONY: rr-selftest
rr-selftest: $(RR_SELFTEST) guests
	@sh tests/rr/run-selftest.sh $(RR_SELFTEST) $(BUILD)/guests
