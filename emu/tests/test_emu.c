// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests for mlx5-emu (no QEMU): ifc accessors, DMA table,
 * command queue incl. malformed mailbox chains, EQE ownership, uctx
 * tracking, and malformed vfio-user messages.  Output is TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "ifc.h"
#include "dma.h"
#include "mlx5.h"
#include "vfu.h"

static int ntest, nfail;

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d ", cond ? "" : "not ", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* ---------------------------------------------------------------- */
/* a fake guest: 1 MiB of RAM at GPA 0x100000                        */

#define GPA	0x100000ull
#define GSIZE	(1u << 20)
static uint8_t *gmem;
static struct dma_table dma;
static struct mlx5_emu emu;
static FILE *logf_;
static char *logbuf;
static size_t loglen;
static unsigned int irqs, last_vec;

static void on_irq(void *opaque, unsigned int vec)
{
	(void)opaque;
	irqs++;
	last_vec = vec;
}

static void *g(uint64_t gpa)
{
	return gmem + (gpa - GPA);
}

static void be32w(void *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, 4);
}

static uint32_t be32r(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return be32toh(v);
}

static void bar_w32(uint64_t off, uint32_t v)
{
	uint8_t b[4];

	be32w(b, v);
	emu_bar0_write(&emu, off, b, 4);
}

static uint32_t bar_r32(uint64_t off)
{
	uint8_t b[4];

	emu_bar0_read(&emu, off, b, 4);
	return be32r(b);
}

static int log_has(const char *s)
{
	fflush(logf_);
	return logbuf && strstr(logbuf, s) != NULL;
}

static void log_clear(void)
{
	fflush(logf_);
	rewind(logf_);
	if (logbuf)
		memset(logbuf, 0, loglen);
}

#define CMDQ	(GPA + 0x1000)
#define MBOX	(GPA + 0x10000)		/* mailbox area, 1 KiB apart */
#define EQBUF	(GPA + 0x80000)

static void setup(void)
{
	if (!gmem) {
		gmem = aligned_alloc(4096, GSIZE);
		logf_ = open_memstream(&logbuf, &loglen);
	}
	memset(gmem, 0, GSIZE);
	dma_remove_all(&dma);
	dma_add(&dma, GPA, GSIZE, gmem, 1, NULL, 0);
	emu_fini(&emu);
	emu_init(&emu, &dma);
	emu.log = logf_;
	emu.irq = on_irq;
	irqs = 0;
	bar_w32(0x10, (uint32_t)(CMDQ >> 32));
	bar_w32(0x14, (uint32_t)CMDQ);
}

static struct emu_cmd_layout *slot(unsigned int i)
{
	return g(CMDQ + i * 64);
}

/* chain n mailboxes starting at MBOX + first*1024 */
static uint64_t chain(unsigned int first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct emu_cmd_block *b = g(MBOX + (first + i) * 1024ull);

		memset(b, 0, sizeof(*b));
		b->block_num = htobe32(i);
		b->next = i + 1 < n ? htobe64(MBOX + (first + i + 1) * 1024ull) : 0;
	}
	return n ? MBOX + first * 1024ull : 0;
}

/*
 * Run one command in slot s; in[] is copied inline + into an input chain
 * at mailbox 0.., the outbox chain starts at mailbox 64.  Returns the output
 * status byte (or -1 if the slot was not returned to software); the full
 * outbox is gathered into out.
 */
static int run(unsigned int s, const void *in, uint32_t inlen, void *out, uint32_t outlen)
{
	struct emu_cmd_layout *l = slot(s);
	unsigned int nin = inlen > 16 ? (inlen - 16 + 511) / 512 : 0;
	unsigned int nout = outlen > 16 ? (outlen - 16 + 511) / 512 : 0;
	unsigned int i;

	memset(l, 0, sizeof(*l));
	l->type = 7;
	l->inlen = htobe32(inlen);
	l->outlen = htobe32(outlen);
	memcpy(l->in, in, inlen < 16 ? inlen : 16);
	l->in_ptr = htobe64(chain(0, nin));
	for (i = 0; i < nin; i++) {
		uint32_t done = 16 + i * 512, n = inlen - done > 512 ? 512 : inlen - done;

		memcpy(((struct emu_cmd_block *)g(MBOX + i * 1024ull))->data,
		       (const uint8_t *)in + done, n);
	}
	l->out_ptr = htobe64(chain(64, nout));
	l->status_own = 1;
	bar_w32(0x18, 1u << s);
	if (l->status_own & 1)
		return -1;
	if (out) {
		memcpy(out, l->out, outlen < 16 ? outlen : 16);
		for (i = 0; i < nout; i++) {
			uint32_t done = 16 + i * 512, n = outlen - done > 512 ? 512 : outlen - done;

			memcpy((uint8_t *)out + done,
			       ((struct emu_cmd_block *)g(MBOX + (64 + i) * 1024ull))->data, n);
		}
	}
	return l->out[0];
}

static void hdr(void *in, uint16_t op, uint16_t op_mod)
{
	MLX5_SET(mbox_in, in, opcode, op);
	MLX5_SET(mbox_in, in, op_mod, op_mod);
}

/* ---------------------------------------------------------------- */

static void test_ifc(void)
{
	uint8_t cap[MLX5_ST_SZ_BYTES(cmd_hca_cap)] = { 0 };
	uint8_t in[16] = { 0 };

	ok(MLX5_ST_SZ_BYTES(query_hca_cap_out) == 4112, "ifc: query_hca_cap_out is 4112 bytes");
	ok(IFC_BIT_OFF(cmd_hca_cap, uctx_cap) == 0x6a0 && IFC_BIT_OFF(cmd_hca_cap, port_type) == 0x1b6,
	   "ifc: uctx_cap/port_type offsets come from mlx5_ifc.h");
	ok(IFC_BIT_OFF(cmd_hca_cap, vhca_tunnel_commands) == 0x780 &&
	   IFC_BIT_SZ(cmd_hca_cap, vhca_tunnel_commands) == 0x40 &&
	   IFC_BIT_OFF(general_obj_in_cmd_hdr, vhca_tunnel_id) == 0x20 &&
	   IFC_BIT_SZ(general_obj_in_cmd_hdr, vhca_tunnel_id) == 0x10,
	   "ifc: vhca_tunnel_commands at bit 0x780 (64 bits), vhca_tunnel_id at bit 0x20 (16 bits)");
	MLX5_SET(cmd_hca_cap, cap, port_type, 1);
	MLX5_SET(cmd_hca_cap, cap, uctx_cap, 0xdeadbeef);
	ok(MLX5_GET(cmd_hca_cap, cap, port_type) == 1 &&
	   MLX5_GET(cmd_hca_cap, cap, uctx_cap) == 0xdeadbeef &&
	   be32r(cap + 0x6a0 / 8) == 0xdeadbeef && (be32r(cap + 0x1a0 / 8) & 0x300) == 0x100,
	   "ifc: MLX5_SET/MLX5_GET big-endian round trip");
	MLX5_SET(cmd_hca_cap, cap, port_type, 7);	/* truncated to 2 bits */
	ok(MLX5_GET(cmd_hca_cap, cap, port_type) == 3 && MLX5_GET(cmd_hca_cap, cap, uctx_cap) == 0xdeadbeef,
	   "ifc: MLX5_SET masks to the field width");
	hdr(in, MLX5_CMD_OP_QUERY_HCA_CAP, 0x1234);
	ok(in[0] == 0x01 && in[1] == 0x00 && in[6] == 0x12 && in[7] == 0x34,
	   "ifc: command header opcode/op_mod placement");
}

static void test_dma(void)
{
	struct dma_table t;
	uint8_t a[64], b[64], buf[32];

	dma_init(&t);
	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	ok(dma_add(&t, 0x1000, 64, a, 1, NULL, 0) == 0 &&
	   dma_add(&t, 0x1040, 64, b, 1, NULL, 0) == 0, "dma: add two adjacent windows");
	ok(dma_add(&t, 0x1030, 8, a, 1, NULL, 0) == -EEXIST, "dma: overlapping map is EEXIST");
	ok(dma_add(&t, ~0ull - 4, 16, a, 1, NULL, 0) == -EINVAL, "dma: wrapping map is EINVAL");
	ok(dma_read(&t, 0x1030, buf, 32) == 0 && buf[0] == 0xaa && buf[31] == 0xbb,
	   "dma: read spanning two windows");
	ok(dma_read(&t, 0x1070, buf, 32) == -EFAULT, "dma: read past the end is EFAULT");
	ok(dma_read(&t, 0xfff, buf, 2) == -EFAULT, "dma: read before the start is EFAULT");
	ok(dma_read(&t, ~0ull - 2, buf, 8) == -EFAULT, "dma: address wrap is EFAULT");
	ok(dma_add(&t, 0x9000, 64, NULL, 0, NULL, 0) == 0 &&
	   dma_read(&t, 0x9000, buf, 4) == -EFAULT, "dma: fd-less window is not accessible");
	ok(dma_add(&t, 0xa000, 64, a, 0, NULL, 0) == 0 &&
	   dma_write(&t, 0xa000, buf, 4) == -EFAULT && dma_read(&t, 0xa000, buf, 4) == 0,
	   "dma: read-only window refuses writes");
	ok(dma_remove(&t, 0x1000, 32) == -ENOENT && dma_remove(&t, 0x1000, 64) == 0 &&
	   dma_read(&t, 0x1000, buf, 1) == -EFAULT, "dma: unmap needs an exact match");
	dma_remove_all(&t);
}

static void test_regs(void)
{
	uint32_t h1, h2;

	setup();
	ok(bar_r32(0x4) >> 16 == 5, "iseg: cmdif revision 5 (big-endian)");
	ok((bar_r32(0x14) & 0xff) == 0x56, "iseg: cmdq log size/stride 0x56 after address write");
	ok(bar_r32(0x1fc) == 0, "iseg: not initializing");
	h1 = bar_r32(0x1010);
	h2 = bar_r32(0x1010);
	ok(h2 == h1 + 1, "iseg: health counter advances on every read");
	ok(bar_r32(0xffc) != 0 && bar_r32(0xff8) != 0, "iseg: non-zero command timeouts");
	ok(emu_bar0_read(&emu, EMU_BAR0_SIZE - 2, &h1, 4) == -EINVAL,
	   "bar0: access past the BAR is refused");
	{
		uint8_t v[4] = { 0xff, 0xff, 0xff, 0xff }, r[4];

		emu_cfg_write(&emu, 0x10, v, 4);
		emu_cfg_read(&emu, 0x10, r, 4);
		ok(r[0] == 4 && r[1] == 0 && r[2] == 0xf0 && r[3] == 0xff,
		   "config: BAR0 sizing reads back the size mask");
		emu_cfg_write(&emu, 0x00, v, 4);
		emu_cfg_read(&emu, 0x00, r, 4);
		ok(r[0] == 0xb3 && r[1] == 0x15 && r[2] == 0x17 && r[3] == 0x10,
		   "config: vendor/device id read-only");
		ok(emu_cfg_read(&emu, 4094, r, 4) == -EINVAL, "config: out-of-range read refused");
	}
}

static void test_commands(void)
{
	uint8_t in[64] = { 0 }, out[4112];
	int st;

	setup();
	hdr(in, MLX5_CMD_OP_QUERY_ISSI, 0);
	st = run(0, in, 16, out, MLX5_ST_SZ_BYTES(query_issi_out));
	ok(st == 0 && (MLX5_GET(query_issi_out, out, supported_issi_dw0) & 2),
	   "cmd: QUERY_ISSI inline, mailbox out, polled completion");
	ok(log_has("cmd opcode=0x010a op_mod=0x0000 uid=0 inlen=16 status=0x00"),
	   "cmd: oracle log line");

	memset(in, 0, sizeof(in));
	hdr(in, MLX5_CMD_OP_QUERY_HCA_CAP, 1);
	memset(out, 0xee, sizeof(out));
	st = run(3, in, 16, out, 4112);
	ok(st == 0 && MLX5_GET(query_hca_cap_out, out, status) == 0,
	   "cmd: QUERY_HCA_CAP through 8 outbox mailboxes (slot 3)");
	{
		void *cap = MLX5_ADDR_OF(query_hca_cap_out, out, capability);

		ok(MLX5_GET(cmd_hca_cap, cap, uctx_cap) != 0 && MLX5_GET(cmd_hca_cap, cap, port_type) == 1 &&
		   MLX5_GET(cmd_hca_cap, cap, page_request_disable) == 1 && out[4111] == 0,
		   "cmd: capability blob (uctx_cap, ETH, no pages EQ) fully written");
	}

	memset(in, 0, sizeof(in));
	hdr(in, 0x7777, 5);
	log_clear();
	st = run(1, in, 16, out, 16);
	ok(st == EMU_STAT_BAD_OP && log_has("opcode=0x7777 op_mod=0x0005") && log_has("status=0x02"),
	   "cmd: unknown opcode -> BAD_OP and logged");

	hdr(in, MLX5_CMD_OP_QUERY_HCA_CAP, 1);
	st = run(0, in, 16, out, 64);
	ok(st == EMU_STAT_BAD_OUTP_LEN, "cmd: outbox too short -> BAD_OUTP_LEN");
	hdr(in, MLX5_CMD_OP_DESTROY_EQ, 0);
	st = run(0, in, 8, out, 16);
	ok(st == EMU_STAT_BAD_INP_LEN, "cmd: inbox shorter than the command -> BAD_INP_LEN");
	st = run(0, in, 4, out, 16);
	ok(st == EMU_STAT_BAD_INP_LEN, "cmd: inlen < 8 -> BAD_INP_LEN");
	/* inlen absurdly large: refused before any mailbox walk */
	{
		struct emu_cmd_layout *l = slot(2);

		memset(l, 0, sizeof(*l));
		hdr(l->in, MLX5_CMD_OP_NOP, 0);
		l->inlen = htobe32(0x7fffffff);
		l->outlen = htobe32(16);
		l->status_own = 1;
		bar_w32(0x18, 1 << 2);
		ok(!(l->status_own & 1) && l->out[0] == EMU_STAT_BAD_INP_LEN,
		   "cmd: inlen 0x7fffffff -> BAD_INP_LEN, slot completed");
	}
	/* ACCESS_REG: the log says which register and which way */
	memset(in, 0, sizeof(in));
	hdr(in, MLX5_CMD_OP_ACCESS_REG, 0);
	MLX5_SET(access_register_in, in, register_id, 0x5006);
	log_clear();
	st = run(0, in, 16, out, 16);
	ok(st == 0 && log_has("cmd opcode=0x0805 op_mod=0x0000") &&
	   log_has("access_reg reg=0x5006 write"), "cmd: ACCESS_REG write of PAOS logged as a write");
	hdr(in, MLX5_CMD_OP_ACCESS_REG, 1);
	MLX5_SET(access_register_in, in, register_id, 0x5006);
	log_clear();
	st = run(0, in, 16, out, 16);
	ok(st == 0 && log_has("cmd opcode=0x0805 op_mod=0x0001") &&
	   log_has("access_reg reg=0x5006 read") && !log_has("write"),
	   "cmd: ACCESS_REG read of PAOS logged as a read");
	MLX5_SET(access_register_in, in, register_id, 0x9001);
	log_clear();
	st = run(0, in, 16, out, 16);
	ok(st == EMU_STAT_BAD_PARAM && !log_has("access_reg reg="),
	   "cmd: ACCESS_REG of an unmodelled register refused, no access logged");

	/* doorbell for a slot software owns: ignored */
	slot(4)->status_own = 0;
	log_clear();
	bar_w32(0x18, 1 << 4);
	ok(log_has("owned by software"), "cmd: doorbell on a software-owned slot is ignored");
}

static void test_malformed_chains(void)
{
	uint8_t in[1024] = { 0 }, out[4112];
	struct emu_cmd_layout *l;
	struct emu_cmd_block *b;

	setup();
	/* CREATE_EQ-sized inbox: 16 inline + 2 mailboxes */
	hdr(in, MLX5_CMD_OP_NOP, 0);
	l = slot(0);
	memset(l, 0, sizeof(*l));
	memcpy(l->in, in, 16);
	l->inlen = htobe32(600);
	l->outlen = htobe32(16);
	l->in_ptr = htobe64(chain(0, 2));
	b = g(MBOX + 1024);
	b->next = htobe64(MBOX + 1024);	/* loop: block 1 -> itself */
	l->status_own = 1;
	bar_w32(0x18, 1);
	ok(!(l->status_own & 1) && l->out[0] == 0, "chain: correct 2-block inbox accepted");

	l->inlen = htobe32(16 + 512 * 3);
	l->status_own = 1;
	log_clear();
	bar_w32(0x18, 1);
	ok(!(l->status_own & 1) && l->out[0] == EMU_STAT_BAD_INP_LEN && log_has("block_num"),
	   "chain: self-loop detected (block_num) -> BAD_INP_LEN");

	l->inlen = htobe32(600);
	l->in_ptr = htobe64(GPA + GSIZE + 0x10000);
	l->status_own = 1;
	log_clear();
	bar_w32(0x18, 1);
	ok(!(l->status_own & 1) && l->out[0] == EMU_STAT_BAD_INP_LEN && log_has("not in guest memory"),
	   "chain: inbox pointer outside guest memory -> error status");

	l->in_ptr = htobe64(MBOX + 8);
	l->status_own = 1;
	bar_w32(0x18, 1);
	ok(l->out[0] == EMU_STAT_BAD_INP_LEN, "chain: unaligned mailbox pointer -> error status");

	l->in_ptr = htobe64(GPA + GSIZE - 512);	/* block straddles the end */
	l->status_own = 1;
	bar_w32(0x18, 1);
	ok(l->out[0] == EMU_STAT_BAD_INP_LEN, "chain: mailbox straddling end of memory -> error");

	l->in_ptr = 0;
	l->status_own = 1;
	bar_w32(0x18, 1);
	ok(l->out[0] == EMU_STAT_BAD_INP_LEN, "chain: NULL next while data remains -> error");

	/* broken outbox chain: the command is not executed */
	memset(in, 0, 16);
	hdr(in, MLX5_CMD_OP_CREATE_UCTX, 0);
	l->inlen = htobe32(16);
	memcpy(l->in, in, 16);
	l->outlen = htobe32(4112);
	l->out_ptr = htobe64(GPA + 2 * GSIZE);
	l->status_own = 1;
	bar_w32(0x18, 1);
	ok(l->out[0] == EMU_STAT_BAD_OUTP_LEN && emu.uctx_live == 0,
	   "chain: bad outbox pointer -> BAD_OUTP_LEN, command not executed");

	/* descriptor itself unreachable: cmdq moved outside guest memory */
	bar_w32(0x10, 0x7);
	log_clear();
	bar_w32(0x18, 1);
	ok(log_has("descriptor at"), "cmdq: descriptor outside guest memory is logged, no crash");
	bar_w32(0x10, (uint32_t)(CMDQ >> 32));
	(void)out;
}

static void create_eq(unsigned int s, unsigned int log_size, uint64_t mask0, unsigned int npas,
		      int *eqn, int *status)
{
	uint8_t in[MLX5_ST_SZ_BYTES(create_eq_in) + 8 * 4] = { 0 };
	uint8_t out[MLX5_ST_SZ_BYTES(create_eq_out)];
	void *eqc = MLX5_ADDR_OF(create_eq_in, in, eq_context_entry);
	unsigned int i;

	hdr(in, MLX5_CMD_OP_CREATE_EQ, 0);
	MLX5_SET(eqc, eqc, log_eq_size, log_size);
	MLX5_SET(eqc, eqc, intr, 0);
	ifc_set64(in, IFC_BIT_OFF(create_eq_in, event_bitmask), mask0);
	for (i = 0; i < npas; i++)
		ifc_set64(in, IFC_BIT_OFF(create_eq_in, pas) + 64 * i, EQBUF + i * 4096ull);
	*status = run(s, in, MLX5_ST_SZ_BYTES(create_eq_in) + 8 * npas, out, sizeof(out));
	*eqn = MLX5_GET(create_eq_out, out, eq_number);
}

static void test_eq(void)
{
	uint8_t in[16] = { 0 }, out[16];
	struct emu_eqe *eqe = g(EQBUF);
	unsigned int i, good = 1;
	int eqn, st;

	setup();
	for (i = 0; i < 4; i++)
		eqe[i].owner = 1;	/* as init_eq_buf() does */
	create_eq(0, 2, 1ull << EMU_EVENT_TYPE_CMD, 0, &eqn, &st);
	ok(st == EMU_STAT_BAD_INP_LEN, "eq: CREATE_EQ without enough PAS entries refused");
	create_eq(0, 2, 1ull << EMU_EVENT_TYPE_CMD, 1, &eqn, &st);
	ok(st == 0 && eqn > 0 && irqs == 0 && eqe[0].owner == 1,
	   "eq: command EQ created by polling, no EQE for its own creation");

	hdr(in, MLX5_CMD_OP_NOP, 0);
	for (i = 0; i < 9; i++) {
		unsigned int s = i % 3;

		st = run(s, in, 16, out, 16);
		if (st != 0 || irqs != i + 1 || last_vec != 0)
			good = 0;
		/* entry i%4; owner flips every pass over the 4-entry ring */
		if (eqe[i % 4].type != EMU_EVENT_TYPE_CMD ||
		    be32toh(eqe[i % 4].data[0]) != (1u << s) ||
		    eqe[i % 4].owner != ((i >> 2) & 1))
			good = 0;
	}
	ok(good, "eq: 9 completions -> EQE type 0x0a, vector 1<<slot, owner = pass parity, MSI-X 0 each");
	ok(eqe[0].owner == 0 && eqe[1].owner == 1 && eqe[3].owner == 1,
	   "eq: ring after 9 EQEs has the expected owner pattern");

	memset(in, 0, sizeof(in));
	hdr(in, MLX5_CMD_OP_DESTROY_EQ, 0);
	MLX5_SET(destroy_eq_in, in, eq_number, eqn);
	i = irqs;
	st = run(0, in, 16, out, 16);
	ok(st == 0 && irqs == i && emu.cmd_eq < 0, "eq: DESTROY_EQ returns to polling, no EQE");
	st = run(0, in, 16, out, 16);
	ok(st == EMU_STAT_BAD_RES, "eq: destroying an unknown EQ -> BAD_RES");

	/* an EQ whose PAS points outside guest memory: EQE dropped, logged */
	{
		uint8_t cin[MLX5_ST_SZ_BYTES(create_eq_in) + 8] = { 0 };
		uint8_t cout[16];
		void *eqc = MLX5_ADDR_OF(create_eq_in, cin, eq_context_entry);

		hdr(cin, MLX5_CMD_OP_CREATE_EQ, 0);
		MLX5_SET(eqc, eqc, log_eq_size, 2);
		ifc_set64(cin, IFC_BIT_OFF(create_eq_in, event_bitmask), 1ull << EMU_EVENT_TYPE_CMD);
		ifc_set64(cin, IFC_BIT_OFF(create_eq_in, pas), 0x7000000000ull);
		st = run(0, cin, sizeof(cin), cout, 16);
		memset(in, 0, sizeof(in));
		hdr(in, MLX5_CMD_OP_NOP, 0);
		log_clear();
		st = run(1, in, 16, out, 16);
		ok(st == 0 && log_has("EQE address"), "eq: unwritable EQ page logged, command still completes");
	}
}

static void test_uctx(void)
{
	uint8_t in[MLX5_ST_SZ_BYTES(create_uctx_in)] = { 0 }, out[16];
	uint8_t din[MLX5_ST_SZ_BYTES(destroy_uctx_in)] = { 0 };
	int st, uid1, uid2;

	setup();
	log_clear();
	hdr(in, MLX5_CMD_OP_CREATE_UCTX, 0);
	st = run(0, in, sizeof(in), out, 16);
	uid1 = MLX5_GET(create_uctx_out, out, uid);
	run(0, in, sizeof(in), out, 16);
	uid2 = MLX5_GET(create_uctx_out, out, uid);
	ok(st == 0 && uid1 > 0 && uid2 > 0 && uid1 != uid2 && emu.uctx_live == 2 &&
	   log_has("uctx live=2"), "uctx: two CREATE_UCTX -> distinct uids, live=2 logged");
	hdr(din, MLX5_CMD_OP_DESTROY_UCTX, 0);
	MLX5_SET(destroy_uctx_in, din, uid, uid1);
	st = run(0, din, sizeof(din), out, 16);
	ok(st == 0 && emu.uctx_live == 1 && log_has("uctx live=1"), "uctx: DESTROY_UCTX -> live=1");
	st = run(0, din, sizeof(din), out, 16);
	ok(st == EMU_STAT_BAD_RES && emu.uctx_live == 1, "uctx: double destroy -> BAD_RES");
	MLX5_SET(destroy_uctx_in, din, uid, 0xffff);
	st = run(0, din, sizeof(din), out, 16);
	ok(st == EMU_STAT_BAD_RES, "uctx: out-of-range uid -> BAD_RES");
	MLX5_SET(uctx, MLX5_ADDR_OF(create_uctx_in, in, uctx), cap, 0x3);
	log_clear();
	st = run(0, in, sizeof(in), out, 16);
	ok(st == 0 && log_has("uctx created uid=1 cap=0x3\nuctx live=2"),
	   "uctx: the cap of a CREATE_UCTX is logged before the live count");
	MLX5_SET(uctx, MLX5_ADDR_OF(create_uctx_in, in, uctx), cap, 0x8);
	st = run(0, in, sizeof(in), out, 16);
	ok(st == EMU_STAT_BAD_PARAM && emu.uctx_live == 2 && log_has("beyond uctx_cap"),
	   "uctx: cap bits outside uctx_cap (RDMA_CTRL) -> BAD_PARAM");
}

/* ---------------------------------------------------------------- */
/* DEVX objects: general objects (MATCH_DEFINER) and umems           */

#define OBJ_HDR		MLX5_ST_SZ_BYTES(general_obj_in_cmd_hdr)
#define UMEM_BASE	MLX5_ST_SZ_BYTES(create_umem_in)
#define UMEM_PAGES	(GPA + 0xc0000)

static int new_uctx(void)
{
	uint8_t in[MLX5_ST_SZ_BYTES(create_uctx_in)] = { 0 }, out[16];

	hdr(in, MLX5_CMD_OP_CREATE_UCTX, 0);
	if (run(0, in, sizeof(in), out, 16))
		return -1;
	return MLX5_GET(create_uctx_out, out, uid);
}

/* a general-object command through vhca_tunnel_id tun; ctx (n bytes) follows the header */
static int gobj_t(uint16_t op, uint16_t uid, uint16_t tun, uint16_t type, uint32_t id,
		  const void *ctx, uint32_t n, void *out, uint32_t outlen)
{
	uint8_t in[OBJ_HDR + 256] = { 0 };

	MLX5_SET(general_obj_in_cmd_hdr, in, opcode, op);
	MLX5_SET(general_obj_in_cmd_hdr, in, uid, uid);
	MLX5_SET(general_obj_in_cmd_hdr, in, vhca_tunnel_id, tun);
	MLX5_SET(general_obj_in_cmd_hdr, in, obj_type, type);
	MLX5_SET(general_obj_in_cmd_hdr, in, obj_id, id);
	if (n)
		memcpy(in + OBJ_HDR, ctx, n);
	return run(0, in, OBJ_HDR + n, out, outlen);
}

/* the same on the PF itself */
static int gobj(uint16_t op, uint16_t uid, uint16_t type, uint32_t id, const void *ctx,
		uint32_t n, void *out, uint32_t outlen)
{
	return gobj_t(op, uid, 0, type, id, ctx, n, out, outlen);
}

static int umem_t(uint16_t uid, uint16_t tun, uint64_t nmtt, uint32_t nent, const uint64_t *mtt,
		  uint32_t log_pg, uint32_t *id)
{
	uint8_t in[UMEM_BASE + 8 * 8] = { 0 }, out[16];
	void *u = MLX5_ADDR_OF(create_umem_in, in, umem);
	uint32_t i;
	int st;

	MLX5_SET(create_umem_in, in, opcode, MLX5_CMD_OP_CREATE_UMEM);
	MLX5_SET(create_umem_in, in, uid, uid);
	/* the inbox's bits 0x20..0x2f are the general header's vhca_tunnel_id */
	MLX5_SET(general_obj_in_cmd_hdr, in, vhca_tunnel_id, tun);
	MLX5_SET64(umem, u, num_of_mtt, nmtt);
	MLX5_SET(umem, u, log_page_size, log_pg);
	for (i = 0; i < nent; i++) {
		uint64_t v = htobe64(mtt[i]);

		memcpy(in + UMEM_BASE + 8 * i, &v, 8);
	}
	st = run(0, in, UMEM_BASE + 8 * nent, out, 16);
	if (id)
		*id = MLX5_GET(create_umem_out, out, umem_id);
	return st;
}

static int umem(uint16_t uid, uint64_t nmtt, uint32_t nent, const uint64_t *mtt, uint32_t log_pg,
		uint32_t *id)
{
	return umem_t(uid, 0, nmtt, nent, mtt, log_pg, id);
}

static int umem_destroy_t(uint16_t uid, uint16_t tun, uint32_t id)
{
	uint8_t in[MLX5_ST_SZ_BYTES(destroy_umem_in)] = { 0 }, out[16];

	MLX5_SET(destroy_umem_in, in, opcode, MLX5_CMD_OP_DESTROY_UMEM);
	MLX5_SET(destroy_umem_in, in, uid, uid);
	MLX5_SET(general_obj_in_cmd_hdr, in, vhca_tunnel_id, tun);
	MLX5_SET(destroy_umem_in, in, umem_id, id);
	return run(0, in, sizeof(in), out, 16);
}

static int umem_destroy(uint16_t uid, uint32_t id)
{
	return umem_destroy_t(uid, 0, id);
}

static int file_has(const char *path, const char *s)
{
	char buf[256] = { 0 };
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, s) != NULL;
}

static void test_devx_objs(void)
{
	const uint16_t MD = EMU_OBJ_TYPE_MATCH_DEFINER;
	uint8_t ctx1[120], ctx2[120], out[OBJ_HDR + 512];
	uint8_t din[MLX5_ST_SZ_BYTES(destroy_uctx_in)] = { 0 };
	char spath[] = "/tmp/mlx5-emu-test-state.XXXXXX";
	uint32_t id, id2, uid, uid2, i;
	uint64_t mtt[4];
	int st, sfd, good;

	setup();
	sfd = mkstemp(spath);
	if (sfd >= 0)
		close(sfd);
	emu.state_path = spath;
	log_clear();

	/* capability: the implemented type is advertised */
	{
		uint8_t in[16] = { 0 }, cout[MLX5_ST_SZ_BYTES(query_hca_cap_out)];
		void *cap = MLX5_ADDR_OF(query_hca_cap_out, cout, capability);

		hdr(in, MLX5_CMD_OP_QUERY_HCA_CAP, 1);
		st = run(0, in, 16, cout, sizeof(cout));
		ok(st == 0 && MLX5_GET64(cmd_hca_cap, cap, general_obj_types) ==
		   ((1ull << EMU_OBJ_TYPE_VIRTIO_NET_Q) | (1ull << EMU_OBJ_TYPE_MATCH_DEFINER)),
		   "devx: general_obj_types advertises VIRTIO_NET_Q and MATCH_DEFINER only");
	}

	uid = new_uctx();
	uid2 = new_uctx();
	for (i = 0; i < sizeof(ctx1); i++) {
		ctx1[i] = (uint8_t)(i + 1);
		ctx2[i] = (uint8_t)(0xff - i);
	}
	memset(out, 0xee, sizeof(out));
	st = gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, MD, 0, ctx1, sizeof(ctx1), out, 16);
	id = MLX5_GET(general_obj_out_cmd_hdr, out, obj_id);
	ok(st == 0 && id != 0 && emu.obj_live == 1 && log_has("obj live=1") &&
	   log_has("obj created type=0x0018") && file_has(spath, "obj_live=1\n") &&
	   file_has(spath, "uctx_live=2\n"),
	   "devx: CREATE_GENERAL_OBJECT -> id, obj live=1 logged, state file obj_live=1");
	st = gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, MD, 0, ctx2, sizeof(ctx2), out, 16);
	id2 = MLX5_GET(general_obj_out_cmd_hdr, out, obj_id);
	ok(st == 0 && id2 != 0 && id2 != id && emu.obj_live == 2, "devx: second object gets another id");

	memset(out, 0, sizeof(out));
	st = gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, MD, id, NULL, 0, out, OBJ_HDR + 120);
	ok(st == 0 && !memcmp(out + OBJ_HDR, ctx1, sizeof(ctx1)),
	   "devx: QUERY_GENERAL_OBJECT returns the created context");
	st = gobj(MLX5_CMD_OP_MODIFY_GENERAL_OBJECT, uid, MD, id, ctx2, sizeof(ctx2), out, 16);
	memset(out, 0, sizeof(out));
	st |= gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, MD, id, NULL, 0, out, OBJ_HDR + 120);
	ok(st == 0 && !memcmp(out + OBJ_HDR, ctx2, sizeof(ctx2)) && emu.obj_live == 2,
	   "devx: MODIFY_GENERAL_OBJECT replaces the context (seen by QUERY)");
	memset(out, 0xee, sizeof(out));
	st = gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, MD, id, NULL, 0, out, 16);
	ok(st == 0 && out[16] == 0xee, "devx: QUERY with a header-only outbox writes no context");
	st = gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, 0, MD, id, NULL, 0, out, 64);
	ok(st == 0, "devx: uid 0 (kernel) may query a user object");

	/* unknown ids, wrong type, wrong owner: BAD_RES and an error line */
	log_clear();
	st = gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, MD, 0x777777, NULL, 0, out, 64);
	ok(st == EMU_STAT_BAD_RES && MLX5_GET(general_obj_out_cmd_hdr, out, status) == EMU_STAT_BAD_RES &&
	   log_has("no object type 0x0018 id 0x777777"),
	   "devx: QUERY of an unknown id -> BAD_RES, logged");
	st = gobj(MLX5_CMD_OP_MODIFY_GENERAL_OBJECT, uid, MD, 0x777777, ctx1, 16, out, 16);
	ok(st == EMU_STAT_BAD_RES, "devx: MODIFY of an unknown id -> BAD_RES");
	st = gobj(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, uid, MD, 0x777777, NULL, 0, out, 16);
	ok(st == EMU_STAT_BAD_RES && emu.obj_live == 2, "devx: DESTROY of an unknown id -> BAD_RES");
	st = gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, 0x13, id, NULL, 0, out, 64);
	ok(st == EMU_STAT_BAD_RES, "devx: QUERY with the wrong obj_type -> BAD_RES");
	st = gobj(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, uid2, MD, id, NULL, 0, out, 16);
	ok(st == EMU_STAT_BAD_RES && emu.obj_live == 2 && log_has("belongs to uid"),
	   "devx: another uid cannot destroy the object -> BAD_RES");

	/* the second implemented type: created, logged with its type, destroyed */
	log_clear();
	st = gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, EMU_OBJ_TYPE_VIRTIO_NET_Q, 0, ctx1, 16,
		  out, 16);
	{
		uint32_t vq = MLX5_GET(general_obj_out_cmd_hdr, out, obj_id);

		ok(st == 0 && emu.obj_live == 3 && log_has("cmd opcode=0x0a00 op_mod=0x000d") &&
		   log_has("obj created type=0x000d"),
		   "devx: CREATE_GENERAL_OBJECT of VIRTIO_NET_Q -> created, its type logged");
		st = gobj(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, uid, EMU_OBJ_TYPE_VIRTIO_NET_Q, vq, NULL,
			  0, out, 16);
		ok(st == 0 && emu.obj_live == 2, "devx: VIRTIO_NET_Q object destroyed");
	}

	/* create refusals */
	st = gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, 0x13, 0, ctx1, 16, out, 16);
	ok(st == EMU_STAT_BAD_PARAM && emu.obj_live == 2 && log_has("unsupported type 0x0013"),
	   "devx: CREATE of an unsupported obj_type -> BAD_PARAM");
	st = gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, 0xff01, 0, ctx1, 16, out, 16);
	ok(st == EMU_STAT_BAD_PARAM, "devx: CREATE of obj_type 0xff01 (>= 64) -> BAD_PARAM");
	st = gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, 77, MD, 0, ctx1, 16, out, 16);
	ok(st == EMU_STAT_BAD_PARAM && log_has("uid 77 is not a live"),
	   "devx: CREATE with a uid that is not a live context -> BAD_PARAM");
	st = gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, MD, 0, NULL, 0, out, 8);
	ok(st == EMU_STAT_BAD_OUTP_LEN && emu.obj_live == 2, "devx: CREATE with an 8-byte outbox -> BAD_OUTP_LEN");
	st = gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, MD, id, NULL, 0, out, 12);
	ok(st == EMU_STAT_BAD_OUTP_LEN, "devx: QUERY with a 12-byte outbox -> BAD_OUTP_LEN");
	{
		uint8_t in[12] = { 0 };

		hdr(in, MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, 0);
		st = run(0, in, 12, out, 16);
		ok(st == EMU_STAT_BAD_INP_LEN && emu.obj_live == 2,
		   "devx: DESTROY with a 12-byte inbox -> BAD_INP_LEN");
	}
	/* a context bigger than the model keeps: stored truncated, no overflow */
	{
		static uint8_t big[OBJ_HDR + 4096];

		MLX5_SET(general_obj_in_cmd_hdr, big, opcode, MLX5_CMD_OP_MODIFY_GENERAL_OBJECT);
		MLX5_SET(general_obj_in_cmd_hdr, big, uid, uid);
		MLX5_SET(general_obj_in_cmd_hdr, big, obj_type, MD);
		MLX5_SET(general_obj_in_cmd_hdr, big, obj_id, id2);
		memset(big + OBJ_HDR, 0x5a, 4096);
		st = run(0, big, sizeof(big), out, 16);
		memset(out, 0, sizeof(out));
		st |= gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, MD, id2, NULL, 0, out, sizeof(out));
		ok(st == 0 && out[OBJ_HDR] == 0x5a && out[OBJ_HDR + 511] == 0x5a,
		   "devx: 4 KiB context is kept truncated to %u bytes", EMU_OBJ_CTX_MAX);
	}

	/* the owner's context cannot go away while it owns objects */
	hdr(din, MLX5_CMD_OP_DESTROY_UCTX, 0);
	MLX5_SET(destroy_uctx_in, din, uid, uid);
	log_clear();
	st = run(0, din, sizeof(din), out, 16);
	ok(st == EMU_STAT_BAD_RES_STATE && emu.uctx_live == 2 && log_has("still owns 2 objects"),
	   "devx: DESTROY_UCTX of a uid with live objects -> BAD_RES_STATE");

	log_clear();
	st = gobj(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, uid, MD, id, NULL, 0, out, 16);
	ok(st == 0 && emu.obj_live == 1 && log_has("obj destroyed type=0x0018") &&
	   log_has("obj live=1") && file_has(spath, "obj_live=1\n"),
	   "devx: DESTROY_GENERAL_OBJECT -> obj live=1 logged, state file follows");
	st = gobj(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, uid, MD, id, NULL, 0, out, 16);
	ok(st == EMU_STAT_BAD_RES && emu.obj_live == 1, "devx: double destroy -> BAD_RES");
	st = gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, MD, id, NULL, 0, out, 64);
	ok(st == EMU_STAT_BAD_RES, "devx: QUERY after destroy -> BAD_RES");
	st = gobj(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, 0, MD, id2, NULL, 0, out, 16);
	ok(st == 0 && emu.obj_live == 0 && log_has("obj live=0") && file_has(spath, "obj_live=0\n"),
	   "devx: uid 0 destroys the last object -> obj live=0");
	st = run(0, din, sizeof(din), out, 16);
	ok(st == 0 && emu.uctx_live == 1, "devx: DESTROY_UCTX succeeds once its objects are gone");

	/* umems */
	uid = uid2;
	mtt[0] = UMEM_PAGES | 3;
	mtt[1] = UMEM_PAGES + 4096;
	log_clear();
	st = umem(uid, 2, 2, mtt, 0, &id);
	ok(st == 0 && id != 0 && emu.obj_live == 1 && emu.umem_live == 1 &&
	   log_has("umem created") && log_has("mtt=2") && log_has("obj live=1") &&
	   file_has(spath, "umem_live=1\n"),
	   "umem: CREATE_UMEM of 2 guest pages -> id, obj live=1, umem_live=1");
	st = umem(uid, 3, 2, mtt, 0, NULL);
	ok(st == EMU_STAT_BAD_INP_LEN && emu.umem_live == 1, "umem: num_of_mtt beyond the inbox -> BAD_INP_LEN");
	st = umem(uid, 1ull << 62, 2, mtt, 0, NULL);
	ok(st == EMU_STAT_BAD_INP_LEN, "umem: num_of_mtt 2^62 -> BAD_INP_LEN, no overflow");
	st = umem(uid, 0, 0, mtt, 0, NULL);
	ok(st == EMU_STAT_BAD_PARAM, "umem: num_of_mtt 0 -> BAD_PARAM");
	mtt[2] = 0x7fff0000000ull;
	st = umem(uid, 1, 1, mtt + 2, 0, NULL);
	ok(st == EMU_STAT_BAD_PARAM && log_has("not a page of guest memory"),
	   "umem: MTT outside guest memory -> BAD_PARAM");
	mtt[2] = UMEM_PAGES + 0x800;
	st = umem(uid, 1, 1, mtt + 2, 0, NULL);
	ok(st == EMU_STAT_BAD_PARAM, "umem: unaligned MTT -> BAD_PARAM");
	mtt[2] = GPA + GSIZE - 4096;
	st = umem(uid, 1, 1, mtt + 2, 1, NULL);
	ok(st == EMU_STAT_BAD_PARAM, "umem: 8 KiB page straddling the end of memory -> BAD_PARAM");
	st = umem(77, 1, 1, mtt, 0, NULL);
	ok(st == EMU_STAT_BAD_PARAM, "umem: dead uid -> BAD_PARAM");
	st = umem_destroy(uid, id + 1000);
	ok(st == EMU_STAT_BAD_RES && emu.umem_live == 1, "umem: DESTROY_UMEM of an unknown id -> BAD_RES");
	st = umem_destroy(uid, id);
	ok(st == 0 && emu.obj_live == 0 && emu.umem_live == 0 && log_has("umem destroyed") &&
	   file_has(spath, "umem_live=0\n"), "umem: DESTROY_UMEM -> obj live=0");

	/* table full: LIM, no crash; ids stay unique */
	good = 1;
	for (i = 0; i < EMU_MAX_OBJS; i++)
		if (gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, 0, MD, 0, NULL, 0, out, 16))
			good = 0;
	st = gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, 0, MD, 0, NULL, 0, out, 16);
	for (i = 1; i < EMU_MAX_OBJS; i++)
		if (emu.obj[i].id == emu.obj[0].id)
			good = 0;
	ok(good && st == EMU_STAT_LIM && emu.obj_live == EMU_MAX_OBJS,
	   "devx: %u objects fit, the next CREATE -> LIM", EMU_MAX_OBJS);
	log_clear();
	emu_reset(&emu);
	ok(emu.obj_live == 0 && log_has("obj live=0 (reset)") && file_has(spath, "obj_live=0\n") &&
	   file_has(spath, "uctx_live=0\n"), "devx: device reset forgets all objects and rewrites the state");
	emu.state_path = NULL;
	unlink(spath);
}

/* UARs are reused after DEALLOC_UAR, so many user contexts do not run out */
static void test_uar(void)
{
	uint8_t in[MLX5_ST_SZ_BYTES(alloc_uar_in)] = { 0 }, out[16];
	uint8_t din[MLX5_ST_SZ_BYTES(dealloc_uar_in)] = { 0 };
	unsigned int i, n = 0, first, again;
	int st;

	setup();
	hdr(in, MLX5_CMD_OP_ALLOC_UAR, 0);
	hdr(din, MLX5_CMD_OP_DEALLOC_UAR, 0);
	run(0, in, sizeof(in), out, 16);
	first = MLX5_GET(alloc_uar_out, out, uar);
	MLX5_SET(dealloc_uar_in, din, uar, first);
	st = run(0, din, sizeof(din), out, 16);
	run(0, in, sizeof(in), out, 16);
	again = MLX5_GET(alloc_uar_out, out, uar);
	ok(st == 0 && first == EMU_UAR_FIRST && again == first, "uar: DEALLOC_UAR frees the page for reuse");
	st = run(0, din, sizeof(din), out, 16);
	st = run(0, din, sizeof(din), out, 16);
	ok(st == EMU_STAT_BAD_RES, "uar: double DEALLOC_UAR -> BAD_RES");
	MLX5_SET(dealloc_uar_in, din, uar, 3);
	st = run(0, din, sizeof(din), out, 16);
	ok(st == EMU_STAT_BAD_RES, "uar: DEALLOC_UAR of a non-UAR page -> BAD_RES");
	for (i = 0; i < 1000; i++) {
		if (run(0, in, sizeof(in), out, 16))
			break;
		n++;
	}
	ok(n == EMU_NUM_UARS - EMU_UAR_FIRST && run(0, in, sizeof(in), out, 16) == EMU_STAT_LIM,
	   "uar: %u UARs, then LIM", EMU_NUM_UARS - EMU_UAR_FIRST);
}

/* an async-style query completes through the command EQ like any command */
static void test_devx_eqe(void)
{
	struct emu_eqe *eqe = g(EQBUF);
	uint8_t out[OBJ_HDR + 64];
	int eqn, st, uid;
	uint32_t id;

	setup();
	create_eq(0, 4, 1ull << EMU_EVENT_TYPE_CMD, 1, &eqn, &st);
	uid = new_uctx();
	gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, EMU_OBJ_TYPE_MATCH_DEFINER, 0, "abcd", 4, out, 16);
	id = MLX5_GET(general_obj_out_cmd_hdr, out, obj_id);
	irqs = 0;
	st = run(3, (uint8_t[OBJ_HDR]){ 0 }, 0, NULL, 0);	/* inlen 0: refused, still an EQE */
	memset(out, 0, sizeof(out));
	st = gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, EMU_OBJ_TYPE_MATCH_DEFINER, id, NULL, 0, out,
		  sizeof(out));
	ok(st == 0 && !memcmp(out + OBJ_HDR, "abcd", 4) && irqs == 2 && eqe[3].type == EMU_EVENT_TYPE_CMD &&
	   be32toh(eqe[3].data[0]) == 1u,
	   "devx: QUERY_GENERAL_OBJECT completion -> command EQE (vector 1<<slot) + MSI-X");
}

/* ---------------------------------------------------------------- */
/* VHCA tunnel: one other function, vhca_tunnel_id EMU_TUNNEL_VHCA_ID */

#define TUN	EMU_TUNNEL_VHCA_ID

/* the first log line that starts with prefix ("" if there is none) */
static void log_line(const char *prefix, char *line, size_t max)
{
	const char *p, *q;
	size_t n;

	fflush(logf_);
	line[0] = 0;
	for (p = logbuf; p && *p; p = q ? q + 1 : NULL) {
		q = strchr(p, '\n');
		if (strncmp(p, prefix, strlen(prefix)))
			continue;
		n = q ? (size_t)(q - p) : strlen(p);
		if (n >= max)
			n = max - 1;
		memcpy(line, p, n);
		line[n] = 0;
		return;
	}
}

static int destroy_uctx_t(uint16_t tun, uint32_t uid)
{
	uint8_t in[MLX5_ST_SZ_BYTES(destroy_uctx_in)] = { 0 }, out[16];

	hdr(in, MLX5_CMD_OP_DESTROY_UCTX, 0);
	MLX5_SET(general_obj_in_cmd_hdr, in, vhca_tunnel_id, tun);
	MLX5_SET(destroy_uctx_in, in, uid, uid);
	return run(0, in, sizeof(in), out, 16);
}

static void test_tunnel(void)
{
	const uint16_t MD = EMU_OBJ_TYPE_MATCH_DEFINER;
	uint8_t qin[16] = { 0 }, pf[MLX5_ST_SZ_BYTES(query_hca_cap_out)], tu[sizeof(pf)];
	uint8_t out[OBJ_HDR + 64];
	char spath[] = "/tmp/mlx5-emu-test-tunnel.XXXXXX", line[200], want[200];
	unsigned int op, op_mod, luid, i;
	uint32_t pid, tid, tid2, tid3, umid, uid, uid2, uid3;
	uint64_t mtt = UMEM_PAGES, raw;
	int st, sfd, good = 1;

	setup();
	sfd = mkstemp(spath);
	if (sfd >= 0)
		close(sfd);
	emu.state_path = spath;
	emu_state_write(&emu);
	ok(file_has(spath, "\nobj_live=0\n") && file_has(spath, "\ntunnel_obj_live=0\n"),
	   "tunnel: the state file has tunnel_obj_live=0 next to obj_live=0");

	/* the capability, maximum (op_mod 0) and current (op_mod 1) */
	for (i = 0; i < 2; i++) {
		void *cap = MLX5_ADDR_OF(query_hca_cap_out, pf, capability);

		hdr(qin, MLX5_CMD_OP_QUERY_HCA_CAP, i);
		st = run(0, qin, 16, pf, sizeof(pf));
		memcpy(&raw, (uint8_t *)cap + 0x780 / 8, 8);
		if (st || !MLX5_GET64(cmd_hca_cap, cap, vhca_tunnel_commands) ||
		    be64toh(raw) != EMU_VHCA_TUNNEL_COMMANDS)
			good = 0;
	}
	ok(good, "tunnel: vhca_tunnel_commands (bit 0x780) != 0 in the maximum and current general caps");

	/* a query through the tunnel answers as the PF (pf[] holds the current caps) */
	MLX5_SET(general_obj_in_cmd_hdr, qin, vhca_tunnel_id, TUN);
	memset(tu, 0xee, sizeof(tu));
	log_clear();
	st = run(0, qin, 16, tu, sizeof(tu));
	ok(st == 0 && !memcmp(pf + 16, tu + 16, sizeof(pf) - 16) &&
	   log_has("cmd opcode=0x0100 op_mod=0x0001 uid=0 inlen=16 status=0x00 tunnel=1\n"),
	   "tunnel: QUERY_HCA_CAP through vhca_tunnel_id 1 answers as the PF, logged with tunnel=1");
	log_line("cmd ", line, sizeof(line));
	ok(sscanf(line, "cmd opcode=0x%x op_mod=0x%x uid=%u", &op, &op_mod, &luid) == 3 &&
	   op == MLX5_CMD_OP_QUERY_HCA_CAP && op_mod == 1 && luid == 0,
	   "tunnel: the tunnelled cmd line keeps the prefix guest tests sscanf");
	hdr(qin, MLX5_CMD_OP_QUERY_ISSI, 0);
	MLX5_SET(general_obj_in_cmd_hdr, qin, vhca_tunnel_id, 0);
	log_clear();
	st = run(0, qin, 16, tu, MLX5_ST_SZ_BYTES(query_issi_out));
	ok(st == 0 && log_has("cmd opcode=0x010a op_mod=0x0000 uid=0 inlen=16 status=0x00\n") &&
	   !log_has("tunnel="), "tunnel: a command without vhca_tunnel_id has no tunnel= in its line");

	/* any other tunnel id: BAD_PARAM and an error line */
	hdr(qin, MLX5_CMD_OP_QUERY_HCA_CAP, 1);
	MLX5_SET(general_obj_in_cmd_hdr, qin, vhca_tunnel_id, 2);
	log_clear();
	st = run(0, qin, 16, tu, sizeof(tu));
	ok(st == EMU_STAT_BAD_PARAM &&
	   log_has("error: QUERY_HCA_CAP (0x0100): vhca_tunnel_id 2 names no function") &&
	   log_has("cmd opcode=0x0100 op_mod=0x0001 uid=0 inlen=16 status=0x03 tunnel=2\n"),
	   "tunnel: vhca_tunnel_id 2 -> BAD_PARAM, error line, cmd line with tunnel=2");
	hdr(qin, 0x7777, 0);
	MLX5_SET(general_obj_in_cmd_hdr, qin, vhca_tunnel_id, 0xffff);
	log_clear();
	st = run(0, qin, 16, out, 16);
	ok(st == EMU_STAT_BAD_PARAM && log_has("error: UNKNOWN (0x7777): vhca_tunnel_id 65535") &&
	   log_has("status=0x03 tunnel=65535\n"),
	   "tunnel: vhca_tunnel_id 0xffff on an unknown opcode -> BAD_PARAM (before BAD_OP)");

	/* the other place that prints the cmd line: refused before the handler */
	{
		struct emu_cmd_layout *l = slot(1);

		memset(l, 0, sizeof(*l));
		hdr(l->in, MLX5_CMD_OP_NOP, 0);
		MLX5_SET(general_obj_in_cmd_hdr, l->in, vhca_tunnel_id, TUN);
		l->inlen = htobe32(600);	/* needs mailboxes, in_ptr is NULL */
		l->outlen = htobe32(16);
		l->status_own = 1;
		log_clear();
		bar_w32(0x18, 1 << 1);
		ok(l->out[0] == EMU_STAT_BAD_INP_LEN &&
		   log_has("cmd opcode=0x080d op_mod=0x0000 uid=0 inlen=600 status=0x50 tunnel=1\n"),
		   "tunnel: a command refused for its mailbox chain is logged with tunnel=1 too");
	}

	uid = new_uctx();
	uid2 = new_uctx();

	/* state only the PF has is not changed through the tunnel */
	{
		uint8_t cu[MLX5_ST_SZ_BYTES(create_uctx_in)] = { 0 };

		hdr(cu, MLX5_CMD_OP_CREATE_UCTX, 0);
		MLX5_SET(general_obj_in_cmd_hdr, cu, vhca_tunnel_id, TUN);
		log_clear();
		st = run(0, cu, sizeof(cu), out, 16);
		ok(st == EMU_STAT_BAD_OP && emu.uctx_live == 2 &&
		   log_has("note: CREATE_UCTX through vhca_tunnel_id 1 is not modelled") &&
		   log_has("status=0x02 tunnel=1\n"),
		   "tunnel: CREATE_UCTX through the tunnel -> BAD_OP and a note, no uctx");
	}
	st = destroy_uctx_t(TUN, uid);
	ok(st == EMU_STAT_BAD_OP && emu.uctx_live == 2 && emu.uid_live[uid],
	   "tunnel: DESTROY_UCTX through the tunnel -> BAD_OP, the PF's uctx stays");

	/* objects: a PF one and a tunnelled one */
	st = gobj(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, MD, 0, "pf..", 4, out, 16);
	pid = MLX5_GET(general_obj_out_cmd_hdr, out, obj_id);
	st = gobj_t(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, 2, MD, 0, "bad.", 4, out, 16);
	ok(st == EMU_STAT_BAD_PARAM && emu.obj_live == 1 && emu.tunnel_obj_live == 0,
	   "tunnel: CREATE_GENERAL_OBJECT through vhca_tunnel_id 2 -> BAD_PARAM, nothing created");
	log_clear();
	st = gobj_t(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, TUN, MD, 0, "tun1", 4, out, 16);
	tid = MLX5_GET(general_obj_out_cmd_hdr, out, obj_id);
	snprintf(want, sizeof(want), "tunnel=1\nobj created type=0x0018 id=0x%06x uid=%u tunnel=1\nobj live=2\n",
		 tid, uid);
	ok(st == 0 && tid && tid != pid && emu.obj_live == 2 && emu.tunnel_obj_live == 1 &&
	   log_has(want) && file_has(spath, "\nobj_live=2\n") && file_has(spath, "\ntunnel_obj_live=1\n"),
	   "tunnel: CREATE_GENERAL_OBJECT through the tunnel -> tunnelled object, obj live=2, tunnel_obj_live=1");
	memset(out, 0, sizeof(out));
	st = gobj_t(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, TUN, MD, tid, NULL, 0, out, OBJ_HDR + 4);
	ok(st == 0 && !memcmp(out + OBJ_HDR, "tun1", 4), "tunnel: QUERY_GENERAL_OBJECT through the tunnel");
	st = gobj_t(MLX5_CMD_OP_MODIFY_GENERAL_OBJECT, uid, TUN, MD, tid, "TUN2", 4, out, 16);
	memset(out, 0, sizeof(out));
	st |= gobj_t(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, TUN, MD, tid, NULL, 0, out, OBJ_HDR + 4);
	ok(st == 0 && !memcmp(out + OBJ_HDR, "TUN2", 4),
	   "tunnel: MODIFY_GENERAL_OBJECT through the tunnel (seen by a tunnelled QUERY)");
	log_clear();
	st = gobj(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, MD, tid, NULL, 0, out, 64);
	snprintf(want, sizeof(want), "object 0x%06x is on vhca_tunnel_id 1, the command on 0", tid);
	ok(st == EMU_STAT_BAD_RES && log_has(want),
	   "tunnel: the PF cannot QUERY a tunnelled object -> BAD_RES, logged");
	st = gobj(MLX5_CMD_OP_MODIFY_GENERAL_OBJECT, 0, MD, tid, "pf..", 4, out, 16);
	st |= gobj(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, 0, MD, tid, NULL, 0, out, 16);
	ok(st == EMU_STAT_BAD_RES && emu.obj_live == 2 && emu.tunnel_obj_live == 1,
	   "tunnel: nor MODIFY or DESTROY it, not even with uid 0");
	log_clear();
	st = gobj_t(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, TUN, MD, pid, NULL, 0, out, 64);
	st |= gobj_t(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, uid, TUN, MD, pid, NULL, 0, out, 16);
	snprintf(want, sizeof(want), "object 0x%06x is on vhca_tunnel_id 0, the command on 1", pid);
	ok(st == EMU_STAT_BAD_RES && emu.obj_live == 2 && log_has(want),
	   "tunnel: the tunnel cannot QUERY or DESTROY the PF's object -> BAD_RES");
	st = gobj_t(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, uid2, TUN, MD, tid, NULL, 0, out, 16);
	ok(st == EMU_STAT_BAD_RES && emu.tunnel_obj_live == 1 && log_has("belongs to uid"),
	   "tunnel: another uid cannot destroy a tunnelled object -> BAD_RES");
	st = gobj_t(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, 77, TUN, MD, 0, NULL, 0, out, 16);
	ok(st == EMU_STAT_BAD_PARAM && emu.tunnel_obj_live == 1,
	   "tunnel: a tunnelled CREATE still needs a live uid -> BAD_PARAM");

	/* a tunnelled object destroyed through the tunnel */
	gobj_t(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid, TUN, MD, 0, NULL, 0, out, 16);
	tid3 = MLX5_GET(general_obj_out_cmd_hdr, out, obj_id);
	log_clear();
	st = gobj_t(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, uid, TUN, MD, tid3, NULL, 0, out, 16);
	snprintf(want, sizeof(want), "obj destroyed type=0x0018 id=0x%06x uid=%u tunnel=1\nobj live=2\n",
		 tid3, uid);
	ok(st == 0 && emu.obj_live == 2 && emu.tunnel_obj_live == 1 && log_has(want) &&
	   file_has(spath, "\ntunnel_obj_live=1\n"),
	   "tunnel: DESTROY_GENERAL_OBJECT through the tunnel -> tunnel_obj_live back to 1");

	/* a tunnelled umem, and a tunnelled object of another uid */
	log_clear();
	st = umem_t(uid, TUN, 1, 1, &mtt, 0, &umid);
	ok(st == 0 && emu.umem_live == 1 && emu.tunnel_obj_live == 2 && emu.obj_live == 3 &&
	   log_has("log_page_size=0 tunnel=1\nobj live=3\n") && file_has(spath, "\numem_live=1\n"),
	   "tunnel: CREATE_UMEM through the tunnel -> tunnelled umem");
	st = umem_destroy(uid, umid);
	ok(st == EMU_STAT_BAD_RES && emu.umem_live == 1, "tunnel: the PF cannot DESTROY_UMEM it -> BAD_RES");
	gobj_t(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, uid2, TUN, MD, 0, NULL, 0, out, 16);
	tid2 = MLX5_GET(general_obj_out_cmd_hdr, out, obj_id);

	/* DESTROY_UCTX still refuses while a non-tunnelled object is left */
	log_clear();
	st = destroy_uctx_t(0, uid);
	ok(st == EMU_STAT_BAD_RES_STATE && emu.uctx_live == 2 && emu.obj_live == 4 &&
	   emu.tunnel_obj_live == 3 && log_has("still owns 1 objects") && !log_has("released"),
	   "tunnel: DESTROY_UCTX with a PF object left -> BAD_RES_STATE, tunnelled objects kept");
	gobj(MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, uid, MD, pid, NULL, 0, out, 16);
	/* ... and releases the tunnelled ones once only those are left */
	log_clear();
	st = destroy_uctx_t(0, uid);
	snprintf(want, sizeof(want),
		 "cmd opcode=0x0a06 op_mod=0x0000 uid=0 inlen=%u status=0x00\n"
		 "note: DESTROY_UCTX uid %u released 2 tunnelled objects\nobj live=1\nuctx live=1\n",
		 (unsigned int)MLX5_ST_SZ_BYTES(destroy_uctx_in), uid);
	ok(st == 0 && emu.uctx_live == 1 && emu.obj_live == 1 && emu.umem_live == 0 &&
	   emu.tunnel_obj_live == 1 && log_has(want),
	   "tunnel: DESTROY_UCTX releases the uid's 2 tunnelled objects, note + obj live=1 + uctx live=1");
	ok(file_has(spath, "uctx_live=1\nobj_live=1\numem_live=0\ntunnel_obj_live=1\n"),
	   "tunnel: state file after the release: uctx_live=1 obj_live=1 umem_live=0 tunnel_obj_live=1");
	st = gobj_t(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid, TUN, MD, tid, NULL, 0, out, 64);
	ok(st == EMU_STAT_BAD_RES, "tunnel: a released object is gone");
	st = gobj_t(MLX5_CMD_OP_QUERY_GENERAL_OBJECT, uid2, TUN, MD, tid2, NULL, 0, out, 64);
	ok(st == 0, "tunnel: another uid's tunnelled object survives the release");
	log_clear();
	st = destroy_uctx_t(0, uid2);
	snprintf(want, sizeof(want), "note: DESTROY_UCTX uid %u released 1 tunnelled objects\nobj live=0\n",
		 uid2);
	ok(st == 0 && emu.obj_live == 0 && emu.tunnel_obj_live == 0 && log_has(want) &&
	   file_has(spath, "\nobj_live=0\n") && file_has(spath, "\ntunnel_obj_live=0\n"),
	   "tunnel: DESTROY_UCTX of the second uid -> obj_live=0, tunnel_obj_live=0");
	uid3 = new_uctx();
	log_clear();
	st = destroy_uctx_t(0, uid3);
	ok(st == 0 && !log_has("released") && !log_has("obj live="),
	   "tunnel: DESTROY_UCTX without tunnelled objects logs no release");

	/* a kernel (uid 0) tunnelled object is forgotten on reset */
	gobj_t(MLX5_CMD_OP_CREATE_GENERAL_OBJECT, 0, TUN, MD, 0, NULL, 0, out, 16);
	good = emu.tunnel_obj_live == 1;
	emu_reset(&emu);
	ok(good && emu.tunnel_obj_live == 0 && emu.obj_live == 0 &&
	   file_has(spath, "\ntunnel_obj_live=0\n"), "tunnel: device reset forgets tunnelled objects");
	emu.state_path = NULL;
	unlink(spath);
}

/* ---------------------------------------------------------------- */
/* vfio-user                                                         */

static int cli;
static struct vfu_server srv;

static void send_msg(uint16_t id, uint16_t cmd, uint32_t flags, const void *body,
		     uint32_t len, int fd)
{
	struct vfu_hdr h = { id, cmd, (uint32_t)sizeof(h) + len, flags, 0 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr a;
	} ctl;
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)body, len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };

	if (fd >= 0) {
		struct cmsghdr *c;

		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	if (sendmsg(cli, &mh, 0) < 0)
		perror("sendmsg");
}

/* handle one message on the server, then fetch the reply (if any) */
static int xfer(uint16_t id, uint16_t cmd, uint32_t flags, const void *body, uint32_t len,
		int fd, struct vfu_hdr *rh, void *rbody, size_t rmax, int *handled)
{
	ssize_t n;
	uint8_t buf[8192];

	send_msg(id, cmd, flags, body, len, fd);
	*handled = vfu_handle_one(&srv);
	n = recv(cli, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < (ssize_t)sizeof(*rh))
		return 0;
	memcpy(rh, buf, sizeof(*rh));
	if (rbody)
		memcpy(rbody, buf + sizeof(*rh), (size_t)n - sizeof(*rh) < rmax ?
		       (size_t)n - sizeof(*rh) : rmax);
	return 1;
}

static int is_err(const struct vfu_hdr *h, uint16_t id, int err)
{
	return h->msg_id == id && (h->flags & VFU_F_ERROR) && (!err || (int)h->error == err) &&
	       h->size == sizeof(*h);
}

static void test_vfu(void)
{
	int sv[2], r, efd;
	struct vfu_hdr rh;
	uint8_t rb[4096];
	uint8_t body[64];
	uint64_t cnt;

	setup();
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	cli = sv[0];
	{
		struct dma_table keep = dma;

		vfu_init(&srv, sv[1], &emu);
		srv.dma = keep;
		emu.dma = &srv.dma;
	}
	emu.irq = vfu_irq;
	emu.irq_opaque = &srv;

	memset(body, 0, sizeof(body));
	ok(xfer(1, VFU_DEVICE_GET_INFO, 0, body, 16, -1, &rh, NULL, 0, &r) && r == 1 &&
	   is_err(&rh, 1, EINVAL), "vfu: request before VERSION -> error reply");

	memcpy(body, "\0\0\0\0{}", 7);
	ok(xfer(2, VFU_VERSION, 0, body, 7, -1, &rh, rb, sizeof(rb), &r) && r == 1 &&
	   !(rh.flags & VFU_F_ERROR) && (rh.flags & 0xf) == VFU_F_TYPE_REPLY &&
	   rb[0] == 0 && rb[1] == 0 && rb[2] == 0 && rb[3] == 0 &&
	   strstr((char *)rb + 4, "max_msg_fds") && rh.size == 16 + 4 + strlen((char *)rb + 4) + 1,
	   "vfu: VERSION reply is 0.0 with a NUL-terminated JSON capabilities object");

	body[0] = 1;
	ok(xfer(3, VFU_VERSION, 0, body, 4, -1, &rh, NULL, 0, &r) && is_err(&rh, 3, ENOTSUP),
	   "vfu: major version 1 refused");
	ok(xfer(4, 99, 0, NULL, 0, -1, &rh, NULL, 0, &r) && r == 1 && is_err(&rh, 4, ENOTSUP),
	   "vfu: unknown command -> ENOTSUP error reply");
	ok(xfer(5, VFU_REGION_READ, 0, body, 8, -1, &rh, NULL, 0, &r) && is_err(&rh, 5, EINVAL),
	   "vfu: truncated REGION_READ -> EINVAL");

	memset(body, 0, sizeof(body));
	*(uint64_t *)body = 4090;
	*(uint32_t *)(body + 8) = VFU_REGION_CONFIG;
	*(uint32_t *)(body + 12) = 16;
	ok(xfer(6, VFU_REGION_READ, 0, body, 16, -1, &rh, NULL, 0, &r) && is_err(&rh, 6, EINVAL),
	   "vfu: config read past 4 KiB -> EINVAL");
	*(uint64_t *)body = 0;
	*(uint32_t *)(body + 12) = 4;
	ok(xfer(7, VFU_REGION_READ, 0, body, 16, -1, &rh, rb, sizeof(rb), &r) &&
	   !(rh.flags & VFU_F_ERROR) && rh.size == 16 + 16 + 4 && rb[16] == 0xb3 && rb[17] == 0x15,
	   "vfu: config read returns 15b3 vendor id");
	*(uint32_t *)(body + 8) = 3;
	ok(xfer(8, VFU_REGION_READ, 0, body, 16, -1, &rh, NULL, 0, &r) && is_err(&rh, 8, EINVAL),
	   "vfu: read of an absent region -> EINVAL");
	*(uint32_t *)(body + 8) = VFU_REGION_BAR0;
	*(uint32_t *)(body + 12) = 0x7fffffff;
	ok(xfer(9, VFU_REGION_READ, 0, body, 16, -1, &rh, NULL, 0, &r) && is_err(&rh, 9, EINVAL),
	   "vfu: huge REGION_READ count -> EINVAL");
	/* write with count larger than the data carried */
	*(uint32_t *)(body + 12) = 64;
	ok(xfer(10, VFU_REGION_WRITE, 0, body, 20, -1, &rh, NULL, 0, &r) && is_err(&rh, 10, EINVAL),
	   "vfu: REGION_WRITE count beyond payload -> EINVAL");
	/* posted write: never answered */
	*(uint64_t *)body = 0x10;
	*(uint32_t *)(body + 12) = 4;
	ok(!xfer(11, VFU_REGION_WRITE, VFU_F_NO_REPLY, body, 20, -1, &rh, NULL, 0, &r) && r == 1,
	   "vfu: posted write (flags 0x10) gets no reply");

	memset(body, 0, sizeof(body));
	*(uint32_t *)body = 32;
	*(uint32_t *)(body + 8) = 42;
	ok(xfer(12, VFU_DEVICE_GET_REGION_INFO, 0, body, 32, -1, &rh, NULL, 0, &r) &&
	   is_err(&rh, 12, EINVAL), "vfu: GET_REGION_INFO index 42 -> EINVAL");
	*(uint32_t *)(body + 8) = 0;
	ok(xfer(13, VFU_DEVICE_GET_REGION_INFO, 0, body, 32, -1, &rh, rb, sizeof(rb), &r) &&
	   !(rh.flags & VFU_F_ERROR) && *(uint64_t *)(rb + 16) == EMU_BAR0_SIZE,
	   "vfu: GET_REGION_INFO BAR0 size");

	memset(body, 0, sizeof(body));
	*(uint32_t *)body = 20;
	*(uint32_t *)(body + 4) = 0x3f;	/* every data + action bit at once */
	*(uint32_t *)(body + 8) = VFU_IRQ_MSIX;
	ok(xfer(14, VFU_DEVICE_SET_IRQS, 0, body, 20, -1, &rh, NULL, 0, &r) && is_err(&rh, 14, EINVAL),
	   "vfu: SET_IRQS with contradictory flags -> EINVAL");
	*(uint32_t *)(body + 4) = 0x24;
	*(uint32_t *)(body + 12) = 7;
	*(uint32_t *)(body + 16) = 2;
	efd = eventfd(0, EFD_NONBLOCK);
	ok(xfer(15, VFU_DEVICE_SET_IRQS, 0, body, 20, efd, &rh, NULL, 0, &r) && is_err(&rh, 15, EINVAL),
	   "vfu: SET_IRQS start+count beyond the vector count -> EINVAL");
	*(uint32_t *)(body + 12) = 0;
	*(uint32_t *)(body + 16) = 1;
	ok(xfer(16, VFU_DEVICE_SET_IRQS, 0, body, 20, efd, &rh, NULL, 0, &r) && !(rh.flags & VFU_F_ERROR),
	   "vfu: SET_IRQS MSI-X vector 0 eventfd accepted");
	vfu_irq(&srv, 0);
	ok(read(efd, &cnt, 8) == 8 && cnt == 1, "vfu: interrupt on vector 0 signals its eventfd");
	log_clear();
	vfu_irq(&srv, 5);
	ok(log_has("vector 5 has no eventfd"), "vfu: interrupt on an unset vector is logged");

	/* DMA map with a memfd, then a command whose queue lives in it */
	{
		int mfd = memfd_create("guest", 0);
		uint8_t *gm;
		struct emu_cmd_layout *l;
		uint8_t wr[20];

		if (ftruncate(mfd, 0x4000))
			perror("ftruncate");
		gm = mmap(NULL, 0x4000, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
		memset(body, 0, sizeof(body));
		*(uint32_t *)body = 32;
		*(uint32_t *)(body + 4) = 3;
		*(uint64_t *)(body + 8) = 0x1000;	/* file offset */
		*(uint64_t *)(body + 16) = 0x40000000;
		*(uint64_t *)(body + 24) = 0x3000;
		ok(xfer(17, VFU_DMA_MAP, 0, body, 32, mfd, &rh, NULL, 0, &r) && !(rh.flags & VFU_F_ERROR),
		   "vfu: DMA_MAP with memfd at offset 0x1000");
		ok(xfer(18, VFU_DMA_MAP, 0, body, 32, -1, &rh, NULL, 0, &r) && is_err(&rh, 18, EEXIST),
		   "vfu: overlapping DMA_MAP -> EEXIST");
		/*
		 * Found by fuzz-vfu: a window running past the end of the
		 * memfd was mapped, and the first command queue access in it
		 * killed the emulator with SIGBUS.
		 */
		*(uint64_t *)(body + 16) = 0x50000000;
		*(uint64_t *)(body + 24) = 0x4000;	/* file offset 0x1000 + 0x4000 > 0x4000 */
		log_clear();
		ok(xfer(171, VFU_DMA_MAP, 0, body, 32, mfd, &rh, NULL, 0, &r) && r == 1 &&
		   is_err(&rh, 171, EINVAL) && log_has("beyond the end of the fd") &&
		   srv.dma.n == 2, "vfu: DMA_MAP past the end of the memfd -> EINVAL, nothing mapped");
		*(uint64_t *)(body + 8) = 0x1002;	/* size + page offset wraps to 1 */
		*(uint64_t *)(body + 16) = 0;
		*(uint64_t *)(body + 24) = ~0ull;
		ok(xfer(172, VFU_DMA_MAP, 0, body, 32, mfd, &rh, NULL, 0, &r) && r == 1 &&
		   is_err(&rh, 172, EINVAL) && srv.dma.n == 2,
		   "vfu: DMA_MAP of 2^64-1 bytes at an unaligned file offset -> EINVAL");
		close(mfd);
		/* command queue at GPA 0x40000000 = file offset 0x1000 */
		l = (struct emu_cmd_layout *)(gm + 0x1000);
		memset(l, 0, 64);
		hdr(l->in, MLX5_CMD_OP_NOP, 0);
		l->inlen = htobe32(16);
		l->outlen = htobe32(16);
		l->status_own = 1;
		memset(wr, 0, sizeof(wr));
		*(uint64_t *)wr = 0x10;
		*(uint32_t *)(wr + 12) = 4;
		be32w(wr + 16, 0);
		xfer(19, VFU_REGION_WRITE, VFU_F_NO_REPLY, wr, 20, -1, &rh, NULL, 0, &r);
		*(uint64_t *)wr = 0x14;
		be32w(wr + 16, 0x40000000);
		xfer(20, VFU_REGION_WRITE, VFU_F_NO_REPLY, wr, 20, -1, &rh, NULL, 0, &r);
		*(uint64_t *)wr = 0x18;
		be32w(wr + 16, 1);
		xfer(21, VFU_REGION_WRITE, VFU_F_NO_REPLY, wr, 20, -1, &rh, NULL, 0, &r);
		ok(!(l->status_own & 1) && l->out[0] == 0,
		   "vfu: doorbell via posted REGION_WRITE runs a command in mmapped guest RAM");
		memset(body, 0, sizeof(body));
		*(uint32_t *)body = 24;
		*(uint64_t *)(body + 8) = 0x40000000;
		*(uint64_t *)(body + 16) = 0x1000;
		ok(xfer(22, VFU_DMA_UNMAP, 0, body, 24, -1, &rh, NULL, 0, &r) && is_err(&rh, 22, ENOENT),
		   "vfu: DMA_UNMAP of a partial range -> ENOENT");
		*(uint64_t *)(body + 16) = 0x3000;
		ok(xfer(23, VFU_DMA_UNMAP, 0, body, 24, -1, &rh, rb, sizeof(rb), &r) &&
		   !(rh.flags & VFU_F_ERROR) && rh.size == 16 + 24, "vfu: DMA_UNMAP exact range");
		munmap(gm, 0x4000);
	}
	ok(xfer(24, VFU_DEVICE_RESET, 0, NULL, 0, -1, &rh, NULL, 0, &r) && !(rh.flags & VFU_F_ERROR) &&
	   emu.cmdq_addr == 0, "vfu: DEVICE_RESET resets the device");

	/* bad sizes: cannot resynchronise, error reply then the connection drops */
	{
		struct vfu_hdr h = { 25, VFU_REGION_READ, 8, 0, 0 };

		if (write(cli, &h, sizeof(h)) != sizeof(h))
			perror("write");
		r = vfu_handle_one(&srv);
		ok(r < 0 && recv(cli, &rh, sizeof(rh), MSG_DONTWAIT) == sizeof(rh) && is_err(&rh, 25, EINVAL),
		   "vfu: message size < header -> error reply, connection dropped");
		h.size = 0x7fffffff;
		if (write(cli, &h, sizeof(h)) != sizeof(h))
			perror("write");
		r = vfu_handle_one(&srv);
		ok(r < 0, "vfu: message size 2 GiB -> connection dropped, no allocation");
	}
	/* peer closes mid-message */
	{
		struct vfu_hdr h = { 26, VFU_REGION_READ, 32, 0, 0 };

		if (write(cli, &h, sizeof(h)) != sizeof(h))
			perror("write");
		close(cli);
		r = vfu_handle_one(&srv);
		ok(r <= 0, "vfu: truncated body (peer closed) handled");
	}
	vfu_fini(&srv);
	close(sv[1]);
	close(efd);
	dma_init(&dma);
}

int main(void)
{
	test_ifc();
	test_dma();
	test_regs();
	test_commands();
	test_malformed_chains();
	test_eq();
	test_uctx();
	test_devx_objs();
	test_devx_eqe();
	test_tunnel();
	test_uar();
	test_vfu();
	emu_fini(&emu);
	free(gmem);
	fclose(logf_);
	free(logbuf);
	printf("1..%d\n", ntest);
	if (nfail)
		printf("# %d of %d tests failed\n", nfail, ntest);
	return nfail ? 1 : 0;
}
