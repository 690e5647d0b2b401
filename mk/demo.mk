# demo.mk: `make demo`, the README's first command: record the built-in
# 4-hart demo guest (spinlock, racy counter, IPI ring, UART output), replay
# it in parallel and serialized, and print the verdict.
.PHONY: demo
demo: deps
	$(MAKE) all guests
	@sh tests/rr/demo.sh $(RRV) $(BUILD)/guests/demo.elf $(BUILD)/demo
