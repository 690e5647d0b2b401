/* crash_text.h: recognising a Linux kernel crash in the console output. */
#ifndef RRV_CORE_CRASH_TEXT_H
#define RRV_CORE_CRASH_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/verdict.h"

/*
 * Every byte the guest prints goes through crash_text_feed (in run,
 * record and replay alike: machine_console_out), so the crash text is a
 * function of the output bytes alone and a replay finds the same one.
 *
 * A line is a crash line when, after the printk timestamp ("[   1.23] ")
 * and caller id ("[T1] ") if any, it starts with "Kernel panic",
 * "Oops", "BUG: ", "kernel BUG at", "WARNING: ", "Unable to handle
 * kernel ", or is an RCU stall report ("rcu: INFO: ... stall") or an IRQ
 * line the kernel gave up on ("irq N: nobody cared"). The first such line
 * names the kind; it and the lines after it are the crash text, which is
 * complete at CRASH_TEXT_LINES lines or at the "---[ end Kernel panic"
 * line that closes a panic report. (Linux then spins or reboots; what
 * else ends a recording after a crash line is machine.c's business.)
 */
#define CRASH_TEXT_LINES 50
#define CRASH_TEXT_LINE_MAX 200

struct crash_text {
	char line[CRASH_TEXT_LINE_MAX + 1];  /* the line being printed */
	size_t line_len;
	bool seen;              /* a crash line was recognised */
	bool done;              /* the text is complete */
	unsigned lines;
	char kind[16];
	char text[VERDICT_TEXT_MAX];
	size_t text_len;
};

void crash_text_init(struct crash_text *c);
/* One byte of console output. True when the crash text has just become
 * complete (the caller may end the run). */
bool crash_text_feed(struct crash_text *c, uint8_t byte);
/* The output ended: an unfinished last line joins the text. */
void crash_text_finish(struct crash_text *c);

#endif /* RRV_CORE_CRASH_TEXT_H */
