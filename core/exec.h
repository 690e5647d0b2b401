/* exec.h: the translation-block executor (interpreter over pre-decoded ops). */
#ifndef RRV_CORE_EXEC_H
#define RRV_CORE_EXEC_H

#include <stdint.h>

struct hart;

/*
 * Run the hart for at most `budget` instructions, following chained blocks,
 * until the budget is spent, exit_request is seen at a block boundary or
 * before a memory access, or the hart enters WFI. Returns with h->pc, h->icount
 * exact (icount grew by exactly the instructions retired).
 */
void exec_run(struct hart *h, uint64_t budget);

#endif /* RRV_CORE_EXEC_H */
