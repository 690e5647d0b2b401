# logs.mk: trace-file tooling: the reader's fuzz target (make fuzz) and the
# writer microbenchmark (trace-bench, part of make bench).
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_DIR     := $(BUILD)/fuzz
LOGS_SRCS    := $(wildcard logs/*.c)

$(FUZZ_DIR)/fuzz_trace: tests/fuzz/fuzz_trace.c $(LOGS_SRCS) $(wildcard logs/*.h)
	@mkdir -p $(dir $@)
	@command -v $(FUZZ_CC) >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -q clang >/dev/null; \
	  else echo "fuzz: clang missing; run: sudo apt-get install -y clang" >&2; exit 1; fi; }
	$(FUZZ_CC) -std=gnu11 -g -O1 -I. -D_GNU_SOURCE -DTRACE_FUZZING \
	  -fsanitize=fuzzer,address,undefined \
	  -o $@ tests/fuzz/fuzz_trace.c $(LOGS_SRCS) -llz4 -pthread

$(FUZZ_DIR)/make-seeds: tests/fuzz/make-seeds.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

.PHONY: fuzz trace-bench
fuzz: $(FUZZ_DIR)/fuzz_trace $(FUZZ_DIR)/make-seeds
	@mkdir -p $(FUZZ_DIR)/corpus
	$(FUZZ_DIR)/make-seeds $(FUZZ_DIR)/corpus
	@$(FUZZ_DIR)/fuzz_trace -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	  -max_len=65536 -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus \
	  >$(FUZZ_DIR)/fuzz.log 2>&1; st=$$?; tail -3 $(FUZZ_DIR)/fuzz.log; \
	  [ $$st = 0 ] || { echo "fuzz: findings, see $(FUZZ_DIR)/fuzz.log" >&2; exit 1; }

$(BUILD)/bench/trace_bench: bench/trace_bench.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

trace-bench: $(BUILD)/bench/trace_bench
	@$(BUILD)/bench/trace_bench

BENCH_TARGETS += trace-bench
