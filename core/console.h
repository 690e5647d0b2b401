/* console.h: the host terminal as the guest's serial console (raw mode, Ctrl-A escapes). */
#ifndef RRV_CORE_CONSOLE_H
#define RRV_CORE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

/*
 * When input is a terminal it is put in raw mode, as `qemu -nographic` does:
 * every key (Ctrl-C included) goes to the guest; Ctrl-A x ends the run,
 * Ctrl-A Ctrl-A sends one Ctrl-A, Ctrl-A s saves a snapshot (with
 * --save-snapshot), Ctrl-A h prints the keys.
 */
struct console {
	int fd;
	bool raw;             /* terminal settings changed (restore on exit) */
	bool escape;          /* the previous byte was Ctrl-A */
	struct termios saved;
};

void console_init(struct console *c, int fd);
void console_restore(struct console *c);

enum console_action { CONSOLE_NONE, CONSOLE_QUIT, CONSOLE_SNAPSHOT };

/* Filter typed bytes in place (escapes removed); *n is updated. */
enum console_action console_filter(struct console *c, uint8_t *buf, size_t *n);

#endif /* RRV_CORE_CONSOLE_H */
