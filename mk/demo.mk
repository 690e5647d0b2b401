# demo.mk: `make demo`, the README's first command: an SMP guest on 4 parallel harts.
#
# Until record/replay lands this runs the SMP guests (AMO counter, LR/SC lock,
# cross-hart self-modifying code) on four host threads and prints rrv's
# per-hart instruction counts and speed.

.PHONY: demo
demo: deps
	$(MAKE) all guests
	@for g in amo_counter lrsc_lock smc_crosshart; do \
	  echo "== rrv run --smp 4 $(BUILD)/guests/$$g.elf"; \
	  $(RRV) run --smp 4 --timeout 60 --stats $(BUILD)/guests/$$g.elf || exit 1; \
	done
