/*
 * rr_stats.c: counting a recording's ownership handshakes — per hart, per
 * page, per pc — to find where record time goes (`rrv record --stats`).
 *
 * Threads: each hart counts into its own rr_hart.stats; page counters are
 * written by the acquiring hart under the page's lock. Everything is read
 * by rr_stats_print after the harts' threads have joined.
 */
#include "replay/rr_stats.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hart.h"
#include "replay/rr_internal.h"

#define TOP_PAGES 16
#define TOP_PCS 16

bool rr_stats_init(struct rr *rr)
{
	rr->pstats = calloc(rr->ndomains, sizeof(*rr->pstats));
	if (!rr->pstats)
		return false;
	for (unsigned i = 0; i < rr->nharts; i++) {
		rr->harts[i]->stats.pcs = calloc(RR_STATS_PCS, sizeof(struct rr_pc_count));
		if (!rr->harts[i]->stats.pcs)
			return false;
	}
	return true;
}

void rr_stats_free(struct rr *rr)
{
	for (unsigned i = 0; i < rr->nharts; i++)
		if (rr->harts[i])
			free(rr->harts[i]->stats.pcs);
	free(rr->pstats);
}

uint64_t rr_stats_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void count_pc(struct rr_rec_stats *s, uint64_t pc, uint64_t wait_ns)
{
	uint64_t i = (pc >> 1) * 0x9e3779b97f4a7c15ull >> 52; /* 12 bits */
	for (unsigned n = 0; n < RR_STATS_PCS; n++, i = (i + 1) % RR_STATS_PCS) {
		struct rr_pc_count *c = &s->pcs[i];
		if (c->handshakes && c->pc != pc)
			continue;
		c->pc = pc;
		c->handshakes++;
		c->wait_ns += wait_ns;
		return;
	}
	s->pcs_full++;
}

void rr_stats_acquire(struct rr_hart *rh, uint64_t idx, uint64_t paddr, uint8_t want,
		      unsigned nconflict, uint64_t lock_ns, uint64_t wait_ns)
{
	struct rr_rec_stats *s = &rh->stats;
	struct rr_page_stats *p = &rh->rr->pstats[idx];
	s->acquires++;
	s->lock_ns += lock_ns;
	p->acquires++;
	p->writes += want == RR_W;
	p->harts |= rh->id < 32 ? 1u << rh->id : 0;
	/* The block's first pc: exec_run syncs h->pc at block boundaries. */
	p->pc = rh->h->pc;
	p->paddr = paddr;
	if (!nconflict)
		return;
	s->handshakes++;
	s->wait_ns += wait_ns;
	if (wait_ns > s->max_wait_ns)
		s->max_wait_ns = wait_ns;
	s->bins[wait_ns < 10000 ? 0 : wait_ns < 100000 ? 1 : wait_ns < 1000000 ? 2 : 3]++;
	p->handshakes++;
	p->wait_ns += wait_ns;
	count_pc(s, rh->h->pc, wait_ns);
}

static const char *name(const struct rr_stats_names *nm, uint64_t addr, char *buf, size_t len)
{
	if (!nm || !nm->sym || !nm->sym(nm->ctx, addr, buf, len))
		snprintf(buf, len, "%#" PRIx64, addr);
	return buf;
}

static void print_harts(const struct rr *rr, FILE *f)
{
	for (unsigned i = 0; i < rr->nharts; i++) {
		const struct rr_rec_stats *s = &rr->harts[i]->stats;
		fprintf(f, "rrv: stats: hart %u acquires=%" PRIu64 " handshakes=%" PRIu64
			" releases=%" PRIu64 " wait_ms=%.1f lock_ms=%.1f max_wait_us=%.0f"
			" waits<10us=%" PRIu64 " <100us=%" PRIu64 " <1ms=%" PRIu64
			" >=1ms=%" PRIu64 " pauses=%" PRIu64 " spin_sleeps=%" PRIu64 "\n", i, s->acquires,
			s->handshakes, s->releases, (double)s->wait_ns / 1e6,
			(double)s->lock_ns / 1e6, (double)s->max_wait_ns / 1e3, s->bins[0],
			s->bins[1], s->bins[2], s->bins[3], s->spin_hints, s->spin_sleeps);
		if (rr->sched.on)
			fprintf(f, "rrv: stats: hart %u run-token waits=%" PRIu64
				" wait_ms=%.1f slices_ended=%" PRIu64 " answered_by_others=%" PRIu64 "\n",
				i, s->tok_waits, (double)s->tok_ns / 1e6, s->tok_slices, s->proxied);
	}
}

/* Indices of the n largest keys (in decreasing order); the rest unsorted. */
static unsigned top(const uint64_t *key, uint64_t count, uint64_t *out, unsigned n)
{
	unsigned k = 0;
	for (uint64_t i = 0; i < count; i++) {
		if (!key[i])
			continue;
		unsigned j = k < n ? k++ : n;
		if (j == n && key[i] <= key[out[n - 1]])
			continue;
		if (j == n)
			j = n - 1;
		while (j > 0 && key[out[j - 1]] < key[i]) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = i;
	}
	return k;
}

static void print_pages(const struct rr *rr, FILE *f, const struct rr_stats_names *nm)
{
	uint64_t *key = calloc(rr->ndomains, sizeof(*key));
	if (!key)
		return;
	for (uint64_t i = 0; i < rr->ndomains; i++)
		key[i] = rr->pstats[i].handshakes;
	uint64_t best[TOP_PAGES];
	unsigned n = top(key, rr->ndomains, best, TOP_PAGES);
	for (unsigned k = 0; k < n; k++) {
		const struct rr_page_stats *p = &rr->pstats[best[k]];
		uint64_t at = p->paddr;
		char pg[32], pc[128], data[160] = "";
		/* The variable the last acquire touched: the page's own
		 * first symbol would hide what shares it. */
		if (nm && !rr_index_is_device(rr, best[k]) && at >= nm->data_lo && at < nm->data_hi) {
			char d[120];
			snprintf(data, sizeof(data), " last_data=%s",
				 name(nm, at + nm->data_bias, d, sizeof(d)));
		}
		fprintf(f, "rrv: stats: page %s handshakes=%u acquires=%u writes=%u"
			" harts=%#x wait_ms=%.1f last_pc=%s%s\n",
			trace_page_name(rr_index_page(rr, best[k]), pg, sizeof(pg)),
			p->handshakes, p->acquires, p->writes, p->harts,
			(double)p->wait_ns / 1e6, name(nm, p->pc, pc, sizeof(pc)), data);
	}
	free(key);
}

static int by_pc(const void *a, const void *b)
{
	const struct rr_pc_count *x = a, *y = b;
	return x->pc < y->pc ? -1 : x->pc > y->pc;
}

static void print_pcs(const struct rr *rr, FILE *f, const struct rr_stats_names *nm)
{
	/* Merged by pc across harts (by symbol would need the symbols
	 * here; the pc already ranks the code). */
	size_t cap = (size_t)rr->nharts * RR_STATS_PCS, n = 0, m = 0;
	struct rr_pc_count *all = calloc(cap, sizeof(*all));
	uint64_t *key = calloc(cap, sizeof(*key));
	if (!all || !key)
		goto out;
	for (unsigned i = 0; i < rr->nharts; i++)
		for (unsigned j = 0; j < RR_STATS_PCS; j++)
			if (rr->harts[i]->stats.pcs[j].handshakes)
				all[n++] = rr->harts[i]->stats.pcs[j];
	qsort(all, n, sizeof(*all), by_pc);
	for (size_t k = 0; k < n; k++) {
		if (m && all[m - 1].pc == all[k].pc) {
			all[m - 1].handshakes += all[k].handshakes;
			all[m - 1].wait_ns += all[k].wait_ns;
		} else {
			all[m++] = all[k];
		}
	}
	n = m;
	for (size_t k = 0; k < n; k++)
		key[k] = all[k].handshakes;
	uint64_t best[TOP_PCS];
	unsigned nbest = top(key, n, best, TOP_PCS);
	for (unsigned k = 0; k < nbest; k++) {
		char b[128];
		const struct rr_pc_count *c = &all[best[k]];
		fprintf(f, "rrv: stats: pc %s handshakes=%" PRIu64 " wait_ms=%.1f\n",
			name(nm, c->pc, b, sizeof(b)), c->handshakes, (double)c->wait_ns / 1e6);
	}
out:
	free(all);
	free(key);
}

void rr_stats_print(const struct rr *rr, FILE *f, const struct rr_stats_names *names)
{
	if (!rr->pstats)
		return;
	print_harts(rr, f);
	print_pages(rr, f, names);
	print_pcs(rr, f, names);
}
