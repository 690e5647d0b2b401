# jit.mk: the JIT tier against the interpreter on every test guest.
.PHONY: jit-test
jit-test: $(GUEST_ELFS) $(RRV)
	@sh tests/jit/jit-guests.sh $(RRV) $(GUEST_OUT) $(GUEST_MANIFEST)

TEST_TARGETS += jit-test
