# disasm.mk: disasm-test: the disassembler against objdump on every guest instruction.
DISASM_OBJDUMP ?= riscv64-unknown-elf-objdump
DISASM_CHECK   := $(BUILD)/disasm/dis_check

$(DISASM_CHECK): tests/disasm/dis_check.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# GUEST_ELFS comes from guests.mk, read after this file: recipes expand late.
.PHONY: disasm-test
disasm-test: $(RRV) guests $(DISASM_CHECK)
	@sh tests/disasm/check-objdump.sh $(DISASM_CHECK) $(DISASM_OBJDUMP) $(GUEST_ELFS)

TEST_TARGETS += disasm-test
