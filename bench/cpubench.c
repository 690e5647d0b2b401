/*
 * cpubench.c: the CPU-bound benchmark guest (one hart; others park in WFI).
 *
 * A mix of what guest code spends time on: pointer chasing over a shuffled
 * linked list larger than the caches' comfortable size, integer multiply/
 * divide/shift mixing, double-precision arithmetic (an n-body step with
 * sqrt), bitwise CRC32, and a branchy lexer state machine. Each kernel
 * checks an invariant it knows independently; the final checksum is printed
 * so the bench script can compare rrv's run with QEMU's. Built with
 * BENCH_NO_FP it is the integer mix (intbench.elf): the same kernels but
 * the n-body one.
 */
#include "guest.h"

#ifndef BENCH_SCALE
#define BENCH_SCALE 8
#endif

static uint64_t lcg_state = 0x2545f4914f6cdd1dull;

static uint64_t lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return lcg_state >> 17;
}

/* ---- linked list ---- */
#define NODES 16384
struct node {
	struct node *next;
	uint64_t value;
	uint64_t pad[2];
};
static struct node nodes[NODES];
static uint32_t order[NODES];

static uint64_t list_kernel(unsigned rounds)
{
	for (uint32_t i = 0; i < NODES; i++)
		order[i] = i;
	for (uint32_t i = NODES - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(lcg() % (i + 1));
		uint32_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (uint32_t i = 0; i < NODES; i++) {
		nodes[order[i]].next = &nodes[order[(i + 1) % NODES]];
		nodes[order[i]].value = order[i];
	}
	uint64_t sum = 0;
	for (unsigned r = 0; r < rounds; r++) {
		struct node *p = &nodes[order[0]];
		for (uint32_t i = 0; i < NODES; i++) {
			sum += p->value;
			p = p->next;
		}
	}
	/* Every round visits each node once: sum is rounds * (0+..+N-1). */
	G_CHECK("list sum", sum, (uint64_t)rounds * NODES * (NODES - 1) / 2, 11);
	return sum;
}

/* ---- integer mixing ---- */
static uint64_t int_kernel(unsigned n)
{
	uint64_t a = 0x9e3779b97f4a7c15ull, b = 12345, acc = 0;
	for (unsigned i = 0; i < n; i++) {
		a = a * 0xbf58476d1ce4e5b9ull + i;
		b ^= a >> 29;
		uint64_t d = (b | 1) % 1000003;
		acc += (a / (d + 7)) ^ (b << (i & 15));
		acc = (acc >> 3) | (acc << 61);
		int64_t s = (int64_t)acc / -((int64_t)(i & 255) + 1);
		acc += (uint64_t)s;
	}
	return acc;
}

/* ---- floating point: n-body steps ---- */
#define BODIES 16
static double px[BODIES], py[BODIES], pz[BODIES], vx[BODIES], vy[BODIES],
	      vz[BODIES], mass[BODIES];

static double fsqrt(double x)
{
	double r;
	__asm__("fsqrt.d %0, %1" : "=f"(r) : "f"(x));
	return r;
}

static uint64_t fp_kernel(unsigned steps)
{
	for (unsigned i = 0; i < BODIES; i++) {
		px[i] = (double)(lcg() % 2000) / 100.0 - 10.0;
		py[i] = (double)(lcg() % 2000) / 100.0 - 10.0;
		pz[i] = (double)(lcg() % 2000) / 100.0 - 10.0;
		vx[i] = vy[i] = vz[i] = 0.0;
		mass[i] = 1.0 + (double)(lcg() % 100) / 50.0;
	}
	const double dt = 0.001, soft = 0.01;
	for (unsigned s = 0; s < steps; s++) {
		for (unsigned i = 0; i < BODIES; i++)
			for (unsigned j = i + 1; j < BODIES; j++) {
				double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
				double d2 = dx * dx + dy * dy + dz * dz + soft;
				double inv = 1.0 / (d2 * fsqrt(d2));
				double fi = mass[j] * inv * dt, fj = mass[i] * inv * dt;
				vx[i] += dx * fi; vy[i] += dy * fi; vz[i] += dz * fi;
				vx[j] -= dx * fj; vy[j] -= dy * fj; vz[j] -= dz * fj;
			}
		for (unsigned i = 0; i < BODIES; i++) {
			px[i] += vx[i] * dt; py[i] += vy[i] * dt; pz[i] += vz[i] * dt;
		}
	}
	/* Momentum is conserved (pairwise equal and opposite forces). */
	double mx = 0;
	for (unsigned i = 0; i < BODIES; i++)
		mx += mass[i] * vx[i];
	if (mx > 1e-6 || mx < -1e-6)
		g_fail("momentum", (uint64_t)(int64_t)(mx * 1e9), 0, 12);
	uint64_t h = 0;
	for (unsigned i = 0; i < BODIES; i++) {
		union { double d; uint64_t u; } c = { .d = px[i] + py[i] + pz[i] };
		h = h * 31 + c.u;
	}
	return h;
}

/* ---- CRC32 (bitwise, reflected 0xEDB88320) ---- */
static uint8_t crcbuf[4096];

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t c = 0xffffffffu;
	for (uint32_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}

static uint64_t crc_kernel(unsigned rounds)
{
	static const uint8_t check[9] = "123456789";
	G_CHECK("crc32 check value", crc32(check, 9), 0xcbf43926u, 13);
	for (unsigned i = 0; i < sizeof(crcbuf); i++)
		crcbuf[i] = (uint8_t)lcg();
	uint64_t acc = 0;
	for (unsigned r = 0; r < rounds; r++) {
		crcbuf[r % sizeof(crcbuf)] ^= (uint8_t)r;
		acc += crc32(crcbuf, sizeof(crcbuf));
	}
	return acc;
}

/* ---- lexer state machine ---- */
static char text[8192];

static uint64_t lex_kernel(unsigned rounds)
{
	static const char alphabet[] = "abc xyz 0123 45 + - * / ( ) \"str\" # c\n  ";
	for (unsigned i = 0; i < sizeof(text) - 1; i++)
		text[i] = alphabet[lcg() % (sizeof(alphabet) - 1)];
	text[sizeof(text) - 1] = 0;
	enum { S_START, S_IDENT, S_NUM, S_STR, S_COMMENT } st;
	uint64_t idents = 0, nums = 0, ops = 0, strs = 0, comments = 0;
	for (unsigned r = 0; r < rounds; r++) {
		st = S_START;
		for (const char *p = text; *p; p++) {
			char c = *p;
			switch (st) {
			case S_START:
				if (c >= 'a' && c <= 'z') { st = S_IDENT; idents++; }
				else if (c >= '0' && c <= '9') { st = S_NUM; nums++; }
				else if (c == '"') { st = S_STR; strs++; }
				else if (c == '#') { st = S_COMMENT; comments++; }
				else if (c == '+' || c == '-' || c == '*' || c == '/' ||
					 c == '(' || c == ')')
					ops++;
				break;
			case S_IDENT:
				if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
					{ st = S_START; p--; }
				break;
			case S_NUM:
				if (!(c >= '0' && c <= '9')) { st = S_START; p--; }
				break;
			case S_STR:
				if (c == '"') st = S_START;
				break;
			case S_COMMENT:
				if (c == '\n') st = S_START;
				break;
			}
		}
	}
	return idents * 1000003 + nums * 10007 + ops * 101 + strs * 7 + comments;
}

int main(int hartid)
{
	if (hartid != 0)
		for (;;)
			__asm__ volatile("wfi");
	uint64_t sum = 0;
	for (unsigned rep = 0; rep < BENCH_SCALE; rep++) {
		sum = sum * 33 + list_kernel(40);
		sum = sum * 33 + int_kernel(1500000);
#ifndef BENCH_NO_FP
		sum = sum * 33 + fp_kernel(1500);
#else
		(void)fp_kernel;
#endif
		sum = sum * 33 + crc_kernel(60);
		sum = sum * 33 + lex_kernel(120);
	}
#ifdef BENCH_NO_FP
	g_puts("intbench checksum ");
#else
	g_puts("cpubench checksum ");
#endif
	g_puthex(sum);
	g_puts("\n");
	return 0;
}
