# platform.mk: firmware boot tests (M-mode U-Boot, OpenSBI + S-mode U-Boot) and the idle-CPU test.
#
# platform-test runs them on $(RRV); platform-qemu runs the same scripts on
# qemu-system-riscv64 to check the tests themselves. Logs go to
# $(BUILD)/platform-rrv and $(BUILD)/platform-qemu.

PLATFORM_DIR   := tests/platform
PLATFORM_TESTS := $(PLATFORM_DIR)/uboot-mmode.sh $(PLATFORM_DIR)/opensbi-uboot.sh \
                  $(PLATFORM_DIR)/idle-cpu.sh

.PHONY: platform-test platform-qemu

# Every script runs even when an earlier one fails; the target fails if any did.
platform-test: $(RRV) $(BUILD)/guests/idle_wfi.elf
	@st=0; for t in $(PLATFORM_TESTS); do \
	    sh $$t --emu rrv --rrv $(RRV) --guests $(BUILD)/guests \
	        --logs $(BUILD)/platform-rrv || st=1; \
	done; exit $$st

platform-qemu: $(BUILD)/guests/idle_wfi.elf
	@st=0; for t in $(PLATFORM_TESTS); do \
	    sh $$t --emu qemu --guests $(BUILD)/guests \
	        --logs $(BUILD)/platform-qemu || st=1; \
	done; exit $$st

TEST_TARGETS += platform-test
