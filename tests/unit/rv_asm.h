/* rv_asm.h: tiny instruction encoders for unit tests (RV64GC subset). */
#ifndef RRV_TESTS_RV_ASM_H
#define RRV_TESTS_RV_ASM_H

#include <stdint.h>

static inline uint32_t rv_r(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3,
			    uint32_t rd, uint32_t opc)
{
	return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}
static inline uint32_t rv_i(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd,
			    uint32_t opc)
{
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}
static inline uint32_t rv_s(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3,
			    uint32_t opc)
{
	uint32_t u = (uint32_t)imm;
	return (u >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
	       (u & 0x1f) << 7 | opc;
}
static inline uint32_t rv_b(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3)
{
	uint32_t u = (uint32_t)imm;
	return (u >> 12 & 1) << 31 | (u >> 5 & 0x3f) << 25 | rs2 << 20 |
	       rs1 << 15 | f3 << 12 | (u >> 1 & 0xf) << 8 | (u >> 11 & 1) << 7 | 0x63;
}
static inline uint32_t rv_jal(int32_t imm, uint32_t rd)
{
	uint32_t u = (uint32_t)imm;
	return (u >> 20 & 1) << 31 | (u >> 1 & 0x3ff) << 21 | (u >> 11 & 1) << 20 |
	       (u >> 12 & 0xff) << 12 | rd << 7 | 0x6f;
}
#define RV_ADDI(rd, rs1, imm) rv_i(imm, rs1, 0, rd, 0x13)
#define RV_SLLI(rd, rs1, sh) rv_i(sh, rs1, 1, rd, 0x13)
#define RV_ADD(rd, rs1, rs2) rv_r(0, rs2, rs1, 0, rd, 0x33)
#define RV_LUI(rd, imm20) ((uint32_t)(imm20) << 12 | (rd) << 7 | 0x37)
#define RV_LD(rd, rs1, imm) rv_i(imm, rs1, 3, rd, 0x03)
#define RV_LW(rd, rs1, imm) rv_i(imm, rs1, 2, rd, 0x03)
#define RV_FLD(rd, rs1, imm) rv_i(imm, rs1, 3, rd, 0x07)
#define RV_SD(rs2, rs1, imm) rv_s(imm, rs2, rs1, 3, 0x23)
#define RV_SW(rs2, rs1, imm) rv_s(imm, rs2, rs1, 2, 0x23)
#define RV_DIV(rd, rs1, rs2) rv_r(1, rs2, rs1, 4, rd, 0x33)
#define RV_REM(rd, rs1, rs2) rv_r(1, rs2, rs1, 6, rd, 0x33)
#define RV_DIVW(rd, rs1, rs2) rv_r(1, rs2, rs1, 4, rd, 0x3b)
#define RV_CSRRS(rd, csr, rs1) rv_i(csr, rs1, 2, rd, 0x73)
#define RV_CSRRW(rd, csr, rs1) rv_i(csr, rs1, 1, rd, 0x73)
#define RV_ECALL 0x00000073u
#define RV_FENCE_I 0x0000100fu
#define RV_ILLEGAL 0x00000000u

#endif /* RRV_TESTS_RV_ASM_H */
