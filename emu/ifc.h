/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space access to the kernel's own mlx5_ifc.h.
 *
 * The Makefile passes -DEMU_IFC_PATH="<KSRC>/include/linux/mlx5/mlx5_ifc.h", so
 * every field offset used by the emulator comes from the very header the
 * guest driver was built with.  This file provides the few kernel types the
 * header needs and MLX5_SET/MLX5_GET style accessors written for user space.
 */
#ifndef EMU_IFC_H
#define EMU_IFC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <endian.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#ifndef BIT
#define BIT(n) (1UL << (n))
#endif
#ifndef BIT_ULL
#define BIT_ULL(n) (1ULL << (n))
#endif
#define DECLARE_FLEX_ARRAY(type, name) type name[0]

#include EMU_IFC_PATH

/*
 * The generic command header shared by every inbox/outbox.  The kernel keeps
 * these two in cmd.c, not in mlx5_ifc.h, so they are declared here in the
 * same bit-array style.
 */
struct mlx5_ifc_mbox_in_bits {
	u8 opcode[0x10];
	u8 uid[0x10];
	u8 reserved_at_20[0x10];
	u8 op_mod[0x10];
	u8 reserved_at_40[0x40];
};

struct mlx5_ifc_mbox_out_bits {
	u8 status[0x8];
	u8 reserved_at_8[0x18];
	u8 syndrome[0x20];
	u8 reserved_at_40[0x40];
};

/* Bit/byte geometry of a field of struct mlx5_ifc_<typ>_bits. */
#define IFC_BIT_OFF(typ, fld) (offsetof(struct mlx5_ifc_##typ##_bits, fld))
#define IFC_BIT_SZ(typ, fld) (sizeof(((struct mlx5_ifc_##typ##_bits *)0)->fld))
#define MLX5_ST_SZ_BYTES(typ) (sizeof(struct mlx5_ifc_##typ##_bits) / 8)
#define MLX5_ST_SZ_DW(typ) (sizeof(struct mlx5_ifc_##typ##_bits) / 32)
#define MLX5_FLD_SZ_BYTES(typ, fld) (IFC_BIT_SZ(typ, fld) / 8)
#define MLX5_BYTE_OFF(typ, fld) (IFC_BIT_OFF(typ, fld) / 8)
#define MLX5_ADDR_OF(typ, p, fld) ((void *)((u8 *)(p) + MLX5_BYTE_OFF(typ, fld)))

/*
 * Fields of at most 32 bits never straddle a big-endian dword in mlx5_ifc.h;
 * the helpers below rely on that (checked at run time in the unit tests for
 * the fields the emulator uses).
 */
static inline u32 ifc_get(const void *p, size_t bit_off, size_t bit_sz)
{
	u32 dw;
	unsigned int shift = 32 - bit_sz - (bit_off & 31);
	u32 mask = bit_sz >= 32 ? 0xffffffffu : ((1u << bit_sz) - 1);

	memcpy(&dw, (const u8 *)p + (bit_off / 32) * 4, 4);
	return (be32toh(dw) >> shift) & mask;
}

static inline void ifc_set(void *p, size_t bit_off, size_t bit_sz, u32 v)
{
	u32 dw;
	unsigned int shift = 32 - bit_sz - (bit_off & 31);
	u32 mask = bit_sz >= 32 ? 0xffffffffu : ((1u << bit_sz) - 1);
	u8 *q = (u8 *)p + (bit_off / 32) * 4;

	memcpy(&dw, q, 4);
	dw = be32toh(dw);
	dw = (dw & ~(mask << shift)) | ((v & mask) << shift);
	dw = htobe32(dw);
	memcpy(q, &dw, 4);
}

static inline u64 ifc_get64(const void *p, size_t bit_off)
{
	u64 v;

	memcpy(&v, (const u8 *)p + bit_off / 8, 8);
	return be64toh(v);
}

static inline void ifc_set64(void *p, size_t bit_off, u64 v)
{
	v = htobe64(v);
	memcpy((u8 *)p + bit_off / 8, &v, 8);
}

/* Compile-time guard: the 32-bit accessors only take fields of <= 32 bits. */
#define IFC_SZ32(typ, fld) \
	(IFC_BIT_SZ(typ, fld) + 0 * sizeof(char[IFC_BIT_SZ(typ, fld) <= 32 ? 1 : -1]))
#define MLX5_GET(typ, p, fld) ifc_get((p), IFC_BIT_OFF(typ, fld), IFC_SZ32(typ, fld))
#define MLX5_SET(typ, p, fld, v) ifc_set((p), IFC_BIT_OFF(typ, fld), IFC_SZ32(typ, fld), (v))
#define MLX5_GET64(typ, p, fld) ifc_get64((p), IFC_BIT_OFF(typ, fld))
#define MLX5_SET64(typ, p, fld, v) ifc_set64((p), IFC_BIT_OFF(typ, fld), (v))
/* Element i of a 64-bit array field such as create_eq_in.event_bitmask. */
#define MLX5_ARRAY_GET64(typ, p, fld, i) \
	ifc_get64((p), IFC_BIT_OFF(typ, fld) + 64 * (size_t)(i))

#endif
