/* gdb_server.c: the GDB remote protocol's packets over a debug target (trace or live machine). */
#include "debugger/gdb_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/hart.h"
#include "debugger/gdb_rsp.h"
#include "debugger/regs.h"

/* A stop condition gdb set, by gdb's key (type, address, kind/length). */
struct gdb_point {
	int type;            /* Z type 0..4 */
	uint64_t addr, len;
	int id;              /* the target's */
};

#define GDB_MAX_POINTS 96
#define GDB_SIGTRAP 5
#define GDB_SIGINT 2

struct gdb_server {
	struct gdb_conn *c;
	const struct gdb_target_ops *ops;
	void *ctx;
	unsigned n;
	/* Hg and Hc as gdb last set them (gdb remembers what it sent and
	 * only sends H when that changes, so stop replies must not move
	 * them). Hc-1/Hc0 resume gdb's current thread, which gdb does not
	 * name: it is the last one a stop reported or gdb named (H, and the
	 * T packet `thread N` sends). */
	unsigned g_hart, c_hart;
	bool c_any;
	unsigned cur_hart;
	unsigned stop_hart;          /* of the last stop reply, for qC */
	struct gdb_point pts[GDB_MAX_POINTS];
	unsigned npts;
	char *tdesc;                 /* target.xml, built on first request */
	size_t tdesc_len;
	struct rpl_stop last;        /* for `?` */
	bool have_last;
	bool stepping;               /* the movement reported was a step */
	enum gdb_end end;
	bool done;
};

/* ---- the target description ---- */

static void xml_add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void xml_add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n <= 0 || !*buf)
		return;
	if (*len + (size_t)n + 1 > *cap) {
		size_t c = *cap * 2 + (size_t)n + 1;
		char *nb = realloc(*buf, c);
		if (!nb) {
			free(*buf);
			*buf = NULL;
			return;
		}
		*buf = nb;
		*cap = c;
	}
	memcpy(*buf + *len, line, (size_t)n + 1);
	*len += (size_t)n;
}

/* Built from the register table, so `info all-registers` shows exactly
 * the CSRs the core implements. fflags, frm and fcsr sit in the fpu
 * feature, where gdb looks for them first. */
static bool build_tdesc(struct gdb_server *s)
{
	size_t len = 0, cap = 16384;
	char *b = malloc(cap);
	if (b)
		b[0] = 0;
	xml_add(&b, &len, &cap, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
		"<target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n"
		/* A whole machine, not a Linux process: without this a gdb
		 * built for a Linux host picks the GNU/Linux ABI, which steps
		 * by planting breakpoints and continuing every hart. */
		"<osabi>none</osabi>\n");
	const struct hart *h = s->ops->hart(s->ctx, 0);
	const char *feature = NULL;
	struct dbg_reg r;
	unsigned cur = 0;
	while (dbg_reg_next(h, &cur, &r)) {
		bool fp_csr = r.kind == DBG_REG_CSR && r.idx >= 1 && r.idx <= 3;
		const char *f = r.kind == DBG_REG_X || r.kind == DBG_REG_PC ? "cpu" :
				r.kind == DBG_REG_F || fp_csr ? "fpu" :
				r.kind == DBG_REG_PRIV ? "virtual" : "csr";
		if (!feature || strcmp(f, feature)) {
			if (feature)
				xml_add(&b, &len, &cap, "</feature>\n");
			xml_add(&b, &len, &cap, "<feature name=\"org.gnu.gdb.riscv.%s\">\n", f);
			if (!strcmp(f, "fpu"))
				xml_add(&b, &len, &cap, "<union id=\"riscv_double\"><field name=\"float\" type=\"ieee_single\"/>"
					"<field name=\"double\" type=\"ieee_double\"/></union>\n");
			feature = f;
		}
		const char *type = r.kind == DBG_REG_F ? "riscv_double" :
				   r.kind == DBG_REG_PC || (r.kind == DBG_REG_X && r.idx == 1) ? "code_ptr" :
				   r.kind == DBG_REG_X && r.idx >= 2 && r.idx <= 4 ? "data_ptr" : "int";
		xml_add(&b, &len, &cap, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%u\"%s/>\n",
			r.name, fp_csr ? 32 : 64, type, r.gdb_regnum,
			r.kind == DBG_REG_CSR && !fp_csr ? " group=\"system\" save-restore=\"no\"" : "");
	}
	xml_add(&b, &len, &cap, "</feature>\n</target>\n");
	if (!b)
		return false;
	s->tdesc = b;
	s->tdesc_len = len;
	return true;
}

/* The part of an object qXfer asks for: "m" more follows, "l" the last. */
static void send_xfer(struct gdb_server *s, const char *data, size_t len, const char *args)
{
	uint64_t off, n;
	const char *p = args;
	if (!gdb_parse_hex(&p, &off) || *p++ != ',' || !gdb_parse_hex(&p, &n) || *p) {
		gdb_send_str(s->c, "E00");
		return;
	}
	gdb_out_reset(s->c);
	if (off >= len) {
		gdb_out_str(s->c, "l");
	} else {
		size_t k = len - off < n ? len - off : n;
		gdb_out_str(s->c, off + k < len ? "m" : "l");
		gdb_out_bin(s->c, data + off, k);
	}
	gdb_out_send(s->c);
}

static void xfer_threads(struct gdb_server *s, const char *args)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		gdb_send_str(s->c, "E0c");
		return;
	}
	fputs("<?xml version=\"1.0\"?>\n<threads>\n", f);
	for (unsigned i = 0; i < s->n; i++)
		fprintf(f, "<thread id=\"%x\" core=\"%u\" name=\"hart %u\"/>\n", i + 1, i, i);
	fputs("</threads>\n", f);
	fclose(f);
	send_xfer(s, buf, len, args);
	free(buf);
}

/* ---- registers ---- */

static unsigned reg_bytes(const struct dbg_reg *r)
{
	return r->kind == DBG_REG_CSR && r->idx >= 1 && r->idx <= 3 ? 4 : 8;
}

static void out_reg(struct gdb_server *s, const struct hart *h, const struct dbg_reg *r)
{
	uint64_t v;
	unsigned nb = reg_bytes(r);
	if (!dbg_reg_read(h, r, &v)) {
		/* Not available (time): gdb shows <unavailable>. */
		for (unsigned i = 0; i < 2 * nb; i++)
			gdb_out_str(s->c, "x");
		return;
	}
	uint8_t le[8];
	for (unsigned i = 0; i < 8; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	gdb_out_hex(s->c, le, nb);
}

static void cmd_g(struct gdb_server *s)
{
	const struct hart *h = s->ops->hart(s->ctx, s->g_hart);
	gdb_out_reset(s->c);
	/* x0-x31 and pc; gdb fetches the rest one by one with `p`. */
	for (unsigned n = 0; n <= DBG_GDB_PC; n++) {
		struct dbg_reg r;
		dbg_reg_by_gdb(n, &r);
		out_reg(s, h, &r);
	}
	gdb_out_send(s->c);
}

static bool hex_le(const char *text, size_t nbytes, uint64_t *v)
{
	uint8_t b[8] = { 0 };
	if (nbytes > 8 || strlen(text) != 2 * nbytes || !gdb_unhex(text, nbytes, b))
		return false;
	*v = 0;
	for (size_t i = 0; i < nbytes; i++)
		*v |= (uint64_t)b[i] << (8 * i);
	return true;
}

static void cmd_G(struct gdb_server *s, const char *args)
{
	if (!s->ops->write_regs) {
		gdb_send_str(s->c, "E01");
		return;
	}
	struct hart *h = s->ops->hart(s->ctx, s->g_hart);
	size_t len = strlen(args);
	if (len < 16 * (DBG_GDB_PC + 1)) {
		gdb_send_str(s->c, "E00");
		return;
	}
	uint64_t vals[DBG_GDB_PC + 1];
	char word[17];
	for (unsigned n = 0; n <= DBG_GDB_PC; n++) {
		memcpy(word, args + 16 * n, 16);
		word[16] = 0;
		if (!hex_le(word, 8, &vals[n])) {
			gdb_send_str(s->c, "E00");
			return;
		}
	}
	for (unsigned n = 0; n <= DBG_GDB_PC; n++) {
		struct dbg_reg r;
		dbg_reg_by_gdb(n, &r);
		dbg_reg_write(h, &r, vals[n]);
	}
	gdb_send_str(s->c, "OK");
}

static void cmd_p(struct gdb_server *s, const char *args)
{
	uint64_t n;
	struct dbg_reg r;
	if (!gdb_parse_hex(&args, &n) || *args || n > UINT32_MAX || !dbg_reg_by_gdb((unsigned)n, &r)) {
		gdb_send_str(s->c, "E00");
		return;
	}
	gdb_out_reset(s->c);
	out_reg(s, s->ops->hart(s->ctx, s->g_hart), &r);
	gdb_out_send(s->c);
}

static void cmd_P(struct gdb_server *s, const char *args)
{
	uint64_t n, v;
	struct dbg_reg r;
	if (!gdb_parse_hex(&args, &n) || *args++ != '=' || n > UINT32_MAX ||
	    !dbg_reg_by_gdb((unsigned)n, &r) || !hex_le(args, reg_bytes(&r), &v)) {
		gdb_send_str(s->c, "E00");
		return;
	}
	bool ok = s->ops->write_regs && dbg_reg_write(s->ops->hart(s->ctx, s->g_hart), &r, v);
	gdb_send_str(s->c, ok ? "OK" : "E01");
}

/* ---- memory ---- */

static bool parse_addr_len(const char **p, uint64_t *addr, uint64_t *len)
{
	return gdb_parse_hex(p, addr) && *(*p)++ == ',' && gdb_parse_hex(p, len);
}

static void cmd_m(struct gdb_server *s, const char *args)
{
	uint64_t addr, len;
	if (!parse_addr_len(&args, &addr, &len) || *args) {
		gdb_send_str(s->c, "E00");
		return;
	}
	if (len > GDB_PACKET_MAX / 2)
		len = GDB_PACKET_MAX / 2;
	uint8_t buf[GDB_PACKET_MAX / 2];
	size_t got = 0;
	if (s->ops->read_mem(s->ctx, s->g_hart, addr, buf, len)) {
		got = len;
	} else {
		/* gdb takes a prefix: read up to the first unreadable byte. */
		while (got < len && s->ops->read_mem(s->ctx, s->g_hart, addr + got, buf + got, 1))
			got++;
	}
	if (!got && len) {
		gdb_send_str(s->c, "E14");
		return;
	}
	gdb_out_reset(s->c);
	gdb_out_hex(s->c, buf, got);
	gdb_out_send(s->c);
}

/* M (hex) and X (binary) writes. */
static void cmd_write(struct gdb_server *s, const char *args, size_t pkt_len, bool binary)
{
	const char *start = args;
	uint64_t addr, len;
	if (!parse_addr_len(&args, &addr, &len) || *args++ != ':' || len > GDB_PACKET_MAX) {
		gdb_send_str(s->c, "E00");
		return;
	}
	size_t have = pkt_len - 1 - (size_t)(args - start);
	if (len == 0) {
		gdb_send_str(s->c, s->ops->write_mem ? "OK" : "E01");
		return;
	}
	uint8_t buf[GDB_PACKET_MAX];
	if (binary ? have != len : (have != 2 * len || !gdb_unhex(args, len, buf))) {
		gdb_send_str(s->c, "E00");
		return;
	}
	if (binary)
		memcpy(buf, args, len);
	bool ok = s->ops->write_mem && s->ops->write_mem(s->ctx, s->g_hart, addr, buf, len);
	gdb_send_str(s->c, ok ? "OK" : "E01");
}

/* ---- break and watchpoints ---- */

static void cmd_Z(struct gdb_server *s, const char *pkt, bool insert)
{
	const char *p = pkt + 1;
	uint64_t type, addr, kind;
	if (!gdb_parse_hex(&p, &type) || *p++ != ',' || !parse_addr_len(&p, &addr, &kind) ||
	    (*p && *p != ';') || type > 4) {
		gdb_send_str(s->c, type > 4 ? "" : "E00");
		return;
	}
	unsigned k;
	for (k = 0; k < s->npts; k++)
		if (s->pts[k].type == (int)type && s->pts[k].addr == addr && s->pts[k].len == kind)
			break;
	if (!insert) {
		if (k < s->npts) {
			s->ops->stop_delete(s->ctx, s->pts[k].id);
			s->pts[k] = s->pts[--s->npts];
		}
		gdb_send_str(s->c, "OK");
		return;
	}
	if (k < s->npts) {
		gdb_send_str(s->c, "OK"); /* gdb may insert the same one again */
		return;
	}
	if (s->npts == GDB_MAX_POINTS || (type >= 2 && (kind == 0 || kind > 4096))) {
		gdb_send_str(s->c, "E01");
		return;
	}
	static const enum rpl_watch_kind kinds[] = { 0, 0, RPL_WATCH_W, RPL_WATCH_R, RPL_WATCH_RW };
	int id = type < 2 ? s->ops->break_add(s->ctx, addr) :
		 s->ops->watch_add(s->ctx, addr, (unsigned)kind, kinds[type]);
	if (id <= 0) {
		gdb_send_str(s->c, "E01");
		return;
	}
	s->pts[s->npts++] = (struct gdb_point){ (int)type, addr, kind, id };
	gdb_send_str(s->c, "OK");
}

static void remove_points(struct gdb_server *s)
{
	for (unsigned k = 0; k < s->npts; k++)
		s->ops->stop_delete(s->ctx, s->pts[k].id);
	s->npts = 0;
}

/* The hart s, c, bs and bc move. */
static unsigned resume_hart(const struct gdb_server *s)
{
	return s->c_any ? s->cur_hart : s->c_hart;
}

/* ---- stop replies ---- */

static void out_hex_text(struct gdb_conn *c, const char *text)
{
	gdb_out_hex(c, text, strlen(text));
}

/* Console text for gdb: "O" packets of hex (before a stop reply, or as
 * a monitor command's output). */
static void send_console(struct gdb_server *s, const char *text, size_t len)
{
	while (len) {
		size_t k = len < 512 ? len : 512;
		gdb_out_reset(s->c);
		gdb_out_str(s->c, "O");
		gdb_out_hex(s->c, text, k);
		gdb_out_send(s->c);
		text += k;
		len -= k;
	}
}

static void send_stop(struct gdb_server *s, const struct rpl_stop *st)
{
	struct gdb_conn *c = s->c;
	int code;
	if (st->why == RPL_STOP_END && s->ops->exited && s->ops->exited(s->ctx, &code)) {
		char w[16];
		snprintf(w, sizeof(w), "W%02x", code & 0xff);
		gdb_send_str(c, w);
		s->end = GDB_END_EXITED;
		s->done = true;
		return;
	}
	if (st->why == RPL_STOP_DIVERGED && st->detail[0]) {
		char msg[600];
		int n = snprintf(msg, sizeof(msg), "rrv: %s\n", st->detail);
		send_console(s, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	}
	if (st->pulled && s->stepping) {
		char msg[600];
		int n = snprintf(msg, sizeof(msg), "[rrv] hart %u's step moved other harts too:", st->hart);
		for (unsigned i = 0; i < s->n && n < 500; i++)
			if (st->pulled >> i & 1)
				n += snprintf(msg + n, sizeof(msg) - (size_t)n, " hart %u", i);
		n += snprintf(msg + n, sizeof(msg) - (size_t)n, "\n");
		send_console(s, msg, (size_t)n);
	}
	unsigned hart = st->hart < s->n ? st->hart : resume_hart(s);
	gdb_out_reset(c);
	gdb_out_fmt(c, "T%02xthread:%x;", st->why == RPL_STOP_INTERRUPT ? GDB_SIGINT : GDB_SIGTRAP,
		    hart + 1);
	if (st->why == RPL_STOP_BREAK) {
		bool hw = false;
		for (unsigned k = 0; k < s->npts; k++)
			if (s->pts[k].id == st->id)
				hw = s->pts[k].type == 1;
		gdb_out_str(c, hw ? "hwbreak:;" : "swbreak:;");
	} else if (st->why == RPL_STOP_WATCH) {
		/* gdb matches the address against the watched range: report
		 * the watch's own address when the access began before it. */
		uint64_t a = st->addr;
		const char *kw = "awatch";
		for (unsigned k = 0; k < s->npts; k++)
			if (s->pts[k].id == st->id) {
				if (a < s->pts[k].addr)
					a = s->pts[k].addr;
				kw = s->pts[k].type == 2 ? "watch" : s->pts[k].type == 3 ? "rwatch" : "awatch";
			}
		gdb_out_fmt(c, "%s:%" PRIx64 ";", kw, a);
	} else if (st->why == RPL_STOP_START) {
		gdb_out_str(c, "replaylog:begin;");
	} else if (st->why == RPL_STOP_END) {
		gdb_out_str(c, "replaylog:end;");
	}
	gdb_out_send(c);
	s->stop_hart = s->cur_hart = hart;
	s->last = *st;
	s->have_last = true;
}

/* ---- movement ---- */

enum move { MOVE_STEP, MOVE_CONT, MOVE_RSTEP, MOVE_RCONT };

static void on_interrupt(void *ctx)
{
	struct gdb_server *s = ctx;
	s->ops->interrupt(s->ctx);
}

static void move(struct gdb_server *s, enum move m, unsigned hart)
{
	struct rpl_stop st;
	memset(&st, 0, sizeof(st));
	if ((m == MOVE_RSTEP && !s->ops->reverse_step) || (m == MOVE_RCONT && !s->ops->reverse_cont)) {
		/* Not a trace: gdb says the target does not support it. */
		gdb_send_str(s->c, "E01");
		return;
	}
	gdb_conn_watch_begin(s->c, on_interrupt, s);
	switch (m) {
	case MOVE_STEP: s->ops->step(s->ctx, hart, &st); break;
	case MOVE_CONT: s->ops->cont(s->ctx, &st); break;
	case MOVE_RSTEP: s->ops->reverse_step(s->ctx, hart, &st); break;
	case MOVE_RCONT: s->ops->reverse_cont(s->ctx, &st); break;
	}
	gdb_conn_watch_end(s->c);
	s->stepping = m == MOVE_STEP || m == MOVE_RSTEP;
	if (s->c->closed) {
		s->done = true;
		s->end = GDB_END_DISCONNECTED;
		return;
	}
	if (m == MOVE_STEP || m == MOVE_RSTEP)
		st.hart = st.why == RPL_STOP_BREAK || st.why == RPL_STOP_WATCH ? st.hart : hart;
	send_stop(s, &st);
}

/* A thread id: hex, -1 (all) or 0 (any); *hart gets a hart or keeps. */
static bool parse_tid(struct gdb_server *s, const char *p, unsigned *hart, bool *all)
{
	*all = false;
	if (!strcmp(p, "-1")) {
		*all = true;
		return true;
	}
	uint64_t t;
	if (!gdb_parse_hex(&p, &t) || *p)
		return false;
	if (t == 0)
		return true;
	if (t > s->n)
		return false;
	*hart = (unsigned)t - 1;
	return true;
}

/*
 * vCont;ACTION[:TID]... — rrv's semantics (the REPL's): a step action for
 * a thread steps that hart alone (the others stay unless the log forces
 * them; gdb's "continue the others" does not run them), otherwise a
 * continue runs every hart.
 */
static void cmd_vcont(struct gdb_server *s, const char *args)
{
	bool step = false, cont = false;
	unsigned step_hart = resume_hart(s);
	char buf[GDB_PACKET_MAX + 1];
	snprintf(buf, sizeof(buf), "%s", args);
	for (char *save = NULL, *a = strtok_r(buf, ";", &save); a; a = strtok_r(NULL, ";", &save)) {
		char *colon = strchr(a, ':');
		if (colon)
			*colon = 0;
		if (!strcmp(a, "s") || (a[0] == 'S' && a[1])) {
			unsigned h = resume_hart(s);
			bool all;
			if (colon && !parse_tid(s, colon + 1, &h, &all)) {
				gdb_send_str(s->c, "E00");
				return;
			}
			if (!step)
				step_hart = h;
			step = true;
		} else if (!strcmp(a, "c") || (a[0] == 'C' && a[1])) {
			cont = true;
		} else if (!strcmp(a, "t")) {
			/* stop: every hart is stopped already */
		} else {
			gdb_send_str(s->c, "E00");
			return;
		}
	}
	if (step)
		move(s, MOVE_STEP, step_hart);
	else if (cont)
		move(s, MOVE_CONT, resume_hart(s));
	else
		gdb_send_str(s->c, "E00");
}

/* ---- monitor ---- */

static void cmd_rcmd(struct gdb_server *s, const char *hex)
{
	size_t n = strlen(hex) / 2;
	char *cmd = malloc(n + 1);
	if (!cmd || strlen(hex) % 2 || !gdb_unhex(hex, n, (uint8_t *)cmd)) {
		free(cmd);
		gdb_send_str(s->c, "E00");
		return;
	}
	cmd[n] = 0;
	if (!s->ops->monitor) {
		free(cmd);
		gdb_send_str(s->c, "");
		return;
	}
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f) {
		free(cmd);
		gdb_send_str(s->c, "E0c");
		return;
	}
	gdb_conn_watch_begin(s->c, on_interrupt, s);
	s->ops->monitor(s->ctx, s->g_hart, cmd, f);
	gdb_conn_watch_end(s->c);
	fclose(f);
	send_console(s, out, len);
	gdb_send_str(s->c, "OK");
	free(out);
	free(cmd);
}

/* ---- queries ---- */

#define TDESC_PREFIX "qXfer:features:read:target.xml:"
#define THREADS_PREFIX "qXfer:threads:read::"

static void cmd_q(struct gdb_server *s, const char *pkt)
{
	struct gdb_conn *c = s->c;
	if (!strncmp(pkt, "qSupported", 10)) {
		gdb_out_reset(c);
		gdb_out_fmt(c, "PacketSize=%x;qXfer:features:read+;qXfer:threads:read+;"
			    "swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+",
			    GDB_PACKET_MAX);
		if (s->ops->reverse_step)
			gdb_out_str(c, ";ReverseStep+;ReverseContinue+");
		gdb_out_send(c);
	} else if (!strncmp(pkt, TDESC_PREFIX, strlen(TDESC_PREFIX))) {
		if (!s->tdesc && !build_tdesc(s)) {
			gdb_send_str(c, "E0c");
			return;
		}
		send_xfer(s, s->tdesc, s->tdesc_len, pkt + strlen(TDESC_PREFIX));
	} else if (!strncmp(pkt, "qXfer:features:read:", 20)) {
		gdb_send_str(c, "E00"); /* one annex only */
	} else if (!strncmp(pkt, THREADS_PREFIX, strlen(THREADS_PREFIX))) {
		xfer_threads(s, pkt + strlen(THREADS_PREFIX));
	} else if (!strcmp(pkt, "qfThreadInfo")) {
		gdb_out_reset(c);
		gdb_out_str(c, "m");
		for (unsigned i = 0; i < s->n; i++)
			gdb_out_fmt(c, i ? ",%x" : "%x", i + 1);
		gdb_out_send(c);
	} else if (!strcmp(pkt, "qsThreadInfo")) {
		gdb_send_str(c, "l");
	} else if (!strcmp(pkt, "qC")) {
		gdb_out_reset(c);
		gdb_out_fmt(c, "QC%x", s->stop_hart + 1);
		gdb_out_send(c);
	} else if (!strcmp(pkt, "qAttached")) {
		gdb_send_str(c, "1");
	} else if (!strncmp(pkt, "qThreadExtraInfo,", 17)) {
		unsigned h = s->g_hart;
		bool all;
		if (!parse_tid(s, pkt + 17, &h, &all) || all) {
			gdb_send_str(c, "E00");
			return;
		}
		char text[64];
		snprintf(text, sizeof(text), "hart %u, %s", h, s->ops->hart_state(s->ctx, h));
		gdb_out_reset(c);
		out_hex_text(c, text);
		gdb_out_send(c);
	} else if (!strncmp(pkt, "qRcmd,", 6)) {
		cmd_rcmd(s, pkt + 6);
	} else if (!strncmp(pkt, "qSymbol", 7)) {
		gdb_send_str(c, "OK");
	} else {
		gdb_send_str(c, "");
	}
}

static void cmd_H(struct gdb_server *s, const char *pkt)
{
	unsigned h = pkt[1] == 'g' ? s->g_hart : s->c_hart;
	bool all;
	if ((pkt[1] != 'g' && pkt[1] != 'c') || !parse_tid(s, pkt + 2, &h, &all)) {
		gdb_send_str(s->c, "E00");
		return;
	}
	bool any = all || !strcmp(pkt + 2, "0");
	if (pkt[1] == 'g')
		s->g_hart = h;
	else {
		s->c_hart = h;
		s->c_any = any;
	}
	if (!any)
		s->cur_hart = h;
	gdb_send_str(s->c, "OK");
}

static void cmd_v(struct gdb_server *s, const char *pkt)
{
	if (!strcmp(pkt, "vCont?")) {
		gdb_send_str(s->c, "vCont;c;C;s;S;t");
	} else if (!strncmp(pkt, "vCont;", 6)) {
		cmd_vcont(s, pkt + 6);
	} else if (!strncmp(pkt, "vKill", 5)) {
		gdb_send_str(s->c, "OK");
		s->end = GDB_END_KILLED;
		s->done = true;
	} else {
		gdb_send_str(s->c, ""); /* vMustReplyEmpty, vFile, vRun, ... */
	}
}

/* s/c [addr]: a resume address is honoured only where registers can be
 * written. */
static void cmd_resume(struct gdb_server *s, const char *pkt, enum move m)
{
	const char *p = pkt + 1;
	if ((pkt[0] == 'S' || pkt[0] == 'C')) {
		uint64_t sig;
		if (!gdb_parse_hex(&p, &sig) && *p != ';') {
			gdb_send_str(s->c, "E00");
			return;
		}
		if (*p == ';')
			p++;
	}
	if (*p) {
		uint64_t addr;
		if (!gdb_parse_hex(&p, &addr) || *p || !s->ops->write_regs) {
			gdb_send_str(s->c, "E01");
			return;
		}
		s->ops->hart(s->ctx, resume_hart(s))->pc = addr;
	}
	move(s, m, resume_hart(s));
}

static void dispatch(struct gdb_server *s)
{
	struct gdb_conn *c = s->c;
	const char *pkt = c->pkt;
	if (!c->pkt_len) {
		gdb_send_str(c, c->oversized ? "E0e" : "");
		return;
	}
	switch (pkt[0]) {
	case '?':
		if (s->have_last) {
			send_stop(s, &s->last);
		} else {
			gdb_out_reset(c);
			gdb_out_fmt(c, "T05thread:%x;", s->stop_hart + 1);
			gdb_out_send(c);
		}
		break;
	case 'q': cmd_q(s, pkt); break;
	case 'Q':
		if (!strcmp(pkt, "QStartNoAckMode")) {
			gdb_send_str(c, "OK");
			c->no_ack = true;
		} else {
			gdb_send_str(c, "");
		}
		break;
	case 'H': cmd_H(s, pkt); break;
	case 'T': {
		unsigned h = s->cur_hart;
		bool all;
		bool alive = parse_tid(s, pkt + 1, &h, &all) && !all;
		if (alive)
			s->cur_hart = h;
		gdb_send_str(c, alive ? "OK" : "E01");
		break;
	}
	case 'g': cmd_g(s); break;
	case 'G': cmd_G(s, pkt + 1); break;
	case 'p': cmd_p(s, pkt + 1); break;
	case 'P': cmd_P(s, pkt + 1); break;
	case 'm': cmd_m(s, pkt + 1); break;
	case 'M': cmd_write(s, pkt + 1, c->pkt_len, false); break;
	case 'X': cmd_write(s, pkt + 1, c->pkt_len, true); break;
	case 'Z': cmd_Z(s, pkt, true); break;
	case 'z': cmd_Z(s, pkt, false); break;
	case 'c': case 'C': cmd_resume(s, pkt, MOVE_CONT); break;
	case 's': case 'S': cmd_resume(s, pkt, MOVE_STEP); break;
	case 'b':
		if (!strcmp(pkt, "bs"))
			move(s, MOVE_RSTEP, resume_hart(s));
		else if (!strcmp(pkt, "bc"))
			move(s, MOVE_RCONT, resume_hart(s));
		else
			gdb_send_str(c, "");
		break;
	case 'v': cmd_v(s, pkt); break;
	case 'D':
		gdb_send_str(c, "OK");
		s->end = GDB_END_DETACHED;
		s->done = true;
		break;
	case 'k':
		s->end = GDB_END_KILLED;
		s->done = true;
		break;
	default:
		gdb_send_str(c, "");
	}
}

enum gdb_end gdb_serve(struct gdb_conn *c, const struct gdb_target_ops *ops, void *ctx)
{
	struct gdb_server *s = calloc(1, sizeof(*s));
	if (!s)
		return GDB_END_DISCONNECTED;
	s->c = c;
	s->ops = ops;
	s->ctx = ctx;
	s->n = ops->nharts(ctx);
	s->end = GDB_END_DISCONNECTED;
	while (!s->done) {
		enum gdb_read r = gdb_conn_read(c);
		if (r == GDB_READ_EOF)
			break;
		if (r == GDB_READ_INTERRUPT) {
			/* Nothing runs between packets: report where we are. */
			struct rpl_stop st = { .why = RPL_STOP_INTERRUPT, .hart = s->stop_hart };
			send_stop(s, &st);
			continue;
		}
		dispatch(s);
		if (c->closed)
			break;
	}
	enum gdb_end end = s->done ? s->end : GDB_END_DISCONNECTED;
	remove_points(s);
	free(s->tdesc);
	free(s);
	return end;
}

/* ---- listening ---- */

int gdb_listen(struct gdb_listener *l, const char *spec, char *err, size_t errlen)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	if (!strcmp(spec, "-")) {
		l->stdio = true;
		return 0;
	}
	char host[256] = "127.0.0.1";
	const char *port = spec, *colon = strrchr(spec, ':');
	if (colon) {
		snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
		port = colon + 1;
	}
	char *end;
	unsigned long pn = strtoul(port, &end, 10);
	if (!*port || *end || pn > 65535 || !host[0]) {
		snprintf(err, errlen, "--gdb: '%s' is not [HOST:]PORT or -", spec);
		return -1;
	}
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *ai;
	int e = getaddrinfo(host, port, &hints, &ai);
	if (e) {
		snprintf(err, errlen, "--gdb %s: %s", spec, gai_strerror(e));
		return -1;
	}
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1) < 0) {
		snprintf(err, errlen, "--gdb %s: %s", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	l->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
			((struct sockaddr_in *)&ss)->sin_port);
	l->fd = fd;
	fprintf(stderr, "rrv: gdb server listening on %s:%u (target remote %s:%u)\n",
		host, l->port, host, l->port);
	return 0;
}

int gdb_accept(struct gdb_listener *l, int *in_fd, int *out_fd, char *err, size_t errlen)
{
	if (l->stdio) {
		*in_fd = STDIN_FILENO;
		*out_fd = STDOUT_FILENO;
		return 0;
	}
	int fd;
	do
		fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		snprintf(err, errlen, "gdb server: accept: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	*in_fd = *out_fd = fd;
	return 0;
}

void gdb_listener_close(struct gdb_listener *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
