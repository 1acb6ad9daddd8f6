/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal ConnectX-5 PF model: PCI config space, BAR0, command interface. */
#ifndef EMU_MLX5_H
#define EMU_MLX5_H

#include <stdint.h>
#include <stdio.h>

#include "dma.h"

#define EMU_VENDOR_ID		0x15b3
#define EMU_DEVICE_ID		0x1017		/* ConnectX-5 PF */
#define EMU_CFG_SIZE		4096
#define EMU_BAR0_SIZE		(1u << 20)
#define EMU_MSIX_VECTORS	8
#define EMU_MSIX_TABLE_OFF	0x2000
#define EMU_MSIX_PBA_OFF	0x3000
#define EMU_REGS_SIZE		0x4000		/* iseg + MSI-X table/PBA pages */
#define EMU_UAR_FIRST		16		/* first UAR page index in BAR0 */
#define EMU_NUM_UARS		(EMU_BAR0_SIZE / 4096)
#define EMU_MAX_EQS		16
#define EMU_MAX_UIDS		1024
#define EMU_MAX_MSG		(1u << 20)	/* largest inbox/outbox accepted */
#define EMU_MAX_OBJS		512		/* general objects + umems */
#define EMU_OBJ_CTX_MAX		512		/* object context bytes kept */
#define EMU_OBJ_ID_MASK		0xffffffu	/* ids fit umem_id[0x18] too */
/* uctx_cap: RAW_TX | INTERNAL_DEV_RES | TOOLS_RESOURCES (fwctl) */
#define EMU_UCTX_CAP			0x7
/* general object types the model implements (bit n = obj_type n) */
#define EMU_OBJ_TYPE_VIRTIO_NET_Q	0x000d
#define EMU_OBJ_TYPE_MATCH_DEFINER	0x0018
#define EMU_GENERAL_OBJ_TYPES		((1ull << EMU_OBJ_TYPE_VIRTIO_NET_Q) | \
					 (1ull << EMU_OBJ_TYPE_MATCH_DEFINER))
/*
 * VHCA tunnel: the one other function a command can reach by carrying this
 * vhca_tunnel_id in its header (general_obj_in_cmd_hdr).  Any other non-zero
 * id is BAD_PARAM.  vhca_tunnel_commands is only tested for != 0 by Linux
 * (devx_is_general_cmd); mlx5_ifc.h names no bits and the model reads none.
 */
#define EMU_TUNNEL_VHCA_ID		1
#define EMU_VHCA_TUNNEL_COMMANDS	0x1ull

/*
 * Mirrors of device-side structures from include/linux/mlx5/device.h (not
 * part of mlx5_ifc.h).  Multi-byte fields are big-endian; offsets are checked
 * with static asserts in mlx5.c.
 */
struct emu_init_seg {
	uint32_t fw_rev;
	uint32_t cmdif_rev_fw_sub;
	uint32_t rsvd0[2];
	uint32_t cmdq_addr_h;
	uint32_t cmdq_addr_l_sz;
	uint32_t cmd_dbell;
	uint32_t rsvd1[120];
	uint32_t initializing;
	/* struct health_buffer */
	uint32_t assert_var[6];
	uint32_t hrsvd0[2];
	uint32_t assert_exit_ptr;
	uint32_t assert_callra;
	uint32_t hrsvd1[1];
	uint32_t time;
	uint32_t fw_ver;
	uint32_t hw_id;
	uint8_t rfr_severity;
	uint8_t hrsvd2[3];
	uint8_t irisc_index;
	uint8_t synd;
	uint16_t ext_synd;
	/* end of health_buffer */
	uint32_t rsvd2[878];
	uint32_t cmd_exec_to;
	uint32_t cmd_q_init_to;
	uint32_t internal_timer_h;
	uint32_t internal_timer_l;
	uint32_t rsvd3[2];
	uint32_t health_counter;
	uint32_t rsvd4[11];
	uint32_t real_time_h;
	uint32_t real_time_l;
	uint32_t rsvd5[1006];
	uint64_t ieee1588_clk;
	uint32_t ieee1588_clk_type;
	uint32_t clr_intx;
} __attribute__((packed));

struct emu_cmd_layout {
	uint8_t type;
	uint8_t rsvd0[3];
	uint32_t inlen;
	uint64_t in_ptr;
	uint8_t in[16];
	uint8_t out[16];
	uint64_t out_ptr;
	uint32_t outlen;
	uint8_t token;
	uint8_t sig;
	uint8_t rsvd1;
	uint8_t status_own;
} __attribute__((packed));

#define EMU_MBOX_DATA	512
struct emu_cmd_block {
	uint8_t data[EMU_MBOX_DATA];
	uint8_t rsvd0[48];
	uint64_t next;
	uint32_t block_num;
	uint8_t rsvd1;
	uint8_t token;
	uint8_t ctrl_sig;
	uint8_t sig;
} __attribute__((packed));
#define EMU_MBOX_ALIGN	1024	/* the driver's dma_pool alignment */

struct emu_eqe {
	uint8_t rsvd0;
	uint8_t type;
	uint8_t rsvd1;
	uint8_t sub_type;
	uint32_t rsvd2[7];
	uint32_t data[7];	/* union ev_data; cmd: data[0] = vector */
	uint16_t rsvd3;
	uint8_t signature;
	uint8_t owner;
} __attribute__((packed));

/* Values from include/linux/mlx5/device.h. */
enum {
	EMU_CMD_OWNER_HW	= 0x1,
	EMU_EVENT_TYPE_CMD	= 0x0a,
	EMU_STAT_OK		= 0x00,
	EMU_STAT_INT_ERR	= 0x01,
	EMU_STAT_BAD_OP		= 0x02,
	EMU_STAT_BAD_PARAM	= 0x03,
	EMU_STAT_BAD_SYS_STATE	= 0x04,
	EMU_STAT_BAD_RES	= 0x05,
	EMU_STAT_BAD_RES_STATE	= 0x09,
	EMU_STAT_LIM		= 0x08,
	EMU_STAT_BAD_INP_LEN	= 0x50,
	EMU_STAT_BAD_OUTP_LEN	= 0x51,
};

struct emu_eq {
	int used;
	uint8_t eqn;
	uint8_t log_size;
	uint8_t log_page_size;
	uint16_t intr;
	uint64_t mask[4];
	uint64_t *pas;
	uint32_t npas;
	uint32_t pi;		/* producer index */
};

/* a DEVX-visible object: CREATE_GENERAL_OBJECT or CREATE_UMEM */
enum { EMU_OBJ_FREE, EMU_OBJ_GENERAL, EMU_OBJ_UMEM };
struct emu_obj {
	uint8_t kind;
	uint16_t uid;		/* owner; 0 = kernel */
	uint16_t obj_type;	/* general objects */
	uint32_t id;
	uint16_t tunnel;	/* vhca_tunnel_id it was created through; 0 = the PF */
	uint64_t num_mtt;	/* umems */
	uint32_t ctx_len;	/* bytes of ctx[] that are valid */
	uint8_t ctx[EMU_OBJ_CTX_MAX];	/* object context as last created/modified */
};

struct mlx5_emu {
	struct dma_table *dma;
	uint8_t cfg[EMU_CFG_SIZE];
	uint8_t cfg_wmask[EMU_CFG_SIZE];
	uint8_t regs[EMU_REGS_SIZE];	/* init segment etc., big-endian */

	uint64_t cmdq_addr;
	unsigned int log_cmdq_size, log_cmdq_stride;

	struct emu_eq eq[EMU_MAX_EQS];
	int cmd_eq;			/* index into eq[] or -1 */
	uint32_t next_eqn;
	uint8_t uar_used[EMU_NUM_UARS];
	uint32_t next_pd, next_xrcd, next_mkey, next_td;
	uint8_t uid_live[EMU_MAX_UIDS];
	unsigned int uctx_live;
	struct emu_obj obj[EMU_MAX_OBJS];
	unsigned int obj_live;		/* general objects + umems */
	unsigned int umem_live;		/* umems only */
	unsigned int tunnel_obj_live;	/* of those, created through the VHCA tunnel */
	uint32_t next_obj_id;
	int hca_enabled, hca_init;
	uint16_t issi;

	/* interrupt delivery: vec is the MSI-X vector */
	void (*irq)(void *opaque, unsigned int vec);
	void *irq_opaque;

	FILE *log;		/* oracle log, may be NULL */
	const char *state_path;	/* --state: uctx_live=, obj_live=, umem_live=, tunnel_obj_live= */
	unsigned long ncmds;
};

void emu_init(struct mlx5_emu *e, struct dma_table *dma);
void emu_reset(struct mlx5_emu *e);
void emu_fini(struct mlx5_emu *e);	/* frees EQ state */
/* config space; returns 0 or -EINVAL for out-of-range */
int emu_cfg_read(struct mlx5_emu *e, uint64_t off, void *buf, uint32_t len);
int emu_cfg_write(struct mlx5_emu *e, uint64_t off, const void *buf, uint32_t len);
/* BAR0 */
int emu_bar0_read(struct mlx5_emu *e, uint64_t off, void *buf, uint32_t len);
int emu_bar0_write(struct mlx5_emu *e, uint64_t off, const void *buf, uint32_t len);
/* execute the command slots in mask (what a doorbell write does) */
void emu_doorbell(struct mlx5_emu *e, uint32_t mask);

/* cmds.c */
/*
 * Run one command: in/inlen is the full inbox, out/outlen the (zeroed)
 * outbox.  Writes status and syndrome into out and returns the status.
 */
uint8_t emu_exec(struct mlx5_emu *e, const uint8_t *in, uint32_t inlen,
		 uint8_t *out, uint32_t outlen, int *created_cmd_eq);
const char *emu_opcode_name(uint16_t op);
/* the oracle's "cmd opcode=..." line; " tunnel=N" is appended for N != 0 */
void emu_log_cmd(struct mlx5_emu *e, uint16_t op, uint16_t op_mod, uint16_t uid,
		 uint16_t tunnel, uint32_t inlen, uint8_t status);
void emu_log(struct mlx5_emu *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void emu_eq_free(struct emu_eq *eq);
/* rewrite the --state file (no-op without one) */
void emu_state_write(struct mlx5_emu *e);
/* forget all objects (device reset); logs if any were alive */
void emu_objs_reset(struct mlx5_emu *e);

#endif
