/* dis_check.c: disassemble "PC RAW" hex lines from stdin (check-objdump.sh). */
#include <inttypes.h>
#include <stdio.h>

#include "debugger/disasm.h"

int main(void)
{
	char line[256], text[256];
	uint64_t pc;
	uint32_t raw;
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "%" SCNx64 " %" SCNx32, &pc, &raw) != 2) {
			fprintf(stderr, "dis_check: bad line: %s", line);
			return 2;
		}
		dis_insn(raw, pc, text, sizeof(text));
		printf("%" PRIx64 " %s\n", pc, text);
	}
	return 0;
}
