/* chunk.h: chunk headers and little-endian helpers (logs/ internal). */
#ifndef RRV_LOGS_CHUNK_H
#define RRV_LOGS_CHUNK_H

#include <stdint.h>
#include <string.h>

#define CHUNK_MAGIC 0x43565252u /* "RRVC" */
#define CHUNK_HDR 24
#define CHUNK_LZ4 1
#define CHUNK_MAX_RAW (64u << 20)
#define EVENTS_HDR 44

static inline void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static inline void put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t get32(const uint8_t *p) { uint32_t v = 0; for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i); return v; }
static inline uint64_t get64(const uint8_t *p) { uint64_t v = 0; for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i); return v; }

#endif /* RRV_LOGS_CHUNK_H */
