/* backtrace.c: frame-pointer backtraces of guest code. */
#include "debugger/backtrace.h"

#include <stdbool.h>

#include "core/hart.h"
#include "replay/engine.h"

unsigned bt_walk(struct rpl *e, unsigned hart, struct bt_frame *out, unsigned max)
{
	const struct hart *h = rpl_machine(e)->harts[hart];
	unsigned n = 0;
	if (!max)
		return 0;
	out[n++] = (struct bt_frame){ .pc = h->pc, .fp = h->x[8] };
	uint64_t fp = h->x[8], ra = h->x[1];
	bool first = true;
	while (n < max) {
		uint64_t rec[2];
		if (!fp || (fp & 7) || !rpl_read(e, hart, fp - 16, rec, 16, false))
			break;
		uint64_t ret = rec[1], prev = rec[0];
		if (first && ret != ra && ra && n < max)
			out[n++] = (struct bt_frame){ .pc = ra, .fp = fp };
		first = false;
		if (!ret || n >= max)
			break;
		out[n++] = (struct bt_frame){ .pc = ret, .fp = prev };
		if (prev <= fp)
			break;
		fp = prev;
	}
	if (n == 1 && ra && ra != h->pc && max > 1)
		out[n++] = (struct bt_frame){ .pc = ra, .fp = 0 };
	return n;
}
