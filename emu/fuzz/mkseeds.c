// SPDX-License-Identifier: GPL-2.0
/*
 * Seed corpora for the fuzz targets (formats in fuzz.h), built from the
 * same mlx5_ifc.h layouts as the emulator:
 *
 *   mkseeds DIR    writes DIR/cmd/<name> and DIR/vfu/<name>
 *
 * The seeds are what the driver and QEMU do in a healthy boot (probe
 * sequence, DEVX objects, the VHCA tunnel, a command run through vfio-user
 * DMA and doorbell writes) plus a few malformed cases; the fuzzer mutates
 * from there.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ifc.h"
#include "mlx5.h"
#include "vfu.h"
#include "fuzz.h"

struct sb {
	uint8_t b[1 << 16];
	size_t n;
};

static const char *outdir;

static void put(struct sb *s, const void *p, size_t n)
{
	if (s->n + n > sizeof(s->b)) {
		fprintf(stderr, "mkseeds: seed too large\n");
		exit(1);
	}
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void put8(struct sb *s, uint8_t v)
{
	put(s, &v, 1);
}

static void put16(struct sb *s, uint16_t v)
{
	put8(s, v);
	put8(s, v >> 8);
}

static void put32(struct sb *s, uint32_t v)
{
	put16(s, v);
	put16(s, v >> 16);
}

static void save(const char *target, const char *name, const struct sb *s)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, target);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
	f = fopen(path, "w");
	if (!f || fwrite(s->b, 1, s->n, f) != s->n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* ---------------------------------------------------------------- */
/* fuzz-cmd                                                          */

static void cmd_ex(struct sb *s, unsigned int slot, uint8_t chain, uint8_t k, const void *in,
		   uint32_t inlen, uint32_t outlen)
{
	uint8_t lenmode = (inlen > 0xffff ? 1 : 0) | (outlen > 0xffff ? 2 : 0);

	put8(s, CMD_OP_CMD);
	put8(s, slot);
	put8(s, chain);
	put8(s, k);
	put8(s, lenmode);
	if (lenmode & 1)
		put32(s, inlen);
	else
		put16(s, inlen);
	if (lenmode & 2)
		put32(s, outlen);
	else
		put16(s, outlen);
	/* the harness zero-fills an inbox the input ends in */
	put(s, in, inlen > 8192 ? 16 : inlen);
}

static void cmd(struct sb *s, const void *in, uint32_t inlen, uint32_t outlen)
{
	cmd_ex(s, 0, 0, 0, in, inlen, outlen);
}

/* a command with nothing but the header: opcode, op_mod, uid, vhca_tunnel_id */
static void simple(struct sb *s, uint16_t op, uint16_t op_mod, uint32_t inlen, uint32_t outlen)
{
	static uint8_t in[8192];

	memset(in, 0, sizeof(in));
	MLX5_SET(mbox_in, in, opcode, op);
	MLX5_SET(mbox_in, in, op_mod, op_mod);
	cmd(s, in, inlen, outlen);
}

#define SIMPLE(s, OP, typ, op_mod) \
	simple(s, MLX5_CMD_OP_##OP, op_mod, MLX5_ST_SZ_BYTES(typ##_in), MLX5_ST_SZ_BYTES(typ##_out))

static void repeat(struct sb *s, uint16_t n)
{
	put8(s, CMD_OP_REPEAT);
	put16(s, n);
}

static void gmem(struct sb *s, uint64_t gpa, const void *p, uint8_t len)
{
	put8(s, CMD_OP_GMEM);
	put32(s, (uint32_t)(gpa - FUZZ_GPA));
	put8(s, len);
	put(s, p, len);
}

static void create_eq(struct sb *s, uint16_t tunnel)
{
	uint8_t in[MLX5_ST_SZ_BYTES(create_eq_in) + 8] = { 0 };
	void *eqc = MLX5_ADDR_OF(create_eq_in, in, eq_context_entry);
	uint8_t owner[64];

	MLX5_SET(create_eq_in, in, opcode, MLX5_CMD_OP_CREATE_EQ);
	MLX5_SET(general_obj_in_cmd_hdr, in, vhca_tunnel_id, tunnel);
	MLX5_SET(eqc, eqc, log_eq_size, 3);
	MLX5_SET(eqc, eqc, intr, 0);
	ifc_set64(in, IFC_BIT_OFF(create_eq_in, event_bitmask), 1ull << EMU_EVENT_TYPE_CMD);
	ifc_set64(in, IFC_BIT_OFF(create_eq_in, pas), FUZZ_FREE);
	/* the EQ buffer's owner bits set, as the driver's init_eq_buf() does */
	memset(owner, 0, sizeof(owner));
	owner[63] = 1;
	gmem(s, FUZZ_FREE, owner, 64);
	gmem(s, FUZZ_FREE + 64, owner, 64);
	cmd(s, in, sizeof(in), MLX5_ST_SZ_BYTES(create_eq_out));
}

static void probe(struct sb *s)
{
	uint8_t in[MLX5_ST_SZ_BYTES(set_issi_in)] = { 0 };
	uint8_t reg[MLX5_ST_SZ_BYTES(access_register_in) + 16] = { 0 };

	SIMPLE(s, ENABLE_HCA, enable_hca, 0);
	SIMPLE(s, QUERY_ISSI, query_issi, 0);
	MLX5_SET(set_issi_in, in, opcode, MLX5_CMD_OP_SET_ISSI);
	MLX5_SET(set_issi_in, in, current_issi, 1);
	cmd(s, in, sizeof(in), MLX5_ST_SZ_BYTES(set_issi_out));
	SIMPLE(s, QUERY_PAGES, query_pages, 1);
	SIMPLE(s, QUERY_HCA_CAP, query_hca_cap, 1);
	SIMPLE(s, QUERY_HCA_CAP, query_hca_cap, 0);
	SIMPLE(s, SET_HCA_CAP, set_hca_cap, 0);
	SIMPLE(s, INIT_HCA, init_hca, 0);
	MLX5_SET(access_register_in, reg, opcode, MLX5_CMD_OP_ACCESS_REG);
	MLX5_SET(access_register_in, reg, register_id, 0x7004);	/* HOST_ENDIANNESS */
	cmd(s, reg, sizeof(reg), MLX5_ST_SZ_BYTES(access_register_out) + 16);
	SIMPLE(s, QUERY_ADAPTER, query_adapter, 0);
	create_eq(s, 0);
	SIMPLE(s, NOP, nop, 0);	/* completes by EQE now */
	SIMPLE(s, ALLOC_UAR, alloc_uar, 0);
	SIMPLE(s, ALLOC_PD, alloc_pd, 0);
	SIMPLE(s, QUERY_NIC_VPORT_CONTEXT, query_nic_vport_context, 0);
}

static void gen_cmd(void)
{
	static struct sb s;
	uint8_t in[1024], ctx[64];
	const uint32_t OBJ_HDR = MLX5_ST_SZ_BYTES(general_obj_in_cmd_hdr);
	void *u;
	unsigned int i;

	memset(&s, 0, sizeof(s));
	probe(&s);
	save("cmd", "probe", &s);

	/* the rest of the handlers, each on its own */
	memset(&s, 0, sizeof(s));
	SIMPLE(&s, MANAGE_PAGES, manage_pages, 1);
	SIMPLE(&s, CREATE_MKEY, create_mkey, 0);
	SIMPLE(&s, DESTROY_MKEY, destroy_mkey, 0);
	SIMPLE(&s, QUERY_HCA_VPORT_PKEY, query_hca_vport_pkey, 0);
	SIMPLE(&s, DEALLOC_PD, dealloc_pd, 0);
	SIMPLE(&s, MAD_IFC, mad_ifc, 0);
	SIMPLE(&s, ALLOC_XRCD, alloc_xrcd, 0);
	SIMPLE(&s, DEALLOC_XRCD, dealloc_xrcd, 0);
	SIMPLE(&s, ALLOC_TRANSPORT_DOMAIN, alloc_transport_domain, 0);
	SIMPLE(&s, DEALLOC_TRANSPORT_DOMAIN, dealloc_transport_domain, 0);
	SIMPLE(&s, DEALLOC_UAR, dealloc_uar, 0);
	SIMPLE(&s, DESTROY_EQ, destroy_eq, 0);
	SIMPLE(&s, TEARDOWN_HCA, teardown_hca, 0);
	SIMPLE(&s, DISABLE_HCA, disable_hca, 0);
	simple(&s, 0x7777, 5, 16, 16);
	save("cmd", "handlers", &s);

	/* DEVX: a user context, a general object, a umem, and their destroys */
	memset(&s, 0, sizeof(s));
	SIMPLE(&s, CREATE_UCTX, create_uctx, 0);
	memset(in, 0, sizeof(in));
	for (i = 0; i < sizeof(ctx); i++)
		ctx[i] = i;
	MLX5_SET(general_obj_in_cmd_hdr, in, opcode, MLX5_CMD_OP_CREATE_GENERAL_OBJECT);
	MLX5_SET(general_obj_in_cmd_hdr, in, uid, 1);
	MLX5_SET(general_obj_in_cmd_hdr, in, obj_type, EMU_OBJ_TYPE_MATCH_DEFINER);
	memcpy(in + OBJ_HDR, ctx, sizeof(ctx));
	cmd(&s, in, OBJ_HDR + sizeof(ctx), MLX5_ST_SZ_BYTES(general_obj_out_cmd_hdr));
	MLX5_SET(general_obj_in_cmd_hdr, in, obj_id, 1);
	MLX5_SET(general_obj_in_cmd_hdr, in, opcode, MLX5_CMD_OP_QUERY_GENERAL_OBJECT);
	cmd(&s, in, OBJ_HDR, MLX5_ST_SZ_BYTES(general_obj_out_cmd_hdr) + 512);
	MLX5_SET(general_obj_in_cmd_hdr, in, opcode, MLX5_CMD_OP_MODIFY_GENERAL_OBJECT);
	cmd(&s, in, OBJ_HDR + 32, MLX5_ST_SZ_BYTES(general_obj_out_cmd_hdr));
	memset(in, 0, sizeof(in));
	MLX5_SET(create_umem_in, in, opcode, MLX5_CMD_OP_CREATE_UMEM);
	MLX5_SET(create_umem_in, in, uid, 1);
	u = MLX5_ADDR_OF(create_umem_in, in, umem);
	MLX5_SET64(umem, u, num_of_mtt, 2);
	ifc_set64(in, MLX5_ST_SZ_BYTES(create_umem_in) * 8, FUZZ_FREE + 0x10000 + 3);
	ifc_set64(in, MLX5_ST_SZ_BYTES(create_umem_in) * 8 + 64, FUZZ_FREE + 0x11000 + 3);
	cmd(&s, in, MLX5_ST_SZ_BYTES(create_umem_in) + 16, MLX5_ST_SZ_BYTES(create_umem_out));
	memset(in, 0, sizeof(in));
	MLX5_SET(destroy_umem_in, in, opcode, MLX5_CMD_OP_DESTROY_UMEM);
	MLX5_SET(destroy_umem_in, in, uid, 1);
	MLX5_SET(destroy_umem_in, in, umem_id, 2);
	cmd(&s, in, MLX5_ST_SZ_BYTES(destroy_umem_in), MLX5_ST_SZ_BYTES(destroy_umem_out));
	memset(in, 0, sizeof(in));
	MLX5_SET(destroy_uctx_in, in, opcode, MLX5_CMD_OP_DESTROY_UCTX);
	MLX5_SET(destroy_uctx_in, in, uid, 1);
	cmd(&s, in, MLX5_ST_SZ_BYTES(destroy_uctx_in), MLX5_ST_SZ_BYTES(destroy_uctx_out));
	memset(in, 0, sizeof(in));
	MLX5_SET(general_obj_in_cmd_hdr, in, opcode, MLX5_CMD_OP_DESTROY_GENERAL_OBJECT);
	MLX5_SET(general_obj_in_cmd_hdr, in, uid, 1);
	MLX5_SET(general_obj_in_cmd_hdr, in, obj_type, EMU_OBJ_TYPE_MATCH_DEFINER);
	MLX5_SET(general_obj_in_cmd_hdr, in, obj_id, 1);
	cmd(&s, in, OBJ_HDR, MLX5_ST_SZ_BYTES(general_obj_out_cmd_hdr));
	memset(in, 0, sizeof(in));
	MLX5_SET(destroy_uctx_in, in, opcode, MLX5_CMD_OP_DESTROY_UCTX);
	MLX5_SET(destroy_uctx_in, in, uid, 1);
	cmd(&s, in, MLX5_ST_SZ_BYTES(destroy_uctx_in), MLX5_ST_SZ_BYTES(destroy_uctx_out));
	save("cmd", "devx", &s);

	/* the VHCA tunnel: objects on function 1, and an id that names none */
	memset(&s, 0, sizeof(s));
	SIMPLE(&s, CREATE_UCTX, create_uctx, 0);
	memset(in, 0, sizeof(in));
	MLX5_SET(general_obj_in_cmd_hdr, in, opcode, MLX5_CMD_OP_CREATE_GENERAL_OBJECT);
	MLX5_SET(general_obj_in_cmd_hdr, in, uid, 1);
	MLX5_SET(general_obj_in_cmd_hdr, in, vhca_tunnel_id, EMU_TUNNEL_VHCA_ID);
	MLX5_SET(general_obj_in_cmd_hdr, in, obj_type, EMU_OBJ_TYPE_MATCH_DEFINER);
	cmd(&s, in, OBJ_HDR + 16, MLX5_ST_SZ_BYTES(general_obj_out_cmd_hdr));
	MLX5_SET(general_obj_in_cmd_hdr, in, obj_id, 1);
	MLX5_SET(general_obj_in_cmd_hdr, in, opcode, MLX5_CMD_OP_QUERY_GENERAL_OBJECT);
	cmd(&s, in, OBJ_HDR, MLX5_ST_SZ_BYTES(general_obj_out_cmd_hdr) + 64);
	MLX5_SET(general_obj_in_cmd_hdr, in, vhca_tunnel_id, 0);
	cmd(&s, in, OBJ_HDR, MLX5_ST_SZ_BYTES(general_obj_out_cmd_hdr) + 64);
	MLX5_SET(general_obj_in_cmd_hdr, in, vhca_tunnel_id, 2);
	cmd(&s, in, OBJ_HDR, MLX5_ST_SZ_BYTES(general_obj_out_cmd_hdr) + 64);
	create_eq(&s, EMU_TUNNEL_VHCA_ID);
	memset(in, 0, sizeof(in));
	MLX5_SET(destroy_uctx_in, in, opcode, MLX5_CMD_OP_DESTROY_UCTX);
	MLX5_SET(destroy_uctx_in, in, uid, 1);
	cmd(&s, in, MLX5_ST_SZ_BYTES(destroy_uctx_in), MLX5_ST_SZ_BYTES(destroy_uctx_out));
	save("cmd", "tunnel", &s);

	/* malformed: each chain defect, lengths, ownership, a read-only outbox */
	memset(&s, 0, sizeof(s));
	memset(in, 0, sizeof(in));
	MLX5_SET(mbox_in, in, opcode, MLX5_CMD_OP_QUERY_HCA_CAP);
	MLX5_SET(mbox_in, in, op_mod, 1);
	for (i = CHAIN_BLOCK_NUM; i <= CHAIN_UNALIGNED; i++) {
		cmd_ex(&s, i, i, 1, in, 600, 16);
		cmd_ex(&s, i, i << 3, 2, in, 16, 4112);
	}
	cmd_ex(&s, 1, CMD_CHAIN_SW_OWNED, 0, in, 16, 16);
	cmd_ex(&s, 2, CMD_CHAIN_OUT_RO, 0, in, 16, 4112);
	cmd_ex(&s, 3, 0, 0, in, 4, 16);
	cmd_ex(&s, 4, 0, 0, in, 16, 0x7fffffff);
	cmd_ex(&s, 5, 0, 0, in, 200000, 16);	/* last: the inbox runs to the end */
	save("cmd", "malformed", &s);

	/* registers: cmdq moved out of memory, doorbells, health, config */
	memset(&s, 0, sizeof(s));
	put8(&s, CMD_OP_BAR_READ);
	put32(&s, 0x1000);
	put16(&s, 0x20);
	put8(&s, CMD_OP_CFG);
	put16(&s, 0x10);
	put8(&s, 4);
	put8(&s, 1);
	put32(&s, 0xffffffff);
	put8(&s, CMD_OP_CFG);
	put16(&s, 0x9c);
	put8(&s, 12);
	put8(&s, 0);
	put8(&s, CMD_OP_DOORBELL);
	put32(&s, 0xffffffff);
	put8(&s, CMD_OP_BAR_WRITE);
	put32(&s, 0x10);
	put8(&s, 8);
	put32(&s, htobe32(0x7));
	put32(&s, htobe32(0x1000));
	SIMPLE(&s, NOP, nop, 0);
	put8(&s, CMD_OP_RESET);
	SIMPLE(&s, NOP, nop, 0);
	save("cmd", "registers", &s);

	/* the EQ table filled with CMD_OP_REPEAT */
	memset(&s, 0, sizeof(s));
	create_eq(&s, 0);
	repeat(&s, 16);
	SIMPLE(&s, NOP, nop, 0);
	repeat(&s, 3);
	save("cmd", "repeat", &s);
}

/* ---------------------------------------------------------------- */
/* fuzz-vfu                                                          */

static uint16_t msg_id;

static void msg(struct sb *s, uint8_t kind, uint8_t arg, uint16_t cmd, uint32_t flags,
		const void *body, uint32_t len)
{
	struct vfu_hdr h = { msg_id++, cmd, (uint32_t)sizeof(h) + len, flags, 0 };

	put8(s, kind << 5 | arg);
	put16(s, sizeof(h) + len);
	put(s, &h, sizeof(h));
	put(s, body, len);
}

static void ram(struct sb *s, uint32_t off, const void *p, uint32_t len)
{
	const uint8_t *q = p;

	while (len) {
		uint8_t n = len > 255 ? 255 : len;

		put8(s, VFU_CH_RAM << 5);
		put32(s, off);
		put8(s, n);
		put(s, q, n);
		q += n;
		off += n;
		len -= n;
	}
}

static void body32(uint8_t *b, unsigned int off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

static void body64(uint8_t *b, unsigned int off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

static void version(struct sb *s)
{
	static const char json[] = "{\"capabilities\":{\"max_msg_fds\":8}}";
	uint8_t b[4 + sizeof(json)] = { 0 };

	memcpy(b + 4, json, sizeof(json));
	msg(s, VFU_CH_DATA, 0, VFU_VERSION, 0, b, sizeof(b));
}

/* a 4-byte BAR0 write, big-endian value as the device expects */
static void bar_w32(struct sb *s, uint32_t flags, uint64_t off, uint32_t v)
{
	uint8_t b[20] = { 0 };

	body64(b, 0, off);
	body32(b, 8, VFU_REGION_BAR0);
	body32(b, 12, 4);
	v = htobe32(v);
	memcpy(b + 16, &v, 4);
	msg(s, VFU_CH_DATA, 0, VFU_REGION_WRITE, flags, b, sizeof(b));
}

static void region_read(struct sb *s, uint32_t region, uint64_t off, uint32_t count)
{
	uint8_t b[16] = { 0 };

	body64(b, 0, off);
	body32(b, 8, region);
	body32(b, 12, count);
	msg(s, VFU_CH_DATA, 0, VFU_REGION_READ, 0, b, sizeof(b));
}

static void dma_map(struct sb *s, uint8_t kind, uint32_t flags, uint64_t off, uint64_t iova,
		    uint64_t size)
{
	uint8_t b[32] = { 0 };

	body32(b, 0, 32);
	body32(b, 4, flags);
	body64(b, 8, off);
	body64(b, 16, iova);
	body64(b, 24, size);
	msg(s, kind, 0, VFU_DMA_MAP, 0, b, sizeof(b));
}

static void set_irqs(struct sb *s, uint8_t kind, uint8_t arg, uint32_t flags, uint32_t index,
		     uint32_t start, uint32_t count, const uint8_t *bools)
{
	uint8_t b[20 + 8] = { 0 };

	body32(b, 0, 20 + (bools ? count : 0));
	body32(b, 4, flags);
	body32(b, 8, index);
	body32(b, 12, start);
	body32(b, 16, count);
	if (bools)
		memcpy(b + 20, bools, count);
	msg(s, kind, arg, VFU_DEVICE_SET_IRQS, 0, b, 20 + (bools ? count : 0));
}

/*
 * Guest RAM with a command queue at 0x1000 whose slot 0 holds a CREATE_EQ
 * (inbox in two mailboxes at 0x10000) and slot 1 a NOP; the EQ at 0x4000.
 */
static void ram_commands(struct sb *s)
{
	uint8_t in[MLX5_ST_SZ_BYTES(create_eq_in) + 8] = { 0 };
	void *eqc = MLX5_ADDR_OF(create_eq_in, in, eq_context_entry);
	struct emu_cmd_layout l;
	struct emu_cmd_block blk;
	const uint64_t gpa = 0x100000;
	unsigned int i;

	MLX5_SET(create_eq_in, in, opcode, MLX5_CMD_OP_CREATE_EQ);
	MLX5_SET(eqc, eqc, log_eq_size, 2);
	ifc_set64(in, IFC_BIT_OFF(create_eq_in, event_bitmask), 1ull << EMU_EVENT_TYPE_CMD);
	ifc_set64(in, IFC_BIT_OFF(create_eq_in, pas), gpa + 0x4000);
	memset(&l, 0, sizeof(l));
	l.type = 7;
	l.inlen = htobe32(sizeof(in));
	l.outlen = htobe32(16);
	memcpy(l.in, in, 16);
	l.in_ptr = htobe64(gpa + 0x10000);
	l.status_own = 1;
	ram(s, 0x1000, &l, sizeof(l));
	for (i = 0; i < 2; i++) {
		uint32_t n = sizeof(in) - 16 - i * EMU_MBOX_DATA;

		memset(&blk, 0, sizeof(blk));
		memcpy(blk.data, in + 16 + i * EMU_MBOX_DATA, n > EMU_MBOX_DATA ? EMU_MBOX_DATA : n);
		blk.block_num = htobe32(i);
		blk.next = i ? 0 : htobe64(gpa + 0x10400);
		ram(s, 0x10000 + i * 0x400, &blk, sizeof(blk));
	}
	memset(&l, 0, sizeof(l));
	l.type = 7;
	l.inlen = htobe32(16);
	l.outlen = htobe32(16);
	MLX5_SET(mbox_in, l.in, opcode, MLX5_CMD_OP_NOP);
	l.status_own = 1;
	ram(s, 0x1040, &l, sizeof(l));
}

static void gen_vfu(void)
{
	static struct sb s;
	uint8_t b[64];
	uint8_t on[2] = { 1, 1 };
	unsigned int i;

	/* what QEMU's vfio-user-pci asks at realize time */
	memset(&s, 0, sizeof(s));
	version(&s);
	memset(b, 0, sizeof(b));
	body32(b, 0, 16);
	msg(&s, VFU_CH_DATA, 0, VFU_DEVICE_GET_INFO, 0, b, 16);
	for (i = 0; i < VFU_NUM_REGIONS; i++) {
		memset(b, 0, sizeof(b));
		body32(b, 0, 32);
		body32(b, 8, i);
		msg(&s, VFU_CH_DATA, 0, VFU_DEVICE_GET_REGION_INFO, 0, b, 32);
	}
	for (i = 0; i < VFU_NUM_IRQS; i++) {
		memset(b, 0, sizeof(b));
		body32(b, 0, 16);
		body32(b, 8, i);
		msg(&s, VFU_CH_DATA, 0, VFU_DEVICE_GET_IRQ_INFO, 0, b, 16);
	}
	region_read(&s, VFU_REGION_CONFIG, 0, 64);
	region_read(&s, VFU_REGION_CONFIG, 0x9c, 12);
	region_read(&s, VFU_REGION_BAR0, 0, 16);
	msg(&s, VFU_CH_DATA, 0, VFU_DEVICE_RESET, 0, NULL, 0);
	save("vfu", "realize", &s);

	/* guest RAM by memfd, MSI-X eventfds, commands by doorbell, EQE + irq */
	memset(&s, 0, sizeof(s));
	ram_commands(&s);
	version(&s);
	dma_map(&s, VFU_CH_MEMFD, 3, 0, 0x100000, FUZZ_VFU_RAM);
	set_irqs(&s, VFU_CH_EVENTFD, 1, 0x24, VFU_IRQ_MSIX, 0, 2, NULL);
	bar_w32(&s, VFU_F_NO_REPLY, 0x10, 0);
	bar_w32(&s, VFU_F_NO_REPLY, 0x14, 0x101000);
	bar_w32(&s, VFU_F_NO_REPLY, 0x18, 1);	/* CREATE_EQ */
	bar_w32(&s, VFU_F_NO_REPLY, 0x18, 2);	/* NOP: EQE and MSI-X 0 */
	region_read(&s, VFU_REGION_BAR0, 0x1010, 4);
	set_irqs(&s, VFU_CH_DATA, 0, 0x21, VFU_IRQ_MSIX, 0, 1, NULL);
	set_irqs(&s, VFU_CH_DATA, 0, 0x22, VFU_IRQ_MSIX, 0, 2, on);
	set_irqs(&s, VFU_CH_DATA, 0, 0x21, VFU_IRQ_MSIX, 0, 0, NULL);
	memset(b, 0, sizeof(b));
	body32(b, 0, 24);
	body64(b, 8, 0x100000);
	body64(b, 16, FUZZ_VFU_RAM);
	msg(&s, VFU_CH_DATA, 0, VFU_DMA_UNMAP, 0, b, 24);
	save("vfu", "dma-command", &s);

	/* malformed */
	memset(&s, 0, sizeof(s));
	region_read(&s, VFU_REGION_CONFIG, 0, 4);	/* before VERSION */
	version(&s);
	msg(&s, VFU_CH_DATA, 0, 99, 0, NULL, 0);
	msg(&s, VFU_CH_DATA, 0, VFU_VERSION, VFU_F_TYPE_REPLY, NULL, 0);
	region_read(&s, VFU_REGION_CONFIG, 4090, 16);
	region_read(&s, VFU_REGION_BAR0, 0, 0x7fffffff);
	region_read(&s, 3, 0, 4);
	dma_map(&s, VFU_CH_PIPE, 3, 0, 0x200000, 0x1000);
	dma_map(&s, VFU_CH_DATA, 0, 0, 0x300000, 0x1000);	/* no fd */
	dma_map(&s, VFU_CH_DATA, 0, 0, 0x300800, 0x1000);	/* overlaps */
	set_irqs(&s, VFU_CH_EVENTFD, 19, 0x24, VFU_IRQ_MSIX, 0, 8, NULL);
	set_irqs(&s, VFU_CH_DATA, 0, 0x3f, VFU_IRQ_MSIX, 0, 1, NULL);
	memset(b, 0, sizeof(b));
	body32(b, 0, 24);
	body32(b, 4, 2);	/* VFIO_DMA_UNMAP_FLAG_ALL */
	msg(&s, VFU_CH_DATA, 0, VFU_DMA_UNMAP, 0, b, 24);
	body32(b, 4, 1);	/* dirty bitmap */
	msg(&s, VFU_CH_DATA, 0, VFU_DMA_UNMAP, 0, b, 24);
	{
		/* a header split over two writes, then a size below the header */
		struct vfu_hdr h = { 200, VFU_DEVICE_GET_INFO, 16 + 16, 0, 0 };

		memset(b, 0, sizeof(b));
		body32(b, 0, 16);
		put8(&s, VFU_CH_DATA << 5);
		put16(&s, 7);
		put(&s, &h, 7);
		put8(&s, VFU_CH_DATA << 5);
		put16(&s, 9 + 16);
		put(&s, (uint8_t *)&h + 7, 9);
		put(&s, b, 16);
		h.size = 8;
		put8(&s, VFU_CH_DATA << 5);
		put16(&s, 16);
		put(&s, &h, 16);
	}
	save("vfu", "malformed", &s);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0755) && errno != EEXIST) {
		perror(outdir);
		return 1;
	}
	gen_cmd();
	gen_vfu();
	return 0;
}
