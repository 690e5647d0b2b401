/* verdict.c: names, END text and exit statuses of the ways a run ends. */
#include "core/verdict.h"

#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/machine.h"

static const char *const names[VERDICT_KINDS] = {
	[VERDICT_UNKNOWN] = "unknown",
	[VERDICT_EXIT] = "exit",
	[VERDICT_GUEST_FAIL] = "guest-fail",
	[VERDICT_RESET] = "reset",
	[VERDICT_CRASH] = "crash",
	[VERDICT_TRAP_LOOP] = "trap-loop",
	[VERDICT_HANG] = "hang",
	[VERDICT_INTERRUPTED] = "interrupted",
	[VERDICT_RRV_CRASH] = "rrv-crash",
	[VERDICT_TIMEOUT] = "timeout",
	[VERDICT_INSN_LIMIT] = "insn-limit",
	[VERDICT_USER_QUIT] = "user-quit",
	[VERDICT_SNAPSHOT] = "snapshot",
	[VERDICT_ERROR] = "error",
};

const char *verdict_name(enum verdict_kind k)
{
	return (unsigned)k < VERDICT_KINDS ? names[k] : names[VERDICT_UNKNOWN];
}

enum verdict_kind verdict_by_name(const char *s)
{
	for (unsigned k = 1; k < VERDICT_KINDS; k++)
		if (!strcmp(s, names[k]))
			return (enum verdict_kind)k;
	return VERDICT_UNKNOWN;
}

static const struct { int sig; const char *name; } signals[] = {
	{ SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" },
	{ SIGILL, "ILL" }, { SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" },
	{ SIGBUS, "BUS" }, { SIGFPE, "FPE" }, { SIGKILL, "KILL" },
	{ SIGSEGV, "SEGV" }, { SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" },
	{ SIGTERM, "TERM" }, { SIGUSR1, "USR1" }, { SIGUSR2, "USR2" },
};

const char *verdict_signal_name(int sig)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return "?";
}

static int signal_by_name(const char *s)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (!strcmp(s, signals[i].name))
			return signals[i].sig;
	return atoi(s);
}

/* Append one formatted line if it fits whole. */
static void line(char *buf, size_t len, size_t *o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void line(char *buf, size_t len, size_t *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *o, len - *o, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - *o)
		buf[*o] = 0; /* did not fit: leave it out */
	else
		*o += (size_t)n;
}

size_t verdict_format(const struct verdict *v, char *buf, size_t len)
{
	size_t o = 0;
	if (!len)
		return 0;
	buf[0] = 0;
	line(buf, len, &o, "end=%s\n", verdict_name(v->kind));
	switch (v->kind) {
	case VERDICT_EXIT:
	case VERDICT_GUEST_FAIL:
		line(buf, len, &o, "code=%d\n", v->code);
		break;
	case VERDICT_INTERRUPTED:
	case VERDICT_RRV_CRASH:
		line(buf, len, &o, "signal=%s\n", verdict_signal_name(v->signal));
		break;
	case VERDICT_TRAP_LOOP:
		line(buf, len, &o, "hart=%u\ncause=%#" PRIx64 "\npc=%#" PRIx64
		     "\ntval=%#" PRIx64 "\nicount=%" PRIu64 "\nrepeats=%" PRIu64 "\n",
		     v->hart, v->cause, v->pc, v->tval, v->icount, v->repeats);
		break;
	case VERDICT_HANG:
		line(buf, len, &o, "what=%s\nseconds=%g\n", v->what, v->seconds);
		break;
	case VERDICT_CRASH:
		line(buf, len, &o, "kind=%s\n", v->crash);
		for (const char *p = v->text; *p;) {
			const char *nl = strchr(p, '\n');
			int n = nl ? (int)(nl - p) : (int)strlen(p);
			line(buf, len, &o, "text=%.*s\n", n, p);
			p += n + (nl ? 1 : 0);
		}
		break;
	default:
		break;
	}
	return o;
}

static void parse_line(struct verdict *v, const char *key, const char *val,
		       size_t *text_len)
{
	if (!strcmp(key, "end"))
		v->kind = verdict_by_name(val);
	else if (!strcmp(key, "code"))
		v->code = atoi(val);
	else if (!strcmp(key, "signal"))
		v->signal = signal_by_name(val);
	else if (!strcmp(key, "hart"))
		v->hart = (unsigned)strtoul(val, NULL, 10);
	else if (!strcmp(key, "cause"))
		v->cause = strtoull(val, NULL, 0);
	else if (!strcmp(key, "pc"))
		v->pc = strtoull(val, NULL, 0);
	else if (!strcmp(key, "tval"))
		v->tval = strtoull(val, NULL, 0);
	else if (!strcmp(key, "icount"))
		v->icount = strtoull(val, NULL, 10);
	else if (!strcmp(key, "repeats"))
		v->repeats = strtoull(val, NULL, 10);
	else if (!strcmp(key, "what"))
		snprintf(v->what, sizeof(v->what), "%.15s", val);
	else if (!strcmp(key, "seconds"))
		v->seconds = strtod(val, NULL);
	else if (!strcmp(key, "kind"))
		snprintf(v->crash, sizeof(v->crash), "%.15s", val);
	else if (!strcmp(key, "text")) {
		int n = snprintf(v->text + *text_len, sizeof(v->text) - *text_len,
				 "%s%s", *text_len ? "\n" : "", val);
		if (n > 0 && *text_len + (size_t)n < sizeof(v->text))
			*text_len += (size_t)n;
		else
			v->text[*text_len] = 0;
	}
}

void verdict_parse(const char *text, struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	size_t text_len = 0;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t ll = nl ? (size_t)(nl - p) : strlen(p);
		const char *eq = memchr(p, '=', ll);
		char key[32], val[1024];
		if (eq && (size_t)(eq - p) < sizeof(key)) {
			snprintf(key, sizeof(key), "%.*s", (int)(eq - p), p);
			size_t vl = ll - (size_t)(eq - p) - 1;
			snprintf(val, sizeof(val), "%.*s",
				 (int)(vl < sizeof(val) ? vl : sizeof(val) - 1), eq + 1);
			parse_line(v, key, val, &text_len);
		}
		p += ll + (nl ? 1 : 0);
	}
}

const char *verdict_exception_name(uint64_t cause)
{
	static const char *const n[16] = {
		"instruction address misaligned", "instruction access fault",
		"illegal instruction", "breakpoint", "load address misaligned",
		"load access fault", "store address misaligned",
		"store access fault", "ecall from U-mode", "ecall from S-mode",
		NULL, "ecall from M-mode", "instruction page fault",
		"load page fault", NULL, "store page fault",
	};
	return cause < 16 && n[cause] ? n[cause] : "exception";
}

void verdict_describe(const struct verdict *v, char *buf, size_t len)
{
	switch (v->kind) {
	case VERDICT_EXIT:
		snprintf(buf, len, "the guest exited with code 0");
		break;
	case VERDICT_GUEST_FAIL:
		snprintf(buf, len, "the guest reported failure: exit code %d", v->code);
		break;
	case VERDICT_RESET:
		snprintf(buf, len, "the guest asked for a reset");
		break;
	case VERDICT_CRASH: {
		const char *nl = strchr(v->text, '\n');
		snprintf(buf, len, "guest kernel crash (%s): %.*s", v->crash,
			 nl ? (int)(nl - v->text) : (int)strlen(v->text), v->text);
		break;
	}
	case VERDICT_TRAP_LOOP:
		snprintf(buf, len, "trap loop on hart %u: exception %" PRIu64 " (%s) at pc %#"
			 PRIx64 " (tval %#" PRIx64 ") taken %" PRIu64 " times in a row "
			 "without the instruction retiring, at icount %" PRIu64,
			 v->hart, v->cause, verdict_exception_name(v->cause), v->pc, v->tval,
			 v->repeats, v->icount);
		break;
	case VERDICT_HANG:
		snprintf(buf, len, !strcmp(v->what, "output") ?
			 "no console output for %g s" :
			 "no hart retired an instruction outside WFI and no "
			 "interrupt was taken for %g s", v->seconds);
		break;
	case VERDICT_INTERRUPTED:
		snprintf(buf, len, "interrupted by SIG%s", verdict_signal_name(v->signal));
		break;
	case VERDICT_RRV_CRASH:
		snprintf(buf, len, "rrv itself crashed (SIG%s); the trace ends there",
			 verdict_signal_name(v->signal));
		break;
	case VERDICT_TIMEOUT:
		snprintf(buf, len, "--timeout expired");
		break;
	case VERDICT_INSN_LIMIT:
		snprintf(buf, len, "--max-insns reached");
		break;
	case VERDICT_USER_QUIT:
		snprintf(buf, len, "ended from the console (Ctrl-A x)");
		break;
	case VERDICT_SNAPSHOT:
		snprintf(buf, len, "ended after the snapshot (--stop-after-snapshot)");
		break;
	case VERDICT_ERROR:
		snprintf(buf, len, "emulator error");
		break;
	default:
		snprintf(buf, len, "unknown (the trace records no verdict)");
		break;
	}
}

int verdict_exit_status(const struct verdict *v)
{
	switch (v->kind) {
	case VERDICT_EXIT:
	case VERDICT_RESET:
	case VERDICT_USER_QUIT:
	case VERDICT_SNAPSHOT:
		return 0;
	case VERDICT_GUEST_FAIL:
		return v->code > 255 || v->code < 0 ? 255 : v->code;
	case VERDICT_CRASH:
		return RRV_EXIT_GUEST_CRASH;
	case VERDICT_TRAP_LOOP:
		return RRV_EXIT_TRAP_LOOP;
	case VERDICT_HANG:
		return RRV_EXIT_HANG;
	case VERDICT_INTERRUPTED:
	case VERDICT_RRV_CRASH:
		return RRV_EXIT_SIGNAL_BASE + v->signal;
	case VERDICT_TIMEOUT:
		return RRV_EXIT_TIMEOUT;
	case VERDICT_INSN_LIMIT:
		return RRV_EXIT_INSN_LIMIT;
	default:
		return 1;
	}
}
