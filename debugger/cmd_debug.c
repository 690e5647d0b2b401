/* cmd_debug.c: `rrv debug TRACE`: the time-travel REPL (readline, scripts, batch). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "core/jit.h"
#include "debugger/cli.h"
#include "debugger/dinfo.h"
#include "debugger/gdb_replay.h"
#include "debugger/repl.h"
#include "debugger/symbols.h"
#include "debugger/trace_symbols.h"
#include "logs/trace.h"
#include "replay/engine.h"

static const char usage_debug[] =
"usage: rrv debug [options] TRACE\n"
"\n"
"Debug a recorded run with time travel: step, continue and watch forwards\n"
"and backwards, one hart at a time or all of them (gdb's command names;\n"
"`help` lists them). Symbols come from the ELF images in the trace, or a\n"
"Linux kernel's own kallsyms tables, or --symbols.\n"
"\n"
"options:\n"
"  --symbols FILE  more symbols: an ELF file or a System.map\n"
"  --jit on|off    compile hot blocks to x86-64 code, or interpret only\n"
"                  (as `rrv run`; same positions and results either way)\n"
"  -ex CMD         run CMD first (repeatable, in order)\n"
"  -x FILE         run the commands in FILE first\n"
"  --batch         run the -ex/-x commands and exit (no prompt)\n"
"  --gdb [HOST:]PORT  serve gdb instead of the prompt (127.0.0.1 unless\n"
"                  HOST is given; PORT 0 picks one); --gdb - speaks the\n"
"                  protocol on stdin/stdout (target remote | rrv debug ...)\n"
"  -h, --help      this text\n"
"\n"
"When standard input is not a terminal, commands are read one per line and\n"
"only their output is printed. Ctrl-C stops a long continue. History is\n"
"kept in ~/.rrv_history.\n";

/* The session readline's completion and the SIGINT handler reach. */
static struct dbg_session *active;
static struct rpl *interrupt_target;

/* A seek over a second long shows where it is, on a terminal. */
static void show_progress(void *ctx, uint64_t t, uint64_t goal)
{
	bool *shown = ctx;
	if (!t && !goal) {
		if (*shown)
			fputs("\r\033[K", stderr);
		*shown = false;
		return;
	}
	if (goal)
		fprintf(stderr, "\r[rrv] replaying: t = %llu of %llu (%.0f%%)\033[K",
			(unsigned long long)t, (unsigned long long)goal,
			goal ? 100.0 * (double)t / (double)goal : 0.0);
	else
		fprintf(stderr, "\r[rrv] replaying: t = %llu (Ctrl-C stops)\033[K",
			(unsigned long long)t);
	*shown = true;
}

static void on_sigint(int sig)
{
	(void)sig;
	if (interrupt_target)
		rpl_interrupt(interrupt_target);
}

static char *complete_gen(const char *text, int state)
{
	static size_t cmd_state, sym_state;
	static bool in_syms;
	if (!state) {
		cmd_state = sym_state = 0;
		in_syms = rl_point > 0 && strchr(rl_line_buffer, ' ') &&
			  strchr(rl_line_buffer, ' ') < rl_line_buffer + rl_point;
	}
	if (!in_syms) {
		const char *c = dbg_complete_command(text, &cmd_state);
		if (c)
			return strdup(c);
		return NULL;
	}
	const char *n = active ? sym_complete(active->syms, text, &sym_state) : NULL;
	return n ? strdup(n) : NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)start;
	(void)end;
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, complete_gen);
}

static int run_file(struct dbg_session *s, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "rrv: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[4096];
	while (!s->quit && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = 0;
		dbg_exec(s, line);
	}
	fclose(f);
	return 0;
}

static void interactive(struct dbg_session *s)
{
	char hist[4096] = "";
	const char *home = getenv("HOME");
	if (home)
		snprintf(hist, sizeof(hist), "%s/.rrv_history", home);
	using_history();
	if (hist[0])
		read_history(hist);
	rl_attempted_completion_function = complete;
	char *last = NULL;
	while (!s->quit) {
		char *line = readline("(rrv) ");
		if (!line) {
			fputs("quit\n", stdout);
			break;
		}
		if (!*line && last && dbg_repeats(last)) {
			free(line);
			dbg_exec(s, last);
			continue;
		}
		if (*line) {
			add_history(line);
			free(last);
			last = strdup(line);
		}
		dbg_exec(s, line);
		free(line);
	}
	free(last);
	if (hist[0])
		write_history(hist);
}

static void scripted(struct dbg_session *s)
{
	char line[4096];
	while (!s->quit && fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\r\n")] = 0;
		dbg_exec(s, line);
	}
}

int dbg_cmd_debug(int argc, char **argv)
{
	const char *symbols = NULL, *trace = NULL, *gdb = NULL;
	const char **script = calloc((size_t)argc + 1, sizeof(*script));
	bool *is_file = calloc((size_t)argc + 1, sizeof(*is_file));
	unsigned nscript = 0;
	bool batch = false;
	int status = RRV_EXIT_USAGE;
	if (!script || !is_file)
		goto out;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_debug, stdout);
			status = 0;
			goto out;
		} else if (!strcmp(a, "--batch") || !strcmp(a, "-batch")) {
			batch = true;
		} else if (!strcmp(a, "--gdb") && i + 1 < argc) {
			gdb = argv[++i];
		} else if (!strcmp(a, "--jit") && i + 1 < argc) {
			if (jit_parse_mode(argv[i + 1]) < 0) {
				fprintf(stderr, "rrv: --jit takes on or off, not '%s' "
					"(see `rrv debug --help`)\n", argv[i + 1]);
				goto out;
			}
			jit_set_default(jit_parse_mode(argv[++i]));
		} else if ((!strcmp(a, "-ex") || !strcmp(a, "-x") || !strcmp(a, "--symbols")) &&
			   i + 1 < argc) {
			if (!strcmp(a, "--symbols")) {
				symbols = argv[++i];
			} else {
				is_file[nscript] = !strcmp(a, "-x");
				script[nscript++] = argv[++i];
			}
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "rrv: %s '%s' (see `rrv debug --help`)\n",
				strcmp(a, "-ex") && strcmp(a, "-x") && strcmp(a, "--symbols") &&
				strcmp(a, "--gdb") && strcmp(a, "--jit") ?
				"unknown option" : "missing value for", a);
			goto out;
		} else if (trace) {
			fprintf(stderr, "rrv: debug takes one trace file (see `rrv debug --help`)\n");
			goto out;
		} else {
			trace = a;
		}
	}
	if (!trace) {
		fprintf(stderr, "rrv: debug needs a trace file (see `rrv debug --help`)\n");
		goto out;
	}
	char err[512];
	struct rpl *e = rpl_open(trace, err, sizeof(err));
	if (!e) {
		fprintf(stderr, "rrv: %s\n", err);
		status = 1;
		goto out;
	}
	struct sym_table *syms = sym_new();
	struct dinfo *dwarf = dinfo_new();
	dbg_load_symbols(syms, dwarf, rpl_trace(e), symbols, false);
	struct dbg_session s = { .e = e, .syms = syms, .dwarf = dwarf, .out = stdout };
	static bool progress_shown;
	if (isatty(STDERR_FILENO))
		rpl_set_progress(e, show_progress, &progress_shown);
	active = &s;
	interrupt_target = e;
	struct sigaction sa = { .sa_handler = on_sigint };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	if (gdb && !strcmp(gdb, "-")) {
		/* stdout is the protocol: the -ex commands' output goes to
		 * stderr (the guest's console is muted while debugging, as
		 * going back would print it again). */
		s.out = stderr;
	}
	for (unsigned k = 0; k < nscript && !s.quit; k++) {
		if (is_file[k])
			run_file(&s, script[k]);
		else
			dbg_exec(&s, script[k]);
	}
	int gdb_status = 0;
	if (gdb && !s.quit)
		gdb_status = dbg_gdb_serve_trace(&s, gdb);
	else if (!batch && !s.quit) {
		if (isatty(STDIN_FILENO))
			interactive(&s);
		else
			scripted(&s);
	}
	active = NULL;
	interrupt_target = NULL;
	dinfo_free(dwarf);
	sym_free(syms);
	rpl_close(e);
	status = gdb_status;
out:
	free(script);
	free(is_file);
	return status;
}
