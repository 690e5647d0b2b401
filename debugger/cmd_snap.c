/* cmd_snap.c: taking and restoring snapshots from the command line. */
#include "debugger/cmd_snap.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hart.h"
#include "core/machine.h"
#include "core/snap.h"
#include "debugger/cli.h"
#include "logs/trace.h"
#include "replay/rr.h"
#include "replay/rr_open.h"
#include "replay/rr_snap.h"

/* output:TEXT takes C escapes (\n, \r, \t, \\, \xHH) so prompts fit. */
static bool decode_text(const char *in, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		if (o + 1 >= len)
			return false;
		if (*p != '\\') {
			out[o++] = *p;
			continue;
		}
		switch (*++p) {
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case '\\': out[o++] = '\\'; break;
		case 'x': {
			char hex[3] = { p[1], p[1] ? p[2] : 0, 0 };
			char *end;
			unsigned long v = strtoul(hex, &end, 16);
			if (end != hex + 2 || !v)
				return false;
			out[o++] = (char)v;
			p += 2;
			break;
		}
		default:
			return false;
		}
	}
	out[o] = 0;
	return o > 0;
}

/* icount:N (hart 0) or icount:HART:N. */
static bool parse_icount(const char *s, unsigned *hart, uint64_t *n)
{
	char *end;
	*hart = 0;
	if (!*s || *s == '-')
		return false;
	unsigned long long v = strtoull(s, &end, 0);
	if (*end == ':') {
		if (v >= MAX_HARTS || !end[1] || end[1] == '-')
			return false;
		*hart = (unsigned)v;
		v = strtoull(end + 1, &end, 0);
	}
	*n = v;
	return !*end && v > 0;
}

int snap_cli_check(const char *path, const char *when, bool stop_after)
{
	if (!path && (when || stop_after)) {
		fprintf(stderr, "rrv: --snapshot-on and --stop-after-snapshot need "
			"--save-snapshot FILE\n");
		return RRV_EXIT_USAGE;
	}
	/* --save-snapshot alone: only Ctrl-A s on a terminal takes one. */
	if (!when)
		return 0;
	char buf[256];
	if (!strncmp(when, "output:", 7) && decode_text(when + 7, buf, sizeof(buf)))
		return 0;
	unsigned hart;
	uint64_t n;
	if (!strncmp(when, "icount:", 7) && parse_icount(when + 7, &hart, &n))
		return 0;
	if (!strcmp(when, "guest"))
		return 0;
	fprintf(stderr, "rrv: --snapshot-on takes output:TEXT, icount:N, "
		"icount:HART:N (N > 0) or guest, not '%s'\n", when);
	return RRV_EXIT_USAGE;
}

static void config_of(const struct snap_session *s, const struct machine *m,
		      char *buf, size_t len)
{
	snprintf(buf, len, "file=snapshot\nharts=%u\nram=%" PRIu64 "\nsource=%s\n"
		 "trigger=%s\ntrace_id=%s\ntaken_by=rrv\n%s", m->nharts, m->ram_size,
		 s->source, s->when ? s->when : "", s->trace_id, s->origin);
}

/* The pause callback: every hart is stopped at a boundary. */
static bool take_snapshot(void *ctx, struct machine *m)
{
	struct snap_session *s = ctx;
	double t0 = cli_now();
	struct snap_buf b = { 0 };
	uint8_t pending[8192];
	size_t npending = 0;
	bool replaying = rr_replaying(m);
	if (s->rr && !replaying)
		npending = rr_pending_input(s->rr, pending, sizeof(pending));
	char err[512] = "out of memory";
	int rc = snap_save_machine(m, pending, npending, &b);
	if (rc == 0 && replaying)
		rr_snap_save_positions(s->rr, s->trace_id, &b);
	static char config[8192];
	config_of(s, m, config, sizeof(config));
	if (rc == 0 && !b.oom)
		rc = rr_snap_write_file(s->path, config, &b, err, sizeof(err));
	else
		rc = -1;
	if (rc < 0) {
		fprintf(stderr, "rrv: snapshot not saved: %s\n", err);
		s->failed = true;
	} else {
		s->taken++;
		fprintf(stderr, "rrv: snapshot saved to %s (hart 0 at icount %" PRIu64
			", %zu bytes of state, %.3f s)\n", s->path, m->harts[0]->icount,
			b.len, cli_now() - t0);
	}
	snap_buf_free(&b);
	return !s->stop_after;
}

int snap_cli_arm(struct snap_session *s, struct machine *m)
{
	struct machine_pause *p = &m->pause;
	/* Ctrl-A s on a terminal works even without --snapshot-on. */
	if (!s->path)
		return 0;
	p->take = take_snapshot;
	p->ctx = s;
	if (!s->when)
		return 0;
	if (!strncmp(s->when, "output:", 7)) {
		decode_text(s->when + 7, s->on_output, sizeof(s->on_output));
		p->on_output = s->on_output;
	} else if (!strncmp(s->when, "icount:", 7)) {
		parse_icount(s->when + 7, &p->at_hart, &p->at_icount);
		if (p->at_hart >= m->nharts) {
			fprintf(stderr, "rrv: --snapshot-on %s: the machine has no hart %u\n",
				s->when, p->at_hart);
			return RRV_EXIT_USAGE;
		}
	} else if (!strcmp(s->when, "guest")) {
		p->on_guest = true;
	}
	return 0;
}

int snap_cli_restore(const char *path, struct run_opts *o, bool smp_given,
		     bool memory_given, struct rr_snap_file *f,
		     struct machine **out)
{
	char err[512];
	*out = NULL;
	const struct machine_config *c = &o->cfg;
	if (c->bios || c->kernel || c->initrd || c->dtb || c->bootargs) {
		fprintf(stderr, "rrv: --restore takes no image, --initrd, --dtb or "
			"--append: the snapshot holds the machine's memory\n");
		return RRV_EXIT_USAGE;
	}
	if (rr_snap_open(path, f, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s\n", err);
		return 1;
	}
	struct snap_summary sum;
	if (snap_describe(f->blob, f->len, &sum, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s: %s\n", path, err);
		rr_snap_close(f);
		return 1;
	}
	if ((smp_given && c->nharts != sum.nharts) ||
	    (memory_given && c->ram_size != sum.ram_size)) {
		fprintf(stderr, "rrv: %s: the snapshot is of a machine with %u harts and "
			"%" PRIu64 " MiB of RAM; the options ask for %u and %" PRIu64 " MiB\n",
			path, sum.nharts, sum.ram_size >> 20, c->nharts, c->ram_size >> 20);
		rr_snap_close(f);
		return RRV_EXIT_USAGE;
	}
	o->cfg.nharts = sum.nharts;
	o->cfg.ram_size = sum.ram_size;
	struct machine *m = machine_new(&o->cfg, err, sizeof(err));
	if (!m || snap_restore_machine(m, f->blob, f->len, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s: %s\n", path, err);
		machine_free(m);
		rr_snap_close(f);
		return 1;
	}
	*out = m;
	return 0;
}

void snap_cli_report(const struct snap_session *s)
{
	if (s->path && s->when && !s->taken && !s->failed)
		fprintf(stderr, "rrv: no snapshot saved: --snapshot-on %s never "
			"happened\n", s->when);
}

void snap_cli_origin(struct snap_session *s, struct machine_config *cfg,
		     const struct rr_snap_file *restored)
{
	/* Only a snapshot carries the origin: without --save-snapshot no
	 * image is read and hashed again (30 MB for a Linux boot). */
	if (!s->path)
		return;
	size_t o = strlen(s->origin);
	if (restored) {
		/* A machine restored from a snapshot: the images it came from. */
		const char *cfgtext = trace_config(restored->r);
		for (const char *p = cfgtext; p && *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			if (!strncmp(p, "image.", 6) && o + n + 2 < sizeof(s->origin)) {
				memcpy(s->origin + o, p, n);
				o += n;
				s->origin[o++] = '\n';
				s->origin[o] = 0;
			}
			p += n + (nl ? 1 : 0);
		}
		return;
	}
	struct rr_image_ref refs[RR_NIMAGES];
	unsigned nrefs = rr_image_refs(cfg, refs);
	for (unsigned i = 0; i < nrefs; i++) {
		if (!*refs[i].path)
			continue;
		char err[256];
		size_t len;
		uint8_t *data = cli_read_file(*refs[i].path, &len, err, sizeof(err));
		if (!data)
			continue;
		uint8_t sum[32];
		trace_sha256(data, len, sum);
		free(data);
		if (o + 100 >= sizeof(s->origin))
			break;
		o += (size_t)snprintf(s->origin + o, sizeof(s->origin) - o, "image.%s=", refs[i].name);
		for (int k = 0; k < 32; k++)
			o += (size_t)snprintf(s->origin + o, sizeof(s->origin) - o, "%02x", sum[k]);
		o += (size_t)snprintf(s->origin + o, sizeof(s->origin) - o, "\n");
	}
}

static const char *priv_name(unsigned p)
{
	return p == 3 ? "M" : p == 1 ? "S" : p == 0 ? "U" : "?";
}

int snap_cli_info(const char *path)
{
	struct rr_snap_file f;
	char err[512];
	if (rr_snap_open(path, &f, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s\n", err);
		return 1;
	}
	struct snap_summary s;
	if (snap_describe(f.blob, f.len, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "rrv: %s: %s\n", path, err);
		rr_snap_close(&f);
		return 1;
	}
	char src[64] = "?", trig[256] = "", id[80] = "";
	rr_snap_config(&f, "source", src, sizeof(src));
	rr_snap_config(&f, "trigger", trig, sizeof(trig));
	rr_snap_config(&f, "trace_id", id, sizeof(id));
	printf("snapshot %s: %" PRIu64 " bytes on disk, %zu bytes of state\n", path,
	       trace_file_size(f.r), f.len);
	printf("taken during: rrv %s%s%s%s%s\n", src, trig[0] ? ", on " : "", trig,
	       id[0] ? ", trace id " : "", id);
	printf("machine: %u harts, %" PRIu64 " MiB RAM, %" PRIu64 " pages stored "
	       "(%" PRIu64 " KiB), %" PRIu64 " input bytes queued\n", s.nharts,
	       s.ram_size >> 20, s.ram_pages, s.ram_pages * 4, s.input_bytes);
	printf("replay positions: %s\n", rr_snap_has_positions(f.blob, f.len) ?
	       "yes (`rrv replay --restore` continues the trace)" : "no");
	for (unsigned i = 0; i < s.nharts; i++)
		printf("hart %u: pc %#" PRIx64 " %s-mode icount %" PRIu64 "%s%s\n", i,
		       s.hart[i].pc, priv_name(s.hart[i].priv), s.hart[i].icount,
		       s.hart[i].wfi ? " in WFI" : " running",
		       s.hart[i].resv ? ", LR reservation held" : "");
	rr_snap_close(&f);
	return 0;
}
