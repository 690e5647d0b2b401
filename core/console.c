/* console.c: raw terminal mode for the guest console and Ctrl-A escapes. */
#include "core/console.h"

#include <stdio.h>
#include <unistd.h>

#define CTRL_A 0x01

void console_init(struct console *c, int fd)
{
	c->fd = fd;
	c->raw = false;
	c->escape = false;
	if (fd < 0 || !isatty(fd) || tcgetattr(fd, &c->saved) < 0)
		return;
	struct termios t = c->saved;
	cfmakeraw(&t);
	/* Keep output processing so the guest's "\n" still returns the
	 * carriage on the host terminal. */
	t.c_oflag |= OPOST;
	if (tcsetattr(fd, TCSANOW, &t) == 0)
		c->raw = true;
}

void console_restore(struct console *c)
{
	if (c->raw) {
		tcsetattr(c->fd, TCSANOW, &c->saved);
		c->raw = false;
	}
}

enum console_action console_filter(struct console *c, uint8_t *buf, size_t *n)
{
	if (!c->raw)
		return CONSOLE_NONE;
	size_t out = 0;
	enum console_action act = CONSOLE_NONE;
	for (size_t i = 0; i < *n; i++) {
		uint8_t b = buf[i];
		if (!c->escape) {
			if (b == CTRL_A)
				c->escape = true;
			else
				buf[out++] = b;
			continue;
		}
		c->escape = false;
		switch (b) {
		case 'x': case 'X':
			*n = out;
			return CONSOLE_QUIT;
		case CTRL_A:
			buf[out++] = CTRL_A;
			break;
		case 's': case 'S':
			act = CONSOLE_SNAPSHOT;
			break;
		case 'h': case 'H':
			fprintf(stderr, "\r\nC-a x  exit rrv\r\nC-a s  save a snapshot "
				"(to --save-snapshot FILE)\r\nC-a C-a  send C-a\r\n");
			break;
		default:
			break; /* unknown escapes are swallowed, as in QEMU */
		}
	}
	*n = out;
	return act;
}
