# sbi.mk: rrv's built-in SBI (--bios builtin): its S-mode test guest on rrv, recorded and replayed; the same guest on OpenSBI.
#
# sbi-test (in `make test`) runs tests/sbi/run-sbi.sh: the guest on 1, 2
# and 4 harts with --bios builtin (exit code 42, from SRST), recorded and
# replayed in parallel and serialized with the same output and status, and
# on Debian's OpenSBI fw_jump under rrv (exit 0) to check the guest itself.
# sbi-qemu runs the guest on qemu-system-riscv64 with the same OpenSBI.
# sbi-linux-test: Debian's Linux on 4 harts with --bios builtin, booted to
# the shell (tests/linux/boot-test.sh), recorded and replayed identically.

SBI_GUEST     := $(BUILD)/sbi/sbi_guest.elf
SBI_GUEST_SRC := tests/sbi/start.S tests/sbi/sbi_guest.c
# Debian trixie's OpenSBI 1.6 when mk/linux.mk fetched it (older ones, such
# as bookworm's 1.1, do not end an rrv run on an SRST with a vendor reason).
SBI_FW        ?= $(firstword $(wildcard $(LINUX_OUT)/fw_jump.bin) \
                 /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin)

$(SBI_GUEST): $(SBI_GUEST_SRC) tests/sbi/link.ld
	@mkdir -p $(dir $@)
	$(GUEST_CC) -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -g -ffreestanding \
	    -nostdlib -Wall -Wextra -Werror -Wl,--no-warn-rwx-segments \
	    -T tests/sbi/link.ld -o $@ $(SBI_GUEST_SRC)

.PHONY: sbi-test sbi-qemu sbi-linux-test
sbi-test: $(RRV) $(SBI_GUEST)
	@sh tests/sbi/run-sbi.sh $(RRV) $(SBI_GUEST) $(BUILD)/sbi $(SBI_FW)

sbi-qemu: $(SBI_GUEST)
	@st=0; for n in 1 2 4; do \
	    timeout 30 qemu-system-riscv64 -M virt -smp $$n -nographic -monitor none \
	        -serial stdio -bios $(SBI_FW) -kernel $(SBI_GUEST) </dev/null \
	        >$(BUILD)/sbi/qemu-smp$$n.log 2>&1; \
	    if grep -q 'PASS sbi guest' $(BUILD)/sbi/qemu-smp$$n.log; then \
	        echo "PASS sbi guest on qemu, OpenSBI, smp=$$n"; \
	    else echo "FAIL sbi guest on qemu smp=$$n (log $(BUILD)/sbi/qemu-smp$$n.log)"; st=1; fi; \
	done; exit $$st

sbi-linux-test: $(RRV) $(LINUX_FILES)
	@sh tests/sbi/linux-builtin.sh $(RRV) $(LINUX_OUT) $(BUILD)/sbi

TEST_TARGETS += sbi-test sbi-linux-test

# Run from `make tsan` (BUILD=build/tsan): the 4-hart SBI guest run,
# recorded and replayed under ThreadSanitizer (the ECALL handler's cross-hart
# mailbox accesses and CLINT writes from hart threads).
.PHONY: tsan-sbi-test
tsan-sbi-test: $(RRV) $(SBI_GUEST)
	@st=0; \
	$(RRV) run --smp 4 --bios builtin $(SBI_GUEST) >/dev/null; [ $$? = 42 ] || st=1; \
	$(RRV) record -o $(BUILD)/tsan-sbi.rrv --smp 4 --bios builtin $(SBI_GUEST) >/dev/null; \
	[ $$? = 42 ] || st=1; \
	$(RRV) replay --quiet $(BUILD)/tsan-sbi.rrv; [ $$? = 42 ] || st=1; \
	exit $$st

TSAN_TARGETS += tsan-sbi-test
