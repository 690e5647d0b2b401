# fpu.mk: the long differential run of the FPU fast path against the soft
# path (tests/unit/test_fpu_fast.c; the unit run does a short one).
FPU_FUZZ_N    ?= 20000000
FPU_FUZZ_SEED ?= $(shell date +%s)

.PHONY: fpu-fuzz
fpu-fuzz: $(BUILD)/unit/test_fpu_fast
	@echo "fpu-fuzz: $(FPU_FUZZ_N) operations per operation, seed $(FPU_FUZZ_SEED)"
	@RRV_FPU_FUZZ_N=$(FPU_FUZZ_N) RRV_FPU_FUZZ_SEED=$(FPU_FUZZ_SEED) $<
