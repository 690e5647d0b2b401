# rr.mk: record/replay tests.
#
# rr-test (in `make test`): record and replay through trace files
# (tests/rr/run-rr.sh). rr-selftest: the engine alone, with in-memory
# streams. tsan-rr-test (in `make tsan`): a few recordings and replays
# under ThreadSanitizer.
RR_SELFTEST := $(BUILD)/tests/rr_selftest
RR_TAMPER   := $(BUILD)/tests/trace_tamper

$(RR_SELFTEST): tests/rr/rr_selftest.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(RR_TAMPER): tests/rr/trace_tamper.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

.PHONY: rr-test rr-selftest tsan-rr-test
rr-test: $(RRV) $(RR_TAMPER) guests
	@sh tests/rr/run-rr.sh $(RRV) $(BUILD)/guests $(RR_TAMPER) $(BUILD)/rr-test

rr-selftest: $(RR_SELFTEST) guests
	@for g in "--smp 2 amo_counter" "--smp 4 smc_crosshart" "--smp 2 smode_sv39"; do \
	    set -- $$g; $(RR_SELFTEST) --replays 1 --tamper $$1 $$2 $(BUILD)/guests/$$3.elf || exit 1; done

# lrsc_lock runs on 2 harts here: its 4-hart recordings can hold a million
# cross-hart dependencies, which TSan makes very slow to replay on 2 cores.
# pause_lock: the recorder's sleep after PAUSE and the proxy's wake.
tsan-rr-test: $(RRV) guests
	@st=0; for g in amo_counter lrsc_lock pause_lock ipi_pingpong uart_echo; do \
	    in=; [ $$g = uart_echo ] && in="--input tests/guests/uart_echo.in"; \
	    n=4; [ $$g = lrsc_lock ] && n=2; \
	    $(RRV) record -o $(BUILD)/tsan-$$g.rrv --smp $$n $$in $(BUILD)/guests/$$g.elf >/dev/null || st=1; \
	    $(RRV) replay --quiet $(BUILD)/tsan-$$g.rrv || st=1; \
	    $(RRV) replay --quiet --serial $(BUILD)/tsan-$$g.rrv || st=1; \
	done; exit $$st

TEST_TARGETS += rr-test rr-linux-test
TSAN_TARGETS += tsan-rr-test

# Debian's Linux on 4 harts (files from mk/linux.mk): recorded, replayed
# twice in parallel and once serialized; a tampered TRAP marker reported.
# LINUX_RR_RUNS recordings (1 in make test; more to hunt rare divergences).
LINUX_RR_RUNS ?= 1
.PHONY: rr-linux-test
rr-linux-test: $(RRV) $(RR_TAMPER) $(LINUX_FILES)
	@sh tests/rr/linux-rr.sh $(RRV) $(LINUX_OUT) $(BUILD)/rr-test $(RR_TAMPER) $(LINUX_RR_RUNS)
