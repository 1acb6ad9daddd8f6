// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-cmd: mlx5 command dispatch under libFuzzer.  Each input drives a
 * fresh device the way the driver does: command descriptors, mailbox chains
 * and EQ buffers in guest memory, doorbells and other BAR0/config accesses
 * (input format in fuzz.h).  Commands run through emu_bar0_write ->
 * emu_doorbell -> run_slot -> emu_exec, the device path of mlx5-emu.
 * After every operation the object and user-context counters are checked
 * against the tables they count, and an interrupt must name a vector the
 * device has.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifc.h"
#include "dma.h"
#include "mlx5.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static uint8_t *gmem, *romem, *scratch, *readbuf;
static struct dma_table dma;
static struct mlx5_emu emu;
static FILE *devnull;
static unsigned long nirqs;

struct in {
	const uint8_t *p;
	size_t left;
};

static int get(struct in *in, void *v, size_t n)
{
	if (in->left < n)
		return -1;
	memcpy(v, in->p, n);
	in->p += n;
	in->left -= n;
	return 0;
}

static uint8_t get8(struct in *in, int *eof)
{
	uint8_t v = 0;

	if (get(in, &v, 1))
		*eof = 1;
	return v;
}

static uint16_t get16(struct in *in, int *eof)
{
	uint8_t b[2] = { 0 };

	if (get(in, b, 2))
		*eof = 1;
	return b[0] | b[1] << 8;
}

static uint32_t get32(struct in *in, int *eof)
{
	uint8_t b[4] = { 0 };

	if (get(in, b, 4))
		*eof = 1;
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static void on_irq(void *opaque, unsigned int vec)
{
	(void)opaque;
	if (vec >= EMU_MSIX_VECTORS)
		abort();	/* the model only has these */
	nirqs++;
}

/* host pointer of guest address a, or NULL unless [a, a+n) is in gmem */
__attribute__((no_sanitize("coverage")))
static void *gptr(uint64_t a, uint64_t n)
{
	if (a < FUZZ_GPA || a - FUZZ_GPA > FUZZ_GSIZE || n > FUZZ_GSIZE - (a - FUZZ_GPA))
		return NULL;
	return gmem + (a - FUZZ_GPA);
}

static void bar_w32(uint64_t off, uint32_t v)
{
	v = htobe32(v);
	emu_bar0_write(&emu, off, &v, 4);
}

/*
 * Lay out a chain of n mailboxes at base (1 KiB apart, at most max of
 * them: a longer chain runs off the end of its area), copying data into
 * them, with the defect mode at block k.  Returns the pointer to block 0.
 * Harness code, left out of the coverage the fuzzer steers by.
 */
__attribute__((no_sanitize("coverage")))
static uint64_t build_chain(uint64_t base, unsigned int max, uint32_t n,
			    const uint8_t *data, uint32_t len, unsigned int mode,
			    unsigned int k)
{
	uint64_t first = base;
	uint32_t i;

	if (!n)
		return 0;
	if (mode == CHAIN_NULL && k == 0)
		return 0;
	if (mode == CHAIN_UNALIGNED && k == 0)
		return base + 8;
	for (i = 0; i < n && i < max; i++) {
		uint64_t a = base + (uint64_t)i * EMU_MBOX_ALIGN, next;
		struct emu_cmd_block *b = gptr(a, sizeof(*b));
		uint32_t m = len > EMU_MBOX_DATA ? EMU_MBOX_DATA : len;

		if (!b)		/* the read-only page: the emulator only reads it */
			b = (struct emu_cmd_block *)(romem + (a - FUZZ_RO_GPA));
		memset(b, 0, sizeof(*b));
		if (data && m) {
			memcpy(b->data, data, m);
			data += m;
			len -= m;
		}
		b->block_num = htobe32(i);
		next = i + 1 < n ? a + EMU_MBOX_ALIGN : 0;
		if (i == k) {
			if (mode == CHAIN_BLOCK_NUM)
				b->block_num = htobe32(i + 1);
			else if (mode == CHAIN_LOOP)
				next = a;
		}
		if (i + 1 == k && mode == CHAIN_NULL)
			next = 0;
		if (i + 1 == k && mode == CHAIN_UNALIGNED)
			next = a + EMU_MBOX_ALIGN + 8;
		b->next = htobe64(next);
	}
	return first;
}

/* the command of the last CMD_OP_CMD, for CMD_OP_REPEAT */
static struct {
	int valid;
	uint8_t slot, chain, k;
	uint32_t inlen, outlen;
} last;

/* write the descriptor and chains of the last command and ring its doorbell */
static void issue(void)
{
	uint64_t laddr = emu.cmdq_addr + ((uint64_t)last.slot << emu.log_cmdq_stride);
	struct emu_cmd_layout *l = gptr(laddr, sizeof(*l));
	uint32_t inlen = last.inlen, outlen = last.outlen, nin, nout;
	uint64_t outbase;
	unsigned int outmax;

	if (l) {
		nin = inlen > 16 ? (inlen - 16 + EMU_MBOX_DATA - 1) / EMU_MBOX_DATA : 0;
		nout = outlen > 16 ? (outlen - 16 + EMU_MBOX_DATA - 1) / EMU_MBOX_DATA : 0;
		memset(l, 0, sizeof(*l));
		l->type = 7;	/* MLX5_PCI_CMD_XPORT */
		l->inlen = htobe32(inlen);
		l->outlen = htobe32(outlen);
		memcpy(l->in, scratch, 16);
		l->in_ptr = htobe64(build_chain(FUZZ_MBOX_IN, FUZZ_MBOX_IN_N, nin, scratch + 16,
						inlen > 16 ? (inlen > FUZZ_GSIZE ? FUZZ_GSIZE : inlen) - 16 : 0,
						last.chain & 7, last.k));
		outbase = last.chain & CMD_CHAIN_OUT_RO ? FUZZ_RO_GPA : FUZZ_MBOX_OUT;
		outmax = last.chain & CMD_CHAIN_OUT_RO ? 4 : FUZZ_MBOX_OUT_N;
		l->out_ptr = htobe64(build_chain(outbase, outmax, nout, NULL, 0,
						 (last.chain >> 3) & 7, last.k));
		l->token = last.k;
		l->status_own = last.chain & CMD_CHAIN_SW_OWNED ? 0 : EMU_CMD_OWNER_HW;
	}
	bar_w32(0x18, 1u << last.slot);
}

static void op_cmd(struct in *in, int *eof)
{
	uint8_t slot = get8(in, eof) & 31, chain = get8(in, eof), k = get8(in, eof);
	uint8_t lenmode = get8(in, eof);
	uint32_t inlen = lenmode & 1 ? get32(in, eof) : get16(in, eof);
	uint32_t outlen = lenmode & 2 ? get32(in, eof) : get16(in, eof);
	uint32_t have = inlen < in->left ? inlen : (uint32_t)in->left;

	if (*eof)
		return;
	/* the inbox bytes the input has; the rest of the inbox is zero */
	memset(scratch, 0, inlen < 16 ? 16 : (inlen > FUZZ_GSIZE ? FUZZ_GSIZE : inlen));
	memcpy(scratch, in->p, have);
	in->p += have;
	in->left -= have;
	last.valid = 1;
	last.slot = slot;
	last.chain = chain;
	last.k = k;
	last.inlen = inlen;
	last.outlen = outlen;
	issue();
}

/* (not instrumented: its loops are the harness's, not paths to explore) */
__attribute__((no_sanitize("coverage")))
static void check_counters(void)
{
	unsigned int i, live = 0, umems = 0, tunnelled = 0, uctx = 0;

	for (i = 0; i < EMU_MAX_OBJS; i++) {
		const struct emu_obj *o = &emu.obj[i];

		if (o->kind == EMU_OBJ_FREE)
			continue;
		live++;
		umems += o->kind == EMU_OBJ_UMEM;
		tunnelled += o->tunnel != 0;
		if (o->uid && (o->uid >= EMU_MAX_UIDS || !emu.uid_live[o->uid])) {
			fprintf(stderr, "fuzz-cmd: object 0x%06x owned by dead uid %u\n", o->id, o->uid);
			abort();
		}
	}
	for (i = 0; i < EMU_MAX_UIDS; i++)
		uctx += emu.uid_live[i] != 0;
	if (live != emu.obj_live || umems != emu.umem_live ||
	    tunnelled != emu.tunnel_obj_live || uctx != emu.uctx_live || emu.uid_live[0]) {
		fprintf(stderr, "fuzz-cmd: counters obj %u/%u umem %u/%u tunnel %u/%u uctx %u/%u\n",
			emu.obj_live, live, emu.umem_live, umems, emu.tunnel_obj_live, tunnelled,
			emu.uctx_live, uctx);
		abort();
	}
}

/* the log's sink: formatted, then dropped without a system call */
static ssize_t discard(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	(void)buf;
	return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	gmem = aligned_alloc(4096, FUZZ_GSIZE);
	romem = aligned_alloc(4096, 4096);
	scratch = malloc(FUZZ_GSIZE + 16);
	readbuf = malloc(65536);
	/* FUZZ_EMU_LOG=1: the emulator's log on stderr, to replay one input */
	devnull = getenv("FUZZ_EMU_LOG") ? stderr :
		  fopencookie(NULL, "w", (cookie_io_functions_t){ .write = discard });
	if (!gmem || !romem || !scratch || !readbuf || !devnull)
		abort();
	dma_init(&dma);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	uint8_t buf[256];
	int eof = 0;

	memset(gmem, 0, FUZZ_GSIZE);
	memset(romem, 0, 4096);
	dma_remove_all(&dma);
	if (dma_add(&dma, FUZZ_GPA, FUZZ_GSIZE, gmem, 1, NULL, 0) ||
	    dma_add(&dma, FUZZ_RO_GPA, 4096, romem, 0, NULL, 0) ||
	    dma_add(&dma, FUZZ_NOFD_GPA, 4096, NULL, 1, NULL, 0))
		abort();
	emu_init(&emu, &dma);
	last.valid = 0;
	emu.log = devnull;
	/* no state file: rewriting one per object costs more than the command */
	emu.state_path = NULL;
	emu.irq = on_irq;
	/* what mlx5_core does first: the command queue's address */
	bar_w32(0x10, (uint32_t)(FUZZ_CMDQ >> 32));
	bar_w32(0x14, (uint32_t)FUZZ_CMDQ);

	while (!eof && in.left) {
		uint8_t op = get8(&in, &eof);

		switch (op) {
		case CMD_OP_CMD:
			op_cmd(&in, &eof);
			break;
		case CMD_OP_GMEM: {
			uint32_t off = get32(&in, &eof) % FUZZ_GSIZE;
			uint8_t len = get8(&in, &eof);

			if (eof || get(&in, buf, len))
				eof = 1;
			else if (off + len <= FUZZ_GSIZE)
				memcpy(gmem + off, buf, len);
			break;
		}
		case CMD_OP_BAR_WRITE: {
			uint32_t off = get32(&in, &eof);
			uint8_t len = get8(&in, &eof);

			if (eof || get(&in, buf, len))
				eof = 1;
			else
				emu_bar0_write(&emu, off, buf, len);
			break;
		}
		case CMD_OP_BAR_READ: {
			uint32_t off = get32(&in, &eof);
			uint16_t len = get16(&in, &eof);

			if (!eof)
				emu_bar0_read(&emu, off, readbuf, len);
			break;
		}
		case CMD_OP_CFG: {
			uint16_t off = get16(&in, &eof);
			uint8_t len = get8(&in, &eof), wr = get8(&in, &eof);

			if (eof)
				break;
			if (!wr)
				emu_cfg_read(&emu, off, buf, len);
			else if (get(&in, buf, len))
				eof = 1;
			else
				emu_cfg_write(&emu, off, buf, len);
			break;
		}
		case CMD_OP_RESET:
			emu_reset(&emu);
			break;
		case CMD_OP_DOORBELL: {
			uint32_t mask = get32(&in, &eof);

			if (!eof)
				bar_w32(0x18, mask);
			break;
		}
		case CMD_OP_REPEAT: {
			uint16_t n = get16(&in, &eof) % (CMD_REPEAT_MAX + 1);

			while (!eof && last.valid && n--)
				issue();
			break;
		}
		default:
			eof = 1;
			break;
		}
		check_counters();
	}
	emu_fini(&emu);
	return 0;
}
