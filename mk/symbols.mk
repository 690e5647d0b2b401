# symbols.mk: symbols-test: the symbol table's unit test with its inputs
# required, not skipped: a guest ELF (checked against nm) and Debian's
# kernel Image (kallsyms decoded without a symbol file; mk/linux.mk).
.PHONY: symbols-test
symbols-test: $(BUILD)/unit/test_symbols guests $(LINUX_OUT)/Image
	@RRV_SYMBOLS_REQUIRE=1 RRV_SYMBOLS_ELF=$(GUEST_OUT)/racy_counter.elf \
	  RRV_SYMBOLS_IMAGE=$(LINUX_OUT)/Image $(BUILD)/unit/test_symbols

TEST_TARGETS += symbols-test
