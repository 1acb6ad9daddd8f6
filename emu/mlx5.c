// SPDX-License-Identifier: GPL-2.0
/*
 * ConnectX-5 PF model: config space, BAR0 init segment, command queue with
 * mailbox chains, and command-completion EQEs + MSI-X.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ifc.h"
#include "mlx5.h"

#define OFF(f) offsetof(struct emu_init_seg, f)
_Static_assert(OFF(cmdq_addr_h) == 0x10, "iseg");
_Static_assert(OFF(cmd_dbell) == 0x18, "iseg");
_Static_assert(OFF(initializing) == 0x1fc, "iseg");
_Static_assert(OFF(fw_ver) == 0x230, "iseg");
_Static_assert(OFF(rfr_severity) == 0x238, "iseg");
_Static_assert(OFF(synd) == 0x23d, "iseg");
_Static_assert(OFF(cmd_exec_to) == 0xff8, "iseg");
_Static_assert(OFF(health_counter) == 0x1010, "iseg");
_Static_assert(sizeof(struct emu_init_seg) == 0x2010, "iseg size");
_Static_assert(sizeof(struct emu_init_seg) <= EMU_MSIX_TABLE_OFF + 0x10, "iseg");
_Static_assert(sizeof(struct emu_cmd_layout) == 64, "cmd layout");
_Static_assert(offsetof(struct emu_cmd_layout, out) == 0x20, "cmd layout");
_Static_assert(sizeof(struct emu_cmd_block) == 576, "mailbox");
_Static_assert(sizeof(struct emu_eqe) == 64, "eqe");
_Static_assert(offsetof(struct emu_eqe, data) == 0x20, "eqe");

/* Firmware version reported: 16.35.4030 (a ConnectX-5 release line). */
#define FW_MAJOR 16
#define FW_MINOR 35
#define FW_SUB   4030
/* log_cmdq_size 5 (32 slots) << 4 | log_cmdq_stride 6 (64 B) */
#define CMDQ_SZ_STRIDE 0x56
/* timeouts: multiplier 1 (seconds) << 29 | value */
#define TO_SECONDS(s) ((1u << 29) | (s))

void emu_log(struct mlx5_emu *e, const char *fmt, ...)
{
	va_list ap;

	if (!e->log)
		return;
	va_start(ap, fmt);
	vfprintf(e->log, fmt, ap);
	va_end(ap);
	fputc('\n', e->log);
	fflush(e->log);
}

static void reg_set(struct mlx5_emu *e, size_t off, uint32_t v)
{
	v = htobe32(v);
	memcpy(e->regs + off, &v, 4);
}

static uint32_t reg_get(const struct mlx5_emu *e, size_t off)
{
	uint32_t v;

	memcpy(&v, e->regs + off, 4);
	return be32toh(v);
}

static void cfg16(struct mlx5_emu *e, unsigned int off, uint16_t v, uint16_t wmask)
{
	e->cfg[off] = v;
	e->cfg[off + 1] = v >> 8;
	e->cfg_wmask[off] = wmask;
	e->cfg_wmask[off + 1] = wmask >> 8;
}

static void cfg32(struct mlx5_emu *e, unsigned int off, uint32_t v, uint32_t wmask)
{
	cfg16(e, off, v, wmask);
	cfg16(e, off + 2, v >> 16, wmask >> 16);
}

/* Capability offsets in config space. */
#define CAP_PCIE 0x60
#define CAP_MSIX 0x9c

static void build_config(struct mlx5_emu *e)
{
	memset(e->cfg, 0, sizeof(e->cfg));
	memset(e->cfg_wmask, 0, sizeof(e->cfg_wmask));
	cfg16(e, 0x00, EMU_VENDOR_ID, 0);
	cfg16(e, 0x02, EMU_DEVICE_ID, 0);
	cfg16(e, 0x04, 0, 0x0546);		/* mem, master, parity, SERR, INTx dis. */
	cfg16(e, 0x06, 0x0010, 0);		/* capability list */
	cfg32(e, 0x08, 0x02000000, 0);		/* class: ethernet, rev 0 */
	e->cfg[0x0c] = 0; e->cfg_wmask[0x0c] = 0xff;	/* cache line */
	/* BAR0: 64-bit memory BAR of EMU_BAR0_SIZE; BAR1 holds the top half */
	cfg32(e, 0x10, 0x4, ~(EMU_BAR0_SIZE - 1));
	cfg32(e, 0x14, 0, 0xffffffff);
	cfg16(e, 0x2c, EMU_VENDOR_ID, 0);	/* subsystem vendor */
	cfg16(e, 0x2e, 0x0007, 0);		/* subsystem id */
	e->cfg[0x34] = CAP_PCIE;
	e->cfg[0x3c] = 0; e->cfg_wmask[0x3c] = 0xff;	/* interrupt line */
	e->cfg[0x3d] = 1;				/* INTA# (unused) */

	/* PCI Express capability v2, endpoint */
	e->cfg[CAP_PCIE] = 0x10;
	e->cfg[CAP_PCIE + 1] = CAP_MSIX;
	cfg16(e, CAP_PCIE + 0x02, 0x0002, 0);
	cfg32(e, CAP_PCIE + 0x04, 0x10008001, 0);	/* DevCap: MPS 256, FLR, RBER */
	cfg16(e, CAP_PCIE + 0x08, 0x2810, 0xffff);	/* DevCtl */
	cfg32(e, CAP_PCIE + 0x0c, 0x00000103 | (0 << 24), 0);	/* LnkCap: 8GT/s x16 */
	cfg16(e, CAP_PCIE + 0x10, 0, 0xffff);		/* LnkCtl */
	cfg16(e, CAP_PCIE + 0x12, 0x0103, 0);		/* LnkSta: 8GT/s x16 */
	cfg32(e, CAP_PCIE + 0x24, 0, 0);		/* DevCap2 */
	cfg16(e, CAP_PCIE + 0x28, 0, 0xffff);		/* DevCtl2 */
	cfg32(e, CAP_PCIE + 0x2c, 0x0000000e, 0);	/* LnkCap2: 2.5-8GT/s */
	cfg16(e, CAP_PCIE + 0x30, 0x0003, 0xffff);	/* LnkCtl2 */

	/* MSI-X: table and PBA in BAR0 */
	e->cfg[CAP_MSIX] = 0x11;
	e->cfg[CAP_MSIX + 1] = 0;
	cfg16(e, CAP_MSIX + 2, EMU_MSIX_VECTORS - 1, 0xc000);
	cfg32(e, CAP_MSIX + 4, EMU_MSIX_TABLE_OFF | 0, 0);
	cfg32(e, CAP_MSIX + 8, EMU_MSIX_PBA_OFF | 0, 0);
}

static void free_eqs(struct mlx5_emu *e)
{
	int i;

	for (i = 0; i < EMU_MAX_EQS; i++)
		emu_eq_free(&e->eq[i]);
	e->cmd_eq = -1;
}

/* Device state after power-on or function reset (config space survives). */
static void reset_state(struct mlx5_emu *e)
{
	memset(e->regs, 0, sizeof(e->regs));
	reg_set(e, OFF(fw_rev), (FW_MINOR << 16) | FW_MAJOR);
	reg_set(e, OFF(cmdif_rev_fw_sub), (5 << 16) | FW_SUB);
	reg_set(e, OFF(cmdq_addr_l_sz), CMDQ_SZ_STRIDE);
	reg_set(e, OFF(initializing), 0);
	reg_set(e, OFF(fw_ver), (FW_MAJOR << 24) | (FW_MINOR << 16) | FW_SUB);
	reg_set(e, OFF(cmd_exec_to), TO_SECONDS(10));
	reg_set(e, OFF(cmd_q_init_to), TO_SECONDS(2));
	e->cmdq_addr = 0;
	e->log_cmdq_size = CMDQ_SZ_STRIDE >> 4;
	e->log_cmdq_stride = CMDQ_SZ_STRIDE & 0xf;
	free_eqs(e);
	e->next_eqn = 1;
	memset(e->uar_used, 0, sizeof(e->uar_used));
	e->next_pd = 1;
	e->next_xrcd = 1;
	e->next_mkey = 1;
	e->next_td = 1;
	e->hca_enabled = e->hca_init = 0;
	e->issi = 0;
	if (e->uctx_live)
		emu_log(e, "uctx live=0 (reset)");
	memset(e->uid_live, 0, sizeof(e->uid_live));
	e->uctx_live = 0;
	emu_objs_reset(e);
	e->next_obj_id = 1;
	emu_state_write(e);
}

void emu_init(struct mlx5_emu *e, struct dma_table *dma)
{
	memset(e, 0, sizeof(*e));
	e->dma = dma;
	e->cmd_eq = -1;
	build_config(e);
	reset_state(e);
}

void emu_fini(struct mlx5_emu *e)
{
	free_eqs(e);
}

void emu_reset(struct mlx5_emu *e)
{
	emu_log(e, "device reset");
	build_config(e);
	reset_state(e);
}

int emu_cfg_read(struct mlx5_emu *e, uint64_t off, void *buf, uint32_t len)
{
	if (off > EMU_CFG_SIZE || len > EMU_CFG_SIZE - off)
		return -EINVAL;
	memcpy(buf, e->cfg + off, len);
	return 0;
}

int emu_cfg_write(struct mlx5_emu *e, uint64_t off, const void *buf, uint32_t len)
{
	const uint8_t *p = buf;
	uint32_t i;

	if (off > EMU_CFG_SIZE || len > EMU_CFG_SIZE - off)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		uint8_t m = e->cfg_wmask[off + i];

		e->cfg[off + i] = (e->cfg[off + i] & ~m) | (p[i] & m);
	}
	return 0;
}

int emu_bar0_read(struct mlx5_emu *e, uint64_t off, void *buf, uint32_t len)
{
	if (off > EMU_BAR0_SIZE || len > EMU_BAR0_SIZE - off)
		return -EINVAL;
	/* The health counter advances on every read that covers it. */
	if (off < OFF(health_counter) + 4 && off + len > OFF(health_counter))
		reg_set(e, OFF(health_counter), reg_get(e, OFF(health_counter)) + 1);
	memset(buf, 0, len);
	if (off < EMU_REGS_SIZE) {
		uint32_t n = len;

		if (n > EMU_REGS_SIZE - off)
			n = EMU_REGS_SIZE - off;
		memcpy(buf, e->regs + off, n);
	}
	return 0;
}

int emu_bar0_write(struct mlx5_emu *e, uint64_t off, const void *buf, uint32_t len)
{
	const uint8_t *p = buf;
	uint64_t dw;

	if (off > EMU_BAR0_SIZE || len > EMU_BAR0_SIZE - off)
		return -EINVAL;
	/* Only whole aligned dwords of the init segment have side effects. */
	for (dw = (off + 3) & ~3ull; dw + 4 <= off + len; dw += 4) {
		uint32_t v;

		memcpy(&v, p + (dw - off), 4);
		v = be32toh(v);
		switch (dw) {
		case OFF(cmdq_addr_h):
			reg_set(e, dw, v);
			e->cmdq_addr = ((uint64_t)v << 32) | (e->cmdq_addr & 0xffffffffu);
			break;
		case OFF(cmdq_addr_l_sz):
			/* keep size/stride, NIC interface bits read 0 */
			reg_set(e, dw, (v & ~0xfffu) | CMDQ_SZ_STRIDE);
			e->cmdq_addr = (e->cmdq_addr & ~0xffffffffull) | (v & ~0xfffu);
			emu_log(e, "cmdq addr=0x%llx", (unsigned long long)e->cmdq_addr);
			break;
		case OFF(cmd_dbell):
			emu_doorbell(e, v);
			break;
		default:
			/* UAR doorbells (EQ arm/CI) and everything else: ignored */
			break;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Command queue                                                        */

/*
 * Walk a mailbox chain of nblocks blocks starting at ptr.  Each block must be
 * reachable, 1 KiB aligned and numbered consecutively from 0, which also
 * bounds loops.  With data != NULL (inbox) the payload is gathered into data
 * (len bytes); the block addresses are returned in addrs (outbox).
 */
static int walk_chain(struct mlx5_emu *e, uint64_t ptr, uint32_t nblocks,
		      uint8_t *data, uint32_t len, uint64_t *addrs,
		      const char *what)
{
	struct emu_cmd_block blk;
	uint32_t i;

	for (i = 0; i < nblocks; i++) {
		if (!ptr || (ptr & (EMU_MBOX_ALIGN - 1))) {
			emu_log(e, "error: %s mailbox %u: bad pointer 0x%llx",
				what, i, (unsigned long long)ptr);
			return -EINVAL;
		}
		if (dma_read(e->dma, ptr, &blk, sizeof(blk))) {
			emu_log(e, "error: %s mailbox %u: address 0x%llx not in guest memory",
				what, i, (unsigned long long)ptr);
			return -EFAULT;
		}
		if (be32toh(blk.block_num) != i) {
			emu_log(e, "error: %s mailbox %u: block_num %u (loop or corrupt chain)",
				what, i, be32toh(blk.block_num));
			return -EINVAL;
		}
		if (data) {
			uint32_t n = len > EMU_MBOX_DATA ? EMU_MBOX_DATA : len;

			memcpy(data, blk.data, n);
			data += n;
			len -= n;
		}
		if (addrs)
			addrs[i] = ptr;
		ptr = be64toh(blk.next);
	}
	return 0;
}

static uint32_t nblocks_for(uint32_t len)
{
	return len <= 16 ? 0 : (len - 16 + EMU_MBOX_DATA - 1) / EMU_MBOX_DATA;
}

static void post_cmd_eqe(struct mlx5_emu *e, unsigned int slot)
{
	struct emu_eq *eq = &e->eq[e->cmd_eq];
	uint32_t nent = 1u << eq->log_size;
	uint32_t idx = eq->pi & (nent - 1);
	uint64_t off = (uint64_t)idx * sizeof(struct emu_eqe);
	uint64_t pgsz = 4096ull << eq->log_page_size;
	uint64_t pg = off / pgsz, addr;
	struct emu_eqe eqe;

	if (pg >= eq->npas) {
		emu_log(e, "error: eq %u: entry %u beyond its PAS list", eq->eqn, idx);
		return;
	}
	addr = eq->pas[pg] + (off % pgsz);
	memset(&eqe, 0, sizeof(eqe));
	eqe.type = EMU_EVENT_TYPE_CMD;
	eqe.data[0] = htobe32(1u << slot);
	eqe.owner = (eq->pi >> eq->log_size) & 1;
	/* body first, ownership byte last */
	if (dma_write(e->dma, addr, &eqe, sizeof(eqe) - 1) ||
	    dma_write(e->dma, addr + sizeof(eqe) - 1, &eqe.owner, 1)) {
		emu_log(e, "error: eq %u: EQE address 0x%llx not writable",
			eq->eqn, (unsigned long long)addr);
		return;
	}
	eq->pi++;
	if (e->irq)
		e->irq(e->irq_opaque, eq->intr);
}

static void run_slot(struct mlx5_emu *e, unsigned int slot)
{
	uint64_t laddr = e->cmdq_addr + ((uint64_t)slot << e->log_cmdq_stride);
	struct emu_cmd_layout lay;
	uint32_t inlen, outlen, nin, nout, i;
	uint8_t *in = NULL, *out = NULL;
	uint64_t *oaddr = NULL;
	uint8_t status;
	int created_cmd_eq = 0;
	int had_cmd_eq = e->cmd_eq >= 0;

	if (!e->cmdq_addr || dma_read(e->dma, laddr, &lay, sizeof(lay))) {
		emu_log(e, "error: cmdq slot %u: descriptor at 0x%llx not in guest memory",
			slot, (unsigned long long)laddr);
		return;
	}
	if (!(lay.status_own & EMU_CMD_OWNER_HW)) {
		emu_log(e, "error: cmdq slot %u: doorbell for a slot owned by software", slot);
		return;
	}
	inlen = be32toh(lay.inlen);
	outlen = be32toh(lay.outlen);
	memset(lay.out, 0, sizeof(lay.out));
	status = EMU_STAT_OK;

	if (inlen < 8 || inlen > EMU_MAX_MSG) {
		emu_log(e, "error: cmdq slot %u: bad inlen %u", slot, inlen);
		status = EMU_STAT_BAD_INP_LEN;
	} else if (outlen < 8 || outlen > EMU_MAX_MSG) {
		emu_log(e, "error: cmdq slot %u: bad outlen %u", slot, outlen);
		status = EMU_STAT_BAD_OUTP_LEN;
	}
	if (status == EMU_STAT_OK) {
		nin = nblocks_for(inlen);
		nout = nblocks_for(outlen);
		in = calloc(1, inlen < 16 ? 16 : inlen);
		out = calloc(1, outlen < 16 ? 16 : outlen);
		oaddr = calloc(nout ? nout : 1, sizeof(*oaddr));
		if (!in || !out || !oaddr) {
			status = EMU_STAT_INT_ERR;
		} else {
			memcpy(in, lay.in, inlen < 16 ? inlen : 16);
			if (inlen > 16 &&
			    walk_chain(e, be64toh(lay.in_ptr), nin, in + 16, inlen - 16,
				       NULL, "inbox"))
				status = EMU_STAT_BAD_INP_LEN;
			else if (walk_chain(e, be64toh(lay.out_ptr), nout, NULL, 0,
					    oaddr, "outbox"))
				status = EMU_STAT_BAD_OUTP_LEN;
		}
	}

	if (status == EMU_STAT_OK) {
		status = emu_exec(e, in, inlen, out, outlen, &created_cmd_eq);
		/* scatter the outbox: 16 bytes inline, the rest into mailboxes */
		memcpy(lay.out, out, outlen < 16 ? outlen : 16);
		for (i = 0; i < nout; i++) {
			uint32_t done = 16 + i * EMU_MBOX_DATA;
			uint32_t n = outlen - done > EMU_MBOX_DATA ? EMU_MBOX_DATA : outlen - done;

			if (dma_write(e->dma, oaddr[i], out + done, n)) {
				emu_log(e, "error: outbox mailbox %u not writable", i);
				break;
			}
		}
	} else {
		uint16_t op = 0, op_mod = 0, uid = 0, tunnel = 0;

		if (inlen >= 8) {
			op = MLX5_GET(mbox_in, lay.in, opcode);
			op_mod = MLX5_GET(mbox_in, lay.in, op_mod);
			uid = MLX5_GET(mbox_in, lay.in, uid);
			tunnel = MLX5_GET(general_obj_in_cmd_hdr, lay.in, vhca_tunnel_id);
		}
		MLX5_SET(mbox_out, lay.out, status, status);
		emu_log_cmd(e, op, op_mod, uid, tunnel, inlen, status);
	}
	free(in);
	free(out);
	free(oaddr);

	/* output first, then hand the slot back (delivery status 0, owner SW) */
	lay.status_own = 0;
	if (dma_write(e->dma, laddr + offsetof(struct emu_cmd_layout, out), lay.out,
		      sizeof(lay.out)) ||
	    dma_write(e->dma, laddr + offsetof(struct emu_cmd_layout, status_own),
		      &lay.status_own, 1)) {
		emu_log(e, "error: cmdq slot %u: descriptor not writable", slot);
		return;
	}
	e->ncmds++;
	/*
	 * Once a command EQ exists, completions are reported as EQEs.  The
	 * command that created it completes by polling only.
	 */
	if (had_cmd_eq && e->cmd_eq >= 0 && !created_cmd_eq)
		post_cmd_eqe(e, slot);
}

void emu_doorbell(struct mlx5_emu *e, uint32_t mask)
{
	unsigned int slot, nslots = 1u << e->log_cmdq_size;

	if (nslots < 32 && (mask >> nslots))
		emu_log(e, "error: doorbell 0x%x names slots beyond %u", mask, nslots);
	for (slot = 0; slot < nslots && slot < 32; slot++)
		if (mask & (1u << slot))
			run_slot(e, slot);
}
