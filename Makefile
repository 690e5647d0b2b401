# rrv — build, test, bench and demo entry points.
#
# `make` builds build/rrv. `make test` installs what is missing, builds, runs
# the unit tests and every test fragment listed in TEST_TARGETS (mk/*.mk).
# Variants: `make asan` (unit tests and the GDB protocol robustness test
# under ASan+UBSan), `make tsan` (SMP guests under ThreadSanitizer), `make
# test-nojit` (`make test` with the JIT tier off: RRV_JIT=off). The sanitizer
# variants build into their own folders (under $(BUILD)).

BUILD    ?= build
CC       ?= cc
OPT      ?= -O2
SANITIZE ?=
# Host FP stays IEEE-strict (core/fpu_fast.h computes guest results with it):
# no contraction of a*b+c into an FMA (gnu11's default allows it), and never
# -ffast-math.
CFLAGS   := -std=gnu11 $(OPT) -g -Wall -Wextra -Werror -pthread -I. \
            -fno-strict-aliasing -ffp-contract=off -D_GNU_SOURCE \
            $(SANITIZE) $(EXTRA_CFLAGS)
LDLIBS   := -llz4 -ldw -lelf -lfdt -lreadline -lunwind -lm -pthread
LDFLAGS  := $(SANITIZE)

SRC_DIRS := core devices logs replay debugger
ALL_SRCS := $(wildcard $(addsuffix /*.c,$(SRC_DIRS)))
MAIN_SRC := debugger/main.c
LIB_SRCS := $(filter-out $(MAIN_SRC),$(ALL_SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/librrv.a
RRV      := $(BUILD)/rrv

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

# Debian packages rrv needs to build, test and benchmark (DESIGN.md §11).
DEB_PKGS := liblz4-dev libreadline-dev libunwind-dev libcmocka-dev libfdt-dev \
            libelf-dev libdw-dev gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf \
            gdb-multiarch qemu-system-misc opensbi u-boot-qemu \
            device-tree-compiler pkg-config bc

# Test fragments append their phony targets here.
TEST_TARGETS :=
TSAN_TARGETS :=
BENCH_TARGETS :=

.PHONY: all deps test test-nojit unit asan tsan demo bench clean
all: $(RRV)

include $(sort $(wildcard mk/*.mk))

deps:
	@missing=$$(for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	  done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "deps: installing:" $$missing; \
	  apt-get update -q >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null || \
	  { echo "deps: apt-get install failed" >&2; exit 1; }; \
	else \
	  echo "deps: missing packages; run:" >&2; \
	  echo "  sudo apt-get install -y" $$missing >&2; exit 1; \
	fi

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(RRV): $(BUILD)/obj/$(MAIN_SRC:.c=.o) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -o $@ $< $(LIB) -lcmocka $(LDLIBS)

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do \
	  echo "== $$t"; $$t || fail=1; done; \
	[ $$fail = 0 ] || { echo "unit tests FAILED" >&2; exit 1; }

test: deps
	$(MAKE) all unit
	$(MAKE) $(TEST_TARGETS)

# The interpreter alone (core/jit.h: RRV_JIT is the default of --jit).
test-nojit: deps
	RRV_JIT=off $(MAKE) test

asan: deps
	$(MAKE) BUILD=$(BUILD)/asan OPT=-O1 \
	  SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all" unit gdb-robust-test

tsan: deps
	$(MAKE) BUILD=$(BUILD)/tsan OPT=-O1 SANITIZE=-fsanitize=thread \
	  $(BUILD)/tsan/rrv $(TSAN_TARGETS)

bench: deps
	$(MAKE) all
	$(MAKE) $(BENCH_TARGETS)

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
