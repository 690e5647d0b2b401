# triage.mk: how runs end (DESIGN.md §9): one guest per verdict, recorded,
# classified in END (`rrv info`), with its documented exit status, and
# replayed to the same end (tests/triage/triage-test.sh).
#
# The injected rrv crash needs a test build: the same sources compiled
# with -DRRV_TEST_HOOKS into their own folder, which honours
# RRV_TEST_CRASH_AT=HART:ICOUNT (release builds ignore it).
TRIAGE_HOOKS_BUILD := $(BUILD)/testhooks
TRIAGE_HOOKS_RRV   := $(TRIAGE_HOOKS_BUILD)/rrv

.PHONY: triage-test tsan-triage-test triage-hooks-force
triage-hooks-force:
$(TRIAGE_HOOKS_RRV): triage-hooks-force
	@$(MAKE) --no-print-directory BUILD=$(TRIAGE_HOOKS_BUILD) \
	    EXTRA_CFLAGS="$(EXTRA_CFLAGS) -DRRV_TEST_HOOKS" $@

triage-test: $(RRV) $(TRIAGE_HOOKS_RRV) guests
	@sh tests/triage/triage-test.sh $(RRV) $(TRIAGE_HOOKS_RRV) $(BUILD)/guests $(BUILD)/triage-test
	@python3 tests/triage/triage_report.py $(RRV) $(TRIAGE_HOOKS_RRV) $(BUILD)/guests \
	    $(BUILD)/triage-report README.md

# rrv triage on Debian's Linux (files from mk/linux.mk): a 4-hart boot that
# panics from `echo c > /proc/sysrq-trigger`, titled after
# sysrq_handle_crash from the kernel's own kallsyms.
.PHONY: triage-linux-test
triage-linux-test: $(RRV) $(LINUX_FILES)
	@python3 tests/triage/triage_report.py --linux $(RRV) $(LINUX_OUT) \
	    $(BUILD)/triage-linux README.md

# make tsan: the SMP verdicts (trap loop, hang, SIGTERM, console crash)
# recorded and replayed under ThreadSanitizer; no injected crash (TSan
# owns SIGSEGV there).
tsan-triage-test: $(RRV) guests
	@sh tests/triage/triage-test.sh --tsan $(RRV) - $(BUILD)/guests $(BUILD)/tsan-triage

TEST_TARGETS += triage-test triage-linux-test
TSAN_TARGETS += tsan-triage-test
