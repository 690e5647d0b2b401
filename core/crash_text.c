/* crash_text.c: the console watcher: Linux crash lines and the text after them. */
#include "core/crash_text.h"

#include <stdio.h>
#include <string.h>

void crash_text_init(struct crash_text *c)
{
	memset(c, 0, sizeof(*c));
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Skip "[   12.345678] " and "[    T1] " style prefixes printk adds. */
static const char *message(const char *s)
{
	for (int i = 0; i < 2 && *s == '['; i++) {
		const char *close = strchr(s, ']');
		if (!close)
			break;
		s = close + 1;
		while (*s == ' ')
			s++;
	}
	return s;
}

/* The crash kind this line starts, or NULL. The texts are what the
 * kernel prints: kernel/panic.c, arch/riscv/kernel/traps.c and
 * arch/riscv/mm/fault.c (die, die_kernel_fault), lib/bug.c,
 * kernel/rcu/tree_stall.h, kernel/irq/spurious.c. */
static const char *crash_kind(const char *line)
{
	const char *s = message(line);
	if (starts(s, "Kernel panic"))
		return "panic";
	if (starts(s, "Oops"))
		return "oops";
	if (starts(s, "BUG: ") || starts(s, "kernel BUG at"))
		return "bug";
	if (starts(s, "WARNING: "))
		return "warning";
	if (starts(s, "Unable to handle kernel "))
		return "kernel-fault";
	if ((starts(s, "rcu: INFO: ") || starts(s, "INFO: rcu")) && strstr(s, "stall"))
		return "rcu-stall";
	if (starts(s, "irq ") && strstr(s, ": nobody cared"))
		return "nobody-cared";
	return NULL;
}

static void keep_line(struct crash_text *c)
{
	size_t room = sizeof(c->text) - c->text_len;
	int n = snprintf(c->text + c->text_len, room, "%s%s",
			 c->lines ? "\n" : "", c->line);
	if (n > 0 && (size_t)n < room)
		c->text_len += (size_t)n;
	else
		c->text[c->text_len] = 0; /* full: the text ends before this line */
	c->lines++;
}

/* A whole line was printed. True when the text became complete. */
static bool end_line(struct crash_text *c)
{
	c->line[c->line_len] = 0;
	c->line_len = 0;
	if (c->done)
		return false;
	if (!c->seen) {
		const char *kind = crash_kind(c->line);
		if (!kind)
			return false;
		c->seen = true;
		snprintf(c->kind, sizeof(c->kind), "%s", kind);
	}
	keep_line(c);
	if (c->lines >= CRASH_TEXT_LINES || starts(message(c->line), "---[ end Kernel panic"))
		c->done = true;
	return c->done;
}

bool crash_text_feed(struct crash_text *c, uint8_t byte)
{
	if (byte == '\n')
		return end_line(c);
	if (byte == '\r')
		return false;
	if (c->line_len < CRASH_TEXT_LINE_MAX)
		/* The END text is one line per text line: no control bytes. */
		c->line[c->line_len++] = byte == '\t' ? ' ' :
					 byte < 32 || byte == 127 ? '?' : (char)byte;
	return false;
}

void crash_text_finish(struct crash_text *c)
{
	if (c->line_len && !c->done)
		end_line(c);
	if (c->seen)
		c->done = true;
}
