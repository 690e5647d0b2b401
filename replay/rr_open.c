/* rr_open.c: building the machine a trace replays on. */
#include "replay/rr_open.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/inject.h"
#include "core/snap.h"
#include "logs/trace.h"

unsigned rr_image_refs(struct machine_config *cfg, struct rr_image_ref *refs)
{
	unsigned n = 0;
	refs[n++] = (struct rr_image_ref){ "bios", &cfg->bios };
	refs[n++] = (struct rr_image_ref){ "kernel", &cfg->kernel };
	refs[n++] = (struct rr_image_ref){ "initrd", &cfg->initrd };
	refs[n++] = (struct rr_image_ref){ "dtb", &cfg->dtb };
	return n;
}

void rr_trace_config(struct trace_reader *tr, struct rr_trace_files *f,
		     int output_fd, struct machine_config *cfg)
{
	char v[64];
	memset(cfg, 0, sizeof(*cfg));
	cfg->nharts = trace_nharts(tr);
	cfg->ram_size = 256ull << 20;
	if (trace_config_get(tr, "ram", v, sizeof(v)))
		cfg->ram_size = strtoull(v, NULL, 10);
	if (trace_config_get(tr, "max_insns", v, sizeof(v)))
		cfg->max_insns = strtoull(v, NULL, 10);
	/* --bios builtin: the SBI is rrv's own (core/sbi.h), no image. */
	cfg->sbi_builtin = trace_config_get(tr, "sbi", v, sizeof(v)) &&
			   !strcmp(v, "builtin");
	if (trace_config_get(tr, "bootargs", f->bootargs, sizeof(f->bootargs)) &&
	    f->bootargs[0])
		cfg->bootargs = f->bootargs;
	/* The stuck UART is part of the machine the guest ran on; the
	 * spurious raises are in the log (INPUT to the PLIC). A list this
	 * rrv cannot read leaves the machine as it is: the replay then
	 * reports the divergence where it shows. */
	char inj[128], e[160];
	if (trace_config_get(tr, "inject", inj, sizeof(inj)))
		inject_parse_list(inj, cfg, e, sizeof(e));
	cfg->input_fd = -1;
	cfg->output_fd = output_fd;
}

/* Write the trace's images to files in f->dir and point cfg at them. */
static int extract_images(struct trace_reader *tr, struct rr_trace_files *f,
			  struct machine_config *cfg, char *err, size_t errlen)
{
	struct rr_image_ref refs[RR_NIMAGES];
	unsigned nrefs = rr_image_refs(cfg, refs);
	for (unsigned i = 0; i < trace_nimages(tr); i++) {
		const struct trace_image *im = trace_image(tr, i);
		for (unsigned k = 0; k < nrefs; k++) {
			if (strcmp(im->name, refs[k].name))
				continue;
			if (!f->dir[0]) {
				snprintf(f->dir, sizeof(f->dir), "/tmp/rrv-replay.XXXXXX");
				if (!mkdtemp(f->dir)) {
					snprintf(err, errlen, "cannot create a temporary "
						 "directory: %s", strerror(errno));
					f->dir[0] = 0;
					return -1;
				}
			}
			snprintf(f->paths[k], sizeof(f->paths[k]), "%s/%s", f->dir, im->name);
			FILE *out = fopen(f->paths[k], "wb");
			if (!out || fwrite(im->data, 1, im->len, out) != im->len ||
			    fclose(out) != 0) {
				snprintf(err, errlen, "%s: %s", f->paths[k], strerror(errno));
				return -1;
			}
			*refs[k].path = f->paths[k];
		}
	}
	return 0;
}

struct machine *rr_trace_machine(struct trace_reader *tr, struct machine_config *cfg,
				 struct rr_trace_files *f, char *err, size_t errlen)
{
	uint8_t *blob;
	size_t blen;
	int has = trace_snapshot_blob(tr, &blob, &blen, err, errlen);
	if (has < 0)
		return NULL;
	struct machine *m = NULL;
	if (has) {
		char e[400];
		m = machine_new(cfg, err, errlen);
		if (m && snap_restore_machine(m, blob, blen, e, sizeof(e)) < 0) {
			snprintf(err, errlen, "the snapshot it starts from: %s", e);
			machine_free(m);
			m = NULL;
		} else if (m) {
			/* As the recording did: it began with no page rights. */
			snap_forget_tlbs(m);
		}
		free(blob);
		return m;
	}
	if (extract_images(tr, f, cfg, err, errlen) < 0)
		return NULL;
	m = machine_new(cfg, err, errlen);
	if (m && machine_load_boot(m, err, errlen) < 0) {
		machine_free(m);
		m = NULL;
	}
	return m;
}

void rr_trace_files_cleanup(struct rr_trace_files *f)
{
	for (unsigned k = 0; k < 4; k++)
		if (f->paths[k][0])
			unlink(f->paths[k]);
	if (f->dir[0])
		rmdir(f->dir);
	memset(f->paths, 0, sizeof(f->paths));
	f->dir[0] = 0;
}

void rr_trace_identity(struct trace_reader *tr, char *buf, size_t len)
{
	if (trace_config_get(tr, "trace_id", buf, len) && buf[0])
		return;
	const char *cfg = trace_config(tr);
	uint8_t sum[32];
	trace_sha256(cfg, strlen(cfg), sum);
	int n = snprintf(buf, len, "config-");
	for (int i = 0; i < 16 && n > 0 && (size_t)n + 2 < len; i++)
		n += snprintf(buf + n, len - (size_t)n, "%02x", sum[i]);
}
