# linux.mk: Debian's riscv64 kernel booted to a busybox shell on 1 and 4 harts.
#
# test-linux runs tests/linux/boot-test.sh on $(RRV); test-linux-qemu runs
# the same test on qemu-system-riscv64 to check the test itself; linux-bench
# times boot to the shell on both. The kernel, OpenSBI 1.6 and busybox come
# from Debian trixie's riscv64 archive (tests/linux/fetch.sh, cached in
# $(LINUX_OUT)/debs, never committed); logs go to $(LINUX_OUT) too.

LINUX_OUT     := $(BUILD)/linux
LINUX_SRC     := tests/linux
LINUX_TIMEOUT ?= 300
LINUX_BENCH_RUNS ?= 3
LINUX_FETCHED := $(LINUX_OUT)/Image $(LINUX_OUT)/fw_jump.bin $(LINUX_OUT)/busybox
LINUX_FILES   := $(LINUX_OUT)/Image $(LINUX_OUT)/fw_jump.bin $(LINUX_OUT)/initrd.cpio.gz

# fetch.sh rewrites its outputs only when they change; the touch keeps make
# from running it again on every call once it is newer than them.
$(LINUX_FETCHED) &: $(LINUX_SRC)/fetch.sh
	@sh $(LINUX_SRC)/fetch.sh $(LINUX_OUT)
	@touch $(LINUX_FETCHED)

$(LINUX_OUT)/initrd.cpio.gz: $(LINUX_OUT)/busybox $(LINUX_SRC)/init \
		$(LINUX_SRC)/mkinitramfs.py
	python3 $(LINUX_SRC)/mkinitramfs.py $(LINUX_OUT)/busybox $(LINUX_SRC)/init $@

.PHONY: linux-files test-linux test-linux-qemu linux-bench
linux-files: $(LINUX_FILES)

# Both hart counts run even when the first fails; the target fails if any did.
test-linux: $(RRV) $(LINUX_FILES)
	@st=0; for n in 1 4; do \
	    sh $(LINUX_SRC)/boot-test.sh --emu rrv --rrv $(RRV) --smp $$n \
	        --files $(LINUX_OUT) --timeout $(LINUX_TIMEOUT) || st=1; \
	done; exit $$st

test-linux-qemu: $(LINUX_FILES)
	@st=0; for n in 1 4; do \
	    sh $(LINUX_SRC)/boot-test.sh --emu qemu --smp $$n \
	        --files $(LINUX_OUT) --timeout $(LINUX_TIMEOUT) || st=1; \
	done; exit $$st

linux-bench: $(RRV) $(LINUX_FILES)
	@sh $(LINUX_SRC)/bench.sh --rrv $(RRV) --files $(LINUX_OUT) \
	    --runs $(LINUX_BENCH_RUNS) --timeout $(LINUX_TIMEOUT)

TEST_TARGETS += test-linux
BENCH_TARGETS += linux-bench

# Record and replay costs on Linux (bench/linux-rr-bench.sh): a 4-hart boot
# with four shell loops and an 8-hart 1 GB boot, each under run, record and
# parallel replay. LINUX_RR_BENCH_BASE=PATH runs a second binary in every
# round (before/after figures of a change).
LINUX_RR_BENCH_RUNS  ?= 3
LINUX_RR_BENCH_LOOPS ?= 5000
.PHONY: linux-rr-bench
linux-rr-bench: $(RRV) $(LINUX_FILES)
	@sh bench/linux-rr-bench.sh --rrv $(RRV) --files $(LINUX_OUT) \
	    --runs $(LINUX_RR_BENCH_RUNS) --loops $(LINUX_RR_BENCH_LOOPS) \
	    --timeout $(LINUX_TIMEOUT) $(if $(LINUX_RR_BENCH_BASE),--base $(LINUX_RR_BENCH_BASE))

BENCH_TARGETS += linux-rr-bench
