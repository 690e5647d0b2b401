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

# The Linux files by their paths: this file is read before linux.mk, so
# $(LINUX_FILES) is still empty here (a fresh build ran the test before
# anything had fetched them).
irqs-linux-test: $(RRV) $(BUILD)/linux/Image $(BUILD)/linux/fw_jump.bin \
		$(BUILD)/linux/initrd.cpio.gz
	@sh tests/irqs/irqs-linux.sh $(RRV) $(LINUX_OUT) $(BUILD)/irqs-linux

TEST_TARGETS += irqs-test irqs-linux-test

# --inject spurious-irq under ThreadSanitizer: any hart takes an owed raise
# (a compare-and-swap on the next one's time), in a run and in a recording,
# and the replay: irq_count on 2 harts (20,000 raises a second, taken; the
# extra interrupts may fail its own check, exit 3) and amo_counter on 4 (harts racing for
# a million raises a second that its PLIC never takes). TSan's reports end a process with 66.
.PHONY: tsan-irqs-test
tsan-irqs-test: $(RRV) guests
	@st=0; d=$(BUILD)/tsan-irqs; mkdir -p $$d; \
	for g in irq_count:2:20000 amo_counter:4:1000000; do \
	    r=$${g##*:}; g=$${g%:*}; n=$${g#*:}; g=$${g%:*}; \
	    for mode in run record; do \
	        o=; [ $$mode = record ] && o="-o $$d/$$g.rrv"; \
	        $(RRV) $$mode $$o --smp $$n --inject spurious-irq:10:$$r \
	            $(BUILD)/guests/$$g.elf >/dev/null 2>$$d/$$g-$$mode.err; \
	        [ $$? -eq 66 ] && { cat $$d/$$g-$$mode.err; st=1; }; \
	    done; \
	    $(RRV) replay --quiet $$d/$$g.rrv 2>$$d/$$g-replay.err; \
	    grep -q "replay identical" $$d/$$g-replay.err || { cat $$d/$$g-replay.err; st=1; }; \
	done; exit $$st

TSAN_TARGETS += tsan-irqs-test
