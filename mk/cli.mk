# cli.mk: command-line behaviour tests (errors, exit statuses, dumpdtb).
.PHONY: cli-test
cli-test: $(RRV) guests
	@sh tests/cli/test-cli.sh $(RRV) $(BUILD)/guests
TEST_TARGETS += cli-test
