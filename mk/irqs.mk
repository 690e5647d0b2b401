# irqs.mk: interrupt diagnosis (DESIGN.md §9): `rrv irqs` on a guest with
# known interrupt counts, --inject specs, and Debian's Linux on 4 harts with
# injected storms and a console flood (tests/irqs/).
#
# irqs-test is quick (bare-metal guests); irqs-linux-test records Linux
# three times (--inject uart-stuck-irq, --inject spurious-irq:10, a console
# flood without injection), replays the storms and checks rrv irqs and the
# verdict's position: about 3 minutes on a quiet host.

.PHONY: irqs-test irqs-linux-test
irqs-test: $(RRV) guests
	@sh tests/irqs/irqs-test.sh $(RRV) $(BUILD)/guests $(BUILD)/irqs-test

irqs-linux-test: $(RRV) $(LINUX_FILES)
	@sh tests/irqs/irqs-linux.sh $(RRV) $(LINUX_OUT) $(BUILD)/irqs-linux

TEST_TARGETS += irqs-test irqs-linux-test
