# guests.mk: build the bare-metal test guests and run them on rrv, on QEMU and under TSan.
#
# A guest is tests/guests/NAME.S, NAME.c or a directory NAME/ of .S/.c files;
# it becomes $(BUILD)/guests/NAME.elf, built with the riscv toolchain only.
# tests/guests/manifest.txt says with which hart counts each guest runs.

GUEST_DIR      := tests/guests
GUEST_OUT      := $(BUILD)/guests
GUEST_CC       ?= riscv64-unknown-elf-gcc
GUEST_QEMU     ?= qemu-system-riscv64
GUEST_MANIFEST := $(GUEST_DIR)/manifest.txt
GUEST_RUN      := $(GUEST_DIR)/run-guests.sh
GUEST_CFLAGS   := -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -g \
                  -ffreestanding -nostdlib -Wall -Wextra -Werror \
                  -Wl,--no-warn-rwx-segments -I $(GUEST_DIR)/common \
                  -T $(GUEST_DIR)/common/link.ld
GUEST_RUNTIME  := $(addprefix $(GUEST_DIR)/common/,crt0.S lib.c trap.S check.c smp.c)
GUEST_DEPS     := $(GUEST_RUNTIME) $(wildcard $(GUEST_DIR)/common/*.h) \
                  $(GUEST_DIR)/common/link.ld

GUEST_SINGLE   := $(basename $(notdir $(wildcard $(GUEST_DIR)/*.S $(GUEST_DIR)/*.c)))
GUEST_SUBDIRS  := $(sort $(filter-out common,$(notdir $(patsubst %/,%,\
                  $(dir $(wildcard $(GUEST_DIR)/*/*.S $(GUEST_DIR)/*/*.c))))))
GUEST_NAMES    := $(sort $(GUEST_SINGLE) $(GUEST_SUBDIRS))
GUEST_ELFS     := $(GUEST_NAMES:%=$(GUEST_OUT)/%.elf)
# Hart counts above one mark the SMP guests that the TSan run exercises.
GUEST_TSAN_SCALE ?= 10

.PHONY: guests guest-test guest-qemu tsan-guest-test

guests: $(GUEST_ELFS)

$(GUEST_OUT)/%.elf: $(GUEST_DIR)/%.S $(GUEST_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -o $@ $(GUEST_RUNTIME) $<

$(GUEST_OUT)/%.elf: $(GUEST_DIR)/%.c $(GUEST_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -o $@ $(GUEST_RUNTIME) $<

# Directory guests: every .S/.c file in the directory, one rule per guest.
define GUEST_DIR_RULE
$(GUEST_OUT)/$(1).elf: $(wildcard $(GUEST_DIR)/$(1)/*.S $(GUEST_DIR)/$(1)/*.c \
                        $(GUEST_DIR)/$(1)/*.h) $(GUEST_DEPS)
	@mkdir -p $$(dir $$@)
	$$(GUEST_CC) $$(GUEST_CFLAGS) -I $(GUEST_DIR)/$(1) -o $$@ $(GUEST_RUNTIME) \
	    $(wildcard $(GUEST_DIR)/$(1)/*.S $(GUEST_DIR)/$(1)/*.c)
endef
$(foreach g,$(GUEST_SUBDIRS),$(eval $(call GUEST_DIR_RULE,$(g))))

guest-test: $(GUEST_ELFS) $(RRV)
	@sh $(GUEST_RUN) --emu rrv --rrv $(RRV) --dir $(GUEST_OUT) $(GUEST_MANIFEST)

guest-qemu: $(GUEST_ELFS)
	@sh $(GUEST_RUN) --emu qemu --dir $(GUEST_OUT) $(GUEST_MANIFEST)

# Run from `make tsan` with BUILD=build/tsan, so $(RRV) is the TSan binary.
tsan-guest-test: $(GUEST_ELFS) $(RRV)
	@sh $(GUEST_RUN) --emu rrv --rrv $(RRV) --dir $(GUEST_OUT) --tsan \
	    --smp-min 2 --timeout-scale $(GUEST_TSAN_SCALE) $(GUEST_MANIFEST)

TEST_TARGETS += guest-test
TSAN_TARGETS += tsan-guest-test
